/* sql.c - preparing, stepping and finishing statements with one sticky
 * error (sql.h). */
#include "sql.h"

#include "core/util.h"

void sql_fail(struct sql *q, int rc)
{
    if (q->rc != SQLITE_OK)
        return;
    q->rc = rc;
    /* Kept now: finishing the statement, or the next one, changes it. */
    q->msg = sqlite3_mprintf("%s", q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
}

void sql_prepare(struct sql *q, sqlite3 *db, const char *text, const char *what)
{
    int rc;

    *q = (struct sql)SQL_INIT;
    q->db = db;
    q->what = what;
    if ((rc = sqlite3_prepare_v2(db, text, -1, &q->stmt, NULL)) != SQLITE_OK)
        sql_fail(q, rc);
}

void sql_reuse_prepare(struct sql *q, sqlite3_stmt **slot, const char *text)
{
    int rc = sqlite3_prepare_v3(q->db, text, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);

    if (rc != SQLITE_OK)
        sql_fail(q, rc);
}

int sql_finish(struct sql *q, struct ts_err *err)
{
    int failed = q->rc != SQLITE_OK;

    if (!q->kept)
        sqlite3_finalize(q->stmt);
    else if (sqlite3_stmt_busy(q->stmt))
        sqlite3_reset(q->stmt);
    q->stmt = NULL;
    if (failed && err)
        ts_err_set(err, "database: %s: %s", q->what, q->msg ? q->msg : sqlite3_errstr(q->rc));
    sqlite3_free(q->msg);
    q->msg = NULL;
    q->rc = SQLITE_OK;
    return failed ? -1 : 0;
}

char *sql_col_dup(struct sql *q, int i)
{
    const char *t = sql_col_text(q, i);

    return t ? xstrdup(t) : NULL;
}

int sql_exec(sqlite3 *db, const char *text, struct ts_err *err)
{
    char *msg = NULL;

    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK) {
        ts_err_set(err, "database: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int sql_exec3(sqlite3 *db, const char *text, int64_t a, int64_t b, int64_t c, const char *what,
              struct ts_err *err)
{
    const char *tail = text;

    while (tail && *tail) {
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(db, tail, -1, &s, &tail);
        if (rc == SQLITE_OK && !s)
            break; /* only white space or comments were left */
        if (rc == SQLITE_OK) {
            /* Values a statement does not take are left out (SQLITE_RANGE). */
            sqlite3_bind_int64(s, 1, a);
            sqlite3_bind_int64(s, 2, b);
            sqlite3_bind_int64(s, 3, c);
            rc = sqlite3_step(s);
            if (rc == SQLITE_DONE || rc == SQLITE_ROW)
                rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK)
            ts_err_set(err, "database: %s: %s", what, sqlite3_errmsg(db));
        sqlite3_finalize(s);
        if (rc != SQLITE_OK)
            return -1;
    }
    return 0;
}
