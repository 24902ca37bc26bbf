/* json_doc.c - whole JSON documents in the shapes public dumps come in: a
 * bare array of records, the OpenRouter Data API (openrouter-daily), the
 * rankings chart, a weekly leaderboard snapshot, the model catalogue and
 * app rankings (openrouter-apps, json_apps.c).
 *
 * Every document is streamed, whatever the order of its keys: the array
 * that holds its records ("data", "weeks", "models", or the document
 * itself) is read one element at a time, and every other top-level value
 * alone (json_stream.c), so memory stays bounded. The shape is recognised
 * from the keys as they come, in the order of precedence "data", "weeks",
 * "models" (with a "date"), a record on its own; or forced. Two cases
 * wait for the end of the document, which is then read again from the
 * bytes kept (at most JI_VALUE_MAX of them): a weekly snapshot whose
 * "models" come before its "date", and a document that is one record. App
 * rankings are kept until the end too, since the week they cover is in
 * their "meta", which may come after "data": a page of at most a few
 * hundred apps, and never more than JI_VALUE_MAX bytes of them. */
#include "json_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* A top-level value kept for the end of the document, and its place. */
struct kept {
    json_t *v; /* NULL when the key is not there */
    long line, col;
};

struct doc {
    struct ji_stream *s;
    const struct import_opts *o;
    const struct ts_sink *sink;
    enum ts_format found; /* the shape, TS_FMT_AUTO until known */
    const char *name;     /* the array streamed: "data", "weeks", "models", "" (bare) */
    int streamed;         /* an array of the shape was streamed */
    size_t n;             /* its elements */
    size_t fast;          /* elements the fast path read */
    struct kept date, total, as_of, fetched_at, meta;
    char *meta_as_of;
    struct ji_apps apps;               /* app rankings' elements, for the end */
    int models_waiting;                /* "models" came before "date": read again */
    int has_model_key, has_period_key; /* top-level keys of a record */
    struct fixed_period fixed;         /* a weekly snapshot's date */
    int64_t sum;                       /* of a weekly snapshot's models */
    int over;                          /* that sum passed 2^63 */
    json_t *keys;                      /* top-level keys seen */
    size_t key_bytes;
    struct ts_buf scratch;
    long top_line, top_col; /* before the document's first byte */
    size_t top_off;         /* that byte's offset in the spool */
};

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

/* The shape is found: refused when a forced format says otherwise. */
static int shape_found(struct doc *d, enum ts_format found, struct ts_err *err)
{
    const char *expected = shape_expected(d->o->format);

    d->found = found;
    if (expected && found != d->o->format)
        return ts_err_set(err, "%s", expected);
    return 0;
}

static void kept_release(struct kept *k)
{
    json_decref(k->v);
    k->v = NULL;
}

static void doc_release(struct doc *d)
{
    kept_release(&d->date);
    kept_release(&d->total);
    kept_release(&d->as_of);
    kept_release(&d->fetched_at);
    kept_release(&d->meta);
    ji_apps_release(&d->apps);
    free(d->meta_as_of);
    json_decref(d->keys);
    buf_release(&d->scratch);
}

/* A kept value's own place, for messages about it. */
static struct place kept_place(const struct kept *k)
{
    struct place at = {NULL, {NULL, 0, k->line, k->col}, NULL, NULL};
    return at;
}

/* One element of the array streamed, named where ("data[3]"), whose bytes the
 * stream has just taken. The first element of "data" or of a bare array
 * says whether they are records, catalogue entries or apps. */
static int doc_element(struct doc *d, const char *where, struct ts_err *err)
{
    struct ji_elem e = {{where, {NULL, 0, 0, 0}, NULL, NULL}, NULL};
    int64_t total = 0;
    int rc = -1;

    ji_value_text(d->s, &e.at.text);
    if (d->found == TS_FMT_AUTO || d->found == TS_FMT_OPENROUTER_MODELS ||
        d->found == TS_FMT_OPENROUTER_CHART || d->found == TS_FMT_OPENROUTER_APPS) {
        if (!(e.parsed = ji_parse_value(d->s, err)))
            return -1;
    }
    if (d->found == TS_FMT_AUTO) {
        enum ts_format kind = ji_looks_like_model(e.parsed) ? TS_FMT_OPENROUTER_MODELS
                              : strcmp(d->name, "data") == 0 && ji_looks_like_app(e.parsed)
                                  ? TS_FMT_OPENROUTER_APPS
                              : d->name[0] ? TS_FMT_OPENROUTER_DAILY
                                           : TS_FMT_JSON;
        if (shape_found(d, kind, err) < 0)
            goto out;
    }
    switch (d->found) {
    case TS_FMT_OPENROUTER_MODELS:
        rc = ji_shape_model(&e, &d->scratch, d->sink, err);
        break;
    case TS_FMT_OPENROUTER_CHART:
        rc = ji_shape_chart_week(&e, d->o, d->sink, err);
        break;
    case TS_FMT_OPENROUTER_APPS:
        rc = ji_apps_keep(&d->apps, &e, err);
        break;
    case TS_FMT_OPENROUTER_WEEKLY:
        rc = ji_shape_record(&e, d->o, &d->fixed, d->sink, &total, &d->fast, err);
        if (total > INT64_MAX - d->sum)
            d->over = 1;
        else
            d->sum += total;
        break;
    default:
        rc = ji_shape_record(&e, d->o, NULL, d->sink, &total, &d->fast, err);
        break;
    }
out:
    json_decref(e.parsed);
    return rc;
}

/* Streams the array whose '[' is next, element by element. */
static int doc_array(struct doc *d, const char *name, struct ts_err *err)
{
    struct ji_stream *s = d->s;
    char where[WHERE_MAX];

    ji_next(s);
    d->name = name;
    d->streamed = 1;
    s->keep_all = 0; /* the shape is known: nothing will be read again */
    for (size_t i = 0;; i++) {
        int c = ji_skip_ws(s);
        if (c == ']' && i == 0) {
            ji_next(s);
            break;
        }
        if (i > 0) {
            if (c == ']') {
                ji_next(s);
                break;
            }
            if (c != ',')
                return ji_syntax(s, "[0", JSON_DECODE_ANY, err);
            ji_next(s);
            c = ji_skip_ws(s);
        }
        if (c < 0 || c == ']')
            return ji_syntax(s, i ? "[0," : "[", JSON_DECODE_ANY, err);
        ji_where_index(where, name, i);
        if (ji_take_value(s, where, err) < 0 || doc_element(d, where, err) < 0)
            return -1;
        d->n = i + 1;
    }
    return 0;
}

/* The array of key K, whose '[' is next: streamed when it holds the
 * document's records. Returns 1 when it was streamed, 0 when it is to be
 * read as a plain value, -1 on an error. */
static int doc_stream_key(struct doc *d, const char *k, struct ts_err *err)
{
    static const char *const keys[] = {"models", "weeks", "data"}; /* by precedence */
    int rank = -1, streaming = -1;

    for (int r = 0; r < 3; r++) {
        if (strcmp(k, keys[r]) == 0)
            rank = r;
        if (d->streamed && d->name && strcmp(d->name, keys[r]) == 0)
            streaming = r;
    }
    if (rank < 0 || (rank == 0 && !d->date.v))
        return 0; /* "models" before "date": a weekly snapshot is read again */
    if (d->streamed) {
        if (rank <= streaming)
            return 0; /* a key that does not decide the shape: a plain value */
        return ts_err_at(err, d->s->line, d->s->col + 1,
                         "keys '%s' and '%s' both hold records (expected one of them)", d->name, k);
    }
    if (rank == 1 && shape_found(d, TS_FMT_OPENROUTER_CHART, err) < 0)
        return -1;
    if (rank == 0) {
        struct place at = kept_place(&d->date);
        if (shape_found(d, TS_FMT_OPENROUTER_WEEKLY, err) < 0 ||
            ji_date(d->date.v, "date", &at, &d->fixed.date, err) < 0)
            return -1;
        d->fixed.period = d->o->period >= 0 ? (enum ts_period)d->o->period : TS_WEEK;
    }
    if (doc_array(d, keys[rank], err) < 0)
        return -1;
    return 1;
}

/* Keeps what the end of the document needs of a top-level value. */
static void doc_keep(struct doc *d, const char *k, json_t *v, long line, long col)
{
    struct kept *kept = strcmp(k, "date") == 0           ? &d->date
                        : strcmp(k, "total_tokens") == 0 ? &d->total
                        : strcmp(k, "as_of") == 0        ? &d->as_of
                        : strcmp(k, "fetchedAt") == 0    ? &d->fetched_at
                                                         : NULL;
    enum ts_field f = field_lookup(k, strlen(k), NULL);

    d->has_model_key |= f == TS_F_MODEL;
    d->has_period_key |= f == TS_F_DAY || f == TS_F_WEEK;
    d->models_waiting |= strcmp(k, "models") == 0 && json_is_array(v) && !d->streamed;
    if (strcmp(k, "meta") == 0 && json_is_string(json_object_get(v, "as_of"))) {
        free(d->meta_as_of);
        d->meta_as_of = xstrdup(json_string_value(json_object_get(v, "as_of")));
    }
    if (strcmp(k, "meta") == 0) { /* kept whole: app rankings' window is in it */
        kept_release(&d->meta);
        d->meta.v = v;
        d->meta.line = line;
        d->meta.col = col;
        return;
    }
    if (!kept) {
        json_decref(v);
        return;
    }
    kept_release(kept);
    /* A container is kept empty: messages only say what it is. */
    kept->v = json_is_array(v) ? json_array() : json_is_object(v) ? json_object() : json_incref(v);
    kept->line = line;
    kept->col = col;
    json_decref(v);
}

/* A top-level key met a second time: jansson's message, at the key. */
static int doc_duplicate_key(struct ji_stream *s, json_t *k, long line, long col,
                             struct ts_err *err)
{
    char *dup = json_dumps(k, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
    struct ts_buf prefix = TS_BUF_INIT;

    buf_printf(&prefix, "{%s:0,", dup);
    s->pos = s->mark; /* back to the key, in the same place */
    s->line = line;
    s->col = col;
    ji_syntax(s, prefix.data, 0, err);
    buf_release(&prefix);
    free(dup);
    return -1;
}

/* The next top-level key, a new reference to a string; NULL with err. */
static json_t *doc_key(struct doc *d, int first, struct ts_err *err)
{
    struct ji_stream *s = d->s;
    json_t *k;

    if (ji_skip_ws(s) != '"') {
        ji_syntax(s, first ? "{" : "{\"a\":0,", 0, err);
        return NULL;
    }
    if (ji_take_value(s, "a key", err) < 0 || !(k = ji_parse_value(s, err)))
        return NULL;
    if (json_object_get(d->keys, json_string_value(k))) {
        doc_duplicate_key(s, k, s->line0, s->col0, err);
        json_decref(k);
        return NULL;
    }
    d->key_bytes += json_string_length(k) + 64;
    if (d->key_bytes > JI_VALUE_MAX) {
        ts_err_at(err, s->line0, s->col0 + 1, "more than %d MiB of top-level keys",
                  JI_VALUE_MAX_MIB);
        json_decref(k);
        return NULL;
    }
    json_object_set_new(d->keys, json_string_value(k), json_true());
    return k;
}

/* One key's value: the array of the shape streamed, any other read whole
 * and kept as far as the end needs it. */
static int doc_value(struct doc *d, const char *k, struct ts_err *err)
{
    struct ji_stream *s = d->s;
    struct ts_buf what = TS_BUF_INIT;
    int rc = 0;

    if (ji_skip_ws(s) != ':')
        return ji_syntax(s, "{\"a\"", 0, err);
    ji_next(s);
    if (ji_skip_ws(s) == '[' && (rc = doc_stream_key(d, k, err)) != 0)
        return rc < 0 ? -1 : 0;
    buf_adds(&what, "key '");
    ts_quote_for_msg(&what, k, strlen(k), 80);
    buf_adds(&what, "'");
    if (ji_take_value(s, what.data, err) == 0) {
        json_t *v = ji_parse_value(s, err);
        if (v)
            doc_keep(d, k, v, s->line0, s->col0);
        rc = v ? 0 : -1;
    } else {
        rc = -1;
    }
    buf_release(&what);
    return rc;
}

/* The top-level object, whose '{' is next, key by key. */
static int doc_object(struct doc *d, struct ts_err *err)
{
    struct ji_stream *s = d->s;
    int c;

    ji_next(s);
    if (ji_skip_ws(s) == '}') {
        ji_next(s);
        return 0;
    }
    for (int first = 1;; first = 0) {
        json_t *k = doc_key(d, first, err);
        if (!k)
            return -1;
        int rc = doc_value(d, json_string_value(k), err);
        json_decref(k);
        if (rc < 0)
            return -1;
        if ((c = ji_skip_ws(s)) == '}')
            break;
        if (c != ',')
            return ji_syntax(s, "{\"a\":0", 0, err);
        ji_next(s);
    }
    ji_next(s);
    return 0;
}

/* Reads the document through to its end. */
static int doc_read(struct doc *d, struct ts_err *err)
{
    struct ji_stream *s = d->s;
    int c = ji_skip_ws(s), rc;

    d->top_line = s->line;
    d->top_col = s->col;
    d->top_off = s->pos;
    if (c == '[') {
        rc = doc_array(d, "", err);
        if (rc == 0 && d->n == 0)
            rc = shape_found(d, TS_FMT_JSON, err) < 0
                     ? -1
                     : ts_err_set(err, "empty array (expected records)");
    } else if (c == '{') {
        rc = doc_object(d, err);
    } else {
        return ji_syntax(s, "", 0, err);
    }
    if (rc < 0)
        return -1;
    if (ji_skip_ws(s) >= 0 || s->failed)
        return ji_syntax(s, "[]", 0, err);
    return 0;
}

/* The end of a weekly snapshot: what its total leaves over after the
 * models, as the other bucket. */
static int weekly_finish(struct doc *d, struct ts_err *err)
{
    struct place top = kept_place(&d->total);
    struct ts_record rec;
    int64_t total = 0;

    ji_emit_as_of(d->sink, json_is_string(d->as_of.v) ? d->as_of.v : d->date.v);
    if (!d->total.v || json_is_null(d->total.v))
        return 0;
    if (ji_count(d->total.v, "total_tokens", &top, &total, err) < 0)
        return -1;
    if (d->over)
        return ts_err_at(err, top.text.line, top.text.col + 1,
                         "total_tokens %" PRId64 " is less than the sum of its models (2^63 or "
                         "more)",
                         total);
    if (total < d->sum)
        return ts_err_at(err, top.text.line, top.text.col + 1,
                         "total_tokens %" PRId64 " is less than the sum of its models (%" PRId64
                         ")",
                         total, d->sum);
    /* The rest of the market, as the other bucket: a snapshot that gives
     * its total is the whole market, even when the listed models are all
     * of it (an other bucket of 0 tokens says so). */
    record_init(&rec);
    rec.period = d->fixed.period;
    rec.date = d->fixed.date;
    rec.model = "other";
    rec.model_len = strlen("other");
    rec.total = total - d->sum;
    rec.where = "total_tokens";
    rec.line = top.text.line;
    rec.col = top.text.line > 0 ? top.text.col + 1 : 0;
    return ji_emit_record(d->sink, &rec, err);
}

/* After a document whose records were streamed: what its shape needs at
 * the end. */
static int doc_finish_streamed(struct doc *d, struct ts_err *err)
{
    if (d->found == TS_FMT_AUTO && shape_found(d, TS_FMT_OPENROUTER_DAILY, err) < 0)
        return -1; /* "data":[] */
    if (d->n == 0 && d->name[0])
        return ts_err_set(err, "no records in '%s'", d->name);
    switch (d->found) {
    case TS_FMT_OPENROUTER_DAILY:
        if (d->sink->as_of && d->meta_as_of)
            d->sink->as_of(d->sink->ctx, d->meta_as_of);
        return 0;
    case TS_FMT_OPENROUTER_CHART:
        ji_emit_as_of(d->sink, d->fetched_at.v);
        return 0;
    case TS_FMT_OPENROUTER_WEEKLY:
        return weekly_finish(d, err);
    case TS_FMT_OPENROUTER_APPS: {
        struct place at = kept_place(&d->meta);
        at.where = "meta";
        return ji_apps_finish(&d->apps, d->meta.v, &at, d->meta_as_of, d->o, d->sink, err);
    }
    default:
        return 0;
    }
}

/* A document that is one record on its own (a JSON Lines file of one
 * line): read whole from the spool. */
static int doc_single_record(struct doc *d, struct ts_err *err)
{
    struct ji_stream *s = d->s;
    struct place top = {NULL, {NULL, 0, d->top_line, d->top_col}, NULL, NULL};
    struct ts_record rec;
    json_error_t jerr = {.line = 0}; /* jansson may fail before it fills it */
    int rc;

    if (s->spool_lost)
        return ts_err_set(err, "more than %d MiB in one JSON object (expected one record)",
                          JI_VALUE_MAX_MIB);
    top.text.s = s->buf + d->top_off;
    top.text.len = s->len - d->top_off;
    json_t *root = json_loadb(top.text.s, top.text.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return ji_jansson_error(err, &jerr, d->top_line, d->top_col);
    rc = ji_record_from_object(root, d->o, NULL, &top, &rec, err);
    if (rc == 0)
        rc = ji_emit_record(d->sink, &rec, err);
    json_decref(root);
    return rc;
}

static void doc_init(struct doc *d, struct ji_stream *s, const struct import_opts *o,
                     const struct ts_sink *sink)
{
    memset(d, 0, sizeof(*d));
    d->s = s;
    d->o = o;
    d->sink = sink;
    d->found = TS_FMT_AUTO;
    d->keys = json_object();
}

/* A weekly snapshot whose "models" came before its "date": read again
 * from the spool, its date known from the start. */
static int doc_again(struct doc *d, struct ts_err *err)
{
    struct ji_stream again;
    struct doc d2;
    int rc;

    if (d->s->spool_lost)
        return ts_err_set(err,
                          "a weekly snapshot whose \"models\" come before its \"date\" is read "
                          "twice, and may have at most %d MiB (put \"date\" first)",
                          JI_VALUE_MAX_MIB);
    ji_stream_init_mem(&again, d->s->buf, d->s->len);
    doc_init(&d2, &again, d->o, d->sink);
    d2.date = d->date;
    d2.date.v = json_incref(d->date.v);
    rc = doc_read(&d2, err);
    if (rc == 0)
        rc = doc_finish_streamed(&d2, err);
    d->found = d2.found;
    d->fast += d2.fast;
    doc_release(&d2);
    ji_stream_release(&again);
    return rc;
}

/* After a document whose records were not streamed: its shape, from the
 * keys it had. */
static int doc_finish_whole(struct doc *d, struct ts_err *err)
{
    const char *expected = shape_expected(d->o->format);

    if (d->models_waiting && d->date.v) {
        if (shape_found(d, TS_FMT_OPENROUTER_WEEKLY, err) < 0)
            return -1;
        return doc_again(d, err);
    }
    if (d->has_model_key && d->has_period_key) {
        if (shape_found(d, TS_FMT_JSONL, err) < 0)
            return -1;
        return doc_single_record(d, err);
    }
    if (expected)
        return ts_err_set(err, "%s", expected);
    return ts_err_set(err, "unknown JSON shape (expected an array of records, or an object "
                           "with \"data\", \"weeks\" or \"models\")");
}

int import_json_doc(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
                    enum ts_format *shape, struct ts_err *err)
{
    struct ji_stream s;
    struct doc d;
    int rc;

    o = ji_opts(o);
    ji_stream_init(&s, in);
    doc_init(&d, &s, o, sink);
    rc = doc_read(&d, err);
    if (rc == 0)
        rc = d.streamed ? doc_finish_streamed(&d, err) : doc_finish_whole(&d, err);
    if (shape)
        *shape = d.found;
    if (o->fast_taken)
        *o->fast_taken += d.fast;
    doc_release(&d);
    ji_stream_release(&s);
    return rc;
}
