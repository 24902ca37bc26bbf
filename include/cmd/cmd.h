/* cmd.h - what cli.c gives the commands, and the commands it runs. */
#ifndef TOKSTAT_CMD_CMD_H
#define TOKSTAT_CMD_CMD_H

#include <stdio.h>

#include "core/err.h"
#include "db/db.h"

struct cli {
    FILE *out;
    FILE *err;
    const char *db_path; /* --db, else NULL: resolved from the environment */
};

/* Prints "tokstat: MSG" on c->err; returns TS_EXIT_FAIL. */
int cli_fail(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "tokstat CMD: MSG" and "Try 'tokstat CMD --help'."; returns TS_EXIT_USAGE. */
int cli_usage_error(struct cli *c, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints "tokstat: FILE:LINE:COL: MSG" (the parts that are known). */
void cli_print_err(struct cli *c, const char *file, const struct ts_err *e);

/* Where the database is: --db, $TOKSTAT_DB, $XDG_DATA_HOME/tokstat/tokstat.db
 * or ~/.local/share/tokstat/tokstat.db. Returns a string the caller frees,
 * or NULL (err filled) when none can be worked out. */
char *cli_db_path(struct cli *c, struct ts_err *err);

/* Opens the database, printing any error; returns 0 or TS_EXIT_FAIL. */
int cli_open_store(struct cli *c, struct db **out);

/* Each command: argv[0] is its name. Returns the exit status. */
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_vendors(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_growth(struct cli *c, int argc, char **argv);
int cmd_top(struct cli *c, int argc, char **argv);
int cmd_prices(struct cli *c, int argc, char **argv);
int cmd_cost(struct cli *c, int argc, char **argv);
int cmd_chart(struct cli *c, int argc, char **argv);

#endif
