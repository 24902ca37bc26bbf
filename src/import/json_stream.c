/* json_stream.c - whole documents, streamed.
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
#include "json_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define STREAM_CHUNK 65536

/* The next byte, or -1 at the end of input (or on a read error). */
static int st_peek(struct ji_stream *s)
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
static void st_next(struct ji_stream *s)
{
    unsigned char c = (unsigned char)s->buf[s->pos++];

    if (c == '\n') {
        s->line++;
        s->col = 0;
    } else if ((c & 0xC0) != 0x80) {
        s->col++;
    }
}

static int st_skip_ws(struct ji_stream *s)
{
    int c;

    while ((c = st_peek(s)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        st_next(s);
    return c;
}

/* Moves past the rest of a string whose opening quote was read. */
static void st_string(struct ji_stream *s)
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
static void st_value(struct ji_stream *s)
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
 * mark..pos, and line0, col0 the place before its first byte. */
static void st_take_value(struct ji_stream *s)
{
    st_skip_ws(s);
    s->line0 = s->line;
    s->col0 = s->col;
    s->mark = s->pos;
    st_value(s);
}

/* Parses the bytes mark..pos alone (any JSON value); a syntax error gets
 * its place in the document. */
static json_t *st_parse(struct ji_stream *s, struct ts_err *err)
{
    json_error_t jerr;
    json_t *v = json_loadb(s->buf + s->mark, s->pos - s->mark,
                           JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);

    if (!v)
        ts_err_at(err, s->line0 + jerr.line - 1,
                  jerr.line == 1 ? s->col0 + jerr.column : jerr.column, "%s", jerr.text);
    return v;
}

/* A syntax error at the stream's position, in jansson's words: jansson
 * is given prefix (text that leaves its parser where the stream's reader
 * is) and then the document's next bytes, and its message is moved to the
 * document's line and column. */
static int st_syntax(struct ji_stream *s, const char *prefix, struct ts_err *err)
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

/* One element of the array, named NAME[i]: parsed (stolen), or else from
 * the bytes mark..pos, by the fast path when it can. A record. */
static int st_element(struct ji_stream *s, json_t *parsed, const char *name, size_t i,
                      const struct import_opts *o, const struct ts_sink *sink, struct ts_err *err)
{
    char where[WHERE_MAX];
    struct place at = {where, 0};
    struct ts_record rec;
    int rc = -1;

    s->taken++;
    ji_where_index(where, name, i);
    if (!parsed && ji_flat_record(s->buf + s->mark, s->pos - s->mark, o, 0, &rec)) {
        rec.where = where;
        return ji_emit_record(sink, &rec, err);
    }
    json_t *el = parsed ? parsed : st_parse(s, err);
    if (!el)
        return -1;
    if (!json_is_object(el))
        ji_fail(err, &at, "expected a JSON object");
    else if (ji_record_from_object(el, o, NULL, &at, &rec, err) == 0)
        rc = ji_emit_record(sink, &rec, err);
    json_decref(el);
    return rc;
}

/* A key of the top-level object met a second time: jansson's message, at
 * the key's place (line0, col0). */
static int st_duplicate_key(struct ji_stream *s, json_t *k, struct ts_err *err)
{
    char *dup = json_dumps(k, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
    struct ts_buf prefix = TS_BUF_INIT;

    buf_printf(&prefix, "{%s:0,", dup);
    s->pos = s->mark; /* back to the key, in the same place */
    s->line = s->line0;
    s->col = s->col0;
    st_syntax(s, prefix.data, err);
    buf_release(&prefix);
    free(dup);
    return -1;
}

/* After "data":[...]: the other keys of the top-level object (each value
 * parsed alone; "meta" gives the as-of time), then the end of input. */
static int st_tail(struct ji_stream *s, const struct ts_sink *sink, struct ts_err *err)
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
        st_take_value(s);
        json_t *k = st_parse(s, err); /* a string: it starts with '"' */
        if (!k)
            goto out;
        if (json_object_get(keys, json_string_value(k))) {
            st_duplicate_key(s, k, err);
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
        st_take_value(s);
        json_t *v = st_parse(s, err);
        if (!v)
            goto out;
        if (is_meta)
            ji_emit_as_of(sink, json_object_get(v, "as_of"));
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

void ji_stream_init(struct ji_stream *s, struct ts_input *in)
{
    memset(s, 0, sizeof(*s));
    s->in = in;
    s->keep_all = 1;
    s->line = 1;
}

void ji_stream_release(struct ji_stream *s)
{
    free(s->buf);
    s->buf = NULL;
    s->len = s->cap = s->pos = s->mark = 0;
}

/* Moves past the bytes of lit, if the stream has them next; returns 1 when
 * it had. */
static int st_literal(struct ji_stream *s, const char *lit)
{
    for (const char *p = lit; *p; p++) {
        if (st_peek(s) != *p)
            return 0;
        st_next(s);
    }
    return 1;
}

json_t *ji_stream_first(struct ji_stream *s, int *in_object)
{
    int c = st_skip_ws(s);

    *in_object = c == '{';
    if (c != '[' && c != '{')
        return NULL;
    st_next(s);
    if (*in_object) {
        if (st_skip_ws(s) != '"' || !st_literal(s, "\"data\"") || st_skip_ws(s) != ':')
            return NULL;
        st_next(s);
        if (st_skip_ws(s) != '[')
            return NULL;
        st_next(s);
    }
    if (st_skip_ws(s) == ']' || st_peek(s) < 0)
        return NULL;

    st_take_value(s);
    json_error_t jerr;
    json_t *first = json_loadb(s->buf + s->mark, s->pos - s->mark,
                               JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(first)) {
        json_decref(first);
        return NULL;
    }
    return first;
}

/* The elements after the first, the rest of the top-level object when
 * there is one, then the end of input. */
static int st_rest(struct ji_stream *s, const char *name, int in_object,
                   const struct import_opts *o, const struct ts_sink *sink, struct ts_err *err)
{
    for (size_t i = 1;; i++) {
        int c = st_skip_ws(s);
        if (c == ']')
            break;
        if (c != ',')
            return st_syntax(s, "[0", err);
        st_next(s);
        st_take_value(s);
        if (st_element(s, NULL, name, i, o, sink, err) < 0)
            return -1;
    }
    st_next(s);
    if (in_object && st_tail(s, sink, err) < 0)
        return -1;
    if (st_skip_ws(s) >= 0 || s->failed)
        return st_syntax(s, "[]", err);
    return 0;
}

int ji_stream_records(struct ji_stream *s, json_t *first, int in_object,
                      const struct import_opts *o, const struct ts_sink *sink, struct ts_err *err)
{
    const char *name = in_object ? "data" : "";
    int rc;

    s->keep_all = 0;
    rc = st_element(s, first, name, 0, o, sink, err);
    if (rc == 0)
        rc = st_rest(s, name, in_object, o, sink, err);
    if (o->fast_taken)
        *o->fast_taken += s->taken;
    return rc;
}

/* jansson reads the document through input_read(), so the content hash
 * sees every byte. */
static size_t read_chunk(struct ts_input *in, void *buffer, size_t buflen)
{
    ssize_t n = input_read(in, buffer, buflen);

    return n < 0 ? (size_t)-1 : (size_t)n;
}

/* jansson's reader for a document that was not streamed: the bytes the
 * stream kept, then the rest of the input. */
struct replay {
    struct ji_stream *s;
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
    return read_chunk(r->s->in, buffer, buflen);
}

json_t *ji_stream_load(struct ji_stream *s, struct ts_err *err)
{
    struct replay r = {s, 0};
    json_error_t jerr;
    json_t *root;

    /* Flags 0: JSON_DECODE_INT_AS_REAL would lose integers above 2^53. */
    root = json_load_callback(replay_chunk, &r, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (s->in->error)
            ts_err_set(err, "read error: %s", strerror(s->in->error));
        else
            ts_err_at(err, jerr.line, jerr.column, "%s", jerr.text);
    }
    return root;
}
