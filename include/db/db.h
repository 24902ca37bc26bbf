/* db.h - the SQLite database: schema and migrations, transactions,
 * observations, prices, imports and the vendor -> country map.
 *
 * Nothing outside store.c (and later query.c) talks to SQLite. Every value
 * goes through bound parameters. */
#ifndef TOKSTAT_DB_DB_H
#define TOKSTAT_DB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/series.h"

#define DB_SCHEMA_VERSION 4

struct db;

/* Opens (creating the file, its folder and the schema when needed) the
 * database at path, migrates it forward, and refreshes the shipped vendor
 * table when the program's copy changed. *out is freed by db_close. */
int db_open(const char *path, struct db **out, struct ts_err *err);
void db_close(struct db *st); /* safe on NULL */

/* The SQLite handle, for the query layer (query.c) only. */
struct sqlite3;
struct sqlite3 *db_sqlite(struct db *st);

/* Transactions: db_begin takes the write lock at once (BEGIN IMMEDIATE),
 * waiting for another writer up to the busy timeout. */
int db_begin(struct db *st, struct ts_err *err);
/* A read transaction, so that every query of a report sees one state of
 * the database even while an import commits; end it with db_rollback
 * (or db_close). */
int db_begin_read(struct db *st, struct ts_err *err);
int db_commit(struct db *st, struct ts_err *err);
void db_rollback(struct db *st); /* safe when no transaction is open */

/* The id of dataset name, creating it when create is non-zero. Returns 1
 * when found or created, 0 when absent (and not created), -1 on error. */
int db_dataset(struct db *st, const char *name, int create, int64_t *out, struct ts_err *err);

/* One import of one file, inside the file's transaction. */
struct import_run {
    int64_t id;
    int64_t dataset;
    const char *file;   /* as given on the command line */
    const char *format; /* format_name() */
    char sha256[65];
    int64_t rows, inserted, updated, unchanged;
    int64_t prices;    /* prices stored (catalogue entries or snapshot prices) */
    const char *as_of; /* NULL when the source gives none */
};

/* Inserts the import's row (so observations can point at it) and sets imp->id. */
int db_import_start(struct db *st, struct import_run *imp, struct ts_err *err);
/* Writes the counts, hash and as-of time of imp. */
int db_import_finish(struct db *st, const struct import_run *imp, struct ts_err *err);
/* When an earlier import into the same dataset as except_id had the same
 * content hash, writes its time into when (UTC, "YYYY-MM-DD HH:MM:SS") and
 * returns 1; 0 if none. */
int db_import_seen(struct db *st, const char *sha256, int64_t except_id, char when[32],
                   struct ts_err *err);

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

/* A model's price from valid_from on, from a source ("catalogue" or
 * "snapshot"); prices in pico-USD per token, TS_ABSENT = unknown. */
int db_price_put(struct db *st, const char *model, int32_t valid_from, const char *source,
                 int64_t prompt, int64_t completion, int64_t import_id, struct ts_err *err);

/* Rebuilds the weekly roll-ups (week_model, week_days) of dataset for the
 * weeks containing the days from..to; an import calls it for the span its
 * file covered, before committing. */
int db_rollup(struct db *st, int64_t dataset, int32_t from, int32_t to, struct ts_err *err);

/* Records that the catalogue id alias (e.g. anthropic/claude-opus-4.6)
 * names the model whose prices are kept as model. */
int db_alias_put(struct db *st, const char *alias, const char *model, int64_t import_id,
                 struct ts_err *err);

/* Vendors. Countries are ISO 3166 alpha-2, upper case. */
int db_vendor_set(struct db *st, const char *vendor, const char *country, struct ts_err *err);
/* Returns 1 when an override was removed, 0 when there was none. */
int db_vendor_unset(struct db *st, const char *vendor, struct ts_err *err);

struct vendor_mapping {
    const char *vendor, *country, *name;
    const char *source;          /* "shipped" or "user" */
    const char *shipped_country; /* under a user override, the shipped value, or NULL */
};
/* Calls fn for each mapping, ordered by vendor; stops when fn returns non-zero. */
int db_vendor_each(struct db *st, int (*fn)(void *ctx, const struct vendor_mapping *v), void *ctx,
                   struct ts_err *err);

/* What `tokstat status` shows. Every string is owned by the struct. */
struct dataset_status {
    char *name;
    int64_t observations, models, vendors;
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
int db_read_status(struct db *st, size_t max_imports, struct db_status *out, struct ts_err *err);
void db_status_release(struct db_status *s);

#endif
