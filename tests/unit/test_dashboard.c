/* test_dashboard.c - the dashboard's page built from series, usage and
 * prices made by hand (report/dashboard.c): its sections in order, each
 * table showing the rows the builders made (the last week's block, the
 * summary, the concentration of every week), the default reference of
 * the prices (the dearest model with 1 % of the tokens), no prices
 * section without prices, "not given" for a listed week, what each week
 * covers, and a page without data; the top apps of the page's last week
 * (shares of the listed apps, new, gone and gap, an earlier week of apps
 * said so, none at all). */
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

#define B 1000000000LL
#define P 1000000LL /* one dollar per million tokens, in pico-dollars per token */

struct spec_group {
    const char *name, *country;
    int64_t tokens[5];
};

/* A series of nweeks weeks from monday: daily weeks from their Monday,
 * full unless listed says otherwise; the span is the weeks with data. */
static void make_series(struct series *s, const char *monday, size_t nweeks, const int *days,
                        const int *listed, const struct spec_group *g, size_t ng)
{
    memset(s, 0, sizeof(*s));
    s->from = D(monday);
    s->to = s->from + (int32_t)(7 * (nweeks - 1));
    s->nweeks = nweeks;
    s->days = xcalloc(nweeks, sizeof(int));
    s->total = xcalloc(nweeks, sizeof(int64_t));
    s->mask = xcalloc(nweeks, sizeof(unsigned));
    s->full = xcalloc(nweeks, 1);
    for (size_t w = 0; w < nweeks; w++) {
        s->days[w] = days[w];
        s->mask[w] = (1u << days[w]) - 1;
        s->full[w] = !(listed && listed[w]);
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
            s->total[w] += g[i].tokens[w];
        }
    }
}

/* Four weeks from 2026-01-26 (the first the lead-in), three shown. */
static const struct spec_group countries[] = {
    {"CN", "CN", {100 * B, 200 * B, 300 * B, 500 * B}},
    {"US", "US", {300 * B, 300 * B, 300 * B, 330 * B}},
    {"other", "other", {50 * B, 50 * B, 60 * B, 70 * B}},
};
static const struct spec_group models[] = {
    {"a/cheap", "CN", {100 * B, 200 * B, 300 * B, 500 * B}},
    {"b/mid", "US", {200 * B, 200 * B, 200 * B, 300 * B}},
    {"c/dear", "US", {100 * B, 100 * B, 100 * B, 29 * B}},
    {"d/dearest", "US", {0, 0, 0, 1 * B}},
    {"other", "other", {50 * B, 50 * B, 60 * B, 70 * B}},
};
static const int full4[] = {7, 7, 7, 7};

/* Everything the builder reads. */
struct fixture {
    struct series bars, country, models;
    struct price_book book;
    struct usage_row *use;
    size_t nuse;
    struct priced_usage priced;
    struct dash_input in;
    struct report_request rq;
};

static void add_use(struct fixture *f, const char *slug, int64_t tokens)
{
    f->use = xrealloc(f->use, (f->nuse + 1) * sizeof(*f->use));
    struct usage_row *u = &f->use[f->nuse++];
    memset(u, 0, sizeof(*u));
    u->week = D("2026-02-16");
    u->slug = xstrdup(slug);
    u->vendor = xstrndup(slug, strcspn(slug, "/"));
    u->country = xstrdup("US");
    u->tokens = tokens;
}

/* The four weeks, and (with_prices) a snapshot price for each model. */
static void setup(struct fixture *f, const int *days, const int *listed, int with_prices)
{
    memset(f, 0, sizeof(*f));
    make_series(&f->country, "2026-01-26", 4, days, listed, countries, 3);
    make_series(&f->bars, "2026-02-02", 3, days + 1, listed ? listed + 1 : NULL, countries, 3);
    for (size_t g = 0; g < f->bars.ngroups; g++) /* the weeks shown only */
        for (size_t w = 0; w < 3; w++)
            f->bars.groups[g].tokens[w] = countries[g].tokens[w + 1];
    make_series(&f->models, "2026-01-26", 4, days, listed, models, 5);
    /* The last week's usage, by slug. */
    add_use(f, "a/cheap", 500 * B);
    add_use(f, "b/mid", 300 * B);
    add_use(f, "c/dear", 29 * B);
    add_use(f, "d/dearest", 1 * B); /* dearest, but under 1 % of 900B */
    add_use(f, "other", 70 * B);
    if (with_prices) {
        price_book_add(&f->book, "a/cheap", D("2026-02-16"), 1, P / 4, P);
        price_book_add(&f->book, "b/mid", D("2026-02-16"), 1, 2 * P, 8 * P);
        price_book_add(&f->book, "c/dear", D("2026-02-16"), 1, 5 * P, 25 * P);
        price_book_add(&f->book, "d/dearest", D("2026-02-16"), 1, 50 * P, 200 * P);
    }
    price_book_index(&f->book);
    f->priced = (struct priced_usage){.rows = f->use,
                                      .nrows = f->nuse,
                                      .book = &f->book,
                                      .from = D("2026-02-16"),
                                      .to = D("2026-02-16")};
    f->in = (struct dash_input){.bars = &f->bars,
                                .country = &f->country,
                                .models = &f->models,
                                .priced = &f->priced,
                                .data_first = D("2026-01-26"),
                                .data_last = D("2026-02-16")};
    f->rq = (struct report_request){
        .by = BY_COUNTRY, .dataset = "default", .top_n = 2, .prompt_share = -1};
}

static void teardown(struct fixture *f)
{
    series_release(&f->bars);
    series_release(&f->country);
    series_release(&f->models);
    price_book_release(&f->book);
    usage_rows_release(f->use, f->nuse);
}

static const struct page_section *section(const struct page *p, const char *id)
{
    for (size_t i = 0; i < p->nsections; i++) {
        if (strcmp(p->sections[i].id, id) == 0)
            return &p->sections[i];
    }
    return NULL;
}

/* The k-th table of section id. */
static const struct page_table *table(const struct page *p, const char *id, size_t k)
{
    const struct page_section *s = section(p, id);
    assert_non_null(s);
    for (size_t i = 0; i < s->nitems; i++) {
        if (s->items[i].kind == PAGE_TABLE && k-- == 0)
            return &s->items[i].table;
    }
    fail_msg("section %s has no table %zu", id, k);
    return NULL;
}

/* The text of cell (r, key) of a rowset, or NULL. */
static const char *cell_text(const struct rowset *rs, size_t r, const char *key)
{
    for (size_t c = 0; c < rs->ncols; c++) {
        if (strcmp(rs->cols[c].key, key) == 0) {
            const struct rs_cell *v = rowset_cell(rs, r, c);
            return v->kind == RS_VALUE ? v->s : NULL;
        }
    }
    fail_msg("no column %s", key);
    return NULL;
}

static int64_t cell_int(const struct rowset *rs, size_t r, const char *key)
{
    for (size_t c = 0; c < rs->ncols; c++) {
        if (strcmp(rs->cols[c].key, key) == 0)
            return rowset_cell(rs, r, c)->i;
    }
    fail_msg("no column %s", key);
    return 0;
}

/* Whether some paragraph of section id holds text. */
static int says(const struct page *p, const char *id, const char *text)
{
    const struct page_section *s = section(p, id);
    for (size_t i = 0; s && i < s->nitems; i++) {
        if (s->items[i].kind == PAGE_TEXT && strstr(s->items[i].text, text))
            return 1;
    }
    return 0;
}

static char *html_of(const struct page *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    assert_int_equal(render_page_html(p, fp), 0);
    assert_int_equal(fclose(fp), 0);
    return text;
}

static void test_sections_in_order(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    static const char *const ids[] = {"share", "growth", "top", "prices", "weeks"};
    (void)state;

    setup(&f, full4, NULL, 1);
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_int_equal(p.nsections, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(p.sections[i].id, ids[i]);
    assert_string_equal(p.title,
                        "Tokens by country, weeks 2026-02-02 to 2026-02-16 (dataset default)");
    assert_string_equal(p.subtitle, "3 weeks shown. The latest: the week of 2026-02-16, 7 of 7 "
                                    "days.");
    /* The chart: the weeks shown, the countries named, other last. */
    assert_non_null(p.chart);
    assert_int_equal(p.chart->nweeks, 3);
    assert_string_equal(p.chart->groups[0].name, "CN");
    assert_string_equal(p.chart->groups[2].name, "other");
    /* Share: the last week's block only, CN first, swatches by country. */
    const struct page_table *t = table(&p, "share", 0);
    assert_int_equal(t->end - t->first, 4); /* CN, US, other, Total */
    assert_int_equal(cell_int(t->rs, t->first, "week"), D("2026-02-16"));
    assert_string_equal(cell_text(t->rs, t->first, "country"), "CN");
    assert_string_equal(t->swatch_key, "country");
    /* Growth: the last week's block, then the summary over the weeks. */
    t = table(&p, "growth", 0);
    assert_int_equal(cell_int(t->rs, t->first, "week"), D("2026-02-16"));
    t = table(&p, "growth", 1);
    assert_int_equal(t->end, 4); /* CN, US, other, Total */
    assert_int_equal(t->notes, 1);
    /* Top: the last week's top 2, then the concentration of each week. */
    t = table(&p, "top", 0);
    assert_int_equal(t->end - t->first, 2);
    assert_string_equal(cell_text(t->rs, t->first, "model"), "a/cheap");
    t = table(&p, "top", 1);
    assert_int_equal(t->end, 3);
    assert_string_equal(t->cols[3].title, "CR-2");
    /* Weeks: one row per week shown. */
    t = table(&p, "weeks", 0);
    assert_int_equal(t->end, 3);
    assert_string_equal(cell_text(t->rs, 2, "status"), "complete");
    assert_string_equal(cell_text(t->rs, 2, "weekdays"), "Mon-Sun");
    assert_string_equal(cell_text(t->rs, 2, "coverage"), "full");
    page_release(&p);
    teardown(&f);
}

static void test_default_reference(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    (void)state;

    /* d/dearest costs most but has under 1 % of the week's 900B: c/dear
     * (29B, 3.2 %) is the reference. */
    setup(&f, full4, NULL, 1);
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    const struct page_table *t = table(&p, "prices", 0);
    assert_non_null(strstr(section(&p, "prices")->items[0].text,
                           "vs = the price of c/dear ($5.00 in, $25.00 out)"));
    assert_true(says(&p, "prices", "the reference is the dearest model with at least 1 %"));
    assert_string_equal(cell_text(t->rs, 0, "model"), "a/cheap");
    page_release(&p);

    /* --vs: that model, and no word of a default. */
    f.rq.vs = "b/mid";
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_non_null(strstr(section(&p, "prices")->items[0].text, "vs = the price of b/mid"));
    assert_false(says(&p, "prices", "the reference is the dearest"));
    page_release(&p);

    /* --vs with no price: an error, as tokstat prices gives. */
    f.rq.vs = "z/unpriced";
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), -1);
    assert_non_null(strstr(err.msg, "no price for 'z/unpriced' in the week of 2026-02-16"));
    page_release(&p);
    teardown(&f);
}

static void test_no_prices(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    (void)state;

    setup(&f, full4, NULL, 0);
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_null(section(&p, "prices"));
    assert_int_equal(p.nsections, 4);
    assert_true(says(&p, "weeks",
                     "No model of the week of 2026-02-16 has a price, so the page "
                     "has no prices"));
    page_release(&p);
    teardown(&f);
}

static void test_listed_partial_and_gap(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    static const int days[] = {7, 7, 0, 3};
    static const int listed[] = {0, 1, 0, 0};
    (void)state;

    setup(&f, days, listed, 1);
    for (size_t g = 0; g < f.models.ngroups; g++)
        f.models.groups[g].tokens[2] = 0;
    for (size_t g = 0; g < f.country.ngroups; g++)
        f.country.groups[g].tokens[2] = f.bars.groups[g].tokens[1] = 0;
    f.country.total[2] = f.models.total[2] = f.bars.total[1] = 0;
    f.in.skipped = D("2026-02-23");
    f.in.skipped_days = 2;
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    /* What each week covers: listed, a gap, partial. */
    const struct page_table *t = table(&p, "weeks", 0);
    assert_string_equal(cell_text(t->rs, 0, "coverage"), "listed");
    assert_string_equal(cell_text(t->rs, 0, "status"), "complete");
    assert_null(cell_text(t->rs, 1, "coverage"));
    assert_string_equal(cell_text(t->rs, 1, "status"), "gap");
    assert_string_equal(cell_text(t->rs, 2, "status"), "partial");
    assert_string_equal(cell_text(t->rs, 2, "weekdays"), "Mon-Wed");
    assert_true(says(&p, "weeks", "The week of 2026-02-23 has 2 of 7 days so far: left out"));
    assert_string_equal(p.subtitle, "3 weeks shown. The latest: the week of 2026-02-16, 3 of 7 "
                                    "days (Mon-Wed).");
    /* The listed week's concentration is not given, in words. */
    char *html = html_of(&p);
    assert_non_null(strstr(html, "<tr><td class=\"t\">2026-02-02</td><td class=\"n\">7</td>"
                                 "<td class=\"t\">listed</td><td class=\"n\">not given</td>"
                                 "<td class=\"n\">not given</td><td class=\"n\">not given</td>"));
    assert_non_null(strstr(html, "class=\"day\">02-02\xe2\x80\xa0</text>"));
    assert_non_null(strstr(html, "class=\"day\">02-16*</text>"));
    assert_non_null(strstr(html, ">gap</text>"));
    free(html);
    page_release(&p);
    teardown(&f);
}

static void test_no_data(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    static const int none[] = {0, 0, 0, 0};
    (void)state;

    setup(&f, none, NULL, 1);
    for (size_t g = 0; g < 3; g++)
        for (size_t w = 0; w < 3; w++)
            f.bars.groups[g].tokens[w] = 0;
    memset(f.bars.total, 0, 3 * sizeof(int64_t));
    f.in.outside = f.in.clipped_start = 1; /* no "starts there" for weeks outside the data */
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_true(says(&p, "weeks", "The data covers the weeks 2026-01-26 to 2026-02-16."));
    assert_false(says(&p, "weeks", "start there"));
    assert_int_equal(p.nsections, 1);
    assert_string_equal(p.sections[0].id, "weeks");
    assert_true(says(&p, "weeks", "No data in these weeks."));
    assert_false(says(&p, "weeks", "has a price"));
    assert_string_equal(p.subtitle, "No data in these weeks.");
    page_release(&p);
    teardown(&f);
}

/* ---- the top apps ---------------------------------------------------- */

struct spec_app {
    const char *name;
    int64_t id;
    int64_t tokens[2]; /* the week before, the week shown */
};

/* App rankings of two weeks from monday (the week before, the week
 * shown): every week lists only the top apps; a week without days has no
 * tokens. */
static void make_apps(struct series *s, const char *monday, const int *days,
                      const struct spec_app *a, size_t n)
{
    static const int listed[] = {1, 1};
    struct spec_group g[8];

    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++)
        g[i] = (struct spec_group){a[i].name, "", {days[0] ? a[i].tokens[0] : 0, a[i].tokens[1]}};
    make_series(s, monday, 2, days, listed, g, n);
    s->by = BY_APP;
    for (size_t i = 0; i < n; i++)
        s->groups[i].id = a[i].id;
}

/* Alpha grows, a hostile name is new, Beta (2nd the week before) is gone;
 * Gamma is gone too but was not in the top 2, Delta is listed below it. */
static const struct spec_app apps_feb[] = {
    {"Alpha", 1, {500, 600}},
    {"Beta", 2, {300, 0}},
    {"Gamma", 3, {100, 0}},
    {"Delta", 4, {50, 100}},
    {"<script>x</script>", 5, {0, 400}},
};
static const int both[] = {7, 7};

static double cell_real(const struct rowset *rs, size_t r, const char *key)
{
    for (size_t c = 0; c < rs->ncols; c++) {
        if (strcmp(rs->cols[c].key, key) == 0)
            return rowset_cell(rs, r, c)->d;
    }
    fail_msg("no column %s", key);
    return 0;
}

static int cell_empty(const struct rowset *rs, size_t r, const char *key)
{
    for (size_t c = 0; c < rs->ncols; c++) {
        if (strcmp(rs->cols[c].key, key) == 0)
            return rowset_cell(rs, r, c)->kind != RS_VALUE;
    }
    fail_msg("no column %s", key);
    return 0;
}

static void test_top_apps(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct series apps;
    static const char *const ids[] = {"share", "growth", "top", "apps", "prices", "weeks"};
    (void)state;

    setup(&f, full4, NULL, 1);
    make_apps(&apps, "2026-02-09", both, apps_feb, 5);
    struct dash_apps a = {"cli-apps", "subcategory cli-agent, sort popular", D("2026-02-16"), &apps,
                          D("2026-01-05")};
    f.in.apps = &a;
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_int_equal(p.nsections, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(p.sections[i].id, ids[i]);
    assert_string_equal(section(&p, "apps")->title, "Top 2 apps");
    assert_true(says(&p, "apps",
                     "App rankings of dataset cli-apps (subcategory cli-agent, sort "
                     "popular). Shares are of the listed apps' tokens only"));
    assert_true(says(&p, "apps", "gone: in the top 2 the week before, not listed this week"));
    assert_false(says(&p, "apps", "latest before it"));
    assert_false(says(&p, "apps", "no week before it"));
    /* The top 2 of the week, ranked; then Beta, gone; not Gamma nor Delta. */
    const struct page_table *t = table(&p, "apps", 0);
    const struct rowset *rs = t->rs;
    assert_string_equal(t->caption_key, "heading");
    assert_string_equal(cell_text(rs, 0, "heading"), "Week of 2026-02-16 (listed apps only)");
    assert_int_equal(t->end - t->first, 3);
    assert_int_equal(cell_int(rs, 0, "rank"), 1);
    assert_string_equal(cell_text(rs, 0, "app"), "Alpha");
    assert_int_equal(cell_int(rs, 0, "app_id"), 1);
    assert_int_equal(cell_int(rs, 0, "tokens"), 600);
    assert_float_equal(cell_real(rs, 0, "share"), 600.0 / 1100.0, 1e-12); /* of the listed */
    assert_int_equal(cell_int(rs, 0, "prev_tokens"), 500);
    assert_float_equal(cell_real(rs, 0, "growth"), 0.2, 1e-12);
    assert_true(cell_empty(rs, 0, "status"));
    assert_int_equal(cell_int(rs, 1, "rank"), 2);
    assert_string_equal(cell_text(rs, 1, "app"), "<script>x</script>");
    assert_true(cell_empty(rs, 1, "growth"));
    assert_string_equal(cell_text(rs, 1, "status"), "new");
    assert_true(cell_empty(rs, 2, "rank"));
    assert_string_equal(cell_text(rs, 2, "app"), "Beta");
    assert_int_equal(cell_int(rs, 2, "tokens"), 0);
    assert_float_equal(cell_real(rs, 2, "growth"), -1.0, 1e-12);
    assert_string_equal(cell_text(rs, 2, "status"), "gone");
    /* The name is text on the page, never markup. */
    char *html = html_of(&p);
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "<td class=\"t\">&lt;script&gt;x&lt;/<wbr>script&gt;</td>"));
    assert_non_null(strstr(html, "<a href=\"#apps\">Top 2 apps</a>"));
    free(html);
    page_release(&p);
    series_release(&apps);
    teardown(&f);
}

/* The apps dataset's latest week is before the page's: said so; it is
 * also the dataset's first, with no week before it. */
static void test_apps_earlier_week(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct series apps;
    static const int first[] = {0, 7};
    (void)state;

    setup(&f, full4, NULL, 1);
    make_apps(&apps, "2026-02-02", first, apps_feb, 5);
    struct dash_apps a = {"apps", "all apps, sort popular", D("2026-02-16"), &apps,
                          D("2026-02-09")};
    f.in.apps = &a;
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_true(says(&p, "apps",
                     "No app rankings for the week of 2026-02-16: these are the latest "
                     "before it, the week of 2026-02-09."));
    assert_true(says(&p, "apps",
                     "The week of 2026-02-09 is the first of dataset apps: no week "
                     "before it to compare with."));
    const struct page_table *t = table(&p, "apps", 0);
    assert_int_equal(t->end - t->first, 2); /* none gone: nothing the week before */
    assert_string_equal(cell_text(t->rs, 0, "heading"), "Week of 2026-02-09 (listed apps only)");
    assert_true(cell_empty(t->rs, 0, "prev_tokens"));
    assert_true(cell_empty(t->rs, 0, "growth"));
    assert_true(cell_empty(t->rs, 1, "status"));
    page_release(&p);
    series_release(&apps);
    teardown(&f);
}

/* The week before the apps' week is a gap: no growth, status gap. */
static void test_apps_gap(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct series apps;
    static const int gap[] = {0, 7};
    (void)state;

    setup(&f, full4, NULL, 1);
    make_apps(&apps, "2026-02-09", gap, apps_feb, 5);
    apps.span_from = D("2026-02-02"); /* data before the gap */
    struct dash_apps a = {"apps", "all apps, sort popular", D("2026-02-16"), &apps,
                          D("2026-02-02")};
    f.in.apps = &a;
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    const struct page_table *t = table(&p, "apps", 0);
    assert_int_equal(t->end - t->first, 2);
    for (size_t r = 0; r < 2; r++) {
        assert_true(cell_empty(t->rs, r, "growth"));
        assert_string_equal(cell_text(t->rs, r, "status"), "gap");
    }
    assert_false(says(&p, "apps", "no week before it"));
    page_release(&p);
    series_release(&apps);
    teardown(&f);
}

/* No apps week at or before the page's: the section says so; without
 * data in the page's weeks, no apps section at all. */
static void test_apps_none(void **state)
{
    struct fixture f;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    static const int none[] = {0, 0, 0, 0};
    (void)state;

    setup(&f, full4, NULL, 1);
    struct dash_apps a = {"apps", "all apps, sort popular", D("2026-02-16"), NULL, D("2026-03-02")};
    f.in.apps = &a;
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_true(says(&p, "apps",
                     "Dataset apps has no app rankings for the week of 2026-02-16 or "
                     "before: they start in the week of 2026-03-02."));
    const struct page_section *s = section(&p, "apps");
    for (size_t i = 0; i < s->nitems; i++)
        assert_int_not_equal(s->items[i].kind, PAGE_TABLE);
    page_release(&p);
    a.first = 0;
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_true(says(&p, "apps", "Dataset apps has no app rankings yet."));
    page_release(&p);
    teardown(&f);

    setup(&f, none, NULL, 1);
    f.in.apps = &a;
    assert_int_equal(build_dashboard(&f.in, &f.rq, &p, &err), 0);
    assert_null(section(&p, "apps"));
    page_release(&p);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_in_order), cmocka_unit_test(test_default_reference),
        cmocka_unit_test(test_no_prices),         cmocka_unit_test(test_listed_partial_and_gap),
        cmocka_unit_test(test_no_data),           cmocka_unit_test(test_top_apps),
        cmocka_unit_test(test_apps_earlier_week), cmocka_unit_test(test_apps_gap),
        cmocka_unit_test(test_apps_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
