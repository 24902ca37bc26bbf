/* import.c - tokstat import: load dump files, one transaction each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "import/format.h"
#include "import/import.h"
#include "import/ingest.h"
#include "import/input.h"
#include "core/opts.h"
#include "render/progress.h"
#include "core/week.h"
#include "db/imports.h"

static const char usage[] =
    "usage: tokstat import [OPTIONS] FILE...\n"
    "\n"
    "Loads usage dumps into the database. The format is detected from the\n"
    "content; each file is imported in one transaction, all of it or none.\n"
    "'-' reads standard input.\n"
    "\n"
    "Options:\n"
    "  --dataset NAME        import into this dataset (default: default)\n"
    "  --format F            force the format: csv, jsonl, json, openrouter-daily,\n"
    "                        openrouter-chart, openrouter-weekly, openrouter-models\n"
    "  --period day|week     what each row covers, whatever the format implies\n"
    "  --week-label start|end  a weekly row's date is the first day of its week\n"
    "                        (start, the default) or the day after its end (end)\n"
    "  --as-of DATE          when the data was taken, for files that do not say\n"
    "                        (the model catalogue: its prices are valid from then;\n"
    "                        default: the file's own as-of time, else today)\n"
    "  --dry-run             parse and check everything, write nothing\n"
    "  -q, --quiet           print no summary lines and no progress bar (errors\n"
    "                        are still reported)\n"
    "  --help                show this help\n"
    "\n"
    "Each file gets one summary line on standard output. A file that takes more\n"
    "than a second shows a progress bar on standard error when that is a\n"
    "terminal (TOKSTAT_PROGRESS_DELAY_MS sets the delay in milliseconds).\n";

enum { O_DATASET = 1, O_FORMAT, O_PERIOD, O_WEEK_LABEL, O_AS_OF, O_DRY_RUN, O_QUIET, O_HELP };

static const struct opt_spec specs[] = {
    {"dataset", 0, 1, O_DATASET},       {"format", 0, 1, O_FORMAT}, {"period", 0, 1, O_PERIOD},
    {"week-label", 0, 1, O_WEEK_LABEL}, {"as-of", 0, 1, O_AS_OF},   {"dry-run", 0, 0, O_DRY_RUN},
    {"quiet", 'q', 0, O_QUIET},         {"help", 'h', 0, O_HELP},   {NULL, 0, 0, 0},
};

struct import_args {
    const char *dataset;
    struct import_opts opts;
    int label_end;
    int dry_run;
    const char *as_of; /* --as-of, or NULL */
    int quiet;
    FILE *bar;          /* where progress bars go (a terminal), or NULL */
    long long delay_ms; /* before a bar appears */
};

/* The meter follows the bytes read from the input... */
static void on_read(void *ctx, unsigned long long bytes)
{
    progress_update(ctx, bytes);
}

/* ...and, every few thousand records, the records handed to the store, so
 * that the bar keeps moving while a whole JSON document, parsed at the
 * start, is written. The wrapper forwards everything unchanged. */
struct tick_sink {
    struct ts_sink inner;
    struct progress *pg;
    const struct ts_input *in;
    unsigned n;
};

#define TICK_RECORDS 4096

static int tick_record(void *ctx, const struct ts_record *rec, struct ts_err *err)
{
    struct tick_sink *t = ctx;

    if (++t->n % TICK_RECORDS == 0)
        progress_update(t->pg, t->in->bytes);
    return t->inner.record(t->inner.ctx, rec, err);
}

static int tick_price(void *ctx, const struct ts_price *price, struct ts_err *err)
{
    struct tick_sink *t = ctx;

    return t->inner.price(t->inner.ctx, price, err);
}

static void tick_as_of(void *ctx, const char *as_of)
{
    struct tick_sink *t = ctx;

    t->inner.as_of(t->inner.ctx, as_of);
}

/* Valid dataset names: 1-64 bytes of printable UTF-8. */
static int dataset_name_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 64 && ts_utf8_valid(s, n);
}

static void print_summary(struct cli *c, const char *file, const struct ingest *ig,
                          const char *dataset, const char *seen_when, int dry_run)
{
    const struct import_run *imp = &ig->imp;

    fprintf(c->out, "%s: ", file);
    if (imp->rows > 0 || imp->prices == 0) {
        fprintf(c->out, "%lld %s, %lld inserted, %lld updated, %lld unchanged, dataset %s",
                (long long)imp->rows, ts_plural(imp->rows, "row", "rows"), (long long)imp->inserted,
                (long long)imp->updated, (long long)imp->unchanged, dataset);
        if (ig->have_period) {
            char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
            date_format(week_start(ig->first_period), a);
            date_format(week_start(ig->last_period) + 6, b);
            fprintf(c->out, ", weeks %s..%s", a, b);
        }
        if (imp->prices > 0)
            fprintf(c->out, ", %lld %s", (long long)imp->prices,
                    ts_plural(imp->prices, "price", "prices"));
    } else {
        char d[TS_DATE_LEN + 1];
        date_format(ig->price_day, d);
        fprintf(c->out, "%lld %s from the model catalogue, valid from %s", (long long)imp->prices,
                ts_plural(imp->prices, "price", "prices"), d);
    }
    if (seen_when)
        fprintf(c->out, " (same content as the import of %s)", seen_when);
    if (dry_run)
        fprintf(c->out, " (dry run: nothing written)");
    fputc('\n', c->out);
}

/* Imports one file in one transaction. Returns 0, or -1 after printing. */
static int import_one(struct cli *c, struct db *st, const char *name, const struct import_args *a)
{
    const char *shown = strcmp(name, "-") == 0 ? "<stdin>" : name;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct ingest ig;
    struct ts_sink sink;
    struct progress pg = PROGRESS_INIT;
    struct tick_sink ticker;
    enum ts_format fmt = a->opts.format;
    char seen[32];
    int seen_before = 0, rc = -1, in_tx = 0;

    ingest_init(&ig, st, a->label_end, date_today());
    if (input_open(&in, name, &err) < 0)
        goto fail;
    if (a->bar) {
        progress_start(&pg, a->bar, shown, in.size, progress_term_width(fileno(a->bar)),
                       a->delay_ms, progress_now_ms());
        in.on_read = on_read;
        in.on_read_ctx = &pg;
    }
    if (fmt == TS_FMT_AUTO) {
        size_t len;
        const char *head = input_peek(&in, INPUT_PEEK_MAX, &len);
        if (!head) {
            ts_err_set(&err, "read error: %s", strerror(in.error));
            goto fail;
        }
        if (format_sniff(head, len, &fmt, &err) < 0)
            goto fail;
    }
    if (db_begin(st, &err) < 0)
        goto fail;
    in_tx = 1;
    if (db_dataset(st, a->dataset, 1, &ig.imp.dataset, &err) < 0)
        goto fail;
    ig.imp.file = shown;
    ig.imp.format = format_name(fmt);
    if (db_import_start(st, &ig.imp, &err) < 0)
        goto fail;
    ingest_sink(&ig, &sink);
    if (a->bar) {
        ticker.inner = sink;
        ticker.pg = &pg;
        ticker.in = &in;
        ticker.n = 0;
        sink.record = tick_record;
        sink.price = sink.price ? tick_price : NULL; /* optional callbacks stay absent */
        sink.as_of = sink.as_of ? tick_as_of : NULL;
        sink.ctx = &ticker;
    }
    if (a->as_of) {
        sink.as_of(sink.ctx, a->as_of);
        ig.as_of_fixed = 1; /* the user's word over the file's */
    }

    /* Detection only tells CSV, JSON Lines and JSON documents apart; a
     * document's shape is recognised by import_json_doc unless forced. */
    struct import_opts o = a->opts;
    if (fmt == TS_FMT_CSV) {
        rc = import_csv(&in, &o, &sink, &err);
    } else if (fmt == TS_FMT_JSONL) {
        rc = import_jsonl(&in, &o, &sink, &err);
    } else {
        rc = import_json_doc(&in, &o, &sink, &fmt, &err);
        ig.imp.format = format_name(fmt);
    }
    if (rc < 0)
        goto fail;
    rc = -1;
    if (input_finish(&in, ig.imp.sha256, &err) < 0)
        goto fail;
    if (ig.imp.rows == 0 && ig.imp.prices == 0) {
        ts_err_set(&err, "no records (expected usage rows or catalogue prices)");
        goto fail;
    }
    seen_before = db_import_seen(st, ig.imp.sha256, ig.imp.id, seen, &err);
    if (seen_before < 0 || ingest_finish(&ig, &err) < 0)
        goto fail;
    if (a->dry_run) {
        db_rollback(st);
    } else if (db_commit(st, &err) < 0) {
        in_tx = 0;
        goto fail;
    }
    in_tx = 0;
    progress_end(&pg); /* the bar's line is blank again before anything is printed */
    if (!a->quiet)
        print_summary(c, shown, &ig, a->dataset, seen_before ? seen : NULL, a->dry_run);
    rc = 0;
    goto done;
fail:
    progress_end(&pg);
    if (in_tx)
        db_rollback(st);
    cli_print_err(c, shown, &err);
    rc = -1;
done:
    ingest_release(&ig);
    input_release(&in);
    return rc;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
    struct import_args a = {"default", IMPORT_OPTS_INIT, 0, 0, NULL, 0, NULL, 0};
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    char **files = xcalloc((size_t)argc, sizeof(*files));
    size_t nfiles = 0, failed = 0, stdin_count = 0;
    struct db *st = NULL;
    char *path = NULL;
    int id, rc = TS_EXIT_OK;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        switch (id) {
        case -2:
            rc = cli_usage_error(c, "import", "%s", err.msg);
            goto done;
        case 0:
            files[nfiles++] = (char *)o.value;
            stdin_count += strcmp(o.value, "-") == 0;
            break;
        case O_DATASET:
            a.dataset = o.value;
            if (!dataset_name_ok(a.dataset)) {
                rc = cli_usage_error(c, "import",
                                     "invalid value '%s' for --dataset (expected a name of 1 to "
                                     "64 printable characters)",
                                     a.dataset);
                goto done;
            }
            break;
        case O_FORMAT:
            if (format_parse(o.value, &a.opts.format) < 0) {
                rc = cli_usage_error(c, "import",
                                     "invalid value '%s' for --format (expected csv, jsonl, json, "
                                     "openrouter-daily, openrouter-chart, openrouter-weekly or "
                                     "openrouter-models)",
                                     o.value);
                goto done;
            }
            break;
        case O_PERIOD:
            if (strcmp(o.value, "day") == 0) {
                a.opts.period = TS_DAY;
            } else if (strcmp(o.value, "week") == 0) {
                a.opts.period = TS_WEEK;
            } else {
                rc = cli_usage_error(
                    c, "import", "invalid value '%s' for --period (expected day or week)", o.value);
                goto done;
            }
            break;
        case O_WEEK_LABEL:
            if (strcmp(o.value, "start") == 0) {
                a.label_end = 0;
            } else if (strcmp(o.value, "end") == 0) {
                a.label_end = 1;
            } else {
                rc = cli_usage_error(c, "import",
                                     "invalid value '%s' for --week-label (expected start or end)",
                                     o.value);
                goto done;
            }
            break;
        case O_AS_OF: {
            int32_t day;
            if (date_parse(o.value, strlen(o.value), &day) < 0) {
                rc = cli_usage_error(c, "import",
                                     "invalid value '%s' for --as-of (expected a date, "
                                     "YYYY-MM-DD)",
                                     o.value);
                goto done;
            }
            a.as_of = o.value;
            break;
        }
        case O_DRY_RUN:
            a.dry_run = 1;
            break;
        case O_QUIET:
            a.quiet = 1;
            break;
        case O_HELP:
            fputs(usage, c->out);
            goto done;
        }
    }
    if (nfiles == 0) {
        rc = cli_usage_error(c, "import", "no file to import (expected FILE... or '-')");
        goto done;
    }
    if (stdin_count > 1) {
        rc = cli_usage_error(c, "import", "'-' (standard input) can be given only once");
        goto done;
    }

    /* A dry run against a database that does not exist yet checks against
     * an empty one in memory rather than creating the file. */
    if (a.dry_run) {
        path = cli_db_path(c, &err);
        if (!path) {
            cli_print_err(c, NULL, &err);
            rc = TS_EXIT_FAIL;
            goto done;
        }
        if (access(path, F_OK) != 0) {
            if (db_open(":memory:", &st, &err) < 0) {
                cli_print_err(c, NULL, &err);
                rc = TS_EXIT_FAIL;
                goto done;
            }
        }
    }
    if (!st && (rc = cli_open_store(c, &st)) != 0)
        goto done;
    /* A bar only ever goes to a terminal, and never under --quiet. */
    if (!a.quiet && isatty(fileno(c->err))) {
        a.bar = c->err;
        a.delay_ms = progress_delay_ms(getenv("TOKSTAT_PROGRESS_DELAY_MS"));
    }
    for (size_t i = 0; i < nfiles; i++) {
        if (import_one(c, st, files[i], &a) < 0)
            failed++;
    }
    if (failed > 0 && nfiles > 1)
        cli_fail(c, "%zu of %zu files failed", failed, nfiles);
    rc = failed ? TS_EXIT_FAIL : TS_EXIT_OK;
done:
    db_close(st);
    free(path);
    free(files);
    return rc;
}
