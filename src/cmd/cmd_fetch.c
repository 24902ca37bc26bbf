/* cmd_fetch.c - tokstat fetch: download from OpenRouter's API and import
 * each response as `tokstat import --format F` would import the same
 * bytes, one transaction per response. The plan (endpoints, windows, URLs,
 * waits) is net/api.c, the transport net/http.c, the import import_io.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/import_io.h"
#include "core/opts.h"
#include "core/week.h"
#include "db/status.h"
#include "import/format.h"
#include "import/input.h"
#include "net/api.h"
#include "net/http.h"
#include "render/output.h"

static const char usage[] =
    "usage: tokstat fetch [OPTIONS] rankings-daily|models\n"
    "\n"
    "Downloads from OpenRouter's API and imports each response as 'tokstat import'\n"
    "would import it, in one transaction per response:\n"
    "  rankings-daily  the Data API's tokens of the top 50 models a day and of all\n"
    "                  the others together, from 2025-01-01; at most 366 days a\n"
    "                  request (format openrouter-daily)\n"
    "  models          the model catalogue, its prices valid from today (format\n"
    "                  openrouter-models)\n"
    "\n"
    "Options:\n"
    "  --dataset NAME        import into this dataset (default: default)\n"
    "  --from DATE           rankings-daily: the first day (default: a week before\n"
    "                        the dataset's newest day, so that revised days come\n"
    "                        again; 2025-01-01 for a dataset without days)\n"
    "  --to DATE             rankings-daily: the last day (default and latest:\n"
    "                        yesterday, the last complete UTC day)\n"
    "  --api-url URL         the API (default: " API_DEFAULT_URL ")\n"
    "  --key-file FILE       read the API key from FILE (default: the environment\n"
    "                        variable OPENROUTER_API_KEY)\n"
    "  --save DIR            also keep each response in DIR, named by endpoint and\n"
    "                        days (rankings-daily-2025-01-01_2025-12-31.json)\n"
    "  -q, --quiet           print no summary lines and no notes (errors are still\n"
    "                        reported)\n"
    "  --help                show this help\n"
    "\n"
    "The key (make one at openrouter.ai/settings/keys) is sent only over https,\n"
    "or to 127.0.0.1, ::1 or localhost. Requests start at most 30 a minute; a\n"
    "429, a 5xx or a timeout is tried again up to 3 times, after the Retry-After\n"
    "the API asks for or 1, 2 and 4 seconds. A failure ends the fetch with status\n"
    "1, and what earlier responses brought stays imported.\n";

enum { O_DATASET = 1, O_FROM, O_TO, O_API_URL, O_KEY_FILE, O_SAVE, O_QUIET, O_HELP };

static const struct opt_spec specs[] = {
    {"dataset", 0, 1, O_DATASET}, {"from", 0, 1, O_FROM},         {"to", 0, 1, O_TO},
    {"api-url", 0, 1, O_API_URL}, {"key-file", 0, 1, O_KEY_FILE}, {"save", 0, 1, O_SAVE},
    {"quiet", 'q', 0, O_QUIET},   {"help", 'h', 0, O_HELP},       {NULL, 0, 0, 0},
};

struct fetch_args {
    const struct api_endpoint *ep;
    const char *dataset;
    const char *from_s, *to_s; /* as given, or NULL */
    int32_t from, to;
    const char *api_url;
    const char *key_file; /* or NULL */
    const char *save_dir; /* or NULL */
    int quiet;
};

/* One fetch under way. */
struct fetcher {
    struct cmd_env *env;
    struct db *db;
    const struct api_endpoint *ep;
    const char *base;     /* the API's URL, checked */
    const char *key;      /* or NULL: sent to no one */
    const char *save_dir; /* or NULL */
    int direct;           /* loopback: no proxy */
    int quiet;
    int32_t today;
    struct api_limits lim;
    struct import_args ia;
    long long last_start; /* when the previous request started (ms), or -1 */
};

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
                               "--from and --to apply to rankings-daily only "
                               "(%s is fetched whole)",
                               a->ep->name);
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

/* ---- requests ---- */

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* What went wrong with a request, into msg. */
static void describe_failure(const struct http_response *r, int got, const struct ts_err *err,
                             struct ts_buf *msg)
{
    if (!got) {
        buf_adds(msg, err->msg);
        return;
    }
    buf_printf(msg, "HTTP %ld", r->status);
    if (r->status >= 300 && r->status <= 399) {
        buf_adds(msg, " (a redirect");
        if (r->location[0]) {
            buf_adds(msg, " to '");
            ts_quote_for_msg(msg, r->location, strlen(r->location), 200);
            buf_adds(msg, "'");
        }
        buf_adds(msg, ", not followed: is --api-url right?)");
        return;
    }
    buf_adds(msg, ": ");
    api_error_text(r->body.data ? r->body.data : "", r->body.len, msg);
}

/* GETs url into r, keeping to the limits and trying again after a 429, a
 * 5xx or a timeout. Returns 0 for a 2xx response, or -1 after printing. */
static int request(struct fetcher *f, const char *url, struct http_response *r)
{
    struct http_request req = {url, f->key, f->lim.timeout_ms, f->lim.max_bytes, f->direct};
    struct ts_buf msg = TS_BUF_INIT;

    for (int attempt = 0;; attempt++) {
        struct ts_err err = TS_ERR_INIT;
        long wait;
        int got;

        pause_ms(api_spacing_ms(now_ms(), f->last_start, f->lim.min_interval_ms));
        f->last_start = now_ms();
        got = http_get(&req, r, &err) == 0;
        if (got && r->status >= 200 && r->status <= 299)
            break;
        buf_reset(&msg);
        describe_failure(r, got, &err, &msg);
        if (attempt >= f->lim.retries || !api_retryable(got ? r->status : 0, r->transient)) {
            if (attempt > 0)
                buf_printf(&msg, " (after %d tries)", attempt + 1);
            cmd_fail(f->env, "GET %s: %s", url, msg.data);
            if (!got && r->too_big)
                fputs("tokstat: note: TOKSTAT_FETCH_MAX_BYTES sets the limit\n", f->env->err);
            buf_release(&msg);
            return -1;
        }
        wait = api_retry_wait_ms(attempt + 1, got ? r->retry_after_s : -1, f->lim.max_wait_ms);
        if (!f->quiet)
            cmd_line(f->env, f->env->err,
                     "tokstat: note: GET %s: %s; trying again in %.1f s (retry %d of %d)", url,
                     msg.data, (double)wait / 1000, attempt + 1, f->lim.retries);
        pause_ms(wait);
    }
    buf_release(&msg);
    return 0;
}

/* ---- what a response becomes ---- */

/* Writes the body into the --save folder, atomically. Returns 0 or -1
 * after printing. */
static int save_body(struct fetcher *f, const struct api_window *w, const struct ts_buf *body)
{
    struct ts_buf path = TS_BUF_INIT;
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    int rc = 0;

    buf_printf(&path, "%s/", f->save_dir);
    api_save_name(f->ep, w, f->today, &path);
    if (output_open(&o, path.data, NULL, &err) < 0 ||
        (body->len > 0 && fwrite(body->data, 1, body->len, o.fp) != body->len) ||
        output_commit(&o, &err) < 0) {
        cmd_fail(f->env, "--save: %s", err.msg[0] ? err.msg : "write error");
        rc = -1;
    }
    output_release(&o);
    buf_release(&path);
    return rc;
}

/* Imports the body as the endpoint's format, named source. Returns 0 or
 * -1 after printing. */
static int import_body(struct fetcher *f, const char *source, struct ts_buf *body)
{
    struct ts_input in = TS_INPUT_INIT;
    FILE *fp = fmemopen(body->data, body->len, "r");
    int rc;

    if (!fp)
        return cmd_fail(f->env, "%s: cannot read the response: %s", source, strerror(errno));
    input_from_fp(&in, fp, source);
    in.owns_fp = 1;
    rc = import_input(f->env, f->db, &in, source, &f->ia);
    input_release(&in);
    return rc;
}

/* One request, its response saved and imported. Returns 0 or -1 after
 * printing. */
static int fetch_window(struct fetcher *f, const struct api_window *w)
{
    char *url = api_request_url(f->base, f->ep, w);
    struct http_response r = HTTP_RESPONSE_INIT;
    struct ts_buf source = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;
    int rc = -1;

    api_source_name(f->ep, w, f->today, &source);
    if (request(f, url, &r) < 0 || (f->save_dir && save_body(f, w, &r.body) < 0))
        goto done;
    if (api_body_check(r.body.data ? r.body.data : "", r.body.len, r.content_type, &err) < 0) {
        cmd_fail(f->env, "GET %s: %s", url, err.msg);
        goto done;
    }
    if (api_body_empty(r.body.data, r.body.len)) { /* days the API has nothing for (yet) */
        if (!f->quiet)
            cmd_line(f->env, f->env->out, "%s: no rows, nothing imported", source.data);
        rc = 0;
        goto done;
    }
    rc = import_body(f, source.data, &r.body);
done:
    buf_release(&source);
    http_response_release(&r);
    free(url);
    return rc;
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
        if ((found = db_dataset(f->db, a->dataset, 0, &id, &err)) < 0 ||
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
    int rc = TS_EXIT_OK, ok;

    if (f->ep->span != API_SPAN_NONE && (ok = plan_days(f, a, &from, &to)) <= 0)
        return ok < 0 ? TS_EXIT_FAIL : TS_EXIT_OK;
    if (f->save_dir && save_dir_ready(f->env, f->save_dir) < 0)
        return TS_EXIT_FAIL;
    if (http_init(&err) < 0)
        return cmd_fail(f->env, "%s", err.msg);
    n = api_windows(f->ep, from, to, &w);
    for (size_t i = 0; i < n && rc == TS_EXIT_OK; i++) {
        if (fetch_window(f, &w[i]) < 0)
            rc = TS_EXIT_FAIL;
    }
    free(w);
    http_cleanup();
    return rc;
}

int cmd_fetch(struct cmd_env *env, int argc, char **argv)
{
    struct fetch_args a = {NULL, "default", NULL, NULL, 0, 0, API_DEFAULT_URL, NULL, NULL, 0};
    struct fetcher f = {
        env, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, API_LIMITS_DEFAULT, IMPORT_ARGS_INIT, -1};
    struct ts_buf base = TS_BUF_INIT, key = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;
    enum api_transport kind = API_HTTPS;
    char as_of[TS_DATE_LEN + 1];
    int rc;

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
    f.ia.dataset = a.dataset;
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
