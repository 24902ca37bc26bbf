/* growth.c - tokstat growth: week-over-week growth per group and week, and
 * a summary per group over the range (total and compound weekly growth). */
#include <stdlib.h>

#include "core/metrics.h"
#include "core/week.h"
#include "shared.h"

/* One summary row: first and last reported week of a group (or of the
 * Total, g NULL, with tokens t0 and t1). */
static void summary_row(struct sheet *sh, const struct series_group *g, int64_t t0, int64_t t1,
                        int steps)
{
    size_t r = sheet_add(sh);
    double cg;

    if (g) {
        sheet_text(sh, r, C_GROUP, g->name);
        sheet_text(sh, r, C_COUNTRY, g->country);
    } else {
        rowset_mark_total(sh->rs, r);
        sheet_text(sh, r, C_GROUP, "Total");
    }
    sheet_int(sh, r, C_START, t0);
    sheet_int(sh, r, C_END, t1);
    sheet_growth(sh, r, C_GROWTH, t1, t0);
    if (metrics_compound_growth(t0, t1, steps, &cg) == 0)
        sheet_real(sh, r, C_WEEKLY, cg);
    sheet_int(sh, r, C_WEEKS, steps + 1);
}

/* The summary over the range, into rs: each group with tokens in it,
 * ordered by the last week's tokens, then name; then the Total. Returns
 * how many groups. */
static size_t summary(const struct series *s, const struct report_request *rq, size_t *idx,
                      struct rowset *rs)
{
    static const enum col_id ids[] = {C_GROUP,  C_COUNTRY, C_START, C_END,
                                      C_GROWTH, C_WEEKLY,  C_WEEKS};
    size_t first = 1, last = s->nweeks - 1, n = 0;
    int steps = (int)(last - first);
    long other = series_other(s);
    struct sheet sh;

    sheet_start(&sh, rs, ids, sizeof(ids) / sizeof(ids[0]), rq->by);
    for (size_t g = 0; g < s->ngroups; g++) {
        const struct series_group *sg = &s->groups[g];
        int any = 0;
        for (size_t w = first; w <= last; w++)
            any |= sg->tokens[w] > 0;
        if ((sg->is_other && rq->other_exclude) || !any)
            continue;
        idx[n++] = g;
    }
    series_order(s, last, idx, n);
    for (size_t i = 0; i < n; i++) {
        const struct series_group *sg = &s->groups[idx[i]];
        summary_row(&sh, sg, sg->tokens[first], sg->tokens[last], steps);
    }
    summary_row(&sh, NULL, series_total(s, other, rq->other_exclude, first),
                series_total(s, other, rq->other_exclude, last), steps);
    return n;
}

/* The rows of week w: its groups (and those of the week before, at 0),
 * then a Total row. The week before the range is only known when it has
 * data; inside the range a week without data counts as zero tokens. */
static void growth_week(const struct series *s, size_t w, const struct report_request *rq,
                        size_t *idx, struct sheet *sh, struct report_doc *out)
{
    long other = series_other(s);
    int prev_known = w > 1 || s->days[w - 1] > 0;
    size_t k = series_week_groups(s, w, rq->other_exclude, prev_known, 0, idx);
    char head[64];

    week_heading(series_week(s, w), s->days[w], head, sizeof(head));
    for (size_t i = 0; i < k; i++) {
        const struct series_group *g = &s->groups[idx[i]];
        size_t r = sheet_group_row(sh, s, w, head, g);
        if (prev_known) {
            sheet_int(sh, r, C_PREV, g->tokens[w - 1]);
            sheet_growth(sh, r, C_GROWTH, g->tokens[w], g->tokens[w - 1]);
        }
        out->nrows_data++;
    }
    int64_t t = series_total(s, other, rq->other_exclude, w);
    int64_t tp = series_total(s, other, rq->other_exclude, w - 1);
    size_t r = sheet_add(sh);
    rowset_mark_total(sh->rs, r);
    sheet_text(sh, r, C_HEAD, head);
    sheet_text(sh, r, C_GROUP, "Total");
    sheet_int(sh, r, C_TOKENS, t);
    if (prev_known) {
        sheet_int(sh, r, C_PREV, tp);
        sheet_growth(sh, r, C_GROWTH, t, tp);
    }
}

void build_growth(const struct series *s, const struct report_request *rq, struct report_doc *out)
{
    static const enum col_id ids[] = {C_WEEK,    C_DAYS,   C_HEAD, C_GROUP,
                                      C_COUNTRY, C_TOKENS, C_PREV, C_GROWTH};
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    int steps = (int)(s->nweeks - 2);
    struct sheet sh;

    out->command = "growth";
    params_weekly(out, rq, s->from + 7, s->to);
    title_what_by(out, "Week-over-week growth", s->from + 7, s->to, rq);
    if (rq->summary_only) {
        out->nrows_data = summary(s, rq, idx, &out->rows);
        free(idx);
        return;
    }
    summary(s, rq, idx, &out->extra);
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
    struct ts_buf et = TS_BUF_INIT;
    date_format(s->from + 7, a);
    date_format(s->to, b);
    buf_printf(&et, "From the week of %s to the week of %s (%d weekly %s)", a, b, steps,
               ts_plural(steps, "step", "steps"));
    out->extra_title = et.data;
    out->extra_key = "summary";
    out->extra_in_text = 1;

    sheet_start(&sh, &out->rows, ids, sizeof(ids) / sizeof(ids[0]), rq->by);
    sheet_blocks(&sh);
    for (size_t w = 1; w < s->nweeks; w++)
        growth_week(s, w, rq, idx, &sh, out);
    free(idx);
}
