/* json.c - JSON importers (jansson): JSON Lines, and whole documents
 * in the shapes public dumps come in: a bare array of records, the
 * OpenRouter Data API (openrouter-daily), the rankings chart, a weekly
 * leaderboard snapshot and the model catalogue.
 *
 * Every record goes through one function, record_from_object(), that maps
 * an object's keys to fields with field_lookup(), as CSV maps its header.
 * Strings handed to the sink are borrowed from the parsed document and live
 * only during the call. */
#include "import/import.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/week.h"

#define VALUE_MAX 40 /* bytes of a bad value quoted in a message */
#define KEY_MAX   80 /* bytes of a key (a slug in byModel) quoted in a message */
#define WHERE_MAX 64 /* "weeks[123].byModel" and the like */

/* Where a value sits, for messages: a path in a whole document ("data[17]",
 * NULL at the top level) and a line of JSON Lines (0 in whole documents). */
struct place {
    const char *where;
    long line;
};

/* The period of records whose date comes from outside their object (weekly
 * snapshots): the object's own period keys are then ignored. */
struct fixed_period {
    enum ts_period period;
    int32_t date;
};

static const struct import_opts default_opts = IMPORT_OPTS_INIT;

/* Fills err with "<where>: <message>" at the place's line. Returns -1. */
static int fail(struct ts_err *err, const struct place *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct ts_err *err, const struct place *at, const char *fmt, ...)
{
    char msg[TS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (at->where)
        return ts_err_at(err, at->line, 0, "%s: %s", at->where, msg);
    return ts_err_at(err, at->line, 0, "%s", msg);
}

/* Writes "NAME[I]" into where (WHERE_MAX bytes), the path of an array
 * element, as snprintf("%s[%zu]") would but without its cost: a streamed
 * document names every element it hands on. */
static void where_index(char *where, const char *name, size_t i)
{
    char digits[24];
    size_t nd = 0, n = strlen(name);

    do
        digits[nd++] = (char)('0' + i % 10);
    while ((i /= 10) > 0);
    if (n + nd + 3 > WHERE_MAX) /* names are short literals: cannot happen */
        n = WHERE_MAX - nd - 3;
    memcpy(where, name, n);
    where[n++] = '[';
    while (nd > 0)
        where[n++] = digits[--nd];
    where[n++] = ']';
    where[n] = '\0';
}

/* A buffer's text, "" when nothing was ever added. */
static const char *buf_text(const struct ts_buf *b)
{
    return b->data ? b->data : "";
}

/* What a value is, for "expected X, found Y" messages. */
static const char *found_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

/* Appends a scalar value as the message shows it: strings quoted and cut,
 * integers exactly, reals with every digit that matters. */
static void value_text(struct ts_buf *b, const json_t *v)
{
    if (json_is_string(v))
        ts_quote_for_msg(b, json_string_value(v), json_string_length(v), VALUE_MAX);
    else if (json_is_integer(v))
        buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        buf_printf(b, "%.17g", json_real_value(v));
    else
        buf_adds(b, found_name(v));
}

/* "key 'K': expected WHAT, found an array". Returns -1. */
static int wrong_type(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                      const char *what)
{
    struct ts_buf k = TS_BUF_INIT;

    ts_quote_for_msg(&k, key, strlen(key), KEY_MAX);
    fail(err, at, "key '%s': expected %s, found %s", buf_text(&k), what, found_name(v));
    buf_release(&k);
    return -1;
}

/* "key 'K': 'V' REASON". Returns -1. */
static int bad_value(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                     const char *reason)
{
    struct ts_buf k = TS_BUF_INIT;
    struct ts_buf val = TS_BUF_INIT;

    ts_quote_for_msg(&k, key, strlen(key), KEY_MAX);
    value_text(&val, v);
    fail(err, at, "key '%s': '%s' %s", buf_text(&k), buf_text(&val), reason);
    buf_release(&k);
    buf_release(&val);
    return -1;
}

/* A token count from a JSON integer, a real (rounded) or a decimal string
 * (a fraction or exponent rounded too). */
static int parse_count(const json_t *v, const char *key, const struct place *at, int64_t *out,
                       struct ts_err *err)
{
    enum ts_num r;

    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        r = i < 0 ? TS_NUM_NEGATIVE : TS_NUM_OK;
        if (r == TS_NUM_OK)
            *out = (int64_t)i;
    } else if (json_is_real(v)) {
        r = ts_count_from_double(json_real_value(v), out);
    } else if (json_is_string(v)) {
        r = ts_parse_count(json_string_value(v), json_string_length(v), 1, out);
    } else {
        return wrong_type(err, at, key, v, "a token count");
    }
    if (r != TS_NUM_OK)
        return bad_value(err, at, key, v, ts_num_reason(r));
    return 0;
}

static const char *price_reason(enum ts_num r)
{
    switch (r) {
    case TS_NUM_EMPTY:
        return "is empty (expected a price)";
    case TS_NUM_RANGE:
        return "is too large (expected a price in USD per token)";
    case TS_NUM_NONFINITE:
        return "is not a finite number";
    default:
        return "is not a price";
    }
}

/* A price in USD per token (number or decimal string) as pico-USD per
 * token. A negative price ("-1" in the catalogue) means "no fixed price"
 * and gives TS_ABSENT. */
static int parse_price(const json_t *v, const char *key, const struct place *at, int64_t *out,
                       struct ts_err *err)
{
    enum ts_num r;

    if (json_is_integer(v))
        r = ts_price_from_double((double)json_integer_value(v), out);
    else if (json_is_real(v))
        r = ts_price_from_double(json_real_value(v), out);
    else if (json_is_string(v))
        r = ts_parse_price(json_string_value(v), json_string_length(v), out);
    else
        return wrong_type(err, at, key, v, "a price");
    if (r == TS_NUM_NEGATIVE) {
        *out = TS_ABSENT;
        return 0;
    }
    if (r != TS_NUM_OK)
        return bad_value(err, at, key, v, price_reason(r));
    return 0;
}

/* A "YYYY-MM-DD" string (a time part after it is ignored). */
static int parse_date(const json_t *v, const char *key, const struct place *at, int32_t *out,
                      struct ts_err *err)
{
    if (!json_is_string(v))
        return wrong_type(err, at, key, v, "a date (YYYY-MM-DD)");
    if (date_parse(json_string_value(v), json_string_length(v), out) < 0)
        return bad_value(err, at, key, v, "is not a date (expected YYYY-MM-DD)");
    return 0;
}

/* Turns a JSON object into a record: keys are matched like CSV columns
 * (field_lookup), the lower-priority alias wins when two keys name one
 * field, unknown keys and null values are ignored. With fixed non-NULL the
 * period comes from it and the object's period keys are not looked at.
 * rec->model and rec->where are borrowed from obj and at. */
static int record_from_object(json_t *obj, const struct import_opts *o,
                              const struct fixed_period *fixed, const struct place *at,
                              struct ts_record *rec, struct ts_err *err)
{
    json_t *val[TS_F_COUNT] = {NULL};
    const char *name[TS_F_COUNT] = {NULL};
    int prio[TS_F_COUNT] = {0};
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        int p;
        enum ts_field f;

        if (json_is_null(v))
            continue;
        f = field_lookup(key, strlen(key), &p);
        if (f == TS_F_NONE)
            continue;
        if (!val[f] || p < prio[f]) {
            val[f] = v;
            name[f] = key;
            prio[f] = p;
        }
    }

    record_init(rec);
    rec->line = at->line;
    rec->where = at->where;

    /* Period: a week key makes a weekly record, a daily key a daily one;
     * with both, the week key wins (as for CSV columns). */
    if (fixed) {
        rec->period = fixed->period;
        rec->date = fixed->date;
    } else if (val[TS_F_WEEK]) {
        if (parse_date(val[TS_F_WEEK], name[TS_F_WEEK], at, &rec->date, err) < 0)
            return -1;
        rec->period = TS_WEEK;
    } else if (val[TS_F_DAY]) {
        if (parse_date(val[TS_F_DAY], name[TS_F_DAY], at, &rec->date, err) < 0)
            return -1;
        rec->period = TS_DAY;
    } else {
        return fail(err, at, "no period key (expected one of date, day, week, week_start)");
    }
    if (o->period >= 0)
        rec->period = (enum ts_period)o->period;

    v = val[TS_F_MODEL];
    if (!v)
        return fail(err, at,
                    "no model key (expected one of model, model_permaslug, slug, model_id)");
    if (!json_is_string(v))
        return wrong_type(err, at, name[TS_F_MODEL], v, "a model slug");
    if (json_string_length(v) == 0)
        return bad_value(err, at, name[TS_F_MODEL], v, "is empty (expected a model slug)");
    rec->model = json_string_value(v);
    rec->model_len = json_string_length(v);

    for (int f = 0; f < TS_F_COUNT; f++) {
        int64_t *count = record_count(rec, (enum ts_field)f);
        if (val[f] && count && parse_count(val[f], name[f], at, count, err) < 0)
            return -1;
    }
    if (val[TS_F_PROMPT_PRICE] && parse_price(val[TS_F_PROMPT_PRICE], name[TS_F_PROMPT_PRICE], at,
                                              &rec->prompt_price, err) < 0)
        return -1;
    if (val[TS_F_COMPLETION_PRICE] &&
        parse_price(val[TS_F_COMPLETION_PRICE], name[TS_F_COMPLETION_PRICE], at,
                    &rec->completion_price, err) < 0)
        return -1;

    /* Without a total, prompt + completion is the total. */
    if (!val[TS_F_TOTAL]) {
        if (rec->prompt == TS_ABSENT || rec->completion == TS_ABSENT)
            return fail(err, at,
                        "no token key (expected total_tokens or tokens, or prompt_tokens and "
                        "completion_tokens)");
        if (rec->prompt > INT64_MAX - rec->completion)
            return fail(err, at,
                        "%s + %s is too large (%" PRId64 " + %" PRId64
                        ", expected a total below 2^63)",
                        name[TS_F_PROMPT], name[TS_F_COMPLETION], rec->prompt, rec->completion);
        rec->total = rec->prompt + rec->completion;
    }
    return 0;
}

/* Hands a record to the sink; a sink error without a line gets the
 * record's. */
static int emit_record(const struct ts_sink *sink, const struct ts_record *rec, struct ts_err *err)
{
    if (sink->record(sink->ctx, rec, err) == 0)
        return 0;
    if (err->line == 0 && rec->line > 0)
        err->line = rec->line;
    return -1;
}

static void emit_as_of(const struct ts_sink *sink, const json_t *v)
{
    if (sink->as_of && json_is_string(v))
        sink->as_of(sink->ctx, json_string_value(v));
}

static int is_blank_line(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    }
    return 1;
}

/* The fast path of JSON Lines: a flat object whose values are plain
 * strings (ASCII, no escapes), integers from 0 up, or null, which is what
 * dumps are made of, is read here without building a jansson tree. Any
 * other line, and every line that would fail, goes to the full parser, so
 * that what is accepted and every message stay the same. */

struct flat_value {
    const char *s; /* a string's bytes (between the quotes), or NULL */
    size_t len;
    int64_t i; /* an integer's value, when s is NULL */
};

#define FLAT_KEYS_MAX 32

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* A string from p (just after its opening quote): printable ASCII without
 * a backslash. Returns the closing quote, or NULL. */
static const char *flat_string(const char *p, const char *end)
{
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p;
        if (c < 0x20 || c >= 0x7f || c == '\\')
            return NULL;
    }
    return NULL;
}

/* Reads the line as a flat object, giving each field its value by the
 * rules of record_from_object. Returns 1, or 0 for the full parser. */
static int flat_fields(const char *p, const char *end, struct flat_value *val, int *have)
{
    const char *keys[FLAT_KEYS_MAX];
    size_t klen[FLAT_KEYS_MAX];
    int prio[TS_F_COUNT] = {0};
    int nkeys = 0;

    p = skip_ws(p, end);
    if (p == end || *p++ != '{')
        return 0;
    p = skip_ws(p, end);
    if (p < end && *p == '}') /* {} */
        return skip_ws(p + 1, end) == end;
    for (;;) {
        if (p == end || *p++ != '"')
            return 0;
        const char *k = p, *q = flat_string(p, end);
        if (!q || nkeys == FLAT_KEYS_MAX)
            return 0;
        size_t kn = (size_t)(q - k);
        for (int j = 0; j < nkeys; j++) { /* a repeated key is an error */
            if (klen[j] == kn && memcmp(keys[j], k, kn) == 0)
                return 0;
        }
        keys[nkeys] = k;
        klen[nkeys++] = kn;
        p = skip_ws(q + 1, end);
        if (p == end || *p++ != ':')
            return 0;
        p = skip_ws(p, end);
        if (p == end)
            return 0;

        struct flat_value v = {NULL, 0, 0};
        int is_null = 0;
        if (*p == '"') {
            q = flat_string(p + 1, end);
            if (!q)
                return 0;
            v.s = p + 1;
            v.len = (size_t)(q - p - 1);
            p = q + 1;
        } else if (*p >= '0' && *p <= '9') {
            if (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
                return 0; /* a leading zero */
            for (; p < end && *p >= '0' && *p <= '9'; p++) {
                if (v.i > (INT64_MAX - (*p - '0')) / 10)
                    return 0;
                v.i = v.i * 10 + (*p - '0');
            }
            if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
                return 0; /* a real */
        } else if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
            is_null = 1;
            p += 4;
        } else {
            return 0;
        }

        int pr;
        enum ts_field f = is_null ? TS_F_NONE : field_lookup(k, kn, &pr);
        if (f != TS_F_NONE && (!have[f] || pr < prio[f])) {
            val[f] = v;
            prio[f] = pr;
            have[f] = 1;
        }
        p = skip_ws(p, end);
        if (p == end)
            return 0;
        if (*p == '}')
            return skip_ws(p + 1, end) == end;
        if (*p++ != ',')
            return 0;
        p = skip_ws(p, end);
    }
}

static int flat_count(const struct flat_value *v, int64_t *out)
{
    if (!v->s) {
        *out = v->i;
        return 1;
    }
    return ts_parse_count(v->s, v->len, 1, out) == TS_NUM_OK;
}

static int flat_price(const struct flat_value *v, int64_t *out)
{
    enum ts_num r =
        v->s ? ts_parse_price(v->s, v->len, out) : ts_price_from_double((double)v->i, out);

    if (r == TS_NUM_NEGATIVE) {
        *out = TS_ABSENT;
        return 1;
    }
    return r == TS_NUM_OK;
}

struct import_fast import_fast = {1, 0};

size_t import_fast_path(int on)
{
    size_t n = import_fast.taken;

    import_fast.on = on;
    import_fast.taken = 0;
    return n;
}

/* A record from a flat line, or 0 for the full parser. */
static int flat_record(char *line, size_t len, const struct import_opts *o, long lineno,
                       struct ts_record *rec)
{
    struct flat_value val[TS_F_COUNT];
    int have[TS_F_COUNT] = {0};

    if (!flat_fields(line, line + len, val, have))
        return 0;
    record_init(rec);
    rec->line = lineno;
    enum ts_field pf = have[TS_F_WEEK] ? TS_F_WEEK : TS_F_DAY;
    if (!have[pf] || !val[pf].s || date_parse(val[pf].s, val[pf].len, &rec->date) < 0)
        return 0;
    rec->period = pf == TS_F_WEEK ? TS_WEEK : TS_DAY;
    if (o->period >= 0)
        rec->period = (enum ts_period)o->period;
    if (!have[TS_F_MODEL] || !val[TS_F_MODEL].s || val[TS_F_MODEL].len == 0)
        return 0;
    rec->model = val[TS_F_MODEL].s;
    rec->model_len = val[TS_F_MODEL].len;

    for (int f = 0; f < TS_F_COUNT; f++) {
        int64_t *count = record_count(rec, (enum ts_field)f);
        if (have[f] && count && !flat_count(&val[f], count))
            return 0;
    }
    if (have[TS_F_PROMPT_PRICE] && !flat_price(&val[TS_F_PROMPT_PRICE], &rec->prompt_price))
        return 0;
    if (have[TS_F_COMPLETION_PRICE] &&
        !flat_price(&val[TS_F_COMPLETION_PRICE], &rec->completion_price))
        return 0;
    if (!have[TS_F_TOTAL]) {
        if (rec->prompt == TS_ABSENT || rec->completion == TS_ABSENT ||
            rec->prompt > INT64_MAX - rec->completion)
            return 0;
        rec->total = rec->prompt + rec->completion;
    }
    /* The slug's closing quote becomes its NUL, as sinks expect. */
    line[(size_t)(val[TS_F_MODEL].s - line) + val[TS_F_MODEL].len] = 0;
    return 1;
}

int import_jsonl(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
                 struct ts_err *err)
{
    struct ts_buf line = TS_BUF_INIT;
    json_t *obj = NULL;
    long lineno = 0;
    int got;
    int rc = -1;

    if (!o)
        o = &default_opts;
    /* One line in memory at a time. */
    while ((got = input_getline(in, &line)) > 0) {
        json_error_t jerr;
        struct ts_record rec;
        struct place at = {NULL, ++lineno};

        if (line.len > 0 && line.data[line.len - 1] == '\r')
            line.data[--line.len] = '\0';
        if (is_blank_line(line.data, line.len))
            continue;
        if (import_fast.on && flat_record(line.data, line.len, o, lineno, &rec)) {
            import_fast.taken++;
            if (emit_record(sink, &rec, err) < 0)
                goto out;
            continue;
        }
        /* Any value parses, so that a number or an array line gets the
         * message below rather than jansson's "'[' or '{' expected". */
        obj = json_loadb(line.data, line.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
        if (!obj) {
            ts_err_at(err, lineno, jerr.column, "%s", jerr.text);
            goto out;
        }
        if (!json_is_object(obj)) {
            fail(err, &at, "expected a JSON object");
            goto out;
        }
        if (record_from_object(obj, o, NULL, &at, &rec, err) < 0 ||
            emit_record(sink, &rec, err) < 0)
            goto out;
        json_decref(obj);
        obj = NULL;
    }
    if (got < 0) {
        ts_err_at(err, lineno + 1, 0, "read error: %s", strerror(in->error));
        goto out;
    }
    rc = 0;
out:
    json_decref(obj);
    buf_release(&line);
    return rc;
}

/* jansson reads the document through input_read(), so the content hash
 * sees every byte. */
static size_t read_chunk(void *buffer, size_t buflen, void *data)
{
    ssize_t n = input_read(data, buffer, buflen);

    return n < 0 ? (size_t)-1 : (size_t)n;
}

/* Parses the whole input. Returns a new reference, or NULL with err set. */
static json_t *load_document(struct ts_input *in, json_load_callback_t read, void *data,
                             struct ts_err *err)
{
    json_error_t jerr;
    json_t *root;

    /* Flags 0: JSON_DECODE_INT_AS_REAL would lose integers above 2^53. */
    root = json_load_callback(read, data, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (in->error)
            ts_err_set(err, "read error: %s", strerror(in->error));
        else
            ts_err_at(err, jerr.line, jerr.column, "%s", jerr.text);
    }
    return root;
}

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
        where_index(where, name, i);
        if (!json_is_object(el))
            return fail(err, &at, "expected a JSON object");
        if (record_from_object(el, o, NULL, &at, &rec, err) < 0 || emit_record(sink, &rec, err) < 0)
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
    emit_as_of(sink, json_object_get(json_object_get(root, "meta"), "as_of"));
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
    emit_as_of(sink, json_object_get(root, "fetchedAt"));
    json_array_foreach(weeks, i, wk)
    {
        json_t *week, *by_model, *v;
        const char *slug;
        int32_t date;

        snprintf(where, sizeof(where), "weeks[%zu]", i);
        snprintf(by_where, sizeof(by_where), "weeks[%zu].byModel", i);
        if (!json_is_object(wk))
            return fail(err, &at, "expected a JSON object");
        week = json_object_get(wk, "week");
        if (!week || json_is_null(week))
            return fail(err, &at, "no 'week' key (expected YYYY-MM-DD)");
        if (parse_date(week, "week", &at, &date, err) < 0)
            return -1;
        by_model = json_object_get(wk, "byModel");
        if (!by_model || json_is_null(by_model))
            return fail(err, &at, "no 'byModel' key (expected an object of token counts)");
        if (!json_is_object(by_model))
            return wrong_type(err, &at, "byModel", by_model, "an object");
        json_object_foreach(by_model, slug, v)
        {
            if (json_is_null(v))
                continue;
            if (slug[0] == '\0')
                return fail(err, &by_at, "empty model slug");
            record_init(&rec);
            rec.period = o->period >= 0 ? (enum ts_period)o->period : TS_WEEK;
            rec.date = date;
            rec.model = slug;
            rec.model_len = strlen(slug);
            rec.where = by_where;
            if (parse_count(v, slug, &by_at, &rec.total, err) < 0 ||
                emit_record(sink, &rec, err) < 0)
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

    if (parse_date(json_object_get(root, "date"), "date", &top, &fixed.date, err) < 0)
        return -1;
    fixed.period = o->period >= 0 ? (enum ts_period)o->period : TS_WEEK;
    if (json_is_null(total_v))
        total_v = NULL;
    if (total_v && parse_count(total_v, "total_tokens", &top, &total, err) < 0)
        return -1;
    if (json_array_size(models) == 0)
        return ts_err_set(err, "no records in 'models'");

    json_array_foreach(models, i, el)
    {
        where_index(where, "models", i);
        if (!json_is_object(el))
            return fail(err, &at, "expected a JSON object");
        if (record_from_object(el, o, &fixed, &at, &rec, err) < 0 ||
            emit_record(sink, &rec, err) < 0)
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
    if (total == sum)
        return 0;
    record_init(&rec);
    rec.period = fixed.period;
    rec.date = fixed.date;
    rec.model = "other";
    rec.model_len = strlen("other");
    rec.total = total - sum;
    rec.where = "total_tokens";
    return emit_record(sink, &rec, err);
}

/* One price of a catalogue entry's "pricing" object. */
static int model_price(json_t *pricing, const char *key, const char *label, const struct place *at,
                       int64_t *out, struct ts_err *err)
{
    json_t *v = json_object_get(pricing, key);

    *out = TS_ABSENT;
    if (!v || json_is_null(v))
        return 0;
    return parse_price(v, label, at, out, err);
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
    int rc = -1;

    json_array_foreach(arr, i, el)
    {
        json_t *id, *canon, *pricing;
        const char *id_s, *slug, *variant;
        struct ts_price price;

        where_index(where, name, i);
        if (!json_is_object(el)) {
            fail(err, &at, "expected a JSON object");
            goto out;
        }
        id = json_object_get(el, "id");
        if (!id || json_is_null(id)) {
            fail(err, &at, "no 'id' key (expected a model id)");
            goto out;
        }
        if (!json_is_string(id)) {
            wrong_type(err, &at, "id", id, "a model id");
            goto out;
        }
        id_s = json_string_value(id);
        if (id_s[0] == '~')
            continue;
        if (id_s[0] == '\0') {
            bad_value(err, &at, "id", id, "is empty (expected a model id)");
            goto out;
        }

        slug = id_s;
        canon = json_object_get(el, "canonical_slug");
        if (canon && !json_is_null(canon)) {
            if (!json_is_string(canon)) {
                wrong_type(err, &at, "canonical_slug", canon, "a model slug");
                goto out;
            }
            if (json_string_length(canon) > 0)
                slug = json_string_value(canon);
        }
        /* The :variant (":free", ":thinking") lives only in the id. */
        buf_reset(&model);
        buf_adds(&model, slug);
        variant = strchr(id_s, ':');
        if (slug != id_s && variant && !strchr(slug, ':'))
            buf_adds(&model, variant);

        pricing = json_object_get(el, "pricing");
        if (json_is_null(pricing))
            pricing = NULL;
        if (pricing && !json_is_object(pricing)) {
            wrong_type(err, &at, "pricing", pricing, "an object");
            goto out;
        }
        price.model = model.data;
        price.id = id_s;
        price.where = where;
        if (model_price(pricing, "prompt", "pricing.prompt", &at, &price.prompt, err) < 0 ||
            model_price(pricing, "completion", "pricing.completion", &at, &price.completion, err) <
                0)
            goto out;
        if (price.prompt == TS_ABSENT && price.completion == TS_ABSENT)
            continue;
        if (sink->price && sink->price(sink->ctx, &price, err) < 0)
            goto out;
    }
    rc = 0;
out:
    buf_release(&model);
    return rc;
}

/* ---- Whole documents, streamed ----
 *
 * A Data API dump ({"data":[...]}) or a bare array of records can be large,
 * and as a jansson tree it takes about seven times its size. When a
 * document starts that way and its first element is a record, it is read
 * one element at a time instead: flat elements by the fast path, any other
 * parsed on its own by jansson, each named data[i] (or [i]) in messages as
 * before. Until the first record is handed on, every byte read is kept, so
 * that any other document goes to jansson whole, as if nothing had been
 * read. Syntax errors get jansson's words and the document's line and
 * column; the one difference is their order: a bad record is reported
 * before a syntax error further on, where a whole parse saw the syntax
 * error first. Either way the file is refused. */

struct stream {
    struct ts_input *in;
    char *buf; /* bytes read and kept */
    size_t len, cap;
    size_t pos;      /* the next byte to look at */
    size_t mark;     /* the start of the value being read: bytes before it may go */
    int keep_all;    /* keep every byte (before the first record) */
    long line, col;  /* jansson's position after the byte before pos */
    int eof, failed; /* end of input; a read error (in->error) */
};

#define STREAM_CHUNK 65536

/* The next byte, or -1 at the end of input (or on a read error). */
static int st_peek(struct stream *s)
{
    if (s->pos < s->len)
        return (unsigned char)s->buf[s->pos];
    if (s->eof || s->failed)
        return -1;
    if (!s->keep_all && s->mark > 0) { /* drop what is no longer needed */
        memmove(s->buf, s->buf + s->mark, s->len - s->mark);
        s->len -= s->mark;
        s->pos -= s->mark;
        s->mark = 0;
    }
    if (s->cap - s->len < STREAM_CHUNK) {
        s->cap = s->cap * 2 > s->len + STREAM_CHUNK ? s->cap * 2 : s->len + STREAM_CHUNK;
        s->buf = xrealloc(s->buf, s->cap);
    }
    ssize_t n = input_read(s->in, s->buf + s->len, STREAM_CHUNK);
    if (n <= 0) {
        s->failed = n < 0;
        s->eof = n == 0;
        return -1;
    }
    s->len += (size_t)n;
    return (unsigned char)s->buf[s->pos];
}

/* Moves past the next byte, counting lines and columns as jansson does
 * (a column is a character: continuation bytes do not count). */
static void st_next(struct stream *s)
{
    unsigned char c = (unsigned char)s->buf[s->pos++];

    if (c == '\n') {
        s->line++;
        s->col = 0;
    } else if ((c & 0xC0) != 0x80) {
        s->col++;
    }
}

static int st_skip_ws(struct stream *s)
{
    int c;

    while ((c = st_peek(s)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        st_next(s);
    return c;
}

/* Moves past the rest of a string whose opening quote was read. */
static void st_string(struct stream *s)
{
    int c;

    while ((c = st_peek(s)) >= 0) {
        st_next(s);
        if (c == '"')
            return;
        if (c == '\\' && st_peek(s) >= 0)
            st_next(s);
    }
}

/* Moves past one value from pos, or as much of it as there is; jansson
 * says what is wrong with the bytes if they are not one valid value. */
static void st_value(struct stream *s)
{
    int c = st_peek(s), depth = 0;

    if (c != '"' && c != '{' && c != '[') { /* a number, true, false, null or junk */
        while ((c = st_peek(s)) >= 0 && !strchr(",]} \t\r\n", c))
            st_next(s);
        return;
    }
    while ((c = st_peek(s)) >= 0) {
        st_next(s);
        if (c == '"')
            st_string(s);
        else if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']')
            depth--;
        if (depth <= 0)
            return;
    }
}

/* Reads one value from the next byte that is not blank: its bytes are
 * mark..pos, and *line0 and *col0 the place before its first byte. */
static void st_take_value(struct stream *s, long *line0, long *col0)
{
    st_skip_ws(s);
    *line0 = s->line;
    *col0 = s->col;
    s->mark = s->pos;
    st_value(s);
}

/* Parses the bytes mark..pos alone (any JSON value); a syntax error gets
 * its place in the document. */
static json_t *st_parse(struct stream *s, long line0, long col0, struct ts_err *err)
{
    json_error_t jerr;
    json_t *v = json_loadb(s->buf + s->mark, s->pos - s->mark,
                           JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);

    if (!v)
        ts_err_at(err, line0 + jerr.line - 1, jerr.line == 1 ? col0 + jerr.column : jerr.column,
                  "%s", jerr.text);
    return v;
}

/* A syntax error at the stream's position, in jansson's words: jansson
 * is given prefix (text that leaves its parser where the stream's reader
 * is) and then the document's next bytes, and its message is moved to the
 * document's line and column. */
static int st_syntax(struct stream *s, const char *prefix, struct ts_err *err)
{
    struct ts_buf text = TS_BUF_INIT;
    json_error_t jerr;
    size_t plen = strlen(prefix);

    if (s->failed)
        return ts_err_set(err, "read error: %s", strerror(s->in->error));
    s->mark = s->pos; /* reading ahead may drop the bytes before mark */
    while (s->len - s->pos < 512 && !s->eof && !s->failed) { /* the next token, whole */
        s->pos = s->len;
        int more = st_peek(s) >= 0;
        s->pos = s->mark;
        if (!more)
            break;
    }
    size_t n = s->len - s->pos < 512 ? s->len - s->pos : 512;
    buf_adds(&text, prefix);
    buf_add(&text, s->buf + s->pos, n);
    json_t *v = json_loadb(text.data, text.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (v) { /* cannot happen: the reader saw what jansson refuses */
        json_decref(v);
        ts_err_at(err, s->line, s->col, "invalid JSON");
    } else {
        ts_err_at(err, s->line + jerr.line - 1,
                  jerr.line == 1 ? s->col + jerr.column - (long)plen : jerr.column, "%s",
                  jerr.text);
    }
    buf_release(&text);
    return -1;
}

/* One element of the array: a record, from the bytes mark..pos. */
static int st_element(struct stream *s, json_t *parsed, const char *name, size_t i, long line0,
                      long col0, const struct import_opts *o, const struct ts_sink *sink,
                      struct ts_err *err)
{
    char where[WHERE_MAX];
    struct place at = {where, 0};
    struct ts_record rec;
    int rc = -1;

    import_fast.taken++;
    where_index(where, name, i);
    if (!parsed && flat_record(s->buf + s->mark, s->pos - s->mark, o, 0, &rec)) {
        rec.where = where;
        return emit_record(sink, &rec, err);
    }
    json_t *el = parsed ? parsed : st_parse(s, line0, col0, err);
    if (!el)
        return -1;
    if (!json_is_object(el))
        fail(err, &at, "expected a JSON object");
    else if (record_from_object(el, o, NULL, &at, &rec, err) == 0)
        rc = emit_record(sink, &rec, err);
    json_decref(el);
    return rc;
}

/* After "data":[...]: the other keys of the top-level object (each value
 * parsed alone; "meta" gives the as-of time), then the end of input. */
static int st_tail(struct stream *s, const struct ts_sink *sink, struct ts_err *err)
{
    json_t *keys = json_object();
    int c, rc = -1;

    json_object_set_new(keys, "data", json_true());
    while ((c = st_skip_ws(s)) == ',') {
        st_next(s);
        if (st_skip_ws(s) != '"') {
            st_syntax(s, "{\"a\":0,", err);
            goto out;
        }
        long line0, col0;
        st_take_value(s, &line0, &col0);
        json_t *k = st_parse(s, line0, col0, err); /* a string: it starts with '"' */
        if (!k)
            goto out;
        if (json_object_get(keys, json_string_value(k))) {
            char *dup = json_dumps(k, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
            struct ts_buf prefix = TS_BUF_INIT;
            buf_printf(&prefix, "{%s:0,", dup);
            s->pos = s->mark; /* back to the key, in the same place */
            s->line = line0;
            s->col = col0;
            st_syntax(s, prefix.data, err);
            buf_release(&prefix);
            free(dup);
            json_decref(k);
            goto out;
        }
        json_object_set_new(keys, json_string_value(k), json_true());
        int is_meta = strcmp(json_string_value(k), "meta") == 0;
        json_decref(k);
        if (st_skip_ws(s) != ':') {
            st_syntax(s, "{\"a\"", err);
            goto out;
        }
        st_next(s);
        st_take_value(s, &line0, &col0);
        json_t *v = st_parse(s, line0, col0, err);
        if (!v)
            goto out;
        if (is_meta)
            emit_as_of(sink, json_object_get(v, "as_of"));
        json_decref(v);
    }
    if (c != '}') {
        st_syntax(s, "{\"a\":0", err);
        goto out;
    }
    st_next(s);
    rc = 0;
out:
    json_decref(keys);
    return rc;
}

/* Streams the document when it is a bare array or {"data":[...]} whose
 * first element is a record: returns 1 with *rc the import's result, or 0
 * when it is to be parsed whole (nothing handed on; the bytes read so far
 * are in s). */
static int stream_doc(struct stream *s, const struct import_opts *o, const struct ts_sink *sink,
                      enum ts_format *found, int *rc, struct ts_err *err)
{
    const char *name;
    int c = import_fast.on ? st_skip_ws(s) : -1, in_object = c == '{';

    if (c != '[' && c != '{')
        return 0;
    st_next(s);
    if (in_object) {
        static const char data_key[] = "\"data\"";
        if (st_skip_ws(s) != '"')
            return 0;
        for (const char *p = data_key; *p; p++) {
            if (st_peek(s) != *p)
                return 0;
            st_next(s);
        }
        if (st_skip_ws(s) != ':')
            return 0;
        st_next(s);
        if (st_skip_ws(s) != '[')
            return 0;
        st_next(s);
    }
    name = in_object ? "data" : "";
    if (st_skip_ws(s) == ']' || st_peek(s) < 0)
        return 0;

    /* The first element decides the shape: records, not catalogue entries. */
    long line0, col0;
    st_take_value(s, &line0, &col0);
    json_error_t jerr;
    json_t *first = json_loadb(s->buf + s->mark, s->pos - s->mark,
                               JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    enum ts_format shape = in_object ? TS_FMT_OPENROUTER_DAILY : TS_FMT_JSON;
    const char *expected = shape_expected(o->format);
    if (!json_is_object(first) || looks_like_model(first) || (expected && shape != o->format)) {
        json_decref(first);
        return 0;
    }
    *found = shape;
    s->keep_all = 0;
    *rc = -1;
    if (st_element(s, first, name, 0, line0, col0, o, sink, err) < 0)
        return 1;
    for (size_t i = 1;; i++) {
        c = st_skip_ws(s);
        if (c == ']')
            break;
        if (c != ',') {
            st_syntax(s, "[0", err);
            return 1;
        }
        st_next(s);
        st_take_value(s, &line0, &col0);
        if (st_element(s, NULL, name, i, line0, col0, o, sink, err) < 0)
            return 1;
    }
    st_next(s);
    if (in_object && st_tail(s, sink, err) < 0)
        return 1;
    if (st_skip_ws(s) >= 0 || s->failed) {
        st_syntax(s, "[]", err);
        return 1;
    }
    *rc = 0;
    return 1;
}

/* jansson's reader for a document that was not streamed: the bytes the
 * stream kept, then the rest of the input. */
struct replay {
    struct stream *s;
    size_t at;
};

static size_t replay_chunk(void *buffer, size_t buflen, void *data)
{
    struct replay *r = data;

    if (r->at < r->s->len) {
        size_t n = r->s->len - r->at < buflen ? r->s->len - r->at : buflen;
        memcpy(buffer, r->s->buf + r->at, n);
        r->at += n;
        return n;
    }
    return read_chunk(buffer, buflen, r->s->in);
}

int import_json_doc(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
                    enum ts_format *shape, struct ts_err *err)
{
    enum ts_format found = TS_FMT_AUTO;
    struct place top = {NULL, 0};
    struct ts_record rec;
    json_t *root;
    const char *expected;
    int rc = -1;

    if (!o)
        o = &default_opts;
    struct stream s = {in, NULL, 0, 0, 0, 0, 1, 1, 0, 0, 0};
    if (stream_doc(&s, o, sink, &found, &rc, err)) {
        root = NULL;
        free(s.buf);
        goto out;
    }
    struct replay r = {&s, 0};
    root = load_document(in, replay_chunk, &r, err);
    free(s.buf);
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

    switch (found) {
    case TS_FMT_JSON:
        rc = import_records(root, "", o, sink, err);
        break;
    case TS_FMT_OPENROUTER_DAILY:
        rc = import_daily(root, o, sink, err);
        break;
    case TS_FMT_OPENROUTER_CHART:
        rc = import_chart(root, o, sink, err);
        break;
    case TS_FMT_OPENROUTER_WEEKLY:
        rc = import_weekly(root, o, sink, err);
        break;
    case TS_FMT_OPENROUTER_MODELS:
        if (json_is_array(root))
            rc = import_models(root, "", sink, err);
        else
            rc = import_models(json_object_get(root, "data"), "data", sink, err);
        break;
    case TS_FMT_JSONL:
        /* One object with a model and a period: a one-line JSON Lines file. */
        if (record_from_object(root, o, NULL, &top, &rec, err) == 0)
            rc = emit_record(sink, &rec, err);
        break;
    default:
        ts_err_set(err, "unknown JSON shape (expected an array of records, or an object with "
                        "\"data\", \"weeks\" or \"models\")");
        break;
    }
out:
    if (shape)
        *shape = found;
    json_decref(root);
    return rc;
}
