/* cmd_top.c - tokstat top: the top N of each week and how concentrated
 * the market is. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report_opts.h"

static const char usage[] =
    "usage: tokstat top [-n N] [--by model|vendor] [OPTIONS]\n"
    "\n"
    "Per week: the top N models (or vendors) with tokens, share, cumulative\n"
    "share and country; then CR-N (the top N's share), the HHI (the sum of\n"
    "squared shares in percent over all ranked models, 0 to 10,000) with its\n"
    "band (above 1,800 highly concentrated, 1,000 to 1,800 moderately, below\n"
    "1,000 unconcentrated), its change on the week before (more than 100 is\n"
    "significant), and the countries of the top N. The other bucket is never\n"
    "ranked. Default range: the most recent week with data.\n"
    "\n"
    "  -n N                 how many to list (default 5)\n"
    "  --by G               model (default) or vendor\n";

enum { O_N = REPORT_OPT_OWN, O_BY };

static const struct opt_spec own[] = {
    {"top", 'n', 1, O_N},
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

    if (id == O_N) {
        char *end;
        errno = 0;
        long n = strtol(value, &end, 10);
        if (end == value || *end != '\0' || errno || n < 1 || n > 1000)
            return cli_usage_error(
                x->c, "top", "invalid value '%s' for -n (expected a number from 1 to 1000)", value);
        x->spec.top_n = (size_t)n;
        return 0;
    }
    return report_parse_by(x->c, "top", value, 0, &x->spec.by);
}

static int build(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    return report_from_series(in, reports_top, out, err);
}

int cmd_top(struct cli *c, int argc, char **argv)
{
    struct ctx x = {c, {BY_MODEL, 0, NULL, 5, 0, NULL, -1}};
    struct report_opts o;
    int rc = report_opts_parse(c, "top", usage, argc, argv, own, on_own, &x, &o);

    if (rc >= 0)
        return rc;
    return report_run(c, &o, &x.spec, build, 1);
}
