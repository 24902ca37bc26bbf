/* layout.c - the columns every report chooses from, and the
 * helpers that fill a report's rows and parameters. */
#include "report/reports_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"

#define HIDDEN (RS_COL_TEXT_ONLY | RS_COL_DATA_ONLY)

const struct rs_col rp_cols[C_NCOLS] = {
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
    [C_HHI] = {"hhi", "HHI", RS_INDEX, RS_COL_DATA_ONLY},
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
};

void rp_layout_make(struct rowset *rs, struct rs_col *cols, struct layout *l,
                    const enum col_id *ids, size_t n, enum group_by by)
{
    size_t k = 0;

    for (int i = 0; i < C_NCOLS; i++)
        l->map[i] = -1;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == C_COUNTRY && by == BY_COUNTRY)
            continue;
        cols[k] = rp_cols[ids[i]];
        if (ids[i] == C_GROUP)
            cols[k].key = cols[k].title = group_by_name(by);
        l->map[ids[i]] = (int)k++;
    }
    rowset_init(rs, cols, k);
}

void rp_set_text(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, const char *v)
{
    if (l->map[c] >= 0)
        rowset_set_text(rs, r, (size_t)l->map[c], v);
}

void rp_set_int(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, int64_t v)
{
    if (l->map[c] >= 0)
        rowset_set_int(rs, r, (size_t)l->map[c], v);
}

void rp_set_real(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, double v)
{
    if (l->map[c] >= 0)
        rowset_set_real(rs, r, (size_t)l->map[c], v);
}

/* Sets a growth cell: a rate, "new" from zero, or nothing when both are 0. */
void rp_set_growth(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, int64_t cur,
                   int64_t prev)
{
    double g;

    if (metrics_growth(cur, prev, &g) == 0)
        rp_set_real(rs, l, r, c, g);
    else if (cur > 0 && l->map[c] >= 0)
        rowset_set_new(rs, r, (size_t)l->map[c]);
}

void rp_add_param(struct reports *r, const char *key, const char *value)
{
    size_t n = r->rep.nparams;

    if (n >= REPORTS_MAX_PARAMS)
        return;
    if (value) {
        snprintf(r->param_text[n], sizeof(r->param_text[n]), "%s", value);
        value = r->param_text[n];
    }
    r->params[n].key = key;
    r->params[n].value = value;
    r->params[n].number = 0;
    r->rep.nparams = n + 1;
    r->rep.params = r->params;
}

void rp_add_number_param(struct reports *r, const char *key, const char *value)
{
    size_t n = r->rep.nparams;

    rp_add_param(r, key, value);
    if (r->rep.nparams > n) /* not when the table was full */
        r->params[n].number = 1;
}

void rp_add_date_param(struct reports *r, const char *key, int32_t day)
{
    char d[TS_DATE_LEN + 1];

    date_format(day, d);
    rp_add_param(r, key, d);
}

char *rp_format_title(const char *what, enum group_by by, const struct ts_buf *range)
{
    struct ts_buf t = TS_BUF_INIT;

    buf_printf(&t, "%s by %s, %s", what, group_by_name(by), range->data);
    return t.data;
}

void reports_range(struct ts_buf *b, int32_t from, int32_t to, const struct reports_spec *spec)
{
    char a[TS_DATE_LEN + 1], z[TS_DATE_LEN + 1];

    date_format(from, a);
    date_format(to, z);
    if (from >= to)
        buf_printf(b, "week of %s", z);
    else
        buf_printf(b, "weeks %s to %s", a, z);
    buf_printf(b, " (dataset %s%s)", spec->dataset, spec->other_exclude ? ", other excluded" : "");
}

void rp_week_heading(int32_t monday, int days, char *buf, size_t n)
{
    char d[TS_DATE_LEN + 1];

    date_format(monday, d);
    if (days == 0)
        snprintf(buf, n, "Week of %s (no data)", d);
    else if (days < 7)
        snprintf(buf, n, "Week of %s (partial: %d of 7 days)", d, days);
    else
        snprintf(buf, n, "Week of %s", d);
}
