/* report_opts.h - the options every report shares, parsed by one helper so
 * that they behave the same in every command: --dataset, --week, --from,
 * --to, --last, --other, --format, --output, --exact, --no-color. */
#ifndef TOKSTAT_CMD_REPORT_OPTS_H
#define TOKSTAT_CMD_REPORT_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "cmd/cmd.h"
#include "core/opts.h"
#include "db/query.h"
#include "render/render.h"
#include "report/reports.h"

enum range_kind {
    RANGE_DEFAULT, /* the command's default */
    RANGE_WEEK,    /* --week DATE */
    RANGE_SPAN,    /* --from and/or --to */
    RANGE_LAST,    /* --last N */
};

struct report_opts {
    const char *dataset;
    enum range_kind range;
    int32_t week;         /* RANGE_WEEK: its Monday */
    int has_from, has_to; /* RANGE_SPAN */
    int32_t from, to;     /* Mondays */
    long last;            /* RANGE_LAST */
    int other_exclude;    /* --other exclude */
    int other_given;      /* --other was given at all */
    enum render_format format;
    const char *output; /* --output FILE, or NULL */
    int exact;
    int no_color;
};

/* The ids that commands give their own options start here. */
#define REPORT_OPT_OWN 100

/* Parses argv for command cmd: the shared options, plus the command's own
 * (own, ids >= REPORT_OPT_OWN, ended by a NULL name), each handed to
 * on_own(ctx, id, value), which returns 0 or an exit status after printing.
 * An own option named like a shared one replaces it, in parsing and in the
 * --help text. Operands are refused. --help prints usage. Returns -1 to go
 * on, or the exit status to return now (0 after --help, 2 after a usage
 * error). */
int report_opts_parse(struct cli *c, const char *cmd, const char *usage, int argc, char **argv,
                      const struct opt_spec *own,
                      int (*on_own)(void *ctx, int id, const char *value), void *ctx,
                      struct report_opts *out);

/* Parses a --by value for command cmd: country (when allow_country),
 * vendor or model. Returns 0, or the usage error's exit status. */
int report_parse_by(struct cli *c, const char *cmd, const char *value, int allow_country,
                    enum group_by *out);

/* The usage text of the shared options, for commands' --help. */
extern const char report_opts_usage[];

/* Works out the weeks to report, from..to (Mondays), given the weeks that
 * have data: --week, --from/--to, --last N, or the default: the latest week
 * (default_last 1) or the latest default_last weeks with data. Returns 0,
 * or 1 when there is nothing to report (no data). */
int report_range(const struct report_opts *o, const struct week_days *weeks, size_t nweeks,
                 long default_last, int32_t *from, int32_t *to);

/* The render options for o and the stream out (colour and width only for a
 * terminal, never with NO_COLOR or --no-color). */
void report_render_opts(const struct report_opts *o, FILE *out, struct render_opts *ro);

/* What a report's builder reads: the database, the dataset and the weeks
 * from..to (Mondays) to report. */
struct report_input {
    struct db *st;
    int64_t dataset;
    int32_t from, to;
    const struct reports_spec *spec;
    const struct week_days *weeks; /* every week of the dataset with data, ascending */
    size_t nweeks;
};

/* The days of data of week in in's dataset: 1-6 partial, 7 whole, 0 none. */
int report_days(const struct report_input *in, int32_t week);

/* Builds a report into out (adding warnings with reports_warn); returns 0,
 * or -1 with err filled. */
typedef int (*report_build_fn)(const struct report_input *in, struct reports *out,
                               struct ts_err *err);

/* The builders of the weekly-series reports: the series of in's weeks (and
 * the week before) handed to build. */
int report_from_series(const struct report_input *in,
                       int (*build)(const struct series *s, const struct reports_spec *spec,
                                    struct reports *out),
                       struct reports *out, struct ts_err *err);

/* What report_run leaves to the command: how to build its result, hold
 * its warnings and write it. Each callback gets the ctx given to
 * report_run, which holds the result; the caller releases it afterwards
 * (report_run may return before any callback was called). */
struct report_job {
    long default_last; /* weeks with data reported when no range is given */
    /* Builds the result from in; returns 0, or -1 with err filled. */
    int (*build)(void *ctx, const struct report_input *in, struct ts_err *err);
    /* Adds a warning (msg, without "tokstat: warning: ") to the result's. */
    void (*warn)(void *ctx, const char *msg);
    /* Points *out at the warnings to print on standard error, in order,
     * and returns how many: 0 when they go into the document instead. */
    size_t (*warnings)(void *ctx, const char *const **out);
    /* Non-zero when the result holds some data (else a note says so). */
    int (*has_data)(void *ctx);
    /* Writes the result to out with the render options ro, citing source
     * (NULL when unknown); in is what it was built from. */
    void (*write)(void *ctx, const struct report_input *in, const struct render_opts *ro,
                  const char *source, FILE *out);
};

/* Runs a report command once its options o are parsed: opens the
 * database, reads in one snapshot the dataset and its weeks, works out the
 * range, builds the result (spec, with o's dataset and --other), warns
 * about vendors without a country after the result's own warnings (on
 * standard error unless they go into the document), notes an empty result
 * on standard error, and writes to standard output or atomically to
 * --output. Returns the exit status. */
int report_run(struct cli *c, const struct report_opts *o, const struct reports_spec *spec,
               const struct report_job *job, void *ctx);

/* A report command, described rather than written out: its usage, which
 * --by values it takes, its own options, how it builds the report. */
enum report_by_choice {
    REPORT_BY_ANY,          /* --by country|vendor|model */
    REPORT_BY_MODEL_VENDOR, /* --by model|vendor */
};

struct report_cmd {
    const char *name;
    const char *usage; /* shown before the shared options' usage */
    enum report_by_choice by;
    const struct opt_spec *own; /* more options, ids above REPORT_OPT_OWN; NULL name ends */
    /* Handles one of own; returns 0, or the exit status after printing. */
    int (*on_own)(struct cli *c, struct reports_spec *spec, int id, const char *value);
    report_build_fn build;
    long default_last; /* weeks with data reported by default */
    int other_applies; /* --other means something */
    struct reports_spec defaults;
};

/* Parses the command line of cmd and runs it; returns the exit status. */
int report_cmd_main(const struct report_cmd *cmd, struct cli *c, int argc, char **argv);

#endif
