/* cli.h - the command line: global options, the command table, help,
 * error printing and exit codes. The only layer (with cmd_*.c) that prints. */
#ifndef TOKSTAT_CLI_CLI_H
#define TOKSTAT_CLI_CLI_H

#include <stdio.h>

enum {
    TS_EXIT_OK = 0,
    TS_EXIT_FAIL = 1,  /* runtime or data error */
    TS_EXIT_USAGE = 2, /* unknown command or option, bad value */
};

/* Runs one tokstat invocation with the given streams; returns the exit
 * status. Reads the environment for TOKSTAT_DB, XDG_DATA_HOME and HOME. */
int cli_run(int argc, char **argv, FILE *out, FILE *err);

#endif
