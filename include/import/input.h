/* input.h - a byte stream from a file or standard input that can be peeked
 * at for format detection, hashes everything it reads (the content hash of
 * the import), and hides a leading UTF-8 byte order mark from its readers. */
#ifndef TOKSTAT_IMPORT_INPUT_H
#define TOKSTAT_IMPORT_INPUT_H

#include <stdio.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/sha256.h"
#include "core/util.h"

#define INPUT_PEEK_MAX 65536

struct ts_input {
    FILE *fp;
    const char *name; /* as given on the command line; "-" is standard input */
    int owns_fp;      /* close fp on release */
    char *peek;       /* bytes read ahead of the reader */
    size_t peek_len;
    size_t peek_pos;
    struct sha256 hash; /* of every byte read from fp, BOM included */
    unsigned long long bytes;
    int eof;
    int bom_checked; /* the start has been looked at for a BOM */
    int error;       /* errno of a failed read, 0 if none */
    /* The bytes the stream holds from where it stood when opened: the size
     * of a regular file (less the position of a redirected standard
     * input), or -1 when unknown (a pipe, a terminal). */
    long long size;
    /* Called, when set, after every read from the stream (one per
     * INPUT_PEEK_MAX bytes, so cheap work only) with the bytes read so far,
     * BOM included: how a progress meter follows an import. */
    void (*on_read)(void *ctx, unsigned long long bytes);
    void *on_read_ctx;
    /* Past the first megabyte, the bytes are hashed on a second thread
     * while the importer parses (see input.c); NULL until then. */
    struct input_hasher *hasher;
};

#define TS_INPUT_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, 0, NULL, 0, 0, {{0}, 0, {0}, 0}, 0, 0, 0, 0, -1, NULL, NULL, NULL              \
    }

/* Opens path ("-" for standard input). name must outlive the input.
 * On error fills err ("cannot open: No such file or directory"). */
int input_open(struct ts_input *in, const char *name, struct ts_err *err);

/* Wraps an open stream (not closed on release); for tests. Sets size from
 * the stream (fstat), no on_read. */
void input_from_fp(struct ts_input *in, FILE *fp, const char *name);

/* Reads ahead so that at least want bytes (or all, if fewer) are available
 * and returns them without consuming them; *len gets their number.
 * The pointer stays valid until the next read. A leading BOM is skipped. */
const char *input_peek(struct ts_input *in, size_t want, size_t *len);

/* Refuses text that is not UTF-8 but UTF-16 or UTF-32, from its byte
 * order mark or, without one, from the pattern of NUL bytes among its
 * first characters ("d\0a\0t\0e\0"): "UTF-16 text (little-endian), not
 * UTF-8 (convert it first: iconv -f UTF-16LE -t UTF-8)". Looks at the
 * start only (input_peek). Returns 0, or -1 with err set. */
int input_check_encoding(struct ts_input *in, struct ts_err *err);

/* Reads up to n bytes; returns how many, 0 at end of input, -1 on a read
 * error (see in->error). */
ssize_t input_read(struct ts_input *in, void *buf, size_t n);

/* Like input_read, but without a copy: consumes the bytes buffered
 * (reading ahead when there are none) and points *p at them; they stay
 * valid until the next read. */
ssize_t input_next(struct ts_input *in, const char **p);

/* Reads one line into line (reset first), without its '\n' (a '\r' before
 * it is kept). Returns 1 for a line, 0 at end of input, -1 on error. */
int input_getline(struct ts_input *in, struct ts_buf *line);

/* Reads the rest of the input to the end (so the hash covers the whole
 * file) and writes the hex SHA-256 of all its bytes. Returns 0 or -1. */
int input_finish(struct ts_input *in, char hex[65], struct ts_err *err);

/* Closes what input_open opened; safe on TS_INPUT_INIT. */
void input_release(struct ts_input *in);

#endif
