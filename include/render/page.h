/* page.h - a page of several reports: what tokstat dashboard writes, as
 * one self-contained HTML document (render_page_html).
 *
 * A page holds the report documents its tables show (built by the report
 * builders into page_doc()), a chart, and sections in order, each a list
 * of items: paragraphs, subheadings, the chart, and tables that show some
 * rows and columns of one of the documents' rowsets. Everything is owned
 * by the page: release it with page_release, which is safe on PAGE_INIT
 * and on a page filled half way. */
#ifndef TOKSTAT_RENDER_PAGE_H
#define TOKSTAT_RENDER_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "render/doc.h"
#include "render/rowset.h"

/* Documents, and notes, a page holds at most (the program's builders,
 * never data, decide how many documents). */
#define PAGE_MAX_DOCS    8
#define PAGE_MAX_NOTES   16
#define PAGE_MAX_SOURCES 4

/* A column of a table: a column of the rowset, found by its key. */
struct page_col {
    const char *key;   /* the rowset column's key (static); a key it lacks shows nothing */
    char *title;       /* owned: the header cell */
    const char *empty; /* static: what an empty cell shows (NULL: nothing) */
};

/* Some rows of a rowset as a table. */
struct page_table {
    const struct rowset *rs; /* borrowed: the rows of one of the page's documents */
    size_t first, end;       /* the rows shown: first .. end - 1 */
    struct page_col *cols;   /* owned */
    size_t ncols;
    const char *caption_key; /* a column whose value in the first row is the caption, or NULL */
    const char *swatch_key;  /* a column naming segments of the page's chart: a colour swatch */
    int notes;               /* the shown rows' notes as paragraphs under the table */
};

enum page_item_kind {
    PAGE_TEXT,    /* a paragraph */
    PAGE_HEADING, /* a subheading */
    PAGE_CHART,   /* the page's chart */
    PAGE_TABLE,
};

struct page_item {
    enum page_item_kind kind;
    char *text;      /* PAGE_TEXT, PAGE_HEADING; PAGE_CHART: its label (owned) */
    const char *cls; /* PAGE_TEXT: its class ("note", "key"; static) or NULL */
    int beside;      /* shown beside the chart before it, when the screen is wide enough */
    struct page_table table;
};

struct page_section {
    const char *id; /* static: the element's id, e.g. "share" */
    char *title;    /* owned */
    struct page_item *items;
    size_t nitems, cap;
};

struct chart;

struct page {
    char *title;    /* the document's title and first heading */
    char *subtitle; /* a line under it, or NULL */
    struct page_section *sections;
    size_t nsections, cap;
    char *notes[PAGE_MAX_NOTES]; /* warnings, each once, in the order given */
    size_t nnotes;
    /* "OpenRouter (openrouter.ai/rankings), as of ...": a line each in the footer */
    char *sources[PAGE_MAX_SOURCES];
    size_t nsources;
    struct chart *chart; /* owned, or NULL */
    struct report_doc docs[PAGE_MAX_DOCS];
    size_t ndocs;
};

#define PAGE_INIT                                                                                  \
    {                                                                                              \
        .title = NULL                                                                              \
    }

/* A new, empty document for a builder to fill; the page owns it. The
 * pointer holds until the page is released. NULL when the page has
 * PAGE_MAX_DOCS already. */
struct report_doc *page_doc(struct page *p);

/* Appends a section (title copied); the pointer holds until the next
 * page_section call. */
struct page_section *page_section(struct page *p, const char *id, const char *title);

/* Items appended to section s. */
void page_text(struct page_section *s, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void page_heading(struct page_section *s, const char *text);
void page_chart(struct page_section *s, const char *label); /* label: for screen readers */
/* A table of rows first..end - 1 of rs; add its columns with page_col.
 * The pointer holds until the next item of s. */
struct page_table *page_table(struct page_section *s, const struct rowset *rs, size_t first,
                              size_t end);
void page_col(struct page_table *t, const char *key, const char *title, const char *empty);
/* Shows the last item of s beside the chart before it (after the chart
 * or after another item shown beside it). */
void page_beside(struct page_section *s);

/* A note (warning) shown at the end of the page; one already there, or
 * beyond PAGE_MAX_NOTES, is left out. */
void page_note(struct page *p, const char *text);

void page_set_title(struct page *p, const char *title, const char *subtitle);
/* A source line of the page's data (copied); NULL, one already there, or
 * one beyond PAGE_MAX_SOURCES is left out. */
void page_add_source(struct page *p, const char *source);
void page_release(struct page *p);

/* Writes p as a standalone HTML5 document: inline CSS and SVG, no script,
 * nothing loaded from anywhere (a Content-Security-Policy says so to the
 * browser), readable in light and dark mode and on a phone. Every text
 * from the data is escaped. Returns 0, or -1 when out has an error. */
int render_page_html(const struct page *p, FILE *out);

#endif
