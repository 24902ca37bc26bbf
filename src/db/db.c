/* db.c - the handle: opening (the file, its folder, WAL, the schema),
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

int db_open(const char *path, struct db **out, struct ts_err *err)
{
    struct db *st = xcalloc(1, sizeof(*st));
    int rc;

    *out = NULL;
    if (make_parents(path, err) < 0)
        goto fail;
    /* One thread uses a connection: no mutex around every call. */
    rc = sqlite3_open_v2(path, &st->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        ts_err_set(err, "cannot open database '%s': %s", path,
                   st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    /* Reading the journal mode also checks that the file is a database. */
    if (set_wal(st, err) < 0) {
        ts_err_set(err, "cannot open database '%s': %s", path, sqlite3_errmsg(st->db));
        goto fail;
    }
    /* The foreign keys of the schema document it and are checked by the
     * tests (PRAGMA foreign_key_check); they are not enforced at run time,
     * where three lookups a row cost a fifth of an import and every id comes
     * from this file within the import's own transaction. */
    if (sql_exec(st->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF", err) < 0)
        goto fail;
    if (schema_migrate(st, err) < 0 || vendors_refresh_shipped(st, err) < 0)
        goto fail;
    if (sql_exec(st->db, "CREATE TEMP TABLE seen(k INTEGER PRIMARY KEY, mask INTEGER NOT NULL)",
                 err) < 0)
        goto fail;
    *out = st;
    return 0;
fail:
    db_close(st);
    return -1;
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
