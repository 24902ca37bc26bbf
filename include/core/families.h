/* families.h - model families: the rules that give a model its family
 * (slug prefix -> family, the longest matching prefix winning; a user's
 * rules before the shipped ones) and the default without a rule, which is
 * model_family (core/vendors.h): the slug without its date and :variant.
 * Pure: the database keeps the shipped rules and the user's
 * (db/families.h) and hands them here.
 *
 * A rule's prefix is the beginning of a model slug, vendor and '/'
 * included (deepseek/deepseek-v3.2 matches deepseek/deepseek-v3.2-exp and
 * deepseek/deepseek-v3.2-20251201:free); its family is a slug of the same
 * vendor without a :variant, so that a family's tokens are some of its
 * vendor's and its country is the vendor's. */
#ifndef TOKSTAT_CORE_FAMILIES_H
#define TOKSTAT_CORE_FAMILIES_H

#include <stddef.h>

#include "core/err.h"
#include "core/util.h"

struct family_rule {
    char *prefix, *family; /* normalised (family_rule_normalize) */
};

/* A set of rules; family_rules_sort before matching. */
struct family_rules {
    struct family_rule *r;
    size_t n, cap;
};
#define FAMILY_RULES_INIT                                                                          \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Checks and normalises a rule: both trimmed, valid UTF-8 without control
 * characters, at most TS_SLUG_MAX bytes, the vendor (before the first '/')
 * lower-cased; the prefix has a vendor and a '/', the family a vendor, a
 * '/', a name and no ':', and the same vendor as the prefix. Fills
 * nprefix and nfamily (reset first). Returns 0, or -1 with err set. */
int family_rule_normalize(const char *prefix, const char *family, struct ts_buf *nprefix,
                          struct ts_buf *nfamily, struct ts_err *err);

/* Checks and normalises a prefix alone, as family_rule_normalize does. */
int family_prefix_normalize(const char *prefix, struct ts_buf *out, struct ts_err *err);

/* Adds a copy of the rule (normalised); after family_rules_sort, the last
 * rule added for a prefix is the one kept. */
void family_rules_add(struct family_rules *rs, const char *prefix, const char *family);
/* Sorts the rules by prefix, keeping one rule a prefix. */
void family_rules_sort(struct family_rules *rs);
void family_rules_release(struct family_rules *rs); /* safe on FAMILY_RULES_INIT */

/* The rule of the longest prefix of slug (normalised) in rs (sorted), or
 * NULL when none matches. */
const struct family_rule *family_rules_match(const struct family_rules *rs, const char *slug);

/* The family of slug (normalised): the family of the user's rule that
 * matches it (family_rules_match), else of the shipped rule that does,
 * else model_family(slug). Either set may be NULL (none). Written into
 * out (reset first). */
void family_resolve(const struct family_rules *user, const struct family_rules *shipped,
                    const char *slug, struct ts_buf *out);

/* Parses a families CSV held in memory: a header naming a `prefix` column
 * and a `family` column (other columns ignored), then one rule a row.
 * Calls fn with each rule normalised, in file order, and counts them in
 * *rows; stops at the first bad row or fn's error, with err naming the
 * line and what was expected. */
int families_parse(const char *data, size_t len,
                   int (*fn)(void *ctx, const struct family_rule *rule, long line,
                             struct ts_err *err),
                   void *ctx, size_t *rows, struct ts_err *err);

/* The rules compiled into the program from data/families.csv. */
extern const unsigned char families_shipped_csv[];
extern const size_t families_shipped_csv_len;

#endif
