/* import_io.h - importing one input in one transaction, with its summary
 * line: what `tokstat import` does for each file and `tokstat fetch` for
 * each response of the API. */
#ifndef TOKSTAT_CMD_IMPORT_IO_H
#define TOKSTAT_CMD_IMPORT_IO_H

#include <stdio.h>

#include "cmd/cmd.h"
#include "db/apps.h"
#include "db/db.h"
#include "import/import.h"
#include "import/input.h"

/* How each input is imported. */
struct import_args {
    const char *dataset;  /* NULL: 'default', or 'apps' for app rankings */
    struct app_list apps; /* what app rankings rank (--category, --subcategory, --sort) */
    struct import_opts opts;
    int label_end; /* --week-label end */
    int dry_run;
    const char *as_of; /* --as-of, or NULL */
    int quiet;
    FILE *bar;          /* where progress bars go (a terminal), or NULL */
    long long delay_ms; /* before a bar appears */
    int force;          /* --force: a dump older than the figures it updates brings them back */
};

#define IMPORT_ARGS_INIT                                                                           \
    {                                                                                              \
        NULL, {"", "", "popular", 0, 0}, IMPORT_OPTS_INIT, 0, 0, NULL, 0, NULL, 0, 0               \
    }

/* Valid dataset names: 1-64 bytes of printable UTF-8. */
int import_dataset_name_ok(const char *s);

/* Imports in (opened by the caller, who releases it) into db in one
 * transaction: all of it or none of it. shown names the input in the
 * imports table, the summary line (printed on env->out unless a->quiet)
 * and messages. The dataset is a->dataset, or by what the input holds:
 * 'apps' for app rankings, else 'default'; a dataset holds model usage or
 * app rankings (of one list), never both. Returns 0, or -1 after printing
 * the error on env->err. */
int import_input(struct cmd_env *env, struct db *db, struct ts_input *in, const char *shown,
                 const struct import_args *a);

#endif
