/* json_doc.c - whole JSON documents in the shapes public dumps come in: a
 * bare array of records, the OpenRouter Data API (openrouter-daily), the
 * rankings chart, a weekly leaderboard snapshot, the model catalogue and
 * app rankings (json_apps.c).
 * The shape is recognised from the document's keys, or forced. A bare
 * array or a Data API document of records is streamed element by element
 * (json_stream.c); any other is parsed whole. */
#include "json_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* A catalogue entry rather than a usage record. */
static int looks_like_model(const json_t *v)
{
    return json_is_object(v) &&
           (json_object_get(v, "pricing") || json_object_get(v, "canonical_slug"));
}

/* An object with a model key and a period key: a record on its own. */
static int looks_like_record(json_t *obj)
{
    int model = 0, period = 0;
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        enum ts_field f = field_lookup(key, strlen(key), NULL);

        model |= f == TS_F_MODEL;
        period |= f == TS_F_DAY || f == TS_F_WEEK;
    }
    return model && period;
}

/* The shape of a parsed document, TS_FMT_AUTO when it has none we know. */
static enum ts_format shape_of(json_t *root)
{
    json_t *data;

    if (json_is_array(root))
        return looks_like_model(json_array_get(root, 0)) ? TS_FMT_OPENROUTER_MODELS : TS_FMT_JSON;
    if (!json_is_object(root))
        return TS_FMT_AUTO;
    data = json_object_get(root, "data");
    if (json_is_array(data) && ji_looks_like_app(json_array_get(data, 0)))
        return TS_FMT_OPENROUTER_APPS;
    if (json_is_array(data))
        return looks_like_model(json_array_get(data, 0)) ? TS_FMT_OPENROUTER_MODELS
                                                         : TS_FMT_OPENROUTER_DAILY;
    if (json_is_array(json_object_get(root, "weeks")))
        return TS_FMT_OPENROUTER_CHART;
    if (json_is_array(json_object_get(root, "models")) && json_object_get(root, "date"))
        return TS_FMT_OPENROUTER_WEEKLY;
    if (looks_like_record(root))
        return TS_FMT_JSONL;
    return TS_FMT_AUTO;
}

/* What a forced document format expects; NULL for the others. */
static const char *shape_expected(enum ts_format f)
{
    switch (f) {
    case TS_FMT_JSON:
        return "not a JSON array of records (expected [{...}, ...] with period, model and "
               "token keys)";
    case TS_FMT_OPENROUTER_DAILY:
        return "not an openrouter-daily document (expected {\"data\":[...]} with date, "
               "model_permaslug and total_tokens)";
    case TS_FMT_OPENROUTER_CHART:
        return "not an openrouter-chart document (expected {\"weeks\":[...]} with week and "
               "byModel)";
    case TS_FMT_OPENROUTER_WEEKLY:
        return "not an openrouter-weekly document (expected {\"date\":...,\"models\":[...]} with "
               "slug and total_tokens)";
    case TS_FMT_OPENROUTER_MODELS:
        return "not an openrouter-models document (expected {\"data\":[...]} or [...] with id, "
               "canonical_slug and pricing)";
    case TS_FMT_OPENROUTER_APPS:
        return "not an openrouter-apps document (expected {\"data\":[...],\"meta\":{...}} with "
               "app_id, app_name and total_tokens)";
    default:
        return NULL;
    }
}

/* An array of record objects: a bare array (name "") or "data". */
static int import_records(json_t *arr, const char *name, const struct import_opts *o,
                          const struct ts_sink *sink, struct ts_err *err)
{
    char where[WHERE_MAX];
    struct place at = {where, 0};
    struct ts_record rec;
    size_t i;
    json_t *el;

    json_array_foreach(arr, i, el)
    {
        ji_where_index(where, name, i);
        if (!json_is_object(el))
            return ji_fail(err, &at, "expected a JSON object");
        if (ji_record_from_object(el, o, NULL, &at, &rec, err) < 0 ||
            ji_emit_record(sink, &rec, err) < 0)
            return -1;
    }
    return 0;
}

/* {"data":[{date, model_permaslug, total_tokens}...], "meta":{"as_of":...}} */
static int import_daily(json_t *root, const struct import_opts *o, const struct ts_sink *sink,
                        struct ts_err *err)
{
    json_t *data = json_object_get(root, "data");

    if (json_array_size(data) == 0)
        return ts_err_set(err, "no records in 'data'");
    ji_emit_as_of(sink, json_object_get(json_object_get(root, "meta"), "as_of"));
    return import_records(data, "data", o, sink, err);
}

/* {"weeks":[{"week":"2025-08-18","byModel":{"slug":tokens,...}}...]} with
 * fractional token counts (rounded); "Others" passes through as a slug. */
static int import_chart(json_t *root, const struct import_opts *o, const struct ts_sink *sink,
                        struct ts_err *err)
{
    json_t *weeks = json_object_get(root, "weeks");
    char where[WHERE_MAX], by_where[WHERE_MAX];
    struct place at = {where, 0};
    struct place by_at = {by_where, 0};
    struct ts_record rec;
    size_t i;
    json_t *wk;

    if (json_array_size(weeks) == 0)
        return ts_err_set(err, "no records in 'weeks'");
    ji_emit_as_of(sink, json_object_get(root, "fetchedAt"));
    json_array_foreach(weeks, i, wk)
    {
        json_t *week, *by_model, *v;
        const char *slug;
        int32_t date;

        snprintf(where, sizeof(where), "weeks[%zu]", i);
        snprintf(by_where, sizeof(by_where), "weeks[%zu].byModel", i);
        if (!json_is_object(wk))
            return ji_fail(err, &at, "expected a JSON object");
        week = json_object_get(wk, "week");
        if (!week || json_is_null(week))
            return ji_fail(err, &at, "no 'week' key (expected YYYY-MM-DD)");
        if (ji_date(week, "week", &at, &date, err) < 0)
            return -1;
        by_model = json_object_get(wk, "byModel");
        if (!by_model || json_is_null(by_model))
            return ji_fail(err, &at, "no 'byModel' key (expected an object of token counts)");
        if (!json_is_object(by_model))
            return ji_wrong_type(err, &at, "byModel", by_model, "an object");
        json_object_foreach(by_model, slug, v)
        {
            if (json_is_null(v))
                continue;
            if (slug[0] == '\0')
                return ji_fail(err, &by_at, "empty model slug");
            record_init(&rec);
            rec.period = o->period >= 0 ? (enum ts_period)o->period : TS_WEEK;
            rec.date = date;
            rec.model = slug;
            rec.model_len = strlen(slug);
            rec.where = by_where;
            if (ji_count(v, slug, &by_at, &rec.total, err) < 0 ||
                ji_emit_record(sink, &rec, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* {"date":"2026-02-16","models":[{"slug":...,"total_tokens":...}...],
 * "total_tokens":T}: weekly records dated by the top-level date, and what T
 * leaves over after the models as one "other" record. */
static int import_weekly(json_t *root, const struct import_opts *o, const struct ts_sink *sink,
                         struct ts_err *err)
{
    json_t *models = json_object_get(root, "models");
    json_t *total_v = json_object_get(root, "total_tokens");
    char where[WHERE_MAX];
    struct place top = {NULL, 0};
    struct place at = {where, 0};
    struct fixed_period fixed;
    struct ts_record rec;
    int64_t total = 0, sum = 0;
    int over = 0;
    size_t i;
    json_t *el;

    if (ji_date(json_object_get(root, "date"), "date", &top, &fixed.date, err) < 0)
        return -1;
    /* A snapshot is as of its own date (the source line says so), unless
     * it says otherwise. */
    json_t *as_of = json_object_get(root, "as_of");
    ji_emit_as_of(sink, json_is_string(as_of) ? as_of : json_object_get(root, "date"));
    fixed.period = o->period >= 0 ? (enum ts_period)o->period : TS_WEEK;
    if (json_is_null(total_v))
        total_v = NULL;
    if (total_v && ji_count(total_v, "total_tokens", &top, &total, err) < 0)
        return -1;
    if (json_array_size(models) == 0)
        return ts_err_set(err, "no records in 'models'");

    json_array_foreach(models, i, el)
    {
        ji_where_index(where, "models", i);
        if (!json_is_object(el))
            return ji_fail(err, &at, "expected a JSON object");
        if (ji_record_from_object(el, o, &fixed, &at, &rec, err) < 0 ||
            ji_emit_record(sink, &rec, err) < 0)
            return -1;
        if (rec.total > INT64_MAX - sum)
            over = 1;
        else
            sum += rec.total;
    }
    if (!total_v)
        return 0;
    if (over)
        return ts_err_set(err,
                          "total_tokens %" PRId64 " is less than the sum of its models "
                          "(2^63 or more)",
                          total);
    if (total < sum)
        return ts_err_set(
            err, "total_tokens %" PRId64 " is less than the sum of its models (%" PRId64 ")", total,
            sum);
    /* The rest of the market, as the other bucket: a snapshot that gives
     * its total is the whole market, even when the listed models are all
     * of it (an other bucket of 0 tokens says so). */
    record_init(&rec);
    rec.period = fixed.period;
    rec.date = fixed.date;
    rec.model = "other";
    rec.model_len = strlen("other");
    rec.total = total - sum;
    rec.where = "total_tokens";
    return ji_emit_record(sink, &rec, err);
}

/* One price of a catalogue entry's "pricing" object. */
static int model_price(json_t *pricing, const char *key, const char *label, const struct place *at,
                       int64_t *out, struct ts_err *err)
{
    json_t *v = json_object_get(pricing, key);

    *out = TS_ABSENT;
    if (!v || json_is_null(v))
        return 0;
    return ji_price(v, label, at, out, err);
}

/* The model a catalogue entry's prices go under: its canonical slug (the
 * id when there is none) plus the id's :variant. Returns 0, or -1 with err
 * set. */
static int model_slug(json_t *el, const char *id_s, const struct place *at, struct ts_buf *model,
                      struct ts_err *err)
{
    const char *slug = id_s, *variant;
    json_t *canon = json_object_get(el, "canonical_slug");

    if (canon && !json_is_null(canon)) {
        if (!json_is_string(canon))
            return ji_wrong_type(err, at, "canonical_slug", canon, "a model slug");
        if (json_string_length(canon) > 0)
            slug = json_string_value(canon);
    }
    /* The :variant (":free", ":thinking") lives only in the id. */
    buf_reset(model);
    buf_adds(model, slug);
    variant = strchr(id_s, ':');
    if (slug != id_s && variant && !strchr(slug, ':'))
        buf_adds(model, variant);
    return 0;
}

/* One catalogue entry: its prices to the sink, unless it is an alias
 * ("~...") or has no fixed price. model is scratch. */
static int model_entry(json_t *el, const struct place *at, struct ts_buf *model,
                       const struct ts_sink *sink, struct ts_err *err)
{
    json_t *id, *pricing;
    const char *id_s;
    struct ts_price price;

    if (!json_is_object(el))
        return ji_fail(err, at, "expected a JSON object");
    id = json_object_get(el, "id");
    if (!id || json_is_null(id))
        return ji_fail(err, at, "no 'id' key (expected a model id)");
    if (!json_is_string(id))
        return ji_wrong_type(err, at, "id", id, "a model id");
    id_s = json_string_value(id);
    if (id_s[0] == '~')
        return 0;
    if (id_s[0] == '\0')
        return ji_bad_value(err, at, "id", id, "is empty (expected a model id)");
    if (model_slug(el, id_s, at, model, err) < 0)
        return -1;

    pricing = json_object_get(el, "pricing");
    if (json_is_null(pricing))
        pricing = NULL;
    if (pricing && !json_is_object(pricing))
        return ji_wrong_type(err, at, "pricing", pricing, "an object");
    price.model = model->data;
    price.id = id_s;
    price.where = at->where;
    if (model_price(pricing, "prompt", "pricing.prompt", at, &price.prompt, err) < 0 ||
        model_price(pricing, "completion", "pricing.completion", at, &price.completion, err) < 0)
        return -1;
    if (price.prompt == TS_ABSENT && price.completion == TS_ABSENT)
        return 0;
    if (sink->price && sink->price(sink->ctx, &price, err) < 0)
        return -1;
    return 0;
}

/* The model catalogue, {"data":[...]} (name "data") or a bare array (name
 * ""): each entry's prices under its canonical slug plus the id's :variant.
 * Aliases ("~...") are skipped, and so are entries without a fixed price. */
static int import_models(json_t *arr, const char *name, const struct ts_sink *sink,
                         struct ts_err *err)
{
    struct ts_buf model = TS_BUF_INIT;
    char where[WHERE_MAX];
    struct place at = {where, 0};
    size_t i;
    json_t *el;
    int rc = 0;

    json_array_foreach(arr, i, el)
    {
        ji_where_index(where, name, i);
        rc = model_entry(el, &at, &model, sink, err);
        if (rc < 0)
            break;
    }
    buf_release(&model);
    return rc;
}

/* Reads the parsed document as its shape says. */
static int import_shape(json_t *root, enum ts_format shape, const struct import_opts *o,
                        const struct ts_sink *sink, struct ts_err *err)
{
    struct place top = {NULL, 0};
    struct ts_record rec;

    switch (shape) {
    case TS_FMT_JSON:
        return import_records(root, "", o, sink, err);
    case TS_FMT_OPENROUTER_DAILY:
        return import_daily(root, o, sink, err);
    case TS_FMT_OPENROUTER_CHART:
        return import_chart(root, o, sink, err);
    case TS_FMT_OPENROUTER_WEEKLY:
        return import_weekly(root, o, sink, err);
    case TS_FMT_OPENROUTER_APPS:
        return ji_import_apps(root, o, sink, err);
    case TS_FMT_OPENROUTER_MODELS:
        if (json_is_array(root))
            return import_models(root, "", sink, err);
        return import_models(json_object_get(root, "data"), "data", sink, err);
    case TS_FMT_JSONL:
        /* One object with a model and a period: a one-line JSON Lines file. */
        if (ji_record_from_object(root, o, NULL, &top, &rec, err) < 0)
            return -1;
        return ji_emit_record(sink, &rec, err);
    default:
        return ts_err_set(err, "unknown JSON shape (expected an array of records, or an object "
                               "with \"data\", \"weeks\" or \"models\")");
    }
}

/* Streams the document when it is a bare array or {"data":[...]} whose
 * first element is a record, and a forced format allows it: returns 1 with
 * *found its shape and *rc the import's result, or 0 when it is to be
 * parsed whole (nothing handed on; the bytes read are kept in s). */
static int stream_doc(struct ji_stream *s, const struct import_opts *o, const struct ts_sink *sink,
                      enum ts_format *found, int *rc, struct ts_err *err)
{
    int in_object = 0;
    json_t *first = o->full_parsers ? NULL : ji_stream_first(s, &in_object);
    enum ts_format shape = in_object ? TS_FMT_OPENROUTER_DAILY : TS_FMT_JSON;
    const char *expected = shape_expected(o->format);

    if (!first)
        return 0;
    /* The first element decides the shape: records, not catalogue entries
     * or apps (a page of at most 100, parsed whole). */
    if (looks_like_model(first) || ji_looks_like_app(first) || (expected && shape != o->format)) {
        json_decref(first);
        return 0;
    }
    *found = shape;
    *rc = ji_stream_records(s, first, in_object, o, sink, err);
    return 1;
}

int import_json_doc(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
                    enum ts_format *shape, struct ts_err *err)
{
    enum ts_format found = TS_FMT_AUTO;
    struct ji_stream s;
    json_t *root = NULL;
    const char *expected;
    int rc = -1;

    o = ji_opts(o);
    ji_stream_init(&s, in);
    if (stream_doc(&s, o, sink, &found, &rc, err))
        goto out;
    root = ji_stream_load(&s, err);
    ji_stream_release(&s); /* the bytes kept are in root now */
    if (!root)
        goto out;

    found = shape_of(root);
    expected = shape_expected(o->format);
    if (expected && found != o->format) {
        ts_err_set(err, "%s", expected);
        goto out;
    }
    if (json_is_array(root) && json_array_size(root) == 0) {
        ts_err_set(err, "empty array (expected records)");
        goto out;
    }
    rc = import_shape(root, found, o, sink, err);
out:
    if (shape)
        *shape = found;
    ji_stream_release(&s);
    json_decref(root);
    return rc;
}
