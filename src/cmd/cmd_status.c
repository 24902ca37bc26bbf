/* cmd_status.c - tokstat status: what the database holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/util.h"
#include "core/opts.h"
#include "core/week.h"
#include "db/status.h"

static const char usage[] = "usage: tokstat status [--imports N]\n"
                            "\n"
                            "Shows the database path, each dataset's observations, models (or\n"
                            "apps, and the list they rank) and weeks (partial weeks marked),\n"
                            "vendors without a country, and the most recent imports.\n"
                            "\n"
                            "Options:\n"
                            "  --imports N   how many recent imports to list (default 10)\n"
                            "  --help        show this help\n";

enum { O_IMPORTS = 1, O_HELP };

static const struct opt_spec specs[] = {
    {"imports", 0, 1, O_IMPORTS},
    {"help", 'h', 0, O_HELP},
    {NULL, 0, 0, 0},
};

/* The weeks between the dataset's first and last week with data that
 * have none (gaps), on one line: "  gaps:        2026-03-09, 2026-03-16". */
static void print_gaps(struct cmd_env *env, FILE *out, const struct dataset_status *d)
{
    char a[TS_DATE_LEN + 1];
    size_t n = 0;

    for (size_t i = 1; i < d->nweeks; i++) {
        for (int32_t w = d->weeks[i - 1].week + 7; w < d->weeks[i].week; w += 7) {
            date_format(w, a);
            cmd_text(env, out, "%s%s", n++ ? ", " : "  gaps:        ", a);
        }
    }
    if (n)
        cmd_line(env, out, "%s", "");
}

/* The weeks of fewer than 7 days, with their days and weekdays. */
static void print_partial(struct cmd_env *env, FILE *out, const struct dataset_status *d)
{
    char a[TS_DATE_LEN + 1], days[32];
    size_t n = 0;

    for (size_t i = 0; i < d->nweeks; i++) {
        if (d->weeks[i].days == 0 || d->weeks[i].days >= 7)
            continue;
        date_format(d->weeks[i].week, a);
        week_days_text(d->weeks[i].mask, days, sizeof(days));
        cmd_text(env, out, "%s%s (%d of 7 days, %s)", n++ ? ", " : "  partial:     ", a,
                 d->weeks[i].days, days);
    }
    if (n)
        cmd_line(env, out, "%s", "");
}

/* The weeks whose total is only the listed models' (no other bucket). */
static void print_listed(struct cmd_env *env, FILE *out, const struct dataset_status *d)
{
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
    size_t n = 0, first = 0, last = 0;

    for (size_t i = 0; i < d->nweeks; i++) {
        if (d->weeks[i].full)
            continue;
        if (n++ == 0)
            first = i;
        last = i;
    }
    if (n == 0)
        return;
    date_format(d->weeks[first].week, a);
    date_format(d->weeks[last].week, b);
    if (d->kind == DATASET_APPS)
        cmd_line(env, out,
                 "  coverage:    listed apps only in every week (app rankings list the top "
                 "apps, with no other bucket)");
    else if (n == d->nweeks)
        cmd_line(env, out, "  coverage:    listed models only in every week (no other bucket)");
    else
        cmd_line(env, out, "  coverage:    listed models only in %zu %s, %s..%s (no other bucket)",
                 n, ts_plural((long long)n, "week", "weeks"), a, b);
}

/* The first line of a dataset: what it holds and how much. */
static void print_dataset_head(struct cmd_env *env, FILE *out, const struct dataset_status *d)
{
    struct ts_buf list = TS_BUF_INIT;

    cmd_text(env, out, "dataset %s: %lld %s, ", d->name, (long long)d->observations,
             ts_plural(d->observations, "observation", "observations"));
    if (d->kind != DATASET_APPS) {
        cmd_line(env, out, "%lld %s, %lld %s", (long long)d->models,
                 ts_plural(d->models, "model", "models"), (long long)d->vendors,
                 ts_plural(d->vendors, "vendor", "vendors"));
        return;
    }
    if (d->has_list)
        app_list_describe(&d->list, 1, &list);
    cmd_line(env, out, "%lld %s (app rankings%s%s)", (long long)d->models,
             ts_plural(d->models, "app", "apps"), list.data ? ": " : "",
             list.data ? list.data : "");
    buf_release(&list);
}

static void print_dataset(struct cmd_env *env, FILE *out, const struct dataset_status *d)
{
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];

    print_dataset_head(env, out, d);
    if (d->daily_rows > 0) {
        date_format(d->first_day, a);
        date_format(d->last_day, b);
        cmd_line(env, out, "  daily rows:  %lld, %s..%s", (long long)d->daily_rows, a, b);
    }
    if (d->weekly_rows > 0)
        cmd_line(env, out, "  weekly rows: %lld", (long long)d->weekly_rows);
    if (d->nweeks > 0) {
        date_format(d->weeks[0].week, a);
        date_format(d->weeks[d->nweeks - 1].week, b);
        cmd_line(env, out, "  weeks:       %zu, %s..%s", d->nweeks, a, b);
    }
    print_partial(env, out, d);
    print_gaps(env, out, d);
    print_listed(env, out, d);
    if (d->nunmapped > 0) {
        cmd_text(env, out, "  vendors without a country:");
        for (size_t i = 0; i < d->nunmapped; i++)
            cmd_text(env, out, "%s%s", i ? ", " : " ", d->unmapped[i]);
        cmd_line(env, out, " (map them with 'tokstat vendors set VENDOR COUNTRY')");
    }
}

/* The database's figures, then its most recent imports. */
static void print_status(struct cmd_env *env, FILE *out, const char *path,
                         const struct db_status *s)
{
    cmd_line(env, out, "database: %s (schema %d)", path, s->schema_version);
    if (s->ndatasets == 0)
        cmd_line(env, out, "no data yet (run 'tokstat import FILE...')");
    for (size_t i = 0; i < s->ndatasets; i++)
        print_dataset(env, out, &s->datasets[i]);
    if (s->catalogue_prices > 0)
        cmd_line(env, out, "catalogue prices: %lld", (long long)s->catalogue_prices);
    if (s->total_imports > 0) {
        cmd_text(env, out, "imports: %lld", (long long)s->total_imports);
        if (s->nimports < (size_t)s->total_imports)
            cmd_text(env, out, " (the %zu newest below; --imports N for more)", s->nimports);
        else
            cmd_text(env, out, " (newest first)");
        cmd_line(env, out, "%s", "");
    }
    for (size_t i = 0; i < s->nimports; i++) {
        const struct import_row *r = &s->imports[i];
        cmd_text(env, out,
                 "  %s  %s  %s  %.12s  %s  %lld %s (%lld inserted, %lld updated, %lld "
                 "unchanged)",
                 r->when, r->dataset, r->file, r->sha256, r->format, (long long)r->rows,
                 ts_plural(r->rows, "row", "rows"), (long long)r->inserted, (long long)r->updated,
                 (long long)r->unchanged);
        if (r->prices)
            cmd_text(env, out, ", %lld %s", (long long)r->prices,
                     ts_plural(r->prices, "price", "prices"));
        if (r->as_of)
            cmd_text(env, out, ", as of %s", r->as_of);
        cmd_line(env, out, "%s", "");
    }
}

/* The command line: --imports N. Returns -1 to go on, or the exit status
 * to end with (0 after --help). */
static int parse_args(struct cmd_env *env, int argc, char **argv, long long *max_imports)
{
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    char *end;
    int id;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "status", "%s", err.msg);
        if (id == 0)
            return cmd_usage_error(env, "status", "unexpected argument '%s'", o.value);
        if (id == O_HELP) {
            fputs(usage, env->out);
            return TS_EXIT_OK;
        }
        *max_imports = strtoll(o.value, &end, 10);
        if (end == o.value || *end != '\0' || *max_imports < 0)
            return cmd_usage_error(env, "status",
                                   "invalid value '%s' for --imports (expected a whole number "
                                   ">= 0)",
                                   o.value);
    }
    return -1;
}

int cmd_status(struct cmd_env *env, int argc, char **argv)
{
    struct ts_err err = TS_ERR_INIT;
    struct db_status s = {0};
    struct db *db = NULL;
    long long max_imports = 10;
    char *path = NULL;
    int rc;

    if ((rc = parse_args(env, argc, argv, &max_imports)) >= 0)
        return rc;
    if (!(path = cmd_db_path(env, &err))) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    if ((rc = cmd_open_db_read(env, &db)) == 0) {
        if (db_begin_read(db, &err) < 0 || db_read_status(db, (size_t)max_imports, &s, &err) < 0) {
            cmd_print_err(env, NULL, &err);
            rc = TS_EXIT_FAIL;
        } else {
            print_status(env, env->out, path, &s);
        }
    }
    db_status_release(&s);
    db_close(db);
    free(path);
    return rc;
}
