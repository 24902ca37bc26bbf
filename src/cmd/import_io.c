/* import_io.c - one input into the database in one transaction, and its
 * summary line: what import does for each file and fetch for each
 * response. */
#include "cmd/import_io.h"

#include <string.h>

#include "core/week.h"
#include "db/imports.h"
#include "import/format.h"
#include "import/ingest.h"
#include "render/progress.h"

int import_dataset_name_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 64 && ts_utf8_valid(s, n);
}

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

/* The dataset of an import is opened at its first record, price or app:
 * which dataset, and what it must hold, depend on what the input is. The
 * wrapper does that, then hands everything on unchanged. */
struct opener {
    struct ts_sink inner;
    struct db *db;
    struct ingest *ig;
    const struct import_args *a;
    const char *dataset;    /* the dataset opened, or NULL */
    enum dataset_kind kind; /* what it was made to hold so far */
};

/* Opens the dataset (and starts the import) if it is not yet, and makes it
 * hold kind (DATASET_EMPTY: a catalogue price, held by no dataset). */
static int open_for(struct opener *op, enum dataset_kind kind, struct ts_err *err)
{
    if (!op->dataset) {
        const char *name = op->a->dataset         ? op->a->dataset
                           : kind == DATASET_APPS ? "apps"
                                                  : "default";
        if (db_dataset(op->db, name, 1, &op->ig->imp.dataset, err) < 0 ||
            db_import_start(op->db, &op->ig->imp, err) < 0)
            return -1;
        op->dataset = name;
    }
    if (kind != DATASET_EMPTY && op->kind != kind) {
        if (db_dataset_claim(op->db, op->ig->imp.dataset, op->dataset, kind, &op->a->apps, err) < 0)
            return -1;
        op->kind = kind;
    }
    return 0;
}

static int open_record(void *ctx, const struct ts_record *rec, struct ts_err *err)
{
    struct opener *op = ctx;

    if (open_for(op, DATASET_MODELS, err) < 0)
        return -1;
    return op->inner.record(op->inner.ctx, rec, err);
}

static int open_price(void *ctx, const struct ts_price *price, struct ts_err *err)
{
    struct opener *op = ctx;

    if (open_for(op, DATASET_EMPTY, err) < 0)
        return -1;
    return op->inner.price(op->inner.ctx, price, err);
}

static int open_app(void *ctx, const struct ts_app *app, struct ts_err *err)
{
    struct opener *op = ctx;

    if (open_for(op, DATASET_APPS, err) < 0)
        return -1;
    return op->inner.app(op->inner.ctx, app, err);
}

static void open_as_of(void *ctx, const char *as_of)
{
    struct opener *op = ctx;

    op->inner.as_of(op->inner.ctx, as_of);
}

/* Wraps sink so that the dataset is opened by what comes first. */
static void opener_wrap(struct opener *op, struct ts_sink *sink, struct db *db, struct ingest *ig,
                        const struct import_args *a)
{
    memset(op, 0, sizeof(*op));
    op->inner = *sink;
    op->db = db;
    op->ig = ig;
    op->a = a;
    sink->record = open_record;
    sink->price = open_price;
    sink->app = open_app;
    sink->as_of = open_as_of;
    sink->ctx = op;
}

static int tick_app(void *ctx, const struct ts_app *app, struct ts_err *err)
{
    struct tick_sink *t = ctx;

    return t->inner.app(t->inner.ctx, app, err);
}

static void print_summary(struct cmd_env *env, const char *file, const struct ingest *ig,
                          const char *dataset, const char *seen_when, int dry_run)
{
    const struct import_run *imp = &ig->imp;
    FILE *out = env->out;

    cmd_text(env, out, "%s: ", file);
    if (imp->rows > 0 || imp->prices == 0) {
        cmd_text(env, out, "%lld %s, %lld inserted, %lld updated, %lld unchanged, dataset %s",
                 (long long)imp->rows, ts_plural(imp->rows, "row", "rows"),
                 (long long)imp->inserted, (long long)imp->updated, (long long)imp->unchanged,
                 dataset);
        if (ig->have_period) {
            char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
            date_format(week_start(ig->first_period), a);
            date_format(week_start(ig->last_period) + 6, b);
            cmd_text(env, out, ", weeks %s..%s", a, b);
        }
        if (imp->prices > 0)
            cmd_text(env, out, ", %lld %s", (long long)imp->prices,
                     ts_plural(imp->prices, "price", "prices"));
    } else {
        char d[TS_DATE_LEN + 1];
        date_format(ig->price_day, d);
        cmd_text(env, out, "%lld %s from the model catalogue, valid from %s",
                 (long long)imp->prices, ts_plural(imp->prices, "price", "prices"), d);
    }
    if (seen_when)
        cmd_text(env, out, " (same content as the import of %s)", seen_when);
    if (dry_run)
        cmd_text(env, out, " (dry run: nothing written)");
    cmd_line(env, out, "%s", "");
}

/* One warning naming up to INGEST_SPLIT_SHOWN rows of n. */
static void warn_rows(struct cmd_env *env, const char *file, int64_t n, const char *what,
                      char *const *rows)
{
    cmd_text(env, env->err, "tokstat: warning: %s: %lld %s %s: ", file, (long long)n,
             n == 1 ? "row gives" : "rows give", what);
    for (int64_t i = 0; i < n && i < INGEST_SPLIT_SHOWN; i++)
        cmd_text(env, env->err, "%s%s", i ? ", " : "", rows[i] ? rows[i] : "?");
    if (n > INGEST_SPLIT_SHOWN)
        cmd_text(env, env->err, " and %lld more", (long long)(n - INGEST_SPLIT_SHOWN));
    cmd_line(env, env->err, "%s", "");
}

/* Warnings about the file's splits of total tokens: rows that give prompt
 * and completion as 0 (no split), rows whose total is below their sum,
 * rows whose sum is off the total. */
static void print_split_warnings(struct cmd_env *env, const char *file, const struct ingest *ig)
{
    if (ig->split_zero > 0)
        cmd_line(env, env->err,
                 "tokstat: warning: %s: %lld %s prompt and completion tokens as 0 for a "
                 "non-zero total: read as no split (cost estimates one)",
                 file, (long long)ig->split_zero, ig->split_zero == 1 ? "row gives" : "rows give");
    if (ig->split_over > 0)
        warn_rows(env, file, ig->split_over,
                  "a total below prompt + completion tokens, which a total includes (cost "
                  "takes the split's proportions of the total)",
                  ig->split_over_rows);
    if (ig->split_off > 0)
        warn_rows(env, file, ig->split_off,
                  "prompt + completion tokens more than 1 % away from the total (cost takes the "
                  "split's proportions of the total)",
                  ig->split_off_rows);
}

/* Under --force, the rows an older dump brought back. */
static void print_stale_warning(struct cmd_env *env, const char *file, const struct ingest *ig)
{
    struct ts_buf a = TS_BUF_INIT, b = TS_BUF_INIT, f = TS_BUF_INIT;

    if (ig->stale_rows == 0)
        return;
    ts_quote_for_msg(&a, ig->as_of, strlen(ig->as_of), 40);
    ts_quote_for_msg(&b, ig->stale_as_of, strlen(ig->stale_as_of), 40);
    if (ig->stale_file)
        ts_quote_for_msg(&f, ig->stale_file, strlen(ig->stale_file), 80);
    cmd_line(env, env->err,
             "tokstat: warning: %s: %lld %s brought back to the figures of this dump (as of %s), "
             "older than those of %s (as of %s) (--force)",
             file, (long long)ig->stale_rows, ig->stale_rows == 1 ? "row" : "rows", a.data,
             f.data ? f.data : "?", b.data);
    buf_release(&a);
    buf_release(&b);
    buf_release(&f);
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
    sink->app = sink->app ? tick_app : NULL;
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

int import_input(struct cmd_env *env, struct db *db, struct ts_input *in, const char *shown,
                 const struct import_args *a)
{
    struct ts_err err = TS_ERR_INIT;
    struct ingest ig;
    struct ts_sink sink;
    struct progress pg = PROGRESS_INIT;
    struct tick_sink ticker;
    struct opener opener;
    enum ts_format fmt = a->opts.format;
    char seen[32];
    int seen_before = 0, in_tx = 0;

    ingest_init(&ig, db, a->label_end, date_today());
    ig.force = a->force;
    if (a->bar) {
        progress_start(&pg, a->bar, shown, in->size, progress_term_width(fileno(a->bar)),
                       a->delay_ms, progress_now_ms());
        in->on_read = on_read;
        in->on_read_ctx = &pg;
    }
    if (import_detect(in, &fmt, &err) < 0 || db_begin(db, &err) < 0)
        goto fail;
    in_tx = 1;
    ig.imp.file = shown;
    ig.imp.format = format_name(fmt);
    ingest_sink(&ig, &sink);
    opener_wrap(&opener, &sink, db, &ig, a);
    if (a->bar)
        tick_wrap(&ticker, &sink, &pg, in);
    if (a->as_of) {
        sink.as_of(sink.ctx, a->as_of);
        ig.as_of_fixed = 1; /* the user's word over the file's */
    }
    if (import_read(in, &fmt, &a->opts, &sink, &err) < 0)
        goto fail;
    ig.imp.format = format_name(fmt);
    if ((seen_before = finish_file(db, in, &ig, seen, &err)) < 0)
        goto fail;
    in_tx = 0;
    if (a->dry_run)
        db_rollback(db);
    else if (db_commit(db, &err) < 0)
        goto fail;
    progress_end(&pg); /* the bar's line is blank again before anything is printed */
    if (!a->quiet)
        print_summary(env, shown, &ig, opener.dataset, seen_before ? seen : NULL, a->dry_run);
    print_split_warnings(env, shown, &ig);
    print_stale_warning(env, shown, &ig);
    ingest_release(&ig);
    return 0;
fail:
    progress_end(&pg);
    if (in_tx)
        db_rollback(db);
    cmd_print_err(env, shown, &err);
    ingest_release(&ig);
    return -1;
}
