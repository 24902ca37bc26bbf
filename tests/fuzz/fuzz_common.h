/* fuzz_common.h - what the libFuzzer targets in tests/fuzz share: the bytes
 * as a struct ts_input, a sink that checks every record and price it is
 * handed and aborts on a violation, and checks of errors and of the input's
 * hash. Header-only (static inline functions), one copy per target.
 *
 * Padded inputs. The read-ahead buffer of input.c and the chunks of
 * import_csv.c are 64 KiB, far above libFuzzer's usual input sizes, so an
 * input that starts with the 4 bytes FUZZ_PAD_MAGIC ("\xffPAD", never the
 * start of a real text file) and two bytes a, b is turned into padding
 * followed by the rest of the input, placed so that the rest starts
 * k = ((a << 8 | b) & 0x7ff) bytes before the 64 KiB boundary: the padding
 * is 65536 - k bytes of "\n", or of "\r\n" pairs when a & 0x80 is set (an
 * odd length ends it on a lone '\r'). Blank lines are skipped by every
 * format, so the rest is read as it would be on its own, but across the
 * boundary. */
#ifndef TOKSTAT_FUZZ_COMMON_H
#define TOKSTAT_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "import/import.h"
#include "import/input.h"
#include "import/record.h"
#include "core/sha256.h"
#include "core/util.h"
#include "core/week.h"

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz invariant violated: %s (%s:%d)\n", #cond, __FILE__, __LINE__);   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define FUZZ_PAD_MAGIC                                                                             \
    "\xff"                                                                                         \
    "PAD"
#define FUZZ_PAD_MAGIC_LEN 4
#define FUZZ_PAD_BOUNDARY  65536

/* The harness's own loops over the input are left out of the coverage
 * instrumentation: they find nothing, and on a padded input they would
 * cost more than the code under test. */
#define FUZZ_NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline, unused))

/* A model named so makes the sink fail, so that the importers' handling of
 * a sink error is reached too. */
#define FUZZ_STOP_MODEL "fuzz-stop"

/* The bytes an importer reads: the fuzzer's own, or padded (see above). */
struct fuzz_bytes {
    const uint8_t *data; /* what the importer reads */
    size_t size;
    uint8_t *owned;      /* data when padded, else NULL */
    const uint8_t *body; /* the input without the padding header */
    size_t body_size;
    unsigned long lines; /* '\n' in data, plus one (JSON's lines) */
    unsigned long
        csv_lines; /* line ends as CSV counts them ("\n", "\r\n", a lone '\r'), plus one */
};

FUZZ_NO_COVERAGE static void fuzz_bytes_make(struct fuzz_bytes *b, const uint8_t *data, size_t size)
{
    memset(b, 0, sizeof(*b));
    b->data = b->body = data;
    b->size = b->body_size = size;
    if (size >= FUZZ_PAD_MAGIC_LEN + 2 && memcmp(data, FUZZ_PAD_MAGIC, FUZZ_PAD_MAGIC_LEN) == 0) {
        unsigned a = data[FUZZ_PAD_MAGIC_LEN], c = data[FUZZ_PAD_MAGIC_LEN + 1];
        size_t k = ((a << 8) | c) & 0x7ff;
        size_t pad = FUZZ_PAD_BOUNDARY - k;
        size_t rest = size - FUZZ_PAD_MAGIC_LEN - 2;

        b->owned = malloc(pad + rest + 1);
        FUZZ_CHECK(b->owned != NULL);
        for (size_t i = 0; i < pad; i++)
            b->owned[i] = (a & 0x80) ? (i % 2 ? '\n' : '\r') : '\n';
        memcpy(b->owned + pad, data + FUZZ_PAD_MAGIC_LEN + 2, rest);
        b->data = b->owned;
        b->size = pad + rest;
        b->body = b->owned + pad;
        b->body_size = rest;
    }
    b->lines = b->csv_lines = 1;
    for (size_t i = 0; i < b->size; i++) {
        b->lines += b->data[i] == '\n';
        b->csv_lines += b->data[i] == '\n' ||
                        (b->data[i] == '\r' && (i + 1 == b->size || b->data[i + 1] != '\n'));
    }
}

static inline void fuzz_bytes_release(struct fuzz_bytes *b)
{
    free(b->owned);
    b->owned = NULL;
}

/* Opens the bytes as a stream (fmemopen does not write in mode "r"). */
static inline FILE *fuzz_fopen(const struct fuzz_bytes *b)
{
    FILE *fp =
        b->size > 0 ? fmemopen((void *)(uintptr_t)b->data, b->size, "r") : fopen("/dev/null", "r");
    FUZZ_CHECK(fp != NULL);
    return fp;
}

/* Reads every byte of s so that ASan sees a dangling or short buffer, and
 * returns its length. */
FUZZ_NO_COVERAGE static size_t fuzz_touch(const char *s, size_t len)
{
    volatile unsigned char sink = 0;

    for (size_t i = 0; i < len; i++)
        sink ^= (unsigned char)s[i];
    (void)sink;
    return len;
}

/* A NUL-terminated string that must be readable. */
static inline size_t fuzz_touch_str(const char *s)
{
    FUZZ_CHECK(s != NULL);
    return fuzz_touch(s, strlen(s) + 1) - 1;
}

static inline int fuzz_count_ok(int64_t v)
{
    return v == TS_ABSENT || v >= 0;
}

/* What the checking sink expects of one import, and what it saw. */
struct fuzz_sink_ctx {
    /* expectations */
    long line_min, line_max; /* range of rec->line */
    int lines_ordered;       /* rec->line never goes down */
    int model_trimmed;       /* no blank at either end of the slug (CSV) */
    int forced_period;       /* -1, or the period every record must have */
    /* seen */
    size_t records, prices, apps, as_ofs;
    long last_line;
    int stopped;           /* the sink failed on FUZZ_STOP_MODEL */
    uint64_t digest;       /* FNV-1a of every record, price and app, in order */
    uint64_t as_of_digest; /* and of the as-of times */
};

static inline void fuzz_sink_ctx_init(struct fuzz_sink_ctx *c, long line_min, long line_max)
{
    memset(c, 0, sizeof(*c));
    c->line_min = line_min;
    c->line_max = line_max;
    c->forced_period = -1;
    c->digest = c->as_of_digest = 0xcbf29ce484222325ULL;
}

/* Adds n bytes to a digest of what the sink was handed. */
FUZZ_NO_COVERAGE static void fuzz_mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++) {
        *h ^= s[i];
        *h *= 0x100000001b3ULL;
    }
}

static inline void fuzz_mix_int(uint64_t *h, int64_t v)
{
    fuzz_mix(h, &v, sizeof(v));
}

/* A string or NULL, told apart from each other and from what follows. */
static inline void fuzz_mix_str(uint64_t *h, const char *s)
{
    if (s)
        fuzz_mix(h, s, strlen(s) + 1);
    else
        fuzz_mix_int(h, -1);
}

/* Every field of a record, in the digest. */
static inline void fuzz_mix_record(uint64_t *h, const struct ts_record *r)
{
    const int64_t v[] = {r->period,   r->date,         (int64_t)r->model_len, r->total,
                         r->prompt,   r->completion,   r->reasoning,          r->cached,
                         r->requests, r->prompt_price, r->completion_price,   r->line,
                         r->col};

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        fuzz_mix_int(h, v[i]);
    fuzz_mix(h, r->model, r->model_len);
    fuzz_mix_str(h, r->where);
}

static inline int fuzz_on_record(void *ctx, const struct ts_record *r, struct ts_err *err)
{
    static int32_t date_min, date_max;
    struct fuzz_sink_ctx *c = ctx;

    if (date_max == 0) {
        date_min = date_from_ymd(1000, 1, 1);
        date_max = date_from_ymd(9999, 12, 31);
    }
    FUZZ_CHECK(!c->stopped); /* no record after the sink failed */
    FUZZ_CHECK(r != NULL);
    FUZZ_CHECK(r->period == TS_DAY || r->period == TS_WEEK);
    if (c->forced_period >= 0)
        FUZZ_CHECK((int)r->period == c->forced_period);
    FUZZ_CHECK(r->date >= date_min && r->date <= date_max);

    FUZZ_CHECK(r->model != NULL);
    FUZZ_CHECK(r->model_len > 0);
    fuzz_touch(r->model, r->model_len + 1);
    FUZZ_CHECK(r->model[r->model_len] == '\0');
    if (c->model_trimmed) {
        char first = r->model[0], last = r->model[r->model_len - 1];
        FUZZ_CHECK(first != ' ' && first != '\t' && last != ' ' && last != '\t');
    }

    FUZZ_CHECK(r->total >= 0);
    FUZZ_CHECK(fuzz_count_ok(r->prompt));
    FUZZ_CHECK(fuzz_count_ok(r->completion));
    FUZZ_CHECK(fuzz_count_ok(r->reasoning));
    FUZZ_CHECK(fuzz_count_ok(r->cached));
    FUZZ_CHECK(fuzz_count_ok(r->requests));
    FUZZ_CHECK(fuzz_count_ok(r->prompt_price));
    FUZZ_CHECK(fuzz_count_ok(r->completion_price));

    FUZZ_CHECK(r->line >= c->line_min && r->line <= c->line_max);
    FUZZ_CHECK(r->col >= 0);
    if (c->lines_ordered)
        FUZZ_CHECK(r->line >= c->last_line);
    c->last_line = r->line;
    if (r->where)
        fuzz_touch_str(r->where);
    c->records++;
    fuzz_mix_record(&c->digest, r);

    if (r->model_len == strlen(FUZZ_STOP_MODEL) &&
        memcmp(r->model, FUZZ_STOP_MODEL, r->model_len) == 0) {
        c->stopped = 1;
        return ts_err_set(err, "stopped by the fuzz sink");
    }
    return 0;
}

static inline int fuzz_on_price(void *ctx, const struct ts_price *p, struct ts_err *err)
{
    struct fuzz_sink_ctx *c = ctx;

    FUZZ_CHECK(!c->stopped);
    FUZZ_CHECK(p != NULL);
    FUZZ_CHECK(fuzz_touch_str(p->model) > 0);
    FUZZ_CHECK(fuzz_touch_str(p->id) > 0);
    FUZZ_CHECK(p->id[0] != '~'); /* aliases are skipped */
    FUZZ_CHECK(fuzz_count_ok(p->prompt));
    FUZZ_CHECK(fuzz_count_ok(p->completion));
    FUZZ_CHECK(p->prompt != TS_ABSENT || p->completion != TS_ABSENT);
    if (p->where)
        fuzz_touch_str(p->where);
    c->prices++;
    fuzz_mix_str(&c->digest, p->model);
    fuzz_mix_str(&c->digest, p->id);
    fuzz_mix_int(&c->digest, p->prompt);
    fuzz_mix_int(&c->digest, p->completion);
    fuzz_mix_str(&c->digest, p->where);
    if (strcmp(p->model, FUZZ_STOP_MODEL) == 0) {
        c->stopped = 1;
        return ts_err_set(err, "stopped by the fuzz sink");
    }
    return 0;
}

/* An app of app rankings: a Monday's week, an id, a name that is shown
 * safely (valid UTF-8, no control characters), counts in range. */
static inline int fuzz_on_app(void *ctx, const struct ts_app *a, struct ts_err *err)
{
    struct fuzz_sink_ctx *c = ctx;

    FUZZ_CHECK(!c->stopped);
    FUZZ_CHECK(a != NULL);
    FUZZ_CHECK(week_start(a->week) == a->week);
    FUZZ_CHECK(c->forced_period != TS_DAY);
    FUZZ_CHECK(a->app_id >= 0);
    FUZZ_CHECK(a->name != NULL && a->name[0] != '\0');
    FUZZ_CHECK(ts_utf8_valid(a->name, strlen(a->name)));
    FUZZ_CHECK(a->total >= 0);
    FUZZ_CHECK(fuzz_count_ok(a->requests));
    FUZZ_CHECK(a->rank == TS_ABSENT || a->rank >= 1);
    if (a->where)
        fuzz_touch_str(a->where);
    c->apps++;
    fuzz_mix_int(&c->digest, a->week);
    fuzz_mix_int(&c->digest, a->app_id);
    fuzz_mix_str(&c->digest, a->name);
    fuzz_mix_int(&c->digest, a->total);
    fuzz_mix_int(&c->digest, a->requests);
    fuzz_mix_int(&c->digest, a->rank);
    fuzz_mix_str(&c->digest, a->where);
    if (strcmp(a->name, FUZZ_STOP_MODEL) == 0) {
        c->stopped = 1;
        return ts_err_set(err, "stopped by the fuzz sink");
    }
    return 0;
}

static inline void fuzz_on_as_of(void *ctx, const char *as_of)
{
    struct fuzz_sink_ctx *c = ctx;

    fuzz_touch_str(as_of);
    c->as_ofs++;
    fuzz_mix_str(&c->as_of_digest, as_of);
}

static inline struct ts_sink fuzz_sink(struct fuzz_sink_ctx *c)
{
    struct ts_sink s = {.record = fuzz_on_record,
                        .price = fuzz_on_price,
                        .app = fuzz_on_app,
                        .as_of = fuzz_on_as_of,
                        .ctx = c};
    return s;
}

/* An importer's result: -1 with a message, or 0 with none of the sink's
 * errors swallowed. */
static inline void fuzz_check_result(int rc, const struct ts_err *err,
                                     const struct fuzz_sink_ctx *c)
{
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(memchr(err->msg, '\0', sizeof(err->msg)) != NULL);
    if (rc < 0) {
        FUZZ_CHECK(err->msg[0] != '\0');
        FUZZ_CHECK(err->line >= 0);
        FUZZ_CHECK(err->col >= 0);
    } else {
        FUZZ_CHECK(!c->stopped);
    }
}

/* The same bytes imported with the fast paths (a) and with the full
 * parsers alone (b): the same result, and the same records and prices in
 * the same order, and the same as-of times. With same_errors, also the same records up to an
 * error and the same message at the same place; without it (whole
 * documents, where a streamed document reports a bad record before a
 * syntax error further on, and a whole parse the syntax error), only what
 * a successful import handed on is compared. */
static inline void fuzz_check_same(int rc_a, const struct ts_err *a, const struct fuzz_sink_ctx *ca,
                                   int rc_b, const struct ts_err *b, const struct fuzz_sink_ctx *cb,
                                   int same_errors)
{
    FUZZ_CHECK(rc_a == rc_b);
    if (rc_a < 0 && !same_errors)
        return;
    FUZZ_CHECK(ca->records == cb->records);
    FUZZ_CHECK(ca->prices == cb->prices);
    FUZZ_CHECK(ca->apps == cb->apps);
    FUZZ_CHECK(ca->as_ofs == cb->as_ofs);
    FUZZ_CHECK(ca->digest == cb->digest);
    FUZZ_CHECK(ca->as_of_digest == cb->as_of_digest);
    if (rc_a < 0) {
        FUZZ_CHECK(strcmp(a->msg, b->msg) == 0);
        FUZZ_CHECK(a->line == b->line && a->col == b->col);
    }
}

/* After an import: reading on to the end hashes exactly the input's bytes. */
FUZZ_NO_COVERAGE static void fuzz_check_finish(struct ts_input *in, const struct fuzz_bytes *b)
{
    struct ts_err err = TS_ERR_INIT;
    struct sha256 h;
    char got[65], want[65];

    FUZZ_CHECK(input_finish(in, got, &err) == 0);
    FUZZ_CHECK(in->bytes == b->size);
    sha256_init(&h);
    sha256_update(&h, b->data, b->size);
    sha256_final_hex(&h, want);
    FUZZ_CHECK(strcmp(got, want) == 0);
}

#endif
