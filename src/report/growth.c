/* growth.c - tokstat growth: week-over-week growth per group and week, and
 * a summary per group over the range (total and compound weekly growth).
 * Growth is a number or nothing, never a word: what an empty or odd
 * number means is the row's status (new, gone, gap, partial). A partial
 * week grows like for like, on the weekdays both weeks have; next to a
 * gap there is no growth to give. */
#include <stdlib.h>

#include "core/metrics.h"
#include "core/week.h"
#include "shared.h"

/* One row of week w for group g (g < 0: the Total row). */
static void growth_row(const struct series *s, size_t w, const struct week_pair *p, long g,
                       const char *head, const struct report_request *rq, struct sheet *sh)
{
    int64_t cur, prev;
    size_t r;

    if (g >= 0) {
        r = sheet_group_row(sh, s, w, head, &s->groups[g]);
    } else {
        r = sheet_add(sh);
        rowset_mark_total(sh->rs, r);
        sheet_text(sh, r, C_HEAD, head);
        sheet_text(sh, r, C_GROUP, "Total");
        if (s->days[w] > 0)
            sheet_int(sh, r, C_TOKENS, series_total(s, series_other(s), rq->other_exclude, w));
    }
    /* The week before's tokens as compared: on the weekdays both weeks
     * have when like for like, so that growth is tokens / prev_tokens - 1
     * (and whole otherwise). */
    pair_tokens(s, p, g, w, rq->other_exclude, &cur, &prev);
    if (s->days[w - 1] > 0 && !p->incomparable)
        sheet_int(sh, r, C_PREV, prev);
    if (p->prev_known && !p->gap)
        sheet_growth(sh, r, C_GROWTH, cur, prev);
    pair_status(sh, r, p, cur, prev);
}

/* The rows of week w: each group with tokens in it or in the week before,
 * then the Total. */
static void growth_week(const struct series *s, size_t w, const struct report_request *rq,
                        size_t *idx, struct sheet *sh, struct report_doc *out)
{
    struct week_pair p;
    char head[256];

    week_pair_of(s, w, &p);
    size_t k = series_week_groups(s, w, rq->other_exclude, s->days[w - 1] > 0, 0, idx);
    series_heading(s, w, head, sizeof(head));
    for (size_t i = 0; i < k; i++) {
        growth_row(s, w, &p, (long)idx[i], head, rq, sh);
        out->nrows_data++;
    }
    growth_row(s, w, &p, -1, head, rq, sh);
}

/* The first and last week of the range compared: like for like when
 * their weekdays differ; neither may be a gap. */
static void ends_pair(const struct series *s, struct week_pair *p)
{
    size_t first = 1, last = s->nweeks - 1;

    p->gap = series_gap(s, first) || series_gap(s, last);
    p->prev_known = s->days[first] > 0 && s->days[last] > 0;
    p->incomparable = 0;
    p->cmp = NULL;
    if (p->prev_known && s->ends) {
        p->cmp = s->ends;
        if (s->ends->mask == 0) {
            p->cmp = NULL;
            p->prev_known = 0;
            p->incomparable = 1;
        }
    }
}

/* The tokens of group g (g < 0: the total) in the first and last week as
 * p compares them. */
static void ends_tokens(const struct series *s, const struct week_pair *p, long g, int exclude,
                        int64_t *first, int64_t *last)
{
    long other = series_other(s);
    size_t f = 1, l = s->nweeks - 1;

    if (p->cmp && g >= 0) {
        *first = p->cmp->prev[g];
        *last = p->cmp->cur[g];
    } else if (p->cmp) {
        *first = p->cmp->prev_total - (exclude && other >= 0 ? p->cmp->prev[other] : 0);
        *last = p->cmp->cur_total - (exclude && other >= 0 ? p->cmp->cur[other] : 0);
    } else if (g >= 0) {
        *first = s->groups[g].tokens[f];
        *last = s->groups[g].tokens[l];
    } else {
        *first = series_total(s, other, exclude, f);
        *last = series_total(s, other, exclude, l);
    }
}

/* One summary row: a group (g < 0: the Total). */
static void summary_row(const struct series *s, const struct week_pair *p, long g,
                        const struct report_request *rq, struct sheet *sh)
{
    size_t r = sheet_add(sh), f = 1, l = s->nweeks - 1;
    int steps = (int)(l - f);
    int64_t a, b;
    double cg;

    if (g >= 0) {
        sheet_text(sh, r, C_GROUP, s->groups[g].name);
        sheet_int(sh, r, C_APP_ID, s->groups[g].id);
        sheet_text(sh, r, C_COUNTRY, s->groups[g].country);
    } else {
        rowset_mark_total(sh->rs, r);
        sheet_text(sh, r, C_GROUP, "Total");
    }
    /* The two weeks' tokens as compared (on their common weekdays when
     * like for like), so that growth is end / start - 1. */
    ends_tokens(s, p, g, rq->other_exclude, &a, &b);
    if (s->days[f] > 0 && !p->incomparable)
        sheet_int(sh, r, C_START, a);
    if (s->days[l] > 0 && !p->incomparable)
        sheet_int(sh, r, C_END, b);
    sheet_int(sh, r, C_FIRST_WEEK, series_week(s, f));
    sheet_int(sh, r, C_FIRST_DAYS, s->days[f]);
    sheet_int(sh, r, C_LAST_WEEK, series_week(s, l));
    sheet_int(sh, r, C_LAST_DAYS, s->days[l]);
    if (p->prev_known && !p->gap) {
        sheet_growth(sh, r, C_GROWTH, b, a);
        if (metrics_compound_growth(a, b, steps, &cg) == 0)
            sheet_real(sh, r, C_WEEKLY, cg);
    }
    sheet_int(sh, r, C_WEEKS, steps + 1);
    pair_status(sh, r, p, b, a);
}

/* "the week of A (5 of 7 days)" for period w of s; a day without its days. */
static void summary_end(const struct series *s, size_t w, struct ts_buf *t)
{
    char name[40];

    period_phrase(s->unit, series_start(s, w), name, sizeof(name));
    buf_printf(t, "the %s", name);
    if (s->unit != PERIOD_DAY)
        buf_printf(t, " (%d of %d days)", s->days[w], series_length(s, w));
}

/* "From the week of A (5 of 7 days) to the week of B (7 of 7 days): 3
 * weekly steps", and how the two were compared. */
static char *summary_title(const struct series *s)
{
    size_t f = 1, l = s->nweeks - 1;
    int steps = (int)(l - f);
    char days[100];
    struct ts_buf t = TS_BUF_INIT;

    buf_adds(&t, "From ");
    summary_end(s, f, &t);
    buf_adds(&t, " to ");
    summary_end(s, l, &t);
    buf_printf(&t, ": %d %s %s", steps, period_unit_adjective(s->unit),
               ts_plural(steps, "step", "steps"));
    if (s->ends && s->ends->mask) {
        series_days_words(s, s->ends->mask, days, sizeof(days));
        buf_printf(&t, "; compared on %s of both (the tokens shown are those days')", days);
    } else if (s->ends) {
        buf_printf(&t, "; not compared: the two have no %s in common", series_day_word(s));
    }
    return t.data;
}

/* The title's first words: "Week-over-week growth", "Month-over-month
 * growth", "Day-over-day growth". */
static const char *growth_what(const struct series *s)
{
    switch (s->unit) {
    case PERIOD_MONTH:
        return "Month-over-month growth";
    case PERIOD_DAY:
        return "Day-over-day growth";
    case PERIOD_WEEK:
        break;
    }
    return "Week-over-week growth";
}

/* Whether any week of the range has data. */
static int range_has_data(const struct series *s)
{
    for (size_t w = 1; w < s->nweeks; w++)
        if (s->days[w] > 0)
            return 1;
    return 0;
}

/* The summary over the range, into rs: each group with tokens in it,
 * ordered by the last week's tokens, then name; then the Total. Returns
 * how many groups. */
static size_t summary(const struct series *s, const struct report_request *rq, size_t *idx,
                      struct rowset *rs)
{
    static const enum col_id ids[] = {
        C_GROUP, C_COUNTRY, C_FIRST_WEEK, C_FIRST_DAYS, C_LAST_WEEK, C_LAST_DAYS,     C_START,
        C_END,   C_GROWTH,  C_WEEKLY,     C_WEEKS,      C_STATUS,    C_COMPARED_DAYS, C_FLAG};
    size_t n = 0;
    struct week_pair p;
    struct sheet sh;

    sheet_start(&sh, rs, ids, sizeof(ids) / sizeof(ids[0]), rq->by);
    sheet_period(&sh, s->unit);
    if (!range_has_data(s))
        return 0; /* nothing to sum up: an empty result, not a Total of nothing */
    ends_pair(s, &p);
    for (size_t g = 0; g < s->ngroups; g++) {
        const struct series_group *sg = &s->groups[g];
        int any = 0;
        for (size_t w = 1; w < s->nweeks; w++)
            any |= sg->tokens[w] > 0;
        if ((sg->is_other && rq->other_exclude) || !any)
            continue;
        idx[n++] = g;
    }
    series_order(s, s->nweeks - 1, idx, n);
    for (size_t i = 0; i < n; i++)
        summary_row(s, &p, (long)idx[i], rq, &sh);
    summary_row(s, &p, -1, rq, &sh);
    char *how = summary_title(s);
    rowset_add_note(rs, rs->nrows - 1, "%s", how);
    free(how);
    return n;
}

static const enum col_id growth_ids[] = {C_WEEK,   C_DAYS,    C_COVERAGE,      C_HEAD,
                                         C_GROUP,  C_COUNTRY, C_TOKENS,        C_PREV,
                                         C_GROWTH, C_STATUS,  C_COMPARED_DAYS, C_FLAG};
#define GROWTH_NIDS (sizeof(growth_ids) / sizeof(growth_ids[0]))

void build_growth_begin(const struct series *s, const struct report_request *rq,
                        struct report_doc *out)
{
    size_t *idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    struct sheet sh;

    out->command = "growth";
    params_series(out, rq, s, 1);
    title_what_by(out, growth_what(s), s, 1, rq);
    if (rq->summary_only) {
        out->nrows_data = summary(s, rq, idx, &out->rows);
    } else {
        summary(s, rq, idx, doc_table(out, "summary", NULL, 1));
        sheet_start(&sh, &out->rows, growth_ids, GROWTH_NIDS, rq->by);
        sheet_period(&sh, s->unit);
        sheet_blocks(&sh);
    }
    free(idx);
}

void build_growth_weeks(const struct series *s, const struct report_request *rq, size_t w_from,
                        size_t w_to, struct report_doc *out)
{
    size_t end = range_has_data(s) ? s->nweeks : 1; /* no blocks of nothing but a Total */
    size_t *idx;
    struct sheet sh;

    if (rq->summary_only)
        return;
    idx = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof(*idx));
    sheet_attach(&sh, &out->rows, growth_ids, GROWTH_NIDS, rq->by);
    for (size_t w = w_from < 1 ? 1 : w_from; w < w_to && w < end; w++)
        growth_week(s, w, rq, idx, &sh, out);
    free(idx);
}

void build_growth(const struct series *s, const struct report_request *rq, struct report_doc *out)
{
    build_growth_begin(s, rq, out);
    build_growth_weeks(s, rq, 1, s->nweeks, out);
}
