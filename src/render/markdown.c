/* markdown.c - GitHub-flavoured Markdown.
 *
 *   ## <title>
 *
 *   ### <block heading>
 *
 *   | country | tokens | share |
 *   |---|---:|---:|
 *   | CN | 4.12T | 48.7 % |
 *   | **Total** | **8.46T** | **100.0 %** |
 *
 *   - <note>
 *
 *   ### <next block heading>
 *   ...
 *
 *   ## <table title>          (each further table shown in text)
 *
 *   | ... |
 *
 *   _Source: <source>_
 *
 * Sections are one blank line apart and the document ends with a single
 * newline. Numbers are right-aligned (---:), text and dates left (---).
 * The notes of a block follow its table as a list, one item per note, so
 * that they stay separate lines when rendered. In cells '|' is written
 * "\|"; control characters, in cells as in titles, notes and the source
 * line, are escaped as \xNN (ts_text_escape); Total rows are bold cell by cell; empty
 * cells stay empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "render/cells.h"
#include "formats.h"

static void cell(const char *s, int bold, FILE *out)
{
    int strong = bold && *s;

    fputs(strong ? " **" : " ", out);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else
            fputc(*s, out);
    }
    fputs(strong ? "** |" : " |", out);
}

static void table(const struct rowset *rs, const unsigned char *shown, size_t from, size_t to,
                  const struct render_opts *o, FILE *out)
{
    char buf[RENDER_CELL_MAX];

    fputc('|', out);
    for (size_t c = 0; c < rs->ncols; c++) {
        if (shown[c])
            cell(rs->cols[c].title ? rs->cols[c].title : "", 0, out);
    }
    fputs("\n|", out);
    for (size_t c = 0; c < rs->ncols; c++) {
        if (shown[c])
            fputs(render_col_right(&rs->cols[c]) ? "---:|" : "---|", out);
    }
    fputc('\n', out);
    for (size_t i = from; i < to; i++) {
        const struct rs_row *row = &rs->rows[i];
        fputc('|', out);
        for (size_t c = 0; c < rs->ncols; c++) {
            if (shown[c])
                cell(render_cell_text(&rs->cols[c], &row->cells[c], o->exact, buf), row->total,
                     out);
        }
        fputc('\n', out);
    }
}

/* The notes of rows [from, to) as a list after a blank line. */
static void notes(const struct rowset *rs, size_t from, size_t to, FILE *out)
{
    int any = 0;

    for (size_t i = from; i < to; i++) {
        for (size_t k = 0; k < rs->rows[i].nnotes; k++) {
            if (!any)
                fputc('\n', out);
            any = 1;
            fputs("- ", out);
            render_text(out, rs->rows[i].notes[k]);
            fputc('\n', out);
        }
    }
}

/* Writes the blocks of rs; *blocks counts those written before (a blank
 * line goes between two). With no block written at all and empty set,
 * the header alone: an empty result still shows its columns. */
static void write_blocks(const struct rowset *rs, const struct render_opts *o, size_t *blocks,
                         int empty, FILE *out)
{
    struct ts_buf head = TS_BUF_INIT;
    unsigned char *shown = xmalloc(rs->ncols ? rs->ncols : 1);

    for (size_t c = 0; c < rs->ncols; c++)
        shown[c] = (unsigned char)render_col_visible(rs, c, 1);
    if (rs->nrows == 0 && empty && *blocks == 0)
        table(rs, shown, 0, 0, o, out);
    for (size_t i = 0; i < rs->nrows;) {
        size_t end = render_block_end(rs, i);
        if ((*blocks)++ > 0)
            fputc('\n', out);
        if (render_has_blocks(rs)) {
            buf_reset(&head);
            render_block_heading(&head, rs, i, o->exact);
            fputs("### ", out);
            render_text(out, head.data);
            fputs("\n\n", out);
        }
        table(rs, shown, i, end, o, out);
        notes(rs, i, end, out);
        i = end;
    }
    buf_release(&head);
    free(shown);
}

/* "## TITLE" and a blank line, the title escaped. */
static void heading(const char *title, FILE *out)
{
    fputs("## ", out);
    render_text(out, title);
    fputs("\n\n", out);
}

static void write_rowset(const struct rowset *rs, const char *title, const struct render_opts *o,
                         FILE *out)
{
    size_t blocks = 0;

    if (title)
        heading(title, out);
    write_blocks(rs, o, &blocks, 1, out);
}

/* The source line in italics, with the characters Markdown would read as
 * emphasis or escapes written with a backslash. */
static void source(const char *text, FILE *out)
{
    struct ts_buf shown = TS_BUF_INIT;
    const char *s;

    ts_text_escape(&shown, text, strlen(text));
    fputs("\n_Source: ", out);
    for (s = shown.data; *s; s++) {
        if (*s == '_' || *s == '*' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputs("_\n", out);
    buf_release(&shown);
}

void render_markdown(struct render_pages *p, const struct report_doc *d, enum render_step step)
{
    FILE *out = p->out;

    if (step == RENDER_BEGIN) {
        if (d->title)
            heading(d->title, out);
        return;
    }
    if (step == RENDER_ROWS) {
        if (d->rows.nrows > 0)
            write_blocks(&d->rows, p->o, &p->blocks, 0, out);
        return;
    }
    if (p->blocks == 0)
        write_blocks(&d->rows, p->o, &p->blocks, 1, out);
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
    if (d->source)
        source(d->source, out);
}
