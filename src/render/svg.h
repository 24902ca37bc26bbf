/* svg.h - what the SVG drawings share (chart_svg.c, the standalone chart;
 * page_svg.c, the dashboard's chart): lengths in hundredths of a pixel
 * printed with two decimals, so that a document is the same on every
 * machine and sums are exact; a few elements; the segments' colours.
 * Internal to src/render/. */
#ifndef TOKSTAT_RENDER_SVG_H
#define TOKSTAT_RENDER_SVG_H

#include "core/util.h"
#include "render/chart.h"

/* A length v in hundredths of a pixel, as "12.34"; appended to b. */
void svg_px(struct ts_buf *b, long v);

/* A text element at (x, y) in hundredths: attrs (may be "") added as is,
 * the text escaped. */
void svg_text(struct ts_buf *b, long x, long y, const char *attrs, const char *text);

/* The start of a rect element, "<rect x=.. y=.. width=.. height=..", for
 * the caller to go on with attributes and end. */
void svg_rect_open(struct ts_buf *b, long x, long y, long w, long h);

/* A line one pixel wide; attrs (may be "") added as is. */
void svg_line(struct ts_buf *b, long x1, long y1, long x2, long y2, const char *attrs);

/* The colour of segment g of c: one of CHART_MAX_GROUPS colours for a
 * named group (colour-blind safe, Okabe and Ito), grey for rest, light
 * grey for other ("#rrggbb", static). */
const char *svg_segment_fill(const struct chart *c, size_t g);

/* The colours of the named groups, in order ("#rrggbb", static). */
extern const char *const svg_named_fills[CHART_MAX_GROUPS];

/* The class of segment g of c on a page, whose style sheet gives it its
 * colour: "c0" .. "c11" (svg_named_fills), "crest" or "cother" (static). */
const char *svg_segment_class(const struct chart *c, size_t g);

/* The end of segment g's rect in week w's bar: its title ("NAME, week of
 * DATE: SHARE", escaped), then "</title></rect>" and a newline. The caller
 * has written the rect's attributes and "><title>". */
void svg_segment_title(struct ts_buf *b, const struct chart *c, size_t g, size_t w);

/* The dashboard's chart (page_svg.c): an inline <svg> element that scales
 * to the width of its box (a viewBox, no fixed size), styled by the page
 * through classes (segments "seg" and svg_segment_class, grid lines,
 * labels), for light and dark pages alike. A bar per week with each
 * segment's share as its title; a week label MM-DD under it, the year
 * under the first label and where it changes; '*' after a partial week,
 * a dagger (U+2020) after one that lists only its top models; "gap" or
 * "no data" in a week without data. label names the chart for screen
 * readers. Appended to b. */
void page_chart_svg(const struct chart *c, const char *label, struct ts_buf *b);

#endif
