/* dashboard.c - tokstat dashboard: one page of the reports a week's
 * publication needs. Nothing is computed here that a report computes: the
 * share, growth, top, top apps and price builders fill the page's
 * documents, and the page shows parts of them (the last week's block, a
 * summary table, the concentration of each week); the chart is the chart
 * command's. What this file adds is the page's layout and what each week
 * covers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "render/cells.h"
#include "render/chart.h"
#include "render/page.h"
#include "shared.h"

/* The rows of the last block of rs (all of them when it has no blocks). */
static void last_block(const struct rowset *rs, size_t *first, size_t *end)
{
    size_t i = 0, start = 0;

    while (i < rs->nrows) {
        start = i;
        i = render_block_end(rs, i);
    }
    *first = start;
    *end = rs->nrows;
}

/* Share by country: the chart of the weeks shown, and beside it the last
 * week's shares, each country with its colour in the chart. */
static int share_section(const struct dash_input *in, const struct report_request *rq,
                         struct page *out, struct ts_err *err)
{
    struct report_doc *d = page_doc(out);
    struct report_request cq = *rq;
    size_t first, end;

    cq.by = BY_COUNTRY;
    build_share(in->country, &cq, d);
    struct page_section *s = page_section(out, "share", "Share by country");
    out->chart = xmalloc(sizeof(*out->chart));
    if (chart_build(in->bars, BY_COUNTRY, rq->other_exclude, CHART_DEFAULT_GROUPS, out->chart,
                    err) < 0) {
        free(out->chart);
        out->chart = NULL;
        return -1;
    }
    page_chart(s, d->title ? d->title : "");
    last_block(&d->rows, &first, &end);
    struct page_table *t = page_table(s, &d->rows, first, end);
    t->caption_key = "heading";
    t->swatch_key = "country";
    page_col(t, "rank", "rank", NULL);
    page_col(t, "country", "country", NULL);
    page_col(t, "tokens", "tokens", NULL);
    page_col(t, "share", "share", NULL);
    page_col(t, "share_change", "change", NULL);
    page_beside(s);
    page_text(s, "note",
              "change: of the share, in percentage points, against the week before. other: the "
              "leaderboard's bucket for the models outside its top rows; it counts in each "
              "week's total but is never ranked. The chart names the %d countries with the most "
              "tokens over the weeks shown.",
              CHART_DEFAULT_GROUPS);
    page_beside(s);
    return 0;
}

/* Growth by country: the last week against the week before, and the
 * summary over the weeks shown. */
static void growth_section(const struct dash_input *in, const struct report_request *rq,
                           struct page *out)
{
    struct report_doc *d = page_doc(out);
    struct report_request cq = *rq;
    size_t first, end;

    cq.by = BY_COUNTRY;
    cq.summary_only = 0;
    build_growth(in->country, &cq, d);
    struct page_section *s = page_section(out, "growth", "Growth by country");
    last_block(&d->rows, &first, &end);
    struct page_table *t = page_table(s, &d->rows, first, end);
    t->caption_key = "heading";
    page_col(t, "country", "country", NULL);
    page_col(t, "tokens", "tokens", NULL);
    page_col(t, "prev_tokens", "week before", NULL);
    page_col(t, "growth", "growth", NULL);
    page_col(t, "status", "status", NULL);
    if (in->bars->nweeks > 1 && d->ntables > 0) {
        const struct rowset *sum = &d->tables[0].rows;
        page_heading(s, "Over the weeks shown");
        t = page_table(s, sum, 0, sum->nrows);
        t->notes = 1;
        page_col(t, "country", "country", NULL);
        page_col(t, "start_tokens", "first week", NULL);
        page_col(t, "end_tokens", "last week", NULL);
        page_col(t, "growth", "growth", NULL);
        page_col(t, "weekly_growth", "weekly", NULL);
        page_col(t, "status", "status", NULL);
    }
    page_text(s, "note",
              "growth: T_w / T_(w-1) - 1; weekly: the compound weekly growth (T_last / "
              "T_first)^(1/steps) - 1. new: no tokens the week before; gone: none this week; "
              "gap: no data in one of the two weeks; partial: compared on the weekdays both "
              "weeks have.");
}

/* The top N models of the last week with data, with its concentration,
 * and the concentration of every week shown. */
static int top_section(const struct dash_input *in, const struct report_request *rq,
                       struct page *out, struct ts_err *err)
{
    struct report_doc *d = page_doc(out);
    struct report_request mq = *rq;
    char title[64], cr[32];
    size_t first, end;

    mq.by = BY_MODEL;
    if (build_top(in->models, &mq, d, err) < 0)
        return -1;
    snprintf(title, sizeof(title), "Top %zu models", rq->top_n);
    snprintf(cr, sizeof(cr), "CR-%zu", rq->top_n);
    struct page_section *s = page_section(out, "top", title);
    last_block(&d->rows, &first, &end);
    struct page_table *t = page_table(s, &d->rows, first, end);
    t->caption_key = "heading";
    t->notes = 1;
    page_col(t, "rank", "rank", NULL);
    page_col(t, "model", "model", NULL);
    page_col(t, "country", "country", NULL);
    page_col(t, "tokens", "tokens", NULL);
    page_col(t, "share", "share", NULL);
    page_col(t, "cumulative_share", "cumulative", NULL);
    if (d->ntables == 0)
        return 0;
    const struct rowset *weeks = &d->tables[0].rows;
    page_heading(s, "Concentration by week");
    t = page_table(s, weeks, 0, weeks->nrows);
    page_col(t, "week", "week", NULL);
    page_col(t, "days", "days", NULL);
    page_col(t, "coverage", "coverage", NULL);
    page_col(t, "cr", cr, "not given");
    page_col(t, "hhi_low", "HHI low", "not given");
    page_col(t, "hhi_high", "HHI high", "not given");
    page_col(t, "hhi_change", "HHI change", NULL);
    page_col(t, "band", "band", NULL);
    page_col(t, "status", "status", NULL);
    page_text(s, "note",
              "%s: the top %zu's share of the week's tokens. HHI: the sum of squared shares in "
              "percent over all ranked models (0 to 10,000), as bounds, since the other bucket "
              "hides many small models: low counts it as infinitely many tiny ones, high splits "
              "it into models no larger than the smallest ranked one. Above 1,800 highly "
              "concentrated, 1,000 to 1,800 moderately, below 1,000 unconcentrated; a change of "
              "more than 100 is significant. Not given for a week that lists only its top "
              "models: it is not the whole market.",
              cr, rq->top_n);
    return 0;
}

/* Why the apps section has no table: the apps dataset has no week at or
 * before the page's. */
static void apps_none(const struct dash_apps *a, struct page_section *s)
{
    char w[TS_DATE_LEN + 1], f[TS_DATE_LEN + 1];

    date_format(a->week, w);
    date_format(a->first, f);
    if (a->first == 0)
        page_text(s, NULL, "Dataset %s has no app rankings yet.", a->dataset);
    else
        page_text(s, NULL,
                  "Dataset %s has no app rankings for the week of %s or before: they start in "
                  "the week of %s.",
                  a->dataset, w, f);
}

/* The top N apps of the page's last week, from the apps dataset: of its
 * latest week at or before it (said when earlier), with growth on the
 * week before; their shares are of the listed apps, never the market's. */
static int apps_section(const struct dash_input *in, const struct report_request *rq,
                        struct page *out, struct ts_err *err)
{
    const struct dash_apps *a = in->apps;
    struct report_request aq = *rq;
    char title[64], w[TS_DATE_LEN + 1], at[TS_DATE_LEN + 1];

    snprintf(title, sizeof(title), "Top %zu apps", rq->top_n);
    struct page_section *s = page_section(out, "apps", title);
    page_text(s, NULL,
              "App rankings of dataset %s (%s). Shares are of the listed apps' tokens only: app "
              "rankings list the top apps, with no other bucket, so they are not shares of the "
              "market.",
              a->dataset, a->list);
    if (!a->s) {
        apps_none(a, s);
        return 0;
    }
    struct report_doc *d = page_doc(out);
    aq.by = BY_APP;
    aq.dataset = a->dataset;
    aq.other_exclude = 0;
    if (build_top_apps(a->s, &aq, d, err) < 0)
        return -1;
    int32_t shown = series_week(a->s, a->s->nweeks - 1);
    date_format(a->week, w);
    date_format(shown, at);
    if (shown != a->week)
        page_text(s, NULL,
                  "No app rankings for the week of %s: these are the latest before it, the week "
                  "of %s.",
                  w, at);
    struct page_table *t = page_table(s, &d->rows, 0, d->rows.nrows);
    t->caption_key = "heading";
    page_col(t, "rank", "rank", NULL);
    page_col(t, "app", "app", NULL);
    page_col(t, "app_id", "app id", NULL);
    page_col(t, "tokens", "tokens", NULL);
    page_col(t, "share", "share", NULL);
    page_col(t, "prev_tokens", "week before", NULL);
    page_col(t, "growth", "growth", NULL);
    page_col(t, "status", "status", NULL);
    if (a->s->days[0] == 0 && !series_gap(a->s, 0))
        page_text(s, "note",
                  "The week of %s is the first of dataset %s: no week before it to "
                  "compare with.",
                  at, a->dataset);
    page_text(s, "note",
              "Tokens as each model's provider counts them, summed over the models an app used. "
              "growth: T_w / T_(w-1) - 1, on the week before. new: not listed the week before; "
              "gone: in the top %zu the week before, not listed this week; gap: no rankings for "
              "one of the two weeks.",
              rq->top_n);
    return 0;
}

/* Whether q is a price to compare with: both halves above 0. */
static int comparable(const struct price_quote *q)
{
    return q->how != PRICE_NONE && q->prompt > 0 && q->completion > 0;
}

/* Whether a (tokens, quote) is a dearer reference than b: input price,
 * then output price, then tokens (the rows come by slug, so the first
 * slug wins a tie). */
static int dearer(int64_t at, const struct price_quote *a, int64_t bt, const struct price_quote *b)
{
    if (a->prompt != b->prompt)
        return a->prompt > b->prompt;
    if (a->completion != b->completion)
        return a->completion > b->completion;
    return at > bt;
}

/* The default reference of the prices: the dearest model (by input price)
 * with at least 1 % of the week's tokens, so that the main models' ratios
 * say how many times cheaper they are than it; NULL when no model of the
 * week has a price. With no such model, the priced model with the most
 * tokens. */
static const char *default_vs(const struct priced_usage *in)
{
    const char *best = NULL, *most_used = NULL;
    struct price_quote q, best_q = {PRICE_NONE, -1, NULL, 0, 0, 0, 0};
    int64_t total = 0, best_t = 0, most = -1;

    for (size_t i = 0; i < in->nrows; i++)
        total += in->rows[i].week == in->to ? in->rows[i].tokens : 0;
    for (size_t i = 0; i < in->nrows; i++) {
        const struct usage_row *u = &in->rows[i];
        if (u->week != in->to || strcmp(u->slug, "other") == 0 ||
            !price_book_quote(in->book, u->slug, in->unit, in->to, &q) || !comparable(&q))
            continue;
        if (u->tokens > most) {
            most = u->tokens;
            most_used = u->slug;
        }
        if ((double)u->tokens >= 0.01 * (double)total &&
            (!best || dearer(u->tokens, &q, best_t, &best_q))) {
            best = u->slug;
            best_q = q;
            best_t = u->tokens;
        }
    }
    return best ? best : most_used;
}

#define PRICE_ROWS 10 /* the prices table shows the models with the most tokens */

/* Prices of the last week against rq->vs or the default reference; no
 * section when no model of the week has a price (*none set). Returns 0,
 * or -1 with err filled when rq->vs has no price. */
static int prices_section(const struct dash_input *in, const struct report_request *rq,
                          struct page *out, int *none, struct ts_err *err)
{
    struct report_request pq = *rq;
    struct report_doc *d;

    *none = 0;
    pq.by = BY_MODEL;
    if (!pq.vs)
        pq.vs = default_vs(in->priced);
    if (!pq.vs) {
        *none = 1;
        return 0;
    }
    d = page_doc(out);
    if (build_prices(in->priced, &pq, d, err) < 0)
        return -1;
    struct page_section *s = page_section(out, "prices", "Prices");
    page_text(s, NULL, "%s.", d->title ? d->title : "");
    size_t n = d->rows.nrows < PRICE_ROWS ? d->rows.nrows : PRICE_ROWS;
    struct page_table *t = page_table(s, &d->rows, 0, n);
    page_col(t, "model", "model", NULL);
    page_col(t, "country", "country", NULL);
    page_col(t, "tokens", "tokens", NULL);
    page_col(t, "input_usd_per_m", "input $/M", NULL);
    page_col(t, "output_usd_per_m", "output $/M", NULL);
    page_col(t, "input_ratio", "vs input", NULL);
    page_col(t, "output_ratio", "vs output", NULL);
    page_col(t, "price_from", "price from", NULL);
    page_col(t, "price_source", "source", NULL);
    page_col(t, "priced_as", "priced as", NULL);
    page_col(t, "status", "status", NULL);
    if (d->rows.nrows > n)
        page_text(s, "note", "%zu more priced %s: 'tokstat prices' lists them all.",
                  d->rows.nrows - n, ts_plural((long long)(d->rows.nrows - n), "model", "models"));
    page_text(s, "note",
              "Prices in US dollars per million tokens%s. vs: the reference's price divided by "
              "the model's, how many times dearer the reference is.",
              rq->vs ? ""
                     : "; the reference is the dearest model with at least 1 % of the week's "
                       "tokens");
    return 0;
}

/* What each week shown covers: its days and weekdays, whether its total
 * is the market's or the listed models', its tokens, and whether it is
 * complete, partial or a gap. */
static void weeks_rows(const struct series *s, struct report_doc *d)
{
    static const enum col_id ids[] = {C_WEEK, C_DAYS, C_WEEKDAYS, C_COVERAGE, C_TOKENS, C_STATUS};
    struct sheet sh;
    char days[32];

    sheet_start(&sh, &d->rows, ids, sizeof(ids) / sizeof(ids[0]), BY_COUNTRY);
    for (size_t w = 1; w < s->nweeks; w++) {
        size_t r = sheet_add(&sh);
        sheet_week(&sh, r, s, w, NULL);
        if (s->days[w] > 0) {
            week_days_text(s->mask[w], days, sizeof(days));
            sheet_text(&sh, r, C_WEEKDAYS, days);
            sheet_int(&sh, r, C_TOKENS, s->total[w]);
        }
        sheet_text(&sh, r, C_STATUS,
                   s->days[w] == 7    ? "complete"
                   : s->days[w] > 0   ? ST_PARTIAL
                   : series_gap(s, w) ? ST_GAP
                                      : "no data");
    }
}

/* The weeks section: the table, what the range left out, and whether the
 * page has prices. */
static void weeks_section(const struct dash_input *in, int no_prices, struct page *out)
{
    struct report_doc *d = page_doc(out);
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];

    weeks_rows(in->country, d);
    struct page_section *s = page_section(out, "weeks", "What each week covers");
    struct page_table *t = page_table(s, &d->rows, 0, d->rows.nrows);
    page_col(t, "week", "week", NULL);
    page_col(t, "days", "days", NULL);
    page_col(t, "weekdays", "weekdays", NULL);
    page_col(t, "coverage", "coverage", NULL);
    page_col(t, "tokens", "tokens", NULL);
    page_col(t, "status", "status", NULL);
    page_text(s, "note",
              "Weeks run Monday to Sunday (UTC). complete: 7 days of daily data, or a weekly "
              "row; partial: fewer days, compared like for like with the same weekdays of the "
              "week before; gap: no data inside the data's span. coverage full: the week's "
              "total is the whole market (the data has an other bucket); listed: only the "
              "listed models', so shares are of the listed models.");
    date_format(in->data_first, a);
    date_format(in->data_last, b);
    if (in->outside)
        page_text(s, "note", "The data covers the weeks %s to %s.", a, b);
    if (in->clipped_start && !in->outside)
        page_text(s, "note", "The data starts in the week of %s: the weeks shown start there.", a);
    if (in->clipped_end && !in->outside)
        page_text(s, "note", "The data ends in the week of %s: the weeks shown end there.", b);
    if (in->skipped) {
        date_format(in->skipped, a);
        page_text(s, "note",
                  "The week of %s has %d of 7 days so far: left out until it is complete.", a,
                  in->skipped_days);
    }
    if (no_prices) {
        date_format(in->priced->to, a);
        page_text(s, "note",
                  "No model of the week of %s has a price, so the page has no prices (import a "
                  "model catalogue, 'tokstat fetch models', to add them).",
                  a);
    }
}

/* The page's title and the line under it. */
static void titles(const struct dash_input *in, const struct report_request *rq, struct page *out)
{
    const struct series *s = in->country;
    struct ts_buf t = TS_BUF_INIT, sub = TS_BUF_INIT;
    size_t last = s->nweeks - 1;
    char day[TS_DATE_LEN + 1], days[32];

    while (last > 1 && s->days[last] == 0)
        last--;
    buf_adds(&t, "Tokens by country, ");
    title_range(&t, in->bars->from, in->bars->to, rq);
    date_format(series_week(s, last), day);
    week_days_text(s->mask[last], days, sizeof(days));
    if (s->days[last] == 0) {
        buf_adds(&sub, "No data in these weeks.");
    } else {
        buf_printf(&sub, "%zu %s shown. The latest: the week of %s, %d of 7 days", in->bars->nweeks,
                   ts_plural((long long)in->bars->nweeks, "week", "weeks"), day, s->days[last]);
        if (s->days[last] < 7)
            buf_printf(&sub, " (%s)", days);
        if (!s->full[last])
            buf_adds(&sub, ", listed models only");
        buf_addc(&sub, '.');
    }
    page_set_title(out, t.data, sub.data);
    buf_release(&t);
    buf_release(&sub);
}

int build_dashboard(const struct dash_input *in, const struct report_request *rq, struct page *out,
                    struct ts_err *err)
{
    int no_prices = 0;
    int any = 0;

    for (size_t w = 0; w < in->bars->nweeks; w++)
        any |= in->bars->days[w] > 0;
    titles(in, rq, out);
    if (any) {
        if (share_section(in, rq, out, err) < 0)
            return -1;
        growth_section(in, rq, out);
        if (top_section(in, rq, out, err) < 0 || (in->apps && apps_section(in, rq, out, err) < 0) ||
            prices_section(in, rq, out, &no_prices, err) < 0)
            return -1;
    }
    weeks_section(in, any && no_prices, out);
    if (!any)
        page_text(&out->sections[out->nsections - 1], NULL, "No data in these weeks.");
    /* The builders' warnings, each once. */
    for (size_t i = 0; i < out->ndocs; i++) {
        for (size_t k = 0; k < out->docs[i].nwarnings; k++)
            page_note(out, out->docs[i].warnings[k]);
    }
    return 0;
}
