/* test_page.c - a page of reports as HTML (render/page.h): everything that
 * came from data escaped (a model slug "<script>", an as-of with quotes,
 * a vendor with markup), nothing that loads anything, tables that show
 * the rows and columns asked for with the cells every format formats the
 * same, colour swatches of the chart's segments, the chart's bars and the
 * marks of partial, listed and gap weeks, and the same bytes every time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "render/chart.h"
#include "render/page.h"
#include "report/report.h"
#include "support.h"

#define HOSTILE "evil/<script>alert(\"x\")</script>"
#define AS_OF   "<img src=x onerror=alert('as_of')> & \"2026\""

static const struct rs_col cols[] = {
    {"heading", "", RS_TEXT, RS_COL_TEXT_ONLY | RS_COL_DATA_ONLY},
    {"rank", "rank", RS_INT, 0},
    {"model", "model", RS_TEXT, 0},
    {"tokens", "tokens", RS_TOKENS, 0},
    {"share", "share", RS_SHARE, 0},
    {"growth", "growth", RS_GROWTH, RS_COL_COLOR},
    {"cr", "CR", RS_SHARE, RS_COL_DATA_ONLY},
};

/* Renders p into a new string (the caller frees it). */
static char *render(const struct page *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);

    assert_non_null(fp);
    assert_int_equal(render_page_html(p, fp), 0);
    assert_int_equal(fclose(fp), 0);
    return text;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* A chart of two weeks by hand: the hostile model and "other"; week 0
 * partial and listed, week 1 whole, week 2 a gap. */
static struct chart *hand_chart(void)
{
    struct chart *c = xcalloc(1, sizeof(*c));

    c->from = D("2026-02-02");
    c->nweeks = 3;
    c->by = "model";
    c->days = xcalloc(3, sizeof(int));
    c->gap = xcalloc(3, 1);
    c->listed = xcalloc(3, 1);
    c->total = xcalloc(3, sizeof(int64_t));
    c->groups = xcalloc(2, sizeof(*c->groups));
    c->ngroups = 2;
    c->groups[0] = (struct chart_group){xstrdup(HOSTILE), CHART_NAMED, 0, 0, NULL};
    c->groups[1] = (struct chart_group){xstrdup("other"), CHART_OTHER, 0, 0, NULL};
    for (size_t g = 0; g < 2; g++)
        c->groups[g].tokens = xcalloc(3, sizeof(int64_t));
    c->groups[0].tokens[0] = 75;
    c->groups[1].tokens[0] = 25;
    c->groups[0].tokens[1] = 30;
    c->groups[1].tokens[1] = 10;
    c->days[0] = 3;
    c->days[1] = 7;
    c->listed[0] = 1;
    c->gap[2] = 1;
    c->total[0] = 100;
    c->total[1] = 40;
    c->latest = 1;
    c->has_data = 1;
    return c;
}

/* A page with a chart and a table of the hostile row, a note, a source. */
static void hostile_page(struct page *p)
{
    struct report_doc *d = page_doc(p);
    struct rowset *rs = &d->rows;

    rowset_init(rs, cols, sizeof(cols) / sizeof(cols[0]));
    size_t r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "Week of 2026-02-09 <b>");
    rowset_set_int(rs, r, 1, 1);
    rowset_set_text(rs, r, 2, HOSTILE);
    rowset_set_int(rs, r, 3, 1440000000000);
    rowset_set_real(rs, r, 4, 0.5);
    rowset_set_real(rs, r, 5, -0.25);
    rowset_add_note(rs, r, "note about %s", HOSTILE);
    r = rowset_add(rs);
    rowset_set_text(rs, r, 0, "Week of 2026-02-09 <b>");
    rowset_set_text(rs, r, 2, "other");
    rowset_set_real(rs, r, 5, 0.125);
    r = rowset_add(rs); /* not shown: outside first..end */
    rowset_set_text(rs, r, 2, "hidden-row");

    page_set_title(p, "Tokens of " HOSTILE, "sub & <i>title</i>");
    page_add_source(p, "OpenRouter (openrouter.ai/rankings), as of " AS_OF);
    p->chart = hand_chart();
    struct page_section *s = page_section(p, "share", "Share & <u>more</u>");
    page_chart(s, "chart of " HOSTILE);
    struct page_table *t = page_table(s, rs, 0, 2);
    t->caption_key = "heading";
    t->swatch_key = "model";
    t->notes = 1;
    page_col(t, "rank", "rank", NULL);
    page_col(t, "model", "model <m>", NULL);
    page_col(t, "share", "share", NULL);
    page_col(t, "growth", "growth", NULL);
    page_col(t, "cr", "CR-5", "not given");
    page_col(t, "no_such_column", "absent", NULL);
    page_beside(s);
    page_text(s, "note", "a paragraph with %s", HOSTILE);
    page_note(p, "no country for vendor <v> (counted as unknown)");
    page_note(p, "no country for vendor <v> (counted as unknown)"); /* once */
}

static void test_escapes_everything_from_data(void **state)
{
    struct page p = PAGE_INIT;
    (void)state;

    hostile_page(&p);
    char *html = render(&p);
    /* Not one tag from data: no <script, <img, <b>, <i>, <u>, <m>, <v>. */
    assert_int_equal(count(html, "<script"), 0);
    assert_int_equal(count(html, "<img"), 0);
    assert_int_equal(count(html, "<b>"), 0);
    assert_int_equal(count(html, "<i>"), 0);
    assert_int_equal(count(html, "<u>"), 0);
    assert_int_equal(count(html, "<m>"), 0);
    assert_int_equal(count(html, "<v>"), 0);
    /* The slug as text: in the title, h1, the chart's label and segment
     * title, the table (broken after its '/'), the note, the paragraph. */
    assert_non_null(strstr(html, "<title>Tokens of evil/&lt;script&gt;alert(&quot;x&quot;)&lt;/"
                                 "script&gt;</title>"));
    assert_non_null(strstr(html, "aria-label=\"chart of evil/&lt;script&gt;alert(&quot;x&quot;)"
                                 "&lt;/script&gt;\""));
    assert_non_null(strstr(html, "<td class=\"t\"><span class=\"sw c0\"></span>evil/<wbr>&lt;"
                                 "script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>"));
    assert_non_null(strstr(html, "<p class=\"note\">note about evil/&lt;script&gt;"));
    assert_non_null(strstr(html, "<p class=\"note\">a paragraph with evil/&lt;script&gt;"));
    assert_non_null(strstr(html, "<caption>Week of 2026-02-09 &lt;b&gt;</caption>"));
    assert_null(strstr(html, "<th class=\"t\">"));
    assert_non_null(strstr(html, "<th>model &lt;m&gt;</th>"));
    assert_non_null(strstr(html, "<h2>Share &amp; &lt;u&gt;more&lt;/u&gt;</h2>"));
    assert_non_null(strstr(html, "<a href=\"#share\">Share &amp; &lt;u&gt;more&lt;/u&gt;</a>"));
    assert_non_null(strstr(html, "<p class=\"sub\">sub &amp; &lt;i&gt;title&lt;/i&gt;</p>"));
    /* The as-of in the source line. */
    assert_non_null(strstr(html, "<p class=\"source\">Source: OpenRouter (openrouter.ai/rankings), "
                                 "as of &lt;img src=x onerror=alert(&apos;as_of&apos;)&gt; &amp; "
                                 "&quot;2026&quot;</p>"));
    assert_int_equal(count(html, "CC BY 4.0"), 1);
    /* The note, once. */
    assert_int_equal(count(html, "no country for vendor &lt;v&gt;"), 1);
    free(html);
    page_release(&p);
}

static void test_loads_nothing(void **state)
{
    struct page p = PAGE_INIT;
    (void)state;

    hostile_page(&p);
    char *html = render(&p);
    assert_non_null(strstr(html, "<meta http-equiv=\"Content-Security-Policy\" "
                                 "content=\"default-src 'none'; style-src 'unsafe-inline'\">"));
    assert_non_null(strstr(html, "<meta name=\"viewport\" content=\"width=device-width, "
                                 "initial-scale=1\">"));
    assert_non_null(strstr(html, "@media (prefers-color-scheme:dark)"));
    assert_int_equal(count(html, "src=\""), 0); /* as an attribute: the as-of has it as text */
    assert_int_equal(count(html, "url("), 0);
    assert_int_equal(count(html, "@import"), 0);
    assert_int_equal(count(html, "<link"), 0);
    /* Links only inside the page; the one namespace is a name, not a load. */
    assert_int_equal(count(html, "href=\""), count(html, "href=\"#"));
    assert_int_equal(count(html, "http"), count(html, "http-equiv") + 1);
    assert_non_null(strstr(html, "xmlns=\"http://www.w3.org/2000/svg\""));
    free(html);
    page_release(&p);
}

static void test_tables_rows_and_cells(void **state)
{
    struct page p = PAGE_INIT;
    (void)state;

    hostile_page(&p);
    char *html = render(&p);
    /* Rows 0 and 1 only; columns in the order asked; a missing key left
     * out; right-aligned numbers; colours by sign; empty cells' words. */
    assert_null(strstr(html, "hidden-row"));
    assert_null(strstr(html, "absent"));
    assert_non_null(strstr(html, "<thead><tr><th class=\"n\">rank</th><th>model &lt;m&gt;</th>"
                                 "<th class=\"n\">share</th><th class=\"n\">growth</th>"
                                 "<th class=\"n\">CR-5</th></tr></thead>"));
    assert_non_null(strstr(html, "<td class=\"n\">50.0 %</td><td class=\"n down\">-25.0 %</td>"
                                 "<td class=\"n\">not given</td></tr>"));
    /* other: its own swatch, no rank (empty), a positive growth. */
    assert_non_null(strstr(html, "<tr><td class=\"n\"></td><td class=\"t\"><span class=\"sw "
                                 "cother\"></span>other</td><td class=\"n\"></td>"
                                 "<td class=\"n up\">+12.5 %</td>"));
    /* The table beside the chart, in the same row of the layout. */
    assert_non_null(strstr(html, "</div>\n<div class=\"side\">\n<div class=\"scroll\"><table>"));
    free(html);
    page_release(&p);
}

static void test_chart_bars_and_marks(void **state)
{
    struct page p = PAGE_INIT;
    (void)state;

    hostile_page(&p);
    char *html = render(&p);
    /* Two bars (the gap has a word instead), their segments' heights add
     * up to the plot (240 px), labels with the marks, the key. */
    assert_int_equal(count(html, "<g class=\"week\""), 2);
    assert_non_null(strstr(html, "<title>Week of 2026-02-02: partial, 3 of 7 days; listed models "
                                 "only</title>"));
    assert_non_null(strstr(html, "height=\"180.00\" class=\"seg c0\"><title>evil/&lt;script&gt;"
                                 "alert(&quot;x&quot;)&lt;/script&gt;, week of 2026-02-02: "
                                 "75.0 %</title>"));
    assert_non_null(strstr(html, "height=\"60.00\" class=\"seg cother\">"));
    assert_non_null(strstr(html, "class=\"nodata\" text-anchor=\"middle\">gap</text>"));
    assert_non_null(strstr(html, "class=\"day\">02-02*\xe2\x80\xa0</text>"));
    assert_non_null(strstr(html, "class=\"day\">02-09</text>"));
    assert_int_equal(count(html, "class=\"year\">2026</text>"), 1);
    assert_non_null(strstr(html, "<p class=\"key\">* a partial week: fewer than 7 days of data. "
                                 "\xe2\x80\xa0 the week lists only its top models: shares of the "
                                 "listed models' tokens. gap: no data for a week inside the "
                                 "data's span.</p>"));
    free(html);
    page_release(&p);
}

static void test_same_bytes_and_write_errors(void **state)
{
    struct page a = PAGE_INIT, b = PAGE_INIT;
    (void)state;

    hostile_page(&a);
    hostile_page(&b);
    char *x = render(&a), *y = render(&b);
    assert_string_equal(x, y);
    free(x);
    free(y);
    /* A stream that cannot be written: -1. */
    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    assert_int_equal(render_page_html(&a, ro), -1);
    fclose(ro);
    page_release(&a);
    page_release(&b);
    page_release(&b); /* safe twice */
}

static void test_limits(void **state)
{
    struct page p = PAGE_INIT;
    char note[32];
    (void)state;

    for (int i = 0; i < PAGE_MAX_DOCS; i++)
        assert_non_null(page_doc(&p));
    assert_null(page_doc(&p));
    for (int i = 0; i < PAGE_MAX_NOTES + 3; i++) {
        snprintf(note, sizeof(note), "note %d", i);
        page_note(&p, note);
    }
    assert_int_equal(p.nnotes, PAGE_MAX_NOTES);
    page_release(&p);
}

/* A source line per dataset shown, each once, in the order given; the
 * licence once under them; no footer line without a source. */
static void test_sources(void **state)
{
    struct page p = PAGE_INIT;
    (void)state;

    char *html = render(&p);
    assert_null(strstr(html, "Source:"));
    assert_null(strstr(html, "CC BY 4.0"));
    free(html);
    page_add_source(&p, NULL);
    page_add_source(&p, "OpenRouter (openrouter.ai/rankings), as of 2026-03-01");
    page_add_source(&p, "OpenRouter (openrouter.ai/apps), as of <2026-03-02>");
    page_add_source(&p, "OpenRouter (openrouter.ai/rankings), as of 2026-03-01");
    assert_int_equal(p.nsources, 2);
    html = render(&p);
    assert_non_null(strstr(html, "<p class=\"source\">Source: OpenRouter (openrouter.ai/rankings), "
                                 "as of 2026-03-01</p>\n<p class=\"source\">Source: OpenRouter "
                                 "(openrouter.ai/apps), as of &lt;2026-03-02&gt;</p>\n<p>The data "
                                 "is OpenRouter's"));
    assert_int_equal(count(html, "CC BY 4.0"), 1);
    free(html);
    for (int i = 0; i < PAGE_MAX_SOURCES + 2; i++) {
        char line[32];
        snprintf(line, sizeof(line), "source %d", i);
        page_add_source(&p, line);
    }
    assert_int_equal(p.nsources, PAGE_MAX_SOURCES);
    page_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_everything_from_data),
        cmocka_unit_test(test_loads_nothing),
        cmocka_unit_test(test_tables_rows_and_cells),
        cmocka_unit_test(test_chart_bars_and_marks),
        cmocka_unit_test(test_same_bytes_and_write_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
