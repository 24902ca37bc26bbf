/* jsonl.c - JSON Lines: one object a line, keys as CSV columns, blank
 * lines skipped, one line in memory at a time.
 *
 * The fast path: a flat object whose values are plain strings (ASCII, no
 * escapes), integers from 0 up, or null, which is what dumps are made of,
 * is read here without building a jansson tree (the streamed document
 * reader uses it for its elements too). Any other line, and every line
 * that would fail, goes to the full parser, so that what is accepted and
 * every message stay the same. */
#include "json_internal.h"

#include <stdint.h>
#include <string.h>

#include "core/util.h"
#include "core/week.h"

static int is_blank_line(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    }
    return 1;
}

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

/* A value from p (not blank, before end): a plain string, an integer from
 * 0 up, or null (*is_null set). Returns the byte after it, or NULL for the
 * full parser. */
static const char *flat_scalar(const char *p, const char *end, struct flat_value *v, int *is_null)
{
    const char *q;

    v->s = NULL;
    v->len = 0;
    v->i = 0;
    *is_null = 0;
    if (*p == '"') {
        q = flat_string(p + 1, end);
        if (!q)
            return NULL;
        v->s = p + 1;
        v->len = (size_t)(q - p - 1);
        return q + 1;
    }
    if (*p >= '0' && *p <= '9') {
        if (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
            return NULL; /* a leading zero */
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            if (v->i > (INT64_MAX - (*p - '0')) / 10)
                return NULL;
            v->i = v->i * 10 + (*p - '0');
        }
        if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
            return NULL; /* a real */
        return p;
    }
    if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
        *is_null = 1;
        return p + 4;
    }
    return NULL;
}

/* Reads the line as a flat object, giving each field its value by the
 * rules of ji_record_from_object. Returns 1, or 0 for the full parser
 * (which also gives the errors). */
static int flat_fields(const char *p, const char *end, struct flat_value *val, int *have)
{
    const char *keys[FLAT_KEYS_MAX];
    size_t klen[FLAT_KEYS_MAX];
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

        struct flat_value v;
        int is_null;
        p = flat_scalar(p, end, &v, &is_null);
        if (!p)
            return 0;

        enum ts_field f = is_null ? TS_F_NONE : field_lookup(k, kn, NULL);
        if (f != TS_F_NONE && have[f])
            return 0; /* two keys for one field: refused by the full parser */
        if (f != TS_F_NONE) {
            val[f] = v;
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

int ji_flat_record(char *line, size_t len, const struct import_opts *o, long lineno, long col,
                   struct ts_record *rec)
{
    struct flat_value val[TS_F_COUNT];
    int have[TS_F_COUNT] = {0};

    if (!flat_fields(line, line + len, val, have))
        return 0;
    record_init(rec);
    rec->line = lineno;
    rec->col = col;
    enum ts_field pf = have[TS_F_WEEK] ? TS_F_WEEK : TS_F_DAY;
    if (!have[pf] || !val[pf].s || date_parse(val[pf].s, val[pf].len, &rec->date) < 0 ||
        !date_in_data_range(rec->date))
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
    size_t taken = 0; /* lines the fast path read */
    int got;
    int rc = -1;

    o = ji_opts(o);
    /* One line in memory at a time. */
    while ((got = input_getline(in, &line)) > 0) {
        json_error_t jerr = {.line = 0}; /* jansson may fail before it fills it */
        struct ts_record rec;
        struct place at = {NULL, {NULL, 0, ++lineno, 0}, NULL, NULL};

        if (line.len > 0 && line.data[line.len - 1] == '\r')
            line.data[--line.len] = '\0';
        if (is_blank_line(line.data, line.len))
            continue;
        /* The record starts at its '{', after any blanks. */
        while ((size_t)at.text.col < line.len &&
               (line.data[at.text.col] == ' ' || line.data[at.text.col] == '\t'))
            at.text.col++;
        at.text.s = line.data + at.text.col;
        at.text.len = line.len - (size_t)at.text.col;
        if (!o->full_parsers &&
            ji_flat_record(line.data, line.len, o, lineno, at.text.col + 1, &rec)) {
            taken++;
            if (ji_emit_record(sink, &rec, err) < 0)
                goto out;
            continue;
        }
        /* Any value parses, so that a number or an array line gets the
         * message below rather than jansson's "'[' or '{' expected". */
        obj = json_loadb(line.data, line.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
        if (!obj) {
            ji_jansson_error(err, &jerr, lineno, 0);
            goto out;
        }
        if (!json_is_object(obj)) {
            ji_fail(err, &at, "expected a JSON object");
            goto out;
        }
        if (ji_record_from_object(obj, o, NULL, &at, &rec, err) < 0 ||
            ji_emit_record(sink, &rec, err) < 0)
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
    if (o->fast_taken)
        *o->fast_taken += taken;
    json_decref(obj);
    buf_release(&line);
    return rc;
}
