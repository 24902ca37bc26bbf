/* test_util.c - buffers, exact number parsing, message quoting, UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define SENTINEL ((int64_t)-777)

/* Parses s (a C string) as a count; *out is SENTINEL when untouched. */
static enum ts_num count(const char *s, int round, int64_t *out)
{
    *out = SENTINEL;
    return ts_parse_count(s, strlen(s), round, out);
}

static void assert_count_ok(const char *s, int round, int64_t want)
{
    int64_t v;
    enum ts_num r = count(s, round, &v);

    if (r != TS_NUM_OK || v != want)
        fail_msg("'%s' (round=%d): got %d / %lld, expected OK / %lld", s, round, (int)r,
                 (long long)v, (long long)want);
}

static void assert_count_bad(const char *s, int round, enum ts_num want)
{
    int64_t v;
    enum ts_num r = count(s, round, &v);

    if (r != want)
        fail_msg("'%s' (round=%d): got %d, expected %d", s, round, (int)r, (int)want);
    assert_int_equal(v, SENTINEL);
}

static void test_count_integers(void **state)
{
    (void)state;
    for (int round = 0; round <= 1; round++) {
        assert_count_ok("0", round, 0);
        assert_count_ok("7", round, 7);
        assert_count_ok("595090081549", round, 595090081549LL);
        assert_count_ok("9223372036854775807", round, INT64_MAX);
        assert_count_ok("09223372036854775807", round, INT64_MAX);
        assert_count_ok("000", round, 0);
        /* Anything a reader could take two ways is refused, saying why. */
        assert_count_bad("-0", round, TS_NUM_SIGN);
        assert_count_bad("+7", round, TS_NUM_SIGN);
        assert_count_bad("+100", round, TS_NUM_SIGN);
        assert_count_bad(" 42 ", round, TS_NUM_BLANKS);
        assert_count_bad(" 100", round, TS_NUM_BLANKS);
        assert_count_bad("100 ", round, TS_NUM_BLANKS);
        assert_count_bad("\t42\t", round, TS_NUM_BLANKS);
        assert_count_bad("9223372036854775808", round, TS_NUM_RANGE);
        assert_count_bad("18446744073709551615", round, TS_NUM_RANGE);
        assert_count_bad("18446744073709551616", round, TS_NUM_RANGE);
        assert_count_bad("99999999999999999999999", round, TS_NUM_RANGE);
        assert_count_bad("-1", round, TS_NUM_NEGATIVE);
        assert_count_bad("-9223372036854775808", round, TS_NUM_NEGATIVE);
        assert_count_bad("-99999999999999999999999", round, TS_NUM_NEGATIVE);
    }
}

static void test_count_syntax(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "12a", "a12",   "1 2",   "nan",  "NaN", "inf", "-inf", "Infinity", "+",
        "-",   "1,000", "0x10",  "1e",   "1e+", "e5",  ".",    "1..2",     "1.2.3",
        "--1", "+-1",   "1_000", "1e3x", "٣",   ".5",  "5.",   "-.5",      "100 junk"};
    for (int round = 0; round <= 1; round++) {
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
            assert_count_bad(bad[i], round, TS_NUM_SYNTAX);
        assert_count_bad("", round, TS_NUM_EMPTY);
        assert_count_bad("  ", round, TS_NUM_EMPTY);
        assert_count_bad("\t \t", round, TS_NUM_EMPTY);
    }
}

static void test_count_fractions(void **state)
{
    (void)state;
    assert_count_bad("1.5", 0, TS_NUM_FRACTION);
    assert_count_ok("1.5", 1, 2);
    assert_count_ok("2.5", 1, 3);
    assert_count_ok("0.5", 1, 1);
    assert_count_ok("0.49", 1, 0);
    assert_count_ok("0.4999999999", 1, 0);
    assert_count_ok("1.49", 1, 1);
    assert_count_ok("528063673766.6666", 1, 528063673767LL);
    assert_count_ok("1.0", 0, 1);
    assert_count_ok("1.000", 0, 1);
    assert_count_ok("1.0", 1, 1);
    assert_count_bad("-0.0", 0, TS_NUM_SIGN);
    assert_count_bad("0.49", 0, TS_NUM_FRACTION);
    assert_count_bad("1.01", 0, TS_NUM_FRACTION);
    assert_count_bad("-1.5", 1, TS_NUM_NEGATIVE);
    assert_count_ok("9223372036854775807.4", 1, INT64_MAX);
    assert_count_ok("9223372036854775807.0", 0, INT64_MAX);
    assert_count_bad("9223372036854775807.5", 1, TS_NUM_RANGE);
    assert_count_bad("9223372036854775808.0", 0, TS_NUM_RANGE);
    assert_count_bad("99999999999999999999999.9", 1, TS_NUM_RANGE);
    assert_count_bad(" 2.5 ", 1, TS_NUM_BLANKS);
}

/* A token count is never written with an exponent: "1e3" is refused,
 * whatever its value. */
static void test_count_exponents(void **state)
{
    (void)state;
    static const char *const bad[] = {"1e3",     "1E3",    "1e+3",  "1.5e1",
                                      "1.44e12", "1e-1",   "25e-1", "0e0",
                                      "1e19",    "9.3e18", "1e400", "9007199254740993e0"};
    for (int round = 0; round <= 1; round++) {
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
            assert_count_bad(bad[i], round, TS_NUM_EXPONENT);
    }
    assert_count_bad("-1e3", 0, TS_NUM_NEGATIVE);
    assert_count_bad("-0e3", 0, TS_NUM_SIGN);
    /* A price may have one (catalogues write 3e-07). */
    int64_t v = SENTINEL;
    assert_int_equal(ts_parse_price("1e400", 5, &v), TS_NUM_RANGE);
}

static void test_count_len_bounds(void **state)
{
    (void)state;
    int64_t v = SENTINEL;

    /* Only len bytes are read: "12" of "123", "4" of "4x". */
    assert_int_equal(ts_parse_count("123", 2, 0, &v), TS_NUM_OK);
    assert_int_equal(v, 12);
    assert_int_equal(ts_parse_count("4x", 1, 0, &v), TS_NUM_OK);
    assert_int_equal(v, 4);
    assert_int_equal(ts_parse_count("1.5", 1, 0, &v), TS_NUM_OK);
    assert_int_equal(v, 1);
    v = SENTINEL;
    assert_int_equal(ts_parse_count("5", 0, 0, &v), TS_NUM_EMPTY);
    assert_int_equal(v, SENTINEL);
}

static void assert_double_ok(double d, int64_t want)
{
    int64_t v = SENTINEL;
    enum ts_num r = ts_count_from_double(d, &v);

    if (r != TS_NUM_OK || v != want)
        fail_msg("%.17g: got %d / %lld, expected OK / %lld", d, (int)r, (long long)v,
                 (long long)want);
}

static void assert_double_bad(double d, enum ts_num want)
{
    int64_t v = SENTINEL;

    assert_int_equal(ts_count_from_double(d, &v), want);
    assert_int_equal(v, SENTINEL);
}

static void test_count_from_double(void **state)
{
    (void)state;
    assert_double_ok(528063673766.6666, 528063673767LL);
    assert_double_ok(1138769738366.667, 1138769738367LL);
    assert_double_ok(0.0, 0);
    assert_double_ok(-0.0, 0);
    assert_double_ok(0.5, 1);
    assert_double_ok(0.49, 0);
    assert_double_ok(2.5, 3);
    assert_double_ok(1e15, 1000000000000000LL);
    assert_double_ok(9223372036854774784.0, 9223372036854774784LL);
    assert_double_bad(-0.1, TS_NUM_NEGATIVE);
    assert_double_bad(-1.0, TS_NUM_NEGATIVE);
    assert_double_bad(9.3e18, TS_NUM_RANGE);
    assert_double_bad(9223372036854775808.0, TS_NUM_RANGE);
    assert_double_bad(1e300, TS_NUM_RANGE);
    assert_double_bad(NAN, TS_NUM_NONFINITE);
    assert_double_bad(INFINITY, TS_NUM_NONFINITE);
    assert_double_bad(-INFINITY, TS_NUM_NONFINITE);
}

static void assert_price_ok(const char *s, int64_t want)
{
    int64_t v = SENTINEL;
    enum ts_num r = ts_parse_price(s, strlen(s), &v);

    if (r != TS_NUM_OK || v != want)
        fail_msg("price '%s': got %d / %lld, expected OK / %lld", s, (int)r, (long long)v,
                 (long long)want);
}

static void assert_price_bad(const char *s, enum ts_num want)
{
    int64_t v = SENTINEL;
    enum ts_num r = ts_parse_price(s, strlen(s), &v);

    if (r != want)
        fail_msg("price '%s': got %d, expected %d", s, (int)r, (int)want);
    assert_int_equal(v, SENTINEL);
}

static void test_parse_price(void **state)
{
    (void)state;
    assert_price_ok("0.000002", 2000000);
    assert_price_ok("0.000008", 8000000);
    assert_price_ok("3e-07", 300000);
    assert_price_ok("1.2e-06", 1200000);
    assert_price_ok("0.000000045", 45000);
    assert_price_ok("0", 0);
    assert_price_ok("0.0", 0);
    assert_price_ok("-0", 0);
    assert_price_ok("1", 1000000000000LL);
    assert_price_ok(" 0.000002 ", 2000000);
    /* Twelve decimals are exact; the thirteenth rounds. Z12 is twelve zeros. */
#define Z11 "00000000000"
#define Z12 "000000000000"
    assert_price_ok("0." Z11 "1", 1);
    assert_price_ok("0.0000000000005", 1); /* 5e-13 USD: half a pico-dollar */
    assert_price_ok("0." Z12 "5", 1);
    assert_price_ok("0." Z12 "4", 0);
    assert_price_ok("0." Z12 "49", 0);
    assert_price_ok("0." Z12 "51", 1);
    assert_price_ok("0." Z11 "15", 2);
    assert_price_ok("0." Z11 "24999", 2);
    assert_price_ok("0." Z11 "19999999", 2);
    assert_price_ok("1234567.000000000001", 1234567000000000001LL);
    assert_price_ok(".5", 500000000000LL);
    assert_price_bad("-1", TS_NUM_NEGATIVE);
    assert_price_bad("-0.000002", TS_NUM_NEGATIVE);
    assert_price_bad("-3e-07", TS_NUM_NEGATIVE);
    assert_price_bad("abc", TS_NUM_SYNTAX);
    assert_price_bad("1.2.3", TS_NUM_SYNTAX);
    assert_price_bad("1e", TS_NUM_SYNTAX);
    assert_price_bad(".", TS_NUM_SYNTAX);
    assert_price_bad("$1", TS_NUM_SYNTAX);
    assert_price_bad("0.5x", TS_NUM_SYNTAX);
    assert_price_bad("", TS_NUM_EMPTY);
    assert_price_bad("   ", TS_NUM_EMPTY);
    assert_price_bad("10000000", TS_NUM_RANGE);
    assert_price_bad("99999999999999999999999", TS_NUM_RANGE);
    assert_price_bad("1e10", TS_NUM_RANGE);
}

static void test_price_from_double(void **state)
{
    (void)state;
    int64_t v = SENTINEL;

    assert_int_equal(ts_price_from_double(3e-07, &v), TS_NUM_OK);
    assert_int_equal(v, 300000);
    assert_int_equal(ts_price_from_double(1.2e-06, &v), TS_NUM_OK);
    assert_int_equal(v, 1200000);
    assert_int_equal(ts_price_from_double(0.0, &v), TS_NUM_OK);
    assert_int_equal(v, 0);
    v = SENTINEL;
    assert_int_equal(ts_price_from_double(-1.0, &v), TS_NUM_NEGATIVE);
    assert_int_equal(ts_price_from_double(NAN, &v), TS_NUM_NONFINITE);
    assert_int_equal(ts_price_from_double(INFINITY, &v), TS_NUM_NONFINITE);
    assert_int_equal(ts_price_from_double(1e10, &v), TS_NUM_RANGE);
    assert_int_equal(v, SENTINEL);
}

static void test_num_reason(void **state)
{
    (void)state;
    assert_string_equal(ts_num_reason(TS_NUM_OK), "is a token count");
    assert_string_equal(ts_num_reason(TS_NUM_EMPTY), "is empty (expected a token count)");
    assert_string_equal(ts_num_reason(TS_NUM_SYNTAX), "is not a token count");
    assert_string_equal(ts_num_reason(TS_NUM_NEGATIVE),
                        "is negative (expected a token count >= 0)");
    assert_string_equal(ts_num_reason(TS_NUM_FRACTION), "is not a whole number of tokens");
    assert_string_equal(ts_num_reason(TS_NUM_RANGE),
                        "is too large (expected a token count below 2^63)");
    assert_string_equal(ts_num_reason(TS_NUM_NONFINITE), "is not a finite number");
    assert_string_equal(ts_num_reason((enum ts_num)99), "is not a token count");
}

/* Quotes s (a C string) with ts_quote_for_msg into a fresh buffer. */
static char *quote(const char *s, size_t len, size_t max)
{
    struct ts_buf b = TS_BUF_INIT;

    ts_quote_for_msg(&b, s, len, max);
    buf_addc(&b, '\0'); /* so data is never NULL */
    return b.data;
}

static void assert_quote(const char *s, size_t len, size_t max, const char *want)
{
    char *got = quote(s, len, max);
    char copy[512];

    snprintf(copy, sizeof(copy), "%s", got);
    free(got); /* before asserting, so a failure leaks nothing */
    assert_string_equal(copy, want);
}

static void test_quote_for_msg(void **state)
{
    (void)state;
    assert_quote("abc", 3, 60, "abc");
    assert_quote("", 0, 60, "");
    assert_quote("a\tb\nc\rd", 7, 60, "a\\x09b\\x0ac\\x0dd");
    assert_quote("a\x7f", 2, 60, "a\\x7f");
    assert_quote("a\x1b[31m", 6, 60, "a\\x1b[31m");
    assert_quote("back\\slash", 10, 60, "back\\x5cslash");
    assert_quote("a\0b", 3, 60, "a\\x00b");
    assert_quote("caf\xc3\xa9", 5, 60, "caf\xc3\xa9");
    assert_quote("abcdef", 6, 6, "abcdef");
    assert_quote("abcdefg", 7, 6, "abcdef...");
    assert_quote("abcdefg", 7, 0, "...");
    assert_quote("\x01\x02\x03\x04", 4, 2, "\\x01\\x02...");
    /* Appends to what is there. */
    struct ts_buf b = TS_BUF_INIT;
    buf_adds(&b, "x='");
    ts_quote_for_msg(&b, "y\n", 2, 60);
    buf_adds(&b, "'");
    assert_string_equal(b.data, "x='y\\x0a'");
    buf_release(&b);
}

/* Bytes that are not UTF-8 are escaped; valid characters pass whole. */
static void test_quote_for_msg_non_utf8(void **state)
{
    (void)state;
    assert_quote("a\xff", 2, 60, "a\\xff");
    assert_quote("a\xc3(", 3, 60, "a\\xc3(");
    assert_quote("\xc0\xaf", 2, 60, "\\xc0\\xaf");          /* overlong */
    assert_quote("\xed\xa0\x80", 3, 60, "\\xed\\xa0\\x80"); /* surrogate */
    assert_quote("x\xe4\xb8", 3, 60, "x\\xe4\\xb8");        /* cut short */
    assert_quote("\xe4\xb8\xad\xf0\x9f\x98\x80", 7, 60, "\xe4\xb8\xad\xf0\x9f\x98\x80");
    char *got = quote("\xc3\xa9\xc3\xa9", 4, 3);
    assert_true(ts_utf8_valid(got, strlen(got)));
    free(got);
}

/* "cut to at most max bytes": a character that does not fit in max is left
 * out rather than shown whole past the limit. */
static void test_quote_for_msg_cut_inside_character(void **state)
{
    (void)state;
    assert_quote("\xc3\xa9\xc3\xa9", 4, 3, "\xc3\xa9...");
    assert_quote("ab\xf0\x9f\x98\x80", 6, 4, "ab...");
}

/* C1 controls (U+0080..U+009F) are control characters too: ts_utf8_valid
 * rejects them as such, so a message must not carry them raw. */
static void test_quote_for_msg_c1_controls(void **state)
{
    (void)state;
    assert_quote("a\xc2\x85"
                 "b",
                 4, 60, "a\\xc2\\x85b");
    assert_quote("\xc2\x9b"
                 "31m",
                 5, 60, "\\xc2\\x9b31m");
    assert_quote("\xc2\xa0", 2, 60, "\xc2\xa0"); /* U+00A0 is printable */
}

static void test_has_control(void **state)
{
    (void)state;
    assert_false(ts_has_control("", 0));
    assert_false(ts_has_control("a/b c", 5));
    assert_false(ts_has_control("caf\xc3\xa9\xff", 6));
    assert_true(ts_has_control("a\tb", 3));
    assert_true(ts_has_control("a\nb", 3));
    assert_true(ts_has_control("\x7f", 1));
    assert_true(ts_has_control("a\0b", 3));
    assert_true(ts_has_control("\x1f", 1));
    assert_false(ts_has_control("a\tb", 1)); /* only len bytes */
}

static void test_plural(void **state)
{
    (void)state;
    assert_string_equal(ts_plural(1, "row", "rows"), "row");
    assert_string_equal(ts_plural(0, "row", "rows"), "rows");
    assert_string_equal(ts_plural(2, "row", "rows"), "rows");
    assert_string_equal(ts_plural(-1, "row", "rows"), "rows");
    assert_string_equal(ts_plural(1000000000000LL, "row", "rows"), "rows");
}

static void assert_utf8(const char *s, size_t len, int want)
{
    if (ts_utf8_valid(s, len) != want) {
        char hex[256] = "";
        for (size_t i = 0; i < len && i < 60; i++)
            snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%02x ", (unsigned char)s[i]);
        fail_msg("ts_utf8_valid(%s) != %d", hex, want);
    }
}

#define U8(lit, want) assert_utf8(lit, sizeof(lit) - 1, want)

static void test_utf8_valid(void **state)
{
    (void)state;
    U8("", 1);
    U8("deepseek/deepseek-chat:free", 1);
    U8("~ !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}", 1);
    U8("caf\xc3\xa9", 1);              /* U+00E9, 2 bytes */
    U8("\xc2\xa0", 1);                 /* U+00A0, the first after the C1 range */
    U8("\xdf\xbf", 1);                 /* U+07FF */
    U8("\xe0\xa0\x80", 1);             /* U+0800 */
    U8("\xe4\xb8\xad\xe6\x96\x87", 1); /* 中文 */
    U8("\xef\xbf\xbd", 1);             /* U+FFFD */
    U8("\xed\x9f\xbf", 1);             /* U+D7FF */
    U8("\xee\x80\x80", 1);             /* U+E000 */
    U8("\xf0\x9f\x98\x80", 1);         /* U+1F600, 4 bytes */
    U8("\xf4\x8f\xbf\xbf", 1);         /* U+10FFFF */
    U8("\xc0\xaf", 0);                 /* overlong '/' */
    U8("\xc1\xbf", 0);                 /* overlong */
    U8("\xe0\x80\xaf", 0);             /* overlong, 3 bytes */
    U8("\xe0\x9f\xbf", 0);             /* overlong U+07FF */
    U8("\xf0\x80\x80\xaf", 0);         /* overlong, 4 bytes */
    U8("\xf0\x8f\xbf\xbf", 0);         /* overlong U+FFFF */
    U8("\xed\xa0\x80", 0);             /* U+D800 */
    U8("\xed\xbf\xbf", 0);             /* U+DFFF */
    U8("\xf4\x90\x80\x80", 0);         /* U+110000 */
    U8("\xf5\x80\x80\x80", 0);
    U8("\xf8\x88\x80\x80\x80", 0);
    U8("\xff", 0);
    U8("\xfe", 0);
    U8("a\xff"
       "b",
       0);
    U8("\x80", 0); /* a lone continuation byte */
    U8("a\xbf", 0);
    U8("\xc3", 0); /* truncated */
    U8("caf\xc3", 0);
    U8("\xe4\xb8", 0);
    U8("\xf0\x9f\x98", 0);
    U8("\xc3"
       "a",
       0); /* continuation missing */
    U8("\xe4"
       "ab",
       0);
    U8("\xc2\x80", 0); /* U+0080, a C1 control */
    U8("\xc2\x9f", 0); /* U+009F */
    U8("a\tb", 0);
    U8("a\nb", 0);
    U8("a\rb", 0);
    U8("\x1f", 0);
    U8("\x7f", 0);
    U8("a\0b", 0);
    /* len counts: the valid prefix of a truncated sequence is valid. */
    assert_int_equal(ts_utf8_valid("ab\xc3\xa9", 2), 1);
    assert_int_equal(ts_utf8_valid("ab\xc3\xa9", 3), 0);
}

static void test_buf_add(void **state)
{
    (void)state;
    struct ts_buf b = TS_BUF_INIT;

    assert_null(b.data);
    buf_reset(&b); /* safe on an empty buffer */
    assert_null(b.data);
    buf_add(&b, "", 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    buf_adds(&b, "ab");
    buf_addc(&b, 'c');
    buf_add(&b, "defgh", 2);
    assert_string_equal(b.data, "abcde");
    assert_int_equal(b.len, 5);
    assert_true(b.cap > b.len);

    /* Growth keeps content and the terminating NUL. */
    char expect[10001];
    for (int i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        buf_addc(&b, c);
        assert_int_equal(b.data[b.len], '\0');
        assert_true(b.cap > b.len);
    }
    memcpy(expect, "abcde", 5);
    for (int i = 0; i < 10000 - 5; i++)
        expect[5 + i] = (char)('a' + i % 26);
    assert_int_equal(b.len, 10005);
    assert_memory_equal(b.data, expect, 5);
    for (size_t i = 5; i < b.len; i++)
        assert_int_equal(b.data[i], 'a' + (int)((i - 5) % 26));

    /* Reset keeps the memory, release frees it. */
    size_t cap = b.cap;
    char *data = b.data;
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);
    assert_ptr_equal(b.data, data);
    assert_string_equal(b.data, "");
    buf_add(&b, "a\0b", 3); /* binary data */
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 4);
    buf_release(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    buf_release(&b); /* twice is safe */

    /* One big add. */
    char *big = xmalloc(100000);
    memset(big, 'x', 100000);
    buf_add(&b, big, 100000);
    assert_int_equal(b.len, 100000);
    assert_int_equal(b.data[99999], 'x');
    assert_int_equal(b.data[100000], '\0');
    free(big);
    buf_release(&b);
}

static void test_buf_printf(void **state)
{
    (void)state;
    struct ts_buf b = TS_BUF_INIT;

    buf_printf(&b, "%d-%s", 42, "x");
    assert_string_equal(b.data, "42-x");
    assert_int_equal(b.len, 4);
    buf_printf(&b, " %lld", (long long)INT64_MAX);
    assert_string_equal(b.data, "42-x 9223372036854775807");
    buf_printf(&b, "%s", "");
    assert_string_equal(b.data, "42-x 9223372036854775807");
    assert_int_equal(b.len, 24);

    /* Longer than the first allocation, twice. */
    char long_s[301];
    memset(long_s, 'y', 300);
    long_s[300] = '\0';
    buf_reset(&b);
    buf_printf(&b, "[%s]", long_s);
    buf_printf(&b, "[%s]", long_s);
    assert_int_equal(b.len, 604);
    assert_int_equal(strlen(b.data), 604);
    assert_int_equal(b.data[0], '[');
    assert_int_equal(b.data[301], ']');
    assert_int_equal(b.data[302], '[');
    assert_int_equal(b.data[603], ']');
    buf_release(&b);
}

static void test_xalloc(void **state)
{
    (void)state;
    char *s = xstrdup("hello");
    assert_string_equal(s, "hello");
    free(s);
    s = xstrndup("hello", 3);
    assert_string_equal(s, "hel");
    free(s);
    s = xstrndup("", 0);
    assert_string_equal(s, "");
    free(s);
    int *z = xcalloc(4, sizeof(int));
    assert_int_equal(z[0] | z[1] | z[2] | z[3], 0);
    z = xrealloc(z, 100 * sizeof(int));
    assert_int_equal(z[3], 0);
    free(z);
    void *p = xmalloc(0); /* never NULL */
    assert_non_null(p);
    free(p);
}

/* The string map: get after put, overwrite, growth past many keys, clear. */
static void test_map(void **state)
{
    struct ts_map m = TS_MAP_INIT;
    int64_t v = -1;
    char key[32];
    (void)state;

    assert_int_equal(ts_map_get(&m, "a", &v), 0);
    ts_map_put(&m, "a", 1);
    ts_map_put(&m, "b", 2);
    ts_map_put(&m, "a", 3);
    assert_int_equal(ts_map_get(&m, "a", &v), 1);
    assert_int_equal(v, 3);
    assert_int_equal(m.len, 2);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "vendor/model-%d", i);
        ts_map_put(&m, key, i);
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "vendor/model-%d", i);
        assert_int_equal(ts_map_get(&m, key, &v), 1);
        assert_int_equal(v, i);
    }
    assert_int_equal(ts_map_get(&m, "vendor/model-5000", &v), 0);
    assert_int_equal(m.len, 5002);
    ts_map_clear(&m);
    assert_int_equal(ts_map_get(&m, "a", &v), 0);
    ts_map_put(&m, "a", 9);
    assert_int_equal(ts_map_get(&m, "a", &v), 1);
    assert_int_equal(v, 9);
    ts_map_release(&m);
    ts_map_release(&m); /* safe twice */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_count_integers),
        cmocka_unit_test(test_count_syntax),
        cmocka_unit_test(test_count_fractions),
        cmocka_unit_test(test_count_exponents),
        cmocka_unit_test(test_count_len_bounds),
        cmocka_unit_test(test_count_from_double),
        cmocka_unit_test(test_parse_price),
        cmocka_unit_test(test_price_from_double),
        cmocka_unit_test(test_num_reason),
        cmocka_unit_test(test_quote_for_msg),
        cmocka_unit_test(test_quote_for_msg_non_utf8),
        cmocka_unit_test(test_quote_for_msg_cut_inside_character),
        cmocka_unit_test(test_quote_for_msg_c1_controls),
        cmocka_unit_test(test_has_control),
        cmocka_unit_test(test_plural),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_buf_add),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_xalloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
