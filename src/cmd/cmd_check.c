/* cmd_check.c - tokstat check: is the database file sound, and do the
 * weekly roll-ups the reports read still match the observations? With
 * --repair, rebuild the roll-ups that do not. */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "core/opts.h"
#include "core/util.h"
#include "db/check.h"

static const char usage[] =
    "usage: tokstat check [--repair]\n"
    "\n"
    "Checks the database: SQLite's integrity check, then every weekly roll-up\n"
    "(what the reports read) recomputed from the observations and compared\n"
    "with the stored one. Names each week whose roll-ups differ. Exit status 1\n"
    "when anything is wrong (after --repair: when the file itself is damaged).\n"
    "\n"
    "Options:\n"
    "  --repair   rebuild the roll-ups that differ, in one transaction\n"
    "  --help     show this help\n";

enum { O_REPAIR = 1, O_HELP };

static const struct opt_spec specs[] = {
    {"repair", 0, 0, O_REPAIR},
    {"help", 'h', 0, O_HELP},
    {NULL, 0, 0, 0},
};

/* --repair into *repair. Returns -1 to go on, or the exit status to end
 * with (0 after --help). */
static int parse_args(struct cmd_env *env, int argc, char **argv, int *repair)
{
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    int id;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "check", "%s", err.msg);
        if (id == 0)
            return cmd_usage_error(env, "check", "unexpected argument '%s'", o.value);
        if (id == O_HELP) {
            fputs(usage, env->out);
            return TS_EXIT_OK;
        }
        *repair = 1;
    }
    return -1;
}

/* What was found, and the exit status it means. */
static int print_report(struct cmd_env *env, const struct check_report *r, int repair)
{
    size_t integrity = r->nproblems - r->rollups_wrong;
    size_t i = 0;

    if (r->integrity_ok) {
        fputs("integrity: ok\n", env->out);
    } else {
        fprintf(env->out, "integrity: %zu %s\n", integrity,
                ts_plural((long long)integrity, "problem", "problems"));
        for (; i < integrity; i++)
            cmd_line(env, env->out, "  %s", r->problems[i]);
    }
    if (!r->rollups_checked)
        fputs("roll-ups: not checked (the file is damaged)\n", env->out);
    else if (r->rollups_wrong == 0)
        fputs("roll-ups: ok\n", env->out);
    else
        fprintf(env->out, "roll-ups: %zu %s from the observations%s\n", r->rollups_wrong,
                r->rollups_wrong == 1 ? "week differs" : "weeks differ", repair ? ", rebuilt" : "");
    for (; i < r->nproblems; i++)
        cmd_line(env, env->out, "  %s", r->problems[i]);
    if (!r->integrity_ok)
        return cmd_fail(env, "the database file is damaged (restore it from a copy; 'sqlite3 "
                             "FILE .recover' may save some of it)");
    if (r->rollups_wrong > 0 && !repair)
        return cmd_fail(env,
                        "the roll-ups of %zu %s no longer match the observations (run "
                        "'tokstat check --repair' to rebuild them)",
                        r->rollups_wrong, ts_plural((long long)r->rollups_wrong, "week", "weeks"));
    return TS_EXIT_OK;
}

int cmd_check(struct cmd_env *env, int argc, char **argv)
{
    struct ts_err err = TS_ERR_INIT;
    struct check_report r = CHECK_REPORT_INIT;
    struct db *db = NULL;
    char *path = NULL;
    int repair = 0, rc;

    if ((rc = parse_args(env, argc, argv, &repair)) >= 0)
        return rc;
    if (!(path = cmd_db_path(env, &err))) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    if ((rc = repair ? cmd_open_db(env, &db) : cmd_open_db_read(env, &db)) == 0) {
        cmd_line(env, env->out, "database: %s", path);
        if (db_check(db, repair, &r, &err) < 0) {
            cmd_print_err(env, NULL, &err);
            rc = TS_EXIT_FAIL;
        } else {
            rc = print_report(env, &r, repair);
        }
    }
    check_report_release(&r);
    db_close(db);
    free(path);
    return rc;
}
