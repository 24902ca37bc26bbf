/* chart_svg.c - a chart as a standalone SVG 1.1 document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "render/chart.h"
#include "formats.h"
#include "svg.h"

/* Layout, in hundredths of a pixel. Text widths are estimated from the
 * number of bytes: generous for the sans-serif fonts at these sizes. */
#define SVG_PAD       1600
#define SVG_TOP       6400
#define SVG_LEFT      6400
#define SVG_PH        (CHART_SVG_PLOT_H * 100)
#define SVG_PW        64000
#define SVG_MIN_SLOT  1200
#define SVG_MAX_BAR   6400
#define SVG_LABEL_W   7000 /* a date at 11px */
#define SVG_CHAR_12   750  /* a character at 12px */
#define SVG_CHAR_16   950  /* a character at 16px, bold */
#define SVG_LEGEND_DY 2200

/* Where everything goes, in hundredths of a pixel. */
struct svg_layout {
    long slot, pw, bar; /* per week; the plot's width; a bar's width */
    int rotate;         /* slanted week labels */
    long every;         /* a label every so many weeks */
    long bottom;        /* the plot's baseline */
    long lx, lw;        /* the legend's left edge and width */
    long width, height;
    char head[64]; /* the legend's heading */
};

static void layout(const struct chart *c, const char *title, const char *source,
                   struct svg_layout *l)
{
    size_t nweeks = c->nweeks ? c->nweeks : 1;
    struct ts_buf name = TS_BUF_INIT;
    char name_of[40];

    l->slot = SVG_PW / (long)nweeks;
    if (l->slot < SVG_MIN_SLOT)
        l->slot = SVG_MIN_SLOT;
    l->pw = l->slot * (long)nweeks;
    l->bar = l->slot * 7 / 10 > SVG_MAX_BAR ? SVG_MAX_BAR : l->slot * 7 / 10;
    l->rotate = l->slot < SVG_LABEL_W + 400;
    /* Slanted labels need 19px between them, level ones their width. */
    l->every = l->rotate ? (1900 + l->slot - 1) / l->slot : 1;
    l->bottom = SVG_TOP + SVG_PH;
    long xlabels = l->rotate ? 6400 : 2600;

    /* The legend, right of the plot: its width from the longest name. */
    size_t namew = 0;
    for (size_t g = 0; g < c->ngroups; g++) {
        buf_reset(&name);
        chart_legend_name(c, &c->groups[g], &name);
        if (name.len > namew)
            namew = name.len;
    }
    buf_release(&name);
    period_phrase(c->unit, period_add(c->unit, c->from, (long)c->latest), name_of, sizeof(name_of));
    snprintf(l->head, sizeof(l->head), "Share, %s", name_of);
    l->lx = SVG_LEFT + l->pw + 3200;
    l->lw = 2400 + (long)namew * SVG_CHAR_12 + 1200 + 5200;
    if (l->lw < (long)strlen(l->head) * SVG_CHAR_12)
        l->lw = (long)strlen(l->head) * SVG_CHAR_12;
    l->width = l->lx + l->lw + SVG_PAD;
    long title_w = SVG_PAD * 2 + (long)strlen(title) * SVG_CHAR_16;
    long source_w = source ? SVG_PAD * 2 + (long)(strlen(source) + 8) * 650 : 0;
    if (l->width < title_w)
        l->width = title_w;
    if (l->width < source_w)
        l->width = source_w;
    l->height = l->bottom + xlabels + (source ? 2800 : 0) + SVG_PAD;
    long legend_bottom = SVG_TOP + 2000 + (long)c->ngroups * SVG_LEGEND_DY + SVG_PAD;
    if (l->height < legend_bottom)
        l->height = legend_bottom;
}

/* The document's start, the title and the y axis: grid lines and labels
 * every 25 %. */
static void head(const struct svg_layout *l, const char *title, struct ts_buf *b)
{
    buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    svg_px(b, l->width);
    buf_adds(b, "\" height=\"");
    svg_px(b, l->height);
    buf_adds(b, "\" viewBox=\"0 0 ");
    svg_px(b, l->width);
    buf_addc(b, ' ');
    svg_px(b, l->height);
    buf_adds(b, "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"12\">\n"
                "<title>");
    chart_xml_escape(b, title);
    buf_adds(b, "</title>\n");
    svg_rect_open(b, 0, 0, l->width, l->height);
    buf_adds(b, " fill=\"#ffffff\"/>\n");
    svg_text(b, SVG_PAD, 3000, "font-size=\"16\" font-weight=\"bold\"", title);
    buf_adds(b, "<g class=\"axis\" fill=\"#333333\">\n");
    for (int q = 0; q <= 4; q++) {
        long y = l->bottom - SVG_PH * q / 4;
        char label[16];
        snprintf(label, sizeof(label), "%d %%", q * 25);
        svg_line(b, SVG_LEFT, y, SVG_LEFT + l->pw, y,
                 q ? "stroke=\"#e0e0e0\" stroke-width=\"1\""
                   : "stroke=\"#333333\" stroke-width=\"1\"");
        svg_text(b, SVG_LEFT - 800, y + 400, "text-anchor=\"end\"", label);
    }
    buf_adds(b, "</g>\n");
}

/* Week w's bar, stacked from the bottom in the legend's order. */
static void week_bar(const struct chart *c, const struct svg_layout *l, size_t w, long *len,
                     int64_t *part, struct ts_buf *b)
{
    long x = SVG_LEFT + l->slot * (long)w + (l->slot - l->bar) / 2, y = l->bottom;
    char date[TS_DATE_LEN + 1];
    int32_t start = period_add(c->unit, c->from, (long)w);
    const char *unit = period_unit_name(c->unit);

    period_label(c->unit, start, date, sizeof(date));
    for (size_t g = 0; g < c->ngroups; g++)
        part[g] = c->groups[g].tokens[w];
    chart_apportion(part, c->ngroups, c->total[w], SVG_PH, len);
    buf_printf(b, "<g class=\"%s\" id=\"%c%s\">\n", unit, unit[0], date);
    for (size_t g = 0; g < c->ngroups; g++) {
        if (len[g] == 0)
            continue;
        y -= len[g];
        svg_rect_open(b, x, y, l->bar, len[g]);
        buf_printf(b, " fill=\"%s\"", svg_segment_fill(c, g));
        buf_adds(b, " stroke=\"#ffffff\" stroke-width=\"0.50\"><title>");
        svg_segment_title(b, c, g, w);
    }
    buf_adds(b, "</g>\n");
}

/* Week w's label under the plot, level or slanted. */
static void week_label(const struct chart *c, const struct svg_layout *l, size_t w,
                       struct ts_buf *b)
{
    long mid = SVG_LEFT + l->slot * (long)w + l->slot / 2;
    char date[TS_DATE_LEN + 1];

    period_label(c->unit, period_add(c->unit, c->from, (long)w), date, sizeof(date));
    if (l->rotate) {
        char attrs[128];
        snprintf(attrs, sizeof(attrs),
                 "text-anchor=\"end\" font-size=\"11\" transform=\"rotate(-45 %ld.%02ld "
                 "%ld.%02ld)\"",
                 (mid + 400) / 100, (mid + 400) % 100, (l->bottom + 1400) / 100,
                 (l->bottom + 1400) % 100);
        svg_text(b, mid + 400, l->bottom + 1400, attrs, date);
    } else {
        svg_text(b, mid, l->bottom + 1800, "text-anchor=\"middle\" font-size=\"11\"", date);
    }
}

/* The legend: each segment's colour, name and share in the latest week. */
static void legend(const struct chart *c, const struct svg_layout *l, struct ts_buf *b)
{
    struct ts_buf name = TS_BUF_INIT;
    char pct[32];

    buf_adds(b, "<g class=\"legend\">\n");
    svg_text(b, l->lx, SVG_TOP + 1000, "font-weight=\"bold\"", l->head);
    for (size_t g = 0; g < c->ngroups; g++) {
        long y = SVG_TOP + 2000 + (long)g * SVG_LEGEND_DY;
        svg_rect_open(b, l->lx, y, 1400, 1400);
        buf_printf(b, " fill=\"%s\"/>\n", svg_segment_fill(c, g));
        buf_reset(&name);
        chart_legend_name(c, &c->groups[g], &name);
        svg_text(b, l->lx + 2200, y + 1150, "", name.data);
        render_percent(chart_share(c, g, c->latest), pct, sizeof(pct));
        svg_text(b, l->lx + l->lw, y + 1150, "text-anchor=\"end\"", pct);
    }
    buf_adds(b, "</g>\n");
    buf_release(&name);
}

/* Writes what b holds and empties it: the document goes out a part at a
 * time. */
static void put(struct ts_buf *b, FILE *out)
{
    fwrite(b->data ? b->data : "", 1, b->len, out);
    buf_reset(b);
}

void chart_svg(const struct chart *c, const char *title, const char *source, FILE *out)
{
    struct svg_layout l;
    struct ts_buf b = TS_BUF_INIT;
    long *len = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*len));
    int64_t *part = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*part));

    layout(c, title, source, &l);
    head(&l, title, &b);
    put(&b, out);
    for (size_t w = 0; w < c->nweeks; w++) {
        if (c->total[w] == 0)
            svg_text(&b, SVG_LEFT + l.slot * (long)w + l.slot / 2, l.bottom - 600,
                     "class=\"nodata\" text-anchor=\"middle\" fill=\"#777777\" font-size=\"10\"",
                     c->gap[w] ? "gap" : "no data");
        else
            week_bar(c, &l, w, len, part, &b);
        if (w % (size_t)l.every == 0)
            week_label(c, &l, w, &b);
        put(&b, out);
    }
    if (!c->has_data)
        svg_text(&b, SVG_LEFT + l.pw / 2, SVG_TOP + SVG_PH / 2,
                 "text-anchor=\"middle\" fill=\"#777777\" font-size=\"14\"",
                 "no data in this range");
    legend(c, &l, &b);
    if (source) {
        struct ts_buf line = TS_BUF_INIT;
        buf_printf(&line, "Source: %s", source);
        svg_text(&b, SVG_PAD, l.height - SVG_PAD - 200, "font-size=\"11\" fill=\"#555555\"",
                 line.data);
        buf_release(&line);
    }
    buf_adds(&b, "</svg>\n");
    put(&b, out);
    free(len);
    free(part);
    buf_release(&b);
}

void render_chart_svg(const struct report_doc *d, const struct render_opts *o, FILE *out)
{
    (void)o;
    chart_svg(d->chart, d->title ? d->title : "", d->source, out);
}
