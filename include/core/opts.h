/* opts.h - a small re-entrant option parser for subcommands.
 *
 * Accepts --name, --name=value, --name value, -x, -xVALUE, -x VALUE; "--"
 * ends options; "-" alone is an operand. Unlike getopt it keeps no global
 * state, so cli_run can be called many times in one process (tests). */
#ifndef TOKSTAT_CORE_OPTS_H
#define TOKSTAT_CORE_OPTS_H

#include "core/err.h"

struct opt_spec {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 when none */
    int has_arg;
    int id; /* > 0, returned by opts_next */
};

struct opts {
    int argc;
    char **argv;
    int i; /* next argv index */
    int operands_only;
    const struct opt_spec *specs; /* ended by an entry with name NULL */
    const char *value;            /* the option's argument, or the operand */
    const char *name;             /* the option as written, for messages ("--by") */
    char name_buf[64];
};

/* argv[0] is the command name and is skipped. */
void opts_init(struct opts *o, int argc, char **argv, const struct opt_spec *specs);

/* Returns the next option's id, 0 for an operand (in o->value), -1 at the
 * end, or -2 for an unknown option or a missing argument (err filled with
 * "unrecognized option '--x'" or "option '--db' needs a value"). */
int opts_next(struct opts *o, struct ts_err *err);

#endif
