/* json_place.c - where a JSON value is, and the messages about it.
 *
 * Every message about a JSON value names its path ("data[17]") and its
 * line and column in the input. An importer keeps the text of the element
 * it reads (the bytes of one array element, one JSON Lines line); when a
 * message is about one of its keys, the key's value is found in that text
 * here, which costs nothing until something is wrong. */
#include "json_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

#define VALUE_MAX 40 /* bytes of a bad value quoted in a message */
#define KEY_MAX   80 /* bytes of a key (a slug in byModel) quoted in a message */

/* ---- finding a key's value in the text of an object ---- */

/* A cursor over a value's text that counts lines and columns as jansson
 * does (a column is a character: continuation bytes do not count). */
struct cursor {
    const char *s;
    size_t len, i;
    long line, col;
};

static void cur_next(struct cursor *c)
{
    unsigned char ch = (unsigned char)c->s[c->i++];

    if (ch == '\n') {
        c->line++;
        c->col = 0;
    } else if ((ch & 0xC0) != 0x80) {
        c->col++;
    }
}

static int cur_peek(const struct cursor *c)
{
    return c->i < c->len ? (unsigned char)c->s[c->i] : -1;
}

static void cur_ws(struct cursor *c)
{
    int ch;

    while ((ch = cur_peek(c)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
        cur_next(c);
}

/* Moves past a string whose opening quote is next. */
static void cur_string(struct cursor *c)
{
    int ch;

    cur_next(c);
    while ((ch = cur_peek(c)) >= 0) {
        cur_next(c);
        if (ch == '"')
            return;
        if (ch == '\\' && cur_peek(c) >= 0)
            cur_next(c);
    }
}

/* Moves past one value. */
static void cur_value(struct cursor *c)
{
    int ch = cur_peek(c), depth = 0;

    if (ch == '"') {
        cur_string(c);
        return;
    }
    if (ch != '{' && ch != '[') {
        while ((ch = cur_peek(c)) >= 0 && !strchr(",]} \t\r\n", ch))
            cur_next(c);
        return;
    }
    while ((ch = cur_peek(c)) >= 0) {
        if (ch == '"') {
            cur_string(c);
            continue;
        }
        cur_next(c);
        if (ch == '{' || ch == '[')
            depth++;
        else if ((ch == '}' || ch == ']') && --depth == 0)
            return;
    }
}

/* Whether the string s[0..n) (its bytes between the quotes) is key. */
static int key_is(const char *s, size_t n, const char *key)
{
    if (!memchr(s, '\\', n))
        return strlen(key) == n && memcmp(s, key, n) == 0;
    /* Escapes: let jansson read the string (the quotes are around s). */
    json_t *k = json_loadb(s - 1, n + 2, JSON_DECODE_ANY, NULL);
    int same = json_is_string(k) && json_string_length(k) == strlen(key) &&
               memcmp(json_string_value(k), key, strlen(key)) == 0;
    json_decref(k);
    return same;
}

int ji_find_key(const struct jtext *obj, const char *key, struct jtext *out)
{
    struct cursor c = {obj->s, obj->s ? obj->len : 0, 0, obj->line, obj->col};

    cur_ws(&c);
    if (cur_peek(&c) != '{')
        return -1;
    cur_next(&c);
    for (;;) {
        cur_ws(&c);
        if (cur_peek(&c) != '"')
            return -1;
        size_t k = c.i + 1;
        cur_string(&c);
        if (c.i < k + 1 || c.s[c.i - 1] != '"')
            return -1;
        size_t klen = c.i - 1 - k;
        cur_ws(&c);
        if (cur_peek(&c) != ':')
            return -1;
        cur_next(&c);
        cur_ws(&c);
        size_t v = c.i;
        long line = c.line, col = c.col;
        cur_value(&c);
        if (key_is(c.s + k, klen, key)) {
            out->s = c.s + v;
            out->len = c.i - v;
            out->line = line;
            out->col = col;
            return 0;
        }
        cur_ws(&c);
        if (cur_peek(&c) != ',')
            return -1;
        cur_next(&c);
    }
}

/* ---- messages ---- */

static int fail_at(struct ts_err *err, const struct place *at, long line, long col, const char *fmt,
                   va_list ap)
{
    char msg[TS_ERR_MSG_MAX];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (line <= 0)
        line = col = 0;
    if (at->where)
        return ts_err_at(err, line, col, "%s: %s", at->where, msg);
    return ts_err_at(err, line, col, "%s", msg);
}

int ji_fail(struct ts_err *err, const struct place *at, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_at(err, at, at->text.line, at->text.col + 1, fmt, ap);
    va_end(ap);
    return -1;
}

int ji_fail_key(struct ts_err *err, const struct place *at, const char *key, const char *fmt, ...)
{
    struct jtext obj = at->text, v;
    long line = obj.line, col = obj.col + 1;
    va_list ap;

    if (obj.s && (!at->sub || ji_find_key(&at->text, at->sub, &obj) == 0) &&
        ji_find_key(&obj, key, &v) == 0) {
        line = v.line;
        col = v.col + 1;
    }
    va_start(ap, fmt);
    fail_at(err, at, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* Digits written backwards, then copied the right way round. */
void ji_where_index(char *where, const char *name, size_t i)
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

/* The key as messages show it: quoted, after the place's prefix. */
static void key_text(struct ts_buf *b, const struct place *at, const char *key)
{
    if (at->key_prefix)
        buf_adds(b, at->key_prefix);
    ts_quote_for_msg(b, key, strlen(key), KEY_MAX);
}

int ji_wrong_type(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                  const char *what)
{
    struct ts_buf k = TS_BUF_INIT;

    key_text(&k, at, key);
    ji_fail_key(err, at, key, "key '%s': expected %s, found %s", buf_text(&k), what, found_name(v));
    buf_release(&k);
    return -1;
}

int ji_bad_value(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                 const char *reason)
{
    struct ts_buf k = TS_BUF_INIT;
    struct ts_buf val = TS_BUF_INIT;

    key_text(&k, at, key);
    value_text(&val, v);
    ji_fail_key(err, at, key, "key '%s': '%s' %s", buf_text(&k), buf_text(&val), reason);
    buf_release(&k);
    buf_release(&val);
    return -1;
}

int ji_jansson_error(struct ts_err *err, const json_error_t *jerr, long line, long col)
{
    long l = line + jerr->line - 1;
    long c = jerr->line == 1 ? col + jerr->column : jerr->column;

    if (jerr->line <= 0)
        l = c = 0;
    if (json_error_code(jerr) == json_error_out_of_memory || jerr->text[0] == '\0')
        return ts_err_at(err, l, c, "out of memory reading the JSON text");
    return ts_err_at(err, l, c, "%s", jerr->text);
}
