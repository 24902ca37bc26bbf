/* period_query.h - what the reports read when they are cut into days or
 * calendar months (--period day|month) rather than ISO weeks: the periods
 * with data, tokens per period and group, and the vendors without a
 * country, read from the daily observations.
 *
 * A weekly row covers a whole week and cannot be split into days, nor
 * between the two months a week may straddle: weeks that have only weekly
 * rows are left out of days and months (db_weekly_only_weeks names them),
 * never spread over their days. */
#ifndef TOKSTAT_DB_PERIOD_QUERY_H
#define TOKSTAT_DB_PERIOD_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/period.h"
#include "core/series.h"
#include "db/db.h"

/* Every period of unit u of the dataset that has daily data, ascending:
 * its first day (in .week), its days with data and their mask (bit 0 its
 * first day), and whether a week it overlaps has the other bucket (the
 * series say exactly, per period). *out is freed by the caller (free). */
int db_periods(struct db *st, int64_t dataset, enum period_unit u, struct week_days **out,
               size_t *n, struct ts_err *err);

/* The weeks of the dataset (Mondays, ascending) that have weekly rows
 * and no daily ones; *out is freed by the caller (free). */
int db_weekly_only_weeks(struct db *st, int64_t dataset, int32_t **out, size_t *n,
                         struct ts_err *err);

/* Tokens per period of unit u and group in the periods from..to (their
 * first days), from the daily observations, as db_series gives weeks
 * (query.h): every calendar period of the range, the like-for-like
 * comparisons of a partial period with its neighbour (on the days of the
 * period both have: the same weekdays, the same days of the month) and of
 * the range's ends. Release *out with series_release (on error it is
 * released already). A sum that would reach 2^63 is an error, and so is
 * BY_APP (app rankings are weekly rows). */
int db_period_series(struct db *st, int64_t dataset, enum group_by by, enum period_unit u,
                     int32_t from, int32_t to, struct series *out, struct ts_err *err);

/* Each model's usage per period of unit u in the periods from..to (their
 * first days), from the daily observations, as db_usage gives weeks
 * (query.h): ordered by period (its first day in .week), then slug; the
 * split sums of the days that give one. Release with usage_rows_release. */
int db_usage_periods(struct db *st, int64_t dataset, enum period_unit u, int32_t from, int32_t to,
                     struct usage_row **out, size_t *n, struct ts_err *err);

/* Vendors with daily tokens on the days from..to that have no country,
 * sorted; the caller frees each string and the array. */
int db_unmapped_vendors_days(struct db *st, int64_t dataset, int32_t from, int32_t to, char ***out,
                             size_t *n, struct ts_err *err);

#endif
