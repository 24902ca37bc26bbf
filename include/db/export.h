/* export.h - every observation of a dataset, one row at a time, for
 * tokstat export: read in one week at a time, so that memory holds one
 * week's models however big the database is.
 *
 * The rows are the observations the reports count: a week's daily rows
 * when it has any, else its weekly rows (a weekly row of a week that also
 * has daily rows is left out, as the reports leave it out). Order: by
 * date, then model (byte order); a weekly row is dated by its week's
 * Monday. Countries follow the vendors view.
 *
 *   struct db_export *x;
 *   db_export_open(db, dataset, from, to, &x, &err);
 *   while ((rc = db_export_next(x, &row, &err)) > 0)
 *       ... row's strings hold until the next call ...
 *   db_export_close(x);
 *
 * Call inside a read transaction (db_begin_read), so that every week is
 * read from one state of the database. */
#ifndef TOKSTAT_DB_EXPORT_H
#define TOKSTAT_DB_EXPORT_H

#include <stdint.h>

#include "core/err.h"
#include "core/series.h"
#include "db/db.h"

struct export_row {
    enum ts_period period;
    int32_t date;                          /* the day, or a weekly row's Monday */
    int32_t week;                          /* the Monday of its ISO week */
    const char *model, *vendor, *country;  /* country "unknown" when unmapped */
    const char *family;                    /* its family (db/families.h) */
    int64_t total;                         /* tokens */
    int64_t prompt, completion, reasoning; /* TS_ABSENT when the source does not give them */
    int64_t cached, requests;
    int full; /* its week's total is the whole market (it has the other bucket), not the listed */
};

struct db_export;

/* Starts reading the observations of dataset dated from..to (days,
 * inclusive); a dataset of app rankings has no model rows and is refused.
 * *out is freed by db_export_close. */
int db_export_open(struct db *st, int64_t dataset, int32_t from, int32_t to, struct db_export **out,
                   struct ts_err *err);

/* The next row into *out: 1, or 0 at the end, or -1 with err filled (a
 * database error, a damaged week of observations). */
int db_export_next(struct db_export *x, struct export_row *out, struct ts_err *err);

/* Safe on NULL. */
void db_export_close(struct db_export *x);

#endif
