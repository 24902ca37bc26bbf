/* cmd_cost.c - tokstat cost: estimated spend per week and group. */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd.h"
#include "report_opts.h"

static const char usage[] =
    "usage: tokstat cost [--by country|vendor|model] [--prompt-share X] [OPTIONS]\n"
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
    "                       (a number from 0 to 1)\n";

enum { O_BY = REPORT_OPT_OWN, O_SHARE };

static const struct opt_spec own[] = {
    {"by", 0, 1, O_BY},
    {"prompt-share", 0, 1, O_SHARE},
    {NULL, 0, 0, 0},
};

struct ctx {
    struct cli *c;
    struct reports_spec spec;
};

static int on_own(void *p, int id, const char *value)
{
    struct ctx *x = p;

    if (id == O_SHARE) {
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        if (end == value || *end != '\0' || errno || !(v >= 0 && v <= 1))
            return cli_usage_error(x->c, "cost",
                                   "invalid value '%s' for --prompt-share (expected a number "
                                   "from 0 to 1)",
                                   value);
        x->spec.prompt_share = v;
        return 0;
    }
    return report_parse_by(x->c, "cost", value, 1, &x->spec.by);
}

int cmd_cost(struct cli *c, int argc, char **argv)
{
    struct ctx x = {c, {BY_COUNTRY, 0, NULL, 0, 0, NULL, -1}};
    struct report_opts o;
    int rc = report_opts_parse(c, "cost", usage, argc, argv, own, on_own, &x, &o);

    if (rc >= 0)
        return rc;
    if (o.other_given)
        return cli_usage_error(c, "cost",
                               "--other does not apply to cost (the other bucket has no price)");
    return report_run(c, &o, &x.spec, reports_cost, 1);
}
