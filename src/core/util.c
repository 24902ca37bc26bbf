/* util.c - memory, buffers, exact number parsing, message quoting. */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Out of memory: a message and exit status 1, a runtime error like any
 * other (not an abort, which reads as a crash). What was committed stays;
 * the open transaction is rolled back by SQLite when the file is next
 * opened. */
static void die_oom(size_t n)
{
    fprintf(stderr, "tokstat: out of memory (allocating %zu bytes)\n", n);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        die_oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        die_oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        die_oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void buf_grow(struct ts_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_add(struct ts_buf *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_addc(struct ts_buf *b, char c)
{
    buf_add(b, &c, 1);
}

void buf_adds(struct ts_buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_printf(struct ts_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_reset(struct ts_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_release(struct ts_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Rounds a finite, non-negative double to the nearest int64, halves away
 * from zero. 2^63 is exactly representable, so the range test is exact. */
static enum ts_num count_from_double(double d, int64_t *out)
{
    if (!isfinite(d))
        return TS_NUM_NONFINITE;
    if (d < 0)
        return TS_NUM_NEGATIVE;
    double r = round(d);
    if (r >= 9223372036854775808.0)
        return TS_NUM_RANGE;
    *out = (int64_t)r;
    return TS_NUM_OK;
}

enum ts_num ts_count_from_double(double d, int64_t *out)
{
    return count_from_double(d, out);
}

/* A decimal number as written, [+-]digits[.digits][(e|E)[+-]digits]:
 * where its digits are. */
struct decimal {
    const char *s;
    size_t int_start, nint;   /* the digits before the point */
    size_t frac_start, nfrac; /* and after it */
    long exp10;               /* the exponent (saturated far beyond any int64) */
    int negative;
    int sign;     /* a '+' or '-' was written */
    int point;    /* a '.' was written */
    int exponent; /* an exponent was written */
    int blanks;   /* blanks surround the number */
};

/* Digit k of the mantissa (integer digits, then fraction digits). */
static char decimal_digit(const struct decimal *d, size_t k)
{
    return k < d->nint ? d->s[d->int_start + k] : d->s[d->frac_start + k - d->nint];
}

/* The exponent from s[*i] (after the 'e') up to end. */
static enum ts_num decimal_exponent(const char *s, size_t *i, size_t end, long *out)
{
    int negative = 0;

    if (*i < end && (s[*i] == '+' || s[*i] == '-'))
        negative = s[(*i)++] == '-';
    if (*i == end || !isdigit((unsigned char)s[*i]))
        return TS_NUM_SYNTAX;
    for (*out = 0; *i < end && isdigit((unsigned char)s[*i]); (*i)++) {
        if (*out < 100000) /* far beyond any int64; saturate */
            *out = *out * 10 + (s[*i] - '0');
    }
    if (negative)
        *out = -*out;
    return TS_NUM_OK;
}

/* Reads s[0..len), blanks around it allowed, into d. */
static enum ts_num decimal_scan(const char *s, size_t len, struct decimal *d)
{
    size_t i = 0, end = len;

    memset(d, 0, sizeof(*d));
    d->s = s;
    while (i < end && is_blank(s[i]))
        i++;
    while (end > i && is_blank(s[end - 1]))
        end--;
    if (i == end)
        return TS_NUM_EMPTY;
    d->blanks = i > 0 || end < len;
    if (s[i] == '+' || s[i] == '-') {
        d->sign = 1;
        d->negative = s[i++] == '-';
    }
    for (d->int_start = i; i < end && isdigit((unsigned char)s[i]); i++)
        d->nint++;
    d->frac_start = i;
    if (i < end && s[i] == '.') {
        d->point = 1;
        for (d->frac_start = ++i; i < end && isdigit((unsigned char)s[i]); i++)
            d->nfrac++;
    }
    if (d->nint == 0 && d->nfrac == 0)
        return TS_NUM_SYNTAX;
    if (i < end && (s[i] == 'e' || s[i] == 'E')) {
        d->exponent = 1;
        i++;
        if (decimal_exponent(s, &i, end, &d->exp10) != TS_NUM_OK)
            return TS_NUM_SYNTAX;
    }
    return i == end ? TS_NUM_OK : TS_NUM_SYNTAX;
}

/* The value of d times 10^scale, exactly: rounded (halves up) when
 * round_frac is non-zero, else it must be whole. */
static enum ts_num decimal_value(const struct decimal *d, int scale, int round_frac, int64_t *out)
{
    size_t ndig = d->nint + d->nfrac, lead = 0;

    while (lead < ndig && decimal_digit(d, lead) == '0')
        lead++;
    if (lead == ndig) {
        *out = 0; /* zero, whatever its sign or exponent */
        return TS_NUM_OK;
    }
    if (d->negative)
        return TS_NUM_NEGATIVE;
    /* The significant digits are lead..ndig; 'point' of them stand before
     * the decimal point of the scaled value. */
    long point = (long)d->nint - (long)lead + d->exp10 + scale;
    long nsig = (long)(ndig - lead);
    if (point > 19)
        return TS_NUM_RANGE;
    uint64_t v = 0;
    for (long k = 0; k < point; k++) {
        unsigned dig = k < nsig ? (unsigned)(decimal_digit(d, lead + (size_t)k) - '0') : 0;
        if (v > (UINT64_MAX - dig) / 10)
            return TS_NUM_RANGE;
        v = v * 10 + dig;
    }
    int round_up = 0, frac_nonzero = 0;
    for (long k = point < 0 ? 0 : point; k < nsig; k++) {
        char dig = decimal_digit(d, lead + (size_t)k);
        if (k == point && dig >= '5')
            round_up = 1;
        if (dig != '0')
            frac_nonzero = 1;
    }
    if (point < 0)
        round_up = 0; /* the first dropped digit is a leading zero */
    if (frac_nonzero && !round_frac)
        return TS_NUM_FRACTION;
    if (round_up)
        v++;
    if (v > (uint64_t)INT64_MAX)
        return TS_NUM_RANGE;
    *out = (int64_t)v;
    return TS_NUM_OK;
}

/* Parses a plain decimal number exactly: the value times 10^scale is
 * rounded (halves up) when round is non-zero, else must be whole. No
 * floating point is involved, so every int64 is reachable, whatever the
 * notation. */
static enum ts_num parse_decimal(const char *s, size_t len, int scale, int round_frac, int64_t *out)
{
    struct decimal d;
    enum ts_num r = decimal_scan(s, len, &d);

    return r != TS_NUM_OK ? r : decimal_value(&d, scale, round_frac, out);
}

/* A token count is written as plain digits, with a fraction where the
 * format allows one: "1000", "12.5". Anything a reader could take two ways
 * is refused, and says why: a sign ("+100"; "-5" is negative), blanks
 * inside the value (" 100"), an exponent ("1e3"), a point without digits
 * on both sides (".5", "5."). */
enum ts_num ts_parse_count(const char *s, size_t len, int round_frac, int64_t *out)
{
    struct decimal d;
    enum ts_num r = decimal_scan(s, len, &d);
    int64_t v;

    if (r != TS_NUM_OK)
        return r;
    if (d.point && (d.nint == 0 || d.nfrac == 0))
        return TS_NUM_SYNTAX;
    r = decimal_value(&d, 0, round_frac, &v);
    if (d.negative && r == TS_NUM_NEGATIVE)
        return r;
    if (d.sign)
        return TS_NUM_SIGN;
    if (d.exponent)
        return TS_NUM_EXPONENT;
    if (d.blanks)
        return TS_NUM_BLANKS;
    if (r == TS_NUM_OK)
        *out = v;
    return r;
}

const char *ts_num_reason(enum ts_num r)
{
    switch (r) {
    case TS_NUM_OK:
        return "is a token count";
    case TS_NUM_EMPTY:
        return "is empty (expected a token count)";
    case TS_NUM_SYNTAX:
        return "is not a token count";
    case TS_NUM_NEGATIVE:
        return "is negative (expected a token count >= 0)";
    case TS_NUM_FRACTION:
        return "is not a whole number of tokens";
    case TS_NUM_RANGE:
        return "is too large (expected a token count below 2^63)";
    case TS_NUM_NONFINITE:
        return "is not a finite number";
    case TS_NUM_SIGN:
        return "has a sign (expected plain digits, like 1000)";
    case TS_NUM_EXPONENT:
        return "has an exponent (expected plain digits, like 1000)";
    case TS_NUM_BLANKS:
        return "has blanks around its digits (expected plain digits, like 1000)";
    }
    return "is not a token count";
}

#define PRICE_DECIMALS 12

enum ts_num ts_price_from_double(double d, int64_t *out)
{
    if (!isfinite(d))
        return TS_NUM_NONFINITE;
    if (d < 0)
        return TS_NUM_NEGATIVE;
    double scaled = d * 1e12;
    if (scaled >= 9223372036854775808.0)
        return TS_NUM_RANGE;
    *out = (int64_t)llround(scaled);
    return TS_NUM_OK;
}

enum ts_num ts_parse_price(const char *s, size_t len, int64_t *out)
{
    return parse_decimal(s, len, PRICE_DECIMALS, 1, out);
}

size_t ts_utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    size_t n;
    uint32_t cp, min;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        cp = c & 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        cp = c & 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n >= avail)
        return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n + 1;
}

/* A C1 control character (U+0080..U+009F), k bytes long. */
static int is_c1(const unsigned char *p, size_t k)
{
    return k == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

/* How many bytes at p (avail left) are one thing to show escaped: a
 * control character (C0, DEL, C1; a backslash too when backslash is set)
 * or a byte that is not UTF-8; 0 when the character there is shown as is.
 * *k gets the length of the character (0 for a stray byte). */
static size_t escaped_len(const unsigned char *p, size_t avail, int backslash, size_t *k)
{
    *k = ts_utf8_seq(p, avail);
    if (*k == 0)
        return 1;
    if (*k == 1 ? p[0] < 0x20 || p[0] == 0x7f || (backslash && p[0] == '\\') : is_c1(p, *k))
        return *k;
    return 0;
}

void ts_quote_for_msg(struct ts_buf *b, const char *s, size_t len, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = len > max ? max : len;

    buf_add(b, "", 0); /* the result is a string even when s is empty */
    for (size_t i = 0; i < n;) {
        size_t k, bad = escaped_len(p + i, len - i, 1, &k);
        if (k > 1 && i + k > n)
            break; /* a character the cut would split is left out whole */
        if (bad) {
            for (size_t j = 0; j < bad; j++)
                buf_printf(b, "\\x%02x", p[i + j]);
            i += bad;
        } else {
            buf_add(b, s + i, k);
            i += k;
        }
    }
    if (len > max)
        buf_adds(b, "...");
}

void ts_text_escape(struct ts_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    buf_add(b, "", 0);
    for (size_t i = 0; i < len;) {
        size_t k, bad = escaped_len(p + i, len - i, 0, &k);
        if (bad) {
            for (size_t j = 0; j < bad; j++)
                buf_printf(b, "\\x%02x", p[i + j]);
            i += bad;
        } else {
            buf_add(b, s + i, k);
            i += k;
        }
    }
}

int ts_text_plain(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t k;
        if (escaped_len(p + i, len - i, 0, &k))
            return 0;
        i += k;
    }
    return 1;
}

int ts_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t k = ts_utf8_seq(p + i, len - i);
        if (k == 0)
            return 0;
        if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
            return 0;
        if (is_c1(p + i, k))
            return 0;
        i += k;
    }
    return 1;
}

int ts_has_control(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f || (i + 1 < len && is_c1(p + i, 2)))
            return 1;
    }
    return 0;
}

const char *ts_plural(long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static uint64_t map_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The slot of key: where it is, or the empty slot where it would go. */
static size_t map_slot(const struct ts_map *m, const char *key)
{
    size_t i = (size_t)map_hash(key) & (m->cap - 1);

    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int ts_map_get(const struct ts_map *m, const char *key, int64_t *val)
{
    if (m->len == 0)
        return 0;
    size_t i = map_slot(m, key);
    if (!m->keys[i])
        return 0;
    *val = m->vals[i];
    return 1;
}

void ts_map_put(struct ts_map *m, const char *key, int64_t val)
{
    if ((m->len + 1) * 2 > m->cap) { /* keep it at most half full */
        struct ts_map bigger = {NULL, NULL, m->cap ? m->cap * 2 : 64, 0};
        bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
        bigger.vals = xcalloc(bigger.cap, sizeof(*bigger.vals));
        for (size_t i = 0; i < m->cap; i++) {
            if (m->keys[i]) {
                size_t j = map_slot(&bigger, m->keys[i]);
                bigger.keys[j] = m->keys[i];
                bigger.vals[j] = m->vals[i];
                bigger.len++;
            }
        }
        free(m->keys);
        free(m->vals);
        *m = bigger;
    }
    size_t i = map_slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->len++;
    }
    m->vals[i] = val;
}

void ts_map_clear(struct ts_map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->keys[i]);
        m->keys[i] = NULL;
    }
    m->len = 0;
}

void ts_map_release(struct ts_map *m)
{
    ts_map_clear(m);
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = 0;
}

void ts_trim(const char **s, size_t *len)
{
    while (*len > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

int ts_strptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
