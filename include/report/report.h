/* report.h - the report builders: data in, a document out. Pure: no
 * database and no printing, so a test gives them a series or usage rows
 * made by hand. The command reads the data (db/query.h) and renders the
 * document (render/render.h).
 *
 * Weekly series are read the same way by every builder: the series starts
 * one week before the weeks to report (its first week is only the
 * "previous week" of the second). Shares are of the week's tokens, the
 * other bucket included unless excluded; the other bucket is never ranked.
 * Rows are ordered by week, then tokens descending, then name. */
#ifndef TOKSTAT_REPORT_REPORT_H
#define TOKSTAT_REPORT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/price_book.h"
#include "core/series.h"
#include "render/doc.h"

/* What a report is asked to show. */
struct report_request {
    enum group_by by;
    int other_exclude;   /* --other exclude: the other bucket out of every total */
    const char *dataset; /* its name, for titles and JSON */
    size_t top_n;        /* top: how many */
    int summary_only;    /* growth: only the summary over the range */
    const char *vs;      /* prices: the reference model, or NULL */
    double prompt_share; /* cost: the prompt share of totals without a split; < 0: from the data */
    int all_models;      /* prices --all: every model priced that week, used or not */
    size_t groups;       /* chart: how many groups are named (1..CHART_MAX_GROUPS); 0: default */
};

/* Each group's share of each week (report). */
void build_share(const struct series *s, const struct report_request *rq, struct report_doc *out);
/* Week-over-week growth and the summary over the range (growth). */
void build_growth(const struct series *s, const struct report_request *rq, struct report_doc *out);

/* The same two in parts, for reports written as they are built: _begin
 * sets the title, parameters and columns of out (and growth's summary),
 * _weeks adds the rows of the weeks w_from..w_to - 1 of s (w_from >= 1:
 * week 0 is only the week before). build_share is _begin and _weeks over
 * every week; so is build_growth. */
void build_share_begin(const struct series *s, const struct report_request *rq,
                       struct report_doc *out);
void build_share_weeks(const struct series *s, const struct report_request *rq, size_t w_from,
                       size_t w_to, struct report_doc *out);
void build_growth_begin(const struct series *s, const struct report_request *rq,
                        struct report_doc *out);
void build_growth_weeks(const struct series *s, const struct report_request *rq, size_t w_from,
                        size_t w_to, struct report_doc *out);
/* The top N of each week with CR-N, HHI and the top N's countries (top).
 * Returns 0, or -1 with err filled when series_check refuses s (a week's
 * tokens reach 2^63: no sum of them is made). */
int build_top(const struct series *s, const struct report_request *rq, struct report_doc *out,
              struct ts_err *err);

/* The top rq->top_n apps of the last week of s (by app; s starts the week
 * before): rank, tokens, the share of the listed apps' tokens, the week
 * before's tokens, growth and status (new, gap); then the apps of the
 * week before's top rq->top_n that the week does not list (gone, no
 * rank). rq->dataset names the apps dataset in the title. Returns 0, or
 * -1 with err filled as build_top. */
int build_top_apps(const struct series *s, const struct report_request *rq, struct report_doc *out,
                   struct ts_err *err);

/* Each group's share of each week as stacked bars (chart): the series
 * covers exactly the weeks drawn; the rq->groups (default
 * CHART_DEFAULT_GROUPS) largest groups over them are named, the others
 * folded into one "rest". Returns 0, or -1 with err filled as build_top. */
int build_chart(const struct series *s, const struct report_request *rq, struct report_doc *out,
                struct ts_err *err);

/* The bars themselves (build_chart's part): at most max_named groups by
 * name, the rest folded; the other bucket a segment of its own unless
 * other_exclude, when it is left out of every total. Release out with
 * chart_release (render/chart.h), also after -1 (series_check refused s). */
struct chart;
int chart_build(const struct series *s, enum group_by by, int other_exclude, size_t max_named,
                struct chart *out, struct ts_err *err);

/* What prices and cost are built from: each model's tokens per period
 * (ISO week, calendar month or day: unit) in the periods from..to, and
 * every price known. */
struct priced_usage {
    const struct usage_row *rows; /* ordered by period (its first day in .week), then slug */
    size_t nrows;
    const struct price_book *book; /* indexed */
    const struct week_days *weeks; /* the dataset's periods with data: how many days each has */
    size_t nweeks;
    int32_t from, to;     /* the periods reported (their first days) */
    int data_share_found; /* cost: whether the dataset's rows give a prompt share... */
    double data_share;    /* ...and which */
    /* prices --all: every model of the book as a row without tokens (its
     * slug, vendor and country); those priced in the week are listed. */
    const struct usage_row *book_rows;
    size_t nbook_rows;
    enum period_unit unit; /* PERIOD_WEEK when left 0 */
};

/* The price per million tokens of each model with usage in the week
 * in->to (by model, or usage-weighted by vendor or country), each against
 * rq->vs when given. With rq->all_models, also every model of in->book_rows
 * with a price valid that week, used or not (0 tokens); by vendor or
 * country, then also the median and the plain mean of the prices of the
 * group's listed models (free ones left out). Returns 0, or -1 with err
 * filled when rq->vs names no priced model. */
int build_prices(const struct priced_usage *in, const struct report_request *rq,
                 struct report_doc *out, struct ts_err *err);
/* Estimated spend per week and group over in's weeks. Returns 0, or -1
 * with err filled when a week's tokens would reach 2^63. */
int build_cost(const struct priced_usage *in, const struct report_request *rq,
               struct report_doc *out, struct ts_err *err);

/* The apps the dashboard shows: a dataset of app rankings read for the
 * page's last week with data. */
struct dash_apps {
    const char *dataset; /* its name */
    const char *list;    /* what it ranks: "subcategory cli-agent, sort popular" */
    int32_t week;        /* the page's last week with data (a Monday) */
    /* By app, the dataset's latest week at or before week and the week
     * before it; NULL when the dataset has no week at or before week. */
    const struct series *s;
    int32_t first; /* the dataset's first week with data, or 0 when it has none */
};

/* What the dashboard is built from: the weeks shown (bars->from ..
 * bars->to) by country and by model, the last week's usage and prices,
 * the apps, and what the range left out. */
struct dash_input {
    const struct series *bars;         /* by country, the weeks shown: the chart */
    const struct series *country;      /* by country, from the week before the first */
    const struct series *models;       /* by model, from the week before the first */
    const struct priced_usage *priced; /* the last week's usage and every price */
    int32_t skipped;                   /* a partial latest week left out (its Monday), or 0 */
    int skipped_days;                  /* its days */
    int clipped_start, clipped_end; /* the weeks asked for began before, or ended after, the data */
    int outside;                    /* the weeks asked for hold none of the data's */
    int32_t data_first, data_last;  /* the dataset's first and last week with data */
    const struct dash_apps *apps;   /* the apps to show, or NULL: no apps section */
};

/* The dashboard (tokstat dashboard): one page of the share, growth, top
 * and price reports of the weeks shown, each built by its own builder,
 * and what each week covers. Share and growth by country; the top
 * rq->top_n models of the last week with data, with CR-N and the HHI's
 * bounds of every week; prices of the last week against rq->vs, or when
 * it is NULL against the dearest model with at least 1 % of that week's
 * tokens (no prices section when no model has a price); with in->apps, the top
 * rq->top_n apps of that week (build_top_apps), or of the apps dataset's
 * latest week before it, said so. Release out with
 * page_release (render/page.h). Returns 0, or -1 with err filled when
 * rq->vs names no priced model. */
struct page;
int build_dashboard(const struct dash_input *in, const struct report_request *rq, struct page *out,
                    struct ts_err *err);

#endif
