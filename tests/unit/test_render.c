/* test_render.c - rowsets and the four output formats: exact outputs for a
 * report with blocks, Total rows, notes, NULL cells and a further table
 * rowset; number formats at their boundaries; width fitting; colour; CSV
 * quoting; JSON escaping; failing streams. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render/render.h"
#include "render/cells.h"
#include "render/doc.h"
#include "render/rowset.h"
#include "support.h"
#include "core/week.h"

/* ---- helpers ---- */

/* Prints s as a C string literal, one source line per output line, so a
 * failing golden can be read (and, after review, pasted). */
static void print_literal(const char *s)
{
    fputs("    \"", stderr);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fputs(s[1] ? "\\n\"\n    \"" : "\\n", stderr);
        else if (c == '"' || c == '\\')
            fprintf(stderr, "\\%c", c);
        else if (c == '\033')
            fputs("\\033", stderr);
        else if (c < 0x20)
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    fputs("\"\n", stderr);
}

static void check_equal(const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "got:\n");
        print_literal(got);
        fprintf(stderr, "expected:\n");
        print_literal(want);
        fail_msg("output differs");
    }
}

/* Renders r with the given options into a new string (the caller frees). */
static char *render_str(const struct report_doc *r, enum render_format f, int exact, int color,
                        int width)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct render_opts o = {f, exact, color, width, color};

    assert_non_null(fp);
    assert_int_equal(render_doc(r, &o, fp), 0);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(strlen(buf), len);
    return buf;
}

static void assert_render(const struct report_doc *r, enum render_format f, int exact, int color,
                          int width, const char *want)
{
    char *got = render_str(r, f, exact, color, width);

    check_equal(got, want);
    free(got);
}

/* No line of s ends in a space. */
static void assert_no_trailing_spaces(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\n' && p > s && p[-1] == ' ')
            fail_msg("trailing space before offset %zu in:\n%s", (size_t)(p - s), s);
    }
}

/* ---- the report fixture ---- */

enum { C_WEEK, C_COUNTRY, C_TOKENS, C_SHARE, C_CHANGE, C_GROWTH, C_RANK, C_DAYS, C_MARK };

static const struct rs_col report_cols[] = {
    {"week", "week", RS_DATE, RS_COL_DATA_ONLY},
    {"country", "country", RS_TEXT, 0},
    {"tokens", "tokens", RS_TOKENS, 0},
    {"share", "share", RS_SHARE, 0},
    {"share_change", "change", RS_PP, RS_COL_COLOR},
    {"growth", "growth", RS_GROWTH, RS_COL_COLOR},
    {"rank", "rank", RS_INT, 0},
    {"days", "days", RS_INT, RS_COL_DATA_ONLY},
    {"mark", "", RS_TEXT, RS_COL_TEXT_ONLY},
};

static const struct rs_col hhi_cols[] = {
    {"week", "week", RS_DATE, 0},
    {"hhi", "HHI", RS_INDEX, 0},
    {"hhi_change", "change", RS_DELTA, RS_COL_COLOR},
};

struct fx {
    struct report_doc rep;
};

/* One row of the main rowset; NAN (or growth < -1) means NULL. */
static size_t fx_row(struct rowset *rs, const char *week, const char *country, int64_t tokens,
                     double share, double change, double growth, int64_t rank)
{
    size_t r = rowset_add(rs);

    rowset_set_int(rs, r, C_WEEK, D(week));
    rowset_set_text(rs, r, C_COUNTRY, country);
    rowset_set_int(rs, r, C_TOKENS, tokens);
    rowset_set_real(rs, r, C_SHARE, share);
    if (!isnan(change))
        rowset_set_real(rs, r, C_CHANGE, change);
    if (growth >= -1 && !isnan(growth))
        rowset_set_real(rs, r, C_GROWTH, growth);
    if (rank)
        rowset_set_int(rs, r, C_RANK, rank);
    rowset_set_int(rs, r, C_DAYS, 7);
    return r;
}

/* The rows of the fixture's first week. */
static void fx_week1(struct rowset *rs)
{
    size_t r;

    fx_row(rs, "2026-02-02", "CN", 4120000000000, 0.487234, 0.139, 1.273, 1);
    fx_row(rs, "2026-02-02", "US", 629000000000, 0.074, -0.089, -0.12, 2);
    fx_row(rs, "2026-02-02", "unknown", 50000000000, 0.0059, NAN, -2, 3);
    r = fx_row(rs, "2026-02-02", "Total", 8460000000000, 1.0, NAN, NAN, 0);
    rowset_mark_total(rs, r);
    rowset_add_note(rs, r, "HHI %s (%s)", "2,345", "highly concentrated");
    rowset_add_note(rs, r, "CN %d of %d", 1, 3);
}

/* The rows of its second week. */
static void fx_week2(struct rowset *rs)
{
    size_t r = fx_row(rs, "2026-02-09", "CN, \"x\"", 999, 0.5, -0.0000001, 0.0, 1);

    rowset_set_int(rs, r, C_DAYS, 3);
    rowset_set_text(rs, r, C_MARK, "partial");
    r = fx_row(rs, "2026-02-09", "Total", 1998, 1.0, NAN, NAN, 0);
    rowset_mark_total(rs, r);
}

static void fx_build(struct fx *f)
{
    struct rowset *rs = &f->rep.rows;
    size_t r;

    f->rep = (struct report_doc)REPORT_DOC_INIT;
    rowset_init(rs, report_cols, sizeof(report_cols) / sizeof(report_cols[0]));
    rs->block_col = C_WEEK;
    rs->block_title = "Week of %s";
    fx_week1(rs);
    fx_week2(rs);

    struct rowset *hhi = doc_table(&f->rep, "hhi", "Concentration", 1);
    rowset_init(hhi, hhi_cols, 3);
    r = rowset_add(hhi);
    rowset_set_int(hhi, r, 0, D("2026-02-02"));
    rowset_set_real(hhi, r, 1, 2345.123456);
    rowset_set_real(hhi, r, 2, -1234.4);
    r = rowset_add(hhi);
    rowset_set_int(hhi, r, 0, D("2026-02-09"));
    rowset_set_real(hhi, r, 1, 10000);
    rowset_set_real(hhi, r, 2, 150);

    f->rep.command = "report";
    doc_set_title(&f->rep, "Token share by country");
    doc_param(&f->rep, "by", "country");
    doc_param(&f->rep, "dataset", NULL);
    doc_param_number(&f->rep, "n", "5");
    doc_warn(&f->rep, "vendors without a country: foo");
    doc_set_source(&f->rep, "OpenRouter (openrouter.ai/rankings), as of 2026-02-16");
}

static void fx_release(struct fx *f)
{
    doc_release(&f->rep);
}

/* The fixture's rows, emptied: its columns without a row. */
static void fx_empty_rows(struct fx *f)
{
    rowset_release(&f->rep.rows);
    rowset_init(&f->rep.rows, report_cols, sizeof(report_cols) / sizeof(report_cols[0]));
    f->rep.rows.block_col = C_WEEK;
    f->rep.rows.block_title = "Week of %s";
}

/* No further tables. */
static void fx_no_tables(struct fx *f)
{
    for (size_t i = 0; i < f->rep.ntables; i++) {
        free(f->rep.tables[i].title);
        f->rep.tables[i].title = NULL;
        rowset_release(&f->rep.tables[i].rows);
    }
    f->rep.ntables = 0;
}

/* No warnings and no parameters. */
static void fx_bare(struct fx *f)
{
    for (size_t i = 0; i < f->rep.nwarnings; i++)
        free(f->rep.warnings[i]);
    f->rep.nwarnings = 0;
    for (size_t i = 0; i < f->rep.nparams; i++)
        free(f->rep.params[i].value);
    f->rep.nparams = 0;
}

/* ---- numbers ---- */

static void check_tokens(int64_t v, const char *want)
{
    char buf[32];

    render_tokens_human(v, buf, sizeof(buf));
    if (strcmp(buf, want) != 0)
        fail_msg("tokens %lld: got '%s', expected '%s'", (long long)v, buf, want);
}

static void test_tokens_human(void **state)
{
    (void)state;
    check_tokens(0, "0");
    check_tokens(1, "1");
    check_tokens(999, "999");
    check_tokens(1000, "1.00K");
    check_tokens(1004, "1.00K");
    check_tokens(1005, "1.01K"); /* halves up */
    check_tokens(9994, "9.99K");
    check_tokens(9995, "10.0K");
    check_tokens(99949, "99.9K");
    check_tokens(99950, "100K");
    check_tokens(999499, "999K");
    check_tokens(999500, "1.00M");
    check_tokens(1250000, "1.25M");
    check_tokens(50000000000, "50.0B");
    check_tokens(629000000000, "629B");
    check_tokens(999499999999, "999B");
    check_tokens(999600000000, "1.00T");
    check_tokens(4120000000000, "4.12T");
    check_tokens(999500000000000, "1.00P");
    check_tokens(5000000000000000, "5.00P");
    check_tokens(999500000000000000, "1.00E");
    check_tokens(INT64_MAX, "9.22E");
    check_tokens(-1250000, "-1.25M");
    check_tokens(INT64_MIN, "-9.22E");

    char small[4];
    render_tokens_human(4120000000000, small, sizeof(small));
    assert_string_equal(small, "4.1"); /* cut, never overrun */
}

static void check_percent(double v, const char *want)
{
    char buf[32];

    render_percent(v, buf, sizeof(buf));
    if (strcmp(buf, want) != 0)
        fail_msg("percent %g: got '%s', expected '%s'", v, buf, want);
}

static void test_percent(void **state)
{
    (void)state;
    check_percent(0.4872, "48.7 %");
    check_percent(0.487234, "48.7 %");
    check_percent(1.0, "100.0 %");
    check_percent(0.0, "0.0 %");
    check_percent(-0.0, "0.0 %");
    check_percent(-0.0001, "0.0 %");
    check_percent(0.0004, "0.0 %");
    check_percent(0.074, "7.4 %");
}

/* The text form of v in a column of type t. */
static void check_text(enum rs_type t, enum rs_kind kind, double d, int64_t i, int exact,
                       const char *want)
{
    struct rs_col col = {"k", "t", t, 0};
    struct rs_cell c = {kind, i, d, NULL};
    char buf[RENDER_CELL_MAX];
    const char *got = render_cell_text(&col, &c, exact, buf);

    if (strcmp(got, want) != 0)
        fail_msg("type %d: got '%s', expected '%s'", (int)t, got, want);
}

static void test_text_cells(void **state)
{
    (void)state;
    check_text(RS_TOKENS, RS_VALUE, 0, 4120000000000, 0, "4.12T");
    check_text(RS_TOKENS, RS_VALUE, 0, 4120000000000, 1, "4120000000000");
    check_text(RS_TOKENS, RS_VALUE, 0, 0, 1, "0");
    check_text(RS_SHARE, RS_VALUE, 0.487234, 0, 0, "48.7 %");
    check_text(RS_SHARE, RS_VALUE, 1.0, 0, 0, "100.0 %");
    check_text(RS_PP, RS_VALUE, 0.139, 0, 0, "+13.9 pp");
    check_text(RS_PP, RS_VALUE, -0.089, 0, 0, "-8.9 pp");
    check_text(RS_PP, RS_VALUE, 0.0, 0, 0, "0.0 pp");
    check_text(RS_PP, RS_VALUE, -0.0, 0, 0, "0.0 pp");
    check_text(RS_PP, RS_VALUE, -0.0004, 0, 0, "0.0 pp");
    check_text(RS_PP, RS_VALUE, 0.0004, 0, 0, "0.0 pp");
    check_text(RS_GROWTH, RS_VALUE, 1.273, 0, 0, "+127.3 %");
    check_text(RS_GROWTH, RS_VALUE, -0.12, 0, 0, "-12.0 %");
    check_text(RS_GROWTH, RS_VALUE, -1.0, 0, 0, "-100.0 %");
    check_text(RS_GROWTH, RS_VALUE, 0.0, 0, 0, "0.0 %");
    check_text(RS_INDEX, RS_VALUE, 2345.123456, 0, 0, "2,345");
    check_text(RS_INDEX, RS_VALUE, 10000.0, 0, 0, "10,000");
    check_text(RS_INDEX, RS_VALUE, 999.5, 0, 0, "1,000");
    check_text(RS_INDEX, RS_VALUE, 999.49, 0, 0, "999");
    check_text(RS_INDEX, RS_VALUE, 0.0, 0, 0, "0");
    check_text(RS_INDEX, RS_VALUE, 1234567.0, 0, 0, "1,234,567");
    check_text(RS_DELTA, RS_VALUE, 150.2, 0, 0, "+150");
    check_text(RS_DELTA, RS_VALUE, -1234.4, 0, 0, "-1,234");
    check_text(RS_DELTA, RS_VALUE, 0.0, 0, 0, "0");
    check_text(RS_DELTA, RS_VALUE, -0.4, 0, 0, "0");
    check_text(RS_DELTA, RS_VALUE, 0.4, 0, 0, "0");
    check_text(RS_DELTA, RS_VALUE, 100.0, 0, 0, "+100");
    check_text(RS_DATE, RS_VALUE, 0, D("2026-02-09"), 0, "2026-02-09");
    check_text(RS_INT, RS_VALUE, 0, 1234, 0, "1234");
    check_text(RS_INT, RS_VALUE, 0, -3, 0, "-3");
    check_text(RS_SHARE, RS_NULL, 0.5, 0, 0, "");
    check_text(RS_TOKENS, RS_NULL, 0, 5, 1, "");
    check_text(RS_SHARE, RS_VALUE, NAN, 0, 0, "");
    check_text(RS_PP, RS_VALUE, INFINITY, 0, 0, "");
    /* Dollars, up to spends no int64 holds (never a wrapped "$-9.22E"). */
    check_text(RS_USD, RS_VALUE, 12.345, 0, 0, "$12.35");
    check_text(RS_USD, RS_VALUE, 9364000.0, 0, 0, "$9.36M");
    check_text(RS_USD, RS_VALUE, -2500.0, 0, 0, "-$2.50K");
    check_text(RS_USD, RS_VALUE, 8.99e18, 0, 0, "$8.99E");
    check_text(RS_USD, RS_VALUE, 9.2233720368547758e18, 0, 0, "$9.22E");
    check_text(RS_USD, RS_VALUE, 1.5e19, 0, 0, "$15.0E");
    check_text(RS_USD, RS_VALUE, 2.5e20, 0, 0, "$250E");
    check_text(RS_USD, RS_VALUE, 1.0e21, 0, 0, "$1.00e+21");
    check_text(RS_USD, RS_VALUE, -3.0e25, 0, 0, "-$3.00e+25");
    check_text(RS_USD, RS_VALUE, 1.0e300, 0, 0, "$1.00e+300");
    check_text(RS_USD, RS_VALUE, 1.5e19, 0, 1, "$15,000,000,000,000,000,000.00");
    check_text(RS_USD, RS_VALUE, 1.0e300, 0, 1, "$1.00e+300");
}

/* The data form of a cell: its kind and text. */
static void check_data(enum rs_type t, enum rs_kind kind, double d, int64_t i,
                       enum render_data want_kind, const char *want)
{
    struct rs_col col = {"k", "t", t, 0};
    struct rs_cell c = {kind, i, d, NULL};
    char buf[RENDER_CELL_MAX];
    const char *got;
    enum render_data k = render_cell_data(&col, &c, buf, &got);

    if (k != want_kind || strcmp(got, want) != 0)
        fail_msg("type %d: got %d '%s', expected %d '%s'", (int)t, (int)k, got, (int)want_kind,
                 want);
}

static void test_data_cells(void **state)
{
    (void)state;
    check_data(RS_TOKENS, RS_VALUE, 0, INT64_MAX, RENDER_DATA_NUMBER, "9223372036854775807");
    check_data(RS_INT, RS_VALUE, 0, 12, RENDER_DATA_NUMBER, "12");
    check_data(RS_DATE, RS_VALUE, 0, D("2026-02-09"), RENDER_DATA_STRING, "2026-02-09");
    check_data(RS_SHARE, RS_VALUE, 0.487234, 0, RENDER_DATA_NUMBER, "0.487234");
    check_data(RS_SHARE, RS_VALUE, 1.0, 0, RENDER_DATA_NUMBER, "1.000000");
    check_data(RS_SHARE, RS_VALUE, -0.0, 0, RENDER_DATA_NUMBER, "0.000000");
    check_data(RS_PP, RS_VALUE, -0.0000001, 0, RENDER_DATA_NUMBER, "0.000000");
    check_data(RS_PP, RS_VALUE, -0.089, 0, RENDER_DATA_NUMBER, "-0.089000");
    check_data(RS_GROWTH, RS_VALUE, 1.273, 0, RENDER_DATA_NUMBER, "1.273000");
    check_data(RS_INDEX, RS_VALUE, 2345.123456, 0, RENDER_DATA_NUMBER, "2345.123456");
    check_data(RS_DELTA, RS_VALUE, -1234.4, 0, RENDER_DATA_NUMBER, "-1234.400000");
    check_data(RS_DELTA, RS_NULL, 5, 0, RENDER_DATA_NULL, "");
    check_data(RS_TEXT, RS_NULL, 0, 0, RENDER_DATA_NULL, "");
    check_data(RS_SHARE, RS_VALUE, NAN, 0, RENDER_DATA_NULL, "");
}

/* ---- the four formats on the fixture ---- */

static const char fx_table[] = "Token share by country\n"
                               "\n"
                               "Week of 2026-02-02\n"
                               "country  tokens    share    change    growth  rank\n"
                               "CN        4.12T   48.7 %  +13.9 pp  +127.3 %     1\n"
                               "US         629B    7.4 %   -8.9 pp   -12.0 %     2\n"
                               "unknown   50.0B    0.6 %                         3\n"
                               "Total     8.46T  100.0 %\n"
                               "  HHI 2,345 (highly concentrated)\n"
                               "  CN 1 of 3\n"
                               "\n"
                               "Week of 2026-02-09\n"
                               "country  tokens    share    change    growth  rank\n"
                               "CN, \"x\"     999   50.0 %    0.0 pp     0.0 %     1  partial\n"
                               "Total     2.00K  100.0 %\n"
                               "\n"
                               "Concentration\n"
                               "\n"
                               "week           HHI  change\n"
                               "2026-02-02   2,345  -1,234\n"
                               "2026-02-09  10,000    +150\n"
                               "\n"
                               "Source: OpenRouter (openrouter.ai/rankings), as of 2026-02-16\n";

static void test_table(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    assert_render(&f.rep, RENDER_TABLE, 0, 0, 0, fx_table);
    /* A width the table fits in changes nothing. */
    assert_render(&f.rep, RENDER_TABLE, 0, 0, 51, fx_table);
    fx_release(&f);
}

static void test_table_exact(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    f.rep.tables[0].in_text = 0;
    doc_set_source(&f.rep, NULL);
    assert_render(&f.rep, RENDER_TABLE, 1, 0, 0,
                  "Token share by country\n"
                  "\n"
                  "Week of 2026-02-02\n"
                  "country         tokens    share    change    growth  rank\n"
                  "CN       4120000000000   48.7 %  +13.9 pp  +127.3 %     1\n"
                  "US        629000000000    7.4 %   -8.9 pp   -12.0 %     2\n"
                  "unknown    50000000000    0.6 %                         3\n"
                  "Total    8460000000000  100.0 %\n"
                  "  HHI 2,345 (highly concentrated)\n"
                  "  CN 1 of 3\n"
                  "\n"
                  "Week of 2026-02-09\n"
                  "country         tokens    share    change    growth  rank\n"
                  "CN, \"x\"            999   50.0 %    0.0 pp     0.0 %     1  partial\n"
                  "Total             1998  100.0 %\n");
    fx_release(&f);
}

static void test_table_color(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    doc_set_source(&f.rep, NULL);
    assert_render(
        &f.rep, RENDER_TABLE, 0, 1, 0,
        "Token share by country\n"
        "\n"
        "Week of 2026-02-02\n"
        "country  tokens    share    change    growth  rank\n"
        "CN        4.12T   48.7 %  \033[32m+13.9 pp\033[0m  \033[32m+127.3 %\033[0m     1\n"
        "US         629B    7.4 %   \033[31m-8.9 pp\033[0m   \033[31m-12.0 %\033[0m     2\n"
        "unknown   50.0B    0.6 %                         3\n"
        "Total     8.46T  100.0 %\n"
        "  HHI 2,345 (highly concentrated)\n"
        "  CN 1 of 3\n"
        "\n"
        "Week of 2026-02-09\n"
        "country  tokens    share    change    growth  rank\n"
        "CN, \"x\"     999   50.0 %    0.0 pp     0.0 %     1  partial\n"
        "Total     2.00K  100.0 %\n"
        "\n"
        "Concentration\n"
        "\n"
        "week           HHI  change\n"
        "2026-02-02   2,345  \033[31m-1,234\033[0m\n"
        "2026-02-09  10,000    \033[32m+150\033[0m\n");

    /* Without colour, no escape code in any format. */
    for (int fmt = RENDER_TABLE; fmt <= RENDER_MARKDOWN; fmt++) {
        char *s = render_str(&f.rep, (enum render_format)fmt, 0, 0, 0);
        assert_null(strchr(s, '\033'));
        free(s);
    }
    /* Data and Markdown ignore the colour flag. */
    for (int fmt = RENDER_CSV; fmt <= RENDER_MARKDOWN; fmt++) {
        char *s = render_str(&f.rep, (enum render_format)fmt, 0, 1, 0);
        assert_null(strchr(s, '\033'));
        free(s);
    }
    fx_release(&f);
}

static void test_csv(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    assert_render(&f.rep, RENDER_CSV, 0, 0, 0,
                  "week,country,tokens,share,share_change,growth,rank,days\n"
                  "2026-02-02,CN,4120000000000,0.487234,0.139000,1.273000,1,7\n"
                  "2026-02-02,US,629000000000,0.074000,-0.089000,-0.120000,2,7\n"
                  "2026-02-02,unknown,50000000000,0.005900,,,3,7\n"
                  "2026-02-09,\"CN, \"\"x\"\"\",999,0.500000,0.000000,0.000000,1,3\n");
    /* exact, colour and width are text options: CSV stays the same. */
    char *a = render_str(&f.rep, RENDER_CSV, 0, 0, 0);
    char *b = render_str(&f.rep, RENDER_CSV, 1, 1, 20);
    assert_string_equal(a, b);
    free(a);
    free(b);
    fx_release(&f);
}

static const char fx_json[] =
    "{\"schema_version\":2,\"command\":\"report\",\"by\":\"country\",\"dataset\":null,\"n\":5,"
    "\"rows\":[\n"
    "{\"week\":\"2026-02-02\",\"country\":\"CN\",\"tokens\":4120000000000,\"share\":0.487234,"
    "\"share_change\":0.139000,\"growth\":1.273000,\"rank\":1,\"days\":7},\n"
    "{\"week\":\"2026-02-02\",\"country\":\"US\",\"tokens\":629000000000,\"share\":0.074000,"
    "\"share_change\":-0.089000,\"growth\":-0.120000,\"rank\":2,\"days\":7},\n"
    "{\"week\":\"2026-02-02\",\"country\":\"unknown\",\"tokens\":50000000000,\"share\":0.005900,"
    "\"share_change\":null,\"growth\":null,\"rank\":3,\"days\":7},\n"
    "{\"week\":\"2026-02-09\",\"country\":\"CN, \\\"x\\\"\",\"tokens\":999,\"share\":0.500000,"
    "\"share_change\":0.000000,\"growth\":0.000000,\"rank\":1,\"days\":3}\n"
    "],\"hhi\":[\n"
    "{\"week\":\"2026-02-02\",\"hhi\":2345.123456,\"hhi_change\":-1234.400000},\n"
    "{\"week\":\"2026-02-09\",\"hhi\":10000.000000,\"hhi_change\":150.000000}\n"
    "],\"warnings\":[\"vendors without a country: foo\"],"
    "\"source\":\"OpenRouter (openrouter.ai/rankings), as of 2026-02-16\"}\n";

static void test_json(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    assert_render(&f.rep, RENDER_JSON, 0, 0, 0, fx_json);

    /* A JSON reader gets the numbers a CSV reader gets, and valid JSON. */
    char *s = render_str(&f.rep, RENDER_JSON, 0, 0, 0);
    json_error_t jerr;
    json_t *doc = json_loads(s, 0, &jerr);
    if (!doc)
        fail_msg("invalid JSON at %d:%d: %s", jerr.line, jerr.column, jerr.text);
    json_t *rows = json_object_get(doc, "rows");
    assert_int_equal(json_array_size(rows), 4);
    json_t *cn = json_array_get(rows, 0);
    assert_int_equal(json_integer_value(json_object_get(cn, "tokens")), 4120000000000);
    assert_true(json_real_value(json_object_get(cn, "share")) == strtod("0.487234", NULL));
    assert_true(json_is_null(json_object_get(json_array_get(rows, 2), "share_change")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 3), "country")),
                        "CN, \"x\"");
    assert_null(json_object_get(cn, "mark")); /* text-only column */
    assert_int_equal(json_array_size(json_object_get(doc, "hhi")), 2);
    json_decref(doc);
    free(s);

    /* Without an extra rowset, warnings or source. */
    fx_no_tables(&f);
    fx_bare(&f);
    doc_set_source(&f.rep, NULL);
    fx_empty_rows(&f);
    assert_render(&f.rep, RENDER_JSON, 0, 0, 0,
                  "{\"schema_version\":2,\"command\":\"report\",\"rows\":[],\"warnings\":[],"
                  "\"source\":null}\n");
    fx_release(&f);
}

static void test_markdown(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    assert_render(&f.rep, RENDER_MARKDOWN, 0, 0, 0,
                  "## Token share by country\n"
                  "\n"
                  "### Week of 2026-02-02\n"
                  "\n"
                  "| country | tokens | share | change | growth | rank |  |\n"
                  "|---|---:|---:|---:|---:|---:|---|\n"
                  "| CN | 4.12T | 48.7 % | +13.9 pp | +127.3 % | 1 |  |\n"
                  "| US | 629B | 7.4 % | -8.9 pp | -12.0 % | 2 |  |\n"
                  "| unknown | 50.0B | 0.6 % |  |  | 3 |  |\n"
                  "| **Total** | **8.46T** | **100.0 %** |  |  |  |  |\n"
                  "\n"
                  "- HHI 2,345 (highly concentrated)\n"
                  "- CN 1 of 3\n"
                  "\n"
                  "### Week of 2026-02-09\n"
                  "\n"
                  "| country | tokens | share | change | growth | rank |  |\n"
                  "|---|---:|---:|---:|---:|---:|---|\n"
                  "| CN, \"x\" | 999 | 50.0 % | 0.0 pp | 0.0 % | 1 | partial |\n"
                  "| **Total** | **2.00K** | **100.0 %** |  |  |  |  |\n"
                  "\n"
                  "## Concentration\n"
                  "\n"
                  "| week | HHI | change |\n"
                  "|---|---:|---:|\n"
                  "| 2026-02-02 | 2,345 | -1,234 |\n"
                  "| 2026-02-09 | 10,000 | +150 |\n"
                  "\n"
                  "_Source: OpenRouter (openrouter.ai/rankings), as of 2026-02-16_\n");

    /* exact applies to Markdown too. */
    f.rep.tables[0].in_text = 0;
    doc_set_source(&f.rep, "a_b*c");
    char *s = render_str(&f.rep, RENDER_MARKDOWN, 1, 0, 0);
    assert_non_null(strstr(s, "| **Total** | **8460000000000** | **100.0 %** |"));
    assert_null(strstr(s, "Concentration"));
    assert_non_null(strstr(s, "\n\n_Source: a\\_b\\*c_\n"));
    free(s);
    fx_release(&f);
}

/* With extra_in_text off, the extra rowset is in JSON only. */
static void test_extra_off(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    f.rep.tables[0].in_text = 0;
    for (int fmt = RENDER_TABLE; fmt <= RENDER_MARKDOWN; fmt++) {
        char *s = render_str(&f.rep, (enum render_format)fmt, 0, 0, 0);
        if (fmt == RENDER_JSON)
            assert_non_null(strstr(s, "\"hhi\":["));
        else
            assert_null(strstr(s, "10,000"));
        assert_null(strstr(s, "Concentration"));
        free(s);
    }
    /* Source and warnings: CSV never; the table ends with the source. */
    char *s = render_str(&f.rep, RENDER_CSV, 0, 0, 0);
    assert_null(strstr(s, "OpenRouter"));
    assert_null(strstr(s, "foo"));
    free(s);
    s = render_str(&f.rep, RENDER_TABLE, 0, 0, 0);
    assert_non_null(strstr(s, "Total     2.00K  100.0 %\n\nSource: OpenRouter"));
    assert_null(strstr(s, "foo"));
    free(s);
    fx_release(&f);
}

static void test_no_trailing_spaces(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    for (int exact = 0; exact <= 1; exact++) {
        for (int color = 0; color <= 1; color++) {
            for (int width = 0; width <= 40; width += 20) {
                char *s = render_str(&f.rep, RENDER_TABLE, exact, color, width);
                assert_no_trailing_spaces(s);
                free(s);
            }
        }
    }
    fx_release(&f);
}

/* ---- empty results, blocks ---- */

static void test_empty(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    fx_empty_rows(&f);
    fx_no_tables(&f);
    doc_set_source(&f.rep, NULL);
    assert_render(&f.rep, RENDER_TABLE, 0, 0, 0,
                  "Token share by country\n"
                  "\n"
                  "country  tokens  share  change  growth  rank\n");
    assert_render(&f.rep, RENDER_CSV, 0, 0, 0,
                  "week,country,tokens,share,share_change,growth,rank,days\n");
    assert_render(&f.rep, RENDER_JSON, 0, 0, 0,
                  "{\"schema_version\":2,\"command\":\"report\",\"by\":\"country\","
                  "\"dataset\":null,\"n\":5,\"rows\":[],\"warnings\":[\"vendors without a "
                  "country: "
                  "foo\"],\"source\":null}\n");
    assert_render(&f.rep, RENDER_MARKDOWN, 0, 0, 0,
                  "## Token share by country\n"
                  "\n"
                  "| country | tokens | share | change | growth | rank |  |\n"
                  "|---|---:|---:|---:|---:|---:|---|\n");

    /* An extra rowset that is empty is an empty array / a bare header. */
    rowset_init(doc_table(&f.rep, "hhi", "Concentration", 1), hhi_cols, 3);
    assert_render(&f.rep, RENDER_TABLE, 0, 0, 0,
                  "Token share by country\n"
                  "\n"
                  "country  tokens  share  change  growth  rank\n"
                  "\n"
                  "Concentration\n"
                  "\n"
                  "week  HHI  change\n");
    char *s = render_str(&f.rep, RENDER_JSON, 0, 0, 0);
    assert_non_null(strstr(s, "\"rows\":[],\"hhi\":[],\"warnings\""));
    free(s);
    fx_release(&f);
}

static const struct rs_col model_cols[] = {
    {"model", "model", RS_TEXT, 0},
    {"name", "name", RS_TEXT, 0},
    {"tokens", "tokens", RS_TOKENS, 0},
};

static void test_no_blocks(void **state)
{
    struct report_doc rep = REPORT_DOC_INIT;
    struct rowset *rs = &rep.rows;
    size_t r;

    (void)state;
    rowset_init(rs, model_cols, 3);
    r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "a/x");
    rowset_set_int(rs, r, 2, 5);
    rowset_add_note(rs, r, "first");
    r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "b/y");
    rowset_set_text(rs, r, 1, "Y");
    rowset_set_int(rs, r, 2, 12000);
    rep.command = "top";
    assert_render(&rep, RENDER_TABLE, 0, 0, 0,
                  "model  name  tokens\n"
                  "a/x               5\n"
                  "  first\n"
                  "b/y    Y      12.0K\n");
    assert_render(&rep, RENDER_MARKDOWN, 0, 0, 0,
                  "| model | name | tokens |\n"
                  "|---|---|---:|\n"
                  "| a/x |  | 5 |\n"
                  "| b/y | Y | 12.0K |\n"
                  "\n"
                  "- first\n");
    assert_render(&rep, RENDER_JSON, 0, 0, 0,
                  "{\"schema_version\":2,\"command\":\"top\",\"rows\":[\n"
                  "{\"model\":\"a/x\",\"name\":null,\"tokens\":5},\n"
                  "{\"model\":\"b/y\",\"name\":\"Y\",\"tokens\":12000}\n"
                  "],\"warnings\":[],\"source\":null}\n");

    /* Blocks on a text column; "%%" in the title is a percent sign. */
    rs->block_col = 0;
    rs->block_title = "100%% of %s";
    assert_render(&rep, RENDER_TABLE, 0, 0, 0,
                  "100% of a/x\n"
                  "model  name  tokens\n"
                  "a/x               5\n"
                  "  first\n"
                  "\n"
                  "100% of b/y\n"
                  "model  name  tokens\n"
                  "b/y    Y      12.0K\n");
    /* No title: the bare value. */
    rs->block_title = NULL;
    char *s = render_str(&rep, RENDER_MARKDOWN, 0, 0, 0);
    assert_non_null(strstr(s, "### a/x\n\n| model |"));
    free(s);
    doc_release(&rep);
}

/* ---- width ---- */

/* The widest line of s, in UTF-8 characters. */
static size_t widest_line(const char *s)
{
    size_t best = 0, n = 0;

    for (; *s; s++) {
        if (*s == '\n') {
            if (n > best)
                best = n;
            n = 0;
        } else if (((unsigned char)*s & 0xc0) != 0x80) {
            n++;
        }
    }
    return best;
}

static void test_width(void **state)
{
    struct report_doc rep = REPORT_DOC_INIT;
    struct rowset *rs = &rep.rows;
    size_t r;

    (void)state;
    rowset_init(rs, model_cols, 3);
    r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "arcee-ai/trinity-large-preview:free");
    rowset_set_text(rs, r, 1, "Arcee: Trinity Large");
    rowset_set_int(rs, r, 2, 1440000000000);
    r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "z-ai/glm-5");
    rowset_set_text(rs, r, 1, "智谱: GLM 5 (Zhipu AI)");
    rowset_set_int(rs, r, 2, 629000000000);
    doc_set_title(&rep, "Top models");

    const char *full = "Top models\n"
                       "\n"
                       "model                                name                  tokens\n"
                       "arcee-ai/trinity-large-preview:free  Arcee: Trinity Large   1.44T\n"
                       "z-ai/glm-5                           智谱: GLM 5 (Zhipu AI)    629B\n";
    assert_render(&rep, RENDER_TABLE, 0, 0, 0, full);
    assert_render(&rep, RENDER_TABLE, 0, 0, 65, full);

    /* 65 wide: to fit 40, the slug column goes from 35 to 10. */
    assert_render(&rep, RENDER_TABLE, 0, 0, 40,
                  "Top models\n"
                  "\n"
                  "model       name                  tokens\n"
                  "arcee-a...  Arcee: Trinity Large   1.44T\n"
                  "z-ai/glm-5  智谱: GLM 5 (Zhipu AI)    629B\n");

    /* 30: the slug stops at 8, then the name (counted in characters, cut
     * between characters, not bytes) goes to 12. */
    char *s = render_str(&rep, RENDER_TABLE, 0, 0, 30);
    check_equal(s, "Top models\n"
                   "\n"
                   "model     name          tokens\n"
                   "arcee...  Arcee: Tr...   1.44T\n"
                   "z-ai/...  智谱: GLM 5...    629B\n");
    assert_true(widest_line(s) <= 30);
    free(s);

    /* Too narrow for anything: text columns stop at 8 characters. */
    assert_render(&rep, RENDER_TABLE, 0, 0, 5,
                  "Top models\n"
                  "\n"
                  "model     name      tokens\n"
                  "arcee...  Arcee...   1.44T\n"
                  "z-ai/...  智谱: G...    629B\n");

    /* Colour does not change the fitting or the alignment. */
    s = render_str(&rep, RENDER_TABLE, 0, 1, 30);
    assert_null(strchr(s, '\033'));
    free(s);

    /* Markdown and the data formats never cut. */
    s = render_str(&rep, RENDER_MARKDOWN, 0, 0, 30);
    assert_non_null(strstr(s, "arcee-ai/trinity-large-preview:free"));
    free(s);
    s = render_str(&rep, RENDER_CSV, 0, 0, 30);
    assert_non_null(strstr(s, "arcee-ai/trinity-large-preview:free"));
    free(s);
    doc_release(&rep);
}

/* ---- quoting and escaping ---- */

static const struct rs_col text_cols[] = {
    {"id", "id", RS_INT, 0},
    {"text", "text", RS_TEXT, 0},
};

static void one_text(struct rowset *rs, int64_t id, const char *text)
{
    size_t r = rowset_add(rs);

    rowset_set_int(rs, r, 0, id);
    rowset_set_text(rs, r, 1, text);
}

static void test_csv_quoting(void **state)
{
    struct report_doc rep = REPORT_DOC_INIT;
    struct rowset *rs = &rep.rows;

    (void)state;
    rowset_init(rs, text_cols, 2);
    one_text(rs, 1, "plain");
    one_text(rs, 2, "a,b");
    one_text(rs, 3, "say \"hi\"");
    one_text(rs, 4, "two\nlines");
    one_text(rs, 5, "cr\rhere");
    one_text(rs, 6, " lead");
    one_text(rs, 7, "trail ");
    one_text(rs, 8, "in side");
    one_text(rs, 9, "");
    one_text(rs, 10, NULL);
    one_text(rs, 11, "智谱;tab\tin");
    doc_set_title(&rep, "ignored");
    doc_set_source(&rep, "ignored");
    assert_render(&rep, RENDER_CSV, 0, 0, 0,
                  "id,text\n"
                  "1,plain\n"
                  "2,\"a,b\"\n"
                  "3,\"say \"\"hi\"\"\"\n"
                  "4,\"two\nlines\"\n"
                  "5,\"cr\rhere\"\n"
                  "6,\" lead\"\n"
                  "7,\"trail \"\n"
                  "8,in side\n"
                  "9,\n"
                  "10,\n"
                  "11,智谱;tab\tin\n");
    doc_release(&rep);
}

static void test_json_escaping(void **state)
{
    struct report_doc rep = REPORT_DOC_INIT;
    struct rowset *rs = &rep.rows;

    (void)state;
    rowset_init(rs, text_cols, 2);
    one_text(rs, 1, "quote \" backslash \\ slash /");
    one_text(rs, 2, "ctl \x01\x1f\n\r\t\b\f del \x7f");
    one_text(rs, 3, "智谱 é 😀");
    one_text(rs, 4, "bad \xff\xc3 utf8");
    rep.command = "re\"port";
    doc_param(&rep, "q\"k", "a\\b");
    doc_warn(&rep, "tab\there");
    doc_warn(&rep, "bell\a");
    doc_set_source(&rep, "line\nbreak");
    const char *want =
        "{\"schema_version\":2,\"command\":\"re\\\"port\",\"q\\\"k\":\"a\\\\b\",\"rows\":[\n"
        "{\"id\":1,\"text\":\"quote \\\" backslash \\\\ slash /\"},\n"
        "{\"id\":2,\"text\":\"ctl \\u0001\\u001f\\u000a\\u000d\\u0009\\u0008\\u000c del \x7f\"},\n"
        "{\"id\":3,\"text\":\"智谱 é 😀\"},\n"
        "{\"id\":4,\"text\":\"bad \\ufffd\\ufffd utf8\"}\n"
        "],\"warnings\":[\"tab\\u0009here\",\"bell\\u0007\"],\"source\":\"line\\u000abreak\"}\n";
    assert_render(&rep, RENDER_JSON, 0, 0, 0, want);

    /* jansson reads it back to the same strings (the valid ones). */
    json_error_t jerr;
    json_t *doc = json_loads(want, 0, &jerr);
    if (!doc)
        fail_msg("invalid JSON at %d:%d: %s", jerr.line, jerr.column, jerr.text);
    json_t *rows = json_object_get(doc, "rows");
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(rows, i), "text")),
                            rowset_cell(rs, i, 1)->s);
    assert_string_equal(json_string_value(json_object_get(doc, "q\"k")), "a\\b");
    json_decref(doc);
    doc_release(&rep);
}

static void test_markdown_escaping(void **state)
{
    struct report_doc rep = REPORT_DOC_INIT;
    struct rowset *rs = &rep.rows;

    (void)state;
    rowset_init(rs, text_cols, 2);
    one_text(rs, 1, "a|b");
    one_text(rs, 2, "two\nlines");
    assert_render(&rep, RENDER_MARKDOWN, 0, 0, 0,
                  "| id | text |\n"
                  "|---:|---|\n"
                  "| 1 | a\\|b |\n"
                  "| 2 | two\\x0alines |\n");
    doc_release(&rep);
}

/* Text from the data never reaches a terminal or a Markdown document with
 * a control character: cells, titles, block headings, notes and the
 * source line show them as \xNN (and bytes that are not UTF-8), and the
 * columns stay aligned to what is shown. CSV and JSON keep the data as it
 * is (JSON escapes it its own way). */
static void test_text_escaping(void **state)
{
    static const struct rs_col cols[] = {
        {"week", "week", RS_TEXT, 0},
        {"name", "name", RS_TEXT, 0},
        {"n", "n", RS_INT, 0},
    };
    struct report_doc rep = REPORT_DOC_INIT;
    struct rowset *rs = &rep.rows;
    size_t r;

    (void)state;
    rowset_init(rs, cols, 3);
    rs->block_col = 0;
    r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "w\x1b[1m");
    rowset_set_text(rs, r, 1,
                    "a\x1b]0;x\x07"
                    "b");
    rowset_set_int(rs, r, 2, 1);
    rowset_add_note(rs, r, "note \x1b[31mred\x9b \xc2\x9b");
    r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "w\x1b[1m");
    rowset_set_text(rs, r, 1, "plain");
    rowset_set_int(rs, r, 2, 22);
    doc_set_title(&rep, "Title \x1b[2J\r\n");
    doc_set_source(&rep, "OpenRouter, as of 9999 \x1b[2J_x");
    assert_render(&rep, RENDER_TABLE, 0, 0, 0,
                  "Title \\x1b[2J\\x0d\\x0a\n"
                  "\n"
                  "w\\x1b[1m\n"
                  "week      name             n\n"
                  "w\\x1b[1m  a\\x1b]0;x\\x07b   1\n"
                  "  note \\x1b[31mred\\x9b \\xc2\\x9b\n"
                  "w\\x1b[1m  plain           22\n"
                  "\n"
                  "Source: OpenRouter, as of 9999 \\x1b[2J_x\n");
    assert_render(&rep, RENDER_MARKDOWN, 0, 0, 0,
                  "## Title \\x1b[2J\\x0d\\x0a\n"
                  "\n"
                  "### w\\x1b[1m\n"
                  "\n"
                  "| week | name | n |\n"
                  "|---|---|---:|\n"
                  "| w\\x1b[1m | a\\x1b]0;x\\x07b | 1 |\n"
                  "| w\\x1b[1m | plain | 22 |\n"
                  "\n"
                  "- note \\x1b[31mred\\x9b \\xc2\\x9b\n"
                  "\n"
                  "_Source: OpenRouter, as of 9999 \\\\x1b[2J\\_x_\n");
    /* A text too long to escape in a cell's room is cut, whole escapes. */
    struct report_doc big = REPORT_DOC_INIT;
    char *s = xmalloc(400);
    memset(s, '\x1b', 399);
    s[399] = '\0';
    rowset_init(&big.rows, text_cols, 2);
    one_text(&big.rows, 1, s);
    char *got = render_str(&big, RENDER_TABLE, 0, 0, 0);
    assert_null(strchr(got, '\x1b'));
    assert_non_null(strstr(got, "\\x1b\\x1b..."));
    free(got);
    free(s);
    doc_release(&big);
    doc_release(&rep);
}

/* ---- streams that fail ---- */

static void test_failing_stream(void **state)
{
    struct fx f;

    (void)state;
    fx_build(&f);
    /* A stream opened for reading refuses every write. */
    for (int fmt = RENDER_TABLE; fmt <= RENDER_MARKDOWN; fmt++) {
        FILE *fp = fopen("/dev/null", "r");
        struct render_opts o = {(enum render_format)fmt, 0, 0, 0, 0};
        assert_non_null(fp);
        assert_int_equal(render_doc(&f.rep, &o, fp), -1);
        fclose(fp);
    }

    /* A full device: the first buffer that reaches it fails. */
    FILE *full = fopen("/dev/full", "w");
    if (!full) {
        fx_release(&f);
        skip();
    }
    struct render_opts o = {RENDER_CSV, 0, 0, 0, 0};
    assert_int_equal(render_doc(&f.rep, &o, full), 0); /* still in the buffer */
    assert_int_equal(fflush(full), EOF);
    assert_true(ferror(full));
    fclose(full);

    /* Output larger than the buffer fails inside render_doc. */
    for (int i = 0; i < 2000; i++)
        fx_row(&f.rep.rows, "2026-02-16", "XX", i, 0.1, 0.0, 0.0, i + 1);
    full = fopen("/dev/full", "w");
    assert_non_null(full);
    for (int fmt = RENDER_TABLE; fmt <= RENDER_MARKDOWN; fmt++) {
        o.format = (enum render_format)fmt;
        clearerr(full);
        assert_int_equal(render_doc(&f.rep, &o, full), -1);
    }
    fclose(full);
    fx_release(&f);
}

/* ---- formats and rowsets ---- */

static void test_format_parse(void **state)
{
    enum render_format f = RENDER_JSON;

    (void)state;
    assert_int_equal(render_format_parse("table", &f), 0);
    assert_int_equal(f, RENDER_TABLE);
    assert_int_equal(render_format_parse("csv", &f), 0);
    assert_int_equal(f, RENDER_CSV);
    assert_int_equal(render_format_parse("json", &f), 0);
    assert_int_equal(f, RENDER_JSON);
    assert_int_equal(render_format_parse("markdown", &f), 0);
    assert_int_equal(f, RENDER_MARKDOWN);
    f = RENDER_CSV;
    assert_int_equal(render_format_parse("CSV", &f), -1);
    assert_int_equal(render_format_parse("", &f), -1);
    assert_int_equal(render_format_parse("md", &f), -1);
    assert_int_equal(render_format_parse("tablex", &f), -1);
    assert_int_equal(f, RENDER_CSV);
}

static void test_rowset(void **state)
{
    struct rowset rs;

    (void)state;
    /* Release is safe on a zeroed and on an unused rowset. */
    memset(&rs, 0, sizeof(rs));
    rowset_release(&rs);
    rowset_init(&rs, model_cols, 3);
    assert_int_equal(rs.block_col, -1);
    rowset_release(&rs);

    rowset_init(&rs, model_cols, 3);
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(rowset_add(&rs), i);
        rowset_set_int(&rs, i, 2, (int64_t)i * 1000);
    }
    assert_int_equal(rs.nrows, 100);
    assert_int_equal(rowset_cell(&rs, 99, 2)->i, 99000);
    assert_int_equal(rowset_cell(&rs, 99, 2)->kind, RS_VALUE);
    assert_int_equal(rowset_cell(&rs, 99, 0)->kind, RS_NULL);

    /* Setters copy, and replace what the cell held. */
    char text[] = "first";
    rowset_set_text(&rs, 5, 0, text);
    text[0] = 'X';
    assert_string_equal(rowset_cell(&rs, 5, 0)->s, "first");
    rowset_set_text(&rs, 5, 0, "second");
    assert_string_equal(rowset_cell(&rs, 5, 0)->s, "second");
    rowset_set_text(&rs, 5, 0, NULL);
    assert_int_equal(rowset_cell(&rs, 5, 0)->kind, RS_NULL);
    assert_null(rowset_cell(&rs, 5, 0)->s);
    rowset_set_text(&rs, 5, 1, "x");
    rowset_set_real(&rs, 5, 1, 1.5); /* frees the string */
    assert_int_equal(rowset_cell(&rs, 5, 1)->kind, RS_VALUE);
    assert_null(rowset_cell(&rs, 5, 1)->s);
    rowset_set_real(&rs, 6, 1, 0.25);
    assert_true(rowset_cell(&rs, 6, 1)->d == 0.25);

    rowset_mark_total(&rs, 7);
    assert_true(rs.rows[7].total);
    assert_false(rs.rows[6].total);
    rowset_add_note(&rs, 7, "%s %d of %d, %.1f %%", "CN", 4, 5, 85.7);
    rowset_add_note(&rs, 7, "%s", "");
    char long_note[3000];
    memset(long_note, 'n', sizeof(long_note) - 1);
    long_note[sizeof(long_note) - 1] = '\0';
    rowset_add_note(&rs, 7, "%s", long_note);
    assert_int_equal(rs.rows[7].nnotes, 3);
    assert_string_equal(rs.rows[7].notes[0], "CN 4 of 5, 85.7 %");
    assert_string_equal(rs.rows[7].notes[1], "");
    assert_string_equal(rs.rows[7].notes[2], long_note);
    rowset_release(&rs);
    assert_int_equal(rs.nrows, 0);
    rowset_release(&rs); /* twice is fine */
}

/* A document written in parts (render_begin, render_rows per week,
 * render_end) is the document written whole, in every format; a part
 * with no rows writes nothing; and a table's columns never narrow from
 * one part to the next. */
static void test_in_parts(void **state)
{
    static const enum render_format formats[] = {RENDER_TABLE, RENDER_CSV, RENDER_JSON,
                                                 RENDER_MARKDOWN};
    (void)state;

    for (size_t k = 0; k < 4; k++) {
        struct fx f;
        struct render_opts o = {formats[k], 0, 0, 0, 0};
        struct render_pages p = RENDER_PAGES_INIT;
        char *buf = NULL;
        size_t len = 0;

        fx_build(&f);
        char *whole = render_str(&f.rep, formats[k], 0, 0, 0);
        rowset_clear(&f.rep.rows);
        FILE *fp = open_memstream(&buf, &len);
        assert_int_equal(render_begin(&p, &f.rep, &o, fp), 0);
        assert_int_equal(render_rows(&p, &f.rep), 0); /* no rows yet */
        fx_week1(&f.rep.rows);
        assert_int_equal(render_rows(&p, &f.rep), 0);
        rowset_clear(&f.rep.rows);
        fx_week2(&f.rep.rows);
        assert_int_equal(render_rows(&p, &f.rep), 0);
        rowset_clear(&f.rep.rows);
        assert_int_equal(render_end(&p, &f.rep), 0);
        assert_int_equal(fclose(fp), 0);
        check_equal(buf, whole);
        render_pages_release(&p);
        free(buf);
        free(whole);
        fx_release(&f);
    }

    /* The second part's widest text is narrower: its columns stay as wide. */
    struct fx f;
    struct render_opts o = {RENDER_TABLE, 0, 0, 0, 0};
    struct render_pages p = RENDER_PAGES_INIT;
    char *buf = NULL;
    size_t len = 0;
    fx_build(&f);
    fx_no_tables(&f);
    doc_set_source(&f.rep, NULL);
    doc_set_title(&f.rep, NULL);
    rowset_clear(&f.rep.rows);
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(render_begin(&p, &f.rep, &o, fp), 0);
    fx_row(&f.rep.rows, "2026-02-02", "a long country name", 1, 1.0, NAN, NAN, 1);
    assert_int_equal(render_rows(&p, &f.rep), 0);
    rowset_clear(&f.rep.rows);
    fx_row(&f.rep.rows, "2026-02-09", "CN", 2, 1.0, NAN, NAN, 1);
    assert_int_equal(render_rows(&p, &f.rep), 0);
    assert_int_equal(render_end(&p, &f.rep), 0);
    assert_int_equal(fclose(fp), 0);
    check_equal(buf, "Week of 2026-02-02\n"
                     "country              tokens    share  change  growth  rank\n"
                     "a long country name       1  100.0 %                     1\n"
                     "\n"
                     "Week of 2026-02-09\n"
                     "country              tokens    share  change  growth  rank\n"
                     "CN                        2  100.0 %                     1\n");
    render_pages_release(&p);
    free(buf);
    fx_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_human),  cmocka_unit_test(test_percent),
        cmocka_unit_test(test_text_cells),    cmocka_unit_test(test_data_cells),
        cmocka_unit_test(test_table),         cmocka_unit_test(test_table_exact),
        cmocka_unit_test(test_table_color),   cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),          cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_extra_off),     cmocka_unit_test(test_no_trailing_spaces),
        cmocka_unit_test(test_empty),         cmocka_unit_test(test_no_blocks),
        cmocka_unit_test(test_width),         cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_json_escaping), cmocka_unit_test(test_markdown_escaping),
        cmocka_unit_test(test_text_escaping), cmocka_unit_test(test_failing_stream),
        cmocka_unit_test(test_format_parse),  cmocka_unit_test(test_rowset),
        cmocka_unit_test(test_in_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
