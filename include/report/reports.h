/* reports.h - the reports built from a series of weekly tokens: share of
 * each week (report), week-over-week growth (growth) and the top N with
 * concentration (top). Pure: no database, no printing; tests give them a
 * series made by hand. */
#ifndef TOKSTAT_REPORT_REPORTS_H
#define TOKSTAT_REPORT_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "db/query.h"
#include "render/render.h"
#include "render/rowset.h"
#include "core/util.h"

#define REPORTS_MAX_COLS     16
#define REPORTS_MAX_PARAMS   10
#define REPORTS_MAX_WARNINGS 4

struct reports_spec {
    enum group_by by;
    int other_exclude;
    const char *dataset;
    size_t top_n;        /* top: how many */
    int summary_only;    /* growth: only the summary over the range */
    const char *vs;      /* prices: the reference model, or NULL */
    double prompt_share; /* cost: the prompt share for totals without a split; < 0: from the data */
};

/* What a report command renders: struct report and everything it points
 * into. Release with reports_release (safe on a zeroed value). */
struct reports {
    struct report rep;
    struct rowset rows, extra;
    struct rs_col cols[REPORTS_MAX_COLS], extra_cols[REPORTS_MAX_COLS];
    struct report_param params[REPORTS_MAX_PARAMS];
    char param_text[REPORTS_MAX_PARAMS][256];
    char *title, *extra_title;
    size_t nrows_data;                    /* rows other than Total rows: 0 means an empty result */
    char *warnings[REPORTS_MAX_WARNINGS]; /* owned; see reports_warn */
    size_t nwarnings;
};

/* Adds a warning line (without "tokstat: warning: "); at most
 * REPORTS_MAX_WARNINGS are kept. */
void reports_warn(struct reports *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The series must start one week before the weeks to report (its first
 * week is only the "previous week" of the second). */
int reports_share(const struct series *s, const struct reports_spec *spec, struct reports *out);
int reports_growth(const struct series *s, const struct reports_spec *spec, struct reports *out);
int reports_top(const struct series *s, const struct reports_spec *spec, struct reports *out);

/* Prices per million tokens of the models used in the week in->to (by
 * model, or usage-weighted by vendor or country), each against spec->vs
 * when given; and estimated spend per week and group over in's weeks.
 * They read the database (prices, usage), so they take a report_input. */
struct report_input;
int reports_prices(const struct report_input *in, struct reports *out, struct ts_err *err);
int reports_cost(const struct report_input *in, struct reports *out, struct ts_err *err);

void reports_release(struct reports *r);

/* Appends to b the range words of a title: "week of A" (from >= to: the
 * week of to) or "weeks A to B", then " (dataset NAME)", or " (dataset
 * NAME, other excluded)" with spec->other_exclude. from and to are Mondays. */
void reports_range(struct ts_buf *b, int32_t from, int32_t to, const struct reports_spec *spec);

#endif
