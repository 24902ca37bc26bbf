/* top.c - tokstat top: the top N of each week and how concentrated
 * the market is. */
#include <errno.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "cmd/report_opts.h"

enum { O_N = REPORT_OPT_OWN + 1 };

static const struct opt_spec own[] = {
    {"top", 'n', 1, O_N},
    {NULL, 0, 0, 0},
};

static int on_own(struct cli *c, struct reports_spec *spec, int id, const char *value)
{
    char *end;

    (void)id; /* -n, the only option of its own */
    errno = 0;
    long n = strtol(value, &end, 10);
    if (end == value || *end != '\0' || errno || n < 1 || n > 1000)
        return cli_usage_error(
            c, "top", "invalid value '%s' for -n (expected a number from 1 to 1000)", value);
    spec->top_n = (size_t)n;
    return 0;
}

static int build(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    return report_from_series(in, reports_top, out, err);
}

static const struct report_cmd top = {
    .name = "top",
    .usage = "usage: tokstat top [-n N] [--by model|vendor] [OPTIONS]\n"
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
             "  --by G               model (default) or vendor\n",
    .by = REPORT_BY_MODEL_VENDOR,
    .own = own,
    .on_own = on_own,
    .build = build,
    .default_last = 1,
    .other_applies = 1,
    .defaults = {.by = BY_MODEL, .top_n = 5, .prompt_share = -1},
};

int cmd_top(struct cli *c, int argc, char **argv)
{
    return report_cmd_main(&top, c, argc, argv);
}
