/* json_apps.c - OpenRouter's app rankings (openrouter-apps): the Data API's
 * GET /datasets/app-rankings, {"data":[{"app_id","app_name","rank",
 * "total_requests","total_tokens"}...],"meta":{"as_of","start_date",
 * "end_date","version"}}.
 *
 * A response ranks apps over the window meta.start_date..meta.end_date.
 * tokstat keeps an app's tokens as a weekly observation, so the window
 * must be one ISO week, Monday to Sunday: tokstat fetch asks for exactly
 * that, and a file over any other window (30 days, the API's default, or a
 * week clipped to the start of the data) is refused, naming the window,
 * rather than put in a week it does not cover. An app is its app_id; its
 * name is kept as given, control characters and bytes that are not UTF-8
 * escaped (\x1b), so that no name reaches a terminal as a command. */
#include "json_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "core/week.h"

/* The longest app name kept whole when it must be escaped. */
#define APP_NAME_MAX 256

/* An element of an app-rankings "data" array. */
int ji_looks_like_app(const json_t *v)
{
    return json_is_object(v) && json_object_get(v, "app_id") != NULL;
}

/* A whole number >= 0 from a JSON integer or a string of digits (an id, a
 * rank): *out, or -1 with err naming key. */
static int whole(const json_t *v, const char *key, const char *what, const struct place *at,
                 int64_t *out, struct ts_err *err)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (int64_t)json_integer_value(v);
        return 0;
    }
    if (json_is_string(v) &&
        ts_parse_count(json_string_value(v), json_string_length(v), 0, out) == TS_NUM_OK)
        return 0;
    if (json_is_integer(v) || json_is_string(v) || json_is_real(v))
        return ji_bad_value(err, at, key, v, what);
    return ji_wrong_type(err, at, key, v, "a whole number");
}

static int apps_week(const json_t *meta, const struct place *at, int32_t *week, struct ts_err *err)
{
    json_t *start = json_object_get(meta, "start_date"), *end = json_object_get(meta, "end_date");
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1], want[TS_DATE_LEN + 1];
    int32_t from, to;

    if (!json_is_object(meta) || !start || !end)
        return ts_err_set(err, "no 'meta' with 'start_date' and 'end_date' (expected the window "
                               "the rankings cover: one ISO week, Monday to Sunday)");
    if (ji_date(start, "start_date", at, &from, err) < 0 ||
        ji_date(end, "end_date", at, &to, err) < 0)
        return -1;
    if (from == week_start(from) && to == from + 6) {
        *week = from;
        return 0;
    }
    date_format(from, a);
    date_format(to, b);
    date_format(week_start(from) + 6, want);
    if (from != week_start(from))
        return ts_err_set(err,
                          "meta: the rankings cover %s..%s, not one ISO week (expected a "
                          "Monday to the Sunday after it; %s is not a Monday): app rankings are "
                          "kept as weekly observations",
                          a, b, a);
    return ts_err_set(err,
                      "meta: the rankings cover %s..%s, not one ISO week (expected %s..%s, "
                      "Monday to Sunday): app rankings are kept as weekly observations",
                      a, b, a, want);
}

static int app_entry(json_t *el, int32_t week, const struct place *at, struct ts_buf *name,
                     const struct ts_sink *sink, struct ts_err *err)
{
    json_t *id = json_object_get(el, "app_id"), *nm = json_object_get(el, "app_name");
    json_t *tokens = json_object_get(el, "total_tokens"),
           *req = json_object_get(el, "total_requests");
    json_t *rank = json_object_get(el, "rank");
    struct ts_app app = {week, 0, NULL, 0, TS_ABSENT, TS_ABSENT, at->where};

    if (!json_is_object(el))
        return ji_fail(err, at, "expected a JSON object");
    if (!id || json_is_null(id))
        return ji_fail(err, at, "no 'app_id' key (expected the app's id)");
    if (whole(id, "app_id", "is not an app id (expected a whole number)", at, &app.app_id, err) < 0)
        return -1;
    if (!tokens || json_is_null(tokens))
        return ji_fail(err, at, "no 'total_tokens' key (expected a token count)");
    if (ji_count(tokens, "total_tokens", at, &app.total, err) < 0)
        return -1;
    if (req && !json_is_null(req) && ji_count(req, "total_requests", at, &app.requests, err) < 0)
        return -1;
    if (rank && !json_is_null(rank)) {
        if (whole(rank, "rank", "is not a rank (expected a whole number from 1)", at, &app.rank,
                  err) < 0)
            return -1;
        if (app.rank < 1)
            return ji_bad_value(err, at, "rank", rank,
                                "is not a rank (expected a whole number "
                                "from 1)");
    }
    if (nm && !json_is_null(nm) && !json_is_string(nm))
        return ji_wrong_type(err, at, "app_name", nm, "the app's name");
    buf_reset(name);
    if (json_is_string(nm) && json_string_length(nm) > 0 &&
        ts_utf8_valid(json_string_value(nm), json_string_length(nm)))
        buf_adds(name, json_string_value(nm));
    else if (json_is_string(nm) && json_string_length(nm) > 0) /* shown, never obeyed */
        ts_quote_for_msg(name, json_string_value(nm), json_string_length(nm), APP_NAME_MAX);
    else /* no name: the app is its id */
        buf_printf(name, "app %" PRId64, app.app_id);
    app.name = name->data;
    if (!sink->app)
        return ji_fail(err, at, "app rankings cannot be imported here");
    return sink->app(sink->ctx, &app, err);
}

int ji_apps_keep(struct ji_apps *a, const struct ji_elem *e, struct ts_err *err)
{
    a->bytes += e->at.text.len;
    if (a->bytes > JI_VALUE_MAX)
        return ji_fail(err, &e->at, "more than %d MiB of app rankings (expected a page of apps)",
                       JI_VALUE_MAX_MIB);
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 128;
        a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
    }
    struct ji_elem *k = &a->v[a->n++];
    memset(k, 0, sizeof(*k));
    k->parsed = json_incref(e->parsed);
    k->at.text = e->at.text;
    k->at.text.s = NULL;
    if (e->at.text.s) {
        char *copy = xmalloc(e->at.text.len + 1);
        memcpy(copy, e->at.text.s, e->at.text.len);
        copy[e->at.text.len] = '\0';
        k->at.text.s = copy;
    }
    return 0;
}

int ji_apps_finish(const struct ji_apps *a, const json_t *meta, const struct place *at,
                   const char *as_of, const struct import_opts *o, const struct ts_sink *sink,
                   struct ts_err *err)
{
    struct ts_buf name = TS_BUF_INIT;
    char where[WHERE_MAX];
    int32_t week = 0;
    int rc = 0;

    if (o->period == TS_DAY)
        return ts_err_set(err, "app rankings are weekly (--period day does not apply to "
                               "openrouter-apps)");
    if (apps_week(meta, at, &week, err) < 0)
        return -1;
    if (sink->as_of && as_of)
        sink->as_of(sink->ctx, as_of);
    for (size_t i = 0; i < a->n && rc == 0; i++) {
        struct place el = a->v[i].at;
        ji_where_index(where, "data", i);
        el.where = where;
        rc = app_entry(a->v[i].parsed, week, &el, &name, sink, err);
    }
    buf_release(&name);
    return rc;
}

void ji_apps_release(struct ji_apps *a)
{
    for (size_t i = 0; i < a->n; i++) {
        json_decref(a->v[i].parsed);
        free((char *)a->v[i].at.text.s);
    }
    free(a->v);
    memset(a, 0, sizeof(*a));
}
