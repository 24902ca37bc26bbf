/* reports.c - share, growth and top-N reports from a weekly series.
 *
 * Every report reads the series the same way: week 0 is the week before
 * the range (only a "previous week"), weeks 1.. are reported. Shares are
 * of the week's total tokens, the other bucket included unless excluded;
 * the other bucket is never ranked. Rows are ordered by week, then tokens
 * descending, then name, so output is deterministic. */
#include "report/reports.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "report/reports_impl.h"
#include "core/util.h"
#include "core/week.h"

/* Parameters every report shows in JSON, and the range words of titles. */
static void common_params(struct reports *r, const struct series *s,
                          const struct reports_spec *spec, struct ts_buf *range)
{
    rp_add_param(r, "by", group_by_name(spec->by));
    rp_add_param(r, "dataset", spec->dataset);
    rp_add_param(r, "other", spec->other_exclude ? "exclude" : "include");
    rp_add_date_param(r, "from", s->from + 7);
    rp_add_date_param(r, "to", s->to);
    reports_range(range, s->from + 7, s->to, spec);
}

/* The index of the other bucket in s, or -1. */
static long other_index(const struct series *s)
{
    for (size_t g = 0; g < s->ngroups; g++) {
        if (s->groups[g].is_other)
            return (long)g;
    }
    return -1;
}

/* The denominator of week w: its total, less the other bucket when excluded. */
static int64_t week_total(const struct series *s, long other, int exclude, size_t w)
{
    int64_t t = s->total[w];

    if (exclude && other >= 0)
        t -= s->groups[other].tokens[w];
    return t;
}

/* Orders idx[0..n), groups of s, by tokens in week w descending, then name. */
static void order_by_week(const struct series *s, size_t w, size_t *idx, size_t n)
{
    int64_t *tok = xmalloc((n ? n : 1) * sizeof(*tok));
    const char **names = xmalloc((n ? n : 1) * sizeof(*names));
    size_t *order = xmalloc((n ? n : 1) * sizeof(*order));
    size_t *picked = xmalloc((n ? n : 1) * sizeof(*picked));

    for (size_t i = 0; i < n; i++) {
        tok[i] = s->groups[idx[i]].tokens[w];
        names[i] = s->groups[idx[i]].name;
        picked[i] = idx[i];
    }
    metrics_rank(tok, names, n, order);
    for (size_t i = 0; i < n; i++)
        idx[i] = picked[order[i]];
    free(tok);
    free(names);
    free(order);
    free(picked);
}

/* The groups to show in week w (tokens > 0 in w, or in w-1 when with_prev),
 * the other bucket only when included, ordered by tokens in w descending,
 * then name. Returns how many; idx has room for s->ngroups. */
static size_t week_order(const struct series *s, size_t w, int exclude_other, int with_prev,
                         int ranked_only, size_t *idx)
{
    size_t n = 0;

    for (size_t g = 0; g < s->ngroups; g++) {
        const struct series_group *sg = &s->groups[g];
        if (sg->is_other && (exclude_other || ranked_only))
            continue;
        if (sg->tokens[w] <= 0 && !(with_prev && w > 0 && sg->tokens[w - 1] > 0))
            continue;
        idx[n++] = g;
    }
    order_by_week(s, w, idx, n);
    return n;
}

/* The block heading of week w of s. */
static void week_heading(const struct series *s, size_t w, char *buf, size_t n)
{
    rp_week_heading(s->from + (int32_t)(7 * w), s->days[w], buf, n);
}

int reports_share(const struct series *s, const struct reports_spec *spec, struct reports *out)
{
    static const enum col_id ids[] = {C_WEEK,    C_DAYS,   C_HEAD,  C_RANK,  C_GROUP,
                                      C_COUNTRY, C_TOKENS, C_SHARE, C_CHANGE};
    struct layout l;
    struct ts_buf range = TS_BUF_INIT;
    long other = other_index(s);
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    char head[64];

    memset(out, 0, sizeof(*out));
    rp_layout_make(&out->rows, out->cols, &l, ids, sizeof(ids) / sizeof(ids[0]), spec->by);
    out->rows.block_col = l.map[C_HEAD];
    out->rows.block_title = "%s";

    for (size_t w = 1; w < s->nweeks; w++) {
        if (s->days[w] == 0)
            continue;
        int64_t denom = week_total(s, other, spec->other_exclude, w);
        int64_t prev_denom = week_total(s, other, spec->other_exclude, w - 1);
        int have_prev = s->days[w - 1] > 0;
        size_t n = week_order(s, w, spec->other_exclude, 0, 0, idx);
        int64_t rank = 0;

        if (n == 0)
            continue;
        week_heading(s, w, head, sizeof(head));
        for (size_t i = 0; i < n; i++) {
            const struct series_group *g = &s->groups[idx[i]];
            size_t r = rowset_add(&out->rows);
            rp_set_int(&out->rows, &l, r, C_WEEK, s->from + (int32_t)(7 * w));
            rp_set_int(&out->rows, &l, r, C_DAYS, s->days[w]);
            rp_set_text(&out->rows, &l, r, C_HEAD, head);
            if (!g->is_other)
                rp_set_int(&out->rows, &l, r, C_RANK, ++rank);
            rp_set_text(&out->rows, &l, r, C_GROUP, g->name);
            rp_set_text(&out->rows, &l, r, C_COUNTRY, g->country);
            rp_set_int(&out->rows, &l, r, C_TOKENS, g->tokens[w]);
            double share = metrics_share(g->tokens[w], denom);
            rp_set_real(&out->rows, &l, r, C_SHARE, share);
            if (have_prev)
                rp_set_real(&out->rows, &l, r, C_CHANGE,
                            share - metrics_share(g->tokens[w - 1], prev_denom));
            out->nrows_data++;
        }
        size_t r = rowset_add(&out->rows);
        rowset_mark_total(&out->rows, r);
        rp_set_text(&out->rows, &l, r, C_HEAD, head);
        rp_set_text(&out->rows, &l, r, C_GROUP, "Total");
        rp_set_int(&out->rows, &l, r, C_TOKENS, denom);
        rp_set_real(&out->rows, &l, r, C_SHARE, denom > 0 ? 1.0 : 0.0);
    }
    free(idx);

    out->rep.command = "report";
    common_params(out, s, spec, &range);
    out->title = rp_format_title("Share of tokens", spec->by, &range);
    out->rep.title = out->title;
    out->rep.rows = &out->rows;
    buf_release(&range);
    return 0;
}

int reports_growth(const struct series *s, const struct reports_spec *spec, struct reports *out)
{
    static const enum col_id ids[] = {C_WEEK,    C_DAYS,   C_HEAD, C_GROUP,
                                      C_COUNTRY, C_TOKENS, C_PREV, C_GROWTH};
    static const enum col_id sum_ids[] = {C_GROUP,  C_COUNTRY, C_START, C_END,
                                          C_GROWTH, C_WEEKLY,  C_WEEKS};
    struct layout l, sl;
    struct ts_buf range = TS_BUF_INIT;
    long other = other_index(s);
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    size_t first = 1, last = s->nweeks - 1;
    int steps = (int)(last - first);
    char head[64];

    memset(out, 0, sizeof(*out));
    out->rep.command = "growth";
    common_params(out, s, spec, &range);
    out->title = rp_format_title("Week-over-week growth", spec->by, &range);
    out->rep.title = out->title;

    /* The summary over the range: first and last reported week. */
    struct rowset *sum = spec->summary_only ? &out->rows : &out->extra;
    struct rs_col *sum_cols = spec->summary_only ? out->cols : out->extra_cols;
    rp_layout_make(sum, sum_cols, &sl, sum_ids, sizeof(sum_ids) / sizeof(sum_ids[0]), spec->by);
    size_t n = 0;
    for (size_t g = 0; g < s->ngroups; g++) {
        const struct series_group *sg = &s->groups[g];
        int any = 0;
        for (size_t w = first; w <= last; w++)
            any |= sg->tokens[w] > 0;
        if ((sg->is_other && spec->other_exclude) || !any)
            continue;
        idx[n++] = g;
    }
    /* The summary is ordered by the last week's tokens, then name. */
    order_by_week(s, last, idx, n);
    for (size_t i = 0; i < n; i++) {
        const struct series_group *sg = &s->groups[idx[i]];
        size_t r = rowset_add(sum);
        double cg;
        rp_set_text(sum, &sl, r, C_GROUP, sg->name);
        rp_set_text(sum, &sl, r, C_COUNTRY, sg->country);
        rp_set_int(sum, &sl, r, C_START, sg->tokens[first]);
        rp_set_int(sum, &sl, r, C_END, sg->tokens[last]);
        rp_set_growth(sum, &sl, r, C_GROWTH, sg->tokens[last], sg->tokens[first]);
        if (metrics_compound_growth(sg->tokens[first], sg->tokens[last], steps, &cg) == 0)
            rp_set_real(sum, &sl, r, C_WEEKLY, cg);
        rp_set_int(sum, &sl, r, C_WEEKS, steps + 1);
        if (spec->summary_only)
            out->nrows_data++;
    }
    int64_t t0 = week_total(s, other, spec->other_exclude, first);
    int64_t t1 = week_total(s, other, spec->other_exclude, last);
    double tcg;
    size_t tr = rowset_add(sum);
    rowset_mark_total(sum, tr);
    rp_set_text(sum, &sl, tr, C_GROUP, "Total");
    rp_set_int(sum, &sl, tr, C_START, t0);
    rp_set_int(sum, &sl, tr, C_END, t1);
    rp_set_growth(sum, &sl, tr, C_GROWTH, t1, t0);
    if (metrics_compound_growth(t0, t1, steps, &tcg) == 0)
        rp_set_real(sum, &sl, tr, C_WEEKLY, tcg);
    rp_set_int(sum, &sl, tr, C_WEEKS, steps + 1);
    if (spec->summary_only) {
        out->rep.rows = &out->rows;
        free(idx);
        buf_release(&range);
        return 0;
    }

    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
    struct ts_buf et = TS_BUF_INIT;
    date_format(s->from + 7, a);
    date_format(s->to, b);
    buf_printf(&et, "From the week of %s to the week of %s (%d weekly %s)", a, b, steps,
               ts_plural(steps, "step", "steps"));
    out->extra_title = et.data;
    out->rep.extra = &out->extra;
    out->rep.extra_key = "summary";
    out->rep.extra_title = out->extra_title;
    out->rep.extra_in_text = 1;

    rp_layout_make(&out->rows, out->cols, &l, ids, sizeof(ids) / sizeof(ids[0]), spec->by);
    out->rows.block_col = l.map[C_HEAD];
    out->rows.block_title = "%s";
    for (size_t w = first; w <= last; w++) {
        /* The week before the range is only known when it has data; inside
         * the range a week without data counts as zero tokens. */
        int prev_known = w > first || s->days[w - 1] > 0;
        size_t k = week_order(s, w, spec->other_exclude, prev_known, 0, idx);

        week_heading(s, w, head, sizeof(head));
        for (size_t i = 0; i < k; i++) {
            const struct series_group *g = &s->groups[idx[i]];
            size_t r = rowset_add(&out->rows);
            rp_set_int(&out->rows, &l, r, C_WEEK, s->from + (int32_t)(7 * w));
            rp_set_int(&out->rows, &l, r, C_DAYS, s->days[w]);
            rp_set_text(&out->rows, &l, r, C_HEAD, head);
            rp_set_text(&out->rows, &l, r, C_GROUP, g->name);
            rp_set_text(&out->rows, &l, r, C_COUNTRY, g->country);
            rp_set_int(&out->rows, &l, r, C_TOKENS, g->tokens[w]);
            if (prev_known) {
                rp_set_int(&out->rows, &l, r, C_PREV, g->tokens[w - 1]);
                rp_set_growth(&out->rows, &l, r, C_GROWTH, g->tokens[w], g->tokens[w - 1]);
            }
            out->nrows_data++;
        }
        int64_t t = week_total(s, other, spec->other_exclude, w);
        int64_t tp = week_total(s, other, spec->other_exclude, w - 1);
        size_t r = rowset_add(&out->rows);
        rowset_mark_total(&out->rows, r);
        rp_set_text(&out->rows, &l, r, C_HEAD, head);
        rp_set_text(&out->rows, &l, r, C_GROUP, "Total");
        rp_set_int(&out->rows, &l, r, C_TOKENS, t);
        if (prev_known) {
            rp_set_int(&out->rows, &l, r, C_PREV, tp);
            rp_set_growth(&out->rows, &l, r, C_GROWTH, t, tp);
        }
    }
    out->rep.rows = &out->rows;
    free(idx);
    buf_release(&range);
    return 0;
}

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

/* The tokens of the ranked groups of week w, in rank order (idx gets
 * their groups); the caller frees the array. */
static int64_t *ranked_tokens(const struct series *s, int exclude, size_t w, size_t *idx, size_t *n)
{
    *n = week_order(s, w, exclude, 0, 1, idx);
    int64_t *tok = xmalloc((*n ? *n : 1) * sizeof(*tok));

    for (size_t i = 0; i < *n; i++)
        tok[i] = s->groups[idx[i]].tokens[w];
    return tok;
}

/* HHI of the ranked groups of week w (all of them, not only the top n). */
static double week_hhi(const struct series *s, long other, int exclude, size_t w, size_t *idx)
{
    size_t n;
    int64_t *tok = ranked_tokens(s, exclude, w, idx, &n);
    double h = metrics_hhi(tok, n, week_total(s, other, exclude, w));

    free(tok);
    return h;
}

int reports_top(const struct series *s, const struct reports_spec *spec, struct reports *out)
{
    static const enum col_id ids[] = {C_WEEK,    C_DAYS,       C_HEAD,  C_RANK,  C_GROUP,
                                      C_COUNTRY, C_TOKENS,     C_SHARE, C_CUMUL, C_CR,
                                      C_HHI,     C_HHI_CHANGE, C_BAND};
    static const enum col_id week_ids[] = {C_WEEK, C_DAYS,       C_CR,    C_HHI,
                                           C_BAND, C_HHI_CHANGE, C_MAKEUP};
    struct layout l, wl;
    struct ts_buf range = TS_BUF_INIT, t = TS_BUF_INIT, mk = TS_BUF_INIT;
    long other = other_index(s);
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    size_t *scratch = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*scratch));
    size_t topn = spec->top_n;
    double last_hhi = 0; /* the HHI of week w - 1, when it has data */
    char head[64];

    memset(out, 0, sizeof(*out));
    rp_layout_make(&out->rows, out->cols, &l, ids, sizeof(ids) / sizeof(ids[0]), spec->by);
    out->rows.block_col = l.map[C_HEAD];
    out->rows.block_title = "%s";
    rp_layout_make(&out->extra, out->extra_cols, &wl, week_ids,
                   sizeof(week_ids) / sizeof(week_ids[0]), spec->by);

    for (size_t w = 1; w < s->nweeks; w++) {
        if (s->days[w] == 0)
            continue;
        int64_t denom = week_total(s, other, spec->other_exclude, w);
        size_t n;
        int64_t *tok = ranked_tokens(s, spec->other_exclude, w, idx, &n);
        size_t shown = n < topn ? n : topn;
        double hhi = metrics_hhi(tok, n, denom);
        double cr = metrics_cr(tok, n, shown, denom);
        int have_prev = s->days[w - 1] > 0;
        /* The week before inside the range had its HHI worked out last time round. */
        double prev_hhi = !have_prev ? 0
                          : w > 1    ? last_hhi
                                     : week_hhi(s, other, spec->other_exclude, w - 1, scratch);
        const char *band = metrics_hhi_band_name(metrics_hhi_band(hhi));

        last_hhi = hhi;
        free(tok);
        if (n == 0)
            continue;
        week_heading(s, w, head, sizeof(head));

        int64_t cumul = 0;
        size_t r = 0;
        for (size_t i = 0; i < shown; i++) {
            const struct series_group *g = &s->groups[idx[i]];
            cumul += g->tokens[w];
            r = rowset_add(&out->rows);
            rp_set_int(&out->rows, &l, r, C_WEEK, s->from + (int32_t)(7 * w));
            rp_set_int(&out->rows, &l, r, C_DAYS, s->days[w]);
            rp_set_text(&out->rows, &l, r, C_HEAD, head);
            rp_set_int(&out->rows, &l, r, C_RANK, (int64_t)i + 1);
            rp_set_text(&out->rows, &l, r, C_GROUP, g->name);
            rp_set_text(&out->rows, &l, r, C_COUNTRY, g->country);
            rp_set_int(&out->rows, &l, r, C_TOKENS, g->tokens[w]);
            rp_set_real(&out->rows, &l, r, C_SHARE, metrics_share(g->tokens[w], denom));
            rp_set_real(&out->rows, &l, r, C_CUMUL, metrics_share(cumul, denom));
            rp_set_real(&out->rows, &l, r, C_CR, cr);
            rp_set_real(&out->rows, &l, r, C_HHI, hhi);
            if (have_prev)
                rp_set_real(&out->rows, &l, r, C_HHI_CHANGE, hhi - prev_hhi);
            rp_set_text(&out->rows, &l, r, C_BAND, band);
            out->nrows_data++;
        }

        /* Concentration, as notes under the week in text output. */
        char crs[32], hhis[48], ds[48];
        render_percent(cr, crs, sizeof(crs));
        render_points(hhi, 0, hhis, sizeof(hhis));
        buf_reset(&t);
        buf_printf(&t, "CR-%zu %s, HHI %s (%s)", shown, crs, hhis, band);
        if (have_prev) {
            double d = hhi - prev_hhi;
            render_points(fabs(d), 0, ds, sizeof(ds));
            if (strcmp(ds, "0") == 0)
                buf_printf(&t, ", unchanged from the week before");
            else
                buf_printf(&t, ", %s %s from the week before%s", d > 0 ? "up" : "down", ds,
                           metrics_hhi_change_significant(d) ? " (a significant change)" : "");
        }
        rowset_add_note(&out->rows, r, "%s", t.data);
        buf_reset(&mk);
        country_makeup(s, w, idx, shown, &mk);
        rowset_add_note(&out->rows, r, "Top %zu by country: %s", shown, mk.data);

        size_t wr = rowset_add(&out->extra);
        rp_set_int(&out->extra, &wl, wr, C_WEEK, s->from + (int32_t)(7 * w));
        rp_set_int(&out->extra, &wl, wr, C_DAYS, s->days[w]);
        rp_set_real(&out->extra, &wl, wr, C_CR, cr);
        rp_set_real(&out->extra, &wl, wr, C_HHI, hhi);
        rp_set_text(&out->extra, &wl, wr, C_BAND, band);
        if (have_prev)
            rp_set_real(&out->extra, &wl, wr, C_HHI_CHANGE, hhi - prev_hhi);
        rp_set_text(&out->extra, &wl, wr, C_MAKEUP, mk.data);
    }
    free(idx);
    free(scratch);

    out->rep.command = "top";
    common_params(out, s, spec, &range);
    char nbuf[32];
    snprintf(nbuf, sizeof(nbuf), "%zu", topn);
    rp_add_number_param(out, "n", nbuf);
    buf_reset(&t);
    buf_printf(&t, "Top %zu %s by tokens, %s", topn, spec->by == BY_VENDOR ? "vendors" : "models",
               range.data);
    out->title = xstrdup(t.data);
    out->rep.title = out->title;
    out->rep.rows = &out->rows;
    out->rep.extra = &out->extra;
    out->rep.extra_key = "weeks";
    out->rep.extra_in_text = 0;
    buf_release(&t);
    buf_release(&mk);
    buf_release(&range);
    return 0;
}

void reports_warn(struct reports *r, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (r->nwarnings >= REPORTS_MAX_WARNINGS)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *msg = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    r->warnings[r->nwarnings++] = msg;
}

void reports_release(struct reports *r)
{
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i]);
    rowset_release(&r->rows);
    rowset_release(&r->extra);
    free(r->title);
    free(r->extra_title);
    memset(r, 0, sizeof(*r));
}
