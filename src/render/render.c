/* render.c - the one render entry point and the table of formats. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"

static const struct {
    const char *name; /* NULL: not a format of reports (--format) */
    enum render_format format;
    /* The rows of a report, in parts; or the bars of a chart, whole. */
    void (*rows)(struct render_pages *, const struct report_doc *, enum render_step);
    void (*chart)(const struct report_doc *, const struct render_opts *, FILE *);
} formats[] = {
    {"table", RENDER_TABLE, render_table, NULL},
    {"csv", RENDER_CSV, render_csv, NULL},
    {"json", RENDER_JSON, render_json, NULL},
    {"markdown", RENDER_MARKDOWN, render_markdown, NULL},
    {NULL, RENDER_TABLE, NULL, render_chart_text},
    {NULL, RENDER_SVG, NULL, render_chart_svg},
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

int render_format_parse(const char *name, enum render_format *out)
{
    for (size_t i = 0; i < NFORMATS; i++) {
        if (formats[i].name && strcmp(name, formats[i].name) == 0) {
            *out = formats[i].format;
            return 0;
        }
    }
    return -1;
}

/* No fflush in here: output_commit flushes, and reports the errno of a
 * full disk or a closed pipe while it is still known. */

int render_begin(struct render_pages *p, const struct report_doc *d, const struct render_opts *o,
                 FILE *out)
{
    p->o = o;
    p->out = out;
    p->format = -1;
    for (size_t i = 0; i < NFORMATS && !d->chart; i++) {
        if (formats[i].format == o->format && formats[i].rows) {
            p->format = (int)i;
            formats[i].rows(p, d, RENDER_BEGIN);
            return ferror(out) ? -1 : 0;
        }
    }
    return -1;
}

int render_rows(struct render_pages *p, const struct report_doc *d)
{
    if (p->format < 0)
        return -1;
    formats[p->format].rows(p, d, RENDER_ROWS);
    return ferror(p->out) ? -1 : 0;
}

int render_end(struct render_pages *p, const struct report_doc *d)
{
    if (p->format < 0)
        return -1;
    formats[p->format].rows(p, d, RENDER_END);
    return ferror(p->out) ? -1 : 0;
}

void render_pages_release(struct render_pages *p)
{
    free(p->widths);
    p->widths = NULL;
    p->nwidths = 0;
}

int render_doc(const struct report_doc *d, const struct render_opts *o, FILE *out)
{
    if (d->chart) {
        for (size_t i = 0; i < NFORMATS; i++) {
            if (formats[i].format == o->format && formats[i].chart) {
                formats[i].chart(d, o, out);
                return ferror(out) ? -1 : 0;
            }
        }
        return -1;
    }
    struct render_pages p = RENDER_PAGES_INIT;
    int rc = render_begin(&p, d, o, out);
    if (rc == 0)
        rc = render_rows(&p, d);
    if (rc == 0)
        rc = render_end(&p, d);
    render_pages_release(&p);
    return rc;
}
