/* check.h - `tokstat check`: is the file sound, and do the weekly roll-ups
 * the reports read still match the observations they were made from? */
#ifndef TOKSTAT_DB_CHECK_H
#define TOKSTAT_DB_CHECK_H

#include <stddef.h>

#include "core/err.h"
#include "db/db.h"

struct check_report {
    char **problems; /* one line each (no newline), in the order found; owned */
    size_t nproblems;
    int integrity_ok;        /* PRAGMA integrity_check said "ok" */
    int rollups_checked;     /* the roll-ups were compared (only on a sound file) */
    size_t rollups_wrong;    /* weeks of a dataset whose roll-ups differ */
    size_t rollups_repaired; /* of those, rebuilt (with repair) */
};

#define CHECK_REPORT_INIT                                                                          \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0                                                                        \
    }

/* Runs PRAGMA integrity_check (its messages become problems); on a sound
 * file, then recomputes every roll-up (week_model, week_days, week_vendor)
 * from the observations with the code imports use, and compares it with
 * what is stored: each week of a dataset that differs is a problem naming
 * the dataset, the week and the tables. With repair non-zero, those weeks'
 * roll-ups are rebuilt, in one transaction. Without it nothing is written
 * to the database (the recomputed roll-ups go to temporary tables), so it
 * also works while another process imports.
 *
 * Call it outside a transaction. Returns 0 when the check ran, whatever it
 * found (out says; release it with check_report_release), or -1 with err
 * filled (out is then empty). */
int db_check(struct db *st, int repair, struct check_report *out, struct ts_err *err);

void check_report_release(struct check_report *r); /* safe on CHECK_REPORT_INIT, twice */

#endif
