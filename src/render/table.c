/* table.c - aligned columns for a terminal.
 *
 *   <title>
 *
 *   <block heading>
 *   country  tokens   share
 *   CN        4.12T  48.7 %
 *     <note>
 *
 *   <next block heading>
 *   ...
 *
 *   <table title>            (each further table shown in text)
 *
 *   <that table>
 *
 *   Source: <source>
 *
 * Columns are two spaces apart; text and dates left-aligned, numbers
 * right-aligned; widths are counted in UTF-8 characters and are the same in
 * every block of a table; no line ends in a space. Text from the data
 * (cells, titles, notes, the source line) never brings a control
 * character to the terminal: it is shown escaped, ESC as \x1b
 * (render_cell_text, render_text). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/cells.h"
#include "formats.h"
#include "core/util.h"

#define GAP     2
#define MIN_CUT 8 /* a shortened text column keeps at least this width */

#define GREEN "\033[32m"
#define RED   "\033[31m"
#define RESET "\033[0m"

struct tcol {
    size_t idx;   /* column in the rowset */
    size_t width; /* in characters */
    int right;
};

struct table {
    const struct rowset *rs;
    const struct render_opts *o;
    struct tcol *cols; /* the shown columns */
    size_t n;
    struct ts_buf line;
};

static void add_spaces(struct ts_buf *b, size_t n)
{
    while (n--)
        buf_addc(b, ' ');
}

/* Appends one aligned cell; sign chooses the colour (0: none). The padding
 * stays outside the escape codes so that colour does not move columns. */
static void add_cell(struct ts_buf *b, const struct tcol *tc, const char *s, int sign)
{
    const char *on = sign > 0 ? GREEN : sign < 0 ? RED : NULL;
    size_t len = render_utf8_len(s);

    if (len > tc->width)
        len = tc->width; /* render_add_fitted cuts it to exactly the width */
    if (tc->right)
        add_spaces(b, tc->width - len);
    if (on)
        buf_adds(b, on);
    render_add_fitted(b, s, tc->width);
    if (on)
        buf_adds(b, RESET);
    if (!tc->right)
        add_spaces(b, tc->width - len);
}

/* Writes the line in t->line without trailing spaces, and a newline. */
static void flush_line(struct table *t, FILE *out)
{
    struct ts_buf *b = &t->line;

    while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->len--;
    fwrite(b->data ? b->data : "", 1, b->len, out);
    fputc('\n', out);
    buf_reset(b);
}

static void header_line(struct table *t, FILE *out)
{
    buf_add(&t->line, "", 0);
    for (size_t k = 0; k < t->n; k++) {
        if (k > 0)
            add_spaces(&t->line, GAP);
        const char *title = t->rs->cols[t->cols[k].idx].title;
        add_cell(&t->line, &t->cols[k], title ? title : "", 0);
    }
    flush_line(t, out);
}

static void row_line(struct table *t, size_t r, FILE *out)
{
    char buf[RENDER_CELL_MAX];
    const struct rs_row *row = &t->rs->rows[r];

    buf_add(&t->line, "", 0);
    for (size_t k = 0; k < t->n; k++) {
        const struct rs_col *col = &t->rs->cols[t->cols[k].idx];
        const struct rs_cell *c = &row->cells[t->cols[k].idx];
        const char *s = render_cell_text(col, c, t->o->exact, buf);
        int sign = t->o->color ? render_cell_sign(col, c, s) : 0;
        if (k > 0)
            add_spaces(&t->line, GAP);
        add_cell(&t->line, &t->cols[k], s, sign);
    }
    flush_line(t, out);
    for (size_t k = 0; k < row->nnotes; k++) {
        fputs("  ", out);
        render_text(out, row->notes[k]);
        fputc('\n', out);
    }
}

/* Picks the shown columns and their widths, shortening the widest text
 * columns while a line would be wider than o->width. With widths set (a
 * report written in parts), a column is never narrower than it was in an
 * earlier part, and widths[] learns this part's. */
static void layout(struct table *t, size_t *widths)
{
    const struct rowset *rs = t->rs;
    char buf[RENDER_CELL_MAX];

    t->cols = xcalloc(rs->ncols, sizeof(*t->cols));
    t->n = 0;
    for (size_t c = 0; c < rs->ncols; c++) {
        const struct rs_col *col = &rs->cols[c];
        if (!render_col_visible(rs, c, 1))
            continue;
        struct tcol *tc = &t->cols[t->n++];
        tc->idx = c;
        tc->right = render_col_right(col);
        tc->width = render_utf8_len(col->title ? col->title : "");
        for (size_t r = 0; r < rs->nrows; r++) {
            size_t w =
                render_utf8_len(render_cell_text(col, &rs->rows[r].cells[c], t->o->exact, buf));
            if (w > tc->width)
                tc->width = w;
        }
        if (widths && widths[c] > tc->width)
            tc->width = widths[c];
        if (widths)
            widths[c] = tc->width;
    }
    if (t->o->width <= 0 || t->n == 0)
        return;

    size_t limit = (size_t)t->o->width, total = GAP * (t->n - 1);
    for (size_t k = 0; k < t->n; k++)
        total += t->cols[k].width;
    while (total > limit) {
        struct tcol *widest = NULL;
        for (size_t k = 0; k < t->n; k++) {
            struct tcol *tc = &t->cols[k];
            if (rs->cols[tc->idx].type == RS_TEXT && tc->width > MIN_CUT &&
                (!widest || tc->width > widest->width))
                widest = tc;
        }
        if (!widest)
            break; /* nothing left to shorten: the line stays too wide */
        size_t excess = total - limit, w = widest->width;
        size_t nw = excess + MIN_CUT >= w ? MIN_CUT : w - excess;
        total -= w - nw;
        widest->width = nw;
    }
}

/* Writes the blocks of rs; *blocks counts those written before (a blank
 * line goes between two). With no block written at all and empty set,
 * the header alone: an empty result still shows its columns. */
static void write_blocks(const struct rowset *rs, const struct render_opts *o, size_t *widths,
                         size_t *blocks, int empty, FILE *out)
{
    struct table t = {rs, o, NULL, 0, TS_BUF_INIT};
    struct ts_buf head = TS_BUF_INIT;

    layout(&t, widths);
    if (rs->nrows == 0 && empty && *blocks == 0)
        header_line(&t, out); /* an empty result still shows its columns */
    for (size_t i = 0; i < rs->nrows;) {
        size_t end = render_block_end(rs, i);
        if ((*blocks)++ > 0)
            fputc('\n', out);
        if (render_has_blocks(rs)) {
            buf_reset(&head);
            render_block_heading(&head, rs, i, o->exact);
            render_text(out, head.data);
            fputc('\n', out);
        }
        header_line(&t, out);
        for (; i < end; i++)
            row_line(&t, i, out);
    }
    buf_release(&head);
    buf_release(&t.line);
    free(t.cols);
}

/* A title, escaped, and a blank line. */
static void title_line(const char *title, FILE *out)
{
    render_text(out, title);
    fputs("\n\n", out);
}

/* Writes one further rowset: an optional title and blank line, then the
 * blocks. */
static void write_rowset(const struct rowset *rs, const char *title, const struct render_opts *o,
                         FILE *out)
{
    size_t blocks = 0;

    if (title)
        title_line(title, out);
    write_blocks(rs, o, NULL, &blocks, 1, out);
}

void render_table(struct render_pages *p, const struct report_doc *d, enum render_step step)
{
    FILE *out = p->out;

    if (step == RENDER_BEGIN) {
        if (d->title)
            title_line(d->title, out);
        free(p->widths);
        p->nwidths = d->rows.ncols;
        p->widths = xcalloc(p->nwidths ? p->nwidths : 1, sizeof(*p->widths));
        return;
    }
    if (step == RENDER_ROWS) {
        if (d->rows.nrows > 0)
            write_blocks(&d->rows, p->o, p->widths, &p->blocks, 0, out);
        return;
    }
    if (p->blocks == 0)
        write_blocks(&d->rows, p->o, NULL, &p->blocks, 1, out);
    for (size_t i = 0; i < d->ntables; i++) {
        if (!d->tables[i].in_text)
            continue;
        fputc('\n', out);
        write_rowset(&d->tables[i].rows, d->tables[i].title, p->o, out);
    }
    if (d->note) {
        fputs("\nNote: ", out);
        render_text(out, d->note);
        fputs(".\n", out);
    }
    if (d->source) {
        fputs(d->note ? "Source: " : "\nSource: ", out);
        render_text(out, d->source);
        fputc('\n', out);
    }
}
