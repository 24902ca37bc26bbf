/* cmd_top.c - tokstat top: the top N of each week and how concentrated the
 * market is. */

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "cmd/report_period.h"
#include "db/query.h"
#include "report/report.h"

enum { O_N = REPORT_OPT_OWN + 1 };

static const struct opt_spec own[] = {
    {"top", 'n', 1, O_N},
    {NULL, 0, 0, 0},
};

static const struct report_syntax syntax = {
    .name = "top",
    .usage = "usage: tokstat top [-n N] [--by model|vendor|family] [OPTIONS]\n"
             "\n"
             "Per week: the top N models (or vendors, or families) with tokens,\n"
             "share, cumulative share and country; then CR-N (the top N's share), the\n"
             "HHI (the sum of squared shares in percent over all ranked models, 0 to\n"
             "10,000) with its band (above 1,800 highly concentrated, 1,000 to 1,800\n"
             "moderately, below 1,000 unconcentrated), its change on the week before\n"
             "(more than 100 is significant), and the countries of the top N. The\n"
             "other bucket is never ranked. By day or by calendar month instead:\n"
             "--period day|month. Default range: the most recent week with data.\n"
             "\n"
             "  -n N                 how many to list (default 5)\n"
             "  --by G               model (default), vendor or family\n",
    .own = own,
    .by = REPORT_BY_TOP,
    .by_default = BY_MODEL,
    .other_applies = 1,
    .apps_apply = 1,
    .exact_applies = 1,
};

int cmd_top(struct cmd_env *env, int argc, char **argv)
{
    struct report_args a;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct series s = SERIES_INIT;
    struct report_doc doc = REPORT_DOC_INIT;
    struct ts_err err = TS_ERR_INIT;
    int id, rc;

    report_args_start(&a, env, &syntax, argc, argv);
    while ((id = report_args_next(&a)) > 0) { /* -n, the only option of its own */
        if ((rc = report_parse_count(env, "top", "-n", a.value, 1000, &a.req.top_n)) != 0)
            return rc;
    }
    if (id < 0)
        return a.exit;
    if ((rc = dataset_view_open(env, &a, 1, &v)) == 0) {
        /* The week (period) before the first is read too: the change of the HHI. */
        if (view_series(&v, &a, 1, &s, &err) < 0) {
            rc = report_db_error(env, &err);
        } else {
            rc = build_top(&s, &a.req, &doc, &err) < 0 ? report_db_error(env, &err)
                                                       : report_write(env, &v, &a, &doc);
        }
    }
    series_release(&s);
    doc_release(&doc);
    dataset_view_close(&v);
    return rc;
}
