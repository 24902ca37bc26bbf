/* test_check.c - db_check (db/check.h): a sound database checks clean;
 * roll-ups changed behind tokstat's back are found and named, repaired in
 * one go, and a check without repair changes nothing. 2026-02-09 is a
 * Monday. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/week.h"
#include "db/check.h"
#include "db/db.h"
#include "db/imports.h"
#include "db/obs.h"
#include "db/rollup.h"
#include "support.h"

static struct db *open_ok(const char *path)
{
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    if (db_open(path, &st, &err) != 0)
        fail_msg("db_open('%s'): %s", path, err.msg);
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

/* One import into dataset name of a model's days (first .. first + ndays - 1,
 * total tokens 10 + day) and, with weekly, a weekly row of the week after. */
static void import(struct db *st, const char *name, const char *slug, const char *vendor,
                   const char *first, int ndays, int weekly)
{
    struct ts_err err = TS_ERR_INIT;
    struct import_run imp;
    struct observation o;
    enum obs_change c;
    int32_t day = D(first);

    memset(&imp, 0, sizeof(imp));
    imp.file = "test.csv";
    imp.format = "csv";
    assert_int_equal(db_begin(st, &err), 0);
    assert_int_equal(db_dataset(st, name, 1, &imp.dataset, &err), 1);
    assert_int_equal(db_import_start(st, &imp, &err), 0);
    memset(&o, 0, sizeof(o));
    o.dataset = imp.dataset;
    o.import_id = imp.id;
    assert_int_equal(db_model(st, slug, vendor, &o.model, &err), 0);
    o.prompt = o.completion = o.reasoning = o.cached = o.requests = TS_ABSENT;
    for (int i = 0; i < ndays; i++) {
        o.granularity = TS_DAY;
        o.period = day + i;
        o.total = 10 + i;
        o.prompt = i % 2 ? 6 : TS_ABSENT;
        o.completion = i % 2 ? 4 : TS_ABSENT;
        assert_int_equal(db_obs_upsert(st, &o, &c, &err), 0);
    }
    if (weekly) {
        o.granularity = TS_WEEK;
        o.period = week_start(day + ndays - 1) + 7;
        o.total = 700;
        assert_int_equal(db_obs_upsert(st, &o, &c, &err), 0);
    }
    snprintf(imp.sha256, sizeof(imp.sha256), "%s-%s", name, slug);
    assert_int_equal(db_import_finish(st, &imp, &err), 0);
    assert_int_equal(db_rollup(st, imp.dataset, day, day + ndays + 7, NULL, &err), 0);
    assert_int_equal(db_commit(st, &err), 0);
}

/* Two datasets: daily rows over three weeks (the first partial) and a
 * weekly row; weekly rows only. */
static void fill(struct db *st)
{
    import(st, "daily", "deepseek/v3", "deepseek", "2026-02-11", 19, 1);
    import(st, "daily", "acme/rocket", "acme", "2026-02-16", 7, 0);
    import(st, "daily", "other", "other", "2026-02-09", 14, 0);
    import(st, "weekly", "qwen/q3", "qwen", "2026-02-09", 0, 1);
    import(st, "weekly", "qwen/q4", "qwen", "2026-02-23", 0, 1);
}

static void check_ok(struct db *st, int repair, struct check_report *r)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_check(st, repair, r, &err) != 0)
        fail_msg("db_check: %s", err.msg);
}

static void assert_clean(struct db *st)
{
    struct check_report r = CHECK_REPORT_INIT;

    check_ok(st, 0, &r);
    for (size_t i = 0; i < r.nproblems; i++)
        print_error("problem: %s\n", r.problems[i]);
    assert_int_equal(r.nproblems, 0);
    assert_true(r.integrity_ok);
    assert_true(r.rollups_checked);
    assert_int_equal(r.rollups_wrong, 0);
    assert_int_equal(r.rollups_repaired, 0);
    check_report_release(&r);
}

/* The bytes of the file at path; *n their number. Freed by the caller. */
static unsigned char *file_bytes(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t cap = 0;

    assert_non_null(fp);
    *n = 0;
    for (;;) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 65536;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        size_t got = fread(data + *n, 1, cap - *n, fp);
        if (got == 0)
            break;
        *n += got;
    }
    fclose(fp);
    return data;
}

static void test_clean(void **state)
{
    (void)state;
    char path[256];

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    assert_clean(st); /* empty */
    fill(st);
    assert_clean(st);
    db_close(st);
    st = open_ok(":memory:");
    fill(st);
    assert_clean(st);
    db_close(st);
}

/* Changes behind tokstat's back: a week's tokens, a week's days gone, a
 * vendor row no observation explains. */
static void tamper(const char *path)
{
    sql_exec(path, "UPDATE week_model SET tokens = tokens + 1 WHERE week = 20493 AND dataset_id ="
                   " (SELECT id FROM datasets WHERE name = 'daily') AND model_id ="
                   " (SELECT id FROM models WHERE slug = 'deepseek/v3');"
                   "DELETE FROM week_days WHERE week = 20500 AND dataset_id ="
                   " (SELECT id FROM datasets WHERE name = 'daily');"
                   "INSERT INTO week_vendor(dataset_id, week, vendor, tokens)"
                   " SELECT id, 20521, 'ghost', 5 FROM datasets WHERE name = 'weekly'");
}

static const char *const found[] = {
    "dataset 'daily', week 2026-02-09: roll-ups differ from the observations (week_model)",
    "dataset 'daily', week 2026-02-16: roll-ups differ from the observations (week_days)",
    "dataset 'weekly', week 2026-03-09: roll-ups differ from the observations (week_vendor)",
};

static void test_finds_and_repairs(void **state)
{
    (void)state;
    char path[256];
    struct check_report r = CHECK_REPORT_INIT;
    size_t n0, n1;

    assert_int_equal(D("2026-02-09"), 20493);
    assert_int_equal(D("2026-02-16"), 20500);
    assert_int_equal(D("2026-03-09"), 20521);
    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    fill(st);
    db_close(st);
    tamper(path);

    /* Found and named; without repair the file stays as it was. */
    unsigned char *before = file_bytes(path, &n0);
    st = open_ok(path);
    check_ok(st, 0, &r);
    db_close(st);
    unsigned char *after = file_bytes(path, &n1);
    assert_int_equal(n1, n0);
    assert_memory_equal(after, before, n0);
    free(before);
    free(after);
    assert_true(r.integrity_ok);
    assert_true(r.rollups_checked);
    assert_int_equal(r.rollups_wrong, 3);
    assert_int_equal(r.rollups_repaired, 0);
    assert_int_equal(r.nproblems, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(r.problems[i], found[i]);
    check_report_release(&r);
    assert_int_equal(r.nproblems, 0);
    check_report_release(&r); /* twice is safe */
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM week_vendor WHERE vendor = 'ghost'"),
                     1);

    /* Repaired: the same problems, each rebuilt; then clean. */
    st = open_ok(path);
    check_ok(st, 1, &r);
    assert_int_equal(r.rollups_wrong, 3);
    assert_int_equal(r.rollups_repaired, 3);
    assert_int_equal(r.nproblems, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(r.problems[i], found[i]);
    check_report_release(&r);
    assert_clean(st);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "SELECT COUNT(*) FROM week_vendor WHERE vendor = 'ghost'"),
                     0);
    assert_int_equal(sup_sql_int(path, "SELECT days FROM week_days WHERE week = 20500 AND"
                                       " dataset_id = (SELECT id FROM datasets"
                                       " WHERE name = 'daily')"),
                     7);
}

/* Every roll-up gone: each week with data is found, and rebuilt. */
static void test_repairs_everything(void **state)
{
    (void)state;
    char path[256];
    struct check_report r = CHECK_REPORT_INIT;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    fill(st);
    db_close(st);
    int64_t rows = sup_sql_int(path, "SELECT (SELECT COUNT(*) FROM week_model) * 1000000"
                                     " + (SELECT COUNT(*) FROM week_days) * 1000"
                                     " + (SELECT COUNT(*) FROM week_vendor)");
    int64_t weeks = sup_sql_int(path, "SELECT COUNT(*) FROM week_days");
    sql_exec(path, "DELETE FROM week_model; DELETE FROM week_days; DELETE FROM week_vendor");
    st = open_ok(path);
    check_ok(st, 1, &r);
    assert_int_equal(r.rollups_wrong, (size_t)weeks);
    assert_int_equal(r.rollups_repaired, (size_t)weeks);
    check_report_release(&r);
    assert_clean(st);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "SELECT (SELECT COUNT(*) FROM week_model) * 1000000"
                                       " + (SELECT COUNT(*) FROM week_days) * 1000"
                                       " + (SELECT COUNT(*) FROM week_vendor)"),
                     rows);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A check without repair takes no write lock: it neither waits for an
 * import that holds one nor sees its rows. */
static void test_check_beside_an_import(void **state)
{
    (void)state;
    char path[256];
    struct ts_err err = TS_ERR_INIT;
    struct import_run imp;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *a = open_ok(path);
    struct db *b = open_ok(path);
    fill(a);
    memset(&imp, 0, sizeof(imp));
    imp.file = "x.csv";
    imp.format = "csv";
    assert_int_equal(db_begin(a, &err), 0); /* holds the write lock */
    assert_int_equal(db_dataset(a, "daily", 0, &imp.dataset, &err), 1);
    assert_int_equal(db_import_start(a, &imp, &err), 0);
    double t0 = now_s();
    assert_clean(b);
    assert_true(now_s() - t0 < 5);
    assert_int_equal(db_commit(a, &err), 0);
    db_close(a);
    db_close(b);
}

/* A damaged file: integrity_check's messages, and no roll-ups compared. */
static void test_integrity(void **state)
{
    (void)state;
    char path[256];
    struct check_report r = CHECK_REPORT_INIT;

    sup_tmp_path(path, sizeof(path), "tokstat.db");
    struct db *st = open_ok(path);
    fill(st);
    db_close(st);
    /* The index of models' vendors made to claim it indexes their slugs. */
    sql_exec(path, "PRAGMA writable_schema = ON;"
                   " UPDATE sqlite_master SET sql = 'CREATE INDEX models_vendor ON models(slug)'"
                   " WHERE name = 'models_vendor';"
                   " PRAGMA writable_schema = OFF");
    st = open_ok(path);
    check_ok(st, 1, &r);
    assert_false(r.integrity_ok);
    assert_false(r.rollups_checked);
    assert_int_equal(r.rollups_wrong, 0);
    assert_int_equal(r.rollups_repaired, 0);
    assert_true(r.nproblems > 0);
    for (size_t i = 0; i < r.nproblems; i++)
        assert_memory_equal(r.problems[i], "integrity check: ", 17);
    check_report_release(&r);
    db_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_finds_and_repairs),
        cmocka_unit_test(test_repairs_everything),
        cmocka_unit_test(test_check_beside_an_import),
        cmocka_unit_test(test_integrity),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
