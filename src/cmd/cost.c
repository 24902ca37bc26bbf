/* cost.c - tokstat cost: estimated spend per week and group. */
#include <errno.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "cmd/report_opts.h"

enum { O_SHARE = REPORT_OPT_OWN + 1 };

static const struct opt_spec own[] = {
    {"prompt-share", 0, 1, O_SHARE},
    {NULL, 0, 0, 0},
};

static int on_own(struct cli *c, struct reports_spec *spec, int id, const char *value)
{
    char *end;

    (void)id; /* --prompt-share, the only option of its own */
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end != '\0' || errno || !(v >= 0 && v <= 1))
        return cli_usage_error(c, "cost",
                               "invalid value '%s' for --prompt-share (expected a number "
                               "from 0 to 1)",
                               value);
    spec->prompt_share = v;
    return 0;
}

static const struct report_cmd cost = {
    .name = "cost",
    .usage = "usage: tokstat cost [--by country|vendor|model] [--prompt-share X] [OPTIONS]\n"
             "\n"
             "Estimated spend per week and group: prompt tokens x input price +\n"
             "completion tokens x output price, with each model's price of that week\n"
             "(see 'tokstat prices'), and the usage-weighted average price per million\n"
             "tokens. Where a dump gives only total tokens, a prompt share splits them:\n"
             "the share found in the dataset's rows that have a split, else 0.9; the\n"
             "output says which. Tokens of models without a price are counted apart\n"
             "(unpriced) and named in a warning; the other bucket is left out.\n"
             "Default range: the most recent week with data.\n"
             "\n"
             "  --by G               country (default), vendor or model\n"
             "  --prompt-share X     the prompt share to use for totals without a split\n"
             "                       (a number from 0 to 1)\n",
    .by = REPORT_BY_ANY,
    .own = own,
    .on_own = on_own,
    .build = reports_cost,
    .default_last = 1,
    .defaults = {.by = BY_COUNTRY, .prompt_share = -1},
};

int cmd_cost(struct cli *c, int argc, char **argv)
{
    return report_cmd_main(&cost, c, argc, argv);
}
