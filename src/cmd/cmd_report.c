/* cmd_report.c - tokstat report: each group's share of each week's tokens. */
#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "cmd/report_period.h"
#include "db/query.h"
#include "report/report.h"

static const struct report_syntax syntax = {
    .name = "report",
    .usage = "usage: tokstat report [--by country|vendor|model|family] [OPTIONS]\n"
             "\n"
             "Per week and group: tokens, share of the week's tokens, the change of\n"
             "that share in percentage points against the week before, and rank.\n"
             "By day or by calendar month instead: --period day|month.\n"
             "Default range: the most recent week with data.\n"
             "\n"
             "  --by G               country (default), vendor, model or family (a\n"
             "                       model's dated versions and variants together; see\n"
             "                       'tokstat families')\n",
    .by = REPORT_BY_ANY,
    .by_default = BY_COUNTRY,
    .other_applies = 1,
    .apps_apply = 1,
    .exact_applies = 1,
};

/* The report written as it is built, week by week: a million rows (by
 * model over ten years) are never all in memory. */
static int write_share(struct cmd_env *env, const struct dataset_view *v,
                       const struct report_args *a, const struct series *s, struct report_doc *doc)
{
    struct report_out ro = REPORT_OUT_INIT;
    int rc;

    build_share_begin(s, &a->req, doc);
    rc = report_begin(env, v, a, doc, &ro);
    for (size_t w = 1; w < s->nweeks && rc == TS_EXIT_OK && !ro.failed; w++) {
        build_share_weeks(s, &a->req, w, w + 1, doc);
        rc = report_page(env, &ro, doc);
    }
    if (rc == TS_EXIT_OK)
        rc = report_end(env, v, a, doc, &ro);
    report_out_release(&ro);
    return rc;
}

int cmd_report(struct cmd_env *env, int argc, char **argv)
{
    struct report_args a;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct series s = SERIES_INIT;
    struct report_doc doc = REPORT_DOC_INIT;
    struct ts_err err = TS_ERR_INIT;
    int rc;

    report_args_start(&a, env, &syntax, argc, argv);
    if (report_args_next(&a) < 0)
        return a.exit;
    if ((rc = dataset_view_open(env, &a, 1, &v)) == 0) {
        /* The week (period) before the first is read too: the change of share. */
        if (view_series(&v, &a, 1, &s, &err) < 0)
            rc = report_db_error(env, &err);
        else
            rc = write_share(env, &v, &a, &s, &doc);
    }
    series_release(&s);
    doc_release(&doc);
    dataset_view_close(&v);
    return rc;
}
