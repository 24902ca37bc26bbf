/* test_reports.c - the share, growth and top reports built from series
 * made by hand: the numbers, the order of rows, the other bucket, new
 * entrants, missing and partial weeks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "support.h"
#include "core/metrics.h"
#include "core/util.h"
#include "core/week.h"

#define T 1000000000000LL /* a trillion tokens */
#define B 1000000000LL

/* A series over nweeks weeks starting on 2026-01-26 (a Monday); each group
 * is "name:country" and its tokens per week, -1 ending the list. */
struct spec_group {
    const char *name, *country;
    int64_t tokens[8];
};

static void make_series(struct series *s, size_t nweeks, const int *days,
                        const struct spec_group *g, size_t ng)
{
    memset(s, 0, sizeof(*s));
    s->from = D("2026-01-26");
    s->to = s->from + (int32_t)(7 * (nweeks - 1));
    s->nweeks = nweeks;
    s->days = xcalloc(nweeks, sizeof(int));
    s->total = xcalloc(nweeks, sizeof(int64_t));
    memcpy(s->days, days, nweeks * sizeof(int));
    /* Daily weeks from Monday, each week the whole market, the span the
     * weeks with data. */
    s->mask = xcalloc(nweeks, sizeof(unsigned));
    s->full = xcalloc(nweeks, 1);
    for (size_t w = 0; w < nweeks; w++) {
        s->mask[w] = (1u << days[w]) - 1;
        s->full[w] = 1;
        if (days[w] > 0) {
            if (!s->has_span)
                s->span_from = s->from + (int32_t)(7 * w);
            s->has_span = 1;
            s->span_to = s->from + (int32_t)(7 * w);
        }
    }
    s->groups = xcalloc(ng, sizeof(*s->groups));
    s->ngroups = ng;
    for (size_t i = 0; i < ng; i++) {
        s->groups[i].name = xstrdup(g[i].name);
        s->groups[i].country = xstrdup(g[i].country);
        s->groups[i].is_other = strcmp(g[i].name, "other") == 0;
        s->groups[i].tokens = xcalloc(nweeks, sizeof(int64_t));
        for (size_t w = 0; w < nweeks; w++) {
            s->groups[i].tokens[w] = g[i].tokens[w];
            if (metrics_add(&s->total[w], g[i].tokens[w]) < 0)
                s->total[w] = INT64_MAX; /* series_check refuses such a week */
        }
    }
}

/* build_top, which must succeed. */
static void build_top_ok(const struct series *s, const struct report_request *rq,
                         struct report_doc *out)
{
    struct ts_err err = TS_ERR_INIT;

    if (build_top(s, rq, out, &err) != 0)
        fail_msg("build_top: %s", err.msg);
}

static const struct rowset *rows(const struct report_doc *r)
{
    return &r->rows;
}

/* The column index of key in rs, failing the test when absent. */
static size_t col(const struct rowset *rs, const char *key)
{
    for (size_t c = 0; c < rs->ncols; c++) {
        if (strcmp(rs->cols[c].key, key) == 0)
            return c;
    }
    fail_msg("no column '%s'", key);
    return 0;
}

static int has_col(const struct rowset *rs, const char *key)
{
    for (size_t c = 0; c < rs->ncols; c++) {
        if (strcmp(rs->cols[c].key, key) == 0)
            return 1;
    }
    return 0;
}

static const char *text(const struct rowset *rs, size_t r, const char *key)
{
    const struct rs_cell *c = rowset_cell(rs, r, col(rs, key));
    return c->kind == RS_VALUE ? c->s : NULL;
}

static int64_t ival(const struct rowset *rs, size_t r, const char *key)
{
    const struct rs_cell *c = rowset_cell(rs, r, col(rs, key));
    assert_int_equal(c->kind, RS_VALUE);
    return c->i;
}

static double dval(const struct rowset *rs, size_t r, const char *key)
{
    const struct rs_cell *c = rowset_cell(rs, r, col(rs, key));
    assert_int_equal(c->kind, RS_VALUE);
    return c->d;
}

static enum rs_kind kind(const struct rowset *rs, size_t r, const char *key)
{
    return rowset_cell(rs, r, col(rs, key))->kind;
}

#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* The sample's country totals for the weeks of Feb 2, 9 and 16 (plus the
 * week before as the lead-in). */
static const struct spec_group countries[] = {
    {"CN", "CN", {185 * 10 * B, 227 * 10 * B, 412 * 10 * B, 516 * 10 * B}},
    {"US", "US", {280 * 10 * B, 285 * 10 * B, 294 * 10 * B, 305 * 10 * B}},
    {"FR", "FR", {5 * 10 * B, 5 * 10 * B, 5 * 10 * B, 5 * 10 * B}},
    {"unknown", "unknown", {0, 20 * 10 * B, 10 * 10 * B, 0}},
    {"other", "other", {110 * 10 * B, 115 * 10 * B, 125 * 10 * B, 130 * 10 * B}},
};
static const int full4[] = {7, 7, 7, 7};

static void test_share_week(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 0, "default", 0, 0, NULL, -1, 0, 0};
    (void)state;

    make_series(&s, 4, full4, countries, 5);
    build_share(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    /* Week of Feb 2 first; rows by tokens: US 2.85T, CN 2.27T, other, unknown, FR. */
    assert_string_equal(text(rs, 0, "country"), "US");
    assert_int_equal(ival(rs, 0, "rank"), 1);
    assert_string_equal(text(rs, 1, "country"), "CN");
    assert_int_equal(ival(rs, 1, "tokens"), 227 * 10 * B);
    assert_near(dval(rs, 1, "share"), 2.27 / 6.52);
    assert_near(dval(rs, 1, "share_change"), 2.27 / 6.52 - 1.85 / 5.80);
    assert_string_equal(text(rs, 2, "country"), "other");
    assert_int_equal(kind(rs, 2, "rank"), RS_NULL); /* never ranked */
    assert_string_equal(text(rs, 3, "country"), "unknown");
    assert_int_equal(ival(rs, 3, "rank"), 3);
    assert_near(dval(rs, 3, "share_change"), 0.2 / 6.52); /* absent before: from 0 */
    assert_string_equal(text(rs, 4, "country"), "FR");
    assert_true(rs->rows[5].total);
    assert_int_equal(ival(rs, 5, "tokens"), 652 * 10 * B);

    /* Week of Feb 9: CN 4.12T first, US 2.94T second. */
    assert_string_equal(text(rs, 6, "country"), "CN");
    assert_int_equal(ival(rs, 6, "tokens"), 412 * 10 * B);
    assert_int_equal(ival(rs, 6, "week"), D("2026-02-09"));
    assert_string_equal(text(rs, 7, "country"), "US");
    assert_int_equal(ival(rs, 7, "tokens"), 294 * 10 * B);
    /* Week of Feb 16: unknown had 100B the week before and none now, so it
     * stays listed as gone (the last data row, with 0 tokens). */
    assert_string_equal(text(rs, 16, "country"), "unknown");
    assert_string_equal(text(rs, 16, "status"), "gone");
    assert_int_equal(ival(rs, 16, "tokens"), 0);
    assert_int_equal(r.nrows_data, 5 + 5 + 5);
    doc_release(&r);
    series_release(&s);
}

static void test_share_sums_to_one(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    (void)state;

    for (int exclude = 0; exclude <= 1; exclude++) {
        struct report_request spec = {BY_COUNTRY, exclude, "default", 0, 0, NULL, -1, 0, 0};
        make_series(&s, 4, full4, countries, 5);
        build_share(&s, &spec, &r);
        const struct rowset *rs = rows(&r);
        double sum = 0;
        int saw_other = 0;
        for (size_t i = 0; i < rs->nrows; i++) {
            if (rs->rows[i].total) {
                assert_near(sum, 1.0);
                sum = 0;
                continue;
            }
            saw_other |= strcmp(text(rs, i, "country"), "other") == 0;
            sum += dval(rs, i, "share");
        }
        assert_int_equal(saw_other, !exclude);
        doc_release(&r);
        series_release(&s);
    }
}

static void test_share_other_excluded(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 1, "default", 0, 0, NULL, -1, 0, 0};
    (void)state;

    make_series(&s, 2, full4, countries, 5);
    build_share(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    /* Week of Feb 2 without other: 2.85 + 2.27 + 0.05 + 0.20 = 5.37T. */
    assert_string_equal(text(rs, 0, "country"), "US");
    assert_near(dval(rs, 0, "share"), 2.85 / 5.37);
    assert_near(dval(rs, 0, "share_change"), 2.85 / 5.37 - 2.80 / 4.70);
    assert_int_equal(ival(rs, 4, "tokens"), 537 * 10 * B); /* the Total row */
    assert_true(rs->rows[4].total);
    doc_release(&r);
    series_release(&s);
}

static void test_share_lead_week_without_data(void **state)
{
    static const int days[] = {0, 3};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_VENDOR, 0, "default", 0, 0, NULL, -1, 0, 0};
    static const struct spec_group g[] = {{"deepseek", "CN", {0, 30}}, {"zz", "unknown", {0, 10}}};
    (void)state;

    make_series(&s, 2, days, g, 2);
    build_share(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    assert_string_equal(text(rs, 0, "vendor"), "deepseek");
    assert_string_equal(text(rs, 0, "country"), "CN");
    assert_int_equal(kind(rs, 0, "share_change"), RS_NULL); /* no week before */
    assert_int_equal(ival(rs, 0, "days"), 3);
    assert_string_equal(rowset_cell(rs, 0, (size_t)rs->block_col)->s,
                        "Week of 2026-02-02 (partial: 3 of 7 days, Mon-Wed)");
    doc_release(&r);
    series_release(&s);
}

static void test_share_ties_by_name(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_MODEL, 0, "default", 0, 0, NULL, -1, 0, 0};
    static const struct spec_group g[] = {
        {"b/x", "US", {0, 5}}, {"a/y", "CN", {0, 5}}, {"c/z", "FR", {0, 9}}};
    (void)state;

    make_series(&s, 2, full4, g, 3);
    build_share(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    assert_string_equal(text(rs, 0, "model"), "c/z");
    assert_string_equal(text(rs, 1, "model"), "a/y");
    assert_string_equal(text(rs, 2, "model"), "b/x");
    assert_int_equal(ival(rs, 2, "rank"), 3);
    doc_release(&r);
    series_release(&s);
}

static void test_growth_cn(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 0, "default", 0, 0, NULL, -1, 0, 0};
    (void)state;

    make_series(&s, 4, full4, countries, 5);
    build_growth(&s, &spec, &r);
    /* Summary over Feb 2 .. Feb 16: CN 2.27T -> 5.16T, +127.3 %. */
    const struct rowset *sum = &r.tables[0].rows;
    assert_int_equal(r.ntables, 1);
    assert_string_equal(r.tables[0].key, "summary");
    assert_string_equal(text(sum, 0, "country"), "CN");
    assert_int_equal(ival(sum, 0, "start_tokens"), 227 * 10 * B);
    assert_int_equal(ival(sum, 0, "end_tokens"), 516 * 10 * B);
    assert_near(dval(sum, 0, "growth"), 5.16 / 2.27 - 1);
    assert_true(fabs(dval(sum, 0, "growth") - 1.27) < 0.005);
    assert_near(dval(sum, 0, "weekly_growth"), sqrt(5.16 / 2.27) - 1);
    assert_int_equal(ival(sum, 0, "weeks"), 3);
    /* unknown: 0.20T -> 0: -100 %, no weekly rate to speak of? (end 0 -> -1) */
    size_t last = sum->nrows - 1;
    assert_true(sum->rows[last].total);

    /* Per week: the week of Feb 9, CN 4.12T against 2.27T. */
    const struct rowset *rs = rows(&r);
    size_t i;
    for (i = 0; i < rs->nrows; i++) {
        if (!rs->rows[i].total && ival(rs, i, "week") == D("2026-02-09") &&
            strcmp(text(rs, i, "country"), "CN") == 0)
            break;
    }
    assert_true(i < rs->nrows);
    assert_int_equal(ival(rs, i, "prev_tokens"), 227 * 10 * B);
    assert_near(dval(rs, i, "growth"), 4.12 / 2.27 - 1);
    doc_release(&r);
    series_release(&s);
}

/* A group absent the week before is new (growth empty, not a word); a
 * week without data inside the data's span is a gap: growth into it and
 * out of it is empty with status gap, never -100 % or new. */
static void test_growth_new_and_gap(void **state)
{
    static const int days[] = {7, 7, 0, 7};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_VENDOR, 0, "default", 0, 0, NULL, -1, 0, 0};
    static const struct spec_group g[] = {{"a", "US", {10, 20, 0, 40}}, {"b", "CN", {0, 5, 0, 0}}};
    (void)state;

    make_series(&s, 4, days, g, 2);
    build_growth(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    /* Week 1: a 20 vs 10 (+100 %), b new. */
    assert_string_equal(text(rs, 0, "vendor"), "a");
    assert_near(dval(rs, 0, "growth"), 1.0);
    assert_null(text(rs, 0, "status"));
    assert_string_equal(text(rs, 1, "vendor"), "b");
    assert_int_equal(kind(rs, 1, "growth"), RS_NULL);
    assert_int_equal(ival(rs, 1, "prev_tokens"), 0);
    assert_string_equal(text(rs, 1, "status"), "new");
    assert_true(rs->rows[2].total);
    /* Week 2 is a gap: no tokens (not 0), no growth, status gap. */
    assert_int_equal(ival(rs, 3, "week"), D("2026-02-09"));
    assert_int_equal(kind(rs, 3, "tokens"), RS_NULL);
    assert_int_equal(ival(rs, 3, "prev_tokens"), 20);
    assert_int_equal(kind(rs, 3, "growth"), RS_NULL);
    assert_string_equal(text(rs, 3, "status"), "gap");
    assert_string_equal(text(rs, 4, "status"), "gap");
    assert_true(rs->rows[5].total);
    /* Week 3, after the gap: no week before to compare with. */
    assert_string_equal(text(rs, 6, "vendor"), "a");
    assert_int_equal(ival(rs, 6, "tokens"), 40);
    assert_int_equal(kind(rs, 6, "prev_tokens"), RS_NULL);
    assert_int_equal(kind(rs, 6, "growth"), RS_NULL);
    assert_string_equal(text(rs, 6, "status"), "gap");
    assert_true(rs->rows[7].total);
    assert_int_equal(rs->nrows, 8);
    doc_release(&r);
    series_release(&s);
}

/* A group present the week before and absent now is a row of 0 tokens,
 * status gone, its share's fall shown. */
static void test_share_gone(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 0, "default", 0, 0, NULL, -1, 0, 0};
    static const struct spec_group g[] = {
        {"CN", "CN", {60, 80}}, {"XX", "XX", {40, 0}}, {"US", "US", {0, 20}}};
    (void)state;

    make_series(&s, 2, full4, g, 3);
    build_share(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    assert_string_equal(text(rs, 0, "country"), "CN");
    assert_string_equal(text(rs, 1, "country"), "US");
    assert_string_equal(text(rs, 1, "status"), "new");
    assert_string_equal(text(rs, 2, "country"), "XX");
    assert_int_equal(ival(rs, 2, "tokens"), 0);
    assert_near(dval(rs, 2, "share"), 0.0);
    assert_near(dval(rs, 2, "share_change"), -0.4);
    assert_string_equal(text(rs, 2, "status"), "gone");
    assert_int_equal(kind(rs, 2, "rank"), RS_NULL);
    assert_int_equal(r.nrows_data, 3);
    doc_release(&r);
    series_release(&s);
}

/* A partial week compares like for like: on the weekdays both weeks have,
 * said by status partial and compared_days. */
static void test_growth_like_for_like(void **state)
{
    static const int days[] = {7, 5};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 0, "default", 0, 0, NULL, -1, 0, 0};
    /* Whole weeks: CN 70 -> 55 (-21 %); Mon-Fri of the week before: 50. */
    static const struct spec_group g[] = {{"CN", "CN", {70, 55}}, {"US", "US", {140, 100}}};
    (void)state;

    make_series(&s, 2, days, g, 2);
    s.cmp = xcalloc(2, sizeof(*s.cmp));
    struct week_compare *c = s.cmp[1] = xcalloc(1, sizeof(*c));
    c->mask = 31;
    c->cur = xcalloc(2, sizeof(int64_t));
    c->prev = xcalloc(2, sizeof(int64_t));
    c->cur[0] = 55, c->cur[1] = 100, c->cur_total = 155;
    c->prev[0] = 50, c->prev[1] = 100, c->prev_total = 150;
    build_growth(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    assert_string_equal(text(rs, 0, "country"), "US");
    assert_near(dval(rs, 0, "growth"), 0.0);
    assert_string_equal(text(rs, 1, "country"), "CN");
    assert_int_equal(ival(rs, 1, "tokens"), 55);
    assert_int_equal(ival(rs, 1, "prev_tokens"), 50); /* Mon-Fri of the week before */
    assert_near(dval(rs, 1, "growth"), 0.1);          /* not -21 % */
    assert_string_equal(text(rs, 1, "status"), "partial");
    assert_int_equal(ival(rs, 1, "compared_days"), 5);
    doc_release(&r);

    /* The share's change too, like for like. */
    build_share(&s, &spec, &r);
    rs = rows(&r);
    assert_string_equal(text(rs, 1, "country"), "CN");
    assert_near(dval(rs, 1, "share_change"), 55.0 / 155 - 50.0 / 150);
    assert_string_equal(text(rs, 1, "status"), "partial");
    doc_release(&r);
    series_release(&s);
}

/* By month: a whole December, then the 1st-20th of January compared with
 * December's 1st-20th. The columns that name the period are named for
 * months, and the headings and titles say months. */
static void test_growth_by_month(void **state)
{
    static const int days[] = {31, 20};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 0, "default", 0, 0, NULL, -1, 0, 0};
    static const struct spec_group g[] = {{"CN", "CN", {122, 120}}, {"US", "US", {244, 220}}};
    (void)state;

    make_series(&s, 2, days, g, 2);
    s.unit = PERIOD_MONTH;
    s.from = D("2024-12-01");
    s.to = D("2025-01-01");
    s.span_from = s.from;
    s.span_to = s.to;
    s.cmp = xcalloc(2, sizeof(*s.cmp));
    struct week_compare *c = s.cmp[1] = xcalloc(1, sizeof(*c));
    c->mask = (1u << 20) - 1;
    c->cur = xcalloc(2, sizeof(int64_t));
    c->prev = xcalloc(2, sizeof(int64_t));
    c->cur[0] = 120, c->cur[1] = 220, c->cur_total = 340;
    c->prev[0] = 100, c->prev[1] = 200, c->prev_total = 300;
    build_growth(&s, &spec, &r);
    assert_string_equal(r.title,
                        "Month-over-month growth by country, month of 2025-01 (dataset default)");
    const struct rowset *rs = rows(&r);
    assert_true(has_col(rs, "month"));
    assert_false(has_col(rs, "week"));
    assert_int_equal(ival(rs, 0, "month"), D("2025-01-01"));
    assert_int_equal(ival(rs, 0, "days"), 20);
    assert_string_equal(text(rs, 0, "heading"),
                        "Month of 2025-01 (partial: 20 of 31 days, 1st-20th); compared with the "
                        "1st-20th of the month before");
    assert_string_equal(text(rs, 1, "country"), "CN");
    assert_int_equal(ival(rs, 1, "prev_tokens"), 100); /* December 1st-20th, not 122 */
    assert_near(dval(rs, 1, "growth"), 0.2);
    assert_int_equal(ival(rs, 1, "compared_days"), 20);
    const struct rowset *sum = &r.tables[0].rows;
    assert_true(has_col(sum, "first_month") && has_col(sum, "last_month"));
    assert_true(has_col(sum, "monthly_growth") && has_col(sum, "months"));
    assert_false(has_col(sum, "weekly_growth"));
    int period_param = 0;
    for (size_t i = 0; i < r.nparams; i++)
        period_param |=
            strcmp(r.params[i].key, "period") == 0 && strcmp(r.params[i].value, "month") == 0;
    assert_true(period_param);
    doc_release(&r);
    series_release(&s);
}

static void test_growth_summary_only(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 1, "default", 0, 1, NULL, -1, 0, 0};
    (void)state;

    make_series(&s, 4, full4, countries, 5);
    build_growth(&s, &spec, &r);
    assert_int_equal(r.ntables, 0);
    const struct rowset *rs = rows(&r);
    assert_true(has_col(rs, "weekly_growth"));
    for (size_t i = 0; i < rs->nrows; i++)
        assert_true(rs->rows[i].total || strcmp(text(rs, i, "country"), "other") != 0);
    doc_release(&r);
    series_release(&s);
}

/* The sample's week of Feb 16: four Chinese models and one US model in the
 * top 5, the Chinese four holding 85.7 % of the top-5 tokens. */
static const struct spec_group models[] = {
    {"minimax/minimax-m2.5", "CN", {0, 144 * 10 * B}},
    {"moonshotai/kimi-k2.5", "CN", {0, 110 * 10 * B}},
    {"z-ai/glm-5", "CN", {0, 95 * 10 * B}},
    {"deepseek/deepseek-v3.2", "CN", {0, 72 * 10 * B}},
    {"google/gemini-3-flash", "US", {0, 70 * 10 * B}},
    {"anthropic/claude-4.6-sonnet", "US", {0, 65 * 10 * B}},
    {"other", "other", {0, 400 * 10 * B}},
};

static void test_top_sample_week(void **state)
{
    static const int days[] = {0, 7};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_MODEL, 0, "default", 5, 0, NULL, -1, 0, 0};
    (void)state;

    make_series(&s, 2, days, models, 7);
    build_top_ok(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    assert_int_equal(rs->nrows, 5);
    assert_string_equal(text(rs, 0, "model"), "minimax/minimax-m2.5");
    assert_string_equal(text(rs, 4, "model"), "google/gemini-3-flash");
    assert_string_equal(text(rs, 4, "country"), "US");
    int64_t whole = 956 * 10 * B;
    assert_near(dval(rs, 4, "cumulative_share"), (double)(491 * 10 * B) / (double)whole);
    assert_near(dval(rs, 0, "cr"), (double)(491 * 10 * B) / (double)whole);
    double hhi = 0;
    for (int i = 0; i < 6; i++) {
        double p = 100.0 * (double)models[i].tokens[1] / (double)whole;
        hhi += p * p;
    }
    assert_near(dval(rs, 0, "hhi_low"), hhi);
    /* The other bucket, 41.8 %, as models no larger than the smallest
     * ranked one (6.8 %): 6 of them and the rest. */
    double smallest = 100.0 * 650 / 9560, rest = 100.0 * (4000 - 6 * 650) / 9560;
    assert_near(dval(rs, 0, "hhi_high"), hhi + 6 * smallest * smallest + rest * rest);
    assert_int_equal(kind(rs, 0, "hhi_change"), RS_NULL);
    assert_string_equal(text(rs, 0, "band"), "unconcentrated");
    assert_int_equal(rs->rows[4].nnotes, 2);
    assert_string_equal(rs->rows[4].notes[1],
                        "Top 5 by country: CN 4 of 5, 85.7 % of top-5 tokens; US 1 of 5, 14.3 %");
    /* Concentration per week, and the top 5's countries as rows, not prose. */
    assert_int_equal(r.ntables, 2);
    assert_string_equal(r.tables[0].key, "weeks");
    assert_near(dval(&r.tables[0].rows, 0, "hhi_low"), hhi);
    const struct rowset *ct = &r.tables[1].rows;
    assert_string_equal(r.tables[1].key, "top_countries");
    assert_int_equal(ct->nrows, 2);
    assert_string_equal(text(ct, 0, "country"), "CN");
    assert_int_equal(ival(ct, 0, "in_top"), 4);
    assert_int_equal(ival(ct, 0, "tokens"), 421 * 10 * B);
    assert_near(dval(ct, 0, "share"), 421.0 / 491);
    assert_string_equal(text(ct, 1, "country"), "US");
    doc_release(&r);
    series_release(&s);
}

static void test_top_other_excluded_and_hhi_change(void **state)
{
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_VENDOR, 1, "default", 2, 0, NULL, -1, 0, 0};
    static const struct spec_group g[] = {
        {"a", "US", {50, 60}}, {"b", "CN", {50, 40}}, {"other", "other", {100, 100}}};
    (void)state;

    make_series(&s, 2, full4, g, 3);
    build_top_ok(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    assert_int_equal(rs->nrows, 2);
    assert_near(dval(rs, 0, "share"), 0.6); /* of 100, other left out */
    assert_near(dval(rs, 0, "hhi_low"), 3600 + 1600);
    assert_near(dval(rs, 0, "hhi_high"), 3600 + 1600); /* no other bucket in the whole */
    assert_near(dval(rs, 0, "hhi_change"), 5200 - 5000);
    assert_string_equal(text(rs, 0, "band"), "highly concentrated");
    assert_string_equal(rs->rows[1].notes[0],
                        "CR-2 100.0 %, HHI 5,200 (highly concentrated), up 200 from the week "
                        "before (a significant change)");
    doc_release(&r);
    series_release(&s);
}

/* A week that lists only its top models (no other bucket) has no market
 * concentration: CR and HHI are left empty, and the note says why. */
static void test_top_listed_week(void **state)
{
    static const int days[] = {0, 7};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_MODEL, 0, "default", 2, 0, NULL, -1, 0, 0};
    static const struct spec_group g[] = {{"a/x", "US", {0, 60}}, {"b/y", "CN", {0, 40}}};
    (void)state;

    make_series(&s, 2, days, g, 2);
    s.full[1] = 0;
    build_top_ok(&s, &spec, &r);
    const struct rowset *rs = rows(&r);
    assert_string_equal(text(rs, 0, "coverage"), "listed");
    assert_near(dval(rs, 0, "share"), 0.6); /* of the listed models */
    assert_int_equal(kind(rs, 0, "cr"), RS_NULL);
    assert_int_equal(kind(rs, 0, "hhi_low"), RS_NULL);
    assert_int_equal(kind(rs, 0, "band"), RS_NULL);
    assert_string_equal(rs->rows[1].notes[0],
                        "CR-2 and HHI not given: the week lists only its top models (no other "
                        "bucket), not the whole market");
    doc_release(&r);
    series_release(&s);
}

/* A week whose groups add up to 2^63 or more has no top, no share and no
 * HHI: build_top refuses it rather than sum it. */
static void test_top_refuses_week_past_2_63(void **state)
{
    static const int days[] = {7, 7};
    static const struct spec_group g[] = {{"a/x", "US", {1, 5000000000000000000LL}},
                                          {"b/y", "CN", {1, 5000000000000000000LL}}};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_MODEL, 0, "default", 2, 0, NULL, -1, 0, 0};
    struct ts_err err = TS_ERR_INIT;
    (void)state;

    make_series(&s, 2, days, g, 2);
    assert_int_equal(build_top(&s, &spec, &r, &err), -1);
    assert_string_equal(err.msg, "the tokens of the week of 2026-02-02 reach 2^63 (a week's total "
                                 "over all its models must stay below 2^63)");
    doc_release(&r);
    series_release(&s);
}

/* By app: the app's name and id, no country (column or make-up), shares
 * of the listed apps and why there is no concentration. */
static void test_top_and_share_by_app(void **state)
{
    static const int days[] = {7, 7};
    struct series s;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_APP, 0, "apps", 5, 0, NULL, -1, 0, 0};
    struct ts_err err = TS_ERR_INIT;
    static const struct spec_group g[] = {
        {"Chat", "", {10, 30}}, {"Chat", "", {0, 20}}, {"Cline", "", {90, 150}}};
    (void)state;

    make_series(&s, 2, days, g, 3);
    s.by = BY_APP;
    s.groups[0].id = 501;
    s.groups[1].id = 502;
    s.groups[2].id = 190604;
    s.full[0] = s.full[1] = 0;
    assert_int_equal(build_top(&s, &spec, &r, &err), 0);
    const struct rowset *rs = rows(&r);
    assert_string_equal(r.title, "Top 5 apps by tokens, week of 2026-02-02 (dataset apps)");
    assert_false(has_col(rs, "country"));
    assert_string_equal(rs->cols[col(rs, "app") + 1].key, "app_id");
    assert_string_equal(text(rs, 0, "app"), "Cline");
    assert_int_equal(ival(rs, 0, "app_id"), 190604);
    assert_near(dval(rs, 0, "share"), 0.75);
    assert_string_equal(text(rs, 1, "app"), "Chat");
    assert_int_equal(ival(rs, 1, "app_id"), 501);
    assert_int_equal(ival(rs, 2, "app_id"), 502);
    assert_int_equal(kind(rs, 0, "cr"), RS_NULL);
    assert_int_equal(rs->rows[2].nnotes, 1); /* no countries of the top N */
    assert_string_equal(rs->rows[2].notes[0],
                        "CR-3 and HHI not given: app rankings list only the top public apps "
                        "(no other bucket), so the listed apps are not the whole market; "
                        "shares are of the listed apps' tokens");
    assert_int_equal(r.tables[1].rows.nrows, 0); /* top_countries */
    doc_release(&r);

    build_share(&s, &spec, &r);
    rs = rows(&r);
    assert_string_equal(r.title, "Share of the listed apps' tokens by app, week of 2026-02-02 "
                                 "(dataset apps)");
    assert_string_equal(text(rs, 1, "app"), "Chat");
    assert_int_equal(ival(rs, 1, "app_id"), 501);
    assert_near(dval(rs, 1, "share_change"), 0.15 - 0.1);
    assert_string_equal(text(rs, 2, "status"), "new");
    assert_string_equal(rs->rows[0].cells[col(rs, "heading")].s,
                        "Week of 2026-02-02 (listed apps only)");
    doc_release(&r);
    series_release(&s);
}

/* Cost sums each week's tokens per group and in total with checked adds:
 * rows a database could hold (an import refuses them) are an error, never
 * a negative token count. */
static void test_cost_refuses_week_past_2_63(void **state)
{
    struct usage_row use[] = {
        {D("2026-02-02"), "a/x", "a", "US", 5000000000000000000LL, 0, 0, 0, "a/x"},
        {D("2026-02-02"), "b/y", "b", "US", 5000000000000000000LL, 0, 0, 0, "b/y"},
    };
    struct week_days weeks[] = {{D("2026-02-02"), 7, 127, 1}};
    struct price_book book = PRICE_BOOK_INIT;
    struct report_doc r = REPORT_DOC_INIT;
    struct report_request spec = {BY_COUNTRY, 0, "default", 0, 0, NULL, -1, 0, 0};
    struct ts_err err = TS_ERR_INIT;
    (void)state;

    price_book_index(&book);
    struct priced_usage in = {use, 2, &book, weeks, 1,          D("2026-02-02"), D("2026-02-02"),
                              0,   0, NULL,  0,     PERIOD_WEEK};
    assert_int_equal(build_cost(&in, &spec, &r, &err), -1);
    assert_string_equal(err.msg, "the tokens of the week of 2026-02-02 reach 2^63 (a week's total "
                                 "over all its models must stay below 2^63)");
    doc_release(&r);

    /* One of them is fine: 5e18 tokens, unpriced. */
    struct report_doc ok = REPORT_DOC_INIT;
    in.nrows = 1;
    assert_int_equal(build_cost(&in, &spec, &ok, &err), 0);
    assert_int_equal(ival(rows(&ok), 0, "tokens"), 5000000000000000000LL);
    assert_int_equal(ival(rows(&ok), 0, "unpriced_tokens"), 5000000000000000000LL);
    doc_release(&ok);
    price_book_release(&book);
}

/* ---- prices --all: every model priced in the week, used or not ---- */

#define UF(slug, family, vendor, country, tokens)                                                  \
    {                                                                                              \
        0, (char *)(slug), (char *)(vendor), (char *)(country), (tokens), 0, 0, 0,                 \
            (char *)(family)                                                                       \
    }
#define U(slug, vendor, country, tokens) UF(slug, slug, vendor, country, tokens)

/* A book of prices in pico-dollars per token ($0.10 = 100000): cn/a and
 * us/c are used in the week of 2026-02-16; cn/b, its free variant, us/e
 * and fr/f are not; us/d's only price is from after the week. */
static void all_models_fixture(struct price_book *b)
{
    price_book_add(b, "cn/a", D("2026-01-05"), 0, 100000, 400000);
    price_book_add(b, "cn/b", D("2026-01-05"), 0, 300000, 1200000);
    price_book_add(b, "cn/b:free", D("2026-01-05"), 0, 0, 0);
    price_book_add(b, "us/c", D("2026-01-05"), 0, 3000000, 15000000);
    price_book_add(b, "us/d", D("2026-03-02"), 0, 1000000, 5000000);
    price_book_add(b, "us/e", D("2026-02-16"), 1, 2000000, 10000000);
    price_book_add(b, "fr/f", D("2026-01-05"), 0, 500000, 2000000);
    price_book_index(b);
}

static void build_all(enum group_by by, int all, struct report_doc *doc)
{
    static const struct usage_row use[] = {
        U("cn/a", "cn", "CN", 300), U("us/c", "us", "US", 100),
        U("us/x", "us", "US", 50), /* no price */
    };
    static const struct usage_row book_rows[] = {
        U("cn/a", "cn", "CN", 0), U("cn/b", "cn", "CN", 0), UF("cn/b:free", "cn/b", "cn", "CN", 0),
        U("fr/f", "fr", "FR", 0), U("us/c", "us", "US", 0), U("us/d", "us", "US", 0),
        U("us/e", "us", "US", 0),
    };
    static const struct week_days weeks[] = {{0, 7, 127, 1}};
    struct price_book b = PRICE_BOOK_INIT;
    struct report_request rq = {by, 0, "default", 0, 0, NULL, -1, all, 0};
    struct week_days w = weeks[0];
    struct ts_err err = TS_ERR_INIT;

    all_models_fixture(&b);
    w.week = D("2026-02-16");
    struct priced_usage in = {use, 3, &b, &w, 1, w.week, w.week, 0, 0, book_rows, 7, PERIOD_WEEK};
    assert_int_equal(build_prices(&in, &rq, doc, &err), 0);
    price_book_release(&b);
}

/* By model: the used models by tokens, then every other model priced
 * that week with 0 tokens at its own price (a free variant included,
 * priced 0), by name; never a model twice, never one whose price is from
 * after the week. Without --all, the used ones only. */
static void test_prices_all_models(void **state)
{
    struct report_doc doc = REPORT_DOC_INIT;
    static const char *const want[] = {"cn/a", "us/c", "cn/b", "cn/b:free", "fr/f", "us/e"};
    const struct rowset *rs;

    (void)state;
    build_all(BY_MODEL, 1, &doc);
    rs = rows(&doc);
    assert_int_equal(rs->nrows, 6);
    for (size_t r = 0; r < rs->nrows; r++)
        assert_string_equal(text(rs, r, "model"), want[r]);
    assert_int_equal(ival(rs, 0, "tokens"), 300);
    assert_near(dval(rs, 0, "input_usd_per_m"), 0.1);
    assert_int_equal(ival(rs, 2, "tokens"), 0);
    assert_near(dval(rs, 2, "input_usd_per_m"), 0.3);
    assert_near(dval(rs, 2, "output_usd_per_m"), 1.2);
    assert_string_equal(text(rs, 2, "price_match"), "exact");
    assert_near(dval(rs, 3, "input_usd_per_m"), 0);
    assert_string_equal(text(rs, 3, "status"), "free");
    assert_string_equal(text(rs, 5, "price_source"), "snapshot");
    assert_string_equal(text(rs, 4, "country"), "FR");
    assert_false(has_col(rs, "listed_models"));
    doc_release(&doc);

    build_all(BY_MODEL, 0, &doc);
    assert_int_equal(rows(&doc)->nrows, 2);
    doc_release(&doc);
}

/* By country: the usage-weighted price as before (empty for a group
 * without usage), and over every listed model with a price above 0 the
 * median and the plain mean. */
static void test_prices_all_by_country(void **state)
{
    struct report_doc doc = REPORT_DOC_INIT;
    const struct rowset *rs;

    (void)state;
    build_all(BY_COUNTRY, 1, &doc);
    rs = rows(&doc);
    assert_int_equal(rs->nrows, 3);
    assert_string_equal(text(rs, 0, "country"), "CN"); /* 300 priced tokens */
    assert_string_equal(text(rs, 1, "country"), "US"); /* 100 */
    assert_string_equal(text(rs, 2, "country"), "FR"); /* none */
    assert_int_equal(ival(rs, 0, "models"), 1);
    assert_near(dval(rs, 0, "input_usd_per_m"), 0.1);
    assert_int_equal(ival(rs, 0, "listed_models"), 2); /* cn/a, cn/b; not the free variant */
    assert_near(dval(rs, 0, "input_median_usd_per_m"), 0.2);
    assert_near(dval(rs, 0, "output_median_usd_per_m"), 0.8);
    assert_near(dval(rs, 0, "input_mean_usd_per_m"), 0.2);
    assert_int_equal(ival(rs, 1, "listed_models"), 2); /* us/c, us/e; not us/d (later) */
    assert_near(dval(rs, 1, "input_usd_per_m"), 3.0);
    assert_near(dval(rs, 1, "input_median_usd_per_m"), 2.5);
    assert_near(dval(rs, 1, "output_mean_usd_per_m"), 12.5);
    assert_int_equal(ival(rs, 2, "models"), 0);
    assert_int_equal(ival(rs, 2, "priced_tokens"), 0);
    assert_int_equal(kind(rs, 2, "input_usd_per_m"), RS_NULL);
    assert_int_equal(kind(rs, 2, "input_ratio"), RS_NULL);
    assert_int_equal(ival(rs, 2, "listed_models"), 1);
    assert_near(dval(rs, 2, "input_median_usd_per_m"), 0.5);
    assert_near(dval(rs, 2, "output_mean_usd_per_m"), 2.0);
    doc_release(&doc);

    /* Without --all: the used groups, and none of the new columns. */
    build_all(BY_COUNTRY, 0, &doc);
    rs = rows(&doc);
    assert_int_equal(rs->nrows, 2);
    assert_false(has_col(rs, "listed_models"));
    assert_false(has_col(rs, "input_median_usd_per_m"));
    doc_release(&doc);
}

/* The row of name in column key, or fails. */
static size_t row_named(const struct rowset *rs, const char *key, const char *name)
{
    for (size_t r = 0; r < rs->nrows; r++) {
        if (strcmp(text(rs, r, key), name) == 0)
            return r;
    }
    fail_msg("no row '%s' in column '%s'", name, key);
    return 0;
}

/* By family: a model and its variants are one row (cn/b and cn/b:free are
 * the family cn/b), named by the family, in the family column. */
static void test_prices_all_by_family(void **state)
{
    struct report_doc doc = REPORT_DOC_INIT;
    const struct rowset *rs;

    (void)state;
    build_all(BY_FAMILY, 1, &doc);
    rs = rows(&doc);
    assert_true(has_col(rs, "family"));
    assert_false(has_col(rs, "model"));
    assert_string_equal(text(rs, 0, "family"), "cn/a");
    assert_int_equal(ival(rs, 0, "priced_tokens"), 300);
    for (size_t r = 0; r < rs->nrows; r++)
        assert_string_not_equal(text(rs, r, "family"), "cn/b:free");
    size_t b = row_named(rs, "family", "cn/b");
    assert_string_equal(text(rs, b, "country"), "CN");
    assert_int_equal(ival(rs, b, "listed_models"), 1); /* cn/b; its free variant is no price */
    assert_near(dval(rs, b, "input_median_usd_per_m"), 0.3);
    doc_release(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_share_week),
        cmocka_unit_test(test_share_sums_to_one),
        cmocka_unit_test(test_share_other_excluded),
        cmocka_unit_test(test_share_lead_week_without_data),
        cmocka_unit_test(test_share_ties_by_name),
        cmocka_unit_test(test_growth_cn),
        cmocka_unit_test(test_growth_new_and_gap),
        cmocka_unit_test(test_share_gone),
        cmocka_unit_test(test_growth_like_for_like),
        cmocka_unit_test(test_top_listed_week),
        cmocka_unit_test(test_top_and_share_by_app),
        cmocka_unit_test(test_growth_summary_only),
        cmocka_unit_test(test_growth_by_month),
        cmocka_unit_test(test_top_sample_week),
        cmocka_unit_test(test_top_other_excluded_and_hhi_change),
        cmocka_unit_test(test_top_refuses_week_past_2_63),
        cmocka_unit_test(test_cost_refuses_week_past_2_63),
        cmocka_unit_test(test_prices_all_models),
        cmocka_unit_test(test_prices_all_by_country),
        cmocka_unit_test(test_prices_all_by_family),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
