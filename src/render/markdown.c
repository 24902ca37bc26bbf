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

static void write_rowset(const struct rowset *rs, const char *title, const struct render_opts *o,
                         FILE *out)
{
    struct ts_buf head = TS_BUF_INIT;
    unsigned char *shown = xmalloc(rs->ncols ? rs->ncols : 1);

    for (size_t c = 0; c < rs->ncols; c++)
        shown[c] = (unsigned char)render_col_visible(rs, c, 1);
    if (title) {
        fputs("## ", out);
        render_text(out, title);
        fputs("\n\n", out);
    }
    if (rs->nrows == 0)
        table(rs, shown, 0, 0, o, out);
    for (size_t i = 0; i < rs->nrows;) {
        size_t end = render_block_end(rs, i);
        if (i > 0)
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

void render_markdown(const struct report_doc *d, const struct render_opts *o, FILE *out)
{
    write_rowset(&d->rows, d->title, o, out);
    for (size_t i = 0; i < d->ntables; i++) {
        if (!d->tables[i].in_text)
            continue;
        fputc('\n', out);
        write_rowset(&d->tables[i].rows, d->tables[i].title, o, out);
    }
    if (d->note) {
        fputs("\nNote: ", out);
        render_text(out, d->note);
        fputs(".\n", out);
    }
    if (d->source)
        source(d->source, out);
}
