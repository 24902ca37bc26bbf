/* report_args.h - the command line of the report commands, parsed by one
 * helper so that the shared options behave the same everywhere: --by,
 * --dataset, --period, --day, --week, --month, --from, --to, --last,
 * --other, --format, --output, --exact, --no-color, --help. A command handles its own options in
 * its own loop:
 *
 *   report_args_start(&a, env, &syntax, argc, argv);
 *   while ((id = report_args_next(&a)) > 0)
 *       ... id is one of syntax.own, its value a.value ...
 *   if (id < 0)
 *       return a.exit;
 */
#ifndef TOKSTAT_CMD_REPORT_ARGS_H
#define TOKSTAT_CMD_REPORT_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "core/opts.h"
#include "core/series.h"
#include "render/render.h"
#include "report/report.h"

/* The ids of a command's own options start above this. */
#define REPORT_OPT_OWN 100

/* Which --by values a command takes. */
enum report_by_choice {
    REPORT_BY_ANY,    /* country, vendor, model, family or app */
    REPORT_BY_MODELS, /* country, vendor, model or family: priced usage (prices, cost) */
    REPORT_BY_TOP,    /* model, vendor, family or app */
};

/* The command line a report command accepts. */
struct report_syntax {
    const char *name;
    const char *usage; /* --help: shown before the shared options */
    const struct opt_spec
        *own; /* ended by a NULL name; one named like a shared option replaces it */
    enum report_by_choice by;
    enum group_by by_default;
    int other_applies;     /* --other means something */
    int exact_applies;     /* --exact means something */
    int apps_apply;        /* reads datasets of app rankings too (by app, the default there) */
    const char *apps_hint; /* when apps do not apply: how the command shows them, or NULL */
};

/* Which weeks (or days or months: unit) the user chose. */
enum range_kind {
    RANGE_DEFAULT, /* the command's default */
    RANGE_WEEK,    /* one period: --week DATE (--day, --month of their unit) */
    RANGE_SPAN,    /* --from and/or --to (--week or --month cut into days) */
    RANGE_LAST,    /* --last N */
};

/* Once the whole command line is read, every day below is the first of
 * its period of unit (a week's Monday). */
struct range_choice {
    enum range_kind kind;
    int32_t week;          /* RANGE_WEEK: its Monday (the period's first day) */
    int has_from, has_to;  /* RANGE_SPAN */
    int32_t from, to;      /* Mondays (first days) */
    long last;             /* RANGE_LAST */
    int partial;           /* --partial: a default or --last range may end in a partial week */
    enum period_unit unit; /* --period; or what --day or --month implies; else weeks */
    /* the parser's, until the whole line is read */
    int unit_given;                /* --period was given */
    enum period_unit sel_unit;     /* RANGE_WEEK: which of --day, --week, --month... */
    int32_t sel_day;               /* ...and a day of it */
    int from_month, to_month;      /* --from, --to were given as months (YYYY-MM) */
    const char *from_arg, *to_arg; /* as given, for messages */
};

/* What range_resolve did to the range asked for, for notes. */
struct range_notes {
    int32_t skipped;     /* a partial latest week left out (its Monday), or 0 */
    int skipped_days;    /* its days */
    int clipped_start;   /* --from was before the dataset's first week with data */
    int clipped_end;     /* --to was after its last */
    int outside;         /* the weeks asked for hold no week of the dataset's span */
    int32_t first, last; /* the dataset's first and last week with data */
};

#define REPORT_MAX_OPTS 28

/* A parsed report command line, and the parser's state. */
struct report_args {
    struct report_request req; /* what to compute: --by, --dataset, --other, ... */
    struct range_choice range; /* which weeks */
    enum render_format format; /* --format */
    const char *output;        /* --output FILE, or NULL */
    int exact;                 /* --exact */
    int no_color;              /* --no-color */
    const char *value;         /* the value of the own option report_args_next returned */
    int exit;                  /* after report_args_next returned -1: the exit status */
    int by_given;              /* --by was given (else a dataset of apps reports by app) */
    int dataset_given;         /* --dataset was given (else 'default', or 'apps' by app) */
    /* the parser's */
    struct cmd_env *env;
    const struct report_syntax *syn;
    struct opts o;
    struct opt_spec specs[REPORT_MAX_OPTS];
    int other_given;
};

void report_args_start(struct report_args *a, struct cmd_env *env, const struct report_syntax *syn,
                       int argc, char **argv);

/* Reads on: returns the id of one of the command's own options (its value
 * in a->value), 0 when the whole command line is read and valid, or -1
 * when the command is to end now with a->exit (0 after --help, which it
 * printed; 2 after a usage error, which it printed). */
int report_args_next(struct report_args *a);

/* A command's own count option (top's -n, chart's --groups): value as a
 * whole number from 1 to max into *out, else a usage error naming cmd and
 * opt (returns 2; 0 when valid). */
int report_parse_count(struct cmd_env *env, const char *cmd, const char *opt, const char *value,
                       long max, size_t *out);

/* The usage text of the shared options, for the manual and tests. */
extern const char report_args_usage[];

/* Works out the weeks to report, from..to (Mondays), given the weeks that
 * have data (ascending): --week (as asked), --from/--to (clipped to the
 * dataset's first and last week with data), or --last N and the default
 * (the N, or default_last, latest weeks with data up to the latest
 * complete one: a partial latest week is left out unless --partial).
 * notes says what was clipped or left out. Returns 0, or 1 when there is
 * nothing to report (no data, or none in the weeks asked for). Days and
 * months (r->unit) the same: weeks[] are then the periods with data, and
 * a month is complete when every day of it has data. */
int range_resolve(const struct range_choice *r, const struct week_days *weeks, size_t nweeks,
                  long default_last, int32_t *from, int32_t *to, struct range_notes *notes);

/* The render options for a and the stream out: colour and width only for
 * a terminal, never with NO_COLOR or --no-color; COLUMNS sets the width. */
void report_render_opts(const struct report_args *a, FILE *out, struct render_opts *ro);

#endif
