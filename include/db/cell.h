/* cell.h - the observations of one model in one week as the store keeps
 * them: one row per (dataset, granularity, week, model) whose text is a
 * JSON array of day slots, 7 for daily rows (Monday first) and 1 for a
 * weekly row. A slot is null (no row that day) or
 *   [total, import_id, prompt, completion, reasoning, cached, requests]
 * without its trailing nulls ([595090081549,3] when only the total is
 * known). JSON, so that SQLite's json_each can show the rows one by one
 * (the observations view), and a week of a model is one B-tree entry
 * instead of seven. */
#ifndef TOKSTAT_DB_CELL_H
#define TOKSTAT_DB_CELL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/util.h"

#define CELL_DAYS   7
#define CELL_FIELDS 7

/* The fields of a slot, in their order in the array. */
enum cell_field {
    CELL_TOTAL,
    CELL_IMPORT,
    CELL_PROMPT,
    CELL_COMPLETION,
    CELL_REASONING,
    CELL_CACHED,
    CELL_REQUESTS,
};

struct cell_slot {
    int filled;
    int64_t v[CELL_FIELDS]; /* counts >= 0; TS_ABSENT (-1) for a null */
};

/* Appends the array of the nslots slots s to out. */
void cell_encode(const struct cell_slot *s, int nslots, struct ts_buf *out);

/* Reads text (len bytes) into nslots slots: 0, or -1 when it is not such
 * an array (a damaged database). A shorter array leaves the last slots
 * empty. */
int cell_decode(const char *text, size_t len, struct cell_slot *s, int nslots);

/* Whether a filled slot gives a split of its tokens: prompt and
 * completion, unless both are 0 for tokens that are not (a dump that
 * knows none writes zeros: no split, not a split of zero). */
int cell_has_split(const struct cell_slot *s);

/* The message for a cell that cannot be read: "database: damaged
 * observations of model M in the week of YYYY-MM-DD". Returns -1. */
int cell_damaged(struct ts_err *err, int64_t model, int32_t week);

#endif
