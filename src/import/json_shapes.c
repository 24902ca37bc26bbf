/* json_shapes.c - the elements of each shape of JSON document: a usage
 * record, a catalogue entry, a week of the rankings chart. json_doc.c
 * finds them in the document and hands them here one at a time. */
#include "json_internal.h"

#include <string.h>

#include "core/util.h"

int ji_looks_like_model(const json_t *v)
{
    return json_is_object(v) &&
           (json_object_get(v, "pricing") || json_object_get(v, "canonical_slug"));
}

int ji_looks_like_record(json_t *obj)
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

int ji_shape_record(const struct ji_elem *e, const struct import_opts *o,
                    const struct fixed_period *fixed, const struct ts_sink *sink, int64_t *total,
                    size_t *fast_taken, struct ts_err *err)
{
    struct ts_record rec;
    int rc = -1;

    /* A flat element is read without jansson (its bytes are a copy that
     * may be written to). */
    if (!e->parsed && !fixed && !o->full_parsers &&
        ji_flat_record((char *)e->at.text.s, e->at.text.len, o, e->at.text.line, e->at.text.col + 1,
                       &rec)) {
        (*fast_taken)++;
        rec.where = e->at.where;
        *total = rec.total;
        return ji_emit_record(sink, &rec, err);
    }
    json_t *el = e->parsed;
    if (!el) {
        json_error_t jerr = {.line = 0}; /* jansson may fail before it fills it */
        el = json_loadb(e->at.text.s, e->at.text.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                        &jerr);
        if (!el)
            return ji_jansson_error(err, &jerr, e->at.text.line, e->at.text.col);
    }
    if (!json_is_object(el))
        ji_fail(err, &e->at, "expected a JSON object");
    else if (ji_record_from_object(el, o, fixed, &e->at, &rec, err) == 0)
        rc = ji_emit_record(sink, &rec, err);
    *total = rc == 0 ? rec.total : 0;
    if (el != e->parsed)
        json_decref(el);
    return rc;
}

/* One price of a catalogue entry's "pricing" object. */
static int model_price(json_t *pricing, const char *key, const struct place *at, int64_t *out,
                       struct ts_err *err)
{
    json_t *v = json_object_get(pricing, key);

    *out = TS_ABSENT;
    if (!v || json_is_null(v))
        return 0;
    return ji_price(v, key, at, out, err);
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

int ji_shape_model(const struct ji_elem *e, struct ts_buf *model, const struct ts_sink *sink,
                   struct ts_err *err)
{
    const struct place *at = &e->at;
    json_t *el = e->parsed, *id, *pricing;
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
    price.line = at->text.line;
    price.col = at->text.line > 0 ? at->text.col + 1 : 0;
    /* The prices are found in the entry's "pricing" object. */
    struct place in_pricing = *at;
    in_pricing.sub = "pricing";
    in_pricing.key_prefix = "pricing.";
    if (model_price(pricing, "prompt", &in_pricing, &price.prompt, err) < 0 ||
        model_price(pricing, "completion", &in_pricing, &price.completion, err) < 0)
        return -1;
    if (price.prompt == TS_ABSENT && price.completion == TS_ABSENT)
        return 0;
    if (sink->price && sink->price(sink->ctx, &price, err) < 0)
        return -1;
    return 0;
}

int ji_shape_chart_week(const struct ji_elem *e, const struct import_opts *o,
                        const struct ts_sink *sink, struct ts_err *err)
{
    const struct place *at = &e->at;
    char by_where[WHERE_MAX];
    struct place by_at = *at;
    json_t *wk = e->parsed, *week, *by_model, *v;
    struct ts_record rec;
    const char *slug;
    int32_t date;

    snprintf(by_where, sizeof(by_where), "%s.byModel", at->where);
    by_at.where = by_where;
    by_at.sub = "byModel";
    if (!json_is_object(wk))
        return ji_fail(err, at, "expected a JSON object");
    week = json_object_get(wk, "week");
    if (!week || json_is_null(week))
        return ji_fail(err, at, "no 'week' key (expected YYYY-MM-DD)");
    if (ji_date(week, "week", at, &date, err) < 0)
        return -1;
    by_model = json_object_get(wk, "byModel");
    if (!by_model || json_is_null(by_model))
        return ji_fail(err, at, "no 'byModel' key (expected an object of token counts)");
    if (!json_is_object(by_model))
        return ji_wrong_type(err, at, "byModel", by_model, "an object");
    json_object_foreach(by_model, slug, v)
    {
        if (json_is_null(v))
            continue;
        if (slug[0] == '\0')
            return ji_fail_key(err, &by_at, slug, "empty model slug");
        record_init(&rec);
        rec.period = o->period >= 0 ? (enum ts_period)o->period : TS_WEEK;
        rec.date = date;
        rec.model = slug;
        rec.model_len = strlen(slug);
        rec.where = by_where;
        rec.line = at->text.line; /* the week's place */
        rec.col = at->text.line > 0 ? at->text.col + 1 : 0;
        if (ji_count(v, slug, &by_at, &rec.total, err) < 0 || ji_emit_record(sink, &rec, err) < 0)
            return -1;
    }
    return 0;
}
