/* export.c - the observations of a dataset one row at a time.
 *
 * The weeks come from the roll-up of days (week_days: which weeks have
 * data, and whether their total is the whole market); each week's cells
 * are read with one statement, prepared once, sorted by slug; the rows
 * are the cells' day slots, day by day. Memory holds one week's cells. */
#include "db/export.h"

#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "db/apps.h"
#include "db/query.h"
#include "internal.h"

/* A model's week of observations, decoded. */
struct export_cell {
    char *slug, *vendor, *family; /* owned */
    const char *country;          /* the country map's */
    struct cell_slot s[CELL_DAYS];
};

struct db_export {
    struct db *st;
    int64_t dataset;
    int32_t from, to;        /* days */
    struct week_days *weeks; /* the weeks with data in the range */
    size_t nweeks, w;        /* w: the next week to read */
    struct sql q;            /* a week's cells of one granularity */
    struct export_cell *cells;
    size_t ncells, cap;
    enum ts_period gran; /* of the week read */
    int32_t week;
    int full;
    int day;     /* the day slot being read (0 for weekly rows) */
    size_t next; /* the next cell of that day */
};

#define CELLS_SQL                                                                                  \
    "SELECT o.model_id, m.slug, m.vendor, o.days"                                                  \
    " FROM obs_week o CROSS JOIN models m ON m.id = o.model_id"                                    \
    " WHERE o.dataset_id = ?1 AND o.granularity = ?2 AND o.week = ?3 ORDER BY m.slug"

int db_export_open(struct db *st, int64_t dataset, int32_t from, int32_t to, struct db_export **out,
                   struct ts_err *err)
{
    struct db_export *x = xcalloc(1, sizeof(*x));
    enum dataset_kind kind;

    *out = NULL;
    x->st = st;
    x->dataset = dataset;
    x->from = from;
    x->to = to;
    if (db_dataset_kind(st, dataset, &kind, err) < 0 ||
        (kind == DATASET_APPS &&
         ts_err_set(err, "the dataset holds app rankings, not model usage: no model rows") < 0) ||
        countries_load(st, err) < 0 || families_load(st, err) < 0 ||
        db_weeks_between(st, dataset, week_start(from), week_start(to), &x->weeks, &x->nweeks,
                         err) < 0) {
        db_export_close(x);
        return -1;
    }
    sql_prepare(&x->q, st->db, CELLS_SQL, "reading observations");
    if (sql_check(&x->q, err) < 0) {
        db_export_close(x);
        return -1;
    }
    *out = x;
    return 0;
}

static void cells_clear(struct db_export *x)
{
    for (size_t i = 0; i < x->ncells; i++) {
        free(x->cells[i].slug);
        free(x->cells[i].vendor);
        free(x->cells[i].family);
    }
    x->ncells = 0;
}

/* The cells of week x->week of granularity gran. */
static int cells_read(struct db_export *x, enum ts_period gran, struct ts_err *err)
{
    struct sql *q = &x->q;

    sql_bind_int64(q, 1, x->dataset);
    sql_bind_int(q, 2, (int)gran);
    sql_bind_int64(q, 3, x->week);
    while (sql_row(q)) {
        if (x->ncells == x->cap) {
            x->cap = x->cap ? x->cap * 2 : 64;
            x->cells = xrealloc(x->cells, x->cap * sizeof(*x->cells));
        }
        struct export_cell *c = &x->cells[x->ncells];
        const char *days = sql_col_text(q, 3);
        if (!days || cell_decode(days, sql_col_bytes(q, 3), c->s, CELL_DAYS) < 0) {
            cell_damaged(err, sql_col_int64(q, 0), x->week);
            sqlite3_reset(q->stmt);
            return -1;
        }
        c->slug = xstrdup(sql_col_text(q, 1));
        c->vendor = xstrdup(sql_col_text(q, 2));
        c->family = xstrdup(family_of(x->st, c->slug));
        c->country = country_of(x->st, c->vendor);
        x->ncells++;
    }
    return sql_check(q, err);
}

/* Reads the next week: its daily cells, else its weekly ones. Returns 1,
 * or 0 when there is none, -1 on error. */
static int week_read(struct db_export *x, struct ts_err *err)
{
    cells_clear(x);
    x->day = 0;
    x->next = 0;
    if (x->w >= x->nweeks)
        return 0;
    x->week = x->weeks[x->w].week;
    x->full = x->weeks[x->w].full;
    x->w++;
    x->gran = TS_DAY;
    if (cells_read(x, TS_DAY, err) < 0)
        return -1;
    if (x->ncells == 0) {
        x->gran = TS_WEEK;
        if (cells_read(x, TS_WEEK, err) < 0)
            return -1;
    }
    return 1;
}

static void row_fill(const struct db_export *x, const struct export_cell *c, int slot,
                     struct export_row *out)
{
    const int64_t *v = c->s[slot].v;

    out->period = x->gran;
    out->week = x->week;
    out->date = x->week + slot;
    out->model = c->slug;
    out->vendor = c->vendor;
    out->country = c->country;
    out->family = c->family;
    out->total = v[CELL_TOTAL];
    out->prompt = v[CELL_PROMPT];
    out->completion = v[CELL_COMPLETION];
    out->reasoning = v[CELL_REASONING];
    out->cached = v[CELL_CACHED];
    out->requests = v[CELL_REQUESTS];
    out->full = x->full;
}

int db_export_next(struct db_export *x, struct export_row *out, struct ts_err *err)
{
    for (;;) {
        while (x->next < x->ncells) {
            const struct export_cell *c = &x->cells[x->next++];
            int32_t date = x->week + x->day;
            if (c->s[x->day].filled && date >= x->from && date <= x->to) {
                row_fill(x, c, x->day, out);
                return 1;
            }
        }
        /* The day's cells are done: the next day of the week, or week. */
        if (x->gran == TS_DAY && x->ncells > 0 && x->day < CELL_DAYS - 1) {
            x->day++;
            x->next = 0;
            continue;
        }
        int rc = week_read(x, err);
        if (rc <= 0)
            return rc;
    }
}

void db_export_close(struct db_export *x)
{
    if (!x)
        return;
    cells_clear(x);
    free(x->cells);
    free(x->weeks);
    sql_done(&x->q, NULL);
    free(x);
}
