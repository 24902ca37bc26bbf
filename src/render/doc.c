/* doc.c - filling and releasing a report document. */
#include "render/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/week.h"
#include "render/chart.h"

static void add_param(struct report_doc *d, const char *key, const char *value, int number)
{
    d->params = xrealloc(d->params, (d->nparams + 1) * sizeof(*d->params));
    d->params[d->nparams].key = key;
    d->params[d->nparams].value = value ? xstrdup(value) : NULL;
    d->params[d->nparams].number = number;
    d->nparams++;
}

void doc_param(struct report_doc *d, const char *key, const char *value)
{
    add_param(d, key, value, 0);
}

void doc_param_number(struct report_doc *d, const char *key, const char *value)
{
    add_param(d, key, value, 1);
}

void doc_param_date(struct report_doc *d, const char *key, int32_t day)
{
    char s[TS_DATE_LEN + 1];

    date_format(day, s);
    add_param(d, key, s, 0);
}

void doc_warn(struct report_doc *d, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (d->nwarnings >= DOC_MAX_WARNINGS)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *msg = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    d->warnings[d->nwarnings++] = msg;
}

struct rowset *doc_table(struct report_doc *d, const char *key, const char *title, int in_text)
{
    struct doc_table *t =
        &d->tables[d->ntables < DOC_MAX_TABLES ? d->ntables++ : DOC_MAX_TABLES - 1];

    t->key = key;
    free(t->title);
    t->title = title ? xstrdup(title) : NULL;
    t->in_text = in_text;
    t->rows.block_col = -1;
    return &t->rows;
}

void doc_set_title(struct report_doc *d, const char *title)
{
    free(d->title);
    d->title = title ? xstrdup(title) : NULL;
}

void doc_set_source(struct report_doc *d, const char *source)
{
    free(d->source);
    d->source = source ? xstrdup(source) : NULL;
}

void doc_set_note(struct report_doc *d, const char *note)
{
    free(d->note);
    d->note = note ? xstrdup(note) : NULL;
}

void doc_release(struct report_doc *d)
{
    for (size_t i = 0; i < d->nparams; i++)
        free(d->params[i].value);
    free(d->params);
    free(d->title);
    free(d->source);
    free(d->note);
    for (size_t i = 0; i < d->nwarnings; i++)
        free(d->warnings[i]);
    rowset_release(&d->rows);
    for (size_t i = 0; i < d->ntables; i++) {
        free(d->tables[i].title);
        rowset_release(&d->tables[i].rows);
    }
    if (d->chart) {
        chart_release(d->chart);
        free(d->chart);
    }
    memset(d, 0, sizeof(*d));
    d->rows.block_col = -1;
}
