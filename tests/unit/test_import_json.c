/* test_import_json.c - JSON Lines and whole-document JSON importers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "support.h"
#include "core/util.h"
#include "core/week.h"

/* One test's state: what was collected and the error. */
struct run {
    struct sup_collect c;
    struct ts_err err;
    enum ts_format shape;
    int rc;
};

enum which { JSONL, DOC };

static void run_fp_opts(struct run *r, FILE *fp, enum which w, const struct import_opts *o)
{
    struct ts_input in;
    struct ts_sink sink;

    sup_collect_sink(&r->c, &sink);
    input_from_fp(&in, fp, "test");
    r->shape = TS_FMT_CSV; /* anything the importer must overwrite */
    if (w == JSONL)
        r->rc = import_jsonl(&in, o, &sink, &r->err);
    else
        r->rc = import_json_doc(&in, o, &sink, &r->shape, &r->err);
    input_release(&in);
}

static struct import_opts opts(enum ts_format format, int period)
{
    struct import_opts o = IMPORT_OPTS_INIT;

    o.format = format;
    o.period = period;
    return o;
}

static void run_fp(struct run *r, FILE *fp, enum which w, enum ts_format format, int period)
{
    struct import_opts o = opts(format, period);

    run_fp_opts(r, fp, w, &o);
}

/* Runs an importer with options o over a string. */
static void run_str_opts(struct run *r, const char *text, enum which w, const struct import_opts *o)
{
    memset(r, 0, sizeof(*r));
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(fp);
    run_fp_opts(r, fp, w, o);
    fclose(fp);
}

/* Runs an importer over a string. */
static void run_str(struct run *r, const char *text, enum which w, enum ts_format format,
                    int period)
{
    struct import_opts o = opts(format, period);

    run_str_opts(r, text, w, &o);
}

/* Runs an importer over tests/data/json/<name>. */
static void run_file(struct run *r, const char *name, enum which w, enum ts_format format)
{
    char rel[256];

    memset(r, 0, sizeof(*r));
    snprintf(rel, sizeof(rel), "json/%s", name);
    FILE *fp = sup_open_data(rel);
    run_fp(r, fp, w, format, -1);
    fclose(fp);
}

static void doc(struct run *r, const char *text)
{
    run_str(r, text, DOC, TS_FMT_AUTO, -1);
}

static void jsonl(struct run *r, const char *text)
{
    run_str(r, text, JSONL, TS_FMT_AUTO, -1);
}

static void expect_ok(struct run *r)
{
    if (r->rc != 0)
        fail_msg("unexpected error %ld:%ld: %s", r->err.line, r->err.col, r->err.msg);
}

static void expect_err(struct run *r, long line, long col, const char *msg)
{
    if (r->rc != -1 || strcmp(r->err.msg, msg) != 0 || r->err.line != line || r->err.col != col)
        fail_msg("got %d %ld:%ld '%s', expected -1 %ld:%ld '%s'", r->rc, r->err.line, r->err.col,
                 r->err.msg, line, col, msg);
}

static void expect_rec(const struct sup_rec *g, enum ts_period period, const char *date,
                       const char *model, int64_t total)
{
    assert_int_equal(g->period, period);
    assert_int_equal(g->date, D(date));
    assert_string_equal(g->model, model);
    assert_int_equal(g->total, total);
}

/* A whole document holding one record whose total_tokens is the given
 * JSON text; the error it gives, or "" when it imports. */
static const char *total_error(struct run *r, const char *value)
{
    char text[512];

    snprintf(text, sizeof(text), "[{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":%s}]",
             value);
    sup_collect_release(&r->c);
    doc(r, text);
    return r->rc == 0 ? "" : r->err.msg;
}

/* ---- JSON Lines ---- */

static void test_jsonl_records(void **state)
{
    struct run r;
    (void)state;

    jsonl(&r, "{\"date\":\"2026-05-24\",\"model\":\"a/x\",\"total_tokens\":\"595090081549\"}\r\n"
              "\r\n"
              "   \n"
              "{\"week\":\"2026-05-18\",\"slug\":\"b/y\",\"tokens\":12.5,\"requests\":7}\r\n"
              "{\"day\":\"2026-05-25\",\"model_id\":\"c/z\",\"prompt_tokens\":10,"
              "\"completion_tokens\":\"5\",\"extra\":[1,2],\"cached_tokens\":null}");
    expect_ok(&r);
    assert_int_equal(r.c.n, 3);
    expect_rec(&r.c.recs[0], TS_DAY, "2026-05-24", "a/x", 595090081549);
    assert_int_equal(r.c.recs[0].line, 1);
    assert_null(r.c.recs[0].where);
    assert_int_equal(r.c.recs[0].prompt, TS_ABSENT);
    assert_int_equal(r.c.recs[0].requests, TS_ABSENT);
    expect_rec(&r.c.recs[1], TS_WEEK, "2026-05-18", "b/y", 13);
    assert_int_equal(r.c.recs[1].line, 4);
    assert_int_equal(r.c.recs[1].requests, 7);
    expect_rec(&r.c.recs[2], TS_DAY, "2026-05-25", "c/z", 15);
    assert_int_equal(r.c.recs[2].prompt, 10);
    assert_int_equal(r.c.recs[2].completion, 5);
    assert_int_equal(r.c.recs[2].cached, TS_ABSENT);
    assert_int_equal(r.c.recs[2].line, 5);
    sup_collect_release(&r.c);
}

static void test_jsonl_forced_period(void **state)
{
    struct run r;
    (void)state;

    run_str(&r, "{\"date\":\"2026-02-16\",\"model\":\"m\",\"total_tokens\":1}\n", JSONL,
            TS_FMT_JSONL, TS_WEEK);
    expect_ok(&r);
    assert_int_equal(r.c.n, 1);
    expect_rec(&r.c.recs[0], TS_WEEK, "2026-02-16", "m", 1);
    sup_collect_release(&r.c);
}

static void test_jsonl_errors(void **state)
{
    struct run r;
    (void)state;

    /* Malformed: jansson's message and column, our line. */
    jsonl(&r, "{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":1}\n"
              "\n"
              "{\"date\":\"2026-05-24\" \"model\":\"m\"}\n");
    expect_err(&r, 3, 28, "'}' expected near '\"model\"'");
    assert_int_equal(r.c.n, 1);
    sup_collect_release(&r.c);

    jsonl(&r, "{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":1}\r\n[1,2]\r\n");
    expect_err(&r, 2, 1, "expected a JSON object");
    sup_collect_release(&r.c);

    jsonl(&r, "42\n");
    expect_err(&r, 1, 1, "expected a JSON object");
    sup_collect_release(&r.c);

    jsonl(&r, "\n{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":\"12a\"}\n");
    expect_err(&r, 2, 49, "key 'total_tokens': '12a' is not a token count");
    sup_collect_release(&r.c);

    jsonl(&r, "{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":NaN}\n");
    expect_err(&r, 1, 51, "invalid token near 'NaN'");
    sup_collect_release(&r.c);

    /* A sink error without a line gets the record's line. */
    memset(&r, 0, sizeof(r));
    r.c.fail_at = 2;
    {
        const char *text = "{\"date\":\"2026-05-24\",\"model\":\"a\",\"total_tokens\":1}\n"
                           "{\"date\":\"2026-05-24\",\"model\":\"b\",\"total_tokens\":2}\n";
        FILE *fp = fmemopen((void *)text, strlen(text), "r");
        run_fp(&r, fp, JSONL, TS_FMT_AUTO, -1);
        fclose(fp);
    }
    expect_err(&r, 2, 1, "rejected 'b'");
    assert_int_equal(r.c.n, 1);
    sup_collect_release(&r.c);
}

/* ---- the shared object -> record mapping ---- */

static void test_values(void **state)
{
    struct run r;
    (void)state;

    memset(&r, 0, sizeof(r));
    assert_string_equal(total_error(&r, "\"595090081549\""), "");
    assert_int_equal(r.c.recs[0].total, 595090081549);
    assert_string_equal(total_error(&r, "\"12.5\""), "");
    assert_int_equal(r.c.recs[0].total, 13);
    assert_string_equal(total_error(&r, "1.5e3"), ""); /* a JSON number */
    assert_int_equal(r.c.recs[0].total, 1500);
    assert_string_equal(total_error(&r, "528063673766.6666"), "");
    assert_int_equal(r.c.recs[0].total, 528063673767);
    assert_string_equal(total_error(&r, "9223372036854775807"), "");
    assert_int_equal(r.c.recs[0].total, INT64_MAX);
    assert_string_equal(total_error(&r, "0"), "");
    assert_int_equal(r.c.recs[0].total, 0);

    assert_string_equal(total_error(&r, "\"12a\""),
                        "[0]: key 'total_tokens': '12a' is not a token count");
    /* The error is at the value: line 1, column 50. */
    assert_int_equal(r.err.line, 1);
    assert_int_equal(r.err.col, 50);
    /* A string a reader could take two ways is refused. */
    assert_string_equal(total_error(&r, "\" 12.5 \""),
                        "[0]: key 'total_tokens': ' 12.5 ' has blanks around its digits "
                        "(expected plain digits, like 1000)");
    assert_string_equal(total_error(&r, "\"+100\""),
                        "[0]: key 'total_tokens': '+100' has a sign (expected plain digits, like "
                        "1000)");
    assert_string_equal(total_error(&r, "\"1e3\""),
                        "[0]: key 'total_tokens': '1e3' has an exponent (expected plain digits, "
                        "like 1000)");
    assert_string_equal(total_error(&r, "\"\""),
                        "[0]: key 'total_tokens': '' is empty (expected a token count)");
    assert_string_equal(total_error(&r, "-5"),
                        "[0]: key 'total_tokens': '-5' is negative (expected a token count >= 0)");
    assert_string_equal(total_error(&r, "\"-5\""),
                        "[0]: key 'total_tokens': '-5' is negative (expected a token count >= 0)");
    assert_string_equal(total_error(&r, "-0.75"), "[0]: key 'total_tokens': '-0.75' is negative "
                                                  "(expected a token count >= 0)");
    assert_string_equal(total_error(&r, "\"9223372036854775808\""),
                        "[0]: key 'total_tokens': '9223372036854775808' is too large (expected a "
                        "token count below 2^63)");
    assert_string_equal(total_error(&r, "1e19"), "[0]: key 'total_tokens': '1e+19' is too large "
                                                 "(expected a token count below 2^63)");
    assert_string_equal(total_error(&r, "\"0123456789012345678901234567890123456789xyz\""),
                        "[0]: key 'total_tokens': '0123456789012345678901234567890123456789...' "
                        "is not a token count");
    assert_string_equal(total_error(&r, "\"nan\""),
                        "[0]: key 'total_tokens': 'nan' is not a token count");
    assert_string_equal(total_error(&r, "[1]"),
                        "[0]: key 'total_tokens': expected a token count, found an array");
    assert_string_equal(total_error(&r, "{}"),
                        "[0]: key 'total_tokens': expected a token count, found an object");
    assert_string_equal(total_error(&r, "true"),
                        "[0]: key 'total_tokens': expected a token count, found true");
    /* JSON itself cannot hold these: jansson refuses them. */
    assert_string_equal(total_error(&r, "9223372036854775808"),
                        "too big integer near '9223372036854775808'");
    assert_int_equal(r.err.line, 1);
    assert_int_equal(r.err.col, 68);
    assert_string_equal(total_error(&r, "NaN"), "invalid token near 'NaN'");
    assert_string_equal(total_error(&r, "1e400"), "real number overflow near '1e400'");
    /* null is absent: no total, and no prompt + completion either. */
    assert_string_equal(total_error(&r, "null"),
                        "[0]: no token key (expected total_tokens or tokens, or prompt_tokens and "
                        "completion_tokens)");
    sup_collect_release(&r.c);
}

static void test_required_keys(void **state)
{
    struct run r;
    (void)state;

    doc(&r, "[{\"model\":\"m\",\"total_tokens\":1}]");
    expect_err(&r, 1, 2, "[0]: no period key (expected one of date, day, week, week_start)");
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"total_tokens\":1,\"name\":\"M\"}]");
    expect_err(&r, 1, 2,
               "[0]: no model key (expected one of model, model_permaslug, slug, model_id)");
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":\"m\",\"prompt_tokens\":1}]");
    expect_err(&r, 1, 2,
               "[0]: no token key (expected total_tokens or tokens, or prompt_tokens and "
               "completion_tokens)");
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-02-30\",\"model\":\"m\",\"total_tokens\":1}]");
    expect_err(&r, 1, 10, "[0]: key 'date': '2026-02-30' is not a date (expected YYYY-MM-DD)");
    sup_collect_release(&r.c);

    doc(&r, "[{\"week_start\":20260216,\"model\":\"m\",\"total_tokens\":1}]");
    expect_err(&r, 1, 16, "[0]: key 'week_start': expected a date (YYYY-MM-DD), found a number");
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":7,\"total_tokens\":1}]");
    expect_err(&r, 1, 31, "[0]: key 'model': expected a model slug, found a number");
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":\"\",\"total_tokens\":1}]");
    expect_err(&r, 1, 31, "[0]: key 'model': '' is empty (expected a model slug)");
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":\"m\",\"prompt_tokens\":9223372036854775807,"
            "\"completion_tokens\":1}]");
    expect_err(&r, 1, 91,
               "[0]: prompt_tokens + completion_tokens is too large (9223372036854775807 + 1, "
               "expected a total below 2^63)");
    sup_collect_release(&r.c);
}

static void test_aliases_and_prices(void **state)
{
    struct run r;
    (void)state;

    /* Case and blanks around a key do not matter; unknown keys are
     * ignored. */
    doc(&r, "[{\"Total_Tokens\":\"7\",\"model\":\"m\","
            "\" date \":\"2026-05-24\",\"input_tokens\":2,"
            "\"request_count\":4,\"rank\":1,"
            "\"prompt_price\":3e-07,\"completion_price\":\"0.0000012\"}]");
    expect_ok(&r);
    assert_int_equal(r.c.n, 1);
    expect_rec(&r.c.recs[0], TS_DAY, "2026-05-24", "m", 7);
    assert_int_equal(r.c.recs[0].prompt, 2);
    assert_int_equal(r.c.recs[0].requests, 4);
    assert_int_equal(r.c.recs[0].prompt_price, 300000);
    assert_int_equal(r.c.recs[0].completion_price, 1200000);
    assert_string_equal(r.c.recs[0].where, "[0]");
    assert_int_equal(r.c.recs[0].line, 1);
    assert_int_equal(r.c.recs[0].col, 2);
    sup_collect_release(&r.c);

    /* Two keys for one field are refused, whatever their order, at the
     * second of them. */
    doc(&r, "[{\"tokens\":5,\"date\":\"2026-05-24\",\"model\":\"m\",\"Total_Tokens\":\"7\"}]");
    expect_err(&r, 1, 61,
               "[0]: keys 'tokens' and 'Total_Tokens' both give the total tokens (expected one of "
               "them)");
    sup_collect_release(&r.c);
    doc(&r, "[{\"date\":\"2026-05-24\",\"slug\":\"s\",\"model\":\"m\",\"tokens\":1}]");
    expect_err(&r, 1, 42,
               "[0]: keys 'slug' and 'model' both give the model (expected one of them)");
    sup_collect_release(&r.c);
    doc(&r, "[{\"day\":\"2026-05-01\",\"date\":\"2026-05-24\",\"model\":\"m\",\"tokens\":1}]");
    expect_err(&r, 1, 29, "[0]: keys 'day' and 'date' both give the day (expected one of them)");
    sup_collect_release(&r.c);

    /* A null value does not hide a present alias. */
    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":null,\"slug\":\"s\",\"total_tokens\":null,"
            "\"tokens\":3,\"prompt_price\":-1}]");
    expect_ok(&r);
    expect_rec(&r.c.recs[0], TS_DAY, "2026-05-24", "s", 3);
    assert_int_equal(r.c.recs[0].prompt_price, TS_ABSENT);
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":1,"
            "\"completion_price\":\"abc\"}]");
    expect_err(&r, 1, 71, "[0]: key 'completion_price': 'abc' is not a price");
    sup_collect_release(&r.c);
}

/* ---- whole documents ---- */

static void test_bare_array(void **state)
{
    struct run r;
    (void)state;

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":\"a\",\"total_tokens\":1},\n"
            " {\"week\":\"2026-05-18\",\"model\":\"b\",\"total_tokens\":\"2\"}]");
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_JSON);
    assert_int_equal(r.c.n, 2);
    expect_rec(&r.c.recs[0], TS_DAY, "2026-05-24", "a", 1);
    assert_string_equal(r.c.recs[0].where, "[0]");
    expect_rec(&r.c.recs[1], TS_WEEK, "2026-05-18", "b", 2);
    assert_string_equal(r.c.recs[1].where, "[1]");
    assert_null(r.c.as_of);
    sup_collect_release(&r.c);

    /* --format json recognises the shape too; --period forces. */
    run_str(&r, "[{\"date\":\"2026-05-24\",\"model\":\"a\",\"total_tokens\":1}]", DOC, TS_FMT_JSON,
            TS_WEEK);
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_JSON);
    expect_rec(&r.c.recs[0], TS_WEEK, "2026-05-24", "a", 1);
    sup_collect_release(&r.c);

    doc(&r, " [ ] ");
    expect_err(&r, 0, 0, "empty array (expected records)");
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":\"a\",\"total_tokens\":1},"
            "{\"date\":\"2026-05-24\",\"model\":\"b\",\"total_tokens\":1},"
            "{\"date\":\"2026-05-24\",\"model\":\"c\",\"total_tokens\":1},"
            "\"d\"]");
    expect_err(&r, 1, 155, "[3]: expected a JSON object");
    sup_collect_release(&r.c);
}

static void test_daily(void **state)
{
    struct run r;
    (void)state;

    run_file(&r, "daily-api.json", DOC, TS_FMT_AUTO);
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_DAILY);
    assert_string_equal(r.c.as_of, "2026-05-26T04:00:00Z");
    assert_int_equal(r.c.n, 4);
    expect_rec(&r.c.recs[0], TS_DAY, "2026-05-24", "deepseek/deepseek-v4-flash-20260423",
               595090081549);
    assert_string_equal(r.c.recs[0].where, "data[0]");
    expect_rec(&r.c.recs[1], TS_DAY, "2026-05-24", "tencent/hy3-preview-20260421", 512345678901);
    expect_rec(&r.c.recs[2], TS_DAY, "2026-05-24", "other", 4012345678901);
    expect_rec(&r.c.recs[3], TS_DAY, "2026-05-25", "deepseek/deepseek-v4-flash-20260423",
               601234567890);
    assert_string_equal(r.c.recs[3].where, "data[3]");
    assert_int_equal(r.c.recs[3].line, 6); /* where the element starts */
    assert_int_equal(r.c.recs[3].col, 5);
    sup_collect_release(&r.c);

    run_file(&r, "daily-api.json", DOC, TS_FMT_OPENROUTER_DAILY);
    expect_ok(&r);
    assert_int_equal(r.c.n, 4);
    sup_collect_release(&r.c);

    doc(&r, "{\"data\":[],\"meta\":{\"as_of\":\"x\"}}");
    expect_err(&r, 0, 0, "no records in 'data'");
    sup_collect_release(&r.c);

    doc(&r, "{\"data\":[{\"date\":\"2026-05-24\",\"model_permaslug\":\"a\",\"total_tokens\":\"1\"},"
            "{\"date\":\"2026-05-24\",\"model_permaslug\":\"b\",\"total_tokens\":\"12a\"}]}");
    expect_err(&r, 1, 131, "data[1]: key 'total_tokens': '12a' is not a token count");
    assert_int_equal(r.c.n, 1);
    sup_collect_release(&r.c);

    /* A sink error keeps its own message; whole documents have no line. */
    memset(&r, 0, sizeof(r));
    r.c.fail_at = 1;
    {
        const char *text = "{\"data\":[{\"date\":\"2026-05-24\",\"model\":\"a\",\"tokens\":1}]}";
        FILE *fp = fmemopen((void *)text, strlen(text), "r");
        run_fp(&r, fp, DOC, TS_FMT_AUTO, -1);
        fclose(fp);
    }
    expect_err(&r, 1, 10, "rejected 'a'");
    sup_collect_release(&r.c);
}

/* Runs the importer over tests/data/<rel>. */
static void run_data(struct run *r, const char *rel, enum ts_format format)
{
    memset(r, 0, sizeof(*r));
    FILE *fp = sup_open_data(rel);
    run_fp(r, fp, DOC, format, -1);
    fclose(fp);
}

static void expect_app(const struct sup_app *a, const char *week, int64_t id, const char *name,
                       int64_t total, int64_t requests, int64_t rank)
{
    assert_int_equal(a->week, D(week));
    assert_int_equal(a->app_id, id);
    assert_string_equal(a->name, name);
    assert_int_equal(a->total, total);
    assert_int_equal(a->requests, requests);
    assert_int_equal(a->rank, rank);
}

/* App rankings (openrouter-apps): the real response of the week of
 * 2025-01-27, detected from its keys; each app of the ISO week meta says. */
static void test_apps(void **state)
{
    struct run r;
    (void)state;

    run_data(&r, "real/app-rankings-2025-02-02.json", TS_FMT_AUTO);
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_APPS);
    assert_string_equal(r.c.as_of, "2026-09-29T16:59:49.447Z");
    assert_int_equal(r.c.n, 0); /* no model records */
    assert_int_equal(r.c.na, 4);
    expect_app(&r.c.apps[0], "2025-01-27", 190604, "Cline", 162702717582, 2283292, 1);
    expect_app(&r.c.apps[1], "2025-01-27", 143418, "Aider", 2090788410, 151292, 2);
    expect_app(&r.c.apps[3], "2025-01-27", 2222282, "OpenAgents Microluna", 170305, 20, 4);
    assert_string_equal(r.c.apps[3].where, "data[3]");
    sup_collect_release(&r.c);

    run_data(&r, "real/app-rankings-2025-02-02.json", TS_FMT_OPENROUTER_APPS);
    expect_ok(&r);
    assert_int_equal(r.c.na, 4);
    sup_collect_release(&r.c);
    run_data(&r, "real/app-rankings-2025-02-02.json", TS_FMT_OPENROUTER_DAILY);
    expect_err(&r, 0, 0,
               "not an openrouter-daily document (expected {\"data\":[...]} with date, "
               "model_permaslug and total_tokens)");
    sup_collect_release(&r.c);
    run_file(&r, "daily-api.json", DOC, TS_FMT_OPENROUTER_APPS);
    expect_err(&r, 0, 0,
               "not an openrouter-apps document (expected {\"data\":[...],\"meta\":{...}} "
               "with app_id, app_name and total_tokens)");
    sup_collect_release(&r.c);

    /* Optional keys; ids and ranks as integers or digit strings; no name. */
    doc(&r, "{\"meta\":{\"start_date\":\"2025-12-29\",\"end_date\":\"2026-01-04\"},"
            "\"data\":[{\"app_id\":\"7\",\"total_tokens\":5},"
            "{\"app_id\":8,\"app_name\":\"\",\"rank\":\"2\",\"total_tokens\":\"6\","
            "\"total_requests\":null}]}");
    expect_ok(&r);
    assert_null(r.c.as_of);
    expect_app(&r.c.apps[0], "2025-12-29", 7, "app 7", 5, TS_ABSENT, TS_ABSENT);
    expect_app(&r.c.apps[1], "2025-12-29", 8, "app 8", 6, TS_ABSENT, 2);
    sup_collect_release(&r.c);
}

/* The window must be one ISO week, and every app well formed. */
static void test_apps_errors(void **state)
{
    struct run r;
    (void)state;

#define APPS(meta, rows) "{\"data\":[" rows "],\"meta\":{" meta "}}"
#define WEEK             "\"start_date\":\"2025-01-27\",\"end_date\":\"2025-02-02\""
#define ONE              "{\"app_id\":1,\"app_name\":\"A\",\"total_tokens\":\"5\"}"
    doc(&r, APPS("\"start_date\":\"2025-01-04\",\"end_date\":\"2025-02-02\"", ONE));
    expect_err(&r, 0, 0,
               "meta: the rankings cover 2025-01-04..2025-02-02, not one ISO week (expected a "
               "Monday to the Sunday after it; 2025-01-04 is not a Monday): app rankings are "
               "kept as weekly observations");
    assert_int_equal(r.c.na, 0);
    sup_collect_release(&r.c);
    doc(&r, APPS("\"start_date\":\"2025-01-27\",\"end_date\":\"2025-02-01\"", ONE));
    expect_err(&r, 0, 0,
               "meta: the rankings cover 2025-01-27..2025-02-01, not one ISO week (expected "
               "2025-01-27..2025-02-02, Monday to Sunday): app rankings are kept as weekly "
               "observations");
    sup_collect_release(&r.c);
    doc(&r, "{\"data\":[" ONE "]}");
    expect_err(&r, 0, 0,
               "no 'meta' with 'start_date' and 'end_date' (expected the window the rankings "
               "cover: one ISO week, Monday to Sunday)");
    sup_collect_release(&r.c);
    doc(&r, APPS("\"start_date\":\"27/01/2025\",\"end_date\":\"2025-02-02\"", ONE));
    expect_err(&r, 1, 65,
               "meta: key 'start_date': '27/01/2025' is not a date (expected YYYY-MM-DD)");
    sup_collect_release(&r.c);
    doc(&r, APPS(WEEK, ONE ",{\"app_id\":2.5,\"total_tokens\":\"5\"}"));
    expect_err(&r, 1, 67,
               "data[1]: key 'app_id': '2.5' is not an app id (expected a whole number)");
    assert_int_equal(r.c.na, 1);
    sup_collect_release(&r.c);
    doc(&r, APPS(WEEK, "{\"app_id\":[1],\"total_tokens\":\"5\"}"));
    expect_err(&r, 1, 20, "data[0]: key 'app_id': expected a whole number, found an array");
    sup_collect_release(&r.c);
    doc(&r, APPS(WEEK, "{\"app_name\":\"A\",\"total_tokens\":\"5\"},{\"app_id\":1}"));
    assert_int_equal(r.rc, -1); /* the first element has no app_id: not app rankings */
    sup_collect_release(&r.c);
    doc(&r, APPS(WEEK, ONE ",{\"app_id\":2}"));
    expect_err(&r, 1, 57, "data[1]: no 'total_tokens' key (expected a token count)");
    sup_collect_release(&r.c);
    doc(&r, APPS(WEEK, "{\"app_id\":1,\"app_name\":3,\"total_tokens\":\"5\"}"));
    expect_err(&r, 1, 33, "data[0]: key 'app_name': expected the app's name, found a number");
    sup_collect_release(&r.c);
    doc(&r, APPS(WEEK, "{\"app_id\":1,\"rank\":0,\"total_tokens\":\"5\"}"));
    expect_err(&r, 1, 29,
               "data[0]: key 'rank': '0' is not a rank (expected a whole number from 1)");
    sup_collect_release(&r.c);
    /* A name with a control character is kept escaped. */
    doc(&r, APPS(WEEK, "{\"app_id\":1,\"app_name\":\"A\\u001b[2J\",\"total_tokens\":\"5\"}"));
    expect_ok(&r);
    assert_string_equal(r.c.apps[0].name, "A\\x1b[2J");
    sup_collect_release(&r.c);
    /* Weekly only. */
    memset(&r, 0, sizeof(r));
    run_str(&r, APPS(WEEK, ONE), DOC, TS_FMT_AUTO, TS_DAY);
    expect_err(&r, 0, 0,
               "app rankings are weekly (--period day does not apply to openrouter-apps)");
    sup_collect_release(&r.c);
    /* A sink that takes no apps. */
    {
        struct ts_input in;
        struct ts_sink sink;
        struct ts_err err = TS_ERR_INIT;
        const char *text = APPS(WEEK, ONE);
        FILE *fp = fmemopen((void *)text, strlen(text), "r");
        memset(&r, 0, sizeof(r));
        sup_collect_sink(&r.c, &sink);
        sink.app = NULL;
        input_from_fp(&in, fp, "test");
        assert_int_equal(import_json_doc(&in, NULL, &sink, NULL, &err), -1);
        assert_string_equal(err.msg, "data[0]: app rankings cannot be imported here");
        input_release(&in);
        fclose(fp);
    }
#undef APPS
#undef WEEK
#undef ONE
}

static const struct {
    const char *week;
    const char *model;
    int64_t total;
} chart_want[] = {
    {"2025-08-18", "anthropic/claude-4-sonnet-20250522", 528063673767},
    {"2025-08-18", "google/gemini-2.5-flash", 244242992850},
    {"2025-08-18", "deepseek/deepseek-chat-v3-0324", 194360629583},
    {"2025-08-18", "qwen/qwen3-coder-480b-a35b-07-25", 190695002883},
    {"2025-08-18", "google/gemini-2.0-flash-001", 154784887067},
    {"2025-08-18", "google/gemini-2.5-pro", 119531655467},
    {"2025-08-18", "anthropic/claude-3-7-sonnet-20250219", 111303841200},
    {"2025-08-18", "deepseek/deepseek-r1-0528", 79978183650},
    {"2025-08-18", "deepseek/deepseek-chat-v3.1", 71272639833},
    {"2025-08-18", "Others", 1138769738367},
    {"2026-05-25", "tencent/hy3-preview-20260421", 9574623569376},
    {"2026-05-25", "deepseek/deepseek-v4-flash-20260423", 8373700759867},
    {"2026-05-25", "openrouter/owl-alpha", 4619454896990},
    {"2026-05-25", "anthropic/claude-4.7-opus-20260416", 4353949197101},
    {"2026-05-25", "anthropic/claude-4.6-sonnet-20260217", 4311369195655},
    {"2026-05-25", "deepseek/deepseek-v4-pro-20260423", 3440324211138},
    {"2026-05-25", "xiaomi/mimo-v2.5-pro-20260422", 3161959522104},
    {"2026-05-25", "xiaomi/mimo-v2.5-20260422", 2847181081837},
    {"2026-05-25", "google/gemini-3-flash-preview-20251217", 2349792682597},
    {"2026-05-25", "Others", 38072933060777},
};

static void test_chart(void **state)
{
    struct run r;
    size_t n = sizeof(chart_want) / sizeof(chart_want[0]);
    (void)state;

    run_file(&r, "chart-excerpt.json", DOC, TS_FMT_AUTO);
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_CHART);
    assert_string_equal(r.c.as_of, "2026-05-30T05:27:03.183Z");
    assert_int_equal(r.c.n, n);
    for (size_t i = 0; i < n; i++) {
        expect_rec(&r.c.recs[i], TS_WEEK, chart_want[i].week, chart_want[i].model,
                   chart_want[i].total);
        assert_string_equal(r.c.recs[i].where, i < 10 ? "weeks[0].byModel" : "weeks[1].byModel");
        assert_int_equal(r.c.recs[i].prompt, TS_ABSENT);
    }
    sup_collect_release(&r.c);

    run_file(&r, "chart-excerpt.json", DOC, TS_FMT_OPENROUTER_CHART);
    expect_ok(&r);
    assert_int_equal(r.c.n, n);
    sup_collect_release(&r.c);

    /* String counts are accepted; null ones skipped. */
    doc(&r, "{\"weeks\":[{\"week\":\"2025-08-18\",\"byModel\":{\"a/b\":\"10\",\"c\":null,"
            "\"Others\":0.5}}]}");
    expect_ok(&r);
    assert_int_equal(r.c.n, 2);
    expect_rec(&r.c.recs[0], TS_WEEK, "2025-08-18", "a/b", 10);
    expect_rec(&r.c.recs[1], TS_WEEK, "2025-08-18", "Others", 1);
    assert_null(r.c.as_of);
    sup_collect_release(&r.c);

    doc(&r, "{\"weeks\":[{\"week\":\"2025-08-18\",\"byModel\":{\"a\":1}},"
            "{\"week\":\"2025-08-25\",\"byModel\":{\"a\":1}},"
            "{\"week\":\"2025-09-01\",\"byModel\":{\"a\":1,\"b/c\":[1]}}]}");
    expect_err(&r, 1, 135, "weeks[2].byModel: key 'b/c': expected a token count, found an array");
    sup_collect_release(&r.c);

    doc(&r, "{\"weeks\":[{\"week\":\"2025-08-18\",\"byModel\":{\"a\":-3}}]}");
    expect_err(&r, 1, 47,
               "weeks[0].byModel: key 'a': '-3' is negative (expected a token count >= 0)");
    sup_collect_release(&r.c);

    doc(&r, "{\"weeks\":[{\"week\":\"2025-13-01\",\"byModel\":{}}]}");
    expect_err(&r, 1, 19, "weeks[0]: key 'week': '2025-13-01' is not a date (expected YYYY-MM-DD)");
    sup_collect_release(&r.c);

    doc(&r, "{\"weeks\":[{\"byModel\":{}}]}");
    expect_err(&r, 1, 11, "weeks[0]: no 'week' key (expected YYYY-MM-DD)");
    sup_collect_release(&r.c);

    doc(&r, "{\"weeks\":[{\"week\":\"2025-08-18\"}]}");
    expect_err(&r, 1, 11, "weeks[0]: no 'byModel' key (expected an object of token counts)");
    sup_collect_release(&r.c);

    doc(&r, "{\"weeks\":[]}");
    expect_err(&r, 0, 0, "no records in 'weeks'");
    sup_collect_release(&r.c);
}

static void test_weekly(void **state)
{
    struct run r;
    (void)state;

    run_file(&r, "weekly-snapshot.json", DOC, TS_FMT_AUTO);
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_WEEKLY);
    assert_int_equal(r.c.n, 4);
    expect_rec(&r.c.recs[0], TS_WEEK, "2026-02-16", "minimax/minimax-m2.5-20260211", 1440000000000);
    assert_int_equal(r.c.recs[0].prompt, 1350000000000);
    assert_int_equal(r.c.recs[0].completion, 90000000000);
    assert_int_equal(r.c.recs[0].reasoning, 30000000000);
    assert_int_equal(r.c.recs[0].cached, 800000000000);
    assert_int_equal(r.c.recs[0].requests, 21000000);
    assert_int_equal(r.c.recs[0].prompt_price, 300000);
    assert_int_equal(r.c.recs[0].completion_price, 1200000);
    assert_string_equal(r.c.recs[0].where, "models[0]");
    expect_rec(&r.c.recs[1], TS_WEEK, "2026-02-16", "google/gemini-3-flash-preview-20251217",
               1020000000000);
    assert_int_equal(r.c.recs[1].prompt_price, 500000);
    assert_int_equal(r.c.recs[1].completion_price, 3000000);
    expect_rec(&r.c.recs[2], TS_WEEK, "2026-02-16", "x-ai/grok-code-fast-1", 870000000000);
    assert_int_equal(r.c.recs[2].completion_price, 1500000);
    /* 8e12 - (1.44e12 + 1.02e12 + 0.87e12) */
    expect_rec(&r.c.recs[3], TS_WEEK, "2026-02-16", "other", 4670000000000);
    assert_int_equal(r.c.recs[3].prompt, TS_ABSENT);
    assert_string_equal(r.c.as_of, "2026-02-16"); /* a snapshot is as of its date */
    sup_collect_release(&r.c);

    /* An element's own date is ignored; when the sum is the total, the
     * rest of the market is an other bucket of 0 (the week is the whole
     * market); no total, no remainder (only the listed models). */
    doc(&r, "{\"date\":\"2026-02-16\",\"models\":[{\"slug\":\"a\",\"date\":\"1999-01-01\","
            "\"total_tokens\":\"60\"},{\"slug\":\"b\",\"total_tokens\":40}],\"total_tokens\":100}");
    expect_ok(&r);
    assert_int_equal(r.c.n, 3);
    expect_rec(&r.c.recs[0], TS_WEEK, "2026-02-16", "a", 60);
    expect_rec(&r.c.recs[1], TS_WEEK, "2026-02-16", "b", 40);
    expect_rec(&r.c.recs[2], TS_WEEK, "2026-02-16", "other", 0);
    sup_collect_release(&r.c);

    doc(&r, "{\"date\":\"2026-02-16\",\"models\":[{\"slug\":\"a\",\"total_tokens\":60}]}");
    expect_ok(&r);
    assert_int_equal(r.c.n, 1);
    sup_collect_release(&r.c);

    doc(&r, "{\"date\":\"2026-02-16\",\"models\":[{\"slug\":\"a\",\"total_tokens\":100},"
            "{\"slug\":\"b\",\"total_tokens\":50}],\"total_tokens\":100}");
    expect_err(&r, 1, 111, "total_tokens 100 is less than the sum of its models (150)");
    sup_collect_release(&r.c);

    doc(&r, "{\"date\":\"2026-02-16\",\"models\":[{\"slug\":\"a\",\"total_tokens\":1}],"
            "\"total_tokens\":\"x\"}");
    expect_err(&r, 1, 78, "key 'total_tokens': 'x' is not a token count");
    sup_collect_release(&r.c);

    doc(&r, "{\"date\":\"2026-02-16\",\"models\":[{\"slug\":\"a\",\"total_tokens\":1},"
            "{\"slug\":\"b\",\"total_tokens\":1},{\"slug\":\"c\",\"total_tokens\":1},"
            "{\"slug\":\"d\",\"total_tokens\":1},{\"slug\":\"e\",\"total_tokens\":\"12a\"}]}");
    expect_err(&r, 1, 179, "models[4]: key 'total_tokens': '12a' is not a token count");
    sup_collect_release(&r.c);

    doc(&r, "{\"date\":\"2026-02-30\",\"models\":[]}");
    expect_err(&r, 1, 9, "key 'date': '2026-02-30' is not a date (expected YYYY-MM-DD)");
    sup_collect_release(&r.c);

    doc(&r, "{\"date\":\"2026-02-16\",\"models\":[]}");
    expect_err(&r, 0, 0, "no records in 'models'");
    sup_collect_release(&r.c);
}

static void test_models_catalogue(void **state)
{
    struct run r;
    (void)state;

    run_file(&r, "models-excerpt.json", DOC, TS_FMT_AUTO);
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_MODELS);
    assert_int_equal(r.c.n, 0);
    /* openrouter/auto ("-1") and ~anthropic/claude-sonnet-latest are skipped. */
    assert_int_equal(r.c.np, 6);
    static const struct {
        const char *model, *id, *where;
        int64_t prompt, completion;
    } want[] = {
        {"ai21/jamba-large-1.7", "ai21/jamba-large-1.7", "[0]", 2000000, 8000000},
        {"anthropic/claude-3-7-sonnet-20250219", "anthropic/claude-3.7-sonnet", "[1]", 3000000,
         15000000},
        {"anthropic/claude-3-7-sonnet-20250219:thinking", "anthropic/claude-3.7-sonnet:thinking",
         "[2]", 3000000, 15000000},
        {"arcee-ai/trinity-mini-20251201", "arcee-ai/trinity-mini", "[3]", 45000, 150000},
        {"google/gemma-4-31b-it-20260402:free", "google/gemma-4-31b-it:free", "[4]", 0, 0},
        {"deepseek/deepseek-v4-flash-20260423", "deepseek/deepseek-v4-flash", "[6]", 140000,
         280000},
    };
    for (size_t i = 0; i < r.c.np; i++) {
        assert_string_equal(r.c.prices[i].model, want[i].model);
        assert_string_equal(r.c.prices[i].id, want[i].id);
        assert_string_equal(r.c.prices[i].where, want[i].where);
        assert_int_equal(r.c.prices[i].prompt, want[i].prompt);
        assert_int_equal(r.c.prices[i].completion, want[i].completion);
    }
    sup_collect_release(&r.c);

    run_file(&r, "models-excerpt.json", DOC, TS_FMT_OPENROUTER_MODELS);
    expect_ok(&r);
    assert_int_equal(r.c.np, 6);
    sup_collect_release(&r.c);

    /* The {"data":[...]} form; one price of two; numbers; no canonical_slug. */
    doc(&r, "{\"data\":[{\"id\":\"a/b:free\",\"pricing\":{\"prompt\":\"0\",\"completion\":\"-1\"}},"
            "{\"id\":\"c/d\",\"canonical_slug\":\"c/d-20260101\",\"pricing\":"
            "{\"prompt\":1.5e-07,\"completion\":\"0.000000045\",\"image\":\"x\"}},"
            "{\"id\":\"e/f\",\"canonical_slug\":\"e/f\"},"
            "{\"id\":\"g/h:beta\",\"canonical_slug\":\"g/h:extended\",\"pricing\":"
            "{\"prompt\":\"0.1234567890125\"}}]}");
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_MODELS);
    assert_int_equal(r.c.np, 3);
    assert_string_equal(r.c.prices[0].model, "a/b:free");
    assert_string_equal(r.c.prices[0].where, "data[0]");
    assert_int_equal(r.c.prices[0].prompt, 0);
    assert_int_equal(r.c.prices[0].completion, TS_ABSENT);
    assert_string_equal(r.c.prices[1].model, "c/d-20260101");
    assert_int_equal(r.c.prices[1].prompt, 150000);
    assert_int_equal(r.c.prices[1].completion, 45000);
    assert_string_equal(r.c.prices[2].model, "g/h:extended");
    assert_int_equal(r.c.prices[2].prompt, 123456789013);
    assert_int_equal(r.c.prices[2].completion, TS_ABSENT);
    sup_collect_release(&r.c);

    doc(&r, "[{\"id\":\"a\",\"pricing\":{\"prompt\":\"0\"}},{\"id\":\"b\"},{\"id\":\"c\"},"
            "{\"id\":\"d\"},{\"id\":\"e\"},{\"id\":\"f\"},{\"id\":\"g\"},{\"id\":\"h\"},"
            "{\"id\":\"i\"},{\"id\":\"j\"},{\"id\":\"k\"},{\"id\":\"l\"},"
            "{\"id\":\"m\",\"pricing\":{\"prompt\":\"abc\",\"completion\":\"0\"}}]");
    expect_err(&r, 1, 189, "[12]: key 'pricing.prompt': 'abc' is not a price");
    assert_int_equal(r.c.np, 1);
    sup_collect_release(&r.c);

    doc(&r, "{\"data\":[{\"canonical_slug\":\"a\",\"pricing\":{}}]}");
    expect_err(&r, 1, 10, "data[0]: no 'id' key (expected a model id)");
    sup_collect_release(&r.c);

    doc(&r, "[{\"id\":\"a\",\"pricing\":[\"0\"]}]");
    expect_err(&r, 1, 22, "[0]: key 'pricing': expected an object, found an array");
    sup_collect_release(&r.c);

    doc(&r, "[{\"id\":\"a\",\"pricing\":{\"completion\":true}}]");
    expect_err(&r, 1, 36, "[0]: key 'pricing.completion': expected a price, found true");
    sup_collect_release(&r.c);

    doc(&r, "[{\"id\":\"a\",\"pricing\":{}}, 5]");
    expect_err(&r, 1, 27, "[1]: expected a JSON object");
    sup_collect_release(&r.c);
}

static void test_single_object(void **state)
{
    struct run r;
    (void)state;

    doc(&r, "{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":\"3\"}\n");
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_JSONL);
    assert_int_equal(r.c.n, 1);
    expect_rec(&r.c.recs[0], TS_DAY, "2026-05-24", "m", 3);
    assert_null(r.c.recs[0].where);
    sup_collect_release(&r.c);

    doc(&r, "{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":\"-3\"}\n");
    expect_err(&r, 1, 49, "key 'total_tokens': '-3' is negative (expected a token count >= 0)");
    sup_collect_release(&r.c);
}

static void test_shapes(void **state)
{
    struct run r;
    (void)state;

    doc(&r, "{\"rows\":[1]}");
    expect_err(&r, 0, 0,
               "unknown JSON shape (expected an array of records, or an object with \"data\", "
               "\"weeks\" or \"models\")");
    assert_int_equal(r.shape, TS_FMT_AUTO);
    sup_collect_release(&r.c);

    /* "models" without a "date" is no weekly snapshot. */
    doc(&r, "{\"models\":[]}");
    expect_err(&r, 0, 0,
               "unknown JSON shape (expected an array of records, or an object with \"data\", "
               "\"weeks\" or \"models\")");
    sup_collect_release(&r.c);

    /* Forced formats must match. */
    run_file(&r, "chart-excerpt.json", DOC, TS_FMT_OPENROUTER_DAILY);
    expect_err(&r, 0, 0,
               "not an openrouter-daily document (expected {\"data\":[...]} with date, "
               "model_permaslug and total_tokens)");
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_CHART);
    assert_int_equal(r.c.n, 0);
    assert_null(r.c.as_of);
    sup_collect_release(&r.c);

    run_file(&r, "models-excerpt.json", DOC, TS_FMT_OPENROUTER_DAILY);
    expect_err(&r, 0, 0,
               "not an openrouter-daily document (expected {\"data\":[...]} with date, "
               "model_permaslug and total_tokens)");
    sup_collect_release(&r.c);

    run_file(&r, "daily-api.json", DOC, TS_FMT_OPENROUTER_CHART);
    expect_err(&r, 0, 0,
               "not an openrouter-chart document (expected {\"weeks\":[...]} with week and "
               "byModel)");
    sup_collect_release(&r.c);

    run_file(&r, "daily-api.json", DOC, TS_FMT_OPENROUTER_WEEKLY);
    expect_err(&r, 0, 0,
               "not an openrouter-weekly document (expected {\"date\":...,\"models\":[...]} with "
               "slug and total_tokens)");
    sup_collect_release(&r.c);

    run_file(&r, "weekly-snapshot.json", DOC, TS_FMT_OPENROUTER_MODELS);
    expect_err(&r, 0, 0,
               "not an openrouter-models document (expected {\"data\":[...]} or [...] with id, "
               "canonical_slug and pricing)");
    sup_collect_release(&r.c);

    run_str(&r, "[{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":1}]", DOC,
            TS_FMT_OPENROUTER_MODELS, -1);
    expect_err(&r, 0, 0,
               "not an openrouter-models document (expected {\"data\":[...]} or [...] with id, "
               "canonical_slug and pricing)");
    assert_int_equal(r.shape, TS_FMT_JSON);
    sup_collect_release(&r.c);

    /* --format json means a bare array of records, like the other forced
     * document formats; with no format the shape is recognised. */
    run_file(&r, "weekly-snapshot.json", DOC, TS_FMT_JSON);
    expect_err(&r, 0, 0,
               "not a JSON array of records (expected [{...}, ...] with period, model and "
               "token keys)");
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_WEEKLY);
    sup_collect_release(&r.c);

    run_file(&r, "weekly-snapshot.json", DOC, TS_FMT_AUTO);
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_WEEKLY);
    sup_collect_release(&r.c);
}

static void test_malformed_document(void **state)
{
    struct run r;
    (void)state;

    doc(&r, "{\n  \"data\": [\n    {\"date\": \"2026-05-24\" \"model\": \"m\"}\n  ]\n}\n");
    expect_err(&r, 3, 33, "'}' expected near '\"model\"'");
    assert_int_equal(r.shape, TS_FMT_AUTO);
    sup_collect_release(&r.c);

    doc(&r, "[{\"date\":\"2026-05-24\",\"model\":\"m\",\"total_tokens\":1}");
    expect_err(&r, 1, 51, "']' expected near end of file");
    sup_collect_release(&r.c);

    doc(&r, "42");
    expect_err(&r, 1, 2, "'[' or '{' expected near '42'");
    sup_collect_release(&r.c);

    /* A bad element is met before the junk after the array. */
    doc(&r, "[1] [2]");
    expect_err(&r, 1, 2, "[0]: expected a JSON object");
    sup_collect_release(&r.c);
}

/* The byte order mark is skipped and the whole input is read (hashed). */
static void test_reads_everything(void **state)
{
    const char *text = "\xEF\xBB\xBF[{\"date\":\"2026-05-24\",\"model\":\"m\",\"tokens\":1}]\n\n";
    struct sup_collect c;
    struct ts_sink sink;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct ts_input in;
    enum ts_format shape;
    char hex[65];
    (void)state;

    memset(&c, 0, sizeof(c));
    sup_collect_sink(&c, &sink);
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    input_from_fp(&in, fp, "test");
    assert_int_equal(import_json_doc(&in, &o, &sink, &shape, &err), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_int_equal(in.bytes, strlen(text));
    input_release(&in);
    fclose(fp);
    sup_collect_release(&c);
}

/* Two runs handed on the same records, every field alike. */
static void same_records(const struct sup_collect *x, const struct sup_collect *y)
{
    assert_int_equal(x->n, y->n);
    for (size_t i = 0; i < y->n; i++) {
        const struct sup_rec *a = &x->recs[i], *b = &y->recs[i];
        assert_int_equal(a->period, b->period);
        assert_int_equal(a->date, b->date);
        assert_string_equal(a->model, b->model);
        assert_int_equal(a->model_len, b->model_len);
        assert_int_equal(a->total, b->total);
        assert_int_equal(a->prompt, b->prompt);
        assert_int_equal(a->completion, b->completion);
        assert_int_equal(a->reasoning, b->reasoning);
        assert_int_equal(a->cached, b->cached);
        assert_int_equal(a->requests, b->requests);
        assert_int_equal(a->prompt_price, b->prompt_price);
        assert_int_equal(a->completion_price, b->completion_price);
        assert_int_equal(a->line, b->line);
        assert_int_equal(a->col, b->col);
        assert_true((a->where == NULL) == (b->where == NULL));
        if (a->where)
            assert_string_equal(a->where, b->where);
    }
}

/* Runs an importer over text twice: with the fast paths, *took getting the
 * number of lines or elements they took, and with the full parsers alone,
 * where they must take none. */
static void run_both_ways(struct run *fast, struct run *full, const char *text, enum which w,
                          int period, size_t *took)
{
    struct import_opts o = opts(TS_FMT_AUTO, period);
    size_t full_took = 0;

    *took = 0;
    o.fast_taken = took;
    run_str_opts(fast, text, w, &o);
    o.full_parsers = 1;
    o.fast_taken = &full_took;
    run_str_opts(full, text, w, &o);
    if (full_took != 0)
        fail_msg("a fast path was taken with full_parsers set: %s", text);
}

/* Flat lines take a fast path that builds no jansson tree; every line, the
 * fast path's and the full parser's, must give the same records and the
 * same errors. */
static void same_both_ways(const char *text, int period, int expect_fast)
{
    struct run fast, full;
    size_t took;

    run_both_ways(&fast, &full, text, JSONL, period, &took);
    if (expect_fast && took == 0)
        fail_msg("the fast path was not taken: %s", text);
    if (!expect_fast && took != 0)
        fail_msg("the fast path took a line it must leave: %s", text);
    if (fast.rc != full.rc || strcmp(fast.err.msg, full.err.msg) != 0 ||
        fast.err.line != full.err.line || fast.err.col != full.err.col)
        fail_msg("%s: fast %d '%s' %ld:%ld, full %d '%s' %ld:%ld", text, fast.rc, fast.err.msg,
                 fast.err.line, fast.err.col, full.rc, full.err.msg, full.err.line, full.err.col);
    same_records(&fast.c, &full.c);
    sup_collect_release(&fast.c);
    sup_collect_release(&full.c);
}

static void test_jsonl_fast_path(void **state)
{
    (void)state;
    /* Lines the fast path reads. */
    static const char *const fast[] = {
        "{\"date\":\"2026-05-24\",\"model_permaslug\":\"a/b\",\"total_tokens\":123}\n",
        " { \"date\" : \"2026-05-24\" ,\t\"model\":\"a/b\", \"tokens\": 0 } \r\n",
        "{\"DATE\":\"2026-05-24\",\"Model\":\"A/b\",\"Total_Tokens\":7,\"count\":3}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"prompt_tokens\":5,\"completion_tokens\":6}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"total_tokens\":1,\"prompt_tokens\":null}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/"
        "b\",\"total_tokens\":\"1234\",\"cached_tokens\":\"12.5\"}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/"
        "b\",\"total_tokens\":\"1000\",\"reasoning_tokens\":9}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"total_tokens\":9,\"prompt_price\":0,"
        "\"completion_price\":\"0.000002\"}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"total_tokens\":9,\"prompt_price\":\"-1\"}\n",
        "{\"week\":\"2026-05-18\",\"model\":\"a/b\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"week_start\":\"2026-05-18\",\"model\":\"a/b\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24T10:00:00Z\",\"model\":\"a/b\",\"tokens\":1,\"note\":\"x\"}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"other\",\"tokens\":9223372036854775807}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":1}\n"
        "{\"date\":\"2026-05-25\",\"model\":\"a/b\",\"tokens\":2}\n",
    };
    /* Lines it leaves to the full parser, good and bad. */
    static const char *const full[] = {
        "{\"date\":\"2026-05-24\",\"model\":\"a\\/b\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/\xc3\xa9\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":1.5}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":1e3}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":-1}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":0123}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":99999999999999999999}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":1,\"tokens\":2}\n",
        "{\"tokens\":1,\"total_tokens\":2,\"date\":\"2026-05-24\",\"model\":\"a/b\"}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":\"1e3\"}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":\"+1\"}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":\" 1\"}\n",
        "{\"date\":\"2026-05-24 junk\",\"model\":\"a/b\",\"tokens\":1}\n",
        "{\"date\":\"9999-05-24\",\"model\":\"a/b\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"\",\"tokens\":1}\n",
        "{\"date\":\"2026-02-30\",\"model\":\"a/b\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":\"12a\"}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":true}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"x\":{\"y\":[1]},\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":1} x\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":1\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",}\n",
        "{}\n",
        "[]\n",
        "17\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"prompt_tokens\":9223372036854775807,"
        "\"completion_tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":1,\"prompt_price\":1e400}\n",
        "{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":\"\"}\n",
        "{\"date\":null,\"model\":\"a/b\",\"tokens\":1}\n",
        "{\"date\":20260524,\"model\":\"a/b\",\"tokens\":1}\n",
        "{\"date\":\"2026-05-24\",\"model\":7,\"tokens\":1}\n",
    };
    for (size_t i = 0; i < sizeof(fast) / sizeof(fast[0]); i++) {
        same_both_ways(fast[i], -1, 1);
        same_both_ways(fast[i], TS_WEEK, 1);
    }
    for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++)
        same_both_ways(full[i], -1, 0);
}

/* Every document is streamed, element by element; the flat elements of
 * records are read by the fast path. Every document must give the same
 * records, as-of time and errors (line, column, words) both ways. */
static void same_doc_both_ways(const char *text)
{
    struct run fast, full;
    size_t took;

    run_both_ways(&fast, &full, text, DOC, -1, &took);
    if (fast.rc != full.rc || strcmp(fast.err.msg, full.err.msg) != 0 ||
        fast.err.line != full.err.line || fast.err.col != full.err.col)
        fail_msg("%s: fast %d '%s' %ld:%ld, full %d '%s' %ld:%ld", text, fast.rc, fast.err.msg,
                 fast.err.line, fast.err.col, full.rc, full.err.msg, full.err.line, full.err.col);
    if (fast.rc == 0) {
        assert_int_equal(fast.shape, full.shape);
        if ((fast.c.as_of == NULL) != (full.c.as_of == NULL))
            fail_msg("as-of %s / %s: %s", fast.c.as_of ? fast.c.as_of : "none",
                     full.c.as_of ? full.c.as_of : "none", text);
        if (full.c.as_of)
            assert_string_equal(fast.c.as_of, full.c.as_of);
    }
    /* On an error the records before it may have been handed on (the
     * import is undone); on success they are the same. */
    if (fast.rc != 0) {
        sup_collect_release(&fast.c);
        sup_collect_release(&full.c);
        return;
    }
    same_records(&fast.c, &full.c);
    sup_collect_release(&fast.c);
    sup_collect_release(&full.c);
}

#define R1 "{\"date\":\"2026-05-24\",\"model_permaslug\":\"a/b\",\"total_tokens\":1}"
#define R2 "{\"date\":\"2026-05-25\",\"model_permaslug\":\"a/c\",\"total_tokens\":2}"

static void test_doc_streamed(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{\"data\":[" R1 "," R2 "]}",
        " {\n \"data\" :\n [\n  " R1 " ,\n  " R2 "\n ]\n}\n",
        "{\"data\":[" R1 "," R2 "],\"meta\":{\"as_of\":\"2026-05-26T00:00:00Z\",\"n\":[1,2]}}",
        "{\"data\":[" R1 "],\"meta\":{\"as_of\":\"x\"},\"other\":[{\"a\":\"}]\\\"\"}]}",
        "{\"meta\":{\"as_of\":\"x\"},\"data\":[" R1 "," R2 "]}",
        "[" R1 "," R2 "]",
        "[" R1 ",{\"date\":\"2026-05-24\",\"model\":\"a/\\u00e9\",\"tokens\":1.0,\"x\":{}}]",
        "{\"data\":[" R1 ",{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"prompt_tokens\":1,"
        "\"completion_tokens\":2,\"prompt_price\":3e-07}]}",
        /* Errors after the first record, in jansson's words and places. */
        "{\"data\":[" R1 ",\n  {\"date\": \"2026-05-24\" \"model\": \"m\"}\n]}",
        "{\"data\":[" R1 "," R2,
        "{\"data\":[" R1 "," R2 "\n\n  x]}",
        "{\"data\":[" R1 "," R2 "]",
        "{\"data\":[" R1 "],\"data\":[]}",
        "{\"data\":[" R1 "],\n \"meta\":{},\n \"meta\":1}",
        "{\"data\":[" R1 "],\"meta\" 1}",
        "{\"data\":[" R1 "],}",
        "{\"data\":[" R1 "],\"meta\":{\"as_of\":}}",
        "{\"data\":[" R1 "]} []",
        "[" R1 "] x",
        "[" R1 ",]",
        "[" R1
        ",\n\n    {\"date\":\"2026-05-24\",\"model\":\"a/b\",\"total_tokens\":1,\"date\":1}]",
        "[" R1 ",\"\xff\"]",
        /* A bad record after the first: the same message and path. */
        "{\"data\":[" R1 "," R1 ",{\"date\":\"2026-05-24\",\"model\":\"a/b\",\"tokens\":-1}]}",
        "[" R1 ",7]",
        "[" R1 ",{\"date\":\"2026-05-24\",\"tokens\":1}]",
        "{\"data\":[]}",
        "[]",
        "{\"data\":[{\"id\":\"a/b\",\"pricing\":{\"prompt\":\"0\",\"completion\":\"0\"}}]}",
        "{\"data\":[7," R1 "]}",
        "{\"data\":[{\"date\" \"x\"}," R1 "]}",
        "{\"data\":{}}",
        "{\"weeks\":[]}",
        "42",
        "[1] [2]",
        "{\"models\":[" R1 "],\"date\":\"2026-05-18\",\"total_tokens\":5}",
        "{\"weeks\":[{\"week\":\"2026-05-18\",\"byModel\":{\"a/b\":1}}],\"data\":[" R1 "]}",
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        same_doc_both_ways(docs[i]);

    /* The elements after the first are read by the fast path. */
    struct run fast, full;
    size_t took;
    run_both_ways(&fast, &full, "{\"meta\":{},\"data\":[" R1 "," R2 "," R1 "]}", DOC, -1, &took);
    assert_int_equal(took, 2);
    sup_collect_release(&fast.c);
    sup_collect_release(&full.c);

    /* A forced format that the document is not: refused as before. */
    struct run r;
    run_str(&r, "{\"data\":[" R1 "]}", DOC, TS_FMT_JSON, -1);
    expect_err(&r, 0, 0,
               "not a JSON array of records (expected [{...}, ...] with period, model and token "
               "keys)");
    sup_collect_release(&r.c);
}

/* The keys of a document may come in any order: the records, as-of time
 * and errors are the same. */
static void test_doc_key_order(void **state)
{
    struct run r;
    (void)state;

    /* The Data API with "meta" first. */
    doc(&r, "{\"meta\":{\"as_of\":\"2026-05-26\"},\n\"data\":[" R1 ",\n" R2 "]}");
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_DAILY);
    assert_int_equal(r.c.n, 2);
    assert_string_equal(r.c.as_of, "2026-05-26");
    assert_int_equal(r.c.recs[1].line, 3);
    assert_int_equal(r.c.recs[1].col, 1);
    sup_collect_release(&r.c);

    /* A weekly snapshot whose models come before its date is read again
     * from memory, with the same records and other bucket. */
    doc(&r, "{\"total_tokens\":10,\"models\":[{\"slug\":\"a/b\",\"total_tokens\":3},"
            "{\"slug\":\"a/c\",\"total_tokens\":4}],\"date\":\"2026-02-16\"}");
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_WEEKLY);
    assert_int_equal(r.c.n, 3);
    expect_rec(&r.c.recs[0], TS_WEEK, "2026-02-16", "a/b", 3);
    expect_rec(&r.c.recs[2], TS_WEEK, "2026-02-16", "other", 3);
    assert_string_equal(r.c.as_of, "2026-02-16");
    sup_collect_release(&r.c);

    doc(&r, "{\"models\":[{\"slug\":\"a/b\",\"total_tokens\":\"x\"}],\n\"date\":\"2026-02-16\"}");
    expect_err(&r, 1, 41, "models[0]: key 'total_tokens': 'x' is not a token count");
    sup_collect_release(&r.c);

    doc(&r, "{\"models\":[{\"slug\":\"a/b\",\"total_tokens\":1}],\n\"date\":\"2026-02-30\"}");
    expect_err(&r, 2, 8, "key 'date': '2026-02-30' is not a date (expected YYYY-MM-DD)");
    sup_collect_release(&r.c);

    /* The chart with "fetchedAt" last. */
    doc(&r, "{\"weeks\":[{\"week\":\"2026-05-18\",\"byModel\":{\"a/b\":1.5}}],"
            "\"fetchedAt\":\"2026-05-30\"}");
    expect_ok(&r);
    assert_int_equal(r.shape, TS_FMT_OPENROUTER_CHART);
    expect_rec(&r.c.recs[0], TS_WEEK, "2026-05-18", "a/b", 2);
    assert_string_equal(r.c.as_of, "2026-05-30");
    sup_collect_release(&r.c);

    /* Two arrays of records in one document: refused at the second. */
    doc(&r, "{\"weeks\":[{\"week\":\"2026-05-18\",\"byModel\":{\"a/b\":1}}],\n\"data\":[" R1 "]}");
    expect_err(&r, 2, 8, "keys 'weeks' and 'data' both hold records (expected one of them)");
    sup_collect_release(&r.c);
}

/* A value of more than JI_VALUE_MAX bytes is refused where it starts,
 * whatever it is; the records of a large document are streamed. */
static void test_doc_value_bound(void **state)
{
    struct ts_buf b = TS_BUF_INIT;
    struct run r;
    (void)state;

    buf_adds(&b, "{\"meta\":{},\n \"junk\":\"");
    for (size_t i = 0; i < (size_t)17 * 1024 * 1024; i++)
        buf_addc(&b, 'x');
    buf_adds(&b, "\",\"data\":[" R1 "]}");
    doc(&r, b.data);
    expect_err(&r, 2, 9,
               "key 'junk': more than 16 MiB (tokstat reads a value of a JSON document whole, up "
               "to 16 MiB; records are streamed one by one)");
    sup_collect_release(&r.c);

    buf_reset(&b);
    buf_adds(&b, "{\"data\":[" R1 ",{\"x\":\"");
    for (size_t i = 0; i < (size_t)17 * 1024 * 1024; i++)
        buf_addc(&b, 'x');
    buf_adds(&b, "\"}]}");
    doc(&r, b.data);
    expect_err(&r, 1, 73,
               "data[1]: more than 16 MiB (tokstat reads a value of a JSON document whole, up to "
               "16 MiB; records are streamed one by one)");
    sup_collect_release(&r.c);

    /* 20 MiB of records, "meta" first: streamed. */
    buf_reset(&b);
    buf_adds(&b, "{\"meta\":{\"as_of\":\"2026-05-26\"},\"data\":[");
    size_t n = 0;
    while (b.len < (size_t)20 * 1024 * 1024) {
        buf_printf(&b,
                   "%s{\"date\":\"2026-05-24\",\"model_permaslug\":\"a/m%zu\","
                   "\"total_tokens\":\"%zu\"}",
                   n ? "," : "", n, n);
        n++;
    }
    buf_adds(&b, "]}");
    doc(&r, b.data);
    expect_ok(&r);
    assert_int_equal(r.c.n, n);
    sup_collect_release(&r.c);
    buf_release(&b);
}

/* jansson running out of memory gives a message that says so, never an
 * empty one. */
static size_t alloc_budget;
static void *budget_malloc(size_t n)
{
    if (n > alloc_budget)
        return NULL;
    alloc_budget -= n;
    return malloc(n);
}

static void test_doc_out_of_memory(void **state)
{
    struct run r;
    (void)state;

    alloc_budget = 0;
    json_set_alloc_funcs(budget_malloc, free);
    doc(&r, "{\"meta\":{\"as_of\":\"x\"},\"data\":[" R1 "]}");
    json_set_alloc_funcs(malloc, free);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err.msg, "out of memory reading the JSON text");
    sup_collect_release(&r.c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_records),
        cmocka_unit_test(test_jsonl_forced_period),
        cmocka_unit_test(test_jsonl_errors),
        cmocka_unit_test(test_jsonl_fast_path),
        cmocka_unit_test(test_doc_streamed),
        cmocka_unit_test(test_doc_key_order),
        cmocka_unit_test(test_doc_value_bound),
        cmocka_unit_test(test_doc_out_of_memory),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_required_keys),
        cmocka_unit_test(test_aliases_and_prices),
        cmocka_unit_test(test_bare_array),
        cmocka_unit_test(test_daily),
        cmocka_unit_test(test_apps),
        cmocka_unit_test(test_apps_errors),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_weekly),
        cmocka_unit_test(test_models_catalogue),
        cmocka_unit_test(test_single_object),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_malformed_document),
        cmocka_unit_test(test_reads_everything),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
