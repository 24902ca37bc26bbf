/* rollup.h - the weekly roll-ups (week_model, week_days, week_vendor) that
 * reports read instead of every observation. */
#ifndef TOKSTAT_DB_ROLLUP_H
#define TOKSTAT_DB_ROLLUP_H

#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

/* Rebuilds the weekly roll-ups of dataset for the weeks containing the
 * days from..to from its observations; an import calls it for the span its
 * file covered, inside its transaction, before committing. Token sums must
 * stay below 2^63: a model's or a vendor's tokens in a week, and each
 * week's total over all its models. When one does not, returns -1 with
 * the week (its Monday) in *bad_week (NULL: not wanted); *bad_week is 0
 * after any other error. */
int db_rollup(struct db *st, int64_t dataset, int32_t from, int32_t to, int32_t *bad_week,
              struct ts_err *err);

#endif
