/* apps.h - app rankings in the database: what a dataset holds (model usage
 * or app rankings, never both), the list an apps dataset ranks (category,
 * subcategory, sort, and the ranks fetch asks for), and the ids of apps.
 *
 * Apps are not models: they have no vendor and no country. Their ids live
 * in the apps table; an apps dataset's observations name them, and the
 * dataset's kind says so (see schema.c, version 7). */
#ifndef TOKSTAT_DB_APPS_H
#define TOKSTAT_DB_APPS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/util.h"
#include "db/db.h"

/* What a dataset's observations are. */
enum dataset_kind {
    DATASET_EMPTY,  /* none yet */
    DATASET_MODELS, /* model usage */
    DATASET_APPS,   /* app rankings */
};

#define APP_FILTER_MAX 64 /* the longest category or subcategory */

/* What an apps dataset ranks: the filters its rankings were asked with,
 * as OpenRouter's API takes them, and the ranks tokstat fetch asks for. */
struct app_list {
    char category[APP_FILTER_MAX + 1];    /* "" when none was given: any */
    char subcategory[APP_FILTER_MAX + 1]; /* "" when none was given: any */
    char sort[16];                        /* "popular" (the API's default) or "trending" */
    int64_t first_rank, last_rank;        /* fetch's ranks; 0 when not said (an import) */
};

/* Sets out to no filter, sort popular, no ranks. */
void app_list_init(struct app_list *out);

/* Whether s may be a category or subcategory (OpenRouter's are words such
 * as coding or cli-agent): 1 to APP_FILTER_MAX letters, digits, '-' or '_'. */
int app_filter_ok(const char *s);

/* Sets one of l's filters from an option: "category", "subcategory" or
 * "sort" (popular or trending). Returns 0, or -1 when value is not one. */
int app_list_set(struct app_list *l, const char *option, const char *value);

/* "subcategory cli-agent, sort popular", "all apps, sort trending"; and
 * ", ranks 1-100" when with_ranks and the ranks are known. Appended to out. */
void app_list_describe(const struct app_list *l, int with_ranks, struct ts_buf *out);

/* The kind of dataset into *out. */
int db_dataset_kind(struct db *st, int64_t dataset, enum dataset_kind *out, struct ts_err *err);

/* The names of the datasets that hold kind (DATASET_MODELS or
 * DATASET_APPS), sorted, into *out and *n; the caller frees each and the
 * array. Returns 0, or -1 with err filled. */
int db_datasets_of_kind(struct db *st, enum dataset_kind kind, char ***out, size_t *n,
                        struct ts_err *err);

/* The list of an apps dataset into *out: returns 1, or 0 when it has none
 * (not an apps dataset), -1 on error. */
int db_app_list(struct db *st, int64_t dataset, struct app_list *out, struct ts_err *err);

/* Whether dataset (called name, for the message) may take observations of
 * kind (DATASET_MODELS or DATASET_APPS; for apps, of list): a dataset holds
 * one kind, and an apps dataset one list (the same filters, and the same
 * ranks when fetch gives them). Returns 0, or -1 with err saying what the
 * dataset holds and what to do instead. */
int db_dataset_fits(struct db *st, int64_t dataset, const char *name, enum dataset_kind kind,
                    const struct app_list *list, struct ts_err *err);
/* db_dataset_fits, and then makes the dataset hold kind (and list, and the
 * ranks when it had none). Inside the import's transaction. */
int db_dataset_claim(struct db *st, int64_t dataset, const char *name, enum dataset_kind kind,
                     const struct app_list *list, struct ts_err *err);

/* The id (*out) of the app OpenRouter calls app_id, created when new; its
 * name becomes name unless a later week than week gave it another. */
int db_app(struct db *st, int64_t app_id, const char *name, int32_t week, int64_t *out,
           struct ts_err *err);

#endif
