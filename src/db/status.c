/* status.c - what `tokstat status` shows, each figure from a primary key or
 * the roll-ups, never a scan that joins every observation (seconds at
 * millions of rows). */
#include "db/status.h"

#include <stdlib.h>
#include <string.h>

#include "db/query.h"
#include "internal.h"

#define WHAT "reading the status"

/* The models in use are those of the weekly roll-ups (every daily row is in
 * them) and of the weekly rows (which a week with daily rows leaves out of
 * them). */
#define USED_MODELS                                                                                \
    "WITH used(model_id) AS (SELECT model_id FROM week_model WHERE dataset_id = ?1"                \
    " UNION SELECT model_id FROM obs_week WHERE dataset_id = ?1 AND granularity = 1) "
/* The first (F = MIN) or last (MAX) day of daily data. */
#define EDGE_DAY(F)                                                                                \
    "(SELECT " F "(o.week + j.key) FROM obs_week o, json_each(o.days) j"                           \
    " WHERE o.dataset_id = ?1 AND o.granularity = 0 AND j.type = 'array' AND o.week ="             \
    " (SELECT " F "(week) FROM obs_week WHERE dataset_id = ?1 AND granularity = 0))"

#define COUNTS                                                                                     \
    "SELECT (SELECT TOTAL(n) FROM obs_week WHERE dataset_id = ?1 AND granularity = 0),"            \
    " (SELECT TOTAL(n) FROM obs_week WHERE dataset_id = ?1 AND granularity = 1),"                  \
    " " EDGE_DAY("MIN") ", " EDGE_DAY("MAX") ", "

/* The observations, models (or apps) and vendors of a dataset. */
static int status_counts(struct db *st, int64_t id, struct dataset_status *d, struct ts_err *err)
{
    static const char models_sql[] = USED_MODELS COUNTS
        "COUNT(*), COUNT(DISTINCT m.vendor)"
        " FROM used u JOIN models m ON m.id = u.model_id WHERE m.vendor <> 'other'";
    /* An apps dataset's ids are apps'; apps have no vendor. */
    static const char apps_sql[] = USED_MODELS COUNTS "COUNT(*), 0 FROM used";
    struct sql q;

    sql_prepare(&q, st->db, d->kind == DATASET_APPS ? apps_sql : models_sql, WHAT);
    sql_bind_int64(&q, 1, id);
    if (sql_row(&q)) {
        d->daily_rows = sql_col_int64(&q, 0);
        d->weekly_rows = sql_col_int64(&q, 1);
        d->observations = d->daily_rows + d->weekly_rows;
        d->first_day = (int32_t)sql_col_int64(&q, 2);
        d->last_day = (int32_t)sql_col_int64(&q, 3);
        d->models = sql_col_int64(&q, 4);
        d->vendors = sql_col_int64(&q, 5);
    }
    return sql_done(&q, err);
}

int db_last_day(struct db *st, int64_t dataset, int32_t *out, struct ts_err *err)
{
    struct sql q;
    int found = 0;

    sql_prepare(&q, st->db, "SELECT " EDGE_DAY("MAX"), WHAT);
    sql_bind_int64(&q, 1, dataset);
    if (sql_row(&q) && !sql_col_null(&q, 0)) {
        *out = (int32_t)sql_col_int64(&q, 0);
        found = 1;
    }
    return sql_done(&q, err) < 0 ? -1 : found;
}

/* The vendors of the models in use without a country. */
static int status_unmapped(struct db *st, int64_t id, struct dataset_status *d, struct ts_err *err)
{
    static const char sql[] =
        USED_MODELS "SELECT vendor FROM vendors WHERE country = 'unknown' AND vendor IN"
                    " (SELECT m.vendor FROM used u JOIN models m ON m.id = u.model_id)"
                    " ORDER BY vendor";
    struct sql q;
    size_t cap = 0;

    sql_prepare(&q, st->db, sql, WHAT);
    sql_bind_int64(&q, 1, id);
    while (sql_row(&q)) {
        if (d->nunmapped == cap) {
            cap = cap ? cap * 2 : 8;
            d->unmapped = xrealloc(d->unmapped, cap * sizeof(*d->unmapped));
        }
        d->unmapped[d->nunmapped++] = sql_col_dup(&q, 0);
    }
    return sql_done(&q, err);
}

static int status_datasets(struct db *st, struct db_status *out, struct ts_err *err)
{
    struct sql q;
    size_t cap = 0;
    int rc = 0;

    sql_prepare(&q, st->db, "SELECT id, name FROM datasets ORDER BY name", WHAT);
    while (rc == 0 && sql_row(&q)) {
        int64_t id = sql_col_int64(&q, 0);
        if (out->ndatasets == cap) {
            cap = cap ? cap * 2 : 4;
            out->datasets = xrealloc(out->datasets, cap * sizeof(*out->datasets));
        }
        struct dataset_status *d = &out->datasets[out->ndatasets++];
        memset(d, 0, sizeof(*d));
        d->name = sql_col_dup(&q, 1);
        if (db_dataset_kind(st, id, &d->kind, err) < 0 ||
            (d->kind == DATASET_APPS && (d->has_list = db_app_list(st, id, &d->list, err)) < 0) ||
            status_counts(st, id, d, err) < 0 || db_weeks(st, id, &d->weeks, &d->nweeks, err) < 0 ||
            (d->kind != DATASET_APPS && status_unmapped(st, id, d, err) < 0))
            rc = -1;
    }
    if (sql_done(&q, err) < 0)
        return -1;
    return rc;
}

static int status_imports(struct db *st, size_t max_imports, struct db_status *out,
                          struct ts_err *err)
{
    struct sql q;
    size_t cap = 0;

    sql_prepare(&q, st->db,
                "SELECT i.file, i.sha256, i.format, d.name, i.as_of, i.imported_at, i.rows,"
                " i.inserted, i.updated, i.unchanged, i.prices"
                " FROM imports i JOIN datasets d ON d.id = i.dataset_id"
                " ORDER BY i.id DESC LIMIT ?1",
                WHAT);
    sql_bind_int64(&q, 1, max_imports > INT64_MAX ? INT64_MAX : (int64_t)max_imports);
    while (sql_row(&q)) {
        if (out->nimports == cap) {
            cap = cap ? cap * 2 : 8;
            out->imports = xrealloc(out->imports, cap * sizeof(*out->imports));
        }
        struct import_row *r = &out->imports[out->nimports++];
        r->file = sql_col_dup(&q, 0);
        r->sha256 = sql_col_dup(&q, 1);
        r->format = sql_col_dup(&q, 2);
        r->dataset = sql_col_dup(&q, 3);
        r->as_of = sql_col_dup(&q, 4);
        r->when = sql_col_dup(&q, 5);
        r->rows = sql_col_int64(&q, 6);
        r->inserted = sql_col_int64(&q, 7);
        r->updated = sql_col_int64(&q, 8);
        r->unchanged = sql_col_int64(&q, 9);
        r->prices = sql_col_int64(&q, 10);
    }
    return sql_done(&q, err);
}

int db_read_status(struct db *st, size_t max_imports, struct db_status *out, struct ts_err *err)
{
    struct sql q;

    memset(out, 0, sizeof(*out));
    if (schema_version(st, &out->schema_version, err) < 0 || status_datasets(st, out, err) < 0)
        return -1;
    sql_prepare(&q, st->db,
                "SELECT (SELECT COUNT(*) FROM imports),"
                " (SELECT COUNT(*) FROM prices WHERE source = 'catalogue')",
                WHAT);
    if (sql_row(&q)) {
        out->total_imports = sql_col_int64(&q, 0);
        out->catalogue_prices = sql_col_int64(&q, 1);
    }
    if (sql_done(&q, err) < 0)
        return -1;
    return status_imports(st, max_imports, out, err);
}

void db_status_release(struct db_status *s)
{
    for (size_t i = 0; i < s->ndatasets; i++) {
        struct dataset_status *d = &s->datasets[i];
        free(d->name);
        free(d->weeks);
        for (size_t j = 0; j < d->nunmapped; j++)
            free(d->unmapped[j]);
        free(d->unmapped);
    }
    free(s->datasets);
    for (size_t i = 0; i < s->nimports; i++) {
        struct import_row *r = &s->imports[i];
        free(r->file);
        free(r->sha256);
        free(r->format);
        free(r->dataset);
        free(r->as_of);
        free(r->when);
    }
    free(s->imports);
    memset(s, 0, sizeof(*s));
}
