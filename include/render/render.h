/* render.h - a report document as a table, CSV, JSON or Markdown, or a
 * chart as text or SVG.
 *
 * One entry point takes the document and the options; the formats are
 * rows in a table inside render.c. Every format writes to a FILE * and
 * render_doc returns -1 when the stream reports an error (a full disk), 0
 * otherwise. */
#ifndef TOKSTAT_RENDER_RENDER_H
#define TOKSTAT_RENDER_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "render/doc.h"

enum render_format {
    RENDER_TABLE, /* a report's rows as aligned text; a chart's bars as text */
    RENDER_CSV,
    RENDER_JSON,
    RENDER_MARKDOWN,
    RENDER_SVG, /* a chart only */
};

/* Parses the name of a report format: "table", "csv", "json", "markdown";
 * -1 when none. */
int render_format_parse(const char *name, enum render_format *out);

struct render_opts {
    enum render_format format;
    int exact;   /* text output prints token counts as integers */
    int color;   /* text output may use ANSI colours (the caller decides: a terminal that is not
                    TERM=dumb, no NO_COLOR, no --no-color) */
    int width;   /* terminal columns for text output; 0 means no limit */
    int unicode; /* text output may use characters beyond ASCII (a UTF-8 locale): the chart's
                    blocks, which come only with its colours */
};

/* Writes d in the format of o. Table: the title, then each block of rows
 * under its heading with columns aligned (numbers right-aligned, text left),
 * Total rows and notes, fitted to o->width by shortening the widest text
 * column; then the further tables shown in text, and the source line. CSV: RFC 4180, a header
 * of the keys of the non-text-only columns, one line per non-total row,
 * fields quoted only when needed, "\n" line ends. JSON: one object
 * {"schema_version":2,"command":…,params…,"rows":[…],tables…,"warnings":[…],
 * "source":…}, followed by a newline. Markdown: the title as a heading, a
 * GitHub table per block, numbers right-aligned. A document with a chart:
 * the chart as text (RENDER_TABLE) or as SVG (RENDER_SVG). Returns 0, or
 * -1 when the format does not apply to d or out has an error. */
int render_doc(const struct report_doc *d, const struct render_opts *o, FILE *out);

/* A report written in parts, so that a report of a million rows never
 * holds them all: render_begin writes what comes before the main rows (a
 * table's title, CSV's header, JSON up to "rows":[), render_rows the main
 * rows d holds now (the caller then empties them, rowset_clear, and builds
 * the next), render_end what follows them (the further tables, the
 * warnings, the source line). For one part the output is what render_doc
 * writes; over several, a table's columns are as wide as the widest text
 * of the parts so far. Each returns 0, or -1 when the format does not
 * apply to d (a chart) or out has an error. */
struct render_pages {
    const struct render_opts *o;
    FILE *out;
    int format;     /* index in the table of formats, -1 before render_begin */
    size_t rows;    /* data rows written (JSON's commas) */
    size_t blocks;  /* blocks written (text: blank lines between them) */
    size_t *widths; /* table: the widest text of each column so far */
    size_t nwidths;
};

#define RENDER_PAGES_INIT                                                                          \
    {                                                                                              \
        NULL, NULL, -1, 0, 0, NULL, 0                                                              \
    }

int render_begin(struct render_pages *p, const struct report_doc *d, const struct render_opts *o,
                 FILE *out);
int render_rows(struct render_pages *p, const struct report_doc *d);
int render_end(struct render_pages *p, const struct report_doc *d);
void render_pages_release(struct render_pages *p); /* safe on RENDER_PAGES_INIT */

/* Text forms, exposed for tests and for notes built by the builders. Each
 * writes a NUL-terminated string into buf (at least 32 bytes). */
void render_tokens_human(int64_t v, char *buf, size_t n);  /* 4.12T, 629B, 50.0B, 1.25M, 999 */
void render_percent(double fraction, char *buf, size_t n); /* 0.4872 -> "48.7 %" */
/* Points (HHI) rounded, with thousands separators: "2,345"; with plus a '+'
 * before a value above zero ("+150"). */
void render_points(double v, int plus, char *buf, size_t n);

#endif
