/* reports_impl.h - what the report builders share: the column table, a
 * layout that picks columns from it, and setters that ignore columns a
 * layout left out. Internal to reports*.c. */
#ifndef TOKSTAT_REPORT_REPORTS_IMPL_H
#define TOKSTAT_REPORT_REPORTS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "report/reports.h"
#include "core/util.h"

/* Logical columns of each report; the group column takes the name of --by
 * and the country column is left out when grouping by country. */
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
    C_NCOLS
};

extern const struct rs_col rp_cols[C_NCOLS];

/* A rowset's columns chosen from all_cols; map[logical] is the index in
 * the rowset, or -1 for a column left out. */
struct layout {
    int map[C_NCOLS];
};

/* Fills cols (room for REPORTS_MAX_COLS) with the columns ids[0..n) of
 * rp_cols and starts rs over them. */
void rp_layout_make(struct rowset *rs, struct rs_col *cols, struct layout *l,
                    const enum col_id *ids, size_t n, enum group_by by);
void rp_set_text(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, const char *v);
void rp_set_int(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, int64_t v);
void rp_set_real(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, double v);
/* A growth rate cur / prev - 1, "new" from zero, nothing when both are 0. */
void rp_set_growth(struct rowset *rs, const struct layout *l, size_t r, enum col_id c, int64_t cur,
                   int64_t prev);

/* A JSON parameter of the report (value copied): a string, or with
 * rp_add_number_param a number written as is ("5"). */
void rp_add_param(struct reports *r, const char *key, const char *value);
void rp_add_number_param(struct reports *r, const char *key, const char *value);
void rp_add_date_param(struct reports *r, const char *key, int32_t day);

/* The block heading of the week of monday with days of data: "Week of
 * 2026-02-09", "... (partial: 3 of 7 days)", "... (no data)"; buf of n bytes. */
void rp_week_heading(int32_t monday, int days, char *buf, size_t n);

/* "WHAT by GROUP, RANGE": the caller frees the result. */
char *rp_format_title(const char *what, enum group_by by, const struct ts_buf *range);

#endif
