/* check.c - `tokstat check`: PRAGMA integrity_check, then the roll-ups
 * recomputed from the observations and compared with the stored ones.
 *
 * The recomputation is rollup.c's own code (rollup_into), pointed at
 * scratch copies of the three roll-up tables in the temp schema instead of
 * the stored ones: the writer takes its target tables from a fixed table
 * of names (enum rollup_target), so there is one roll-up rule, and a check
 * without repair never writes to the database file. It needs no write lock
 * either (temp tables are the connection's own), so it neither waits for
 * nor blocks an import. The two sets are compared with EXCEPT both ways,
 * which also finds rows the observations do not explain (an extra week or
 * vendor). A repair takes the write lock before it reads, so that what it
 * rebuilds is what it compared, and rebuilds the weeks that differ in the
 * stored tables with the same code. */
#include "db/check.h"

#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "internal.h"

#define MODEL_COLS  "dataset_id, week, model_id, tokens, split_tokens, prompt, completion"
#define DAYS_COLS   "dataset_id, week, days, mask, full"
#define VENDOR_COLS "dataset_id, week, vendor, tokens"

/* The scratch tables: the stored ones' columns and keys (schema.c). */
static const char scratch_create_sql[] =
    "DROP TABLE IF EXISTS " SCRATCH_MODEL ";"
    "DROP TABLE IF EXISTS " SCRATCH_DAYS ";"
    "DROP TABLE IF EXISTS " SCRATCH_VENDOR ";"
    "CREATE TABLE " SCRATCH_MODEL "(dataset_id INTEGER NOT NULL, week INTEGER NOT NULL,"
    " model_id INTEGER NOT NULL, tokens INTEGER NOT NULL, split_tokens INTEGER NOT NULL,"
    " prompt INTEGER NOT NULL, completion INTEGER NOT NULL,"
    " PRIMARY KEY (dataset_id, week, model_id)) WITHOUT ROWID;"
    "CREATE TABLE " SCRATCH_DAYS "(dataset_id INTEGER NOT NULL, week INTEGER NOT NULL,"
    " days INTEGER NOT NULL, mask INTEGER NOT NULL DEFAULT 127,"
    " full INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (dataset_id, week)) WITHOUT ROWID;"
    "CREATE TABLE " SCRATCH_VENDOR "(dataset_id INTEGER NOT NULL, week INTEGER NOT NULL,"
    " vendor TEXT NOT NULL, tokens INTEGER NOT NULL,"
    " PRIMARY KEY (dataset_id, week, vendor)) WITHOUT ROWID;";
static const char scratch_drop_sql[] = "DROP TABLE " SCRATCH_MODEL ";"
                                       "DROP TABLE " SCRATCH_DAYS ";"
                                       "DROP TABLE " SCRATCH_VENDOR ";";

/* The weeks of table T whose rows differ between the sets A and B. */
#define DIFF(T, COLS, A, B)                                                                        \
    "SELECT dataset_id, week, '" T "' AS tbl FROM (SELECT " COLS " FROM " A " EXCEPT SELECT " COLS \
    " FROM " B ")"
#define DIFF2(T, COLS, S, C) DIFF(T, COLS, S, C) " UNION " DIFF(T, COLS, C, S)

/* Every (dataset, week, table) that differs, by dataset and week. */
#define DIFFS                                                                                      \
    DIFF2("week_model", MODEL_COLS, STORED_MODEL, SCRATCH_MODEL)                                   \
    " UNION " DIFF2("week_days", DAYS_COLS, STORED_DAYS, SCRATCH_DAYS) " UNION " DIFF2(            \
        "week_vendor", VENDOR_COLS, STORED_VENDOR, SCRATCH_VENDOR)
static const char compare_sql[] =
    "SELECT b.dataset_id, d.name, b.week, b.tbl FROM (" DIFFS ") b"
    " LEFT JOIN datasets d ON d.id = b.dataset_id ORDER BY b.dataset_id, b.week, b.tbl";

static void add_problem(struct check_report *out, char *text)
{
    out->problems = xrealloc(out->problems, (out->nproblems + 1) * sizeof(*out->problems));
    out->problems[out->nproblems++] = text;
}

static int check_integrity(struct db *st, struct check_report *out, struct ts_err *err)
{
    struct sql q;
    size_t rows = 0;

    out->integrity_ok = 0;
    sql_prepare(&q, st->db, "PRAGMA integrity_check", "checking integrity");
    while (sql_row(&q)) {
        const char *msg = sql_col_text(&q, 0);
        rows++;
        if (msg && strcmp(msg, "ok") == 0 && rows == 1) {
            out->integrity_ok = 1;
            continue;
        }
        out->integrity_ok = 0;
        struct ts_buf b = TS_BUF_INIT;
        buf_adds(&b, "integrity check: ");
        buf_adds(&b, msg ? msg : "?");
        add_problem(out, b.data);
    }
    return sql_done(&q, err);
}

/* A differing week: "dataset 'NAME', week 2026-02-09: roll-ups differ from
 * the observations (week_model, week_vendor)". */
static char *week_problem(const char *name, int64_t dataset, int32_t week, const char *tables)
{
    struct ts_buf b = TS_BUF_INIT;
    char date[TS_DATE_LEN + 1];

    date_format(week, date);
    if (name) {
        buf_adds(&b, "dataset '");
        ts_quote_for_msg(&b, name, strlen(name), 200);
        buf_adds(&b, "'");
    } else {
        buf_printf(&b, "dataset id %lld (not in datasets)", (long long)dataset);
    }
    buf_printf(&b, ", week %s: roll-ups differ from the observations (%s)", date, tables);
    return b.data;
}

/* A week of a dataset whose roll-ups differ. */
struct bad_week {
    int64_t dataset;
    int32_t week;
};

/* Compares the stored roll-ups with the scratch ones: a problem per week
 * that differs, and the weeks in *bad (freed by the caller). */
static int check_compare(struct db *st, struct check_report *out, struct bad_week **bad,
                         struct ts_err *err)
{
    struct ts_buf tables = TS_BUF_INIT; /* of the week being read */
    char *name = NULL;                  /* its dataset's */
    struct sql q;
    size_t n = 0;

    sql_prepare(&q, st->db, compare_sql, "comparing the weekly roll-ups");
    while (sql_row(&q)) {
        int64_t ds = sql_col_int64(&q, 0);
        int32_t week = (int32_t)sql_col_int64(&q, 2);
        if (n > 0 && ds == (*bad)[n - 1].dataset && week == (*bad)[n - 1].week) {
            buf_adds(&tables, ", ");
        } else {
            if (n > 0)
                add_problem(out, week_problem(name, (*bad)[n - 1].dataset, (*bad)[n - 1].week,
                                              tables.data));
            free(name);
            name = sql_col_dup(&q, 1);
            buf_reset(&tables);
            *bad = xrealloc(*bad, (n + 1) * sizeof(**bad));
            (*bad)[n].dataset = ds;
            (*bad)[n].week = week;
            n++;
        }
        buf_adds(&tables, sql_col_text(&q, 3));
    }
    if (n > 0)
        add_problem(out,
                    week_problem(name, (*bad)[n - 1].dataset, (*bad)[n - 1].week, tables.data));
    out->rollups_wrong = n;
    free(name);
    buf_release(&tables);
    return sql_done(&q, err);
}

/* Rebuilds the stored roll-ups of the n weeks of bad (by dataset and
 * week), a run of consecutive weeks at a time. */
static int check_repair(struct db *st, const struct bad_week *bad, size_t n, struct ts_err *err)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && bad[j].dataset == bad[i].dataset && bad[j].week == bad[j - 1].week + 7)
            j++;
        if (rollup_into(st, ROLLUP_STORED, bad[i].dataset, bad[i].week, bad[j - 1].week + 6, err) <
            0)
            return -1;
        i = j;
    }
    return 0;
}

/* The roll-ups: recomputed, compared and, with repair, rebuilt. */
static int check_rollups(struct db *st, int repair, struct check_report *out, struct ts_err *err)
{
    struct bad_week *bad = NULL;
    int rc = -1;

    if (sql_exec(st->db, scratch_create_sql, err) < 0 || rollup_all(st, ROLLUP_SCRATCH, err) < 0 ||
        check_compare(st, out, &bad, err) < 0)
        goto done;
    out->rollups_checked = 1;
    if (repair && out->rollups_wrong > 0) {
        if (check_repair(st, bad, out->rollups_wrong, err) < 0)
            goto done;
        out->rollups_repaired = out->rollups_wrong;
    }
    rc = sql_exec(st->db, scratch_drop_sql, err);
done:
    free(bad);
    return rc;
}

int db_check(struct db *st, int repair, struct check_report *out, struct ts_err *err)
{
    *out = (struct check_report)CHECK_REPORT_INIT;
    if ((repair ? db_begin(st, err) : db_begin_read(st, err)) < 0)
        return -1;
    if (check_integrity(st, out, err) < 0 ||
        (out->integrity_ok && check_rollups(st, repair, out, err) < 0))
        goto fail;
    if (!repair)
        db_rollback(st); /* a read: also forgets the scratch tables */
    else if (db_commit(st, err) < 0)
        goto fail;
    return 0;
fail:
    db_rollback(st);
    check_report_release(out);
    return -1;
}

void check_report_release(struct check_report *r)
{
    for (size_t i = 0; i < r->nproblems; i++)
        free(r->problems[i]);
    free(r->problems);
    *r = (struct check_report)CHECK_REPORT_INIT;
}
