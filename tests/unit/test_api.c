/* test_api.c - the plan of `tokstat fetch`: endpoints, windows of at most
 * 366 days and of ISO weeks, pages of ranks, where an incremental fetch
 * starts, URLs and names, which URLs
 * a key may go to, keys as read, the waits between requests and before
 * retries, and what error responses say. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/week.h"
#include "net/api.h"
#include "support.h"

static const struct api_endpoint *daily(void)
{
    const struct api_endpoint *ep = api_endpoint("rankings-daily");
    assert_non_null(ep);
    return ep;
}

static void test_endpoints(void **state)
{
    struct ts_buf b = TS_BUF_INIT;
    const struct api_endpoint *m = api_endpoint("models");

    (void)state;
    assert_string_equal(daily()->path, "datasets/rankings-daily");
    assert_string_equal(daily()->format, "openrouter-daily");
    assert_int_equal(daily()->span, API_SPAN_DAYS);
    assert_int_equal(daily()->max_days, 366);
    assert_true(daily()->needs_key);
    assert_non_null(m);
    assert_string_equal(m->format, "openrouter-models");
    assert_int_equal(m->span, API_SPAN_NONE);
    assert_false(m->needs_key);
    const struct api_endpoint *apps = api_endpoint("app-rankings");
    assert_non_null(apps);
    assert_string_equal(apps->path, "datasets/app-rankings");
    assert_string_equal(apps->format, "openrouter-apps");
    assert_int_equal(apps->span, API_SPAN_WEEKS);
    assert_true(apps->needs_key);
    assert_null(api_endpoint("Models"));
    assert_null(api_endpoint(""));
    api_endpoint_names(&b);
    assert_string_equal(b.data, "rankings-daily, app-rankings or models");
    buf_release(&b);
}

/* The windows of from..to as "A..B A..B". */
static void windows_text(const struct api_endpoint *ep, const char *from, const char *to, char *out,
                         size_t n)
{
    struct api_window *w;
    size_t k = api_windows(ep, D(from), D(to), &w);

    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
        date_format(w[i].from, a);
        date_format(w[i].to, b);
        snprintf(out + strlen(out), n - strlen(out), "%s%s..%s", i ? " " : "", a, b);
    }
    free(w);
}

#define WINDOWS(want, from, to)                                                                    \
    do {                                                                                           \
        char got_[512];                                                                            \
        windows_text(daily(), from, to, got_, sizeof(got_));                                       \
        assert_string_equal(got_, want);                                                           \
    } while (0)

static void test_windows(void **state)
{
    struct api_window *w = (struct api_window *)1;

    (void)state;
    WINDOWS("2025-01-01..2025-01-01", "2025-01-01", "2025-01-01");
    WINDOWS("2025-01-01..2025-12-31", "2025-01-01", "2025-12-31"); /* 365 days */
    WINDOWS("2025-01-01..2026-01-01", "2025-01-01", "2026-01-01"); /* 366: one */
    WINDOWS("2025-01-01..2026-01-01 2026-01-02..2026-01-02", "2025-01-01", "2026-01-02");
    WINDOWS("2025-01-01..2026-01-01 2026-01-02..2027-01-02 2027-01-03..2027-03-01", "2025-01-01",
            "2027-03-01");
    /* A leap year's 366 days. */
    WINDOWS("2028-01-01..2028-12-31 2029-01-01..2029-01-01", "2028-01-01", "2029-01-01");
    /* Nothing to fetch. */
    assert_int_equal(api_windows(daily(), D("2025-02-02"), D("2025-02-01"), &w), 0);
    assert_null(w);
    /* The catalogue: one request, whatever the days. */
    assert_int_equal(api_windows(api_endpoint("models"), 0, -5, &w), 1);
    free(w);
}

static void weeks_text(const char *from, const char *to, char *out, size_t n)
{
    windows_text(api_endpoint("app-rankings"), from, to, out, n);
}

/* app-rankings: one ISO week a request, Monday to Sunday. */
static void test_week_windows(void **state)
{
    char got[512];
    struct api_window *w = (struct api_window *)1;

    (void)state;
    weeks_text("2025-01-27", "2025-02-02", got, sizeof(got));
    assert_string_equal(got, "2025-01-27..2025-02-02");
    weeks_text("2025-01-27", "2025-02-10", got, sizeof(got));
    assert_string_equal(got,
                        "2025-01-27..2025-02-02 2025-02-03..2025-02-09 2025-02-10..2025-02-16");
    /* Days inside weeks select the weeks containing them. */
    weeks_text("2025-01-29", "2025-02-04", got, sizeof(got));
    assert_string_equal(got, "2025-01-27..2025-02-02 2025-02-03..2025-02-09");
    /* Across a year's end: ISO weeks, not calendar ones. */
    weeks_text("2025-12-29", "2026-01-05", got, sizeof(got));
    assert_string_equal(got, "2025-12-29..2026-01-04 2026-01-05..2026-01-11");
    assert_int_equal(
        api_windows(api_endpoint("app-rankings"), D("2025-02-03"), D("2025-02-02"), &w), 0);
    assert_null(w);
    /* The data starts on Wednesday 2025-01-01: the first complete week is
     * the next Monday's; the last complete week ends before today. */
    assert_int_equal(api_first_week(), D("2025-01-06"));
    assert_int_equal(api_last_week(D("2026-02-16")), D("2026-02-09")); /* a Monday */
    assert_int_equal(api_last_week(D("2026-02-22")), D("2026-02-09")); /* a Sunday */
    assert_int_equal(api_last_week(D("2026-02-23")), D("2026-02-16"));
}

/* The pages of ranks offset + 1 .. offset + limit as "offset/limit ...". */
static void pages_text(int offset, int limit, char *out, size_t n)
{
    struct api_window p[2];
    size_t k = api_pages(offset, limit, p);

    out[0] = '\0';
    for (size_t i = 0; i < k; i++)
        snprintf(out + strlen(out), n - strlen(out), "%s%d/%d", i ? " " : "", p[i].offset,
                 p[i].limit);
}

#define PAGES(want, offset, limit)                                                                 \
    do {                                                                                           \
        char got_[64];                                                                             \
        pages_text(offset, limit, got_, sizeof(got_));                                             \
        assert_string_equal(got_, want);                                                           \
    } while (0)

static void test_pages(void **state)
{
    (void)state;
    PAGES("0/100", 0, 100); /* the default: one request */
    PAGES("0/1", 0, 1);
    PAGES("100/100", 100, 100); /* ranks 101-200 */
    PAGES("0/100 100/1", 0, 101);
    PAGES("0/100 100/100", 0, 200);
    PAGES("50/100", 50, 100);        /* ranks 51-150: one request */
    PAGES("50/50 100/100", 50, 150); /* ranks 51-200: 51-100, then 101-200 */
    PAGES("99/1 100/100", 99, 101);
    /* What the API cannot give: none. */
    PAGES("", 0, 0);
    PAGES("", 0, 201);
    PAGES("", 101, 1);
    PAGES("", 100, 101);
    PAGES("", -1, 10);
}

static void test_incremental(void **state)
{
    (void)state;
    assert_int_equal(api_data_start(), D("2025-01-01"));
    assert_int_equal(api_last_day(D("2026-03-01")), D("2026-02-28"));
    assert_int_equal(api_last_day(D("2025-01-01")), D("2024-12-31"));
    assert_int_equal(api_incremental_from(0, 0), D("2025-01-01"));
    assert_int_equal(api_incremental_from(0, D("2026-05-01")), D("2025-01-01"));
    assert_int_equal(api_incremental_from(1, D("2025-02-02")), D("2025-01-26"));
    assert_int_equal(api_incremental_from(1, D("2026-03-01")), D("2026-02-22"));
    assert_int_equal(api_incremental_from(1, D("2025-01-05")), D("2025-01-01"));
    assert_int_equal(api_incremental_from(1, D("2025-01-08")), D("2025-01-01"));
    assert_int_equal(api_incremental_from(1, D("2025-01-09")), D("2025-01-02"));
}

static void test_urls_and_names(void **state)
{
    struct api_window w = {D("2025-01-01"), D("2025-12-31"), 0, 0}, none = {0, 0, 0, 0};
    const struct api_endpoint *m = api_endpoint("models");
    struct ts_buf b = TS_BUF_INIT;
    char *url;

    (void)state;
    url = api_request_url("https://openrouter.ai/api/v1", daily(), &w, NULL);
    assert_string_equal(url, "https://openrouter.ai/api/v1/datasets/rankings-daily"
                             "?start_date=2025-01-01&end_date=2025-12-31");
    free(url);
    url = api_request_url("http://127.0.0.1:8080", m, &none, NULL);
    assert_string_equal(url, "http://127.0.0.1:8080/models");
    free(url);
    api_source_name(daily(), &w, D("2026-05-01"), &b);
    assert_string_equal(b.data, "rankings-daily 2025-01-01..2025-12-31");
    buf_reset(&b);
    api_source_name(m, &none, D("2026-05-01"), &b);
    assert_string_equal(b.data, "models 2026-05-01");
    buf_reset(&b);
    api_save_name(daily(), &w, NULL, D("2026-05-01"), &b);
    assert_string_equal(b.data, "rankings-daily-2025-01-01_2025-12-31.json");
    buf_reset(&b);
    api_save_name(m, &none, NULL, D("2026-05-01"), &b);
    assert_string_equal(b.data, "models-2026-05-01.json");
    buf_release(&b);
}

static void test_app_urls_and_names(void **state)
{
    const struct api_endpoint *apps = api_endpoint("app-rankings");
    struct api_window w = {D("2025-01-27"), D("2025-02-02"), 0, 100};
    struct api_window p2 = {D("2025-01-27"), D("2025-02-02"), 100, 50};
    struct api_filters none = {NULL, NULL, NULL}, some = {"coding", "cli-agent", "trending"};
    struct ts_buf b = TS_BUF_INIT;
    char *url;

    (void)state;
    url = api_request_url("https://openrouter.ai/api/v1", apps, &w, &none);
    assert_string_equal(url, "https://openrouter.ai/api/v1/datasets/app-rankings"
                             "?start_date=2025-01-27&end_date=2025-02-02&limit=100&offset=0");
    free(url);
    url = api_request_url("https://openrouter.ai/api/v1", apps, &p2, &some);
    assert_string_equal(url, "https://openrouter.ai/api/v1/datasets/app-rankings"
                             "?start_date=2025-01-27&end_date=2025-02-02&limit=50&offset=100"
                             "&category=coding&subcategory=cli-agent&sort=trending");
    free(url);
    /* Filters belong to app-rankings: another endpoint sends none. */
    url = api_request_url("https://x", daily(), &w, &some);
    assert_string_equal(url, "https://x/datasets/rankings-daily"
                             "?start_date=2025-01-27&end_date=2025-02-02");
    free(url);
    api_source_name(apps, &p2, D("2026-05-01"), &b);
    assert_string_equal(b.data, "app-rankings 2025-01-27..2025-02-02 ranks 101-150");
    buf_reset(&b);
    api_save_name(apps, &w, &none, D("2026-05-01"), &b);
    assert_string_equal(b.data, "app-rankings-2025-01-27_2025-02-02_ranks-1-100.json");
    buf_reset(&b);
    api_save_name(apps, &p2, &some, D("2026-05-01"), &b);
    assert_string_equal(b.data, "app-rankings-2025-01-27_2025-02-02_ranks-101-150"
                                "_category-coding_subcategory-cli-agent_sort-trending.json");
    buf_release(&b);
    /* The rows of a page, to know when there are no more. */
#define ROWS(body) api_body_rows(body, strlen(body))
    assert_int_equal(ROWS("{\"data\":[{},{}],\"meta\":{}}"), 2);
    assert_int_equal(ROWS("{\"data\":[]}"), 0);
    assert_int_equal(ROWS("[1]"), -1);
    assert_int_equal(ROWS("{\"data\":"), -1);
#undef ROWS
}

/* api_base_check: "KIND base" (0 https, 1 loopback, 2 plain http) or
 * "error: MSG". */
static void base_text(const char *url, char *out, size_t n)
{
    struct ts_buf b = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;
    enum api_transport kind = API_HTTPS;

    if (api_base_check(url, &b, &kind, &err) < 0)
        snprintf(out, n, "error: %s", err.msg);
    else
        snprintf(out, n, "%d %s", (int)kind, b.data);
    buf_release(&b);
}

#define BASE(want, url)                                                                            \
    do {                                                                                           \
        char got_[640];                                                                            \
        base_text(url, got_, sizeof(got_));                                                        \
        assert_string_equal(got_, want);                                                           \
    } while (0)

static void test_base_url(void **state)
{
    (void)state;
    BASE("0 https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1");
    BASE("0 https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1//");
    BASE("0 HTTPS://OpenRouter.AI:443", "HTTPS://OpenRouter.AI:443/");
    BASE("1 http://127.0.0.1:8080/api/v1", "http://127.0.0.1:8080/api/v1/");
    BASE("1 http://localhost/api", "http://localhost/api");
    BASE("1 http://LocalHost:1", "http://LocalHost:1");
    BASE("1 http://[::1]:65535/x", "http://[::1]:65535/x");
    /* Other plain http: the key does not go there. */
    BASE("2 http://openrouter.ai/api/v1", "http://openrouter.ai/api/v1");
    BASE("2 http://127.1:8080", "http://127.1:8080");
    BASE("2 http://127.0.0.2", "http://127.0.0.2");
    BASE("2 http://localhost.example.com", "http://localhost.example.com");
    BASE("2 http://[::2]", "http://[::2]");
    BASE("2 http://[::ffff:127.0.0.1]", "http://[::ffff:127.0.0.1]");
    /* Not an API's base URL. */
    BASE("error: is not an http:// or https:// URL", "ftp://openrouter.ai");
    BASE("error: is not an http:// or https:// URL", "openrouter.ai/api/v1");
    BASE("error: is not an http:// or https:// URL", "file:///tmp/x");
    BASE("error: is not an http:// or https:// URL", "");
    BASE("error: has no host", "https://");
    BASE("error: has no host", "https:///api");
    BASE("error: has no host", "http://:80/");
    BASE("error: has no host", "http://[]/");
    BASE("error: has a user name (the key goes in OPENROUTER_API_KEY or a --key-file, never in "
         "the URL)",
         "https://key@openrouter.ai/");
    BASE("error: has a user name (the key goes in OPENROUTER_API_KEY or a --key-file, never in "
         "the URL)",
         "http://127.0.0.1@evil.example/");
    BASE("error: has a query or a fragment (expected the API's base URL, such as "
         "https://openrouter.ai/api/v1)",
         "https://openrouter.ai/api/v1?key=x");
    BASE("error: has a query or a fragment (expected the API's base URL, such as "
         "https://openrouter.ai/api/v1)",
         "http://127.0.0.1#@evil.example/");
    BASE("error: has a blank, a backslash, a control character or a non-ASCII byte",
         "http://127.0.0.1\\@evil.example/");
    BASE("error: has a blank, a backslash, a control character or a non-ASCII byte",
         "https://open router.ai");
    BASE("error: has a blank, a backslash, a control character or a non-ASCII byte",
         "https://openrouter.ai/\n");
    BASE("error: has a blank, a backslash, a control character or a non-ASCII byte",
         "https://\xc3\xb6penrouter.ai");
    BASE("error: has a bad port (expected :1 to :65535)", "http://127.0.0.1:/");
    BASE("error: has a bad port (expected :1 to :65535)", "http://127.0.0.1:0/");
    BASE("error: has a bad port (expected :1 to :65535)", "http://127.0.0.1:65536/");
    BASE("error: has a bad port (expected :1 to :65535)", "http://127.0.0.1:123456/");
    BASE("error: has a bad port (expected :1 to :65535)", "http://127.0.0.1:8o/");
    BASE("error: has a bad port (expected :1 to :65535)", "http://[::1]x/");
    BASE("error: has a character a host name cannot have", "http://local_host/");
    BASE("error: has a character an IPv6 address cannot have", "http://[::1%25lo]/");
    BASE("error: has no ']' after its IPv6 address", "http://[::1/");
}

/* api_key_clean: the key, or "error: MSG". */
static void key_text(const char *s, char *out, size_t n)
{
    struct ts_buf b = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;

    if (api_key_clean(s, strlen(s), &b, &err) < 0)
        snprintf(out, n, "error: %s", err.msg);
    else
        snprintf(out, n, "%s", b.data);
    buf_release(&b);
}

#define KEY(want, s)                                                                               \
    do {                                                                                           \
        char got_[640];                                                                            \
        key_text(s, got_, sizeof(got_));                                                           \
        assert_string_equal(got_, want);                                                           \
    } while (0)

static void test_keys(void **state)
{
    const char *bad = "error: holds a blank, a control character or a non-ASCII byte (expected "
                      "one line with the key)";

    (void)state;
    KEY("sk-or-v1-abc", "sk-or-v1-abc");
    KEY("sk-or-v1-abc", "  sk-or-v1-abc\n");
    KEY("sk-or-v1-abc", "sk-or-v1-abc\r\n\n\t ");
    KEY("error: is empty", "");
    KEY("error: is empty", " \n\t\r\n");
    KEY(bad, "sk or");
    KEY(bad, "sk-or\r\nX-Evil: 1");
    KEY(bad, "sk-or\x7f");
    KEY(bad, "sk-\xc3\xb6r");
    KEY(bad, "line1\nline2");
}

static void test_env_counts(void **state)
{
    (void)state;
    assert_int_equal(api_env_count(NULL, 7, 100), 7);
    assert_int_equal(api_env_count("", 7, 100), 7);
    assert_int_equal(api_env_count("0", 7, 100), 0);
    assert_int_equal(api_env_count("100", 7, 100), 100);
    assert_int_equal(api_env_count("101", 7, 100), 7);
    assert_int_equal(api_env_count("12a", 7, 100), 7);
    assert_int_equal(api_env_count("-1", 7, 100), 7);
    assert_int_equal(api_env_count(" 5", 7, 100), 7);
    assert_int_equal(api_env_count("99999999999999999999999", 7, 1LL << 40), 7);
    assert_int_equal(api_env_count("1099511627776", 7, 1LL << 40), 1LL << 40);
}

static void test_retries(void **state)
{
    (void)state;
    /* What is worth another try. */
    assert_true(api_retryable(429, 0));
    assert_true(api_retryable(500, 0));
    assert_true(api_retryable(502, 0));
    assert_true(api_retryable(503, 0));
    assert_true(api_retryable(599, 0));
    assert_false(api_retryable(400, 1));
    assert_false(api_retryable(401, 0));
    assert_false(api_retryable(403, 0));
    assert_false(api_retryable(404, 0));
    assert_false(api_retryable(302, 0));
    assert_false(api_retryable(600, 0));
    assert_true(api_retryable(0, 1));
    assert_false(api_retryable(0, 0));
    /* Backoff: 1 s, 2 s, 4 s, capped. */
    assert_int_equal(api_retry_wait_ms(1, -1, 60000), 1000);
    assert_int_equal(api_retry_wait_ms(2, -1, 60000), 2000);
    assert_int_equal(api_retry_wait_ms(3, -1, 60000), 4000);
    assert_int_equal(api_retry_wait_ms(7, -1, 60000), 60000);
    assert_int_equal(api_retry_wait_ms(1000, -1, 60000), 60000);
    assert_int_equal(api_retry_wait_ms(3, -1, 20), 20);
    assert_int_equal(api_retry_wait_ms(1, -1, 0), 0);
    /* Retry-After wins over the backoff, within the cap. */
    assert_int_equal(api_retry_wait_ms(1, 0, 60000), 0);
    assert_int_equal(api_retry_wait_ms(3, 1, 60000), 1000);
    assert_int_equal(api_retry_wait_ms(1, 30, 60000), 30000);
    assert_int_equal(api_retry_wait_ms(1, 3600, 60000), 60000);
    assert_int_equal(api_retry_wait_ms(1, 86400, 200), 200);
    assert_int_equal(api_retry_wait_ms(1, 2147483647L, 60000), 60000);
}

static void test_spacing(void **state)
{
    (void)state;
    assert_int_equal(api_spacing_ms(5000, -1, 2000), 0);      /* the first request */
    assert_int_equal(api_spacing_ms(1500, 1000, 2000), 1500); /* 0.5 s after the last */
    assert_int_equal(api_spacing_ms(3000, 1000, 2000), 0);    /* just on time */
    assert_int_equal(api_spacing_ms(9000, 1000, 2000), 0);    /* long after */
    assert_int_equal(api_spacing_ms(1000, 1000, 2000), 2000); /* at once */
    assert_int_equal(api_spacing_ms(0, 5000, 2000), 2000);    /* a clock that went back */
    assert_int_equal(api_spacing_ms(1000, 1000, 0), 0);       /* no spacing (tests) */
    assert_int_equal(api_spacing_ms(1000000, 999999, 2000), 1999);
}

#define ERRTEXT(want, body)                                                                        \
    do {                                                                                           \
        struct ts_buf b_ = TS_BUF_INIT;                                                            \
        api_error_text(body, strlen(body), &b_);                                                   \
        assert_string_equal(b_.data, want);                                                        \
        buf_release(&b_);                                                                          \
    } while (0)

static void test_error_text(void **state)
{
    char long_text[600];

    (void)state;
    ERRTEXT("No auth credentials found",
            "{\"error\":{\"code\":401,\"message\":\"No auth credentials found\"}}");
    ERRTEXT("Rate limit exceeded: 30/min", " {\"error\": {\"message\": \"Rate limit exceeded: "
                                           "30/min\", \"code\": 429, \"metadata\": {}}}\n");
    ERRTEXT("bad request", "{\"error\":\"bad request\"}");
    ERRTEXT("not found", "{\"message\":\"not found\"}");
    ERRTEXT("red \\x1b[31m\\x0aline", "{\"error\":{\"message\":\"red \\u001b[31m\\nline\"}}");
    ERRTEXT("an HTML page instead of the API's JSON", "\n<!DOCTYPE html><html></html>");
    ERRTEXT("an empty body", "");
    ERRTEXT("an empty body", " \r\n");
    ERRTEXT("'upstream connect error'", "upstream connect error\nmore");
    ERRTEXT("'{\"error\":{\"code\":500}}'", "{\"error\":{\"code\":500}}");
    ERRTEXT("'{\"data\":['", "{\"data\":[");
    memset(long_text, 'x', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    struct ts_buf b = TS_BUF_INIT;
    api_error_text(long_text, strlen(long_text), &b);
    assert_int_equal(b.len, 1 + 200 + 3 + 1); /* quoted, cut, "..." */
    buf_release(&b);
}

static void test_bodies(void **state)
{
    struct ts_err err = TS_ERR_INIT;
    const char *ok = "{\"data\":[{\"date\":\"2025-01-01\"}]}";

    (void)state;
    assert_int_equal(api_body_check(ok, strlen(ok), "application/json", &err), 0);
    assert_int_equal(api_body_check("\xEF\xBB\xBF[]", 5, "", &err), 0);
    assert_int_equal(api_body_check("", 0, "", &err), -1);
    assert_string_equal(err.msg, "the response is empty (expected JSON)");
    assert_int_equal(api_body_check("\n\n", 2, "", &err), -1);
    assert_string_equal(err.msg, "the response is empty (expected JSON)");
    assert_int_equal(api_body_check(" <html>", 7, "text/html", &err), -1);
    assert_string_equal(err.msg, "the response is an HTML page, not JSON, Content-Type "
                                 "'text/html' (a login portal or a proxy's page?)");
    assert_int_equal(api_body_check("<html>", 6, "", &err), -1);
    assert_string_equal(
        err.msg, "the response is an HTML page, not JSON (a login portal or a proxy's page?)");
    /* Answers without rows. */
    assert_true(api_body_empty("{\"data\":[],\"meta\":{\"as_of\":\"x\"}}", 32));
    assert_true(api_body_empty(" {\"data\": [ ]} ", 15));
    assert_false(api_body_empty(ok, strlen(ok)));
    assert_false(api_body_empty("{\"data\":[", 9));
    assert_false(api_body_empty("[]", 2));
    assert_false(api_body_empty("{\"models\":[]}", 13));
    assert_false(api_body_empty("", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endpoints),
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_week_windows),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_app_urls_and_names),
        cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_urls_and_names),
        cmocka_unit_test(test_base_url),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_env_counts),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_spacing),
        cmocka_unit_test(test_error_text),
        cmocka_unit_test(test_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
