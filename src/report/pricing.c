/* pricing.c - what prices and cost share: sums per group found through a
 * map, sorted name lists for warnings, and what those say of prices. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/series.h"
#include "core/week.h"
#include "shared.h"

/* Appends a zeroed group; indexes it by name unless unique. */
static struct group_sum *group_sums_new(struct group_sums *gs, const char *name,
                                        const char *country, int unique)
{
    if (gs->n == gs->cap) {
        gs->cap = gs->cap ? gs->cap * 2 : 16;
        gs->g = xrealloc(gs->g, gs->cap * sizeof(*gs->g));
    }
    struct group_sum *s = &gs->g[gs->n];
    memset(s, 0, sizeof(*s));
    s->name = name;
    s->country = country;
    if (!unique)
        ts_map_put(&gs->index, name, (int64_t)gs->n);
    gs->n++;
    return s;
}

struct group_sum *group_sums_get(struct group_sums *gs, const char *name, const char *country,
                                 enum group_by by)
{
    int64_t at;

    /* A week's usage has one row per model: by model, each is new. */
    if (by == BY_MODEL)
        return group_sums_new(gs, name, country, 1);
    if (ts_map_get(&gs->index, name, &at))
        return &gs->g[at];
    return group_sums_new(gs, name, country, 0);
}

void group_sums_order(const struct group_sums *gs, int by_priced, size_t *order)
{
    size_t n = gs->n;
    int64_t *tok = xmalloc((n ? n : 1) * sizeof(*tok));
    const char **names = xmalloc((n ? n : 1) * sizeof(*names));

    for (size_t i = 0; i < n; i++) {
        tok[i] = by_priced ? gs->g[i].priced : gs->g[i].tokens;
        names[i] = gs->g[i].name;
    }
    metrics_rank(tok, names, n, order);
    free(tok);
    free(names);
}

void group_sums_list(struct group_sum *g, const struct price_quote *q)
{
    if (q->how == PRICE_NONE || (q->prompt == 0 && q->completion == 0))
        return; /* no price, or free: not a price to compare */
    if (g->nlisted == g->listed_cap) {
        g->listed_cap = g->listed_cap ? g->listed_cap * 2 : 8;
        g->ins = xrealloc(g->ins, g->listed_cap * sizeof(*g->ins));
        g->outs = xrealloc(g->outs, g->listed_cap * sizeof(*g->outs));
    }
    g->ins[g->nlisted] = q->prompt;
    g->outs[g->nlisted] = q->completion;
    g->nlisted++;
}

void group_sums_release(struct group_sums *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        free(gs->g[i].ins);
        free(gs->g[i].outs);
    }
    free(gs->g);
    ts_map_release(&gs->index);
    memset(gs, 0, sizeof(*gs));
}

/* Adds shown under the key name, unless name is in s already. */
static void name_set_put(struct name_set *s, const char *name, char *shown)
{
    int64_t seen;

    if (ts_map_get(&s->seen, name, &seen)) {
        free(shown);
        return;
    }
    ts_map_put(&s->seen, name, 1);
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->names = xrealloc(s->names, s->cap * sizeof(*s->names));
    }
    s->names[s->n++] = shown;
}

void name_set_add(struct name_set *s, const char *name)
{
    int64_t seen;

    if (!ts_map_get(&s->seen, name, &seen)) /* copied only when new */
        name_set_put(s, name, xstrdup(name));
}

void name_set_add_detail(struct name_set *s, const char *name, const char *fmt, ...)
{
    struct ts_buf b = TS_BUF_INIT;
    va_list ap;
    char detail[256];
    int64_t seen;

    if (ts_map_get(&s->seen, name, &seen))
        return;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    buf_printf(&b, "%s (%s)", name, detail);
    name_set_put(s, name, b.data);
}

void name_set_release(struct name_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
    ts_map_release(&s->seen);
    memset(s, 0, sizeof(*s));
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void warn_models(struct report_doc *d, enum warn_kind kind, enum period_unit u,
                 struct name_set *names)
{
    const char *unit = period_unit_name(u);
    struct ts_buf b = TS_BUF_INIT, count = TS_BUF_INIT;
    size_t n = names->n;

    if (n == 0)
        return;
    qsort(names->names, n, sizeof(*names->names), name_cmp);
    for (size_t i = 0; i < n && i < 5; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", names->names[i]);
    if (n > 5)
        buf_printf(&b, " and %zu more", n - 5);
    buf_printf(&count, "%zu %s", n, ts_plural((long long)n, "model", "models"));
    switch (kind) {
    case WARN_UNPRICED:
        doc_warn(d, "no price for %s (left out, never counted as free): %s", count.data, b.data);
        break;
    case WARN_LATER:
        doc_warn(d, "%s priced with their earliest price, from after the %s: %s", count.data, unit,
                 b.data);
        break;
    case WARN_STALE:
        doc_warn(d, "%s priced with a price from more than 8 weeks before the %s: %s", count.data,
                 unit, b.data);
        break;
    case WARN_OTHER_VERSION:
        doc_warn(d, "%s priced with the price of another dated version: %s", count.data, b.data);
        break;
    case WARN_SPLIT_OFF:
        doc_warn(d,
                 "%s with prompt + completion more than 1 %% away from their total tokens "
                 "(costed with the split's proportions of the total): %s",
                 count.data, b.data);
        break;
    }
    buf_release(&b);
    buf_release(&count);
}

void price_notes_add(struct price_notes *pn, const struct price_book *b, const char *slug,
                     const struct price_quote *q)
{
    char day[TS_DATE_LEN + 1];

    if (q->how == PRICE_NONE) {
        name_set_add(&pn->unpriced, slug);
        return;
    }
    if (q->flags & PRICE_LATER)
        name_set_add(&pn->later, slug);
    if (q->flags & PRICE_STALE) {
        date_format(q->row->valid_from, day);
        name_set_add_detail(&pn->stale, slug, "from %s", day);
    }
    if (q->flags & PRICE_OTHER_VERSION)
        name_set_add_detail(&pn->other_version, slug, "as %s", quote_model(b, q));
}

void price_notes_warn(struct price_notes *pn, struct report_doc *d)
{
    warn_models(d, WARN_UNPRICED, pn->unit, &pn->unpriced);
    warn_models(d, WARN_LATER, pn->unit, &pn->later);
    warn_models(d, WARN_STALE, pn->unit, &pn->stale);
    warn_models(d, WARN_OTHER_VERSION, pn->unit, &pn->other_version);
    name_set_release(&pn->unpriced);
    name_set_release(&pn->later);
    name_set_release(&pn->stale);
    name_set_release(&pn->other_version);
}

const char *usage_group(const struct usage_row *u, enum group_by by)
{
    switch (by) {
    case BY_COUNTRY:
        return u->country;
    case BY_VENDOR:
        return u->vendor;
    case BY_FAMILY:
        return u->family;
    default:
        return u->slug;
    }
}

double per_million(int64_t pico)
{
    return (double)pico / 1e6;
}

const char *quote_model(const struct price_book *b, const struct price_quote *q)
{
    return q->model >= 0 ? b->models[q->model].model : NULL;
}

int usage_days(const struct priced_usage *in, int32_t start)
{
    for (size_t i = 0; i < in->nweeks; i++) {
        if (in->weeks[i].week == start)
            return in->weeks[i].days;
    }
    return 0;
}
