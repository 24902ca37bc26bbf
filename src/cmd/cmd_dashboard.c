/* cmd_dashboard.c - tokstat dashboard: the week's reports as one
 * self-contained HTML page, for a cron job to publish. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "core/opts.h"
#include "core/week.h"
#include "db/price_history.h"
#include "db/query.h"
#include "render/chart.h"
#include "render/output.h"
#include "render/page.h"
#include "report/report.h"

static const char usage[] =
    "usage: tokstat dashboard [--dataset NAME] [--weeks N] [--to DATE] [--vs MODEL] [-n N]\n"
    "                         --output FILE\n"
    "\n"
    "One self-contained HTML page of the weeks up to the latest complete one:\n"
    "each country's share of each week's tokens as stacked bars, growth by\n"
    "country, the top N models with CR-N and the HHI's bounds of every week,\n"
    "prices against a reference model, what each week covers (days, full or\n"
    "listed, partial or gap) and the source line. Inline CSS and SVG, no\n"
    "script, nothing loaded from anywhere; for light and dark mode, phones and\n"
    "desktops. The same data gives the same file, byte for byte.\n"
    "\n"
    "Options:\n"
    "  --dataset NAME       read this dataset (default: default)\n"
    "  --weeks N            how many weeks with data to show, up to the latest\n"
    "                       complete one (default 8; 1 to 520)\n"
    "  --to DATE            end with the week containing DATE (YYYY-MM-DD): the N\n"
    "                       calendar weeks up to it\n"
    "  --partial            the weeks may end in a partial latest week (compared\n"
    "                       like for like: the same weekdays of the week before)\n"
    "  --vs MODEL           the reference model of the prices (default: the dearest\n"
    "                       model with at least 1 % of the last week's tokens);\n"
    "                       without prices that week, the page has no prices\n"
    "  -n, --top N          how many models the top list shows (default 5)\n"
    "  -o, --output FILE    write the page to FILE, atomically ('-': standard\n"
    "                       output)\n"
    "  --help               show this help\n";

enum { O_DATASET = 1, O_WEEKS, O_TO, O_PARTIAL, O_VS, O_TOP, O_OUTPUT, O_HELP };

static const struct opt_spec specs[] = {
    {"dataset", 0, 1, O_DATASET}, {"weeks", 0, 1, O_WEEKS}, {"to", 0, 1, O_TO},
    {"partial", 0, 0, O_PARTIAL}, {"vs", 0, 1, O_VS},       {"top", 'n', 1, O_TOP},
    {"output", 'o', 1, O_OUTPUT}, {"help", 'h', 0, O_HELP}, {NULL, 0, 0, 0},
};

/* A whole number from lo to hi, or a usage error naming the option. */
static int parse_number(struct cmd_env *env, const struct opts *o, long lo, long hi, long *out)
{
    char *end;

    errno = 0;
    long n = strtol(o->value, &end, 10);
    if (end == o->value || *end != '\0' || errno || n < lo || n > hi)
        return cmd_usage_error(env, "dashboard",
                               "invalid value '%s' for %s (expected a number from %ld to %ld)",
                               o->value, o->name, lo, hi);
    *out = n;
    return 0;
}

/* One option into a (weeks: *weeks). Returns 0, or the exit status to end with. */
static int parse_one(struct cmd_env *env, const struct opts *o, int id, struct report_args *a,
                     long *weeks)
{
    const char *v = o->value;
    int32_t day;
    long n = 0;

    switch (id) {
    case O_DATASET:
    case O_VS:
    case O_OUTPUT:
        if (v[0] == '\0')
            return cmd_usage_error(env, "dashboard", "%s needs a value", o->name);
        if (id == O_DATASET)
            a->req.dataset = v;
        else if (id == O_VS)
            a->req.vs = v;
        else
            a->output = v;
        return 0;
    case O_WEEKS:
        return parse_number(env, o, 1, 520, weeks);
    case O_TOP:
        if (parse_number(env, o, 1, 100, &n) != 0)
            return TS_EXIT_USAGE;
        a->req.top_n = (size_t)n;
        return 0;
    case O_TO:
        if (strlen(v) != TS_DATE_LEN || date_parse(v, strlen(v), &day) < 0)
            return cmd_usage_error(env, "dashboard",
                                   "invalid value '%s' for %s (expected a date, YYYY-MM-DD)", v,
                                   o->name);
        a->range.kind = RANGE_SPAN;
        a->range.has_to = 1;
        a->range.to = week_start(day);
        return 0;
    case O_PARTIAL:
        a->range.partial = 1;
        return 0;
    default: /* O_HELP */
        fputs(usage, env->out);
        return -1;
    }
}

/* The command line into a and *weeks. Returns -1 to go on, or the exit
 * status to end with (0 after --help). */
/* What the dataset checks shared with the reports need to know of the
 * dashboard: it reads model usage, by country. */
static const struct report_syntax syntax = {
    .name = "dashboard", .usage = usage, .own = specs, .by_default = BY_COUNTRY};

static int parse_args(struct cmd_env *env, int argc, char **argv, struct report_args *a,
                      long *weeks)
{
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    int id, rc;

    memset(a, 0, sizeof(*a));
    a->syn = &syntax;
    a->req.dataset = "default";
    a->req.top_n = 5;
    a->req.by = BY_COUNTRY;
    a->req.prompt_share = -1;
    *weeks = 8;
    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "dashboard", "%s", err.msg);
        if (id == 0)
            return cmd_usage_error(env, "dashboard", "unexpected argument '%s'", o.value);
        if ((rc = parse_one(env, &o, id, a, weeks)) != 0)
            return rc < 0 ? TS_EXIT_OK : rc;
    }
    if (!a->output)
        return cmd_usage_error(env, "dashboard",
                               "--output FILE is needed (the page's file; '-' for standard "
                               "output)");
    if (a->range.kind == RANGE_SPAN) { /* the N calendar weeks up to --to */
        a->range.has_from = 1;
        a->range.from = a->range.to - (int32_t)(7 * (*weeks - 1));
    }
    return -1;
}

/* What the page is built from, read in the view's one snapshot. */
struct dash_data {
    struct series bars, country, models;
    struct price_book book;
    struct usage_row *use;
    size_t nuse;
    struct priced_usage priced;
};

#define DASH_DATA_INIT                                                                             \
    {                                                                                              \
        SERIES_INIT, SERIES_INIT, SERIES_INIT, PRICE_BOOK_INIT, NULL, 0,                           \
        {                                                                                          \
            NULL, 0, NULL, NULL, 0, 0, 0, 0, 0, NULL, 0                                            \
        }                                                                                          \
    }

static void dash_data_release(struct dash_data *d)
{
    series_release(&d->bars);
    series_release(&d->country);
    series_release(&d->models);
    price_book_release(&d->book);
    usage_rows_release(d->use, d->nuse);
}

/* Reads the weeks shown by country (and from the week before, by country
 * and by model), every price, and the usage of the last week with data. */
static int read_data(const struct dataset_view *v, struct dash_data *d, struct ts_err *err)
{
    int32_t last = v->to;

    /* The prices are those of the last week with data in the range. */
    for (size_t i = 0; i < v->nweeks; i++) {
        if (v->weeks[i].week >= v->from && v->weeks[i].week <= v->to)
            last = v->weeks[i].week;
    }
    if (db_series(v->db, v->id, BY_COUNTRY, v->from, v->to, &d->bars, err) < 0 ||
        db_series(v->db, v->id, BY_COUNTRY, v->from - 7, v->to, &d->country, err) < 0 ||
        db_series(v->db, v->id, BY_MODEL, v->from - 7, v->to, &d->models, err) < 0 ||
        db_price_book(v->db, v->id, &d->book, err) < 0 ||
        db_usage(v->db, v->id, last, last, &d->use, &d->nuse, err) < 0)
        return -1;
    d->priced = (struct priced_usage){d->use, d->nuse, &d->book, v->weeks, v->nweeks, last,
                                      last,   0,       0,        NULL,     0};
    return 0;
}

/* The notes the page ends with: the builders' warnings and the vendors
 * without a country; each on standard error too. The source line. */
static int finish(struct cmd_env *env, const struct dataset_view *v, struct page *p,
                  struct ts_err *err)
{
    char *warn = NULL, *source = NULL;

    if (report_unmapped_warning(v, &warn, err) < 0 || db_source(v->db, v->id, &source, err) < 0) {
        free(warn);
        return -1;
    }
    if (warn)
        page_note(p, warn);
    page_add_source(p, source);
    for (size_t i = 0; i < p->nnotes; i++)
        fprintf(env->err, "tokstat: warning: %s\n", p->notes[i]);
    free(warn);
    free(source);
    return 0;
}

/* Writes the page to --output ('-': standard output), atomically. */
static int write_page(struct cmd_env *env, const char *path, const struct page *p)
{
    struct ts_err err = TS_ERR_INIT;
    struct output out = OUTPUT_INIT;
    int rc = TS_EXIT_OK;

    if (output_open(&out, strcmp(path, "-") == 0 ? NULL : path, env->out, &err) < 0 ||
        (render_page_html(p, out.fp), output_commit(&out, &err) < 0)) {
        cmd_print_err(env, NULL, &err);
        rc = TS_EXIT_FAIL;
    }
    output_release(&out);
    return rc;
}

int cmd_dashboard(struct cmd_env *env, int argc, char **argv)
{
    struct report_args a;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct dash_data d = DASH_DATA_INIT;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    long weeks;
    int rc;

    if ((rc = parse_args(env, argc, argv, &a, &weeks)) >= 0)
        return rc;
    if ((rc = dataset_view_open(env, &a, weeks, &v)) != 0)
        goto done;
    if (read_data(&v, &d, &err) < 0) {
        rc = report_db_error(env, &err);
        goto done;
    }
    struct dash_input in = {&d.bars,
                            &d.country,
                            &d.models,
                            &d.priced,
                            v.notes.skipped,
                            v.notes.skipped_days,
                            v.notes.clipped_start,
                            v.notes.clipped_end,
                            v.notes.outside,
                            v.notes.first,
                            v.notes.last,
                            NULL};
    if (build_dashboard(&in, &a.req, &p, &err) < 0 || finish(env, &v, &p, &err) < 0) {
        rc = report_db_error(env, &err);
        goto done;
    }
    if ((!p.chart || !p.chart->has_data) && !v.notes.outside)
        report_note_empty(env, &v, a.req.dataset);
    rc = write_page(env, a.output, &p);
done:
    page_release(&p);
    dash_data_release(&d);
    dataset_view_close(&v);
    return rc;
}
