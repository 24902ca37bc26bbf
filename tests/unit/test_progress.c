/* test_progress.c - the progress line's layout, when the meter draws and
 * clears, its settings from the environment, and the input's read hook. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/input.h"
#include "render/progress.h"
#include "support.h"

#define KIB 1024ULL
#define MIB (1024ULL * 1024)

/* The line for these arguments, in a static buffer. */
static const char *fmt(const char *label, unsigned long long done, long long total, int width,
                       long long ms)
{
    static char buf[PROGRESS_LINE_MAX];
    size_t n = progress_format(buf, sizeof(buf), label, done, total, width, ms);

    assert_int_equal(n, strlen(buf));
    return buf;
}

/* Terminal columns of UTF-8 text: one per character. */
static size_t cols(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void test_known_total(void **state)
{
    (void)state;
    assert_string_equal(fmt("w07.csv", 512 * KIB, (long long)MIB, 60, 3000),
                        "w07.csv [=========>         ]  50% 512 KiB of 1.00 MiB 0:03");
    /* Nothing yet: the head of the bar at the start. */
    assert_string_equal(fmt("a.json", 0, 100, 50, 0),
                        "a.json [>                ]   0% 0 B of 100 B 0:00");
    /* 100 % only when everything is read; a full bar then. */
    assert_string_equal(fmt(NULL, 998, 999, 40, 0), "[===========>]  99% 998 B of 999 B 0:00");
    assert_string_equal(fmt(NULL, 999, 999, 40, 0), "[============] 100% 999 B of 999 B 0:00");
    /* A file that grew, and an empty one, are done. */
    assert_string_equal(fmt(NULL, 2000, 999, 40, 0), "100% 1.95 KiB of 999 B 0:00");
    assert_string_equal(fmt("e", 0, 0, 40, 0), "e [==============] 100% 0 B of 0 B 0:00");
}

static void test_unknown_total(void **state)
{
    (void)state;
    assert_string_equal(fmt("<stdin>", 1536, -1, 80, 65000), "<stdin> 1.50 KiB read 1:05");
    assert_string_equal(fmt(NULL, 0, -1, 80, 0), "0 B read 0:00");
    assert_string_equal(fmt("", 0, -1, 80, 0), "0 B read 0:00");
}

static void test_units_and_time(void **state)
{
    (void)state;
    assert_string_equal(fmt(NULL, 999, -1, 80, 0), "999 B read 0:00");
    assert_string_equal(fmt(NULL, 1000, -1, 80, 0), "0.98 KiB read 0:00");
    assert_string_equal(fmt(NULL, 102297, -1, 80, 0), "99.9 KiB read 0:00");
    assert_string_equal(fmt(NULL, 100 * KIB, -1, 80, 0), "100 KiB read 0:00");
    assert_string_equal(fmt(NULL, 10 * MIB, -1, 80, 0), "10.0 MiB read 0:00");
    assert_string_equal(fmt(NULL, 1023 * MIB, -1, 80, 0), "1.00 GiB read 0:00");
    assert_string_equal(fmt(NULL, 5 * MIB * MIB, -1, 80, 0), "5.00 TiB read 0:00");
    assert_string_equal(fmt(NULL, ULLONG_MAX, -1, 80, 0), "16.0 EiB read 0:00");
    assert_string_equal(fmt(NULL, 0, -1, 80, 999), "0 B read 0:00");
    assert_string_equal(fmt(NULL, 0, -1, 80, 3599999), "0 B read 59:59");
    assert_string_equal(fmt(NULL, 0, -1, 80, 3600000), "0 B read 1:00:00");
    assert_string_equal(fmt(NULL, 0, -1, 80, 100LL * 3600000 + 61000), "0 B read 100:01:01");
    assert_string_equal(fmt(NULL, 0, -1, 80, -5), "0 B read 0:00");
}

/* A narrow terminal loses the bar first, then the label, then the end of
 * the numbers; the line never takes the last column. */
static void test_narrow(void **state)
{
    (void)state;
    const long long t = (long long)MIB;

    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 51, 3000),
                        "w07.csv [=====>    ]  50% 512 KiB of 1.00 MiB 0:03");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 50, 3000),
                        "w07.csv  50% 512 KiB of 1.00 MiB 0:03");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 38, 3000),
                        "w07.csv  50% 512 KiB of 1.00 MiB 0:03");
    /* Too narrow for the whole label: its end, after "...". */
    assert_string_equal(fmt("dumps/w07.csv", 512 * KIB, t, 40, 3000),
                        "...07.csv  50% 512 KiB of 1.00 MiB 0:03");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 37, 3000), " 50% 512 KiB of 1.00 MiB 0:03");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 30, 3000), " 50% 512 KiB of 1.00 MiB 0:03");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 20, 3000), " 50% 512 KiB of 1.0");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 2, 3000), " ");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 1, 3000), "");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, 0, 3000), "");
    assert_string_equal(fmt("w07.csv", 512 * KIB, t, -3, 3000), "");
    /* A wide terminal: the bar stops at 50 cells. */
    const char *wide = fmt("w07.csv", 512 * KIB, t, 300, 3000);
    assert_int_equal(strlen(wide), 8 + 52 + 1 + 29);
}

static void test_label(void **state)
{
    (void)state;
    char name[400];

    /* A long name shows its end: 60 columns at most. */
    snprintf(name, sizeof(name), "dumps/%0100d/w07.csv", 0);
    const char *l = fmt(name, 0, -1, 200, 0);
    assert_string_equal(
        l, "...0000000000000000000000000000000000000000000000000/w07.csv 0 B read 0:00");
    assert_int_equal(strchr(l, ' ') - l, 60);
    /* Longer than the part of it that is looked at. */
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    name[sizeof(name) - 2] = 'z';
    l = fmt(name, 0, -1, 200, 0);
    assert_int_equal(strchr(l, ' ') - l, 60);
    assert_memory_equal(l, "...xxx", 6);
    assert_memory_equal(l + 58, "xz ", 3);
    /* Control characters and bytes that are not UTF-8 never reach the
     * terminal; other characters count one column each. */
    assert_string_equal(fmt("a\tb\x1b[31m\xff\xc2\x85.csv", 0, -1, 80, 0),
                        "a?b?[31m??.csv 0 B read 0:00");
    assert_string_equal(fmt("donn\xc3\xa9\x65s.csv", 0, -1, 80, 0),
                        "donn\xc3\xa9\x65s.csv 0 B read 0:00");
    /* Cut on a character boundary: 8 columns of label, 3 of them dots. */
    l = fmt("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9.csv", 512 * KIB,
            (long long)MIB, 39, 0);
    assert_string_equal(l, "...\xc3\xa9.csv  50% 512 KiB of 1.00 MiB 0:00");
}

/* Whatever the width, label and numbers: the line fits, has no control
 * character, and says the percentage when it has room for it. */
static void test_always_fits(void **state)
{
    (void)state;
    static const char *const labels[] = {
        NULL,
        "",
        "w07.csv",
        "<stdin>",
        "\xe4\xb8\xad\xe6\x96\x87-\xe6\x95\xb0\xe6\x8d\xae.json",
        "a/very/long/path/to/some/place/where/dumps/are/kept/by/cron/every/day/2026-02-16.json",
        "\x01\x02\x7f\xc2\x80\xed\xa0\x80"};
    static const unsigned long long dones[] = {0, 1, 999, 123456789, 1ULL << 62, ULLONG_MAX};
    static const long long totals[] = {-1, 0, 1000, 123456789012LL, LLONG_MAX};

    for (int w = -1; w <= 160; w++)
        for (size_t a = 0; a < sizeof(labels) / sizeof(labels[0]); a++)
            for (size_t d = 0; d < sizeof(dones) / sizeof(dones[0]); d++)
                for (size_t t = 0; t < sizeof(totals) / sizeof(totals[0]); t++) {
                    const char *l = fmt(labels[a], dones[d], totals[t], w, 4000000);
                    assert_true(cols(l) <= (size_t)(w > 1 ? w - 1 : 0));
                    for (const char *p = l; *p; p++)
                        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
                    assert_null(strstr(l, "\xc2\x80"));
                    if (w >= 60 && totals[t] >= 0)
                        assert_non_null(strchr(l, '%'));
                    if (w >= 100 && totals[t] >= 0)
                        assert_non_null(strchr(l, '['));
                }
}

static void test_small_buffer(void **state)
{
    (void)state;
    char buf[8];

    assert_int_equal(progress_format(buf, sizeof(buf), "w07.csv", 0, 10, 80, 0), 7);
    assert_string_equal(buf, "w07.csv");
    assert_int_equal(progress_format(buf, 0, "w07.csv", 0, 10, 80, 0), 0);
}

static void test_delay_setting(void **state)
{
    (void)state;
    assert_int_equal(progress_delay_ms(NULL), PROGRESS_DELAY_MS_DEFAULT);
    assert_int_equal(PROGRESS_DELAY_MS_DEFAULT, 1000);
    assert_int_equal(progress_delay_ms(""), 1000);
    assert_int_equal(progress_delay_ms("0"), 0);
    assert_int_equal(progress_delay_ms("250"), 250);
    assert_int_equal(progress_delay_ms("86400000"), 86400000);
    assert_int_equal(progress_delay_ms("86400001"), 1000);
    assert_int_equal(progress_delay_ms("-5"), 1000);
    assert_int_equal(progress_delay_ms(" 5"), 1000);
    assert_int_equal(progress_delay_ms("12x"), 1000);
    assert_int_equal(progress_delay_ms("99999999999999999999"), 1000);
}

static void test_term_width(void **state)
{
    (void)state;
    int fd = open("/dev/null", O_RDONLY);

    assert_true(fd >= 0);
    unsetenv("COLUMNS");
    assert_int_equal(progress_term_width(fd), 80); /* not a terminal */
    setenv("COLUMNS", "123", 1);
    assert_int_equal(progress_term_width(fd), 123);
    setenv("COLUMNS", "0", 1);
    assert_int_equal(progress_term_width(fd), 80);
    setenv("COLUMNS", "12a", 1);
    assert_int_equal(progress_term_width(fd), 80);
    setenv("COLUMNS", "10000", 1);
    assert_int_equal(progress_term_width(fd), 80);
    unsetenv("COLUMNS");
    close(fd);
}

/* What the meter wrote so far, with '\r' shown as '|'. */
static const char *drawn(FILE *fp, char **buf)
{
    fflush(fp);
    for (char *p = *buf; *p; p++)
        if (*p == '\r')
            *p = '|';
    return *buf;
}

static void test_meter(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct progress p = PROGRESS_INIT;

    assert_non_null(fp);
    progress_start(&p, fp, "f", 999, 50, 1000, 5000);
    progress_tick(&p, 100, 5000);
    progress_tick(&p, 200, 5999); /* still within the delay */
    assert_string_equal(drawn(fp, &buf), "");
    progress_tick(&p, 300, 6000);
    assert_string_equal(drawn(fp, &buf), "|f [======>             ]  30% 300 B of 999 B 0:01");
    progress_tick(&p, 400, 6099); /* too soon after the last */
    progress_tick(&p, 500, 6100);
    assert_string_equal(drawn(fp, &buf), "|f [======>             ]  30% 300 B of 999 B 0:01"
                                         "|f [==========>         ]  50% 500 B of 999 B 0:01");
    fclose(fp);
    free(buf);

    /* A shorter line blanks what is left of the longer one; the end blanks
     * the widest line drawn and returns to its start. */
    buf = NULL;
    fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    progress_start(&p, fp, "x", -1, 80, 0, 0);
    progress_tick(&p, 102297, 0);
    progress_tick(&p, 100 * KIB, 100);
    progress_end(&p);
    assert_string_equal(drawn(fp, &buf), "|x 99.9 KiB read 0:00"
                                         "|x 100 KiB read 0:00 "
                                         "|                    |");
    /* Ended: nothing more is drawn. */
    progress_tick(&p, 200 * KIB, 1000);
    progress_end(&p);
    assert_int_equal(strlen(drawn(fp, &buf)), 64);
    fclose(fp);
    free(buf);

    /* A meter that never drew clears nothing. */
    buf = NULL;
    fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    long long now = progress_now_ms();
    progress_start(&p, fp, "x", 10, 80, 1000, now);
    progress_update(&p, 5); /* the real clock: not a second later */
    progress_tick(&p, 5, now + 999);
    progress_end(&p);
    assert_string_equal(drawn(fp, &buf), "");
    fclose(fp);
    free(buf);

    /* Without a stream, nothing at all. */
    struct progress off = PROGRESS_INIT;
    progress_end(&off);
    progress_start(&off, NULL, "x", 10, 80, 0, 0);
    progress_tick(&off, 5, 1000);
    progress_update(&off, 5);
    progress_end(&off);
    assert_int_equal(off.shown, 0);
}

/* ---- the input's read hook and size ---- */

struct calls {
    unsigned long long bytes[16];
    size_t n;
};

static void record_read(void *ctx, unsigned long long bytes)
{
    struct calls *c = ctx;

    assert_true(c->n < 16);
    c->bytes[c->n++] = bytes;
}

static FILE *file_of(size_t n)
{
    FILE *fp = tmpfile();

    assert_non_null(fp);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(fputc('a' + (int)(i % 26), fp), EOF);
    rewind(fp);
    return fp;
}

static void test_input_hook(void **state)
{
    (void)state;
    FILE *fp = file_of(200000);
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct calls c = {{0}, 0};
    char hex[65], buf[1000];
    size_t len;

    assert_int_equal(in.size, -1);
    input_from_fp(&in, fp, "t");
    assert_int_equal(in.size, 200000);
    in.on_read = record_read;
    in.on_read_ctx = &c;
    assert_non_null(input_peek(&in, 10, &len));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.bytes[0], INPUT_PEEK_MAX);
    /* Reading from the buffer reads nothing from the file. */
    assert_int_equal(input_read(&in, buf, sizeof(buf)), sizeof(buf));
    assert_int_equal(c.n, 1);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.bytes[1], 2 * INPUT_PEEK_MAX);
    assert_int_equal(c.bytes[2], 3 * INPUT_PEEK_MAX);
    assert_int_equal(c.bytes[3], 200000);
    input_release(&in);

    /* A stream already part read: what is left. */
    assert_int_equal(fseek(fp, 1000, SEEK_SET), 0);
    input_from_fp(&in, fp, "t");
    assert_int_equal(in.size, 199000);
    assert_null(in.on_read);
    input_release(&in);
    fclose(fp);
}

static void test_input_size_unknown(void **state)
{
    (void)state;
    int fds[2];
    struct ts_input in = TS_INPUT_INIT;
    char mem[] = "date,model,tokens\n";

    assert_int_equal(pipe(fds), 0);
    FILE *rp = fdopen(fds[0], "rb");
    assert_non_null(rp);
    input_from_fp(&in, rp, "-");
    assert_int_equal(in.size, -1);
    input_release(&in);
    fclose(rp);
    close(fds[1]);

    FILE *mp = fmemopen(mem, sizeof(mem) - 1, "rb");
    assert_non_null(mp);
    input_from_fp(&in, mp, "m");
    assert_int_equal(in.size, -1);
    input_release(&in);
    fclose(mp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_total),    cmocka_unit_test(test_unknown_total),
        cmocka_unit_test(test_units_and_time), cmocka_unit_test(test_narrow),
        cmocka_unit_test(test_label),          cmocka_unit_test(test_always_fits),
        cmocka_unit_test(test_small_buffer),   cmocka_unit_test(test_delay_setting),
        cmocka_unit_test(test_term_width),     cmocka_unit_test(test_meter),
        cmocka_unit_test(test_input_hook),     cmocka_unit_test(test_input_size_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
