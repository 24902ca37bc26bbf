/* cost.c - what tokens cost: prices per million tokens against a
 * reference model, and estimated spend per week and group.
 *
 * Prices are kept exactly as pico-dollars per token; a price per million
 * tokens is that divided by 1e6, and a spend is tokens times pico-dollars,
 * summed as doubles (a week's spend can pass 2^63 pico-dollars). Models
 * without a price are never costed at $0: they are counted apart and named
 * in a warning. The other bucket has no price by nature and is left out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/prices.h"
#include "db/prices.h"
#include "db/query.h"
#include "import/record.h"
#include "cmd/report_opts.h"
#include "report/reports_impl.h"
#include "core/vendors.h"
#include "core/week.h"

#define DEFAULT_PROMPT_SHARE 0.9

static double per_million(int64_t pico)
{
    return (double)pico / 1e6;
}

/* A warning about models, naming up to five: "no price for 3 models (left
 * out, never counted as free): a, b, c"; with later, "3 models priced with
 * their earliest price, from after the week: a, b, c". */
static void warn_models(struct reports *r, int later, char **names, size_t n)
{
    struct ts_buf b = TS_BUF_INIT, count = TS_BUF_INIT;

    if (n == 0)
        return;
    for (size_t i = 0; i < n && i < 5; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if (n > 5)
        buf_printf(&b, " and %zu more", n - 5);
    buf_printf(&count, "%zu %s", n, ts_plural((long long)n, "model", "models"));
    if (later)
        reports_warn(r, "%s priced with their earliest price, from after the week: %s", count.data,
                     b.data);
    else
        reports_warn(r, "no price for %s (left out, never counted as free): %s", count.data,
                     b.data);
    buf_release(&b);
    buf_release(&count);
}

/* Adds name to a sorted, duplicate-free list. */
static void add_name(char ***names, size_t *n, const char *name)
{
    size_t i = 0;

    while (i < *n && strcmp((*names)[i], name) < 0)
        i++;
    if (i < *n && strcmp((*names)[i], name) == 0)
        return;
    *names = xrealloc(*names, (*n + 1) * sizeof(**names));
    memmove(*names + i + 1, *names + i, (*n - i) * sizeof(**names));
    (*names)[i] = xstrdup(name);
    (*n)++;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The group a usage row belongs to. */
static const char *group_of(const struct usage_row *u, enum group_by by)
{
    return by == BY_COUNTRY ? u->country : by == BY_VENDOR ? u->vendor : u->slug;
}

/* Per-group sums of one week. */
struct group_sum {
    const char *name, *country;
    int64_t tokens, priced, unpriced, estimated;
    int models;
    double in_weighted, out_weighted; /* sum of tokens x price, for averages */
    double spend;                     /* pico-dollars */
    int32_t price_from;               /* prices by model: the price's valid-from day */
    int snapshot;                     /* prices by model: from a weekly snapshot */
};

static struct group_sum *find_group(struct group_sum **g, size_t *n, const char *name,
                                    const char *country)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*g)[i].name, name) == 0)
            return &(*g)[i];
    }
    *g = xrealloc(*g, (*n + 1) * sizeof(**g));
    struct group_sum *s = &(*g)[(*n)++];
    memset(s, 0, sizeof(*s));
    s->name = name;
    s->country = country;
    return s;
}

/* Orders groups by a token count descending, then name. */
static void order_groups(const struct group_sum *g, size_t n, int by_priced, size_t *order)
{
    int64_t *tok = xmalloc((n ? n : 1) * sizeof(*tok));
    const char **names = xmalloc((n ? n : 1) * sizeof(*names));

    for (size_t i = 0; i < n; i++) {
        tok[i] = by_priced ? g[i].priced : g[i].tokens;
        names[i] = g[i].name;
    }
    metrics_rank(tok, names, n, order);
    free(tok);
    free(names);
}

int reports_prices(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    static const enum col_id model_ids[] = {C_WEEK,         C_DAYS,       C_GROUP,  C_COUNTRY,
                                            C_TOKENS,       C_INPUT,      C_OUTPUT, C_INPUT_RATIO,
                                            C_OUTPUT_RATIO, C_PRICE_FROM, C_SOURCE};
    /* By group, the tokens are those of the group's priced models. */
    static const enum col_id group_ids[] = {C_WEEK,        C_DAYS,        C_GROUP, C_COUNTRY,
                                            C_MODELS,      C_PRICED,      C_INPUT, C_OUTPUT,
                                            C_INPUT_RATIO, C_OUTPUT_RATIO};
    const struct reports_spec *spec = in->spec;
    struct price_book book = PRICE_BOOK_INIT;
    struct usage_row *use = NULL;
    size_t nuse = 0, nunpriced = 0, ngroups = 0, nlater = 0;
    int days = report_days(in, in->to);
    char **unpriced = NULL, **later_names = NULL;
    struct group_sum *groups = NULL;
    const struct price_row *ref = NULL;
    long ref_model = -1;
    struct layout l;
    struct ts_buf t = TS_BUF_INIT, vendor = TS_BUF_INIT;
    char day[TS_DATE_LEN + 1];
    int rc = -1, later;

    memset(out, 0, sizeof(*out));
    if (db_price_book(in->st, &book, err) < 0 ||
        db_usage(in->st, in->dataset, in->to, in->to, &use, &nuse, err) < 0)
        goto done;
    if (spec->vs) {
        /* Named as a slug: the vendor's case does not matter. */
        if (model_normalize(spec->vs, strlen(spec->vs), &t, &vendor, err) == 0)
            ref_model = price_book_find(&book, t.data);
        buf_reset(&t);
        if (ref_model >= 0)
            ref = price_book_at(&book, ref_model, in->to, &later);
        if (ref && later)
            reports_warn(out, "%s (--vs) priced with its earliest price, from after the week",
                         book.models[ref_model].model);
        if (ref && (ref->prompt == 0 || ref->completion == 0)) {
            ts_err_set(err, "'%s' is free that week (expected a priced model to compare with)",
                       spec->vs);
            goto done;
        }
        if (!ref || ref->prompt == TS_ABSENT || ref->completion == TS_ABSENT) {
            ts_err_set(err,
                       "no price for '%s' (expected a model of the imported catalogue or "
                       "snapshots, e.g. anthropic/claude-opus-4.6)",
                       spec->vs);
            goto done;
        }
    }

    if (spec->by == BY_MODEL)
        rp_layout_make(&out->rows, out->cols, &l, model_ids,
                       sizeof(model_ids) / sizeof(model_ids[0]), spec->by);
    else
        rp_layout_make(&out->rows, out->cols, &l, group_ids,
                       sizeof(group_ids) / sizeof(group_ids[0]), spec->by);

    for (size_t i = 0; i < nuse; i++) {
        const struct usage_row *u = &use[i];
        if (strcmp(u->slug, "other") == 0)
            continue;
        long m = price_book_match(&book, u->slug);
        const struct price_row *p = m >= 0 ? price_book_at(&book, m, in->to, &later) : NULL;
        if (!p || p->prompt == TS_ABSENT || p->completion == TS_ABSENT) {
            add_name(&unpriced, &nunpriced, u->slug);
            continue;
        }
        if (later)
            add_name(&later_names, &nlater, u->slug);
        struct group_sum *g = find_group(&groups, &ngroups, group_of(u, spec->by), u->country);
        g->tokens += u->tokens;
        g->priced += u->tokens;
        g->models++;
        g->in_weighted += (double)u->tokens * per_million(p->prompt);
        g->out_weighted += (double)u->tokens * per_million(p->completion);
        g->price_from = p->valid_from; /* by model, the group is the model */
        g->snapshot = p->snapshot;
    }

    size_t *order = xmalloc((ngroups ? ngroups : 1) * sizeof(*order));
    order_groups(groups, ngroups, 1, order);
    for (size_t k = 0; k < ngroups; k++) {
        const struct group_sum *g = &groups[order[k]];
        size_t r = rowset_add(&out->rows);
        double pin = g->priced ? g->in_weighted / (double)g->priced : 0;
        double pout = g->priced ? g->out_weighted / (double)g->priced : 0;
        rp_set_text(&out->rows, &l, r, C_GROUP, g->name);
        rp_set_text(&out->rows, &l, r, C_COUNTRY, g->country);
        rp_set_int(&out->rows, &l, r, C_WEEK, in->to);
        rp_set_int(&out->rows, &l, r, C_DAYS, days);
        rp_set_int(&out->rows, &l, r, C_MODELS, g->models);
        rp_set_int(&out->rows, &l, r, C_TOKENS, g->tokens);
        rp_set_int(&out->rows, &l, r, C_PRICED, g->priced);
        rp_set_real(&out->rows, &l, r, C_INPUT, pin);
        rp_set_real(&out->rows, &l, r, C_OUTPUT, pout);
        if (ref && pin > 0)
            rp_set_real(&out->rows, &l, r, C_INPUT_RATIO, per_million(ref->prompt) / pin);
        if (ref && pout > 0)
            rp_set_real(&out->rows, &l, r, C_OUTPUT_RATIO, per_million(ref->completion) / pout);
        if (spec->by == BY_MODEL) {
            rp_set_int(&out->rows, &l, r, C_PRICE_FROM, g->price_from);
            rp_set_text(&out->rows, &l, r, C_SOURCE, g->snapshot ? "snapshot" : "catalogue");
        }
        out->nrows_data++;
    }
    free(order);

    out->rep.command = "prices";
    rp_add_param(out, "by", group_by_name(spec->by));
    rp_add_param(out, "dataset", spec->dataset);
    rp_add_date_param(out, "week", in->to);
    rp_add_param(out, "vs", ref_model >= 0 ? book.models[ref_model].model : NULL);
    date_format(in->to, day);
    buf_printf(&t, "Prices per million tokens%s%s, week of %s",
               spec->by == BY_MODEL ? "" : ", usage-weighted by ",
               spec->by == BY_MODEL ? "" : group_by_name(spec->by), day);
    if (days > 0 && days < 7)
        buf_printf(&t, " (partial: %d of 7 days)", days);
    buf_printf(&t, " (dataset %s)", spec->dataset);
    if (ref) {
        buf_printf(&t, "; vs = the price of %s ($%.2f in, $%.2f out) divided by each price",
                   book.models[ref_model].model, per_million(ref->prompt),
                   per_million(ref->completion));
    }
    out->title = t.data;
    t.data = NULL;
    out->rep.title = out->title;
    out->rep.rows = &out->rows;
    warn_models(out, 0, unpriced, nunpriced);
    warn_models(out, 1, later_names, nlater);
    rc = 0;
done:
    buf_release(&t);
    buf_release(&vendor);
    free(groups);
    free_names(unpriced, nunpriced);
    free_names(later_names, nlater);
    usage_rows_release(use, nuse);
    price_book_release(&book);
    return rc;
}

int reports_cost(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    static const enum col_id ids[] = {C_WEEK,   C_DAYS,  C_HEAD,      C_GROUP,    C_COUNTRY,
                                      C_TOKENS, C_SPEND, C_USD_PER_M, C_UNPRICED, C_ESTIMATED};
    const struct reports_spec *spec = in->spec;
    struct price_book book = PRICE_BOOK_INIT;
    struct usage_row *use = NULL;
    size_t nuse = 0, nunpriced = 0, nlater = 0;
    char **unpriced = NULL, **later_names = NULL;
    struct layout l;
    struct ts_buf t = TS_BUF_INIT, range = TS_BUF_INIT;
    char head[64], share_text[32];
    double share = spec->prompt_share;
    int rc = -1, share_from_data = 0;

    memset(out, 0, sizeof(*out));
    if (db_price_book(in->st, &book, err) < 0 ||
        db_usage(in->st, in->dataset, in->from, in->to, &use, &nuse, err) < 0)
        goto done;
    if (share < 0) {
        int found = db_prompt_share(in->st, in->dataset, &share, err);
        if (found < 0)
            goto done;
        share_from_data = found;
        if (!found)
            share = DEFAULT_PROMPT_SHARE;
    }

    rp_layout_make(&out->rows, out->cols, &l, ids, sizeof(ids) / sizeof(ids[0]), spec->by);
    out->rows.block_col = l.map[C_HEAD];
    out->rows.block_title = "%s";

    size_t i = 0;
    while (i < nuse) {
        int32_t week = use[i].week;
        struct group_sum *groups = NULL, total;
        size_t ngroups = 0, j = i;
        int days = report_days(in, week);

        memset(&total, 0, sizeof(total));
        for (; j < nuse && use[j].week == week; j++) {
            const struct usage_row *u = &use[j];
            int later;
            if (strcmp(u->slug, "other") == 0)
                continue;
            struct group_sum *g = find_group(&groups, &ngroups, group_of(u, spec->by), u->country);
            long m = price_book_match(&book, u->slug);
            const struct price_row *p = m >= 0 ? price_book_at(&book, m, week, &later) : NULL;
            g->tokens += u->tokens;
            total.tokens += u->tokens;
            if (!p || p->prompt == TS_ABSENT || p->completion == TS_ABSENT) {
                g->unpriced += u->tokens;
                total.unpriced += u->tokens;
                add_name(&unpriced, &nunpriced, u->slug);
                continue;
            }
            if (later)
                add_name(&later_names, &nlater, u->slug);
            /* The rows with a split as they are; the rest split by share. */
            int64_t rest = u->tokens - u->split_tokens;
            int64_t prompt = llround((double)rest * share);
            int64_t completion = rest - prompt;
            g->estimated += rest;
            total.estimated += rest;
            double spend = ((double)u->prompt + (double)prompt) * (double)p->prompt +
                           ((double)u->completion + (double)completion) * (double)p->completion;
            g->priced += u->tokens;
            g->spend += spend;
            total.priced += u->tokens;
            total.spend += spend;
        }

        rp_week_heading(week, days, head, sizeof(head));
        size_t *order = xmalloc((ngroups ? ngroups : 1) * sizeof(*order));
        order_groups(groups, ngroups, 0, order);
        for (size_t k = 0; k <= ngroups; k++) {
            const struct group_sum *g = k < ngroups ? &groups[order[k]] : &total;
            size_t r = rowset_add(&out->rows);
            if (k == ngroups) {
                rowset_mark_total(&out->rows, r);
                rp_set_text(&out->rows, &l, r, C_GROUP, "Total");
            } else {
                rp_set_int(&out->rows, &l, r, C_WEEK, week);
                rp_set_int(&out->rows, &l, r, C_DAYS, days);
                rp_set_text(&out->rows, &l, r, C_GROUP, g->name);
                rp_set_text(&out->rows, &l, r, C_COUNTRY, g->country);
                out->nrows_data++;
            }
            rp_set_text(&out->rows, &l, r, C_HEAD, head);
            rp_set_int(&out->rows, &l, r, C_TOKENS, g->tokens);
            if (g->priced > 0) { /* no spend at all, rather than $0, when nothing is priced */
                rp_set_real(&out->rows, &l, r, C_SPEND, g->spend / 1e12);
                rp_set_real(&out->rows, &l, r, C_USD_PER_M,
                            g->spend / 1e12 / (double)g->priced * 1e6);
            }
            rp_set_int(&out->rows, &l, r, C_UNPRICED, g->unpriced);
            rp_set_int(&out->rows, &l, r, C_ESTIMATED, g->estimated);
        }
        free(order);
        free(groups);
        i = j;
    }

    out->rep.command = "cost";
    rp_add_param(out, "by", group_by_name(spec->by));
    rp_add_param(out, "dataset", spec->dataset);
    rp_add_date_param(out, "from", in->from);
    rp_add_date_param(out, "to", in->to);
    snprintf(share_text, sizeof(share_text), "%.6f", share);
    rp_add_number_param(out, "prompt_share", share_text);
    reports_range(&range, in->from, in->to, spec); /* no --other: never "other excluded" */
    out->title = rp_format_title("Estimated spend", spec->by, &range);
    buf_printf(&t,
               "%s; where a dump gives only total tokens, %.1f %% are taken as prompt tokens (%s)",
               out->title, share * 100.0,
               spec->prompt_share >= 0 ? "--prompt-share"
               : share_from_data       ? "the share in this dataset's rows that have a split"
                                       : "the default; no row of the dataset has a split");
    free(out->title);
    out->title = t.data;
    t.data = NULL;
    out->rep.title = out->title;
    out->rep.rows = &out->rows;
    warn_models(out, 0, unpriced, nunpriced);
    warn_models(out, 1, later_names, nlater);
    rc = 0;
done:
    buf_release(&t);
    buf_release(&range);
    free_names(unpriced, nunpriced);
    free_names(later_names, nlater);
    usage_rows_release(use, nuse);
    price_book_release(&book);
    return rc;
}
