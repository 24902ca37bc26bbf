/* db.c - the handle: opening for writing (the file, its folder, WAL, the
 * schema) or for reading only (never a write, a file or a folder),
 * closing, and datasets. */
#include "db/db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "internal.h"

#define BUSY_TIMEOUT_MS 60000

/* Switches to WAL. Changing the journal mode needs an exclusive lock and
 * SQLite does not call the busy handler for it, so while another process
 * creates or switches the same new database, wait and try again here. */
static int set_wal(struct db *st, struct ts_err *err)
{
    const struct timespec pause = {0, 5 * 1000 * 1000};
    int waited_ms = 0;

    for (;;) {
        int rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) ||
            waited_ms >= BUSY_TIMEOUT_MS)
            return ts_err_set(err, "%s", sqlite3_errmsg(st->db));
        nanosleep(&pause, NULL);
        waited_ms += 5;
    }
}

/* Creates the folders above path (mode 0777 less the umask), like mkdir -p. */
static int make_parents(const char *path, struct ts_err *err)
{
    char *dir = xstrdup(path);
    int rc = 0;

    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            rc = ts_err_set(err, "cannot create directory '%s': %s", dir, strerror(errno));
            break;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}

/* The path as a message shows it: control characters escaped, cut at 300
 * bytes. The caller releases b. */
static const char *shown(struct ts_buf *b, const char *path)
{
    ts_quote_for_msg(b, path, strlen(path), 300);
    return b->data;
}

/* SQLite (as Debian builds it) reads a name that starts with "file:" as a
 * URI whose query may say mode=rwc or immutable=1; tokstat takes paths
 * only, so that what it opens, creates and refuses is what the name says. */
static int refuse_uri(const char *path, struct ts_err *err)
{
    struct ts_buf b = TS_BUF_INIT;

    if (strncmp(path, "file:", 5) != 0)
        return 0;
    shown(&b, path);
    ts_err_set(err,
               "'%s' is a SQLite URI: tokstat takes the database's path (write './%s' for a "
               "file whose name starts with 'file:')",
               b.data, b.data);
    buf_release(&b);
    return -1;
}

/* Opens the connection (name is a path, or a URI with SQLITE_OPEN_URI). */
static int open_conn(struct db *st, const char *name, int flags, const char *path,
                     struct ts_err *err)
{
    struct ts_buf b = TS_BUF_INIT;
    /* One thread uses a connection: no mutex around every call. */
    int rc = sqlite3_open_v2(name, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);

    if (rc != SQLITE_OK) {
        ts_err_set(err, "cannot open database '%s': %s", shown(&b, path),
                   st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        buf_release(&b);
        return -1;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    return 0;
}

/* The first read of the file (it checks that the file is a database, and
 * in WAL mode opens the log): the schema version, and whether the file has
 * any table, read in one statement so that both come from the same
 * snapshot (another process may be creating the schema meanwhile).
 * Returns SQLite's code. */
static int first_read(struct db *st, int *version, int *has_tables)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(
        st->db,
        "SELECT user_version, EXISTS (SELECT 1 FROM sqlite_master) FROM pragma_user_version", -1,
        &s, NULL);

    *version = 0;
    *has_tables = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        *has_tables = sqlite3_column_int(s, 1);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

/* A file of another version of tokstat (or a new one, version 0) gets this
 * one's schema, shipped vendor table and family rules in one transaction:
 * a reader sees all of them or none, never a schema without the tables it
 * is read with. The common case, a file already current, writes nothing. */
static int bring_current(struct db *st, int version, struct ts_err *err)
{
    int vendors = 0, families = 0;

    if (version == DB_SCHEMA_VERSION && (vendors_shipped_current(st, &vendors, err) < 0 ||
                                         families_shipped_current(st, &families, err) < 0))
        return -1;
    if (vendors && families)
        return 0;
    /* Each step reads again under the write lock: another process may have
     * done it since. */
    if (db_begin(st, err) < 0)
        return -1;
    if (schema_migrate(st, err) < 0 || vendors_refresh_shipped(st, err) < 0 ||
        families_refresh_shipped(st, err) < 0) {
        db_rollback(st);
        return -1;
    }
    return db_commit(st, err);
}

int db_open(const char *path, struct db **out, struct ts_err *err)
{
    struct db *st = xcalloc(1, sizeof(*st));
    struct ts_buf b = TS_BUF_INIT;
    int version, has_tables;

    *out = NULL;
    if (refuse_uri(path, err) < 0 || make_parents(path, err) < 0 ||
        open_conn(st, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, path, err) < 0)
        goto fail;
    /* The version comes first: a file of a newer tokstat is refused before
     * anything (the switch to WAL included) is written to it. */
    if (first_read(st, &version, &has_tables) != SQLITE_OK) {
        ts_err_set(err, "cannot open database '%s': %s", shown(&b, path), sqlite3_errmsg(st->db));
        goto fail;
    }
    if (schema_check(version, 1, path, err) < 0)
        goto fail;
    if (set_wal(st, err) < 0) {
        ts_err_set(err, "cannot open database '%s': %s", shown(&b, path), sqlite3_errmsg(st->db));
        goto fail;
    }
    /* The foreign keys of the schema document it and are checked by the
     * tests (PRAGMA foreign_key_check); they are not enforced at run time,
     * where three lookups a row cost a fifth of an import and every id comes
     * from this file within the import's own transaction. */
    if (sql_exec(st->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF", err) < 0)
        goto fail;
    if (bring_current(st, version, err) < 0)
        goto fail;
    if (sql_exec(st->db, "CREATE TEMP TABLE seen(k INTEGER PRIMARY KEY, mask INTEGER NOT NULL)",
                 err) < 0)
        goto fail;
    buf_release(&b);
    *out = st;
    return 0;
fail:
    buf_release(&b);
    db_close(st);
    return -1;
}

/* Whether the file named path + suffix is absent or empty. */
static int absent_or_empty(const char *path, const char *suffix)
{
    struct ts_buf name = TS_BUF_INIT;
    struct stat sb;
    int r;

    buf_printf(&name, "%s%s", path, suffix);
    r = stat(name.data, &sb) != 0 ? errno == ENOENT : sb.st_size == 0;
    buf_release(&name);
    return r;
}

/* path as a URI that opens it immutable=1: every byte but letters, digits
 * and "/._-~" percent-encoded. The caller frees the result. */
static char *immutable_uri(const char *path)
{
    struct ts_buf b = TS_BUF_INIT;

    buf_adds(&b, path[0] == '/' ? "file://" : "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-~", *p))
            buf_addc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    buf_adds(&b, "?immutable=1");
    return b.data;
}

/* A database in WAL mode is read through its -shm file, which a reader
 * creates when it is missing (a database at rest has none). Where it
 * cannot (a read-only folder), and no log or journal holds changes that
 * are not in the file itself, the file alone is the database: it is
 * opened again as immutable (no -shm, no locks). */
static int reopen_immutable(struct db *st, const char *path, struct ts_err *err)
{
    struct ts_buf b = TS_BUF_INIT;
    char *uri;
    int rc;

    if (!absent_or_empty(path, "-wal") || !absent_or_empty(path, "-journal")) {
        ts_err_set(err,
                   "cannot read database '%s': its -wal or -journal file holds changes that only "
                   "a process allowed to write in its folder can read",
                   shown(&b, path));
        buf_release(&b);
        return -1;
    }
    sqlite3_close(st->db);
    st->db = NULL;
    uri = immutable_uri(path);
    rc = open_conn(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, path, err);
    free(uri);
    return rc;
}

int db_open_read(const char *path, struct db **out, struct ts_err *err)
{
    struct db *st = xcalloc(1, sizeof(*st));
    struct ts_buf b = TS_BUF_INIT;
    int version, has_tables, rc, current;

    *out = NULL;
    if (refuse_uri(path, err) < 0 || open_conn(st, path, SQLITE_OPEN_READONLY, path, err) < 0)
        goto fail;
    rc = first_read(st, &version, &has_tables);
    if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) {
        if (reopen_immutable(st, path, err) < 0)
            goto fail;
        rc = first_read(st, &version, &has_tables);
    }
    if (rc != SQLITE_OK) {
        ts_err_set(err, "cannot open database '%s': %s", shown(&b, path), sqlite3_errmsg(st->db));
        goto fail;
    }
    if (version == 0 && !has_tables) {
        /* An empty file (one being created by another process, before its
         * schema commits) reads as an empty database. */
        buf_release(&b);
        db_close(st);
        return db_open(":memory:", out, err);
    }
    if (schema_check(version, 0, path, err) < 0 ||
        sql_exec(st->db, "PRAGMA foreign_keys = OFF", err) < 0 ||
        vendors_shipped_current(st, &current, err) < 0)
        goto fail;
    st->vendors_stale = !current;
    if (families_shipped_current(st, &current, err) < 0)
        goto fail;
    st->families_stale = !current;
    buf_release(&b);
    *out = st;
    return 0;
fail:
    buf_release(&b);
    db_close(st);
    return -1;
}

int db_vendors_stale(const struct db *st)
{
    return st->vendors_stale;
}

int db_families_stale(const struct db *st)
{
    return st->families_stale;
}

void db_close(struct db *st)
{
    if (!st)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    if (st->in_tx)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(st->db);
    ts_map_release(&st->model_ids);
    countries_forget(st);
    families_forget(st);
    free(st->cells.t);
    free(st);
}

int db_dataset(struct db *st, const char *name, int create, int64_t *out, struct ts_err *err)
{
    struct sql q;
    int found = 0;

    sql_prepare(&q, st->db, "SELECT id FROM datasets WHERE name = ?1", "looking up the dataset");
    sql_bind_text(&q, 1, name);
    if (sql_row(&q)) {
        *out = sql_col_int64(&q, 0);
        found = 1;
    }
    if (sql_done(&q, err) < 0)
        return -1;
    if (found || !create)
        return found;
    sql_prepare(&q, st->db, "INSERT INTO datasets(name) VALUES (?1)", "creating the dataset");
    sql_bind_text(&q, 1, name);
    sql_row(&q);
    if (sql_done(&q, err) < 0)
        return -1;
    *out = sqlite3_last_insert_rowid(st->db);
    return 1;
}
