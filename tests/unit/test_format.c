/* test_format.c - format names and detection from the first bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "import/format.h"

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(format_name(TS_FMT_AUTO), "auto");
    assert_string_equal(format_name(TS_FMT_CSV), "csv");
    assert_string_equal(format_name(TS_FMT_OPENROUTER_DAILY), "openrouter-daily");
    assert_string_equal(format_name(TS_FMT_JSONL), "jsonl");
    assert_string_equal(format_name(TS_FMT_JSON), "json");
    assert_string_equal(format_name(TS_FMT_OPENROUTER_CHART), "openrouter-chart");
    assert_string_equal(format_name(TS_FMT_OPENROUTER_WEEKLY), "openrouter-weekly");
    assert_string_equal(format_name(TS_FMT_OPENROUTER_MODELS), "openrouter-models");
    assert_string_equal(format_name((enum ts_format)99), "?");
}

static void test_parse_round_trip(void **state)
{
    (void)state;
    for (int f = TS_FMT_AUTO; f <= TS_FMT_OPENROUTER_MODELS; f++) {
        enum ts_format out = (enum ts_format) - 1;
        const char *name = format_name((enum ts_format)f);
        assert_int_equal(format_parse(name, &out), 0);
        assert_int_equal(out, f);
    }
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {"CSV ",
                                      "xml",
                                      "",
                                      "CSV",
                                      " csv",
                                      "Json",
                                      "json ",
                                      "jsonlines",
                                      "openrouter",
                                      "?",
                                      "openrouter_daily",
                                      "csv,json"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum ts_format out = TS_FMT_OPENROUTER_WEEKLY;
        if (format_parse(bad[i], &out) != -1)
            fail_msg("format_parse('%s') accepted", bad[i]);
        assert_int_equal(out, TS_FMT_OPENROUTER_WEEKLY); /* untouched */
    }
}

/* Sniffs a C string as a whole file. */
static enum ts_format sniff(const char *s)
{
    enum ts_format f = TS_FMT_AUTO;
    struct ts_err err = TS_ERR_INIT;

    if (format_sniff(s, strlen(s), &f, &err) != 0)
        fail_msg("format_sniff('%s') failed: %s", s, err.msg);
    assert_string_equal(err.msg, "");
    return f;
}

static void test_sniff_csv(void **state)
{
    (void)state;
    assert_int_equal(sniff("date,model,total_tokens\n2026-02-09,a/b,1\n"), TS_FMT_CSV);
    assert_int_equal(sniff("date;model;tokens\r\n"), TS_FMT_CSV);
    assert_int_equal(sniff("week\tmodel\ttokens"), TS_FMT_CSV);
    assert_int_equal(sniff("\"date\",\"model\"\n"), TS_FMT_CSV);
    assert_int_equal(sniff("  \n\ndate,model\n"), TS_FMT_CSV);
    assert_int_equal(sniff("x"), TS_FMT_CSV);
}

static void test_sniff_json(void **state)
{
    (void)state;
    assert_int_equal(sniff("[{\"date\":\"2026-02-09\"}]"), TS_FMT_JSON);
    assert_int_equal(sniff("[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n"), TS_FMT_JSON);
    assert_int_equal(sniff("[]"), TS_FMT_JSON);
    /* A whole document spread over lines. */
    assert_int_equal(sniff("{\n  \"data\": [\n    {\"date\": \"2026-05-24\"}\n  ],\n"
                           "  \"meta\": {\"version\": \"v1\"}\n}\n"),
                     TS_FMT_JSON);
    assert_int_equal(sniff("{\"data\": [\n{\"x\": 1},\n{\"x\": 2}\n]}\n"), TS_FMT_JSON);
    /* A single one-line object, with and without a newline. */
    assert_int_equal(sniff("{\"date\":\"2026-02-16\",\"models\":[{\"rank\":1}]}"), TS_FMT_JSON);
    assert_int_equal(sniff("{\"date\":\"2026-02-16\",\"models\":[]}\n"), TS_FMT_JSON);
    assert_int_equal(sniff("{\"a\":1}\n\n  \n"), TS_FMT_JSON);
    /* Leading white space. */
    assert_int_equal(sniff("\n\n  \t[1]"), TS_FMT_JSON);
    assert_int_equal(sniff(" \r\n{\n\"a\": 1\n}"), TS_FMT_JSON);
}

static void test_sniff_jsonl(void **state)
{
    (void)state;
    assert_int_equal(sniff("{\"model\":\"a/b\",\"tokens\":1}\n{\"model\":\"c/d\",\"tokens\":2}\n"),
                     TS_FMT_JSONL);
    assert_int_equal(sniff("{\"a\":1}\r\n{\"a\":2}\r\n"), TS_FMT_JSONL);
    assert_int_equal(sniff("{\"a\":1}  \n\n\n{\"a\":2}"), TS_FMT_JSONL);
    assert_int_equal(sniff("  {\"a\":1}\n{\"a\":2}\n"), TS_FMT_JSONL);
    /* Nested values and strings holding braces, quotes and brackets. */
    assert_int_equal(sniff("{\"a\":{\"b\":[1,{\"c\":2}]}}\n{\"a\":2}\n"), TS_FMT_JSONL);
    assert_int_equal(sniff("{\"a\":\"}{\"}\n{\"a\":2}\n"), TS_FMT_JSONL);
    assert_int_equal(sniff("{\"a\":\"x\\\"}\"}\n{\"a\":2}\n"), TS_FMT_JSONL);
    assert_int_equal(sniff("{\"a\":\"\\\\\"}\n{\"a\":2}\n"), TS_FMT_JSONL);
}

static void test_sniff_empty(void **state)
{
    (void)state;
    static const char *const blank[] = {"", " ", "\n", "\r\n\r\n", " \t \n  "};
    for (size_t i = 0; i < sizeof(blank) / sizeof(blank[0]); i++) {
        enum ts_format f = TS_FMT_CSV;
        struct ts_err err = TS_ERR_INIT;
        assert_int_equal(format_sniff(blank[i], strlen(blank[i]), &f, &err), -1);
        assert_string_equal(err.msg, "empty file (expected CSV or JSON)");
        assert_int_equal(f, TS_FMT_CSV); /* untouched */
    }
}

/* Only len bytes are looked at; a head cut inside the first object is not
 * JSON Lines. */
static void test_sniff_len(void **state)
{
    (void)state;
    static const char s[] = "{\"a\":1}\n{\"a\":2}\n";
    enum ts_format f;
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(format_sniff(s, 5, &f, &err), 0);
    assert_int_equal(f, TS_FMT_JSON);
    assert_int_equal(format_sniff(s, 9, &f, &err), 0);
    assert_int_equal(f, TS_FMT_JSONL);
    assert_int_equal(format_sniff(s, 0, &f, &err), -1);
    assert_int_equal(format_sniff("  x", 2, &f, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),         cmocka_unit_test(test_parse_round_trip),
        cmocka_unit_test(test_parse_rejects), cmocka_unit_test(test_sniff_csv),
        cmocka_unit_test(test_sniff_json),    cmocka_unit_test(test_sniff_jsonl),
        cmocka_unit_test(test_sniff_empty),   cmocka_unit_test(test_sniff_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
