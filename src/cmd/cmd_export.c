/* cmd_export.c - tokstat export: a dataset's observations as plain rows
 * (CSV or JSON Lines) for DuckDB, pandas or a warehouse; to standard
 * output, to a file, or one file per month in Hive-style folders
 * (DIR/month=2026-02/part.csv). Rows stream from the database to the
 * output a week at a time, so memory does not grow with the database. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/opts.h"
#include "core/util.h"
#include "core/week.h"
#include "db/apps.h"
#include "db/export.h"
#include "db/query.h"
#include "render/output.h"
#include "render/stream.h"

static const char usage[] =
    "usage: tokstat export [--dataset NAME] [--format csv|jsonl] [--from DATE] [--to DATE]\n"
    "                      [--output FILE | --split-by month DIR]\n"
    "\n"
    "A dataset's observations as plain rows, for DuckDB, pandas or a\n"
    "warehouse: one row per model and day (or week, for weekly dumps), the rows\n"
    "the reports count (a week's daily rows when it has any, else its weekly\n"
    "rows), ordered by date, then model. Columns: dataset, period (day or\n"
    "week), date, week (its Monday), model, vendor, country, family (the slug\n"
    "without its -YYYYMMDD date and :variant), total_tokens, prompt_tokens,\n"
    "completion_tokens, reasoning_tokens, cached_tokens, requests, coverage\n"
    "(full or listed: what the week's total is). A weekly row is dated by its\n"
    "Monday. Counts the source does not give are empty (CSV) or null (JSON).\n"
    "A dataset of app rankings has no model rows and is refused (the\n"
    "database's app_usage view holds its apps).\n"
    "\n"
    "Options:\n"
    "  --dataset NAME       export this dataset (default: default)\n"
    "  --format F           csv (default) or jsonl (one JSON object a line)\n"
    "  --from DATE          only rows dated DATE (YYYY-MM-DD) or later\n"
    "  --to DATE            only rows dated DATE or earlier\n"
    "  -o, --output FILE    write FILE (atomically) instead of standard output\n"
    "  --split-by month DIR  one file per month of rows, DIR/month=YYYY-MM/part.csv\n"
    "                       (or part.jsonl), each written atomically: Hive-style\n"
    "                       folders that DuckDB, ClickHouse or Spark read as one\n"
    "                       table; other files in DIR are left as they are\n"
    "  --help               show this help\n";

enum { O_DATASET = 1, O_FORMAT, O_FROM, O_TO, O_OUTPUT, O_SPLIT_BY, O_HELP };

static const struct opt_spec specs[] = {
    {"dataset", 0, 1, O_DATASET}, {"format", 0, 1, O_FORMAT},
    {"from", 0, 1, O_FROM},       {"to", 0, 1, O_TO},
    {"output", 'o', 1, O_OUTPUT}, {"split-by", 0, 1, O_SPLIT_BY},
    {"help", 'h', 0, O_HELP},     {NULL, 0, 0, 0},
};

/* The columns of a row: the contract of the files (man page, README). */
enum {
    X_DATASET,
    X_PERIOD,
    X_DATE,
    X_WEEK,
    X_MODEL,
    X_VENDOR,
    X_COUNTRY,
    X_FAMILY,
    X_TOTAL,
    X_PROMPT,
    X_COMPLETION,
    X_REASONING,
    X_CACHED,
    X_REQUESTS,
    X_COVERAGE,
    X_NCOLS
};

static const struct rs_col cols[X_NCOLS] = {
    {"dataset", "dataset", RS_TEXT, 0},
    {"period", "period", RS_TEXT, 0},
    {"date", "date", RS_DATE, 0},
    {"week", "week", RS_DATE, 0},
    {"model", "model", RS_TEXT, 0},
    {"vendor", "vendor", RS_TEXT, 0},
    {"country", "country", RS_TEXT, 0},
    {"family", "family", RS_TEXT, 0},
    {"total_tokens", "total_tokens", RS_TOKENS, 0},
    {"prompt_tokens", "prompt_tokens", RS_TOKENS, 0},
    {"completion_tokens", "completion_tokens", RS_TOKENS, 0},
    {"reasoning_tokens", "reasoning_tokens", RS_TOKENS, 0},
    {"cached_tokens", "cached_tokens", RS_TOKENS, 0},
    {"requests", "requests", RS_INT, 0},
    {"coverage", "coverage", RS_TEXT, 0},
};

struct export_args {
    const char *dataset;
    enum stream_format format;
    int32_t from, to; /* days */
    int has_from, has_to;
    const char *output; /* --output FILE, or NULL */
    const char *dir;    /* --split-by month DIR, or NULL */
    int split;
};

/* One option's value into a; returns -1 to go on, or the exit status. */
static int parse_option(struct cmd_env *env, const struct opts *o, int id, struct export_args *a)
{
    const char *v = o->value;
    char after[64];

    switch (id) {
    case O_DATASET:
        if (v[0] == '\0')
            return cmd_usage_error(env, "export", "--dataset needs a name");
        a->dataset = v;
        return -1;
    case O_FORMAT:
        if (stream_format_parse(v, &a->format) < 0)
            return cmd_usage_value(env, "export", "invalid value ", v,
                                   " for --format (expected csv or jsonl)");
        return -1;
    case O_FROM:
    case O_TO:
        if (strlen(v) != TS_DATE_LEN ||
            date_parse(v, TS_DATE_LEN, id == O_FROM ? &a->from : &a->to) < 0) {
            snprintf(after, sizeof(after), " for %s (expected a date, YYYY-MM-DD)", o->name);
            return cmd_usage_value(env, "export", "invalid value ", v, after);
        }
        *(id == O_FROM ? &a->has_from : &a->has_to) = 1;
        return -1;
    case O_OUTPUT:
        if (v[0] == '\0')
            return cmd_usage_error(env, "export", "--output needs a file name");
        a->output = v;
        return -1;
    case O_SPLIT_BY:
        if (strcmp(v, "month") != 0)
            return cmd_usage_value(env, "export", "invalid value ", v,
                                   " for --split-by (expected month)");
        a->split = 1;
        return -1;
    default: /* O_HELP */
        fputs(usage, env->out);
        return TS_EXIT_OK;
    }
}

/* The command line into a. Returns -1 to go on, or the exit status to end
 * with (0 after --help). */
static int parse_args(struct cmd_env *env, int argc, char **argv, struct export_args *a)
{
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    int id, rc;

    memset(a, 0, sizeof(*a));
    a->dataset = "default";
    a->format = STREAM_CSV;
    a->from = date_from_ymd(1000, 1, 1);
    a->to = date_from_ymd(9999, 12, 31);
    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "export", "%s", err.msg);
        if (id == 0 && a->dir == NULL && o.value[0] != '\0') {
            a->dir = o.value; /* the folder of --split-by */
            continue;
        }
        if (id == 0)
            return cmd_usage_value(env, "export", "unexpected argument ", o.value, "");
        if ((rc = parse_option(env, &o, id, a)) >= 0)
            return rc;
    }
    if (a->dir && !a->split)
        return cmd_usage_value(env, "export", "unexpected argument ", a->dir,
                               " (a folder goes with --split-by month)");
    if (a->split && !a->dir)
        return cmd_usage_error(env, "export",
                               "--split-by month needs a folder: --split-by month "
                               "DIR");
    if (a->split && a->output)
        return cmd_usage_error(env, "export",
                               "--output and --split-by each say where the rows "
                               "go; give one of them");
    if (a->has_from && a->has_to && a->from > a->to) {
        char x[TS_DATE_LEN + 1], y[TS_DATE_LEN + 1];
        date_format(a->from, x);
        date_format(a->to, y);
        return cmd_usage_error(env, "export", "--from %s is after --to %s", x, y);
    }
    return -1;
}

/* The cells of row r of dataset; text cells borrow r's strings. */
static void row_cells(const char *dataset, const struct export_row *r, struct rs_cell *c)
{
    const int64_t counts[] = {r->total,     r->prompt, r->completion,
                              r->reasoning, r->cached, r->requests};

    memset(c, 0, X_NCOLS * sizeof(*c));
    for (int i = 0; i < X_NCOLS; i++)
        c[i].kind = RS_VALUE;
    c[X_DATASET].s = (char *)dataset;
    c[X_PERIOD].s = r->period == TS_DAY ? "day" : "week";
    c[X_DATE].i = r->date;
    c[X_WEEK].i = r->week;
    c[X_MODEL].s = (char *)r->model;
    c[X_VENDOR].s = (char *)r->vendor;
    c[X_COUNTRY].s = (char *)r->country;
    c[X_FAMILY].s = (char *)r->family;
    for (int i = 0; i < 6; i++) {
        c[X_TOTAL + i].i = counts[i];
        if (counts[i] == TS_ABSENT)
            c[X_TOTAL + i].kind = RS_NULL;
    }
    c[X_COVERAGE].s = r->full ? "full" : "listed";
}

/* Where the rows go: one output, or the file of each month in turn. */
struct sink {
    const struct export_args *a;
    struct output out;
    FILE *stdout_fp;
    int month; /* --split-by: the month of the open file (year * 12 + month - 1), or -1 */
    struct ts_buf path;
};

/* Opens the file of the month of day (--split-by), committing the one
 * before; its header. */
static int sink_month(struct sink *k, int32_t day, struct ts_err *err)
{
    int y, m, d;

    date_to_ymd(day, &y, &m, &d);
    if (k->month == y * 12 + m - 1)
        return 0;
    if (k->month >= 0 && output_commit(&k->out, err) < 0)
        return -1;
    output_release(&k->out);
    k->month = y * 12 + m - 1;
    buf_reset(&k->path);
    buf_printf(&k->path, "%s/month=%04d-%02d", k->a->dir, y, m);
    if (output_dir(k->path.data, err) < 0)
        return -1;
    buf_printf(&k->path, "/part.%s", stream_format_name(k->a->format));
    if (output_open(&k->out, k->path.data, NULL, err) < 0)
        return -1;
    stream_header(k->a->format, cols, X_NCOLS, k->out.fp);
    return 0;
}

/* Every row of x into k. Returns the number of rows, or -1 (err filled). */
static long long write_rows(struct db_export *x, const char *dataset, struct sink *k,
                            struct ts_err *err)
{
    struct export_row r;
    struct rs_cell c[X_NCOLS];
    long long n = 0;
    int rc;

    if (!k->a->split) {
        if (output_open(&k->out, k->a->output, k->stdout_fp, err) < 0)
            return -1;
        stream_header(k->a->format, cols, X_NCOLS, k->out.fp);
    } else if (output_dir(k->a->dir, err) < 0) {
        return -1;
    }
    while ((rc = db_export_next(x, &r, err)) > 0) {
        if (k->a->split && sink_month(k, r.date, err) < 0)
            return -1;
        row_cells(dataset, &r, c);
        stream_row(k->a->format, cols, X_NCOLS, c, k->out.fp);
        n++;
        if (ferror(k->out.fp))
            break; /* a full disk or a closed pipe: output_commit says which */
    }
    if (rc < 0 || (k->out.fp && output_commit(&k->out, err) < 0))
        return -1;
    return n;
}

/* The vendors without a country in the weeks of from..to, as a warning. */
static int warn_unmapped(struct cmd_env *env, struct db *db, int64_t id,
                         const struct export_args *a, struct ts_err *err)
{
    char **v = NULL;
    size_t n = 0;

    if (db_unmapped_vendors(db, id, week_start(a->from), week_start(a->to), &v, &n, err) < 0)
        return -1;
    char *warn = cmd_unmapped_warning(v, n, "exported");
    if (warn)
        cmd_line(env, env->err, "tokstat: warning: %s", warn);
    free(warn);
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return 0;
}

/* "tokstat: note: ..." when nothing was exported. */
static void note_empty(struct cmd_env *env, const struct export_args *a)
{
    char x[TS_DATE_LEN + 1], y[TS_DATE_LEN + 1];

    date_format(a->from, x);
    date_format(a->to, y);
    if (!a->has_from && !a->has_to)
        cmd_line(env, env->err, "tokstat: note: dataset '%s' has no observations", a->dataset);
    else if (a->has_from && a->has_to)
        cmd_line(env, env->err, "tokstat: note: no observations dated %s to %s in dataset '%s'", x,
                 y, a->dataset);
    else
        cmd_line(env, env->err, "tokstat: note: no observations dated %s or %s in dataset '%s'",
                 a->has_from ? x : y, a->has_from ? "later" : "earlier", a->dataset);
}

int cmd_export(struct cmd_env *env, int argc, char **argv)
{
    struct export_args a;
    struct ts_err err = TS_ERR_INIT;
    struct db *db = NULL;
    struct db_export *x = NULL;
    struct sink k = {&a, OUTPUT_INIT, env->out, -1, TS_BUF_INIT};
    enum dataset_kind kind;
    int64_t id;
    int rc, found;

    if ((rc = parse_args(env, argc, argv, &a)) >= 0)
        return rc;
    if ((rc = cmd_open_db_read(env, &db)) != 0)
        return rc;
    /* One snapshot for every week read, however imports run meanwhile. */
    if (db_begin_read(db, &err) < 0 || (found = db_dataset(db, a.dataset, 0, &id, &err)) < 0) {
        rc = TS_EXIT_FAIL;
        cmd_print_err(env, NULL, &err);
    } else if (found == 0) {
        rc = cmd_fail(env, "no dataset '%s' (run 'tokstat status' to see the datasets)", a.dataset);
    } else if (db_dataset_kind(db, id, &kind, &err) < 0) {
        rc = TS_EXIT_FAIL;
        cmd_print_err(env, NULL, &err);
    } else if (kind == DATASET_APPS) {
        /* Its observations are apps', not models': never model rows. */
        rc = cmd_fail(env,
                      "dataset '%s' holds app rankings: tokstat export writes model usage (the "
                      "database's app_usage view holds the apps, one row per app and week)",
                      a.dataset);
    } else if (warn_unmapped(env, db, id, &a, &err) < 0 ||
               db_export_open(db, id, a.from, a.to, &x, &err) < 0) {
        rc = TS_EXIT_FAIL;
        cmd_print_err(env, NULL, &err);
    } else {
        long long n = write_rows(x, a.dataset, &k, &err);
        if (n < 0 && !a.split && k.out.errnum == EPIPE && !k.out.path) {
            /* A reader that went away (export | head) ends the export
             * quietly, as it ends a report: what it wanted, it got. */
            rc = TS_EXIT_OK;
        } else if (n < 0) {
            rc = TS_EXIT_FAIL;
            cmd_print_err(env, NULL, &err);
        } else if (n == 0) {
            note_empty(env, &a);
        }
    }
    output_release(&k.out);
    buf_release(&k.path);
    db_export_close(x);
    if (db)
        db_rollback(db);
    db_close(db);
    return rc;
}
