/* series_order.c - reading a weekly series: each week's denominator and
 * its groups in rank order (tokens descending, then name). */
#include <stdlib.h>

#include "core/metrics.h"
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
    return s->from + (int32_t)(7 * w);
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
