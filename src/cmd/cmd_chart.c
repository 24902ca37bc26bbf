/* cmd_chart.c - tokstat chart: each group's share of each week's tokens as
 * stacked bars, in the terminal or as an SVG document. */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "cmd/report_period.h"
#include "db/query.h"
#include "render/chart.h"
#include "report/report.h"

enum { O_FORMAT = REPORT_OPT_OWN + 1, O_GROUPS };

/* Its own --format, which takes svg and none of the report formats, and
 * --groups. */
static const struct opt_spec own[] = {
    {"format", 0, 1, O_FORMAT},
    {"groups", 0, 1, O_GROUPS},
    {NULL, 0, 0, 0},
};

static const struct report_syntax syntax = {
    .name = "chart",
    .usage =
        "usage: tokstat chart [--by country|vendor|model|family] [--format table|svg] [OPTIONS]\n"
        "\n"
        "Each group's share of each week's tokens as stacked bars, one bar per\n"
        "week: in a terminal in colour, otherwise with a fill character per group;\n"
        "or as an SVG document. The groups with the most tokens over the range\n"
        "are shown by name, the others together as 'rest'; the legend gives each\n"
        "one's share in the latest week with data. The numbers: 'tokstat report'.\n"
        "A bar a day or a calendar month instead: --period day|month.\n"
        "Default range: the 8 most recent weeks with data. Colour and Unicode\n"
        "blocks only on a terminal with a UTF-8 locale and TERM other than dumb.\n"
        "\n"
        "  --by G               country (default), vendor, model or family\n"
        "  --groups N           name the N largest groups (1 to 12, default 6)\n"
        "  --format F           table (default: text, to fit COLUMNS or the\n"
        "                       terminal) or svg (a standalone SVG 1.1 document)\n",
    .own = own,
    .by = REPORT_BY_ANY,
    .by_default = BY_COUNTRY,
    .other_applies = 1,
    .apps_apply = 1,
};

/* --format table|svg; a report format gets a pointer to 'tokstat report'. */
static int parse_format(struct cmd_env *env, const char *value, enum render_format *out)
{
    enum render_format f;

    if (strcmp(value, "table") == 0 || strcmp(value, "svg") == 0) {
        *out = value[0] == 's' ? RENDER_SVG : RENDER_TABLE;
        return 0;
    }
    if (render_format_parse(value, &f) == 0)
        return cmd_usage_error(env, "chart",
                               "invalid value '%s' for --format (expected table or svg; "
                               "'tokstat report --format %s' gives the numbers)",
                               value, value);
    return cmd_usage_error(env, "chart", "invalid value '%s' for --format (expected table or svg)",
                           value);
}

int cmd_chart(struct cmd_env *env, int argc, char **argv)
{
    struct report_args a;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct series s = SERIES_INIT;
    struct report_doc doc = REPORT_DOC_INIT;
    struct ts_err err = TS_ERR_INIT;
    int id, rc;

    report_args_start(&a, env, &syntax, argc, argv);
    while ((id = report_args_next(&a)) > 0) { /* its own: --format, --groups */
        rc = id == O_FORMAT ? parse_format(env, a.value, &a.format)
                            : report_parse_count(env, "chart", "--groups", a.value,
                                                 CHART_MAX_GROUPS, &a.req.groups);
        if (rc != 0)
            return rc;
    }
    if (id < 0)
        return a.exit;
    if ((rc = dataset_view_open(env, &a, 8, &v)) == 0) {
        if (view_series(&v, &a, 0, &s, &err) < 0) {
            rc = report_db_error(env, &err);
        } else {
            rc = build_chart(&s, &a.req, &doc, &err) < 0 ? report_db_error(env, &err)
                                                         : report_write(env, &v, &a, &doc);
        }
    }
    series_release(&s);
    doc_release(&doc);
    dataset_view_close(&v);
    return rc;
}
