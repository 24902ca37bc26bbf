/* metrics.h - shares, growth and concentration; pure functions on int64
 * token counts. Ratios are doubles: they are computed from exact integers
 * at the last moment and rounded only when printed. */
#ifndef TOKSTAT_CORE_METRICS_H
#define TOKSTAT_CORE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/period.h"

/* part / whole, 0 when whole is 0. */
double metrics_share(int64_t part, int64_t whole);

/* Week-over-week growth cur / prev - 1. Returns 0 and sets *out when prev
 * > 0; returns -1 when prev is 0 (the group is "new" when cur > 0, and
 * has no growth to speak of when cur is 0 too). */
int metrics_growth(int64_t cur, int64_t prev, double *out);

/* Compound weekly growth over n week-to-week steps:
 * (end / start)^(1/n) - 1. Returns -1 when start is 0 or n is 0. */
int metrics_compound_growth(int64_t start, int64_t end, int n, double *out);

/* Herfindahl-Hirschman index of the given token counts against the
 * denominator whole: sum over i of (100 * tokens[i] / whole)^2, so 10,000
 * for one firm holding everything. 0 when whole is 0. */
double metrics_hhi(const int64_t *tokens, size_t n, int64_t whole);

/* The HHI of a market whose ranked groups hold tokens[0..n) of whole and
 * whose other bucket (everything unranked) holds other of it, as bounds:
 * the other bucket hides many groups of unknown sizes. *low treats it as
 * infinitely many tiny ones (the ranked groups' squares alone); *high
 * splits it into groups no larger than the smallest ranked one (k of that
 * size and a remainder). With no other bucket both are metrics_hhi. */
void metrics_hhi_bounds(const int64_t *tokens, size_t n, int64_t other, int64_t whole, double *low,
                        double *high);

enum hhi_band {
    HHI_UNCONCENTRATED, /* below 1,000 (1992 Merger Guidelines) */
    HHI_MODERATELY,     /* 1,000 to 1,800 */
    HHI_HIGHLY,         /* above 1,800 (2023 Merger Guidelines) */
};

enum hhi_band metrics_hhi_band(double hhi);
/* "unconcentrated", "moderately concentrated", "highly concentrated". */
const char *metrics_hhi_band_name(enum hhi_band b);

/* A change of HHI of more than 100 points is significant (2023 Guidelines). */
int metrics_hhi_change_significant(double delta);

/* Sum of the n largest values of tokens (the array need not be sorted;
 * ties do not matter to the sum). */
int64_t metrics_top_sum(const int64_t *tokens, size_t count, size_t n);

/* CR-n: the share of the n largest values in whole. */
double metrics_cr(const int64_t *tokens, size_t count, size_t n, int64_t whole);

/* Sorts the indices idx[0..n) of tokens by tokens descending, then by
 * names ascending (strcmp), so that ranks are deterministic. */
void metrics_rank(const int64_t *tokens, const char *const *names, size_t n, size_t *idx);

/* The median of v[0..n), n > 0: the middle value, or the mean of the two
 * middle ones when n is even. Sorts v. */
double metrics_median(int64_t *v, size_t n);
/* The arithmetic mean of v[0..n), n > 0 (summed in long double). */
double metrics_mean(const int64_t *v, size_t n);

/* Overflow-checked int64 addition: returns -1 (and leaves *acc) when the
 * sum would pass INT64_MAX. */
int metrics_add(int64_t *acc, int64_t v);

/* Fills err with the one message for a period whose tokens reach 2^63:
 * "the tokens of the week of 2026-03-02 reach 2^63 (a week's total over
 * all its models must stay below 2^63)", and for a day or a month "the
 * tokens of the month 2026-03 reach 2^63 (a month's total ...)". start is
 * the period's first day. Returns -1. */
int metrics_period_overflow(struct ts_err *err, enum period_unit unit, int32_t start);

#endif
