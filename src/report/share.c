/* share.c - tokstat report: each group's share of each week's tokens,
 * its rank and the change of its share on the week before. */
#include <stdlib.h>

#include "core/metrics.h"
#include "shared.h"

/* The rows of week w: its groups, then a Total row. */
static void share_week(const struct series *s, size_t w, const struct report_request *rq,
                       size_t *idx, struct sheet *sh, struct report_doc *out)
{
    long other = series_other(s);
    int64_t denom = series_total(s, other, rq->other_exclude, w);
    int64_t prev_denom = series_total(s, other, rq->other_exclude, w - 1);
    int have_prev = s->days[w - 1] > 0;
    size_t n = series_week_groups(s, w, rq->other_exclude, 0, 0, idx);
    int64_t rank = 0;
    char head[64];

    if (n == 0)
        return;
    week_heading(series_week(s, w), s->days[w], head, sizeof(head));
    for (size_t i = 0; i < n; i++) {
        const struct series_group *g = &s->groups[idx[i]];
        size_t r = sheet_group_row(sh, s, w, head, g);
        if (!g->is_other)
            sheet_int(sh, r, C_RANK, ++rank);
        double share = metrics_share(g->tokens[w], denom);
        sheet_real(sh, r, C_SHARE, share);
        if (have_prev)
            sheet_real(sh, r, C_CHANGE, share - metrics_share(g->tokens[w - 1], prev_denom));
        out->nrows_data++;
    }
    size_t r = sheet_add(sh);
    rowset_mark_total(sh->rs, r);
    sheet_text(sh, r, C_HEAD, head);
    sheet_text(sh, r, C_GROUP, "Total");
    sheet_int(sh, r, C_TOKENS, denom);
    sheet_real(sh, r, C_SHARE, denom > 0 ? 1.0 : 0.0);
}

void build_share(const struct series *s, const struct report_request *rq, struct report_doc *out)
{
    static const enum col_id ids[] = {C_WEEK,    C_DAYS,   C_HEAD,  C_RANK,  C_GROUP,
                                      C_COUNTRY, C_TOKENS, C_SHARE, C_CHANGE};
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    struct sheet sh;

    sheet_start(&sh, &out->rows, ids, sizeof(ids) / sizeof(ids[0]), rq->by);
    sheet_blocks(&sh);
    for (size_t w = 1; w < s->nweeks; w++) {
        if (s->days[w] > 0)
            share_week(s, w, rq, idx, &sh, out);
    }
    free(idx);
    out->command = "report";
    params_weekly(out, rq, s->from + 7, s->to);
    title_what_by(out, "Share of tokens", s->from + 7, s->to, rq);
}
