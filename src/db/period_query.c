/* period_query.c - days and calendar months from the daily observations.
 *
 * The weekly roll-ups cannot answer for a day or a month (a week may
 * straddle two months), so these read the cells of the weeks a range
 * overlaps and keep the days inside it: a few thousand cells for the
 * default ranges of a dataset of hundreds of models. The periods with
 * data come from the roll-ups' masks of days (week_days), which say
 * exactly which days of a week have daily rows. */
#include "db/period_query.h"

#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"
#include "db/query.h"
#include "internal.h"

/* The daily cells of the weeks ?2..?3 with their model. CROSS JOIN keeps
 * the cells' range as the outer loop. */
static const char cells_sql[] =
    "SELECT o.week, m.slug, m.vendor, o.days FROM obs_week o CROSS JOIN models m"
    " ON m.id = o.model_id WHERE o.dataset_id = ?1 AND o.granularity = 0"
    " AND o.week BETWEEN ?2 AND ?3";

/* The daily cells of the weeks that overlap the days from..to, one at a
 * time, decoded. */
struct day_cells {
    struct sql q;
    int32_t week;
    const char *slug, *vendor; /* valid until the next day_cells_next */
    struct cell_slot sl[CELL_DAYS];
};

static void day_cells_open(struct db *st, int64_t dataset, int32_t from, int32_t to,
                           struct day_cells *c)
{
    sql_prepare(&c->q, st->db, cells_sql, "reading tokens by day");
    sql_bind_int64(&c->q, 1, dataset);
    sql_bind_int64(&c->q, 2, week_start(from));
    sql_bind_int64(&c->q, 3, week_start(to));
}

/* 1 with the next cell in c, 0 at the end, -1 for a damaged cell (err
 * filled; the statement is still to be finished with sql_done). */
static int day_cells_next(struct day_cells *c, struct ts_err *err)
{
    if (!sql_row(&c->q))
        return 0;
    c->week = (int32_t)sql_col_int64(&c->q, 0);
    c->slug = sql_col_text(&c->q, 1);
    c->vendor = sql_col_text(&c->q, 2);
    if (!c->slug || !c->vendor ||
        cell_decode(sql_col_text(&c->q, 3), sql_col_bytes(&c->q, 3), c->sl, CELL_DAYS) < 0)
        return cell_damaged(err, 0, c->week);
    return 1;
}

int db_weekly_only_weeks(struct db *st, int64_t dataset, int32_t **out, size_t *n,
                         struct ts_err *err)
{
    struct sql q;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    sql_prepare(&q, st->db,
                "SELECT DISTINCT w.week FROM obs_week w WHERE w.dataset_id = ?1"
                " AND w.granularity = 1 AND NOT EXISTS (SELECT 1 FROM obs_week d"
                " WHERE d.dataset_id = ?1 AND d.granularity = 0 AND d.week = w.week)"
                " ORDER BY w.week",
                "reading weeks");
    sql_bind_int64(&q, 1, dataset);
    while (sql_row(&q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        (*out)[(*n)++] = (int32_t)sql_col_int64(&q, 0);
    }
    if (sql_done(&q, err) < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* Whether week is one of weeks[0..n) (ascending), from *i on. */
static int listed_from(const int32_t *weeks, size_t n, size_t *i, int32_t week)
{
    while (*i < n && weeks[*i] < week)
        (*i)++;
    return *i < n && weeks[*i] == week;
}

/* The days of week (mask, bit 0 Monday) into the periods of out. */
static void add_week(enum period_unit u, const struct week_days *wk, struct week_days **out,
                     size_t *n, size_t *cap)
{
    for (int d = 0; d < 7; d++) {
        if (!(wk->mask >> d & 1))
            continue;
        int32_t day = wk->week + d, p = period_start(u, day);
        if (*n == 0 || (*out)[*n - 1].week != p) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 64;
                *out = xrealloc(*out, *cap * sizeof(**out));
            }
            (*out)[(*n)++] = (struct week_days){p, 0, 0, 0};
        }
        struct week_days *e = &(*out)[*n - 1];
        e->days++;
        e->mask |= 1u << (day - p);
        e->full |= wk->full;
    }
}

int db_periods(struct db *st, int64_t dataset, enum period_unit u, struct week_days **out,
               size_t *n, struct ts_err *err)
{
    struct week_days *weeks = NULL;
    int32_t *weekly = NULL;
    size_t nweeks = 0, nweekly = 0, cap = 0, k = 0;

    *out = NULL;
    *n = 0;
    if (db_weekly_only_weeks(st, dataset, &weekly, &nweekly, err) < 0 ||
        db_weeks(st, dataset, &weeks, &nweeks, err) < 0) {
        free(weekly);
        return -1;
    }
    for (size_t i = 0; i < nweeks; i++) {
        if (!listed_from(weekly, nweekly, &k, weeks[i].week))
            add_week(u, &weeks[i], out, n, &cap);
    }
    free(weeks);
    free(weekly);
    return 0;
}

/* The days, their mask and the span of the periods of s, from the
 * periods with data. */
static int period_days(struct db *st, int64_t dataset, struct series *s, struct ts_err *err)
{
    struct week_days *ps = NULL;
    size_t np = 0;

    if (db_periods(st, dataset, s->unit, &ps, &np, err) < 0)
        return -1;
    if (np > 0) {
        s->has_span = 1;
        s->span_from = ps[0].week;
        s->span_to = ps[np - 1].week;
    }
    for (size_t i = 0; i < np; i++) {
        if (ps[i].week < s->from || ps[i].week > s->to)
            continue;
        size_t w = (size_t)period_diff(s->unit, s->from, ps[i].week);
        s->days[w] = ps[i].days;
        s->mask[w] = ps[i].mask;
    }
    free(ps);
    return 0;
}

/* Adds the cells of the days of s into its groups and totals; a period
 * with a row of the other bucket is full. */
static int period_tokens(struct db *st, int64_t dataset, enum group_by by, struct series *s,
                         struct ts_err *err)
{
    struct ts_map index = TS_MAP_INIT;
    struct day_cells c = {SQL_INIT, 0, NULL, NULL, {{0, {0}}}};
    int32_t first = s->from, last = period_last_day(s->unit, s->to);
    size_t cap = 0;
    int rc = -1, more;

    if (query_groups_load(st, by, err) < 0)
        goto done;
    day_cells_open(st, dataset, first, last, &c);
    while ((more = day_cells_next(&c, err)) > 0) {
        const char *country = country_of(st, c.vendor);
        const char *name = query_group_name(st, by, c.slug, c.vendor, country);
        int other = strcmp(c.slug, "other") == 0;
        size_t g = name ? query_group_slot(s, &index, &cap, name, name, country, 0) : 0;
        for (int d = 0; d < CELL_DAYS; d++) {
            int32_t day = c.week + d;
            if (!c.sl[d].filled || day < first || day > last)
                continue;
            size_t w = (size_t)period_diff(s->unit, s->from, period_start(s->unit, day));
            int64_t v = c.sl[d].v[CELL_TOTAL];
            s->full[w] |= (unsigned char)other;
            if (metrics_add(&s->total[w], v) < 0 ||
                (name && metrics_add(&s->groups[g].tokens[w], v) < 0)) {
                series_overflow(s, w, err);
                goto done;
            }
        }
    }
    rc = more < 0 ? -1 : 0;
done:
    if (sql_done(&c.q, rc < 0 ? NULL : err) < 0)
        rc = -1;
    ts_map_release(&index);
    return rc;
}

int db_period_series(struct db *st, int64_t dataset, enum group_by by, enum period_unit u,
                     int32_t from, int32_t to, struct series *out, struct ts_err *err)
{
    memset(out, 0, sizeof(*out));
    if (by == BY_APP) /* app rankings are weekly rows, never split into days */
        return ts_err_set(err, "app rankings are weekly: they cannot be split into %s",
                          period_unit_plural(u));
    from = period_start(u, from);
    to = period_start(u, to);
    if (to < from)
        to = from;
    out->unit = u;
    out->by = by;
    out->from = from;
    out->to = to;
    out->nweeks = (size_t)period_diff(u, from, to) + 1;
    out->days = xcalloc(out->nweeks, sizeof(*out->days));
    out->mask = xcalloc(out->nweeks, sizeof(*out->mask));
    out->full = xcalloc(out->nweeks, sizeof(*out->full));
    out->total = xcalloc(out->nweeks, sizeof(*out->total));
    if (period_days(st, dataset, out, err) < 0 || period_tokens(st, dataset, by, out, err) < 0)
        goto fail;
    query_sort_groups(out);
    if (query_compare(st, dataset, by, out, err) < 0)
        goto fail;
    return 0;
fail:
    series_release(out);
    return -1;
}

/* Usage rows by period, then slug. */
static int usage_cmp(const void *a, const void *b)
{
    const struct usage_row *x = a, *y = b;

    if (x->week != y->week)
        return x->week < y->week ? -1 : 1;
    return strcmp(x->slug, y->slug);
}

/* The row of model slug (of vendor) in the period starting on start,
 * made when new; index maps "start slug" to its position. */
static struct usage_row *usage_slot(struct db *st, struct ts_map *index, struct usage_row **rows,
                                    size_t *n, size_t *cap, int32_t start, const char *slug,
                                    const char *vendor)
{
    struct ts_buf key = TS_BUF_INIT;
    int64_t at;

    buf_printf(&key, "%ld %s", (long)start, slug);
    if (!ts_map_get(index, key.data, &at)) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *rows = xrealloc(*rows, *cap * sizeof(**rows));
        }
        struct usage_row *u = &(*rows)[*n];
        memset(u, 0, sizeof(*u));
        u->week = start;
        u->slug = xstrdup(slug);
        u->vendor = xstrdup(vendor);
        u->country = xstrdup(country_of(st, vendor));
        u->family = xstrdup(family_of(st, slug));
        at = (int64_t)(*n)++;
        ts_map_put(index, key.data, at);
    }
    buf_release(&key);
    return &(*rows)[at];
}

/* Adds the day's slot s into u: its tokens, and its split when it has one
 * (as the weekly roll-ups sum them). */
static int usage_add(struct usage_row *u, const struct cell_slot *s)
{
    const int64_t *f = s->v;

    if (metrics_add(&u->tokens, f[CELL_TOTAL]) < 0)
        return -1;
    if (cell_has_split(s) && (metrics_add(&u->split_tokens, f[CELL_TOTAL]) < 0 ||
                              metrics_add(&u->prompt, f[CELL_PROMPT]) < 0 ||
                              metrics_add(&u->completion, f[CELL_COMPLETION]) < 0))
        return -1;
    return 0;
}

int db_usage_periods(struct db *st, int64_t dataset, enum period_unit u, int32_t from, int32_t to,
                     struct usage_row **out, size_t *n, struct ts_err *err)
{
    struct ts_map index = TS_MAP_INIT;
    struct day_cells c = {SQL_INIT, 0, NULL, NULL, {{0, {0}}}};
    int32_t first = period_start(u, from), last = period_last_day(u, period_start(u, to));
    size_t cap = 0;
    int rc = -1, more;

    *out = NULL;
    *n = 0;
    if (query_groups_load(st, BY_FAMILY, err) < 0)
        return -1;
    day_cells_open(st, dataset, first, last, &c);
    while ((more = day_cells_next(&c, err)) > 0) {
        for (int d = 0; d < CELL_DAYS; d++) {
            int32_t day = c.week + d;
            if (!c.sl[d].filled || day < first || day > last)
                continue;
            struct usage_row *r =
                usage_slot(st, &index, out, n, &cap, period_start(u, day), c.slug, c.vendor);
            if (usage_add(r, &c.sl[d]) < 0) {
                ts_err_set(err, "the tokens of model '%s' in a %s reach 2^63", c.slug,
                           period_unit_name(u));
                goto done;
            }
        }
    }
    rc = more < 0 ? -1 : 0;
done:
    if (sql_done(&c.q, rc < 0 ? NULL : err) < 0)
        rc = -1;
    ts_map_release(&index);
    if (rc < 0) {
        usage_rows_release(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof(**out), usage_cmp);
    return 0;
}

/* Whether the cell in c has a row on a day of from..to. */
static int cell_has_day(const struct day_cells *c, int32_t from, int32_t to)
{
    for (int d = 0; d < CELL_DAYS; d++) {
        if (c->sl[d].filled && c->week + d >= from && c->week + d <= to)
            return 1;
    }
    return 0;
}

int db_unmapped_vendors_days(struct db *st, int64_t dataset, int32_t from, int32_t to, char ***out,
                             size_t *n, struct ts_err *err)
{
    struct ts_map seen = TS_MAP_INIT;
    struct day_cells c = {SQL_INIT, 0, NULL, NULL, {{0, {0}}}};
    size_t cap = 0;
    int more;

    *out = NULL;
    *n = 0;
    if (countries_load(st, err) < 0)
        return -1;
    day_cells_open(st, dataset, from, to, &c);
    while ((more = day_cells_next(&c, err)) > 0) {
        if (cell_has_day(&c, from, to))
            unmapped_add(st, &seen, out, n, &cap, c.vendor);
    }
    return unmapped_end(&seen, out, n, sql_done(&c.q, more < 0 ? NULL : err) < 0 || more < 0);
}
