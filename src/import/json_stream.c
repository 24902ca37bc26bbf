/* json_stream.c - a JSON document read one value at a time.
 *
 * A Data API dump ({"data":[...]}) can be large, and as a jansson tree it
 * takes about eight times its size. So no document is parsed whole: the
 * reader here moves through the document's structure byte by byte, and
 * hands each value it is asked for (an element of an array, the value of
 * a top-level key) to jansson alone, at most JI_VALUE_MAX bytes of it.
 * Memory stays bounded whatever the size of the input.
 *
 * Until something is streamed, every byte read is kept (the spool, at
 * most JI_VALUE_MAX too), so that a document whose shape is known only at
 * its end (a weekly snapshot whose "models" come before its "date") can be
 * read again from memory. Syntax errors get jansson's words and the
 * document's line and column. */
#include "json_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define STREAM_CHUNK 65536

void ji_stream_init(struct ji_stream *s, struct ts_input *in)
{
    memset(s, 0, sizeof(*s));
    s->in = in;
    s->keep_all = 1;
    s->line = 1;
}

void ji_stream_init_mem(struct ji_stream *s, char *buf, size_t len)
{
    memset(s, 0, sizeof(*s));
    s->buf = buf;
    s->len = s->cap = len;
    s->borrowed = 1;
    s->keep_all = 1;
    s->eof = 1;
    s->line = 1;
}

void ji_stream_release(struct ji_stream *s)
{
    if (!s->borrowed)
        free(s->buf);
    s->buf = NULL;
    s->len = s->cap = s->pos = s->mark = 0;
}

/* Reads more of the input into the buffer: 1, or 0 at its end. */
static int st_fill(struct ji_stream *s)
{
    if (!s->in || s->eof || s->failed || s->too_big)
        return 0;
    if (s->keep_all && s->len >= JI_VALUE_MAX) { /* the spool is too big to keep */
        s->keep_all = 0;
        s->spool_lost = 1;
    }
    if (!s->in_value)
        s->mark = s->pos; /* nothing before pos is needed any more */
    if (s->in_value && s->pos - s->mark > JI_VALUE_MAX) {
        s->too_big = 1;
        return 0;
    }
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
        return 0;
    }
    s->len += (size_t)n;
    return 1;
}

int ji_peek(struct ji_stream *s)
{
    if (s->pos < s->len || st_fill(s))
        return (unsigned char)s->buf[s->pos];
    return -1;
}

/* Moves past the next byte, counting lines and columns as jansson does
 * (a column is a character: continuation bytes do not count). */
void ji_next(struct ji_stream *s)
{
    unsigned char c = (unsigned char)s->buf[s->pos++];

    if (c == '\n') {
        s->line++;
        s->col = 0;
    } else if ((c & 0xC0) != 0x80) {
        s->col++;
    }
}

int ji_skip_ws(struct ji_stream *s)
{
    int c;

    while ((c = ji_peek(s)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        ji_next(s);
    return c;
}

/* Moves past the rest of a string whose opening quote was read. */
static void st_string(struct ji_stream *s)
{
    int c;

    while ((c = ji_peek(s)) >= 0) {
        ji_next(s);
        if (c == '"')
            return;
        if (c == '\\' && ji_peek(s) >= 0)
            ji_next(s);
    }
}

/* Moves past one value from pos, or as much of it as there is; jansson
 * says what is wrong with the bytes if they are not one valid value. */
static void st_value(struct ji_stream *s)
{
    int c = ji_peek(s), depth = 0;

    if (c != '"' && c != '{' && c != '[') { /* a number, true, false, null or junk */
        while ((c = ji_peek(s)) >= 0 && !strchr(",]} \t\r\n:", c))
            ji_next(s);
        return;
    }
    while ((c = ji_peek(s)) >= 0) {
        ji_next(s);
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

int ji_take_value(struct ji_stream *s, const char *what, struct ts_err *err)
{
    ji_skip_ws(s);
    s->line0 = s->line;
    s->col0 = s->col;
    s->mark = s->pos;
    s->in_value = 1;
    st_value(s);
    s->in_value = 0;
    if (s->too_big)
        return ts_err_at(err, s->line0, s->col0 + 1,
                         "%s: more than %d MiB (tokstat reads a value of a JSON document whole, "
                         "up to %d MiB; records are streamed one by one)",
                         what, JI_VALUE_MAX_MIB, JI_VALUE_MAX_MIB);
    if (s->failed)
        return ts_err_set(err, "read error: %s", strerror(s->in->error));
    return 0;
}

void ji_value_text(const struct ji_stream *s, struct jtext *out)
{
    out->s = s->buf + s->mark;
    out->len = s->pos - s->mark;
    out->line = s->line0;
    out->col = s->col0;
}

json_t *ji_parse_value(struct ji_stream *s, struct ts_err *err)
{
    json_error_t jerr = {.line = 0}; /* jansson may fail before it fills it */
    json_t *v = json_loadb(s->buf + s->mark, s->pos - s->mark,
                           JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);

    if (!v)
        ji_jansson_error(err, &jerr, s->line0, s->col0);
    return v;
}

int ji_syntax(struct ji_stream *s, const char *prefix, size_t flags, struct ts_err *err)
{
    struct ts_buf text = TS_BUF_INIT;
    json_error_t jerr = {.line = 0}; /* jansson may fail before it fills it */
    size_t plen = strlen(prefix);

    if (s->failed)
        return ts_err_set(err, "read error: %s", strerror(s->in->error));
    s->mark = s->pos; /* reading ahead may drop the bytes before mark */
    s->in_value = 1;
    while (s->len - s->pos < 512 && !s->eof && !s->failed && st_fill(s)) /* the next token */
        ;
    s->in_value = 0;
    size_t n = s->len - s->pos < 512 ? s->len - s->pos : 512;
    buf_adds(&text, prefix);
    buf_add(&text, s->buf + s->pos, n);
    json_t *v = json_loadb(text.data, text.len, flags | JSON_REJECT_DUPLICATES, &jerr);
    if (v) { /* cannot happen: the reader saw what jansson refuses */
        json_decref(v);
        ts_err_at(err, s->line, s->col + 1, "invalid JSON");
    } else {
        ji_jansson_error(err, &jerr, s->line, s->col - (long)plen);
    }
    buf_release(&text);
    return -1;
}
