/* series.c - the groupings' names, and releasing series and usage rows. */
#include "core/series.h"

#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"

static const char *const by_names[] = {
    [BY_COUNTRY] = "country", [BY_VENDOR] = "vendor", [BY_MODEL] = "model",
    [BY_APP] = "app",         [BY_FAMILY] = "family",
};

int group_by_parse(const char *name, enum group_by *out)
{
    for (size_t i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++) {
        if (strcmp(name, by_names[i]) == 0) {
            *out = (enum group_by)i;
            return 0;
        }
    }
    return -1;
}

const char *group_by_name(enum group_by by)
{
    return by_names[by];
}

int series_overflow(const struct series *s, size_t w, struct ts_err *err)
{
    return metrics_period_overflow(err, s->unit, series_start(s, w));
}

int series_check(const struct series *s, struct ts_err *err)
{
    for (size_t w = 0; w < s->nweeks; w++) {
        int64_t sum = 0;
        for (size_t g = 0; g < s->ngroups; g++) {
            int64_t v = s->groups[g].tokens[w];
            if (v < 0) {
                char day[TS_DATE_LEN + 1];
                date_format(series_start(s, w), day);
                return ts_err_set(err, "'%s' has negative tokens in the %s of %s",
                                  s->groups[g].name, period_unit_name(s->unit), day);
            }
            if (metrics_add(&sum, v) < 0)
                return series_overflow(s, w, err);
        }
    }
    return 0;
}

int32_t series_start(const struct series *s, size_t w)
{
    return period_add(s->unit, s->from, (long)w);
}

int series_length(const struct series *s, size_t w)
{
    return period_length(s->unit, series_start(s, w));
}

int series_gap(const struct series *s, size_t w)
{
    int32_t week = series_start(s, w);

    return s->days[w] == 0 && s->has_span && week > s->span_from && week < s->span_to;
}

static void compare_release(struct week_compare *c)
{
    if (!c)
        return;
    free(c->cur);
    free(c->prev);
    free(c);
}

void series_release(struct series *s)
{
    for (size_t w = 0; s->cmp && w < s->nweeks; w++)
        compare_release(s->cmp[w]);
    free(s->cmp);
    compare_release(s->ends);
    free(s->mask);
    free(s->full);
    for (size_t g = 0; g < s->ngroups; g++) {
        free(s->groups[g].name);
        free(s->groups[g].country);
        free(s->groups[g].tokens);
    }
    free(s->groups);
    free(s->days);
    free(s->total);
    memset(s, 0, sizeof(*s));
}

void usage_rows_release(struct usage_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].slug);
        free(rows[i].vendor);
        free(rows[i].country);
        free(rows[i].family);
    }
    free(rows);
}
