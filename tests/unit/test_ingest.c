/* test_ingest.c - records through the ingest sink into a store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rollup.h"
#include "import/ingest.h"
#include "support.h"
#include "core/week.h"

/* One store file per test, one import at a time through ig. */
struct fx {
    char path[256];
    struct db *st;
    struct ingest ig;
    struct ts_sink sink;
    int open_import;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct ts_err err = TS_ERR_INIT;

    sup_tmp_path(f->path, sizeof(f->path), "test.db");
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

    if (f->open_import)
        ingest_release(&f->ig);
    db_close(f->st);
    free(f);
    return 0;
}

/* Starts an import into dataset "default". */
static void start(struct fx *f, int label_end, int32_t price_day)
{
    struct ts_err err = TS_ERR_INIT;

    ingest_init(&f->ig, f->st, label_end, price_day);
    f->open_import = 1;
    f->ig.imp.file = "test";
    f->ig.imp.format = "csv";
    if (db_begin(f->st, &err) != 0)
        fail_msg("db_begin: %s", err.msg);
    assert_int_equal(db_dataset(f->st, "default", 1, &f->ig.imp.dataset, &err), 1);
    assert_int_equal(db_import_start(f->st, &f->ig.imp, &err), 0);
    ingest_sink(&f->ig, &f->sink);
    assert_ptr_equal(f->sink.ctx, &f->ig);
    assert_non_null(f->sink.record);
    assert_non_null(f->sink.price);
    assert_non_null(f->sink.as_of);
}

static void finish(struct fx *f)
{
    struct ts_err err = TS_ERR_INIT;

    snprintf(f->ig.imp.sha256, sizeof(f->ig.imp.sha256), "sha-%lld", (long long)f->ig.imp.id);
    f->ig.imp.as_of = f->ig.as_of;
    assert_int_equal(db_import_finish(f->st, &f->ig.imp, &err), 0);
    if (db_commit(f->st, &err) != 0)
        fail_msg("db_commit: %s", err.msg);
    ingest_release(&f->ig);
    f->open_import = 0;
}

/* Closes and reopens the store, as a new tokstat process would. */
static void reopen(struct fx *f)
{
    struct ts_err err = TS_ERR_INIT;

    db_close(f->st);
    f->st = NULL;
    if (db_open(f->path, &f->st, &err) != 0)
        fail_msg("db_open: %s", err.msg);
}

static struct ts_record rec(enum ts_period p, const char *date, const char *model, int64_t total)
{
    struct ts_record r;

    record_init(&r);
    r.period = p;
    r.date = D(date);
    r.model = model;
    r.model_len = strlen(model);
    r.total = total;
    return r;
}

static void put_ok(struct fx *f, const struct ts_record *r)
{
    struct ts_err err = TS_ERR_INIT;

    if (f->sink.record(f->sink.ctx, r, &err) != 0)
        fail_msg("record '%s': %s", r->model, err.msg);
}

static int put(struct fx *f, const struct ts_record *r, struct ts_err *err)
{
    ts_err_clear(err);
    return f->sink.record(f->sink.ctx, r, err);
}

/* One integer from a separate connection (sup_sql_int on the formatted
 * SQL); -1 for NULL, -999 for no row. */
static int64_t sql_int(struct fx *f, const char *fmt, ...)
{
    char sql[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return sup_sql_int(f->path, sql);
}

/* The total stored for (granularity, period, slug), -999 when absent. */
static int64_t stored(struct fx *f, enum ts_period g, const char *period, const char *slug)
{
    return sql_int(f,
                   "SELECT o.total FROM observations o JOIN models m ON m.id = o.model_id"
                   " WHERE o.granularity = %d AND o.period = %d AND m.slug = '%s'",
                   (int)g, (int)D(period), slug);
}

static void assert_counts(const struct ingest *ig, int64_t rows, int64_t ins, int64_t upd,
                          int64_t unch)
{
    if (ig->imp.rows != rows || ig->imp.inserted != ins || ig->imp.updated != upd ||
        ig->imp.unchanged != unch)
        fail_msg("counts: got %lld rows, %lld inserted, %lld updated, %lld unchanged; expected "
                 "%lld, %lld, %lld, %lld",
                 (long long)ig->imp.rows, (long long)ig->imp.inserted, (long long)ig->imp.updated,
                 (long long)ig->imp.unchanged, (long long)rows, (long long)ins, (long long)upd,
                 (long long)unch);
}

static void test_daily_record(void **state)
{
    struct fx *f = *state;
    struct ts_record r = rec(TS_DAY, "2026-02-11", "DeepSeek/DeepSeek-Chat", 595090081549LL);

    r.prompt = 500000000000LL;
    r.completion = 95090081549LL;
    r.requests = 12;
    start(f, 0, D("2026-02-20"));
    put_ok(f, &r);
    assert_counts(&f->ig, 1, 1, 0, 0);
    assert_int_equal(f->ig.imp.prices, 0);
    assert_true(f->ig.have_period);
    assert_int_equal(f->ig.first_period, D("2026-02-11"));
    assert_int_equal(f->ig.last_period, D("2026-02-11"));
    finish(f);

    assert_int_equal(stored(f, TS_DAY, "2026-02-11", "deepseek/DeepSeek-Chat"), 595090081549LL);
    assert_int_equal(sql_int(f, "SELECT vendor = 'deepseek' FROM models"), 1);
    assert_int_equal(sql_int(f, "SELECT prompt FROM observations"), 500000000000LL);
    assert_int_equal(sql_int(f, "SELECT completion FROM observations"), 95090081549LL);
    assert_int_equal(sql_int(f, "SELECT reasoning FROM observations"), -1);
    assert_int_equal(sql_int(f, "SELECT cached FROM observations"), -1);
    assert_int_equal(sql_int(f, "SELECT requests FROM observations"), 12);
    assert_int_equal(sql_int(f, "SELECT import_id FROM observations"), f->ig.imp.id);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM prices"), 0);
    assert_int_equal(sql_int(f, "SELECT rows FROM imports"), 1);
    assert_int_equal(sql_int(f, "SELECT inserted FROM imports"), 1);
}

static void test_weekly_label_start(void **state)
{
    struct fx *f = *state;

    start(f, 0, 0);
    struct ts_record r = rec(TS_WEEK, "2026-02-09", "a/monday", 1);
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-11", "a/wednesday", 2);
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-15", "a/sunday", 3);
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-16", "a/next-monday", 4);
    put_ok(f, &r);
    assert_counts(&f->ig, 4, 4, 0, 0);
    assert_int_equal(f->ig.first_period, D("2026-02-09"));
    assert_int_equal(f->ig.last_period, D("2026-02-22"));
    finish(f);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-09", "a/monday"), 1);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-09", "a/wednesday"), 2);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-09", "a/sunday"), 3);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-16", "a/next-monday"), 4);
}

static void test_weekly_label_end(void **state)
{
    struct fx *f = *state;

    start(f, 1, 0);
    struct ts_record r = rec(TS_WEEK, "2026-02-15", "a/sunday-end", 1);
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-16", "a/monday-after", 2);
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-11", "a/wednesday", 3);
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-09", "a/monday", 4);
    put_ok(f, &r);
    /* Daily records are never moved by the week label. */
    r = rec(TS_DAY, "2026-02-16", "a/daily", 5);
    put_ok(f, &r);
    assert_counts(&f->ig, 5, 5, 0, 0);
    assert_int_equal(f->ig.first_period, D("2026-02-02"));
    assert_int_equal(f->ig.last_period, D("2026-02-16"));
    finish(f);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-09", "a/sunday-end"), 1);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-09", "a/monday-after"), 2);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-09", "a/wednesday"), 3);
    assert_int_equal(stored(f, TS_WEEK, "2026-02-02", "a/monday"), 4);
    assert_int_equal(stored(f, TS_DAY, "2026-02-16", "a/daily"), 5);
}

static void test_duplicate_daily(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;

    start(f, 0, 0);
    struct ts_record r = rec(TS_DAY, "2026-01-01", "x", 1);
    r.line = 16;
    put_ok(f, &r);
    r.total = 2;
    r.line = 17;
    r.col = 0;
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "duplicate row for model 'x' on 2026-01-01 (each period and model "
                                 "may appear once in a file)");
    assert_int_equal(err.line, 17);
    assert_int_equal(err.col, 0);
    assert_counts(&f->ig, 1, 1, 0, 0);
    ingest_release(&f->ig);
    f->open_import = 0;
    db_rollback(f->st);
}

static void test_duplicate_weekly_and_where(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;

    start(f, 0, 0);
    struct ts_record r = rec(TS_WEEK, "2026-02-10", "a/b", 1);
    r.where = "weeks[0]";
    put_ok(f, &r);
    /* Another label in the same week is the same key. */
    r = rec(TS_WEEK, "2026-02-12", "a/b", 2);
    r.where = "weeks[1]";
    r.line = 3;
    r.col = 41;
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "weeks[1]: duplicate row for model 'a/b' in the week of "
                                 "2026-02-09 (each period and model may appear once in a file)");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 41);
    ingest_release(&f->ig);
    f->open_import = 0;
    db_rollback(f->st);
}

/* Slugs that normalise to the same key are duplicates. */
static void test_duplicate_after_normalising(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;

    start(f, 0, 0);
    struct ts_record r = rec(TS_DAY, "2026-01-01", "DeepSeek/chat", 1);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-01", " deepseek/chat ", 1);
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "duplicate row for model 'deepseek/chat' on 2026-01-01 (each "
                                 "period and model may appear once in a file)");
    r = rec(TS_DAY, "2026-01-01", "other", 1);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-01", "Others", 1);
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "duplicate row for model 'other' on 2026-01-01 (each period and "
                                 "model may appear once in a file)");
    /* The model's case after the vendor matters. */
    r = rec(TS_DAY, "2026-01-01", "deepseek/Chat", 1);
    put_ok(f, &r);
    assert_counts(&f->ig, 3, 3, 0, 0);
    finish(f);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM models"), 3);
}

static void test_bad_slug(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;

    start(f, 0, 0);
    /* Whole-document JSON: the path goes in front. */
    struct ts_record r = rec(TS_DAY, "2026-01-01", "", 1);
    r.where = "data[3]";
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "data[3]: empty model slug");
    /* CSV: the line and column. */
    r = rec(TS_DAY, "2026-01-01", "   ", 1);
    r.line = 17;
    r.col = 12;
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "empty model slug");
    assert_int_equal(err.line, 17);
    assert_int_equal(err.col, 12);
    r = rec(TS_DAY, "2026-01-01", "/gpt", 1);
    r.where = "[0]";
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "[0]: model slug '/gpt' has no vendor before '/'");
    r = rec(TS_DAY, "2026-01-01", "a/\xc3", 1);
    r.line = 2;
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "model slug 'a/\\xc3' is not valid UTF-8 text");
    assert_int_equal(err.line, 2);
    assert_counts(&f->ig, 0, 0, 0, 0);
    assert_false(f->ig.have_period);
    ingest_release(&f->ig);
    f->open_import = 0;
    db_rollback(f->st);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM models"), 0);
}

/* Three records, then a revised dump: unchanged, updated, inserted. */
static void import_twice(struct fx *f, int reopen_between)
{
    start(f, 0, 0);
    struct ts_record r = rec(TS_DAY, "2026-01-01", "a/same", 10);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-01", "a/revised", 20);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-01", "a/prompt-later", 30);
    put_ok(f, &r);
    assert_counts(&f->ig, 3, 3, 0, 0);
    finish(f);
    if (reopen_between)
        reopen(f);

    start(f, 0, 0);
    r = rec(TS_DAY, "2026-01-01", "a/same", 10);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-01", "a/revised", 21);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-01", "a/prompt-later", 30);
    r.prompt = 25;
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-02", "a/same", 11);
    put_ok(f, &r);
    assert_counts(&f->ig, 4, 1, 2, 1);
    finish(f);
    assert_int_equal(stored(f, TS_DAY, "2026-01-01", "a/revised"), 21);
    assert_int_equal(sql_int(f, "SELECT updated FROM imports ORDER BY id DESC LIMIT 1"), 2);
    assert_int_equal(sql_int(f, "SELECT unchanged FROM imports ORDER BY id DESC LIMIT 1"), 1);
}

static void test_counts_across_imports(void **state)
{
    import_twice(*state, 1);
}

/* The same, in one process: `tokstat import old.csv new.csv`. */
static void test_counts_across_imports_one_session(void **state)
{
    import_twice(*state, 0);
}

static void test_summary_range(void **state)
{
    struct fx *f = *state;

    start(f, 0, 0);
    assert_false(f->ig.have_period);
    struct ts_record r = rec(TS_DAY, "2026-01-05", "a/b", 1);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-01", "a/b", 1);
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-01-03", "a/b", 1);
    put_ok(f, &r);
    assert_int_equal(f->ig.first_period, D("2026-01-01"));
    assert_int_equal(f->ig.last_period, D("2026-01-05"));
    /* A weekly record covers its whole week. */
    r = rec(TS_WEEK, "2026-01-07", "a/b", 7);
    put_ok(f, &r);
    assert_int_equal(f->ig.first_period, D("2026-01-01"));
    assert_int_equal(f->ig.last_period, D("2026-01-11"));
    r = rec(TS_WEEK, "2025-12-29", "a/b", 7);
    put_ok(f, &r);
    assert_int_equal(f->ig.first_period, D("2025-12-29"));
    assert_int_equal(f->ig.last_period, D("2026-01-11"));
    finish(f);
}

static void test_snapshot_prices(void **state)
{
    struct fx *f = *state;

    start(f, 1, D("2026-03-01"));
    struct ts_record r = rec(TS_WEEK, "2026-02-16", "MiniMax/minimax-m2.5-20260211", 1440000000000);
    r.prompt_price = 300000;
    r.completion_price = 1200000;
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-16", "a/prompt-only", 1);
    r.prompt_price = 0;
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-02-16", "a/no-price", 1);
    put_ok(f, &r);
    assert_int_equal(f->ig.imp.prices, 2);
    assert_counts(&f->ig, 3, 3, 0, 0);
    finish(f);

    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM prices"), 2);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM prices WHERE source = 'snapshot'"), 2);
    assert_int_equal(sql_int(f, "SELECT valid_from FROM prices"
                                " WHERE model = 'minimax/minimax-m2.5-20260211'"),
                     D("2026-02-09"));
    assert_int_equal(
        sql_int(f, "SELECT prompt FROM prices WHERE model = 'minimax/minimax-m2.5-20260211'"),
        300000);
    assert_int_equal(
        sql_int(f, "SELECT completion FROM prices WHERE model = 'minimax/minimax-m2.5-20260211'"),
        1200000);
    assert_int_equal(sql_int(f, "SELECT import_id FROM prices LIMIT 1"), f->ig.imp.id);
    assert_int_equal(sql_int(f, "SELECT prompt FROM prices WHERE model = 'a/prompt-only'"), 0);
    assert_int_equal(sql_int(f, "SELECT completion FROM prices WHERE model = 'a/prompt-only'"), -1);
    assert_int_equal(sql_int(f, "SELECT prices FROM imports"), 2);
}

static int put_price(struct fx *f, const char *model, int64_t prompt, int64_t completion,
                     const char *where, struct ts_err *err)
{
    struct ts_price p = {model, model, prompt, completion, where, 0, 0};

    ts_err_clear(err);
    return f->sink.price(f->sink.ctx, &p, err);
}

static void test_catalogue_prices(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;

    start(f, 0, D("2026-05-20"));
    assert_int_equal(put_price(f, "AI21/jamba-large-1.7", 2000000, 8000000, "data[0]", &err), 0);
    assert_int_equal(put_price(f, "openai/gpt-4o:free", 0, TS_ABSENT, "data[1]", &err), 0);
    assert_int_equal(f->ig.imp.prices, 2);
    assert_counts(&f->ig, 0, 0, 0, 0);
    assert_null(f->ig.as_of);
    /* An as-of time moves the day prices are valid from. */
    f->sink.as_of(f->sink.ctx, "2026-05-01T12:00:00Z");
    assert_string_equal(f->ig.as_of, "2026-05-01T12:00:00Z");
    assert_int_equal(f->ig.price_day, D("2026-05-01"));
    assert_int_equal(put_price(f, "mistralai/mistral-large", 2, 6, "data[2]", &err), 0);
    /* One that is not a date keeps the day (ingest_finish refuses it:
     * test_as_of_refused). */
    f->sink.as_of(f->sink.ctx, "fetched recently");
    assert_string_equal(f->ig.as_of, "fetched recently");
    assert_int_equal(f->ig.price_day, D("2026-05-01"));
    assert_int_equal(put_price(f, "", 1, 1, "data[3]", &err), -1);
    assert_string_equal(err.msg, "data[3]: empty model slug");
    assert_int_equal(f->ig.imp.prices, 3);
    finish(f);

    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM prices WHERE source = 'catalogue'"), 3);
    assert_int_equal(
        sql_int(f, "SELECT valid_from FROM prices WHERE model = 'ai21/jamba-large-1.7'"),
        D("2026-05-20"));
    assert_int_equal(sql_int(f, "SELECT prompt FROM prices WHERE model = 'ai21/jamba-large-1.7'"),
                     2000000);
    assert_int_equal(
        sql_int(f, "SELECT completion FROM prices WHERE model = 'ai21/jamba-large-1.7'"), 8000000);
    assert_int_equal(sql_int(f, "SELECT completion FROM prices WHERE model = 'openai/gpt-4o:free'"),
                     -1);
    assert_int_equal(
        sql_int(f, "SELECT valid_from FROM prices WHERE model = 'mistralai/mistral-large'"),
        D("2026-05-01"));
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM imports WHERE as_of = 'fetched recently'"),
                     1);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 0);
}

/* Ends the import with ingest_finish, as import does; returns what it
 * returned and rolls back. */
static int finish_real(struct fx *f, struct ts_err *err)
{
    ts_err_clear(err);
    int rc = ingest_finish(&f->ig, err);
    db_rollback(f->st);
    ingest_release(&f->ig);
    f->open_import = 0;
    return rc;
}

/* An as-of time is cited in every report's source line: one that is no
 * ISO 8601 date or time (a terminal escape riding along), or one from the
 * future (the newest would win for ever), refuses the file. */
static void test_as_of_refused(void **state)
{
    static const struct {
        const char *as_of;
        const char *msg; /* NULL: accepted */
    } cases[] = {
        {"9999 \x1b[2J\x1b]0;x\x07",
         "as-of time '9999 \\x1b[2J\\x1b]0;x\\x07' is not an ISO 8601 date or time (expected "
         "YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ; --as-of DATE overrides it)"},
        {"2026-05-01T12:00:00Z\n",
         "as-of time '2026-05-01T12:00:00Z\\x0a' is not an ISO 8601 date or "
         "time (expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ; --as-of DATE "
         "overrides it)"},
        {"fetched recently", "as-of time 'fetched recently' is not an ISO 8601 date or time "
                             "(expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ; --as-of DATE "
                             "overrides it)"},
        {"2026-05-22", "as-of time '2026-05-22' is in the future (expected a time before "
                       "tomorrow's end; --as-of DATE overrides it)"},
        {"9999-12-31T23:59:59Z", "as-of time '9999-12-31T23:59:59Z' is in the future (expected "
                                 "a time before tomorrow's end; --as-of DATE overrides it)"},
        {"1970-01-01T00:00:00Z", "as-of time '1970-01-01T00:00:00Z' is out of range (expected "
                                 "a time from 2000-01-01 on, as rows' dates; --as-of DATE "
                                 "overrides it)"},
        {"1999-12-31T23:59:59Z", "as-of time '1999-12-31T23:59:59Z' is out of range (expected "
                                 "a time from 2000-01-01 on, as rows' dates; --as-of DATE "
                                 "overrides it)"},
        {"2000-01-01", NULL},
        {"2026-05-21T23:59:59+02:00", NULL}, /* tomorrow: time zones */
        {"2026-05-20", NULL},
        {"2026-05-01T12:00:00Z", NULL},
    };
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        start(f, 0, D("2026-05-20"));
        struct ts_record r = rec(TS_DAY, "2026-05-04", "a/b", 5);
        put_ok(f, &r);
        f->sink.as_of(f->sink.ctx, cases[i].as_of);
        int rc = finish_real(f, &err);
        if (!cases[i].msg) {
            if (rc != 0)
                fail_msg("'%s' refused: %s", cases[i].as_of, err.msg);
            continue;
        }
        assert_int_equal(rc, -1);
        assert_string_equal(err.msg, cases[i].msg);
    }
    /* --as-of (the user's word) is the one kept: the file's is not looked at. */
    start(f, 0, D("2026-05-20"));
    f->sink.as_of(f->sink.ctx, "2026-05-01");
    f->ig.as_of_fixed = 1;
    f->sink.as_of(f->sink.ctx, "9999 \x1b[2J");
    struct ts_record r = rec(TS_DAY, "2026-05-04", "a/b", 5);
    put_ok(f, &r);
    assert_int_equal(finish_real(f, &err), 0);
}

/* A week's total over all its models must stay below 2^63, with what the
 * dataset held before: an import that would pass it is refused at the
 * file's last row in that week, and changes nothing. */
static void test_week_total_refused(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;
    const int64_t big = 5000000000000000000LL; /* two of them pass 2^63 */
    struct ts_record r;

    /* Within one file: daily rows of two models, another week between. */
    start(f, 0, D("2026-05-20"));
    r = rec(TS_DAY, "2026-03-02", "a/x", big);
    r.line = 2;
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-03-09", "a/x", 1);
    r.line = 3;
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-03-08", "b/y", big);
    r.line = 4;
    r.col = 7;
    put_ok(f, &r);
    r = rec(TS_DAY, "2026-03-16", "a/x", 1);
    r.line = 5;
    put_ok(f, &r);
    assert_int_equal(finish_real(f, &err), -1);
    assert_string_equal(err.msg, "the tokens of the week of 2026-03-02 reach 2^63 (a week's total "
                                 "over all its models must stay below 2^63)");
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 7);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 0);

    /* Weekly rows, and a JSON document's path when there are no lines. */
    start(f, 0, D("2026-05-20"));
    r = rec(TS_WEEK, "2026-03-02", "a/x", big);
    r.where = "data[0]";
    put_ok(f, &r);
    r = rec(TS_WEEK, "2026-03-02", "b/y", big);
    r.where = "data[1]";
    put_ok(f, &r);
    assert_int_equal(finish_real(f, &err), -1);
    assert_string_equal(err.msg, "data[1]: the tokens of the week of 2026-03-02 reach 2^63 (a "
                                 "week's total over all its models must stay below 2^63)");
    assert_int_equal(err.line, 0);

    /* Across files: what the week held before counts. */
    start(f, 0, D("2026-05-20"));
    r = rec(TS_DAY, "2026-03-03", "a/x", big);
    put_ok(f, &r);
    finish(f);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 1);
    struct ts_err e2 = TS_ERR_INIT;
    start(f, 0, D("2026-05-20"));
    assert_int_equal(
        db_rollup(f->st, f->ig.imp.dataset, D("2026-03-03"), D("2026-03-03"), NULL, &e2),
        0); /* the first file's roll-up, which finish() does not make */
    r = rec(TS_DAY, "2026-03-04", "b/y", big - 1);
    r.line = 9;
    put_ok(f, &r);
    assert_int_equal(finish_real(f, &err), -1);
    assert_int_equal(err.line, 9);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 1);

    /* Up to 2^63 - 1 is fine. */
    start(f, 0, D("2026-05-20"));
    r = rec(TS_DAY, "2026-03-05", "b/y", INT64_MAX - big);
    put_ok(f, &r);
    assert_int_equal(finish_real(f, &err), 0);
}

static void test_release(void **state)
{
    struct fx *f = *state;
    struct ingest ig;

    ingest_init(&ig, f->st, 1, 42);
    assert_ptr_equal(ig.st, f->st);
    assert_int_equal(ig.label_end, 1);
    assert_int_equal(ig.price_day, 42);
    assert_int_equal(ig.imp.rows, 0);
    assert_false(ig.have_period);
    assert_null(ig.as_of);
    ingest_release(&ig);
    ingest_release(&ig); /* twice is safe */
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

/* Many rows, many cells: the store keeps an import's cells in memory and
 * writes them when its table is half full (8,192 cells) and at the end.
 * Counts, revisions and duplicates must not depend on where that happens,
 * a duplicate of a row found unchanged before its cell was written
 * included. */
static void put_grid(struct fx *f, int from_day, int to_day, int models, int changed_model)
{
    char slug[32];

    for (int d = from_day; d < to_day; d++) {
        for (int m = 0; m < models; m++) {
            snprintf(slug, sizeof(slug), "v/m%05d", m);
            struct ts_record r = rec(TS_DAY, "2026-03-02", slug, 1000 * d + m);
            r.date += d;
            r.line = 2 + d * models + m;
            if (m == changed_model && d < 5)
                r.total++;
            put_ok(f, &r);
        }
    }
}

static void test_many_cells(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;

    start(f, 0, 0);
    put_grid(f, 0, 5, 40, -1);
    assert_counts(&f->ig, 200, 200, 0, 0);
    finish(f);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 200);
    assert_int_equal(stored(f, TS_DAY, "2026-03-06", "v/m00039"), 4039);

    /* Two new days (a new week), one model revised on the five old days. */
    start(f, 0, 0);
    put_grid(f, 0, 7, 40, 7);
    assert_counts(&f->ig, 280, 80, 5, 195);
    finish(f);
    assert_int_equal(stored(f, TS_DAY, "2026-03-03", "v/m00007"), 1008);
    assert_int_equal(stored(f, TS_DAY, "2026-03-03", "v/m00008"), 1008);
    assert_int_equal(stored(f, TS_DAY, "2026-03-08", "v/m00039"), 6039);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 280);

    /* 9,000 models: more cells than the table holds before it is written. */
    start(f, 0, 0);
    put_grid(f, 14, 15, 9000, -1);
    assert_counts(&f->ig, 9000, 9000, 0, 0);
    finish(f);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 9280);
    assert_int_equal(stored(f, TS_DAY, "2026-03-16", "v/m00000"), 14000);
    assert_int_equal(stored(f, TS_DAY, "2026-03-16", "v/m08999"), 22999);

    /* The same again, all unchanged; then the first row once more, whose
     * cell was written (and forgotten) long before: a duplicate. */
    start(f, 0, 0);
    put_grid(f, 14, 15, 9000, -1);
    assert_counts(&f->ig, 9000, 0, 0, 9000);
    struct ts_record r = rec(TS_DAY, "2026-03-16", "v/m00000", 14000);
    r.line = 99999;
    assert_int_equal(put(f, &r, &err), -1);
    assert_string_equal(err.msg, "duplicate row for model 'v/m00000' on 2026-03-16 (each period "
                                 "and model may appear once in a file)");
    assert_int_equal(err.line, 99999);
    ingest_release(&f->ig);
    f->open_import = 0;
    db_rollback(f->st);

    /* A revised row whose cell was written, then its copy: a duplicate. */
    start(f, 0, 0);
    r = rec(TS_DAY, "2026-03-16", "v/m00001", 5);
    put_ok(f, &r);
    put_grid(f, 0, 1, 9000, -1); /* new models on day 0 fill the table */
    r.line = 7;
    assert_int_equal(put(f, &r, &err), -1);
    assert_int_equal(err.line, 7);
    ingest_release(&f->ig);
    f->open_import = 0;
    db_rollback(f->st);
    assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM observations"), 9280);
    assert_int_equal(stored(f, TS_DAY, "2026-03-16", "v/m00001"), 14001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_daily_record),
        T(test_weekly_label_start),
        T(test_weekly_label_end),
        T(test_duplicate_daily),
        T(test_duplicate_weekly_and_where),
        T(test_duplicate_after_normalising),
        T(test_bad_slug),
        T(test_counts_across_imports),
        T(test_counts_across_imports_one_session),
        T(test_summary_range),
        T(test_snapshot_prices),
        T(test_catalogue_prices),
        T(test_as_of_refused),
        T(test_week_total_refused),
        T(test_release),
        T(test_many_cells),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
