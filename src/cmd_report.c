/* cmd_report.c - tokstat report: each group's share of each week's tokens. */
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report_opts.h"

static const char usage[] =
    "usage: tokstat report [--by country|vendor|model] [OPTIONS]\n"
    "\n"
    "Per week and group: tokens, share of the week's tokens, the change of\n"
    "that share in percentage points against the week before, and rank.\n"
    "Default range: the most recent week with data.\n"
    "\n"
    "  --by G               country (default), vendor or model\n";

enum { O_BY = REPORT_OPT_OWN };

static const struct opt_spec own[] = {
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

    (void)id;
    return report_parse_by(x->c, "report", value, 1, &x->spec.by);
}

static int build(const struct report_input *in, struct reports *out, struct ts_err *err)
{
    return report_from_series(in, reports_share, out, err);
}

int cmd_report(struct cli *c, int argc, char **argv)
{
    struct ctx x = {c, {BY_COUNTRY, 0, NULL, 0, 0, NULL, -1}};
    struct report_opts o;
    int rc = report_opts_parse(c, "report", usage, argc, argv, own, on_own, &x, &o);

    if (rc >= 0)
        return rc;
    return report_run(c, &o, &x.spec, build, 1);
}
