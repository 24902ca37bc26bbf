/* util.h - memory, growable buffers and exact number parsing. */
#ifndef TOKSTAT_CORE_UTIL_H
#define TOKSTAT_CORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Out of memory is fatal, in one place: these never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte buffer, always NUL-terminated once anything is added. */
struct ts_buf {
    char *data;
    size_t len;
    size_t cap;
};
#define TS_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void buf_add(struct ts_buf *b, const void *p, size_t n);
void buf_addc(struct ts_buf *b, char c);
void buf_adds(struct ts_buf *b, const char *s);
void buf_printf(struct ts_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct ts_buf *b); /* len = 0, keeps the memory */
void buf_release(struct ts_buf *b);

/* Result of parsing a token count. */
enum ts_num {
    TS_NUM_OK = 0,
    TS_NUM_EMPTY,     /* nothing but white space */
    TS_NUM_SYNTAX,    /* not a number at all */
    TS_NUM_NEGATIVE,  /* below zero */
    TS_NUM_FRACTION,  /* has a fractional part where only whole numbers are allowed */
    TS_NUM_RANGE,     /* 2^63 or more */
    TS_NUM_NONFINITE, /* NaN or infinity */
    TS_NUM_SIGN,      /* a token count written with '+' (or "-0") */
    TS_NUM_EXPONENT,  /* a token count written with an exponent ("1e3") */
    TS_NUM_BLANKS,    /* a token count with blanks around its digits (" 100") */
};

/* Parses a token count from s[0..len) exactly: plain decimal digits, and a
 * fraction ("12.5") that must be zero unless round is non-zero, when the
 * value is rounded to the nearest integer (halves up). Nothing else: no
 * blanks (TS_NUM_BLANKS), no sign (TS_NUM_SIGN; "-5" is TS_NUM_NEGATIVE),
 * no exponent (TS_NUM_EXPONENT), no point without digits on both sides.
 * The result must be >= 0 and < 2^63. Nothing but blanks is TS_NUM_EMPTY. */
enum ts_num ts_parse_count(const char *s, size_t len, int round, int64_t *out);

/* Converts a JSON real to a token count, rounding to nearest. */
enum ts_num ts_count_from_double(double d, int64_t *out);

/* Why a value is not a token count, for "'<value>' <reason>" messages,
 * e.g. "is not a token count" or "is negative (expected a token count >= 0)". */
const char *ts_num_reason(enum ts_num r);

/* Prices are kept exactly as int64 pico-dollars per token (USD * 1e12 per
 * token, which is also micro-dollars per million tokens): 3e-07 USD/token is
 * 300000. Parses a decimal string such as "0.000000045" or "3e-07" exactly,
 * rounding to the nearest pico-dollar. Negative values are TS_NUM_NEGATIVE
 * (callers treat "-1" as "no fixed price"). */
enum ts_num ts_parse_price(const char *s, size_t len, int64_t *out);
enum ts_num ts_price_from_double(double d, int64_t *out);

/* Appends s to b, quoting it for a message: control characters, backslashes
 * and bytes that are not valid UTF-8 become \xNN, and the text is cut to at
 * most max bytes with "..." appended. */
void ts_quote_for_msg(struct ts_buf *b, const char *s, size_t len, size_t max);

/* Appends s[0..len) to b as text that is safe on a terminal and in
 * Markdown: each control character (C0 such as ESC, newline or tab; DEL;
 * C1) and each byte that is not UTF-8 becomes \xNN, one per byte (ESC is
 * \x1b, a newline \x0a); everything else is copied. Every text that came
 * from a file, the database or the command line goes through this (or
 * ts_quote_for_msg) on its way to a terminal or a Markdown document. */
void ts_text_escape(struct ts_buf *b, const char *s, size_t len);

/* Non-zero when ts_text_escape would copy s[0..len) unchanged. */
int ts_text_plain(const char *s, size_t len);

/* The length of the valid UTF-8 sequence at p (1 for ASCII) within avail
 * bytes, or 0 when the bytes there are not one (bad lead byte, overlong,
 * surrogate, cut short). */
size_t ts_utf8_seq(const unsigned char *p, size_t avail);

/* Non-zero when s[0..len) is valid UTF-8 with no control characters. */
int ts_utf8_valid(const char *s, size_t len);

/* Non-zero when s[0..len) holds a control character (C0, DEL or C1). */
int ts_has_control(const char *s, size_t len);

/* s[0..len) without its surrounding blanks (isspace): *s and *len moved. */
void ts_trim(const char **s, size_t *len);

/* qsort's comparison of two strings (elements of a char * array). */
int ts_strptr_cmp(const void *a, const void *b);

/* A map from strings to int64, open addressing; keys are copied. */
struct ts_map {
    char **keys;
    int64_t *vals;
    size_t cap, len; /* cap is 0 or a power of two */
};
#define TS_MAP_INIT                                                                                \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

/* Returns 1 and sets *val when key is in the map, else 0. */
int ts_map_get(const struct ts_map *m, const char *key, int64_t *val);
void ts_map_put(struct ts_map *m, const char *key, int64_t val);
void ts_map_clear(struct ts_map *m);   /* empties it, keeps the memory */
void ts_map_release(struct ts_map *m); /* safe on TS_MAP_INIT */

/* one when n is 1, else many: for "1 row" and "2 rows". */
const char *ts_plural(long long n, const char *one, const char *many);

#endif
