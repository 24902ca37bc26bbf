/* countries.h - the vendor -> country map: the shipped table (data/vendors.csv,
 * refreshed when the program's copy changes) under the user's overrides.
 * The rule lives in the database's vendors view; everything that needs a
 * country reads it there. */
#ifndef TOKSTAT_DB_COUNTRIES_H
#define TOKSTAT_DB_COUNTRIES_H

#include "core/err.h"
#include "db/db.h"

/* Countries are ISO 3166 alpha-2, upper case. */
int db_vendor_set(struct db *st, const char *vendor, const char *country, struct ts_err *err);
/* Returns 1 when an override was removed, 0 when there was none. */
int db_vendor_unset(struct db *st, const char *vendor, struct ts_err *err);

/* The strings are valid during the callback only. */
struct vendor_mapping {
    const char *vendor, *country, *name;
    const char *source;          /* "shipped" or "user" */
    const char *shipped_country; /* under a user override, the shipped value, or NULL */
};
/* Calls fn for each mapping (shipped or set by a user), ordered by vendor;
 * stops when fn returns non-zero. */
int db_vendor_each(struct db *st, int (*fn)(void *ctx, const struct vendor_mapping *v), void *ctx,
                   struct ts_err *err);

#endif
