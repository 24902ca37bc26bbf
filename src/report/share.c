/* share.c - tokstat report: each group's share of each week's tokens,
 * its rank and the change of its share on the week before. A group the
 * week before had and this week has not is shown at 0 (gone); a partial
 * week's change is taken like for like, on the weekdays both weeks have;
 * next to a gap there is no change to give. */
#include <stdlib.h>

#include "core/metrics.h"
#include "shared.h"

/* The change of group g's share (g < 0: none) between the weeks of p. */
static int share_change(const struct series *s, const struct week_pair *p, long g, size_t w,
                        int exclude, double *out)
{
    int64_t cur, prev, cur_all, prev_all;

    if (!p->prev_known || p->gap)
        return -1;
    pair_tokens(s, p, g, w, exclude, &cur, &prev);
    pair_tokens(s, p, -1, w, exclude, &cur_all, &prev_all);
    *out = metrics_share(cur, cur_all) - metrics_share(prev, prev_all);
    return 0;
}

/* The rows of week w: its groups and those of the week before (gone, at
 * 0), then a Total row. */
static void share_week(const struct series *s, size_t w, const struct report_request *rq,
                       size_t *idx, struct sheet *sh, struct report_doc *out)
{
    long other = series_other(s);
    int64_t denom = series_total(s, other, rq->other_exclude, w);
    struct week_pair p;
    int64_t rank = 0;
    char head[256];

    week_pair_of(s, w, &p);
    size_t n = series_week_groups(s, w, rq->other_exclude, p.prev_known, 0, idx);
    if (n == 0)
        return;
    series_heading(s, w, head, sizeof(head));
    for (size_t i = 0; i < n; i++) {
        const struct series_group *g = &s->groups[idx[i]];
        size_t r = sheet_group_row(sh, s, w, head, g);
        double change;
        int64_t cur, prev;
        if (!g->is_other && g->tokens[w] > 0)
            sheet_int(sh, r, C_RANK, ++rank);
        sheet_real(sh, r, C_SHARE, metrics_share(g->tokens[w], denom));
        if (share_change(s, &p, (long)idx[i], w, rq->other_exclude, &change) == 0)
            sheet_real(sh, r, C_CHANGE, change);
        pair_tokens(s, &p, (long)idx[i], w, rq->other_exclude, &cur, &prev);
        pair_status(sh, r, &p, cur, prev);
        out->nrows_data++;
    }
    size_t r = sheet_add(sh);
    rowset_mark_total(sh->rs, r);
    sheet_text(sh, r, C_HEAD, head);
    sheet_text(sh, r, C_GROUP, "Total");
    sheet_int(sh, r, C_TOKENS, denom);
    sheet_real(sh, r, C_SHARE, denom > 0 ? 1.0 : 0.0);
}

/* Whether every week of s with data lists only its top models. */
static int all_listed(const struct series *s, size_t from)
{
    int any = 0;

    for (size_t w = from; w < s->nweeks; w++) {
        if (s->days[w] > 0 && s->full[w])
            return 0;
        any |= s->days[w] > 0;
    }
    return any;
}

static const enum col_id share_ids[] = {C_WEEK,   C_DAYS,          C_COVERAGE, C_HEAD,  C_RANK,
                                        C_GROUP,  C_COUNTRY,       C_TOKENS,   C_SHARE, C_CHANGE,
                                        C_STATUS, C_COMPARED_DAYS, C_FLAG};
#define SHARE_NIDS (sizeof(share_ids) / sizeof(share_ids[0]))

void build_share_begin(const struct series *s, const struct report_request *rq,
                       struct report_doc *out)
{
    struct sheet sh;

    sheet_start(&sh, &out->rows, share_ids, SHARE_NIDS, rq->by);
    sheet_period(&sh, s->unit);
    sheet_blocks(&sh);
    out->command = "report";
    params_series(out, rq, s, 1);
    title_what_by(out,
                  rq->by == BY_APP   ? "Share of the listed apps' tokens"
                  : all_listed(s, 1) ? "Share of the listed models' tokens"
                                     : "Share of tokens",
                  s, 1, rq);
}

void build_share_weeks(const struct series *s, const struct report_request *rq, size_t w_from,
                       size_t w_to, struct report_doc *out)
{
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    struct sheet sh;

    sheet_attach(&sh, &out->rows, share_ids, SHARE_NIDS, rq->by);
    for (size_t w = w_from < 1 ? 1 : w_from; w < w_to && w < s->nweeks; w++) {
        if (s->days[w] > 0)
            share_week(s, w, rq, idx, &sh, out);
    }
    free(idx);
}

void build_share(const struct series *s, const struct report_request *rq, struct report_doc *out)
{
    build_share_begin(s, rq, out);
    build_share_weeks(s, rq, 1, s->nweeks, out);
}
