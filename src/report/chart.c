/* chart.c - stacked share bars per week as text or SVG; see chart.h. */
#include "report/chart.h"

#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "core/week.h"

/* ---- the segments ---- */

/* Sorts group indices by tokens over the range descending, then name. */
static void sort_groups(size_t *idx, size_t n, const struct series *s, const int64_t *sum)
{
    for (size_t i = 1; i < n; i++) { /* insertion sort: a few hundred groups at most */
        size_t v = idx[i], j = i;
        while (j > 0) {
            size_t u = idx[j - 1];
            if (sum[u] > sum[v] ||
                (sum[u] == sum[v] && strcmp(s->groups[u].name, s->groups[v].name) <= 0))
                break;
            idx[j] = u;
            j--;
        }
        idx[j] = v;
    }
}

static struct chart_group *add_group(struct chart *c, const char *name, enum chart_kind kind)
{
    struct chart_group *g = &c->groups[c->ngroups++];

    g->name = xstrdup(name);
    g->kind = kind;
    g->nfolded = 0;
    g->sum = 0;
    g->tokens = xcalloc(c->nweeks ? c->nweeks : 1, sizeof(*g->tokens));
    return g;
}

static void add_tokens(struct chart_group *to, const struct series_group *from, size_t nweeks)
{
    for (size_t w = 0; w < nweeks; w++) {
        to->tokens[w] += from->tokens[w];
        to->sum += from->tokens[w];
    }
}

void chart_build(const struct series *s, enum group_by by, int other_exclude, size_t max_named,
                 struct chart *out)
{
    size_t ng = s->ngroups ? s->ngroups : 1, nw = s->nweeks ? s->nweeks : 1;
    int64_t *sum = xcalloc(ng, sizeof(*sum));
    size_t *idx = xcalloc(ng, sizeof(*idx));
    size_t nranked = 0;
    const struct series_group *other = NULL;

    memset(out, 0, sizeof(*out));
    out->from = s->from;
    out->nweeks = s->nweeks;
    out->by = group_by_name(by);
    out->days = xcalloc(nw, sizeof(*out->days));
    out->total = xcalloc(nw, sizeof(*out->total));
    for (size_t w = 0; w < s->nweeks; w++)
        out->days[w] = s->days[w];
    for (size_t g = 0; g < s->ngroups; g++) {
        for (size_t w = 0; w < s->nweeks; w++)
            sum[g] += s->groups[g].tokens[w];
        if (s->groups[g].is_other)
            other = sum[g] > 0 && !other_exclude ? &s->groups[g] : NULL;
        else if (sum[g] > 0)
            idx[nranked++] = g;
    }
    sort_groups(idx, nranked, s, sum);

    size_t named = nranked > max_named ? max_named : nranked;
    out->groups = xcalloc(named + 2, sizeof(*out->groups));
    for (size_t i = 0; i < named; i++)
        add_tokens(add_group(out, s->groups[idx[i]].name, CHART_NAMED), &s->groups[idx[i]],
                   s->nweeks);
    if (nranked > named) {
        struct chart_group *rest = add_group(out, "rest", CHART_REST);
        rest->nfolded = nranked - named;
        for (size_t i = named; i < nranked; i++)
            add_tokens(rest, &s->groups[idx[i]], s->nweeks);
    }
    if (other)
        add_tokens(add_group(out, "other", CHART_OTHER), other, s->nweeks);

    for (size_t w = 0; w < s->nweeks; w++) {
        for (size_t g = 0; g < out->ngroups; g++)
            out->total[w] += out->groups[g].tokens[w];
        if (out->total[w] > 0) {
            out->latest = w;
            out->has_data = 1;
        }
    }
    free(sum);
    free(idx);
}

void chart_release(struct chart *c)
{
    for (size_t g = 0; g < c->ngroups; g++) {
        free(c->groups[g].name);
        free(c->groups[g].tokens);
    }
    free(c->groups);
    free(c->days);
    free(c->total);
    memset(c, 0, sizeof(*c));
}

/* ---- exact proportional widths ---- */

/* floor(a * b / c) with the remainder in *rem, for a < c < 2^63: long
 * division a bit of b at a time, so nothing overflows 64 bits. */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem)
{
    uint64_t q = 0, r = 0;

    for (int bit = 63; bit >= 0; bit--) {
        q <<= 1;
        r <<= 1; /* r < c < 2^63 */
        if (r >= c) {
            r -= c;
            q++;
        }
        if ((b >> bit) & 1) {
            r += a;
            if (r >= c) {
                r -= c;
                q++;
            }
        }
    }
    *rem = r;
    return q;
}

void chart_apportion(const int64_t *part, size_t n, int64_t total, long units, long *out)
{
    uint64_t *rem = xcalloc(n ? n : 1, sizeof(*rem));
    long given = 0;

    for (size_t i = 0; i < n; i++) {
        uint64_t p = part[i] > 0 ? (uint64_t)part[i] : 0, t = (uint64_t)total;
        uint64_t q = (p / t) * (uint64_t)units + muldiv(p % t, (uint64_t)units, t, &rem[i]);
        out[i] = (long)q;
        given += out[i];
    }
    /* Each remainder is below total and they add up to (units - given) *
     * total, so more parts than units left have one: no part of 0 gains. */
    for (; given < units; given++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            if (rem[i] > 0 && (best == n || rem[i] > rem[best]))
                best = i;
        }
        if (best == n)
            break;
        out[best]++;
        rem[best] = 0;
    }
    free(rem);
}

/* ---- text ---- */

void chart_xml_escape(struct ts_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            buf_adds(b, "&amp;");
            break;
        case '<':
            buf_adds(b, "&lt;");
            break;
        case '>':
            buf_adds(b, "&gt;");
            break;
        case '"':
            buf_adds(b, "&quot;");
            break;
        case '\'':
            buf_adds(b, "&apos;");
            break;
        default:
            buf_addc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
            break;
        }
    }
}

/* A segment's name in the legend: "rest (5 more vendors)". */
static void legend_name(const struct chart *c, const struct chart_group *g, struct ts_buf *b)
{
    if (g->kind != CHART_REST) {
        buf_adds(b, g->name);
        return;
    }
    const char *one = c->by, *many = strcmp(c->by, "country") == 0  ? "countries"
                                     : strcmp(c->by, "vendor") == 0 ? "vendors"
                                                                    : "models";
    buf_printf(b, "rest (%zu more %s)", g->nfolded, ts_plural((long long)g->nfolded, one, many));
}

static double share_of(const struct chart *c, size_t g, size_t w)
{
    return c->total[w] > 0 ? (double)c->groups[g].tokens[w] / (double)c->total[w] : 0;
}

/* ASCII fill characters and ANSI colours (foreground; + 10 for the
 * background) of the named groups, then rest, then other. */
static const char fills[CHART_MAX_GROUPS] = {'#', '=', '+', ':', '%', 'o'};
static const int colors[CHART_MAX_GROUPS] = {34, 33, 31, 32, 35, 36};

static char seg_fill(const struct chart *c, size_t g)
{
    switch (c->groups[g].kind) {
    case CHART_REST:
        return '.';
    case CHART_OTHER:
        return '-';
    case CHART_NAMED:
        break;
    }
    return fills[g % CHART_MAX_GROUPS];
}

static int seg_color(const struct chart *c, size_t g)
{
    switch (c->groups[g].kind) {
    case CHART_REST:
        return 37;
    case CHART_OTHER:
        return 90;
    case CHART_NAMED:
        break;
    }
    return colors[g % CHART_MAX_GROUPS];
}

#define FULL_BLOCK "\xe2\x96\x88"

/* U+2589 (seven eighths) down to U+258F (one eighth): left_blocks[k] is
 * the block k eighths wide. */
static const char *const left_blocks[8] = {
    "",
    "\xe2\x96\x8f",
    "\xe2\x96\x8e",
    "\xe2\x96\x8d",
    "\xe2\x96\x8c",
    "\xe2\x96\x8b",
    "\xe2\x96\x8a",
    "\xe2\x96\x89",
};

/* The segment that holds unit u of a bar whose segments end at end[]. */
static size_t seg_at(const long *end, size_t n, long u)
{
    size_t g = 0;
    while (g + 1 < n && end[g] <= u)
        g++;
    return g;
}

/* One bar of cells columns: in colour, in eighths of a cell, a cell where
 * one segment ends drawn as a left block in the colour of that segment on
 * the colour of the one after; else whole cells of fill characters. */
static void text_bar(const struct chart *c, size_t w, long cells, int color, long *len,
                     struct ts_buf *out)
{
    size_t n = c->ngroups;
    int64_t *part = xcalloc(n, sizeof(*part));
    long *end = xcalloc(n, sizeof(*end));

    for (size_t g = 0; g < n; g++)
        part[g] = c->groups[g].tokens[w];
    chart_apportion(part, n, c->total[w], color ? cells * 8 : cells, len);
    for (size_t g = 0; g < n; g++)
        end[g] = (g ? end[g - 1] : 0) + len[g];
    if (!color) {
        for (size_t g = 0; g < n; g++) {
            for (long i = 0; i < len[g]; i++)
                buf_addc(out, seg_fill(c, g));
        }
    } else {
        int fg = -1, bg = -1;
        for (long cell = 0; cell < cells; cell++) {
            size_t a = seg_at(end, n, cell * 8), b = seg_at(end, n, cell * 8 + 7);
            int want_fg = seg_color(c, a), want_bg = a == b ? -1 : seg_color(c, b) + 10;
            if (want_fg != fg || want_bg != bg) {
                buf_adds(out, "\033[0");
                buf_printf(out, ";%d", want_fg);
                if (want_bg >= 0)
                    buf_printf(out, ";%d", want_bg);
                buf_addc(out, 'm');
                fg = want_fg;
                bg = want_bg;
            }
            buf_adds(out, a == b ? FULL_BLOCK : left_blocks[end[a] - cell * 8]);
        }
        buf_adds(out, "\033[0m");
    }
    free(part);
    free(end);
}

/* Appends s cut to at most max bytes, ending in "..." when cut (never
 * inside a UTF-8 sequence). */
static void add_cut(struct ts_buf *b, const char *s, size_t max)
{
    size_t len = strlen(s);

    if (len <= max || max < 4) {
        buf_adds(b, s);
        return;
    }
    len = max - 3;
    while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
        len--;
    buf_add(b, s, len);
    buf_adds(b, "...");
}

#define LABEL_W 12 /* "2026-02-16* " */

void chart_text(const struct chart *c, const char *title, const char *source,
                const struct chart_text_opts *o, struct ts_buf *out)
{
    long width = o->width > 0 ? o->width : 80;
    long cells = width - LABEL_W - 1;
    int partial = 0;
    struct ts_buf name = TS_BUF_INIT;

    if (cells < 10)
        cells = 10;
    buf_printf(out, "%s\n\n", title);
    if (!c->has_data) {
        buf_adds(out, "(no data)\n");
        goto source;
    }

    /* A scale: 0 %, 50 % and 100 % over ticks every quarter. */
    char *line = xmalloc((size_t)cells + 1);
    memset(line, ' ', (size_t)cells);
    memcpy(line, "0 %", 3);
    memcpy(line + (2 * (cells - 1) + 2) / 4 - 1, "50 %", 4);
    memcpy(line + cells - 5, "100 %", 5);
    buf_printf(out, "%*s%.*s\n", LABEL_W, "", (int)cells, line);
    memset(line, '-', (size_t)cells);
    for (long q = 0; q <= 4; q++)
        line[(q * (cells - 1) + 2) / 4] = q % 2 ? '+' : '|';
    buf_printf(out, "%*s%.*s\n", LABEL_W, "", (int)cells, line);
    free(line);

    long *len = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*len));
    for (size_t w = 0; w < c->nweeks; w++) {
        char date[TS_DATE_LEN + 1];
        int part = c->days[w] > 0 && c->days[w] < 7;
        date_format(c->from + (int32_t)(7 * w), date);
        buf_printf(out, "%s%c ", date, part ? '*' : ' ');
        partial |= part;
        if (c->total[w] == 0)
            buf_adds(out, "(no data)");
        else
            text_bar(c, w, cells, o->color, len, out);
        buf_addc(out, '\n');
    }
    free(len);
    if (partial)
        buf_adds(out, "* a partial week: fewer than 7 days of data\n");

    char date[TS_DATE_LEN + 1];
    date_format(c->from + (int32_t)(7 * c->latest), date);
    buf_printf(out, "\nShare in the week of %s:\n", date);
    size_t namew = 0;
    for (size_t g = 0; g < c->ngroups; g++) {
        buf_reset(&name);
        legend_name(c, &c->groups[g], &name);
        if (name.len > namew)
            namew = name.len;
    }
    /* "  ##  NAME  100.0 %" fits the width: the name is cut when it must be. */
    size_t room = width > 18 ? (size_t)(width - 18) : 0;
    if (namew > room)
        namew = room < 10 ? 10 : room;
    for (size_t g = 0; g < c->ngroups; g++) {
        char pct[32];
        size_t start;
        buf_reset(&name);
        legend_name(c, &c->groups[g], &name);
        buf_adds(out, "  ");
        if (o->color)
            buf_printf(out, "\033[%dm" FULL_BLOCK FULL_BLOCK "\033[0m", seg_color(c, g));
        else
            buf_printf(out, "%c%c", seg_fill(c, g), seg_fill(c, g));
        buf_adds(out, "  ");
        start = out->len;
        add_cut(out, name.data, namew);
        render_percent(share_of(c, g, c->latest), pct, sizeof(pct));
        buf_printf(out, "%*s%7s\n", (int)(namew - (out->len - start)) + 2, "", pct);
    }
source:
    if (source)
        buf_printf(out, "\nSource: %s\n", source);
    buf_release(&name);
}

/* ---- SVG ---- */

/* Lengths are kept in hundredths of a pixel and printed with two decimals,
 * so that the document is the same on every machine and sums are exact. */
static void px(struct ts_buf *b, long v)
{
    if (v < 0) {
        buf_addc(b, '-');
        v = -v;
    }
    buf_printf(b, "%ld.%02ld", v / 100, v % 100);
}

static const char *const svg_fills[CHART_MAX_GROUPS] = {
    "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9",
};

static const char *svg_fill(const struct chart *c, size_t g)
{
    switch (c->groups[g].kind) {
    case CHART_REST:
        return "#a0a0a0";
    case CHART_OTHER:
        return "#d8d8d8";
    case CHART_NAMED:
        break;
    }
    return svg_fills[g % CHART_MAX_GROUPS];
}

/* A text element at (x, y) in hundredths; attrs is added as is. */
static void svg_text(struct ts_buf *b, long x, long y, const char *attrs, const char *text)
{
    buf_adds(b, "<text x=\"");
    px(b, x);
    buf_adds(b, "\" y=\"");
    px(b, y);
    buf_printf(b, "\"%s%s>", *attrs ? " " : "", attrs);
    chart_xml_escape(b, text);
    buf_adds(b, "</text>\n");
}

static void svg_rect(struct ts_buf *b, long x, long y, long w, long h, const char *fill)
{
    buf_adds(b, "<rect x=\"");
    px(b, x);
    buf_adds(b, "\" y=\"");
    px(b, y);
    buf_adds(b, "\" width=\"");
    px(b, w);
    buf_adds(b, "\" height=\"");
    px(b, h);
    buf_printf(b, "\" fill=\"%s\"", fill);
}

static void svg_line(struct ts_buf *b, long x1, long y1, long x2, long y2, const char *stroke)
{
    buf_adds(b, "<line x1=\"");
    px(b, x1);
    buf_adds(b, "\" y1=\"");
    px(b, y1);
    buf_adds(b, "\" x2=\"");
    px(b, x2);
    buf_adds(b, "\" y2=\"");
    px(b, y2);
    buf_printf(b, "\" stroke=\"%s\" stroke-width=\"1\"/>\n", stroke);
}

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

void chart_svg(const struct chart *c, const char *title, const char *source, struct ts_buf *out)
{
    size_t nweeks = c->nweeks ? c->nweeks : 1;
    long slot = SVG_PW / (long)nweeks;
    struct ts_buf name = TS_BUF_INIT, tip = TS_BUF_INIT;
    char date[TS_DATE_LEN + 1], pct[32];

    if (slot < SVG_MIN_SLOT)
        slot = SVG_MIN_SLOT;
    long pw = slot * (long)nweeks;
    long bar = slot * 7 / 10 > SVG_MAX_BAR ? SVG_MAX_BAR : slot * 7 / 10;
    int rotate = slot < SVG_LABEL_W + 400;
    /* Slanted labels need 19px between them, level ones their width. */
    long every = rotate ? (1900 + slot - 1) / slot : 1;
    long bottom = SVG_TOP + SVG_PH;
    long xlabels = rotate ? 6400 : 2600;

    /* The legend, right of the plot: its width from the longest name. */
    size_t namew = 0;
    for (size_t g = 0; g < c->ngroups; g++) {
        buf_reset(&name);
        legend_name(c, &c->groups[g], &name);
        if (name.len > namew)
            namew = name.len;
    }
    char head[64];
    date_format(c->from + (int32_t)(7 * c->latest), date);
    snprintf(head, sizeof(head), "Share, week of %s", date);
    long lx = SVG_LEFT + pw + 3200;
    long lname = (long)namew * SVG_CHAR_12;
    long lw = 2400 + lname + 1200 + 5200;
    if (lw < (long)strlen(head) * SVG_CHAR_12)
        lw = (long)strlen(head) * SVG_CHAR_12;
    long width = lx + lw + SVG_PAD;
    long title_w = SVG_PAD * 2 + (long)strlen(title) * SVG_CHAR_16;
    long source_w = source ? SVG_PAD * 2 + (long)(strlen(source) + 8) * 650 : 0;
    if (width < title_w)
        width = title_w;
    if (width < source_w)
        width = source_w;
    long height = bottom + xlabels + (source ? 2800 : 0) + SVG_PAD;
    long legend_bottom = SVG_TOP + 2000 + (long)c->ngroups * SVG_LEGEND_DY + SVG_PAD;
    if (height < legend_bottom)
        height = legend_bottom;

    buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    px(out, width);
    buf_adds(out, "\" height=\"");
    px(out, height);
    buf_adds(out, "\" viewBox=\"0 0 ");
    px(out, width);
    buf_addc(out, ' ');
    px(out, height);
    buf_adds(out, "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"12\">\n"
                  "<title>");
    chart_xml_escape(out, title);
    buf_adds(out, "</title>\n");
    svg_rect(out, 0, 0, width, height, "#ffffff");
    buf_adds(out, "/>\n");
    svg_text(out, SVG_PAD, 3000, "font-size=\"16\" font-weight=\"bold\"", title);

    /* The y axis: grid lines and labels every 25 %. */
    buf_adds(out, "<g class=\"axis\" fill=\"#333333\">\n");
    for (int q = 0; q <= 4; q++) {
        long y = bottom - SVG_PH * q / 4;
        char label[16];
        snprintf(label, sizeof(label), "%d %%", q * 25);
        svg_line(out, SVG_LEFT, y, SVG_LEFT + pw, y, q ? "#e0e0e0" : "#333333");
        svg_text(out, SVG_LEFT - 800, y + 400, "text-anchor=\"end\"", label);
    }
    buf_adds(out, "</g>\n");

    /* One bar per week, stacked from the bottom in the legend's order. */
    long *len = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*len));
    int64_t *part = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*part));
    for (size_t w = 0; w < c->nweeks; w++) {
        long x = SVG_LEFT + slot * (long)w + (slot - bar) / 2,
             mid = SVG_LEFT + slot * (long)w + slot / 2;
        date_format(c->from + (int32_t)(7 * w), date);
        if (c->total[w] == 0) {
            svg_text(out, mid, bottom - 600,
                     "class=\"nodata\" text-anchor=\"middle\" fill=\"#777777\" font-size=\"10\"",
                     "no data");
        } else {
            long y = bottom;
            for (size_t g = 0; g < c->ngroups; g++)
                part[g] = c->groups[g].tokens[w];
            chart_apportion(part, c->ngroups, c->total[w], SVG_PH, len);
            buf_printf(out, "<g class=\"week\" id=\"w%s\">\n", date);
            for (size_t g = 0; g < c->ngroups; g++) {
                if (len[g] == 0)
                    continue;
                y -= len[g];
                svg_rect(out, x, y, bar, len[g], svg_fill(c, g));
                buf_adds(out, " stroke=\"#ffffff\" stroke-width=\"0.50\"><title>");
                buf_reset(&name);
                legend_name(c, &c->groups[g], &name);
                render_percent(share_of(c, g, w), pct, sizeof(pct));
                buf_reset(&tip);
                buf_printf(&tip, "%s, week of %s: %s", name.data, date, pct);
                chart_xml_escape(out, tip.data);
                buf_adds(out, "</title></rect>\n");
            }
            buf_adds(out, "</g>\n");
        }
        if (w % (size_t)every != 0)
            continue;
        if (rotate) {
            char attrs[128];
            snprintf(attrs, sizeof(attrs),
                     "text-anchor=\"end\" font-size=\"11\" transform=\"rotate(-45 %ld.%02ld "
                     "%ld.%02ld)\"",
                     (mid + 400) / 100, (mid + 400) % 100, (bottom + 1400) / 100,
                     (bottom + 1400) % 100);
            svg_text(out, mid + 400, bottom + 1400, attrs, date);
        } else {
            svg_text(out, mid, bottom + 1800, "text-anchor=\"middle\" font-size=\"11\"", date);
        }
    }
    free(len);
    free(part);
    if (!c->has_data)
        svg_text(out, SVG_LEFT + pw / 2, SVG_TOP + SVG_PH / 2,
                 "text-anchor=\"middle\" fill=\"#777777\" font-size=\"14\"",
                 "no data in this range");

    /* The legend. */
    buf_adds(out, "<g class=\"legend\">\n");
    svg_text(out, lx, SVG_TOP + 1000, "font-weight=\"bold\"", head);
    for (size_t g = 0; g < c->ngroups; g++) {
        long y = SVG_TOP + 2000 + (long)g * SVG_LEGEND_DY;
        svg_rect(out, lx, y, 1400, 1400, svg_fill(c, g));
        buf_adds(out, "/>\n");
        buf_reset(&name);
        legend_name(c, &c->groups[g], &name);
        svg_text(out, lx + 2200, y + 1150, "", name.data);
        render_percent(share_of(c, g, c->latest), pct, sizeof(pct));
        svg_text(out, lx + lw, y + 1150, "text-anchor=\"end\"", pct);
    }
    buf_adds(out, "</g>\n");

    if (source) {
        buf_reset(&name);
        buf_printf(&name, "Source: %s", source);
        svg_text(out, SVG_PAD, height - SVG_PAD - 200, "font-size=\"11\" fill=\"#555555\"",
                 name.data);
    }
    buf_adds(out, "</svg>\n");
    buf_release(&name);
    buf_release(&tip);
}
