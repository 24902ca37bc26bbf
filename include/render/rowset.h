/* rowset.h - the table-shaped result every report returns: named, typed
 * columns and rows of cells. Renderers turn it into text; they never see
 * SQLite, so their tests need no database. */
#ifndef TOKSTAT_RENDER_ROWSET_H
#define TOKSTAT_RENDER_ROWSET_H

#include <stddef.h>
#include <stdint.h>

/* How a column's values are kept and shown. "text" means table and
 * markdown output; "data" means CSV and JSON. */
enum rs_type {
    RS_TEXT,   /* a string */
    RS_DATE,   /* a day number (week.h): "2026-02-09" everywhere */
    RS_INT,    /* a plain integer (rank, days): "12" everywhere */
    RS_TOKENS, /* a token count: text "4.12T" (exact: "4120000000000"), data an integer */
    RS_SHARE,  /* a fraction: text "48.7 %", data 0.487234 (6 decimals) */
    RS_PP,     /* a change of a fraction: text "+13.9 pp", data 0.139000 */
    RS_GROWTH, /* a growth rate: text "+127.3 %", data 1.273000 */
    RS_INDEX,  /* an index in points (HHI): text "2,345", data 2345.123456 */
    RS_DELTA,  /* a change of an index: text "+150", data 150.123456 */
    RS_USD,    /* US dollars: text "$1.23M", "$12.34" (exact: "$1,234,567.89"), data 1234567.89 */
    RS_PRICE,  /* USD per million tokens: text "$0.30", "$0.045", data 0.300000 */
    RS_RATIO,  /* a ratio: text "16.7x", data 16.666667 */
};

enum rs_kind {
    RS_NULL = 0, /* no value: empty in text and CSV, null in JSON */
    RS_VALUE,
};

struct rs_cell {
    enum rs_kind kind;
    int64_t i; /* RS_DATE, RS_INT, RS_TOKENS */
    double d;  /* RS_SHARE, RS_PP, RS_GROWTH, RS_INDEX, RS_DELTA, RS_USD, RS_PRICE, RS_RATIO */
    char *s;   /* RS_TEXT, owned by the rowset */
};

/* Column flags. */
#define RS_COL_TEXT_ONLY 1u /* shown in table/markdown, left out of CSV/JSON */
#define RS_COL_DATA_ONLY                                                                           \
    2u /* in CSV/JSON only (e.g. the week, which text output shows as block headings) */
#define RS_COL_COLOR 4u /* text output colours it: green above zero, red below */
#define RS_COL_SPARSE                                                                              \
    8u /* text output shows it only when some row has a value (a column of rare words) */

struct rs_col {
    const char *key;   /* CSV header and JSON key, e.g. "share_change"; static */
    const char *title; /* table and markdown header, e.g. "change"; static */
    enum rs_type type;
    unsigned flags;
};

struct rs_row {
    struct rs_cell *cells; /* ncols of them */
    int total;             /* a Total row: in text output only */
    char **notes;          /* lines printed after this row in text output */
    size_t nnotes;
};

struct rowset {
    struct rs_col *cols; /* owned: a copy of the columns given to rowset_init */
    size_t ncols;
    struct rs_row *rows;
    size_t nrows, cap;
    /* In text output, consecutive rows with the same value in this column
     * form a block under a heading made from block_title (one %s, which
     * gets the formatted value). -1: no blocks. */
    int block_col;
    const char *block_title;
};

/* Starts an empty rowset over a copy of the columns cols[0..ncols) (their
 * strings are static). Release with rowset_release (safe on a zeroed or
 * initialised-but-unused rowset). */
void rowset_init(struct rowset *rs, const struct rs_col *cols, size_t ncols);
void rowset_release(struct rowset *rs);
/* Drops every row, keeping the columns and blocks: rows written, the
 * next ones can come (a report written in parts). */
void rowset_clear(struct rowset *rs);

/* Appends a row of RS_NULL cells and returns its index. */
size_t rowset_add(struct rowset *rs);

/* Setters on row r, column c. rowset_set_text copies s. */
void rowset_set_text(struct rowset *rs, size_t r, size_t c, const char *s);
void rowset_set_int(struct rowset *rs, size_t r, size_t c, int64_t v);
void rowset_set_real(struct rowset *rs, size_t r, size_t c, double v);

/* Marks row r as a Total row; attaches a note line (copied) after row r. */
void rowset_mark_total(struct rowset *rs, size_t r);
void rowset_add_note(struct rowset *rs, size_t r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const struct rs_cell *rowset_cell(const struct rowset *rs, size_t r, size_t c);

#endif
