/* status.c - tokstat status: what the database holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "core/util.h"
#include "core/opts.h"
#include "core/week.h"
#include "db/status.h"

static const char usage[] = "usage: tokstat status [--imports N]\n"
                            "\n"
                            "Shows the database path, each dataset's observations, models and\n"
                            "weeks (partial weeks marked), vendors without a country, and the\n"
                            "most recent imports.\n"
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

static void print_dataset(FILE *out, const struct dataset_status *d)
{
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
    size_t partial = 0;

    fprintf(out, "dataset %s: %lld %s, %lld %s, %lld %s\n", d->name, (long long)d->observations,
            ts_plural(d->observations, "observation", "observations"), (long long)d->models,
            ts_plural(d->models, "model", "models"), (long long)d->vendors,
            ts_plural(d->vendors, "vendor", "vendors"));
    if (d->daily_rows > 0) {
        date_format(d->first_day, a);
        date_format(d->last_day, b);
        fprintf(out, "  daily rows:  %lld, %s..%s\n", (long long)d->daily_rows, a, b);
    }
    if (d->weekly_rows > 0)
        fprintf(out, "  weekly rows: %lld\n", (long long)d->weekly_rows);
    if (d->nweeks > 0) {
        date_format(d->weeks[0].week, a);
        date_format(d->weeks[d->nweeks - 1].week, b);
        fprintf(out, "  weeks:       %zu, %s..%s\n", d->nweeks, a, b);
    }
    for (size_t i = 0; i < d->nweeks; i++) {
        if (d->weeks[i].days == 0 || d->weeks[i].days >= 7)
            continue;
        date_format(d->weeks[i].week, a);
        fprintf(out, "%s%s (%d of 7 days)", partial++ ? ", " : "  partial:     ", a,
                d->weeks[i].days);
    }
    if (partial)
        fputc('\n', out);
    if (d->nunmapped > 0) {
        fprintf(out, "  vendors without a country:");
        for (size_t i = 0; i < d->nunmapped; i++)
            fprintf(out, "%s%s", i ? ", " : " ", d->unmapped[i]);
        fprintf(out, " (map them with 'tokstat vendors set VENDOR COUNTRY')\n");
    }
}

int cmd_status(struct cli *c, int argc, char **argv)
{
    struct ts_err err = TS_ERR_INIT;
    struct db_status s;
    struct db *st = NULL;
    struct opts o;
    long long max_imports = 10;
    int id, rc;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        switch (id) {
        case -2:
            return cli_usage_error(c, "status", "%s", err.msg);
        case 0:
            return cli_usage_error(c, "status", "unexpected argument '%s'", o.value);
        case O_IMPORTS: {
            char *end;
            max_imports = strtoll(o.value, &end, 10);
            if (end == o.value || *end != '\0' || max_imports < 0)
                return cli_usage_error(c, "status",
                                       "invalid value '%s' for --imports (expected a whole "
                                       "number >= 0)",
                                       o.value);
            break;
        }
        case O_HELP:
            fputs(usage, c->out);
            return TS_EXIT_OK;
        }
    }
    char *path = cli_db_path(c, &err);
    if (!path) {
        cli_print_err(c, NULL, &err);
        return TS_EXIT_FAIL;
    }
    if ((rc = cli_open_store(c, &st)) != 0) {
        free(path);
        return rc;
    }
    if (db_begin_read(st, &err) < 0 || db_read_status(st, (size_t)max_imports, &s, &err) < 0) {
        cli_print_err(c, NULL, &err);
        db_status_release(&s);
        db_close(st);
        free(path);
        return TS_EXIT_FAIL;
    }
    fprintf(c->out, "database: %s (schema %d)\n", path, s.schema_version);
    if (s.ndatasets == 0)
        fprintf(c->out, "no data yet (run 'tokstat import FILE...')\n");
    for (size_t i = 0; i < s.ndatasets; i++)
        print_dataset(c->out, &s.datasets[i]);
    if (s.catalogue_prices > 0)
        fprintf(c->out, "catalogue prices: %lld\n", (long long)s.catalogue_prices);
    if (s.total_imports > 0) {
        fprintf(c->out, "imports: %lld", (long long)s.total_imports);
        if (s.nimports < (size_t)s.total_imports)
            fprintf(c->out, " (the %zu newest below; --imports N for more)", s.nimports);
        else
            fprintf(c->out, " (newest first)");
        fputc('\n', c->out);
    }
    for (size_t i = 0; i < s.nimports; i++) {
        const struct import_row *r = &s.imports[i];
        fprintf(c->out,
                "  %s  %s  %s  %.12s  %s  %lld %s (%lld inserted, %lld updated, %lld "
                "unchanged)",
                r->when, r->dataset, r->file, r->sha256, r->format, (long long)r->rows,
                ts_plural(r->rows, "row", "rows"), (long long)r->inserted, (long long)r->updated,
                (long long)r->unchanged);
        if (r->prices)
            fprintf(c->out, ", %lld %s", (long long)r->prices,
                    ts_plural(r->prices, "price", "prices"));
        if (r->as_of)
            fprintf(c->out, ", as of %s", r->as_of);
        fputc('\n', c->out);
    }
    db_status_release(&s);
    db_close(st);
    free(path);
    return TS_EXIT_OK;
}
