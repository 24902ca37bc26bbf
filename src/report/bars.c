/* bars.c - tokstat chart: the stacked bars of each week's shares, built
 * from a series (render/chart_*.c draw them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "render/chart.h"
#include "shared.h"

static struct chart_group *add_group(struct chart *c, const char *name, enum chart_kind kind)
{
    struct chart_group *g = &c->groups[c->ngroups++];

    g->name = xstrdup(name);
    g->kind = kind;
    g->nfolded = 0;
    g->sum = 0;
    g->tokens = xcalloc(c->nweeks ? c->nweeks : 1, sizeof(*g->tokens));
    return g;
}

/* a + b, or INT64_MAX past it: the tokens of a group over the whole
 * range only order the groups (weeks below 2^63 each may add up to more),
 * and are never shown. */
static int64_t add_capped(int64_t a, int64_t b)
{
    return metrics_add(&a, b) < 0 ? INT64_MAX : a;
}

/* Adds from's tokens to the segment to. Within a week they cannot pass
 * 2^63: series_check bounded every week's sum of groups. */
static void add_tokens(struct chart_group *to, const struct series_group *from, size_t nweeks)
{
    for (size_t w = 0; w < nweeks; w++) {
        to->tokens[w] += from->tokens[w];
        to->sum = add_capped(to->sum, from->tokens[w]);
    }
}

/* The legend's name of group g of s: its name, and by app its id too when
 * another app of the range has the same name. Valid until the next call. */
static const char *group_label(const struct series *s, size_t g, char *buf, size_t n)
{
    const struct series_group *sg = &s->groups[g];

    if (s->by != BY_APP)
        return sg->name;
    for (size_t k = 0; k < s->ngroups; k++) {
        if (k != g && strcmp(s->groups[k].name, sg->name) == 0) {
            snprintf(buf, n, "%s (app %lld)", sg->name, (long long)sg->id);
            return buf;
        }
    }
    return sg->name;
}

int chart_build(const struct series *s, enum group_by by, int other_exclude, size_t max_named,
                struct chart *out, struct ts_err *err)
{
    memset(out, 0, sizeof(*out));
    if (series_check(s, err) < 0)
        return -1;

    size_t ng = s->ngroups ? s->ngroups : 1, nw = s->nweeks ? s->nweeks : 1;
    int64_t *sum = xcalloc(ng, sizeof(*sum));
    size_t *idx = xcalloc(ng, sizeof(*idx)), *order = xcalloc(ng, sizeof(*order));
    int64_t *ranked_sum = xcalloc(ng, sizeof(*ranked_sum));
    const char **names = xcalloc(ng, sizeof(*names));
    size_t nranked = 0;
    const struct series_group *other = NULL;

    out->from = s->from;
    out->nweeks = s->nweeks;
    out->unit = s->unit;
    out->by = group_by_name(by);
    out->days = xcalloc(nw, sizeof(*out->days));
    out->gap = xcalloc(nw, sizeof(*out->gap));
    out->listed = xcalloc(nw, sizeof(*out->listed));
    out->total = xcalloc(nw, sizeof(*out->total));
    for (size_t w = 0; w < s->nweeks; w++)
        out->days[w] = s->days[w];
    for (size_t w = 0; w < s->nweeks; w++) {
        out->gap[w] = (unsigned char)series_gap(s, w);
        out->listed[w] = s->days[w] > 0 && s->full && !s->full[w];
    }
    for (size_t g = 0; g < s->ngroups; g++) {
        for (size_t w = 0; w < s->nweeks; w++)
            sum[g] = add_capped(sum[g], s->groups[g].tokens[w]);
        if (s->groups[g].is_other)
            other = sum[g] > 0 && !other_exclude ? &s->groups[g] : NULL;
        else if (sum[g] > 0)
            idx[nranked++] = g;
    }
    /* The groups by tokens over the range descending, then name. */
    for (size_t i = 0; i < nranked; i++) {
        ranked_sum[i] = sum[idx[i]];
        names[i] = s->groups[idx[i]].name;
    }
    metrics_rank(ranked_sum, names, nranked, order);

    size_t named = nranked > max_named ? max_named : nranked;
    out->groups = xcalloc(named + 2, sizeof(*out->groups));
    for (size_t i = 0; i < named; i++) {
        const struct series_group *sg = &s->groups[idx[order[i]]];
        char label[300];
        add_tokens(add_group(out, group_label(s, idx[order[i]], label, sizeof(label)), CHART_NAMED),
                   sg, s->nweeks);
    }
    if (nranked > named) {
        struct chart_group *rest = add_group(out, "rest", CHART_REST);
        rest->nfolded = nranked - named;
        for (size_t i = named; i < nranked; i++)
            add_tokens(rest, &s->groups[idx[order[i]]], s->nweeks);
    }
    if (other)
        add_tokens(add_group(out, "other", CHART_OTHER), other, s->nweeks);

    for (size_t w = 0; w < s->nweeks; w++) {
        for (size_t g = 0; g < out->ngroups; g++)
            out->total[w] += out->groups[g].tokens[w]; /* some groups of a checked week */
        if (out->total[w] > 0) {
            out->latest = w;
            out->has_data = 1;
        }
    }
    free(sum);
    free(idx);
    free(order);
    free(ranked_sum);
    free(names);
    return 0;
}

int build_chart(const struct series *s, const struct report_request *rq, struct report_doc *out,
                struct ts_err *err)
{
    struct chart *c = xmalloc(sizeof(*c));
    struct ts_buf t = TS_BUF_INIT;

    if (chart_build(s, rq->by, rq->other_exclude, rq->groups ? rq->groups : CHART_DEFAULT_GROUPS, c,
                    err) < 0) {
        free(c);
        return -1;
    }
    out->command = "chart";
    out->chart = c;
    for (size_t w = 0; w < c->nweeks; w++)
        out->nrows_data += c->total[w] > 0;
    buf_printf(&t, "Share of %s by %s, ", rq->by == BY_APP ? "the listed apps' tokens" : "tokens",
               group_by_name(rq->by));
    title_series(&t, s, 0, rq);
    doc_set_title(out, t.data);
    buf_release(&t);
    return 0;
}
