/* csv.c - RFC 4180 for the programs that read tokstat's output.
 *
 * A header of the keys of the columns that are not RS_COL_TEXT_ONLY, then
 * one line per row that is not a Total row, "\n" line ends. A field is
 * quoted only when it holds a comma, a quote, CR or LF, or starts or ends
 * with a space or tab; quotes inside are doubled. No title, totals, notes,
 * source or further tables: the columns are the whole contract. */
#include <stdio.h>
#include <string.h>

#include "render/cells.h"
#include "formats.h"

static int needs_quotes(const char *s)
{
    size_t n = strlen(s);

    if (n == 0)
        return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

void render_csv_field(const char *s, FILE *out)
{
    if (!needs_quotes(s)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void header(const struct rowset *rs, FILE *out)
{
    int first = 1;

    for (size_t c = 0; c < rs->ncols; c++) {
        if (!render_col_shown(&rs->cols[c], 0))
            continue;
        if (!first)
            fputc(',', out);
        render_csv_field(rs->cols[c].key, out);
        first = 0;
    }
    fputc('\n', out);
}

static void rows(const struct rowset *rs, FILE *out)
{
    char buf[RENDER_CELL_MAX];

    for (size_t i = 0; i < rs->nrows; i++) {
        if (rs->rows[i].total)
            continue;
        int first = 1;
        for (size_t c = 0; c < rs->ncols; c++) {
            const char *text;
            if (!render_col_shown(&rs->cols[c], 0))
                continue;
            if (!first)
                fputc(',', out);
            render_cell_data(&rs->cols[c], &rs->rows[i].cells[c], buf, &text);
            render_csv_field(text, out);
            first = 0;
        }
        fputc('\n', out);
    }
}

void render_csv(struct render_pages *p, const struct report_doc *d, enum render_step step)
{
    if (step == RENDER_BEGIN)
        header(&d->rows, p->out);
    else if (step == RENDER_ROWS)
        rows(&d->rows, p->out);
}
