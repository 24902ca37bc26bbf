/* cmd_chart.c - tokstat chart: each group's share of each week's tokens as
 * stacked bars, in the terminal or as an SVG document. */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "db/query.h"
#include "report/report.h"

enum { O_FORMAT = REPORT_OPT_OWN + 1 };

/* Its own --format, which takes svg and none of the report formats. */
static const struct opt_spec own[] = {
    {"format", 0, 1, O_FORMAT},
    {NULL, 0, 0, 0},
};

static const struct report_syntax syntax = {
    .name = "chart",
    .usage = "usage: tokstat chart [--by country|vendor|model] [--format table|svg] [OPTIONS]\n"
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
    while ((id = report_args_next(&a)) > 0) { /* --format, the only option of its own */
        if ((rc = parse_format(env, a.value, &a.format)) != 0)
            return rc;
    }
    if (id < 0)
        return a.exit;
    if ((rc = dataset_view_open(env, &a, 8, &v)) == 0) {
        if (db_series(v.db, v.id, a.req.by, v.from, v.to, &s, &err) < 0) {
            rc = report_db_error(env, &err);
        } else {
            build_chart(&s, &a.req, &doc);
            rc = report_write(env, &v, &a, &doc);
        }
    }
    series_release(&s);
    doc_release(&doc);
    dataset_view_close(&v);
    return rc;
}
