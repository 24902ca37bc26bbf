/* html.c - a page of reports as one self-contained HTML5 document: a
 * style sheet in the page (light and dark, phone and desktop), the chart
 * as inline SVG, tables whose cells are formatted as every other format
 * formats them (cells.h), and no script: nothing is loaded from anywhere,
 * and a Content-Security-Policy tells the browser so. Every text that
 * came from data is escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/cells.h"
#include "render/chart.h"
#include "render/page.h"
#include "svg.h"

/* The style sheet, less the segments' colours (added from svg.c). */
static const char style[] =
    ":root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#57606a;--card:#f6f8fa;"
    "--line:#d0d7de;--grid:#dde2e7;--up:#1a7f37;--down:#cf222e;--rest:#a0a0a0;--other:#d8d8d8}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;"
    "--card:#161b22;--line:#30363d;--grid:#2a3139;--up:#3fb950;--down:#f85149;--rest:#8b949e;"
    "--other:#484f58}}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);"
    "font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif}\n"
    ".wrap{max-width:1120px;margin:0 auto;padding:16px 12px 28px}\n"
    "h1{font-size:1.45em;line-height:1.25;margin:.2em 0}\n"
    "h2{font-size:1.2em;margin:0 0 .5em}\n"
    "h3{font-size:1em;margin:1em 0 .3em}\n"
    ".sub{color:var(--muted);margin:.3em 0 .6em}\n"
    "nav{display:flex;flex-wrap:wrap;gap:4px 16px}\n"
    "nav a{color:inherit}\n"
    "section{background:var(--card);border:1px solid var(--line);border-radius:8px;"
    "padding:12px 14px;margin:14px 0}\n"
    ".split{display:flex;flex-wrap:wrap;gap:12px 28px;align-items:flex-start}\n"
    ".split>.chart{flex:3 1 420px;min-width:0}\n"
    ".split>.side{flex:2 1 260px;min-width:0}\n"
    ".chart svg{display:block;width:100%;height:auto}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.2em 0}\n"
    "caption{text-align:left;font-weight:600;padding:.2em 0 .3em}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:top;white-space:nowrap}\n"
    "th{font-weight:600;color:var(--muted)}\n"
    "th.n,td.n{text-align:right}\n"
    "tr.total td{font-weight:600}\n"
    ".up{color:var(--up)}\n"
    ".down{color:var(--down)}\n"
    ".note,.key{color:var(--muted);font-size:.93em;margin:.35em 0}\n"
    ".notes li{margin:.2em 0}\n"
    ".sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.45em;"
    "vertical-align:-.05em}\n"
    "footer{color:var(--muted);font-size:.9em;margin-top:16px}\n"
    "footer p{margin:.3em 0}\n"
    "svg text{fill:var(--muted);font-size:12px}\n"
    "svg .year{font-size:11px}\n"
    "svg .nodata{font-size:11px}\n"
    "svg .grid{stroke:var(--grid);stroke-width:1}\n"
    "svg .axis{stroke:var(--muted);stroke-width:1}\n"
    "svg .seg{stroke:var(--card);stroke-width:.5}\n"
    ".crest{fill:var(--rest);background:var(--rest)}\n"
    ".cother{fill:var(--other);background:var(--other)}\n"
    "@media (max-width:600px){body{font-size:14px}.wrap{padding:10px 8px 20px}"
    "section{padding:10px 10px}th,td{padding:3px 5px}svg text{font-size:15px}"
    "svg .tick,svg .year,svg .nodata{font-size:14px}}\n";

/* Writes what b holds and empties it: the page goes out a part at a time. */
static void put(struct ts_buf *b, FILE *out)
{
    fwrite(b->data ? b->data : "", 1, b->len, out);
    buf_reset(b);
}

static void esc(struct ts_buf *b, const char *s)
{
    chart_xml_escape(b, s);
}

static void head(const struct page *p, struct ts_buf *b)
{
    buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"color-scheme\" content=\"light dark\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'\">\n"
                "<meta name=\"generator\" content=\"tokstat\">\n<title>");
    esc(b, p->title ? p->title : "");
    buf_adds(b, "</title>\n<style>\n");
    buf_adds(b, style);
    for (size_t i = 0; i < CHART_MAX_GROUPS; i++)
        buf_printf(b, ".c%zu{fill:%s;background:%s}\n", i, svg_named_fills[i], svg_named_fills[i]);
    buf_adds(b, "</style>\n</head>\n<body>\n<div class=\"wrap\">\n<header>\n<h1>");
    esc(b, p->title ? p->title : "");
    buf_adds(b, "</h1>\n");
    if (p->subtitle) {
        buf_adds(b, "<p class=\"sub\">");
        esc(b, p->subtitle);
        buf_adds(b, "</p>\n");
    }
    buf_adds(b, "<nav>");
    for (size_t i = 0; i < p->nsections; i++) {
        buf_printf(b, "<a href=\"#%s\">", p->sections[i].id);
        esc(b, p->sections[i].title);
        buf_adds(b, "</a>");
    }
    buf_adds(b, "</nav>\n</header>\n<main>\n");
}

/* The index of rs's column called key, or -1. */
static long col_of(const struct rowset *rs, const char *key)
{
    for (size_t c = 0; c < rs->ncols; c++) {
        if (strcmp(rs->cols[c].key, key) == 0)
            return (long)c;
    }
    return -1;
}

/* The class of the chart segment that name belongs to: its own, the
 * other bucket's, else rest's when the chart folded some; NULL for none. */
static const char *swatch_class(const struct chart *c, const char *name)
{
    const char *rest = NULL;

    if (!c)
        return NULL;
    for (size_t g = 0; g < c->ngroups; g++) {
        const struct chart_group *cg = &c->groups[g];
        if (cg->kind == CHART_REST)
            rest = svg_segment_class(c, g);
        else if (strcmp(cg->name, name) == 0)
            return svg_segment_class(c, g);
    }
    return strcmp(name, "other") == 0 ? NULL : rest;
}

/* The text of a cell, escaped; in a text column a slug may break after
 * its '/' (a <wbr>), so that a narrow screen wraps it there. */
static void text_cell(struct ts_buf *b, const char *text, int wrap)
{
    const char *slash = wrap ? strchr(text, '/') : NULL;

    if (!slash || slash == text || slash[1] == '\0') {
        esc(b, text);
        return;
    }
    char *head = xstrndup(text, (size_t)(slash - text) + 1);
    esc(b, head);
    buf_adds(b, "<wbr>");
    esc(b, slash + 1);
    free(head);
}

/* One cell of row r in column k of t (c: the rowset's column, or < 0). */
static void cell(const struct page *p, const struct page_table *t, size_t k, long c, size_t r,
                 struct ts_buf *b)
{
    const struct rs_col *col = c >= 0 ? &t->rs->cols[c] : NULL;
    const struct rs_cell *v = c >= 0 ? rowset_cell(t->rs, r, (size_t)c) : NULL;
    char buf[RENDER_CELL_MAX];
    const char *text = col ? render_cell_text(col, v, 0, buf) : "";
    int sign = col ? render_cell_sign(col, v, text) : 0;

    if (!*text && t->cols[k].empty)
        text = t->cols[k].empty;
    buf_printf(b, "<td class=\"%s%s\">", col && render_col_right(col) ? "n" : "t",
               sign > 0   ? " up"
               : sign < 0 ? " down"
                          : "");
    if (t->swatch_key && strcmp(t->swatch_key, t->cols[k].key) == 0 && *text &&
        !t->rs->rows[r].total) {
        const char *cls = swatch_class(p->chart, text);
        if (cls)
            buf_printf(b, "<span class=\"sw %s\"></span>", cls);
    }
    text_cell(b, text, !(col && render_col_right(col)));
    buf_adds(b, "</td>");
}

static void table(const struct page *p, const struct page_table *t, struct ts_buf *b)
{
    long *cols = xcalloc(t->ncols ? t->ncols : 1, sizeof(*cols));
    char buf[RENDER_CELL_MAX];

    for (size_t k = 0; k < t->ncols; k++)
        cols[k] = col_of(t->rs, t->cols[k].key);
    buf_adds(b, "<div class=\"scroll\"><table>");
    long cap = t->caption_key ? col_of(t->rs, t->caption_key) : -1;
    if (cap >= 0 && t->first < t->end) {
        buf_adds(b, "<caption>");
        esc(b,
            render_cell_text(&t->rs->cols[cap], rowset_cell(t->rs, t->first, (size_t)cap), 0, buf));
        buf_adds(b, "</caption>");
    }
    buf_adds(b, "\n<thead><tr>");
    for (size_t k = 0; k < t->ncols; k++) {
        if (cols[k] < 0)
            continue;
        buf_printf(b, "<th%s>", render_col_right(&t->rs->cols[cols[k]]) ? " class=\"n\"" : "");
        esc(b, t->cols[k].title);
        buf_adds(b, "</th>");
    }
    buf_adds(b, "</tr></thead>\n<tbody>\n");
    for (size_t r = t->first; r < t->end && r < t->rs->nrows; r++) {
        buf_adds(b, t->rs->rows[r].total ? "<tr class=\"total\">" : "<tr>");
        for (size_t k = 0; k < t->ncols; k++) {
            if (cols[k] >= 0)
                cell(p, t, k, cols[k], r, b);
        }
        buf_adds(b, "</tr>\n");
    }
    buf_adds(b, "</tbody></table></div>\n");
    for (size_t r = t->first; t->notes && r < t->end && r < t->rs->nrows; r++) {
        for (size_t n = 0; n < t->rs->rows[r].nnotes; n++) {
            buf_adds(b, "<p class=\"note\">");
            esc(b, t->rs->rows[r].notes[n]);
            buf_adds(b, "</p>\n");
        }
    }
    free(cols);
}

/* What the marks of the chart's labels mean: those it has. */
static void chart_key(const struct chart *c, struct ts_buf *b)
{
    int partial = 0, listed = 0, gap = 0;

    for (size_t w = 0; w < c->nweeks; w++) {
        partial |= c->total[w] > 0 && c->days[w] < 7;
        listed |= c->total[w] > 0 && c->listed && c->listed[w];
        gap |= c->gap[w];
    }
    if (!partial && !listed && !gap)
        return;
    buf_adds(b, "<p class=\"key\">");
    if (partial)
        buf_adds(b, "* a partial week: fewer than 7 days of data. ");
    if (listed)
        buf_adds(b, "\xe2\x80\xa0 the week lists only its top models: shares of the listed "
                    "models' tokens. ");
    if (gap)
        buf_adds(b, "gap: no data for a week inside the data's span.");
    while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
    buf_adds(b, "</p>\n");
}

static void item(const struct page *p, const struct page_item *it, struct ts_buf *b)
{
    switch (it->kind) {
    case PAGE_TEXT:
        if (it->cls)
            buf_printf(b, "<p class=\"%s\">", it->cls);
        else
            buf_adds(b, "<p>");
        esc(b, it->text);
        buf_adds(b, "</p>\n");
        break;
    case PAGE_HEADING:
        buf_adds(b, "<h3>");
        esc(b, it->text);
        buf_adds(b, "</h3>\n");
        break;
    case PAGE_CHART:
        if (p->chart) {
            page_chart_svg(p->chart, it->text ? it->text : "", b);
            chart_key(p->chart, b);
        }
        break;
    case PAGE_TABLE:
        table(p, &it->table, b);
        break;
    }
}

/* A section: its items in order; a chart and the items after it marked
 * beside it share a row when the screen is wide enough. */
static void section(const struct page *p, const struct page_section *s, struct ts_buf *b)
{
    buf_printf(b, "<section id=\"%s\">\n<h2>", s->id);
    esc(b, s->title);
    buf_adds(b, "</h2>\n");
    for (size_t i = 0; i < s->nitems; i++) {
        if (s->items[i].kind != PAGE_CHART) {
            item(p, &s->items[i], b);
            continue;
        }
        buf_adds(b, "<div class=\"split\">\n<div class=\"chart\">\n");
        item(p, &s->items[i], b);
        buf_adds(b, "</div>\n<div class=\"side\">\n");
        while (i + 1 < s->nitems && s->items[i + 1].beside)
            item(p, &s->items[++i], b);
        buf_adds(b, "</div>\n</div>\n");
    }
    buf_adds(b, "</section>\n");
}

static void notes_and_footer(const struct page *p, struct ts_buf *b)
{
    if (p->nnotes > 0) {
        buf_adds(b, "<section id=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n");
        for (size_t i = 0; i < p->nnotes; i++) {
            buf_adds(b, "<li>");
            esc(b, p->notes[i]);
            buf_adds(b, "</li>\n");
        }
        buf_adds(b, "</ul>\n</section>\n");
    }
    buf_adds(b, "</main>\n<footer>\n");
    for (size_t i = 0; i < p->nsources; i++) {
        buf_adds(b, "<p class=\"source\">Source: ");
        esc(b, p->sources[i]);
        buf_adds(b, "</p>\n");
    }
    if (p->nsources > 0)
        buf_adds(b, "<p>The data is OpenRouter's, under the Creative Commons Attribution 4.0 "
                    "licence (CC BY 4.0).</p>\n");
    buf_adds(b, "<p>Made with tokstat.</p>\n</footer>\n</div>\n</body>\n</html>\n");
}

int render_page_html(const struct page *p, FILE *out)
{
    struct ts_buf b = TS_BUF_INIT;

    head(p, &b);
    put(&b, out);
    for (size_t i = 0; i < p->nsections; i++) {
        section(p, &p->sections[i], &b);
        put(&b, out);
    }
    notes_and_footer(p, &b);
    put(&b, out);
    buf_release(&b);
    return ferror(out) ? -1 : 0;
}
