/* price_book.c - matching usage slugs to prices, and prices to periods. */
#include "core/price_book.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

const char *price_match_name(enum price_match how)
{
    switch (how) {
    case PRICE_EXACT:
        return "exact";
    case PRICE_UNDATED:
        return "undated";
    case PRICE_BASE:
        return "base";
    case PRICE_FREE:
        return "free";
    default:
        return NULL;
    }
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

/* The last day any price of model m is valid from. */
static int32_t last_price(const struct price_book *b, long m)
{
    const struct price_model *pm = &b->models[m];
    return b->rows[pm->first + pm->count - 1].valid_from;
}

enum index_key { KEY_SLUG, KEY_NODATE, KEY_BASE };

static const char *key_of(const struct price_book *b, enum index_key k, int32_t m)
{
    const struct price_model *pm = &b->models[m];
    return k == KEY_SLUG ? pm->model : k == KEY_NODATE ? pm->nodate : pm->base;
}

static uint32_t key_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (uint32_t)(h ^ (h >> 32));
}

/* The slot of key in the index k of b: where it is, or the empty slot
 * where it would go. */
static size_t index_slot(const struct price_book *b, enum index_key k, const struct price_index *ix,
                         const char *key, uint32_t h)
{
    size_t i = h & (ix->cap - 1);

    while (ix->model[i] >= 0 && (ix->hash[i] != h || strcmp(key_of(b, k, ix->model[i]), key) != 0))
        i = (i + 1) & (ix->cap - 1);
    return i;
}

/* The model of key in the index k of b, or -1. */
static long index_get(const struct price_book *b, enum index_key k, const char *key)
{
    const struct price_index *ix = k == KEY_SLUG     ? &b->by_slug
                                   : k == KEY_NODATE ? &b->by_nodate
                                                     : &b->by_base;
    if (ix->cap == 0)
        return -1;
    return ix->model[index_slot(b, k, ix, key, key_hash(key))];
}

/* Adds model m under its key k. Among the models that share a key, the
 * one with the latest price wins (then the first in name order: models
 * come in name order), so that a newer dated version is preferred over an
 * older one of the same base. */
static void index_put(struct price_book *b, enum index_key k, struct price_index *ix, int32_t m)
{
    const char *key = key_of(b, k, m);
    uint32_t h = key_hash(key);
    size_t i = index_slot(b, k, ix, key, h);

    if (ix->model[i] < 0 || last_price(b, m) > last_price(b, ix->model[i])) {
        ix->hash[i] = h;
        ix->model[i] = m;
    }
}

static void index_start(struct price_index *ix, size_t n)
{
    ix->cap = 16;
    while (ix->cap < 2 * n)
        ix->cap *= 2;
    ix->hash = xmalloc(ix->cap * sizeof(*ix->hash));
    ix->model = xmalloc(ix->cap * sizeof(*ix->model));
    for (size_t i = 0; i < ix->cap; i++)
        ix->model[i] = -1;
}

static void index_release(struct price_index *ix)
{
    free(ix->hash);
    free(ix->model);
    memset(ix, 0, sizeof(*ix));
}

void price_book_index(struct price_book *b)
{
    struct ts_buf nodate = TS_BUF_INIT, base = TS_BUF_INIT;

    if (b->nrows > 1)
        qsort(b->rows, b->nrows, sizeof(*b->rows), row_cmp);
    b->models = xcalloc(b->nrows ? b->nrows : 1, sizeof(*b->models));
    b->nmodels = 0;
    b->has_catalogue = b->naliases > 0;
    for (size_t i = 0; i < b->nrows; i++) {
        b->has_catalogue |= !b->rows[i].snapshot;
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
    /* With every model's rows counted, the indexes. */
    index_start(&b->by_slug, b->nmodels);
    index_start(&b->by_nodate, b->nmodels);
    index_start(&b->by_base, b->nmodels);
    for (size_t i = 0; i < b->nmodels && i < INT32_MAX; i++) {
        index_put(b, KEY_SLUG, &b->by_slug, (int32_t)i);
        index_put(b, KEY_NODATE, &b->by_nodate, (int32_t)i);
        if (!b->models[i].has_variant)
            index_put(b, KEY_BASE, &b->by_base, (int32_t)i);
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
    index_release(&b->by_slug);
    index_release(&b->by_nodate);
    index_release(&b->by_base);
    memset(b, 0, sizeof(*b));
}

/* The :variant of slug (from its first ':' after the '/'), or NULL. */
static const char *variant_of(const char *slug)
{
    const char *slash = strchr(slug, '/');
    return strchr(slash ? slash : slug, ':');
}

static int lookup(const struct price_book *b, enum index_key k, const char *key, long *out)
{
    long m = index_get(b, k, key);

    if (m < 0)
        return 0;
    *out = m;
    return 1;
}

enum price_match price_book_match(const struct price_book *b, const char *slug, long *out)
{
    struct ts_buf nodate = TS_BUF_INIT, base = TS_BUF_INIT;
    const char *colon = variant_of(slug);
    enum price_match how = PRICE_NONE;
    int has_variant;

    *out = -1;
    if (lookup(b, KEY_SLUG, slug, out))
        return PRICE_EXACT;
    /* Free usage is free: never priced like the paid model. */
    if (colon && strcmp(colon, ":free") == 0)
        return PRICE_FREE;
    price_strip(slug, &nodate, &base, &has_variant);
    if (lookup(b, KEY_NODATE, nodate.data, out)) {
        how = PRICE_UNDATED;
    } else if (colon) {
        /* Without the variant: the same dated model first, then any
         * version of its base. */
        buf_reset(&nodate);
        buf_add(&nodate, slug, (size_t)(colon - slug));
        long m = index_get(b, KEY_SLUG, nodate.data);
        if ((m >= 0 && !b->models[m].has_variant) || (m = index_get(b, KEY_BASE, base.data)) >= 0) {
            *out = m;
            how = PRICE_BASE;
        }
    }
    buf_release(&nodate);
    buf_release(&base);
    return how;
}

enum price_match price_book_find(const struct price_book *b, const char *name, long *out,
                                 int *alias)
{
    if (alias)
        *alias = 0;
    for (size_t i = 0; i < b->naliases; i++) {
        if (strcmp(b->aliases[i].alias, name) == 0) {
            enum price_match how = price_book_match(b, b->aliases[i].model, out);
            if (how != PRICE_NONE && *out >= 0) {
                if (alias)
                    *alias = 1;
                return how;
            }
        }
    }
    return price_book_match(b, name, out);
}

const struct price_row *price_book_at(const struct price_book *b, long m, int32_t last, int *later)
{
    const struct price_model *pm;

    *later = 0;
    if (m < 0 || (size_t)m >= b->nmodels)
        return NULL;
    pm = &b->models[m];
    /* The rows ascend: the last one valid by the period's last day. */
    size_t lo = pm->first, hi = pm->first + pm->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->rows[mid].valid_from <= last)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > pm->first)
        return &b->rows[lo - 1];
    /* Every price is later: the earliest day's, a snapshot over a
     * catalogue price of that day (it sorts after it). */
    size_t i = pm->first;
    while (i + 1 < pm->first + pm->count &&
           b->rows[i + 1].valid_from == b->rows[pm->first].valid_from)
        i++;
    *later = 1;
    return &b->rows[i];
}

/* The date suffix of slug's stem (before its :variant) as YYYYMMDD into
 * out (9 bytes); 0 when it has none. */
static int stem_date(const char *slug, char *out)
{
    const char *colon = variant_of(slug);
    size_t stem = colon ? (size_t)(colon - slug) : strlen(slug);
    size_t n = date_suffix(slug, stem), k = 0;

    for (size_t i = stem - n; n > 0 && i < stem; i++) {
        if (isdigit((unsigned char)slug[i]))
            out[k++] = slug[i];
    }
    out[k] = '\0';
    return n > 0;
}

int price_book_quote(const struct price_book *b, const char *slug, enum period_unit u,
                     int32_t start, struct price_quote *out)
{
    int32_t last = period_last_day(u, start);
    int later = 0;

    memset(out, 0, sizeof(*out));
    out->how = price_book_match(b, slug, &out->model);
    if (out->how != PRICE_NONE && out->model >= 0)
        out->row = price_book_at(b, out->model, last, &later);
    if (out->row && out->row->prompt != TS_ABSENT && out->row->completion != TS_ABSENT) {
        out->prompt = out->row->prompt;
        out->completion = out->row->completion;
        out->age = last - out->row->valid_from;
        out->flags |= later ? PRICE_LATER : 0;
        out->flags |= out->row->valid_from < start - PRICE_STALE_DAYS ? PRICE_STALE : 0;
        char mine[16], theirs[16];
        if ((out->how == PRICE_UNDATED || out->how == PRICE_BASE) &&
            stem_date(b->models[out->model].model, theirs) &&
            (!stem_date(slug, mine) || strcmp(mine, theirs) != 0))
            out->flags |= PRICE_OTHER_VERSION;
        return 1;
    }
    if (out->how == PRICE_FREE ||
        (out->how == PRICE_EXACT && variant_of(slug) && strcmp(variant_of(slug), ":free") == 0)) {
        /* Free usage without a price of its own, or with half of one. */
        memset(out, 0, sizeof(*out));
        out->how = PRICE_FREE;
        out->model = -1;
        return 1;
    }
    memset(out, 0, sizeof(*out));
    out->model = -1;
    return 0;
}

static int word_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The words of s[0..len) lower-cased, sorted, each ended by '\n', into out. */
static void sorted_words(const char *s, size_t len, struct ts_buf *out)
{
    char *copy = xstrndup(s, len), **words = xmalloc((len + 1) * sizeof(*words));
    size_t n = 0;

    for (char *p = copy; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (char *p = copy; *p;) {
        size_t w = strcspn(p, "-_:");
        if (w > 0)
            words[n++] = p;
        p += w;
        if (*p)
            *p++ = '\0';
    }
    qsort(words, n, sizeof(*words), word_cmp);
    buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        buf_adds(out, words[i]);
        buf_addc(out, '\n');
    }
    buf_addc(out, '\0'); /* an empty list is a string too */
    free(words);
    free(copy);
}

int price_name_like(const char *name, const char *slug)
{
    const char *ns = strchr(name, '/'), *ss = strchr(slug, '/');
    struct ts_buf nodate = TS_BUF_INIT, base = TS_BUF_INIT, a = TS_BUF_INIT, b = TS_BUF_INIT;
    char date[16];
    int has_variant, like = 0;

    if (!ns || !ss || ns - name != ss - slug || strncasecmp(name, slug, (size_t)(ns - name)) != 0)
        return 0;
    /* The slug's date counts only when the name gives one. */
    if (!stem_date(name, date)) {
        price_strip(slug, &nodate, &base, &has_variant);
        slug = nodate.data;
        ss = strchr(slug, '/');
    }
    sorted_words(ns + 1, strlen(ns + 1), &a);
    sorted_words(ss + 1, strlen(ss + 1), &b);
    like = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
    buf_release(&nodate);
    buf_release(&base);
    buf_release(&a);
    buf_release(&b);
    return like;
}

int price_split_off(int64_t total, int64_t prompt, int64_t completion, double *ratio)
{
    double sum = (double)prompt + (double)completion;

    if (ratio)
        *ratio = total > 0 ? sum / (double)total : 0;
    if (prompt == 0 && completion == 0)
        return 0;
    return fabs(sum - (double)total) * 100 > (double)total;
}
