/* cmd_fetch_apps.c - tokstat fetch app-rankings: OpenRouter's top apps by
 * tokens, fetched one complete ISO week (Monday to Sunday) a request so
 * that each app becomes a weekly observation, in pages of ranks (at most
 * 100 a request, from an offset of at most 100: ranks up to 200), into a
 * dataset of apps that holds one list (the same category, subcategory,
 * sort and ranks every week). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "core/week.h"
#include "db/query.h"
#include "net/http.h"

/* The weeks a dataset without any gets: those growth shows by default. */
#define APPS_FIRST_WEEKS 8

/* --limit or --offset: a whole number from lo to hi. */
static int parse_ranks(struct cmd_env *env, const char *option, const char *value, long lo, long hi,
                       const char *why, int *out)
{
    char *end;

    errno = 0;
    long v = strtol(value, &end, 10);
    if (end == value || *end != '\0' || errno || v < lo || v > hi) {
        char after[160];
        snprintf(after, sizeof(after), " for %s (expected %ld to %ld%s)", option, lo, hi, why);
        return cmd_usage_value(env, "fetch", "invalid value ", value, after);
    }
    *out = (int)v;
    return 0;
}

int fetch_apps_check_args(struct cmd_env *env, struct fetch_args *a)
{
    int rc;

    if (a->ep->span != API_SPAN_WEEKS) {
        if (a->limit_s || a->offset_s || a->category_given || a->subcategory_given || a->sort_given)
            return cmd_usage_error(env, "fetch",
                                   "--limit, --offset, --category, --subcategory and --sort "
                                   "apply to app-rankings only");
        return 0;
    }
    if (a->limit_s && (rc = parse_ranks(env, "--limit", a->limit_s, 1, API_RANKS_MAX,
                                        ": over 100 in two requests", &a->limit)) != 0)
        return rc;
    if (a->offset_s && (rc = parse_ranks(env, "--offset", a->offset_s, 0, API_OFFSET_MAX,
                                         ", the API's largest offset", &a->offset)) != 0)
        return rc;
    if (a->offset + a->limit > API_RANKS_MAX)
        return cmd_usage_error(env, "fetch",
                               "--offset %d and --limit %d reach rank %d (the API lists ranks "
                               "1 to %d)",
                               a->offset, a->limit, a->offset + a->limit, API_RANKS_MAX);
    a->list.first_rank = a->offset + 1;
    a->list.last_rank = a->offset + a->limit;
    return 0;
}

/* The weeks to fetch, from..to (Mondays): returns 1, or 0 when there are
 * none (after a note), -1 after printing an error. The dataset must fit
 * the list asked for before anything is fetched. */
static int plan_weeks(struct fetcher *f, const struct fetch_args *a, int32_t *from, int32_t *to)
{
    struct ts_err err = TS_ERR_INIT;
    const char *name = fetch_dataset(a);
    struct week_days *weeks = NULL;
    size_t nweeks = 0;
    int32_t last = api_last_week(f->today), first = api_first_week();
    char d1[TS_DATE_LEN + 1], d2[TS_DATE_LEN + 1];
    int64_t id;
    int found;

    if ((found = db_dataset(f->db, name, 0, &id, &err)) < 0 ||
        (found && db_weeks(f->db, id, &weeks, &nweeks, &err) < 0)) {
        cmd_print_err(f->env, NULL, &err);
        return -1;
    }
    if (found && db_dataset_fits(f->db, id, name, DATASET_APPS, &a->list, &err) < 0) {
        free(weeks);
        cmd_fail(f->env, "%s", err.msg);
        return -1;
    }
    *to = a->to_s && week_start(a->to) < last ? week_start(a->to) : last;
    if (a->from_s) {
        *from = week_start(a->from) < first ? first : week_start(a->from);
    } else if (nweeks > 0) { /* the newest week again: it may have been revised */
        *from = weeks[nweeks - 1].week < first ? first : weeks[nweeks - 1].week;
    } else {
        *from = *to - 7 * (APPS_FIRST_WEEKS - 1) < first ? first : *to - 7 * (APPS_FIRST_WEEKS - 1);
        date_format(*from, d1);
        date_format(first, d2);
        if (!f->quiet && *from <= *to)
            cmd_line(f->env, f->env->err,
                     "tokstat: note: dataset '%s' has no weeks yet: fetching the last %d complete "
                     "weeks, from the week of %s (--from DATE goes further back, as far as the "
                     "week of %s)",
                     name, APPS_FIRST_WEEKS, d1, d2);
    }
    free(weeks);
    if (*from <= *to)
        return 1;
    date_format(*from, d1);
    date_format(last, d2);
    if (f->quiet)
        return 0;
    if (*from > last)
        fprintf(f->env->err,
                "tokstat: note: nothing to fetch: the week of %s is not over yet (the last "
                "complete week is that of %s)\n",
                d1, d2);
    else
        fprintf(f->env->err, "tokstat: note: nothing to fetch: no complete week from %s to %s\n",
                a->from_s ? a->from_s : d1, a->to_s ? a->to_s : d2);
    return 0;
}

int fetch_apps_run(struct fetcher *f, const struct fetch_args *a)
{
    struct api_window *weeks = NULL, pages[2];
    struct ts_err err = TS_ERR_INIT;
    int32_t from, to;
    int rc = TS_EXIT_OK, ok;

    if ((ok = plan_weeks(f, a, &from, &to)) <= 0)
        return ok < 0 ? TS_EXIT_FAIL : TS_EXIT_OK;
    /* What the API is asked for: the filters as given; what the dataset
     * keeps: the list (an unsorted list is popular, the API's default). */
    f->filters.category = a->category_given ? a->list.category : NULL;
    f->filters.subcategory = a->subcategory_given ? a->list.subcategory : NULL;
    f->filters.sort = a->sort_given ? a->list.sort : NULL;
    f->ia.apps = a->list;
    if (http_init(&err) < 0)
        return cmd_fail(f->env, "%s", err.msg);
    size_t nweeks = api_windows(f->ep, from, to, &weeks);
    size_t npages = api_pages(a->offset, a->limit, pages);
    for (size_t i = 0; i < nweeks && rc == TS_EXIT_OK; i++) {
        for (size_t p = 0; p < npages; p++) {
            struct api_window w = {weeks[i].from, weeks[i].to, pages[p].offset, pages[p].limit};
            long rows;
            if (fetch_window(f, &w, &rows) < 0) {
                rc = TS_EXIT_FAIL;
                break;
            }
            if (rows < w.limit) /* a short page: no more apps that week */
                break;
        }
    }
    free(weeks);
    http_cleanup();
    return rc;
}
