/* top.c - tokstat top: the top N of each week, their cumulative share and
 * countries, and how concentrated the week is: CR-N, the HHI over all
 * ranked groups with its band, and its change on the week before. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
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
        top += g->tokens[w];
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
    size_t shown; /* the top N shown: N, or fewer ranked groups */
    double cr, hhi;
    int have_prev; /* the week before has data: hhi_change means something */
    double hhi_change;
    const char *band;
};

/* The ranked groups of week w in rank order (into idx; *n how many) and
 * their HHI (all of them, not only the top N). */
static double week_hhi(const struct series *s, const struct report_request *rq, size_t w,
                       size_t *idx, size_t *n)
{
    *n = series_week_groups(s, w, rq->other_exclude, 0, 1, idx);
    int64_t *tok = xmalloc((*n ? *n : 1) * sizeof(*tok));

    for (size_t i = 0; i < *n; i++)
        tok[i] = s->groups[idx[i]].tokens[w];
    double h = metrics_hhi(tok, *n, series_total(s, series_other(s), rq->other_exclude, w));
    free(tok);
    return h;
}

/* CR-N of the ranked groups idx[0..n) of week w. */
static double week_cr(const struct series *s, const struct report_request *rq, size_t w,
                      const size_t *idx, size_t n, size_t shown)
{
    int64_t *tok = xmalloc((n ? n : 1) * sizeof(*tok));

    for (size_t i = 0; i < n; i++)
        tok[i] = s->groups[idx[i]].tokens[w];
    double cr = metrics_cr(tok, n, shown, series_total(s, series_other(s), rq->other_exclude, w));
    free(tok);
    return cr;
}

/* "CR-5 51.4 %, HHI 717 (unconcentrated), up 61 from the week before". */
static void concentration_note(const struct concentration *k, struct ts_buf *t)
{
    char crs[32], hhis[48], ds[48];

    render_percent(k->cr, crs, sizeof(crs));
    render_points(k->hhi, 0, hhis, sizeof(hhis));
    buf_printf(t, "CR-%zu %s, HHI %s (%s)", k->shown, crs, hhis, k->band);
    if (!k->have_prev)
        return;
    render_points(fabs(k->hhi_change), 0, ds, sizeof(ds));
    if (strcmp(ds, "0") == 0)
        buf_printf(t, ", unchanged from the week before");
    else
        buf_printf(t, ", %s %s from the week before%s", k->hhi_change > 0 ? "up" : "down", ds,
                   metrics_hhi_change_significant(k->hhi_change) ? " (a significant change)" : "");
}

/* The top rows of week w (idx: its ranked groups in rank order), the
 * concentration as notes under them, and the week's row of the table of
 * weeks. */
static void top_week(const struct series *s, size_t w, const struct report_request *rq,
                     const size_t *idx, const struct concentration *k, struct sheet *sh,
                     struct sheet *wk, struct report_doc *out)
{
    int64_t denom = series_total(s, series_other(s), rq->other_exclude, w), cumul = 0;
    struct ts_buf t = TS_BUF_INIT;
    char head[64];
    size_t r = 0;

    week_heading(series_week(s, w), s->days[w], head, sizeof(head));
    for (size_t i = 0; i < k->shown; i++) {
        const struct series_group *g = &s->groups[idx[i]];
        cumul += g->tokens[w];
        r = sheet_group_row(sh, s, w, head, g);
        sheet_int(sh, r, C_RANK, (int64_t)i + 1);
        sheet_real(sh, r, C_SHARE, metrics_share(g->tokens[w], denom));
        sheet_real(sh, r, C_CUMUL, metrics_share(cumul, denom));
        sheet_real(sh, r, C_CR, k->cr);
        sheet_real(sh, r, C_HHI, k->hhi);
        if (k->have_prev)
            sheet_real(sh, r, C_HHI_CHANGE, k->hhi_change);
        sheet_text(sh, r, C_BAND, k->band);
        out->nrows_data++;
    }
    concentration_note(k, &t);
    rowset_add_note(sh->rs, r, "%s", t.data);
    buf_reset(&t);
    country_makeup(s, w, idx, k->shown, &t);
    rowset_add_note(sh->rs, r, "Top %zu by country: %s", k->shown, t.data);

    size_t wr = sheet_add(wk);
    sheet_int(wk, wr, C_WEEK, series_week(s, w));
    sheet_int(wk, wr, C_DAYS, s->days[w]);
    sheet_real(wk, wr, C_CR, k->cr);
    sheet_real(wk, wr, C_HHI, k->hhi);
    sheet_text(wk, wr, C_BAND, k->band);
    if (k->have_prev)
        sheet_real(wk, wr, C_HHI_CHANGE, k->hhi_change);
    sheet_text(wk, wr, C_MAKEUP, t.data);
    buf_release(&t);
}

void build_top(const struct series *s, const struct report_request *rq, struct report_doc *out)
{
    static const enum col_id ids[] = {C_WEEK,    C_DAYS,       C_HEAD,  C_RANK,  C_GROUP,
                                      C_COUNTRY, C_TOKENS,     C_SHARE, C_CUMUL, C_CR,
                                      C_HHI,     C_HHI_CHANGE, C_BAND};
    static const enum col_id week_ids[] = {C_WEEK, C_DAYS,       C_CR,    C_HHI,
                                           C_BAND, C_HHI_CHANGE, C_MAKEUP};
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    size_t *scratch = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*scratch));
    double last_hhi = 0; /* the HHI of week w - 1, when it has data */
    struct sheet sh, wk;
    struct ts_buf t = TS_BUF_INIT;
    char nbuf[32];

    sheet_start(&sh, &out->rows, ids, sizeof(ids) / sizeof(ids[0]), rq->by);
    sheet_blocks(&sh);
    sheet_start(&wk, &out->extra, week_ids, sizeof(week_ids) / sizeof(week_ids[0]), rq->by);
    for (size_t w = 1; w < s->nweeks; w++) {
        struct concentration k;
        size_t n, unused;
        if (s->days[w] == 0)
            continue;
        k.hhi = week_hhi(s, rq, w, idx, &n);
        k.shown = n < rq->top_n ? n : rq->top_n;
        k.cr = week_cr(s, rq, w, idx, n, k.shown);
        k.have_prev = s->days[w - 1] > 0;
        /* The week before inside the range had its HHI worked out last time round. */
        k.hhi_change = !k.have_prev ? 0
                       : w > 1      ? k.hhi - last_hhi
                                    : k.hhi - week_hhi(s, rq, w - 1, scratch, &unused);
        k.band = metrics_hhi_band_name(metrics_hhi_band(k.hhi));
        last_hhi = k.hhi;
        if (n > 0)
            top_week(s, w, rq, idx, &k, &sh, &wk, out);
    }
    free(idx);
    free(scratch);

    out->command = "top";
    params_weekly(out, rq, s->from + 7, s->to);
    snprintf(nbuf, sizeof(nbuf), "%zu", rq->top_n);
    doc_param_number(out, "n", nbuf);
    buf_printf(&t, "Top %zu %s by tokens, ", rq->top_n, rq->by == BY_VENDOR ? "vendors" : "models");
    title_range(&t, s->from + 7, s->to, rq);
    doc_set_title(out, t.data);
    buf_release(&t);
    out->extra_key = "weeks";
    out->extra_in_text = 0;
}
