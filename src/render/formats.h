/* formats.h - the formats render_doc dispatches to (render.c). Each writes
 * d to out; render.c checks the stream for errors afterwards. */
#ifndef TOKSTAT_RENDER_FORMATS_H
#define TOKSTAT_RENDER_FORMATS_H

#include <stdio.h>

#include "render/doc.h"
#include "render/render.h"

/* The formats of a report's rows write it in three steps (render_begin,
 * render_rows, render_end); p carries what the steps share. */
enum render_step {
    RENDER_BEGIN,
    RENDER_ROWS,
    RENDER_END,
};

void render_table(struct render_pages *p, const struct report_doc *d, enum render_step step);
void render_csv(struct render_pages *p, const struct report_doc *d, enum render_step step);
void render_json(struct render_pages *p, const struct report_doc *d, enum render_step step);
void render_markdown(struct render_pages *p, const struct report_doc *d, enum render_step step);
void render_chart_text(const struct report_doc *d, const struct render_opts *o, FILE *out);
void render_chart_svg(const struct report_doc *d, const struct render_opts *o, FILE *out);

/* A CSV field: quoted only when it holds a comma, a quote, CR or LF, or
 * starts or ends with a space or tab (csv.c). */
void render_csv_field(const char *s, FILE *out);
/* A JSON string, escaped per RFC 8259; bytes that are not UTF-8 as
 * \ufffd (json.c). */
void render_json_string(const char *s, FILE *out);

#endif
