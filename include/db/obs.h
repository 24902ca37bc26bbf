/* obs.h - writing observations: the ids of models, and one observation at a
 * time, kept in memory and written in bulk (src/db/obs.c says how). */
#ifndef TOKSTAT_DB_OBS_H
#define TOKSTAT_DB_OBS_H

#include <stdint.h>

#include "core/err.h"
#include "core/series.h"
#include "db/db.h"

/* The id of a model slug (already normalised), created with its vendor. */
int db_model(struct db *st, const char *slug, const char *vendor, int64_t *out, struct ts_err *err);

enum obs_change {
    OBS_INSERTED,
    OBS_UPDATED,
    OBS_UNCHANGED,
    OBS_DUPLICATE, /* this import already had this key: a duplicate in one file */
};

struct observation {
    int64_t dataset;
    enum ts_period granularity;
    int32_t period; /* the day, or the week's Monday */
    int64_t model;
    int64_t import_id;
    int64_t total, prompt, completion, reasoning, cached, requests; /* TS_ABSENT = NULL */
};

/* Inserts o, or updates the row of its key, and says which it did (a
 * duplicate: this import already had the key). Rows are kept in memory and
 * written in bulk: db_import_finish and db_commit write them; a
 * rollback forgets them. */
int db_obs_upsert(struct db *st, const struct observation *o, enum obs_change *out,
                  struct ts_err *err);

/* After db_obs_upsert said OBS_UPDATED: the id of the import that had
 * written the row's figures it replaced. */
int64_t db_obs_replaced(const struct db *st);

#endif
