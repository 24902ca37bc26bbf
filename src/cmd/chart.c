/* chart.c - tokstat chart: each group's share of each week's tokens
 * as stacked bars, in the terminal or as an SVG document. */
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "cli/cli.h"
#include "cmd/cmd.h"
#include "cmd/report_opts.h"
#include "core/util.h"

static const char usage[] =
    "usage: tokstat chart [--by country|vendor|model] [--format table|svg] [OPTIONS]\n"
    "\n"
    "Each group's share of each week's tokens as stacked bars, one bar per\n"
    "week: in a terminal in colour, otherwise with a fill character per group;\n"
    "or as an SVG document. The 6 groups with the most tokens over the range\n"
    "are shown by name, the others together as 'rest'; the legend gives each\n"
    "one's share in the latest week with data. The numbers: 'tokstat report'.\n"
    "Default range: the 8 most recent weeks with data.\n"
    "\n"
    "  --by G               country (default), vendor or model\n"
    "  --format F           table (default: text, to fit COLUMNS or the\n"
    "                       terminal) or svg (a standalone SVG 1.1 document)\n";

enum { O_BY = REPORT_OPT_OWN, O_FORMAT };

static const struct opt_spec own[] = {
    {"by", 0, 1, O_BY},
    {"format", 0, 1, O_FORMAT},
    {NULL, 0, 0, 0},
};

struct chart_args {
    struct cli *c;
    enum group_by by;
    int svg;
};

static int on_own(void *p, int id, const char *value)
{
    struct chart_args *a = p;

    if (id == O_BY)
        return report_parse_by(a->c, "chart", value, 1, &a->by);
    if (strcmp(value, "table") == 0 || strcmp(value, "svg") == 0) {
        a->svg = value[0] == 's';
        return 0;
    }
    enum render_format f;
    if (render_format_parse(value, &f) == 0)
        return cli_usage_error(a->c, "chart",
                               "invalid value '%s' for --format (expected table or svg; "
                               "'tokstat report --format %s' gives the numbers)",
                               value, value);
    return cli_usage_error(a->c, "chart", "invalid value '%s' for --format (expected table or svg)",
                           value);
}

/* "Share of tokens by vendor, weeks A to B (dataset NAME)": freed by the caller. */
static char *chart_title(const struct report_input *in)
{
    struct ts_buf t = TS_BUF_INIT;

    buf_printf(&t, "Share of tokens by %s, ", group_by_name(in->spec->by));
    reports_range(&t, in->from, in->to, in->spec);
    return t.data;
}

/* The chart as report_run's result: report_run reads the data, warns,
 * notes an empty range and writes to standard output or --output like for
 * every report; these callbacks build and draw the chart. */
struct chart_job {
    int svg;
    struct chart ch;
    char *warning; /* owned: the one warning (vendors without a country), or NULL */
};

static int chart_job_build(void *ctx, const struct report_input *in, struct ts_err *err)
{
    struct chart_job *x = ctx;
    struct series s = SERIES_INIT;

    if (db_series(in->st, in->dataset, in->spec->by, in->from, in->to, &s, err) < 0)
        return -1;
    chart_build(&s, in->spec->by, in->spec->other_exclude, CHART_MAX_GROUPS, &x->ch);
    series_release(&s);
    return 0;
}

static void chart_job_warn(void *ctx, const char *msg)
{
    struct chart_job *x = ctx;

    free(x->warning);
    x->warning = xstrdup(msg);
}

static size_t chart_job_warnings(void *ctx, const char *const **out)
{
    struct chart_job *x = ctx;

    *out = (const char *const *)&x->warning;
    return x->warning ? 1 : 0;
}

static int chart_job_has_data(void *ctx)
{
    struct chart_job *x = ctx;
    return x->ch.has_data;
}

static void chart_job_write(void *ctx, const struct report_input *in, const struct render_opts *ro,
                            const char *source, FILE *out)
{
    struct chart_job *x = ctx;
    struct ts_buf doc = TS_BUF_INIT;
    char *title = chart_title(in);

    if (x->svg) {
        chart_svg(&x->ch, title, source, &doc);
    } else {
        struct chart_text_opts topts = {ro->color, ro->width};
        chart_text(&x->ch, title, source, &topts, &doc);
    }
    fwrite(doc.data, 1, doc.len, out);
    buf_release(&doc);
    free(title);
}

static const struct report_job chart_report_job = {
    8, chart_job_build, chart_job_warn, chart_job_warnings, chart_job_has_data, chart_job_write,
};

int cmd_chart(struct cli *c, int argc, char **argv)
{
    struct chart_args a = {c, BY_COUNTRY, 0};
    struct report_opts o;

    int rc = report_opts_parse(c, "chart", usage, argc, argv, own, on_own, &a, &o);
    if (rc >= 0)
        return rc;
    if (o.exact)
        return cli_usage_error(c, "chart", "--exact does not apply to chart (it draws shares)");
    struct reports_spec spec = {.by = a.by};
    struct chart_job x = {a.svg, CHART_INIT, NULL};
    rc = report_run(c, &o, &spec, &chart_report_job, &x);
    chart_release(&x.ch);
    free(x.warning);
    return rc;
}
