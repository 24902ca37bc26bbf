/* cmd_dashboard.c - tokstat dashboard: the week's reports as one
 * self-contained HTML page, for a cron job to publish. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "cmd/report_period.h"
#include "core/opts.h"
#include "core/week.h"
#include "db/apps.h"
#include "db/price_history.h"
#include "db/query.h"
#include "render/chart.h"
#include "render/output.h"
#include "render/page.h"
#include "report/report.h"

static const char usage[] =
    "usage: tokstat dashboard [--dataset NAME] [--apps NAME] [--weeks N] [--to DATE]\n"
    "                         [--vs MODEL] [-n N] --output FILE\n"
    "\n"
    "One self-contained HTML page of the weeks up to the latest complete one:\n"
    "each country's share of each week's tokens as stacked bars, growth by\n"
    "country, the top N models with CR-N and the HHI's bounds of every week,\n"
    "the top N apps of the latest week when there are app rankings, prices\n"
    "against a reference model, what each week covers (days, full or listed,\n"
    "partial or gap) and the source lines. Inline CSS and SVG, no script,\n"
    "nothing loaded from anywhere; for light and dark mode, phones and\n"
    "desktops. The same data gives the same file, byte for byte.\n"
    "\n"
    "Options:\n"
    "  --dataset NAME       read this dataset of model usage (default: default);\n"
    "                       the page's weeks are its weeks\n"
    "  --apps NAME          show the top N apps of this dataset of app rankings,\n"
    "                       of the page's latest week (or the apps' latest week\n"
    "                       before it); the weeks stay --dataset's. Default: the\n"
    "                       database's only dataset of app rankings (none when it\n"
    "                       has several: a note names them)\n"
    "  --weeks N            how many weeks with data to show, up to the latest\n"
    "                       complete one (default 8; 1 to 520)\n"
    "  --to DATE            end with the week containing DATE (YYYY-MM-DD): the N\n"
    "                       calendar weeks up to it\n"
    "  --partial            the weeks may end in a partial latest week (compared\n"
    "                       like for like: the same weekdays of the week before)\n"
    "  --vs MODEL           the reference model of the prices (default: the dearest\n"
    "                       model with at least 1 % of the last week's tokens);\n"
    "                       without prices that week, the page has no prices\n"
    "  -n, --top N          how many models, and apps, the top lists show\n"
    "                       (default 5)\n"
    "  -o, --output FILE    write the page to FILE, atomically ('-': standard\n"
    "                       output)\n"
    "  --help               show this help\n";

enum { O_DATASET = 1, O_APPS, O_WEEKS, O_TO, O_PARTIAL, O_VS, O_TOP, O_OUTPUT, O_HELP };

static const struct opt_spec specs[] = {
    {"dataset", 0, 1, O_DATASET}, {"apps", 0, 1, O_APPS},
    {"weeks", 0, 1, O_WEEKS},     {"to", 0, 1, O_TO},
    {"partial", 0, 0, O_PARTIAL}, {"vs", 0, 1, O_VS},
    {"top", 'n', 1, O_TOP},       {"output", 'o', 1, O_OUTPUT},
    {"help", 'h', 0, O_HELP},     {NULL, 0, 0, 0},
};

/* The command line: the report's part, and the dashboard's own. */
struct dash_args {
    struct report_args a;
    long weeks;       /* --weeks */
    const char *apps; /* --apps, or NULL: the database's one dataset of app rankings */
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

/* One option into da. Returns 0, or the exit status to end with. */
static int parse_one(struct cmd_env *env, const struct opts *o, int id, struct dash_args *da)
{
    struct report_args *a = &da->a;
    const char *v = o->value;
    int32_t day;
    long n = 0;

    switch (id) {
    case O_DATASET:
    case O_APPS:
    case O_VS:
    case O_OUTPUT:
        if (v[0] == '\0')
            return cmd_usage_error(env, "dashboard", "%s needs a value", o->name);
        if (id == O_DATASET)
            a->req.dataset = v;
        else if (id == O_APPS)
            da->apps = v;
        else if (id == O_VS)
            a->req.vs = v;
        else
            a->output = v;
        return 0;
    case O_WEEKS:
        return parse_number(env, o, 1, 520, &da->weeks);
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

/* What the dataset checks shared with the reports need to know of the
 * dashboard: it reads model usage, by country, and shows apps through
 * --apps. */
static const struct report_syntax syntax = {
    .name = "dashboard",
    .usage = usage,
    .own = specs,
    .by_default = BY_COUNTRY,
    .apps_hint = "--apps NAME shows a dataset of app rankings on the page"};

/* The command line into da. Returns -1 to go on, or the exit status to
 * end with (0 after --help). */
static int parse_args(struct cmd_env *env, int argc, char **argv, struct dash_args *da)
{
    struct report_args *a = &da->a;
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    int id, rc;

    memset(da, 0, sizeof(*da));
    a->syn = &syntax;
    a->req.dataset = "default";
    a->req.top_n = 5;
    a->req.by = BY_COUNTRY;
    a->req.prompt_share = -1;
    da->weeks = 8;
    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "dashboard", "%s", err.msg);
        if (id == 0)
            return cmd_usage_error(env, "dashboard", "unexpected argument '%s'", o.value);
        if ((rc = parse_one(env, &o, id, da)) != 0)
            return rc < 0 ? TS_EXIT_OK : rc;
    }
    if (!a->output)
        return cmd_usage_error(env, "dashboard",
                               "--output FILE is needed (the page's file; '-' for standard "
                               "output)");
    if (a->range.kind == RANGE_SPAN) { /* the N calendar weeks up to --to */
        a->range.has_from = 1;
        a->range.from = a->range.to - (int32_t)(7 * (da->weeks - 1));
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
    int32_t last; /* the last week with data of the weeks shown (else the last shown) */
    /* The dataset of app rankings shown (apps_name NULL: none): its name,
     * and as the page shows them (escaped) its name, list and source. */
    char *apps_name, *apps_shown, *apps_list, *apps_source;
    char *apps_note; /* why the page shows no apps, when several datasets hold them */
    struct series apps_series;
    struct dash_apps apps;
};

#define DASH_DATA_INIT                                                                             \
    {                                                                                              \
        .bars = SERIES_INIT, .country = SERIES_INIT, .models = SERIES_INIT,                        \
        .book = PRICE_BOOK_INIT, .apps_series = SERIES_INIT                                        \
    }

static void dash_data_release(struct dash_data *d)
{
    series_release(&d->bars);
    series_release(&d->country);
    series_release(&d->models);
    price_book_release(&d->book);
    usage_rows_release(d->use, d->nuse);
    series_release(&d->apps_series);
    free(d->apps_name);
    free(d->apps_shown);
    free(d->apps_list);
    free(d->apps_source);
    free(d->apps_note);
}

/* Reads the weeks shown by country (and from the week before, by country
 * and by model), every price, and the usage of the last week with data. */
static int read_data(const struct dataset_view *v, struct dash_data *d, struct ts_err *err)
{
    int32_t last = v->to;

    /* The prices (and apps) are those of the last week with data in the range. */
    for (size_t i = 0; i < v->nweeks; i++) {
        if (v->weeks[i].week >= v->from && v->weeks[i].week <= v->to)
            last = v->weeks[i].week;
    }
    d->last = last;
    if (db_series(v->db, v->id, BY_COUNTRY, v->from, v->to, &d->bars, err) < 0 ||
        db_series(v->db, v->id, BY_COUNTRY, v->from - 7, v->to, &d->country, err) < 0 ||
        db_series(v->db, v->id, BY_MODEL, v->from - 7, v->to, &d->models, err) < 0 ||
        db_price_book(v->db, v->id, &d->book, err) < 0 ||
        db_usage(v->db, v->id, last, last, &d->use, &d->nuse, err) < 0)
        return -1;
    d->priced = view_priced(v, d->use, d->nuse, &d->book);
    d->priced.from = d->priced.to = last;
    return 0;
}

/* What a dataset holds, for messages. */
static const char *kind_words(enum dataset_kind kind)
{
    return kind == DATASET_MODELS ? "model usage"
           : kind == DATASET_APPS ? "app rankings"
                                  : "no data";
}

/* The dataset of app rankings the page shows, into *id and d->apps_name:
 * --apps NAME (asked), which must be one; else the database's one such
 * dataset; with none, or several (d->apps_note names them), no apps (*id 0).
 * Returns 0, or the exit status after printing why not. */
static int apps_dataset(struct cmd_env *env, const struct dataset_view *v, const char *asked,
                        int64_t *id, struct dash_data *d)
{
    struct ts_err err = TS_ERR_INIT;
    enum dataset_kind kind = DATASET_EMPTY;
    struct ts_buf list = TS_BUF_INIT;
    char **names;
    size_t n;
    int found;

    *id = 0;
    if (asked) {
        if ((found = db_dataset(v->db, asked, 0, id, &err)) < 0 ||
            (found && db_dataset_kind(v->db, *id, &kind, &err) < 0))
            return report_db_error(env, &err);
        if (!found)
            return cmd_fail(env,
                            "no dataset '%s' for --apps (run 'tokstat status' to see the "
                            "datasets)",
                            asked);
        if (kind != DATASET_APPS)
            return cmd_fail(env,
                            "dataset '%s' holds %s, not app rankings: --apps names a dataset of "
                            "app rankings (run 'tokstat status' to see the datasets)",
                            asked, kind_words(kind));
        d->apps_name = xstrdup(asked);
        return 0;
    }
    if (db_datasets_of_kind(v->db, DATASET_APPS, &names, &n, &err) < 0)
        return report_db_error(env, &err);
    if (n == 1 && db_dataset(v->db, names[0], 0, id, &err) < 0) {
        free(names[0]);
        free(names);
        return report_db_error(env, &err);
    }
    if (n > 1) { /* a guess could publish the wrong list: say which there are */
        buf_printf(&list, "%zu datasets hold app rankings (", n);
        for (size_t i = 0; i < n; i++)
            buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
        buf_adds(&list, "): the page shows no apps; --apps NAME picks one");
        d->apps_note = list.data;
        list = (struct ts_buf)TS_BUF_INIT;
    }
    d->apps_name = n == 1 ? names[0] : NULL;
    for (size_t i = n == 1 ? 1 : 0; i < n; i++)
        free(names[i]);
    free(names);
    buf_release(&list);
    return 0;
}

/* s as the page shows text from the data: control characters as \xNN. */
static char *shown(const char *s)
{
    struct ts_buf b = TS_BUF_INIT;

    buf_add(&b, "", 0); /* an empty text is still a string */
    ts_text_escape(&b, s, strlen(s));
    return b.data;
}

/* Reads the apps the page shows, of dataset id: its latest week at or
 * before the page's last week and the week before that, what its list
 * ranks and its source line. */
static int read_apps(const struct dataset_view *v, int64_t id, struct dash_data *d,
                     struct ts_err *err)
{
    struct week_days *weeks = NULL;
    struct app_list list;
    struct ts_buf b = TS_BUF_INIT;
    size_t n = 0, k;
    int rc = -1;

    if (db_weeks(v->db, id, &weeks, &n, err) < 0 || db_app_list(v->db, id, &list, err) < 0 ||
        db_source(v->db, id, &d->apps_source, err) < 0)
        goto done;
    for (k = n; k > 0 && weeks[k - 1].week > d->last; k--)
        ;
    if (k > 0 && db_series(v->db, id, BY_APP, weeks[k - 1].week - 7, weeks[k - 1].week,
                           &d->apps_series, err) < 0)
        goto done;
    app_list_describe(&list, 1, &b);
    d->apps_shown = shown(d->apps_name);
    d->apps_list = shown(b.data);
    d->apps = (struct dash_apps){d->apps_shown, d->apps_list, d->last,
                                 k > 0 ? &d->apps_series : NULL, n > 0 ? weeks[0].week : 0};
    rc = 0;
done:
    free(weeks);
    buf_release(&b);
    return rc;
}

/* The notes the page ends with: the builders' warnings, the vendors
 * without a country and why no apps are shown; each on standard error too
 * (escaped). The source lines: the model usage's, the apps'. */
static int finish(struct cmd_env *env, const struct dataset_view *v, const struct dash_data *d,
                  struct page *p, struct ts_err *err)
{
    char *warn = NULL, *source = NULL;

    if (report_unmapped_warning(v, &warn, err) < 0 || db_source(v->db, v->id, &source, err) < 0) {
        free(warn);
        return -1;
    }
    if (warn)
        page_note(p, warn);
    if (d->apps_note)
        page_note(p, d->apps_note);
    page_add_source(p, source);
    if (d->apps_name)
        page_add_source(p, d->apps_source);
    for (size_t i = 0; i < p->nnotes; i++)
        cmd_line(env, env->err, "tokstat: warning: %s", p->notes[i]);
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
    struct dash_args da;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct dash_data d = DASH_DATA_INIT;
    struct page p = PAGE_INIT;
    struct ts_err err = TS_ERR_INIT;
    int64_t apps_id;
    int rc;

    if ((rc = parse_args(env, argc, argv, &da)) >= 0)
        return rc;
    if ((rc = dataset_view_open(env, &da.a, da.weeks, &v)) != 0 ||
        (rc = apps_dataset(env, &v, da.apps, &apps_id, &d)) != 0)
        goto done;
    if (read_data(&v, &d, &err) < 0 || (d.apps_name && read_apps(&v, apps_id, &d, &err) < 0)) {
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
                            d.apps_name ? &d.apps : NULL};
    if (build_dashboard(&in, &da.a.req, &p, &err) < 0 || finish(env, &v, &d, &p, &err) < 0) {
        rc = report_db_error(env, &err);
        goto done;
    }
    if ((!p.chart || !p.chart->has_data) && !v.notes.outside)
        report_note_empty(env, &v, da.a.req.dataset);
    rc = write_page(env, da.a.output, &p);
done:
    page_release(&p);
    dash_data_release(&d);
    dataset_view_close(&v);
    return rc;
}
