/* cmd_growth.c - tokstat growth: week-over-week growth per group. */
#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "cmd/report_period.h"
#include "db/query.h"
#include "report/report.h"

enum { O_SUMMARY = REPORT_OPT_OWN + 1 };

static const struct opt_spec own[] = {
    {"summary", 0, 0, O_SUMMARY},
    {NULL, 0, 0, 0},
};

static const struct report_syntax syntax = {
    .name = "growth",
    .usage = "usage: tokstat growth [--by country|vendor|model|family] [--summary] [OPTIONS]\n"
             "\n"
             "Per group and week: tokens, the week before's tokens, and the growth\n"
             "T_w / T_(w-1) - 1 ('new' for a group absent the week before; a week\n"
             "without data in the range counts as 0 tokens). Then, per group over\n"
             "the range: total growth and compound weekly growth\n"
             "(T_last / T_first)^(1/steps) - 1.\n"
             "By day or by calendar month instead: --period day|month.\n"
             "Default range: the 8 most recent weeks with data.\n"
             "\n"
             "  --by G               country (default), vendor, model or family\n"
             "  --summary            only the summary over the range (in every format)\n",
    .own = own,
    .by = REPORT_BY_ANY,
    .by_default = BY_COUNTRY,
    .other_applies = 1,
    .apps_apply = 1,
    .exact_applies = 1,
};

/* The report written as it is built, week by week (see cmd_report.c). */
static int write_growth(struct cmd_env *env, const struct dataset_view *v,
                        const struct report_args *a, const struct series *s, struct report_doc *doc)
{
    struct report_out ro = REPORT_OUT_INIT;
    int rc;

    build_growth_begin(s, &a->req, doc);
    rc = report_begin(env, v, a, doc, &ro);
    for (size_t w = 1; w < s->nweeks && rc == TS_EXIT_OK && !ro.failed; w++) {
        build_growth_weeks(s, &a->req, w, w + 1, doc);
        rc = report_page(env, &ro, doc);
    }
    if (rc == TS_EXIT_OK)
        rc = report_end(env, v, a, doc, &ro);
    report_out_release(&ro);
    return rc;
}

int cmd_growth(struct cmd_env *env, int argc, char **argv)
{
    struct report_args a;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct series s = SERIES_INIT;
    struct report_doc doc = REPORT_DOC_INIT;
    struct ts_err err = TS_ERR_INIT;
    int id, rc;

    report_args_start(&a, env, &syntax, argc, argv);
    while ((id = report_args_next(&a)) > 0)
        a.req.summary_only = 1; /* --summary, the only option of its own */
    if (id < 0)
        return a.exit;
    if ((rc = dataset_view_open(env, &a, 8, &v)) == 0) {
        /* The week (period) before the first is read too: the first week's growth. */
        if (view_series(&v, &a, 1, &s, &err) < 0)
            rc = report_db_error(env, &err);
        else
            rc = write_growth(env, &v, &a, &s, &doc);
    }
    series_release(&s);
    doc_release(&doc);
    dataset_view_close(&v);
    return rc;
}
