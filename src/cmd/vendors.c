/* vendors.c - tokstat vendors list|set|unset|import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "import/input.h"
#include "core/opts.h"
#include "core/vendors.h"
#include "db/vendors.h"

static const char usage[] =
    "usage: tokstat vendors list\n"
    "       tokstat vendors set VENDOR COUNTRY\n"
    "       tokstat vendors unset VENDOR\n"
    "       tokstat vendors import FILE\n"
    "\n"
    "The vendor of a model is the part of its slug before '/' (deepseek in\n"
    "deepseek/deepseek-chat). tokstat ships a vendor -> country table;\n"
    "'set' and 'import' add your own mappings, which take precedence and\n"
    "survive upgrades of the shipped table; 'unset' removes yours.\n"
    "Countries are ISO 3166 alpha-2 codes (US, CN, FR; EU is accepted).\n"
    "'import' reads a CSV file with a header naming a vendor (or author)\n"
    "column and a country column; rows whose country is unknown are skipped.\n";

enum { O_HELP = 1 };

static const struct opt_spec specs[] = {
    {"help", 'h', 0, O_HELP},
    {NULL, 0, 0, 0},
};

struct list_ctx {
    FILE *out;
};

static int list_one(void *ctx, const struct vendor_mapping *v)
{
    struct list_ctx *l = ctx;

    fprintf(l->out, "%-24s %-7s  %-7s  %s", v->vendor, v->country, v->source, v->name);
    if (v->shipped_country)
        fprintf(l->out, "%s(shipped: %s)", v->name[0] ? " " : "", v->shipped_country);
    fputc('\n', l->out);
    return 0;
}

static int vendors_list(struct cli *c, struct db *st)
{
    struct ts_err err = TS_ERR_INIT;
    struct list_ctx l = {c->out};

    fprintf(c->out, "%-24s %-7s  %-7s  %s\n", "vendor", "country", "source", "name");
    if (db_vendor_each(st, list_one, &l, &err) < 0) {
        cli_print_err(c, NULL, &err);
        return TS_EXIT_FAIL;
    }
    return TS_EXIT_OK;
}

static int import_row(void *ctx, const struct vendor_row *row, struct ts_err *err)
{
    return db_vendor_set(ctx, row->vendor, row->country, err);
}

static int vendors_import(struct cli *c, struct db *st, const char *file)
{
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf data = TS_BUF_INIT;
    struct vendors_parse_result res = VENDORS_PARSE_RESULT_INIT;
    char chunk[8192];
    ssize_t n;
    int rc = TS_EXIT_FAIL, in_tx = 0;

    if (input_open(&in, file, &err) < 0)
        goto fail;
    while ((n = input_read(&in, chunk, sizeof(chunk))) > 0)
        buf_add(&data, chunk, (size_t)n);
    if (n < 0) {
        ts_err_set(&err, "read error: %s", strerror(in.error));
        goto fail;
    }
    if (db_begin(st, &err) < 0)
        goto fail;
    in_tx = 1;
    if (vendors_parse(data.data ? data.data : "", data.len, import_row, st, &res, &err) < 0)
        goto fail;
    if (db_commit(st, &err) < 0) {
        in_tx = 0;
        goto fail;
    }
    in_tx = 0;
    fprintf(c->out, "%s: %zu %s set", shown, res.rows,
            ts_plural((long long)res.rows, "vendor", "vendors"));
    if (res.skipped)
        fprintf(c->out, ", %zu skipped: %s", res.skipped, res.skipped_list.data);
    fputc('\n', c->out);
    rc = TS_EXIT_OK;
    goto done;
fail:
    if (in_tx)
        db_rollback(st);
    cli_print_err(c, shown, &err);
done:
    vendors_parse_result_release(&res);
    buf_release(&data);
    input_release(&in);
    return rc;
}

int cmd_vendors(struct cli *c, int argc, char **argv)
{
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf vendor = TS_BUF_INIT;
    struct db *st = NULL;
    struct opts o;
    const char *args[4];
    size_t nargs = 0;
    char cc[3];
    int id, rc = TS_EXIT_OK;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cli_usage_error(c, "vendors", "%s", err.msg);
        if (id == O_HELP) {
            fputs(usage, c->out);
            return TS_EXIT_OK;
        }
        if (nargs == sizeof(args) / sizeof(args[0]))
            return cli_usage_error(c, "vendors", "unexpected argument '%s'", o.value);
        args[nargs++] = o.value;
    }
    /* Each subcommand with its word count, the subcommand included. */
    static const struct {
        const char *name;
        size_t want;
        const char *form;
    } subs[] = {
        {"list", 1, "vendors list"},
        {"set", 3, "vendors set VENDOR COUNTRY"},
        {"unset", 2, "vendors unset VENDOR"},
        {"import", 2, "vendors import FILE"},
    };
    const char *sub = nargs ? args[0] : "list";
    size_t k = 0, nsubs = sizeof(subs) / sizeof(subs[0]);
    while (k < nsubs && strcmp(sub, subs[k].name) != 0)
        k++;
    if (k == nsubs)
        return cli_usage_error(c, "vendors",
                               "'%s' is not a vendors command (expected list, set, unset or "
                               "import)",
                               sub);
    size_t want = subs[k].want;
    if (nargs > 0 && nargs != want)
        return cli_usage_error(c, "vendors", "'%s' takes %zu argument%s (expected 'tokstat %s')",
                               sub, want - 1, want == 2 ? "" : "s", subs[k].form);
    /* Check the arguments before touching the database. */
    if (want >= 2 && strcmp(sub, "import") != 0 && vendor_normalize(args[1], &vendor, &err) < 0) {
        rc = cli_usage_error(c, "vendors", "%s", err.msg);
        goto done;
    }
    if (want == 3 && country_normalize(args[2], cc, &err) < 0) {
        rc = cli_usage_error(c, "vendors", "%s", err.msg);
        goto done;
    }
    if (want == 3 && strcmp(vendor.data, "other") == 0) {
        rc = cli_usage_error(c, "vendors",
                             "'other' is the reserved bucket for unlisted models; its country is "
                             "always 'other'");
        goto done;
    }
    if ((rc = cli_open_store(c, &st)) != 0)
        goto done;
    if (strcmp(sub, "list") == 0) {
        rc = vendors_list(c, st);
    } else if (strcmp(sub, "import") == 0) {
        rc = vendors_import(c, st, args[1]);
    } else if (strcmp(sub, "set") == 0) {
        if (db_vendor_set(st, vendor.data, cc, &err) < 0) {
            cli_print_err(c, NULL, &err);
            rc = TS_EXIT_FAIL;
        } else {
            fprintf(c->out, "%s: %s (user)\n", vendor.data, cc);
        }
    } else {
        int removed = db_vendor_unset(st, vendor.data, &err);
        if (removed < 0) {
            cli_print_err(c, NULL, &err);
            rc = TS_EXIT_FAIL;
        } else if (removed == 0) {
            rc = cli_fail(c, "vendor '%s' has no user mapping to remove", vendor.data);
        } else {
            fprintf(c->out, "%s: user mapping removed\n", vendor.data);
        }
    }
done:
    buf_release(&vendor);
    db_close(st);
    return rc;
}
