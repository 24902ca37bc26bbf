/* apps.c - app rankings: datasets' kinds, the lists apps datasets rank,
 * and the ids and names of apps. */
#include "db/apps.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const kind_names[] = {
    [DATASET_EMPTY] = NULL,
    [DATASET_MODELS] = "models",
    [DATASET_APPS] = "apps",
};

void app_list_init(struct app_list *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->sort, sizeof(out->sort), "popular");
}

int app_filter_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > APP_FILTER_MAX)
        return 0;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return 0;
    }
    return 1;
}

int app_list_set(struct app_list *l, const char *option, const char *value)
{
    if (strcmp(option, "sort") == 0) {
        if (strcmp(value, "popular") != 0 && strcmp(value, "trending") != 0)
            return -1;
        snprintf(l->sort, sizeof(l->sort), "%s", value);
        return 0;
    }
    if (!app_filter_ok(value))
        return -1;
    if (strcmp(option, "category") == 0)
        snprintf(l->category, sizeof(l->category), "%s", value);
    else
        snprintf(l->subcategory, sizeof(l->subcategory), "%s", value);
    return 0;
}

void app_list_describe(const struct app_list *l, int with_ranks, struct ts_buf *out)
{
    if (l->category[0] && l->subcategory[0])
        buf_printf(out, "category %s, subcategory %s", l->category, l->subcategory);
    else if (l->category[0])
        buf_printf(out, "category %s", l->category);
    else if (l->subcategory[0])
        buf_printf(out, "subcategory %s", l->subcategory);
    else
        buf_adds(out, "all apps");
    buf_printf(out, ", sort %s", l->sort);
    if (with_ranks && l->first_rank > 0)
        buf_printf(out, ", ranks %" PRId64 "-%" PRId64, l->first_rank, l->last_rank);
}

int db_dataset_kind(struct db *st, int64_t dataset, enum dataset_kind *out, struct ts_err *err)
{
    struct sql q;

    *out = DATASET_EMPTY;
    sql_prepare(&q, st->db, "SELECT kind FROM datasets WHERE id = ?1", "reading the dataset");
    sql_bind_int64(&q, 1, dataset);
    if (sql_row(&q)) {
        const char *k = sql_col_text(&q, 0);
        if (k && strcmp(k, "models") == 0)
            *out = DATASET_MODELS;
        else if (k && strcmp(k, "apps") == 0)
            *out = DATASET_APPS;
    }
    return sql_done(&q, err);
}

int db_datasets_of_kind(struct db *st, enum dataset_kind kind, char ***out, size_t *n,
                        struct ts_err *err)
{
    struct sql q;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (kind != DATASET_MODELS && kind != DATASET_APPS)
        return 0;
    sql_prepare(&q, st->db, "SELECT name FROM datasets WHERE kind = ?1 ORDER BY name",
                "listing the datasets");
    sql_bind_text(&q, 1, kind_names[kind]);
    while (sql_row(&q)) {
        const char *name = sql_col_text(&q, 0);
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        (*out)[(*n)++] = xstrdup(name ? name : "");
    }
    if (sql_done(&q, err) < 0) {
        while (*n > 0)
            free((*out)[--*n]);
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* Copies a column's text (NULL: "") into dst of n bytes. */
static void col_copy(struct sql *q, int i, char *dst, size_t n)
{
    const char *t = sql_col_text(q, i);

    snprintf(dst, n, "%s", t ? t : "");
}

int db_app_list(struct db *st, int64_t dataset, struct app_list *out, struct ts_err *err)
{
    struct sql q;
    int found = 0;

    app_list_init(out);
    sql_prepare(&q, st->db,
                "SELECT category, subcategory, sort, first_rank, last_rank FROM app_lists"
                " WHERE dataset_id = ?1",
                "reading the dataset's list of apps");
    sql_bind_int64(&q, 1, dataset);
    if (sql_row(&q)) {
        found = 1;
        col_copy(&q, 0, out->category, sizeof(out->category));
        col_copy(&q, 1, out->subcategory, sizeof(out->subcategory));
        col_copy(&q, 2, out->sort, sizeof(out->sort));
        if (!sql_col_null(&q, 3) && !sql_col_null(&q, 4)) {
            out->first_rank = sql_col_int64(&q, 3);
            out->last_rank = sql_col_int64(&q, 4);
        }
    }
    return sql_done(&q, err) < 0 ? -1 : found;
}

static int same_filters(const struct app_list *a, const struct app_list *b)
{
    return strcmp(a->category, b->category) == 0 && strcmp(a->subcategory, b->subcategory) == 0 &&
           strcmp(a->sort, b->sort) == 0;
}

/* The checks of db_dataset_fits; *have gets the dataset's kind and *held
 * its list (when an apps dataset). */
static int fits(struct db *st, int64_t dataset, const char *name, enum dataset_kind kind,
                const struct app_list *list, enum dataset_kind *have, struct app_list *held,
                struct ts_err *err)
{
    struct ts_buf a = TS_BUF_INIT, b = TS_BUF_INIT;
    int rc = 0;

    if (db_dataset_kind(st, dataset, have, err) < 0)
        return -1;
    if (*have == DATASET_EMPTY || kind == DATASET_EMPTY)
        return 0;
    if (*have == DATASET_APPS && kind == DATASET_MODELS)
        return ts_err_set(err,
                          "dataset '%s' holds app rankings: model usage goes to a dataset of "
                          "its own (--dataset NAME)",
                          name);
    if (*have == DATASET_MODELS && kind == DATASET_APPS)
        return ts_err_set(err,
                          "dataset '%s' holds model usage: app rankings go to a dataset of their "
                          "own (--dataset NAME; without it, 'apps')",
                          name);
    if (kind != DATASET_APPS)
        return 0;
    int found = db_app_list(st, dataset, held, err);
    if (found <= 0)
        return found; /* -1: an error; 0: no list kept yet */
    if (!same_filters(held, list)) {
        app_list_describe(held, 0, &a);
        app_list_describe(list, 0, &b);
        rc = ts_err_set(err,
                        "dataset '%s' holds app rankings of %s, not of %s: each list goes to a "
                        "dataset of its own (--dataset NAME), so that no week's shares mix two",
                        name, a.data, b.data);
    } else if (list->first_rank > 0 && held->first_rank > 0 &&
               (list->first_rank != held->first_rank || list->last_rank != held->last_rank)) {
        rc = ts_err_set(err,
                        "dataset '%s' was fetched for ranks %" PRId64 "-%" PRId64 ", not %" PRId64
                        "-%" PRId64
                        ": shares of the listed apps compare week to week only over one list "
                        "(--dataset NAME for another)",
                        name, held->first_rank, held->last_rank, list->first_rank, list->last_rank);
    }
    buf_release(&a);
    buf_release(&b);
    return rc;
}

int db_dataset_fits(struct db *st, int64_t dataset, const char *name, enum dataset_kind kind,
                    const struct app_list *list, struct ts_err *err)
{
    enum dataset_kind have;
    struct app_list held;

    return fits(st, dataset, name, kind, list, &have, &held, err);
}

int db_dataset_claim(struct db *st, int64_t dataset, const char *name, enum dataset_kind kind,
                     const struct app_list *list, struct ts_err *err)
{
    enum dataset_kind have;
    struct app_list held;
    struct sql q;

    app_list_init(&held);
    if (fits(st, dataset, name, kind, list, &have, &held, err) < 0)
        return -1;
    if (kind == DATASET_EMPTY)
        return 0;
    if (have == DATASET_EMPTY) {
        sql_prepare(&q, st->db, "UPDATE datasets SET kind = ?2 WHERE id = ?1",
                    "recording what the dataset holds");
        sql_bind_int64(&q, 1, dataset);
        sql_bind_text(&q, 2, kind_names[kind]);
        sql_row(&q);
        if (sql_done(&q, err) < 0)
            return -1;
    }
    if (kind != DATASET_APPS)
        return 0;
    int found = db_app_list(st, dataset, &held, err);
    if (found < 0)
        return -1;
    if (found && (held.first_rank > 0 || list->first_rank == 0))
        return 0;
    /* A new list, or ranks for a list that had none. */
    sql_prepare(&q, st->db,
                "INSERT INTO app_lists(dataset_id, category, subcategory, sort, first_rank,"
                " last_rank) VALUES (?1, NULLIF(?2, ''), NULLIF(?3, ''), ?4, ?5, ?6)"
                " ON CONFLICT(dataset_id) DO UPDATE SET first_rank = excluded.first_rank,"
                " last_rank = excluded.last_rank",
                "recording the dataset's list of apps");
    sql_bind_int64(&q, 1, dataset);
    sql_bind_text(&q, 2, list->category);
    sql_bind_text(&q, 3, list->subcategory);
    sql_bind_text(&q, 4, list->sort);
    if (list->first_rank > 0) {
        sql_bind_int64(&q, 5, list->first_rank);
        sql_bind_int64(&q, 6, list->last_rank);
    }
    sql_row(&q);
    return sql_done(&q, err);
}

static const char app_get_sql[] = "SELECT id, name, name_week FROM apps WHERE app_id = ?1";
static const char app_add_sql[] = "INSERT INTO apps(app_id, name, name_week) VALUES (?1, ?2, ?3)";
static const char app_rename_sql[] = "UPDATE apps SET name = ?2, name_week = ?3 WHERE id = ?1";

int db_app(struct db *st, int64_t app_id, const char *name, int32_t week, int64_t *out,
           struct ts_err *err)
{
    struct sql q;
    int found = 0, rename = 0;

    sql_reuse(&q, st->db, &st->stmt[ST_APP_GET], app_get_sql, "looking up an app");
    sql_bind_int64(&q, 1, app_id);
    if (sql_row(&q)) {
        const char *had = sql_col_text(&q, 1);
        *out = sql_col_int64(&q, 0);
        found = 1;
        rename = (!had || strcmp(had, name) != 0) && week >= sql_col_int64(&q, 2);
    }
    if (sql_done(&q, err) < 0)
        return -1;
    if (found && !rename)
        return 0;
    if (found) {
        sql_reuse(&q, st->db, &st->stmt[ST_APP_RENAME], app_rename_sql, "renaming an app");
        sql_bind_int64(&q, 1, *out);
    } else {
        sql_reuse(&q, st->db, &st->stmt[ST_APP_ADD], app_add_sql, "adding an app");
        sql_bind_int64(&q, 1, app_id);
    }
    sql_bind_text(&q, 2, name);
    sql_bind_int(&q, 3, week);
    sql_row(&q);
    if (sql_done(&q, err) < 0)
        return -1;
    if (!found)
        *out = sqlite3_last_insert_rowid(st->db);
    return 0;
}
