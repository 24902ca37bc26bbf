/* top_apps.c - the top N apps of one week, as the dashboard shows them:
 * each with its tokens, its share of the listed apps' tokens (app
 * rankings list the top apps only, with no other bucket: never a share of
 * the market), and its growth on the week before with the status growth
 * gives (new, gap); then the apps of the week before's top N that are not
 * listed at all this week (gone). */
#include <stdlib.h>

#include "core/metrics.h"
#include "shared.h"

/* The row of app g of week w (rank 0: none), compared with the week
 * before as p says. */
static void app_row(const struct series *s, size_t w, const struct week_pair *p, size_t g,
                    int64_t rank, const char *head, struct sheet *sh)
{
    int64_t cur, prev;
    size_t r = sheet_group_row(sh, s, w, head, &s->groups[g]);

    if (rank > 0)
        sheet_int(sh, r, C_RANK, rank);
    sheet_real(sh, r, C_SHARE, metrics_share(s->groups[g].tokens[w], s->total[w]));
    pair_tokens(s, p, (long)g, w, 0, &cur, &prev);
    if (s->days[w - 1] > 0 && !p->incomparable)
        sheet_int(sh, r, C_PREV, prev);
    if (p->prev_known && !p->gap)
        sheet_growth(sh, r, C_GROWTH, cur, prev);
    pair_status(sh, r, p, cur, prev);
}

int build_top_apps(const struct series *s, const struct report_request *rq, struct report_doc *out,
                   struct ts_err *err)
{
    static const enum col_id ids[] = {C_WEEK,   C_DAYS,  C_COVERAGE, C_HEAD,   C_RANK,  C_GROUP,
                                      C_TOKENS, C_SHARE, C_PREV,     C_GROWTH, C_STATUS};
    struct sheet sh;
    struct week_pair p;
    struct ts_buf t = TS_BUF_INIT;
    char head[256];

    /* The sums below (of some apps in a week) stay below 2^63 when each
     * week's sum of all apps does. */
    if (series_check(s, err) < 0)
        return -1;
    sheet_start(&sh, &out->rows, ids, sizeof(ids) / sizeof(ids[0]), BY_APP);
    out->command = "top";
    buf_printf(&t, "Top %zu apps by tokens, ", rq->top_n);
    title_series(&t, s, s->nweeks - 1, rq);
    doc_set_title(out, t.data);
    buf_release(&t);
    if (s->nweeks < 2 || s->days[s->nweeks - 1] == 0)
        return 0;

    size_t w = s->nweeks - 1, *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    week_pair_of(s, w, &p);
    series_heading(s, w, head, sizeof(head));
    size_t n = series_week_groups(s, w, 0, 0, 1, idx);
    for (size_t i = 0; i < n && i < rq->top_n; i++) {
        app_row(s, w, &p, idx[i], (int64_t)i + 1, head, &sh);
        out->nrows_data++;
    }
    /* The week before's top N that this week does not list: gone. */
    n = series_week_groups(s, w - 1, 0, 0, 1, idx);
    for (size_t i = 0; i < n && i < rq->top_n; i++) {
        if (s->groups[idx[i]].tokens[w] > 0)
            continue;
        app_row(s, w, &p, idx[i], 0, head, &sh);
        out->nrows_data++;
    }
    free(idx);
    return 0;
}
