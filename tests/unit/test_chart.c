/* test_chart.c - the share chart: exact segment widths (largest
 * remainder), folding into "rest", the other bucket, XML escaping, and
 * SVG bars whose heights add up to the plot height. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "report/report.h"
#include "support.h"
#include "core/metrics.h"
#include "core/util.h"

#define T 1000000000000LL /* a trillion tokens */

struct spec_group {
    const char *name;
    int64_t tokens[4];
};

/* The chart drawn to a stream, appended to b. */
static void draw_into(const struct chart *c, const char *title, const char *source, int svg,
                      int color, int width, struct ts_buf *b)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    struct render_opts o = {svg ? RENDER_SVG : RENDER_TABLE, 0, color, width, color};

    assert_non_null(fp);
    if (svg)
        chart_svg(c, title, source, fp);
    else
        chart_text(c, title, NULL, source, &o, fp);
    assert_int_equal(fclose(fp), 0);
    buf_add(b, text, len);
    free(text);
}

static void text_into(const struct chart *c, const char *title, const char *source, int color,
                      int width, struct ts_buf *b)
{
    draw_into(c, title, source, 0, color, width, b);
}

static void svg_into(const struct chart *c, const char *title, const char *source, struct ts_buf *b)
{
    draw_into(c, title, source, 1, 0, 0, b);
}

/* A series of nweeks weeks from 2026-01-26; a group named "other" is the
 * other bucket. */
static void make_series(struct series *s, size_t nweeks, const struct spec_group *g, size_t ng)
{
    memset(s, 0, sizeof(*s));
    s->from = D("2026-01-26");
    s->to = s->from + (int32_t)(7 * (nweeks - 1));
    s->nweeks = nweeks;
    s->days = xcalloc(nweeks, sizeof(int));
    s->total = xcalloc(nweeks, sizeof(int64_t));
    s->groups = xcalloc(ng, sizeof(*s->groups));
    s->ngroups = ng;
    for (size_t i = 0; i < ng; i++) {
        s->groups[i].name = xstrdup(g[i].name);
        s->groups[i].country = xstrdup("US");
        s->groups[i].is_other = strcmp(g[i].name, "other") == 0;
        s->groups[i].tokens = xcalloc(nweeks, sizeof(int64_t));
        for (size_t w = 0; w < nweeks; w++) {
            s->groups[i].tokens[w] = g[i].tokens[w];
            if (metrics_add(&s->total[w], g[i].tokens[w]) < 0)
                s->total[w] = INT64_MAX; /* series_check refuses such a week */
            if (g[i].tokens[w] > 0)
                s->days[w] = 7;
        }
    }
}

/* chart_build, which must succeed. */
static void chart_build_ok(const struct series *s, enum group_by by, int other_exclude,
                           size_t max_named, struct chart *out)
{
    struct ts_err err = TS_ERR_INIT;

    if (chart_build(s, by, other_exclude, max_named, out, &err) != 0)
        fail_msg("chart_build: %s", err.msg);
}

static long sum_long(const long *v, size_t n)
{
    long s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void test_apportion_small(void **state)
{
    (void)state;
    long out[4];

    /* Thirds of 10: 3.33 each, the spare unit to the first. */
    chart_apportion((int64_t[]){1, 1, 1}, 3, 3, 10, out);
    assert_int_equal(out[0], 4);
    assert_int_equal(out[1], 3);
    assert_int_equal(out[2], 3);
    /* The largest remainder wins, not the first: 0.2, 0.5, 0.3 of 1. */
    chart_apportion((int64_t[]){2, 5, 3}, 3, 10, 1, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], 0);
    /* A part of 0 never gains a unit; a whole part takes all. */
    chart_apportion((int64_t[]){0, 7, 0}, 3, 7, 53, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 53);
    assert_int_equal(out[2], 0);
    /* 48.7 %, 34.8 %, 14.8 %, 1.2 %, 0.6 % of 60 columns. */
    int64_t sample[] = {4120, 2940, 1250, 100, 50};
    long five[5];
    chart_apportion(sample, 5, 8460, 60, five);
    assert_int_equal(sum_long(five, 5), 60);
    assert_int_equal(five[0], 29); /* 29.22 */
    assert_int_equal(five[1], 21); /* 20.85 */
    assert_int_equal(five[2], 9);  /* 8.87 */
    assert_int_equal(five[3], 1);  /* 0.71 */
    assert_int_equal(five[4], 0);  /* 0.35 */
}

/* Sums are exact and every part is within one unit of its exact quota,
 * for token counts near 2^62 where part * units overflows 64 bits. */
static void test_apportion_exact_sums(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ULL;
    int64_t part[8];
    long out[8];

    for (int round = 0; round < 2000; round++) {
        size_t n = 1 + (size_t)(round % 8);
        int64_t total = 0;
        long units = 1 + (long)(round * 37 % 80000);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* Some tiny, some huge (the sum stays below 2^63). */
            part[i] = round % 3 == 0 ? (int64_t)(x % 1000) : (int64_t)(x >> 4);
            if (round % 5 == 0 && i == 0)
                part[i] = 0;
            total += part[i];
        }
        if (total == 0)
            continue;
        chart_apportion(part, n, total, units, out);
        assert_int_equal(sum_long(out, n), units);
        for (size_t i = 0; i < n; i++) {
            long double quota = (long double)part[i] * units / (long double)total;
            assert_true((long double)out[i] > quota - 1.0001L);
            assert_true((long double)out[i] < quota + 1.0001L);
            if (part[i] == 0)
                assert_int_equal(out[i], 0);
        }
    }
}

/* Nine vendors and the other bucket: the six largest by name, ties by
 * name, three folded into rest, other last. */
static const struct spec_group nine[] = {
    {"alpha", {10 * T, 10 * T}}, {"bravo", {1 * T, 1 * T}}, {"charlie", {9 * T, 9 * T}},
    {"delta", {8 * T, 0}},       {"echo", {8 * T, 0}},      {"foxtrot", {2 * T, 3 * T}},
    {"golf", {1 * T, 1 * T}},    {"hotel", {0, 4 * T}},     {"india", {0, 0}},
    {"other", {5 * T, 5 * T}},   {"juliet", {1 * T, 0}},
};

static void test_fold_into_rest(void **state)
{
    (void)state;
    struct series s;
    struct chart c = CHART_INIT;

    make_series(&s, 2, nine, sizeof(nine) / sizeof(nine[0]));
    chart_build_ok(&s, BY_VENDOR, 0, CHART_DEFAULT_GROUPS, &c);
    const char *want[] = {"alpha", "charlie", "delta", "echo", "foxtrot", "hotel", "rest", "other"};
    assert_int_equal(c.ngroups, 8);
    for (size_t g = 0; g < 8; g++)
        assert_string_equal(c.groups[g].name, want[g]);
    assert_int_equal(c.groups[6].kind, CHART_REST);
    assert_int_equal(c.groups[6].nfolded, 3); /* bravo, golf, juliet; india has no tokens */
    assert_int_equal(c.groups[6].tokens[0], 3 * T);
    assert_int_equal(c.groups[6].tokens[1], 2 * T);
    assert_int_equal(c.groups[7].kind, CHART_OTHER);
    for (size_t w = 0; w < 2; w++)
        assert_int_equal(c.total[w], s.total[w]);
    assert_int_equal(c.latest, 1);

    struct ts_buf b = TS_BUF_INIT;
    text_into(&c, "T", NULL, 0, 60, &b);
    assert_non_null(strstr(b.data, "..  rest (3 more vendors)"));
    assert_non_null(strstr(b.data, "--  other"));
    assert_null(strstr(b.data, "Source:"));
    buf_release(&b);
    chart_release(&c);

    /* --other exclude: no other segment, totals without it. */
    chart_build_ok(&s, BY_VENDOR, 1, CHART_DEFAULT_GROUPS, &c);
    assert_int_equal(c.ngroups, 7);
    assert_int_equal(c.total[0], s.total[0] - 5 * T);
    chart_release(&c);

    /* Few enough groups: none folded. */
    chart_build_ok(&s, BY_COUNTRY, 0, 20, &c);
    assert_int_equal(c.ngroups, 10);
    for (size_t g = 0; g < c.ngroups; g++)
        assert_int_not_equal(c.groups[g].kind, CHART_REST);
    chart_release(&c);
    series_release(&s);
}

/* Weeks below 2^63 each may add up to more over a range: the groups are
 * still ordered and drawn (no wrapped sum, no "(no data)"); a week that
 * itself reaches 2^63 is refused. */
static void test_sums_past_2_63(void **state)
{
    static const struct spec_group big[] = {
        {"a", {5000000000000000000LL, 5000000000000000000LL, 5000000000000000000LL}},
        {"b", {1000000000000000000LL, 1000000000000000000LL, 1000000000000000000LL}},
        {"c", {2000000000000000000LL, 0, 0}},
    };
    static const struct spec_group over[] = {
        {"a", {1, 5000000000000000000LL}},
        {"b", {1, 5000000000000000000LL}},
    };
    struct series s;
    struct chart c = CHART_INIT;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    make_series(&s, 3, big, 3);
    chart_build_ok(&s, BY_VENDOR, 0, 2, &c);
    assert_int_equal(c.ngroups, 3);
    assert_string_equal(c.groups[0].name, "a"); /* 1.5e19 over the range */
    assert_string_equal(c.groups[1].name, "b"); /* 3e18 */
    assert_int_equal(c.groups[2].kind, CHART_REST);
    assert_int_equal(c.groups[2].tokens[0], 2000000000000000000LL);
    assert_int_equal(c.total[0], 8000000000000000000LL);
    assert_true(c.has_data);
    assert_int_equal(c.latest, 2);
    struct ts_buf b = TS_BUF_INIT;
    text_into(&c, "T", NULL, 0, 60, &b);
    assert_null(strstr(b.data, "no data"));
    assert_non_null(strstr(b.data, "##  a                      83.3 %"));
    buf_release(&b);
    chart_release(&c);
    series_release(&s);

    make_series(&s, 2, over, 2);
    assert_int_equal(chart_build(&s, BY_VENDOR, 0, CHART_MAX_GROUPS, &c, &err), -1);
    assert_string_equal(err.msg, "the tokens of the week of 2026-02-02 reach 2^63 (a week's total "
                                 "over all its models must stay below 2^63)");
    chart_release(&c);
    series_release(&s);
}

static void test_xml_escape(void **state)
{
    (void)state;
    struct ts_buf b = TS_BUF_INIT;

    chart_xml_escape(&b, "a&b<c>\"d'e\x01z/\xc3\xa9");
    assert_string_equal(b.data, "a&amp;b&lt;c&gt;&quot;d&apos;e?z/\xc3\xa9");
    buf_release(&b);
}

/* Reads the next number after key in p (two decimals) as hundredths. */
static long attr_hundredths(const char *p, const char *key, const char **end)
{
    const char *v = strstr(p, key);
    assert_non_null(v);
    v += strlen(key);
    char *e;
    long whole = strtol(v, &e, 10);
    assert_int_equal(*e, '.');
    long frac = strtol(e + 1, &e, 10);
    assert_int_equal(*e, '"');
    *end = e;
    return whole * 100 + frac;
}

static void test_svg_heights_and_escaping(void **state)
{
    (void)state;
    const struct spec_group g[] = {
        {"x&<y>", {3 * T, 1 * T, 0}},
        {"b\"q'", {1 * T, 1 * T, 0}},
        {"other", {0, 1 * T, 0}},
    };
    struct series s;
    struct chart c = CHART_INIT;
    struct ts_buf b = TS_BUF_INIT;

    make_series(&s, 3, g, 3);
    chart_build_ok(&s, BY_MODEL, 0, CHART_DEFAULT_GROUPS, &c);
    svg_into(&c, "Share <&> \"t\"", "OpenRouter & co", &b);
    assert_non_null(strstr(b.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    assert_non_null(strstr(b.data, "x&amp;&lt;y&gt;"));
    assert_non_null(strstr(b.data, "b&quot;q&apos;"));
    assert_non_null(strstr(b.data, "<title>Share &lt;&amp;&gt; &quot;t&quot;</title>"));
    assert_non_null(strstr(b.data, "Source: OpenRouter &amp; co"));
    assert_null(strstr(b.data, "<y>"));
    assert_null(strstr(b.data, "& co"));

    /* Weeks 1 and 2 have bars: each adds up to the plot height, 75/25 and
     * a third each; week 3 has none. */
    const long want[2][3] = {{30000, 10000, 0}, {13334, 13333, 13333}};
    const char *p = b.data;
    for (int w = 0; w < 2; w++) {
        p = strstr(p, "<g class=\"week\"");
        assert_non_null(p);
        const char *gend = strstr(p, "</g>");
        long sum = 0;
        int k = 0;
        for (const char *r = strstr(p, "<rect"); r && r < gend; r = strstr(r + 1, "<rect")) {
            const char *e;
            long h = attr_hundredths(r, "height=\"", &e);
            assert_int_equal(h, want[w][k]);
            sum += h;
            k++;
        }
        assert_int_equal(k, w == 0 ? 2 : 3);
        assert_int_equal(sum, CHART_SVG_PLOT_H * 100);
        p = gend;
    }
    assert_null(strstr(p, "<g class=\"week\""));
    assert_non_null(strstr(b.data, "no data"));
    assert_true(b.len > 0 && strcmp(b.data + b.len - 7, "</svg>\n") == 0);
    buf_release(&b);
    chart_release(&c);
    series_release(&s);
}

/* Counts what a text bar line shows after its 12-column label: cells (a
 * UTF-8 sequence or an ASCII character each, escape sequences skipped). */
static long bar_cells(const char *line, size_t len)
{
    long n = 0;
    for (size_t i = 12; i < len; i++) {
        if (line[i] == '\033') {
            while (i < len && line[i] != 'm')
                i++;
            continue;
        }
        if (((unsigned char)line[i] & 0xc0) != 0x80)
            n++;
    }
    return n;
}

static void test_text_bars_fill_the_width(void **state)
{
    (void)state;
    struct series s;
    struct chart c = CHART_INIT;

    make_series(&s, 2, nine, sizeof(nine) / sizeof(nine[0]));
    chart_build_ok(&s, BY_VENDOR, 0, CHART_DEFAULT_GROUPS, &c);
    for (int color = 0; color <= 1; color++) {
        for (int width = 20; width <= 130; width += 11) {
            struct ts_buf b = TS_BUF_INIT;
            text_into(&c, "T", "src", color, width, &b);
            int bars = 0;
            for (const char *line = b.data; *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = (size_t)(nl - line);
                if (strncmp(line, "2026-", 5) == 0) {
                    assert_int_equal(bar_cells(line, len), width - 13 < 10 ? 10 : width - 13);
                    bars++;
                }
                if (!color && width >= 40) /* narrower, the legend cannot fit */
                    assert_true(len <= (size_t)width);
                line = nl + 1;
            }
            assert_int_equal(bars, 2);
            assert_non_null(strstr(b.data, "\nSource: src\n"));
            assert_true(color == (strchr(b.data, '\033') != NULL));
            buf_release(&b);
        }
    }
    /* Plain, 77 cells: in week 1 alpha has 10/45 of them (17.1 -> 17),
     * charlie 9/45 (15.4 -> 15); delta, echo and other (13.7, 13.7, 8.6)
     * take the three spare cells. */
    struct ts_buf b = TS_BUF_INIT;
    text_into(&c, "T", NULL, 0, 90, &b);
    const char *bar = strstr(b.data, "2026-01-26  ");
    assert_non_null(bar);
    bar += 12;
    assert_int_equal(strspn(bar, "#"), 17);
    assert_int_equal(strspn(bar + 17, "="), 15);
    assert_int_equal(strspn(bar + 32, "+"), 14);
    assert_int_equal(strspn(bar + 46, ":"), 14);
    assert_int_equal(strspn(bar + 60, "%"), 3);
    assert_int_equal(strspn(bar + 63, "."), 5);
    assert_int_equal(strspn(bar + 68, "-"), 9);
    assert_int_equal(bar[77], '\n');
    buf_release(&b);
    chart_release(&c);
    series_release(&s);
}

static void test_empty_chart(void **state)
{
    (void)state;
    struct series s;
    struct chart c = CHART_INIT;
    struct ts_buf b = TS_BUF_INIT;

    make_series(&s, 1, (struct spec_group[]){{"a", {0}}}, 1);
    chart_build_ok(&s, BY_COUNTRY, 0, CHART_DEFAULT_GROUPS, &c);
    assert_int_equal(c.has_data, 0);
    assert_int_equal(c.ngroups, 0);
    text_into(&c, "T", NULL, 0, 0, &b);
    assert_string_equal(b.data, "T\n\n(no data)\n");
    buf_reset(&b);
    svg_into(&c, "T", NULL, &b);
    assert_null(strstr(b.data, "<g class=\"week\""));
    assert_non_null(strstr(b.data, "no data in this range"));
    buf_release(&b);
    chart_release(&c);
    chart_release(&c); /* safe twice */
    series_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apportion_small),
        cmocka_unit_test(test_apportion_exact_sums),
        cmocka_unit_test(test_fold_into_rest),
        cmocka_unit_test(test_sums_past_2_63),
        cmocka_unit_test(test_xml_escape),
        cmocka_unit_test(test_svg_heights_and_escaping),
        cmocka_unit_test(test_text_bars_fill_the_width),
        cmocka_unit_test(test_empty_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
