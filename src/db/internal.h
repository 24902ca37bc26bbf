/* internal.h - what the modules of the database layer share and nothing
 * outside src/db/ sees: the handle, and the functions one module calls in
 * another. Statements go through sql.h.
 *
 *   db.c       open, close, datasets
 *   tx.c       transactions
 *   schema.c   the migrations, and taking a database to the current one
 *   obs.c      the observation write path: model ids, the cell cache
 *   apps.c     datasets' kinds, the lists apps datasets rank, app ids
 *   cell.c     a model's week as the text of one row
 *   rollup.c   the weekly roll-ups
 *   imports.c  the imports table
 *   price_history.c  prices and catalogue aliases, both ways
 *   countries.c  vendor -> country: overrides, the shipped table, the map
 *   families.c model families: overrides, the shipped rules, the map
 *   status.c   what `tokstat status` shows
 *   query.c    what the reports read
 *   check.c    integrity, and roll-ups against their observations */
#ifndef TOKSTAT_DB_INTERNAL_H
#define TOKSTAT_DB_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/families.h"
#include "core/series.h"
#include "core/util.h"
#include "db/cell.h"
#include "db/db.h"
#include "sql.h"

/* Statements the handle keeps prepared once used (sql_reuse): those an
 * import runs for each row or cell. */
enum stmt_id {
    ST_MODEL_GET,
    ST_MODEL_ADD,
    ST_CELL_GET,
    ST_CELL_PUT,
    ST_CELL_PUT_MANY,
    ST_CELL_RANGE,
    ST_SEEN_GET,
    ST_SEEN_PUT,
    ST_PRICE_PUT,
    ST_ALIAS_PUT,
    ST_APP_GET,
    ST_APP_ADD,
    ST_APP_RENAME,
    ST_COUNT
};

/* A model's week of one granularity in one dataset, as the import has it. */
struct cell {
    int64_t dataset, model;
    int32_t week;
    unsigned char used, gran, dirty;
    unsigned char seen; /* bit d: day d's row was found unchanged by this import */
    struct cell_slot s[CELL_DAYS];
};

struct cell_cache {
    struct cell *t;
    size_t cap, used;
};

/* The vendors view as a map: vendor -> countries[i]. */
struct country_map {
    struct ts_map index;
    char **countries;
    size_t n;
};

/* The families view's rules, and the family of each slug asked so far. */
struct family_map {
    struct family_rules user, shipped; /* sorted */
    struct ts_map index;               /* slug -> names[i] */
    char **names;
    size_t n, cap;
    struct ts_buf buf;
};

struct db {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT]; /* NULL until first used */
    int in_tx;
    struct cell_cache cells; /* the import's cells, written when full and at the end */
    /* The weeks that may have cells in the database, per granularity, for
     * range_dataset: a cell outside them is new without a look. */
    int64_t range_dataset;
    struct {
        int known, any;
        int32_t lo, hi;
    } range[2];
    int64_t seen_cells;           /* cells this import recorded in temp.seen */
    int64_t obs_replaced;         /* the import behind the row the last upsert updated */
    struct ts_map model_ids;      /* slug -> id, emptied when a transaction rolls back */
    int64_t tx;                   /* transactions begun */
    struct country_map countries; /* countries_load */
    int64_t countries_tx;         /* the transaction they were read in; 0: none */
    int vendors_stale;            /* opened to read: its shipped vendor table is not ours */
    struct family_map families;   /* families_load */
    int64_t families_tx;          /* the transaction they were read in; 0: none */
    int families_stale;           /* opened to read: its shipped family rules are not ours */
};

/* schema.c: takes the database to DB_SCHEMA_VERSION within the caller's
 * write transaction; reads PRAGMA user_version. */
int schema_migrate(struct db *st, struct ts_err *err);
/* Whether a database of schema version may be opened: a newer one never;
 * an older one (or one without a schema) only for writing, which migrates
 * it. path is for the message. Returns 0 or -1. */
int schema_check(int version, int writing, const char *path, struct ts_err *err);
int schema_version(struct db *st, int *out, struct ts_err *err);

/* obs.c: writes the import's cells kept in memory; forgets them (a
 * rollback, or a new import). */
int cells_flush(struct db *st, struct ts_err *err);
void cells_forget(struct db *st);
/* The error for a cell whose text cell_decode refuses. Returns -1. */

/* rollup.c: the tables a roll-up writes: those the reports read, or the
 * scratch copies check.c compares them with. Only these fixed names reach
 * the SQL. */
enum rollup_target {
    ROLLUP_STORED,
    ROLLUP_SCRATCH,
};
#define STORED_MODEL   "main.week_model"
#define STORED_DAYS    "main.week_days"
#define STORED_VENDOR  "main.week_vendor"
#define SCRATCH_MODEL  "temp.check_week_model"
#define SCRATCH_DAYS   "temp.check_week_days"
#define SCRATCH_VENDOR "temp.check_week_vendor"

/* Rebuilds the roll-ups of dataset in target for the weeks containing the
 * days from..to (db_rollup is this for ROLLUP_STORED). */
int rollup_into(struct db *st, enum rollup_target target, int64_t dataset, int32_t from, int32_t to,
                struct ts_err *err);
/* The roll-ups of every dataset over all the weeks of its observations. */
int rollup_all(struct db *st, enum rollup_target target, struct ts_err *err);

/* countries.c: replaces the shipped vendor table when the program's copy
 * changed, within the caller's write transaction. */
int vendors_refresh_shipped(struct db *st, struct ts_err *err);
/* Sets *out to 1 when the database's shipped vendor table is the
 * program's copy, else 0. */
int vendors_shipped_current(struct db *st, int *out, struct ts_err *err);

/* countries.c: the vendors view's vendor -> country, read into st->countries
 * for the queries that give many rows a country: once per transaction (a
 * report asks twice, for its series and for its unmapped vendors), and
 * again by each call outside one. */
int countries_load(struct db *st, struct ts_err *err);
/* The country of vendor in st->countries: "unknown" for a vendor the view
 * does not list (a roll-up naming a vendor of no model). Valid until the
 * map is forgotten. */
const char *country_of(const struct db *st, const char *vendor);
/* Whether a mapping (shipped or a user's, 'unknown' on purpose included)
 * places the vendor; the other bucket counts as placed. */
int country_mapped(const struct db *st, const char *vendor);
/* Frees the map: this handle changed the vendors or the models, or is
 * closing. */
void countries_forget(struct db *st);

/* query.c: the vendors without a country that a query lists, once each:
 * unmapped_add adds vendor unless it is mapped or already in (seen, out,
 * n, cap); unmapped_end ends the list: sorted, or, when failed, freed and
 * emptied. Returns 0, or -1 when failed. */
void unmapped_add(struct db *st, struct ts_map *seen, char ***out, size_t *n, size_t *cap,
                  const char *vendor);
int unmapped_end(struct ts_map *seen, char ***out, size_t *n, int failed);

/* query.c: the name of the group of a model (slug, of vendor, in country)
 * by by, an app's name for BY_APP (its slug); and what naming the groups
 * by by needs read first (the countries, and for BY_FAMILY the family
 * rules). */
const char *query_group_name(struct db *st, enum group_by by, const char *slug, const char *vendor,
                             const char *country);
int query_groups_load(struct db *st, enum group_by by, struct ts_err *err);

/* query.c, for period_query.c: the slot of group key (named name, of
 * country, with id: an app's, else 0) in out, added (its tokens zeroed
 * over out->nweeks) when new, found through index (cap: the groups'
 * room); the groups sorted by name; group name in
 * sorted s, or -1; and the like-for-like comparisons of s (each period
 * with the one before, the first reported with the last). */
size_t query_group_slot(struct series *out, struct ts_map *index, size_t *cap, const char *key,
                        const char *name, const char *country, int64_t id);
void query_sort_groups(struct series *s);
long query_group_find(const struct series *s, const char *name);
int query_compare(struct db *st, int64_t dataset, enum group_by by, struct series *s,
                  struct ts_err *err);
/* families.c: replaces the shipped family rules when the program's copy
 * changed, within the caller's write transaction; whether the database's are the program's (*out 1
 * or 0). */
int families_refresh_shipped(struct db *st, struct ts_err *err);
int families_shipped_current(struct db *st, int *out, struct ts_err *err);

/* families.c: the families view's rules, read into st->families once per
 * transaction (as countries_load), and again by each call outside one. */
int families_load(struct db *st, struct ts_err *err);
/* The family of slug (core/families.h's family_resolve over the loaded
 * rules), remembered for the next rows of the same model. Valid until the
 * map is forgotten. */
const char *family_of(struct db *st, const char *slug);
/* Frees the map: this handle changed the rules, or is closing. */
void families_forget(struct db *st);

#endif
