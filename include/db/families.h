/* families.h - model family rules (slug prefix -> family): the shipped
 * ones (data/families.csv, refreshed when the program's copy changes)
 * under the user's, which come first (and replace the shipped rule of the
 * same prefix). The database's families view states them; the reports
 * and export give each model the family of its longest matching user's
 * prefix, else shipped prefix, else its slug without date and :variant
 * (core/families.h). */
#ifndef TOKSTAT_DB_FAMILIES_H
#define TOKSTAT_DB_FAMILIES_H

#include "core/err.h"
#include "db/db.h"

/* A user's rule; prefix and family normalised (family_rule_normalize). */
int db_family_set(struct db *st, const char *prefix, const char *family, struct ts_err *err);
/* Returns 1 when a user's rule was removed, 0 when there was none. */
int db_family_unset(struct db *st, const char *prefix, struct ts_err *err);

/* The strings are valid during the callback only. */
struct family_listing {
    const char *prefix, *family;
    const char *source;         /* "shipped" or "user" */
    const char *shipped_family; /* under a user's rule, the shipped family, or NULL */
};
/* Calls fn for each rule, ordered by prefix; stops when fn returns
 * non-zero. */
int db_family_each(struct db *st, int (*fn)(void *ctx, const struct family_listing *f), void *ctx,
                   struct ts_err *err);

#endif
