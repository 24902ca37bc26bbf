/* cmd_import.c - tokstat import: load dump files, one transaction each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/import_io.h"
#include "core/opts.h"
#include "core/week.h"
#include "import/format.h"
#include "import/import.h"
#include "import/input.h"
#include "render/progress.h"

static const char usage[] =
    "usage: tokstat import [OPTIONS] FILE...\n"
    "\n"
    "Loads usage dumps into the database. The format is detected from the\n"
    "content; each file is imported in one transaction, all of it or none.\n"
    "'-' reads standard input.\n"
    "\n"
    "Options:\n"
    "  --dataset NAME        import into this dataset (default: default; app\n"
    "                        rankings: apps)\n"
    "  --format F            force the format: csv, jsonl, json, openrouter-daily,\n"
    "                        openrouter-chart, openrouter-weekly, openrouter-models,\n"
    "                        openrouter-apps\n"
    "  --period day|week     what each row covers, whatever the format implies\n"
    "  --week-label start|end  a weekly row's date is the first day of its week\n"
    "                        (start, the default) or the day after its end (end)\n"
    "  --as-of DATE          when the data was taken, for files that do not say\n"
    "                        (the model catalogue: its prices are valid from then;\n"
    "                        default: the file's own as-of time, else today)\n"
    "  --category C          app rankings: the category they were fetched for (the\n"
    "                        file does not say; default: all apps)\n"
    "  --subcategory S       app rankings: the subcategory (e.g. cli-agent)\n"
    "  --sort popular|trending  app rankings: their order (default: popular, the\n"
    "                        API's)\n"
    "  --dry-run             parse and check everything, write nothing\n"
    "  --force               import a dump whose as-of time is older than that of\n"
    "                        the dump that wrote the rows it updates (bringing\n"
    "                        back its older figures, with a warning)\n"
    "  -q, --quiet           print no summary lines and no progress bar (errors\n"
    "                        and warnings are still reported)\n"
    "  --help                show this help\n"
    "\n"
    "Each file gets one summary line on standard output; rows whose prompt and\n"
    "completion tokens do not split their total (both 0, their sum above the\n"
    "total, or more than 1 % off it) get a warning on standard error. A file\n"
    "that takes more than a second shows a progress bar on standard error when\n"
    "that is a terminal (TOKSTAT_PROGRESS_DELAY_MS sets the delay in\n"
    "milliseconds).\n"
    "\n"
    "App rankings (openrouter-apps) must cover one ISO week, Monday to Sunday\n"
    "(meta.start_date and meta.end_date); each app becomes a weekly observation\n"
    "of the app in a dataset of apps, never mixed with model usage. A dataset of\n"
    "apps holds one list: the same --category, --subcategory and --sort.\n";

enum {
    O_DATASET = 1,
    O_FORMAT,
    O_PERIOD,
    O_WEEK_LABEL,
    O_AS_OF,
    O_CATEGORY,
    O_SUBCATEGORY,
    O_SORT,
    O_DRY_RUN,
    O_FORCE,
    O_QUIET,
    O_HELP
};

static const struct opt_spec specs[] = {
    {"dataset", 0, 1, O_DATASET},
    {"format", 0, 1, O_FORMAT},
    {"period", 0, 1, O_PERIOD},
    {"week-label", 0, 1, O_WEEK_LABEL},
    {"as-of", 0, 1, O_AS_OF},
    {"category", 0, 1, O_CATEGORY},
    {"subcategory", 0, 1, O_SUBCATEGORY},
    {"sort", 0, 1, O_SORT},
    {"dry-run", 0, 0, O_DRY_RUN},
    {"force", 0, 0, O_FORCE},
    {"quiet", 'q', 0, O_QUIET},
    {"help", 'h', 0, O_HELP},
    {NULL, 0, 0, 0},
};

/* Imports one file in one transaction. Returns 0, or -1 after printing. */
static int import_one(struct cmd_env *env, struct db *db, const char *name,
                      const struct import_args *a)
{
    const char *shown = strcmp(name, "-") == 0 ? "<stdin>" : name;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    int rc;

    if (input_open(&in, name, &err) < 0) {
        cmd_print_err(env, shown, &err);
        return -1;
    }
    rc = import_input(env, db, &in, shown, a);
    input_release(&in);
    return rc;
}

static int bad_value(struct cmd_env *env, const char *value, const char *option,
                     const char *expected)
{
    return cmd_usage_error(env, "import", "invalid value '%s' for %s (expected %s)", value, option,
                           expected);
}

/* One option of import into a; returns 0, or the exit status to end with. */
static int parse_option(struct cmd_env *env, int id, const char *v, struct import_args *a)
{
    int32_t day;

    switch (id) {
    case O_DATASET:
        a->dataset = v;
        if (!import_dataset_name_ok(v))
            return bad_value(env, v, "--dataset", "a name of 1 to 64 printable characters");
        return 0;
    case O_FORMAT:
        if (format_parse(v, &a->opts.format) < 0)
            return bad_value(env, v, "--format",
                             "csv, jsonl, json, openrouter-daily, openrouter-chart, "
                             "openrouter-weekly, openrouter-models or openrouter-apps");
        return 0;
    case O_PERIOD:
        if (strcmp(v, "day") != 0 && strcmp(v, "week") != 0)
            return bad_value(env, v, "--period", "day or week");
        a->opts.period = v[0] == 'd' ? TS_DAY : TS_WEEK;
        return 0;
    case O_WEEK_LABEL:
        if (strcmp(v, "start") != 0 && strcmp(v, "end") != 0)
            return bad_value(env, v, "--week-label", "start or end");
        a->label_end = v[0] == 'e';
        return 0;
    case O_AS_OF:
        if (date_parse(v, strlen(v), &day) < 0)
            return bad_value(env, v, "--as-of", "a date, YYYY-MM-DD");
        if (day > date_today() + 1)
            return bad_value(env, v, "--as-of", "a date, YYYY-MM-DD, that is not in the future");
        if (!date_in_data_range(day))
            return bad_value(env, v, "--as-of", TS_DATA_RANGE_TEXT);
        a->as_of = v;
        return 0;
    case O_CATEGORY:
    case O_SUBCATEGORY:
    case O_SORT: {
        const char *opt = id == O_CATEGORY ? "category" : id == O_SORT ? "sort" : "subcategory";
        char option[16];
        snprintf(option, sizeof(option), "--%s", opt);
        if (app_list_set(&a->apps, opt, v) < 0)
            return bad_value(env, v, option,
                             id == O_SORT ? "popular or trending"
                                          : "a word of letters, digits, '-' or '_', such as "
                                            "coding or cli-agent");
        return 0;
    }
    case O_DRY_RUN:
        a->dry_run = 1;
        return 0;
    case O_FORCE:
        a->force = 1;
        return 0;
    case O_QUIET:
        a->quiet = 1;
        return 0;
    default: /* O_HELP */
        fputs(usage, env->out);
        return -1;
    }
}

/* The command line into a and files[] (room for argc). Returns -1 to go
 * on, or the exit status to end with (0 after --help). */
static int parse_args(struct cmd_env *env, int argc, char **argv, struct import_args *a,
                      char **files, size_t *nfiles)
{
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    size_t stdin_count = 0;
    int id, rc;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "import", "%s", err.msg);
        if (id == 0) {
            files[(*nfiles)++] = (char *)o.value;
            stdin_count += strcmp(o.value, "-") == 0;
        } else if ((rc = parse_option(env, id, o.value, a)) != 0) {
            return rc < 0 ? TS_EXIT_OK : rc;
        }
    }
    if (*nfiles == 0)
        return cmd_usage_error(env, "import", "no file to import (expected FILE... or '-')");
    if (stdin_count > 1)
        return cmd_usage_error(env, "import", "'-' (standard input) can be given only once");
    return -1;
}

/* The database to import into. A dry run against a database that does not
 * exist yet checks against an empty one in memory rather than creating the
 * file. Returns 0, or the exit status after printing. */
static int open_db(struct cmd_env *env, const struct import_args *a, struct db **out)
{
    struct ts_err err = TS_ERR_INIT;

    if (a->dry_run) {
        char *path = cmd_db_path(env, &err);
        int missing = path && access(path, F_OK) != 0;
        free(path);
        if (!path || (missing && db_open(":memory:", out, &err) < 0)) {
            cmd_print_err(env, NULL, &err);
            return TS_EXIT_FAIL;
        }
        if (missing)
            return 0;
    }
    return cmd_open_db(env, out);
}

int cmd_import(struct cmd_env *env, int argc, char **argv)
{
    struct import_args a = IMPORT_ARGS_INIT;
    char **files = xcalloc((size_t)argc, sizeof(*files));
    size_t nfiles = 0, failed = 0;
    struct db *db = NULL;
    int rc;

    if ((rc = parse_args(env, argc, argv, &a, files, &nfiles)) < 0 &&
        (rc = open_db(env, &a, &db)) == 0) {
        /* A bar only ever goes to a terminal, and never under --quiet. */
        if (!a.quiet && isatty(fileno(env->err))) {
            a.bar = env->err;
            a.delay_ms = progress_delay_ms(getenv("TOKSTAT_PROGRESS_DELAY_MS"));
        }
        for (size_t i = 0; i < nfiles; i++) {
            if (import_one(env, db, files[i], &a) < 0)
                failed++;
        }
        if (failed > 0 && nfiles > 1)
            cmd_fail(env, "%zu of %zu files failed", failed, nfiles);
        rc = failed ? TS_EXIT_FAIL : TS_EXIT_OK;
    }
    db_close(db);
    free(files);
    return rc;
}
