/* cmd_families.c - tokstat families list|set|unset|import: the rules that
 * give each model its family (core/families.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/families.h"
#include "core/opts.h"
#include "db/families.h"
#include "import/input.h"

static const char usage[] =
    "usage: tokstat families list\n"
    "       tokstat families set PREFIX FAMILY\n"
    "       tokstat families unset PREFIX\n"
    "       tokstat families import FILE\n"
    "\n"
    "A model's family holds its dated versions and variants together: the\n"
    "reports group by family, and 'tokstat export' writes each model's.\n"
    "A rule gives the models whose slug starts with PREFIX the family FAMILY,\n"
    "the longest matching prefix winning: deepseek/deepseek-v3.2 covers\n"
    "deepseek/deepseek-v3.2-exp and deepseek/deepseek-v3.2-20251201:free. A\n"
    "model no rule covers belongs to its slug without a -YYYYMMDD or\n"
    "-YYYY-MM-DD date and without its :variant. A family is a slug of its\n"
    "prefix's vendor, without a :variant.\n"
    "tokstat ships rules; 'set' and 'import' add your own, which come before\n"
    "the shipped ones (the longest of yours that matches wins) and survive\n"
    "upgrades of the shipped rules; 'unset' removes yours. 'import' reads a\n"
    "CSV file with a header naming a prefix column and a family column, and\n"
    "sets all its rules or none.\n";

static int list_one(void *ctx, const struct family_listing *f)
{
    struct cmd_env *env = ctx;

    cmd_text(env, env->out, "%-42s %-32s %s", f->prefix, f->family, f->source);
    if (f->shipped_family)
        cmd_text(env, env->out, " (shipped: %s)", f->shipped_family);
    cmd_line(env, env->out, "%s", "");
    return 0;
}

static int families_list(struct cmd_env *env, struct db *st)
{
    struct ts_err err = TS_ERR_INIT;

    fprintf(env->out, "%-42s %-32s %s\n", "prefix", "family", "source");
    if (db_family_each(st, list_one, env, &err) < 0) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    return TS_EXIT_OK;
}

static int import_row(void *ctx, const struct family_rule *rule, long line, struct ts_err *err)
{
    (void)line;
    return db_family_set(ctx, rule->prefix, rule->family, err);
}

/* The whole of file ('-': standard input) into data. */
static int read_all(const char *file, struct ts_buf *data, struct ts_err *err)
{
    struct ts_input in = TS_INPUT_INIT;
    char chunk[8192];
    ssize_t n;
    int rc = 0;

    if (input_open(&in, file, err) < 0)
        return -1;
    while ((n = input_read(&in, chunk, sizeof(chunk))) > 0)
        buf_add(data, chunk, (size_t)n);
    if (n < 0)
        rc = ts_err_set(err, "read error: %s", strerror(in.error));
    input_release(&in);
    return rc;
}

static int families_import(struct cmd_env *env, struct db *st, const char *file)
{
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf data = TS_BUF_INIT;
    size_t rows = 0;
    int rc = TS_EXIT_FAIL;

    if (read_all(file, &data, &err) < 0 || db_begin(st, &err) < 0)
        goto fail;
    if (families_parse(data.data ? data.data : "", data.len, import_row, st, &rows, &err) < 0) {
        db_rollback(st);
        goto fail;
    }
    if (db_commit(st, &err) < 0)
        goto fail;
    cmd_line(env, env->out, "%s: %zu %s set", shown, rows,
             ts_plural((long long)rows, "rule", "rules"));
    rc = TS_EXIT_OK;
    goto done;
fail:
    cmd_print_err(env, shown, &err);
done:
    buf_release(&data);
    return rc;
}

/* Each subcommand with its word count, the subcommand included. */
static const struct cmd_sub subs[] = {
    {"list", 1, "families list"},
    {"set", 3, "families set PREFIX FAMILY"},
    {"unset", 2, "families unset PREFIX"},
    {"import", 2, "families import FILE"},
};

#define NSUBS (sizeof(subs) / sizeof(subs[0]))

/* The arguments of subcommand subs[k] checked before the database is
 * touched: the prefix and the family, normalised. Returns -1 to go on, or
 * the exit status to end with. */
static int check_args(struct cmd_env *env, const char **args, size_t k, struct ts_buf *prefix,
                      struct ts_buf *family)
{
    struct ts_err err = TS_ERR_INIT;
    const char *sub = subs[k].name;
    size_t want = subs[k].want;

    if (want == 3 && family_rule_normalize(args[1], args[2], prefix, family, &err) < 0)
        return cmd_usage_error(env, "families", "%s", err.msg);
    if (want == 2 && strcmp(sub, "unset") == 0 &&
        family_prefix_normalize(args[1], prefix, &err) < 0)
        return cmd_usage_error(env, "families", "%s", err.msg);
    return -1;
}

static int families_set(struct cmd_env *env, struct db *db, const char *prefix, const char *family)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_family_set(db, prefix, family, &err) < 0) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    cmd_line(env, env->out, "%s: %s (user)", prefix, family);
    return TS_EXIT_OK;
}

static int families_unset(struct cmd_env *env, struct db *db, const char *prefix)
{
    struct ts_err err = TS_ERR_INIT;
    int removed = db_family_unset(db, prefix, &err);

    if (removed < 0) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    if (removed == 0)
        return cmd_fail(env, "prefix '%s' has no user rule to remove", prefix);
    cmd_line(env, env->out, "%s: user rule removed", prefix);
    return TS_EXIT_OK;
}

int cmd_families(struct cmd_env *env, int argc, char **argv)
{
    struct ts_buf prefix = TS_BUF_INIT, family = TS_BUF_INIT;
    struct db *db = NULL;
    const char *args[CMD_SUB_MAX];
    size_t nargs = 0, k = 0;
    int rc;

    if ((rc = cmd_sub_parse(env, "families", usage, subs, NSUBS, argc, argv, args, &nargs, &k)) >=
            0 ||
        (rc = check_args(env, args, k, &prefix, &family)) >= 0 ||
        (rc = strcmp(subs[k].name, "list") == 0 ? cmd_open_db_list(env, &db)
                                                : cmd_open_db(env, &db)) != 0)
        goto done;
    if (strcmp(subs[k].name, "list") == 0)
        rc = families_list(env, db);
    else if (strcmp(subs[k].name, "import") == 0)
        rc = families_import(env, db, args[1]);
    else if (strcmp(subs[k].name, "set") == 0)
        rc = families_set(env, db, prefix.data, family.data);
    else
        rc = families_unset(env, db, prefix.data);
done:
    buf_release(&prefix);
    buf_release(&family);
    db_close(db);
    return rc;
}
