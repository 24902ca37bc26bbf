/* report_io.h - the steps every report command takes around its own
 * query and builder: open the dataset and read its weeks in one snapshot,
 * work out the weeks to report; and at the end finish the document (the
 * vendors without a country, the source line), print its warnings and
 * write it to standard output or --output. */
#ifndef TOKSTAT_CMD_REPORT_IO_H
#define TOKSTAT_CMD_REPORT_IO_H

#include <stddef.h>
#include <stdint.h>

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "core/series.h"
#include "db/db.h"
#include "render/doc.h"

/* A dataset as a report reads it. By day or by month (unit), "week"
 * below reads "period", named by its first day (report_period.h). */
struct dataset_view {
    struct db *db;           /* open, inside a read transaction */
    int64_t id;              /* the dataset */
    struct week_days *weeks; /* every week of it with data, ascending */
    size_t nweeks;
    int32_t from, to;         /* the weeks to report (Mondays) */
    struct range_notes notes; /* what the range left out or clipped (printed as notes) */
    enum period_unit unit;    /* weeks, days or months */
    int32_t *weekly_only;     /* by day or month: the weeks of weekly rows only, left out */
    size_t nweekly_only;
};

#define DATASET_VIEW_INIT                                                                          \
    {                                                                                              \
        .db = NULL                                                                                 \
    }

/* Opens the database and, in one read snapshot, a's dataset and its
 * weeks; works out the weeks to report (the latest default_last weeks with
 * data unless a chose others). Returns 0, or the exit status after
 * printing why not; either way the caller closes out. */
int dataset_view_open(struct cmd_env *env, const struct report_args *a, long default_last,
                      struct dataset_view *out);

/* Ends the snapshot and closes the database; safe on DATASET_VIEW_INIT. */
void dataset_view_close(struct dataset_view *v);

/* Prints an error met while reading for a report or building it (a sum
 * that would reach 2^63); returns TS_EXIT_FAIL. */
int report_db_error(struct cmd_env *env, const struct ts_err *err);

/* Finishes doc and writes it: a warning naming the vendors without a
 * country in the weeks reported, the source line; the warnings on
 * standard error unless the format is JSON (which holds them); a note on
 * standard error when the document is empty; then the document to
 * standard output or, atomically, to --output. Returns the exit status. */
int report_write(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
                 struct report_doc *doc);

#endif
