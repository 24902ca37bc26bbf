/* formats.h - the formats render_doc dispatches to (render.c). Each writes
 * d to out; render_doc checks the stream for errors afterwards. */
#ifndef TOKSTAT_RENDER_FORMATS_H
#define TOKSTAT_RENDER_FORMATS_H

#include <stdio.h>

#include "render/doc.h"
#include "render/render.h"

void render_table(const struct report_doc *d, const struct render_opts *o, FILE *out);
void render_csv(const struct report_doc *d, const struct render_opts *o, FILE *out);
void render_json(const struct report_doc *d, const struct render_opts *o, FILE *out);
void render_markdown(const struct report_doc *d, const struct render_opts *o, FILE *out);
void render_chart_text(const struct report_doc *d, const struct render_opts *o, FILE *out);
void render_chart_svg(const struct report_doc *d, const struct render_opts *o, FILE *out);

/* A CSV field: quoted only when it holds a comma, a quote, CR or LF, or
 * starts or ends with a space or tab (csv.c). */
void render_csv_field(const char *s, FILE *out);
/* A JSON string, escaped per RFC 8259; bytes that are not UTF-8 as
 * \ufffd (json.c). */
void render_json_string(const char *s, FILE *out);

#endif
