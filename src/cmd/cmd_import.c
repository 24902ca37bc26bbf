/* cmd_import.c - tokstat import: load dump files, one transaction each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    "                        and warnings are still reported)\n"
    "  --help                show this help\n"
    "\n"
    "Each file gets one summary line on standard output; rows whose prompt and\n"
    "completion tokens do not split their total (both 0, or more than 1 % off)\n"
    "get a warning on standard error. A file that takes more than a second\n"
    "shows a progress bar on standard error when that is a terminal\n"
    "(TOKSTAT_PROGRESS_DELAY_MS sets the delay in milliseconds).\n";

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

static void print_summary(struct cmd_env *env, const char *file, const struct ingest *ig,
                          const char *dataset, const char *seen_when, int dry_run)
{
    const struct import_run *imp = &ig->imp;

    fprintf(env->out, "%s: ", file);
    if (imp->rows > 0 || imp->prices == 0) {
        fprintf(env->out, "%lld %s, %lld inserted, %lld updated, %lld unchanged, dataset %s",
                (long long)imp->rows, ts_plural(imp->rows, "row", "rows"), (long long)imp->inserted,
                (long long)imp->updated, (long long)imp->unchanged, dataset);
        if (ig->have_period) {
            char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
            date_format(week_start(ig->first_period), a);
            date_format(week_start(ig->last_period) + 6, b);
            fprintf(env->out, ", weeks %s..%s", a, b);
        }
        if (imp->prices > 0)
            fprintf(env->out, ", %lld %s", (long long)imp->prices,
                    ts_plural(imp->prices, "price", "prices"));
    } else {
        char d[TS_DATE_LEN + 1];
        date_format(ig->price_day, d);
        fprintf(env->out, "%lld %s from the model catalogue, valid from %s", (long long)imp->prices,
                ts_plural(imp->prices, "price", "prices"), d);
    }
    if (seen_when)
        fprintf(env->out, " (same content as the import of %s)", seen_when);
    if (dry_run)
        fprintf(env->out, " (dry run: nothing written)");
    fputc('\n', env->out);
}

/* Warnings about the file's splits of total tokens: rows that give prompt
 * and completion as 0 (no split), rows whose sum is off the total. */
static void print_split_warnings(struct cmd_env *env, const char *file, const struct ingest *ig)
{
    if (ig->split_zero > 0)
        fprintf(env->err,
                "tokstat: warning: %s: %lld %s prompt and completion tokens as 0 for a "
                "non-zero total: read as no split (cost estimates one)\n",
                file, (long long)ig->split_zero, ig->split_zero == 1 ? "row gives" : "rows give");
    if (ig->split_off > 0) {
        fprintf(env->err,
                "tokstat: warning: %s: %lld %s prompt + completion tokens more than 1 %% away from "
                "the total (cost takes the split's proportions of the total): ",
                file, (long long)ig->split_off, ig->split_off == 1 ? "row gives" : "rows give");
        for (int64_t i = 0; i < ig->split_off && i < INGEST_SPLIT_SHOWN; i++)
            fprintf(env->err, "%s%s", i ? ", " : "", ig->split_off_rows[i]);
        if (ig->split_off > INGEST_SPLIT_SHOWN)
            fprintf(env->err, " and %lld more", (long long)(ig->split_off - INGEST_SPLIT_SHOWN));
        fputc('\n', env->err);
    }
}

/* Wraps sink so that the progress bar moves with the records. */
static void tick_wrap(struct tick_sink *t, struct ts_sink *sink, struct progress *pg,
                      const struct ts_input *in)
{
    t->inner = *sink;
    t->pg = pg;
    t->in = in;
    t->n = 0;
    sink->record = tick_record;
    sink->price = sink->price ? tick_price : NULL; /* optional callbacks stay absent */
    sink->as_of = sink->as_of ? tick_as_of : NULL;
    sink->ctx = t;
}

/* Inside the file's transaction, once it is read: its hash, whether it
 * held anything, whether its content was imported before (the time, into
 * seen), the roll-ups. Returns 1 when seen before, 0 when not, -1 on error. */
static int finish_file(struct db *db, struct ts_input *in, struct ingest *ig, char seen[32],
                       struct ts_err *err)
{
    int seen_before;

    if (input_finish(in, ig->imp.sha256, err) < 0)
        return -1;
    if (ig->imp.rows == 0 && ig->imp.prices == 0)
        return ts_err_set(err, "no records (expected usage rows or catalogue prices)");
    seen_before = db_import_seen(db, ig->imp.sha256, ig->imp.id, seen, err);
    if (seen_before < 0 || ingest_finish(ig, err) < 0)
        return -1;
    return seen_before;
}

/* Imports one file in one transaction. Returns 0, or -1 after printing. */
static int import_one(struct cmd_env *env, struct db *db, const char *name,
                      const struct import_args *a)
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
    int seen_before = 0, in_tx = 0;

    ingest_init(&ig, db, a->label_end, date_today());
    if (input_open(&in, name, &err) < 0)
        goto fail;
    if (a->bar) {
        progress_start(&pg, a->bar, shown, in.size, progress_term_width(fileno(a->bar)),
                       a->delay_ms, progress_now_ms());
        in.on_read = on_read;
        in.on_read_ctx = &pg;
    }
    if (import_detect(&in, &fmt, &err) < 0 || db_begin(db, &err) < 0)
        goto fail;
    in_tx = 1;
    if (db_dataset(db, a->dataset, 1, &ig.imp.dataset, &err) < 0)
        goto fail;
    ig.imp.file = shown;
    ig.imp.format = format_name(fmt);
    if (db_import_start(db, &ig.imp, &err) < 0)
        goto fail;
    ingest_sink(&ig, &sink);
    if (a->bar)
        tick_wrap(&ticker, &sink, &pg, &in);
    if (a->as_of) {
        sink.as_of(sink.ctx, a->as_of);
        ig.as_of_fixed = 1; /* the user's word over the file's */
    }
    if (import_read(&in, &fmt, &a->opts, &sink, &err) < 0)
        goto fail;
    ig.imp.format = format_name(fmt);
    if ((seen_before = finish_file(db, &in, &ig, seen, &err)) < 0)
        goto fail;
    in_tx = 0;
    if (a->dry_run)
        db_rollback(db);
    else if (db_commit(db, &err) < 0)
        goto fail;
    progress_end(&pg); /* the bar's line is blank again before anything is printed */
    if (!a->quiet)
        print_summary(env, shown, &ig, a->dataset, seen_before ? seen : NULL, a->dry_run);
    print_split_warnings(env, shown, &ig);
    ingest_release(&ig);
    input_release(&in);
    return 0;
fail:
    progress_end(&pg);
    if (in_tx)
        db_rollback(db);
    cmd_print_err(env, shown, &err);
    ingest_release(&ig);
    input_release(&in);
    return -1;
}

static int bad_value(struct cmd_env *env, const char *value, const char *option,
                     const char *expected)
{
    return cmd_usage_error(env, "import", "invalid value '%s' for %s (expected %s)", value, option,
                           expected);
}

/* One option of import into a; returns 0, or the exit status to end with. */
static int parse_option(struct cmd_env *env, int id, const char *v, struct import_args *a)
{
    int32_t day;

    switch (id) {
    case O_DATASET:
        a->dataset = v;
        if (!dataset_name_ok(v))
            return bad_value(env, v, "--dataset", "a name of 1 to 64 printable characters");
        return 0;
    case O_FORMAT:
        if (format_parse(v, &a->opts.format) < 0)
            return bad_value(env, v, "--format",
                             "csv, jsonl, json, openrouter-daily, openrouter-chart, "
                             "openrouter-weekly or openrouter-models");
        return 0;
    case O_PERIOD:
        if (strcmp(v, "day") != 0 && strcmp(v, "week") != 0)
            return bad_value(env, v, "--period", "day or week");
        a->opts.period = v[0] == 'd' ? TS_DAY : TS_WEEK;
        return 0;
    case O_WEEK_LABEL:
        if (strcmp(v, "start") != 0 && strcmp(v, "end") != 0)
            return bad_value(env, v, "--week-label", "start or end");
        a->label_end = v[0] == 'e';
        return 0;
    case O_AS_OF:
        if (date_parse(v, strlen(v), &day) < 0)
            return bad_value(env, v, "--as-of", "a date, YYYY-MM-DD");
        a->as_of = v;
        return 0;
    case O_DRY_RUN:
        a->dry_run = 1;
        return 0;
    case O_QUIET:
        a->quiet = 1;
        return 0;
    default: /* O_HELP */
        fputs(usage, env->out);
        return -1;
    }
}

/* The command line into a and files[] (room for argc). Returns -1 to go
 * on, or the exit status to end with (0 after --help). */
static int parse_args(struct cmd_env *env, int argc, char **argv, struct import_args *a,
                      char **files, size_t *nfiles)
{
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    size_t stdin_count = 0;
    int id, rc;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "import", "%s", err.msg);
        if (id == 0) {
            files[(*nfiles)++] = (char *)o.value;
            stdin_count += strcmp(o.value, "-") == 0;
        } else if ((rc = parse_option(env, id, o.value, a)) != 0) {
            return rc < 0 ? TS_EXIT_OK : rc;
        }
    }
    if (*nfiles == 0)
        return cmd_usage_error(env, "import", "no file to import (expected FILE... or '-')");
    if (stdin_count > 1)
        return cmd_usage_error(env, "import", "'-' (standard input) can be given only once");
    return -1;
}

/* The database to import into. A dry run against a database that does not
 * exist yet checks against an empty one in memory rather than creating the
 * file. Returns 0, or the exit status after printing. */
static int open_db(struct cmd_env *env, const struct import_args *a, struct db **out)
{
    struct ts_err err = TS_ERR_INIT;

    if (a->dry_run) {
        char *path = cmd_db_path(env, &err);
        int missing = path && access(path, F_OK) != 0;
        free(path);
        if (!path || (missing && db_open(":memory:", out, &err) < 0)) {
            cmd_print_err(env, NULL, &err);
            return TS_EXIT_FAIL;
        }
        if (missing)
            return 0;
    }
    return cmd_open_db(env, out);
}

int cmd_import(struct cmd_env *env, int argc, char **argv)
{
    struct import_args a = {"default", IMPORT_OPTS_INIT, 0, 0, NULL, 0, NULL, 0};
    char **files = xcalloc((size_t)argc, sizeof(*files));
    size_t nfiles = 0, failed = 0;
    struct db *db = NULL;
    int rc;

    if ((rc = parse_args(env, argc, argv, &a, files, &nfiles)) < 0 &&
        (rc = open_db(env, &a, &db)) == 0) {
        /* A bar only ever goes to a terminal, and never under --quiet. */
        if (!a.quiet && isatty(fileno(env->err))) {
            a.bar = env->err;
            a.delay_ms = progress_delay_ms(getenv("TOKSTAT_PROGRESS_DELAY_MS"));
        }
        for (size_t i = 0; i < nfiles; i++) {
            if (import_one(env, db, files[i], &a) < 0)
                failed++;
        }
        if (failed > 0 && nfiles > 1)
            cmd_fail(env, "%zu of %zu files failed", failed, nfiles);
        rc = failed ? TS_EXIT_FAIL : TS_EXIT_OK;
    }
    db_close(db);
    free(files);
    return rc;
}
