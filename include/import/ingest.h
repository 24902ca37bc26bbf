/* ingest.h - the sink between importers and the store: normalises slugs,
 * places weekly labels, upserts observations and prices, counts. */
#ifndef TOKSTAT_IMPORT_INGEST_H
#define TOKSTAT_IMPORT_INGEST_H

#include <stdint.h>

#include "import/record.h"
#include "db/imports.h"
#include "core/util.h"

/* How many of the rows whose split is off a file's warning names. */
#define INGEST_SPLIT_SHOWN 5
/* Room for a JSON path to a record, such as "weeks[123].byModel". */
#define INGEST_WHERE_MAX 64

struct ingest {
    struct db *st;
    struct import_run imp; /* dataset and id set by the caller; counts kept here */
    int label_end;         /* --week-label end */
    int32_t today;         /* the day of the import (UTC) */
    int32_t price_day;     /* valid-from day of catalogue prices */
    int have_period;
    int32_t first_period, last_period; /* days, for the summary's week range */
    char *as_of;                       /* owned copy of the source's as-of time, or NULL */
    int as_of_fixed;                   /* set by --as-of: the file's own as-of time is ignored */
    int as_of_bad; /* as_of is no ISO date or time (1), in the future (2), before 2000 (3) */
    struct ts_buf slug, vendor, alias; /* scratch */
    struct ts_map ids;                 /* slugs as written -> model ids, for this import */
    /* Rows whose prompt and completion tokens are no split of their total:
     * both 0 for tokens (read as no split), or their sum more than 1 %
     * away from it (cost takes their proportions); the first of the
     * latter as "slug in the week of D (1.65x)", owned. */
    int64_t split_zero, split_off;
    char *split_off_rows[INGEST_SPLIT_SHOWN];
    /* Each week the file has rows in, with the place of its last row there
     * (ascending by week): where an error about the week's sums points. */
    struct ingest_week {
        int32_t week;
        long line, col;
        char where[INGEST_WHERE_MAX]; /* a JSON document's path to the row ("data[17]"), or "" */
    } * weeks;
    size_t nweeks, weeks_cap, week_hit;
    /* Rows whose total is below their prompt + completion tokens, which
     * it includes: the first as "slug on D (5 < 6 + 7)", owned. Counted
     * here, not among split_off. */
    int64_t split_over;
    char *split_over_rows[INGEST_SPLIT_SHOWN];
    /* Rows this import updates, by the import that wrote them ("12" ->
     * rows), so that a dump older than those imports is noticed. */
    struct ts_map replaced;
    int force; /* --force: bring back an older dump's figures (with a warning) */
    /* Rows whose figures came from a dump with a later as-of time than
     * this one's, and the latest such dump: its as-of time and file
     * (owned) and when it was imported. */
    int64_t stale_rows;
    char *stale_as_of, *stale_file;
    char stale_when[32];
};

/* imp.dataset and imp.id must be set before records arrive. today is the
 * day of the import: catalogue prices are valid from it unless the file's
 * as-of time says otherwise, and an as-of time after the day after it is
 * refused. */
void ingest_init(struct ingest *ig, struct db *st, int label_end, int32_t today);
/* Fills a sink whose callbacks write through ig. */
void ingest_sink(struct ingest *ig, struct ts_sink *out);
/* Ends the import inside its transaction: refuses an as-of time that is
 * no ISO 8601 date or time (YYYY-MM-DD, YYYY-MM-DDThh:mm:ss[.f][Z|+hh:mm])
 * or is later than the day after today; refuses a dump whose as-of time is
 * older than that of the dump that wrote some of the rows it would update
 * (it would bring back older figures), unless ig->force: then stale_rows
 * says how many it did. Records its counts, hash and as-of time, and
 * rebuilds the weekly roll-ups of the weeks it touched. A week whose
 * tokens would reach 2^63 (over all its models, with what the dataset held
 * before) is an error at the file's last row in that week. */
int ingest_finish(struct ingest *ig, struct ts_err *err);

void ingest_release(struct ingest *ig); /* safe after ingest_init */

#endif
