/* prices.c - tokstat prices: the price per million tokens of each model
 * in use in a week (or the usage-weighted average of a vendor's or a
 * country's models), and how many times dearer a reference model is.
 *
 * Prices are kept exactly as pico-dollars per token; a price per million
 * tokens is that divided by 1e6. Models without a price are never priced
 * at $0: they are named in a warning. The other bucket has no price. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vendors.h"
#include "core/week.h"
#include "shared.h"

/* The price of the reference model rq->vs in the week to: *model gets its
 * name as the book has it. Returns NULL with err set when it has no price,
 * or is free that week. */
static const struct price_row *reference(const struct price_book *book, int32_t to,
                                         const struct report_request *rq, const char **model,
                                         struct report_doc *out, struct ts_err *err)
{
    struct ts_buf slug = TS_BUF_INIT, vendor = TS_BUF_INIT;
    const struct price_row *ref = NULL;
    long m = -1;
    int later = 0;

    /* Named as a slug: the vendor's case does not matter. */
    if (model_normalize(rq->vs, strlen(rq->vs), &slug, &vendor, err) == 0)
        m = price_book_find(book, slug.data);
    buf_release(&slug);
    buf_release(&vendor);
    if (m >= 0) {
        ref = price_book_at(book, m, to, &later);
        *model = book->models[m].model;
    }
    if (ref && later)
        doc_warn(out, "%s (--vs) priced with its earliest price, from after the week", *model);
    if (ref && (ref->prompt == 0 || ref->completion == 0)) {
        ts_err_set(err, "'%s' is free that week (expected a priced model to compare with)", rq->vs);
        return NULL;
    }
    if (!ref || ref->prompt == TS_ABSENT || ref->completion == TS_ABSENT) {
        ts_err_set(err,
                   "no price for '%s' (expected a model of the imported catalogue or "
                   "snapshots, e.g. anthropic/claude-opus-4.6)",
                   rq->vs);
        return NULL;
    }
    return ref;
}

/* Sums the week's usage per group: priced tokens and token-weighted
 * prices; names the models without a price and those priced from after
 * the week. */
static void sum_week(const struct priced_usage *in, const struct report_request *rq,
                     struct group_sums *gs, struct name_set *unpriced, struct name_set *later)
{
    for (size_t i = 0; i < in->nrows; i++) {
        const struct usage_row *u = &in->rows[i];
        int after;
        if (strcmp(u->slug, "other") == 0)
            continue;
        const struct price_row *p = usage_price(in->book, u->slug, in->to, &after);
        if (!p) {
            name_set_add(unpriced, u->slug);
            continue;
        }
        if (after)
            name_set_add(later, u->slug);
        struct group_sum *g = group_sums_get(gs, usage_group(u, rq->by), u->country);
        g->tokens += u->tokens;
        g->priced += u->tokens;
        g->models++;
        g->in_weighted += (double)u->tokens * per_million(p->prompt);
        g->out_weighted += (double)u->tokens * per_million(p->completion);
        g->price_from = p->valid_from; /* by model, the group is the model */
        g->snapshot = p->snapshot;
    }
}

/* One row per group, by priced tokens descending, then name. */
static void price_rows(const struct group_sums *gs, const struct price_row *ref, int32_t week,
                       int days, enum group_by by, struct sheet *sh, struct report_doc *out)
{
    size_t *order = xmalloc((gs->n ? gs->n : 1) * sizeof(*order));

    group_sums_order(gs, 1, order);
    for (size_t k = 0; k < gs->n; k++) {
        const struct group_sum *g = &gs->g[order[k]];
        size_t r = sheet_add(sh);
        double pin = g->priced ? g->in_weighted / (double)g->priced : 0;
        double pout = g->priced ? g->out_weighted / (double)g->priced : 0;
        sheet_text(sh, r, C_GROUP, g->name);
        sheet_text(sh, r, C_COUNTRY, g->country);
        sheet_int(sh, r, C_WEEK, week);
        sheet_int(sh, r, C_DAYS, days);
        sheet_int(sh, r, C_MODELS, g->models);
        sheet_int(sh, r, C_TOKENS, g->tokens);
        sheet_int(sh, r, C_PRICED, g->priced);
        sheet_real(sh, r, C_INPUT, pin);
        sheet_real(sh, r, C_OUTPUT, pout);
        if (ref && pin > 0)
            sheet_real(sh, r, C_INPUT_RATIO, per_million(ref->prompt) / pin);
        if (ref && pout > 0)
            sheet_real(sh, r, C_OUTPUT_RATIO, per_million(ref->completion) / pout);
        if (by == BY_MODEL) {
            sheet_int(sh, r, C_PRICE_FROM, g->price_from);
            sheet_text(sh, r, C_SOURCE, g->snapshot ? "snapshot" : "catalogue");
        }
        out->nrows_data++;
    }
    free(order);
}

/* "Prices per million tokens[, usage-weighted by G], week of D[ (partial:
 * N of 7 days)] (dataset NAME)[; vs = ...]". */
static void price_title(const struct report_request *rq, int32_t week, int days,
                        const char *ref_model, const struct price_row *ref, struct report_doc *out)
{
    struct ts_buf t = TS_BUF_INIT;
    char day[TS_DATE_LEN + 1];

    date_format(week, day);
    buf_printf(&t, "Prices per million tokens%s%s, week of %s",
               rq->by == BY_MODEL ? "" : ", usage-weighted by ",
               rq->by == BY_MODEL ? "" : group_by_name(rq->by), day);
    if (days > 0 && days < 7)
        buf_printf(&t, " (partial: %d of 7 days)", days);
    buf_printf(&t, " (dataset %s)", rq->dataset);
    if (ref)
        buf_printf(&t, "; vs = the price of %s ($%.2f in, $%.2f out) divided by each price",
                   ref_model, per_million(ref->prompt), per_million(ref->completion));
    doc_set_title(out, t.data);
    buf_release(&t);
}

int build_prices(const struct priced_usage *in, const struct report_request *rq,
                 struct report_doc *out, struct ts_err *err)
{
    static const enum col_id model_ids[] = {C_WEEK,         C_DAYS,       C_GROUP,  C_COUNTRY,
                                            C_TOKENS,       C_INPUT,      C_OUTPUT, C_INPUT_RATIO,
                                            C_OUTPUT_RATIO, C_PRICE_FROM, C_SOURCE};
    /* By group, the tokens are those of the group's priced models. */
    static const enum col_id group_ids[] = {C_WEEK,        C_DAYS,        C_GROUP, C_COUNTRY,
                                            C_MODELS,      C_PRICED,      C_INPUT, C_OUTPUT,
                                            C_INPUT_RATIO, C_OUTPUT_RATIO};
    struct group_sums gs = GROUP_SUMS_INIT;
    struct name_set unpriced = NAME_SET_INIT, later = NAME_SET_INIT;
    const struct price_row *ref = NULL;
    const char *ref_model = NULL;
    int days = usage_days(in, in->to);
    struct sheet sh;

    if (rq->vs && !(ref = reference(in->book, in->to, rq, &ref_model, out, err)))
        return -1;
    if (rq->by == BY_MODEL)
        sheet_start(&sh, &out->rows, model_ids, sizeof(model_ids) / sizeof(model_ids[0]), rq->by);
    else
        sheet_start(&sh, &out->rows, group_ids, sizeof(group_ids) / sizeof(group_ids[0]), rq->by);
    sum_week(in, rq, &gs, &unpriced, &later);
    price_rows(&gs, ref, in->to, days, rq->by, &sh, out);

    out->command = "prices";
    doc_param(out, "by", group_by_name(rq->by));
    doc_param(out, "dataset", rq->dataset);
    doc_param_date(out, "week", in->to);
    doc_param(out, "vs", ref_model);
    price_title(rq, in->to, days, ref_model, ref, out);
    warn_models(out, 0, &unpriced);
    warn_models(out, 1, &later);
    group_sums_release(&gs);
    name_set_release(&unpriced);
    name_set_release(&later);
    return 0;
}
