/* test_db.c - the database layer (db.h and the headers beside it), in a
 * temporary folder and in memory: opening, migrations, writes, status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/apps.h"
#include "db/db.h"
#include "db/imports.h"
#include "db/obs.h"
#include "db/price_history.h"
#include "db/rollup.h"
#include "db/status.h"
#include "db/countries.h"
#include "support.h"
#include "core/util.h"
#include "core/vendors.h"
#include "core/week.h"

static struct db *open_ok(const char *path)
{
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    if (db_open(path, &st, &err) != 0)
        fail_msg("db_open('%s'): %s", path, err.msg);
    assert_non_null(st);
    return st;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* The rows of sql on the file at path as text: columns joined by '|',
 * rows ended by '\n', NULL as "NULL". Freed by the caller. */
static char *sql_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    struct ts_buf b = TS_BUF_INIT;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const unsigned char *t = sqlite3_column_text(s, i);
            buf_printf(&b, "%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
        }
        buf_addc(&b, '\n');
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    buf_addc(&b, '\0');
    return b.data;
}

/* Every row of every table, table by table (sorted by name), each in the
 * order of its key. Freed by the caller. */
static char *all_rows(const char *path)
{
    char *names = sql_text(path, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                 " AND name NOT LIKE 'sqlite%' ORDER BY name");
    struct ts_buf b = TS_BUF_INIT;

    for (char *name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", name);
        char *rows = sql_text(path, sql);
        buf_printf(&b, "%s:\n%s", name, rows);
        free(rows);
    }
    free(names);
    buf_addc(&b, '\0');
    return b.data;
}

/* Begins a transaction and an import into dataset name. */
static void begin_import(struct db *st, const char *dataset, struct import_run *imp)
{
    struct ts_err err = TS_ERR_INIT;

    memset(imp, 0, sizeof(*imp));
    imp->file = "test.csv";
    imp->format = "csv";
    if (db_begin(st, &err) != 0)
        fail_msg("db_begin: %s", err.msg);
    assert_int_equal(db_dataset(st, dataset, 1, &imp->dataset, &err), 1);
    /* A dataset of model usage, as an import of usage makes it. */
    assert_int_equal(db_dataset_claim(st, imp->dataset, dataset, DATASET_MODELS, NULL, &err), 0);
    assert_int_equal(db_import_start(st, imp, &err), 0);
    assert_true(imp->id > 0);
}

static void end_import(struct db *st, struct import_run *imp, const char *sha)
{
    struct ts_err err = TS_ERR_INIT;

    snprintf(imp->sha256, sizeof(imp->sha256), "%s", sha);
    assert_int_equal(db_import_finish(st, imp, &err), 0);
    /* The roll-ups of every week these tests use (1970 to 2100). */
    assert_int_equal(db_rollup(st, imp->dataset, 0, D("2100-01-01"), NULL, &err), 0);
    if (db_commit(st, &err) != 0)
        fail_msg("db_commit: %s", err.msg);
}

static int64_t model_id(struct db *st, const char *slug, const char *vendor)
{
    struct ts_err err = TS_ERR_INIT;
    int64_t id = -1;

    assert_int_equal(db_model(st, slug, vendor, &id, &err), 0);
    assert_true(id > 0);
    return id;
}

/* An observation with only a total. */
static struct observation obs(const struct import_run *imp, enum ts_period g, int32_t period,
                              int64_t model, int64_t total)
{
    struct observation o;

    memset(&o, 0, sizeof(o));
    o.dataset = imp->dataset;
    o.granularity = g;
    o.period = period;
    o.model = model;
    o.import_id = imp->id;
    o.total = total;
    o.prompt = o.completion = o.reasoning = o.cached = o.requests = TS_ABSENT;
    return o;
}

static enum obs_change upsert(struct db *st, const struct observation *o)
{
    struct ts_err err = TS_ERR_INIT;
    enum obs_change c = (enum obs_change) - 1;

    if (db_obs_upsert(st, o, &c, &err) != 0)
        fail_msg("db_obs_upsert: %s", err.msg);
    return c;
}

/* ---- opening ------------------------------------------------------------ */

static void test_open_creates_schema(void **state)
{
    (void)state;
    char path[256];
    struct stat sb;

    sup_tmp_path(path, sizeof(path), "a/b/c/tokstat.db"); /* parents missing */
    assert_int_equal(stat(path, &sb), -1);
    struct db *st = open_ok(path);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));

    struct db_status s;
    struct ts_err err = TS_ERR_INIT;
    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.schema_version, DB_SCHEMA_VERSION);
    assert_int_equal(s.schema_version, DB_SCHEMA_VERSION);
    assert_int_equal(s.ndatasets, 0);
    assert_int_equal(s.nimports, 0);
    assert_int_equal(s.total_imports, 0);
    assert_int_equal(s.catalogue_prices, 0);
    db_status_release(&s);
    db_close(st);

    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(sup_sql_int(path,
                                 "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND"
                                 " name IN ('datasets', 'models', 'imports', 'obs_week',"
                                 " 'prices', 'vendors_shipped', 'vendors_user', 'meta',"
                                 " 'model_aliases', 'week_model', 'week_days', 'week_vendor',"
                                 " 'apps', 'app_lists', 'families_shipped', 'families_user')"),
                     16);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'view'"
                                       " AND name IN ('observations', 'vendors', 'usage',"
                                       " 'usage_weekly', 'app_usage', 'families')"),
                     6);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'view'"),
                     6);
    /* The shipped vendor table is loaded: one row per line of vendors.csv. */
    size_t lines = 0;
    for (size_t i = 0; i < vendors_shipped_csv_len; i++)
        lines += vendors_shipped_csv[i] == '\n';
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM vendors_shipped"), (int64_t)lines - 1);
    assert_int_equal(sup_sql_int(path,
                                 "SELECT COUNT(*) FROM vendors_shipped WHERE vendor = 'deepseek'"
                                 " AND country = 'CN'"),
                     1);

    /* Opening again changes nothing. */
    st = open_ok(path);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM vendors_shipped"), (int64_t)lines - 1);
}

static void test_open_memory(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct db_status s;
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.schema_version, DB_SCHEMA_VERSION);
    db_status_release(&s);
    db_close(st);
    db_close(NULL); /* safe */
}

static void test_reopen_keeps_data(void **state)
{
    (void)state;
    char path[256];
    struct import_run imp;
    struct ts_err err = TS_ERR_INIT;
    int64_t ds = 0;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    begin_import(st, "default", &imp);
    struct observation o = obs(&imp, TS_DAY, D("2026-02-09"), model_id(st, "a/b", "a"), 42);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &imp, "aa");
    db_close(st);

    st = open_ok(path);
    assert_int_equal(db_dataset(st, "default", 0, &ds, &err), 1);
    assert_int_equal(ds, imp.dataset);
    assert_int_equal(model_id(st, "a/b", "a"), o.model);
    struct db_status s;
    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.ndatasets, 1);
    assert_int_equal(s.datasets[0].observations, 1);
    assert_int_equal(s.total_imports, 1);
    db_status_release(&s);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "SELECT total FROM observations"), 42);
}

static void test_open_not_a_database(void **state)
{
    (void)state;
    char path[512], dir[256], want[1024];
    struct db *st = (struct db *)&st; /* must be set to NULL */
    struct ts_err err = TS_ERR_INIT;
    static const char garbage[] = "this is not a database, just some text that is long enough to "
                                  "fill the header of a real SQLite file................\n";

    sup_tmp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/garbage.db", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(garbage, 1, sizeof(garbage) - 1, fp);
    fclose(fp);

    assert_int_equal(db_open(path, &st, &err), -1);
    assert_null(st);
    snprintf(want, sizeof(want), "cannot open database '%s': file is not a database", path);
    assert_string_equal(err.msg, want);
    /* The file is left as it was. */
    char back[256] = "";
    fp = fopen(path, "rb");
    size_t n = fread(back, 1, sizeof(back), fp);
    fclose(fp);
    assert_int_equal(n, sizeof(garbage) - 1);
    assert_memory_equal(back, garbage, n);
}

static void test_open_parent_is_a_file(void **state)
{
    (void)state;
    char path[1024], dir[256], file[512], want[1024];
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    sup_tmp_dir(dir, sizeof(dir));
    snprintf(file, sizeof(file), "%s/plain", dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/sub/tokstat.db", file);
    assert_int_equal(db_open(path, &st, &err), -1);
    assert_null(st);
    snprintf(want, sizeof(want), "cannot create directory '%s/sub': Not a directory", file);
    assert_string_equal(err.msg, want);
}

static void test_open_directory(void **state)
{
    (void)state;
    char path[256], want[512];
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    sup_tmp_dir(path, sizeof(path));
    assert_int_equal(db_open(path, &st, &err), -1);
    assert_null(st);
    snprintf(want, sizeof(want), "cannot open database '%s': unable to open database file", path);
    assert_string_equal(err.msg, want);
}

static void test_open_newer_schema(void **state)
{
    (void)state;
    char path[256];
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    db_close(open_ok(path));
    sql_exec(path, "PRAGMA user_version = 99");
    assert_int_equal(db_open(path, &st, &err), -1);
    assert_null(st);
    char want[512];
    snprintf(want, sizeof(want),
             "database '%s' has schema version 99, newer than this tokstat's (%d): it needs a "
             "newer tokstat",
             path, DB_SCHEMA_VERSION);
    assert_string_equal(err.msg, want);
    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), 99);
}

/* Takes a database of this version back to schema 6, with the same rows:
 * no model family rules, no apps, no kind of dataset, the usage views of
 * every dataset. */
static void downgrade_to_6(const char *path)
{
    sql_exec(path,
             "DROP VIEW families; DROP TABLE families_shipped; DROP TABLE families_user;"
             " DELETE FROM meta WHERE key = 'families_sha256';"
             " DROP VIEW app_usage; DROP VIEW usage; DROP VIEW usage_weekly;"
             " DROP TABLE apps; DROP TABLE app_lists;"
             " ALTER TABLE datasets DROP COLUMN kind;"
             " CREATE VIEW usage(dataset, period, date, week, model, vendor, country,"
             "  total_tokens, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens,"
             "  requests) AS"
             "  SELECT d.name, IIF(o.granularity = 0, 'day', 'week'),"
             "   date(2440587.5 + o.week + j.key), date(2440587.5 + o.week),"
             "   m.slug, m.vendor, v.country, j.value ->> 0, j.value ->> 2, j.value ->> 3,"
             "   j.value ->> 4, j.value ->> 5, j.value ->> 6"
             "  FROM obs_week o, json_each(o.days) j"
             "  JOIN datasets d ON d.id = o.dataset_id JOIN models m ON m.id = o.model_id"
             "  JOIN vendors v ON v.vendor = m.vendor WHERE j.type = 'array';"
             " CREATE VIEW usage_weekly(dataset, week, days, coverage, model, vendor, country,"
             "  tokens, split_tokens, prompt_tokens, completion_tokens) AS"
             "  SELECT d.name, date(2440587.5 + u.week), w.days, IIF(w.full, 'full', 'listed'),"
             "   m.slug, m.vendor, v.country, u.tokens, u.split_tokens, u.prompt, u.completion"
             "  FROM week_model u JOIN datasets d ON d.id = u.dataset_id"
             "  LEFT JOIN week_days w ON w.dataset_id = u.dataset_id AND w.week = u.week"
             "  JOIN models m ON m.id = u.model_id JOIN vendors v ON v.vendor = m.vendor;"
             " PRAGMA user_version = 6");
}

/* Takes a database of this version back to schema 5, with the same rows:
 * week_days without mask and full, prices without their dataset, the
 * usage_weekly view without coverage. */
static void downgrade_to_5(const char *path)
{
    downgrade_to_6(path);
    sql_exec(path,
             "DROP VIEW usage_weekly;"
             " ALTER TABLE week_days DROP COLUMN mask; ALTER TABLE week_days DROP COLUMN full;"
             " CREATE TABLE prices_v5(model TEXT NOT NULL, valid_from INTEGER NOT NULL,"
             "  source TEXT NOT NULL, prompt INTEGER, completion INTEGER,"
             "  import_id INTEGER NOT NULL REFERENCES imports(id),"
             "  PRIMARY KEY (model, valid_from, source)) WITHOUT ROWID;"
             " INSERT OR REPLACE INTO prices_v5 SELECT model, valid_from, source, prompt,"
             "  completion, import_id FROM prices ORDER BY dataset_id;"
             " DROP TABLE prices; ALTER TABLE prices_v5 RENAME TO prices;"
             " CREATE VIEW usage_weekly(dataset, week, days, model, vendor, country, tokens,"
             "  split_tokens, prompt_tokens, completion_tokens) AS"
             "  SELECT d.name, date(2440587.5 + u.week), w.days, m.slug, m.vendor, v.country,"
             "   u.tokens, u.split_tokens, u.prompt, u.completion FROM week_model u"
             "  JOIN datasets d ON d.id = u.dataset_id"
             "  LEFT JOIN week_days w ON w.dataset_id = u.dataset_id AND w.week = u.week"
             "  JOIN models m ON m.id = u.model_id JOIN vendors v ON v.vendor = m.vendor;"
             " PRAGMA user_version = 5");
}

/* Takes a database of this version back to schema 4, with the same rows:
 * without the views of schema 5, with the vendor_country view. */
static void downgrade_to_4(const char *path)
{
    downgrade_to_5(path);
    sql_exec(path, "DROP VIEW usage_weekly; DROP VIEW usage; DROP VIEW vendors;"
                   " CREATE VIEW vendor_country AS"
                   "  SELECT vendor, country FROM vendors_user"
                   "  UNION ALL"
                   "  SELECT vendor, country FROM vendors_shipped"
                   "   WHERE vendor NOT IN (SELECT vendor FROM vendors_user);"
                   " PRAGMA user_version = 4");
}

/* Gives a database of this version the observations table of schema
 * 1-3 again (one row per observation), with the same rows. */
static void downgrade_observations(const char *path)
{
    downgrade_to_4(path);
    sql_exec(path, "CREATE TABLE obs_old AS SELECT * FROM observations;"
                   " DROP VIEW observations; DROP TABLE obs_week;"
                   " CREATE TABLE observations("
                   "  dataset_id INTEGER NOT NULL REFERENCES datasets(id),"
                   "  granularity INTEGER NOT NULL CHECK (granularity IN (0, 1)),"
                   "  period INTEGER NOT NULL,"
                   "  model_id INTEGER NOT NULL REFERENCES models(id),"
                   "  total INTEGER NOT NULL CHECK (total >= 0),"
                   "  prompt INTEGER, completion INTEGER, reasoning INTEGER, cached INTEGER,"
                   "  requests INTEGER,"
                   "  import_id INTEGER NOT NULL REFERENCES imports(id),"
                   "  PRIMARY KEY (dataset_id, granularity, period, model_id)) WITHOUT ROWID;"
                   " INSERT INTO observations SELECT * FROM obs_old; DROP TABLE obs_old;"
                   " PRAGMA user_version = 3");
}

/* A database from before the roll-ups (schema 2) gets them computed from
 * its observations when it is opened. */
static void test_migrate_computes_rollups(void **state)
{
    (void)state;
    char path[256];
    struct import_run imp;
    struct observation o;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    begin_import(st, "default", &imp);
    memset(&o, 0, sizeof(o));
    o.dataset = imp.dataset;
    o.import_id = imp.id;
    o.model = model_id(st, "deepseek/v3", "deepseek");
    o.prompt = o.completion = o.reasoning = o.cached = o.requests = TS_ABSENT;
    o.granularity = TS_DAY;
    o.period = D("2026-02-09");
    o.total = 5;
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    o.period = D("2026-02-10");
    o.total = 6;
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &imp, "a");
    db_close(st);
    downgrade_observations(path);
    sql_exec(path, "DROP TABLE week_model; DROP TABLE week_days; DROP TABLE week_vendor;"
                   " PRAGMA user_version = 2");

    st = open_ok(path);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(sup_sql_int(path, "SELECT tokens FROM week_model"), 11);
    assert_int_equal(sup_sql_int(path, "SELECT days FROM week_days"), 2);
    assert_int_equal(sup_sql_int(path, "SELECT tokens FROM week_vendor WHERE vendor = 'deepseek'"),
                     11);
    assert_int_equal(sup_sql_int(path, "SELECT week FROM week_days"), D("2026-02-09"));
}

/* Schema 4 keeps a model's week to a row; a database of schema 3 (one row
 * an observation) is converted on open with every row as it was: days of
 * every weekday and before 1970, weekly rows, each optional count null or
 * not. */
static const char fingerprint_sql[] =
    "SELECT COUNT(*) * 1000000007 + SUM((period + 100000) * 7919 + model_id * 104729"
    " + granularity * 13 + total * 3 + ifnull(prompt, -1) * 5 + ifnull(completion, -1) * 7"
    " + ifnull(reasoning, -1) * 11 + ifnull(cached, -1) * 17 + ifnull(requests, -1) * 19"
    " + import_id * 23) FROM observations";

/* Eight daily rows of models a and b on every weekday, before and after
 * 1970, with each optional count given or not; each must be want. */
static void put_mixed_days(struct db *st, const struct import_run *imp, int64_t a, int64_t b,
                           enum obs_change want)
{
    static const char *const days[] = {"2026-02-09", "2026-02-11", "2026-02-15", "2026-02-16",
                                       "1969-12-29", "1969-12-31", "1970-01-01", "1970-01-04"};
    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        struct observation o = obs(imp, TS_DAY, D(days[i]), i % 2 ? a : b, 100 + (int64_t)i);
        if (i % 3 == 0)
            o.prompt = 60 + (int64_t)i, o.completion = 40;
        if (i == 2)
            o.requests = 9;
        if (i == 4)
            o.reasoning = 0, o.cached = 1;
        assert_int_equal(upsert(st, &o), want);
    }
}

static void test_migrate_to_cells(void **state)
{
    (void)state;
    char path[256];
    struct import_run imp;
    struct ts_err err = TS_ERR_INIT;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    begin_import(st, "default", &imp);
    int64_t a = model_id(st, "a/x", "a"), b = model_id(st, "b/y", "b");
    put_mixed_days(st, &imp, a, b, OBS_INSERTED);
    struct observation w = obs(&imp, TS_WEEK, D("2026-02-09"), a, 700);
    w.cached = 3;
    assert_int_equal(upsert(st, &w), OBS_INSERTED);
    end_import(st, &imp, "a");
    db_close(st);

    int64_t before = sup_sql_int(path, fingerprint_sql);
    int64_t rows = sup_sql_int(path, "SELECT COUNT(*) FROM observations");
    assert_int_equal(rows, 9);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM obs_week"), 6);
    downgrade_observations(path);
    assert_int_equal(sup_sql_int(path, fingerprint_sql), before);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                                       " AND name = 'obs_week'"),
                     0);

    st = open_ok(path);
    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(sup_sql_int(path, fingerprint_sql), before);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM obs_week"), 6);
    assert_int_equal(sup_sql_int(path, "SELECT SUM(n) FROM obs_week"), 9);
    /* The converted text is the text the program writes: the same rows
     * again are all unchanged, and a cell reads as it would be written. */
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM obs_week WHERE days IN"
                                       " ('[null,null,[101,1],null,null,null,null]',"
                                       " '[[100,1,60,40],null,null,null,null,null,"
                                       "[102,1,null,null,null,null,9]]')"),
                     2);
    begin_import(st, "default", &imp);
    struct db_status ss;
    put_mixed_days(st, &imp, a, b, OBS_UNCHANGED);
    w.import_id = imp.id;
    assert_int_equal(upsert(st, &w), OBS_UNCHANGED);
    end_import(st, &imp, "b");
    assert_int_equal(db_read_status(st, 1, &ss, &err), 0);
    assert_int_equal(ss.datasets[0].observations, 9);
    assert_int_equal(ss.datasets[0].daily_rows, 8);
    assert_int_equal(ss.datasets[0].weekly_rows, 1);
    assert_int_equal(ss.datasets[0].first_day, D("1969-12-29"));
    assert_int_equal(ss.datasets[0].last_day, D("2026-02-16"));
    db_status_release(&ss);
    db_close(st);
    assert_int_equal(sup_sql_int(path, fingerprint_sql), before);
}

/* Schema 5 adds views and drops vendor_country: a database of schema 4
 * migrates with every row of every table as it was, and its views read
 * them with ISO dates, before 1970 too. */
static void test_migrate_to_views(void **state)
{
    (void)state;
    char path[256];
    struct import_run imp;
    struct ts_err err = TS_ERR_INIT;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    begin_import(st, "default", &imp);
    int64_t a = model_id(st, "mistralai/x", "mistralai"), b = model_id(st, "zeta/y", "zeta");
    put_mixed_days(st, &imp, a, b, OBS_INSERTED);
    struct observation w = obs(&imp, TS_WEEK, D("2026-02-23"), model_id(st, "other", "other"), 7);
    assert_int_equal(upsert(st, &w), OBS_INSERTED);
    assert_int_equal(
        db_price_put(st, "mistralai/x", D("2026-02-09"), "snapshot", 1, 1, 2, imp.id, &err), 0);
    assert_int_equal(db_alias_put(st, "mistralai/x-latest", "mistralai/x", imp.id, &err), 0);
    end_import(st, &imp, "a");
    assert_int_equal(db_vendor_set(st, "mistralai", "EU", &err), 0);
    db_close(st);

    char *before = all_rows(path);
    downgrade_to_4(path);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'view'"
                                       " AND name IN ('observations', 'vendor_country')"),
                     2);
    st = open_ok(path);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    char *after = all_rows(path);
    assert_string_equal(after, before);
    free(before);
    free(after);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'view'"),
                     6);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master"
                                       " WHERE name = 'vendor_country'"),
                     0);

    /* Every vendor of a model, its mapping or none; 'other' is 'other'. */
    char *v = sql_text(path, "SELECT * FROM vendors WHERE vendor IN ('mistralai', 'zeta',"
                             " 'other', 'deepseek') ORDER BY vendor");
    assert_string_equal(v, "deepseek|CN|DeepSeek|shipped|NULL\n"
                           "mistralai|EU|Mistral AI|user|FR\n"
                           "other|other||NULL|NULL\n"
                           "zeta|unknown||NULL|NULL\n");
    free(v);
    /* A row an observation, days before 1970 included, and the Monday. */
    v = sql_text(path, "SELECT * FROM usage ORDER BY date, model");
    assert_string_equal(v, "default|day|1969-12-29|1969-12-29|zeta/y|zeta|unknown|104|NULL|"
                           "NULL|0|1|NULL\n"
                           "default|day|1969-12-31|1969-12-29|mistralai/x|mistralai|EU|105|"
                           "NULL|NULL|NULL|NULL|NULL\n"
                           "default|day|1970-01-01|1969-12-29|zeta/y|zeta|unknown|106|66|40|"
                           "NULL|NULL|NULL\n"
                           "default|day|1970-01-04|1969-12-29|mistralai/x|mistralai|EU|107|"
                           "NULL|NULL|NULL|NULL|NULL\n"
                           "default|day|2026-02-09|2026-02-09|zeta/y|zeta|unknown|100|60|40|"
                           "NULL|NULL|NULL\n"
                           "default|day|2026-02-11|2026-02-09|mistralai/x|mistralai|EU|101|"
                           "NULL|NULL|NULL|NULL|NULL\n"
                           "default|day|2026-02-15|2026-02-09|zeta/y|zeta|unknown|102|NULL|"
                           "NULL|NULL|NULL|9\n"
                           "default|day|2026-02-16|2026-02-16|mistralai/x|mistralai|EU|103|63|"
                           "40|NULL|NULL|NULL\n"
                           "default|week|2026-02-23|2026-02-23|other|other|other|7|NULL|NULL|"
                           "NULL|NULL|NULL\n");
    free(v);
    v = sql_text(path, "SELECT * FROM usage_weekly ORDER BY week, model");
    assert_string_equal(v, "default|1969-12-29|4|listed|mistralai/x|mistralai|EU|212|0|0|0\n"
                           "default|1969-12-29|4|listed|zeta/y|zeta|unknown|210|106|66|40\n"
                           "default|2026-02-09|3|listed|mistralai/x|mistralai|EU|101|0|0|0\n"
                           "default|2026-02-09|3|listed|zeta/y|zeta|unknown|202|100|60|40\n"
                           "default|2026-02-16|1|listed|mistralai/x|mistralai|EU|103|103|63|40\n"
                           "default|2026-02-23|7|full|other|other|other|7|0|0|0\n");
    free(v);
}

/* A database made by an older tokstat (schema 1, without model aliases)
 * migrates forward on open and keeps its data. */
static void test_migrate_from_version_1(void **state)
{
    (void)state;
    char path[256];
    struct ts_err err = TS_ERR_INIT;
    int64_t id;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    assert_int_equal(db_dataset(st, "kept", 1, &id, &err), 1);
    db_close(st);
    downgrade_observations(path);
    sql_exec(path, "DROP TABLE model_aliases; DROP TABLE week_model; DROP TABLE week_days;"
                   " DROP TABLE week_vendor;"
                   " PRAGMA user_version = 1");
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                       "'model_aliases'"),
                     0);

    st = open_ok(path);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                       "'model_aliases'"),
                     1);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM datasets WHERE name = 'kept'"), 1);
}

/* A database of schema 6 gets datasets' kinds: model usage where it has
 * observations, none yet where it has not (a catalogue's dataset). */
static void test_migrate_to_apps(void **state)
{
    (void)state;
    char path[256];
    struct import_run imp;
    struct ts_err err = TS_ERR_INIT;
    int64_t empty;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    begin_import(st, "default", &imp);
    struct observation o = obs(&imp, TS_WEEK, D("2026-02-23"), model_id(st, "zeta/y", "zeta"), 7);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &imp, "a");
    assert_int_equal(db_dataset(st, "catalogue", 1, &empty, &err), 1);
    db_close(st);

    char *before = all_rows(path);
    downgrade_to_6(path);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                                       " ('apps', 'app_lists', 'app_usage')"),
                     0);
    db_close(open_ok(path));
    assert_int_equal(sup_sql_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    char *after = all_rows(path);
    assert_string_equal(after, before);
    free(before);
    free(after);
    char *kinds = sql_text(path, "SELECT name, kind FROM datasets ORDER BY name");
    assert_string_equal(kinds, "catalogue|NULL\ndefault|models\n");
    free(kinds);
    /* The usage views read it as before. */
    assert_int_equal(sup_sql_int(path, "SELECT total_tokens FROM usage"), 7);
    assert_int_equal(sup_sql_int(path, "SELECT tokens FROM usage_weekly"), 7);
}

/* ---- datasets and models ------------------------------------------------ */

/* A dataset holds model usage or app rankings of one list, never both. */
static void test_dataset_kinds(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct ts_err err = TS_ERR_INIT;
    struct app_list all, cli, got;
    enum dataset_kind kind;
    int64_t models, apps, app, again;

    app_list_init(&all);
    app_list_init(&cli);
    assert_int_equal(app_list_set(&cli, "subcategory", "cli-agent"), 0);
    assert_int_equal(app_list_set(&cli, "sort", "trending"), 0);
    assert_int_equal(app_list_set(&cli, "sort", "newest"), -1);
    assert_int_equal(app_list_set(&cli, "category", "a b"), -1);
    assert_int_equal(app_list_set(&cli, "category", ""), -1);

    assert_int_equal(db_begin(st, &err), 0);
    assert_int_equal(db_dataset(st, "default", 1, &models, &err), 1);
    assert_int_equal(db_dataset(st, "apps", 1, &apps, &err), 1);
    assert_int_equal(db_dataset_kind(st, models, &kind, &err), 0);
    assert_int_equal(kind, DATASET_EMPTY);
    assert_int_equal(db_dataset_claim(st, models, "default", DATASET_MODELS, NULL, &err), 0);
    assert_int_equal(db_dataset_claim(st, models, "default", DATASET_MODELS, NULL, &err), 0);
    assert_int_equal(db_dataset_kind(st, models, &kind, &err), 0);
    assert_int_equal(kind, DATASET_MODELS);
    assert_int_equal(db_dataset_claim(st, models, "default", DATASET_APPS, &all, &err), -1);
    assert_string_equal(err.msg, "dataset 'default' holds model usage: app rankings go to a "
                                 "dataset of their own (--dataset NAME; without it, 'apps')");
    /* Apps: the first list is the dataset's; another is refused. */
    assert_int_equal(db_dataset_claim(st, apps, "apps", DATASET_APPS, &cli, &err), 0);
    assert_int_equal(db_dataset_claim(st, apps, "apps", DATASET_MODELS, NULL, &err), -1);
    assert_string_equal(err.msg, "dataset 'apps' holds app rankings: model usage goes to a "
                                 "dataset of its own (--dataset NAME)");
    assert_int_equal(db_dataset_fits(st, apps, "apps", DATASET_APPS, &all, &err), -1);
    assert_string_equal(err.msg, "dataset 'apps' holds app rankings of subcategory cli-agent, "
                                 "sort trending, not of all apps, sort popular: each list goes "
                                 "to a dataset of its own (--dataset NAME), so that no week's "
                                 "shares mix two");
    assert_int_equal(db_app_list(st, apps, &got, &err), 1);
    assert_string_equal(got.subcategory, "cli-agent");
    assert_string_equal(got.category, "");
    assert_int_equal(got.first_rank, 0);
    assert_int_equal(db_app_list(st, models, &got, &err), 0);
    /* Ranks: kept from the first fetch that gives them, then held to. */
    cli.first_rank = 1;
    cli.last_rank = 100;
    assert_int_equal(db_dataset_claim(st, apps, "apps", DATASET_APPS, &cli, &err), 0);
    assert_int_equal(db_app_list(st, apps, &got, &err), 1);
    assert_int_equal(got.last_rank, 100);
    cli.last_rank = 10;
    assert_int_equal(db_dataset_fits(st, apps, "apps", DATASET_APPS, &cli, &err), -1);
    assert_string_equal(err.msg, "dataset 'apps' was fetched for ranks 1-100, not 1-10: shares "
                                 "of the listed apps compare week to week only over one list "
                                 "(--dataset NAME for another)");
    cli.first_rank = cli.last_rank = 0; /* an import does not say: it fits */
    assert_int_equal(db_dataset_fits(st, apps, "apps", DATASET_APPS, &cli, &err), 0);
    struct ts_buf b = TS_BUF_INIT;
    app_list_describe(&got, 1, &b);
    assert_string_equal(b.data, "subcategory cli-agent, sort trending, ranks 1-100");
    buf_release(&b);

    /* Apps by OpenRouter's id; the name of the latest week wins. */
    assert_int_equal(db_app(st, 190604, "Cline", D("2025-02-03"), &app, &err), 0);
    assert_int_equal(db_app(st, 190604, "Cline (old)", D("2025-01-27"), &again, &err), 0);
    assert_int_equal(again, app);
    assert_int_equal(db_app(st, 190604, "Cline 2", D("2025-02-10"), &again, &err), 0);
    assert_int_equal(again, app);
    assert_int_equal(db_app(st, 143418, "Cline 2", D("2025-02-10"), &again, &err), 0);
    assert_true(again != app);
    /* The datasets of each kind, by name; one without data is of none. */
    int64_t more;
    char **names;
    size_t n;
    assert_int_equal(db_dataset(st, "all-apps", 1, &more, &err), 1);
    assert_int_equal(db_dataset_claim(st, more, "all-apps", DATASET_APPS, &all, &err), 0);
    assert_int_equal(db_dataset(st, "empty", 1, &more, &err), 1);
    assert_int_equal(db_datasets_of_kind(st, DATASET_APPS, &names, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "all-apps");
    assert_string_equal(names[1], "apps");
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    assert_int_equal(db_datasets_of_kind(st, DATASET_MODELS, &names, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "default");
    free(names[0]);
    free(names);
    assert_int_equal(db_datasets_of_kind(st, DATASET_EMPTY, &names, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_null(names);
    assert_int_equal(db_commit(st, &err), 0);
    db_close(st);
}

static void test_dataset(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct ts_err err = TS_ERR_INIT;
    int64_t a = -5, b = -5, again = -5;

    assert_int_equal(db_dataset(st, "default", 0, &a, &err), 0);
    assert_int_equal(a, -5); /* untouched when absent */
    assert_int_equal(db_dataset(st, "default", 1, &a, &err), 1);
    assert_true(a > 0);
    assert_int_equal(db_dataset(st, "default", 0, &again, &err), 1);
    assert_int_equal(again, a);
    assert_int_equal(db_dataset(st, "default", 1, &again, &err), 1);
    assert_int_equal(again, a);
    assert_int_equal(db_dataset(st, "Default", 0, &b, &err), 0); /* names are exact */
    assert_int_equal(db_dataset(st, "top50-daily", 1, &b, &err), 1);
    assert_true(b > 0 && b != a);
    assert_int_equal(db_dataset(st, "it's \"quoted\"; DROP TABLE datasets", 1, &b, &err), 1);
    assert_int_equal(db_dataset(st, "it's \"quoted\"; DROP TABLE datasets", 0, &again, &err), 1);
    assert_int_equal(again, b);
    db_close(st);
}

static void test_model(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(db_begin(st, &err), 0);
    int64_t a = model_id(st, "deepseek/deepseek-chat", "deepseek");
    int64_t b = model_id(st, "deepseek/deepseek-chat:free", "deepseek");
    assert_true(a != b);
    assert_int_equal(model_id(st, "deepseek/deepseek-chat", "deepseek"), a);
    assert_int_equal(model_id(st, "other", "other"), model_id(st, "other", "other"));
    assert_int_equal(db_commit(st, &err), 0);
    db_close(st);
}

/* ---- observations ------------------------------------------------------- */

static void test_upsert_within_one_import(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct import_run imp;
    int32_t day = D("2026-01-01");

    begin_import(st, "default", &imp);
    int64_t m = model_id(st, "x", "x"), m2 = model_id(st, "y/z", "y");
    struct observation o = obs(&imp, TS_DAY, day, m, 100);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    assert_int_equal(upsert(st, &o), OBS_DUPLICATE);
    o.total = 200; /* a different value is still a duplicate key */
    assert_int_equal(upsert(st, &o), OBS_DUPLICATE);
    /* Other keys: another day, model, or granularity. */
    struct observation p = obs(&imp, TS_DAY, day + 1, m, 100);
    assert_int_equal(upsert(st, &p), OBS_INSERTED);
    p = obs(&imp, TS_DAY, day, m2, 100);
    assert_int_equal(upsert(st, &p), OBS_INSERTED);
    p = obs(&imp, TS_WEEK, week_start(day), m, 700);
    assert_int_equal(upsert(st, &p), OBS_INSERTED);
    assert_int_equal(upsert(st, &p), OBS_DUPLICATE);
    end_import(st, &imp, "a1");

    struct db_status s;
    struct ts_err err = TS_ERR_INIT;
    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.datasets[0].observations, 4);
    assert_int_equal(s.datasets[0].daily_rows, 3);
    assert_int_equal(s.datasets[0].weekly_rows, 1);
    db_status_release(&s);
    db_close(st);
}

/* Runs the second import of a key: unchanged when equal, updated when any
 * field differs (an optional one going from absent to present included). */
static void second_import_checks(struct db *st, const char *path)
{
    struct import_run imp2;
    int32_t day = D("2026-01-01");

    begin_import(st, "default", &imp2);
    int64_t m = model_id(st, "x", "x");
    struct observation o = obs(&imp2, TS_DAY, day, m, 100);
    assert_int_equal(upsert(st, &o), OBS_UNCHANGED);
    assert_int_equal(upsert(st, &o), OBS_DUPLICATE); /* twice in this import */
    struct observation p = obs(&imp2, TS_DAY, day + 1, m, 100);
    p.prompt = 60; /* absent -> present */
    assert_int_equal(upsert(st, &p), OBS_UPDATED);
    p = obs(&imp2, TS_DAY, day + 2, m, 101); /* total differs */
    assert_int_equal(upsert(st, &p), OBS_UPDATED);
    p = obs(&imp2, TS_DAY, day + 3, m, 100); /* present -> absent */
    assert_int_equal(upsert(st, &p), OBS_UPDATED);
    p = obs(&imp2, TS_DAY, day + 4, m, 100);
    p.requests = 5;
    assert_int_equal(upsert(st, &p), OBS_UNCHANGED);
    p = obs(&imp2, TS_DAY, day + 5, m, 100);
    assert_int_equal(upsert(st, &p), OBS_INSERTED);
    end_import(st, &imp2, "b2");
    if (path) {
        char sql[256];
        /* Updated rows point at the import that changed them. */
        snprintf(sql, sizeof(sql), "SELECT prompt FROM observations WHERE period = %d",
                 (int)(day + 1));
        assert_int_equal(sup_sql_int(path, sql), 60);
        snprintf(sql, sizeof(sql), "SELECT import_id FROM observations WHERE period = %d",
                 (int)(day + 1));
        assert_int_equal(sup_sql_int(path, sql), imp2.id);
        snprintf(sql, sizeof(sql), "SELECT total FROM observations WHERE period = %d",
                 (int)(day + 2));
        assert_int_equal(sup_sql_int(path, sql), 101);
        snprintf(sql, sizeof(sql), "SELECT cached FROM observations WHERE period = %d",
                 (int)(day + 3));
        assert_int_equal(sup_sql_int(path, sql), -1); /* NULL */
        assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM observations"), 6);
    }
}

static void first_import(struct db *st)
{
    struct import_run imp;
    int32_t day = D("2026-01-01");

    begin_import(st, "default", &imp);
    int64_t m = model_id(st, "x", "x");
    struct observation o = obs(&imp, TS_DAY, day, m, 100);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    o = obs(&imp, TS_DAY, day + 1, m, 100);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    o = obs(&imp, TS_DAY, day + 2, m, 100);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    o = obs(&imp, TS_DAY, day + 3, m, 100);
    o.cached = 7;
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    o = obs(&imp, TS_DAY, day + 4, m, 100);
    o.requests = 5;
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &imp, "a1");
}

/* The next import through a fresh handle (a new tokstat process). */
static void test_upsert_next_import_after_reopen(void **state)
{
    (void)state;
    char path[256];

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    first_import(st);
    db_close(st);
    st = open_ok(path);
    second_import_checks(st, path);
    db_close(st);
}

/* The next import through the same handle, as `tokstat import a.csv b.csv`
 * does: the first import's keys are not duplicates of the second's. */
static void test_upsert_next_import_same_handle(void **state)
{
    char path[256];

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    *state = st; /* closed by close_state, also when an assertion fails */
    first_import(st);
    second_import_checks(st, path);
}

static int close_state(void **state)
{
    db_close(*state);
    *state = NULL;
    return 0;
}

/* Keys written by a rolled-back import are not duplicates later. */
static void test_upsert_after_rollback(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct import_run imp;

    begin_import(st, "default", &imp);
    struct observation o = obs(&imp, TS_DAY, D("2026-01-01"), model_id(st, "x", "x"), 1);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    db_rollback(st);

    begin_import(st, "default", &imp);
    o = obs(&imp, TS_DAY, D("2026-01-01"), model_id(st, "x", "x"), 1);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    assert_int_equal(upsert(st, &o), OBS_DUPLICATE);
    end_import(st, &imp, "a");
    db_close(st);
}

static void test_upsert_datasets_apart(void **state)
{
    (void)state;
    char path[256];
    struct import_run a, b;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    begin_import(st, "top10", &a);
    struct observation o = obs(&a, TS_DAY, D("2026-01-01"), model_id(st, "x", "x"), 1);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &a, "a");
    db_close(st);

    st = open_ok(path);
    begin_import(st, "top50", &b);
    assert_true(b.dataset != a.dataset);
    o = obs(&b, TS_DAY, D("2026-01-01"), model_id(st, "x", "x"), 2);
    assert_int_equal(upsert(st, &o), OBS_INSERTED); /* another dataset's key */
    end_import(st, &b, "b");
    db_close(st);
    assert_int_equal(sup_sql_int(path, "SELECT SUM(total) FROM observations"), 3);
}

static void test_rollback_leaves_nothing(void **state)
{
    (void)state;
    char path[256];
    struct import_run imp;
    struct ts_err err = TS_ERR_INIT;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    db_rollback(st); /* safe without a transaction */
    begin_import(st, "default", &imp);
    struct observation o = obs(&imp, TS_WEEK, D("2026-02-09"), model_id(st, "a/b", "a"), 5);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    assert_int_equal(db_price_put(st, "a/b", D("2026-02-09"), "snapshot", 1, 1, 2, imp.id, &err),
                     0);
    assert_int_equal(db_vendor_set(st, "a", "US", &err), 0);
    snprintf(imp.sha256, sizeof(imp.sha256), "abc");
    assert_int_equal(db_import_finish(st, &imp, &err), 0);
    db_rollback(st);
    db_rollback(st); /* twice is safe */

    struct db_status s;
    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.ndatasets, 0);
    assert_int_equal(s.nimports, 0);
    assert_int_equal(s.total_imports, 0);
    db_status_release(&s);
    char when[32];
    assert_int_equal(db_import_seen(st, "abc", 0, when, &err), 0);
    db_close(st);
    static const char *const tables[] = {"datasets",     "models", "imports",
                                         "observations", "prices", "vendors_user"};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", tables[i]);
        assert_int_equal(sup_sql_int(path, sql), 0);
    }

    /* A handle closed in the middle of a transaction rolls it back. */
    st = open_ok(path);
    begin_import(st, "default", &imp);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM imports"), 0);
}

/* ---- prices ------------------------------------------------------------- */

static void test_put_price(void **state)
{
    (void)state;
    char path[256];
    struct import_run imp;
    struct ts_err err = TS_ERR_INIT;
    int32_t day = D("2026-05-01");

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    begin_import(st, "default", &imp);
    assert_int_equal(db_price_put(st, "ai21/jamba-large-1.7", day, "catalogue", 0, 2000000, 8000000,
                                  imp.id, &err),
                     0);
    /* Same model, day and source: replaced. */
    assert_int_equal(db_price_put(st, "ai21/jamba-large-1.7", day, "catalogue", 0, 3000000,
                                  TS_ABSENT, imp.id, &err),
                     0);
    assert_int_equal(
        db_price_put(st, "ai21/jamba-large-1.7", day, "snapshot", 1, 1, 2, imp.id, &err), 0);
    assert_int_equal(
        db_price_put(st, "ai21/jamba-large-1.7", day + 1, "catalogue", 0, 4, 5, imp.id, &err), 0);
    end_import(st, &imp, "p");

    struct db_status s;
    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.catalogue_prices, 2);
    db_status_release(&s);
    db_close(st);

    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM prices"), 3);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT prompt FROM prices WHERE source = 'catalogue' AND valid_from = %d", (int)day);
    assert_int_equal(sup_sql_int(path, sql), 3000000);
    snprintf(sql, sizeof(sql),
             "SELECT completion FROM prices WHERE source = 'catalogue' AND valid_from = %d",
             (int)day);
    assert_int_equal(sup_sql_int(path, sql), -1); /* NULL: unknown */
}

/* ---- vendors ------------------------------------------------------------ */

struct vlist {
    char vendor[64][64], country[64][4], name[64][64], source[64][16], shipped[64][4];
    size_t n, total, stop_after;
};

static int list_vendor(void *ctx, const struct vendor_mapping *v)
{
    struct vlist *l = ctx;

    l->total++;
    assert_non_null(v->vendor);
    assert_non_null(v->country);
    assert_non_null(v->name);
    assert_non_null(v->source);
    if (l->n < 64) {
        snprintf(l->vendor[l->n], sizeof(l->vendor[0]), "%s", v->vendor);
        snprintf(l->country[l->n], sizeof(l->country[0]), "%s", v->country);
        snprintf(l->name[l->n], sizeof(l->name[0]), "%s", v->name);
        snprintf(l->source[l->n], sizeof(l->source[0]), "%s", v->source);
        snprintf(l->shipped[l->n], sizeof(l->shipped[0]), "%s",
                 v->shipped_country ? v->shipped_country : "-");
        l->n++;
    }
    return l->stop_after && l->total >= l->stop_after;
}

static size_t find_vendor(const struct vlist *l, const char *vendor)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->vendor[i], vendor) == 0)
            return i;
    }
    fail_msg("vendor '%s' not listed", vendor);
    return 0;
}

static void list_all(struct db *st, struct vlist *l)
{
    struct ts_err err = TS_ERR_INIT;

    memset(l, 0, sizeof(*l));
    assert_int_equal(db_vendor_each(st, list_vendor, l, &err), 0);
    for (size_t i = 1; i < l->n; i++) {
        if (strcmp(l->vendor[i - 1], l->vendor[i]) >= 0)
            fail_msg("vendors out of order: '%s' then '%s'", l->vendor[i - 1], l->vendor[i]);
    }
}

static void test_vendors(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct ts_err err = TS_ERR_INIT;
    struct vlist *l = calloc(1, sizeof(*l));
    size_t i;

    list_all(st, l);
    size_t shipped = l->n;
    assert_true(shipped >= 40);
    i = find_vendor(l, "mistralai");
    assert_string_equal(l->country[i], "FR");
    assert_string_equal(l->name[i], "Mistral AI");
    assert_string_equal(l->source[i], "shipped");
    assert_string_equal(l->shipped[i], "-");

    /* A user override shadows the shipped value, which is still given. */
    assert_int_equal(db_vendor_set(st, "mistralai", "EU", &err), 0);
    assert_int_equal(db_vendor_set(st, "acme", "US", &err), 0);
    list_all(st, l);
    assert_int_equal(l->n, shipped + 1);
    i = find_vendor(l, "mistralai");
    assert_string_equal(l->country[i], "EU");
    assert_string_equal(l->name[i], "Mistral AI");
    assert_string_equal(l->source[i], "user");
    assert_string_equal(l->shipped[i], "FR");
    i = find_vendor(l, "acme");
    assert_string_equal(l->country[i], "US");
    assert_string_equal(l->name[i], "");
    assert_string_equal(l->source[i], "user");
    assert_string_equal(l->shipped[i], "-");
    assert_string_equal(l->vendor[i - 1], "01-ai");
    assert_string_equal(l->vendor[i + 1], "ai21");

    /* Setting again replaces. */
    assert_int_equal(db_vendor_set(st, "acme", "CA", &err), 0);
    list_all(st, l);
    assert_string_equal(l->country[find_vendor(l, "acme")], "CA");

    /* Unset: 1 when an override went, 0 when there was none. */
    assert_int_equal(db_vendor_unset(st, "mistralai", &err), 1);
    assert_int_equal(db_vendor_unset(st, "mistralai", &err), 0);
    assert_int_equal(db_vendor_unset(st, "deepseek", &err), 0); /* shipped only */
    assert_int_equal(db_vendor_unset(st, "nobody", &err), 0);
    list_all(st, l);
    i = find_vendor(l, "mistralai");
    assert_string_equal(l->country[i], "FR");
    assert_string_equal(l->source[i], "shipped");
    assert_string_equal(l->shipped[i], "-");
    i = find_vendor(l, "deepseek");
    assert_string_equal(l->country[i], "CN");
    assert_int_equal(db_vendor_unset(st, "acme", &err), 1);
    list_all(st, l);
    assert_int_equal(l->n, shipped);

    /* The callback stops the walk. */
    memset(l, 0, sizeof(*l));
    l->stop_after = 3;
    assert_int_equal(db_vendor_each(st, list_vendor, l, &err), 0);
    assert_int_equal(l->total, 3);
    free(l);
    db_close(st);
}

/* Overrides survive a refresh of the shipped table (a new program version). */
static void test_vendors_survive_refresh(void **state)
{
    (void)state;
    char path[256];
    struct ts_err err = TS_ERR_INIT;
    struct vlist *l = calloc(1, sizeof(*l));

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    assert_int_equal(db_vendor_set(st, "mistralai", "EU", &err), 0);
    db_close(st);
    /* As if an older program had written a different table. */
    sql_exec(path, "UPDATE meta SET value = 'old' WHERE key = 'vendors_sha256';"
                   " DELETE FROM vendors_shipped WHERE vendor = 'deepseek';"
                   " UPDATE vendors_shipped SET country = 'XX' WHERE vendor = 'qwen';"
                   " INSERT INTO vendors_shipped(vendor, country) VALUES ('gone', 'US')");
    st = open_ok(path);
    list_all(st, l);
    assert_string_equal(l->country[find_vendor(l, "deepseek")], "CN");
    assert_string_equal(l->country[find_vendor(l, "qwen")], "CN");
    size_t i = find_vendor(l, "mistralai");
    assert_string_equal(l->country[i], "EU");
    assert_string_equal(l->source[i], "user");
    assert_string_equal(l->shipped[i], "FR");
    for (size_t k = 0; k < l->n; k++)
        assert_string_not_equal(l->vendor[k], "gone");
    db_close(st);
    free(l);
}

/* ---- imports ------------------------------------------------------------ */

static void test_import_seen(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct import_run a, b;
    struct ts_err err = TS_ERR_INIT;
    char when[32] = "";
    const char *hash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    begin_import(st, "default", &a);
    assert_int_equal(db_import_seen(st, hash, a.id, when, &err), 0);
    end_import(st, &a, hash);

    begin_import(st, "default", &b);
    assert_true(b.id != a.id);
    assert_int_equal(db_import_seen(st, hash, b.id, when, &err), 1);
    /* "YYYY-MM-DD HH:MM:SS", UTC */
    assert_int_equal(strlen(when), 19);
    int32_t d;
    assert_int_equal(date_parse(when, strlen(when), &d), 0);
    assert_true(d >= date_today() - 1 && d <= date_today());
    assert_int_equal(when[13], ':');
    assert_int_equal(when[16], ':');
    /* Not itself, not other hashes. */
    assert_int_equal(db_import_seen(st, hash, a.id, when, &err), 0);
    assert_int_equal(db_import_seen(st, "e3b0c442", b.id, when, &err), 0);
    end_import(st, &b, "different");
    assert_int_equal(db_import_seen(st, hash, b.id, when, &err), 1);
    /* Only imports into the same dataset count. */
    struct import_run c;
    begin_import(st, "another", &c);
    assert_int_equal(db_import_seen(st, hash, c.id, when, &err), 0);
    end_import(st, &c, hash);
    begin_import(st, "another", &b);
    assert_int_equal(db_import_seen(st, hash, b.id, when, &err), 1);
    end_import(st, &b, "x");
    db_close(st);
}

static void test_import_rows(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct import_run a, b;
    struct ts_err err = TS_ERR_INIT;
    struct db_status s;

    begin_import(st, "default", &a);
    a.rows = 51;
    a.inserted = 48;
    a.updated = 3;
    a.unchanged = 0;
    a.prices = 7;
    a.as_of = "2026-05-24T10:00:00Z";
    end_import(st, &a, "h1");
    begin_import(st, "other-set", &b);
    b.format = "openrouter-weekly";
    end_import(st, &b, "h2");

    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.total_imports, 2);
    assert_int_equal(s.nimports, 2);
    /* Newest first. */
    assert_string_equal(s.imports[0].sha256, "h2");
    assert_string_equal(s.imports[0].format, "openrouter-weekly");
    assert_string_equal(s.imports[0].dataset, "other-set");
    assert_null(s.imports[0].as_of);
    assert_string_equal(s.imports[1].file, "test.csv");
    assert_string_equal(s.imports[1].sha256, "h1");
    assert_string_equal(s.imports[1].format, "csv");
    assert_string_equal(s.imports[1].dataset, "default");
    assert_string_equal(s.imports[1].as_of, "2026-05-24T10:00:00Z");
    assert_int_equal(strlen(s.imports[1].when), 19);
    assert_int_equal(s.imports[1].rows, 51);
    assert_int_equal(s.imports[1].inserted, 48);
    assert_int_equal(s.imports[1].updated, 3);
    assert_int_equal(s.imports[1].unchanged, 0);
    assert_int_equal(s.imports[1].prices, 7);
    db_status_release(&s);

    /* At most max_imports, but the total counts all. */
    assert_int_equal(db_read_status(st, 1, &s, &err), 0);
    assert_int_equal(s.nimports, 1);
    assert_int_equal(s.total_imports, 2);
    assert_string_equal(s.imports[0].sha256, "h2");
    db_status_release(&s);
    assert_int_equal(db_read_status(st, 0, &s, &err), 0);
    assert_int_equal(s.nimports, 0);
    db_status_release(&s);
    db_close(st);
}

/* ---- status ------------------------------------------------------------- */

static void test_status(void **state)
{
    (void)state;
    struct db *st = open_ok(":memory:");
    struct import_run imp;
    struct ts_err err = TS_ERR_INIT;
    struct db_status s;
    int32_t w1 = D("2026-02-09"), w2 = D("2026-02-16"), w3 = D("2026-02-23");

    /* "daily": a full week, a 3-day week, another vendor and the other bucket. */
    begin_import(st, "daily", &imp);
    int64_t ds = model_id(st, "deepseek/deepseek-chat", "deepseek");
    int64_t ac = model_id(st, "acme/rocket", "acme");
    int64_t zz = model_id(st, "zeta/z1", "zeta");
    int64_t ot = model_id(st, "other", "other");
    for (int i = 0; i < 7; i++) {
        struct observation o = obs(&imp, TS_DAY, w1 + i, ds, 10);
        assert_int_equal(upsert(st, &o), OBS_INSERTED);
        o = obs(&imp, TS_DAY, w1 + i, ot, 5);
        assert_int_equal(upsert(st, &o), OBS_INSERTED);
    }
    for (int i = 2; i < 5; i++) {
        struct observation o = obs(&imp, TS_DAY, w2 + i, ac, 1);
        assert_int_equal(upsert(st, &o), OBS_INSERTED);
    }
    struct observation o = obs(&imp, TS_DAY, w2 + 3, zz, 1);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    /* A weekly row for a week that also has daily rows, and one without. */
    o = obs(&imp, TS_WEEK, w2, ds, 70);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    o = obs(&imp, TS_WEEK, w3, ds, 70);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &imp, "d");

    /* "weekly": weekly rows only. */
    begin_import(st, "weekly", &imp);
    int64_t r1 = model_id(st, "deepseek/deepseek-r1", "deepseek");
    o = obs(&imp, TS_WEEK, w1, r1, 100);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    o = obs(&imp, TS_WEEK, w3, r1, 100);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &imp, "w");

    /* "empty": a dataset without rows. */
    begin_import(st, "empty", &imp);
    end_import(st, &imp, "e");
    assert_int_equal(db_vendor_set(st, "zeta", "DE", &err), 0);

    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.ndatasets, 3);
    assert_string_equal(s.datasets[0].name, "daily");
    assert_string_equal(s.datasets[1].name, "empty");
    assert_string_equal(s.datasets[2].name, "weekly");

    const struct dataset_status *d = &s.datasets[0];
    assert_int_equal(d->observations, 7 + 7 + 3 + 1 + 2);
    /* The other bucket is neither a model nor a vendor. */
    assert_int_equal(d->models, 3);
    assert_int_equal(d->vendors, 3);
    assert_int_equal(d->daily_rows, 18);
    assert_int_equal(d->weekly_rows, 2);
    assert_int_equal(d->first_day, w1);
    assert_int_equal(d->last_day, w2 + 4);
    assert_int_equal(d->nweeks, 3);
    assert_int_equal(d->weeks[0].week, w1);
    assert_int_equal(d->weeks[0].days, 7);
    assert_int_equal(d->weeks[1].week, w2);
    assert_int_equal(d->weeks[1].days, 3); /* partial, from its daily rows */
    assert_int_equal(d->weeks[2].week, w3);
    assert_int_equal(d->weeks[2].days, 7); /* from weekly rows: a whole week */
    /* acme has no country; zeta has a user one; other is never unmapped. */
    assert_int_equal(d->nunmapped, 1);
    assert_string_equal(d->unmapped[0], "acme");

    d = &s.datasets[1];
    assert_int_equal(d->observations, 0);
    assert_int_equal(d->daily_rows, 0);
    assert_int_equal(d->weekly_rows, 0);
    assert_int_equal(d->nweeks, 0);
    assert_int_equal(d->nunmapped, 0);

    d = &s.datasets[2];
    assert_int_equal(d->observations, 2);
    assert_int_equal(d->models, 1);
    assert_int_equal(d->daily_rows, 0);
    assert_int_equal(d->weekly_rows, 2);
    assert_int_equal(d->nweeks, 2);
    assert_int_equal(d->weeks[0].week, w1);
    assert_int_equal(d->weeks[0].days, 7);
    assert_int_equal(d->weeks[1].week, w3);
    assert_int_equal(d->nunmapped, 0);
    db_status_release(&s);
    assert_int_equal(s.ndatasets, 0);
    db_status_release(&s); /* twice is safe */

    /* Unmapped vendors are sorted; a user mapping takes one off the list. */
    begin_import(st, "daily", &imp);
    o = obs(&imp, TS_DAY, w3, model_id(st, "aardvark/a", "aardvark"), 1);
    assert_int_equal(upsert(st, &o), OBS_INSERTED);
    end_import(st, &imp, "d2");
    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.datasets[0].nunmapped, 2);
    assert_string_equal(s.datasets[0].unmapped[0], "aardvark");
    assert_string_equal(s.datasets[0].unmapped[1], "acme");
    db_status_release(&s);
    assert_int_equal(db_vendor_set(st, "acme", "US", &err), 0);
    assert_int_equal(db_read_status(st, 10, &s, &err), 0);
    assert_int_equal(s.datasets[0].nunmapped, 1);
    assert_string_equal(s.datasets[0].unmapped[0], "aardvark");
    db_status_release(&s);
    db_close(st);
}

/* ---- two handles on one file -------------------------------------------- */

struct holder {
    struct db *st;
    int commit_rc;
};

static void *commit_later(void *p)
{
    struct holder *h = p;
    struct ts_err err = TS_ERR_INIT;
    struct timespec ts = {0, 300 * 1000 * 1000};

    nanosleep(&ts, NULL);
    h->commit_rc = db_commit(h->st, &err);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_two_handles(void **state)
{
    (void)state;
    char path[256];
    struct ts_err err = TS_ERR_INIT;
    struct import_run imp;
    pthread_t t;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *a = open_ok(path);
    struct db *b = open_ok(path);

    /* a writes and holds the write lock. */
    begin_import(a, "default", &imp);
    struct observation o = obs(&imp, TS_DAY, D("2026-02-09"), model_id(a, "a/b", "a"), 9);
    assert_int_equal(upsert(a, &o), OBS_INSERTED);
    snprintf(imp.sha256, sizeof(imp.sha256), "x");
    assert_int_equal(db_import_finish(a, &imp, &err), 0);

    /* A reader is not blocked and sees the state before a's transaction. */
    struct db_status s;
    assert_int_equal(db_read_status(b, 10, &s, &err), 0);
    assert_int_equal(s.ndatasets, 0);
    db_status_release(&s);
    /* Opening another handle does not wait for the writer either. */
    double t_open = now_s();
    struct db *c = open_ok(path);
    assert_true(now_s() - t_open < 5);
    assert_int_equal(db_read_status(c, 10, &s, &err), 0);
    assert_int_equal(s.ndatasets, 0);
    db_status_release(&s);
    db_close(c);

    /* b's begin waits for a's commit, then succeeds. */
    struct holder h = {a, -5};
    assert_int_equal(pthread_create(&t, NULL, commit_later, &h), 0);
    double t0 = now_s();
    int rc = db_begin(b, &err);
    double waited = now_s() - t0;
    pthread_join(t, NULL);
    if (rc != 0)
        fail_msg("db_begin on the second handle: %s", err.msg);
    assert_int_equal(h.commit_rc, 0);
    assert_true(waited >= 0.2);
    assert_true(waited < 30);

    /* b sees a's data and can write. */
    int64_t ds = 0;
    assert_int_equal(db_dataset(b, "default", 0, &ds, &err), 1);
    assert_int_equal(db_vendor_set(b, "a", "US", &err), 0);
    assert_int_equal(db_commit(b, &err), 0);
    db_close(a);
    db_close(b);
    assert_int_equal(sup_sql_int(path, "SELECT total FROM observations"), 9);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM vendors_user"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_schema),
        cmocka_unit_test(test_open_memory),
        cmocka_unit_test(test_reopen_keeps_data),
        cmocka_unit_test(test_open_not_a_database),
        cmocka_unit_test(test_open_parent_is_a_file),
        cmocka_unit_test(test_open_directory),
        cmocka_unit_test(test_open_newer_schema),
        cmocka_unit_test(test_migrate_from_version_1),
        cmocka_unit_test(test_migrate_to_cells),
        cmocka_unit_test(test_migrate_computes_rollups),
        cmocka_unit_test(test_migrate_to_views),
        cmocka_unit_test(test_migrate_to_apps),
        cmocka_unit_test(test_dataset_kinds),
        cmocka_unit_test(test_dataset),
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_upsert_within_one_import),
        cmocka_unit_test(test_upsert_next_import_after_reopen),
        cmocka_unit_test_teardown(test_upsert_next_import_same_handle, close_state),
        cmocka_unit_test(test_upsert_after_rollback),
        cmocka_unit_test(test_upsert_datasets_apart),
        cmocka_unit_test(test_rollback_leaves_nothing),
        cmocka_unit_test(test_put_price),
        cmocka_unit_test(test_vendors),
        cmocka_unit_test(test_vendors_survive_refresh),
        cmocka_unit_test(test_import_seen),
        cmocka_unit_test(test_import_rows),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_two_handles),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
