/* cmd.h - the commands, and what they share for talking to the user:
 * the streams and database path they run with, messages in one style, and
 * the exit codes. cli.c parses the global options and dispatches here;
 * only cli and cmd print. */
#ifndef TOKSTAT_CMD_CMD_H
#define TOKSTAT_CMD_CMD_H

#include <stdio.h>

#include "core/err.h"
#include "db/db.h"

enum {
    TS_EXIT_OK = 0,
    TS_EXIT_FAIL = 1,  /* runtime or data error */
    TS_EXIT_USAGE = 2, /* unknown command or option, bad value */
};

/* What a command runs with. */
struct cmd_env {
    FILE *out;
    FILE *err;
    const char *db_path; /* --db, else NULL: resolved from the environment */
    int out_errno;       /* the errno of the first failed write through cmd_text to out, or 0 */
};

/* Each command: argv[0] is its name. Returns the exit status. */
int cmd_import(struct cmd_env *env, int argc, char **argv);
int cmd_fetch(struct cmd_env *env, int argc, char **argv);
int cmd_status(struct cmd_env *env, int argc, char **argv);
int cmd_vendors(struct cmd_env *env, int argc, char **argv);
int cmd_families(struct cmd_env *env, int argc, char **argv);
int cmd_report(struct cmd_env *env, int argc, char **argv);
int cmd_growth(struct cmd_env *env, int argc, char **argv);
int cmd_top(struct cmd_env *env, int argc, char **argv);
int cmd_prices(struct cmd_env *env, int argc, char **argv);
int cmd_cost(struct cmd_env *env, int argc, char **argv);
int cmd_chart(struct cmd_env *env, int argc, char **argv);
int cmd_export(struct cmd_env *env, int argc, char **argv);
int cmd_dashboard(struct cmd_env *env, int argc, char **argv);
int cmd_check(struct cmd_env *env, int argc, char **argv);

/* Text for the user (summary lines, status, messages) goes through these:
 * printf-style, with every control character and every byte that is not
 * UTF-8 of the result shown as \xNN (ts_text_escape), so that a file name,
 * an as-of stamp or an argument never moves the cursor, clears the screen
 * or forges a line. Format strings hold no control characters; cmd_line
 * ends the line. */
void cmd_text(struct cmd_env *env, FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cmd_line(struct cmd_env *env, FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The messages below escape their text the same way. */

/* Prints "tokstat: MSG"; returns TS_EXIT_FAIL. */
int cmd_fail(struct cmd_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "tokstat CMD: MSG" and "Try 'tokstat CMD --help'." (without CMD
 * when it is NULL); returns TS_EXIT_USAGE. */
int cmd_usage_error(struct cmd_env *env, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* cmd_usage_error with the message BEFORE'VALUE'AFTER, VALUE quoted as
 * messages quote what a user typed (escaped, at most 200 bytes). */
int cmd_usage_value(struct cmd_env *env, const char *cmd, const char *before, const char *value,
                    const char *after);

/* Prints "tokstat: FILE:LINE:COL: MSG" (the parts that are known). */
void cmd_print_err(struct cmd_env *env, const char *file, const struct ts_err *e);

/* Where the database is: --db, $TOKSTAT_DB, $XDG_DATA_HOME/tokstat/tokstat.db
 * or ~/.local/share/tokstat/tokstat.db. Returns a string the caller frees,
 * or NULL (err filled) when none can be worked out. */
char *cmd_db_path(struct cmd_env *env, struct ts_err *err);

/* Opens the database for a command that writes (import, fetch, vendors
 * set, check --repair...): creates it and its folder when missing, migrates
 * an older schema. Prints any error; returns 0 or TS_EXIT_FAIL. */
int cmd_open_db(struct cmd_env *env, struct db **out);

/* Opens the existing database read-only for a command that only reads
 * (the reports, status, check, vendors list): a missing one is an error
 * naming its path, and nothing is ever created or written. Prints any
 * error, and a note when the database's vendor table or family rules are
 * another version's; returns 0 or TS_EXIT_FAIL (*out NULL). */
int cmd_open_db_read(struct cmd_env *env, struct db **out);

/* Opens the database for a list that only reads (vendors list, families
 * list): read-only as cmd_open_db_read, or, before there is one, a
 * database in memory holding the shipped tables alone (no file is
 * created). Prints any error; returns 0 or TS_EXIT_FAIL. */
int cmd_open_db_list(struct cmd_env *env, struct db **out);

/* A subcommand of a command that keeps a table (vendors, families): its
 * name, its word count with the name, and its form for messages. */
struct cmd_sub {
    const char *name;
    size_t want;
    const char *form;
};

/* The warning for vendors without a country, in a new string (the caller
 * frees it): "no country for vendors a, b (counted as unknown; map with
 * 'tokstat vendors set VENDOR COUNTRY')", how being "counted" or
 * "exported". At most CMD_UNMAPPED_NAMED are named, then "and N more",
 * and the parenthesis says that 'tokstat status' lists them all. NULL
 * when n is 0. */
#define CMD_UNMAPPED_NAMED 10
char *cmd_unmapped_warning(char *const *names, size_t n, const char *how);

#define CMD_SUB_MAX 4 /* words after the command's name */

/* Reads the words after such a command's name (--help prints usage) into
 * args (at most CMD_SUB_MAX), and finds the subcommand they name among
 * subs[0..nsubs) (the first word; 'list' without one) into *k, its word
 * count checked. Returns -1 to go on, or the exit status to end with (0
 * after --help). */
int cmd_sub_parse(struct cmd_env *env, const char *cmd, const char *usage,
                  const struct cmd_sub *subs, size_t nsubs, int argc, char **argv,
                  const char **args, size_t *nargs, size_t *k);

#endif
