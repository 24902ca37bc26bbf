/* prices.c - tokstat prices: what the models in use cost per million
 * tokens, and how many times cheaper than a reference model they are. */
#include "cli/cli.h"
#include "cmd/cmd.h"
#include "cmd/report_opts.h"

enum { O_VS = REPORT_OPT_OWN + 1 };

static const struct opt_spec own[] = {
    {"vs", 0, 1, O_VS},
    {NULL, 0, 0, 0},
};

static int on_own(struct cli *c, struct reports_spec *spec, int id, const char *value)
{
    (void)id; /* --vs, the only option of its own */
    if (value[0] == '\0')
        return cli_usage_error(c, "prices", "--vs needs a model (a slug or a catalogue id)");
    spec->vs = value;
    return 0;
}

static const struct report_cmd prices = {
    .name = "prices",
    .usage = "usage: tokstat prices [--vs MODEL] [--by model|vendor|country] [OPTIONS]\n"
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
             "  --by G               model (default), vendor or country\n",
    .by = REPORT_BY_ANY,
    .own = own,
    .on_own = on_own,
    .build = reports_prices,
    .default_last = 1,
    .defaults = {.by = BY_MODEL, .prompt_share = -1},
};

int cmd_prices(struct cli *c, int argc, char **argv)
{
    return report_cmd_main(&prices, c, argc, argv);
}
