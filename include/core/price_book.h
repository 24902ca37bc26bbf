/* price_book.h - which price applies to a usage model in a given week; pure.
 *
 * Prices come from the model catalogue (per model, from the day it was
 * fetched) and from weekly snapshots (per model and week). A price holds
 * from its valid-from day until the model's next price. A usage slug is
 * matched to a priced model by its canonical slug, then with a -YYYYMMDD
 * (or -YYYY-MM-DD) date suffix dropped from both, then with the :variant
 * dropped too (against models without a variant, so a :free price of 0
 * never prices the paid model, and :free usage is never priced like the
 * paid model). */
#ifndef TOKSTAT_CORE_PRICE_BOOK_H
#define TOKSTAT_CORE_PRICE_BOOK_H

#include <stddef.h>
#include <stdint.h>

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

struct price_book {
    struct price_row *rows;
    size_t nrows, cap;
    struct price_alias *aliases;
    size_t naliases, acap;
    struct price_model *models; /* built by price_book_index */
    size_t nmodels;
};

#define PRICE_BOOK_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0, NULL, 0, 0, NULL, 0                                                            \
    }

/* Adds a row or an alias (strings copied). */
void price_book_add(struct price_book *b, const char *model, int32_t valid_from, int snapshot,
                    int64_t prompt, int64_t completion);
void price_book_add_alias(struct price_book *b, const char *alias, const char *model);

/* Sorts the rows and builds the model index; call after the last add. */
void price_book_index(struct price_book *b);
void price_book_release(struct price_book *b);

/* The index in b->models of the model whose prices apply to the usage
 * slug, or -1 when none does. */
long price_book_match(const struct price_book *b, const char *slug);

/* A model named by a user: a catalogue id (alias), else as price_book_match. */
long price_book_find(const struct price_book *b, const char *name);

/* The price of model m in the week starting on week: its latest price
 * valid by the week's last day; when every price is later than that, the
 * earliest one, and *later is set. */
const struct price_row *price_book_at(const struct price_book *b, long m, int32_t week, int *later);

/* Writes slug without a trailing -YYYYMMDD or -YYYY-MM-DD date (a :variant
 * after it is kept) into nodate, and without the variant too into base;
 * *has_variant says whether there was one. */
void price_strip(const char *slug, struct ts_buf *nodate, struct ts_buf *base, int *has_variant);

#endif
