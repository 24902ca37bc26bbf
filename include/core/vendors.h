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

/* Checks a country code: an officially assigned ISO 3166-1 alpha-2 code
 * (or EU, which ISO 3166 reserves for the European Union), in any case,
 * returned upper-case in out[3]. Returns 0, or -1 with err set ("'ZZ' is
 * not an ISO 3166-1 alpha-2 country code ..."). */
int country_normalize(const char *s, char out[3], struct ts_err *err);

/* Whether cc (two upper-case letters) is such a code. */
int country_known(const char *cc);

struct vendor_row {
    const char *vendor;  /* normalised */
    const char *country; /* normalised, two upper-case letters, or TS_UNKNOWN */
    const char *name;    /* "" when the file has no name column */
    long line;
};

#define VENDORS_SKIPPED_SHOWN 10 /* skipped vendors named in a summary */

struct vendors_parse_result {
    size_t rows;                /* rows handed to fn */
    size_t skipped;             /* rows left out: no country or aggregate, or vendor "other" */
    struct ts_buf skipped_list; /* "openrouter (UNKNOWN), other (reserved)": the first few */
};
#define VENDORS_PARSE_RESULT_INIT                                                                  \
    {                                                                                              \
        0, 0, TS_BUF_INIT                                                                          \
    }
void vendors_parse_result_release(struct vendors_parse_result *r);

/* Parses a vendor CSV: a header naming a `vendor` (or `author`) column and
 * a `country` column, and optionally `name`; other columns are ignored,
 * two columns for one of these are refused. Rows whose country is
 * "aggregate" or empty, and the reserved vendor "other", are skipped and
 * counted in res (the first ten named); "unknown" is a country on purpose
 * (TS_UNKNOWN). Calls fn for every other row, in file order; stops at
 * fn's error. Lines end at "\n", "\r\n"
 * or a lone "\r"; a field may have at most 64 KiB, so memory stays bounded
 * whatever the input. Errors name their line in err. */
int vendors_parse(const char *data, size_t len,
                  int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err), void *ctx,
                  struct vendors_parse_result *res, struct ts_err *err);

/* The same, fed in chunks of any size (a file read as it goes): new
 * returns NULL when libcsv cannot start; feed and end return 0, or -1 with
 * err set; free is safe on NULL. */
struct vendors_parser;
struct vendors_parser *
vendors_parser_new(int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err),
                   void *ctx, struct vendors_parse_result *res, struct ts_err *err);
int vendors_parser_feed(struct vendors_parser *vp, const char *data, size_t len);
int vendors_parser_end(struct vendors_parser *vp);
void vendors_parser_free(struct vendors_parser *vp);

/* The table compiled into the program from data/vendors.csv. */
extern const unsigned char vendors_shipped_csv[];
extern const size_t vendors_shipped_csv_len;

#endif
