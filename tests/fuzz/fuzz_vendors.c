/* fuzz_vendors.c - libFuzzer target for vendors_parse (vendor -> country
 * CSV files). Every row handed to the callback is checked: a normalised
 * vendor (lower-case, no '/' or ':', no blank at either end, not "other"),
 * an ISO 3166-1 alpha-2 country (or EU) or "unknown" on purpose, a name,
 * a line within the input.
 * The vendor "fuzz-stop" makes the callback fail. The input is parsed
 * whole, then fed in chunks of a size its first byte chooses: both must
 * give the same rows, counts and error. */
#include <ctype.h>

#include "fuzz_common.h"
#include "core/vendors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct vctx {
    size_t rows;
    long lines;
    long last_line;
    int stopped;
};

static int on_row(void *p, const struct vendor_row *row, struct ts_err *err)
{
    struct vctx *c = p;
    size_t n;

    FUZZ_CHECK(!c->stopped);
    n = fuzz_touch_str(row->vendor);
    FUZZ_CHECK(n > 0);
    FUZZ_CHECK(!isspace((unsigned char)row->vendor[0]) &&
               !isspace((unsigned char)row->vendor[n - 1]));
    FUZZ_CHECK(strchr(row->vendor, '/') == NULL && strchr(row->vendor, ':') == NULL);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(!isupper((unsigned char)row->vendor[i]));
    FUZZ_CHECK(strcmp(row->vendor, TS_OTHER) != 0);
    if (strcmp(row->country, TS_UNKNOWN) != 0) {
        FUZZ_CHECK(fuzz_touch_str(row->country) == 2);
        FUZZ_CHECK(isupper((unsigned char)row->country[0]) &&
                   isupper((unsigned char)row->country[1]));
        FUZZ_CHECK(country_known(row->country));
    }
    fuzz_touch_str(row->name);
    /* Lines end at '\n', "\r\n" or a lone '\r'. */
    FUZZ_CHECK(row->line >= 1 && row->line <= c->lines);
    FUZZ_CHECK(row->line >= c->last_line);
    c->last_line = row->line;
    c->rows++;
    if (strcmp(row->vendor, "fuzz-stop") == 0) {
        c->stopped = 1;
        return ts_err_set(err, "stopped by the fuzz callback");
    }
    return 0;
}

/* Line ends in data ('\n', "\r\n", a lone '\r'), plus one. */
FUZZ_NO_COVERAGE static long count_lines(const uint8_t *data, size_t size)
{
    long n = 1;

    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    return n;
}

/* The same bytes fed in chunks of step bytes; the outcome must be the
 * whole parse's. */
static void parse_in_chunks(const char *copy, size_t size, size_t step, int rc_whole,
                            const struct ts_err *err_whole,
                            const struct vendors_parse_result *res_whole)
{
    struct vendors_parse_result res = VENDORS_PARSE_RESULT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct vctx c = {0, count_lines((const uint8_t *)copy, size), 0, 0};
    struct vendors_parser *vp = vendors_parser_new(on_row, &c, &res, &err);
    int rc = 0;

    FUZZ_CHECK(vp != NULL);
    for (size_t i = 0; i < size && rc == 0; i += step)
        rc = vendors_parser_feed(vp, copy + i, size - i < step ? size - i : step);
    if (rc == 0)
        rc = vendors_parser_end(vp);
    vendors_parser_free(vp);
    FUZZ_CHECK(rc == rc_whole);
    FUZZ_CHECK(strcmp(err.msg, err_whole->msg) == 0 && err.line == err_whole->line);
    FUZZ_CHECK(res.rows == res_whole->rows && res.skipped == res_whole->skipped);
    vendors_parse_result_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vendors_parse_result res = VENDORS_PARSE_RESULT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct vctx c = {0, 0, 0, 0};
    char *copy;
    int rc;

    /* An exact-size copy, so that ASan sees any read past the end (the
     * fuzzer's buffer is exact too; the copy keeps data const). */
    copy = malloc(size ? size : 1);
    FUZZ_CHECK(copy != NULL);
    if (size)
        memcpy(copy, data, size);
    c.lines = count_lines(data, size);

    rc = vendors_parse(copy, size, on_row, &c, &res, &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
    if (rc < 0) {
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(err.line >= 0 && err.col >= 0);
    } else {
        FUZZ_CHECK(!c.stopped);
    }
    FUZZ_CHECK(res.rows <= c.rows);
    FUZZ_CHECK(res.rows == c.rows - (size_t)c.stopped);
    FUZZ_CHECK((res.skipped == 0) == (res.skipped_list.len == 0));
    if (res.skipped_list.data)
        fuzz_touch_str(res.skipped_list.data);
    if (size > 0)
        parse_in_chunks(copy, size, (size_t)data[0] % 7 + 1, rc, &err, &res);

    vendors_parse_result_release(&res);
    free(copy);
    return 0;
}
