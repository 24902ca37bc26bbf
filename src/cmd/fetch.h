/* fetch.h - what the files of `tokstat fetch` share: the command line as
 * parsed, and one fetch under way. cmd_fetch.c reads the command line and
 * the key and runs the plan; fetch_io.c makes one request (waits, retries)
 * and saves and imports its response; cmd_fetch_apps.c plans app-rankings:
 * one ISO week a request, in pages of ranks, into a dataset of apps. */
#ifndef TOKSTAT_CMD_FETCH_H
#define TOKSTAT_CMD_FETCH_H

#include <stdint.h>

#include "cmd/cmd.h"
#include "cmd/import_io.h"
#include "db/apps.h"
#include "db/db.h"
#include "net/api.h"

/* The command line. */
struct fetch_args {
    const struct api_endpoint *ep;
    const char *dataset;       /* NULL: 'apps' for app-rankings, else 'default' */
    const char *from_s, *to_s; /* as given, or NULL */
    int32_t from, to;
    const char *api_url;
    const char *key_file; /* or NULL */
    const char *save_dir; /* or NULL */
    int quiet;
    /* app-rankings only */
    struct app_list list; /* --category, --subcategory, --sort (stored with the dataset) */
    int category_given, subcategory_given, sort_given;
    const char *limit_s, *offset_s; /* as given, or NULL */
    int limit, offset;              /* ranks offset + 1 .. offset + limit */
};

/* One fetch under way. */
struct fetcher {
    struct cmd_env *env;
    struct db *db;
    const struct api_endpoint *ep;
    const char *base;           /* the API's URL, checked */
    const char *key;            /* or NULL: sent to no one */
    const char *save_dir;       /* or NULL */
    struct api_filters filters; /* passed through (app-rankings) */
    int direct;                 /* loopback: no proxy */
    int quiet;
    int32_t today;
    struct api_limits lim;
    struct import_args ia;
    long long last_start; /* when the previous request started (ms), or -1 */
};

/* The dataset a fetch imports into: --dataset, else by endpoint. */
const char *fetch_dataset(const struct fetch_args *a);

/* fetch_io.c: one request for w, its response saved (--save) and imported
 * as the endpoint's format in one transaction; *rows gets how many rows
 * the response had (0 for an empty one, which imports nothing). Returns 0
 * or -1 after printing. */
int fetch_window(struct fetcher *f, const struct api_window *w, long *rows);

/* cmd_fetch_apps.c: checks app-rankings' own options (usage errors for
 * another endpoint). Returns 0 or the exit status after printing. */
int fetch_apps_check_args(struct cmd_env *env, struct fetch_args *a);

/* cmd_fetch_apps.c: fetches app-rankings: each complete ISO week of the
 * range (default: from the dataset's newest week, so that it is fetched
 * again, or the last 8 complete weeks for a dataset without any; to the
 * last complete week), in pages of ranks; the dataset must hold (or come
 * to hold) apps of the same list. Returns the exit status. */
int fetch_apps_run(struct fetcher *f, const struct fetch_args *a);

#endif
