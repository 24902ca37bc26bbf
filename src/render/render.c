/* render.c - the one render entry point and the table of formats. */
#include "render/render.h"

#include <string.h>

#include "formats.h"

static const struct {
    const char *name; /* NULL: not a format of reports (--format) */
    enum render_format format;
    int chart; /* draws a chart rather than rows */
    void (*fn)(const struct report_doc *, const struct render_opts *, FILE *);
} formats[] = {
    {"table", RENDER_TABLE, 0, render_table},   {"csv", RENDER_CSV, 0, render_csv},
    {"json", RENDER_JSON, 0, render_json},      {"markdown", RENDER_MARKDOWN, 0, render_markdown},
    {NULL, RENDER_TABLE, 1, render_chart_text}, {NULL, RENDER_SVG, 1, render_chart_svg},
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

int render_doc(const struct report_doc *d, const struct render_opts *o, FILE *out)
{
    for (size_t i = 0; i < NFORMATS; i++) {
        if (formats[i].format == o->format && formats[i].chart == (d->chart != NULL)) {
            formats[i].fn(d, o, out);
            /* No fflush here: output_commit flushes, and reports the errno
             * of a full disk or a closed pipe while it is still known. */
            return ferror(out) ? -1 : 0;
        }
    }
    return -1;
}
