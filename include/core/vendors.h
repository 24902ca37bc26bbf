/* vendors.h - model slugs, vendors and vendor -> country files; pure. */
#ifndef TOKSTAT_CORE_VENDORS_H
#define TOKSTAT_CORE_VENDORS_H

#include <stddef.h>

#include "core/err.h"
#include "core/util.h"

/* The reserved bucket for everything outside a leaderboard's top rows:
 * "other" (Data API) and "Others" (rankings chart). Its vendor and country
 * are "other" too. */
#define TS_OTHER "other"

/* The country of a vendor no mapping places, and the country a mapping
 * gives on purpose when no public source places the vendor (no warning
 * then: the map is not missing anything). */
#define TS_UNKNOWN "unknown"

/* The longest model slug accepted, in bytes (real ones are under 100). */
#define TS_SLUG_MAX 512

/* Normalises a model slug: surrounding blanks trimmed, valid UTF-8 without
 * control characters, the vendor (text before the first '/', or before a
 * ':' when there is no '/') lower-cased, and "other"/"Others" mapped to
 * TS_OTHER; at most TS_SLUG_MAX bytes. Fills slug and vendor (reset first). On error fills err with
 * a message such as "empty model slug". */
int model_normalize(const char *s, size_t len, struct ts_buf *slug, struct ts_buf *vendor,
                    struct ts_err *err);

/* The family of a model (slug normalised): the slug without a trailing
 * -YYYYMMDD or -YYYY-MM-DD date and without its :variant, as price
 * matching strips them (price_strip): anthropic/claude-4.6-opus-20260205
 * and anthropic/claude-4.6-opus-20260205:thinking are both
 * anthropic/claude-4.6-opus. Written into out (reset first). */
void model_family(const char *slug, struct ts_buf *out);

/* Checks and normalises a vendor name (trimmed, lower-case, no '/', not
 * empty); writes into out. Returns 0, or -1 with err set. */
int vendor_normalize(const char *s, struct ts_buf *out, struct ts_err *err);

/* Checks a country code: two ASCII letters, returned upper-case in out[3].
 * Returns 0, or -1 with err set. */
int country_normalize(const char *s, char out[3], struct ts_err *err);

struct vendor_row {
    const char *vendor;  /* normalised */
    const char *country; /* normalised, two upper-case letters, or TS_UNKNOWN */
    const char *name;    /* "" when the file has no name column */
    long line;
};

struct vendors_parse_result {
    size_t rows;                /* rows handed to fn */
    size_t skipped;             /* rows left out: country unknown/aggregate, or vendor "other" */
    struct ts_buf skipped_list; /* "openrouter (UNKNOWN), other (reserved)" */
};
#define VENDORS_PARSE_RESULT_INIT                                                                  \
    {                                                                                              \
        0, 0, TS_BUF_INIT                                                                          \
    }
void vendors_parse_result_release(struct vendors_parse_result *r);

/* Parses a vendor CSV held in memory: a header naming a `vendor` (or
 * `author`) column and a `country` column, and optionally `name`; other
 * columns are ignored. Rows whose country is "unknown", "aggregate" or
 * empty, and the reserved vendor "other", are skipped and listed in res.
 * Calls fn for every other row, in file order; stops at fn's error. */
int vendors_parse(const char *data, size_t len,
                  int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err), void *ctx,
                  struct vendors_parse_result *res, struct ts_err *err);

/* The table compiled into the program from data/vendors.csv. */
extern const unsigned char vendors_shipped_csv[];
extern const size_t vendors_shipped_csv_len;

#endif
