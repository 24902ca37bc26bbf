/* fuzz_csv.c - libFuzzer target for import_csv (see fuzz_common.h). The
 * input is a CSV file; every record is checked by the sink. The period is
 * forced (--period) or not by the length of the input. The input is read
 * twice, with the fast path and with libcsv alone, and both must hand on
 * the same records and fail with the same message at the same place. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One import of the bytes; full sends every line through libcsv. */
static int import_once(const struct fuzz_bytes *b, int full, struct fuzz_sink_ctx *ctx,
                       struct ts_err *err)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_sink sink;
    size_t taken = 0;
    FILE *fp;
    int rc;

    fp = fuzz_fopen(b);
    input_from_fp(&in, fp, "fuzz.csv");

    fuzz_sink_ctx_init(ctx, 1, (long)b->csv_lines);
    ctx->lines_ordered = 1;
    ctx->model_trimmed = 1;
    sink = fuzz_sink(ctx);

    /* --period: as the input implies, day or week, by the input's length */
    o.period = (int)(b->body_size % 3) - 1;
    ctx->forced_period = o.period;
    o.format = TS_FMT_CSV;
    o.full_parsers = full;
    o.fast_taken = &taken;
    enum ts_format shape = TS_FMT_CSV;
    rc = import_csv(&in, &o, &sink, &shape, err);
    fuzz_check_result(rc, err, ctx);
    if (rc == 0)
        FUZZ_CHECK(ctx->records > 0); /* "no data rows" is an error */
    if (full)
        FUZZ_CHECK(taken == 0);
    fuzz_check_finish(&in, b);

    input_release(&in);
    fclose(fp);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ts_err err_fast = TS_ERR_INIT, err_full = TS_ERR_INIT;
    struct fuzz_sink_ctx fast, full;
    struct fuzz_bytes b;

    fuzz_bytes_make(&b, data, size);
    int rc_fast = import_once(&b, 0, &fast, &err_fast);
    int rc_full = import_once(&b, 1, &full, &err_full);
    fuzz_check_same(rc_fast, &err_fast, &fast, rc_full, &err_full, &full, 1);
    fuzz_bytes_release(&b);
    return 0;
}
