/* db.c - the SQLite database.
 *
 * Observations are keyed by (dataset, granularity, period, model) so that
 * re-imports are upserts; each remembers the import that last changed it.
 * A duplicate key within one file is caught without holding the file's
 * keys in memory and without touching rows that did not change: see
 * db_obs_upsert. */
#include "db/db.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db/cell.h"
#include "core/metrics.h"
#include "core/sha256.h"
#include "core/util.h"
#include "core/vendors.h"
#include "core/week.h"

#define BUSY_TIMEOUT_MS 60000

enum stmt_id {
    ST_MODEL_GET,
    ST_MODEL_ADD,
    ST_CELL_GET,
    ST_CELL_PUT,
    ST_CELL_PUT_MANY,
    ST_CELL_RANGE,
    ST_SEEN_GET,
    ST_SEEN_PUT,
    ST_PRICE_PUT,
    ST_ALIAS_PUT,
    ST_COUNT
};

/* CELL_PUT_MANY cells in one statement. */
#define CELL_PUT_MANY 64
#define CELL_ROW      "(?,?,?,?,?,?)"
#define CELL_ROWS2    CELL_ROW "," CELL_ROW
#define CELL_ROWS4    CELL_ROWS2 "," CELL_ROWS2
#define CELL_ROWS8    CELL_ROWS4 "," CELL_ROWS4
#define CELL_ROWS16   CELL_ROWS8 "," CELL_ROWS8
#define CELL_ROWS32   CELL_ROWS16 "," CELL_ROWS16
#define CELL_ROWS64   CELL_ROWS32 "," CELL_ROWS32
#define CELL_UPSERT   "INSERT INTO obs_week(dataset_id, granularity, week, model_id, n, days) VALUES "
#define CELL_ON_CONFLICT                                                                           \
    " ON CONFLICT(dataset_id, granularity, week, model_id) DO UPDATE SET n = excluded.n,"          \
    " days = excluded.days"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_MODEL_GET] = "SELECT id FROM models WHERE slug = ?1",
    [ST_MODEL_ADD] = "INSERT INTO models(slug, vendor) VALUES (?1, ?2)",
    [ST_CELL_GET] = "SELECT days FROM obs_week WHERE dataset_id = ?1 AND granularity = ?2"
                    " AND week = ?3 AND model_id = ?4",
    [ST_CELL_PUT] = CELL_UPSERT CELL_ROW CELL_ON_CONFLICT,
    [ST_CELL_PUT_MANY] = CELL_UPSERT CELL_ROWS64 CELL_ON_CONFLICT,
    [ST_CELL_RANGE] = "SELECT (SELECT MIN(week) FROM obs_week WHERE dataset_id = ?1"
                      " AND granularity = ?2), (SELECT MAX(week) FROM obs_week"
                      " WHERE dataset_id = ?1 AND granularity = ?2)",
    [ST_SEEN_GET] = "SELECT mask FROM temp.seen WHERE k = ?1",
    [ST_SEEN_PUT] = "INSERT INTO temp.seen(k, mask) VALUES (?1, ?2)"
                    " ON CONFLICT(k) DO UPDATE SET mask = mask | excluded.mask",
    [ST_PRICE_PUT] = "INSERT INTO prices(model, valid_from, source, prompt, completion, import_id)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(model, valid_from, source)"
                     " DO UPDATE SET prompt = excluded.prompt, completion = excluded.completion,"
                     " import_id = excluded.import_id",
    [ST_ALIAS_PUT] = "INSERT INTO model_aliases(alias, model, import_id) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT(alias) DO UPDATE SET model = excluded.model,"
                     " import_id = excluded.import_id",
};

/* A model's week of one granularity in one dataset, as the import has it. */
struct cell {
    int64_t dataset, model;
    int32_t week;
    unsigned char used, gran, dirty;
    unsigned char seen; /* bit d: day d's row was found unchanged by this import */
    struct cell_slot s[CELL_DAYS];
};

struct cell_cache {
    struct cell *t;
    size_t cap, used;
};

struct db {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT];
    int in_tx;
    struct cell_cache cells; /* the import's cells, written when full and at the end */
    /* The weeks that may have cells in the database, per granularity, for
     * range_dataset: a cell outside them is new without a look. */
    int64_t range_dataset;
    struct {
        int known, any;
        int32_t lo, hi;
    } range[2];
    int64_t seen_cells;      /* cells this import recorded in temp.seen */
    struct ts_map model_ids; /* slug -> id, emptied when a transaction rolls back */
};

static void cells_forget(struct db *st);
static int cells_flush(struct db *st, struct ts_err *err);

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

    /* Version 4: observations kept a model's week to a row (cell.h): a
     * seventh of the B-tree entries to write and to read back for the
     * roll-ups. The observations view shows them one row each, as the
     * table did. Slots are [total, import_id, prompt, completion,
     * reasoning, cached, requests] without trailing nulls; a daily row's
     * slot is its day of the week, Monday first. */
    "CREATE TABLE obs_week(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  granularity INTEGER NOT NULL CHECK (granularity IN (0, 1)),\n"
    "  week INTEGER NOT NULL,\n"
    "  model_id INTEGER NOT NULL,\n"
    "  n INTEGER NOT NULL,\n"
    "  days TEXT NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, granularity, week, model_id)) WITHOUT ROWID;\n"
    "INSERT INTO obs_week(dataset_id, granularity, week, model_id, n, days)\n"
    "  SELECT dataset_id, granularity, week, model_id, COUNT(*),\n"
    "    CASE granularity WHEN 1 THEN json_array(json(MAX(slot)))\n"
    "    ELSE json_array(json(MAX(IIF(d = 0, slot, NULL))), json(MAX(IIF(d = 1, slot, NULL))),\n"
    "      json(MAX(IIF(d = 2, slot, NULL))), json(MAX(IIF(d = 3, slot, NULL))),\n"
    "      json(MAX(IIF(d = 4, slot, NULL))), json(MAX(IIF(d = 5, slot, NULL))),\n"
    "      json(MAX(IIF(d = 6, slot, NULL)))) END\n"
    "  FROM (SELECT dataset_id, granularity, model_id,\n"
    "          IIF(granularity = 1, period, period - (period % 7 + 10) % 7) AS week,\n"
    "          IIF(granularity = 1, 0, (period % 7 + 10) % 7) AS d,\n"
    "          CASE WHEN requests IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion, reasoning, cached, requests)\n"
    "               WHEN cached IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion, reasoning, cached)\n"
    "               WHEN reasoning IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion, reasoning)\n"
    "               WHEN completion IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion)\n"
    "               WHEN prompt IS NOT NULL THEN json_array(total, import_id, prompt)\n"
    "               ELSE json_array(total, import_id) END AS slot\n"
    "        FROM observations)\n"
    "  GROUP BY dataset_id, granularity, week, model_id;\n"
    "DROP TABLE observations;\n"
    "CREATE VIEW observations(dataset_id, granularity, period, model_id, total, prompt,\n"
    "    completion, reasoning, cached, requests, import_id) AS\n"
    "  SELECT o.dataset_id, o.granularity, o.week + j.key, o.model_id, j.value ->> 0,\n"
    "    j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6,\n"
    "    j.value ->> 1\n"
    "  FROM obs_week o, json_each(o.days) j WHERE j.type = 'array';\n",
};

/* The first version whose roll-ups an older database must be given. */
#define ROLLUP_VERSION 3

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(NMIGRATIONS == DB_SCHEMA_VERSION, "a migration for each schema version");

static int db_err(struct db *st, struct ts_err *err, const char *what)
{
    return ts_err_set(err, "database: %s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(struct db *st, const char *sql, struct ts_err *err)
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

static int schema_version(struct db *st, int *out, struct ts_err *err)
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

static int rollup_all(struct db *st, struct ts_err *err);

/* Takes the schema to NMIGRATIONS; a database from before the roll-ups
 * gets them computed from its observations in the same transaction. */
static int migrate(struct db *st, struct ts_err *err)
{
    int version;

    if (schema_version(st, &version, err) < 0)
        return -1;
    if (version > NMIGRATIONS)
        return ts_err_set(err, "database schema version %d is newer than this tokstat (%d)",
                          version, NMIGRATIONS);
    if (version == NMIGRATIONS)
        return 0;
    if (db_begin(st, err) < 0)
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
    return db_commit(st, err);
fail:
    db_rollback(st);
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
static int refresh_shipped_vendors(struct db *st, struct ts_err *err)
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

    if (db_begin(st, err) < 0)
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
    return db_commit(st, err);
fail:
    sqlite3_finalize(s);
    vendors_parse_result_release(&res);
    db_rollback(st);
    return -1;
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
    if (exec(st, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF", err) < 0)
        goto fail;
    if (migrate(st, err) < 0 || refresh_shipped_vendors(st, err) < 0)
        goto fail;
    if (exec(st, "CREATE TEMP TABLE seen(k INTEGER PRIMARY KEY, mask INTEGER NOT NULL)", err) < 0)
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
    db_close(st);
    return -1;
}

struct sqlite3 *db_sqlite(struct db *st)
{
    return st->db;
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
    free(st->cells.t);
    free(st);
}

int db_begin(struct db *st, struct ts_err *err)
{
    if (exec(st, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    st->in_tx = 1;
    return 0;
}

int db_begin_read(struct db *st, struct ts_err *err)
{
    /* BEGIN is deferred: the first read takes the snapshot. */
    if (exec(st, "BEGIN", err) < 0)
        return -1;
    st->in_tx = 1;
    return 0;
}

int db_commit(struct db *st, struct ts_err *err)
{
    if (cells_flush(st, err) < 0 || exec(st, "COMMIT", err) < 0) {
        db_rollback(st);
        return -1;
    }
    st->in_tx = 0;
    return 0;
}

void db_rollback(struct db *st)
{
    if (st->in_tx || !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
    ts_map_clear(&st->model_ids); /* models added in the transaction are gone */
    cells_forget(st);
}

/* Runs the statements of sql in turn, each with ?1 = a, ?2 = b, ?3 = c. */
static int exec_bound(struct db *st, const char *sql, int64_t a, int64_t b, int64_t c,
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
static int step_done(struct db *st, sqlite3_stmt *s, struct ts_err *err, const char *what)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_err(st, err, what);
    return 0;
}

int db_dataset(struct db *st, const char *name, int create, int64_t *out, struct ts_err *err)
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

int db_import_start(struct db *st, struct import_run *imp, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    /* Duplicates are looked for within one file only. */
    if (exec(st, "DELETE FROM temp.seen", err) < 0)
        return -1;
    cells_forget(st);
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

int db_import_finish(struct db *st, const struct import_run *imp, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (cells_flush(st, err) < 0)
        return -1;
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

int db_import_seen(struct db *st, const char *sha256, int64_t except_id, char when[32],
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

int db_model(struct db *st, const char *slug, const char *vendor, int64_t *out, struct ts_err *err)
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

/* ---- observations, a model's week to a cell (cell.h) -------------------
 *
 * An import's cells are kept in memory, in an open-addressing table, and
 * written when it is half full and at the end of the import: a file in
 * date order (or in model order) writes each cell about once. A cell that
 * may be in the database is read when first touched; one outside the weeks
 * the database holds for its dataset is new without a look. Each row is
 * settled against its slot at once: new (inserted), the same (unchanged),
 * different (updated), or a second row of the same key in this file (a
 * duplicate): its slot carries this import's id (inserted or updated by
 * it) or its bit in the cell's seen mask is set (found unchanged by it).
 * The seen masks of cells written before the end of the import go to the
 * temp.seen table, and come back when such a cell is read again. */

#define CELLS_CAP 16384 /* slots of the table; written when half are used */

static uint64_t cell_hash(int64_t dataset, int gran, int32_t week, int64_t model)
{
    uint64_t h = (uint64_t)model * 0x9E3779B97F4A7C15ULL;
    h ^= ((uint64_t)(uint32_t)week << 1 | (uint64_t)gran) * 0xC2B2AE3D27D4EB4FULL;
    h ^= (uint64_t)dataset * 0x165667B19E3779F9ULL;
    return h ^ (h >> 29);
}

/* The key of a cell within an import (one dataset) in temp.seen. Weeks of
 * years 1000-9999 fit in 23 bits once offset; models are below 2^31. */
static int64_t cell_seen_key(const struct cell *c)
{
    return ((int64_t)(c->week + (1 << 22)) << 32) | (c->model << 1) | c->gran;
}

static int cell_damaged(struct ts_err *err, int64_t model, int32_t week)
{
    return ts_err_set(err, "database: damaged observations of model %lld in the week of day %ld",
                      (long long)model, (long)week);
}

static int model_id_ok(const struct observation *o, struct ts_err *err)
{
    if (o->model >= ((int64_t)1 << 31))
        return ts_err_set(err, "database: too many models (more than 2^31)");
    return 0;
}

/* Whether dataset's granularity gran may have a cell in week. */
static int cell_may_exist(struct db *st, int64_t dataset, int gran, int32_t week,
                          struct ts_err *err)
{
    if (st->range_dataset != dataset) {
        st->range_dataset = dataset;
        st->range[0].known = st->range[1].known = 0;
    }
    if (!st->range[gran].known) {
        sqlite3_stmt *s = st->stmt[ST_CELL_RANGE];
        sqlite3_bind_int64(s, 1, dataset);
        sqlite3_bind_int(s, 2, gran);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            st->range[gran].any = sqlite3_column_type(s, 0) != SQLITE_NULL;
            st->range[gran].lo = (int32_t)sqlite3_column_int64(s, 0);
            st->range[gran].hi = (int32_t)sqlite3_column_int64(s, 1);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_ROW)
            return db_err(st, err, "reading observations");
        st->range[gran].known = 1;
    }
    return st->range[gran].any && week >= st->range[gran].lo && week <= st->range[gran].hi;
}

/* Reads a cell's slots, and its seen mask, from the database. */
static int cell_load(struct db *st, struct cell *c, struct ts_err *err)
{
    sqlite3_stmt *s = st->stmt[ST_CELL_GET];
    int rc;

    sqlite3_bind_int64(s, 1, c->dataset);
    sqlite3_bind_int(s, 2, c->gran);
    sqlite3_bind_int(s, 3, c->week);
    sqlite3_bind_int64(s, 4, c->model);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW &&
        cell_decode((const char *)sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0),
                    c->s, c->gran ? 1 : CELL_DAYS) < 0) {
        sqlite3_reset(s);
        return cell_damaged(err, c->model, c->week);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(st, err, "reading observations");
    if (st->seen_cells > 0) {
        s = st->stmt[ST_SEEN_GET];
        sqlite3_bind_int64(s, 1, cell_seen_key(c));
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            c->seen = (unsigned char)sqlite3_column_int(s, 0);
        sqlite3_reset(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return db_err(st, err, "checking for duplicates");
    }
    return 0;
}

static int cell_cmp(const void *a, const void *b)
{
    const struct cell *x = *(const struct cell *const *)a, *y = *(const struct cell *const *)b;

    if (x->dataset != y->dataset)
        return x->dataset < y->dataset ? -1 : 1;
    if (x->gran != y->gran)
        return x->gran < y->gran ? -1 : 1;
    if (x->week != y->week)
        return x->week < y->week ? -1 : 1;
    return x->model < y->model ? -1 : x->model > y->model;
}

/* Binds cell c, encoded in text, to the six parameters from first on. */
static void bind_cell(sqlite3_stmt *s, int first, const struct cell *c, const char *text,
                      size_t len)
{
    int n = 0;

    for (int d = 0; d < CELL_DAYS; d++)
        n += c->s[d].filled;
    sqlite3_bind_int64(s, first, c->dataset);
    sqlite3_bind_int(s, first + 1, c->gran);
    sqlite3_bind_int(s, first + 2, c->week);
    sqlite3_bind_int64(s, first + 3, c->model);
    sqlite3_bind_int(s, first + 4, n);
    sqlite3_bind_text(s, first + 5, text, (int)len, SQLITE_STATIC);
}

/* Widens the known range of weeks in the database to c's week, which is
 * about to be written. (A failed write rolls back, which forgets it.) */
static void range_add(struct db *st, const struct cell *c)
{
    if (st->range_dataset != c->dataset || !st->range[c->gran].known)
        return;
    if (!st->range[c->gran].any || c->week < st->range[c->gran].lo)
        st->range[c->gran].lo = c->week;
    if (!st->range[c->gran].any || c->week > st->range[c->gran].hi)
        st->range[c->gran].hi = c->week;
    st->range[c->gran].any = 1;
}

/* Writes the changed cells, in key order and CELL_PUT_MANY to a statement;
 * unless the import is ending, keeps the seen masks in temp.seen. Empties
 * the table. */
static int cells_write(struct db *st, int ending, struct ts_err *err)
{
    struct cell_cache *cc = &st->cells;
    struct cell **dirty = xmalloc((cc->used ? cc->used : 1) * sizeof(*dirty));
    size_t off[CELL_PUT_MANY + 1];
    struct ts_buf text = TS_BUF_INIT;
    size_t n = 0;
    int rc = -1;

    for (size_t i = 0; i < cc->cap; i++) {
        struct cell *c = &cc->t[i];
        if (!c->used)
            continue;
        if (!ending && c->seen) {
            sqlite3_stmt *s = st->stmt[ST_SEEN_PUT];
            sqlite3_bind_int64(s, 1, cell_seen_key(c));
            sqlite3_bind_int(s, 2, c->seen);
            if (step_done(st, s, err, "checking for duplicates") < 0)
                goto out;
            st->seen_cells++;
        }
        if (c->dirty) {
            dirty[n++] = c;
            range_add(st, c);
        }
    }
    qsort(dirty, n, sizeof(*dirty), cell_cmp);
    for (size_t i = 0; i < n;) {
        size_t k = n - i >= CELL_PUT_MANY ? CELL_PUT_MANY : 1;
        sqlite3_stmt *s = st->stmt[k == 1 ? ST_CELL_PUT : ST_CELL_PUT_MANY];
        buf_reset(&text);
        for (size_t j = 0; j < k; j++) {
            off[j] = text.len;
            cell_encode(dirty[i + j]->s, dirty[i + j]->gran ? 1 : CELL_DAYS, &text);
        }
        off[k] = text.len;
        for (size_t j = 0; j < k; j++)
            bind_cell(s, 1 + 6 * (int)j, dirty[i + j], text.data + off[j], off[j + 1] - off[j]);
        if (step_done(st, s, err, "writing observations") < 0)
            goto out;
        i += k;
    }
    memset(cc->t, 0, cc->cap * sizeof(*cc->t));
    cc->used = 0;
    rc = 0;
out:
    buf_release(&text);
    free(dirty);
    return rc;
}

/* The cell of o, from the table, the database or new. */
static struct cell *cell_get(struct db *st, const struct observation *o, int32_t week,
                             struct ts_err *err)
{
    struct cell_cache *cc = &st->cells;
    int gran = o->granularity == TS_WEEK;

    if (!cc->t) {
        cc->cap = CELLS_CAP;
        cc->t = xcalloc(cc->cap, sizeof(*cc->t));
    }
    for (int pass = 0; pass < 2; pass++) {
        size_t i = (size_t)cell_hash(o->dataset, gran, week, o->model) & (cc->cap - 1);
        for (; cc->t[i].used; i = (i + 1) & (cc->cap - 1)) {
            struct cell *c = &cc->t[i];
            if (c->model == o->model && c->week == week && c->gran == gran &&
                c->dataset == o->dataset)
                return c;
        }
        if (cc->used < cc->cap / 2) {
            struct cell *c = &cc->t[i];
            memset(c, 0, sizeof(*c));
            c->used = 1;
            c->dataset = o->dataset;
            c->gran = (unsigned char)gran;
            c->week = week;
            c->model = o->model;
            cc->used++;
            int may = cell_may_exist(st, o->dataset, gran, week, err);
            if (may < 0 || (may && cell_load(st, c, err) < 0))
                return NULL;
            return c;
        }
        if (cells_write(st, 0, err) < 0) /* full: write it all, then look again */
            return NULL;
    }
    return NULL;
}

int db_obs_upsert(struct db *st, const struct observation *o, enum obs_change *out,
                  struct ts_err *err)
{
    int32_t week = o->granularity == TS_WEEK ? o->period : week_start(o->period);
    int d = (int)(o->period - week);
    int64_t v[CELL_FIELDS] = {o->total,     o->import_id, o->prompt,  o->completion,
                              o->reasoning, o->cached,    o->requests};

    if (model_id_ok(o, err) < 0)
        return -1;
    struct cell *c = cell_get(st, o, week, err);
    if (!c)
        return -1;
    struct cell_slot *sl = &c->s[d];
    if (sl->filled) {
        if (sl->v[CELL_IMPORT] == o->import_id || (c->seen >> d & 1)) {
            *out = OBS_DUPLICATE;
            return 0;
        }
        int same = 1;
        for (int f = 0; f < CELL_FIELDS; f++)
            same &= f == CELL_IMPORT || sl->v[f] == v[f];
        if (same) {
            c->seen |= (unsigned char)(1u << d);
            *out = OBS_UNCHANGED;
            return 0;
        }
        *out = OBS_UPDATED;
    } else {
        *out = OBS_INSERTED;
    }
    sl->filled = 1;
    memcpy(sl->v, v, sizeof(v));
    c->dirty = 1;
    return 0;
}

/* Writes the cells kept in memory: the import is ending. */
static int cells_flush(struct db *st, struct ts_err *err)
{
    return st->cells.used ? cells_write(st, 1, err) : 0;
}

/* Forgets the cells of a transaction that did not commit. */
static void cells_forget(struct db *st)
{
    if (st->cells.t)
        memset(st->cells.t, 0, st->cells.cap * sizeof(*st->cells.t));
    st->cells.used = 0;
    st->range_dataset = 0;
    st->range[0].known = st->range[1].known = 0;
    st->seen_cells = 0;
}

int db_price_put(struct db *st, const char *model, int32_t valid_from, const char *source,
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

/* The roll-up of one model's week of daily rows. */
struct roll {
    int32_t week;
    int64_t model;
    int64_t tokens, split_tokens, prompt, completion; /* see week_model */
};

#define ROLL_MANY   64
#define ROLL_ROW    "(?,?,?,?,?,?,?)"
#define ROLL_ROWS2  ROLL_ROW "," ROLL_ROW
#define ROLL_ROWS4  ROLL_ROWS2 "," ROLL_ROWS2
#define ROLL_ROWS8  ROLL_ROWS4 "," ROLL_ROWS4
#define ROLL_ROWS16 ROLL_ROWS8 "," ROLL_ROWS8
#define ROLL_ROWS32 ROLL_ROWS16 "," ROLL_ROWS16
#define ROLL_ROWS64 ROLL_ROWS32 "," ROLL_ROWS32
#define ROLL_INSERT                                                                                \
    "INSERT INTO week_model(dataset_id, week, model_id, tokens, split_tokens, prompt,"             \
    " completion) VALUES "

/* Writes n roll-ups (ROLL_MANY with many, else one at a time). */
static int roll_write(struct db *st, sqlite3_stmt *one, sqlite3_stmt *many, int64_t dataset,
                      const struct roll *r, size_t n, struct ts_err *err)
{
    for (size_t i = 0; i < n;) {
        size_t k = n - i >= ROLL_MANY ? ROLL_MANY : 1;
        sqlite3_stmt *s = k == 1 ? one : many;
        for (size_t j = 0; j < k; j++) {
            const struct roll *x = &r[i + j];
            int p = 1 + 7 * (int)j;
            sqlite3_bind_int64(s, p, dataset);
            sqlite3_bind_int(s, p + 1, x->week);
            sqlite3_bind_int64(s, p + 2, x->model);
            sqlite3_bind_int64(s, p + 3, x->tokens);
            sqlite3_bind_int64(s, p + 4, x->split_tokens);
            sqlite3_bind_int64(s, p + 5, x->prompt);
            sqlite3_bind_int64(s, p + 6, x->completion);
        }
        if (step_done(st, s, err, "updating the weekly roll-ups") < 0)
            return -1;
        i += k;
    }
    return 0;
}

static int days_write(struct db *st, sqlite3_stmt *s, int64_t dataset, int32_t week, unsigned mask,
                      struct ts_err *err)
{
    int n = 0;

    for (; mask; mask &= mask - 1)
        n++;
    sqlite3_bind_int64(s, 1, dataset);
    sqlite3_bind_int(s, 2, week);
    sqlite3_bind_int(s, 3, n);
    return step_done(st, s, err, "updating the weekly roll-ups");
}

/* The vendors of the models, for summing a week's roll-ups per vendor as
 * they are made: vendor_of[id] indexes names (ids are small: rows of the
 * models table). */
struct vendor_sums {
    int *vendor_of; /* by model id; -1 unknown */
    int64_t nids;
    char **names;
    size_t nnames;
    int64_t *tokens;     /* of the week being rolled up, by vendor */
    unsigned char *used; /* the vendor has a model in that week */
};

static int vendor_sums_load(struct db *st, struct vendor_sums *v, struct ts_err *err)
{
    struct ts_map index = TS_MAP_INIT;
    sqlite3_stmt *s = NULL;
    int rc;

    memset(v, 0, sizeof(*v));
    if (sqlite3_prepare_v2(st->db, "SELECT IFNULL(MAX(id), 0) FROM models", -1, &s, NULL) !=
            SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return db_err(st, err, "updating the weekly roll-ups");
    }
    v->nids = sqlite3_column_int64(s, 0) + 1;
    sqlite3_finalize(s);
    if (v->nids > (1 << 24))
        return 0; /* not worth it: SQL sums them */
    v->vendor_of = xmalloc((size_t)v->nids * sizeof(*v->vendor_of));
    for (int64_t i = 0; i < v->nids; i++)
        v->vendor_of[i] = -1;
    if (sqlite3_prepare_v2(st->db, "SELECT id, vendor FROM models", -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "updating the weekly roll-ups");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0), k;
        const char *name = (const char *)sqlite3_column_text(s, 1);
        if (id < 0 || id >= v->nids || !name)
            continue;
        if (!ts_map_get(&index, name, &k)) {
            k = (int64_t)v->nnames;
            v->names = xrealloc(v->names, (v->nnames + 1) * sizeof(*v->names));
            v->names[v->nnames++] = xstrdup(name);
            ts_map_put(&index, name, k);
        }
        v->vendor_of[id] = (int)k;
    }
    sqlite3_finalize(s);
    ts_map_release(&index);
    if (rc != SQLITE_DONE)
        return db_err(st, err, "updating the weekly roll-ups");
    v->tokens = xcalloc(v->nnames + 1, sizeof(*v->tokens));
    v->used = xcalloc(v->nnames + 1, 1);
    return 0;
}

static void vendor_sums_release(struct vendor_sums *v)
{
    for (size_t i = 0; i < v->nnames; i++)
        free(v->names[i]);
    free(v->names);
    free(v->vendor_of);
    free(v->tokens);
    free(v->used);
}

/* Writes the week's sums per vendor and clears them. */
static int vendor_sums_write(struct db *st, sqlite3_stmt *ins, struct vendor_sums *v,
                             int64_t dataset, int32_t week, struct ts_err *err)
{
    for (size_t i = 0; i < v->nnames; i++) {
        if (!v->used[i])
            continue;
        sqlite3_bind_int64(ins, 1, dataset);
        sqlite3_bind_int(ins, 2, week);
        sqlite3_bind_text(ins, 3, v->names[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 4, v->tokens[i]);
        if (step_done(st, ins, err, "updating the weekly roll-ups") < 0)
            return -1;
        v->used[i] = 0;
        v->tokens[i] = 0;
    }
    return 0;
}

int db_rollup(struct db *st, int64_t dataset, int32_t from, int32_t to, struct ts_err *err)
{
    /* A week of a model's daily rows is one cell: its sums are one row of
     * week_model, and the days of the week with any row are week_days. */
    static const char clear_sql[] =
        "DELETE FROM week_model WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;"
        "DELETE FROM week_days WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;"
        "DELETE FROM week_vendor WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;";
    static const char daily_sql[] =
        "SELECT week, model_id, days FROM obs_week"
        " WHERE dataset_id = ?1 AND granularity = 0 AND week BETWEEN ?2 AND ?3"
        " ORDER BY dataset_id, granularity, week, model_id";
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
     * week instead of one per model. The weeks of daily rows are summed
     * while they are read; the others (weekly rows) here. */
    static const char vendor_sql[] =
        "INSERT INTO week_vendor(dataset_id, week, vendor, tokens)"
        " SELECT u.dataset_id, u.week, m.vendor, SUM(u.tokens)"
        " FROM week_model u CROSS JOIN models m ON m.id = u.model_id"
        " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3"
        "  AND u.week NOT IN (SELECT week FROM week_vendor WHERE dataset_id = ?1"
        "   AND week BETWEEN ?2 AND ?3)"
        " GROUP BY u.week, m.vendor;";
    int32_t wfrom = week_start(from), wto = week_start(to), week = 0;
    sqlite3_stmt *rd = NULL, *one = NULL, *many = NULL, *days = NULL, *vins = NULL;
    struct vendor_sums vs;
    struct roll pend[ROLL_MANY];
    struct cell_slot sl[CELL_DAYS];
    size_t npend = 0;
    unsigned mask = 0;
    int rc = -1, have = 0, step;

    memset(&vs, 0, sizeof(vs));
    if (exec_bound(st, clear_sql, dataset, wfrom, wto, err) < 0 ||
        vendor_sums_load(st, &vs, err) < 0)
        goto done;
    if (sqlite3_prepare_v2(st->db, daily_sql, -1, &rd, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO week_vendor(dataset_id, week, vendor, tokens)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           -1, &vins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, ROLL_INSERT ROLL_ROW, -1, &one, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, ROLL_INSERT ROLL_ROWS64, -1, &many, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO week_days(dataset_id, week, days) VALUES (?1, ?2, ?3)", -1,
                           &days, NULL) != SQLITE_OK) {
        db_err(st, err, "updating the weekly roll-ups");
        goto done;
    }
    sqlite3_bind_int64(rd, 1, dataset);
    sqlite3_bind_int(rd, 2, wfrom);
    sqlite3_bind_int(rd, 3, wto);
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        int32_t w = (int32_t)sqlite3_column_int64(rd, 0);
        if (have && w != week) {
            if (days_write(st, days, dataset, week, mask, err) < 0 ||
                vendor_sums_write(st, vins, &vs, dataset, week, err) < 0)
                goto done;
            mask = 0;
        }
        have = 1;
        week = w;
        struct roll *r = &pend[npend];
        memset(r, 0, sizeof(*r));
        r->week = w;
        r->model = sqlite3_column_int64(rd, 1);
        if (cell_decode((const char *)sqlite3_column_text(rd, 2),
                        (size_t)sqlite3_column_bytes(rd, 2), sl, CELL_DAYS) < 0) {
            cell_damaged(err, r->model, w);
            goto done;
        }
        for (int d = 0; d < CELL_DAYS; d++) {
            const int64_t *v = sl[d].v;
            if (!sl[d].filled)
                continue;
            mask |= 1u << d;
            int split = v[CELL_PROMPT] >= 0 && v[CELL_COMPLETION] >= 0;
            if (metrics_add(&r->tokens, v[CELL_TOTAL]) < 0 ||
                (split && (metrics_add(&r->split_tokens, v[CELL_TOTAL]) < 0 ||
                           metrics_add(&r->prompt, v[CELL_PROMPT]) < 0 ||
                           metrics_add(&r->completion, v[CELL_COMPLETION]) < 0))) {
                ts_err_set(err, "the tokens of a model in a week reach 2^63");
                goto done;
            }
        }
        if (vs.vendor_of && r->model >= 0 && r->model < vs.nids && vs.vendor_of[r->model] >= 0) {
            int k = vs.vendor_of[r->model];
            vs.used[k] = 1;
            if (metrics_add(&vs.tokens[k], r->tokens) < 0) {
                ts_err_set(err, "the tokens of a vendor in a week reach 2^63");
                goto done;
            }
        }
        if (++npend == ROLL_MANY) {
            if (roll_write(st, one, many, dataset, pend, npend, err) < 0)
                goto done;
            npend = 0;
        }
    }
    if (step != SQLITE_DONE) {
        db_err(st, err, "updating the weekly roll-ups");
        goto done;
    }
    if (roll_write(st, one, many, dataset, pend, npend, err) < 0 ||
        (have && (days_write(st, days, dataset, week, mask, err) < 0 ||
                  vendor_sums_write(st, vins, &vs, dataset, week, err) < 0)))
        goto done;
    if (exec_bound(st, weekly_sql, dataset, wfrom, wto, err) < 0 ||
        exec_bound(st, vendor_sql, dataset, wfrom, wto, err) < 0)
        goto done;
    rc = 0;
done:
    sqlite3_finalize(rd);
    sqlite3_finalize(one);
    sqlite3_finalize(many);
    sqlite3_finalize(days);
    sqlite3_finalize(vins);
    vendor_sums_release(&vs);
    return rc;
}

/* The roll-ups of every dataset over all its days. */
static int rollup_all(struct db *st, struct ts_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "SELECT dataset_id, MIN(week), MAX(week) + 6 FROM obs_week"
                           " GROUP BY dataset_id",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "computing the weekly roll-ups");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (db_rollup(st, sqlite3_column_int64(s, 0), (int32_t)sqlite3_column_int64(s, 1),
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

int db_alias_put(struct db *st, const char *alias, const char *model, int64_t import_id,
                 struct ts_err *err)
{
    sqlite3_stmt *s = st->stmt[ST_ALIAS_PUT];

    sqlite3_bind_text(s, 1, alias, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, model, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, import_id);
    return step_done(st, s, err, "storing a model alias");
}

int db_vendor_set(struct db *st, const char *vendor, const char *country, struct ts_err *err)
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

int db_vendor_unset(struct db *st, const char *vendor, struct ts_err *err)
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
    return (const char *)sqlite3_column_text(s, i);
}

int db_vendor_each(struct db *st, int (*fn)(void *ctx, const struct vendor_mapping *v), void *ctx,
                   struct ts_err *err)
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
        struct vendor_mapping v = {col_text(s, 0), col_text(s, 1), col_text(s, 2), col_text(s, 3),
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

static int status_dataset(struct db *st, int64_t id, struct dataset_status *d, struct ts_err *err)
{
    /* Each figure from the primary key or the roll-ups, never a scan
     * that joins every observation (seconds at millions of rows). The
     * models in use are those of the weekly roll-ups (every daily row is
     * in them) and of the weekly rows (which a week with daily rows leaves
     * out of them). */
#define USED_MODELS                                                                                \
    "WITH used(model_id) AS (SELECT model_id FROM week_model WHERE dataset_id = ?1"                \
    " UNION SELECT model_id FROM obs_week WHERE dataset_id = ?1 AND granularity = 1) "
#define EDGE_DAY(F)                                                                                \
    "(SELECT " F "(o.week + j.key) FROM obs_week o, json_each(o.days) j"                           \
    " WHERE o.dataset_id = ?1 AND o.granularity = 0 AND j.type = 'array' AND o.week ="             \
    " (SELECT " F "(week) FROM obs_week WHERE dataset_id = ?1 AND granularity = 0))"
    static const char counts_sql[] = USED_MODELS
        "SELECT (SELECT TOTAL(n) FROM obs_week WHERE dataset_id = ?1 AND granularity = 0),"
        " (SELECT TOTAL(n) FROM obs_week WHERE dataset_id = ?1 AND granularity = 1),"
        " " EDGE_DAY("MIN") ", " EDGE_DAY(
            "MAX") ", COUNT(*), COUNT(DISTINCT m.vendor)"
                   " FROM used u JOIN models m ON m.id = u.model_id WHERE m.vendor <> 'other'";
    /* A week is built from its daily rows when it has any, else from its
     * weekly rows; days counts the distinct days of daily data. */
    static const char weeks_sql[] =
        "SELECT week, days FROM week_days WHERE dataset_id = ?1 ORDER BY week";
    static const char unmapped_sql[] = USED_MODELS
        "SELECT DISTINCT m.vendor FROM used u JOIN models m ON m.id = u.model_id"
        " WHERE m.vendor <> 'other' AND m.vendor NOT IN (SELECT vendor FROM vendor_country)"
        " ORDER BY m.vendor";
#undef USED_MODELS
#undef EDGE_DAY
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

int db_read_status(struct db *st, size_t max_imports, struct db_status *out, struct ts_err *err)
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
        struct dataset_status *d = &out->datasets[out->ndatasets++];
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
        struct import_row *r = &out->imports[out->nimports++];
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

void db_status_release(struct db_status *s)
{
    for (size_t i = 0; i < s->ndatasets; i++) {
        struct dataset_status *d = &s->datasets[i];
        free(d->name);
        free(d->weeks);
        for (size_t j = 0; j < d->nunmapped; j++)
            free(d->unmapped[j]);
        free(d->unmapped);
    }
    free(s->datasets);
    for (size_t i = 0; i < s->nimports; i++) {
        struct import_row *r = &s->imports[i];
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
