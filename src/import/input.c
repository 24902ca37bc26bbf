/* input.c - buffered, hashed reading of one import file or standard input.
 *
 * All reads go through one read-ahead buffer, so that format detection can
 * peek at the start of a pipe and the importer still sees every byte. */
#include "import/input.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define INPUT_BUF_SIZE INPUT_PEEK_MAX

int input_open(struct ts_input *in, const char *name, struct ts_err *err)
{
    FILE *fp;

    if (strcmp(name, "-") == 0) {
        input_from_fp(in, stdin, name);
        return 0;
    }
    fp = fopen(name, "rb");
    if (!fp)
        return ts_err_set(err, "cannot open: %s", strerror(errno));
    input_from_fp(in, fp, name);
    in->owns_fp = 1;
    return 0;
}

/* What is left to read of a regular file from its current position, or -1
 * for a stream that has no size (a pipe, a terminal, a memory stream). */
static long long input_stream_size(FILE *fp)
{
    struct stat st;
    int saved = errno; /* a failed look leaves no trace for read errors */
    int fd = fileno(fp);
    long long size = -1;

    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t pos = ftello(fp);
        if (pos < 0 || pos > st.st_size)
            pos = 0;
        size = (long long)(st.st_size - pos);
    }
    errno = saved;
    return size;
}

void input_from_fp(struct ts_input *in, FILE *fp, const char *name)
{
    memset(in, 0, sizeof(*in));
    in->fp = fp;
    in->name = name;
    in->peek = xmalloc(INPUT_BUF_SIZE);
    sha256_init(&in->hash);
    in->size = input_stream_size(fp);
}

/* ---- hashing on a second thread ----
 *
 * SHA-256 of the whole file was a sixteenth of an import's time; on a
 * machine with two cores it can run beside the parsing. Past the first
 * megabyte (small files are not worth a thread) each chunk read is copied
 * into a ring of slots that a second thread hashes in order; input_finish
 * waits for it. If the thread cannot be started the hashing stays inline. */

#define HASH_SLOTS       8
#define HASH_THREAD_FROM (1 << 20) /* bytes hashed inline first */

struct input_hasher {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned char *slot[HASH_SLOTS];
    size_t len[HASH_SLOTS];
    unsigned long long head, tail; /* slots tail..head-1 wait to be hashed */
    int done;                      /* no more slots will come */
    struct sha256 *hash;
};

static void *hasher_main(void *arg)
{
    struct input_hasher *h = arg;

    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (h->tail == h->head && !h->done)
            pthread_cond_wait(&h->cv, &h->mu);
        if (h->tail == h->head)
            break;
        size_t i = (size_t)(h->tail % HASH_SLOTS);
        pthread_mutex_unlock(&h->mu);
        sha256_update(h->hash, h->slot[i], h->len[i]);
        pthread_mutex_lock(&h->mu);
        h->tail++;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

static void hasher_start(struct ts_input *in)
{
    struct input_hasher *h = xcalloc(1, sizeof(*h));

    h->hash = &in->hash;
    for (int i = 0; i < HASH_SLOTS; i++)
        h->slot[i] = xmalloc(INPUT_BUF_SIZE);
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->thread, NULL, hasher_main, h) != 0) {
        for (int i = 0; i < HASH_SLOTS; i++)
            free(h->slot[i]);
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        free(h);
        return;
    }
    in->hasher = h;
}

/* Hands n bytes to the thread, waiting for a free slot. */
static void hasher_push(struct input_hasher *h, const void *p, size_t n)
{
    pthread_mutex_lock(&h->mu);
    while (h->head - h->tail == HASH_SLOTS)
        pthread_cond_wait(&h->cv, &h->mu);
    size_t i = (size_t)(h->head % HASH_SLOTS);
    pthread_mutex_unlock(&h->mu);
    memcpy(h->slot[i], p, n); /* the thread does not touch a free slot */
    h->len[i] = n;
    pthread_mutex_lock(&h->mu);
    h->head++;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

/* Waits until every byte handed over is hashed and ends the thread; the
 * hash is the input's own again. */
static void hasher_stop(struct ts_input *in)
{
    struct input_hasher *h = in->hasher;

    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->done = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    for (int i = 0; i < HASH_SLOTS; i++)
        free(h->slot[i]);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    free(h);
    in->hasher = NULL;
}

/* Hashes n bytes just read, inline or on the thread. */
static void input_hash(struct ts_input *in, const void *p, size_t n)
{
    if (!in->hasher && in->bytes >= HASH_THREAD_FROM && n > 0)
        hasher_start(in);
    if (in->hasher)
        hasher_push(in->hasher, p, n);
    else
        sha256_update(&in->hash, p, n);
}

/* Reads from the stream into the buffer until it holds want bytes, or the
 * stream ends. Returns -1 on a read error. */
static int input_fill(struct ts_input *in, size_t want)
{
    if (want > INPUT_BUF_SIZE)
        want = INPUT_BUF_SIZE;
    if (in->peek_len - in->peek_pos >= want || in->eof)
        goto check_bom;
    if (in->peek_pos > 0) {
        memmove(in->peek, in->peek + in->peek_pos, in->peek_len - in->peek_pos);
        in->peek_len -= in->peek_pos;
        in->peek_pos = 0;
    }
    while (in->peek_len < want && !in->eof) {
        size_t ask = INPUT_BUF_SIZE - in->peek_len;
        size_t n = fread(in->peek + in->peek_len, 1, ask, in->fp);
        input_hash(in, in->peek + in->peek_len, n);
        in->bytes += n;
        in->peek_len += n;
        if (n < ask) {
            if (ferror(in->fp)) {
                in->error = errno ? errno : EIO;
                return -1;
            }
            in->eof = 1; /* a short read of a blocking stream is its end */
        }
        if (in->on_read)
            in->on_read(in->on_read_ctx, in->bytes);
    }
check_bom:
    /* A UTF-8 byte order mark at the very start is hashed but not read. */
    if (!in->bom_checked && (in->peek_len - in->peek_pos >= 3 || in->eof)) {
        in->bom_checked = 1;
        if (in->peek_len - in->peek_pos >= 3 &&
            memcmp(in->peek + in->peek_pos, "\xEF\xBB\xBF", 3) == 0)
            in->peek_pos += 3;
    }
    return 0;
}

const char *input_peek(struct ts_input *in, size_t want, size_t *len)
{
    if (input_fill(in, want + 3) < 0) {
        *len = 0;
        return NULL;
    }
    *len = in->peek_len - in->peek_pos;
    return in->peek + in->peek_pos;
}

/* The bytes buffered for the reader, reading ahead when there are none:
 * how many (0 at end of input), or -1 on a read error. */
static ssize_t input_avail(struct ts_input *in)
{
    if (in->peek_pos == in->peek_len && input_fill(in, INPUT_BUF_SIZE) < 0)
        return -1;
    if (!in->bom_checked && input_fill(in, 3) < 0)
        return -1;
    return (ssize_t)(in->peek_len - in->peek_pos);
}

/* The encoding the first bytes show, or NULL for none of the wide ones:
 * a byte order mark, else ASCII text as UTF-16 or UTF-32 writes it, one
 * NUL beside each letter (or three). */
static const char *wide_encoding(const unsigned char *s, size_t len)
{
    size_t pairs = 0, le = 0, be = 0, le32 = 0, be32 = 0;

    if (len >= 4 && memcmp(s, "\xFF\xFE\0\0", 4) == 0)
        return "UTF-32LE";
    if (len >= 4 && memcmp(s, "\0\0\xFE\xFF", 4) == 0)
        return "UTF-32BE";
    if (len >= 2 && memcmp(s, "\xFF\xFE", 2) == 0)
        return "UTF-16LE";
    if (len >= 2 && memcmp(s, "\xFE\xFF", 2) == 0)
        return "UTF-16BE";
    if (len > 1024)
        len = 1024;
    for (size_t i = 0; i + 3 < len; i += 4) {
        le32 += s[i] && !s[i + 1] && !s[i + 2] && !s[i + 3];
        be32 += !s[i] && !s[i + 1] && !s[i + 2] && s[i + 3];
    }
    for (size_t i = 0; i + 1 < len; i += 2, pairs++) {
        le += s[i] && !s[i + 1];
        be += !s[i] && s[i + 1];
    }
    if (pairs >= 4 && le32 * 8 >= pairs * 3)
        return "UTF-32LE";
    if (pairs >= 4 && be32 * 8 >= pairs * 3)
        return "UTF-32BE";
    if (pairs >= 2 && le * 4 >= pairs * 3)
        return "UTF-16LE";
    if (pairs >= 2 && be * 4 >= pairs * 3)
        return "UTF-16BE";
    return NULL;
}

int input_check_encoding(struct ts_input *in, struct ts_err *err)
{
    size_t len;
    const char *head = input_peek(in, 1024, &len);
    const char *enc;

    if (!head)
        return ts_err_set(err, "read error: %s", strerror(in->error));
    if (!(enc = wide_encoding((const unsigned char *)head, len)))
        return 0;
    return ts_err_set(err, "%.6s text (%s), not UTF-8 (convert it first: iconv -f %s -t UTF-8)",
                      enc, enc[6] == 'L' ? "little-endian" : "big-endian", enc);
}

ssize_t input_read(struct ts_input *in, void *buf, size_t n)
{
    if (n == 0)
        return 0;
    ssize_t have = input_avail(in);
    if (have <= 0)
        return have;
    if (n > (size_t)have)
        n = (size_t)have;
    memcpy(buf, in->peek + in->peek_pos, n);
    in->peek_pos += n;
    return (ssize_t)n;
}

ssize_t input_next(struct ts_input *in, const char **p)
{
    ssize_t have = input_avail(in);

    *p = in->peek + in->peek_pos;
    if (have > 0)
        in->peek_pos = in->peek_len;
    return have;
}

int input_getline(struct ts_input *in, struct ts_buf *line)
{
    buf_reset(line);
    for (;;) {
        if (in->peek_pos == in->peek_len || !in->bom_checked) {
            if (input_fill(in, INPUT_BUF_SIZE) < 0)
                return -1;
            if (in->peek_pos == in->peek_len)
                return line->data && (line->len > 0) ? 1 : 0;
        }
        const char *start = in->peek + in->peek_pos;
        size_t have = in->peek_len - in->peek_pos;
        const char *nl = memchr(start, '\n', have);
        if (nl) {
            buf_add(line, start, (size_t)(nl - start));
            in->peek_pos += (size_t)(nl - start) + 1;
            if (!line->data)
                buf_add(line, "", 0);
            return 1;
        }
        buf_add(line, start, have);
        in->peek_pos = in->peek_len;
    }
}

int input_finish(struct ts_input *in, char hex[65], struct ts_err *err)
{
    while (!in->eof) {
        in->peek_pos = in->peek_len = 0;
        if (input_fill(in, INPUT_BUF_SIZE) < 0)
            return ts_err_set(err, "read error: %s", strerror(in->error));
    }
    hasher_stop(in);
    struct sha256 copy = in->hash;
    sha256_final_hex(&copy, hex);
    return 0;
}

void input_release(struct ts_input *in)
{
    hasher_stop(in);
    if (in->owns_fp && in->fp)
        fclose(in->fp);
    free(in->peek);
    in->peek = NULL;
    in->fp = NULL;
    in->owns_fp = 0;
}
