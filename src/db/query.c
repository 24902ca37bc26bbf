/* query.c - what the reports read: the weeks with data and the tokens per
 * week and group, from the roll-ups; one statement per question, values
 * bound, the statement chosen from a fixed table (never from user text).
 *
 * Countries come from the vendors view, read into a map once (see
 * countries_load) and assigned to each row here: joining the view, or the
 * two vendor tables, to every row made SQLite scan them for each. Families
 * come the same way from the families view (families_load), each model's
 * resolved once. */
#include "db/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"
#include "core/vendors.h"
#include "internal.h"

/* The weeks of dataset ?1 with data in ?2..?3, from the roll-ups kept at
 * import: days of daily data when the week has any, else 7. */
int db_weeks_between(struct db *st, int64_t dataset, int32_t from, int32_t to,
                     struct week_days **out, size_t *n, struct ts_err *err)
{
    struct sql q;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    sql_prepare(&q, st->db,
                "SELECT week, days, mask, full FROM week_days WHERE dataset_id = ?1"
                " AND week BETWEEN ?2 AND ?3 ORDER BY week",
                "reading weeks");
    sql_bind_int64(&q, 1, dataset);
    sql_bind_int64(&q, 2, from);
    sql_bind_int64(&q, 3, to);
    while (sql_row(&q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        (*out)[*n].week = (int32_t)sql_col_int64(&q, 0);
        (*out)[*n].days = sql_col_int(&q, 1);
        (*out)[*n].mask = (unsigned)sql_col_int(&q, 2);
        (*out)[*n].full = sql_col_int(&q, 3);
        (*n)++;
    }
    if (sql_done(&q, err) < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int db_weeks(struct db *st, int64_t dataset, struct week_days **out, size_t *n, struct ts_err *err)
{
    return db_weeks_between(st, dataset, INT32_MIN, INT32_MAX, out, n, err);
}

/* Tokens per week in weeks ?2..?3, with the vendor (for the country) and
 * the group's name. One statement per grouping, chosen by enum. CROSS JOIN
 * keeps the roll-up's range as the outer loop: the planner would otherwise
 * scan every model and search the range once for each. */
static const char *const series_sql[] = {
    [BY_COUNTRY] = "SELECT week, vendor, vendor, tokens FROM week_vendor"
                   " WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3",
    [BY_VENDOR] = "SELECT week, vendor, vendor, tokens FROM week_vendor"
                  " WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3",
    [BY_MODEL] = "SELECT u.week, m.vendor, m.slug, u.tokens, 0"
                 " FROM week_model u CROSS JOIN models m ON m.id = u.model_id"
                 " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3",
    /* An apps dataset's roll-ups name apps: no vendor, no country. */
    [BY_APP] = "SELECT u.week, NULL, a.name, u.tokens, a.app_id"
               " FROM week_model u CROSS JOIN apps a ON a.id = u.model_id"
               " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3",
    [BY_FAMILY] = "SELECT u.week, m.vendor, m.slug, u.tokens, 0"
                  " FROM week_model u CROSS JOIN models m ON m.id = u.model_id"
                  " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3",
};

const char *query_group_name(struct db *st, enum group_by by, const char *slug, const char *vendor,
                             const char *country)
{
    switch (by) {
    case BY_COUNTRY:
        return country;
    case BY_VENDOR:
        return vendor;
    case BY_FAMILY:
        return family_of(st, slug);
    default:
        return slug;
    }
}

int query_groups_load(struct db *st, enum group_by by, struct ts_err *err)
{
    if (countries_load(st, err) < 0)
        return -1;
    return by == BY_FAMILY ? families_load(st, err) : 0;
}

/* By name, then id (two apps may have one name). */
static int group_cmp(const void *a, const void *b)
{
    const struct series_group *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    return c ? c : (x->id > y->id) - (x->id < y->id);
}

void query_sort_groups(struct series *s)
{
    if (s->ngroups > 1)
        qsort(s->groups, s->ngroups, sizeof(*s->groups), group_cmp);
}

size_t query_group_slot(struct series *out, struct ts_map *index, size_t *cap, const char *key,
                        const char *name, const char *country, int64_t id)
{
    int64_t found;

    if (ts_map_get(index, key, &found))
        return (size_t)found;
    ts_map_put(index, key, (int64_t)out->ngroups);
    if (out->ngroups == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        out->groups = xrealloc(out->groups, *cap * sizeof(*out->groups));
    }
    struct series_group *g = &out->groups[out->ngroups];
    g->name = xstrdup(name);
    g->country = xstrdup(country);
    g->id = id;
    g->is_other = strcmp(country, "other") == 0 && strcmp(name, "other") == 0;
    g->tokens = xcalloc(out->nweeks, sizeof(*g->tokens));
    return out->ngroups++;
}

/* Sums the rows of series_sql[by] into out's groups and totals. */
static int series_tokens(struct db *st, int64_t dataset, enum group_by by, struct series *out,
                         struct ts_err *err)
{
    struct ts_map index = TS_MAP_INIT;
    struct sql q = SQL_INIT;
    size_t cap = 0;
    int rc = -1;

    if (query_groups_load(st, by, err) < 0)
        goto done;
    sql_prepare(&q, st->db, series_sql[by], "reading tokens");
    sql_bind_int64(&q, 1, dataset);
    sql_bind_int64(&q, 2, out->from);
    sql_bind_int64(&q, 3, out->to);
    while (sql_row(&q)) {
        int32_t week = (int32_t)sql_col_int64(&q, 0);
        const char *vendor = sql_col_text(&q, 1);
        const char *country = by == BY_APP ? "" : country_of(st, vendor);
        const char *name = query_group_name(st, by, sql_col_text(&q, 2), vendor, country);
        int64_t tokens = sql_col_int64(&q, 3), id = sql_col_int64(&q, 4);
        char key[24];
        if (week < out->from || week > out->to || !name)
            continue;
        /* An app is its id: two apps may have one name. */
        if (by == BY_APP)
            snprintf(key, sizeof(key), "%lld", (long long)id);
        size_t w = (size_t)((week - out->from) / 7);
        size_t g =
            query_group_slot(out, &index, &cap, by == BY_APP ? key : name, name, country, id);
        if (metrics_add(&out->total[w], tokens) < 0) {
            metrics_period_overflow(err, PERIOD_WEEK, week);
            goto done;
        }
        if (metrics_add(&out->groups[g].tokens[w], tokens) < 0) {
            ts_err_set(err, "the tokens of a %s in a week are 2^63 or more", group_by_name(by));
            goto done;
        }
    }
    rc = 0;
done:
    if (sql_done(&q, err) < 0)
        rc = -1;
    ts_map_release(&index);
    return rc;
}

/* The dataset's first and last week with data into s's span. */
static int series_span(struct db *st, int64_t dataset, struct series *s, struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db,
                "SELECT MIN(week), MAX(week), COUNT(*) FROM week_days WHERE dataset_id = ?1",
                "reading weeks");
    sql_bind_int64(&q, 1, dataset);
    if (sql_row(&q) && sql_col_int64(&q, 2) > 0) {
        s->has_span = 1;
        s->span_from = (int32_t)sql_col_int64(&q, 0);
        s->span_to = (int32_t)sql_col_int64(&q, 1);
    }
    return sql_done(&q, err);
}

long query_group_find(const struct series *s, const char *name)
{
    size_t lo = 0, hi = s->ngroups;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->groups[mid].name, name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The tokens of each group of s in its period w, on the days of mask
 * only (bit 0 the period's first day), read from the daily cells of the
 * weeks the period overlaps; *total gets every group's. Returns 1, 0 when
 * the period has no daily rows (it cannot be split by day), -1 on error. */
static int tokens_on_days(struct db *st, int64_t dataset, enum group_by by, const struct series *s,
                          size_t w, unsigned mask, int64_t *per_group, int64_t *total,
                          struct ts_err *err)
{
    struct sql q;
    struct cell_slot sl[CELL_DAYS];
    int32_t start = series_start(s, w), last = start + series_length(s, w) - 1;
    int any = 0, rc = 0;

    *total = 0;
    sql_prepare(&q, st->db,
                "SELECT m.slug, m.vendor, o.days, o.week FROM obs_week o"
                " JOIN models m ON m.id = o.model_id"
                " WHERE o.dataset_id = ?1 AND o.granularity = 0 AND o.week BETWEEN ?2 AND ?3",
                "reading tokens by day");
    sql_bind_int64(&q, 1, dataset);
    sql_bind_int64(&q, 2, week_start(start));
    sql_bind_int64(&q, 3, week_start(last));
    while (rc == 0 && sql_row(&q)) {
        const char *slug = sql_col_text(&q, 0), *vendor = sql_col_text(&q, 1);
        const char *country = country_of(st, vendor);
        const char *name = query_group_name(st, by, slug, vendor, country);
        int32_t week = (int32_t)sql_col_int64(&q, 3);
        int64_t sum = 0;
        any = 1;
        if (cell_decode(sql_col_text(&q, 2), sql_col_bytes(&q, 2), sl, CELL_DAYS) < 0) {
            rc = cell_damaged(err, 0, week);
            break;
        }
        for (int d = 0; d < CELL_DAYS; d++) {
            int32_t day = week + d;
            if (sl[d].filled && day >= start && day <= last && (mask >> (day - start) & 1) &&
                metrics_add(&sum, sl[d].v[CELL_TOTAL]) < 0)
                rc = series_overflow(s, w, err);
        }
        long g = name ? query_group_find(s, name) : -1;
        if (rc == 0 &&
            (metrics_add(total, sum) < 0 || (g >= 0 && metrics_add(&per_group[g], sum) < 0)))
            rc = series_overflow(s, w, err);
    }
    if (sql_done(&q, err) < 0 || rc < 0)
        return -1;
    return any;
}

/* Periods a (earlier) and b of s compared on the days both have (the
 * same weekdays, the same days of the month), when they have data, are
 * not both complete and have not the same days: *out, else NULL. */
static int compare_weeks(struct db *st, int64_t dataset, enum group_by by, struct series *s,
                         size_t a, size_t b, struct week_compare **out, struct ts_err *err)
{
    *out = NULL;
    if (s->days[a] == 0 || s->days[b] == 0 || s->mask[a] == s->mask[b])
        return 0;
    if (s->days[a] == series_length(s, a) && s->days[b] == series_length(s, b))
        return 0; /* whole months of 30 and 31 days compare whole */
    struct week_compare *c = xcalloc(1, sizeof(*c));
    size_t n = s->ngroups ? s->ngroups : 1;
    c->cur = xcalloc(n, sizeof(*c->cur));
    c->prev = xcalloc(n, sizeof(*c->prev));
    c->mask =
        period_common_days(s->unit, series_start(s, a), s->mask[a], series_start(s, b), s->mask[b]);
    *out = c;
    int ra = tokens_on_days(st, dataset, by, s, a, c->mask, c->prev, &c->prev_total, err);
    int rb =
        ra < 0 ? -1 : tokens_on_days(st, dataset, by, s, b, c->mask, c->cur, &c->cur_total, err);
    if (rb < 0)
        return -1;
    if (ra == 0 || rb == 0) /* weekly rows: they cannot be split by day */
        c->mask = 0;
    return 0;
}

int query_compare(struct db *st, int64_t dataset, enum group_by by, struct series *s,
                  struct ts_err *err)
{
    s->cmp = xcalloc(s->nweeks, sizeof(*s->cmp));
    if (by == BY_APP)
        return 0; /* weekly rows only: whole weeks, never days */
    for (size_t w = 1; w < s->nweeks; w++) {
        if (compare_weeks(st, dataset, by, s, w - 1, w, &s->cmp[w], err) < 0)
            return -1;
    }
    if (s->nweeks > 2 && compare_weeks(st, dataset, by, s, 1, s->nweeks - 1, &s->ends, err) < 0)
        return -1;
    return 0;
}

int db_series(struct db *st, int64_t dataset, enum group_by by, int32_t from, int32_t to,
              struct series *out, struct ts_err *err)
{
    struct week_days *weeks = NULL;
    size_t nweeks = 0;

    memset(out, 0, sizeof(*out));
    if (to < from)
        to = from;
    out->from = from;
    out->to = to;
    out->by = by;
    out->nweeks = (size_t)((to - from) / 7) + 1;
    out->days = xcalloc(out->nweeks, sizeof(*out->days));
    out->mask = xcalloc(out->nweeks, sizeof(*out->mask));
    out->full = xcalloc(out->nweeks, sizeof(*out->full));
    out->total = xcalloc(out->nweeks, sizeof(*out->total));
    if (db_weeks_between(st, dataset, from, to, &weeks, &nweeks, err) < 0)
        goto fail;
    for (size_t i = 0; i < nweeks; i++) {
        size_t w = (size_t)((weeks[i].week - from) / 7);
        out->days[w] = weeks[i].days;
        out->mask[w] = weeks[i].mask;
        out->full[w] = (unsigned char)weeks[i].full;
    }
    free(weeks);
    /* Rows come grouped by week; a group's slot is found through a map of
     * names, and the groups are sorted by name at the end. */
    if (series_span(st, dataset, out, err) < 0 || series_tokens(st, dataset, by, out, err) < 0)
        goto fail;
    query_sort_groups(out);
    if (query_compare(st, dataset, by, out, err) < 0)
        goto fail;
    return 0;
fail:
    series_release(out);
    return -1;
}

int db_unmapped_vendors(struct db *st, int64_t dataset, int32_t from, int32_t to, char ***out,
                        size_t *n, struct ts_err *err)
{
    struct ts_map seen = TS_MAP_INIT;
    struct sql q = SQL_INIT;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (countries_load(st, err) < 0)
        return -1;
    sql_prepare(&q, st->db,
                "SELECT vendor FROM week_vendor WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3",
                "reading vendors");
    sql_bind_int64(&q, 1, dataset);
    sql_bind_int64(&q, 2, from);
    sql_bind_int64(&q, 3, to);
    while (sql_row(&q)) {
        const char *vendor = sql_col_text(&q, 0);
        if (vendor)
            unmapped_add(st, &seen, out, n, &cap, vendor);
    }
    return unmapped_end(&seen, out, n, sql_done(&q, err) < 0);
}

void unmapped_add(struct db *st, struct ts_map *seen, char ***out, size_t *n, size_t *cap,
                  const char *vendor)
{
    int64_t listed;

    if (country_mapped(st, vendor) || ts_map_get(seen, vendor, &listed))
        return;
    ts_map_put(seen, vendor, 1);
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *out = xrealloc(*out, *cap * sizeof(**out));
    }
    (*out)[(*n)++] = xstrdup(vendor);
}

int unmapped_end(struct ts_map *seen, char ***out, size_t *n, int failed)
{
    ts_map_release(seen);
    if (failed) {
        for (size_t i = 0; i < *n; i++)
            free((*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof(**out), ts_strptr_cmp);
    return 0;
}

/* Whether as_of, stored by an import made at imported_at, is one to
 * cite: an ISO 8601 date or time no later than the day after its import.
 * Imports refuse others, but a database written by an earlier tokstat (or
 * by hand) may hold any text, and a far-future one would be the newest for
 * ever. */
static int as_of_citable(const char *as_of, const char *imported_at)
{
    int32_t day, when;

    return as_of && imported_at && date_parse(as_of, strlen(as_of), &day) == 0 &&
           strlen(imported_at) >= TS_DATE_LEN && date_parse(imported_at, TS_DATE_LEN, &when) == 0 &&
           day <= when + 1;
}

/* Usage data from OpenRouter's rankings: the Data API, the chart and the
 * weekly snapshots (a model catalogue carries prices, not usage), and app
 * rankings, from openrouter.ai/apps; as of the newest citable as-of time,
 * else imported at the newest import. */
int db_source(struct db *st, int64_t dataset, char **out, struct ts_err *err)
{
    struct sql q;
    char *as_of = NULL, *when = NULL;
    int any = 0, apps = 0;

    *out = NULL;
    sql_prepare(&q, st->db,
                "SELECT as_of, imported_at, format = 'openrouter-apps' FROM imports"
                " WHERE dataset_id = ?1 AND format IN ('openrouter-daily', 'openrouter-chart',"
                " 'openrouter-weekly', 'openrouter-apps')",
                "reading imports");
    sql_bind_int64(&q, 1, dataset);
    while (sql_row(&q)) {
        const char *a = sql_col_text(&q, 0), *w = sql_col_text(&q, 1);
        any = 1;
        apps |= sql_col_int(&q, 2);
        if (w && (!when || strcmp(w, when) > 0)) {
            free(when);
            when = xstrdup(w);
        }
        if (as_of_citable(a, w) && (!as_of || strcmp(a, as_of) > 0)) {
            free(as_of);
            as_of = xstrdup(a);
        }
    }
    if (any) {
        struct ts_buf b = TS_BUF_INIT;
        buf_printf(&b, "OpenRouter (openrouter.ai/%s), ", apps ? "apps" : "rankings");
        if (as_of)
            buf_printf(&b, "as of %s", as_of);
        else
            buf_printf(&b, "imported %s", when ? when : "?");
        *out = b.data;
    }
    free(as_of);
    free(when);
    return sql_done(&q, err);
}

int db_usage(struct db *st, int64_t dataset, int32_t from, int32_t to, struct usage_row **out,
             size_t *n, struct ts_err *err)
{
    struct sql q = SQL_INIT;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (query_groups_load(st, BY_FAMILY, err) < 0)
        return -1;
    sql_prepare(&q, st->db,
                "SELECT u.week, m.slug, m.vendor, u.tokens, u.split_tokens, u.prompt, u.completion"
                " FROM week_model u CROSS JOIN models m ON m.id = u.model_id"
                " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3 ORDER BY u.week, m.slug",
                "reading usage");
    sql_bind_int64(&q, 1, dataset);
    sql_bind_int64(&q, 2, from);
    sql_bind_int64(&q, 3, to);
    while (sql_row(&q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        struct usage_row *u = &(*out)[(*n)++];
        const char *vendor = sql_col_text(&q, 2);
        u->week = (int32_t)sql_col_int64(&q, 0);
        u->slug = xstrdup(sql_col_text(&q, 1));
        u->vendor = xstrdup(vendor);
        u->country = xstrdup(country_of(st, vendor));
        u->family = xstrdup(family_of(st, u->slug));
        u->tokens = sql_col_int64(&q, 3);
        u->split_tokens = sql_col_int64(&q, 4);
        u->prompt = sql_col_int64(&q, 5);
        u->completion = sql_col_int64(&q, 6);
    }
    if (sql_done(&q, err) < 0) {
        usage_rows_release(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int db_book_models(struct db *st, const struct price_book *b, struct usage_row **out, size_t *n,
                   struct ts_err *err)
{
    struct ts_buf slug = TS_BUF_INIT, vendor = TS_BUF_INIT;
    struct ts_err ignored = TS_ERR_INIT;

    *out = NULL;
    *n = 0;
    if (query_groups_load(st, BY_FAMILY, err) < 0)
        return -1;
    *out = xcalloc(b->nmodels ? b->nmodels : 1, sizeof(**out));
    for (size_t i = 0; i < b->nmodels; i++) {
        const char *m = b->models[i].model;
        /* Stored normalised: this only finds the vendor. */
        if (model_normalize(m, strlen(m), &slug, &vendor, &ignored) < 0)
            continue;
        struct usage_row *u = &(*out)[(*n)++];
        u->week = 0;
        u->slug = xstrdup(m);
        u->vendor = xstrdup(vendor.data);
        u->country = xstrdup(country_of(st, vendor.data));
        u->family = xstrdup(family_of(st, u->slug));
    }
    buf_release(&slug);
    buf_release(&vendor);
    return 0;
}

int db_prompt_share(struct db *st, int64_t dataset, double *out, struct ts_err *err)
{
    struct sql q;
    int found = 0;

    sql_prepare(&q, st->db,
                "SELECT TOTAL(w.prompt), TOTAL(w.completion) FROM week_model w"
                " JOIN models m ON m.id = w.model_id WHERE w.dataset_id = ?1"
                " AND m.slug <> 'other'",
                "reading the prompt share");
    sql_bind_int64(&q, 1, dataset);
    if (sql_row(&q)) { /* an aggregate: one row */
        double p = sql_col_double(&q, 0), c = sql_col_double(&q, 1);
        if (p + c > 0) {
            *out = p / (p + c);
            found = 1;
        }
    }
    if (sql_done(&q, err) < 0)
        return -1;
    return found;
}
