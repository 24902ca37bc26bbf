/* db.h - the SQLite database: opening it (migrated to the current schema),
 * transactions, and datasets.
 *
 * The database layer (src/db/) is the only code that talks to SQLite; every
 * value goes through bound parameters. Its other headers, one per module:
 *   db/obs.h      writing observations (model ids, upserts)
 *   db/imports.h  the row of each imported file
 *   db/prices.h   prices and catalogue aliases, both ways
 *   db/rollup.h   the weekly roll-ups the reports read
 *   db/vendors.h  vendor -> country overrides and the list of mappings
 *   db/families.h model family rules: the user's, and the list of them
 *   db/status.h   what `tokstat status` shows
 *   db/query.h    what the reports read
 *   db/check.h    `tokstat check`: integrity and roll-ups
 *   db/cell.h     the text of a model's week of observations
 * The tables and views a person may query are described in the schema
 * itself (src/db/schema.c; `.schema` in sqlite3 shows the comments). */
#ifndef TOKSTAT_DB_DB_H
#define TOKSTAT_DB_DB_H

#include <stdint.h>

#include "core/err.h"

#define DB_SCHEMA_VERSION 8

struct db;

/* Opens the database at path for a command that writes: creates the
 * file, its folder and the schema when needed; refuses a file of a newer
 * schema before writing anything to it; switches it to WAL, migrates an
 * older schema forward, and refreshes the shipped vendor table and family
 * rules when the program's copies changed. path is a path, never a SQLite URI ("file:..."
 * is refused). *out is freed by db_close. */
int db_open(const char *path, struct db **out, struct ts_err *err);

/* Opens the existing database at path for a command that only reads, with
 * SQLITE_OPEN_READONLY: it never creates a file or a folder and never
 * writes, so it works on a read-only file in a read-only folder (a WAL
 * database whose -shm cannot be created is read as the file alone when no
 * -wal or -journal holds changes). Refuses a missing file, a "file:" URI,
 * a newer schema, and an older one (which only a command that writes
 * migrates). *out is freed by db_close. */
int db_open_read(const char *path, struct db **out, struct ts_err *err);

/* Non-zero when a database opened by db_open_read holds the shipped vendor
 * table of another tokstat (the next command that writes refreshes it). */
int db_vendors_stale(const struct db *st);
/* The same for the shipped model family rules. */
int db_families_stale(const struct db *st);
void db_close(struct db *st); /* safe on NULL */

/* Transactions: db_begin takes the write lock at once (BEGIN IMMEDIATE),
 * waiting for another writer up to the busy timeout. */
int db_begin(struct db *st, struct ts_err *err);
/* A read transaction, so that every query of a report sees one state of
 * the database even while an import commits; end it with db_rollback
 * (or db_close). */
int db_begin_read(struct db *st, struct ts_err *err);
/* Writes the observations kept in memory and commits; on error rolls back. */
int db_commit(struct db *st, struct ts_err *err);
void db_rollback(struct db *st); /* safe when no transaction is open */

/* The id of dataset name, creating it when create is non-zero. Returns 1
 * when found or created, 0 when absent (and not created), -1 on error. */
int db_dataset(struct db *st, const char *name, int create, int64_t *out, struct ts_err *err);

#endif
