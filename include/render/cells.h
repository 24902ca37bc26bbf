/* cells.h - the cell formatting every format shares, so that a table, a
 * CSV file and a JSON document always agree on a number; and the blocks
 * of rows that text formats show under headings. For the renderers and
 * their tests. */
#ifndef TOKSTAT_RENDER_CELLS_H
#define TOKSTAT_RENDER_CELLS_H

#include <stdio.h>

#include "render/render.h"
#include "render/rowset.h"
#include "core/util.h"

/* Room for any formatted non-text cell (a double printed with "%.6f" can
 * have 300 digits). */
#define RENDER_CELL_MAX 512

/* The text form of a cell (table, markdown): "4.12T", "48.7 %", "+13.9 pp",
 * "" for RS_NULL and for a real that is not finite. For RS_TEXT the cell's
 * own string, or when it has control characters (or bytes that are not
 * UTF-8) the string escaped in buf (ts_text_escape: ESC is \x1b), cut to
 * fit; else buf (RENDER_CELL_MAX bytes). */
const char *render_cell_text(const struct rs_col *col, const struct rs_cell *c, int exact,
                             char *buf);

/* Writes s to out as text output shows text (titles, notes, the source
 * line): control characters and bytes that are not UTF-8 escaped
 * (ts_text_escape). */
void render_text(FILE *out, const char *s);

/* What a data cell (CSV, JSON) is. */
enum render_data {
    RENDER_DATA_NULL,   /* CSV empty, JSON null */
    RENDER_DATA_NUMBER, /* JSON bare number */
    RENDER_DATA_STRING, /* JSON string */
};

/* The data form of a cell: integers, "%.6f" reals ("-0.000000" becomes
 * "0.000000"), "2026-02-09", or the text. *text points at the cell's
 * string or at buf (RENDER_CELL_MAX bytes); it is "" for RENDER_DATA_NULL. */
enum render_data render_cell_data(const struct rs_col *col, const struct rs_cell *c, char *buf,
                                  const char **text);

/* Whether a column is shown in text output (table, markdown; text != 0) or
 * in data output (CSV, JSON). */
int render_col_shown(const struct rs_col *col, int text);

/* Whether text output (text != 0) or data output shows column c of rs:
 * render_col_shown, and for a sparse column (RS_COL_SPARSE) in text, some
 * row has a value in it. */
int render_col_visible(const struct rowset *rs, size_t c, int text);

/* Whether text output aligns the column to the right (every type but
 * RS_TEXT and RS_DATE). */
int render_col_right(const struct rs_col *col);

/* The sign a coloured cell shows: +1 green (above zero), -1 red,
 * 0 no colour (a column without RS_COL_COLOR, zero, empty, text). text is
 * the cell's text form. */
int render_cell_sign(const struct rs_col *col, const struct rs_cell *c, const char *text);

/* The end of the block that starts at row i: the first row after i whose
 * block value differs (rs->nrows at the end). Without blocks (block_col < 0
 * or out of range), rs->nrows. */
size_t render_block_end(const struct rowset *rs, size_t i);

/* Whether the rowset has blocks. */
int render_has_blocks(const struct rowset *rs);

/* Appends to b the heading of the block that starts at row i: block_title
 * with its "%s" replaced by the block value in text form ("%%" is "%"); the
 * bare value when block_title is NULL. */
void render_block_heading(struct ts_buf *b, const struct rowset *rs, size_t i, int exact);

/* The number of UTF-8 characters in s (bytes that do not continue a
 * sequence): how tables and the chart's legend count widths. */
size_t render_utf8_len(const char *s);

/* Appends s cut to at most width characters (width >= 3): the first
 * width - 3 characters and "...", never inside a character. */
void render_add_fitted(struct ts_buf *b, const char *s, size_t width);

#endif
