/* test_cell.c - a model's week of observations as JSON text, both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "db/cell.h"

static struct cell_slot slot(int64_t total, int64_t import_id, int64_t prompt, int64_t completion,
                             int64_t reasoning, int64_t cached, int64_t requests)
{
    struct cell_slot s = {1, {total, import_id, prompt, completion, reasoning, cached, requests}};
    return s;
}

static void encode_is(const struct cell_slot *s, int n, const char *want)
{
    struct ts_buf b = TS_BUF_INIT;

    cell_encode(s, n, &b);
    assert_string_equal(b.data, want);
    buf_release(&b);
}

static void test_encode(void **state)
{
    (void)state;
    struct cell_slot s[CELL_DAYS];

    memset(s, 0, sizeof(s));
    encode_is(s, 7, "[null,null,null,null,null,null,null]");
    s[1] = slot(101, 1, -1, -1, -1, -1, -1);
    encode_is(s, 7, "[null,[101,1],null,null,null,null,null]");
    s[0] = slot(100, 1, 60, 40, -1, -1, -1);
    s[6] = slot(102, 1, -1, -1, -1, -1, 9);
    encode_is(s, 7, "[[100,1,60,40],[101,1],null,null,null,null,[102,1,null,null,null,null,9]]");
    s[0] = slot(INT64_MAX, INT64_MAX, 0, 0, 0, 0, 0);
    encode_is(s, 1, "[[9223372036854775807,9223372036854775807,0,0,0,0,0]]");
}

/* Every pattern of nulls, the largest values, one slot and seven. */
static void test_round_trip(void **state)
{
    (void)state;
    struct cell_slot in[CELL_DAYS], out[CELL_DAYS];
    struct ts_buf b = TS_BUF_INIT;

    for (unsigned pattern = 0; pattern < 1u << 12; pattern++) {
        memset(in, 0, sizeof(in));
        for (int d = 0; d < CELL_DAYS; d++) {
            if (!((pattern >> d) & 1) && d != (int)(pattern % 7))
                continue;
            in[d].filled = 1;
            for (int f = 0; f < CELL_FIELDS; f++) {
                int null = f >= CELL_PROMPT && ((pattern >> (f + d) % 12) & 1);
                in[d].v[f] = null ? -1 : (f == CELL_TOTAL && d == 3 ? INT64_MAX : f * 1000 + d);
            }
        }
        int n = pattern & 0x800 ? 1 : CELL_DAYS;
        if (n == 1)
            in[0].filled = 1, in[0].v[CELL_TOTAL] = pattern, in[0].v[CELL_IMPORT] = 7;
        buf_reset(&b);
        cell_encode(in, n, &b);
        assert_int_equal(cell_decode(b.data, b.len, out, n), 0);
        for (int d = 0; d < n; d++) {
            assert_int_equal(out[d].filled, in[d].filled);
            if (in[d].filled)
                assert_memory_equal(out[d].v, in[d].v, sizeof(in[d].v));
        }
    }
    buf_release(&b);
}

/* What SQLite's json_array writes, and shorter arrays, read too. */
static void test_decode_accepts(void **state)
{
    (void)state;
    struct cell_slot s[CELL_DAYS];
    static const char *const ok[] = {
        "[]",
        "[null]",
        " [ [5 , 1] , null ] ",
        "[[5,1,null,null,null,null,null]]",
        "[null,null,null,null,null,null,[0,1]]",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        assert_int_equal(cell_decode(ok[i], strlen(ok[i]), s, CELL_DAYS), 0);
    assert_int_equal(cell_decode("[null,[5,1]]", 12, s, CELL_DAYS), 0);
    assert_false(s[0].filled);
    assert_true(s[1].filled);
    assert_int_equal(s[1].v[CELL_TOTAL], 5);
    assert_int_equal(s[1].v[CELL_PROMPT], -1);
    assert_false(s[6].filled);
}

/* A damaged row is refused, never read past its end. */
static void test_decode_refuses(void **state)
{
    (void)state;
    struct cell_slot s[CELL_DAYS];
    static const char *const bad[] = {
        "",
        "[",
        "[[5,1]",
        "[[5,1]] x",
        "[[5]]",
        "[[null,1]]",
        "[[5,null]]",
        "[[-5,1]]",
        "[[5,1,2,3,4,5,6,7]]",
        "[null,null,null,null,null,null,null,null]",
        "[[99999999999999999999,1]]",
        "[[5,1],]",
        "[[5,1]",
        "[[5.5,1]]",
        "[\"x\"]",
        "[[5,1] null]",
        "{}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (cell_decode(bad[i], strlen(bad[i]), s, CELL_DAYS) != -1)
            fail_msg("accepted '%s'", bad[i]);
    }
    assert_int_equal(cell_decode("[null,null]", 11, s, 1), -1); /* a weekly cell has one slot */
    /* Not NUL-terminated: only len bytes are read. */
    char buf[8];
    memcpy(buf, "[[5,1]]9", 8);
    assert_int_equal(cell_decode(buf, 7, s, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_decode_accepts),
        cmocka_unit_test(test_decode_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
