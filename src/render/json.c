/* json.c - one JSON object per report.
 *
 * Layout: compact, with each row on a line of its own, so the document is
 * both one object for jq and readable with less:
 *
 *   {"schema_version":2,"command":"report","by":"country","rows":[
 *   {"week":"2026-02-09","country":"CN","tokens":4120000000000,"share":0.487234},
 *   {"week":"2026-02-09","country":"US","tokens":629000000000,"share":0.074123}
 *   ],"hhi":[
 *   {"week":"2026-02-09","hhi":2345.123456}
 *   ],"warnings":["vendors without a country: foo"],"source":null}
 *
 * An empty array is "[]" on the line it opens. The keys come in that order:
 * schema_version, command, the params, rows, the further tables (when there
 * are any), warnings, source; the document ends with a newline. Numbers are the
 * same text as in CSV (integers, "%.6f" reals), written by hand because
 * jansson would print reals its own way. Strings are escaped per RFC 8259:
 * '"' and '\' with a backslash, control characters as \u00xx (lower-case
 * hex), bytes that are not valid UTF-8 as \ufffd; other UTF-8 passes
 * through. Total rows and notes are text output only. */
#include <stdio.h>
#include <string.h>

#include "render/cells.h"
#include "formats.h"
#include "core/util.h"

void render_json_string(const char *s, FILE *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);

    fputc('"', out);
    while (*p) {
        /* A run of printable ASCII that needs no escape, in one write. */
        const unsigned char *q = p;
        while (*q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
            q++;
        if (q > p) {
            fwrite(p, 1, (size_t)(q - p), out);
            left -= (size_t)(q - p);
            p = q;
            continue;
        }
        size_t k = ts_utf8_seq(p, left);
        left -= k ? k : 1;
        if (k == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (*p == '"' || *p == '\\') {
            fputc('\\', out);
            fputc(*p++, out);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", *p++);
        } else {
            fwrite(p, 1, k, out);
            p += k;
        }
    }
    fputc('"', out);
}

/* The non-total rows of rs and its data columns, each on a line of its
 * own; *any says whether a row came before (and gets one). */
static void json_items(const struct rowset *rs, size_t *any, FILE *out)
{
    char buf[RENDER_CELL_MAX];

    for (size_t i = 0; rs && i < rs->nrows; i++) {
        if (rs->rows[i].total)
            continue;
        fputs(*any ? ",\n{" : "\n{", out);
        (*any)++;
        int first = 1;
        for (size_t c = 0; c < rs->ncols; c++) {
            const struct rs_col *col = &rs->cols[c];
            const char *text;
            if (!render_col_shown(col, 0))
                continue;
            if (!first)
                fputc(',', out);
            first = 0;
            render_json_string(col->key, out);
            fputc(':', out);
            switch (render_cell_data(col, &rs->rows[i].cells[c], buf, &text)) {
            case RENDER_DATA_NULL:
                fputs("null", out);
                break;
            case RENDER_DATA_NUMBER:
                fputs(text, out);
                break;
            case RENDER_DATA_STRING:
                render_json_string(text, out);
                break;
            }
        }
        fputc('}', out);
    }
}

/* "key":[ rows ] for the non-total rows of rs and its data columns. */
static void json_rows(const char *key, const struct rowset *rs, FILE *out)
{
    size_t any = 0;

    render_json_string(key, out);
    fputs(":[", out);
    json_items(rs, &any, out);
    fputs(any ? "\n]" : "]", out);
}

/* Up to "rows":[ */
static void json_begin(const struct report_doc *r, FILE *out)
{
    fputs("{\"schema_version\":2,\"command\":", out);
    if (r->command)
        render_json_string(r->command, out);
    else
        fputs("null", out);
    for (size_t i = 0; i < r->nparams; i++) {
        fputc(',', out);
        render_json_string(r->params[i].key, out);
        fputc(':', out);
        if (!r->params[i].value)
            fputs("null", out);
        else if (r->params[i].number)
            fputs(r->params[i].value, out);
        else
            render_json_string(r->params[i].value, out);
    }
    fputc(',', out);
    render_json_string("rows", out);
    fputs(":[", out);
}

/* From the end of the rows to the end of the document. */
static void json_end(const struct report_doc *r, size_t any, FILE *out)
{
    fputs(any ? "\n]" : "]", out);
    for (size_t i = 0; i < r->ntables; i++) {
        fputc(',', out);
        json_rows(r->tables[i].key, &r->tables[i].rows, out);
    }
    fputs(",\"warnings\":[", out);
    for (size_t i = 0; i < r->nwarnings; i++) {
        if (i > 0)
            fputc(',', out);
        render_json_string(r->warnings[i], out);
    }
    fputs("],\"source\":", out);
    if (r->source)
        render_json_string(r->source, out);
    else
        fputs("null", out);
    fputs("}\n", out);
}

void render_json(struct render_pages *p, const struct report_doc *d, enum render_step step)
{
    if (step == RENDER_BEGIN)
        json_begin(d, p->out);
    else if (step == RENDER_ROWS)
        json_items(&d->rows, &p->rows, p->out);
    else
        json_end(d, p->rows, p->out);
}
