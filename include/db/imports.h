/* imports.h - the imports table: one row per imported file, with its
 * counts, content hash and as-of time. */
#ifndef TOKSTAT_DB_IMPORTS_H
#define TOKSTAT_DB_IMPORTS_H

#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

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

/* Inserts the import's row (so observations can point at it) and sets
 * imp->id. A new import: the observations kept in memory are forgotten. */
int db_import_start(struct db *st, struct import_run *imp, struct ts_err *err);
/* Writes the observations kept in memory, then the counts, hash and as-of
 * time of imp. */
int db_import_finish(struct db *st, const struct import_run *imp, struct ts_err *err);
/* Import id's as-of time and file (NULL when it has none; both owned by
 * the caller) and the time it was made (UTC, "YYYY-MM-DD HH:MM:SS"). */
int db_import_about(struct db *st, int64_t id, char **as_of, char **file, char when[32],
                    struct ts_err *err);

/* When an earlier import into the same dataset as except_id had the same
 * content hash, writes its time into when (UTC, "YYYY-MM-DD HH:MM:SS") and
 * returns 1; 0 if none. */
int db_import_seen(struct db *st, const char *sha256, int64_t except_id, char when[32],
                   struct ts_err *err);

#endif
