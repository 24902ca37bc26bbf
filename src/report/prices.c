/* prices.c - tokstat prices: the price per million tokens of each model
 * in use in a period (a week, a month or a day; or the usage-weighted
 * average of a vendor's or a country's models), and how many times dearer
 * a reference model is. A model's price in a period is its latest price
 * valid by the period's last day.
 *
 * Prices are kept exactly as pico-dollars per token; a price per million
 * tokens is that divided by 1e6. Models without a price are never priced
 * at $0: they are named in a warning. A :free variant is priced at 0. The
 * other bucket has no price. Every row by model says where its price
 * comes from: the day it is valid from, its source, the slug it matched
 * and how, and its age. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/vendors.h"
#include "core/week.h"
#include "shared.h"

/* The price --vs compares with. */
struct vs_ref {
    const char *model;    /* the slug whose price it is */
    struct price_quote q; /* that price */
    const char *match;    /* how the name found it: catalogue, exact, undated, base, loose */
};

/* "a, b, c and 2 more" of the first n of names into b. */
static void list_names(struct ts_buf *b, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n && i < 5; i++)
        buf_printf(b, "%s%s", i ? ", " : "", names[i]);
    if (n > 5)
        buf_printf(b, " and %zu more", n - 5);
}

/* Whether q is a price to compare with: both halves above 0. */
static int comparable(const struct price_quote *q)
{
    return q->how != PRICE_NONE && q->prompt > 0 && q->completion > 0;
}

/* The error for a name (as shown) with no price of its own: the usage
 * slugs of the week that have its words (likes[0..nlikes), npriced of them
 * first and priced), else a model that has a price that week. */
static int no_reference(const struct priced_usage *in, const char *name, const char *const *likes,
                        size_t nlikes, size_t npriced, struct ts_err *err)
{
    struct ts_buf b = TS_BUF_INIT;
    char day[40];
    const char *example = NULL, *unit = period_unit_name(in->unit);
    struct price_quote q;

    period_phrase(in->unit, in->to, day, sizeof(day)); /* "week of 2026-02-09" */
    if (npriced > 1) {
        list_names(&b, likes, npriced);
        ts_err_set(err,
                   "'%s' has no price of its own, and %zu priced models of the %s have "
                   "its words: %s (expected one of them)",
                   name, npriced, day, b.data);
    } else if (nlikes > 0) {
        list_names(&b, likes, nlikes);
        if (in->book->has_catalogue)
            ts_err_set(err, "no price for '%s' in the %s: %s %s its words but no price", name, day,
                       b.data, nlikes == 1 ? "has" : "have");
        else
            ts_err_set(err,
                       "no price for '%s' in the %s: it may be the catalogue id of %s "
                       "(the same words), but no model catalogue is imported, and %s no price",
                       name, day, b.data, nlikes == 1 ? "that slug has" : "those slugs have");
    } else {
        /* The week's model with the most tokens that has a price. */
        int64_t most = -1;
        for (size_t i = 0; i < in->nrows; i++) {
            if (in->rows[i].tokens > most &&
                price_book_quote(in->book, in->rows[i].slug, in->unit, in->to, &q) &&
                comparable(&q)) {
                most = in->rows[i].tokens;
                example = in->rows[i].slug;
            }
        }
        if (example)
            buf_printf(&b, "expected a model priced that %s, such as %s, or a catalogue id", unit,
                       example);
        else
            buf_printf(&b, "no model has a price that %s", unit);
        ts_err_set(err, "no price for '%s' in the %s (%s%s)", name, day, b.data,
                   in->book->has_catalogue ? "" : "; no model catalogue is imported");
    }
    buf_release(&b);
    return -1;
}

/* A name (normalised; as shown in messages) with no price of its own: the
 * one priced usage slug of the week with its words, if there is exactly
 * one. */
static int reference_loose(const struct priced_usage *in, const char *name, const char *shown,
                           struct vs_ref *out, struct ts_err *err)
{
    const char **likes = xmalloc((in->nrows ? in->nrows : 1) * sizeof(*likes));
    size_t nlikes = 0, npriced = 0;
    struct price_quote q;
    int rc = 0;

    /* The priced ones first, then the others; each in slug order. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < in->nrows; i++) {
            const char *slug = in->rows[i].slug;
            if (!price_name_like(name, slug))
                continue;
            int priced = price_book_quote(in->book, slug, in->unit, in->to, &q) && comparable(&q);
            if (priced == !pass) {
                likes[nlikes++] = slug;
                npriced += priced;
                if (priced && npriced == 1) {
                    out->model = slug;
                    out->q = q;
                }
            }
        }
    }
    if (npriced == 1)
        out->match = "loose";
    else
        rc = no_reference(in, shown, likes, nlikes, npriced, err);
    free(likes);
    return rc;
}

/* The price of the reference model rq->vs in the period in->to. Returns -1
 * with err set when it has no price, or is free then. */
static int reference(const struct priced_usage *in, const struct report_request *rq,
                     struct vs_ref *out, struct report_doc *doc, struct ts_err *err)
{
    struct ts_buf slug = TS_BUF_INIT, vendor = TS_BUF_INIT, shown = TS_BUF_INIT;
    struct ts_err ignored = TS_ERR_INIT;
    enum price_match how = PRICE_NONE;
    const char *unit = period_unit_name(in->unit);
    long m = -1;
    int alias = 0, named = 0, rc = 0;

    memset(out, 0, sizeof(*out));
    ts_quote_for_msg(&shown, rq->vs, strlen(rq->vs), 200);
    /* Named as a slug: the vendor's case does not matter. */
    if (model_normalize(rq->vs, strlen(rq->vs), &slug, &vendor, &ignored) == 0) {
        named = 1;
        how = price_book_find(in->book, slug.data, &m, &alias);
    }
    if (how != PRICE_NONE && how != PRICE_FREE) {
        /* An alias is priced as the model it names. */
        price_book_quote(in->book, alias ? in->book->models[m].model : slug.data, in->unit, in->to,
                         &out->q);
        out->model = quote_model(in->book, &out->q);
        out->match = alias ? "catalogue" : price_match_name(how);
    }
    if (how == PRICE_FREE || (out->q.how != PRICE_NONE && !comparable(&out->q))) {
        rc = ts_err_set(err, "'%s' is free that %s (expected a priced model to compare with)",
                        shown.data, unit);
    } else if (out->q.how == PRICE_NONE) {
        static const char *const none[1];
        rc = named ? reference_loose(in, slug.data, shown.data, out, err)
                   : no_reference(in, shown.data, none, 0, 0, err);
        if (rc == 0)
            doc_warn(doc,
                     "'%s' (--vs) has no price of its own: compared with %s, the only model "
                     "priced that %s with its words",
                     shown.data, out->model, unit);
    }
    if (rc == 0 && (out->q.flags & PRICE_LATER))
        doc_warn(doc, "%s (--vs) priced with its earliest price, from after the %s", out->model,
                 unit);
    if (rc == 0 && (out->q.flags & PRICE_STALE)) {
        char day[TS_DATE_LEN + 1];
        date_format(out->q.row->valid_from, day);
        doc_warn(doc, "%s (--vs) priced with a price from %s, more than 8 weeks before the %s",
                 out->model, day, unit);
    }
    /* out->model is the book's or a usage row's string: it outlives slug. */
    if (rc == 0) {
        doc_param(doc, "vs", out->model);
        doc_param(doc, "vs_name", rq->vs);
        doc_param(doc, "vs_match", out->match);
    }
    buf_release(&slug);
    buf_release(&vendor);
    buf_release(&shown);
    return rc;
}

/* Sums the week's usage per group: priced tokens and token-weighted
 * prices; notes the models without a price and those priced from after
 * the week, long before it, or from another version. */
static int sum_week(const struct priced_usage *in, const struct report_request *rq,
                    struct group_sums *gs, struct price_notes *notes, struct ts_err *err)
{
    for (size_t i = 0; i < in->nrows; i++) {
        const struct usage_row *u = &in->rows[i];
        struct price_quote q;
        if (strcmp(u->slug, "other") == 0)
            continue;
        price_book_quote(in->book, u->slug, in->unit, in->to, &q);
        price_notes_add(notes, in->book, u->slug, &q);
        if (q.how == PRICE_NONE)
            continue;
        struct group_sum *g = group_sums_get(gs, usage_group(u, rq->by), u->country, rq->by);
        if (u->tokens < 0 || metrics_add(&g->tokens, u->tokens) < 0 ||
            metrics_add(&g->priced, u->tokens) < 0)
            return metrics_period_overflow(err, in->unit, in->to);
        g->models++;
        g->in_weighted += (double)u->tokens * per_million(q.prompt);
        g->out_weighted += (double)u->tokens * per_million(q.completion);
        g->quote = q; /* by model, the group is the model */
        if (rq->all_models)
            group_sums_list(g, &q);
    }
    return 0;
}

/* prices --all: each model of the book with a price valid in the week
 * (from before its end) and no usage that week, without tokens. */
static void sum_book(const struct priced_usage *in, const struct report_request *rq,
                     struct group_sums *gs)
{
    struct ts_map used = TS_MAP_INIT;
    struct price_quote q;
    int64_t seen;

    for (size_t i = 0; i < in->nrows; i++)
        ts_map_put(&used, in->rows[i].slug, 1);
    for (size_t i = 0; i < in->nbook_rows; i++) {
        const struct usage_row *b = &in->book_rows[i];
        if (ts_map_get(&used, b->slug, &seen) ||
            !price_book_quote(in->book, b->slug, in->unit, in->to, &q) || (q.flags & PRICE_LATER))
            continue;
        struct group_sum *g = group_sums_get(gs, usage_group(b, rq->by), b->country, rq->by);
        g->quote = q;
        group_sums_list(g, &q);
    }
    ts_map_release(&used);
}

/* What a row's price means beyond its figures: free, or a price to read
 * with care (another version, old, from after the week); NULL for none. */
static const char *price_status(const struct price_quote *q)
{
    if (q->how == PRICE_FREE || (q->prompt == 0 && q->completion == 0))
        return "free";
    if (q->flags & PRICE_OTHER_VERSION)
        return "other_version";
    if (q->flags & PRICE_STALE)
        return "stale";
    if (q->flags & PRICE_LATER)
        return "later";
    return NULL;
}

/* By model: where the row's price comes from. */
static void provenance(struct sheet *sh, size_t r, const struct price_book *book,
                       const struct group_sum *g)
{
    const struct price_quote *q = &g->quote;
    const char *model = quote_model(book, q);

    sheet_text(sh, r, C_PRICE_MATCH, price_match_name(q->how));
    sheet_text(sh, r, C_STATUS, price_status(q));
    if (!q->row)
        return; /* free, without a price of its own */
    sheet_int(sh, r, C_PRICE_FROM, q->row->valid_from);
    sheet_text(sh, r, C_SOURCE, q->row->snapshot ? "snapshot" : "catalogue");
    sheet_text(sh, r, C_PRICE_MODEL, model);
    if (strcmp(model, g->name) != 0)
        sheet_text(sh, r, C_PRICED_AS, model);
    sheet_int(sh, r, C_PRICE_AGE, q->age);
}

/* One row per group, by priced tokens descending, then name. */
static void price_rows(const struct priced_usage *in, struct group_sums *gs,
                       const struct vs_ref *ref, int days, enum group_by by, struct sheet *sh,
                       struct report_doc *out)
{
    size_t *order = xmalloc((gs->n ? gs->n : 1) * sizeof(*order));

    group_sums_order(gs, 1, order);
    for (size_t k = 0; k < gs->n; k++) {
        struct group_sum *g = &gs->g[order[k]];
        size_t r = sheet_add(sh);
        sheet_text(sh, r, C_GROUP, g->name);
        sheet_text(sh, r, C_COUNTRY, g->country);
        sheet_int(sh, r, C_WEEK, in->to);
        sheet_int(sh, r, C_DAYS, days);
        sheet_int(sh, r, C_MODELS, g->models);
        sheet_int(sh, r, C_TOKENS, g->tokens);
        sheet_int(sh, r, C_PRICED, g->priced);
        /* Weighted by tokens; a model without tokens (--all) at its price;
         * a group without tokens has no weighted price. */
        int have = g->priced > 0 || (by == BY_MODEL && g->quote.how != PRICE_NONE);
        double pin = g->priced ? g->in_weighted / (double)g->priced : per_million(g->quote.prompt);
        double pout =
            g->priced ? g->out_weighted / (double)g->priced : per_million(g->quote.completion);
        if (have) {
            sheet_real(sh, r, C_INPUT, pin);
            sheet_real(sh, r, C_OUTPUT, pout);
        }
        if (have && ref && pin > 0)
            sheet_real(sh, r, C_INPUT_RATIO, per_million(ref->q.prompt) / pin);
        if (have && ref && pout > 0)
            sheet_real(sh, r, C_OUTPUT_RATIO, per_million(ref->q.completion) / pout);
        if (by == BY_MODEL)
            provenance(sh, r, in->book, g);
        sheet_int(sh, r, C_LISTED, (int64_t)g->nlisted);
        if (g->nlisted > 0) {
            sheet_real(sh, r, C_IN_MEDIAN, metrics_median(g->ins, g->nlisted) / 1e6);
            sheet_real(sh, r, C_OUT_MEDIAN, metrics_median(g->outs, g->nlisted) / 1e6);
            sheet_real(sh, r, C_IN_MEAN, metrics_mean(g->ins, g->nlisted) / 1e6);
            sheet_real(sh, r, C_OUT_MEAN, metrics_mean(g->outs, g->nlisted) / 1e6);
        }
        out->nrows_data++;
    }
    free(order);
}

/* "Prices per million tokens[, usage-weighted by G], week of D[ (partial:
 * N of 7 days)] (dataset NAME)[; vs = ...]"; "month of 2025-01" for a
 * month. */
static void price_title(const struct report_request *rq, enum period_unit u, int32_t start,
                        int days, const struct vs_ref *ref, struct report_doc *out)
{
    struct ts_buf t = TS_BUF_INIT;
    char when[40];

    period_phrase(u, start, when, sizeof(when)); /* "week of 2026-02-09" */
    if (rq->all_models && rq->by == BY_MODEL)
        buf_printf(&t, "Prices per million tokens of every model priced in the %s", when);
    else if (rq->all_models)
        buf_printf(&t,
                   "Prices per million tokens by %s: usage-weighted, and the median and mean of "
                   "every model priced in the %s",
                   group_by_name(rq->by), when);
    else
        buf_printf(&t, "Prices per million tokens%s%s, %s",
                   rq->by == BY_MODEL ? "" : ", usage-weighted by ",
                   rq->by == BY_MODEL ? "" : group_by_name(rq->by), when);
    if (days > 0 && days < period_length(u, start))
        buf_printf(&t, " (partial: %d of %d days)", days, period_length(u, start));
    buf_printf(&t, " (dataset %s)", rq->dataset);
    if (ref) {
        buf_printf(&t, "; vs = the price of %s ($%.2f in, $%.2f out) divided by each price",
                   ref->model, per_million(ref->q.prompt), per_million(ref->q.completion));
        if (strcmp(ref->match, "loose") == 0) /* normalised, so it has no control characters */
            buf_printf(&t, " (%s taken for %s by its words)", ref->model, rq->vs);
    }
    doc_set_title(out, t.data);
    buf_release(&t);
}

/* Whether some priced model of the week is priced as another slug: the
 * table then shows a "priced as" column. */
static int any_priced_as(const struct priced_usage *in, const struct group_sums *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        const char *model = quote_model(in->book, &gs->g[i].quote);
        if (model && strcmp(model, gs->g[i].name) != 0)
            return 1;
    }
    return 0;
}

int build_prices(const struct priced_usage *in, const struct report_request *rq,
                 struct report_doc *out, struct ts_err *err)
{
    /* By model; C_PRICED_AS (text only) only when some row needs it. */
    static const enum col_id model_ids[] = {
        C_WEEK,        C_DAYS,        C_GROUP,        C_COUNTRY,    C_TOKENS, C_INPUT,
        C_OUTPUT,      C_INPUT_RATIO, C_OUTPUT_RATIO, C_PRICE_FROM, C_SOURCE, C_PRICED_AS,
        C_PRICE_MODEL, C_PRICE_MATCH, C_PRICE_AGE,    C_STATUS};
    /* By group, the tokens are those of the group's priced models. */
    /* With --all, the median and mean of every listed model after them. */
    static const enum col_id group_ids[] = {C_WEEK,        C_DAYS,         C_GROUP,   C_COUNTRY,
                                            C_MODELS,      C_PRICED,       C_INPUT,   C_OUTPUT,
                                            C_INPUT_RATIO, C_OUTPUT_RATIO, C_LISTED,  C_IN_MEDIAN,
                                            C_OUT_MEDIAN,  C_IN_MEAN,      C_OUT_MEAN};
    size_t ngroup_ids = sizeof(group_ids) / sizeof(group_ids[0]) - (rq->all_models ? 0 : 5);
    size_t nmodel_ids = sizeof(model_ids) / sizeof(model_ids[0]);
    struct group_sums gs = GROUP_SUMS_INIT;
    struct price_notes notes = PRICE_NOTES_INIT(in->unit);
    struct vs_ref ref;
    int days = usage_days(in, in->to);
    struct sheet sh;

    out->command = "prices";
    doc_param(out, "by", group_by_name(rq->by));
    if (in->unit != PERIOD_WEEK) /* weeks, the default, as before there were others */
        doc_param(out, "period", period_unit_name(in->unit));
    doc_param(out, "dataset", rq->dataset);
    doc_param_date(out, period_unit_name(in->unit), in->to); /* "week": its Monday */
    if (rq->vs && reference(in, rq, &ref, out, err) < 0)
        return -1;
    if (!rq->vs) {
        doc_param(out, "vs", NULL);
        doc_param(out, "vs_name", NULL);
        doc_param(out, "vs_match", NULL);
    }
    if (sum_week(in, rq, &gs, &notes, err) < 0) {
        price_notes_warn(&notes, out); /* releases them */
        group_sums_release(&gs);
        return -1;
    }
    if (rq->all_models)
        sum_book(in, rq, &gs);
    if (rq->by == BY_MODEL) {
        /* Without a "priced as" column when every model is priced as itself. */
        enum col_id picked[sizeof(model_ids) / sizeof(model_ids[0])];
        size_t n = 0;
        int priced_as = any_priced_as(in, &gs);
        for (size_t i = 0; i < nmodel_ids; i++) {
            if (model_ids[i] != C_PRICED_AS || priced_as)
                picked[n++] = model_ids[i];
        }
        sheet_start(&sh, &out->rows, picked, n, rq->by);
    } else {
        sheet_start(&sh, &out->rows, group_ids, ngroup_ids, rq->by);
    }
    sheet_period(&sh, in->unit);
    price_rows(in, &gs, rq->vs ? &ref : NULL, days, rq->by, &sh, out);
    price_title(rq, in->unit, in->to, days, rq->vs ? &ref : NULL, out);
    price_notes_warn(&notes, out);
    group_sums_release(&gs);
    return 0;
}
