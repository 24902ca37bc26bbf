/* chart.h - share-over-time charts: one stacked bar per week, each
 * group's part of it its share of the week's tokens (report/chart.c
 * builds them from a series). Drawn as text (Unicode blocks in colour for
 * a terminal, ASCII fill characters otherwise) or as a standalone SVG 1.1
 * document, to a FILE * like every other format (render_doc). */
#ifndef TOKSTAT_RENDER_CHART_H
#define TOKSTAT_RENDER_CHART_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/period.h"
#include "core/util.h"
#include "render/render.h"

/* How many groups a chart shows by name at most; the others are folded
 * into one "rest" group. */
#define CHART_MAX_GROUPS 12
/* How many are named by default (chart --groups). */
#define CHART_DEFAULT_GROUPS 6

enum chart_kind {
    CHART_NAMED, /* a group of the series, shown by name */
    CHART_REST,  /* the groups beyond the limit, folded together */
    CHART_OTHER, /* the leaderboard's other bucket */
};

struct chart_group {
    char *name; /* owned: the group's name, "rest" or "other" */
    enum chart_kind kind;
    size_t nfolded;  /* CHART_REST: how many groups it holds */
    int64_t sum;     /* tokens over the whole range (INT64_MAX past it), to order groups */
    int64_t *tokens; /* owned: per week */
};

/* The segments of the bars, in drawing order: the named groups by tokens
 * over the range descending, then name; then rest; then other. */
struct chart {
    int32_t from;       /* the Monday of the first week (of days and months: the first day) */
    size_t nweeks;      /* calendar weeks (days, months) from..to */
    int *days;          /* owned: per week, as in struct series */
    unsigned char *gap; /* owned: per week, a gap in the dataset's data (no data inside its span) */
    unsigned char *listed; /* owned: per week with data, its total is only the listed models' */
    int64_t *total;        /* owned: per week, the sum of the segments (0: no data) */
    size_t latest;         /* the last week with data (0 when none) */
    int has_data;          /* some week has tokens */
    const char *by;        /* "country", "vendor" or "model" (static) */
    struct chart_group *groups;
    size_t ngroups;
    enum period_unit unit; /* what a bar is: a week (PERIOD_WEEK, 0), a day or a month */
};

#define CHART_INIT                                                                                 \
    {                                                                                              \
        0, 0, NULL, NULL, NULL, NULL, 0, 0, "", NULL, 0, PERIOD_WEEK                               \
    }

void chart_release(struct chart *c); /* safe on CHART_INIT */

/* Splits units among n parts in proportion to part[i] / total (total, the
 * sum of the parts, > 0) by largest remainder: out[i] is floor(units *
 * part[i] / total) plus one for the parts with the largest remainders (ties
 * to the earlier part) until the out[] sum to units exactly. Exact for any
 * int64 counts and units < 2^31; a part of 0 gets 0. */
void chart_apportion(const int64_t *part, size_t n, int64_t total, long units, long *out);

/* Appends s to b escaped for XML text and attribute values (& < > " '),
 * control characters (never valid in XML 1.0 text) as '?'. */
void chart_xml_escape(struct ts_buf *b, const char *s);

/* A segment's name in the legend: "rest (5 more vendors)"; appended to b. */
void chart_legend_name(const struct chart *c, const struct chart_group *g, struct ts_buf *b);

/* The share of segment g in week w (0 for a week without data). */
double chart_share(const struct chart *c, size_t g, size_t w);

/* The chart as text: the title, a scale, one bar per week, a legend with
 * each segment's share in the latest week with data, "Note: ..." when note
 * is not NULL and "Source: ..." when source is not NULL. o->color: ANSI
 * colours and Unicode blocks, else ASCII fill characters; o->width: the
 * columns to fit (0: 80). */
void chart_text(const struct chart *c, const char *title, const char *note, const char *source,
                const struct render_opts *o, FILE *out);

/* The chart as a standalone SVG 1.1 document: the title, a y axis of 0 to
 * 100 %, a bar per week labelled with its Monday, a legend, and the source
 * line when source is not NULL. Every coordinate has two decimals; each
 * week's bar is a <g class="week"> whose rectangles' heights add up to
 * exactly the plot height (CHART_SVG_PLOT_H). */
#define CHART_SVG_PLOT_H 400
void chart_svg(const struct chart *c, const char *title, const char *source, FILE *out);

#endif
