/* test_input.c - peeking, reading, lines, the BOM and the content hash. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "import/input.h"
#include "support.h"

#define BOM "\xEF\xBB\xBF"

static char *sha_hex(const void *p, size_t n)
{
    static char hex[65];
    struct sha256 s;

    sha256_init(&s);
    sha256_update(&s, p, n);
    sha256_final_hex(&s, hex);
    return hex;
}

/* A seekable stream holding exactly these bytes. */
static FILE *stream_of(const void *p, size_t n)
{
    FILE *fp = tmpfile();

    assert_non_null(fp);
    if (n)
        assert_int_equal(fwrite(p, 1, n, fp), n);
    rewind(fp);
    return fp;
}

/* n pseudo-random bytes, never starting with a BOM. */
static unsigned char *random_bytes(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);
    uint32_t x = seed * 2654435761u + 1;

    assert_non_null(p);
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        p[i] = (unsigned char)(x >> 24);
    }
    if (n)
        p[0] = 'x';
    return p;
}

/* Reads everything with input_read in chunks of varying size. */
static size_t read_all(struct ts_input *in, unsigned char *out, size_t cap)
{
    static const size_t sizes[] = {1, 7, 4096, 3, 65536, 100000, 13};
    size_t got = 0, k = 0;

    for (;;) {
        size_t want = sizes[k++ % (sizeof(sizes) / sizeof(sizes[0]))];
        if (want > cap - got)
            want = cap - got;
        if (want == 0)
            want = 1; /* probe for the end; must return 0 */
        unsigned char tmp[100000];
        ssize_t n = input_read(in, tmp, want);
        assert_true(n >= 0);
        if (n == 0)
            return got;
        assert_true((size_t)n <= want);
        assert_true(got + (size_t)n <= cap);
        memcpy(out + got, tmp, (size_t)n);
        got += (size_t)n;
    }
}

static void test_peek_then_read(void **state)
{
    (void)state;
    const size_t n = 200000;
    unsigned char *data = random_bytes(n, 1);
    unsigned char *back = malloc(n);
    FILE *fp = stream_of(data, n);
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    char hex[65];
    size_t len;

    input_from_fp(&in, fp, "t");
    const char *p = input_peek(&in, 100, &len);
    assert_non_null(p);
    assert_true(len >= 100);
    assert_memory_equal(p, data, 100);
    /* Peeking again, further, still starts at the beginning. */
    p = input_peek(&in, INPUT_PEEK_MAX, &len);
    assert_int_equal(len, INPUT_PEEK_MAX);
    assert_memory_equal(p, data, INPUT_PEEK_MAX);
    /* More than the buffer holds gives what it holds. */
    p = input_peek(&in, 10 * INPUT_PEEK_MAX, &len);
    assert_int_equal(len, INPUT_PEEK_MAX);
    assert_memory_equal(p, data, len);

    assert_int_equal(read_all(&in, back, n), n);
    assert_memory_equal(back, data, n);
    assert_int_equal(in.bytes, n);
    assert_int_equal(input_read(&in, back, 10), 0);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    input_release(&in);
    fclose(fp);
    free(data);
    free(back);
}

/* Peek after part of the input was read sees what comes next. */
static void test_peek_mid_stream(void **state)
{
    (void)state;
    const size_t n = 150000;
    unsigned char *data = random_bytes(n, 2);
    FILE *fp = stream_of(data, n);
    struct ts_input in = TS_INPUT_INIT;
    unsigned char buf[70000];
    size_t len, pos = 0;

    input_from_fp(&in, fp, "t");
    assert_int_equal(input_read(&in, buf, 5), 5);
    pos = 5;
    const char *p = input_peek(&in, 10, &len);
    assert_true(len >= 10);
    assert_memory_equal(p, data + pos, 10);
    /* Read across the end of the first buffer, then peek a full buffer. */
    while (pos < 65530) {
        ssize_t r = input_read(&in, buf, 65530 - pos);
        assert_true(r > 0);
        assert_memory_equal(buf, data + pos, (size_t)r);
        pos += (size_t)r;
    }
    p = input_peek(&in, INPUT_PEEK_MAX, &len);
    assert_int_equal(len, INPUT_PEEK_MAX);
    assert_memory_equal(p, data + pos, len);
    ssize_t r = input_read(&in, buf, sizeof(buf));
    assert_true(r > 0);
    assert_memory_equal(buf, data + pos, (size_t)r);
    input_release(&in);
    fclose(fp);
    free(data);
}

static void test_bom_hidden_but_hashed(void **state)
{
    (void)state;
    static const char raw[] = BOM "a,b\n1,2\n";
    const size_t rawlen = sizeof(raw) - 1;
    struct ts_err err = TS_ERR_INIT;
    char hex[65];
    size_t len;

    /* Peek, then read. */
    FILE *fp = stream_of(raw, rawlen);
    struct ts_input in = TS_INPUT_INIT;
    input_from_fp(&in, fp, "t");
    const char *p = input_peek(&in, 4, &len);
    assert_int_equal(len, 8);
    assert_memory_equal(p, "a,b\n1,2\n", 8);
    char buf[64];
    assert_int_equal(input_read(&in, buf, sizeof(buf)), 8);
    assert_memory_equal(buf, "a,b\n1,2\n", 8);
    assert_int_equal(input_read(&in, buf, sizeof(buf)), 0);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(raw, rawlen));
    assert_int_equal(in.bytes, rawlen);
    input_release(&in);
    fclose(fp);

    /* Read without a peek first. */
    fp = stream_of(raw, rawlen);
    input_from_fp(&in, fp, "t");
    assert_int_equal(input_read(&in, buf, 1), 1);
    assert_int_equal(buf[0], 'a');
    input_release(&in);
    fclose(fp);

    /* Lines without a peek first. */
    fp = stream_of(raw, rawlen);
    input_from_fp(&in, fp, "t");
    struct ts_buf line = TS_BUF_INIT;
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, "a,b");
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, "1,2");
    assert_int_equal(input_getline(&in, &line), 0);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(raw, rawlen));
    buf_release(&line);
    input_release(&in);
    fclose(fp);
}

static void test_bom_edge_cases(void **state)
{
    (void)state;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf line = TS_BUF_INIT;
    char hex[65], buf[16];
    size_t len;

    /* A file that is only a BOM reads as empty but hashes its 3 bytes. */
    FILE *fp = stream_of(BOM, 3);
    input_from_fp(&in, fp, "t");
    assert_non_null(input_peek(&in, 10, &len));
    assert_int_equal(len, 0);
    assert_int_equal(input_read(&in, buf, sizeof(buf)), 0);
    assert_int_equal(input_getline(&in, &line), 0);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(BOM, 3));
    input_release(&in);
    fclose(fp);

    /* Two bytes of a BOM are data. */
    fp = stream_of("\xEF\xBB", 2);
    input_from_fp(&in, fp, "t");
    assert_int_equal(input_read(&in, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "\xEF\xBB", 2);
    input_release(&in);
    fclose(fp);

    /* A BOM that is not at the start is data; only the first is hidden. */
    fp = stream_of(BOM BOM "x\n" BOM, 11);
    input_from_fp(&in, fp, "t");
    assert_int_equal(input_getline(&in, &line), 1);
    assert_int_equal(line.len, 4);
    assert_memory_equal(line.data, BOM "x", 4);
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, BOM);
    assert_int_equal(input_getline(&in, &line), 0);
    input_release(&in);
    fclose(fp);

    /* Empty input. */
    fp = stream_of("", 0);
    input_from_fp(&in, fp, "t");
    assert_non_null(input_peek(&in, 10, &len));
    assert_int_equal(len, 0);
    assert_int_equal(input_getline(&in, &line), 0);
    assert_int_equal(input_read(&in, buf, sizeof(buf)), 0);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    input_release(&in);
    fclose(fp);
    buf_release(&line);
}

/* Splits s with input_getline into "|"-joined lines. */
static char *lines_of(const char *s, size_t n)
{
    FILE *fp = stream_of(s, n);
    struct ts_input in = TS_INPUT_INIT;
    struct ts_buf line = TS_BUF_INIT, all = TS_BUF_INIT;
    int rc;

    input_from_fp(&in, fp, "t");
    buf_add(&all, "", 0);
    while ((rc = input_getline(&in, &line)) == 1) {
        assert_non_null(line.data);
        assert_int_equal(strlen(line.data), line.len);
        buf_add(&all, line.data, line.len);
        buf_addc(&all, '|');
    }
    assert_int_equal(rc, 0);
    assert_int_equal(input_getline(&in, &line), 0); /* stays at the end */
    input_release(&in);
    fclose(fp);
    buf_release(&line);
    return all.data;
}

static void assert_lines(const char *s, const char *want)
{
    char *got = lines_of(s, strlen(s));

    assert_string_equal(got, want);
    free(got);
}

static void test_getline(void **state)
{
    (void)state;
    assert_lines("a\nb\n", "a|b|");
    assert_lines("a\r\nb\r\n", "a\r|b\r|");
    assert_lines("a\nlast", "a|last|");
    assert_lines("a\n\n\nb\n", "a|||b|");
    assert_lines("\n", "|");
    assert_lines("\n\n", "||");
    assert_lines("", "");
    assert_lines("x", "x|");
    assert_lines("a\rb\n", "a\rb|");
    assert_lines(BOM "h\r\n", "h\r|");
}

static void test_getline_long(void **state)
{
    (void)state;
    const size_t big = 3 * INPUT_PEEK_MAX + 17; /* longer than 64 KiB */
    size_t n = big + 1 + 5 + big + 1;
    char *s = malloc(n);
    struct ts_buf line = TS_BUF_INIT;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    char hex[65];

    memset(s, 'L', big);
    s[big / 2] = 'M';
    s[big] = '\n';
    memcpy(s + big + 1, "tail\n", 5);
    memset(s + big + 6, 'Z', big);
    s[n - 1] = '\n';
    FILE *fp = stream_of(s, n);
    input_from_fp(&in, fp, "t");
    assert_int_equal(input_getline(&in, &line), 1);
    assert_int_equal(line.len, big);
    assert_memory_equal(line.data, s, big);
    assert_int_equal(line.data[big], '\0');
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, "tail");
    assert_int_equal(input_getline(&in, &line), 1);
    assert_int_equal(line.len, big);
    assert_memory_equal(line.data, s + big + 6, big);
    assert_int_equal(input_getline(&in, &line), 0);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(s, n));
    input_release(&in);
    fclose(fp);
    buf_release(&line);
    free(s);
}

/* The hash covers the whole input even when the reader stops early. */
static void test_finish_after_early_stop(void **state)
{
    (void)state;
    const size_t n = 5 * INPUT_PEEK_MAX + 123;
    unsigned char *data = random_bytes(n, 3);
    struct ts_err err = TS_ERR_INIT;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_buf line = TS_BUF_INIT;
    char hex[65], buf[10];
    size_t len;

    /* After a short read. */
    FILE *fp = stream_of(data, n);
    input_from_fp(&in, fp, "t");
    assert_int_equal(input_read(&in, buf, 10), 10);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    assert_int_equal(in.bytes, n);
    input_release(&in);
    fclose(fp);

    /* After only a peek. */
    fp = stream_of(data, n);
    input_from_fp(&in, fp, "t");
    assert_non_null(input_peek(&in, 10, &len));
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    input_release(&in);
    fclose(fp);

    /* After one line. */
    fp = stream_of(data, n);
    input_from_fp(&in, fp, "t");
    assert_true(input_getline(&in, &line) == 1);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    input_release(&in);
    fclose(fp);

    /* Without reading anything, and twice. */
    fp = stream_of(data, n);
    input_from_fp(&in, fp, "t");
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    input_release(&in);
    fclose(fp);

    /* After reading everything. */
    fp = stream_of(data, n);
    input_from_fp(&in, fp, "t");
    unsigned char *back = malloc(n);
    assert_int_equal(read_all(&in, back, n), n);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    input_release(&in);
    fclose(fp);

    free(back);
    buf_release(&line);
    free(data);
}

static void test_open_missing(void **state)
{
    (void)state;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    input_release(&in); /* safe on TS_INPUT_INIT */
    assert_int_equal(input_open(&in, "/nonexistent-tokstat-dir/no-such-file.csv", &err), -1);
    assert_string_equal(err.msg, "cannot open: No such file or directory");
    input_release(&in);
}

static void test_open_file(void **state)
{
    (void)state;
    char dir[256], path[512];
    static const char content[] = BOM "date,model,total_tokens\r\n2026-02-09,a/b,1\r\n";
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf line = TS_BUF_INIT;
    char hex[65];

    sup_tmp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/in.csv", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(content, 1, sizeof(content) - 1, fp);
    fclose(fp);

    assert_int_equal(input_open(&in, path, &err), 0);
    assert_string_equal(in.name, path);
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, "date,model,total_tokens\r");
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, "2026-02-09,a/b,1\r");
    assert_int_equal(input_getline(&in, &line), 0);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(content, sizeof(content) - 1));
    input_release(&in);
    assert_null(in.fp);
    input_release(&in); /* twice is safe */

    buf_release(&line);
}

static void test_open_stdin(void **state)
{
    (void)state;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    int was_open = fcntl(STDIN_FILENO, F_GETFD) != -1;

    assert_int_equal(input_open(&in, "-", &err), 0);
    assert_ptr_equal(in.fp, stdin);
    assert_string_equal(in.name, "-");
    input_release(&in);
    /* Standard input is not closed by release. */
    assert_int_equal(fcntl(STDIN_FILENO, F_GETFD) != -1, was_open);
}

struct writer {
    int fd;
    const unsigned char *data;
    size_t n;
};

/* Writes into the pipe in small uneven pieces, then closes it. */
static void *write_pipe(void *p)
{
    struct writer *w = p;
    size_t done = 0, k = 0;

    while (done < w->n) {
        size_t piece = 1 + (k++ * 977) % 3001;
        if (piece > w->n - done)
            piece = w->n - done;
        ssize_t r = write(w->fd, w->data + done, piece);
        if (r <= 0)
            break;
        done += (size_t)r;
        if (k % 16 == 0)
            nanosleep(&(struct timespec){0, 200000}, NULL);
    }
    close(w->fd);
    return NULL;
}

static void test_pipe(void **state)
{
    (void)state;
    const size_t n = 300000;
    unsigned char *data = random_bytes(n, 4);
    unsigned char *back = malloc(n);
    int fds[2];
    pthread_t t;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    char hex[65];
    size_t len;

    memcpy(data, BOM, 3); /* a BOM through a pipe too */
    assert_int_equal(pipe(fds), 0);
    struct writer w = {fds[1], data, n};
    assert_int_equal(pthread_create(&t, NULL, write_pipe, &w), 0);
    FILE *fp = fdopen(fds[0], "rb");
    assert_non_null(fp);
    input_from_fp(&in, fp, "-");
    const char *p = input_peek(&in, 1000, &len);
    assert_non_null(p);
    assert_true(len >= 1000);
    assert_memory_equal(p, data + 3, 1000);
    size_t got = read_all(&in, back, n);
    assert_int_equal(got, n - 3);
    assert_memory_equal(back, data + 3, n - 3);
    assert_int_equal(input_finish(&in, hex, &err), 0);
    assert_string_equal(hex, sha_hex(data, n));
    input_release(&in);
    pthread_join(t, NULL);
    fclose(fp);
    free(data);
    free(back);
}

/* A stream that cannot be read reports the error: a folder opens with
 * fopen but fails on read. */
static void test_read_error(void **state)
{
    (void)state;
    char dir[256];
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf line = TS_BUF_INIT;
    char buf[16], hex[65];
    size_t len = 99;

    sup_tmp_dir(dir, sizeof(dir));
    assert_int_equal(input_open(&in, dir, &err), 0);
    assert_null(input_peek(&in, 10, &len));
    assert_int_equal(len, 0);
    assert_int_equal(in.error, EISDIR);
    assert_int_equal(input_read(&in, buf, sizeof(buf)), -1);
    assert_int_equal(input_getline(&in, &line), -1);
    assert_int_equal(input_finish(&in, hex, &err), -1);
    assert_string_equal(err.msg, "read error: Is a directory");
    input_release(&in);
    buf_release(&line);
}

/* Mixing getline and read keeps the byte order. */
static void test_getline_then_read(void **state)
{
    (void)state;
    static const char s[] = "header\nrest of the file\nmore";
    FILE *fp = stream_of(s, sizeof(s) - 1);
    struct ts_input in = TS_INPUT_INIT;
    struct ts_buf line = TS_BUF_INIT;
    char buf[64];
    size_t len;

    input_from_fp(&in, fp, "t");
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, "header");
    const char *p = input_peek(&in, 4, &len);
    assert_int_equal(len, sizeof(s) - 1 - 7);
    assert_memory_equal(p, "rest", 4);
    assert_int_equal(input_read(&in, buf, 5), 5);
    assert_memory_equal(buf, "rest ", 5);
    assert_int_equal(input_getline(&in, &line), 1);
    assert_string_equal(line.data, "of the file");
    ssize_t r = input_read(&in, buf, sizeof(buf));
    assert_int_equal(r, 4);
    assert_memory_equal(buf, "more", 4);
    assert_int_equal(input_read(&in, buf, 0), 0);
    input_release(&in);
    buf_release(&line);
    fclose(fp);
}

/* Past the first megabyte the input is hashed on a second thread: the
 * digest of a large file read in uneven pieces, with a BOM, is the digest
 * of its bytes; an input released without finishing ends the thread. */
static void test_large_hashed_beside(void **state)
{
    (void)state;
    const size_t total = 5 * 1024 * 1024 + 12345;
    unsigned char *data = malloc(total);
    uint32_t x = 88172645u;
    char want[65], got[65];
    struct ts_err err = TS_ERR_INIT;

    assert_non_null(data);
    for (size_t i = 0; i < total; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    memcpy(data, "\xEF\xBB\xBF", 3);
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, data, total);
    sha256_final_hex(&h, want);

    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, total, fp), total);
    rewind(fp);
    struct ts_input in = TS_INPUT_INIT;
    input_from_fp(&in, fp, "big");
    static char buf[100000];
    size_t got_bytes = 0, k = 0;
    static const size_t pieces[] = {1, 7, 4096, 65536, 99999, 3, 70000};
    for (;;) {
        ssize_t n = input_read(&in, buf, pieces[k++ % 7]);
        assert_true(n >= 0);
        if (n == 0)
            break;
        assert_memory_equal(buf, data + 3 + got_bytes, (size_t)n);
        got_bytes += (size_t)n;
    }
    assert_int_equal(got_bytes, total - 3);
    assert_non_null(in.hasher); /* it did go to the thread */
    assert_int_equal(input_finish(&in, got, &err), 0);
    assert_null(in.hasher);
    assert_string_equal(got, want);
    input_release(&in);

    /* input_next hands out the same bytes without copying them. */
    rewind(fp);
    input_from_fp(&in, fp, "big");
    const char *p;
    ssize_t n;
    got_bytes = 0;
    while ((n = input_next(&in, &p)) > 0) {
        assert_memory_equal(p, data + 3 + got_bytes, (size_t)n);
        got_bytes += (size_t)n;
    }
    assert_int_equal(n, 0);
    assert_int_equal(got_bytes, total - 3);
    assert_int_equal(input_finish(&in, got, &err), 0);
    assert_string_equal(got, want);
    input_release(&in);

    /* Released half way: the thread is stopped and everything freed. */
    rewind(fp);
    input_from_fp(&in, fp, "big");
    for (size_t done = 0; done < 3 * 1024 * 1024;)
        done += (size_t)input_read(&in, buf, sizeof(buf));
    assert_non_null(in.hasher);
    input_release(&in);
    assert_null(in.hasher);
    fclose(fp);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peek_then_read),
        cmocka_unit_test(test_peek_mid_stream),
        cmocka_unit_test(test_bom_hidden_but_hashed),
        cmocka_unit_test(test_bom_edge_cases),
        cmocka_unit_test(test_getline),
        cmocka_unit_test(test_getline_long),
        cmocka_unit_test(test_finish_after_early_stop),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_open_file),
        cmocka_unit_test(test_open_stdin),
        cmocka_unit_test(test_pipe),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_getline_then_read),
        cmocka_unit_test(test_large_hashed_beside),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
