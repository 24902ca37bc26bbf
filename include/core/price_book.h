/* price_book.h - which price applies to a usage model in a given week; pure.
 *
 * Prices come from the model catalogue (per model, from the day it was
 * fetched) and from weekly snapshots (per model and week). A price holds
 * from its valid-from day until the model's next price. A usage slug is
 * matched to a priced model by its canonical slug (exact), then with a
 * -YYYYMMDD (or -YYYY-MM-DD) date suffix dropped from both (undated: an
 * undated entry, or another dated version), then with the :variant dropped
 * too (base: against models without a variant, so a :free price of 0 never
 * prices the paid model). Usage of a :free variant is free: without an
 * entry of its own it is priced at 0 (free), never like the paid model.
 *
 * The book is indexed by slug, undated slug and base (hash indexes), so
 * that matching a usage row costs a few lookups however many models it has. */
#ifndef TOKSTAT_CORE_PRICE_BOOK_H
#define TOKSTAT_CORE_PRICE_BOOK_H

#include <stddef.h>
#include <stdint.h>

#include "core/period.h"
#include "core/util.h"

struct price_row {
    char *model;        /* owned */
    int32_t valid_from; /* day */
    int snapshot;       /* from a weekly snapshot: wins over a catalogue price of the same day */
    int64_t prompt;     /* pico-USD per token, TS_ABSENT when unknown */
    int64_t completion;
};

struct price_alias {
    char *alias, *model; /* owned */
};

struct price_model {
    const char *model;   /* points into rows */
    size_t first, count; /* its rows, by valid_from */
    char *nodate;        /* owned: the slug without its date suffix */
    char *base;          /* owned: without date suffix and :variant */
    int has_variant;
};

/* A hash index of the models by one of their names (slug, undated slug or
 * base): open addressing over (hash, model) pairs, sized once for the
 * book; the names are the models' own strings, not copies. */
struct price_index {
    uint32_t *hash;
    int32_t *model; /* -1: an empty slot */
    size_t cap;     /* 0, or a power of two at least twice the models */
};

struct price_book {
    struct price_row *rows;
    size_t nrows, cap;
    struct price_alias *aliases;
    size_t naliases, acap;
    struct price_model *models; /* built by price_book_index */
    size_t nmodels;
    /* Built by price_book_index: slug -> model; undated slug -> the model
     * with the latest price among those of that undated slug; base -> the
     * same among the models without a variant. */
    struct price_index by_slug, by_nodate, by_base;
    int has_catalogue; /* some row or alias comes from a model catalogue */
};

#define PRICE_BOOK_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0, NULL, 0, 0, NULL, 0, {NULL, NULL, 0}, {NULL, NULL, 0}, {NULL, NULL, 0}, 0      \
    }

/* How a usage slug found its price. */
enum price_match {
    PRICE_NONE = 0, /* no price */
    PRICE_EXACT,    /* the slug itself */
    PRICE_UNDATED,  /* the slug without its date: an undated entry, or another dated version */
    PRICE_BASE,     /* the slug without its :variant: the variant-less model */
    PRICE_FREE,     /* a :free variant without an entry of its own: priced at 0 */
};

/* "exact", "undated", "base", "free"; NULL for PRICE_NONE (static). */
const char *price_match_name(enum price_match how);

/* Adds a row or an alias (strings copied). */
void price_book_add(struct price_book *b, const char *model, int32_t valid_from, int snapshot,
                    int64_t prompt, int64_t completion);
void price_book_add_alias(struct price_book *b, const char *alias, const char *model);

/* Sorts the rows and builds the model index; call after the last add. */
void price_book_index(struct price_book *b);
void price_book_release(struct price_book *b);

/* How the usage slug matches a priced model, and *out the model's index in
 * b->models: -1 for PRICE_NONE, and for PRICE_FREE (no entry of its own). */
enum price_match price_book_match(const struct price_book *b, const char *slug, long *out);

/* A model named by a user: a catalogue id (alias; *alias set to 1 when
 * alias is not NULL), else as price_book_match. */
enum price_match price_book_find(const struct price_book *b, const char *name, long *out,
                                 int *alias);

/* The price of model m for a period ending on the day last: its latest
 * price valid by that day; when every price is later than that, the
 * earliest one, and *later is set. */
const struct price_row *price_book_at(const struct price_book *b, long m, int32_t last, int *later);

/* A price older than its period by more than this: valid from more than 8
 * weeks before the period's first day. */
#define PRICE_STALE_DAYS 56

/* What a quote says about its price, besides how it matched. */
#define PRICE_LATER         1u /* every price is from after the period: the earliest is used */
#define PRICE_STALE         2u /* valid from more than PRICE_STALE_DAYS before the period */
#define PRICE_OTHER_VERSION 4u /* the price of another dated version of the model */

/* The price that applies to usage of slug in a period (a week, a day, a
 * month). */
struct price_quote {
    enum price_match how;        /* PRICE_NONE: no price (or only one of its two halves) */
    long model;                  /* in b->models; -1 when free without an entry */
    const struct price_row *row; /* the price; NULL when free without an entry */
    int64_t prompt, completion;  /* pico-USD per token */
    int32_t age;    /* days from row->valid_from to the period's last day (< 0: from after it) */
    unsigned flags; /* PRICE_LATER, PRICE_STALE, PRICE_OTHER_VERSION */
};

/* Fills *out for the period of unit u starting on start; returns 1 when
 * slug has a price then (free included), 0 when it has none (out->how is
 * PRICE_NONE). */
int price_book_quote(const struct price_book *b, const char *slug, enum period_unit u,
                     int32_t start, struct price_quote *out);

/* Writes slug without a trailing -YYYYMMDD or -YYYY-MM-DD date (a :variant
 * after it is kept) into nodate, and without the variant too into base;
 * *has_variant says whether there was one. */
void price_strip(const char *slug, struct ts_buf *nodate, struct ts_buf *base, int *has_variant);

/* Whether name and slug name the same model loosely: the same vendor
 * (case aside), and the same words ('-', '_' and ':' separate them; case
 * aside) in any order, the slug's date left out when name has none:
 * anthropic/claude-opus-4.6 ~ anthropic/claude-4.6-opus-20260205. */
int price_name_like(const char *name, const char *slug);

/* Whether a row's prompt + completion tokens are more than 1 % away from
 * its total (prompt = completion = 0 is no split, never off); *ratio gets
 * (prompt + completion) / total when ratio is not NULL (0 for a total of 0). */
int price_split_off(int64_t total, int64_t prompt, int64_t completion, double *ratio);

#endif
