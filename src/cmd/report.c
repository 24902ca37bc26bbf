/* report.c - tokstat report: each group's share of each week's tokens. */
#include "cmd/cmd.h"
#include "cmd/report_opts.h"

static int build(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    return report_from_series(in, reports_share, out, err);
}

static const struct report_cmd report = {
    .name = "report",
    .usage = "usage: tokstat report [--by country|vendor|model] [OPTIONS]\n"
             "\n"
             "Per week and group: tokens, share of the week's tokens, the change of\n"
             "that share in percentage points against the week before, and rank.\n"
             "Default range: the most recent week with data.\n"
             "\n"
             "  --by G               country (default), vendor or model\n",
    .by = REPORT_BY_ANY,
    .build = build,
    .default_last = 1,
    .other_applies = 1,
    .defaults = {.by = BY_COUNTRY, .prompt_share = -1},
};

int cmd_report(struct cli *c, int argc, char **argv)
{
    return report_cmd_main(&report, c, argc, argv);
}
