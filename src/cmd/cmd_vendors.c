/* cmd_vendors.c - tokstat vendors list|set|unset|import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "import/input.h"
#include "core/opts.h"
#include "core/vendors.h"
#include "db/countries.h"

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
    "Countries are ISO 3166-1 alpha-2 codes (US, CN, FR; EU is accepted), or\n"
    "unknown for a vendor that no source places (reported as unknown, without\n"
    "the warning that asks for a mapping).\n"
    "'import' reads a CSV file with a header naming a vendor (or author)\n"
    "column and a country column; rows without a country are skipped.\n";

struct list_ctx {
    struct cmd_env *env;
};

static int list_one(void *ctx, const struct vendor_mapping *v)
{
    struct list_ctx *l = ctx;

    FILE *out = l->env->out;

    cmd_text(l->env, out, "%-24s %-7s  %-7s  %s", v->vendor, v->country, v->source, v->name);
    if (v->shipped_country)
        cmd_text(l->env, out, "%s(shipped: %s)", v->name[0] ? " " : "", v->shipped_country);
    cmd_line(l->env, out, "%s", "");
    return 0;
}

static int vendors_list(struct cmd_env *env, struct db *st)
{
    struct ts_err err = TS_ERR_INIT;
    struct list_ctx l = {env};

    fprintf(env->out, "%-24s %-7s  %-7s  %s\n", "vendor", "country", "source", "name");
    if (db_vendor_each(st, list_one, &l, &err) < 0) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    return TS_EXIT_OK;
}

static int import_row(void *ctx, const struct vendor_row *row, struct ts_err *err)
{
    return db_vendor_set(ctx, row->vendor, row->country, err);
}

/* Imports a vendor file in one transaction, read as it goes: memory stays
 * bounded however large the file (or endless, like /dev/zero). */
static int vendors_import(struct cmd_env *env, struct db *st, const char *file)
{
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct vendors_parse_result res = VENDORS_PARSE_RESULT_INIT;
    struct vendors_parser *vp = NULL;
    const char *chunk;
    ssize_t n;
    int rc = TS_EXIT_FAIL, in_tx = 0;

    if (input_open(&in, file, &err) < 0 || input_check_encoding(&in, &err) < 0)
        goto fail;
    if (db_begin(st, &err) < 0)
        goto fail;
    in_tx = 1;
    if (!(vp = vendors_parser_new(import_row, st, &res, &err))) {
        ts_err_set(&err, "cannot start the CSV parser");
        goto fail;
    }
    while ((n = input_next(&in, &chunk)) > 0) {
        if (vendors_parser_feed(vp, chunk, (size_t)n) < 0)
            goto fail;
    }
    if (n < 0) {
        ts_err_set(&err, "read error: %s", strerror(in.error));
        goto fail;
    }
    if (vendors_parser_end(vp) < 0)
        goto fail;
    in_tx = 0;
    if (db_commit(st, &err) < 0)
        goto fail;
    cmd_text(env, env->out, "%s: %zu %s set", shown, res.rows,
             ts_plural((long long)res.rows, "vendor", "vendors"));
    if (res.skipped)
        cmd_text(env, env->out, ", %zu skipped: %s", res.skipped, res.skipped_list.data);
    if (res.skipped > VENDORS_SKIPPED_SHOWN)
        cmd_text(env, env->out, " and %zu more", res.skipped - VENDORS_SKIPPED_SHOWN);
    cmd_line(env, env->out, "%s", "");
    rc = TS_EXIT_OK;
    goto done;
fail:
    if (in_tx)
        db_rollback(st);
    cmd_print_err(env, shown, &err);
done:
    vendors_parser_free(vp);
    vendors_parse_result_release(&res);
    input_release(&in);
    return rc;
}

/* Each subcommand with its word count, the subcommand included. */
static const struct cmd_sub subs[] = {
    {"list", 1, "vendors list"},
    {"set", 3, "vendors set VENDOR COUNTRY"},
    {"unset", 2, "vendors unset VENDOR"},
    {"import", 2, "vendors import FILE"},
};

#define NSUBS (sizeof(subs) / sizeof(subs[0]))

/* The arguments of subcommand subs[k] checked before the database is
 * touched: the vendor (into vendor) and the country (into cc). Returns -1
 * to go on, or the exit status to end with. */
static int check_args(struct cmd_env *env, const char **args, size_t k, struct ts_buf *vendor,
                      char cc[3])
{
    struct ts_err err = TS_ERR_INIT;
    const char *sub = subs[k].name;
    size_t want = subs[k].want;

    if (want >= 2 && strcmp(sub, "import") != 0 && vendor_normalize(args[1], vendor, &err) < 0)
        return cmd_usage_error(env, "vendors", "%s", err.msg);
    if (want == 3 && strcasecmp(args[2], TS_UNKNOWN) == 0)
        memcpy(cc, "", 1); /* unknown on purpose: no source places the vendor */
    else if (want == 3 && country_normalize(args[2], cc, &err) < 0)
        return cmd_usage_error(env, "vendors", "%s", err.msg);
    if (want == 3 && strcmp(vendor->data, "other") == 0)
        return cmd_usage_error(env, "vendors",
                               "'other' is the reserved bucket for unlisted models; its country "
                               "is always 'other'");
    return -1;
}

static int vendors_set(struct cmd_env *env, struct db *db, const char *vendor, const char *cc)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_vendor_set(db, vendor, cc, &err) < 0) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    cmd_line(env, env->out, "%s: %s (user)", vendor, cc);
    return TS_EXIT_OK;
}

static int vendors_unset(struct cmd_env *env, struct db *db, const char *vendor)
{
    struct ts_err err = TS_ERR_INIT;
    int removed = db_vendor_unset(db, vendor, &err);

    if (removed < 0) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    if (removed == 0)
        return cmd_fail(env, "vendor '%s' has no user mapping to remove", vendor);
    cmd_line(env, env->out, "%s: user mapping removed", vendor);
    return TS_EXIT_OK;
}

int cmd_vendors(struct cmd_env *env, int argc, char **argv)
{
    struct ts_buf vendor = TS_BUF_INIT;
    struct db *db = NULL;
    const char *args[CMD_SUB_MAX];
    size_t nargs = 0, k = 0;
    char cc[3];
    int rc;

    if ((rc = cmd_sub_parse(env, "vendors", usage, subs, NSUBS, argc, argv, args, &nargs, &k)) >=
            0 ||
        (rc = check_args(env, args, k, &vendor, cc)) >= 0 ||
        (rc = strcmp(subs[k].name, "list") == 0 ? cmd_open_db_list(env, &db)
                                                : cmd_open_db(env, &db)) != 0)
        goto done;
    if (strcmp(subs[k].name, "list") == 0)
        rc = vendors_list(env, db);
    else if (strcmp(subs[k].name, "import") == 0)
        rc = vendors_import(env, db, args[1]);
    else if (strcmp(subs[k].name, "set") == 0)
        rc = vendors_set(env, db, vendor.data, cc[0] ? cc : TS_UNKNOWN);
    else
        rc = vendors_unset(env, db, vendor.data);
done:
    buf_release(&vendor);
    db_close(db);
    return rc;
}
