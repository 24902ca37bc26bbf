/* svg.c - the SVG elements and colours the drawings share. */
#include "svg.h"

#include "core/week.h"
#include "render/render.h"

#include <stdio.h>

void svg_px(struct ts_buf *b, long v)
{
    if (v < 0) {
        buf_addc(b, '-');
        v = -v;
    }
    buf_printf(b, "%ld.%02ld", v / 100, v % 100);
}

void svg_text(struct ts_buf *b, long x, long y, const char *attrs, const char *text)
{
    buf_adds(b, "<text x=\"");
    svg_px(b, x);
    buf_adds(b, "\" y=\"");
    svg_px(b, y);
    buf_printf(b, "\"%s%s>", *attrs ? " " : "", attrs);
    chart_xml_escape(b, text);
    buf_adds(b, "</text>\n");
}

void svg_rect_open(struct ts_buf *b, long x, long y, long w, long h)
{
    buf_adds(b, "<rect x=\"");
    svg_px(b, x);
    buf_adds(b, "\" y=\"");
    svg_px(b, y);
    buf_adds(b, "\" width=\"");
    svg_px(b, w);
    buf_adds(b, "\" height=\"");
    svg_px(b, h);
    buf_addc(b, '"');
}

void svg_line(struct ts_buf *b, long x1, long y1, long x2, long y2, const char *attrs)
{
    buf_adds(b, "<line x1=\"");
    svg_px(b, x1);
    buf_adds(b, "\" y1=\"");
    svg_px(b, y1);
    buf_adds(b, "\" x2=\"");
    svg_px(b, x2);
    buf_adds(b, "\" y2=\"");
    svg_px(b, y2);
    buf_printf(b, "\"%s%s/>\n", *attrs ? " " : "", attrs);
}

const char *const svg_named_fills[CHART_MAX_GROUPS] = {
    "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9",
    "#f0e442", "#332288", "#882255", "#44aa99", "#999933", "#117733",
};

const char *svg_segment_fill(const struct chart *c, size_t g)
{
    switch (c->groups[g].kind) {
    case CHART_REST:
        return "#a0a0a0";
    case CHART_OTHER:
        return "#d8d8d8";
    case CHART_NAMED:
        break;
    }
    return svg_named_fills[g % CHART_MAX_GROUPS];
}

const char *svg_segment_class(const struct chart *c, size_t g)
{
    static const char *const named[CHART_MAX_GROUPS] = {"c0", "c1", "c2", "c3", "c4",  "c5",
                                                        "c6", "c7", "c8", "c9", "c10", "c11"};

    switch (c->groups[g].kind) {
    case CHART_REST:
        return "crest";
    case CHART_OTHER:
        return "cother";
    case CHART_NAMED:
        break;
    }
    return named[g % CHART_MAX_GROUPS];
}

void svg_segment_title(struct ts_buf *b, const struct chart *c, size_t g, size_t w)
{
    struct ts_buf name = TS_BUF_INIT, tip = TS_BUF_INIT;
    char name_of[40], pct[32];

    /* "week of 2025-01-27", "month of 2025-01", "day 2025-01-05" */
    period_phrase(c->unit, period_add(c->unit, c->from, (long)w), name_of, sizeof(name_of));
    chart_legend_name(c, &c->groups[g], &name);
    render_percent(chart_share(c, g, w), pct, sizeof(pct));
    buf_printf(&tip, "%s, %s: %s", name.data, name_of, pct);
    chart_xml_escape(b, tip.data);
    buf_adds(b, "</title></rect>\n");
    buf_release(&name);
    buf_release(&tip);
}
