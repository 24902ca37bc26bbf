/* cli.c - the command line's front: global options (--db, --help,
 * --version), the table of commands, help, and the check that the output
 * was written. Each command is a function of cmd/. */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/opts.h"
#include "core/util.h"

#ifndef TOKSTAT_VERSION
#define TOKSTAT_VERSION "0.0.0"
#endif

static int cmd_help(struct cmd_env *env, int argc, char **argv);

static const struct command {
    const char *name;
    int (*fn)(struct cmd_env *env, int argc, char **argv);
    const char *summary;
    int changes; /* may change the database: what it prints is the record of what it did */
} commands[] = {
    {"import", cmd_import, "load usage dumps (CSV, JSON, OpenRouter) into the database", 1},
    {"fetch", cmd_fetch, "download OpenRouter's rankings or model catalogue and import them", 1},
    {"report", cmd_report, "share of each week's tokens by country, vendor, model or family", 0},
    {"growth", cmd_growth, "week-over-week growth by country, vendor, model or family", 0},
    {"top", cmd_top, "the top N models, families or vendors; concentration (CR-N, HHI)", 0},
    {"prices", cmd_prices, "price per million tokens of the models in use, against a reference", 0},
    {"cost", cmd_cost, "estimated spend and average price per token by country or other group", 0},
    {"chart", cmd_chart, "share of each week's tokens as stacked bars (terminal or SVG)", 0},
    {"dashboard", cmd_dashboard, "the week's reports as one self-contained HTML page", 0},
    {"export", cmd_export, "the observations as CSV or JSON Lines rows, or monthly Hive folders",
     0},
    {"status", cmd_status, "show what the database holds", 0},
    {"vendors", cmd_vendors, "list or change the vendor -> country map", 1},
    {"families", cmd_families, "list or change the rules that group models into families", 1},
    {"check", cmd_check, "check the database and its weekly roll-ups (--repair rebuilds them)", 1},
    {"help", cmd_help, "show this help, or the options of one command", 0},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *out)
{
    fprintf(out, "usage: tokstat [--db PATH] COMMAND [OPTIONS]\n"
                 "\n"
                 "LLM token-usage analytics from public leaderboard dumps.\n"
                 "\n"
                 "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n"
                 "Global options:\n"
                 "  --db PATH   the database (default $TOKSTAT_DB, else\n"
                 "              $XDG_DATA_HOME/tokstat/tokstat.db or\n"
                 "              ~/.local/share/tokstat/tokstat.db)\n"
                 "  --help      show this help\n"
                 "  --version   show the version\n"
                 "\n"
                 "Run 'tokstat COMMAND --help' for a command's options.\n"
                 "Exit status: 0 success, 1 runtime or data error, 2 usage error.\n");
}

/* An unknown command: a usage error that lists the commands. */
static int unknown_command(struct cmd_env *env, const char *name)
{
    cmd_text(env, env->err, "tokstat: '%s' is not a tokstat command (expected one of", name);
    for (size_t k = 0; k < NCOMMANDS; k++)
        fprintf(env->err, "%s%s", k ? ", " : " ", commands[k].name);
    fprintf(env->err, ")\nTry 'tokstat --help'.\n");
    return TS_EXIT_USAGE;
}

static const char help_usage[] = "usage: tokstat help [COMMAND]\n"
                                 "\n"
                                 "Shows the list of commands (as 'tokstat --help' does), or the\n"
                                 "options of one command (as 'tokstat COMMAND --help' does).\n"
                                 "\n"
                                 "Options:\n"
                                 "  --help   show this help\n";

/* tokstat help [COMMAND]: the same text as tokstat --help or tokstat
 * COMMAND --help, which the command itself prints. */
static int cmd_help(struct cmd_env *env, int argc, char **argv)
{
    static const struct opt_spec specs[] = {{"help", 'h', 0, 1}, {NULL, 0, 0, 0}};
    struct ts_err err = TS_ERR_INIT;
    const char *name = NULL;
    struct opts o;
    int id;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "help", "%s", err.msg);
        if (id == 1) {
            fputs(help_usage, env->out);
            return TS_EXIT_OK;
        }
        if (name)
            return cmd_usage_error(env, "help", "unexpected argument '%s'", o.value);
        name = o.value;
    }
    if (!name) {
        print_help(env->out);
        return TS_EXIT_OK;
    }
    for (size_t k = 0; k < NCOMMANDS; k++) {
        if (strcmp(name, commands[k].name) == 0) {
            char *args[] = {(char *)commands[k].name, "--help", NULL};
            return commands[k].fn(env, 2, args);
        }
    }
    return unknown_command(env, name);
}

/* What the command wrote must reach its reader. A failed write (a full
 * disk) is reported: exit 1. A reader that went away (a closed pipe, as in
 * 'tokstat report | head -1') ends a command that only reads quietly, with
 * the status it had, as SIGPIPE ends other Unix tools; a command that
 * changes the database has done all its work (SIGPIPE is ignored, so it is
 * never killed half way) and says that its output was lost: exit 1. */
static int finish_output(struct cmd_env *env, int rc, int changes)
{
    int e = env->out_errno;

    errno = 0;
    if (fflush(env->out) != 0 && !e)
        e = errno ? errno : EIO;
    if (!e && ferror(env->out))
        e = EIO;
    if (!e || (e == EPIPE && !changes))
        return rc;
    cmd_fail(env, "write error: %s", strerror(e));
    return TS_EXIT_FAIL;
}

/* --db takes a path: a name starting with "file:", which SQLite would read
 * as a URI (mode=, immutable=...), is refused rather than half obeyed. */
static int db_uri_error(struct cmd_env *env)
{
    struct ts_buf b = TS_BUF_INIT;
    int rc;

    ts_quote_for_msg(&b, env->db_path, strlen(env->db_path), 300);
    rc = cmd_usage_error(env, NULL,
                         "invalid value '%s' for --db (expected a path, not a SQLite URI; write "
                         "'./%s' for a file whose name starts with 'file:')",
                         b.data, b.data);
    buf_release(&b);
    return rc;
}

int cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    struct cmd_env c = {out, err, NULL, 0};
    int i = 1;

    /* A closed pipe is a write error that each command deals with
     * (finish_output), never a signal that kills an import between files. */
    signal(SIGPIPE, SIG_IGN);

    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help(out);
            return finish_output(&c, TS_EXIT_OK, 0);
        } else if (strcmp(a, "--version") == 0) {
            fprintf(out, "tokstat %s\n", TOKSTAT_VERSION);
            return finish_output(&c, TS_EXIT_OK, 0);
        } else if (strcmp(a, "--db") == 0) {
            if (i + 1 >= argc)
                return cmd_usage_error(&c, NULL, "option '--db' needs a value");
            c.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            c.db_path = a + 5;
        } else if (a[0] == '-') {
            return cmd_usage_error(&c, NULL, "unrecognized option '%s'", a);
        } else {
            break;
        }
    }
    if (c.db_path && *c.db_path == '\0')
        return cmd_usage_error(&c, NULL, "option '--db' needs a value");
    if (c.db_path && strncmp(c.db_path, "file:", 5) == 0)
        return db_uri_error(&c);
    if (i >= argc) {
        print_help(err);
        return TS_EXIT_USAGE;
    }
    for (size_t k = 0; k < NCOMMANDS; k++) {
        if (strcmp(argv[i], commands[k].name) == 0)
            return finish_output(&c, commands[k].fn(&c, argc - i, argv + i), commands[k].changes);
    }
    return unknown_command(&c, argv[i]);
}
