/* rowset.c - the table-shaped result every report returns. */
#include "render/rowset.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

void rowset_init(struct rowset *rs, const struct rs_col *cols, size_t ncols)
{
    memset(rs, 0, sizeof(*rs));
    rs->cols = xmalloc((ncols ? ncols : 1) * sizeof(*rs->cols));
    memcpy(rs->cols, cols, ncols * sizeof(*cols));
    rs->ncols = ncols;
    rs->block_col = -1;
}

void rowset_clear(struct rowset *rs)
{
    for (size_t r = 0; r < rs->nrows; r++) {
        struct rs_row *row = &rs->rows[r];
        for (size_t c = 0; c < rs->ncols; c++)
            free(row->cells[c].s);
        free(row->cells);
        for (size_t k = 0; k < row->nnotes; k++)
            free(row->notes[k]);
        free(row->notes);
    }
    rs->nrows = 0;
}

void rowset_release(struct rowset *rs)
{
    rowset_clear(rs);
    free(rs->rows);
    free(rs->cols);
    memset(rs, 0, sizeof(*rs));
    rs->block_col = -1;
}

size_t rowset_add(struct rowset *rs)
{
    if (rs->nrows == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 16;
        rs->rows = xrealloc(rs->rows, rs->cap * sizeof(*rs->rows));
    }
    struct rs_row *row = &rs->rows[rs->nrows];
    memset(row, 0, sizeof(*row));
    row->cells = xcalloc(rs->ncols, sizeof(*row->cells)); /* all RS_NULL */
    return rs->nrows++;
}

/* The cell at (r, c), emptied of any string it held. */
static struct rs_cell *cell_reset(struct rowset *rs, size_t r, size_t c)
{
    assert(r < rs->nrows && c < rs->ncols);
    struct rs_cell *cell = &rs->rows[r].cells[c];
    free(cell->s);
    memset(cell, 0, sizeof(*cell));
    return cell;
}

void rowset_set_text(struct rowset *rs, size_t r, size_t c, const char *s)
{
    struct rs_cell *cell = cell_reset(rs, r, c);

    if (s) { /* NULL leaves the cell RS_NULL */
        cell->kind = RS_VALUE;
        cell->s = xstrdup(s);
    }
}

void rowset_set_int(struct rowset *rs, size_t r, size_t c, int64_t v)
{
    struct rs_cell *cell = cell_reset(rs, r, c);

    cell->kind = RS_VALUE;
    cell->i = v;
}

void rowset_set_real(struct rowset *rs, size_t r, size_t c, double v)
{
    struct rs_cell *cell = cell_reset(rs, r, c);

    cell->kind = RS_VALUE;
    cell->d = v;
}

void rowset_mark_total(struct rowset *rs, size_t r)
{
    assert(r < rs->nrows);
    rs->rows[r].total = 1;
}

void rowset_add_note(struct rowset *rs, size_t r, const char *fmt, ...)
{
    va_list ap, ap2;

    assert(r < rs->nrows);
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *s = xmalloc((size_t)n + 1);
    if (vsnprintf(s, (size_t)n + 1, fmt, ap2) < 0)
        s[0] = '\0';
    va_end(ap2);

    struct rs_row *row = &rs->rows[r];
    row->notes = xrealloc(row->notes, (row->nnotes + 1) * sizeof(*row->notes));
    row->notes[row->nnotes++] = s;
}

const struct rs_cell *rowset_cell(const struct rowset *rs, size_t r, size_t c)
{
    assert(r < rs->nrows && c < rs->ncols);
    return &rs->rows[r].cells[c];
}
