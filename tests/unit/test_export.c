/* test_export.c - the observations one row at a time (db/export.h), the
 * rows written as CSV and JSON Lines (render/stream.h), and a model's
 * family (core/vendors.h's default, db/families.h's rules).
 *
 * Every database test opens its own store in the temporary folder and
 * fills it through the ingest sink, as `tokstat import` does. 2026-02-09
 * is a Monday. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vendors.h"
#include "core/week.h"
#include "db/apps.h"
#include "db/export.h"
#include "db/families.h"
#include "db/query.h"
#include "import/ingest.h"
#include "render/stream.h"
#include "support.h"

/* ---- fixture: one store per test, one import at a time ---- */

struct fx {
    char path[256];
    struct db *st;
    struct ingest ig;
    struct ts_sink sink;
    int64_t ds;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct ts_err err = TS_ERR_INIT;

    if (!f)
        return -1;
    sup_tmp_path(f->path, sizeof(f->path), "export.db");
    if (db_open(f->path, &f->st, &err) != 0) {
        fprintf(stderr, "db_open: %s\n", err.msg);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    db_close(f->st);
    free(f);
    return 0;
}

static void imp_begin(struct fx *f, const char *format)
{
    struct ts_err err = TS_ERR_INIT;

    ingest_init(&f->ig, f->st, 0, 0);
    f->ig.imp.file = "test";
    f->ig.imp.format = format;
    if (db_begin(f->st, &err) != 0 ||
        db_dataset(f->st, "default", 1, &f->ig.imp.dataset, &err) != 1 ||
        db_import_start(f->st, &f->ig.imp, &err) != 0)
        fail_msg("starting an import: %s", err.msg);
    f->ds = f->ig.imp.dataset;
    ingest_sink(&f->ig, &f->sink);
}

static void imp_end(struct fx *f)
{
    struct ts_err err = TS_ERR_INIT;

    snprintf(f->ig.imp.sha256, sizeof(f->ig.imp.sha256), "sha-%lld", (long long)f->ig.imp.id);
    if (ingest_finish(&f->ig, &err) != 0 || db_commit(f->st, &err) != 0)
        fail_msg("ending an import: %s", err.msg);
    ingest_release(&f->ig);
}

/* One record; prompt .. requests TS_ABSENT unless given (split: prompt,
 * completion, reasoning, cached, requests). */
static void rec(struct fx *f, enum ts_period p, const char *date, const char *slug, int64_t total,
                const int64_t *split)
{
    struct ts_err err = TS_ERR_INIT;
    struct ts_record r;

    record_init(&r);
    r.period = p;
    r.date = D(date);
    r.model = slug;
    r.model_len = strlen(slug);
    r.total = total;
    if (split) {
        r.prompt = split[0];
        r.completion = split[1];
        r.reasoning = split[2];
        r.cached = split[3];
        r.requests = split[4];
    }
    if (f->sink.record(f->sink.ctx, &r, &err) != 0)
        fail_msg("record %s '%s': %s", date, slug, err.msg);
}

static void day(struct fx *f, const char *date, const char *slug, int64_t total)
{
    rec(f, TS_DAY, date, slug, total, NULL);
}

static void week(struct fx *f, const char *date, const char *slug, int64_t total)
{
    rec(f, TS_WEEK, date, slug, total, NULL);
}

/* ---- reading every row ---- */

/* A row as the test keeps it: "date period week model vendor country
 * family total prompt completion reasoning cached requests coverage". */
struct rows {
    char **line;
    size_t n;
};

static void rows_release(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->line[i]);
    free(r->line);
    memset(r, 0, sizeof(*r));
}

/* Every row of the export from..to, inside a read transaction. */
static void export_all(struct fx *f, const char *from, const char *to, struct rows *out)
{
    struct ts_err err = TS_ERR_INIT;
    struct db_export *x = NULL;
    struct export_row r;
    int rc;

    memset(out, 0, sizeof(*out));
    if (db_begin_read(f->st, &err) != 0 || db_export_open(f->st, f->ds, D(from), D(to), &x, &err))
        fail_msg("db_export_open: %s", err.msg);
    while ((rc = db_export_next(x, &r, &err)) > 0) {
        char date[TS_DATE_LEN + 1], monday[TS_DATE_LEN + 1], line[512];
        date_format(r.date, date);
        date_format(r.week, monday);
        snprintf(line, sizeof(line), "%s %s %s %s %s %s %s %lld %lld %lld %lld %lld %lld %s", date,
                 r.period == TS_DAY ? "day" : "week", monday, r.model, r.vendor, r.country,
                 r.family, (long long)r.total, (long long)r.prompt, (long long)r.completion,
                 (long long)r.reasoning, (long long)r.cached, (long long)r.requests,
                 r.full ? "full" : "listed");
        out->line = realloc(out->line, (out->n + 1) * sizeof(*out->line));
        out->line[out->n++] = strdup(line);
    }
    if (rc < 0)
        fail_msg("db_export_next: %s", err.msg);
    db_export_close(x);
    db_rollback(f->st);
}

static void expect_rows(const struct rows *got, const char *const *want, size_t n)
{
    for (size_t i = 0; i < got->n && i < n; i++) {
        if (strcmp(got->line[i], want[i]) != 0)
            fail_msg("row %zu:\n  got  %s\n  want %s", i, got->line[i], want[i]);
    }
    assert_int_equal(got->n, n);
}

/* ---- the rows ---- */

/* Rows come by date, then model in byte order (not by import order or
 * tokens); each with its week's Monday, vendor, country, family; counts
 * the source does not give are TS_ABSENT; a week with an other bucket is
 * full. */
static void test_order_and_fields(void **state)
{
    struct fx *f = *state;
    const int64_t split[] = {70, 30, 5, 10, 3};
    struct rows got;

    imp_begin(f, "openrouter-daily");
    day(f, "2026-02-11", "z-ai/glm-5-20260211", 500);
    day(f, "2026-02-10", "openai/gpt-5", 40);
    rec(f, TS_DAY, "2026-02-10", "anthropic/claude-4.6-opus-20260205:thinking", 100, split);
    day(f, "2026-02-10", "acme-labs/rocket-1", 7);
    day(f, "2026-02-11", "other", 900);
    day(f, "2026-02-15", "openai/gpt-5", 41);
    day(f, "2026-02-16", "openai/gpt-5", 42);
    imp_end(f);

    export_all(f, "1000-01-01", "9999-12-31", &got);
    static const char *const want[] = {
        "2026-02-10 day 2026-02-09 acme-labs/rocket-1 acme-labs unknown acme-labs/rocket-1 7 -1 -1 "
        "-1 -1 -1 full",
        "2026-02-10 day 2026-02-09 anthropic/claude-4.6-opus-20260205:thinking anthropic US "
        "anthropic/claude-4.6-opus 100 70 30 5 10 3 full",
        "2026-02-10 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 40 -1 -1 -1 -1 -1 full",
        "2026-02-11 day 2026-02-09 other other other other 900 -1 -1 -1 -1 -1 full",
        "2026-02-11 day 2026-02-09 z-ai/glm-5-20260211 z-ai CN z-ai/glm-5 500 -1 -1 -1 -1 -1 full",
        "2026-02-15 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 41 -1 -1 -1 -1 -1 full",
        /* The next week has no other bucket: its total is the listed models'. */
        "2026-02-16 day 2026-02-16 openai/gpt-5 openai US openai/gpt-5 42 -1 -1 -1 -1 -1 listed",
    };
    expect_rows(&got, want, sizeof(want) / sizeof(want[0]));
    rows_release(&got);
}

/* A week with daily rows gives only those (its weekly rows are left out,
 * as the reports leave them out); a week with only weekly rows gives them,
 * dated by the Monday. */
static void test_daily_over_weekly(void **state)
{
    struct fx *f = *state;
    struct rows got;

    imp_begin(f, "openrouter-chart");
    week(f, "2026-02-09", "openai/gpt-5", 9999);
    week(f, "2026-02-16", "openai/gpt-5", 7000);
    week(f, "2026-02-16", "Others", 100);
    imp_end(f);
    imp_begin(f, "openrouter-daily");
    day(f, "2026-02-12", "openai/gpt-5", 12);
    imp_end(f);

    export_all(f, "1000-01-01", "9999-12-31", &got);
    static const char *const want[] = {
        "2026-02-12 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 12 -1 -1 -1 -1 -1 listed",
        "2026-02-16 week 2026-02-16 openai/gpt-5 openai US openai/gpt-5 7000 -1 -1 -1 -1 -1 full",
        "2026-02-16 week 2026-02-16 other other other other 100 -1 -1 -1 -1 -1 full",
    };
    expect_rows(&got, want, sizeof(want) / sizeof(want[0]));
    rows_release(&got);
}

/* The family column is the one the reports group by: a shipped rule's
 * (kimi-k2.5-0127 is kimi-k2.5), a user's, else the default. */
static void test_family_rules(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;
    struct rows got;

    imp_begin(f, "openrouter-daily");
    day(f, "2026-02-10", "moonshotai/kimi-k2.5-0127", 5);
    day(f, "2026-02-10", "openai/gpt-5-mini", 6);
    day(f, "2026-02-10", "z-ai/glm-5-20260211:free", 7);
    imp_end(f);
    assert_int_equal(db_family_set(f->st, "openai/gpt-5", "openai/gpt-5", &err), 0);
    export_all(f, "1000-01-01", "9999-12-31", &got);
    static const char *const want[] = {
        "2026-02-10 day 2026-02-09 moonshotai/kimi-k2.5-0127 moonshotai CN moonshotai/kimi-k2.5 5 "
        "-1 -1 -1 -1 -1 listed",
        "2026-02-10 day 2026-02-09 openai/gpt-5-mini openai US openai/gpt-5 6 -1 -1 -1 -1 -1 "
        "listed",
        "2026-02-10 day 2026-02-09 z-ai/glm-5-20260211:free z-ai CN z-ai/glm-5 7 -1 -1 -1 -1 -1 "
        "listed",
    };
    expect_rows(&got, want, sizeof(want) / sizeof(want[0]));
    rows_release(&got);
}

/* --from/--to are days: daily rows inside them, a weekly row when its
 * Monday is; the ends are included. */
static void test_range(void **state)
{
    struct fx *f = *state;
    struct rows got;

    imp_begin(f, "openrouter-daily");
    for (int d = 9; d <= 15; d++) {
        char date[16];
        snprintf(date, sizeof(date), "2026-02-%02d", d);
        day(f, date, "openai/gpt-5", d);
    }
    imp_end(f);
    imp_begin(f, "openrouter-chart");
    week(f, "2026-02-16", "openai/gpt-5", 1600);
    week(f, "2026-02-23", "openai/gpt-5", 2300);
    imp_end(f);

    export_all(f, "2026-02-11", "2026-02-16", &got);
    static const char *const want[] = {
        "2026-02-11 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 11 -1 -1 -1 -1 -1 listed",
        "2026-02-12 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 12 -1 -1 -1 -1 -1 listed",
        "2026-02-13 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 13 -1 -1 -1 -1 -1 listed",
        "2026-02-14 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 14 -1 -1 -1 -1 -1 listed",
        "2026-02-15 day 2026-02-09 openai/gpt-5 openai US openai/gpt-5 15 -1 -1 -1 -1 -1 listed",
        "2026-02-16 week 2026-02-16 openai/gpt-5 openai US openai/gpt-5 1600 -1 -1 -1 -1 -1 "
        "listed",
    };
    expect_rows(&got, want, sizeof(want) / sizeof(want[0]));
    rows_release(&got);

    export_all(f, "2026-02-17", "2026-02-22", &got); /* inside a weekly row's week */
    assert_int_equal(got.n, 0);
    rows_release(&got);
}

static void test_empty(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;
    struct rows got;

    if (db_dataset(f->st, "default", 1, &f->ds, &err) != 1)
        fail_msg("db_dataset: %s", err.msg);
    export_all(f, "1000-01-01", "9999-12-31", &got);
    assert_int_equal(got.n, 0);
    rows_release(&got);
    db_export_close(NULL);
}

/* Over many models, days and weeks (more cells than a first allocation
 * holds), the rows sum per week and model to the roll-ups every report
 * reads, and are strictly ordered by (date, model). */
static void test_sums_match_reports(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;
    struct usage_row *u = NULL;
    struct db_export *x = NULL;
    struct export_row r;
    size_t n = 0, rows = 0;
    int32_t first = D("2025-12-29");
    int64_t sum[10][150] = {{0}};
    char prev[128] = "", slug[64];
    int32_t prev_date = 0;
    int rc;

    imp_begin(f, "openrouter-daily");
    for (int32_t d = first; d < first + 66; d++) { /* ends on a Tuesday: a partial week */
        char date[TS_DATE_LEN + 1];
        date_format(d, date);
        for (int m = 0; m < 150; m++) {
            if ((d + m) % 3 == 0)
                continue; /* not every model every day */
            snprintf(slug, sizeof(slug), "v%d/model-%03d", m % 7, m);
            day(f, date, slug, 1000 + (d - first) * 150 + m);
        }
    }
    imp_end(f);

    if (db_begin_read(f->st, &err) != 0 ||
        db_export_open(f->st, f->ds, first, first + 100, &x, &err) != 0)
        fail_msg("db_export_open: %s", err.msg);
    while ((rc = db_export_next(x, &r, &err)) > 0) {
        int m = atoi(strchr(r.model, '-') + 1);
        assert_true(r.date > prev_date || (r.date == prev_date && strcmp(r.model, prev) > 0));
        prev_date = r.date;
        snprintf(prev, sizeof(prev), "%s", r.model);
        assert_int_equal(r.week, week_start(r.date));
        sum[(r.week - first) / 7][m] += r.total;
        rows++;
    }
    assert_int_equal(rc, 0);
    db_export_close(x);
    if (db_usage(f->st, f->ds, first, first + 100, &u, &n, &err) != 0)
        fail_msg("db_usage: %s", err.msg);
    db_rollback(f->st);
    assert_int_equal(rows, (size_t)sup_sql_int(f->path, "SELECT COUNT(*) FROM usage"));
    assert_int_equal(n, 10 * 150);
    for (size_t i = 0; i < n; i++) {
        int m = atoi(strchr(u[i].slug, '-') + 1);
        assert_int_equal(sum[(u[i].week - first) / 7][m], u[i].tokens);
    }
    usage_rows_release(u, n);
}

/* A week of observations that cannot be read is an error naming the week,
 * never rows made up or left out in silence. */
static void test_damaged(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;
    struct db_export *x = NULL;
    struct export_row r;
    sqlite3 *db;

    imp_begin(f, "openrouter-daily");
    day(f, "2026-02-09", "openai/gpt-5", 1);
    day(f, "2026-02-16", "openai/gpt-5", 2);
    imp_end(f);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE obs_week SET days = '[1,' WHERE week = 20500", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);

    if (db_begin_read(f->st, &err) != 0 ||
        db_export_open(f->st, f->ds, D("2026-01-01"), D("2026-03-01"), &x, &err) != 0)
        fail_msg("db_export_open: %s", err.msg);
    assert_int_equal(db_export_next(x, &r, &err), 1);
    assert_int_equal(r.total, 1);
    assert_int_equal(db_export_next(x, &r, &err), -1);
    assert_non_null(strstr(err.msg, "damaged"));
    assert_non_null(strstr(err.msg, "2026-02-16"));
    db_export_close(x);
    db_rollback(f->st);
}

/* ---- writing rows ---- */

static const struct rs_col cols[] = {
    {"name", "name", RS_TEXT, 0},
    {"day", "day", RS_DATE, 0},
    {"tokens", "tokens", RS_TOKENS, 0},
};

/* Writes two rows in format fmt and returns the text (freed by the caller). */
static char *write_two(enum stream_format fmt)
{
    struct rs_cell a[3] = {
        {RS_VALUE, 0, 0, "plain"}, {RS_VALUE, 20500, 0, NULL}, {RS_VALUE, 4120000000000, 0, NULL}};
    struct rs_cell b[3] = {
        {RS_VALUE, 0, 0, "a,b \"c\"\n"}, {RS_NULL, 0, 0, NULL}, {RS_NULL, 0, 0, NULL}};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    assert_non_null(out);
    stream_header(fmt, cols, 3, out);
    stream_row(fmt, cols, 3, a, out);
    stream_row(fmt, cols, 3, b, out);
    fclose(out);
    return text;
}

static void test_stream_formats(void **state)
{
    enum stream_format f;
    char *text;

    (void)state;
    text = write_two(STREAM_CSV);
    assert_string_equal(text, "name,day,tokens\n"
                              "plain,2026-02-16,4120000000000\n"
                              "\"a,b \"\"c\"\"\n\",,\n");
    free(text);
    text = write_two(STREAM_JSONL);
    assert_string_equal(text,
                        "{\"name\":\"plain\",\"day\":\"2026-02-16\",\"tokens\":4120000000000}\n"
                        "{\"name\":\"a,b \\\"c\\\"\\u000a\",\"day\":null,\"tokens\":null}\n");
    free(text);
    assert_int_equal(stream_format_parse("csv", &f), 0);
    assert_int_equal(f, STREAM_CSV);
    assert_int_equal(stream_format_parse("jsonl", &f), 0);
    assert_int_equal(f, STREAM_JSONL);
    assert_string_equal(stream_format_name(f), "jsonl");
    assert_int_equal(stream_format_parse("json", &f), -1);
    assert_int_equal(stream_format_parse("CSV", &f), -1);
}

/* ---- families ---- */

static void family_is(const char *slug, const char *want)
{
    struct ts_buf b = TS_BUF_INIT;

    model_family(slug, &b);
    if (strcmp(b.data, want) != 0)
        fail_msg("family of '%s': got '%s', want '%s'", slug, b.data, want);
    buf_release(&b);
}

static void test_family(void **state)
{
    (void)state;
    family_is("anthropic/claude-4.6-opus-20260205", "anthropic/claude-4.6-opus");
    family_is("anthropic/claude-4.6-opus-20260205:thinking", "anthropic/claude-4.6-opus");
    family_is("minimax/minimax-m2.5:free", "minimax/minimax-m2.5");
    family_is("qwen/qwen3-coder-next-2025-02-03", "qwen/qwen3-coder-next");
    family_is("mistralai/mistral-small-3.2-24b-instruct-2506", /* not a date */
              "mistralai/mistral-small-3.2-24b-instruct-2506");
    family_is("moonshotai/kimi-k2.5-0127", "moonshotai/kimi-k2.5-0127");
    family_is("openai/gpt-5", "openai/gpt-5");
    family_is("other", "other");
    family_is("x/20260205", "x/20260205"); /* a date with no name before it stays */
}

/* A dataset of app rankings: its observations name apps (ids of the apps
 * table, which a model may share), so it has no model rows and is
 * refused, never read as models. */
static void test_apps_refused(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;
    struct app_list list;
    struct db_export *x = NULL;
    int64_t apps;

    imp_begin(f, "csv");
    week(f, "2026-02-09", "a/x", 10); /* the model of id 1 */
    imp_end(f);

    app_list_init(&list);
    ingest_init(&f->ig, f->st, 0, 0);
    f->ig.imp.file = "apps";
    f->ig.imp.format = "openrouter-apps";
    if (db_begin(f->st, &err) != 0 || db_dataset(f->st, "apps", 1, &apps, &err) != 1)
        fail_msg("the apps dataset: %s", err.msg);
    f->ig.imp.dataset = apps;
    if (db_import_start(f->st, &f->ig.imp, &err) != 0 ||
        db_dataset_claim(f->st, apps, "apps", DATASET_APPS, &list, &err) != 0)
        fail_msg("claiming the apps dataset: %s", err.msg);
    ingest_sink(&f->ig, &f->sink);
    struct ts_app app = {D("2026-02-09"), 501, "Chat", 99, 3, 1, "data[0]"};
    if (f->sink.app(f->sink.ctx, &app, &err) != 0)
        fail_msg("an app: %s", err.msg);
    imp_end(f);

    assert_int_equal(db_begin_read(f->st, &err), 0);
    assert_int_equal(db_export_open(f->st, apps, D("2026-01-01"), D("2026-12-31"), &x, &err), -1);
    assert_null(x);
    assert_string_equal(err.msg, "the dataset holds app rankings, not model usage: no model rows");
    db_rollback(f->st);

    struct rows r;
    export_all(f, "2026-01-01", "2026-12-31", &r); /* the model dataset, as before */
    assert_int_equal(r.n, 1);
    assert_string_equal(r.line[0], "2026-02-09 week 2026-02-09 a/x a unknown a/x 10 -1 -1 -1 -1 -1 "
                                   "listed");
    rows_release(&r);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_order_and_fields),
        T(test_daily_over_weekly),
        T(test_range),
        T(test_empty),
        T(test_sums_match_reports),
        T(test_damaged),
        T(test_apps_refused),
        cmocka_unit_test(test_stream_formats),
        cmocka_unit_test(test_family),
        T(test_family_rules),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
