/* report_opts.c - the shared options of the report commands. */
#include "cmd/report_opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "render/output.h"
#include "core/util.h"
#include "core/week.h"

enum {
    O_DATASET = 1,
    O_WEEK,
    O_FROM,
    O_TO,
    O_LAST,
    O_OTHER,
    O_FORMAT,
    O_OUTPUT,
    O_EXACT,
    O_NO_COLOR,
    O_HELP,
};

static const struct opt_spec shared[] = {
    {"dataset", 0, 1, O_DATASET}, {"week", 0, 1, O_WEEK},
    {"from", 0, 1, O_FROM},       {"to", 0, 1, O_TO},
    {"last", 0, 1, O_LAST},       {"other", 0, 1, O_OTHER},
    {"format", 0, 1, O_FORMAT},   {"output", 'o', 1, O_OUTPUT},
    {"exact", 0, 0, O_EXACT},     {"no-color", 0, 0, O_NO_COLOR},
    {"help", 'h', 0, O_HELP},
};

#define NSHARED (sizeof(shared) / sizeof(shared[0]))
#define MAX_OWN 8

const char report_opts_usage[] =
    "Range (default: see above):\n"
    "  --week DATE          the week containing DATE (YYYY-MM-DD)\n"
    "  --from DATE --to DATE  the weeks containing DATE to DATE, inclusive\n"
    "  --last N             the N most recent weeks with data\n"
    "Options:\n"
    "  --dataset NAME       read this dataset (default: default)\n"
    "  --other include|exclude  count the other bucket in each week's total\n"
    "                       (include, the default) or leave it out\n"
    "  --format F           table (default), csv, json or markdown\n"
    "  -o, --output FILE    write to FILE (atomically) instead of standard output\n"
    "  --exact              token counts as integers in tables\n"
    "  --no-color           no colour, even on a terminal (so does NO_COLOR)\n"
    "  --help               show this help\n";

static int parse_week_date(struct cli *c, const char *cmd, const char *opt, const char *v,
                           int32_t *out)
{
    int32_t day;

    if (date_parse(v, strlen(v), &day) < 0 || strlen(v) != TS_DATE_LEN)
        return cli_usage_error(c, cmd, "invalid value '%s' for %s (expected a date, YYYY-MM-DD)", v,
                               opt);
    *out = week_start(day);
    return 0;
}

int report_parse_by(struct cli *c, const char *cmd, const char *value, int allow_country,
                    enum group_by *out)
{
    if (group_by_parse(value, out) == 0 && (allow_country || *out != BY_COUNTRY))
        return 0;
    return cli_usage_error(c, cmd, "invalid value '%s' for --by (expected %s)", value,
                           allow_country ? "country, vendor or model" : "model or vendor");
}

/* Non-zero when the command's own options include one called name (of
 * length len). */
static int own_has(const struct opt_spec *own, const char *name, size_t len)
{
    for (size_t i = 0; own && own[i].name && i < MAX_OWN; i++) {
        if (strlen(own[i].name) == len && strncmp(own[i].name, name, len) == 0)
            return 1;
    }
    return 0;
}

/* Prints report_opts_usage less the options that the command's own replace:
 * a line "  [-x, ]--NAME ..." and the further-indented lines that go on
 * with it. */
static void put_shared_usage(FILE *out, const struct opt_spec *own)
{
    const char *p = report_opts_usage;
    int skipping = 0;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        const char *opt = p + 2;

        if (strncmp(p, "   ", 3) != 0) { /* not a continuation line */
            skipping = 0;
            if (strncmp(p, "  -", 3) == 0) {
                if (opt[1] != '-' && strncmp(opt + 2, ", ", 2) == 0)
                    opt += 4; /* "-o, --output" */
                if (strncmp(opt, "--", 2) == 0)
                    skipping = own_has(own, opt + 2, strcspn(opt + 2, " =\n"));
            }
        }
        if (!skipping)
            fwrite(p, 1, len, out);
        p += len;
    }
}

int report_opts_parse(struct cli *c, const char *cmd, const char *usage, int argc, char **argv,
                      const struct opt_spec *own,
                      int (*on_own)(void *ctx, int id, const char *value), void *ctx,
                      struct report_opts *out)
{
    struct opt_spec specs[NSHARED + MAX_OWN + 1];
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    size_t n = 0;
    int id, rc;

    memset(out, 0, sizeof(*out));
    out->dataset = "default";
    out->format = RENDER_TABLE;
    /* A command's own options come first, so that one of them replaces the
     * shared option of the same name (chart's --format takes svg). */
    for (size_t i = 0; own && own[i].name && i < MAX_OWN; i++)
        specs[n++] = own[i];
    for (size_t i = 0; i < NSHARED; i++)
        specs[n++] = shared[i];
    specs[n] = (struct opt_spec){NULL, 0, 0, 0};

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        switch (id) {
        case -2:
            return cli_usage_error(c, cmd, "%s", err.msg);
        case 0:
            return cli_usage_error(c, cmd, "unexpected argument '%s'", o.value);
        case O_DATASET:
            if (o.value[0] == '\0')
                return cli_usage_error(c, cmd, "--dataset needs a name");
            out->dataset = o.value;
            break;
        case O_WEEK:
            if (out->range == RANGE_SPAN || out->range == RANGE_LAST)
                goto conflict;
            if ((rc = parse_week_date(c, cmd, "--week", o.value, &out->week)) != 0)
                return rc;
            out->range = RANGE_WEEK;
            break;
        case O_FROM:
        case O_TO:
            if (out->range == RANGE_WEEK || out->range == RANGE_LAST)
                goto conflict;
            if ((rc = parse_week_date(c, cmd, o.name, o.value,
                                      id == O_FROM ? &out->from : &out->to)) != 0)
                return rc;
            *(id == O_FROM ? &out->has_from : &out->has_to) = 1;
            out->range = RANGE_SPAN;
            break;
        case O_LAST: {
            char *end;
            errno = 0;
            long v = strtol(o.value, &end, 10);
            if (end == o.value || *end != '\0' || errno || v < 1 || v > 10000)
                return cli_usage_error(c, cmd,
                                       "invalid value '%s' for --last (expected a number of weeks "
                                       "from 1 to 10000)",
                                       o.value);
            if (out->range == RANGE_WEEK || out->range == RANGE_SPAN)
                goto conflict;
            out->last = v;
            out->range = RANGE_LAST;
            break;
        }
        case O_OTHER:
            out->other_given = 1;
            if (strcmp(o.value, "include") == 0)
                out->other_exclude = 0;
            else if (strcmp(o.value, "exclude") == 0)
                out->other_exclude = 1;
            else
                return cli_usage_error(
                    c, cmd, "invalid value '%s' for --other (expected include or exclude)",
                    o.value);
            break;
        case O_FORMAT:
            if (render_format_parse(o.value, &out->format) < 0)
                return cli_usage_error(c, cmd,
                                       "invalid value '%s' for --format (expected table, csv, json "
                                       "or markdown)",
                                       o.value);
            break;
        case O_OUTPUT:
            if (o.value[0] == '\0')
                return cli_usage_error(c, cmd, "--output needs a file name");
            out->output = o.value;
            break;
        case O_EXACT:
            out->exact = 1;
            break;
        case O_NO_COLOR:
            out->no_color = 1;
            break;
        case O_HELP:
            fputs(usage, c->out);
            put_shared_usage(c->out, own);
            return TS_EXIT_OK;
        default:
            if ((rc = on_own(ctx, id, o.value)) != 0)
                return rc;
            break;
        }
    }
    if (out->range == RANGE_SPAN && out->has_from && out->has_to && out->from > out->to) {
        char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
        date_format(out->from, a);
        date_format(out->to, b);
        return cli_usage_error(c, cmd, "--from week %s is after --to week %s", a, b);
    }
    return -1;
conflict:
    return cli_usage_error(
        c, cmd, "--week, --from/--to and --last each choose the weeks; give one of them");
}

int report_range(const struct report_opts *o, const struct week_days *weeks, size_t nweeks,
                 long default_last, int32_t *from, int32_t *to)
{
    long last = o->range == RANGE_LAST ? o->last : default_last;

    switch (o->range) {
    case RANGE_WEEK:
        *from = *to = o->week;
        return 0;
    case RANGE_SPAN:
        if (nweeks == 0 && (!o->has_from || !o->has_to))
            return 1;
        *from = o->has_from ? o->from : weeks[0].week;
        *to = o->has_to ? o->to : weeks[nweeks - 1].week;
        if (*from > *to)
            return 1;
        return 0;
    case RANGE_DEFAULT:
    case RANGE_LAST:
        break;
    }
    if (nweeks == 0)
        return 1;
    *to = weeks[nweeks - 1].week;
    *from = weeks[(size_t)last >= nweeks ? 0 : nweeks - (size_t)last].week;
    return 0;
}

void report_render_opts(const struct report_opts *o, FILE *out, struct render_opts *ro)
{
    const char *nc = getenv("NO_COLOR");
    int tty = !o->output && isatty(fileno(out));

    memset(ro, 0, sizeof(*ro));
    ro->format = o->format;
    ro->exact = o->exact;
    ro->color = tty && !o->no_color && !(nc && *nc) && o->format == RENDER_TABLE;
    /* COLUMNS, when set, is the width of the output, as for ls; else the
     * terminal's width; else no limit. */
    const char *cols = getenv("COLUMNS");
    char *end;
    long w = cols && *cols ? strtol(cols, &end, 10) : 0;
    if (w > 0 && w < 10000 && *end == '\0') {
        ro->width = (int)w;
    } else if (tty) {
        struct winsize ws;
        if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
            ro->width = ws.ws_col;
    }
}

int report_days(const struct report_input *in, int32_t week)
{
    for (size_t i = 0; i < in->nweeks; i++) {
        if (in->weeks[i].week == week)
            return in->weeks[i].days;
    }
    return 0;
}

int report_from_series(const struct report_input *in,
                       int (*build)(const struct series *s, const struct reports_spec *spec,
                                    struct reports *out),
                       struct reports *out, struct ts_err *err)
{
    struct series s = SERIES_INIT;
    int rc;

    if (db_series(in->st, in->dataset, in->spec->by, in->from - 7, in->to, &s, err) < 0)
        return -1;
    rc = build(&s, in->spec, out);
    series_release(&s);
    return rc;
}

int report_run(struct cli *c, const struct report_opts *o, const struct reports_spec *spec,
               const struct report_job *job, void *ctx)
{
    struct ts_err err = TS_ERR_INIT;
    struct db *st = NULL;
    struct week_days *weeks = NULL;
    struct output out = OUTPUT_INIT;
    struct render_opts ro;
    struct reports_spec in_spec = *spec;
    struct ts_buf warn = TS_BUF_INIT;
    char **unmapped = NULL, *source = NULL;
    const char *const *warnings = NULL;
    size_t nweeks = 0, nunmapped = 0, nwarnings;
    int64_t dataset;
    int32_t from, to;
    int rc, found;

    in_spec.other_exclude = o->other_exclude;
    in_spec.dataset = o->dataset;
    if ((rc = cli_open_store(c, &st)) != 0)
        return rc;
    rc = TS_EXIT_FAIL;
    /* One snapshot for every query of the report, however imports run. */
    if (db_begin_read(st, &err) < 0)
        goto fail;
    found = db_dataset(st, o->dataset, 0, &dataset, &err);
    if (found < 0)
        goto fail;
    if (found == 0) {
        cli_fail(c, "no dataset '%s' (run 'tokstat status' to see the datasets)", o->dataset);
        goto done;
    }
    if (db_weeks(st, dataset, &weeks, &nweeks, &err) < 0)
        goto fail;
    if (report_range(o, weeks, nweeks, job->default_last, &from, &to) != 0) {
        /* Nothing to report: an empty result for the week asked about. */
        from = to = o->range == RANGE_WEEK ? o->week
                    : o->has_from          ? o->from
                    : o->has_to            ? o->to
                                           : week_start(date_today());
    }
    struct report_input in = {st, dataset, from, to, &in_spec, weeks, nweeks};
    if (job->build(ctx, &in, &err) < 0 ||
        db_unmapped_vendors(st, dataset, from, to, &unmapped, &nunmapped, &err) < 0 ||
        db_source(st, dataset, &source, &err) < 0)
        goto fail;
    if (nunmapped > 0) {
        buf_adds(&warn, "no country for vendor");
        buf_adds(&warn, nunmapped == 1 ? " " : "s ");
        for (size_t i = 0; i < nunmapped; i++)
            buf_printf(&warn, "%s%s", i ? ", " : "", unmapped[i]);
        buf_adds(&warn, " (counted as unknown; map with 'tokstat vendors set VENDOR COUNTRY')");
        job->warn(ctx, warn.data);
    }
    nwarnings = job->warnings(ctx, &warnings);
    for (size_t i = 0; i < nwarnings; i++)
        fprintf(c->err, "tokstat: warning: %s\n", warnings[i]);
    if (!job->has_data(ctx)) {
        char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
        date_format(from, a);
        date_format(to, b);
        if (nweeks == 0)
            fprintf(c->err, "tokstat: note: dataset '%s' has no data yet\n", o->dataset);
        else if (from == to)
            fprintf(c->err, "tokstat: note: no data for the week of %s in dataset '%s'\n", a,
                    o->dataset);
        else
            fprintf(c->err, "tokstat: note: no data for the weeks %s to %s in dataset '%s'\n", a, b,
                    o->dataset);
    }
    if (output_open(&out, o->output, c->out, &err) < 0)
        goto fail;
    report_render_opts(o, out.fp, &ro);
    job->write(ctx, &in, &ro, source, out.fp);
    if (output_commit(&out, &err) < 0)
        goto fail;
    rc = TS_EXIT_OK;
    goto done;
fail:
    cli_print_err(c, NULL, &err);
    rc = TS_EXIT_FAIL;
done:
    if (st)
        db_rollback(st); /* ends the read transaction */
    output_release(&out);
    buf_release(&warn);
    for (size_t i = 0; i < nunmapped; i++)
        free(unmapped[i]);
    free(unmapped);
    free(source);
    free(weeks);
    db_close(st);
    return rc;
}

/* The report_job of the report commands: the result is a struct reports,
 * whose warnings go into the document in JSON. */
struct reports_job {
    report_build_fn build;
    int json;
    struct reports r;
};

static int reports_job_build(void *ctx, const struct report_input *in, struct ts_err *err)
{
    struct reports_job *x = ctx;
    return x->build(in, &x->r, err);
}

static void reports_job_warn(void *ctx, const char *msg)
{
    struct reports_job *x = ctx;
    reports_warn(&x->r, "%s", msg);
}

static size_t reports_job_warnings(void *ctx, const char *const **out)
{
    struct reports_job *x = ctx;

    if (x->json)
        return 0;
    *out = (const char *const *)x->r.warnings;
    return x->r.nwarnings;
}

static int reports_job_has_data(void *ctx)
{
    struct reports_job *x = ctx;
    return x->r.nrows_data != 0;
}

static void reports_job_write(void *ctx, const struct report_input *in,
                              const struct render_opts *ro, const char *source, FILE *out)
{
    struct reports_job *x = ctx;

    (void)in;
    x->r.rep.warnings = (const char *const *)x->r.warnings;
    x->r.rep.nwarnings = x->r.nwarnings;
    x->r.rep.source = source;
    render_report(&x->r.rep, ro, out);
}

struct cmd_ctx {
    const struct report_cmd *cmd;
    struct cli *c;
    struct reports_spec spec;
};

static int cmd_on_own(void *p, int id, const char *value)
{
    struct cmd_ctx *x = p;

    if (id == REPORT_OPT_OWN)
        return report_parse_by(x->c, x->cmd->name, value, x->cmd->by == REPORT_BY_ANY, &x->spec.by);
    return x->cmd->on_own(x->c, &x->spec, id, value);
}

int report_cmd_main(const struct report_cmd *cmd, struct cli *c, int argc, char **argv)
{
    struct opt_spec own[MAX_OWN];
    struct cmd_ctx x = {cmd, c, cmd->defaults};
    struct report_opts o;
    size_t n = 0;

    own[n++] = (struct opt_spec){"by", 0, 1, REPORT_OPT_OWN};
    for (size_t i = 0; cmd->own && cmd->own[i].name && n + 1 < MAX_OWN; i++)
        own[n++] = cmd->own[i];
    own[n] = (struct opt_spec){NULL, 0, 0, 0};
    int rc = report_opts_parse(c, cmd->name, cmd->usage, argc, argv, own, cmd_on_own, &x, &o);
    if (rc >= 0)
        return rc;
    if (o.other_given && !cmd->other_applies)
        return cli_usage_error(c, cmd->name,
                               "--other does not apply to %s (the other bucket has no price)",
                               cmd->name);
    struct report_job job = {cmd->default_last,    reports_job_build,    reports_job_warn,
                             reports_job_warnings, reports_job_has_data, reports_job_write};
    struct reports_job rj;
    memset(&rj, 0, sizeof(rj));
    rj.build = cmd->build;
    rj.json = o.format == RENDER_JSON;
    rc = report_run(c, &o, &x.spec, &job, &rj);
    reports_release(&rj.r);
    return rc;
}
