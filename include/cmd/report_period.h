/* report_period.h - what a report command does differently by day or by
 * month (--period): which periods have data, the series and the usage it
 * reads, the vendors without a country on its days, and the notes that name its
 * periods ("the month of 2025-02 has 2 of 28 days so far"). By week,
 * each is what the reports did before there were other periods. */
#ifndef TOKSTAT_CMD_REPORT_PERIOD_H
#define TOKSTAT_CMD_REPORT_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "core/series.h"
#include "report/report.h"

/* Reads the periods of v->unit with data into v->weeks (v->db and v->id
 * open: the dataset named dataset). By day or month, weeks of weekly rows only cannot be split: a
 * dataset with nothing else is an error (printed; returns its exit
 * status), and v->weekly_only keeps them for view_period_notes. Returns 0
 * to go on. */
int view_periods(struct cmd_env *env, struct dataset_view *v, const char *dataset);

/* The notes on standard error about the range v reports: what it left
 * out or clipped, and weeks of weekly rows only inside it. */
void view_period_notes(struct cmd_env *env, const struct dataset_view *v);

/* The series of the periods v reports, grouped by a->req.by, from the
 * period before the first when with_prev (its growth and change of
 * share). Returns 0, or -1 with err filled (out released). */
int view_series(const struct dataset_view *v, const struct report_args *a, int with_prev,
                struct series *out, struct ts_err *err);

/* Each model's usage per period of v in the periods from..to (their first
 * days), for prices and cost: db_usage by week, db_usage_periods by day or
 * month. Returns 0, or -1 with err filled. */
int view_usage(const struct dataset_view *v, int32_t from, int32_t to, struct usage_row **out,
               size_t *n, struct ts_err *err);

/* What prices and cost build from: v's periods, range and unit, with the
 * usage rows[0..n) and the price book. */
struct priced_usage view_priced(const struct dataset_view *v, const struct usage_row *rows,
                                size_t n, const struct price_book *book);

/* Vendors with tokens in the periods v reports that have no country,
 * sorted; the caller frees each string and the array. */
int view_unmapped_vendors(const struct dataset_view *v, char ***out, size_t *n, struct ts_err *err);

#endif
