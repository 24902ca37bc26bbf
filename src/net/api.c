/* api.c - OpenRouter's endpoints, and the plan of a fetch: windows, URLs,
 * names, keys, waits and error messages. Pure functions. */
#include "net/api.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/week.h"

/* The endpoints tokstat fetches. */
static const struct api_endpoint endpoints[] = {
    {"rankings-daily", "datasets/rankings-daily", "openrouter-daily", API_SPAN_DAYS, 366, 1},
    {"app-rankings", "datasets/app-rankings", "openrouter-apps", API_SPAN_WEEKS, 7, 1},
    {"models", "models", "openrouter-models", API_SPAN_NONE, 0, 0},
};

#define NENDPOINTS (sizeof(endpoints) / sizeof(endpoints[0]))

const struct api_endpoint *api_endpoint(const char *name)
{
    for (size_t i = 0; i < NENDPOINTS; i++) {
        if (strcmp(endpoints[i].name, name) == 0)
            return &endpoints[i];
    }
    return NULL;
}

void api_endpoint_names(struct ts_buf *out)
{
    for (size_t i = 0; i < NENDPOINTS; i++)
        buf_printf(out, "%s%s",
                   i == 0                ? ""
                   : i + 1 == NENDPOINTS ? " or "
                                         : ", ",
                   endpoints[i].name);
}

int32_t api_data_start(void)
{
    return date_from_ymd(2025, 1, 1);
}

int32_t api_last_day(int32_t today)
{
    return today - 1;
}

int32_t api_incremental_from(int have_last, int32_t last_day)
{
    int32_t start = api_data_start();

    if (!have_last || last_day - 7 < start)
        return start;
    return last_day - 7;
}

int32_t api_first_week(void)
{
    int32_t start = api_data_start();

    return week_start(start) == start ? start : week_start(start) + 7;
}

int32_t api_last_week(int32_t today)
{
    return week_start(today) - 7;
}

size_t api_pages(int offset, int limit, struct api_window out[2])
{
    if (limit < 1 || offset < 0 || offset > API_OFFSET_MAX || limit > API_RANKS_MAX - offset)
        return 0;
    memset(out, 0, 2 * sizeof(*out));
    if (limit <= API_PAGE_MAX) {
        out[0].offset = offset;
        out[0].limit = limit;
        return 1;
    }
    /* Ranks offset + 1 .. 100, then 101 .. offset + limit: the second page
     * starts at the last offset the API takes. */
    out[0].offset = offset;
    out[0].limit = API_OFFSET_MAX - offset;
    out[1].offset = API_OFFSET_MAX;
    out[1].limit = offset + limit - API_OFFSET_MAX;
    return 2;
}

size_t api_windows(const struct api_endpoint *ep, int32_t from, int32_t to, struct api_window **out)
{
    size_t n = 0;

    *out = NULL;
    if (ep->span == API_SPAN_NONE) {
        *out = xcalloc(1, sizeof(**out));
        return 1;
    }
    if (from > to)
        return 0;
    if (ep->span == API_SPAN_WEEKS) {
        from = week_start(from);
        n = (size_t)((week_start(to) - from) / 7) + 1;
        *out = xcalloc(n, sizeof(**out));
        for (size_t i = 0; i < n; i++) {
            (*out)[i].from = from + (int32_t)(7 * i);
            (*out)[i].to = (*out)[i].from + 6;
        }
        return n;
    }
    n = (size_t)((to - from) / ep->max_days) + 1;
    *out = xcalloc(n, sizeof(**out));
    for (size_t i = 0; i < n; i++) {
        (*out)[i].from = from + (int32_t)i * ep->max_days;
        (*out)[i].to = (*out)[i].from + ep->max_days - 1;
        if ((*out)[i].to > to)
            (*out)[i].to = to;
    }
    return n;
}

/* Appends "&key=value" (or "?key=value" first), value percent-encoded
 * but for RFC 3986's unreserved characters. */
static void add_param(struct ts_buf *b, int *first, const char *key, const char *value)
{
    buf_printf(b, "%c%s=", *first ? '?' : '&', key);
    *first = 0;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "%%%02X", *p);
    }
}

char *api_request_url(const char *base, const struct api_endpoint *ep, const struct api_window *w,
                      const struct api_filters *f)
{
    struct ts_buf b = TS_BUF_INIT;
    int first = 1;

    buf_printf(&b, "%s/%s", base, ep->path);
    if (ep->span != API_SPAN_NONE) {
        char from[TS_DATE_LEN + 1], to[TS_DATE_LEN + 1];
        date_format(w->from, from);
        date_format(w->to, to);
        add_param(&b, &first, "start_date", from);
        add_param(&b, &first, "end_date", to);
    }
    if (ep->span == API_SPAN_WEEKS && w->limit > 0) {
        char n[24];
        snprintf(n, sizeof(n), "%d", w->limit);
        add_param(&b, &first, "limit", n);
        snprintf(n, sizeof(n), "%d", w->offset);
        add_param(&b, &first, "offset", n);
    }
    if (ep->span == API_SPAN_WEEKS && f) {
        if (f->category && *f->category)
            add_param(&b, &first, "category", f->category);
        if (f->subcategory && *f->subcategory)
            add_param(&b, &first, "subcategory", f->subcategory);
        if (f->sort && *f->sort)
            add_param(&b, &first, "sort", f->sort);
    }
    return b.data;
}

void api_source_name(const struct api_endpoint *ep, const struct api_window *w, int32_t today,
                     struct ts_buf *out)
{
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];

    if (ep->span == API_SPAN_NONE) {
        date_format(today, a);
        buf_printf(out, "%s %s", ep->name, a);
        return;
    }
    date_format(w->from, a);
    date_format(w->to, b);
    buf_printf(out, "%s %s..%s", ep->name, a, b);
    if (ep->span == API_SPAN_WEEKS && w->limit > 0)
        buf_printf(out, " ranks %d-%d", w->offset + 1, w->offset + w->limit);
}

/* "_KEY-VALUE" of a filter given (values are words: app_filter_ok). */
static void save_filter(struct ts_buf *out, const char *key, const char *value)
{
    if (value && *value)
        buf_printf(out, "_%s-%s", key, value);
}

void api_save_name(const struct api_endpoint *ep, const struct api_window *w,
                   const struct api_filters *f, int32_t today, struct ts_buf *out)
{
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];

    if (ep->span == API_SPAN_NONE) {
        date_format(today, a);
        buf_printf(out, "%s-%s.json", ep->name, a);
        return;
    }
    date_format(w->from, a);
    date_format(w->to, b);
    buf_printf(out, "%s-%s_%s", ep->name, a, b);
    if (ep->span == API_SPAN_WEEKS && w->limit > 0)
        buf_printf(out, "_ranks-%d-%d", w->offset + 1, w->offset + w->limit);
    if (ep->span == API_SPAN_WEEKS && f) {
        save_filter(out, "category", f->category);
        save_filter(out, "subcategory", f->subcategory);
        save_filter(out, "sort", f->sort);
    }
    buf_adds(out, ".json");
}

/* ---- URLs and keys ---- */

static int has_prefix_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c != *prefix)
            return 0;
    }
    return 1;
}

static int same_nocase(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && has_prefix_nocase(s, word);
}

/* Checks host[0..len) and the port after it; sets *loopback. */
static int check_host(const char *h, size_t len, int *loopback, struct ts_err *err)
{
    size_t i = 0, host_len;

    if (len > 0 && h[0] == '[') {
        while (i < len && h[i] != ']')
            i++;
        if (i == len)
            return ts_err_set(err, "has no ']' after its IPv6 address");
        for (size_t k = 1; k < i; k++) {
            if (!strchr("0123456789abcdefABCDEF:.", h[k]))
                return ts_err_set(err, "has a character an IPv6 address cannot have");
        }
        host_len = ++i;
    } else {
        while (i < len && h[i] != ':') {
            char c = h[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.'))
                return ts_err_set(err, "has a character a host name cannot have");
            i++;
        }
        host_len = i;
    }
    if (host_len == 0 || (host_len == 2 && h[0] == '['))
        return ts_err_set(err, "has no host");
    if (i < len) { /* ":port" */
        long port = 0;
        if (h[i] != ':' || i + 1 == len || len - i - 1 > 5)
            return ts_err_set(err, "has a bad port (expected :1 to :65535)");
        for (size_t k = i + 1; k < len; k++) {
            if (h[k] < '0' || h[k] > '9')
                return ts_err_set(err, "has a bad port (expected :1 to :65535)");
            port = port * 10 + (h[k] - '0');
        }
        if (port < 1 || port > 65535)
            return ts_err_set(err, "has a bad port (expected :1 to :65535)");
    }
    *loopback = same_nocase(h, host_len, "localhost") || same_nocase(h, host_len, "127.0.0.1") ||
                same_nocase(h, host_len, "[::1]");
    return 0;
}

int api_base_check(const char *url, struct ts_buf *out, enum api_transport *kind,
                   struct ts_err *err)
{
    const char *rest;
    size_t auth, len;
    int https, loopback = 0;

    if (has_prefix_nocase(url, "https://"))
        https = 1;
    else if (has_prefix_nocase(url, "http://"))
        https = 0;
    else
        return ts_err_set(err, "is not an http:// or https:// URL");
    rest = url + (https ? 8 : 7);
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= ' ' || *p >= 0x7f || *p == '\\')
            return ts_err_set(err, "has a blank, a backslash, a control character or a "
                                   "non-ASCII byte");
        if (*p == '?' || *p == '#')
            return ts_err_set(err, "has a query or a fragment (expected the API's base URL, "
                                   "such as " API_DEFAULT_URL ")");
    }
    auth = strcspn(rest, "/");
    if (memchr(rest, '@', auth))
        return ts_err_set(err, "has a user name (the key goes in OPENROUTER_API_KEY or a "
                               "--key-file, never in the URL)");
    if (check_host(rest, auth, &loopback, err) < 0)
        return -1;
    len = strlen(url);
    while (len > (size_t)(rest - url) + auth && url[len - 1] == '/')
        len--;
    buf_add(out, url, len);
    *kind = https ? API_HTTPS : loopback ? API_HTTP_LOOPBACK : API_HTTP;
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int api_key_clean(const char *s, size_t len, struct ts_buf *out, struct ts_err *err)
{
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    if (len == 0)
        return ts_err_set(err, "is empty");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c >= 0x7f)
            return ts_err_set(err, "holds a blank, a control character or a non-ASCII byte "
                                   "(expected one line with the key)");
    }
    buf_add(out, s, len);
    return 0;
}

/* ---- limits and waits ---- */

long long api_env_count(const char *value, long long dflt, long long max)
{
    long long v = 0;

    if (!value || !*value)
        return dflt;
    for (const char *p = value; *p; p++) {
        if (*p < '0' || *p > '9' || v > (max - (*p - '0')) / 10)
            return dflt;
        v = v * 10 + (*p - '0');
    }
    return v;
}

int api_retryable(long status, int transient)
{
    if (status == 0)
        return transient;
    return status == 429 || (status >= 500 && status <= 599);
}

long api_retry_wait_ms(int n, long retry_after_s, long max_wait_ms)
{
    long ms;

    if (retry_after_s >= 0)
        ms = retry_after_s > max_wait_ms / 1000 ? max_wait_ms : retry_after_s * 1000;
    else
        ms = n < 1 ? 1000 : n > 20 ? max_wait_ms : 1000L << (n - 1);
    return ms > max_wait_ms ? max_wait_ms : ms < 0 ? 0 : ms;
}

long api_spacing_ms(long long now_ms, long long last_ms, long min_interval_ms)
{
    long long left;

    if (last_ms < 0)
        return 0;
    left = last_ms + min_interval_ms - now_ms;
    return left < 0 ? 0 : left > min_interval_ms ? min_interval_ms : (long)left;
}

/* ---- what responses say ---- */

static size_t skip_blanks(const char *body, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && is_blank(body[i]))
        i++;
    return i;
}

/* The message of an error document, or NULL (borrowed from doc). */
static const char *json_message(json_t *doc)
{
    json_t *e = json_object_get(doc, "error");
    json_t *m = json_object_get(e, "message");

    if (json_is_string(m))
        return json_string_value(m);
    if (json_is_string(e))
        return json_string_value(e);
    m = json_object_get(doc, "message");
    return json_is_string(m) ? json_string_value(m) : NULL;
}

void api_error_text(const char *body, size_t len, struct ts_buf *out)
{
    size_t start = skip_blanks(body, len), line;
    json_t *doc;

    if (start == len) {
        buf_adds(out, "an empty body");
        return;
    }
    if (body[start] == '<') {
        buf_adds(out, "an HTML page instead of the API's JSON");
        return;
    }
    doc = json_loadb(body, len, 0, NULL);
    if (doc) {
        const char *msg = json_message(doc);
        if (msg && *msg) {
            ts_quote_for_msg(out, msg, strlen(msg), 300);
            json_decref(doc);
            return;
        }
        json_decref(doc);
    }
    line = strcspn(body + start, "\r\n");
    if (line > len - start)
        line = len - start;
    buf_adds(out, "'");
    ts_quote_for_msg(out, body + start, line, 200);
    buf_adds(out, "'");
}

int api_body_check(const char *body, size_t len, const char *content_type, struct ts_err *err)
{
    size_t start = skip_blanks(body, len);
    struct ts_buf ct = TS_BUF_INIT;
    int rc = 0;

    if (start == len)
        return ts_err_set(err, "the response is empty (expected JSON)");
    if (body[start] != '<')
        return 0;
    if (*content_type) {
        buf_adds(&ct, ", Content-Type '");
        ts_quote_for_msg(&ct, content_type, strlen(content_type), 100);
        buf_adds(&ct, "'");
    }
    rc = ts_err_set(err,
                    "the response is an HTML page, not JSON%s (a login portal or a proxy's "
                    "page?)",
                    ct.data ? ct.data : "");
    buf_release(&ct);
    return rc;
}

long api_body_rows(const char *body, size_t len)
{
    json_t *doc = json_loadb(body ? body : "", len, 0, NULL);
    json_t *data = json_object_get(doc, "data");
    long n = json_is_array(data) ? (long)json_array_size(data) : -1;

    json_decref(doc);
    return n;
}

#define EMPTY_BODY_MAX 65536 /* an answer without rows is small */

int api_body_empty(const char *body, size_t len)
{
    json_t *doc;
    int empty;

    if (len == 0 || len > EMPTY_BODY_MAX)
        return 0;
    if (!(doc = json_loadb(body, len, 0, NULL)))
        return 0;
    json_t *data = json_object_get(doc, "data");
    empty = json_is_array(data) && json_array_size(data) == 0;
    json_decref(doc);
    return empty;
}
