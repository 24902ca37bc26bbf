/* top.c - tokstat top: the top N of each week, their cumulative share and
 * countries, and how concentrated the week is: CR-N, the HHI over all
 * ranked groups with its band, and its change on the week before. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"
#include "render/render.h"
#include "shared.h"

/* "CN 4 of 5, 85.7 % of top-5 tokens; US 1 of 5, 14.3 %" for the top n
 * groups idx[0..n) of week w. */
static void country_makeup(const struct series *s, size_t w, const size_t *idx, size_t n,
                           struct ts_buf *out)
{
    const char **codes = xmalloc((n ? n : 1) * sizeof(*codes));
    int64_t *tok = xcalloc(n ? n : 1, sizeof(*tok));
    size_t *count = xcalloc(n ? n : 1, sizeof(*count));
    size_t *order = xmalloc((n ? n : 1) * sizeof(*order));
    size_t nc = 0;
    int64_t top = 0;

    for (size_t i = 0; i < n; i++) {
        const struct series_group *g = &s->groups[idx[i]];
        size_t c;
        for (c = 0; c < nc; c++) {
            if (strcmp(codes[c], g->country) == 0)
                break;
        }
        if (c == nc)
            codes[nc++] = g->country;
        tok[c] += g->tokens[w];
        count[c]++;
        top += g->tokens[w]; /* some groups of a week: series_check bounds it */
    }
    metrics_rank(tok, codes, nc, order);
    for (size_t k = 0; k < nc; k++) {
        size_t c = order[k];
        char pct[32];
        render_percent(metrics_share(tok[c], top), pct, sizeof(pct));
        if (k == 0)
            buf_printf(out, "%s %zu of %zu, %s of top-%zu tokens", codes[c], count[c], n, pct, n);
        else
            buf_printf(out, "; %s %zu of %zu, %s", codes[c], count[c], n, pct);
    }
    free(codes);
    free(tok);
    free(count);
    free(order);
}

/* The concentration of one week. */
struct concentration {
    size_t shown;     /* the top N shown: N, or fewer ranked groups */
    int listed;       /* the week lists only its top models: the market's is unknown */
    double cr;        /* CR-N */
    double low, high; /* the HHI's bounds */
    const char *band; /* a band's name, or "between" when the bounds are in two */
    struct week_pair p;
    int have_change; /* the change of the lower bound on the week before: */
    double change;
};

/* The lower bound of the HHI of the ranked groups of s whose tokens are
 * tok[g] (per group) of whole. */
static double hhi_of(const struct series *s, const int64_t *tok, int64_t whole)
{
    int64_t *v = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*v));
    size_t n = 0;

    for (size_t g = 0; g < s->ngroups; g++) {
        if (!s->groups[g].is_other && tok[g] > 0)
            v[n++] = tok[g];
    }
    double h = metrics_hhi(v, n, whole);
    free(v);
    return h;
}

/* The tokens of each group in week w, whole. */
static int64_t *week_tokens(const struct series *s, size_t w)
{
    int64_t *tok = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*tok));

    for (size_t g = 0; g < s->ngroups; g++)
        tok[g] = s->groups[g].tokens[w];
    return tok;
}

/* The change of the HHI's lower bound from the week before, whole or like
 * for like; none next to a gap or a week that lists only its top models. */
static void hhi_change(const struct series *s, size_t w, const struct report_request *rq,
                       struct concentration *k)
{
    const struct week_pair *p = &k->p;
    int64_t cur, prev;

    if (!p->prev_known || p->gap || k->listed || !s->full[w - 1])
        return;
    pair_tokens(s, p, -1, w, rq->other_exclude, &cur, &prev);
    if (p->cmp) {
        k->change = hhi_of(s, p->cmp->cur, cur) - hhi_of(s, p->cmp->prev, prev);
    } else {
        int64_t *t = week_tokens(s, w - 1);
        k->change = k->low - hhi_of(s, t, prev);
        free(t);
    }
    k->have_change = 1;
}

/* The concentration of week w; idx gets its ranked groups in rank order
 * and *n how many. */
static void concentration_of(const struct series *s, size_t w, const struct report_request *rq,
                             size_t *idx, size_t *n, struct concentration *k)
{
    long other = series_other(s);
    int64_t whole = series_total(s, other, rq->other_exclude, w);
    int64_t rest = other >= 0 && !rq->other_exclude ? s->groups[other].tokens[w] : 0;

    memset(k, 0, sizeof(*k));
    *n = series_week_groups(s, w, rq->other_exclude, 0, 1, idx);
    k->shown = *n < rq->top_n ? *n : rq->top_n;
    k->listed = !s->full[w];
    week_pair_of(s, w, &k->p);
    if (k->listed)
        return;
    int64_t *tok = xmalloc((*n ? *n : 1) * sizeof(*tok));
    for (size_t i = 0; i < *n; i++)
        tok[i] = s->groups[idx[i]].tokens[w];
    k->cr = metrics_cr(tok, *n, k->shown, whole);
    metrics_hhi_bounds(tok, *n, rest, whole, &k->low, &k->high);
    free(tok);
    enum hhi_band lo = metrics_hhi_band(k->low), hi = metrics_hhi_band(k->high);
    k->band = lo == hi ? metrics_hhi_band_name(lo) : "between";
    hhi_change(s, w, rq, k);
}

/* "CR-5 51.4 %, HHI 717 (unconcentrated), up 61 from the week before". */
static void concentration_note(const struct concentration *k, struct ts_buf *t)
{
    char crs[32], lo[48], hi[48], ds[48];

    if (k->listed) {
        buf_printf(t,
                   "CR-%zu and HHI not given: the week lists only its top models (no other "
                   "bucket), not the whole market",
                   k->shown);
        return;
    }
    render_percent(k->cr, crs, sizeof(crs));
    render_points(k->low, 0, lo, sizeof(lo));
    render_points(k->high, 0, hi, sizeof(hi));
    buf_printf(t, "CR-%zu %s, HHI %s", k->shown, crs, lo);
    if (strcmp(lo, hi) != 0)
        buf_printf(t, " to %s", hi);
    if (strcmp(k->band, "between") == 0)
        buf_printf(t, " (%s to %s)", metrics_hhi_band_name(metrics_hhi_band(k->low)),
                   metrics_hhi_band_name(metrics_hhi_band(k->high)));
    else
        buf_printf(t, " (%s)", k->band);
    if (!k->have_change)
        return;
    render_points(fabs(k->change), 0, ds, sizeof(ds));
    char days[40] = "";
    if (k->p.cmp) {
        days[0] = ' ';
        memcpy(days + 1, "on ", 3);
        week_days_text(k->p.cmp->mask, days + 4, sizeof(days) - 4);
    }
    if (strcmp(ds, "0") == 0)
        buf_printf(t, ", unchanged from the week before%s", days);
    else
        buf_printf(t, ", %s %s from the week before%s%s", k->change > 0 ? "up" : "down", ds, days,
                   metrics_hhi_change_significant(k->change) ? " (a significant change)" : "");
}

/* The week's concentration into row r of a sheet with those columns. */
static void concentration_cells(struct sheet *sh, size_t r, const struct concentration *k)
{
    if (!k->listed) {
        sheet_real(sh, r, C_CR, k->cr);
        sheet_real(sh, r, C_HHI, k->low);
        sheet_real(sh, r, C_HHI_HIGH, k->high);
        sheet_text(sh, r, C_BAND, k->band);
    }
    if (k->have_change)
        sheet_real(sh, r, C_HHI_CHANGE, k->change);
    if (k->p.gap)
        sheet_text(sh, r, C_STATUS, ST_GAP);
    else if (k->p.incomparable || (k->have_change && k->p.cmp))
        sheet_text(sh, r, C_STATUS, ST_PARTIAL);
    if (k->have_change && k->p.cmp)
        sheet_int(sh, r, C_COMPARED_DAYS, week_days_count(k->p.cmp->mask));
}

/* The countries of the top N of week w as rows of the top_countries
 * table: how many of the N, their tokens and share of the N's tokens. */
static void country_rows(const struct series *s, size_t w, const size_t *idx, size_t n,
                         struct sheet *ct)
{
    const char **codes = xmalloc((n ? n : 1) * sizeof(*codes));
    int64_t *tok = xcalloc(n ? n : 1, sizeof(*tok)), top = 0;
    size_t *count = xcalloc(n ? n : 1, sizeof(*count)),
           *order = xmalloc((n ? n : 1) * sizeof(*order));
    size_t nc = 0;

    for (size_t i = 0; i < n; i++) {
        const struct series_group *g = &s->groups[idx[i]];
        size_t c = 0;
        while (c < nc && strcmp(codes[c], g->country) != 0)
            c++;
        if (c == nc)
            codes[nc++] = g->country;
        tok[c] += g->tokens[w];
        count[c]++;
        top += g->tokens[w]; /* some groups of a week: series_check bounds it */
    }
    metrics_rank(tok, codes, nc, order);
    for (size_t k = 0; k < nc; k++) {
        size_t r = sheet_add(ct), c = order[k];
        sheet_int(ct, r, C_WEEK, series_week(s, w));
        sheet_text(ct, r, C_COUNTRY, codes[c]);
        sheet_int(ct, r, C_IN_TOP, (int64_t)count[c]);
        sheet_int(ct, r, C_TOKENS, tok[c]);
        sheet_real(ct, r, C_SHARE, metrics_share(tok[c], top));
    }
    free(codes);
    free(tok);
    free(count);
    free(order);
}

/* The sheets of a top report: its rows, the table of weeks, the table of
 * the top N's countries. */
struct top_sheets {
    struct sheet rows, weeks, countries;
};

/* The top rows of week w (idx: its ranked groups in rank order), the
 * concentration as notes under them, and the week's rows of the tables. */
static void top_week(const struct series *s, size_t w, const struct report_request *rq,
                     const size_t *idx, const struct concentration *k, struct top_sheets *ts,
                     struct report_doc *out)
{
    int64_t denom = series_total(s, series_other(s), rq->other_exclude, w), cumul = 0;
    struct sheet *sh = &ts->rows;
    struct ts_buf t = TS_BUF_INIT;
    char head[160];
    size_t r = 0;

    series_heading(s, w, head, sizeof(head));
    for (size_t i = 0; i < k->shown; i++) {
        const struct series_group *g = &s->groups[idx[i]];
        cumul += g->tokens[w]; /* some groups of a week: series_check bounds it */
        r = sheet_group_row(sh, s, w, head, g);
        sheet_int(sh, r, C_RANK, (int64_t)i + 1);
        sheet_real(sh, r, C_SHARE, metrics_share(g->tokens[w], denom));
        sheet_real(sh, r, C_CUMUL, metrics_share(cumul, denom));
        concentration_cells(sh, r, k);
        out->nrows_data++;
    }
    concentration_note(k, &t);
    rowset_add_note(sh->rs, r, "%s", t.data);
    buf_reset(&t);
    country_makeup(s, w, idx, k->shown, &t);
    rowset_add_note(sh->rs, r, "Top %zu by country: %s", k->shown, t.data);
    buf_release(&t);

    size_t wr = sheet_add(&ts->weeks);
    sheet_week(&ts->weeks, wr, s, w, head);
    concentration_cells(&ts->weeks, wr, k);
    country_rows(s, w, idx, k->shown, &ts->countries);
}

int build_top(const struct series *s, const struct report_request *rq, struct report_doc *out,
              struct ts_err *err)
{
    static const enum col_id ids[] = {C_WEEK,   C_DAYS,         C_COVERAGE, C_HEAD,       C_RANK,
                                      C_GROUP,  C_COUNTRY,      C_TOKENS,   C_SHARE,      C_CUMUL,
                                      C_CR,     C_HHI,          C_HHI_HIGH, C_HHI_CHANGE, C_BAND,
                                      C_STATUS, C_COMPARED_DAYS};
    static const enum col_id week_ids[] = {C_WEEK,   C_DAYS,         C_COVERAGE,   C_CR,
                                           C_HHI,    C_HHI_HIGH,     C_HHI_CHANGE, C_BAND,
                                           C_STATUS, C_COMPARED_DAYS};
    static const enum col_id country_ids[] = {C_WEEK, C_COUNTRY, C_IN_TOP, C_TOKENS, C_SHARE};

    /* The sums below (of some groups in a week) stay below 2^63 when each
     * week's sum of all groups does. */
    if (series_check(s, err) < 0)
        return -1;

    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    struct top_sheets ts;
    struct ts_buf t = TS_BUF_INIT;
    char nbuf[32];

    sheet_start(&ts.rows, &out->rows, ids, sizeof(ids) / sizeof(ids[0]), rq->by);
    sheet_blocks(&ts.rows);
    sheet_start(&ts.weeks, doc_table(out, "weeks", NULL, 0), week_ids,
                sizeof(week_ids) / sizeof(week_ids[0]), rq->by);
    sheet_start(&ts.countries, doc_table(out, "top_countries", NULL, 0), country_ids,
                sizeof(country_ids) / sizeof(country_ids[0]), rq->by);
    for (size_t w = 1; w < s->nweeks; w++) {
        struct concentration k;
        size_t n;
        if (s->days[w] == 0)
            continue;
        concentration_of(s, w, rq, idx, &n, &k);
        if (n > 0)
            top_week(s, w, rq, idx, &k, &ts, out);
    }
    free(idx);

    out->command = "top";
    params_weekly(out, rq, s->from + 7, s->to);
    snprintf(nbuf, sizeof(nbuf), "%zu", rq->top_n);
    doc_param_number(out, "n", nbuf);
    buf_printf(&t, "Top %zu %s by tokens, ", rq->top_n,
               rq->by == BY_VENDOR   ? "vendors"
               : rq->by == BY_FAMILY ? "model families"
                                     : "models");
    title_range(&t, s->from + 7, s->to, rq);
    doc_set_title(out, t.data);
    buf_release(&t);
    return 0;
}
