/* util.c - memory, buffers, exact number parsing, message quoting. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t n)
{
    fprintf(stderr, "tokstat: out of memory (allocating %zu bytes)\n", n);
    abort();
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

enum ts_num ts_parse_count(const char *s, size_t len, int round_frac, int64_t *out)
{
    size_t i = 0, end = len;

    while (i < end && is_blank(s[i]))
        i++;
    while (end > i && is_blank(s[end - 1]))
        end--;
    if (i == end)
        return TS_NUM_EMPTY;

    int negative = 0;
    if (s[i] == '+' || s[i] == '-') {
        negative = s[i] == '-';
        i++;
    }
    size_t digits_start = i;
    uint64_t v = 0;
    int overflow = 0;
    while (i < end && isdigit((unsigned char)s[i])) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = 1;
        else
            v = v * 10 + d;
        i++;
    }
    size_t int_digits = i - digits_start;

    if (i == end) {
        if (int_digits == 0)
            return TS_NUM_SYNTAX;
        if (negative && (v != 0 || overflow))
            return TS_NUM_NEGATIVE;
        if (overflow || v > (uint64_t)INT64_MAX)
            return TS_NUM_RANGE;
        *out = (int64_t)v;
        return TS_NUM_OK;
    }

    /* A fraction or an exponent: validate the whole syntax first. */
    size_t j = i;
    size_t frac_digits = 0;
    if (j < end && s[j] == '.') {
        j++;
        while (j < end && isdigit((unsigned char)s[j])) {
            j++;
            frac_digits++;
        }
    }
    if (int_digits + frac_digits == 0)
        return TS_NUM_SYNTAX;
    int has_exp = 0;
    if (j < end && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < end && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k == end || !isdigit((unsigned char)s[k]))
            return TS_NUM_SYNTAX;
        while (k < end && isdigit((unsigned char)s[k]))
            k++;
        j = k;
        has_exp = 1;
    }
    if (j != end)
        return TS_NUM_SYNTAX;

    if (!has_exp) {
        /* d+.d*: exact. Check the fraction is all zeros when not rounding. */
        int frac_nonzero = 0, round_up = 0;
        for (size_t k = i + 1; k < end; k++) {
            if (s[k] != '0')
                frac_nonzero = 1;
        }
        if (frac_digits > 0 && s[i + 1] >= '5')
            round_up = 1;
        if (negative && (v != 0 || overflow || frac_nonzero))
            return TS_NUM_NEGATIVE;
        if (frac_nonzero && !round_frac)
            return TS_NUM_FRACTION;
        if (round_frac && round_up && !overflow)
            v++;
        if (overflow || v > (uint64_t)INT64_MAX)
            return TS_NUM_RANGE;
        *out = (int64_t)v;
        return TS_NUM_OK;
    }

    /* With an exponent: go through strtod on a bounded copy. */
    char tmp[128];
    size_t n = end - digits_start;
    if (n >= sizeof(tmp))
        return TS_NUM_SYNTAX;
    memcpy(tmp, s + digits_start, n);
    tmp[n] = '\0';
    errno = 0;
    double d = strtod(tmp, NULL);
    if (negative && d != 0)
        return TS_NUM_NEGATIVE;
    if (!round_frac && d != floor(d))
        return TS_NUM_FRACTION;
    return count_from_double(d, out);
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
    size_t i = 0, end = len;

    while (i < end && is_blank(s[i]))
        i++;
    while (end > i && is_blank(s[end - 1]))
        end--;
    if (i == end)
        return TS_NUM_EMPTY;
    int negative = 0;
    if (s[i] == '+' || s[i] == '-') {
        negative = s[i] == '-';
        i++;
    }

    /* Scan mantissa digits into an integer scaled by 10^PRICE_DECIMALS. */
    uint64_t v = 0;
    int digits = 0, frac = 0, seen_dot = 0, overflow = 0, round_up = 0, cut = 0;
    size_t j = i;
    for (; j < end; j++) {
        char c = s[j];
        if (c == '.' && !seen_dot) {
            seen_dot = 1;
            continue;
        }
        if (!isdigit((unsigned char)c))
            break;
        digits++;
        if (seen_dot) {
            if (frac == PRICE_DECIMALS) {
                if (!cut)
                    round_up = c >= '5';
                cut = 1;
                continue;
            }
            frac++;
        }
        if (v > (UINT64_MAX - 9) / 10)
            overflow = 1;
        else
            v = v * 10 + (uint64_t)(c - '0');
    }
    if (digits == 0)
        return TS_NUM_SYNTAX;
    if (j < end) {
        /* An exponent ("3e-07") or junk: let strtod decide, rounding. */
        if (s[j] != 'e' && s[j] != 'E')
            return TS_NUM_SYNTAX;
        char tmp[128];
        size_t n = end - i;
        if (n >= sizeof(tmp))
            return TS_NUM_SYNTAX;
        memcpy(tmp, s + i, n);
        tmp[n] = '\0';
        char *e;
        double d = strtod(tmp, &e);
        if (*e != '\0')
            return TS_NUM_SYNTAX;
        if (negative && d != 0)
            return TS_NUM_NEGATIVE;
        return ts_price_from_double(d, out);
    }
    if (overflow)
        return TS_NUM_RANGE;
    for (; frac < PRICE_DECIMALS; frac++) {
        if (v > UINT64_MAX / 10)
            return TS_NUM_RANGE;
        v *= 10;
    }
    if (round_up)
        v++;
    if (negative && v != 0)
        return TS_NUM_NEGATIVE;
    if (v > (uint64_t)INT64_MAX)
        return TS_NUM_RANGE;
    *out = (int64_t)v;
    return TS_NUM_OK;
}

/* The length of the valid UTF-8 sequence at p (1 for ASCII), or 0 when the
 * bytes there are not one (bad lead byte, overlong, surrogate, cut short). */
static size_t utf8_seq(const unsigned char *p, size_t avail)
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

void ts_quote_for_msg(struct ts_buf *b, const char *s, size_t len, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = len > max ? max : len;

    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(p + i, len - i);
        if (k == 0 || p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\') {
            buf_printf(b, "\\x%02x", p[i]);
            i++;
        } else {
            buf_add(b, s + i, k);
            i += k;
        }
    }
    if (len > max)
        buf_adds(b, "...");
}

int ts_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq(p + i, len - i);
        if (k == 0)
            return 0;
        if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
            return 0;
        if (k == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) /* C1 controls */
            return 0;
        i += k;
    }
    return 1;
}

int ts_has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return 1;
    }
    return 0;
}

const char *ts_plural(long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}
