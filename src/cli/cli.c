/* cli.c - the command line's front: global options (--db, --help,
 * --version), the table of commands, help, and the check that the output
 * was written. Each command is a function of cmd/. */
#include "cli/cli.h"

#include <errno.h>
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
} commands[] = {
    {"import", cmd_import, "load usage dumps (CSV, JSON, OpenRouter) into the database"},
    {"fetch", cmd_fetch, "download OpenRouter's rankings or model catalogue and import them"},
    {"report", cmd_report, "share of each week's tokens by country, vendor or model"},
    {"growth", cmd_growth, "week-over-week growth by country, vendor or model"},
    {"top", cmd_top, "the top N models or vendors and market concentration (CR-N, HHI)"},
    {"prices", cmd_prices, "price per million tokens of the models in use, against a reference"},
    {"cost", cmd_cost, "estimated spend and average price per token by country, vendor or model"},
    {"chart", cmd_chart, "share of each week's tokens as stacked bars (terminal or SVG)"},
    {"dashboard", cmd_dashboard, "the week's reports as one self-contained HTML page"},
    {"status", cmd_status, "show what the database holds"},
    {"vendors", cmd_vendors, "list or change the vendor -> country map"},
    {"check", cmd_check, "check the database and its weekly roll-ups (--repair rebuilds them)"},
    {"help", cmd_help, "show this help, or the options of one command"},
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
    fprintf(env->err, "tokstat: '%s' is not a tokstat command (expected one of", name);
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

/* Reports a failed write of the output (a full disk; a closed pipe when
 * SIGPIPE is ignored; by default SIGPIPE ends the program quietly, as it
 * does other Unix tools). */
static int finish_output(struct cmd_env *env, int rc)
{
    errno = 0;
    if (fflush(env->out) != 0 || ferror(env->out)) {
        cmd_fail(env, "write error: %s", strerror(errno ? errno : EIO));
        return TS_EXIT_FAIL;
    }
    return rc;
}

int cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    struct cmd_env c = {out, err, NULL};
    int i = 1;

    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help(out);
            return finish_output(&c, TS_EXIT_OK);
        } else if (strcmp(a, "--version") == 0) {
            fprintf(out, "tokstat %s\n", TOKSTAT_VERSION);
            return finish_output(&c, TS_EXIT_OK);
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
    if (i >= argc) {
        print_help(err);
        return TS_EXIT_USAGE;
    }
    for (size_t k = 0; k < NCOMMANDS; k++) {
        if (strcmp(argv[i], commands[k].name) == 0)
            return finish_output(&c, commands[k].fn(&c, argc - i, argv + i));
    }
    return unknown_command(&c, argv[i]);
}
