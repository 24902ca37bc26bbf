/* obs.c - the observation write path: model ids, and observations kept a
 * model's week to a cell (cell.h).
 *
 * Observations are keyed by (dataset, granularity, period, model) so that
 * re-imports are upserts; each remembers the import that last changed it.
 * An import's cells are kept in memory, in an open-addressing table, and
 * written when it is half full and at the end of the import: a file in
 * date order (or in model order) writes each cell about once. A cell that
 * may be in the database is read when first touched; one outside the weeks
 * the database holds for its dataset is new without a look. Each row is
 * settled against its slot at once: new (inserted), the same (unchanged),
 * different (updated), or a second row of the same key in this file (a
 * duplicate): its slot carries this import's id (inserted or updated by
 * it) or its bit in the cell's seen mask is set (found unchanged by it).
 * So a duplicate is caught without holding the file's keys in memory and
 * without touching rows that did not change. The seen masks of cells
 * written before the end of the import go to the temp.seen table, and come
 * back when such a cell is read again.
 *
 * This is the hot path of an import: its statements are kept prepared
 * (sql_reuse), and a cell's text is written and read by hand (cell.c). */
#include "db/obs.h"

#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "internal.h"

/* CELL_PUT_MANY cells in one statement. */
#define CELL_PUT_MANY 64
#define CELL_ROW      "(?,?,?,?,?,?)"
#define CELL_ROWS2    CELL_ROW "," CELL_ROW
#define CELL_ROWS4    CELL_ROWS2 "," CELL_ROWS2
#define CELL_ROWS8    CELL_ROWS4 "," CELL_ROWS4
#define CELL_ROWS16   CELL_ROWS8 "," CELL_ROWS8
#define CELL_ROWS32   CELL_ROWS16 "," CELL_ROWS16
#define CELL_ROWS64   CELL_ROWS32 "," CELL_ROWS32
#define CELL_UPSERT   "INSERT INTO obs_week(dataset_id, granularity, week, model_id, n, days) VALUES "
#define CELL_ON_CONFLICT                                                                           \
    " ON CONFLICT(dataset_id, granularity, week, model_id) DO UPDATE SET n = excluded.n,"          \
    " days = excluded.days"

static const char model_get_sql[] = "SELECT id FROM models WHERE slug = ?1";
static const char model_add_sql[] = "INSERT INTO models(slug, vendor) VALUES (?1, ?2)";
static const char cell_get_sql[] = "SELECT days FROM obs_week WHERE dataset_id = ?1"
                                   " AND granularity = ?2 AND week = ?3 AND model_id = ?4";
static const char cell_put_sql[] = CELL_UPSERT CELL_ROW CELL_ON_CONFLICT;
static const char cell_put_many_sql[] = CELL_UPSERT CELL_ROWS64 CELL_ON_CONFLICT;
static const char cell_range_sql[] =
    "SELECT (SELECT MIN(week) FROM obs_week WHERE dataset_id = ?1 AND granularity = ?2),"
    " (SELECT MAX(week) FROM obs_week WHERE dataset_id = ?1 AND granularity = ?2)";
static const char seen_get_sql[] = "SELECT mask FROM temp.seen WHERE k = ?1";
static const char seen_put_sql[] = "INSERT INTO temp.seen(k, mask) VALUES (?1, ?2)"
                                   " ON CONFLICT(k) DO UPDATE SET mask = mask | excluded.mask";

int db_model(struct db *st, const char *slug, const char *vendor, int64_t *out, struct ts_err *err)
{
    struct sql q;
    int found = 0;

    if (ts_map_get(&st->model_ids, slug, out))
        return 0;
    sql_reuse(&q, st->db, &st->stmt[ST_MODEL_GET], model_get_sql, "looking up a model");
    sql_bind_text(&q, 1, slug);
    if (sql_row(&q)) {
        *out = sql_col_int64(&q, 0);
        found = 1;
    }
    if (sql_done(&q, err) < 0)
        return -1;
    if (!found) {
        sql_reuse(&q, st->db, &st->stmt[ST_MODEL_ADD], model_add_sql, "adding a model");
        sql_bind_text(&q, 1, slug);
        sql_bind_text(&q, 2, vendor);
        sql_row(&q);
        if (sql_done(&q, err) < 0)
            return -1;
        *out = sqlite3_last_insert_rowid(st->db);
        st->countries_tx = 0; /* a vendor may be new: the map is read again */
    }
    ts_map_put(&st->model_ids, slug, *out);
    return 0;
}

#define CELLS_CAP 16384 /* slots of the table; written when half are used */

static uint64_t cell_hash(int64_t dataset, int gran, int32_t week, int64_t model)
{
    uint64_t h = (uint64_t)model * 0x9E3779B97F4A7C15ULL;
    h ^= ((uint64_t)(uint32_t)week << 1 | (uint64_t)gran) * 0xC2B2AE3D27D4EB4FULL;
    h ^= (uint64_t)dataset * 0x165667B19E3779F9ULL;
    return h ^ (h >> 29);
}

/* The key of a cell within an import (one dataset) in temp.seen. Weeks of
 * years 1000-9999 fit in 23 bits once offset; models are below 2^31. */
static int64_t cell_seen_key(const struct cell *c)
{
    return ((int64_t)(c->week + (1 << 22)) << 32) | (c->model << 1) | c->gran;
}

static int model_id_ok(const struct observation *o, struct ts_err *err)
{
    if (o->model >= ((int64_t)1 << 31))
        return ts_err_set(err, "database: too many models (more than 2^31)");
    return 0;
}

/* Whether dataset's granularity gran may have a cell in week. */
static int cell_may_exist(struct db *st, int64_t dataset, int gran, int32_t week,
                          struct ts_err *err)
{
    if (st->range_dataset != dataset) {
        st->range_dataset = dataset;
        st->range[0].known = st->range[1].known = 0;
    }
    if (!st->range[gran].known) {
        struct sql q;
        sql_reuse(&q, st->db, &st->stmt[ST_CELL_RANGE], cell_range_sql, "reading observations");
        sql_bind_int64(&q, 1, dataset);
        sql_bind_int(&q, 2, gran);
        st->range[gran].any = 0;
        if (sql_row(&q)) { /* an aggregate: one row */
            st->range[gran].any = !sql_col_null(&q, 0);
            st->range[gran].lo = (int32_t)sql_col_int64(&q, 0);
            st->range[gran].hi = (int32_t)sql_col_int64(&q, 1);
        }
        if (sql_done(&q, err) < 0)
            return -1;
        st->range[gran].known = 1;
    }
    return st->range[gran].any && week >= st->range[gran].lo && week <= st->range[gran].hi;
}

/* Reads a cell's slots, and its seen mask, from the database. */
static int cell_load(struct db *st, struct cell *c, struct ts_err *err)
{
    struct sql q;
    int damaged = 0;

    sql_reuse(&q, st->db, &st->stmt[ST_CELL_GET], cell_get_sql, "reading observations");
    sql_bind_int64(&q, 1, c->dataset);
    sql_bind_int(&q, 2, c->gran);
    sql_bind_int(&q, 3, c->week);
    sql_bind_int64(&q, 4, c->model);
    if (sql_row(&q)) {
        const char *text = sql_col_text(&q, 0);
        damaged = cell_decode(text, sql_col_bytes(&q, 0), c->s, c->gran ? 1 : CELL_DAYS) < 0;
    }
    if (sql_done(&q, err) < 0)
        return -1;
    if (damaged)
        return cell_damaged(err, c->model, c->week);
    if (st->seen_cells > 0) {
        sql_reuse(&q, st->db, &st->stmt[ST_SEEN_GET], seen_get_sql, "checking for duplicates");
        sql_bind_int64(&q, 1, cell_seen_key(c));
        if (sql_row(&q))
            c->seen = (unsigned char)sql_col_int(&q, 0);
        if (sql_done(&q, err) < 0)
            return -1;
    }
    return 0;
}

static int cell_cmp(const void *a, const void *b)
{
    const struct cell *x = *(const struct cell *const *)a, *y = *(const struct cell *const *)b;

    if (x->dataset != y->dataset)
        return x->dataset < y->dataset ? -1 : 1;
    if (x->gran != y->gran)
        return x->gran < y->gran ? -1 : 1;
    if (x->week != y->week)
        return x->week < y->week ? -1 : 1;
    return x->model < y->model ? -1 : x->model > y->model;
}

/* Binds cell c, encoded in text, to the six parameters from first on. */
static void bind_cell(struct sql *q, int first, const struct cell *c, const char *text, size_t len)
{
    int n = 0;

    for (int d = 0; d < CELL_DAYS; d++)
        n += c->s[d].filled;
    sql_bind_int64(q, first, c->dataset);
    sql_bind_int(q, first + 1, c->gran);
    sql_bind_int(q, first + 2, c->week);
    sql_bind_int64(q, first + 3, c->model);
    sql_bind_int(q, first + 4, n);
    sql_bind_textn(q, first + 5, text, (int)len);
}

/* Widens the known range of weeks in the database to c's week, which is
 * about to be written. (A failed write rolls back, which forgets it.) */
static void range_add(struct db *st, const struct cell *c)
{
    if (st->range_dataset != c->dataset || !st->range[c->gran].known)
        return;
    if (!st->range[c->gran].any || c->week < st->range[c->gran].lo)
        st->range[c->gran].lo = c->week;
    if (!st->range[c->gran].any || c->week > st->range[c->gran].hi)
        st->range[c->gran].hi = c->week;
    st->range[c->gran].any = 1;
}

/* Writes the n cells of dirty, in their order, CELL_PUT_MANY to a
 * statement. */
static int cells_put(struct db *st, struct cell **dirty, size_t n, struct ts_err *err)
{
    size_t off[CELL_PUT_MANY + 1];
    struct ts_buf text = TS_BUF_INIT;
    int rc = 0;

    for (size_t i = 0; i < n && rc == 0;) {
        size_t k = n - i >= CELL_PUT_MANY ? CELL_PUT_MANY : 1;
        struct sql q;
        if (k == 1)
            sql_reuse(&q, st->db, &st->stmt[ST_CELL_PUT], cell_put_sql, "writing observations");
        else
            sql_reuse(&q, st->db, &st->stmt[ST_CELL_PUT_MANY], cell_put_many_sql,
                      "writing observations");
        buf_reset(&text);
        for (size_t j = 0; j < k; j++) {
            off[j] = text.len;
            cell_encode(dirty[i + j]->s, dirty[i + j]->gran ? 1 : CELL_DAYS, &text);
        }
        off[k] = text.len;
        for (size_t j = 0; j < k; j++)
            bind_cell(&q, 1 + 6 * (int)j, dirty[i + j], text.data + off[j], off[j + 1] - off[j]);
        sql_row(&q);
        rc = sql_done(&q, err);
        i += k;
    }
    buf_release(&text);
    return rc;
}

/* Writes the changed cells, in key order; unless the import is ending,
 * keeps the seen masks in temp.seen. Empties the table. */
static int cells_write(struct db *st, int ending, struct ts_err *err)
{
    struct cell_cache *cc = &st->cells;
    struct cell **dirty = xmalloc((cc->used ? cc->used : 1) * sizeof(*dirty));
    size_t n = 0;
    int rc = -1;

    for (size_t i = 0; i < cc->cap; i++) {
        struct cell *c = &cc->t[i];
        if (!c->used)
            continue;
        if (!ending && c->seen) {
            struct sql q;
            sql_reuse(&q, st->db, &st->stmt[ST_SEEN_PUT], seen_put_sql, "checking for duplicates");
            sql_bind_int64(&q, 1, cell_seen_key(c));
            sql_bind_int(&q, 2, c->seen);
            sql_row(&q);
            if (sql_done(&q, err) < 0)
                goto out;
            st->seen_cells++;
        }
        if (c->dirty) {
            dirty[n++] = c;
            range_add(st, c);
        }
    }
    qsort(dirty, n, sizeof(*dirty), cell_cmp);
    if (cells_put(st, dirty, n, err) < 0)
        goto out;
    memset(cc->t, 0, cc->cap * sizeof(*cc->t));
    cc->used = 0;
    rc = 0;
out:
    free(dirty);
    return rc;
}

/* The cell of o, from the table, the database or new. */
static struct cell *cell_get(struct db *st, const struct observation *o, int32_t week,
                             struct ts_err *err)
{
    struct cell_cache *cc = &st->cells;
    int gran = o->granularity == TS_WEEK;

    if (!cc->t) {
        cc->cap = CELLS_CAP;
        cc->t = xcalloc(cc->cap, sizeof(*cc->t));
    }
    for (int pass = 0; pass < 2; pass++) {
        size_t i = (size_t)cell_hash(o->dataset, gran, week, o->model) & (cc->cap - 1);
        for (; cc->t[i].used; i = (i + 1) & (cc->cap - 1)) {
            struct cell *c = &cc->t[i];
            if (c->model == o->model && c->week == week && c->gran == gran &&
                c->dataset == o->dataset)
                return c;
        }
        if (cc->used < cc->cap / 2) {
            struct cell *c = &cc->t[i];
            memset(c, 0, sizeof(*c));
            c->used = 1;
            c->dataset = o->dataset;
            c->gran = (unsigned char)gran;
            c->week = week;
            c->model = o->model;
            cc->used++;
            int may = cell_may_exist(st, o->dataset, gran, week, err);
            if (may < 0 || (may && cell_load(st, c, err) < 0))
                return NULL;
            return c;
        }
        if (cells_write(st, 0, err) < 0) /* full: write it all, then look again */
            return NULL;
    }
    return NULL;
}

int db_obs_upsert(struct db *st, const struct observation *o, enum obs_change *out,
                  struct ts_err *err)
{
    int32_t week = o->granularity == TS_WEEK ? o->period : week_start(o->period);
    int d = (int)(o->period - week);
    int64_t v[CELL_FIELDS] = {o->total,     o->import_id, o->prompt,  o->completion,
                              o->reasoning, o->cached,    o->requests};

    if (model_id_ok(o, err) < 0)
        return -1;
    struct cell *c = cell_get(st, o, week, err);
    if (!c)
        return -1;
    struct cell_slot *sl = &c->s[d];
    if (sl->filled) {
        if (sl->v[CELL_IMPORT] == o->import_id || (c->seen >> d & 1)) {
            *out = OBS_DUPLICATE;
            return 0;
        }
        int same = 1;
        for (int f = 0; f < CELL_FIELDS; f++)
            same &= f == CELL_IMPORT || sl->v[f] == v[f];
        if (same) {
            c->seen |= (unsigned char)(1u << d);
            *out = OBS_UNCHANGED;
            return 0;
        }
        *out = OBS_UPDATED;
        st->obs_replaced = sl->v[CELL_IMPORT];
    } else {
        *out = OBS_INSERTED;
    }
    sl->filled = 1;
    memcpy(sl->v, v, sizeof(v));
    c->dirty = 1;
    return 0;
}

int64_t db_obs_replaced(const struct db *st)
{
    return st->obs_replaced;
}

int cells_flush(struct db *st, struct ts_err *err)
{
    return st->cells.used ? cells_write(st, 1, err) : 0;
}

void cells_forget(struct db *st)
{
    if (st->cells.t)
        memset(st->cells.t, 0, st->cells.cap * sizeof(*st->cells.t));
    st->cells.used = 0;
    st->range_dataset = 0;
    st->range[0].known = st->range[1].known = 0;
    st->seen_cells = 0;
}
