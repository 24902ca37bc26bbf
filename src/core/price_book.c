/* price_book.c - matching usage slugs to prices, and prices to weeks. */
#include "core/price_book.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/series.h"

void price_book_add(struct price_book *b, const char *model, int32_t valid_from, int snapshot,
                    int64_t prompt, int64_t completion)
{
    if (b->nrows == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->rows = xrealloc(b->rows, b->cap * sizeof(*b->rows));
    }
    struct price_row *r = &b->rows[b->nrows++];
    r->model = xstrdup(model);
    r->valid_from = valid_from;
    r->snapshot = snapshot;
    r->prompt = prompt;
    r->completion = completion;
}

void price_book_add_alias(struct price_book *b, const char *alias, const char *model)
{
    if (b->naliases == b->acap) {
        b->acap = b->acap ? b->acap * 2 : 64;
        b->aliases = xrealloc(b->aliases, b->acap * sizeof(*b->aliases));
    }
    b->aliases[b->naliases].alias = xstrdup(alias);
    b->aliases[b->naliases].model = xstrdup(model);
    b->naliases++;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* The length of a date suffix ending s[0..len): "-YYYYMMDD" (9) or
 * "-YYYY-MM-DD" (11), else 0. */
static size_t date_suffix(const char *s, size_t len)
{
    if (len > 9 && s[len - 9] == '-' && all_digits(s + len - 8, 8))
        return 9;
    if (len > 11 && s[len - 11] == '-' && all_digits(s + len - 10, 4) && s[len - 6] == '-' &&
        all_digits(s + len - 5, 2) && s[len - 3] == '-' && all_digits(s + len - 2, 2))
        return 11;
    return 0;
}

void price_strip(const char *slug, struct ts_buf *nodate, struct ts_buf *base, int *has_variant)
{
    const char *slash = strchr(slug, '/');
    const char *colon = strchr(slash ? slash : slug, ':');
    size_t stem = colon ? (size_t)(colon - slug) : strlen(slug);
    size_t cut = stem - date_suffix(slug, stem);

    buf_reset(nodate);
    buf_reset(base);
    buf_add(nodate, slug, cut);
    if (colon)
        buf_adds(nodate, colon);
    buf_add(base, slug, cut);
    *has_variant = colon != NULL;
}

static int row_cmp(const void *a, const void *b)
{
    const struct price_row *x = a, *y = b;
    int c = strcmp(x->model, y->model);

    if (c)
        return c;
    if (x->valid_from != y->valid_from)
        return x->valid_from < y->valid_from ? -1 : 1;
    return x->snapshot - y->snapshot; /* a snapshot after a catalogue price of its day */
}

void price_book_index(struct price_book *b)
{
    struct ts_buf nodate = TS_BUF_INIT, base = TS_BUF_INIT;

    if (b->nrows > 1)
        qsort(b->rows, b->nrows, sizeof(*b->rows), row_cmp);
    b->models = xcalloc(b->nrows ? b->nrows : 1, sizeof(*b->models));
    b->nmodels = 0;
    for (size_t i = 0; i < b->nrows; i++) {
        if (b->nmodels > 0 && strcmp(b->models[b->nmodels - 1].model, b->rows[i].model) == 0) {
            b->models[b->nmodels - 1].count++;
            continue;
        }
        struct price_model *m = &b->models[b->nmodels++];
        m->model = b->rows[i].model;
        m->first = i;
        m->count = 1;
        price_strip(m->model, &nodate, &base, &m->has_variant);
        m->nodate = xstrdup(nodate.data);
        m->base = xstrdup(base.data);
    }
    buf_release(&nodate);
    buf_release(&base);
}

void price_book_release(struct price_book *b)
{
    for (size_t i = 0; i < b->nrows; i++)
        free(b->rows[i].model);
    for (size_t i = 0; i < b->naliases; i++) {
        free(b->aliases[i].alias);
        free(b->aliases[i].model);
    }
    for (size_t i = 0; i < b->nmodels; i++) {
        free(b->models[i].nodate);
        free(b->models[i].base);
    }
    free(b->rows);
    free(b->aliases);
    free(b->models);
    memset(b, 0, sizeof(*b));
}

/* Among the models that satisfy a level of matching, the one with the
 * latest price wins (then the first in name order), so that a newer dated
 * version is preferred over an older one of the same base. */
static long better(const struct price_book *b, long cur, long cand)
{
    if (cur < 0)
        return cand;
    const struct price_model *x = &b->models[cur], *y = &b->models[cand];
    int32_t xl = b->rows[x->first + x->count - 1].valid_from;
    int32_t yl = b->rows[y->first + y->count - 1].valid_from;
    return yl > xl ? cand : cur;
}

long price_book_match(const struct price_book *b, const char *slug)
{
    struct ts_buf nodate = TS_BUF_INIT, base = TS_BUF_INIT;
    int has_variant;
    long exact = -1, same_nodate = -1, same_base = -1;

    price_strip(slug, &nodate, &base, &has_variant);
    /* Free usage is not priced like the paid model: without a :free entry
     * of its own it has no price. */
    const char *colon = strrchr(slug, ':');
    int is_free = colon && strcmp(colon, ":free") == 0;
    for (size_t i = 0; i < b->nmodels; i++) {
        const struct price_model *m = &b->models[i];
        if (strcmp(m->model, slug) == 0)
            exact = (long)i;
        else if (strcmp(m->nodate, nodate.data) == 0)
            same_nodate = better(b, same_nodate, (long)i);
        else if (!m->has_variant && !is_free && strcmp(m->base, base.data) == 0)
            same_base = better(b, same_base, (long)i);
    }
    buf_release(&nodate);
    buf_release(&base);
    return exact >= 0 ? exact : same_nodate >= 0 ? same_nodate : same_base;
}

long price_book_find(const struct price_book *b, const char *name)
{
    for (size_t i = 0; i < b->naliases; i++) {
        if (strcmp(b->aliases[i].alias, name) == 0) {
            long m = price_book_match(b, b->aliases[i].model);
            if (m >= 0)
                return m;
        }
    }
    return price_book_match(b, name);
}

const struct price_row *price_book_at(const struct price_book *b, long m, int32_t week, int *later)
{
    const struct price_model *pm;
    const struct price_row *best = NULL;

    *later = 0;
    if (m < 0 || (size_t)m >= b->nmodels)
        return NULL;
    pm = &b->models[m];
    for (size_t i = pm->first; i < pm->first + pm->count; i++) {
        if (b->rows[i].valid_from <= week + 6)
            best = &b->rows[i]; /* rows ascend, so the last one that fits */
    }
    if (!best) {
        /* Every price is later: the earliest day's, a snapshot over a
         * catalogue price of that day (it sorts after it). */
        size_t i = pm->first;
        while (i + 1 < pm->first + pm->count &&
               b->rows[i + 1].valid_from == b->rows[pm->first].valid_from)
            i++;
        best = &b->rows[i];
        *later = 1;
    }
    return best;
}
