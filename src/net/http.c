/* http.c - GET through libcurl into memory, with the headers fetch needs.
 *
 * libcurl is loaded when fetch first needs it (dlopen), not linked: as
 * Debian builds it, it brings some thirty libraries (TLS, Kerberos, LDAP,
 * SSH...), whose loading cost every other command about 12 ms a run, more
 * than a report takes. Only its header is used at build time. */
#include "net/http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#ifndef TOKSTAT_VERSION
#define TOKSTAT_VERSION "0.0.0"
#endif

#define CONNECT_TIMEOUT_MS 30000L
#define RETRY_AFTER_MAX_S  86400L /* a longer one is taken as a day */
#define CURL_SONAME        "libcurl.so.4"

/* The functions of libcurl that fetch calls, once loaded. */
static struct {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *c, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *c);
    CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *c);
    const char *(*easy_strerror)(CURLcode rc);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
    time_t (*getdate)(const char *s, const time_t *unused);
} cu;

/* The table of cu's fields and their names in libcurl. */
#define CU_FN(field, name)                                                                         \
    {                                                                                              \
        (void *)&cu.field, sizeof(cu.field), name                                                  \
    }
static const struct {
    void *field;
    size_t size;
    const char *name;
} cu_fns[] = {
    CU_FN(global_init, "curl_global_init"),   CU_FN(global_cleanup, "curl_global_cleanup"),
    CU_FN(easy_init, "curl_easy_init"),       CU_FN(easy_setopt, "curl_easy_setopt"),
    CU_FN(easy_perform, "curl_easy_perform"), CU_FN(easy_getinfo, "curl_easy_getinfo"),
    CU_FN(easy_cleanup, "curl_easy_cleanup"), CU_FN(easy_strerror, "curl_easy_strerror"),
    CU_FN(slist_append, "curl_slist_append"), CU_FN(slist_free_all, "curl_slist_free_all"),
    CU_FN(getdate, "curl_getdate"),
};

/* Loads libcurl and finds its functions (once; it stays loaded). */
static int load_curl(struct ts_err *err)
{
    static void *lib;

    if (lib)
        return 0;
    void *h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return ts_err_set(err,
                          "cannot load libcurl, which fetch needs: %s (Debian: apt-get install "
                          "libcurl4)",
                          dlerror());
    for (size_t i = 0; i < sizeof(cu_fns) / sizeof(cu_fns[0]); i++) {
        void *f = dlsym(h, cu_fns[i].name);
        if (!f) {
            dlclose(h);
            return ts_err_set(err, "cannot load libcurl: %s has no %s", CURL_SONAME,
                              cu_fns[i].name);
        }
        /* A function's address as dlsym gives it (POSIX makes this exact). */
        memcpy(cu_fns[i].field, &f, cu_fns[i].size);
    }
    lib = h;
    return 0;
}

int http_init(struct ts_err *err)
{
    if (load_curl(err) < 0)
        return -1;
    CURLcode rc = cu.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK)
        return ts_err_set(err, "cannot set up libcurl: %s", cu.easy_strerror(rc));
    return 0;
}

void http_cleanup(void)
{
    if (cu.global_cleanup)
        cu.global_cleanup();
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
    time_t t = cu.getdate(v, NULL);
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

/* Sets the request's options. libcurl is the one on the machine, loaded at
 * run time: an option it does not know (CURLOPT_PROTOCOLS_STR needs 7.85)
 * must stop the request rather than be skipped, since some of them limit
 * where the key may go. Returns 0, or -1 with err naming the option. */
static int set_options(CURL *c, const struct http_request *req, struct curl_slist *headers,
                       struct get_state *g, char *errbuf, struct ts_err *err)
{
    long connect_ms = req->timeout_ms < CONNECT_TIMEOUT_MS ? req->timeout_ms : CONNECT_TIMEOUT_MS;
    CURLcode rc = CURLE_OK;
    const char *what = NULL;

#define SET(opt, v)                                                                                \
    do {                                                                                           \
        if (rc == CURLE_OK && (rc = cu.easy_setopt(c, opt, v)) != CURLE_OK)                        \
            what = #opt;                                                                           \
    } while (0)
    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_USERAGENT, "tokstat/" TOKSTAT_VERSION);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_TIMEOUT_MS, req->timeout_ms);
    SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_bytes);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, g);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, g);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    if (req->direct)
        SET(CURLOPT_NOPROXY, "*");
#undef SET
    if (rc != CURLE_OK)
        return ts_err_set(err, "libcurl refused %s: %s (fetch needs libcurl 7.85 or later)", what,
                          cu.easy_strerror(rc));
    return 0;
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
    if (!(c = cu.easy_init()))
        return ts_err_set(err, "cannot start a request (libcurl failed)");
    if (req->bearer) {
        buf_printf(&auth, "Authorization: Bearer %s", req->bearer);
        headers = cu.slist_append(headers, auth.data);
    }
    headers = cu.slist_append(headers, "Accept: application/json");
    if (set_options(c, req, headers, &g, errbuf, err) < 0) {
        ret = -1;
    } else if ((rc = cu.easy_perform(c)) == CURLE_OK) {
        cu.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    } else if (g.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        out->too_big = 1;
        ret = ts_err_set(err, "the response is larger than the limit of %zu bytes", req->max_bytes);
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        out->transient = 1;
        ret = ts_err_set(err, "no complete response within %ld ms (timed out)", req->timeout_ms);
    } else {
        out->transient = transient(rc);
        ret = ts_err_set(err, "%s", errbuf[0] ? errbuf : cu.easy_strerror(rc));
    }
    cu.slist_free_all(headers);
    cu.easy_cleanup(c);
    buf_release(&auth);
    return ret;
}
