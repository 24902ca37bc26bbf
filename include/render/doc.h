/* doc.h - what a report command writes, in any format: a title, named
 * parameters, the rows (and an optional second table), warnings and the
 * source line; or, for the chart command, the bars of a chart.
 *
 * The report builders fill one; render_doc writes it. Everything in it is
 * owned by it: release with doc_release, which is safe on REPORT_DOC_INIT
 * and on a document filled half way. */
#ifndef TOKSTAT_RENDER_DOC_H
#define TOKSTAT_RENDER_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "render/rowset.h"

/* At most this many warnings are kept (the rest would repeat them). */
#define DOC_MAX_WARNINGS 10
/* Further tables beside the main rows, at most. */
#define DOC_MAX_TABLES 2

/* A key and value for the top of the JSON document ("dataset": "default"). */
struct doc_param {
    const char *key; /* static */
    char *value;     /* owned; NULL prints null */
    int number;      /* value is a JSON number, written as is ("5") */
};

struct chart;

/* A further table: in JSON under its key; in text output (table and
 * markdown) under its title when in_text is set (otherwise text output
 * shows what it holds through the main rows' notes). Never CSV. */
struct doc_table {
    const char *key; /* static */
    char *title;     /* owned, or NULL */
    int in_text;
    struct rowset rows;
};

struct report_doc {
    const char *command;      /* "report", "growth", ... (static) */
    char *title;              /* heading line of table and markdown output */
    struct doc_param *params; /* JSON: after "command", in order */
    size_t nparams;
    struct rowset rows;                      /* the main rows: CSV, JSON "rows", text */
    struct doc_table tables[DOC_MAX_TABLES]; /* further tables, in order */
    size_t ntables;
    char *warnings[DOC_MAX_WARNINGS]; /* JSON "warnings"; other formats leave them out */
    size_t nwarnings;
    /* Where the data came from, without a "Source: " prefix: "OpenRouter
     * (openrouter.ai/rankings), as of 2026-02-16". Table: a last line
     * "Source: <source>"; markdown: "_Source: <source>_"; JSON "source" as
     * is (null when NULL); not CSV. */
    char *source;
    /* A note on what the numbers are, without a "Note: " prefix; text
     * output only (table and markdown, before the source line; the chart's
     * text), never CSV or JSON (no prose fields). NULL for none. */
    char *note;
    struct chart *chart; /* the chart command's bars instead of rows, or NULL */
    size_t nrows_data; /* rows other than Total rows (or weeks of a chart with data): 0 is empty */
};

#define REPORT_DOC_INIT                                                                            \
    {                                                                                              \
        .rows = {.block_col = -1 }                                                                 \
    }

/* Appends a JSON parameter (value copied; NULL is null): a string, a
 * number written as is ("5"), or a day as "YYYY-MM-DD". */
void doc_param(struct report_doc *d, const char *key, const char *value);
void doc_param_number(struct report_doc *d, const char *key, const char *value);
void doc_param_date(struct report_doc *d, const char *key, int32_t day);

/* Adds a warning line (without "tokstat: warning: "); at most
 * DOC_MAX_WARNINGS are kept. */
void doc_warn(struct report_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds a further table (title copied, or NULL) and returns its rowset,
 * for the caller to start (at most DOC_MAX_TABLES: the program's own
 * builders, never data, decide how many). */
struct rowset *doc_table(struct report_doc *d, const char *key, const char *title, int in_text);

/* Sets the title, the source line (copied; NULL for none). */
void doc_set_title(struct report_doc *d, const char *title);
void doc_set_source(struct report_doc *d, const char *source);
void doc_set_note(struct report_doc *d, const char *note); /* copied; NULL for none */

void doc_release(struct report_doc *d);

#endif
