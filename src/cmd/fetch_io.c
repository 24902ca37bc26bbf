/* fetch_io.c - one request of `tokstat fetch` and what its response
 * becomes: the request spaced from the one before and tried again after a
 * 429, a 5xx or a timeout; the body saved (--save) and imported as `tokstat
 * import --format F` would import the same bytes, in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch.h"
#include "import/input.h"
#include "net/http.h"
#include "render/output.h"

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
    api_save_name(f->ep, w, &f->filters, f->today, &path);
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

int fetch_window(struct fetcher *f, const struct api_window *w, long *rows)
{
    char *url = api_request_url(f->base, f->ep, w, &f->filters);
    struct http_response r = HTTP_RESPONSE_INIT;
    struct ts_buf source = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;
    int rc = -1;

    *rows = 0;
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
    if (f->ep->span == API_SPAN_WEEKS) /* a page shorter than asked for is the last */
        *rows = api_body_rows(r.body.data, r.body.len);
    rc = import_body(f, source.data, &r.body);
done:
    buf_release(&source);
    http_response_release(&r);
    free(url);
    return rc;
}
