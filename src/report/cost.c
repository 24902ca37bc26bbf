/* cost.c - tokstat cost: estimated spend per period (week, month or day)
 * and group, and the usage-weighted price per million tokens.
 *
 * Spend is prompt tokens x input price + completion tokens x output
 * price, with each model's price of that period (valid by its last day),
 * summed as doubles (a week's spend can pass 2^63 pico-dollars). Where a dump gives only total
 * tokens (or prompt = completion = 0: no split), a prompt share splits
 * them; where the split's sum is not the total, its proportions split the
 * total. Models without a price are never costed at $0: they are counted
 * apart and named in a warning; a :free variant costs 0. Prices from long
 * before the period or of another dated version, and splits more than 1 %
 * off their total, are named in warnings. The other bucket has no price
 * by nature and is left out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "shared.h"

#define DEFAULT_PROMPT_SHARE 0.9

/* The prompt and completion tokens of u's rows that give a split: their
 * sums when those add up to the rows' total, else the split's proportions
 * applied to the total, and named in off when more than 1 % off. The
 * roll-up keeps the sums of a model's week, so a week of daily rows is
 * judged as a whole (the import names each row that is off). */
static void split_of(const struct usage_row *u, double *prompt, double *completion,
                     struct name_set *off)
{
    double ratio;

    *prompt = (double)u->prompt;
    *completion = (double)u->completion;
    if (u->split_tokens <= 0 || u->prompt == u->split_tokens - u->completion)
        return;
    if (price_split_off(u->split_tokens, u->prompt, u->completion, &ratio))
        name_set_add_detail(off, u->slug, "%.2fx", ratio);
    double sum = *prompt + *completion;
    if (sum > 0) {
        *prompt = (double)u->split_tokens * (*prompt / sum);
        *completion = (double)u->split_tokens - *prompt;
    }
}

/* The tokens of u into the group g and the total: every count checked
 * against 2^63 (tokens of a week the import refused cannot come from an
 * import, but may from a database written otherwise). */
static int add_counts(struct group_sum *g, struct group_sum *total, const struct usage_row *u,
                      int priced, int64_t rest)
{
    if (u->tokens < 0 || metrics_add(&g->tokens, u->tokens) < 0 ||
        metrics_add(&total->tokens, u->tokens) < 0)
        return -1;
    if (!priced)
        return metrics_add(&g->unpriced, u->tokens) < 0 ||
                       metrics_add(&total->unpriced, u->tokens) < 0
                   ? -1
                   : 0;
    if (metrics_add(&g->estimated, rest) < 0 || metrics_add(&total->estimated, rest) < 0 ||
        metrics_add(&g->priced, u->tokens) < 0 || metrics_add(&total->priced, u->tokens) < 0)
        return -1;
    return 0;
}

/* The usage rows [i, *end) of one period, summed per group into gs and in
 * total; share splits the tokens that have no split of their own. Returns
 * 0, or -1 with err filled when a sum would reach 2^63. */
static int sum_period(const struct priced_usage *in, const struct report_request *rq, size_t i,
                      double share, struct group_sums *gs, struct group_sum *total, size_t *end,
                      struct price_notes *notes, struct name_set *off, struct ts_err *err)
{
    int32_t start = in->rows[i].week;

    for (; i < in->nrows && in->rows[i].week == start; i++) {
        const struct usage_row *u = &in->rows[i];
        struct price_quote q;
        if (strcmp(u->slug, "other") == 0)
            continue;
        struct group_sum *g = group_sums_get(gs, usage_group(u, rq->by), u->country, rq->by);
        price_book_quote(in->book, u->slug, in->unit, start, &q);
        price_notes_add(notes, in->book, u->slug, &q);
        /* The rows with a split by it; the rest split by share. */
        int64_t rest =
            u->split_tokens >= 0 && u->split_tokens <= u->tokens ? u->tokens - u->split_tokens : 0;
        if (add_counts(g, total, u, q.how != PRICE_NONE, rest) < 0)
            return metrics_period_overflow(err, in->unit, start);
        if (q.how == PRICE_NONE)
            continue;
        double sp, sc;
        split_of(u, &sp, &sc, off);
        double p = (double)rest * share; /* never above rest: no llround past 2^63 */
        int64_t prompt = p >= (double)rest ? rest : llround(p);
        int64_t completion = rest - prompt;
        double spend = (sp + (double)prompt) * (double)q.prompt +
                       (sc + (double)completion) * (double)q.completion;
        g->spend += spend;
        total->spend += spend;
    }
    *end = i;
    return 0;
}

/* The rows of one period: its groups by tokens, then a Total row. */
static void cost_rows(const struct group_sums *gs, const struct group_sum *total,
                      enum period_unit unit, int32_t start, int days, struct sheet *sh,
                      struct report_doc *out)
{
    size_t *order = xmalloc((gs->n ? gs->n : 1) * sizeof(*order));
    char head[64];

    period_heading(unit, start, days, head, sizeof(head));
    group_sums_order(gs, 0, order);
    for (size_t k = 0; k <= gs->n; k++) {
        const struct group_sum *g = k < gs->n ? &gs->g[order[k]] : total;
        size_t r = sheet_add(sh);
        if (k == gs->n) {
            rowset_mark_total(sh->rs, r);
            sheet_text(sh, r, C_GROUP, "Total");
        } else {
            sheet_int(sh, r, C_WEEK, start);
            sheet_int(sh, r, C_DAYS, days);
            sheet_text(sh, r, C_GROUP, g->name);
            sheet_text(sh, r, C_COUNTRY, g->country);
            out->nrows_data++;
        }
        sheet_text(sh, r, C_HEAD, head);
        sheet_int(sh, r, C_TOKENS, g->tokens);
        if (g->priced > 0) { /* no spend at all, rather than $0, when nothing is priced */
            sheet_real(sh, r, C_SPEND, g->spend / 1e12);
            sheet_real(sh, r, C_USD_PER_M, g->spend / 1e12 / (double)g->priced * 1e6);
        }
        sheet_int(sh, r, C_UNPRICED, g->unpriced);
        sheet_int(sh, r, C_ESTIMATED, g->estimated);
    }
    free(order);
}

/* The title says where the prompt share comes from. */
static void cost_title(const struct priced_usage *in, const struct report_request *rq, double share,
                       struct report_doc *out)
{
    struct ts_buf t = TS_BUF_INIT;

    buf_printf(&t, "Estimated spend by %s, ", group_by_name(rq->by));
    title_periods(&t, in->unit, in->from, in->to, rq);
    buf_printf(&t,
               "; where a dump gives only total tokens, %.1f %% are taken as prompt tokens (%s)",
               share * 100.0,
               rq->prompt_share >= 0  ? "--prompt-share"
               : in->data_share_found ? "the share in this dataset's rows that have a split"
                                      : "the default; no row of the dataset has a split");
    doc_set_title(out, t.data);
    buf_release(&t);
}

int build_cost(const struct priced_usage *in, const struct report_request *rq,
               struct report_doc *out, struct ts_err *err)
{
    static const enum col_id ids[] = {C_WEEK,   C_DAYS,  C_HEAD,      C_GROUP,    C_COUNTRY,
                                      C_TOKENS, C_SPEND, C_USD_PER_M, C_UNPRICED, C_ESTIMATED};
    struct price_notes notes = PRICE_NOTES_INIT(in->unit);
    struct name_set off = NAME_SET_INIT;
    double share = rq->prompt_share >= 0  ? rq->prompt_share
                   : in->data_share_found ? in->data_share
                                          : DEFAULT_PROMPT_SHARE;
    char share_text[32];
    struct sheet sh;
    int rc = 0;

    sheet_start(&sh, &out->rows, ids, sizeof(ids) / sizeof(ids[0]), rq->by);
    sheet_period(&sh, in->unit);
    sheet_blocks(&sh);
    for (size_t i = 0, end = in->nrows; rc == 0 && i < in->nrows; i = end) {
        struct group_sums gs = GROUP_SUMS_INIT;
        struct group_sum total;
        memset(&total, 0, sizeof(total));
        rc = sum_period(in, rq, i, share, &gs, &total, &end, &notes, &off, err);
        if (rc == 0)
            cost_rows(&gs, &total, in->unit, in->rows[i].week, usage_days(in, in->rows[i].week),
                      &sh, out);
        group_sums_release(&gs);
    }

    out->command = "cost";
    doc_param(out, "by", group_by_name(rq->by));
    if (in->unit != PERIOD_WEEK) /* weeks, the default, as before there were others */
        doc_param(out, "period", period_unit_name(in->unit));
    doc_param(out, "dataset", rq->dataset);
    doc_param_date(out, "from", in->from);
    doc_param_date(out, "to", in->to);
    snprintf(share_text, sizeof(share_text), "%.6f", share);
    doc_param_number(out, "prompt_share", share_text);
    cost_title(in, rq, share, out);
    price_notes_warn(&notes, out);
    warn_models(out, WARN_SPLIT_OFF, in->unit, &off);
    name_set_release(&off);
    return rc;
}
