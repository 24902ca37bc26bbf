/* cmd_prices.c - tokstat prices: what the models in use cost per million
 * tokens, and how many times cheaper than a reference model they are. */
#include "cmd/cmd.h"
#include "cmd/report_args.h"
#include "cmd/report_io.h"
#include "cmd/report_period.h"
#include "db/price_history.h"
#include "db/query.h"
#include "report/report.h"

enum { O_VS = REPORT_OPT_OWN + 1, O_ALL };

static const struct opt_spec own[] = {
    {"vs", 0, 1, O_VS},
    {"all", 0, 0, O_ALL},
    {NULL, 0, 0, 0},
};

static const struct report_syntax syntax = {
    .name = "prices",
    .usage =
        "usage: tokstat prices [--vs MODEL] [--all] [--by model|family|vendor|country] [OPTIONS]\n"
        "\n"
        "The input and output price per million tokens of each model with usage in\n"
        "the week (the last week of the range; default the most recent complete\n"
        "week with data; by month or day, --period, the last month or day), as\n"
        "valid by its last day: from the model catalogue (global) and the dataset's\n"
        "own weekly snapshots, matched by canonical slug, then without the\n"
        "-YYYYMMDD date, then without the :variant; a :free variant without a price\n"
        "of its own is free. Each row says where its price comes from (CSV and\n"
        "JSON: price_model, price_match, price_age_days, status); prices of another\n"
        "dated version or from more than 8 weeks before the week are named in a\n"
        "warning. By family, vendor or country: the average over their models,\n"
        "weighted by each model's tokens that week. Models without a price are\n"
        "named in a warning, never priced at $0.\n"
        "\n"
        "  --vs MODEL           add MODEL's price divided by each model's price: how\n"
        "                       many times dearer MODEL is (anthropic/claude-opus-4.6 at\n"
        "                       $5 against a $0.30 model: 16.7x); MODEL is a slug or a\n"
        "                       catalogue id, else the one priced slug of the week\n"
        "                       with its words (the output says which)\n"
        "  --all                every model with a price valid in the week, used or\n"
        "                       not (0 tokens): the model catalogue alone answers; by\n"
        "                       family, vendor or country, also the median and the\n"
        "                       plain mean of the group's prices (free variants left\n"
        "                       out)\n"
        "  --by G               model (default), family, vendor or country\n",
    .own = own,
    .by = REPORT_BY_MODELS,
    .by_default = BY_MODEL,
    .exact_applies = 1,
};

int cmd_prices(struct cmd_env *env, int argc, char **argv)
{
    struct report_args a;
    struct dataset_view v = DATASET_VIEW_INIT;
    struct price_book book = PRICE_BOOK_INIT;
    struct usage_row *use = NULL, *all = NULL;
    size_t nuse = 0, nall = 0;
    struct report_doc doc = REPORT_DOC_INIT;
    struct ts_err err = TS_ERR_INIT;
    int id, rc;

    report_args_start(&a, env, &syntax, argc, argv);
    while ((id = report_args_next(&a)) > 0) { /* --vs or --all */
        if (id == O_ALL) {
            a.req.all_models = 1;
            continue;
        }
        if (a.value[0] == '\0')
            return cmd_usage_error(env, "prices", "--vs needs a model (a slug or a catalogue id)");
        a.req.vs = a.value;
    }
    if (id < 0)
        return a.exit;
    if ((rc = dataset_view_open(env, &a, 1, &v)) == 0) {
        /* The usage of the last period of the range, and every price. */
        if (db_price_book(v.db, v.id, &book, &err) < 0 ||
            view_usage(&v, v.to, v.to, &use, &nuse, &err) < 0 ||
            (a.req.all_models && db_book_models(v.db, &book, &all, &nall, &err) < 0)) {
            rc = report_db_error(env, &err);
        } else {
            struct priced_usage in = view_priced(&v, use, nuse, &book);
            in.book_rows = all;
            in.nbook_rows = nall;
            if (build_prices(&in, &a.req, &doc, &err) < 0)
                rc = report_db_error(env, &err);
            else
                rc = report_write(env, &v, &a, &doc);
        }
    }
    usage_rows_release(use, nuse);
    usage_rows_release(all, nall);
    price_book_release(&book);
    doc_release(&doc);
    dataset_view_close(&v);
    return rc;
}
