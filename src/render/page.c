/* page.c - filling and releasing a page of reports. */
#include "render/page.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "render/chart.h"

struct report_doc *page_doc(struct page *p)
{
    if (p->ndocs >= PAGE_MAX_DOCS)
        return NULL;
    struct report_doc *d = &p->docs[p->ndocs++];
    *d = (struct report_doc)REPORT_DOC_INIT;
    return d;
}

struct page_section *page_section(struct page *p, const char *id, const char *title)
{
    if (p->nsections == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 8;
        p->sections = xrealloc(p->sections, p->cap * sizeof(*p->sections));
    }
    struct page_section *s = &p->sections[p->nsections++];
    memset(s, 0, sizeof(*s));
    s->id = id;
    s->title = xstrdup(title);
    return s;
}

static struct page_item *add_item(struct page_section *s, enum page_item_kind kind)
{
    if (s->nitems == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->items = xrealloc(s->items, s->cap * sizeof(*s->items));
    }
    struct page_item *it = &s->items[s->nitems++];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    return it;
}

void page_text(struct page_section *s, const char *cls, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *text = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    struct page_item *it = add_item(s, PAGE_TEXT);
    it->text = text;
    it->cls = cls;
}

void page_heading(struct page_section *s, const char *text)
{
    add_item(s, PAGE_HEADING)->text = xstrdup(text);
}

void page_chart(struct page_section *s, const char *label)
{
    add_item(s, PAGE_CHART)->text = xstrdup(label);
}

void page_beside(struct page_section *s)
{
    if (s->nitems > 0)
        s->items[s->nitems - 1].beside = 1;
}

struct page_table *page_table(struct page_section *s, const struct rowset *rs, size_t first,
                              size_t end)
{
    struct page_table *t = &add_item(s, PAGE_TABLE)->table;

    t->rs = rs;
    t->first = first;
    t->end = end;
    return t;
}

void page_col(struct page_table *t, const char *key, const char *title, const char *empty)
{
    t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
    t->cols[t->ncols].key = key;
    t->cols[t->ncols].title = xstrdup(title);
    t->cols[t->ncols].empty = empty;
    t->ncols++;
}

void page_note(struct page *p, const char *text)
{
    for (size_t i = 0; i < p->nnotes; i++) {
        if (strcmp(p->notes[i], text) == 0)
            return;
    }
    if (p->nnotes < PAGE_MAX_NOTES)
        p->notes[p->nnotes++] = xstrdup(text);
}

void page_set_title(struct page *p, const char *title, const char *subtitle)
{
    free(p->title);
    free(p->subtitle);
    p->title = xstrdup(title);
    p->subtitle = subtitle ? xstrdup(subtitle) : NULL;
}

void page_add_source(struct page *p, const char *source)
{
    if (!source || p->nsources >= PAGE_MAX_SOURCES)
        return;
    for (size_t i = 0; i < p->nsources; i++) {
        if (strcmp(p->sources[i], source) == 0)
            return;
    }
    p->sources[p->nsources++] = xstrdup(source);
}

void page_release(struct page *p)
{
    for (size_t i = 0; i < p->nsections; i++) {
        struct page_section *s = &p->sections[i];
        for (size_t k = 0; k < s->nitems; k++) {
            free(s->items[k].text);
            for (size_t c = 0; c < s->items[k].table.ncols; c++)
                free(s->items[k].table.cols[c].title);
            free(s->items[k].table.cols);
        }
        free(s->items);
        free(s->title);
    }
    free(p->sections);
    for (size_t i = 0; i < p->nnotes; i++)
        free(p->notes[i]);
    for (size_t i = 0; i < p->ndocs; i++)
        doc_release(&p->docs[i]);
    if (p->chart) {
        chart_release(p->chart);
        free(p->chart);
    }
    free(p->title);
    free(p->subtitle);
    for (size_t i = 0; i < p->nsources; i++)
        free(p->sources[i]);
    memset(p, 0, sizeof(*p));
}
