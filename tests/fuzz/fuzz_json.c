/* fuzz_json.c - libFuzzer target for import_json_doc (see fuzz_common.h).
 *
 * Every input is imported twice: with TS_FMT_AUTO (the shape recognised
 * from the document), then with a format and a period chosen from its first
 * byte (after a padding header): the byte modulo 5 forces json,
 * openrouter-daily, -chart, -weekly or -models, and (byte / 5) modulo 3
 * the period (as the format implies, day, week). Leading white space of a
 * document reaches every choice: '\n' 10, '[' 91, ' ' 32, '{' 123,
 * '\t' 9 give the residues 0 to 4. App rankings (openrouter-apps) are
 * reached through their detection, with TS_FMT_AUTO.
 *
 * Each import is done twice, the flat elements of records read by the fast
 * path and with jansson parsing every element: both must succeed or fail
 * alike and, when they succeed, hand on the same records (lines and
 * columns too), prices and as-of times. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum ts_format forced[] = {
    TS_FMT_JSON,
    TS_FMT_OPENROUTER_DAILY,
    TS_FMT_OPENROUTER_CHART,
    TS_FMT_OPENROUTER_WEEKLY,
    TS_FMT_OPENROUTER_MODELS,
};
#define NFORCED (sizeof(forced) / sizeof(forced[0]))

/* One import of the bytes; full parses the whole document with jansson.
 * *shape gets the shape that was read. */
static int import_once(const struct fuzz_bytes *b, enum ts_format format, int period, int full,
                       struct fuzz_sink_ctx *ctx, struct ts_err *err, enum ts_format *shape_out)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct ts_input in = TS_INPUT_INIT;
    enum ts_format shape = (enum ts_format)99; /* must be overwritten */
    struct ts_sink sink;
    size_t taken = 0;
    FILE *fp;
    int rc;

    fp = fuzz_fopen(b);
    input_from_fp(&in, fp, "fuzz.json");
    /* Every record has its line (the other bucket of a weekly snapshot
     * that of its total, wherever that is). */
    fuzz_sink_ctx_init(ctx, 1, (long)b->lines);
    ctx->forced_period = period;
    sink = fuzz_sink(ctx);

    o.format = format;
    o.period = period;
    o.full_parsers = full;
    o.fast_taken = &taken;
    rc = import_json_doc(&in, &o, &sink, &shape, err);
    fuzz_check_result(rc, err, ctx);
    if (full)
        FUZZ_CHECK(taken == 0);
    /* The shape is always set; a document of no known shape is an error. */
    FUZZ_CHECK(shape == TS_FMT_AUTO || shape == TS_FMT_JSON || shape == TS_FMT_JSONL ||
               shape == TS_FMT_OPENROUTER_DAILY || shape == TS_FMT_OPENROUTER_CHART ||
               shape == TS_FMT_OPENROUTER_WEEKLY || shape == TS_FMT_OPENROUTER_MODELS ||
               shape == TS_FMT_OPENROUTER_APPS);
    if (rc == 0) {
        FUZZ_CHECK(shape != TS_FMT_AUTO);
        if (format != TS_FMT_AUTO)
            FUZZ_CHECK(shape == format);
        if (shape != TS_FMT_OPENROUTER_MODELS)
            FUZZ_CHECK(ctx->prices == 0);
        else
            FUZZ_CHECK(ctx->records == 0);
        if (shape != TS_FMT_OPENROUTER_APPS)
            FUZZ_CHECK(ctx->apps == 0);
        else
            FUZZ_CHECK(ctx->records == 0 && ctx->apps > 0);
    }
    fuzz_check_finish(&in, b);

    input_release(&in);
    fclose(fp);
    *shape_out = shape;
    return rc;
}

/* The bytes imported both ways, with the same outcome. */
static void import_both(const struct fuzz_bytes *b, enum ts_format format, int period)
{
    struct ts_err err_fast = TS_ERR_INIT, err_full = TS_ERR_INIT;
    struct fuzz_sink_ctx fast, full;
    enum ts_format shape_fast, shape_full;

    int rc_fast = import_once(b, format, period, 0, &fast, &err_fast, &shape_fast);
    int rc_full = import_once(b, format, period, 1, &full, &err_full, &shape_full);
    fuzz_check_same(rc_fast, &err_fast, &fast, rc_full, &err_full, &full, 0);
    if (rc_fast == 0)
        FUZZ_CHECK(shape_fast == shape_full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b;

    fuzz_bytes_make(&b, data, size);
    import_both(&b, TS_FMT_AUTO, -1);
    if (b.body_size > 0) {
        unsigned sel = b.body[0];
        int period = (int)((sel / NFORCED) % 3) - 1;
        import_both(&b, forced[sel % NFORCED], period);
    }
    fuzz_bytes_release(&b);
    return 0;
}
