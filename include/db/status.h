/* status.h - what `tokstat status` shows: per dataset its observations,
 * models, vendors, weeks and unmapped vendors, and the latest imports. */
#ifndef TOKSTAT_DB_STATUS_H
#define TOKSTAT_DB_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/series.h"
#include "db/apps.h"
#include "db/db.h"

/* Every string is owned by the struct. */
struct dataset_status {
    char *name;
    enum dataset_kind kind; /* model usage or app rankings (or nothing yet) */
    struct app_list list;   /* an apps dataset's, when has_list */
    int has_list;
    int64_t observations, models, vendors; /* models: apps, in an apps dataset */
    int64_t daily_rows, weekly_rows;
    int32_t first_day, last_day; /* daily rows' range, when daily_rows > 0 */
    struct week_days *weeks;     /* every week with data, ascending */
    size_t nweeks;
    char **unmapped; /* vendors without a country, sorted */
    size_t nunmapped;
};
struct import_row {
    char *file, *sha256, *format, *dataset, *as_of, *when;
    int64_t rows, inserted, updated, unchanged, prices;
};
struct db_status {
    int schema_version;
    struct dataset_status *datasets;
    size_t ndatasets;
    struct import_row *imports; /* newest first, at most max_imports */
    size_t nimports;
    int64_t total_imports;
    int64_t catalogue_prices;
};
/* Fills *out; release it with db_status_release, also after an error. */
int db_read_status(struct db *st, size_t max_imports, struct db_status *out, struct ts_err *err);
void db_status_release(struct db_status *s); /* safe twice */

/* The newest day of the dataset's daily rows into *out: returns 1, or 0
 * when it has none, -1 on error. */
int db_last_day(struct db *st, int64_t dataset, int32_t *out, struct ts_err *err);

#endif
