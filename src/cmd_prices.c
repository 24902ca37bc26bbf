/* cmd_prices.c - tokstat prices: what the models in use cost per million
 * tokens, and how many times cheaper than a reference model they are. */
#include "cli.h"
#include "cmd.h"
#include "report_opts.h"

static const char usage[] =
    "usage: tokstat prices [--vs MODEL] [--by model|vendor|country] [OPTIONS]\n"
    "\n"
    "The input and output price per million tokens of each model with usage\n"
    "in the week (the last week of the range; default the most recent week\n"
    "with data), as valid that week: from the weekly snapshots and the model\n"
    "catalogue, matched by canonical slug, then without the -YYYYMMDD date\n"
    "and the :variant. By vendor or country: the average over their models,\n"
    "weighted by each model's tokens that week. Models without a price are\n"
    "named in a warning, never priced at $0.\n"
    "\n"
    "  --vs MODEL           add MODEL's price divided by each model's price: how\n"
    "                       many times dearer MODEL is (anthropic/claude-opus-4.6 at\n"
    "                       $5 against a $0.30 model: 16.7x); MODEL is a slug or a\n"
    "                       catalogue id\n"
    "  --by G               model (default), vendor or country\n";

enum { O_VS = REPORT_OPT_OWN, O_BY };

static const struct opt_spec own[] = {
    {"vs", 0, 1, O_VS},
    {"by", 0, 1, O_BY},
    {NULL, 0, 0, 0},
};

struct ctx {
    struct cli *c;
    struct reports_spec spec;
};

static int on_own(void *p, int id, const char *value)
{
    struct ctx *x = p;

    if (id == O_VS) {
        if (value[0] == '\0')
            return cli_usage_error(x->c, "prices", "--vs needs a model (a slug or a catalogue id)");
        x->spec.vs = value;
        return 0;
    }
    return report_parse_by(x->c, "prices", value, 1, &x->spec.by);
}

int cmd_prices(struct cli *c, int argc, char **argv)
{
    struct ctx x = {c, {BY_MODEL, 0, NULL, 0, 0, NULL, -1}};
    struct report_opts o;
    int rc = report_opts_parse(c, "prices", usage, argc, argv, own, on_own, &x, &o);

    if (rc >= 0)
        return rc;
    if (o.other_given)
        return cli_usage_error(c, "prices",
                               "--other does not apply to prices (the other bucket has no price)");
    return report_run(c, &o, &x.spec, reports_prices, 1);
}
