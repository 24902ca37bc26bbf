/* growth.c - tokstat growth: week-over-week growth per group. */
#include "cmd/cmd.h"
#include "cmd/report_opts.h"

enum { O_SUMMARY = REPORT_OPT_OWN + 1 };

static const struct opt_spec own[] = {
    {"summary", 0, 0, O_SUMMARY},
    {NULL, 0, 0, 0},
};

static int on_own(struct cli *c, struct reports_spec *spec, int id, const char *value)
{
    (void)c;
    (void)id;
    (void)value;
    spec->summary_only = 1; /* --summary, the only option of its own */
    return 0;
}

static int build(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    return report_from_series(in, reports_growth, out, err);
}

static const struct report_cmd growth = {
    .name = "growth",
    .usage = "usage: tokstat growth [--by country|vendor|model] [--summary] [OPTIONS]\n"
             "\n"
             "Per group and week: tokens, the week before's tokens, and the growth\n"
             "T_w / T_(w-1) - 1 ('new' for a group absent the week before; a week\n"
             "without data in the range counts as 0 tokens). Then, per group over\n"
             "the range: total growth and compound weekly growth\n"
             "(T_last / T_first)^(1/steps) - 1.\n"
             "Default range: the 8 most recent weeks with data.\n"
             "\n"
             "  --by G               country (default), vendor or model\n"
             "  --summary            only the summary over the range (in every format)\n",
    .by = REPORT_BY_ANY,
    .own = own,
    .on_own = on_own,
    .build = build,
    .default_last = 8,
    .other_applies = 1,
    .defaults = {.by = BY_COUNTRY, .prompt_share = -1},
};

int cmd_growth(struct cli *c, int argc, char **argv)
{
    return report_cmd_main(&growth, c, argc, argv);
}
