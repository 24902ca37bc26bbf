/* api.h - OpenRouter's API as `tokstat fetch` uses it, in pure functions:
 * the endpoints (one table), the windows a range of days is fetched in,
 * request URLs and the names of responses, whether a key may be sent to a
 * URL, the waits between requests and before retries, and what an error
 * response says. No I/O: the transport is http.h, the plan is carried out
 * by cmd_fetch.c.
 *
 * An endpoint is a row of the table in api.c, with a span kind for its
 * windows: days (rankings-daily), ISO weeks (app-rankings, one week a
 * request, in pages of ranks) or none (the model catalogue). */
#ifndef TOKSTAT_NET_API_H
#define TOKSTAT_NET_API_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/util.h"

#define API_DEFAULT_URL "https://openrouter.ai/api/v1"

/* How an endpoint's requests cover time. */
enum api_span {
    API_SPAN_NONE,  /* one request, no dates (the model catalogue) */
    API_SPAN_DAYS,  /* start_date and end_date, at most max_days a request */
    API_SPAN_WEEKS, /* start_date and end_date of one ISO week, Monday to Sunday, a request;
                       limit and offset pick the ranks */
};

struct api_endpoint {
    const char *name;   /* on the command line; starts response and file names */
    const char *path;   /* under the API's URL */
    const char *format; /* the import format of its responses */
    enum api_span span;
    int max_days;  /* API_SPAN_DAYS: the days one request may cover */
    int needs_key; /* sends the key, and cannot go without one */
};

/* The endpoint called name, or NULL. */
const struct api_endpoint *api_endpoint(const char *name);

/* The endpoints' names for a message, appended to out: "rankings-daily
 * or models". */
void api_endpoint_names(struct ts_buf *out);

/* The first day of the Data API's data, 2025-01-01. */
int32_t api_data_start(void);

/* The last complete UTC day when today is today: yesterday. */
int32_t api_last_day(int32_t today);

/* Where an incremental fetch starts: a week before the newest stored day,
 * so that revised days are fetched again (have_last non-zero), else the
 * start of the data; never before the start of the data. */
int32_t api_incremental_from(int have_last, int32_t last_day);

/* Days from..to of one request (both 0 for API_SPAN_NONE); for
 * API_SPAN_WEEKS, the ranks offset + 1 .. offset + limit of that week
 * (limit 0: no limit or offset is sent). */
struct api_window {
    int32_t from, to;
    int offset, limit;
};

/* Splits from..to into the windows of ep's requests, in order: windows of
 * at most ep->max_days, the last one shorter; for API_SPAN_WEEKS, each ISO
 * week that has a day in from..to (the caller gives complete weeks).
 * API_SPAN_NONE: one window. Returns their number (0 when from > to), *out
 * allocated (the caller frees it; NULL when there are none). */
size_t api_windows(const struct api_endpoint *ep, int32_t from, int32_t to,
                   struct api_window **out);

/* app-rankings: the first ISO week whose days all have data (the Monday
 * 2025-01-06: the data starts on a Wednesday), and the last complete week
 * when today is today (the Monday of the week before today's). */
int32_t api_first_week(void);
int32_t api_last_week(int32_t today);

/* app-rankings lists ranks 1 to API_RANKS_MAX: at most API_PAGE_MAX a
 * request, from an offset of at most API_OFFSET_MAX. */
#define API_PAGE_MAX   100
#define API_OFFSET_MAX 100
#define API_RANKS_MAX  (API_OFFSET_MAX + API_PAGE_MAX)

/* The pages (offset, limit) of the ranks offset + 1 .. offset + limit, in
 * order, each at most API_PAGE_MAX long and from an offset of at most
 * API_OFFSET_MAX: one page, or two when limit is over API_PAGE_MAX.
 * Returns their number (0 when the ranks cannot be asked for: limit < 1,
 * offset < 0 or past API_OFFSET_MAX, or a rank past API_RANKS_MAX). */
size_t api_pages(int offset, int limit, struct api_window out[2]);

/* What app-rankings requests pass through (NULL or "": not sent). */
struct api_filters {
    const char *category, *subcategory, *sort;
};

/* The URL of the request for w, base (as api_base_check leaves it) plus
 * the endpoint's path and query (f: its filters, or NULL). The caller
 * frees it. */
char *api_request_url(const char *base, const struct api_endpoint *ep, const struct api_window *w,
                      const struct api_filters *f);

/* What names a response in summaries, messages and the imports table:
 * "rankings-daily 2025-01-01..2025-12-31", "app-rankings
 * 2025-01-27..2025-02-02 ranks 1-100", "models 2026-05-01" (the day of the
 * fetch). Appended to out. */
void api_source_name(const struct api_endpoint *ep, const struct api_window *w, int32_t today,
                     struct ts_buf *out);

/* The --save file name of a response: "rankings-daily-2025-01-01_2025-12-31.json",
 * "app-rankings-2025-01-27_2025-02-02_ranks-1-100.json" (and the filters
 * given: "_subcategory-cli-agent_sort-trending" before ".json"),
 * "models-2026-05-01.json". Appended to out. */
void api_save_name(const struct api_endpoint *ep, const struct api_window *w,
                   const struct api_filters *f, int32_t today, struct ts_buf *out);

/* How many elements the "data" array of a response has; -1 when it is not
 * such a document. */
long api_body_rows(const char *body, size_t len);

/* How a URL reaches its host. */
enum api_transport {
    API_HTTPS,
    API_HTTP_LOOPBACK, /* http:// to 127.0.0.1, [::1] or localhost */
    API_HTTP,          /* http:// anywhere else: no key goes there */
};

/* Checks an --api-url: http:// or https://, a host (and port), a path or
 * none; no user name or password, query, fragment, blanks or control
 * characters. Appends it to out without trailing slashes and sets *kind.
 * Returns 0, or -1 with err saying what is wrong. */
int api_base_check(const char *url, struct ts_buf *out, enum api_transport *kind,
                   struct ts_err *err);

/* A key as read from the environment or a file, surrounding blanks (a
 * final newline) dropped, appended to out. Returns 0, or -1 with err when
 * nothing is left or it holds a character no key has (blanks inside,
 * control characters, non-ASCII), which would break the header. */
int api_key_clean(const char *s, size_t len, struct ts_buf *out, struct ts_err *err);

/* The limits a fetch keeps. */
struct api_limits {
    long min_interval_ms; /* between the starts of two requests */
    long max_wait_ms;     /* the longest wait before a retry */
    long timeout_ms;      /* one request, from connecting to its last byte */
    size_t max_bytes;     /* of one response body */
    int retries;          /* after the first try of a request */
};

/* 30 requests a minute, waits of at most a minute, 5 minutes a request,
 * 256 MB a body, 3 retries. */
#define API_LIMITS_DEFAULT                                                                         \
    {                                                                                              \
        2000, 60000, 300000, (size_t)256 << 20, 3                                                  \
    }

/* An environment variable's value as a count (milliseconds, bytes):
 * decimal digits only, at most max; dflt when value is NULL, empty or not
 * such a count. */
long long api_env_count(const char *value, long long dflt, long long max);

/* Whether another try of a request may succeed: status 429 or 5xx, or no
 * response (status 0) after a failure that may pass (transient). */
int api_retryable(long status, int transient);

/* The wait before retry n (1, 2, ...): retry_after_s seconds when the
 * response said (Retry-After; -1 when it did not), else 1 s, 2 s, 4 s, ...;
 * never more than max_wait_ms. */
long api_retry_wait_ms(int n, long retry_after_s, long max_wait_ms);

/* The wait before a request starting at now_ms when the previous one
 * started at last_ms (-1: none): what is left of min_interval_ms. */
long api_spacing_ms(long long now_ms, long long last_ms, long min_interval_ms);

/* What an error response says, for a message: the API's own message
 * ({"error":{"code":401,"message":"..."}}, {"error":"..."} or
 * {"message":"..."}), or what the body is ("an HTML page", "an empty
 * body", the start of a text), escaped for a terminal. Appended to out. */
void api_error_text(const char *body, size_t len, struct ts_buf *out);

/* Checks that a successful response holds what an importer can read: a
 * body, and not an HTML page (a portal or a proxy's page); content_type
 * ("" when absent) goes into the message. Returns 0, or -1 with err. */
int api_body_check(const char *body, size_t len, const char *content_type, struct ts_err *err);

/* Whether a successful response holds no rows at all ({"data":[],...}):
 * days the API has nothing for yet. Looks only at small bodies. */
int api_body_empty(const char *body, size_t len);

#endif
