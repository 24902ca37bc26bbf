/* chart_text.c - a chart as text: stacked bars in a terminal. */
#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "render/cells.h"
#include "render/chart.h"
#include "formats.h"

/* ASCII fill characters and ANSI colours (foreground; + 10 for the
 * background) of the named groups, then rest, then other. */
static const char fills[CHART_MAX_GROUPS] = {'#', '=', '+', ':', '%', 'o',
                                             '*', 'x', '@', '~', '^', '/'};
static const int colors[CHART_MAX_GROUPS] = {34, 33, 31, 32, 35, 36, 94, 93, 91, 92, 95, 96};

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

#define LABEL_W 12 /* "2026-02-16* " */

/* Writes the line in b and empties it. */
static void put_line(struct ts_buf *b, FILE *out)
{
    fwrite(b->data ? b->data : "", 1, b->len, out);
    buf_reset(b);
}

/* A scale: 0 %, 50 % and 100 % over ticks every quarter. */
static void scale(long cells, FILE *out)
{
    char *line = xmalloc((size_t)cells + 1);

    memset(line, ' ', (size_t)cells);
    memcpy(line, "0 %", 3);
    memcpy(line + (2 * (cells - 1) + 2) / 4 - 1, "50 %", 4);
    memcpy(line + cells - 5, "100 %", 5);
    fprintf(out, "%*s%.*s\n", LABEL_W, "", (int)cells, line);
    memset(line, '-', (size_t)cells);
    for (long q = 0; q <= 4; q++)
        line[(q * (cells - 1) + 2) / 4] = q % 2 ? '+' : '|';
    fprintf(out, "%*s%.*s\n", LABEL_W, "", (int)cells, line);
    free(line);
}

/* One bar a week, labelled with its Monday ('*' after a partial week). */
static void bars(const struct chart *c, long cells, int color, FILE *out)
{
    long *len = xcalloc(c->ngroups ? c->ngroups : 1, sizeof(*len));
    struct ts_buf line = TS_BUF_INIT;
    int partial = 0;

    for (size_t w = 0; w < c->nweeks; w++) {
        char date[TS_DATE_LEN + 1];
        int32_t start = period_add(c->unit, c->from, (long)w);
        int part = c->days[w] > 0 && c->days[w] < period_length(c->unit, start);
        period_label(c->unit, start, date, sizeof(date));
        buf_printf(&line, "%s%c %*s", date, part ? '*' : ' ', (int)(TS_DATE_LEN - strlen(date)),
                   "");
        partial |= part;
        if (c->total[w] == 0)
            buf_adds(&line, c->gap[w] ? "(a gap: no data)" : "(no data)");
        else
            text_bar(c, w, cells, color, len, &line);
        buf_addc(&line, '\n');
        put_line(&line, out);
    }
    if (partial && c->unit == PERIOD_WEEK)
        fputs("* a partial week: fewer than 7 days of data\n", out);
    else if (partial)
        fprintf(out, "* a partial %s: fewer days of data than it has\n", period_unit_name(c->unit));
    free(len);
    buf_release(&line);
}

/* Each segment's share in the latest week with data. */
static void legend(const struct chart *c, long width, int color, FILE *out)
{
    struct ts_buf name = TS_BUF_INIT, line = TS_BUF_INIT;
    char name_of[40];
    size_t namew = 0;

    period_phrase(c->unit, period_add(c->unit, c->from, (long)c->latest), name_of, sizeof(name_of));
    if (c->unit == PERIOD_DAY) /* "on 2025-01-05" */
        fprintf(out, "\nShare on %s:\n", name_of + strlen("day "));
    else
        fprintf(out, "\nShare in the %s:\n", name_of);
    for (size_t g = 0; g < c->ngroups; g++) {
        buf_reset(&name);
        chart_legend_name(c, &c->groups[g], &name);
        size_t w = render_utf8_len(name.data);
        if (w > namew)
            namew = w;
    }
    /* "  ##  NAME  100.0 %" fits the width: the name is cut when it must be. */
    size_t room = width > 18 ? (size_t)(width - 18) : 0;
    if (namew > room)
        namew = room < 10 ? 10 : room;
    for (size_t g = 0; g < c->ngroups; g++) {
        char pct[32];
        buf_reset(&name);
        chart_legend_name(c, &c->groups[g], &name);
        buf_adds(&line, "  ");
        if (color)
            buf_printf(&line, "\033[%dm" FULL_BLOCK FULL_BLOCK "\033[0m", seg_color(c, g));
        else
            buf_printf(&line, "%c%c", seg_fill(c, g), seg_fill(c, g));
        buf_adds(&line, "  ");
        size_t shown = render_utf8_len(name.data);
        render_add_fitted(&line, name.data, namew);
        if (shown > namew)
            shown = namew;
        render_percent(chart_share(c, g, c->latest), pct, sizeof(pct));
        buf_printf(&line, "%*s%7s\n", (int)(namew - shown) + 2, "", pct);
        put_line(&line, out);
    }
    buf_release(&name);
    buf_release(&line);
}

void chart_text(const struct chart *c, const char *title, const char *note, const char *source,
                const struct render_opts *o, FILE *out)
{
    long width = o->width > 0 ? o->width : 80;
    long cells = width - LABEL_W - 1;

    if (cells < 10)
        cells = 10;
    render_text(out, title);
    fputs("\n\n", out);
    if (!c->has_data) {
        fputs("(no data)\n", out);
    } else {
        scale(cells, out);
        /* Colour comes with Unicode blocks: without both, ASCII fills. */
        bars(c, cells, o->color && o->unicode, out);
        legend(c, width, o->color && o->unicode, out);
    }
    if (note) {
        fputs("\nNote: ", out);
        render_text(out, note);
        fputs(".\n", out);
    }
    if (source) {
        fputs(note ? "Source: " : "\nSource: ", out);
        render_text(out, source);
        fputc('\n', out);
    }
}

void render_chart_text(const struct report_doc *d, const struct render_opts *o, FILE *out)
{
    chart_text(d->chart, d->title ? d->title : "", d->note, d->source, o, out);
}
