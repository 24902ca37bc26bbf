/* query.c - the SQL behind the reports: one statement per question, values
 * bound, the grouping chosen from a fixed table (never from user text). */
#include "db/query.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "import/record.h"
#include "core/util.h"

static int q_err(sqlite3 *db, struct ts_err *err, const char *what)
{
    return ts_err_set(err, "database: %s: %s", what, sqlite3_errmsg(db));
}

/* Weeks with data, from the roll-ups kept at import: days of daily data
 * when the week has any, else 7. */
static const char weeks_sql[] =
    "SELECT week, days FROM week_days WHERE dataset_id = ?1 ORDER BY week";

int db_weeks(struct db *st, int64_t dataset, struct week_days **out, size_t *n, struct ts_err *err)
{
    sqlite3 *db = db_sqlite(st);
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, weeks_sql, -1, &s, NULL) != SQLITE_OK)
        return q_err(db, err, "reading weeks");
    sqlite3_bind_int64(s, 1, dataset);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        (*out)[*n].week = (int32_t)sqlite3_column_int64(s, 0);
        (*out)[*n].days = sqlite3_column_int(s, 1);
        (*n)++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return q_err(db, err, "reading weeks");
    }
    return 0;
}

/* Tokens per week and model in weeks ?2..?3, from the roll-ups. CROSS JOIN
 * keeps the roll-up's range as the outer loop: the planner would otherwise
 * scan every model and search the range once for each. The two vendor
 * tables are joined directly (a user's mapping over the shipped one):
 * joining the vendor_country view made SQLite materialise it and scan it
 * for every row. */
#define WEEK_MODEL                                                                                 \
    " FROM week_model u CROSS JOIN models m ON m.id = u.model_id"                                  \
    " LEFT JOIN vendors_user vu ON vu.vendor = m.vendor"                                           \
    " LEFT JOIN vendors_shipped vs ON vs.vendor = m.vendor"                                        \
    " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3"

/* The country of vendor V (the other bucket's is "other"). */
#define COUNTRY_OF_VENDOR(V)                                                                       \
    "CASE WHEN " V " = 'other' THEN 'other'"                                                       \
    " ELSE COALESCE(vu.country, vs.country, 'unknown') END"
#define COUNTRY_OF COUNTRY_OF_VENDOR("m.vendor")

/* Tokens per week and vendor, from the vendor roll-ups. */
#define WEEK_VENDOR                                                                                \
    " FROM week_vendor u"                                                                          \
    " LEFT JOIN vendors_user vu ON vu.vendor = u.vendor"                                           \
    " LEFT JOIN vendors_shipped vs ON vs.vendor = u.vendor"                                        \
    " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3"

/* One statement per grouping: the grouping is chosen from this table by
 * enum, so no user text ever reaches the SQL. */
static const char *const series_sql[] = {
    [BY_COUNTRY] = "SELECT u.week, " COUNTRY_OF_VENDOR("u.vendor") ", " COUNTRY_OF_VENDOR(
        "u.vendor") ", SUM(u.tokens)" WEEK_VENDOR " GROUP BY 1, 2",
    [BY_VENDOR] = "SELECT u.week, u.vendor, " COUNTRY_OF_VENDOR(
        "u.vendor") ", SUM(u.tokens)" WEEK_VENDOR " GROUP BY 1, 2",
    [BY_MODEL] = "SELECT u.week, m.slug, " COUNTRY_OF ", SUM(u.tokens)" WEEK_MODEL " GROUP BY 1, 2",
};

static int group_cmp(const void *a, const void *b)
{
    const struct series_group *x = a, *y = b;
    return strcmp(x->name, y->name);
}

int db_series(struct db *st, int64_t dataset, enum group_by by, int32_t from, int32_t to,
              struct series *out, struct ts_err *err)
{
    sqlite3 *db = db_sqlite(st);
    sqlite3_stmt *s = NULL;
    struct ts_map index = TS_MAP_INIT;
    size_t cap = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if (to < from)
        to = from;
    out->from = from;
    out->to = to;
    out->nweeks = (size_t)((to - from) / 7) + 1;
    out->days = xcalloc(out->nweeks, sizeof(*out->days));
    out->total = xcalloc(out->nweeks, sizeof(*out->total));

    if (sqlite3_prepare_v2(db,
                           "SELECT week, days FROM week_days WHERE dataset_id = ?1"
                           " AND week BETWEEN ?2 AND ?3",
                           -1, &s, NULL) != SQLITE_OK) {
        q_err(db, err, "reading weeks");
        goto fail;
    }
    sqlite3_bind_int64(s, 1, dataset);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        out->days[(sqlite3_column_int64(s, 0) - from) / 7] = sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    s = NULL;
    if (rc != SQLITE_DONE) {
        q_err(db, err, "reading weeks");
        goto fail;
    }

    /* Rows come grouped by week; a group's slot is found through a map of
     * names, and the groups are sorted by name at the end. */
    if (sqlite3_prepare_v2(db, series_sql[by], -1, &s, NULL) != SQLITE_OK) {
        q_err(db, err, "reading tokens");
        goto fail;
    }
    sqlite3_bind_int64(s, 1, dataset);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int32_t week = (int32_t)sqlite3_column_int64(s, 0);
        const char *name = (const char *)sqlite3_column_text(s, 1);
        const char *country = (const char *)sqlite3_column_text(s, 2);
        int64_t tokens = sqlite3_column_int64(s, 3);
        size_t w = (size_t)((week - from) / 7), g;

        if (week < from || week > to || !name)
            continue;
        int64_t found;
        if (ts_map_get(&index, name, &found)) {
            g = (size_t)found;
        } else {
            g = out->ngroups;
            ts_map_put(&index, name, (int64_t)g);
            if (out->ngroups == cap) {
                cap = cap ? cap * 2 : 16;
                out->groups = xrealloc(out->groups, cap * sizeof(*out->groups));
            }
            struct series_group *ng = &out->groups[out->ngroups++];
            ng->name = xstrdup(name);
            ng->country = xstrdup(country ? country : "unknown");
            ng->is_other = strcmp(ng->country, "other") == 0 && strcmp(name, "other") == 0;
            ng->tokens = xcalloc(out->nweeks, sizeof(*ng->tokens));
        }
        out->groups[g].tokens[w] += tokens;
        if (metrics_add(&out->total[w], tokens) < 0) {
            ts_err_set(err, "the total of a week is 2^63 tokens or more");
            goto fail;
        }
    }
    if (rc != SQLITE_DONE) {
        q_err(db, err, "reading tokens");
        goto fail;
    }
    sqlite3_finalize(s);
    ts_map_release(&index);
    if (out->ngroups > 1)
        qsort(out->groups, out->ngroups, sizeof(*out->groups), group_cmp);
    return 0;
fail:
    sqlite3_finalize(s);
    ts_map_release(&index);
    series_release(out);
    return -1;
}

static const char unmapped_sql[] =
    "SELECT DISTINCT u.vendor FROM week_vendor u"
    " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3 AND u.vendor <> 'other'"
    "   AND u.vendor NOT IN (SELECT vendor FROM vendor_country) ORDER BY 1";

int db_unmapped_vendors(struct db *st, int64_t dataset, int32_t from, int32_t to, char ***out,
                        size_t *n, struct ts_err *err)
{
    sqlite3 *db = db_sqlite(st);
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, unmapped_sql, -1, &s, NULL) != SQLITE_OK)
        return q_err(db, err, "reading vendors");
    sqlite3_bind_int64(s, 1, dataset);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        (*out)[(*n)++] = xstrdup((const char *)sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return q_err(db, err, "reading vendors");
    return 0;
}

/* Usage data from OpenRouter's rankings: the Data API, the chart and the
 * weekly snapshots (a model catalogue carries prices, not usage). */
int db_source(struct db *st, int64_t dataset, char **out, struct ts_err *err)
{
    static const char sql[] = "SELECT MAX(as_of), MAX(imported_at), COUNT(*) FROM imports"
                              " WHERE dataset_id = ?1"
                              "   AND format IN ('openrouter-daily', 'openrouter-chart',"
                              "                  'openrouter-weekly')";
    sqlite3 *db = db_sqlite(st);
    sqlite3_stmt *s = NULL;
    struct ts_buf b = TS_BUF_INIT;

    *out = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return q_err(db, err, "reading imports");
    sqlite3_bind_int64(s, 1, dataset);
    int rc = sqlite3_step(s); /* an aggregate: always one row */
    if (rc != SQLITE_ROW) {
        q_err(db, err, "reading imports");
        sqlite3_finalize(s);
        return -1;
    }
    if (sqlite3_column_int64(s, 2) > 0) {
        const unsigned char *as_of = sqlite3_column_text(s, 0);
        const unsigned char *when = sqlite3_column_text(s, 1);
        buf_adds(&b, "OpenRouter (openrouter.ai/rankings), ");
        if (as_of)
            buf_printf(&b, "as of %s", (const char *)as_of);
        else
            buf_printf(&b, "imported %s", when ? (const char *)when : "?");
        *out = b.data;
    }
    sqlite3_finalize(s);
    return 0;
}

int db_price_book(struct db *st, struct price_book *out, struct ts_err *err)
{
    static const char prices_sql[] =
        "SELECT model, valid_from, source = 'snapshot', prompt, completion FROM prices";
    static const char aliases_sql[] = "SELECT alias, model FROM model_aliases";
    sqlite3 *db = db_sqlite(st);
    sqlite3_stmt *s = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if (sqlite3_prepare_v2(db, prices_sql, -1, &s, NULL) != SQLITE_OK)
        return q_err(db, err, "reading prices");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        price_book_add(
            out, (const char *)sqlite3_column_text(s, 0), (int32_t)sqlite3_column_int64(s, 1),
            sqlite3_column_int(s, 2),
            sqlite3_column_type(s, 3) == SQLITE_NULL ? TS_ABSENT : sqlite3_column_int64(s, 3),
            sqlite3_column_type(s, 4) == SQLITE_NULL ? TS_ABSENT : sqlite3_column_int64(s, 4));
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        goto fail;
    if (sqlite3_prepare_v2(db, aliases_sql, -1, &s, NULL) != SQLITE_OK)
        goto fail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        price_book_add_alias(out, (const char *)sqlite3_column_text(s, 0),
                             (const char *)sqlite3_column_text(s, 1));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        goto fail;
    price_book_index(out);
    return 0;
fail:
    q_err(db, err, "reading prices");
    price_book_release(out);
    return -1;
}

/* Tokens per week and model with the tokens of the rows that give a
 * split, and the split's sums. */
static const char usage_sql[] =
    "SELECT u.week, m.slug, m.vendor, " COUNTRY_OF ", u.tokens, u.split_tokens, u.prompt,"
    " u.completion" WEEK_MODEL " ORDER BY u.week, m.slug";

int db_usage(struct db *st, int64_t dataset, int32_t from, int32_t to, struct usage_row **out,
             size_t *n, struct ts_err *err)
{
    sqlite3 *db = db_sqlite(st);
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, usage_sql, -1, &s, NULL) != SQLITE_OK)
        return q_err(db, err, "reading usage");
    sqlite3_bind_int64(s, 1, dataset);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        struct usage_row *u = &(*out)[(*n)++];
        u->week = (int32_t)sqlite3_column_int64(s, 0);
        u->slug = xstrdup((const char *)sqlite3_column_text(s, 1));
        u->vendor = xstrdup((const char *)sqlite3_column_text(s, 2));
        u->country = xstrdup((const char *)sqlite3_column_text(s, 3));
        u->tokens = sqlite3_column_int64(s, 4);
        u->split_tokens = sqlite3_column_int64(s, 5);
        u->prompt = sqlite3_column_int64(s, 6);
        u->completion = sqlite3_column_int64(s, 7);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        usage_rows_release(*out, *n);
        *out = NULL;
        *n = 0;
        return q_err(db, err, "reading usage");
    }
    return 0;
}

int db_prompt_share(struct db *st, int64_t dataset, double *out, struct ts_err *err)
{
    static const char sql[] =
        "SELECT TOTAL(w.prompt), TOTAL(w.completion) FROM week_model w"
        " JOIN models m ON m.id = w.model_id WHERE w.dataset_id = ?1 AND m.slug <> 'other'";
    sqlite3 *db = db_sqlite(st);
    sqlite3_stmt *s = NULL;
    int found = 0;

    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return q_err(db, err, "reading the prompt share");
    sqlite3_bind_int64(s, 1, dataset);
    int rc = sqlite3_step(s); /* an aggregate: always one row */
    if (rc != SQLITE_ROW) {
        q_err(db, err, "reading the prompt share");
        sqlite3_finalize(s);
        return -1;
    }
    {
        double p = sqlite3_column_double(s, 0), c = sqlite3_column_double(s, 1);
        if (p + c > 0) {
            *out = p / (p + c);
            found = 1;
        }
    }
    sqlite3_finalize(s);
    return found;
}
