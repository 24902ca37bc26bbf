/* cmd_cost.c - tokstat cost: estimated spend per week and group. */
#include <errno.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "cmd/report_period.h"
#include "db/price_history.h"
#include "db/query.h"
#include "report/report.h"

enum { O_SHARE = REPORT_OPT_OWN + 1 };

static const struct opt_spec own[] = {
    {"prompt-share", 0, 1, O_SHARE},
    {NULL, 0, 0, 0},
};

static const struct report_syntax syntax = {
    .name = "cost",
    .usage = "usage: tokstat cost [--by country|vendor|model|family] [--prompt-share X] [OPTIONS]\n"
             "\n"
             "Estimated spend per week (or, --period, month or day) and group: prompt\n"
             "tokens x input price + completion tokens x output price, with each model's\n"
             "price valid by the period's last day (see 'tokstat prices'), and the\n"
             "usage-weighted average price per million tokens. Where a dump gives only\n"
             "total tokens (or prompt and completion as 0: no split), a prompt share\n"
             "splits them: the share found in the dataset's rows that have a split, else\n"
             "0.9; the output says which. A split whose prompt + completion is not its\n"
             "total is applied by its proportions, and named in a warning when more than\n"
             "1 % off. Tokens of models without a price are counted apart (unpriced) and\n"
             "named in a warning; a :free variant costs 0; the other bucket is left out.\n"
             "Default range: the most recent complete week (month, day) with data.\n"
             "\n"
             "  --by G               country (default), vendor, model or family\n"
             "  --prompt-share X     the prompt share to use for totals without a split\n"
             "                       (a number from 0 to 1)\n",
    .own = own,
    .by = REPORT_BY_MODELS,
    .by_default = BY_COUNTRY,
    .exact_applies = 1,
};

/* --prompt-share: a number from 0 to 1. */
static int parse_share(struct cmd_env *env, const char *value, double *out)
{
    char *end;

    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end != '\0' || errno || !(v >= 0 && v <= 1))
        return cmd_usage_error(env, "cost",
                               "invalid value '%s' for --prompt-share (expected a number "
                               "from 0 to 1)",
                               value);
    *out = v;
    return 0;
}

int cmd_cost(struct cmd_env *env, int argc, char **argv)
{
    struct report_args a;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct price_book book = PRICE_BOOK_INIT;
    struct priced_usage in = {0};
    struct usage_row *use = NULL;
    size_t nuse = 0;
    struct report_doc doc = REPORT_DOC_INIT;
    struct ts_err err = TS_ERR_INIT;
    int id, rc;

    report_args_start(&a, env, &syntax, argc, argv);
    while ((id = report_args_next(&a)) > 0) { /* --prompt-share, the only option of its own */
        if ((rc = parse_share(env, a.value, &a.req.prompt_share)) != 0)
            return rc;
    }
    if (id < 0)
        return a.exit;
    if ((rc = dataset_view_open(env, &a, 1, &v)) == 0) {
        /* The usage of the range, every price, and the prompt share of the
         * dataset's rows that have a split (unless given). */
        int found = 0;
        if (db_price_book(v.db, v.id, &book, &err) < 0 ||
            view_usage(&v, v.from, v.to, &use, &nuse, &err) < 0 ||
            (a.req.prompt_share < 0 &&
             (found = db_prompt_share(v.db, v.id, &in.data_share, &err)) < 0)) {
            rc = report_db_error(env, &err);
        } else {
            double share = in.data_share;
            in = view_priced(&v, use, nuse, &book);
            in.data_share_found = found;
            in.data_share = share;
            rc = build_cost(&in, &a.req, &doc, &err) < 0 ? report_db_error(env, &err)
                                                         : report_write(env, &v, &a, &doc);
        }
    }
    usage_rows_release(use, nuse);
    price_book_release(&book);
    doc_release(&doc);
    dataset_view_close(&v);
    return rc;
}
