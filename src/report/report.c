/* report.c - what every report shares: the columns it chooses from, the
 * sheet that fills them, and the titles, headings and parameters. */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

#include "core/metrics.h"
#include "core/period.h"
#include "core/week.h"
#include "shared.h"

#define HIDDEN (RS_COL_TEXT_ONLY | RS_COL_DATA_ONLY)

static const struct rs_col columns[C_NCOLS] = {
    [C_WEEK] = {"week", "week", RS_DATE, RS_COL_DATA_ONLY},
    [C_DAYS] = {"days", "days", RS_INT, RS_COL_DATA_ONLY},
    [C_HEAD] = {"heading", "", RS_TEXT, HIDDEN},
    [C_RANK] = {"rank", "rank", RS_INT, 0},
    [C_GROUP] = {"group", "group", RS_TEXT, 0},
    [C_COUNTRY] = {"country", "country", RS_TEXT, 0},
    [C_TOKENS] = {"tokens", "tokens", RS_TOKENS, 0},
    [C_PREV] = {"prev_tokens", "previous", RS_TOKENS, 0},
    [C_SHARE] = {"share", "share", RS_SHARE, 0},
    [C_CUMUL] = {"cumulative_share", "cumulative", RS_SHARE, 0},
    [C_CHANGE] = {"share_change", "change", RS_PP, RS_COL_COLOR},
    [C_GROWTH] = {"growth", "growth", RS_GROWTH, RS_COL_COLOR},
    [C_CR] = {"cr", "CR", RS_SHARE, RS_COL_DATA_ONLY},
    [C_HHI] = {"hhi_low", "HHI", RS_INDEX, RS_COL_DATA_ONLY},
    [C_HHI_CHANGE] = {"hhi_change", "HHI change", RS_DELTA, RS_COL_DATA_ONLY},
    [C_BAND] = {"band", "band", RS_TEXT, RS_COL_DATA_ONLY},
    [C_START] = {"start_tokens", "first week", RS_TOKENS, 0},
    [C_END] = {"end_tokens", "last week", RS_TOKENS, 0},
    [C_WEEKLY] = {"weekly_growth", "weekly", RS_GROWTH, RS_COL_COLOR},
    [C_WEEKS] = {"weeks", "weeks", RS_INT, 0},
    [C_MAKEUP] = {"top_countries", "top countries", RS_TEXT, 0},
    [C_INPUT] = {"input_usd_per_m", "input $/M", RS_PRICE, 0},
    [C_OUTPUT] = {"output_usd_per_m", "output $/M", RS_PRICE, 0},
    [C_INPUT_RATIO] = {"input_ratio", "vs input", RS_RATIO, 0},
    [C_OUTPUT_RATIO] = {"output_ratio", "vs output", RS_RATIO, 0},
    [C_PRICE_FROM] = {"price_from", "price from", RS_DATE, 0},
    [C_SOURCE] = {"price_source", "source", RS_TEXT, 0},
    [C_MODELS] = {"models", "models", RS_INT, 0},
    [C_SPEND] = {"spend_usd", "spend", RS_USD, 0},
    [C_USD_PER_M] = {"usd_per_m", "$/M tokens", RS_PRICE, 0},
    [C_UNPRICED] = {"unpriced_tokens", "unpriced", RS_TOKENS, 0},
    [C_ESTIMATED] = {"estimated_split_tokens", "split estimated", RS_TOKENS, 0},
    [C_PRICED] = {"priced_tokens", "priced tokens", RS_TOKENS, 0},
    [C_COVERAGE] = {"coverage", "coverage", RS_TEXT, RS_COL_DATA_ONLY},
    [C_STATUS] = {"status", "status", RS_TEXT, RS_COL_DATA_ONLY},
    [C_COMPARED_DAYS] = {"compared_days", "compared days", RS_INT, RS_COL_DATA_ONLY},
    [C_HHI_HIGH] = {"hhi_high", "HHI high", RS_INDEX, RS_COL_DATA_ONLY},
    [C_FIRST_WEEK] = {"first_week", "first", RS_DATE, RS_COL_DATA_ONLY},
    [C_FIRST_DAYS] = {"first_days", "days", RS_INT, RS_COL_DATA_ONLY},
    [C_LAST_WEEK] = {"last_week", "last", RS_DATE, RS_COL_DATA_ONLY},
    [C_LAST_DAYS] = {"last_days", "days", RS_INT, RS_COL_DATA_ONLY},
    [C_PRICE_MODEL] = {"price_model", "priced as", RS_TEXT, RS_COL_DATA_ONLY},
    [C_PRICE_MATCH] = {"price_match", "match", RS_TEXT, RS_COL_DATA_ONLY},
    [C_PRICE_AGE] = {"price_age_days", "price age", RS_INT, RS_COL_DATA_ONLY},
    [C_FLAG] = {"flag", "", RS_TEXT, RS_COL_TEXT_ONLY | RS_COL_SPARSE},
    [C_IN_TOP] = {"in_top", "in top", RS_INT, 0},
    [C_PRICED_AS] = {"priced_as", "priced as", RS_TEXT, RS_COL_TEXT_ONLY},
    [C_LISTED] = {"listed_models", "listed", RS_INT, 0},
    [C_IN_MEDIAN] = {"input_median_usd_per_m", "median in", RS_PRICE, 0},
    [C_OUT_MEDIAN] = {"output_median_usd_per_m", "median out", RS_PRICE, 0},
    [C_IN_MEAN] = {"input_mean_usd_per_m", "mean in", RS_PRICE, 0},
    [C_OUT_MEAN] = {"output_mean_usd_per_m", "mean out", RS_PRICE, 0},
    [C_APP_ID] = {"app_id", "app id", RS_INT, 0},
    [C_WEEKDAYS] = {"weekdays", "weekdays", RS_TEXT, 0},
};

/* The sheet's map of ids[0..n) for grouping by, and its columns into
 * cols (C_NCOLS of them); returns how many. */
static size_t sheet_map(struct sheet *sh, const enum col_id *ids, size_t n, enum group_by by,
                        struct rs_col *cols)
{
    size_t k = 0;

    for (int i = 0; i < C_NCOLS; i++)
        sh->map[i] = -1;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == C_COUNTRY && (by == BY_COUNTRY || by == BY_APP))
            continue;
        cols[k] = columns[ids[i]];
        if (ids[i] == C_GROUP)
            cols[k].key = cols[k].title = group_by_name(by);
        sh->map[ids[i]] = (int)k++;
        if (ids[i] == C_GROUP && by == BY_APP) { /* an app is its id; names may repeat */
            cols[k] = columns[C_APP_ID];
            sh->map[C_APP_ID] = (int)k++;
        }
    }
    return k;
}

void sheet_start(struct sheet *sh, struct rowset *rs, const enum col_id *ids, size_t n,
                 enum group_by by)
{
    struct rs_col cols[C_NCOLS];
    size_t k = sheet_map(sh, ids, n, by, cols);

    rowset_release(rs);
    rowset_init(rs, cols, k);
    sh->rs = rs;
}

void sheet_attach(struct sheet *sh, struct rowset *rs, const enum col_id *ids, size_t n,
                  enum group_by by)
{
    struct rs_col cols[C_NCOLS];

    sheet_map(sh, ids, n, by, cols);
    sh->rs = rs;
}

void sheet_blocks(struct sheet *sh)
{
    sh->rs->block_col = sh->map[C_HEAD];
    sh->rs->block_title = "%s";
}

size_t sheet_add(struct sheet *sh)
{
    return rowset_add(sh->rs);
}

void sheet_text(struct sheet *sh, size_t r, enum col_id c, const char *v)
{
    if (sh->map[c] >= 0)
        rowset_set_text(sh->rs, r, (size_t)sh->map[c], v);
}

void sheet_int(struct sheet *sh, size_t r, enum col_id c, int64_t v)
{
    if (sh->map[c] >= 0)
        rowset_set_int(sh->rs, r, (size_t)sh->map[c], v);
}

void sheet_real(struct sheet *sh, size_t r, enum col_id c, double v)
{
    if (sh->map[c] >= 0)
        rowset_set_real(sh->rs, r, (size_t)sh->map[c], v);
}

void sheet_week(struct sheet *sh, size_t r, const struct series *s, size_t w, const char *head)
{
    sheet_int(sh, r, C_WEEK, series_week(s, w));
    sheet_int(sh, r, C_DAYS, s->days[w]);
    if (s->days[w] > 0)
        sheet_text(sh, r, C_COVERAGE, series_coverage(s, w));
    sheet_text(sh, r, C_HEAD, head);
}

size_t sheet_group_row(struct sheet *sh, const struct series *s, size_t w, const char *head,
                       const struct series_group *g)
{
    size_t r = sheet_add(sh);

    sheet_week(sh, r, s, w, head);
    sheet_text(sh, r, C_GROUP, g->name);
    sheet_int(sh, r, C_APP_ID, g->id);
    sheet_text(sh, r, C_COUNTRY, g->country);
    if (s->days[w] > 0) /* a week without data has no tokens to show, not 0 */
        sheet_int(sh, r, C_TOKENS, g->tokens[w]);
    return r;
}

void sheet_growth(struct sheet *sh, size_t r, enum col_id c, int64_t cur, int64_t prev)
{
    double g;

    if (metrics_growth(cur, prev, &g) == 0)
        sheet_real(sh, r, c, g);
}

void title_periods(struct ts_buf *b, enum period_unit u, int32_t from, int32_t to,
                   const struct report_request *rq)
{
    char a[TS_DATE_LEN + 1], z[TS_DATE_LEN + 1], one[40];

    period_label(u, from, a, sizeof(a));
    period_label(u, to, z, sizeof(z));
    period_phrase(u, to, one, sizeof(one));
    if (from >= to)
        buf_adds(b, one);
    else
        buf_printf(b, "%s %s to %s", period_unit_plural(u), a, z);
    buf_printf(b, " (dataset %s%s)", rq->dataset, rq->other_exclude ? ", other excluded" : "");
}

void title_range(struct ts_buf *b, int32_t from, int32_t to, const struct report_request *rq)
{
    title_periods(b, PERIOD_WEEK, from, to, rq);
}

void title_series(struct ts_buf *b, const struct series *s, size_t first,
                  const struct report_request *rq)
{
    title_periods(b, s->unit, series_start(s, first), s->to, rq);
}

void title_what_by(struct report_doc *d, const char *what, const struct series *s, size_t first,
                   const struct report_request *rq)
{
    struct ts_buf t = TS_BUF_INIT;

    buf_printf(&t, "%s by %s, ", what, group_by_name(rq->by));
    title_series(&t, s, first, rq);
    doc_set_title(d, t.data);
    buf_release(&t);
}

void period_heading(enum period_unit u, int32_t start, int days, char *buf, size_t n)
{
    char name[40];
    int len = period_length(u, start);

    period_phrase(u, start, name, sizeof(name));
    name[0] = (char)(name[0] - 'a' + 'A'); /* "Week of ...", "Month of ...", "Day ..." */
    if (days == 0)
        snprintf(buf, n, "%s (no data)", name);
    else if (days < len)
        snprintf(buf, n, "%s (partial: %d of %d days)", name, days, len);
    else
        snprintf(buf, n, "%s", name);
}

void params_series(struct report_doc *d, const struct report_request *rq, const struct series *s,
                   size_t first)
{
    doc_param(d, "by", group_by_name(rq->by));
    if (s->unit != PERIOD_WEEK) /* weeks, the default, as before there were others */
        doc_param(d, "period", period_unit_name(s->unit));
    doc_param(d, "dataset", rq->dataset);
    doc_param(d, "other", rq->other_exclude ? "exclude" : "include");
    doc_param_date(d, "from", series_start(s, first));
    doc_param_date(d, "to", s->to);
}

/* The keys and titles of the columns that name the period, for days and
 * months (weeks have columns[]'s). */
struct period_col {
    enum col_id id;
    const char *key[3], *title[3]; /* by unit: PERIOD_WEEK (unused), PERIOD_DAY, PERIOD_MONTH */
};

static const struct period_col period_cols[] = {
    {C_WEEK, {NULL, "day", "month"}, {NULL, "day", "month"}},
    {C_FIRST_WEEK, {NULL, "first_day", "first_month"}, {NULL, "first", "first"}},
    {C_LAST_WEEK, {NULL, "last_day", "last_month"}, {NULL, "last", "last"}},
    {C_START, {NULL, "start_tokens", "start_tokens"}, {NULL, "first day", "first month"}},
    {C_END, {NULL, "end_tokens", "end_tokens"}, {NULL, "last day", "last month"}},
    {C_WEEKLY, {NULL, "daily_growth", "monthly_growth"}, {NULL, "daily", "monthly"}},
    {C_WEEKS, {NULL, "days", "months"}, {NULL, "days", "months"}},
};

void sheet_period(struct sheet *sh, enum period_unit u)
{
    if (u == PERIOD_WEEK)
        return;
    for (size_t i = 0; i < sizeof(period_cols) / sizeof(period_cols[0]); i++) {
        int k = sh->map[period_cols[i].id];
        if (k < 0)
            continue;
        sh->rs->cols[k].key = period_cols[i].key[u];
        sh->rs->cols[k].title = period_cols[i].title[u];
    }
}
