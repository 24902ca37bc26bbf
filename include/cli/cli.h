/* cli.h - the command line's front: global options, the command table and
 * help, over the commands of cmd/. Exit status: 0 success, 1 runtime or
 * data error, 2 usage error (cmd/cmd.h). */
#ifndef TOKSTAT_CLI_CLI_H
#define TOKSTAT_CLI_CLI_H

#include <stdio.h>

/* Runs one tokstat invocation with the given streams; returns the exit
 * status. Reads the environment for TOKSTAT_DB, XDG_DATA_HOME and HOME. */
int cli_run(int argc, char **argv, FILE *out, FILE *err);

#endif
