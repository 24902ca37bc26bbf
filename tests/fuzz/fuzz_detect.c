/* fuzz_detect.c - libFuzzer target for format detection (see
 * fuzz_common.h), as `tokstat import` does it: format_sniff on what
 * input_peek shows of the start of the file (BOM skipped), then the
 * importer the detected family calls for, with the checking sink, on the
 * same input, and the content hash of the whole input at the end.
 * format_sniff is also called on the raw bytes, BOM included. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The index of the first byte of s[0..len) that is not white space. */
FUZZ_NO_COVERAGE static size_t skip_space(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* The result of format_sniff(head, len) against what the header promises:
 * an error only for white space, else the family of the first non-blank. */
static void check_sniff(const char *head, size_t len, enum ts_format *out)
{
    struct ts_err err = TS_ERR_INIT;
    size_t i;
    int rc;

    *out = TS_FMT_AUTO; /* never a result: stays so on error */
    rc = format_sniff(head, len, out, &err);
    i = skip_space(head, len);
    if (i == len) {
        FUZZ_CHECK(rc == -1);
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(*out == TS_FMT_AUTO);
        return;
    }
    FUZZ_CHECK(rc == 0);
    if (head[i] == '[')
        FUZZ_CHECK(*out == TS_FMT_JSON);
    else if (head[i] == '{')
        FUZZ_CHECK(*out == TS_FMT_JSON || *out == TS_FMT_JSONL);
    else
        FUZZ_CHECK(*out == TS_FMT_CSV);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct fuzz_sink_ctx ctx;
    enum ts_format fmt, raw_fmt;
    struct fuzz_bytes b;
    struct ts_sink sink;
    const char *head;
    size_t len;
    FILE *fp;
    int rc;

    fuzz_bytes_make(&b, data, size);
    check_sniff((const char *)b.data, b.size, &raw_fmt);

    fp = fuzz_fopen(&b);
    input_from_fp(&in, fp, "fuzz");
    head = input_peek(&in, INPUT_PEEK_MAX, &len);
    FUZZ_CHECK(head != NULL);
    FUZZ_CHECK(len <= b.size && len <= INPUT_PEEK_MAX);
    fuzz_touch(head, len);
    /* The peek is the start of the input, less a BOM. */
    {
        size_t bom = b.size >= 3 && memcmp(b.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        size_t want = (b.size < INPUT_PEEK_MAX ? b.size : INPUT_PEEK_MAX) - bom;
        FUZZ_CHECK(len == want);
        FUZZ_CHECK(memcmp(head, b.data + bom, len) == 0);
        FUZZ_CHECK(!in.eof || len == b.size - bom);
    }
    check_sniff(head, len, &fmt);

    if (fmt != TS_FMT_AUTO) {
        /* Every record has a line; those of a whole document come in
         * order but for a weekly snapshot's other bucket, placed at its
         * total. */
        fuzz_sink_ctx_init(&ctx, 1, fmt == TS_FMT_CSV ? (long)b.csv_lines : (long)b.lines);
        ctx.lines_ordered = fmt == TS_FMT_CSV || fmt == TS_FMT_JSONL;
        sink = fuzz_sink(&ctx);
        if (fmt == TS_FMT_CSV) {
            enum ts_format csv_shape = TS_FMT_CSV;
            rc = import_csv(&in, &o, &sink, &csv_shape, &err);
        } else if (fmt == TS_FMT_JSONL) {
            rc = import_jsonl(&in, &o, &sink, &err);
        } else {
            enum ts_format shape = TS_FMT_AUTO;
            rc = import_json_doc(&in, &o, &sink, &shape, &err);
        }
        fuzz_check_result(rc, &err, &ctx);
    }
    fuzz_check_finish(&in, &b);

    input_release(&in);
    fclose(fp);
    fuzz_bytes_release(&b);
    return 0;
}
