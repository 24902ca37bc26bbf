/* rollup.c - the weekly roll-ups the reports read: week_model (tokens per
 * week and model), week_days (days of data per week) and week_vendor
 * (tokens per week and vendor), rebuilt from the observations of the weeks
 * an import touched.
 *
 * A week comes from its daily rows when it has any, else from its weekly
 * rows; split_tokens are the tokens of the rows that give both prompt and
 * completion tokens, whose sums prompt and completion are. A week of a
 * model's daily rows is one cell: its sums are one row of week_model, and
 * the days of the week with any row are week_days.
 *
 * The same code writes the scratch copies `tokstat check` compares with
 * (check.c): the target tables are chosen from a fixed table of names. */
#include "db/rollup.h"

#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"
#include "db/apps.h"
#include "internal.h"

#define ROLL_MANY   64
#define ROLL_ROW    "(?,?,?,?,?,?,?)"
#define ROLL_ROWS2  ROLL_ROW "," ROLL_ROW
#define ROLL_ROWS4  ROLL_ROWS2 "," ROLL_ROWS2
#define ROLL_ROWS8  ROLL_ROWS4 "," ROLL_ROWS4
#define ROLL_ROWS16 ROLL_ROWS8 "," ROLL_ROWS8
#define ROLL_ROWS32 ROLL_ROWS16 "," ROLL_ROWS16
#define ROLL_ROWS64 ROLL_ROWS32 "," ROLL_ROWS32

/* A row gives a split when it gives prompt and completion tokens, unless
 * both are 0 for tokens that are not: that is no split (a dump that knows
 * none writes zeros), not a split of zero. */
#define HAS_SPLIT                                                                                  \
    "o.prompt IS NOT NULL AND o.completion IS NOT NULL"                                            \
    " AND NOT (o.prompt = 0 AND o.completion = 0 AND o.total > 0)"

/* The statements of a roll-up into the tables M (week_model), D
 * (week_days) and V (week_vendor). */
#define CLEAR_SQL(M, D, V)                                                                         \
    "DELETE FROM " M " WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;"                          \
    "DELETE FROM " D " WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;"                          \
    "DELETE FROM " V " WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3;"
#define MODEL_INSERT(M)                                                                            \
    "INSERT INTO " M "(dataset_id, week, model_id, tokens, split_tokens, prompt, completion)"      \
    " VALUES "
#define DAYS_SQL(D)                                                                                \
    "INSERT INTO " D "(dataset_id, week, days, mask, full) VALUES (?1, ?2, ?3, ?4, ?5)"
#define VENDOR_SQL(V) "INSERT INTO " V "(dataset_id, week, vendor, tokens) VALUES (?1, ?2, ?3, ?4)"
/* The weeks without daily rows (no week_days row yet): their weekly rows. */
#define WEEKLY_SQL(M, D)                                                                           \
    "INSERT INTO " M "(dataset_id, week, model_id, tokens, split_tokens, prompt, completion)"      \
    " SELECT o.dataset_id, o.period, o.model_id, o.total, IIF(" HAS_SPLIT ", o.total, 0),"         \
    "  IIF(" HAS_SPLIT ", o.prompt, 0), IIF(" HAS_SPLIT ", o.completion, 0)"                       \
    " FROM observations o"                                                                         \
    " WHERE o.dataset_id = ?1 AND o.granularity = 1 AND o.period BETWEEN ?2 AND ?3"                \
    "  AND NOT EXISTS (SELECT 1 FROM " D " d WHERE d.dataset_id = o.dataset_id"                    \
    "   AND d.week = o.period);"                                                                   \
    "INSERT INTO " D "(dataset_id, week, days, mask, full)"                                        \
    " SELECT o.dataset_id, o.week, 7, 127, EXISTS (SELECT 1 FROM obs_week x"                       \
    "   WHERE x.dataset_id = o.dataset_id AND x.granularity = 1 AND x.week = o.week"               \
    "   AND x.model_id = (SELECT id FROM models WHERE slug = 'other')"                             \
    "   AND (SELECT kind FROM datasets WHERE id = ?1) IS NOT 'apps')"                              \
    " FROM obs_week o"                                                                             \
    " WHERE o.dataset_id = ?1 AND o.granularity = 1 AND o.week BETWEEN ?2 AND ?3"                  \
    "  AND NOT EXISTS (SELECT 1 FROM " D " d WHERE d.dataset_id = o.dataset_id"                    \
    "   AND d.week = o.week)"                                                                      \
    " GROUP BY o.week;"
/* Per vendor too: reports by country and vendor read tens of rows a week
 * instead of one per model. The weeks of daily rows are summed while they
 * are read; the others (weekly rows) here. An apps dataset has neither
 * vendors nor an other bucket (its ids are apps', not models'). */
#define VENDOR_SUMS_SQL(M, V)                                                                      \
    "INSERT INTO " V "(dataset_id, week, vendor, tokens)"                                          \
    " SELECT u.dataset_id, u.week, m.vendor, SUM(u.tokens)"                                        \
    " FROM " M " u CROSS JOIN models m ON m.id = u.model_id"                                       \
    " WHERE u.dataset_id = ?1 AND u.week BETWEEN ?2 AND ?3"                                        \
    "  AND (SELECT kind FROM datasets WHERE id = ?1) IS NOT 'apps'"                                \
    "  AND u.week NOT IN (SELECT week FROM " V " WHERE dataset_id = ?1"                            \
    "   AND week BETWEEN ?2 AND ?3)"                                                               \
    " GROUP BY u.week, m.vendor;"

/* Each week's tokens, model by model, to check their sum. */
#define WEEK_TOKENS_SQL(M)                                                                         \
    "SELECT week, tokens FROM " M " WHERE dataset_id = ?1 AND week BETWEEN ?2 AND ?3"              \
    " ORDER BY dataset_id, week"

struct rollup_sql {
    const char *clear, *model_one, *model_many, *days, *vendor, *weekly, *vendor_sums, *week_tokens;
};
#define ROLLUP_SQL(M, D, V)                                                                        \
    {                                                                                              \
        CLEAR_SQL(M, D, V), MODEL_INSERT(M) ROLL_ROW, MODEL_INSERT(M) ROLL_ROWS64, DAYS_SQL(D),    \
            VENDOR_SQL(V), WEEKLY_SQL(M, D), VENDOR_SUMS_SQL(M, V), WEEK_TOKENS_SQL(M)             \
    }
static const struct rollup_sql rollup_sql[] = {
    [ROLLUP_STORED] = ROLLUP_SQL(STORED_MODEL, STORED_DAYS, STORED_VENDOR),
    [ROLLUP_SCRATCH] = ROLLUP_SQL(SCRATCH_MODEL, SCRATCH_DAYS, SCRATCH_VENDOR),
};

/* The daily cells of a dataset's weeks, in the order of the primary key. */
static const char daily_sql[] =
    "SELECT week, model_id, days FROM obs_week"
    " WHERE dataset_id = ?1 AND granularity = 0 AND week BETWEEN ?2 AND ?3"
    " ORDER BY dataset_id, granularity, week, model_id";

#define WHAT "updating the weekly roll-ups"

/* The roll-up of one model's week of daily rows. */
struct roll {
    int32_t week;
    int64_t model;
    int64_t tokens, split_tokens, prompt, completion; /* see week_model */
};

/* The vendors of the models, for summing a week's roll-ups per vendor as
 * they are made: vendor_of[id] indexes names (ids are small: rows of the
 * models table). */
struct vendor_sums {
    int *vendor_of; /* by model id; -1 unknown; NULL: SQL sums them */
    int64_t nids;
    char **names;
    size_t nnames;
    int64_t *tokens;     /* of the week being rolled up, by vendor */
    unsigned char *used; /* the vendor has a model in that week */
};

/* One call of rollup_into: the writers, prepared once, and the week being
 * read. */
struct rollup {
    struct db *st;
    int64_t dataset;
    struct sql one, many, days, vendor;
    struct vendor_sums vs;
    struct roll pend[ROLL_MANY]; /* week_model rows not written yet */
    size_t npend;
    int64_t other;     /* the model id of the other bucket, or -1 */
    int32_t *bad_week; /* where the week whose tokens reach 2^63 goes, or NULL */
    int have;          /* a week is open: */
    int32_t week;
    unsigned mask; /* its days with a row */
    int full;      /* it has rows of the other bucket: its total is the market's */
};

static int vendor_sums_load(struct db *st, struct vendor_sums *v, struct ts_err *err)
{
    struct ts_map index = TS_MAP_INIT;
    struct sql q;

    memset(v, 0, sizeof(*v));
    sql_prepare(&q, st->db, "SELECT IFNULL(MAX(id), 0) FROM models", WHAT);
    if (sql_row(&q))
        v->nids = sql_col_int64(&q, 0) + 1;
    if (sql_done(&q, err) < 0)
        return -1;
    if (v->nids > (1 << 24))
        return 0; /* not worth it: SQL sums them */
    v->vendor_of = xmalloc((size_t)v->nids * sizeof(*v->vendor_of));
    for (int64_t i = 0; i < v->nids; i++)
        v->vendor_of[i] = -1;
    sql_prepare(&q, st->db, "SELECT id, vendor FROM models", WHAT);
    while (sql_row(&q)) {
        int64_t id = sql_col_int64(&q, 0), k;
        const char *name = sql_col_text(&q, 1);
        if (id < 0 || id >= v->nids || !name)
            continue;
        if (!ts_map_get(&index, name, &k)) {
            k = (int64_t)v->nnames;
            v->names = xrealloc(v->names, (v->nnames + 1) * sizeof(*v->names));
            v->names[v->nnames++] = xstrdup(name);
            ts_map_put(&index, name, k);
        }
        v->vendor_of[id] = (int)k;
    }
    ts_map_release(&index);
    if (sql_done(&q, err) < 0)
        return -1;
    v->tokens = xcalloc(v->nnames + 1, sizeof(*v->tokens));
    v->used = xcalloc(v->nnames + 1, 1);
    return 0;
}

static void vendor_sums_release(struct vendor_sums *v)
{
    for (size_t i = 0; i < v->nnames; i++)
        free(v->names[i]);
    free(v->names);
    free(v->vendor_of);
    free(v->tokens);
    free(v->used);
}

/* The model id of the other bucket into *out, or -1 when there is none. */
static int other_model(struct db *st, int64_t *out, struct ts_err *err)
{
    struct sql q;

    *out = -1;
    sql_prepare(&q, st->db, "SELECT id FROM models WHERE slug = 'other'", WHAT);
    if (sql_row(&q))
        *out = sql_col_int64(&q, 0);
    return sql_done(&q, err);
}

/* Writes the pending week_model rows, ROLL_MANY to a statement. */
static int rollup_flush(struct rollup *r, struct ts_err *err)
{
    for (size_t i = 0; i < r->npend;) {
        size_t k = r->npend - i >= ROLL_MANY ? ROLL_MANY : 1;
        struct sql *q = k == 1 ? &r->one : &r->many;
        for (size_t j = 0; j < k; j++) {
            const struct roll *x = &r->pend[i + j];
            int p = 1 + 7 * (int)j;
            sql_bind_int64(q, p, r->dataset);
            sql_bind_int(q, p + 1, x->week);
            sql_bind_int64(q, p + 2, x->model);
            sql_bind_int64(q, p + 3, x->tokens);
            sql_bind_int64(q, p + 4, x->split_tokens);
            sql_bind_int64(q, p + 5, x->prompt);
            sql_bind_int64(q, p + 6, x->completion);
        }
        sql_row(q);
        if (sql_check(q, err) < 0)
            return -1;
        i += k;
    }
    r->npend = 0;
    return 0;
}

/* Ends the open week: its days, and its sums per vendor. */
static int rollup_week_end(struct rollup *r, struct ts_err *err)
{
    struct vendor_sums *v = &r->vs;
    int n = 0;

    for (unsigned m = r->mask; m; m &= m - 1)
        n++;
    sql_bind_int64(&r->days, 1, r->dataset);
    sql_bind_int(&r->days, 2, r->week);
    sql_bind_int(&r->days, 3, n);
    sql_bind_int(&r->days, 4, (int)r->mask);
    sql_bind_int(&r->days, 5, r->full);
    sql_row(&r->days);
    if (sql_check(&r->days, err) < 0)
        return -1;
    for (size_t i = 0; i < v->nnames; i++) {
        if (!v->used[i])
            continue;
        sql_bind_int64(&r->vendor, 1, r->dataset);
        sql_bind_int(&r->vendor, 2, r->week);
        sql_bind_text(&r->vendor, 3, v->names[i]);
        sql_bind_int64(&r->vendor, 4, v->tokens[i]);
        sql_row(&r->vendor);
        if (sql_check(&r->vendor, err) < 0)
            return -1;
        v->used[i] = 0;
        v->tokens[i] = 0;
    }
    r->mask = 0;
    r->full = 0;
    return 0;
}

/* Adds the cell of model in week (its text len bytes) to the roll-ups. */
static int rollup_cell(struct rollup *r, int32_t week, int64_t model, const char *text, size_t len,
                       struct ts_err *err)
{
    struct cell_slot sl[CELL_DAYS];
    struct vendor_sums *v = &r->vs;

    if (r->have && week != r->week && rollup_week_end(r, err) < 0)
        return -1;
    r->have = 1;
    r->week = week;
    struct roll *x = &r->pend[r->npend];
    memset(x, 0, sizeof(*x));
    x->week = week;
    x->model = model;
    r->full |= model == r->other;
    if (cell_decode(text, len, sl, CELL_DAYS) < 0)
        return cell_damaged(err, model, week);
    if (r->bad_week)
        *r->bad_week = week; /* until the sums below pass */
    for (int d = 0; d < CELL_DAYS; d++) {
        const int64_t *f = sl[d].v;
        if (!sl[d].filled)
            continue;
        r->mask |= 1u << d;
        int split = cell_has_split(&sl[d]);
        if (metrics_add(&x->tokens, f[CELL_TOTAL]) < 0 ||
            (split && (metrics_add(&x->split_tokens, f[CELL_TOTAL]) < 0 ||
                       metrics_add(&x->prompt, f[CELL_PROMPT]) < 0 ||
                       metrics_add(&x->completion, f[CELL_COMPLETION]) < 0)))
            return ts_err_set(err, "the tokens of a model in a week reach 2^63");
    }
    if (v->vendor_of && model >= 0 && model < v->nids && v->vendor_of[model] >= 0) {
        int k = v->vendor_of[model];
        v->used[k] = 1;
        if (metrics_add(&v->tokens[k], x->tokens) < 0)
            return ts_err_set(err, "the tokens of a vendor in a week reach 2^63");
    }
    if (r->bad_week)
        *r->bad_week = 0;
    if (++r->npend == ROLL_MANY)
        return rollup_flush(r, err);
    return 0;
}

/* The roll-ups of the daily cells of weeks wfrom..wto. */
static int rollup_daily(struct rollup *r, int32_t wfrom, int32_t wto, struct ts_err *err)
{
    struct sql q;
    int rc = 0;

    sql_prepare(&q, r->st->db, daily_sql, WHAT);
    sql_bind_int64(&q, 1, r->dataset);
    sql_bind_int(&q, 2, wfrom);
    sql_bind_int(&q, 3, wto);
    while (rc == 0 && sql_row(&q)) {
        const char *text = sql_col_text(&q, 2);
        rc = rollup_cell(r, (int32_t)sql_col_int64(&q, 0), sql_col_int64(&q, 1), text,
                         sql_col_bytes(&q, 2), err);
    }
    if (sql_done(&q, err) < 0 || rc < 0)
        return -1;
    if (rollup_flush(r, err) < 0 || (r->have && rollup_week_end(r, err) < 0))
        return -1;
    return 0;
}

/* Checks that each week's tokens, summed over its models, stay below 2^63
 * (a week of 2^63 tokens has no share, no total and no growth). */
static int week_totals_check(struct rollup *r, const char *sql, int32_t wfrom, int32_t wto,
                             struct ts_err *err)
{
    struct sql q;
    int64_t sum = 0;
    int32_t week = 0;
    int have = 0, over = 0;

    sql_prepare(&q, r->st->db, sql, WHAT);
    sql_bind_int64(&q, 1, r->dataset);
    sql_bind_int(&q, 2, wfrom);
    sql_bind_int(&q, 3, wto);
    while (!over && sql_row(&q)) {
        int32_t w = (int32_t)sql_col_int64(&q, 0);
        if (!have || w != week)
            sum = 0;
        have = 1;
        week = w;
        over = metrics_add(&sum, sql_col_int64(&q, 1)) < 0;
    }
    if (sql_done(&q, err) < 0)
        return -1;
    if (!over)
        return 0;
    *r->bad_week = week;
    return metrics_period_overflow(err, PERIOD_WEEK, week);
}

/* rollup_into; with bad_week, each week's total is checked too, and the
 * week that fails (a week's total or a model's or vendor's tokens in it
 * reaching 2^63) goes into *bad_week (0 when the failure is another). */
static int rollup_run(struct db *st, enum rollup_target target, int64_t dataset, int32_t from,
                      int32_t to, int32_t *bad_week, struct ts_err *err)
{
    const struct rollup_sql *s = &rollup_sql[target];
    int32_t wfrom = week_start(from), wto = week_start(to);
    struct rollup rr, *r = &rr;
    enum dataset_kind kind;
    int rc = -1;

    memset(r, 0, sizeof(*r)); /* the writers SQL_INIT, no vendor sums */
    r->st = st;
    r->dataset = dataset;
    r->bad_week = bad_week;
    if (bad_week)
        *bad_week = 0;
    if (db_dataset_kind(st, dataset, &kind, err) < 0 ||
        (kind != DATASET_APPS && other_model(st, &r->other, err) < 0))
        return -1;
    if (kind == DATASET_APPS)
        r->other = -1;
    if (sql_exec3(st->db, s->clear, dataset, wfrom, wto, WHAT, err) < 0 ||
        (kind != DATASET_APPS && vendor_sums_load(st, &r->vs, err) < 0))
        goto done;
    sql_prepare(&r->one, st->db, s->model_one, WHAT);
    sql_prepare(&r->many, st->db, s->model_many, WHAT);
    sql_prepare(&r->days, st->db, s->days, WHAT);
    sql_prepare(&r->vendor, st->db, s->vendor, WHAT);
    if (sql_check(&r->one, err) < 0 || sql_check(&r->many, err) < 0 ||
        sql_check(&r->days, err) < 0 || sql_check(&r->vendor, err) < 0)
        goto done;
    if (rollup_daily(r, wfrom, wto, err) < 0 ||
        sql_exec3(st->db, s->weekly, dataset, wfrom, wto, WHAT, err) < 0 ||
        (bad_week && week_totals_check(r, s->week_tokens, wfrom, wto, err) < 0) ||
        sql_exec3(st->db, s->vendor_sums, dataset, wfrom, wto, WHAT, err) < 0)
        goto done;
    rc = 0;
done:
    sql_done(&r->one, NULL);
    sql_done(&r->many, NULL);
    sql_done(&r->days, NULL);
    sql_done(&r->vendor, NULL);
    vendor_sums_release(&r->vs);
    return rc;
}

int rollup_into(struct db *st, enum rollup_target target, int64_t dataset, int32_t from, int32_t to,
                struct ts_err *err)
{
    return rollup_run(st, target, dataset, from, to, NULL, err);
}

int db_rollup(struct db *st, int64_t dataset, int32_t from, int32_t to, int32_t *bad_week,
              struct ts_err *err)
{
    return rollup_run(st, ROLLUP_STORED, dataset, from, to, bad_week, err);
}

int rollup_all(struct db *st, enum rollup_target target, struct ts_err *err)
{
    struct sql q;
    int rc = 0;

    sql_prepare(&q, st->db,
                "SELECT dataset_id, MIN(week), MAX(week) + 6 FROM obs_week GROUP BY dataset_id",
                "computing the weekly roll-ups");
    while (rc == 0 && sql_row(&q))
        rc = rollup_into(st, target, sql_col_int64(&q, 0), (int32_t)sql_col_int64(&q, 1),
                         (int32_t)sql_col_int64(&q, 2), err);
    if (sql_done(&q, err) < 0 || rc < 0)
        return -1;
    return 0;
}
