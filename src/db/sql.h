/* sql.h - one way to run a statement, after the SQLite shell's
 * shellPrepare/shellFinalize: prepare, bind, step and finish through
 * helpers that remember the first error, so that a function checks once,
 * when it finishes the statement, instead of after every call.
 *
 *     struct sql q;
 *     sql_prepare(&q, st->db, "SELECT id FROM datasets WHERE name = ?1",
 *                 "looking up the dataset");
 *     sql_bind_text(&q, 1, name);
 *     while (sql_row(&q))
 *         id = sql_col_int64(&q, 0);
 *     return sql_done(&q, err);
 *
 * After an error, binds do nothing, sql_row returns 0 and sql_done fails
 * with "database: WHAT: sqlite's message". A statement without rows runs
 * with one sql_row. When sql_row reaches the end it resets the statement,
 * so the next binds and sql_row run it again: a statement is prepared once
 * for a loop of inserts.
 *
 * Private to the database layer (src/db/). */
#ifndef TOKSTAT_DB_SQL_H
#define TOKSTAT_DB_SQL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/series.h"

struct sql {
    sqlite3_stmt *stmt;
    sqlite3 *db;
    int rc;           /* SQLITE_OK, or the first error */
    int kept;         /* a statement of the handle's (sql_reuse): reset, not finalized */
    const char *what; /* what the statement does, for the message */
    char *msg;        /* sqlite's message for rc (sqlite3_malloc), or NULL */
};

/* A statement not prepared yet, for sql_done in a cleanup label (all zero
 * bytes are the same). */
#define SQL_INIT                                                                                   \
    {                                                                                              \
        NULL, NULL, SQLITE_OK, 0, NULL, NULL                                                       \
    }

/* Records rc as q's error unless q already has one (sqlite's message
 * kept with it). */
void sql_fail(struct sql *q, int rc);
/* The slow paths of sql_reuse and sql_done, which are inline below with
 * sql_row and the binds: an import runs a few statements for each row or
 * cell through them. */
void sql_reuse_prepare(struct sql *q, sqlite3_stmt **slot, const char *text);
int sql_finish(struct sql *q, struct ts_err *err);

/* Prepares text (one statement) for q. */
void sql_prepare(struct sql *q, sqlite3 *db, const char *text, const char *what);

/* Takes the statement kept in *slot, preparing text into it the first time
 * (SQLITE_PREPARE_PERSISTENT). The owner of *slot finalizes it. */
static inline void sql_reuse(struct sql *q, sqlite3 *db, sqlite3_stmt **slot, const char *text,
                             const char *what)
{
    q->db = db;
    q->rc = SQLITE_OK;
    q->kept = 1;
    q->what = what;
    q->msg = NULL;
    if (!*slot)
        sql_reuse_prepare(q, slot, text);
    q->stmt = *slot;
}

/* Steps: 1 while there is a row, 0 at the end or after an error. */
static inline int sql_row(struct sql *q)
{
    int rc;

    if (q->rc != SQLITE_OK)
        return 0;
    if ((rc = sqlite3_step(q->stmt)) == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE)
        sql_fail(q, rc);
    sqlite3_reset(q->stmt); /* ready for new values */
    return 0;
}

/* Finishes q (finalizes it, or resets a reused statement left before its
 * end): 0, or -1 with err filled when q had an error (err may be NULL: the
 * error is dropped). Safe on SQL_INIT and twice. */
static inline int sql_done(struct sql *q, struct ts_err *err)
{
    if (q->kept && q->rc == SQLITE_OK) {
        if (sqlite3_stmt_busy(q->stmt))
            sqlite3_reset(q->stmt);
        q->stmt = NULL;
        return 0;
    }
    return sql_finish(q, err);
}

static inline int sql_ok(const struct sql *q)
{
    return q->rc == SQLITE_OK;
}

/* For a statement run many times: 0 while q is fine; after an error,
 * finishes q and fills err (sql_done), -1. */
static inline int sql_check(struct sql *q, struct ts_err *err)
{
    return q->rc == SQLITE_OK ? 0 : sql_done(q, err);
}

static inline void sql_bind_int64(struct sql *q, int i, int64_t v)
{
    int rc;

    if (q->rc == SQLITE_OK && (rc = sqlite3_bind_int64(q->stmt, i, v)) != SQLITE_OK)
        sql_fail(q, rc);
}

static inline void sql_bind_int(struct sql *q, int i, int v)
{
    int rc;

    if (q->rc == SQLITE_OK && (rc = sqlite3_bind_int(q->stmt, i, v)) != SQLITE_OK)
        sql_fail(q, rc);
}

/* Text the caller keeps unchanged until the statement has run (len bytes,
 * or up to its NUL when len is -1); NULL binds NULL. */
static inline void sql_bind_textn(struct sql *q, int i, const char *s, int len)
{
    int rc;

    if (q->rc == SQLITE_OK &&
        (rc = sqlite3_bind_text(q->stmt, i, s, len, SQLITE_STATIC)) != SQLITE_OK)
        sql_fail(q, rc);
}

static inline void sql_bind_text(struct sql *q, int i, const char *s)
{
    sql_bind_textn(q, i, s, -1);
}

/* An optional count: NULL for TS_ABSENT. */
static inline void sql_bind_opt(struct sql *q, int i, int64_t v)
{
    int rc;

    if (q->rc != SQLITE_OK)
        return;
    rc = v == TS_ABSENT ? sqlite3_bind_null(q->stmt, i) : sqlite3_bind_int64(q->stmt, i, v);
    if (rc != SQLITE_OK)
        sql_fail(q, rc);
}

/* Columns of the current row. */
static inline int64_t sql_col_int64(struct sql *q, int i)
{
    return sqlite3_column_int64(q->stmt, i);
}

static inline int sql_col_int(struct sql *q, int i)
{
    return sqlite3_column_int(q->stmt, i);
}

static inline double sql_col_double(struct sql *q, int i)
{
    return sqlite3_column_double(q->stmt, i);
}

/* Valid until the next sql_row or sql_done; NULL for NULL. */
static inline const char *sql_col_text(struct sql *q, int i)
{
    return (const char *)sqlite3_column_text(q->stmt, i);
}

/* The length in bytes of column i's text (call after sql_col_text). */
static inline size_t sql_col_bytes(struct sql *q, int i)
{
    return (size_t)sqlite3_column_bytes(q->stmt, i);
}

static inline int sql_col_null(struct sql *q, int i)
{
    return sqlite3_column_type(q->stmt, i) == SQLITE_NULL;
}

/* An optional count: TS_ABSENT for NULL. */
static inline int64_t sql_col_opt(struct sql *q, int i)
{
    return sql_col_null(q, i) ? TS_ABSENT : sql_col_int64(q, i);
}

/* A copy of column i's text (the caller frees it), or NULL for NULL. */
char *sql_col_dup(struct sql *q, int i);

/* Runs the statements of text, which take no values: 0, or -1 with err
 * "database: sqlite's message". */
int sql_exec(sqlite3 *db, const char *text, struct ts_err *err);
/* Runs the statements of text in turn, each with ?1 = a, ?2 = b, ?3 = c:
 * 0, or -1 with err "database: WHAT: sqlite's message". */
int sql_exec3(sqlite3 *db, const char *text, int64_t a, int64_t b, int64_t c, const char *what,
              struct ts_err *err);

#endif
