/* query.h - what the reports read from the database: the weeks that have
 * data, and tokens per week and group (country, vendor or model).
 *
 * A week is computed from its daily rows when the dataset has any daily
 * rows for it, otherwise from its weekly rows; the two are never added. */
#ifndef TOKSTAT_QUERY_H
#define TOKSTAT_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "prices.h"
#include "store.h"

enum query_by {
    BY_COUNTRY,
    BY_VENDOR,
    BY_MODEL,
};

/* Parses "country", "vendor", "model"; -1 when none. */
int query_by_parse(const char *name, enum query_by *out);
const char *query_by_name(enum query_by by);

struct week_days {
    int32_t week; /* the Monday */
    int days;     /* days of daily data (1-7), or 7 for a week of weekly data */
};

/* Every week of the dataset that has data, ascending. *out is freed by the
 * caller (free). */
int query_weeks(struct store *st, int64_t dataset, struct week_days **out, size_t *n,
                struct ts_err *err);

/* Tokens per week and group for the weeks from..to (Mondays, inclusive):
 * a matrix over every calendar week of the range, weeks without data
 * holding 0 tokens and 0 days. */
struct series_group {
    char *name;      /* country code, vendor or model slug; "other" for the bucket */
    char *country;   /* the group's country: "unknown" when unmapped, "other" for the bucket */
    int is_other;    /* the other bucket: counts in totals, never ranked */
    int64_t *tokens; /* nweeks values */
};

struct series {
    int32_t from, to; /* Mondays */
    size_t nweeks;
    int *days;                   /* per week: 0 without data, 1-6 partial, 7 complete */
    int64_t *total;              /* per week: all tokens, the other bucket included */
    struct series_group *groups; /* sorted by name */
    size_t ngroups;
};

#define SERIES_INIT                                                                                \
    {                                                                                              \
        0, 0, 0, NULL, NULL, NULL, 0                                                               \
    }

int query_series(struct store *st, int64_t dataset, enum query_by by, int32_t from, int32_t to,
                 struct series *out, struct ts_err *err);
void series_release(struct series *s); /* safe on SERIES_INIT */

/* Vendors with tokens in weeks from..to that have no country, sorted;
 * the caller frees each string and the array. */
int query_unmapped(struct store *st, int64_t dataset, int32_t from, int32_t to, char ***out,
                   size_t *n, struct ts_err *err);

/* The citation for data imported from OpenRouter formats, e.g.
 * "OpenRouter (openrouter.ai/rankings), as of 2026-05-30T05:27:03Z",
 * or NULL (*out) when the dataset has no such import. Freed by the caller.
 * Returns 0, or -1 with err filled. */
int query_source(struct store *st, int64_t dataset, char **out, struct ts_err *err);

/* Every price and catalogue alias, indexed (price_book_index done). */
int query_price_book(struct store *st, struct price_book *out, struct ts_err *err);

/* Tokens per week and model for weeks from..to (Mondays); split_tokens of
 * them come from rows that give prompt and completion tokens, whose sums
 * prompt and completion are. */
struct usage_row {
    int32_t week;
    char *slug, *vendor, *country; /* owned; country "unknown" when unmapped */
    int64_t tokens;
    int64_t split_tokens, prompt, completion;
};

int query_usage(struct store *st, int64_t dataset, int32_t from, int32_t to, struct usage_row **out,
                size_t *n, struct ts_err *err);
void usage_rows_release(struct usage_row *rows, size_t n);

/* The share of prompt tokens over the dataset's observations that give
 * both prompt and completion tokens (the other bucket left out). Returns 1
 * and sets *out, 0 when no observation has the split, -1 on a database
 * error (err filled). */
int query_prompt_share(struct store *st, int64_t dataset, double *out, struct ts_err *err);

#endif
