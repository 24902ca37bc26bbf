/* query.h - what the reports read from the database: the weeks that have
 * data, tokens per week and group (country, vendor or model), usage per
 * model, the vendors without a country and the source line.
 *
 * A week is computed from its daily rows when the dataset has any daily
 * rows for it, otherwise from its weekly rows; the two are never added.
 * Countries follow the database's vendors view. */
#ifndef TOKSTAT_DB_QUERY_H
#define TOKSTAT_DB_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/price_book.h"
#include "core/series.h"
#include "db/db.h"

/* Every week of the dataset that has data, ascending. *out is freed by the
 * caller (free). */
int db_weeks(struct db *st, int64_t dataset, struct week_days **out, size_t *n, struct ts_err *err);
/* The same for the weeks from..to (Mondays) only. */
int db_weeks_between(struct db *st, int64_t dataset, int32_t from, int32_t to,
                     struct week_days **out, size_t *n, struct ts_err *err);

/* Tokens per week and group in the weeks from..to (Mondays); release *out
 * with series_release (on error it is released already). A sum that would
 * reach 2^63 is an error. */
int db_series(struct db *st, int64_t dataset, enum group_by by, int32_t from, int32_t to,
              struct series *out, struct ts_err *err);
/* Vendors with tokens in weeks from..to that have no country, sorted;
 * the caller frees each string and the array. */
int db_unmapped_vendors(struct db *st, int64_t dataset, int32_t from, int32_t to, char ***out,
                        size_t *n, struct ts_err *err);

/* The citation for data imported from OpenRouter formats, e.g.
 * "OpenRouter (openrouter.ai/rankings), as of 2026-05-30T05:27:03Z" (the
 * newest as-of time that is an ISO 8601 date or time no later than the day
 * after its import; else "imported <the newest import's time>"),
 * or NULL (*out) when the dataset has no such import. Freed by the caller.
 * Returns 0, or -1 with err filled. */
int db_source(struct db *st, int64_t dataset, char **out, struct ts_err *err);

/* Tokens per week and model in weeks from..to, ordered by week and slug;
 * the caller releases them with usage_rows_release. */
int db_usage(struct db *st, int64_t dataset, int32_t from, int32_t to, struct usage_row **out,
             size_t *n, struct ts_err *err);

/* Every model of the price book b as a row without tokens: its slug, its
 * vendor and the vendor's country (the vendors view's, "unknown" without
 * one), for prices --all; the caller releases them with
 * usage_rows_release. */
int db_book_models(struct db *st, const struct price_book *b, struct usage_row **out, size_t *n,
                   struct ts_err *err);

/* The share of prompt tokens over the dataset's observations that give
 * both prompt and completion tokens (the other bucket left out). Returns 1
 * and sets *out, 0 when no observation has the split, -1 on a database
 * error (err filled). */
int db_prompt_share(struct db *st, int64_t dataset, double *out, struct ts_err *err);

#endif
