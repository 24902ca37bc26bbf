/* cmd_fetch.c - tokstat fetch: download from OpenRouter's API and import
 * each response as `tokstat import --format F` would import the same
 * bytes, one transaction per response. The plan (endpoints, windows, URLs,
 * waits) is net/api.c, the transport net/http.c, one request and its
 * import fetch_io.c, app-rankings' weeks and pages cmd_fetch_apps.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fetch.h"
#include "core/opts.h"
#include "core/week.h"
#include "db/status.h"
#include "import/format.h"
#include "net/http.h"

static const char usage[] =
    "usage: tokstat fetch [OPTIONS] rankings-daily|app-rankings|models\n"
    "\n"
    "Downloads from OpenRouter's API and imports each response as 'tokstat import'\n"
    "would import it, in one transaction per response:\n"
    "  rankings-daily  the Data API's tokens of the top 50 models a day and of all\n"
    "                  the others together, from 2025-01-01; at most 366 days a\n"
    "                  request (format openrouter-daily)\n"
    "  app-rankings    the Data API's top apps by tokens, one complete ISO week\n"
    "                  (Monday to Sunday) a request, each app a weekly observation\n"
    "                  in a dataset of apps (format openrouter-apps)\n"
    "  models          the model catalogue, its prices valid from today (format\n"
    "                  openrouter-models)\n"
    "\n"
    "Options:\n"
    "  --dataset NAME        import into this dataset (default: default; for\n"
    "                        app-rankings: apps)\n"
    "  --from DATE           rankings-daily: the first day (default: a week before\n"
    "                        the dataset's newest day, so that revised days come\n"
    "                        again; 2025-01-01 for a dataset without days);\n"
    "                        app-rankings: the week containing DATE (default: the\n"
    "                        dataset's newest week, fetched again; the last 8\n"
    "                        complete weeks for a dataset without weeks; the\n"
    "                        first complete week is that of 2025-01-06)\n"
    "  --to DATE             the last day (default and latest: yesterday, the last\n"
    "                        complete UTC day); app-rankings: the week containing\n"
    "                        DATE (default and latest: the last complete week)\n"
    "  --limit N             app-rankings: how many apps a week (1 to 200, default\n"
    "                        100); over 100, two requests (the API gives at most\n"
    "                        100 a request, from an offset of at most 100)\n"
    "  --offset N            app-rankings: the ranks start after N (0 to 100,\n"
    "                        default 0; ranks are absolute)\n"
    "  --category C          app-rankings: only apps of category C (e.g. coding)\n"
    "  --subcategory S       app-rankings: only apps of subcategory S (e.g.\n"
    "                        cli-agent)\n"
    "  --sort popular|trending  app-rankings: by tokens (popular, the API's\n"
    "                        default) or by growth (trending)\n"
    "  --api-url URL         the API (default: " API_DEFAULT_URL ")\n"
    "  --key-file FILE       read the API key from FILE (default: the environment\n"
    "                        variable OPENROUTER_API_KEY)\n"
    "  --save DIR            also keep each response in DIR, named by endpoint and\n"
    "                        days (rankings-daily-2025-01-01_2025-12-31.json,\n"
    "                        app-rankings-2025-01-27_2025-02-02_ranks-1-100.json)\n"
    "  -q, --quiet           print no summary lines and no notes (errors are still\n"
    "                        reported)\n"
    "  --help                show this help\n"
    "\n"
    "The key (make one at openrouter.ai/settings/keys) is sent only over https,\n"
    "or to 127.0.0.1, ::1 or localhost. Requests start at most 30 a minute; a\n"
    "429, a 5xx or a timeout is tried again up to 3 times, after the Retry-After\n"
    "the API asks for or 1, 2 and 4 seconds. A failure ends the fetch with status\n"
    "1, and what earlier responses brought stays imported.\n"
    "\n"
    "A dataset of apps holds one list: its --category, --subcategory, --sort and\n"
    "ranks are stored with it, and a fetch of another list into it is refused.\n";

enum {
    O_DATASET = 1,
    O_FROM,
    O_TO,
    O_LIMIT,
    O_OFFSET,
    O_CATEGORY,
    O_SUBCATEGORY,
    O_SORT,
    O_API_URL,
    O_KEY_FILE,
    O_SAVE,
    O_QUIET,
    O_HELP
};

static const struct opt_spec specs[] = {
    {"dataset", 0, 1, O_DATASET},
    {"from", 0, 1, O_FROM},
    {"to", 0, 1, O_TO},
    {"limit", 0, 1, O_LIMIT},
    {"offset", 0, 1, O_OFFSET},
    {"category", 0, 1, O_CATEGORY},
    {"subcategory", 0, 1, O_SUBCATEGORY},
    {"sort", 0, 1, O_SORT},
    {"api-url", 0, 1, O_API_URL},
    {"key-file", 0, 1, O_KEY_FILE},
    {"save", 0, 1, O_SAVE},
    {"quiet", 'q', 0, O_QUIET},
    {"help", 'h', 0, O_HELP},
    {NULL, 0, 0, 0},
};

const char *fetch_dataset(const struct fetch_args *a)
{
    if (a->dataset)
        return a->dataset;
    return a->ep && a->ep->span == API_SPAN_WEEKS ? "apps" : "default";
}

/* ---- the command line ---- */

/* "tokstat: BEFORE'VALUE'AFTER", value escaped; returns TS_EXIT_FAIL. */
static int fetch_fail(struct cmd_env *env, const char *before, const char *value, const char *after)
{
    struct ts_buf m = TS_BUF_INIT;

    buf_printf(&m, "%s'", before);
    ts_quote_for_msg(&m, value, strlen(value), 200);
    buf_printf(&m, "'%s", after);
    cmd_fail(env, "%s", m.data);
    buf_release(&m);
    return TS_EXIT_FAIL;
}

static int parse_date(struct cmd_env *env, const char *v, const char *option, int32_t *out)
{
    char after[64];

    if (strlen(v) == TS_DATE_LEN && date_parse(v, TS_DATE_LEN, out) == 0)
        return 0;
    snprintf(after, sizeof(after), " for %s (expected a date, YYYY-MM-DD)", option);
    return cmd_usage_value(env, "fetch", "invalid value ", v, after);
}

/* One option into a; returns 0, -1 after --help, or the exit status. */
static int parse_option(struct cmd_env *env, int id, const char *v, struct fetch_args *a)
{
    switch (id) {
    case O_DATASET:
        a->dataset = v;
        if (!import_dataset_name_ok(v))
            return cmd_usage_value(env, "fetch", "invalid value ", v,
                                   " for --dataset (expected a name of 1 to 64 printable "
                                   "characters)");
        return 0;
    case O_FROM:
        a->from_s = v;
        return parse_date(env, v, "--from", &a->from);
    case O_TO:
        a->to_s = v;
        return parse_date(env, v, "--to", &a->to);
    case O_LIMIT:
        a->limit_s = v;
        return 0;
    case O_OFFSET:
        a->offset_s = v;
        return 0;
    case O_CATEGORY:
    case O_SUBCATEGORY:
    case O_SORT: {
        const char *opt = id == O_CATEGORY ? "category" : id == O_SORT ? "sort" : "subcategory";
        char after[128];
        *(id == O_CATEGORY ? &a->category_given
          : id == O_SORT   ? &a->sort_given
                           : &a->subcategory_given) = 1;
        if (app_list_set(&a->list, opt, v) == 0)
            return 0;
        snprintf(after, sizeof(after), " for --%s (expected %s)", opt,
                 id == O_SORT ? "popular or trending"
                              : "a word of letters, digits, '-' or '_', such as coding or "
                                "cli-agent");
        return cmd_usage_value(env, "fetch", "invalid value ", v, after);
    }
    case O_API_URL:
        a->api_url = v;
        return 0;
    case O_KEY_FILE:
        a->key_file = v;
        return 0;
    case O_SAVE:
        a->save_dir = v;
        return 0;
    case O_QUIET:
        a->quiet = 1;
        return 0;
    default: /* O_HELP */
        fputs(usage, env->out);
        return -1;
    }
}

/* What the options say together. Returns 0 or the exit status. */
static int check_args(struct cmd_env *env, struct fetch_args *a)
{
    char start[TS_DATE_LEN + 1];

    if (!a->ep) {
        struct ts_buf m = TS_BUF_INIT;
        api_endpoint_names(&m);
        cmd_usage_error(env, "fetch", "no endpoint to fetch (expected %s)", m.data);
        buf_release(&m);
        return TS_EXIT_USAGE;
    }
    if (a->ep->span == API_SPAN_NONE && (a->from_s || a->to_s))
        return cmd_usage_error(env, "fetch",
                               "--from and --to apply to rankings-daily and app-rankings only "
                               "(%s is fetched whole)",
                               a->ep->name);
    int rc = fetch_apps_check_args(env, a);
    if (rc != 0)
        return rc;
    date_format(api_data_start(), start);
    if (a->to_s && a->to < api_data_start())
        return cmd_usage_error(env, "fetch", "--to %s is before %s, when the data starts", a->to_s,
                               start);
    if (a->from_s && a->to_s && a->from > a->to)
        return cmd_usage_error(env, "fetch", "--from %s is after --to %s", a->from_s, a->to_s);
    if (a->save_dir && !*a->save_dir)
        return cmd_usage_error(env, "fetch", "option '--save' needs a folder");
    return 0;
}

/* Returns -1 to go on, or the exit status (0 after --help). */
static int parse_args(struct cmd_env *env, int argc, char **argv, struct fetch_args *a)
{
    struct ts_err err = TS_ERR_INIT;
    struct opts o;
    int id, rc;

    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, "fetch", "%s", err.msg);
        if (id == 0) {
            if (a->ep)
                return cmd_usage_value(env, "fetch", "unexpected argument ", o.value,
                                       " (one endpoint at a time)");
            if (!(a->ep = api_endpoint(o.value))) {
                struct ts_buf m = TS_BUF_INIT;
                buf_adds(&m, " (expected ");
                api_endpoint_names(&m);
                buf_adds(&m, ")");
                rc = cmd_usage_value(env, "fetch", "unknown endpoint ", o.value, m.data);
                buf_release(&m);
                return rc;
            }
        } else if ((rc = parse_option(env, id, o.value, a)) != 0) {
            return rc < 0 ? TS_EXIT_OK : rc;
        }
    }
    rc = check_args(env, a);
    return rc ? rc : -1;
}

/* ---- the key ---- */

#define KEY_FILE_MAX 4096

/* The key into out: --key-file, else OPENROUTER_API_KEY. Returns 0, or the
 * exit status after printing. */
static int read_key(struct cmd_env *env, const struct fetch_args *a, struct ts_buf *out)
{
    struct ts_err err = TS_ERR_INIT;
    char buf[KEY_FILE_MAX + 1];
    const char *v;
    size_t n;

    if (!a->key_file) {
        if (!(v = getenv("OPENROUTER_API_KEY")) || !*v)
            return cmd_usage_error(env, "fetch",
                                   "no API key for %s (expected OPENROUTER_API_KEY in the "
                                   "environment, or --key-file FILE; make a key at "
                                   "openrouter.ai/settings/keys)",
                                   a->ep->name);
        if (api_key_clean(v, strlen(v), out, &err) < 0)
            return cmd_fail(env, "OPENROUTER_API_KEY %s", err.msg);
        return 0;
    }
    FILE *fp = fopen(a->key_file, "rb");
    if (!fp) {
        snprintf(err.msg, sizeof(err.msg), ": %s", strerror(errno));
        return fetch_fail(env, "cannot read the key file ", a->key_file, err.msg);
    }
    n = fread(buf, 1, sizeof(buf), fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || n > KEY_FILE_MAX)
        return fetch_fail(env, "key file ", a->key_file,
                          bad ? ": read error" : " is too long for a key (expected one line)");
    if (api_key_clean(buf, n, out, &err) < 0) {
        snprintf(buf, sizeof(buf), " %s", err.msg);
        return fetch_fail(env, "key file ", a->key_file, buf);
    }
    return 0;
}

/* ---- the plan ---- */

/* The days to fetch into *from and *to. Returns 1 when there are some, 0
 * when there are none (after a note), -1 after printing an error. */
static int plan_days(struct fetcher *f, const struct fetch_args *a, int32_t *from, int32_t *to)
{
    struct ts_err err = TS_ERR_INIT;
    int64_t id;
    int32_t last = 0;
    int have_last = 0, found;
    char d1[TS_DATE_LEN + 1], d2[TS_DATE_LEN + 1];

    *to = api_last_day(f->today);
    if (a->to_s && a->to < *to)
        *to = a->to;
    if (a->from_s) {
        *from = a->from < api_data_start() ? api_data_start() : a->from;
    } else {
        if ((found = db_dataset(f->db, fetch_dataset(a), 0, &id, &err)) < 0 ||
            (found == 1 && (have_last = db_last_day(f->db, id, &last, &err)) < 0)) {
            cmd_print_err(f->env, NULL, &err);
            return -1;
        }
        *from = api_incremental_from(have_last == 1, last);
    }
    if (*from <= *to)
        return 1;
    date_format(*from, d1);
    date_format(*to, d2);
    if (!f->quiet)
        fprintf(f->env->err, "tokstat: note: nothing to fetch: from %s to %s is no day\n", d1, d2);
    return 0;
}

/* The folder of --save, made when missing. Returns 0 or -1 after printing. */
static int save_dir_ready(struct cmd_env *env, const char *dir)
{
    struct stat st;

    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (mkdir(dir, 0777) == 0)
        return 0;
    char why[300];
    snprintf(why, sizeof(why), ": %s", strerror(errno));
    fetch_fail(env, "--save: cannot make the folder ", dir, why);
    return -1;
}

static void read_limits(struct api_limits *lim)
{
    lim->min_interval_ms =
        (long)api_env_count(getenv("TOKSTAT_FETCH_MIN_INTERVAL_MS"), lim->min_interval_ms, 3600000);
    lim->max_wait_ms =
        (long)api_env_count(getenv("TOKSTAT_FETCH_MAX_WAIT_MS"), lim->max_wait_ms, 3600000);
    lim->timeout_ms =
        (long)api_env_count(getenv("TOKSTAT_FETCH_TIMEOUT_MS"), lim->timeout_ms, 86400000);
    if (lim->timeout_ms < 1)
        lim->timeout_ms = 1;
    lim->max_bytes = (size_t)api_env_count(getenv("TOKSTAT_FETCH_MAX_BYTES"),
                                           (long long)lim->max_bytes, (long long)1 << 40);
}

/* The requests of the plan, one after the other; stops at the first
 * failure. Returns the exit status. */
static int run(struct fetcher *f, const struct fetch_args *a)
{
    struct api_window *w = NULL;
    struct ts_err err = TS_ERR_INIT;
    int32_t from = 0, to = 0;
    size_t n = 0;
    long rows;
    int rc = TS_EXIT_OK, ok;

    if (f->save_dir && save_dir_ready(f->env, f->save_dir) < 0)
        return TS_EXIT_FAIL;
    if (f->ep->span == API_SPAN_WEEKS)
        return fetch_apps_run(f, a);
    if (f->ep->span != API_SPAN_NONE && (ok = plan_days(f, a, &from, &to)) <= 0)
        return ok < 0 ? TS_EXIT_FAIL : TS_EXIT_OK;
    if (http_init(&err) < 0)
        return cmd_fail(f->env, "%s", err.msg);
    n = api_windows(f->ep, from, to, &w);
    for (size_t i = 0; i < n && rc == TS_EXIT_OK; i++) {
        if (fetch_window(f, &w[i], &rows) < 0)
            rc = TS_EXIT_FAIL;
    }
    free(w);
    http_cleanup();
    return rc;
}

int cmd_fetch(struct cmd_env *env, int argc, char **argv)
{
    struct fetch_args a = {.api_url = API_DEFAULT_URL, .limit = API_PAGE_MAX};
    struct fetcher f = {
        .env = env, .lim = API_LIMITS_DEFAULT, .ia = IMPORT_ARGS_INIT, .last_start = -1};
    struct ts_buf base = TS_BUF_INIT, key = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;
    enum api_transport kind = API_HTTPS;
    char as_of[TS_DATE_LEN + 1];
    int rc;

    app_list_init(&a.list);
    if ((rc = parse_args(env, argc, argv, &a)) >= 0)
        goto done;
    if (api_base_check(a.api_url, &base, &kind, &err) < 0) {
        char after[TS_ERR_MSG_MAX + 2];
        snprintf(after, sizeof(after), " %s", err.msg);
        rc = cmd_usage_value(env, "fetch", "--api-url ", a.api_url, after);
        goto done;
    }
    if (a.ep->needs_key) {
        if ((rc = read_key(env, &a, &key)) != 0)
            goto done;
        if (kind == API_HTTP) {
            rc = cmd_usage_value(env, "fetch", "not sending the API key to ", base.data,
                                 " over plain http (expected https://, or http:// to 127.0.0.1, "
                                 "[::1] or localhost)");
            goto done;
        }
    }
    f.ep = a.ep;
    f.base = base.data;
    f.key = key.data;
    f.save_dir = a.save_dir;
    f.direct = kind == API_HTTP_LOOPBACK;
    f.quiet = a.quiet;
    f.today = date_today();
    read_limits(&f.lim);
    f.ia.dataset = fetch_dataset(&a);
    f.ia.quiet = a.quiet;
    format_parse(a.ep->format, &f.ia.opts.format);
    if (a.ep->span == API_SPAN_NONE) { /* the catalogue says not when it was taken */
        date_format(f.today, as_of);
        f.ia.as_of = as_of;
    }
    if ((rc = cmd_open_db(env, &f.db)) == 0)
        rc = run(&f, &a);
    db_close(f.db);
done:
    buf_release(&base);
    buf_release(&key);
    return rc;
}
