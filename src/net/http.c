/* http.c - GET through libcurl into memory, with the headers fetch needs. */
#include "net/http.h"

#include <curl/curl.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#ifndef TOKSTAT_VERSION
#define TOKSTAT_VERSION "0.0.0"
#endif

#define CONNECT_TIMEOUT_MS 30000L
#define RETRY_AFTER_MAX_S  86400L /* a longer one is taken as a day */

int http_init(struct ts_err *err)
{
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

    if (rc != CURLE_OK)
        return ts_err_set(err, "cannot set up libcurl: %s", curl_easy_strerror(rc));
    return 0;
}

void http_cleanup(void)
{
    curl_global_cleanup();
}

void http_response_release(struct http_response *r)
{
    buf_release(&r->body);
}

/* What the callbacks of one request share. */
struct get_state {
    struct http_response *r;
    size_t max_bytes;
    int too_big;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    struct get_state *g = ctx;
    size_t len = size * n;

    if (len > g->max_bytes - g->r->body.len) {
        g->too_big = 1;
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    }
    buf_add(&g->r->body, p, len);
    return len;
}

/* Copies a header's value (p[0..len), blanks and CRLF trimmed) into dst,
 * cut to fit. */
static void header_value(char *dst, size_t cap, const char *p, size_t len)
{
    while (len > 0 && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len > 0 && strchr(" \t\r\n", p[len - 1]))
        len--;
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, p, len);
    dst[len] = '\0';
}

/* Retry-After: delay-seconds, or an HTTP date. -1 when neither. */
static long retry_after(const char *v)
{
    long s = 0;
    const char *p = v;

    for (; *p >= '0' && *p <= '9'; p++)
        s = s >= RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : s * 10 + (*p - '0');
    if (p > v && *p == '\0')
        return s > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : s;
    time_t t = curl_getdate(v, NULL);
    if (t == (time_t)-1)
        return -1;
    t -= time(NULL);
    return t < 0 ? 0 : t > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (long)t;
}

static int header_is(const char *p, size_t len, const char *name)
{
    size_t n = strlen(name);
    return len > n && strncasecmp(p, name, n) == 0 && p[n] == ':';
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    struct get_state *g = ctx;
    struct http_response *r = g->r;
    size_t len = size * n;
    char v[128];

    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) { /* a new response (after a 100) */
        r->content_type[0] = r->location[0] = '\0';
        r->retry_after_s = -1;
    } else if (header_is(p, len, "content-type")) {
        header_value(r->content_type, sizeof(r->content_type), p + 13, len - 13);
    } else if (header_is(p, len, "location")) {
        header_value(r->location, sizeof(r->location), p + 9, len - 9);
    } else if (header_is(p, len, "retry-after")) {
        header_value(v, sizeof(v), p + 12, len - 12);
        r->retry_after_s = retry_after(v);
    }
    return len;
}

/* Failures that may pass when the request is made again. */
static int transient(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}

static void set_options(CURL *c, const struct http_request *req, struct curl_slist *headers,
                        struct get_state *g, char *errbuf)
{
    long connect_ms = req->timeout_ms < CONNECT_TIMEOUT_MS ? req->timeout_ms : CONNECT_TIMEOUT_MS;

    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "tokstat/" TOKSTAT_VERSION);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_bytes);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, g);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, g);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (req->direct)
        curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
}

int http_get(const struct http_request *req, struct http_response *out, struct ts_err *err)
{
    struct get_state g = {out, req->max_bytes, 0};
    struct curl_slist *headers = NULL;
    struct ts_buf auth = TS_BUF_INIT;
    char errbuf[CURL_ERROR_SIZE] = "";
    CURLcode rc;
    CURL *c;
    int ret = 0;

    buf_reset(&out->body);
    out->status = 0;
    out->content_type[0] = out->location[0] = '\0';
    out->retry_after_s = -1;
    out->transient = out->too_big = 0;
    if (!(c = curl_easy_init()))
        return ts_err_set(err, "cannot start a request (libcurl failed)");
    if (req->bearer) {
        buf_printf(&auth, "Authorization: Bearer %s", req->bearer);
        headers = curl_slist_append(headers, auth.data);
    }
    headers = curl_slist_append(headers, "Accept: application/json");
    set_options(c, req, headers, &g, errbuf);
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    } else if (g.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        out->too_big = 1;
        ret = ts_err_set(err, "the response is larger than the limit of %zu bytes", req->max_bytes);
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        out->transient = 1;
        ret = ts_err_set(err, "no complete response within %ld ms (timed out)", req->timeout_ms);
    } else {
        out->transient = transient(rc);
        ret = ts_err_set(err, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    buf_release(&auth);
    return ret;
}
