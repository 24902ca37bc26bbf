/* page_svg.c - the dashboard's chart: stacked share bars as an inline SVG
 * element that the page styles (svg.h). Small on purpose: its viewBox is
 * 480 pixels wide, so that on a phone it shrinks little and its labels
 * stay readable, and on a wide screen it grows with its box. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "render/chart.h"
#include "render/render.h"
#include "svg.h"

/* Layout, in hundredths of a pixel. */
#define PG_W       48000
#define PG_LEFT    5200 /* the axis labels, "100 %" at a phone's 14px */
#define PG_RIGHT   800
#define PG_TOP     1200
#define PG_PH      24000
#define PG_BOTTOM  (PG_TOP + PG_PH)
#define PG_H       (PG_BOTTOM + 3800) /* two lines of labels */
#define PG_MAX_BAR 5600
#define PG_LABEL_W 5300 /* "12-30*" at 15px (a phone's size), and a gap */

/* The marks after a week's label: '*' partial, a dagger listed only. */
static void week_marks(const struct chart *c, size_t w, struct ts_buf *b)
{
    if (c->total[w] > 0 && c->days[w] < 7)
        buf_addc(b, '*');
    if (c->total[w] > 0 && c->listed && c->listed[w])
        buf_adds(b, "\xe2\x80\xa0");
}

/* The y axis: a grid line and a label every 25 %. */
static void axis(long pw, struct ts_buf *b)
{
    buf_adds(b, "<g class=\"yaxis\">\n");
    for (int q = 0; q <= 4; q++) {
        long y = PG_BOTTOM - (long)PG_PH * q / 4;
        char label[16];
        snprintf(label, sizeof(label), "%d %%", q * 25);
        svg_line(b, PG_LEFT, y, PG_LEFT + pw, y, q ? "class=\"grid\"" : "class=\"axis\"");
        svg_text(b, PG_LEFT - 600, y + 400, "class=\"tick\" text-anchor=\"end\"", label);
    }
    buf_adds(b, "</g>\n");
}

/* Week w's bar, stacked from the bottom in the chart's order; the week's
 * title says what it covers, each segment's its share. */
static void bar(const struct chart *c, size_t w, long slot, long width, long *len, int64_t *part,
                struct ts_buf *b)
{
    long x = PG_LEFT + slot * (long)w + (slot - width) / 2, y = PG_BOTTOM;
    char date[TS_DATE_LEN + 1];

    date_format(c->from + (int32_t)(7 * w), date);
    buf_printf(b, "<g class=\"week\" id=\"w%s\">\n<title>Week of %s", date, date);
    if (c->days[w] < 7)
        buf_printf(b, ": partial, %d of 7 days", c->days[w]);
    if (c->listed && c->listed[w])
        buf_adds(b, c->days[w] < 7 ? "; listed models only" : ": listed models only");
    buf_adds(b, "</title>\n");
    for (size_t g = 0; g < c->ngroups; g++)
        part[g] = c->groups[g].tokens[w];
    chart_apportion(part, c->ngroups, c->total[w], PG_PH, len);
    for (size_t g = 0; g < c->ngroups; g++) {
        if (len[g] == 0)
            continue;
        y -= len[g];
        svg_rect_open(b, x, y, width, len[g]);
        buf_printf(b, " class=\"seg %s\"><title>", svg_segment_class(c, g));
        svg_segment_title(b, c, g, w);
    }
    buf_adds(b, "</g>\n");
}

/* The labels under the bars: every so many weeks MM-DD and its marks, and
 * the year under the first label and under each that starts a new year. */
static void labels(const struct chart *c, long slot, struct ts_buf *b)
{
    long every = (PG_LABEL_W + slot - 1) / slot;
    struct ts_buf t = TS_BUF_INIT;
    char date[TS_DATE_LEN + 1], year[8] = "";

    buf_adds(b, "<g class=\"xaxis\" text-anchor=\"middle\">\n");
    for (size_t w = 0; w < c->nweeks; w += (size_t)every) {
        long mid = PG_LEFT + slot * (long)w + slot / 2;
        date_format(c->from + (int32_t)(7 * w), date);
        buf_reset(&t);
        buf_add(&t, date + 5, 5);
        week_marks(c, w, &t);
        svg_text(b, mid, PG_BOTTOM + 1700, "class=\"day\"", t.data);
        if (strncmp(year, date, 4) != 0) {
            memcpy(year, date, 4);
            year[4] = '\0';
            svg_text(b, mid, PG_BOTTOM + 3200, "class=\"year\"", year);
        }
    }
    buf_adds(b, "</g>\n");
    buf_release(&t);
}

void page_chart_svg(const struct chart *c, const char *label, struct ts_buf *b)
{
    size_t nweeks = c->nweeks ? c->nweeks : 1;
    long pw = PG_W - PG_LEFT - PG_RIGHT;
    long slot = pw / (long)nweeks > 0 ? pw / (long)nweeks : 1;
    long width = slot * 7 / 10 > PG_MAX_BAR ? PG_MAX_BAR : slot * 7 / 10;
    long *len = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*len));
    int64_t *part = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*part));

    buf_adds(b, "<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    svg_px(b, PG_W);
    buf_addc(b, ' ');
    svg_px(b, PG_H);
    buf_adds(b, "\" role=\"img\" aria-label=\"");
    chart_xml_escape(b, label);
    buf_adds(b, "\">\n");
    axis(slot * (long)nweeks, b);
    for (size_t w = 0; w < c->nweeks; w++) {
        if (c->total[w] > 0)
            bar(c, w, slot, width, len, part, b);
        else
            svg_text(b, PG_LEFT + slot * (long)w + slot / 2, PG_BOTTOM - 600,
                     "class=\"nodata\" text-anchor=\"middle\"", c->gap[w] ? "gap" : "no data");
    }
    labels(c, slot, b);
    if (!c->has_data)
        svg_text(b, PG_LEFT + pw / 2, PG_TOP + PG_PH / 2, "class=\"nodata\" text-anchor=\"middle\"",
                 "no data in these weeks");
    buf_adds(b, "</svg>\n");
    free(len);
    free(part);
}
