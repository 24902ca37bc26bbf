/* cmd_growth.c - tokstat growth: week-over-week growth per group. */
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report_opts.h"

static const char usage[] =
    "usage: tokstat growth [--by country|vendor|model] [--summary] [OPTIONS]\n"
    "\n"
    "Per group and week: tokens, the week before's tokens, and the growth\n"
    "T_w / T_(w-1) - 1 ('new' for a group absent the week before; a week\n"
    "without data in the range counts as 0 tokens). Then, per group over\n"
    "the range: total growth and compound weekly growth\n"
    "(T_last / T_first)^(1/steps) - 1.\n"
    "Default range: the 8 most recent weeks with data.\n"
    "\n"
    "  --by G               country (default), vendor or model\n"
    "  --summary            only the summary over the range (in every format)\n";

enum { O_BY = REPORT_OPT_OWN, O_SUMMARY };

static const struct opt_spec own[] = {
    {"by", 0, 1, O_BY},
    {"summary", 0, 0, O_SUMMARY},
    {NULL, 0, 0, 0},
};

struct ctx {
    struct cli *c;
    struct reports_spec spec;
};

static int on_own(void *p, int id, const char *value)
{
    struct ctx *x = p;

    if (id == O_SUMMARY) {
        x->spec.summary_only = 1;
        return 0;
    }
    return report_parse_by(x->c, "growth", value, 1, &x->spec.by);
}

static int build(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    return report_from_series(in, reports_growth, out, err);
}

int cmd_growth(struct cli *c, int argc, char **argv)
{
    struct ctx x = {c, {BY_COUNTRY, 0, NULL, 0, 0, NULL, -1}};
    struct report_opts o;
    int rc = report_opts_parse(c, "growth", usage, argc, argv, own, on_own, &x, &o);

    if (rc >= 0)
        return rc;
    return report_run(c, &o, &x.spec, build, 8);
}
