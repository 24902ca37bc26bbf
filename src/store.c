/* store.c - the SQLite database.
 *
 * Observations are keyed by (dataset, granularity, period, model) so that
 * re-imports are upserts; each remembers the import that last changed it.
 * A duplicate key within one file is caught without holding the file's
 * keys in memory and without touching rows that did not change: see
 * store_upsert_obs. */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "metrics.h"
#include "sha256.h"
#include "util.h"
#include "vendors.h"
#include "week.h"

#define BUSY_TIMEOUT_MS 60000

enum stmt_id {
    ST_MODEL_GET,
    ST_MODEL_ADD,
    ST_OBS_GET,
    ST_OBS_ADD,
    ST_OBS_TRY,
    ST_OBS_SET,
    ST_OBS_BATCH,
    ST_OBS_LOOKUP,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_SEEN_ADD,
    ST_PRICE_PUT,
    ST_ALIAS_PUT,
    ST_COUNT
};

/* STORE_OBS_BATCH rows of observations in one statement. */
#define OBS_ROW    "(?,?,?,?,?,?,?,?,?,?,?)"
#define OBS_ROWS2  OBS_ROW "," OBS_ROW
#define OBS_ROWS4  OBS_ROWS2 "," OBS_ROWS2
#define OBS_ROWS8  OBS_ROWS4 "," OBS_ROWS4
#define OBS_ROWS16 OBS_ROWS8 "," OBS_ROWS8
#define OBS_ROWS32 OBS_ROWS16 "," OBS_ROWS16
#define OBS_ROWS64 OBS_ROWS32 "," OBS_ROWS32
#define KEY_ROW    "(?,?,?,?,?)"
#define KEY_ROWS2  KEY_ROW "," KEY_ROW
#define KEY_ROWS4  KEY_ROWS2 "," KEY_ROWS2
#define KEY_ROWS8  KEY_ROWS4 "," KEY_ROWS4
#define KEY_ROWS16 KEY_ROWS8 "," KEY_ROWS8
#define KEY_ROWS32 KEY_ROWS16 "," KEY_ROWS16
#define KEY_ROWS64 KEY_ROWS32 "," KEY_ROWS32
#if STORE_OBS_BATCH != 64
#error "OBS_ROWS64 must hold STORE_OBS_BATCH rows"
#endif

static const char *const stmt_sql[ST_COUNT] = {
    [ST_MODEL_GET] = "SELECT id FROM models WHERE slug = ?1",
    [ST_MODEL_ADD] = "INSERT INTO models(slug, vendor) VALUES (?1, ?2)",
    [ST_OBS_GET] = "SELECT total, prompt, completion, reasoning, cached, requests, import_id"
                   " FROM observations WHERE dataset_id = ?1 AND granularity = ?2"
                   " AND period = ?3 AND model_id = ?4",
    [ST_OBS_ADD] = "INSERT INTO observations(dataset_id, granularity, period, model_id, total,"
                   " prompt, completion, reasoning, cached, requests, import_id)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [ST_OBS_TRY] = "INSERT INTO observations(dataset_id, granularity, period, model_id, total,"
                   " prompt, completion, reasoning, cached, requests, import_id)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING",
    [ST_OBS_SET] = "UPDATE observations SET total = ?5, prompt = ?6, completion = ?7,"
                   " reasoning = ?8, cached = ?9, requests = ?10, import_id = ?11"
                   " WHERE dataset_id = ?1 AND granularity = ?2 AND period = ?3"
                   " AND model_id = ?4",
    [ST_OBS_BATCH] = "INSERT INTO observations(dataset_id, granularity, period, model_id, total,"
                     " prompt, completion, reasoning, cached, requests, import_id)"
                     " VALUES " OBS_ROWS64 " ON CONFLICT DO NOTHING",
    /* The rows of a batch's keys that exist, each with its place (column1)
     * in the batch. */
    [ST_OBS_LOOKUP] = "SELECT k.column1, o.total, o.prompt, o.completion, o.reasoning, o.cached,"
                      " o.requests, o.import_id FROM (VALUES " KEY_ROWS64 ") AS k"
                      " CROSS JOIN observations o ON o.dataset_id = k.column2"
                      " AND o.granularity = k.column3 AND o.period = k.column4"
                      " AND o.model_id = k.column5",
    [ST_SAVEPOINT] = "SAVEPOINT obs_batch",
    [ST_RELEASE] = "RELEASE obs_batch",
    [ST_ROLLBACK_TO] = "ROLLBACK TO obs_batch",
    [ST_SEEN_ADD] = "INSERT INTO temp.seen(k) VALUES (?1)",
    [ST_PRICE_PUT] = "INSERT INTO prices(model, valid_from, source, prompt, completion, import_id)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(model, valid_from, source)"
                     " DO UPDATE SET prompt = excluded.prompt, completion = excluded.completion,"
                     " import_id = excluded.import_id",
    [ST_ALIAS_PUT] = "INSERT INTO model_aliases(alias, model, import_id) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT(alias) DO UPDATE SET model = excluded.model,"
                     " import_id = excluded.import_id",
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT];
    int in_tx;
    int expect_existing;     /* the import's last row was there already: look first */
    struct ts_map model_ids; /* slug -> id, emptied when a transaction rolls back */
};

/* migrations[i] takes the schema from version i to i + 1. A new version
 * appends a migration here and never edits an earlier one. */
static const char *const migrations[] = {
    "CREATE TABLE datasets(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE models(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  slug TEXT NOT NULL UNIQUE,\n"
    "  vendor TEXT NOT NULL);\n"
    "CREATE INDEX models_vendor ON models(vendor);\n"
    "CREATE TABLE imports(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  dataset_id INTEGER NOT NULL REFERENCES datasets(id),\n"
    "  file TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL DEFAULT '',\n"
    "  format TEXT NOT NULL,\n"
    "  rows INTEGER NOT NULL DEFAULT 0,\n"
    "  inserted INTEGER NOT NULL DEFAULT 0,\n"
    "  updated INTEGER NOT NULL DEFAULT 0,\n"
    "  unchanged INTEGER NOT NULL DEFAULT 0,\n"
    "  prices INTEGER NOT NULL DEFAULT 0,\n"
    "  as_of TEXT,\n"
    "  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')));\n"
    "CREATE INDEX imports_sha256 ON imports(sha256);\n"
    "CREATE TABLE observations(\n"
    "  dataset_id INTEGER NOT NULL REFERENCES datasets(id),\n"
    "  granularity INTEGER NOT NULL CHECK (granularity IN (0, 1)),\n"
    "  period INTEGER NOT NULL,\n"
    "  model_id INTEGER NOT NULL REFERENCES models(id),\n"
    "  total INTEGER NOT NULL CHECK (total >= 0),\n"
    "  prompt INTEGER,\n"
    "  completion INTEGER,\n"
    "  reasoning INTEGER,\n"
    "  cached INTEGER,\n"
    "  requests INTEGER,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),\n"
    "  PRIMARY KEY (dataset_id, granularity, period, model_id)) WITHOUT ROWID;\n"
    "CREATE TABLE prices(\n"
    "  model TEXT NOT NULL,\n"
    "  valid_from INTEGER NOT NULL,\n"
    "  source TEXT NOT NULL,\n"
    "  prompt INTEGER,\n"
    "  completion INTEGER,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),\n"
    "  PRIMARY KEY (model, valid_from, source)) WITHOUT ROWID;\n"
    "CREATE TABLE vendors_shipped(\n"
    "  vendor TEXT PRIMARY KEY,\n"
    "  country TEXT NOT NULL,\n"
    "  name TEXT NOT NULL DEFAULT '') WITHOUT ROWID;\n"
    "CREATE TABLE vendors_user(\n"
    "  vendor TEXT PRIMARY KEY,\n"
    "  country TEXT NOT NULL,\n"
    "  set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))) WITHOUT ROWID;\n"
    "CREATE VIEW vendor_country AS\n"
    "  SELECT vendor, country FROM vendors_user\n"
    "  UNION ALL\n"
    "  SELECT vendor, country FROM vendors_shipped\n"
    "   WHERE vendor NOT IN (SELECT vendor FROM vendors_user);\n"
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL) WITHOUT ROWID;\n",

    /* Version 2: the model catalogue's ids (anthropic/claude-opus-4.6) for
     * the models their prices are kept under (anthropic/claude-4.6-opus-
     * 20260205), so that users can name a model either way. */
    "CREATE TABLE model_aliases(\n"
    "  alias TEXT PRIMARY KEY,\n"
    "  model TEXT NOT NULL,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id)) WITHOUT ROWID;\n",

    /* Version 3: weekly roll-ups kept at import time, so that reports read
     * a few rows a week instead of every day of every model. A week comes
     * from its daily rows when it has any, else from its weekly rows;
     * split_tokens are the tokens of the rows that give both prompt and
     * completion tokens, whose sums prompt and completion are. */
    "CREATE TABLE week_model(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  week INTEGER NOT NULL,\n"
    "  model_id INTEGER NOT NULL,\n"
    "  tokens INTEGER NOT NULL,\n"
    "  split_tokens INTEGER NOT NULL,\n"
    "  prompt INTEGER NOT NULL,\n"
    "  completion INTEGER NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, week, model_id)) WITHOUT ROWID;\n"
    "CREATE TABLE week_days(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  week INTEGER NOT NULL,\n"
    "  days INTEGER NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, week)) WITHOUT ROWID;\n"
    "CREATE TABLE week_vendor(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  week INTEGER NOT NULL,\n"
    "  vendor TEXT NOT NULL,\n"
    "  tokens INTEGER NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, week, vendor)) WITHOUT ROWID;\n",
};

/* The first version whose roll-ups an older database must be given. */
#define ROLLUP_VERSION 3

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int db_err(struct store *st, struct ts_err *err, const char *what)
{
    return ts_err_set(err, "database: %s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(struct store *st, const char *sql, struct ts_err *err)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        ts_err_set(err, "database: %s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Switches to WAL. Changing the journal mode needs an exclusive lock and
 * SQLite does not call the busy handler for it, so while another process
 * creates or switches the same new database, wait and try again here. */
static int set_wal(struct store *st, struct ts_err *err)
{
    const struct timespec pause = {0, 5 * 1000 * 1000};
    int waited_ms = 0;

    for (;;) {
        int rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            return ts_err_set(err, "%s", sqlite3_errmsg(st->db));
        if (waited_ms >= BUSY_TIMEOUT_MS)
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

static int schema_version(struct store *st, int *out, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;

    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the schema version");
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return db_err(st, err, "reading the schema version");
    }
    *out = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return 0;
}

static int rollup_all(struct store *st, struct ts_err *err);

/* Takes the schema to NMIGRATIONS; a database from before the roll-ups
 * gets them computed from its observations in the same transaction. */
static int migrate(struct store *st, struct ts_err *err)
{
    int version;

    if (schema_version(st, &version, err) < 0)
        return -1;
    if (version > NMIGRATIONS)
        return ts_err_set(err, "database schema version %d is newer than this tokstat (%d)",
                          version, NMIGRATIONS);
    if (version == NMIGRATIONS)
        return 0;
    if (store_begin(st, err) < 0)
        return -1;
    /* Re-read under the write lock: another process may have migrated. */
    if (schema_version(st, &version, err) < 0)
        goto fail;
    int from = version;
    for (; version < NMIGRATIONS; version++) {
        char pragma[64];
        if (exec(st, migrations[version], err) < 0)
            goto fail;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
        if (exec(st, pragma, err) < 0)
            goto fail;
    }
    if (from > 0 && from < ROLLUP_VERSION && rollup_all(st, err) < 0)
        goto fail;
    return store_commit(st, err);
fail:
    store_rollback(st);
    return -1;
}

static int shipped_row(void *ctx, const struct vendor_row *row, struct ts_err *err)
{
    sqlite3_stmt *s = ctx;

    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, row->vendor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->country, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return ts_err_set(err, "database: storing shipped vendor '%s'", row->vendor);
    return 0;
}

/* Replaces the shipped vendor table when the program's copy differs from
 * the one the database last saw (by hash). User overrides are untouched. */
static int refresh_shipped_vendors(struct store *st, struct ts_err *err)
{
    struct sha256 h;
    char hex[65];
    sqlite3_stmt *s = NULL;
    struct vendors_parse_result res = VENDORS_PARSE_RESULT_INIT;
    int current = 0;

    sha256_init(&h);
    sha256_update(&h, vendors_shipped_csv, vendors_shipped_csv_len);
    sha256_final_hex(&h, hex);

    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM meta WHERE key = 'vendors_sha256' AND value = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the vendor table version");
    sqlite3_bind_text(s, 1, hex, -1, SQLITE_STATIC);
    current = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    s = NULL;
    if (current)
        return 0;

    if (store_begin(st, err) < 0)
        return -1;
    if (exec(st, "DELETE FROM vendors_shipped", err) < 0)
        goto fail;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO vendors_shipped(vendor, country, name)"
                           " VALUES (?1, ?2, ?3)",
                           -1, &s, NULL) != SQLITE_OK) {
        db_err(st, err, "storing the shipped vendors");
        goto fail;
    }
    if (vendors_parse((const char *)vendors_shipped_csv, vendors_shipped_csv_len, shipped_row, s,
                      &res, err) < 0) {
        char where[64];
        snprintf(where, sizeof(where), "shipped vendors.csv:%ld: ", err->line);
        ts_err_prefix(err, where);
        goto fail;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO meta(key, value) VALUES ('vendors_sha256', ?1)",
                           -1, &s, NULL) != SQLITE_OK) {
        db_err(st, err, "storing the vendor table version");
        goto fail;
    }
    sqlite3_bind_text(s, 1, hex, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        db_err(st, err, "storing the vendor table version");
        goto fail;
    }
    sqlite3_finalize(s);
    vendors_parse_result_release(&res);
    return store_commit(st, err);
fail:
    sqlite3_finalize(s);
    vendors_parse_result_release(&res);
    store_rollback(st);
    return -1;
}

int store_open(const char *path, struct store **out, struct ts_err *err)
{
    struct store *st = xcalloc(1, sizeof(*st));
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
    if (exec(st, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF", err) < 0)
        goto fail;
    if (migrate(st, err) < 0 || refresh_shipped_vendors(st, err) < 0)
        goto fail;
    if (exec(st, "CREATE TEMP TABLE seen(k INTEGER PRIMARY KEY)", err) < 0)
        goto fail;
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[i],
                               NULL) != SQLITE_OK) {
            db_err(st, err, "preparing statements");
            goto fail;
        }
    }
    *out = st;
    return 0;
fail:
    store_close(st);
    return -1;
}

struct sqlite3 *store_db(struct store *st)
{
    return st->db;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    if (st->in_tx)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(st->db);
    ts_map_release(&st->model_ids);
    free(st);
}

int store_begin(struct store *st, struct ts_err *err)
{
    if (exec(st, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    st->in_tx = 1;
    return 0;
}

int store_begin_read(struct store *st, struct ts_err *err)
{
    /* BEGIN is deferred: the first read takes the snapshot. */
    if (exec(st, "BEGIN", err) < 0)
        return -1;
    st->in_tx = 1;
    return 0;
}

int store_commit(struct store *st, struct ts_err *err)
{
    if (exec(st, "COMMIT", err) < 0) {
        store_rollback(st);
        return -1;
    }
    st->in_tx = 0;
    return 0;
}

void store_rollback(struct store *st)
{
    if (st->in_tx || !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
    ts_map_clear(&st->model_ids); /* models added in the transaction are gone */
}

/* Runs the statements of sql in turn, each with ?1 = a, ?2 = b, ?3 = c. */
static int exec_bound(struct store *st, const char *sql, int64_t a, int64_t b, int64_t c,
                      struct ts_err *err)
{
    const char *tail = sql;

    while (tail && *tail) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, tail, -1, &s, &tail) != SQLITE_OK)
            return db_err(st, err, "updating the weekly roll-ups");
        if (!s)
            break;
        sqlite3_bind_int64(s, 1, a);
        sqlite3_bind_int64(s, 2, b);
        sqlite3_bind_int64(s, 3, c);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_err(st, err, "updating the weekly roll-ups");
    }
    return 0;
}

/* Runs a prepared statement expected to finish without rows. */
static int step_done(struct store *st, sqlite3_stmt *s, struct ts_err *err, const char *what)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, what);
    return 0;
}

int store_dataset(struct store *st, const char *name, int create, int64_t *out, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc, found = 0;

    if (sqlite3_prepare_v2(st->db, "SELECT id FROM datasets WHERE name = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return db_err(st, err, "looking up the dataset");
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        sqlite3_finalize(s);
        return db_err(st, err, "looking up the dataset");
    }
    sqlite3_finalize(s);
    if (found || !create)
        return found;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO datasets(name) VALUES (?1)", -1, &s, NULL) !=
        SQLITE_OK)
        return db_err(st, err, "creating the dataset");
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "creating the dataset");
    *out = sqlite3_last_insert_rowid(st->db);
    return 1;
}

int store_import_start(struct store *st, struct store_import *imp, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    /* Duplicates are looked for within one file only. */
    if (exec(st, "DELETE FROM temp.seen", err) < 0)
        return -1;
    st->expect_existing = 0;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO imports(dataset_id, file, format) VALUES (?1, ?2, ?3)", -1,
                           &s, NULL) != SQLITE_OK)
        return db_err(st, err, "recording the import");
    sqlite3_bind_int64(s, 1, imp->dataset);
    sqlite3_bind_text(s, 2, imp->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, imp->format, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "recording the import");
    imp->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int store_import_finish(struct store *st, const struct store_import *imp, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "UPDATE imports SET sha256 = ?2, format = ?3, rows = ?4, inserted = ?5,"
                           " updated = ?6, unchanged = ?7, as_of = ?8, prices = ?9 WHERE id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "recording the import");
    sqlite3_bind_int64(s, 1, imp->id);
    sqlite3_bind_text(s, 2, imp->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, imp->format, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, imp->rows);
    sqlite3_bind_int64(s, 5, imp->inserted);
    sqlite3_bind_int64(s, 6, imp->updated);
    sqlite3_bind_int64(s, 7, imp->unchanged);
    if (imp->as_of)
        sqlite3_bind_text(s, 8, imp->as_of, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, imp->prices);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "recording the import");
    return 0;
}

int store_import_seen(struct store *st, const char *sha256, int64_t except_id, char when[32],
                      struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc, found = 0;

    if (sqlite3_prepare_v2(st->db,
                           "SELECT imported_at FROM imports WHERE sha256 = ?1 AND id <> ?2"
                           " AND dataset_id = (SELECT dataset_id FROM imports WHERE id = ?2)"
                           " ORDER BY id LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "looking up earlier imports");
    sqlite3_bind_text(s, 1, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, except_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snprintf(when, 32, "%s", (const char *)sqlite3_column_text(s, 0));
        found = 1;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(st, err, "looking up earlier imports");
    return found;
}

int store_model(struct store *st, const char *slug, const char *vendor, int64_t *out,
                struct ts_err *err)
{
    sqlite3_stmt *s = st->stmt[ST_MODEL_GET];
    int rc;

    if (ts_map_get(&st->model_ids, slug, out))
        return 0;
    sqlite3_bind_text(s, 1, slug, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        ts_map_put(&st->model_ids, slug, *out);
        return 0;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "looking up a model");
    s = st->stmt[ST_MODEL_ADD];
    sqlite3_bind_text(s, 1, slug, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, vendor, -1, SQLITE_STATIC);
    if (step_done(st, s, err, "adding a model") < 0)
        return -1;
    *out = sqlite3_last_insert_rowid(st->db);
    ts_map_put(&st->model_ids, slug, *out);
    return 0;
}

static void bind_opt(sqlite3_stmt *s, int i, int64_t v)
{
    if (v == TS_ABSENT)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int64(s, i, v);
}

/* Binds o to the parameters first..first + 10 of s (the first four only
 * with key_only). */
static void bind_obs_at(sqlite3_stmt *s, int first, const struct store_obs *o, int key_only)
{
    sqlite3_bind_int64(s, first, o->dataset);
    sqlite3_bind_int(s, first + 1, (int)o->granularity);
    sqlite3_bind_int(s, first + 2, o->period);
    sqlite3_bind_int64(s, first + 3, o->model);
    if (key_only)
        return;
    sqlite3_bind_int64(s, first + 4, o->total);
    bind_opt(s, first + 5, o->prompt);
    bind_opt(s, first + 6, o->completion);
    bind_opt(s, first + 7, o->reasoning);
    bind_opt(s, first + 8, o->cached);
    bind_opt(s, first + 9, o->requests);
    sqlite3_bind_int64(s, first + 10, o->import_id);
}

static void bind_obs(sqlite3_stmt *s, const struct store_obs *o, int key_only)
{
    bind_obs_at(s, 1, o, key_only);
}

static int64_t column_opt(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? TS_ABSENT : sqlite3_column_int64(s, i);
}

/* The key of an observation within a dataset and an import, packed into
 * one integer for the seen table: period (days of years 1000-9999 fit in 23
 * bits once offset), model, granularity. The period leads, so that a file
 * sorted by date appends to the table instead of inserting all over it. */
static int64_t seen_key(const struct store_obs *o)
{
    return ((int64_t)(o->period + (1 << 22)) << 32) | ((int64_t)o->model << 1) |
           (int64_t)o->granularity;
}

/* What an existing row holds. */
struct obs_now {
    int64_t total, prompt, completion, reasoning, cached, requests, import_id;
};

static void read_now(sqlite3_stmt *s, int first, struct obs_now *n)
{
    n->total = sqlite3_column_int64(s, first);
    n->prompt = column_opt(s, first + 1);
    n->completion = column_opt(s, first + 2);
    n->reasoning = column_opt(s, first + 3);
    n->cached = column_opt(s, first + 4);
    n->requests = column_opt(s, first + 5);
    n->import_id = sqlite3_column_int64(s, first + 6);
}

/* Settles o against its row as it is now (now NULL: there is none). Rows
 * this import inserted or changed carry its id, which is how a second copy
 * of them in the file is caught; rows it found unchanged are not written,
 * so their keys go into the seen table instead. */
static int settle(struct store *st, const struct store_obs *o, const struct obs_now *now,
                  enum store_change *out, struct ts_err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (!now) {
        s = st->stmt[ST_OBS_ADD];
        bind_obs(s, o, 0);
        *out = STORE_INSERTED;
        return step_done(st, s, err, "inserting an observation");
    }
    if (now->import_id == o->import_id) {
        *out = STORE_DUPLICATE;
        return 0;
    }
    s = st->stmt[ST_SEEN_ADD];
    sqlite3_bind_int64(s, 1, seen_key(o));
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        *out = STORE_DUPLICATE;
        return 0;
    }
    if (rc != SQLITE_DONE)
        return db_err(st, err, "checking for duplicates");
    if (now->total == o->total && now->prompt == o->prompt && now->completion == o->completion &&
        now->reasoning == o->reasoning && now->cached == o->cached &&
        now->requests == o->requests) {
        *out = STORE_UNCHANGED;
        return 0;
    }
    *out = STORE_UPDATED;
    s = st->stmt[ST_OBS_SET];
    bind_obs(s, o, 0);
    return step_done(st, s, err, "updating an observation");
}

static int model_id_ok(const struct store_obs *o, struct ts_err *err)
{
    if (o->model >= ((int64_t)1 << 31))
        return ts_err_set(err, "database: too many models (more than 2^31)");
    return 0;
}

/* A new key costs one statement: an insert that does nothing on a
 * conflict. An existing row is read and settled. After a conflict the next
 * row is looked up first, since a file that revises data usually revises
 * much of it. */
int store_upsert_obs(struct store *st, const struct store_obs *o, enum store_change *out,
                     struct ts_err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (model_id_ok(o, err) < 0)
        return -1;
    if (!st->expect_existing) {
        s = st->stmt[ST_OBS_TRY];
        bind_obs(s, o, 0);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return db_err(st, err, "inserting an observation");
        if (sqlite3_changes(st->db) == 1) {
            *out = STORE_INSERTED;
            return 0;
        }
        st->expect_existing = 1;
    }

    s = st->stmt[ST_OBS_GET];
    bind_obs(s, o, 1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        st->expect_existing = 0;
        return settle(st, o, NULL, out, err);
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_err(st, err, "reading an observation");
    }
    struct obs_now now;
    read_now(s, 0, &now);
    sqlite3_reset(s);
    return settle(st, o, &now, out, err);
}

/* Runs one of the savepoint statements; returns 0 or -1 (err filled). */
static int savepoint_step(struct store *st, enum stmt_id id, struct ts_err *err)
{
    return step_done(st, st->stmt[id], err, "inserting observations");
}

/* Inserts a whole batch of new keys in one statement, inside a savepoint:
 * returns 1 when every row was new, 0 when some key was there already
 * (the savepoint is rolled back: nothing of the batch stays), -1 on error. */
static int try_batch(struct store *st, const struct store_obs *o, struct ts_err *err)
{
    sqlite3_stmt *s = st->stmt[ST_OBS_BATCH];
    int rc;

    if (savepoint_step(st, ST_SAVEPOINT, err) < 0)
        return -1;
    for (int i = 0; i < STORE_OBS_BATCH; i++)
        bind_obs_at(s, 1 + 11 * i, &o[i], 0);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        db_err(st, err, "inserting observations");
        sqlite3_step(st->stmt[ST_ROLLBACK_TO]);
        sqlite3_reset(st->stmt[ST_ROLLBACK_TO]);
        sqlite3_step(st->stmt[ST_RELEASE]);
        sqlite3_reset(st->stmt[ST_RELEASE]);
        return -1;
    }
    if (sqlite3_changes(st->db) == STORE_OBS_BATCH)
        return savepoint_step(st, ST_RELEASE, err) < 0 ? -1 : 1;
    if (savepoint_step(st, ST_ROLLBACK_TO, err) < 0 || savepoint_step(st, ST_RELEASE, err) < 0)
        return -1;
    return 0;
}

/* Whether o[i]'s key came earlier in the batch, using an open-addressing
 * set of the batch's places (2 * STORE_OBS_BATCH slots, -1 empty). */
static int seen_in_batch(int64_t *slots, const struct store_obs *o, size_t i)
{
    uint64_t k = (uint64_t)seen_key(&o[i]) ^ (uint64_t)o[i].dataset << 56;
    size_t h = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 57); /* 7 bits */

    for (;; h = (h + 1) & (2 * STORE_OBS_BATCH - 1)) {
        if (slots[h] < 0) {
            slots[h] = (int64_t)i;
            return 0;
        }
        const struct store_obs *p = &o[slots[h]];
        if (p->dataset == o[i].dataset && p->granularity == o[i].granularity &&
            p->period == o[i].period && p->model == o[i].model)
            return 1;
    }
}

/* A batch whose keys may exist (a re-import, a revised dump): one
 * statement finds the rows of all its keys, then each row is settled as
 * store_upsert_obs would; a key that comes twice in the batch goes through
 * store_upsert_obs, which sees the first copy written. */
static int settle_batch(struct store *st, const struct store_obs *o, enum store_change *out,
                        size_t *done, struct ts_err *err)
{
    sqlite3_stmt *s = st->stmt[ST_OBS_LOOKUP];
    struct obs_now now[STORE_OBS_BATCH];
    unsigned char found[STORE_OBS_BATCH] = {0};
    int64_t slots[2 * STORE_OBS_BATCH];
    int rc, any = 0;

    for (int i = 0; i < STORE_OBS_BATCH; i++) {
        if (model_id_ok(&o[i], err) < 0)
            return -1;
        sqlite3_bind_int(s, 1 + 5 * i, i);
        bind_obs_at(s, 2 + 5 * i, &o[i], 1);
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int i = sqlite3_column_int(s, 0);
        if (i >= 0 && i < STORE_OBS_BATCH) {
            read_now(s, 1, &now[i]);
            found[i] = 1;
            any = 1;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "reading observations");
    /* After a batch of new keys the next one is tried as one insert again. */
    st->expect_existing = any;

    memset(slots, 0xff, sizeof(slots));
    for (size_t i = 0; i < STORE_OBS_BATCH; i++) {
        int r = seen_in_batch(slots, o, i)
                    ? store_upsert_obs(st, &o[i], &out[i], err)
                    : settle(st, &o[i], found[i] ? &now[i] : NULL, &out[i], err);
        if (r < 0)
            return -1;
        *done = i + 1;
        if (out[i] == STORE_DUPLICATE)
            break;
    }
    return 0;
}

/* A first import, or new days appended, is all new keys: a full batch is
 * tried as one multi-row insert, which costs a third of as many single
 * ones. If any key was there already the batch is undone and its rows go
 * one by one through store_upsert_obs, which tells every case apart. */
int store_upsert_obs_batch(struct store *st, const struct store_obs *o, size_t n,
                           enum store_change *out, size_t *done, struct ts_err *err)
{
    *done = 0;
    if (n == STORE_OBS_BATCH && !st->expect_existing) {
        int all_new = 1;
        for (size_t i = 0; i < n; i++)
            all_new &= o[i].model < ((int64_t)1 << 31);
        int r = all_new ? try_batch(st, o, err) : 0;
        if (r < 0)
            return -1;
        if (r == 1) {
            for (size_t i = 0; i < n; i++)
                out[i] = STORE_INSERTED;
            *done = n;
            return 0;
        }
        st->expect_existing = 1;
    }
    if (n == STORE_OBS_BATCH)
        return settle_batch(st, o, out, done, err);
    for (size_t i = 0; i < n; i++) {
        if (store_upsert_obs(st, &o[i], &out[i], err) < 0)
            return -1;
        *done = i + 1;
        if (out[i] == STORE_DUPLICATE)
            break;
    }
    return 0;
}

int store_put_price(struct store *st, const char *model, int32_t valid_from, const char *source,
                    int64_t prompt, int64_t completion, int64_t import_id, struct ts_err *err)
{
    sqlite3_stmt *s = st->stmt[ST_PRICE_PUT];

    sqlite3_bind_text(s, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, valid_from);
    sqlite3_bind_text(s, 3, source, -1, SQLITE_STATIC);
    bind_opt(s, 4, prompt);
    bind_opt(s, 5, completion);
    sqlite3_bind_int64(s, 6, import_id);
    return step_done(st, s, err, "storing a price");
}

#define HAS_SPLIT "o.prompt IS NOT NULL AND o.completion IS NOT NULL"

/* Sums of one model in the week being rolled up. */
struct roll {
    int64_t model;
    int64_t tokens, split_tokens, prompt, completion; /* see week_model */
    int64_t rows;
};

/* The slot of model in an open-addressing table of cap (a power of two). */
static size_t roll_slot(const struct roll *t, size_t cap, int64_t model)
{
    size_t i = (size_t)((uint64_t)model * 0x9E3779B97F4A7C15ULL >> 32) & (cap - 1);

    while (t[i].rows && t[i].model != model)
        i = (i + 1) & (cap - 1);
    return i;
}

/* Writes the roll-up of one week of daily rows: one row per model, and the
 * number of days. Leaves the table empty. */
static int roll_flush(struct store *st, sqlite3_stmt *ins, sqlite3_stmt *days, int64_t dataset,
                      int32_t week, int ndays, struct roll *t, size_t cap, struct ts_err *err)
{
    for (size_t i = 0; i < cap; i++) {
        if (!t[i].rows)
            continue;
        sqlite3_bind_int64(ins, 1, dataset);
        sqlite3_bind_int(ins, 2, week);
        sqlite3_bind_int64(ins, 3, t[i].model);
        sqlite3_bind_int64(ins, 4, t[i].tokens);
        sqlite3_bind_int64(ins, 5, t[i].split_tokens);
        sqlite3_bind_int64(ins, 6, t[i].prompt);
        sqlite3_bind_int64(ins, 7, t[i].completion);
        if (step_done(st, ins, err, "updating the weekly roll-ups") < 0)
            return -1;
        memset(&t[i], 0, sizeof(t[i]));
    }
    sqlite3_bind_int64(days, 1, dataset);
    sqlite3_bind_int(days, 2, week);
    sqlite3_bind_int(days, 3, ndays);
    return step_done(st, days, err, "updating the weekly roll-ups");
}

int store_rollup(struct store *st, int64_t dataset, int32_t from, int32_t to, struct ts_err *err)
{
    /* The daily rows are read in key order, so each week's days come
     * together and one week at a time is summed in memory: no sort, and
     * memory bounded by the models of one week. */
    static const char clear_sql[] =
        "DELETE FROM week_model WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;"
        "DELETE FROM week_days WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;";
    static const char daily_sql[] =
        "SELECT period, model_id, total, prompt, completion FROM observations"
        " WHERE dataset_id = ?1 AND granularity = 0 AND period BETWEEN ?2 AND ?3 + 6"
        " ORDER BY dataset_id, granularity, period, model_id";
    static const char weekly_sql[] =
        "INSERT INTO week_model(dataset_id, week, model_id, tokens, split_tokens, prompt,"
        " completion)"
        " SELECT o.dataset_id, o.period, o.model_id, o.total, IIF(" HAS_SPLIT ", o.total, 0),"
        "  IIF(" HAS_SPLIT ", o.prompt, 0), IIF(" HAS_SPLIT ", o.completion, 0)"
        " FROM observations o"
        " WHERE o.dataset_id = ?1 AND o.granularity = 1 AND o.period BETWEEN ?2 AND ?3"
        "  AND NOT EXISTS (SELECT 1 FROM week_days d WHERE d.dataset_id = o.dataset_id"
        "   AND d.week = o.period);"
        "INSERT INTO week_days(dataset_id, week, days)"
        " SELECT DISTINCT o.dataset_id, o.period, 7 FROM observations o"
        " WHERE o.dataset_id = ?1 AND o.granularity = 1 AND o.period BETWEEN ?2 AND ?3"
        "  AND NOT EXISTS (SELECT 1 FROM week_days d WHERE d.dataset_id = o.dataset_id"
        "   AND d.week = o.period);";
    /* Per vendor too: reports by country and vendor read tens of rows a
     * week instead of one per model. */
    static const char vendor_sql[] =
        "DELETE FROM week_vendor WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;"
        "INSERT INTO week_vendor(dataset_id, week, vendor, tokens)"
        " SELECT u.dataset_id, u.week, m.vendor, SUM(u.tokens)"
        " FROM week_model u CROSS JOIN models m ON m.id = u.model_id"
        " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3 GROUP BY u.week, m.vendor;";
    int32_t wfrom = week_start(from), wto = week_start(to);
    sqlite3_stmt *rd = NULL, *ins = NULL, *days = NULL;
    size_t cap = 1024, used = 0;
    struct roll *t = xcalloc(cap, sizeof(*t));
    int32_t week = 0, last_day = 0;
    int ndays = 0, rc = -1, have = 0;

    if (exec_bound(st, clear_sql, dataset, wfrom, wto, err) < 0)
        goto done;
    if (sqlite3_prepare_v2(st->db, daily_sql, -1, &rd, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO week_model(dataset_id, week, model_id, tokens,"
                           " split_tokens, prompt, completion) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO week_days(dataset_id, week, days) VALUES (?1, ?2, ?3)", -1,
                           &days, NULL) != SQLITE_OK) {
        db_err(st, err, "updating the weekly roll-ups");
        goto done;
    }
    sqlite3_bind_int64(rd, 1, dataset);
    sqlite3_bind_int(rd, 2, wfrom);
    sqlite3_bind_int(rd, 3, wto);
    int step;
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        int32_t day = (int32_t)sqlite3_column_int64(rd, 0);
        int32_t w = week_start(day);
        if (have && w != week) {
            if (roll_flush(st, ins, days, dataset, week, ndays, t, cap, err) < 0)
                goto done;
            used = 0;
            ndays = 0;
        }
        if (!have || w != week || day != last_day)
            ndays++;
        have = 1;
        week = w;
        last_day = day;
        if ((used + 1) * 2 > cap) { /* grow, keeping it at most half full */
            size_t ncap = cap * 2;
            struct roll *n = xcalloc(ncap, sizeof(*n));
            for (size_t i = 0; i < cap; i++) {
                if (t[i].rows)
                    n[roll_slot(n, ncap, t[i].model)] = t[i];
            }
            free(t);
            t = n;
            cap = ncap;
        }
        int64_t model = sqlite3_column_int64(rd, 1);
        struct roll *r = &t[roll_slot(t, cap, model)];
        if (!r->rows) {
            r->model = model;
            used++;
        }
        r->rows++;
        int64_t total = sqlite3_column_int64(rd, 2);
        int split =
            sqlite3_column_type(rd, 3) != SQLITE_NULL && sqlite3_column_type(rd, 4) != SQLITE_NULL;
        if (metrics_add(&r->tokens, total) < 0 ||
            (split && (metrics_add(&r->split_tokens, total) < 0 ||
                       metrics_add(&r->prompt, sqlite3_column_int64(rd, 3)) < 0 ||
                       metrics_add(&r->completion, sqlite3_column_int64(rd, 4)) < 0))) {
            ts_err_set(err, "the tokens of a model in a week reach 2^63");
            goto done;
        }
    }
    if (step != SQLITE_DONE) {
        db_err(st, err, "updating the weekly roll-ups");
        goto done;
    }
    if (have && roll_flush(st, ins, days, dataset, week, ndays, t, cap, err) < 0)
        goto done;
    if (exec_bound(st, weekly_sql, dataset, wfrom, wto, err) < 0 ||
        exec_bound(st, vendor_sql, dataset, wfrom, wto, err) < 0)
        goto done;
    rc = 0;
done:
    sqlite3_finalize(rd);
    sqlite3_finalize(ins);
    sqlite3_finalize(days);
    free(t);
    return rc;
}

/* The roll-ups of every dataset over all its days. */
static int rollup_all(struct store *st, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "SELECT dataset_id, MIN(period), MAX(period) FROM observations"
                           " GROUP BY dataset_id",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "computing the weekly roll-ups");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (store_rollup(st, sqlite3_column_int64(s, 0), (int32_t)sqlite3_column_int64(s, 1),
                         (int32_t)sqlite3_column_int64(s, 2), err) < 0) {
            sqlite3_finalize(s);
            return -1;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "computing the weekly roll-ups");
    return 0;
}

int store_put_alias(struct store *st, const char *alias, const char *model, int64_t import_id,
                    struct ts_err *err)
{
    sqlite3_stmt *s = st->stmt[ST_ALIAS_PUT];

    sqlite3_bind_text(s, 1, alias, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, model, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, import_id);
    return step_done(st, s, err, "storing a model alias");
}

int store_vendor_set(struct store *st, const char *vendor, const char *country, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO vendors_user(vendor, country) VALUES (?1, ?2)"
                           " ON CONFLICT(vendor) DO UPDATE SET country = excluded.country,"
                           " set_at = excluded.set_at",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "setting a vendor");
    sqlite3_bind_text(s, 1, vendor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, country, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "setting a vendor");
    return 0;
}

int store_vendor_unset(struct store *st, const char *vendor, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, "DELETE FROM vendors_user WHERE vendor = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return db_err(st, err, "removing a vendor override");
    sqlite3_bind_text(s, 1, vendor, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "removing a vendor override");
    return sqlite3_changes(st->db) > 0;
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : NULL;
}

int store_vendor_each(struct store *st, int (*fn)(void *ctx, const struct store_vendor *v),
                      void *ctx, struct ts_err *err)
{
    static const char sql[] =
        "SELECT v.vendor, COALESCE(u.country, s.country), COALESCE(s.name, ''),"
        "  CASE WHEN u.vendor IS NULL THEN 'shipped' ELSE 'user' END,"
        "  CASE WHEN u.vendor IS NULL THEN NULL ELSE s.country END"
        " FROM (SELECT vendor FROM vendors_shipped UNION SELECT vendor FROM vendors_user) v"
        " LEFT JOIN vendors_shipped s ON s.vendor = v.vendor"
        " LEFT JOIN vendors_user u ON u.vendor = v.vendor"
        " ORDER BY v.vendor";
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "listing vendors");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_vendor v = {col_text(s, 0), col_text(s, 1), col_text(s, 2), col_text(s, 3),
                                 col_text(s, 4)};
        if (fn(ctx, &v) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "listing vendors");
    return 0;
}

static char *dup_col(sqlite3_stmt *s, int i)
{
    const char *t = col_text(s, i);
    return t ? xstrdup(t) : NULL;
}

static int status_dataset(struct store *st, int64_t id, struct store_dataset_status *d,
                          struct ts_err *err)
{
    /* Each figure from the primary key or the roll-ups, never a scan
     * that joins every observation (seconds at millions of rows). The
     * models in use are those of the weekly roll-ups (every daily row is
     * in them) and of the weekly rows (which a week with daily rows leaves
     * out of them). */
#define USED_MODELS                                                                                \
    "WITH used(model_id) AS (SELECT model_id FROM week_model WHERE dataset_id = ?1"                \
    " UNION SELECT model_id FROM observations WHERE dataset_id = ?1 AND granularity = 1) "
    static const char counts_sql[] =
        "SELECT (SELECT COUNT(*) FROM observations WHERE dataset_id = ?1 AND granularity = 0),"
        " (SELECT COUNT(*) FROM observations WHERE dataset_id = ?1 AND granularity = 1),"
        " (SELECT MIN(period) FROM observations WHERE dataset_id = ?1 AND granularity = 0),"
        " (SELECT MAX(period) FROM observations WHERE dataset_id = ?1 AND granularity = 0),"
        " (" USED_MODELS "SELECT COUNT(*) FROM used u JOIN models m ON m.id = u.model_id"
        "   WHERE m.vendor <> 'other'),"
        " (" USED_MODELS "SELECT COUNT(DISTINCT m.vendor) FROM used u"
        "   JOIN models m ON m.id = u.model_id WHERE m.vendor <> 'other')";
    /* A week is built from its daily rows when it has any, else from its
     * weekly rows; days counts the distinct days of daily data. */
    static const char weeks_sql[] =
        "SELECT week, days FROM week_days WHERE dataset_id = ?1 ORDER BY week";
    static const char unmapped_sql[] = USED_MODELS
        "SELECT DISTINCT m.vendor FROM used u JOIN models m ON m.id = u.model_id"
        " WHERE m.vendor <> 'other' AND m.vendor NOT IN (SELECT vendor FROM vendor_country)"
        " ORDER BY m.vendor";
#undef USED_MODELS
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc;

    if (sqlite3_prepare_v2(st->db, counts_sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the status");
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        d->daily_rows = sqlite3_column_int64(s, 0);
        d->weekly_rows = sqlite3_column_int64(s, 1);
        d->observations = d->daily_rows + d->weekly_rows;
        d->first_day = (int32_t)sqlite3_column_int64(s, 2);
        d->last_day = (int32_t)sqlite3_column_int64(s, 3);
        d->models = sqlite3_column_int64(s, 4);
        d->vendors = sqlite3_column_int64(s, 5);
    }
    sqlite3_finalize(s);

    if (sqlite3_prepare_v2(st->db, weeks_sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the status");
    sqlite3_bind_int64(s, 1, id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (d->nweeks == cap) {
            cap = cap ? cap * 2 : 16;
            d->weeks = xrealloc(d->weeks, cap * sizeof(*d->weeks));
        }
        d->weeks[d->nweeks].week = (int32_t)sqlite3_column_int64(s, 0);
        d->weeks[d->nweeks].days = sqlite3_column_int(s, 1);
        d->nweeks++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "reading the status");

    cap = 0;
    if (sqlite3_prepare_v2(st->db, unmapped_sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the status");
    sqlite3_bind_int64(s, 1, id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (d->nunmapped == cap) {
            cap = cap ? cap * 2 : 8;
            d->unmapped = xrealloc(d->unmapped, cap * sizeof(*d->unmapped));
        }
        d->unmapped[d->nunmapped++] = dup_col(s, 0);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "reading the status");
    return 0;
}

int store_status(struct store *st, size_t max_imports, struct store_status *out, struct ts_err *err)
{
    static const char imports_sql[] =
        "SELECT i.file, i.sha256, i.format, d.name, i.as_of, i.imported_at, i.rows, i.inserted,"
        "  i.updated, i.unchanged, i.prices FROM imports i JOIN datasets d ON d.id = i.dataset_id"
        " ORDER BY i.id DESC LIMIT ?1";
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if (schema_version(st, &out->schema_version, err) < 0)
        return -1;
    if (sqlite3_prepare_v2(st->db, "SELECT id, name FROM datasets ORDER BY name", -1, &s, NULL) !=
        SQLITE_OK)
        return db_err(st, err, "reading the status");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->ndatasets == cap) {
            cap = cap ? cap * 2 : 4;
            out->datasets = xrealloc(out->datasets, cap * sizeof(*out->datasets));
        }
        struct store_dataset_status *d = &out->datasets[out->ndatasets++];
        memset(d, 0, sizeof(*d));
        d->name = dup_col(s, 1);
        if (status_dataset(st, sqlite3_column_int64(s, 0), d, err) < 0) {
            sqlite3_finalize(s);
            return -1;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "reading the status");

    if (sqlite3_prepare_v2(st->db,
                           "SELECT (SELECT COUNT(*) FROM imports),"
                           " (SELECT COUNT(*) FROM prices WHERE source = 'catalogue')",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the status");
    if (sqlite3_step(s) == SQLITE_ROW) {
        out->total_imports = sqlite3_column_int64(s, 0);
        out->catalogue_prices = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);

    if (sqlite3_prepare_v2(st->db, imports_sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the status");
    sqlite3_bind_int64(s, 1, max_imports > INT64_MAX ? INT64_MAX : (int64_t)max_imports);
    cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->nimports == cap) {
            cap = cap ? cap * 2 : 8;
            out->imports = xrealloc(out->imports, cap * sizeof(*out->imports));
        }
        struct store_import_row *r = &out->imports[out->nimports++];
        r->file = dup_col(s, 0);
        r->sha256 = dup_col(s, 1);
        r->format = dup_col(s, 2);
        r->dataset = dup_col(s, 3);
        r->as_of = dup_col(s, 4);
        r->when = dup_col(s, 5);
        r->rows = sqlite3_column_int64(s, 6);
        r->inserted = sqlite3_column_int64(s, 7);
        r->updated = sqlite3_column_int64(s, 8);
        r->unchanged = sqlite3_column_int64(s, 9);
        r->prices = sqlite3_column_int64(s, 10);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "reading the status");
    return 0;
}

void store_status_release(struct store_status *s)
{
    for (size_t i = 0; i < s->ndatasets; i++) {
        struct store_dataset_status *d = &s->datasets[i];
        free(d->name);
        free(d->weeks);
        for (size_t j = 0; j < d->nunmapped; j++)
            free(d->unmapped[j]);
        free(d->unmapped);
    }
    free(s->datasets);
    for (size_t i = 0; i < s->nimports; i++) {
        struct store_import_row *r = &s->imports[i];
        free(r->file);
        free(r->sha256);
        free(r->format);
        free(r->dataset);
        free(r->as_of);
        free(r->when);
    }
    free(s->imports);
    memset(s, 0, sizeof(*s));
}
