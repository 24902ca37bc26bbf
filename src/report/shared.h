/* shared.h - what the report builders share: the column table and a
 * sheet that picks its columns from it, titles and headings, and the
 * reading of a weekly series (denominators, the groups of a week in rank
 * order). Internal to src/report/. */
#ifndef TOKSTAT_REPORT_SHARED_H
#define TOKSTAT_REPORT_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "core/series.h"
#include "core/util.h"
#include "render/doc.h"
#include "render/rowset.h"
#include "report/report.h"

/* Logical columns of every report; the group column takes the name of
 * --by and the country column is left out when grouping by country or by
 * app (apps have none); by app, the app's id follows its name. */
enum col_id {
    C_WEEK,
    C_DAYS,
    C_HEAD,
    C_RANK,
    C_GROUP,
    C_COUNTRY,
    C_TOKENS,
    C_PREV,
    C_SHARE,
    C_CUMUL,
    C_CHANGE,
    C_GROWTH,
    C_CR,
    C_HHI,
    C_HHI_CHANGE,
    C_BAND,
    C_START,
    C_END,
    C_WEEKLY,
    C_WEEKS,
    C_MAKEUP,
    C_INPUT,
    C_OUTPUT,
    C_INPUT_RATIO,
    C_OUTPUT_RATIO,
    C_PRICE_FROM,
    C_SOURCE,
    C_MODELS,
    C_SPEND,
    C_USD_PER_M,
    C_UNPRICED,
    C_ESTIMATED,
    C_PRICED,
    C_COVERAGE,      /* "full" or "listed": what the week's total is */
    C_STATUS,        /* what a number means in an edge case: new, gone, gap, partial, ... */
    C_COMPARED_DAYS, /* the weekdays a like-for-like comparison took */
    C_HHI_HIGH,      /* the HHI's upper bound (C_HHI is the lower) */
    C_FIRST_WEEK,    /* a summary's first and last week, and their days */
    C_FIRST_DAYS,
    C_LAST_WEEK,
    C_LAST_DAYS,
    C_PRICE_MODEL, /* the slug whose price prices the row */
    C_PRICE_MATCH, /* how it was matched: exact, undated, base or free */
    C_PRICE_AGE,   /* days from the price's valid-from day to the week's last day */
    C_FLAG,        /* text output's word for new, gone and gap rows */
    C_IN_TOP,      /* how many of the top N a country has */
    C_PRICED_AS,   /* text only: C_PRICE_MODEL where it differs from the row's model */
    C_LISTED,      /* prices --all: the models a median and mean are over */
    C_IN_MEDIAN,   /* prices --all: the median and plain mean of a group's prices */
    C_OUT_MEDIAN,
    C_IN_MEAN,
    C_OUT_MEAN,
    C_APP_ID,   /* by app: the app's OpenRouter id, after the group (its name) */
    C_WEEKDAYS, /* the weekdays a week has data for: "Mon-Sun", "Wed-Sun" */
    C_NCOLS
};

/* A rowset whose columns are ids[] of the column table: setters take the
 * logical column and do nothing for one the sheet left out. */
struct sheet {
    struct rowset *rs;
    int map[C_NCOLS]; /* logical column -> index in rs, or -1 */
};

/* Starts rs (released first) over the columns ids[0..n) for grouping by. */
void sheet_start(struct sheet *sh, struct rowset *rs, const enum col_id *ids, size_t n,
                 enum group_by by);
/* A sheet over rs, which sheet_start began with the same ids and by:
 * more rows for it (a report built in parts). */
void sheet_attach(struct sheet *sh, struct rowset *rs, const enum col_id *ids, size_t n,
                  enum group_by by);
/* Blocks of rows under headings: consecutive rows with the same C_HEAD. */
void sheet_blocks(struct sheet *sh);
size_t sheet_add(struct sheet *sh); /* a new row of empty cells */
void sheet_text(struct sheet *sh, size_t r, enum col_id c, const char *v);
void sheet_int(struct sheet *sh, size_t r, enum col_id c, int64_t v);
void sheet_real(struct sheet *sh, size_t r, enum col_id c, double v);
/* A new row for group g in week w of s (heading head): its week, days,
 * heading, name, country and tokens. */
size_t sheet_group_row(struct sheet *sh, const struct series *s, size_t w, const char *head,
                       const struct series_group *g);
/* The week columns of row r: week, days, coverage, heading. */
void sheet_week(struct sheet *sh, size_t r, const struct series *s, size_t w, const char *head);
/* A growth rate cur / prev - 1; nothing when prev is 0 (the status says why). */
void sheet_growth(struct sheet *sh, size_t r, enum col_id c, int64_t cur, int64_t prev);

/* The range words of a title: "week of A" (from >= to: the week of to) or
 * "weeks A to B", then " (dataset NAME)", or " (dataset NAME, other
 * excluded)"; appended to b. from, to are Mondays. */
void title_range(struct ts_buf *b, int32_t from, int32_t to, const struct report_request *rq);
/* The same for periods of unit u from..to (their first days): "month of
 * 2025-01", "months 2024-12 to 2025-01", "days 2025-01-01 to 2025-01-07". */
void title_periods(struct ts_buf *b, enum period_unit u, int32_t from, int32_t to,
                   const struct report_request *rq);
/* The same for the periods of s from its period first to its last. */
void title_series(struct ts_buf *b, const struct series *s, size_t first,
                  const struct report_request *rq);
/* Sets d's title to "WHAT by GROUP, " and the range words of s from its
 * period first. */
void title_what_by(struct report_doc *d, const char *what, const struct series *s, size_t first,
                   const struct report_request *rq);

/* The block heading of the period of unit u starting on start with days
 * of data: "Week of 2026-02-09", "Month of 2025-01 (partial: 20 of 31
 * days)", "Day 2025-01-05 (no data)"; buf of n bytes. */
void period_heading(enum period_unit u, int32_t start, int days, char *buf, size_t n);

/* The words of the status column: what a number means in an edge case. */
#define ST_NEW     "new"     /* no tokens the week before: no growth to give */
#define ST_GONE    "gone"    /* tokens the week before, none now */
#define ST_GAP     "gap"     /* this week or the one before is a gap in the data */
#define ST_PARTIAL "partial" /* compared like for like, on the weekdays both weeks have */

/* How week w of a series compares with w - 1. */
struct week_pair {
    int prev_known;                 /* the week before has data, and they compare */
    int incomparable;               /* both have data, but no weekday in common (or weekly rows) */
    int gap;                        /* this week or the week before is a gap */
    const struct week_compare *cmp; /* like for like on common weekdays, or NULL: whole weeks */
};
void week_pair_of(const struct series *s, size_t w, struct week_pair *out);

/* Group g's tokens in week w and the week before as p compares them (on
 * the common weekdays when like for like; g < 0: the denominators, the
 * other bucket left out when exclude). */
void pair_tokens(const struct series *s, const struct week_pair *p, long g, size_t w, int exclude,
                 int64_t *cur, int64_t *prev);

/* Sets the status (and compared days) of row r for a comparison p of a
 * group with tokens cur now and prev the week before; returns the word
 * (NULL: nothing to say). */
const char *pair_status(struct sheet *sh, size_t r, const struct week_pair *p, int64_t cur,
                        int64_t prev);

/* The block heading of week w of s: "Week of 2026-02-09", then in
 * parentheses what it is: "partial: 5 of 7 days, Mon-Fri", "listed models
 * only", "a gap: no data" or "no data"; and when it is compared with the
 * week before like for like, "; compared with Mon-Fri of the week before". */
void series_heading(const struct series *s, size_t w, char *buf, size_t n);

/* The coverage word of week w: "full" or "listed". */
const char *series_coverage(const struct series *s, size_t w);

/* What the groups of grouping by are, in the plural: "countries",
 * "vendors", "models" or "apps". */
const char *series_groups_word(enum group_by by);

/* The parameters every report of a series shows first in JSON: by,
 * period (only when not weeks), dataset, other, from, to (the first days
 * of s's period first and of its last). */
void params_series(struct report_doc *d, const struct report_request *rq, const struct series *s,
                   size_t first);

/* Names the columns of sh that name the period (week, first_week,
 * last_week, weekly_growth, weeks) for days or months: "month",
 * "first_month", ... ; nothing for weeks. */
void sheet_period(struct sheet *sh, enum period_unit u);

/* The days of mask of s's periods as a sentence takes them: "Mon-Fri"
 * (weekdays), "the 1st-20th" (days of the month); into out (n bytes). */
void series_days_words(const struct series *s, uint32_t mask, char *out, size_t n);
/* What has no day in common: "weekday", "day of the month" or "day". */
const char *series_day_word(const struct series *s);

/* ---- reading a weekly series (series_order.c) ---- */

/* The index of the other bucket in s, or -1. */
long series_other(const struct series *s);
/* The Monday of week w of s. */
int32_t series_week(const struct series *s, size_t w);
/* The denominator of week w: its total, less the other bucket when excluded. */
int64_t series_total(const struct series *s, long other, int exclude, size_t w);
/* Orders idx[0..n), groups of s, by tokens in week w descending, then name. */
void series_order(const struct series *s, size_t w, size_t *idx, size_t n);
/* The groups to show in week w (tokens > 0 in w, or in w-1 when with_prev),
 * the other bucket only when neither excluded nor ranked_only, ordered by
 * tokens in w descending, then name. Returns how many; idx has room for
 * s->ngroups. */
size_t series_week_groups(const struct series *s, size_t w, int exclude_other, int with_prev,
                          int ranked_only, size_t *idx);

/* ---- what usage costs (pricing.c) ---- */

/* Per-group sums of one week of priced usage. */
struct group_sum {
    const char *name, *country; /* borrowed from the usage rows */
    int64_t tokens, priced, unpriced, estimated;
    int models;
    double in_weighted, out_weighted; /* sums of tokens x price per million, for averages */
    double spend;                     /* pico-dollars */
    struct price_quote quote;         /* by model: the model's price and where it comes from */
    int64_t *ins, *outs;              /* prices --all: the listed models' prices (pico-USD) */
    size_t nlisted, listed_cap;
};

/* The groups of a week, found by name through a map. */
struct group_sums {
    struct group_sum *g;
    size_t n, cap;
    struct ts_map index; /* name -> position in g */
};
#define GROUP_SUMS_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0, TS_MAP_INIT                                                                    \
    }

/* The sums of group name (made, zeroed, when new) of a week's usage
 * grouped by; by model every call is a new group (a week's usage has a row
 * per model), found without the map. The pointer holds until the next
 * call. */
struct group_sum *group_sums_get(struct group_sums *gs, const char *name, const char *country,
                                 enum group_by by);
/* Adds the prices of q to g's list for the median and mean (prices
 * --all); nothing for no price or a free one (both halves 0). */
void group_sums_list(struct group_sum *g, const struct price_quote *q);
/* order[0..gs->n): the groups by tokens (or priced tokens) descending, then name. */
void group_sums_order(const struct group_sums *gs, int by_priced, size_t *order);
void group_sums_release(struct group_sums *gs);

/* A set of names, each shown with an optional detail ("a (as b)"), listed
 * sorted; a name is kept once, with the detail it first came with. */
struct name_set {
    struct ts_map seen;
    char **names; /* owned: the name and its detail, as shown */
    size_t n, cap;
};
#define NAME_SET_INIT                                                                              \
    {                                                                                              \
        TS_MAP_INIT, NULL, 0, 0                                                                    \
    }
void name_set_add(struct name_set *s, const char *name);
/* name shown as "name (DETAIL)", DETAIL made from fmt. */
void name_set_add_detail(struct name_set *s, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void name_set_release(struct name_set *s);

/* What a warning about models says of them. */
enum warn_kind {
    WARN_UNPRICED,      /* "no price for 3 models (left out, never counted as free): ..." */
    WARN_LATER,         /* "3 models priced with their earliest price, from after the week: ..." */
    WARN_STALE,         /* priced with a price more than 8 weeks older than the week */
    WARN_OTHER_VERSION, /* priced with the price of another dated version */
    WARN_SPLIT_OFF,     /* prompt + completion more than 1 % away from the total */
};

/* A warning of kind naming up to five models of names (sorted first) and
 * how many more there are; nothing when names is empty. u is the period
 * the prices are of (WARN_LATER, WARN_STALE: "from after the month"). */
void warn_models(struct report_doc *d, enum warn_kind kind, enum period_unit u,
                 struct name_set *names);

/* The warnings about the prices of a report's usage in periods of unit: a
 * set per kind of WARN_UNPRICED .. WARN_OTHER_VERSION. */
struct price_notes {
    struct name_set unpriced, later, stale, other_version;
    enum period_unit unit;
};
#define PRICE_NOTES_INIT(unit)                                                                     \
    {                                                                                              \
        NAME_SET_INIT, NAME_SET_INIT, NAME_SET_INIT, NAME_SET_INIT, unit                           \
    }
/* Notes the quote of slug: unpriced, later, stale, another version. */
void price_notes_add(struct price_notes *pn, const struct price_book *b, const char *slug,
                     const struct price_quote *q);
/* Adds the warnings (unpriced, later, stale, other version) and releases pn. */
void price_notes_warn(struct price_notes *pn, struct report_doc *d);

/* The group a usage row belongs to. */
const char *usage_group(const struct usage_row *u, enum group_by by);
/* Pico-dollars per token as dollars per million tokens. */
double per_million(int64_t pico);
/* The model a quote prices with, or NULL (free without an entry of its own). */
const char *quote_model(const struct price_book *b, const struct price_quote *q);
/* The days of data of the period starting on start in in's dataset: 0
 * none, fewer than the period's length partial. */
int usage_days(const struct priced_usage *in, int32_t start);

#endif
