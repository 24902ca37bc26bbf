/* series.h - the shared shapes of usage data: what the database hands to
 * the report builders (weeks with data, tokens per week and group, usage
 * rows per model), and the markers every layer uses (an absent count, a
 * day or a week). Pure types; no database. */
#ifndef TOKSTAT_CORE_SERIES_H
#define TOKSTAT_CORE_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/period.h"

#define TS_ABSENT (-1) /* an optional count or price the source does not give */

/* What one observation covers. */
enum ts_period {
    TS_DAY = 0,
    TS_WEEK = 1,
};

/* How a report groups tokens. */
enum group_by {
    BY_COUNTRY,
    BY_VENDOR,
    BY_MODEL,
    BY_APP,    /* an app of an app-rankings dataset: no vendor, no country */
    BY_FAMILY, /* the model's family (core/families.h) */
};

/* Parses "country", "vendor", "model", "app", "family"; -1 when none. */
int group_by_parse(const char *name, enum group_by *out);
/* "country", "vendor", "model", "app" or "family" (static). */
const char *group_by_name(enum group_by by);

/* A week with data; for days and months, a period with data, week being
 * its first day and mask a bit per day of it (bit 0 its first day). */
struct week_days {
    int32_t week;  /* the Monday */
    int days;      /* days of daily data (1-7), or 7 for a week of weekly data */
    unsigned mask; /* the weekdays with data: bit 0 Monday ... bit 6 Sunday (127 for weekly) */
    int full;      /* its total is the whole market (it has the other bucket), not the listed */
};

/* Tokens per week and group for the weeks from..to (Mondays, inclusive):
 * a matrix over every calendar week of the range, weeks without data
 * holding 0 tokens and 0 days. A series of days or months (unit) is the
 * same with "week" read as "period": from and to are their first days,
 * days counts days of data out of the period's length, and a mask has a
 * bit for each day of the period (period.h). */
struct series_group {
    char *name;      /* country code, vendor, model slug, family or app name; "other" for the
                        bucket */
    char *country;   /* the group's country: "unknown" when unmapped, "other" for the bucket;
                        "" for an app */
    int64_t id;      /* an app's OpenRouter id (its identity: names may repeat); else 0 */
    int is_other;    /* the other bucket: counts in totals, never ranked */
    int64_t *tokens; /* nweeks values */
};

/* Two weeks of daily data compared on the weekdays both have (like for
 * like): a partial week against the same weekdays of the other. */
struct week_compare {
    unsigned mask;       /* the weekdays compared (bit 0 Monday); 0: none in common */
    int64_t *cur, *prev; /* per group of the series: tokens on those days (later, earlier) */
    int64_t cur_total, prev_total; /* every group's, the other bucket included */
};

struct series {
    int32_t from, to; /* Mondays */
    size_t nweeks;
    int *days;           /* per week: 0 without data, 1-6 partial, 7 complete */
    unsigned *mask;      /* per week: its weekdays with data (bit 0 Monday; 127 for weekly rows) */
    unsigned char *full; /* per week: its total is the whole market (it has an other bucket) */
    int64_t *total;      /* per week: all tokens, the other bucket included */
    struct series_group *groups; /* sorted by name */
    size_t ngroups;
    /* The dataset's first and last week with data (has_span 0: it has
     * none): a week between them without data is a gap. */
    int has_span;
    int32_t span_from, span_to;
    /* Per week w >= 1: w against w - 1 like for like, when both have data
     * and not the same weekdays (else NULL, and they compare whole). */
    struct week_compare **cmp;
    /* The range's first reported week (1) against its last, like for like
     * when their weekdays differ; else NULL. */
    struct week_compare *ends;
    enum group_by by;      /* what the groups are: BY_APP for apps, whose lists are always listed */
    enum period_unit unit; /* what a column is: a week (PERIOD_WEEK, 0), a day or a month */
};

#define SERIES_INIT                                                                                \
    {                                                                                              \
        0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, BY_COUNTRY, PERIOD_WEEK     \
    }

/* Whether week w of s is a gap: no data, inside the span of the dataset's
 * weeks with data. */
int series_gap(const struct series *s, size_t w);

/* The first day of period w of s (a week's Monday), and its length in days. */
int32_t series_start(const struct series *s, size_t w);
int series_length(const struct series *s, size_t w);

void series_release(struct series *s); /* safe on SERIES_INIT */

/* Checks what every builder's sums of s rely on: no group has negative
 * tokens, and each week's tokens over all groups stay below 2^63 (so that
 * any sum of some groups in a week does too). Returns 0, or -1 with err
 * filled (metrics_period_overflow's for a period that reaches 2^63). */
int series_check(const struct series *s, struct ts_err *err);
/* The error for period w of s whose tokens reach 2^63
 * (metrics_period_overflow's). Returns -1. */
int series_overflow(const struct series *s, size_t w, struct ts_err *err);

/* Tokens per week and model; split_tokens of them come from rows that give
 * prompt and completion tokens, whose sums prompt and completion are. */
struct usage_row {
    int32_t week;
    char *slug, *vendor, *country; /* owned; country "unknown" when unmapped */
    int64_t tokens;
    int64_t split_tokens, prompt, completion;
    char *family; /* owned; the model's family (core/families.h) */
};

void usage_rows_release(struct usage_row *rows, size_t n);

#endif
