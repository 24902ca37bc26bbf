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
#include "db/apps.h"
#include "db/db.h"
#include "render/doc.h"
#include "render/output.h"
#include "render/render.h"

/* A dataset as a report reads it. By day or by month (unit), "week"
 * below reads "period", named by its first day (report_period.h). */
struct dataset_view {
    struct db *db;           /* open, inside a read transaction */
    int64_t id;              /* the dataset */
    struct week_days *weeks; /* every week of it with data, ascending */
    size_t nweeks;
    int32_t from, to;         /* the weeks to report (Mondays) */
    struct range_notes notes; /* what the range left out or clipped (printed as notes) */
    enum dataset_kind kind;   /* model usage or app rankings */
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
 * data unless a chose others). A dataset of app rankings reports by app
 * (a->req.by becomes BY_APP when --by was not given): --by app on model
 * usage, another --by on apps, or a command that reads model usage only
 * (prices, cost) on apps is an error. Returns 0, or the exit status after
 * printing why not; either way the caller closes out. */
int dataset_view_open(struct cmd_env *env, struct report_args *a, long default_last,
                      struct dataset_view *out);

/* Ends the snapshot and closes the database; safe on DATASET_VIEW_INIT. */
void dataset_view_close(struct dataset_view *v);

/* Prints an error met while reading for a report or building it (a sum
 * that would reach 2^63); returns TS_EXIT_FAIL. */
int report_db_error(struct cmd_env *env, const struct ts_err *err);

/* The warning naming the vendors without a country in v's weeks, in
 * *out (the caller frees it), or NULL when every vendor has one. Returns
 * 0, or -1 with err filled. */
int report_unmapped_warning(const struct dataset_view *v, char **out, struct ts_err *err);

/* "tokstat: note: ..." on standard error: v's weeks (days, months) hold
 * no data of dataset: "dataset 'NAME' has no data yet", "no data for the
 * week of A in dataset 'NAME'" (a gap said so), "no data for the months
 * A to B ...". */
void report_note_empty(struct cmd_env *env, const struct dataset_view *v, const char *dataset);

/* Finishes doc and writes it: a warning naming the vendors without a
 * country in the weeks reported, the source line; the warnings on
 * standard error unless the format is JSON (which holds them); a note on
 * standard error when the document is empty; then the document to
 * standard output or, atomically, to --output. Returns the exit status. */
int report_write(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
                 struct report_doc *doc);

/* The same in parts, for a report whose rows can run to millions
 * (report and growth by model over years): rows are written as they are
 * built, REPORT_PAGE_ROWS at a time, so memory holds one page. */
#define REPORT_PAGE_ROWS 20000

struct report_out {
    struct output out;
    struct render_pages pages;
    struct render_opts ro;
    size_t warned; /* warnings printed so far */
    int open;      /* out is open */
    int failed;    /* a write failed (the reader went away, the disk is full): build no more */
};

#define REPORT_OUT_INIT                                                                            \
    {                                                                                              \
        OUTPUT_INIT, RENDER_PAGES_INIT, {0, 0, 0, 0, 0}, 0, 0, 0                                   \
    }

/* What report_write does before the rows: finishes doc (the vendors
 * without a country, the source line; its title, parameters and columns
 * set already), prints its warnings, opens the output and writes what
 * comes before the rows. Returns the exit status (0 to go on). */
int report_begin(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
                 struct report_doc *doc, struct report_out *ro);
/* Writes the rows doc holds and empties them, once they are
 * REPORT_PAGE_ROWS or more. When the write fails, sets ro->failed: the
 * caller builds no more rows and goes on to report_end, which says why
 * (or ends quietly when the reader went away). Returns the exit status
 * (0 to go on). */
int report_page(struct cmd_env *env, struct report_out *ro, struct report_doc *doc);
/* Writes the rest of doc and commits the output; the note for an empty
 * result. Returns the exit status. */
int report_end(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
               struct report_doc *doc, struct report_out *ro);
void report_out_release(struct report_out *ro); /* safe on REPORT_OUT_INIT */

#endif
