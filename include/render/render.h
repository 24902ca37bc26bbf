/* render.h - a report as a table, CSV, JSON or Markdown.
 *
 * One entry point takes the report and a spec; the formats are rows in a
 * table inside render.c. Renderers write to a FILE * and return -1 when
 * the stream reports an error (a full disk), 0 otherwise. */
#ifndef TOKSTAT_RENDER_RENDER_H
#define TOKSTAT_RENDER_RENDER_H

#include <stdio.h>

#include "render/rowset.h"

enum render_format {
    RENDER_TABLE,
    RENDER_CSV,
    RENDER_JSON,
    RENDER_MARKDOWN,
};

/* Parses "table", "csv", "json", "markdown"; -1 when none. */
int render_format_parse(const char *name, enum render_format *out);

struct render_opts {
    enum render_format format;
    int exact; /* text output prints token counts as integers */
    int color; /* text output may use ANSI colours (the caller decides: a terminal, no NO_COLOR, no
                  --no-color) */
    int width; /* terminal columns for table output; 0 means no limit */
};

/* A key and value for the top of the JSON document ("dataset": "default"). */
struct report_param {
    const char *key;
    const char *value; /* NULL prints null */
    int number;        /* value is a JSON number, written as is ("5") */
};

struct report {
    const char *command;               /* "report", "growth", "top" */
    const char *title;                 /* heading line of table and markdown output */
    const struct report_param *params; /* JSON: after "command", in order */
    size_t nparams;
    struct rowset *rows; /* the main rows: CSV, JSON "rows", text */
    /* An optional second rowset: JSON under extra_key; in text output a
     * second table under extra_title when extra_in_text is set (otherwise
     * the text output shows it through the main rows' notes). Never CSV. */
    struct rowset *extra;
    const char *extra_key;
    const char *extra_title;
    int extra_in_text;
    const char *const *warnings; /* JSON "warnings" (always present, maybe []); others ignore */
    size_t nwarnings;
    /* Where the data came from, without a "Source: " prefix: "OpenRouter
     * (openrouter.ai/rankings), as of 2026-02-16". Table: a last line
     * "Source: <source>"; markdown: "_Source: <source>_"; JSON "source" as
     * is (null when NULL); not CSV. */
    const char *source;
};

/* Writes r in the format of o. Table: the title, then each block of rows
 * under its heading with columns aligned (numbers right-aligned, text left),
 * Total rows and notes, fitted to o->width by shortening the widest text
 * column; then the extra table and the source line. CSV: RFC 4180, a header
 * of the keys of the non-text-only columns, one line per non-total row,
 * fields quoted only when needed, "\n" line ends. JSON: one object
 * {"schema_version":1,"command":…,params…,"rows":[…],extra,"warnings":[…],
 * "source":…}, followed by a newline. Markdown: the title as a heading, a
 * GitHub table per block, numbers right-aligned. */
int render_report(const struct report *r, const struct render_opts *o, FILE *out);

/* Text forms, exposed for tests and for notes built by commands. Each
 * writes a NUL-terminated string into buf (at least 32 bytes). */
void render_tokens_human(int64_t v, char *buf, size_t n);  /* 4.12T, 629B, 50.0B, 1.25M, 999 */
void render_percent(double fraction, char *buf, size_t n); /* 0.4872 -> "48.7 %" */
/* Points (HHI) rounded, with thousands separators: "2,345"; with plus a '+'
 * before a value above zero ("+150"). */
void render_points(double v, int plus, char *buf, size_t n);

#endif
