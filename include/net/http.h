/* http.h - one HTTP GET through libcurl into a bounded memory buffer: the
 * status, the body, Content-Type and Retry-After. Redirects are not
 * followed (a key never goes to another host), only http and https are
 * spoken, and a request has a time limit. Which requests to make, when and
 * how often is api.h's business. */
#ifndef TOKSTAT_NET_HTTP_H
#define TOKSTAT_NET_HTTP_H

#include <stddef.h>

#include "core/err.h"
#include "core/util.h"

struct http_request {
    const char *url;
    const char *bearer; /* sent as "Authorization: Bearer KEY", or NULL */
    long timeout_ms;    /* the whole request, from connecting to the last byte */
    size_t max_bytes;   /* a longer body is an error */
    int direct;         /* never through a proxy (the key to a loopback address) */
};

struct http_response {
    long status;            /* 0 when no response came */
    struct ts_buf body;     /* the body as received (decoded when compressed) */
    char content_type[128]; /* "" when absent; cut to fit */
    char location[256];     /* of a redirect; "" when absent; cut to fit */
    long retry_after_s;     /* Retry-After in seconds (a date is converted), -1 when absent */
    int transient;          /* http_get failed in a way that may pass (a timeout, a reset) */
    int too_big;            /* http_get failed because the body passed max_bytes */
};

#define HTTP_RESPONSE_INIT                                                                         \
    {                                                                                              \
        0, TS_BUF_INIT, "", "", -1, 0, 0                                                           \
    }

/* Sets up libcurl; once, before the first request. Returns 0, or -1 with err. */
int http_init(struct ts_err *err);
/* Frees what http_init set up. */
void http_cleanup(void);

/* GETs req->url into *out (reset first). Returns 0 when a response came,
 * whatever its status, or -1 with err naming what failed (curl's message,
 * a timeout, a body over req->max_bytes) and out->transient set when
 * trying again may help. */
int http_get(const struct http_request *req, struct http_response *out, struct ts_err *err);

void http_response_release(struct http_response *r); /* safe on HTTP_RESPONSE_INIT */

#endif
