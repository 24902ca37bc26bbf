/* series_order.c - reading a weekly series: each week's denominator and
 * its groups in rank order (tokens descending, then name). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"
#include "shared.h"

long series_other(const struct series *s)
{
    for (size_t g = 0; g < s->ngroups; g++) {
        if (s->groups[g].is_other)
            return (long)g;
    }
    return -1;
}

int32_t series_week(const struct series *s, size_t w)
{
    return series_start(s, w);
}

int64_t series_total(const struct series *s, long other, int exclude, size_t w)
{
    int64_t t = s->total[w];

    if (exclude && other >= 0)
        t -= s->groups[other].tokens[w];
    return t;
}

void series_order(const struct series *s, size_t w, size_t *idx, size_t n)
{
    int64_t *tok = xmalloc((n ? n : 1) * sizeof(*tok));
    const char **names = xmalloc((n ? n : 1) * sizeof(*names));
    size_t *order = xmalloc((n ? n : 1) * sizeof(*order));
    size_t *picked = xmalloc((n ? n : 1) * sizeof(*picked));

    for (size_t i = 0; i < n; i++) {
        tok[i] = s->groups[idx[i]].tokens[w];
        names[i] = s->groups[idx[i]].name;
        picked[i] = idx[i];
    }
    metrics_rank(tok, names, n, order);
    for (size_t i = 0; i < n; i++)
        idx[i] = picked[order[i]];
    free(tok);
    free(names);
    free(order);
    free(picked);
}

size_t series_week_groups(const struct series *s, size_t w, int exclude_other, int with_prev,
                          int ranked_only, size_t *idx)
{
    size_t n = 0;

    for (size_t g = 0; g < s->ngroups; g++) {
        const struct series_group *sg = &s->groups[g];
        if (sg->is_other && (exclude_other || ranked_only))
            continue;
        if (sg->tokens[w] <= 0 && !(with_prev && w > 0 && sg->tokens[w - 1] > 0))
            continue;
        idx[n++] = g;
    }
    series_order(s, w, idx, n);
    return n;
}

void week_pair_of(const struct series *s, size_t w, struct week_pair *out)
{
    memset(out, 0, sizeof(*out));
    if (w == 0)
        return;
    out->gap = series_gap(s, w) || series_gap(s, w - 1);
    out->prev_known = s->days[w - 1] > 0 && s->days[w] > 0;
    if (out->prev_known && s->cmp && s->cmp[w]) {
        out->cmp = s->cmp[w];
        if (out->cmp->mask == 0) { /* nothing to compare like for like */
            out->cmp = NULL;
            out->prev_known = 0;
            out->incomparable = 1;
        }
    }
}

void pair_tokens(const struct series *s, const struct week_pair *p, long g, size_t w, int exclude,
                 int64_t *cur, int64_t *prev)
{
    long other = series_other(s);

    if (p->cmp) {
        const struct week_compare *c = p->cmp;
        if (g >= 0) {
            *cur = c->cur[g];
            *prev = c->prev[g];
        } else {
            *cur = c->cur_total - (exclude && other >= 0 ? c->cur[other] : 0);
            *prev = c->prev_total - (exclude && other >= 0 ? c->prev[other] : 0);
        }
        return;
    }
    if (g >= 0) {
        *cur = s->groups[g].tokens[w];
        *prev = s->groups[g].tokens[w - 1];
    } else {
        *cur = series_total(s, other, exclude, w);
        *prev = series_total(s, other, exclude, w - 1);
    }
}

const char *pair_status(struct sheet *sh, size_t r, const struct week_pair *p, int64_t cur,
                        int64_t prev)
{
    const char *st = NULL;

    if (p->gap)
        st = ST_GAP;
    else if (p->incomparable)
        st = ST_PARTIAL;
    else if (!p->prev_known)
        st = NULL;
    else if (prev == 0 && cur > 0)
        st = ST_NEW;
    else if (cur == 0 && prev > 0)
        st = ST_GONE;
    else if (p->cmp)
        st = ST_PARTIAL;
    if (st) {
        sheet_text(sh, r, C_STATUS, st);
        if (strcmp(st, ST_PARTIAL) != 0)
            sheet_text(sh, r, C_FLAG, st);
    }
    if (p->cmp && !p->gap && p->prev_known)
        sheet_int(sh, r, C_COMPARED_DAYS, period_mask_count(p->cmp->mask));
    return st;
}

const char *series_coverage(const struct series *s, size_t w)
{
    return s->full[w] ? "full" : "listed";
}

const char *series_groups_word(enum group_by by)
{
    switch (by) {
    case BY_COUNTRY:
        return "countries";
    case BY_VENDOR:
        return "vendors";
    case BY_APP:
        return "apps";
    case BY_FAMILY:
        return "model families";
    case BY_MODEL:
        break;
    }
    return "models";
}

void series_days_words(const struct series *s, uint32_t mask, char *out, size_t n)
{
    char days[96];

    period_days_text(s->unit, mask, days, sizeof(days));
    snprintf(out, n, "%s%s", s->unit == PERIOD_MONTH && mask ? "the " : "", days);
}

const char *series_day_word(const struct series *s)
{
    switch (s->unit) {
    case PERIOD_MONTH:
        return "day of the month";
    case PERIOD_DAY:
        return "day";
    case PERIOD_WEEK:
        break;
    }
    return "weekday";
}

void series_heading(const struct series *s, size_t w, char *buf, size_t n)
{
    char name[40], days[96], what[192] = "";
    const struct week_compare *c = w > 0 && s->cmp ? s->cmp[w] : NULL;
    int len = series_length(s, w);
    const char *unit = period_unit_name(s->unit);

    period_phrase(s->unit, series_start(s, w), name, sizeof(name));
    name[0] = (char)(name[0] - 'a' + 'A'); /* "Week of ...", "Month of ...", "Day ..." */
    period_days_text(s->unit, s->mask[w], days, sizeof(days));
    if (series_gap(s, w))
        snprintf(what, sizeof(what), " (a gap: no data)");
    else if (s->days[w] == 0)
        snprintf(what, sizeof(what), " (no data)");
    else if (s->days[w] < len && !s->full[w])
        snprintf(what, sizeof(what), " (partial: %d of %d days, %s; listed models only)",
                 s->days[w], len, days);
    else if (s->days[w] < len)
        snprintf(what, sizeof(what), " (partial: %d of %d days, %s)", s->days[w], len, days);
    else if (!s->full[w])
        snprintf(what, sizeof(what), " (listed %s only)", s->by == BY_APP ? "apps" : "models");
    if (c && s->days[w] > 0 && s->days[w - 1] > 0) {
        char cd[100];
        series_days_words(s, c->mask, cd, sizeof(cd));
        if (c->mask)
            snprintf(buf, n, "%s%s; compared with %s of the %s before", name, what, cd, unit);
        else
            snprintf(buf, n, "%s%s; no %s in common with the %s before", name, what,
                     series_day_word(s), unit);
        return;
    }
    snprintf(buf, n, "%s%s", name, what);
}
