/* fuzz_csv.c - libFuzzer target for import_csv (see fuzz_common.h). The
 * input is a CSV file; every record is checked by the sink. The period is
 * forced (--period) or not by the length of the input. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct ts_input in = TS_INPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct fuzz_sink_ctx ctx;
    struct fuzz_bytes b;
    struct ts_sink sink;
    FILE *fp;
    int rc;

    fuzz_bytes_make(&b, data, size);
    fp = fuzz_fopen(&b);
    input_from_fp(&in, fp, "fuzz.csv");

    fuzz_sink_ctx_init(&ctx, 1, (long)b.lines);
    ctx.lines_ordered = 1;
    ctx.model_trimmed = 1;
    sink = fuzz_sink(&ctx);

    /* --period: as the input implies, day or week, by the input's length */
    o.period = (int)(b.body_size % 3) - 1;
    ctx.forced_period = o.period;
    o.format = TS_FMT_CSV;
    rc = import_csv(&in, &o, &sink, &err);
    fuzz_check_result(rc, &err, &ctx);
    if (rc == 0)
        FUZZ_CHECK(ctx.records > 0); /* "no data rows" is an error */
    fuzz_check_finish(&in, &b);

    input_release(&in);
    fclose(fp);
    fuzz_bytes_release(&b);
    return 0;
}
