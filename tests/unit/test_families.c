/* test_families.c - model families: rules, the longest prefix, the
 * default without a rule, families files, and the shipped rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv_rows.h"
#include "core/families.h"
#include "core/vendors.h"

/* ---- family_rule_normalize ------------------------------------------------ */

static void assert_rule(const char *prefix, const char *family, const char *want_prefix,
                        const char *want_family)
{
    struct ts_buf p = TS_BUF_INIT, f = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;

    if (family_rule_normalize(prefix, family, &p, &f, &err) != 0)
        fail_msg("family_rule_normalize('%s', '%s') failed: %s", prefix, family, err.msg);
    assert_string_equal(p.data, want_prefix);
    assert_string_equal(f.data, want_family);
    buf_release(&p);
    buf_release(&f);
}

static void assert_rule_err(const char *prefix, const char *family, const char *want_msg)
{
    struct ts_buf p = TS_BUF_INIT, f = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(family_rule_normalize(prefix, family, &p, &f, &err), -1);
    assert_string_equal(err.msg, want_msg);
    buf_release(&p);
    buf_release(&f);
}

static void test_rule_normalized(void **state)
{
    (void)state;
    /* Trimmed; the vendor lower-cased as model slugs are, the rest kept. */
    assert_rule(" DeepSeek/deepseek-v3.2 ", "\tdeepseek/DeepSeek-V3.2\n", "deepseek/deepseek-v3.2",
                "deepseek/DeepSeek-V3.2");
    /* A prefix may end anywhere, even right after the '/' or in a variant. */
    assert_rule("qwen/", "qwen/qwen", "qwen/", "qwen/qwen");
    assert_rule("deepseek/deepseek-r1:free", "deepseek/deepseek-r1-free",
                "deepseek/deepseek-r1:free", "deepseek/deepseek-r1-free");
}

static void test_rule_errors(void **state)
{
    (void)state;
    assert_rule_err("", "a/b",
                    "empty prefix (expected the beginning of a model slug, like "
                    "deepseek/deepseek-v3.2)");
    assert_rule_err("a/b", "  ",
                    "empty family (expected the beginning of a model slug, like "
                    "deepseek/deepseek-v3.2)");
    assert_rule_err("deepseek-v3", "deepseek/deepseek-v3",
                    "prefix 'deepseek-v3' has no '/' (expected a vendor, '/' and a model's name, "
                    "like deepseek/deepseek-v3.2)");
    assert_rule_err("/deepseek-v3", "deepseek/deepseek-v3",
                    "prefix '/deepseek-v3' has no vendor before '/' (expected a vendor first, "
                    "like deepseek/deepseek-v3.2)");
    assert_rule_err("deepseek/deepseek-v3", "deepseek/",
                    "family 'deepseek/' has no name after '/' (expected a name, like "
                    "deepseek/deepseek-v3.2)");
    assert_rule_err("deepseek/deepseek-r1", "deepseek/deepseek-r1:free",
                    "family 'deepseek/deepseek-r1:free' has a ':variant' (expected a family "
                    "without one, like deepseek/deepseek-v3.2)");
    assert_rule_err("deepseek/deepseek-v3", "openai/gpt-4o",
                    "family 'openai/gpt-4o' is not of the vendor of prefix 'deepseek/deepseek-v3' "
                    "(expected a family starting with 'deepseek/')");
    /* A vendor that only starts like the prefix's is another vendor. */
    assert_rule_err("meta/llama", "meta-llama/llama",
                    "family 'meta-llama/llama' is not of the vendor of prefix 'meta/llama' "
                    "(expected a family starting with 'meta/')");
    assert_rule_err("Other/x", "other/x",
                    "prefix 'Other/x' has the vendor 'other', which names the bucket of unlisted "
                    "models");
    assert_rule_err("a/\x1b[31m", "a/b", "prefix 'a/\\x1b[31m' contains a control character");
    assert_rule_err("a/b", "a/\xff", "family 'a/\\xff' is not valid UTF-8 text");
}

static void test_rule_too_long(void **state)
{
    char *big = malloc(TS_SLUG_MAX + 2);
    struct ts_buf p = TS_BUF_INIT, f = TS_BUF_INIT;
    struct ts_err err = TS_ERR_INIT;
    (void)state;

    memset(big, 'x', TS_SLUG_MAX + 1);
    big[1] = '/';
    big[TS_SLUG_MAX + 1] = '\0';
    assert_int_equal(family_rule_normalize(big, "x/y", &p, &f, &err), -1);
    assert_non_null(strstr(err.msg, "is 513 bytes long (expected at most 512)"));
    big[TS_SLUG_MAX] = '\0'; /* 512 bytes: accepted */
    assert_int_equal(family_rule_normalize(big, "x/y", &p, &f, &err), 0);
    free(big);
    buf_release(&p);
    buf_release(&f);
}

/* ---- matching and the default ------------------------------------------ */

static void assert_family(const struct family_rules *rs, const char *slug, const char *want)
{
    struct ts_buf out = TS_BUF_INIT;

    family_resolve(NULL, rs, slug, &out);
    if (strcmp(out.data, want) != 0)
        fail_msg("family of '%s': got '%s', want '%s'", slug, out.data, want);
    buf_release(&out);
}

static void test_default_without_rules(void **state)
{
    struct family_rules rs = FAMILY_RULES_INIT;
    (void)state;

    family_rules_sort(&rs);
    assert_null(family_rules_match(&rs, "deepseek/deepseek-v3.2-20251201"));
    /* The date (both spellings) and the :variant go; other suffixes stay. */
    assert_family(&rs, "deepseek/deepseek-v3.2-20251201", "deepseek/deepseek-v3.2");
    assert_family(&rs, "deepseek/deepseek-v3.2-20251201:free", "deepseek/deepseek-v3.2");
    assert_family(&rs, "openai/gpt-4o-2024-08-06", "openai/gpt-4o");
    assert_family(&rs, "anthropic/claude-3.5-sonnet:beta", "anthropic/claude-3.5-sonnet");
    assert_family(&rs, "deepseek/deepseek-v3.2-exp", "deepseek/deepseek-v3.2-exp");
    assert_family(&rs, "moonshotai/kimi-k2.5-0127", "moonshotai/kimi-k2.5-0127");
    assert_family(&rs, TS_OTHER, TS_OTHER);
    family_rules_release(&rs);
}

static void test_longest_prefix_wins(void **state)
{
    struct family_rules rs = FAMILY_RULES_INIT;
    (void)state;

    family_rules_add(&rs, "deepseek/deepseek-chat", "deepseek/deepseek-v3");
    family_rules_add(&rs, "deepseek/deepseek-chat-v3.1", "deepseek/deepseek-v3.1");
    family_rules_add(&rs, "deepseek/deepseek-chat-v3", "deepseek/deepseek-v3");
    family_rules_add(&rs, "deepseek/deepseek-v3.2", "deepseek/deepseek-v3.2");
    family_rules_add(&rs, "qwen/", "qwen/all");
    family_rules_sort(&rs);
    assert_family(&rs, "deepseek/deepseek-chat", "deepseek/deepseek-v3");
    assert_family(&rs, "deepseek/deepseek-chat-v3-0324:free", "deepseek/deepseek-v3");
    assert_family(&rs, "deepseek/deepseek-chat-v3.1", "deepseek/deepseek-v3.1");
    assert_family(&rs, "deepseek/deepseek-chat-v3.1:free", "deepseek/deepseek-v3.1");
    assert_family(&rs, "deepseek/deepseek-v3.2-exp", "deepseek/deepseek-v3.2");
    assert_family(&rs, "deepseek/deepseek-v3.2-20251201:free", "deepseek/deepseek-v3.2");
    assert_family(&rs, "qwen/qwq-32b", "qwen/all");
    /* A slug shorter than a prefix, or only sharing its start, is not
     * matched by it; the default applies. */
    assert_family(&rs, "deepseek/deepseek-ch", "deepseek/deepseek-ch");
    assert_family(&rs, "deepseek/deepseek-v3.1-20250821", "deepseek/deepseek-v3.1");
    assert_family(&rs, "qwen", "qwen");
    assert_family(&rs, "qwenx/a", "qwenx/a");
    const struct family_rule *r = family_rules_match(&rs, "deepseek/deepseek-chat-v3.1-x");
    assert_non_null(r);
    assert_string_equal(r->prefix, "deepseek/deepseek-chat-v3.1");
    family_rules_release(&rs);
}

static void test_later_rule_replaces(void **state)
{
    struct family_rules rs = FAMILY_RULES_INIT;
    (void)state;

    family_rules_add(&rs, "b/x", "b/one");
    family_rules_add(&rs, "a/x", "a/x");
    family_rules_add(&rs, "b/x", "b/two");
    family_rules_add(&rs, "c/x", "c/x");
    family_rules_add(&rs, "b/x", "b/three");
    family_rules_sort(&rs);
    assert_int_equal(rs.n, 3);
    assert_string_equal(rs.r[0].prefix, "a/x");
    assert_string_equal(rs.r[1].prefix, "b/x");
    assert_string_equal(rs.r[1].family, "b/three");
    assert_string_equal(rs.r[2].prefix, "c/x");
    assert_family(&rs, "b/x-1", "b/three");
    family_rules_release(&rs);
}

/* Many rules: each slug finds its own, whatever the order added. */
static void test_many_rules(void **state)
{
    struct family_rules rs = FAMILY_RULES_INIT;
    char prefix[64], family[64], slug[80];
    (void)state;

    for (int i = 999; i >= 0; i--) {
        snprintf(prefix, sizeof(prefix), "v/m%d", i);
        snprintf(family, sizeof(family), "v/f%d", i);
        family_rules_add(&rs, prefix, family);
    }
    family_rules_sort(&rs);
    assert_int_equal(rs.n, 1000);
    for (int i = 0; i < 1000; i++) {
        /* v/m12-x matches v/m12 (and v/m1, shorter): v/f12 */
        snprintf(slug, sizeof(slug), "v/m%d-x", i);
        snprintf(family, sizeof(family), "v/f%d", i);
        assert_family(&rs, slug, family);
    }
    family_rules_release(&rs);
}

/* A user's rule comes before every shipped one, a longer shipped prefix
 * included; among the user's, the longest wins too. */
static void test_user_rules_first(void **state)
{
    struct family_rules user = FAMILY_RULES_INIT, shipped = FAMILY_RULES_INIT;
    struct ts_buf out = TS_BUF_INIT;
    (void)state;

    family_rules_add(&shipped, "deepseek/deepseek-chat", "deepseek/deepseek-v3");
    family_rules_add(&shipped, "deepseek/deepseek-v3.2", "deepseek/deepseek-v3.2");
    family_rules_add(&user, "deepseek/", "deepseek/deepseek");
    family_rules_add(&user, "deepseek/deepseek-r1-distill", "deepseek/r1-distill");
    family_rules_sort(&user);
    family_rules_sort(&shipped);
    family_resolve(&user, &shipped, "deepseek/deepseek-chat-v3-0324", &out);
    assert_string_equal(out.data, "deepseek/deepseek");
    family_resolve(&user, &shipped, "deepseek/deepseek-r1-distill-llama-70b", &out);
    assert_string_equal(out.data, "deepseek/r1-distill");
    family_resolve(&user, &shipped, "qwen/qwq-32b:free", &out);
    assert_string_equal(out.data, "qwen/qwq-32b");
    family_resolve(NULL, &shipped, "deepseek/deepseek-chat-v3-0324", &out);
    assert_string_equal(out.data, "deepseek/deepseek-v3");
    buf_release(&out);
    family_rules_release(&user);
    family_rules_release(&shipped);
}

/* ---- families_parse ---------------------------------------------------- */

struct collected {
    struct family_rules rs;
    long lines[16];
    size_t n;
    int fail_at; /* fail on this rule (1-based), 0 never */
};

static int collect(void *ctx, const struct family_rule *rule, long line, struct ts_err *err)
{
    struct collected *c = ctx;

    if (c->n < 16)
        c->lines[c->n] = line;
    c->n++;
    if (c->fail_at > 0 && (size_t)c->fail_at == c->n)
        return ts_err_set(err, "refused by the callback");
    family_rules_add(&c->rs, rule->prefix, rule->family);
    return 0;
}

static int parse(const char *s, struct collected *c, size_t *rows, struct ts_err *err)
{
    *rows = 0;
    return families_parse(s, strlen(s), collect, c, rows, err);
}

static void test_parse_rows(void **state)
{
    struct collected c = {FAMILY_RULES_INIT, {0}, 0, 0};
    struct ts_err err = TS_ERR_INIT;
    size_t rows;
    (void)state;

    /* A BOM, CRLF, quotes, a blank line, extra columns in any order. */
    assert_int_equal(parse("\xEF\xBB\xBFnote,Family,PREFIX\r\n"
                           "why,deepseek/deepseek-v3.2,DeepSeek/deepseek-v3.2\r\n"
                           "\r\n"
                           "\"a, b\",\"x-ai/grok-2\",x-ai/grok-2-1212\r\n",
                           &c, &rows, &err),
                     0);
    assert_int_equal(rows, 2);
    assert_int_equal(c.rs.n, 2);
    assert_string_equal(c.rs.r[0].prefix, "deepseek/deepseek-v3.2");
    assert_string_equal(c.rs.r[1].family, "x-ai/grok-2");
    assert_int_equal(c.lines[0], 2);
    assert_int_equal(c.lines[1], 4);
    family_rules_release(&c.rs);
}

static void assert_parse_err(const char *s, long want_line, const char *want_msg)
{
    struct collected c = {FAMILY_RULES_INIT, {0}, 0, 0};
    struct ts_err err = TS_ERR_INIT;
    size_t rows;

    assert_int_equal(parse(s, &c, &rows, &err), -1);
    assert_string_equal(err.msg, want_msg);
    assert_int_equal(err.line, want_line);
    family_rules_release(&c.rs);
}

static void test_parse_errors(void **state)
{
    (void)state;
    assert_parse_err("", 0, "empty file (expected a header row)");
    assert_parse_err("\n\n", 0, "empty file (expected a header row)");
    assert_parse_err("prefix\na/b\n", 1,
                     "no family column (expected a header naming prefix and "
                     "family)");
    assert_parse_err("model,family\na/b,a/b\n", 1,
                     "no prefix column (expected a header naming prefix and family)");
    assert_parse_err("prefix,family\na/b,a/b\n\nopenai/o1-preview,x-ai/o1\n", 4,
                     "family 'x-ai/o1' is not of the vendor of prefix 'openai/o1-preview' "
                     "(expected a family starting with 'openai/')");
    /* A short row: its family is empty. */
    assert_parse_err("prefix,family\na/b\n", 2,
                     "empty family (expected the beginning of a model slug, like "
                     "deepseek/deepseek-v3.2)");
    /* A quoted field over two lines: the row's first line. */
    assert_parse_err("prefix,family\n\"a/b\nc\",x\n", 2,
                     "prefix 'a/b\\x0ac' contains a control character");
    assert_parse_err("prefix,family\na/b,x\n", 2,
                     "family 'x' has no '/' (expected a vendor, '/' and a model's name, like "
                     "deepseek/deepseek-v3.2)");
    /* After a row whose note spans lines (with "" inside), the next row's
     * line is still its own. */
    assert_parse_err("note,prefix,family\n\"one\n\"\"two\"\"\n\",a/b,a/b\nx,a/c,b/c\n", 5,
                     "family 'b/c' is not of the vendor of prefix 'a/c' (expected a family "
                     "starting with 'a/')");
    assert_parse_err("prefix,family\na/b,\"a/c\n", 2, "unterminated quoted field");
    assert_parse_err("prefix,family\na/b,a\"c\n", 2,
                     "malformed CSV (error parsing data while "
                     "strict checking enabled)");
}

static void test_parse_callback_error(void **state)
{
    struct collected c = {FAMILY_RULES_INIT, {0}, 0, 2};
    struct ts_err err = TS_ERR_INIT;
    size_t rows;
    (void)state;

    assert_int_equal(parse("prefix,family\na/b,a/b\na/c,a/c\na/d,a/d\n", &c, &rows, &err), -1);
    assert_string_equal(err.msg, "refused by the callback");
    assert_int_equal(err.line, 3);
    assert_int_equal(c.n, 2); /* it stopped there */
    assert_int_equal(rows, 1);
    family_rules_release(&c.rs);
}

/* ---- the shipped rules ------------------------------------------------- */

static void shipped(struct family_rules *rs, size_t *rows)
{
    struct collected c = {FAMILY_RULES_INIT, {0}, 0, 0};
    struct ts_err err = TS_ERR_INIT;

    *rows = 0;
    if (families_parse((const char *)families_shipped_csv, families_shipped_csv_len, collect, &c,
                       rows, &err) != 0)
        fail_msg("data/families.csv:%ld: %s", err.line, err.msg);
    *rs = c.rs;
}

/* Every rule parses, once a prefix, sorted (so that a new one has one
 * place), and each says something the default does not: the family of its
 * own prefix is not what the default gives. */
static void test_shipped_rules(void **state)
{
    struct family_rules rs, none = FAMILY_RULES_INIT;
    struct ts_buf def = TS_BUF_INIT;
    size_t rows;
    (void)state;

    shipped(&rs, &rows);
    assert_true(rows >= 40);
    assert_int_equal(rs.n, rows);
    for (size_t i = 1; i < rs.n; i++) {
        if (strcmp(rs.r[i - 1].prefix, rs.r[i].prefix) >= 0)
            fail_msg("data/families.csv: '%s' after '%s' (keep it sorted, one rule a prefix)",
                     rs.r[i].prefix, rs.r[i - 1].prefix);
    }
    family_rules_sort(&rs);
    assert_int_equal(rs.n, rows);
    for (size_t i = 0; i < rs.n; i++) {
        family_resolve(NULL, &none, rs.r[i].prefix, &def);
        /* A prefix equal to its family catches longer slugs (variants the
         * default keeps, like -exp): test it on one. */
        if (strcmp(def.data, rs.r[i].family) == 0) {
            struct ts_buf longer = TS_BUF_INIT, got = TS_BUF_INIT;
            buf_printf(&longer, "%s-exp", rs.r[i].prefix);
            family_resolve(NULL, NULL, longer.data, &def);
            family_resolve(NULL, &rs, longer.data, &got);
            assert_string_not_equal(def.data, got.data);
            buf_release(&longer);
            buf_release(&got);
        }
    }
    buf_release(&def);
    family_rules_release(&rs);
}

/* The families of real slugs: the sample's (Data API, January 2025) and
 * the constructed February 2026 snapshots'. */
static void test_shipped_real_slugs(void **state)
{
    static const char *const cases[][2] = {
        {"anthropic/claude-3-5-haiku-20241022", "anthropic/claude-3.5-haiku"},
        {"anthropic/claude-3-5-haiku:beta", "anthropic/claude-3.5-haiku"},
        {"anthropic/claude-3.5-sonnet-20240620:beta", "anthropic/claude-3.5-sonnet"},
        {"anthropic/claude-4.6-opus-20260205", "anthropic/claude-4.6-opus"},
        {"cohere/command-r-08-2024", "cohere/command-r"},
        {"cohere/command-r", "cohere/command-r"},
        {"cohere/command-r-plus-08-2024", "cohere/command-r-plus"},
        {"deepseek/deepseek-chat-v3", "deepseek/deepseek-v3"},
        {"deepseek/deepseek-r1:free", "deepseek/deepseek-r1"},
        {"deepseek/deepseek-r1-distill-llama-70b", "deepseek/deepseek-r1-distill-llama-70b"},
        {"deepseek/deepseek-v3.2-20251201", "deepseek/deepseek-v3.2"},
        {"deepseek/deepseek-v3.2-exp", "deepseek/deepseek-v3.2"},
        {"google/gemini-2.0-flash-exp:free", "google/gemini-2.0-flash"},
        {"google/gemini-2.0-flash-thinking-exp-01-21:free", "google/gemini-2.0-flash-thinking"},
        {"google/gemini-2.0-flash-thinking-exp-1219:free", "google/gemini-2.0-flash-thinking"},
        {"google/gemini-flash-1.5-exp", "google/gemini-flash-1.5"},
        {"google/gemini-flash-1.5-8b", "google/gemini-flash-1.5-8b"},
        {"google/gemini-3-flash-preview-20251217", "google/gemini-3-flash"},
        {"meta-llama/llama-3.1-70b-instruct:free", "meta-llama/llama-3.1-70b-instruct"},
        {"mistralai/codestral-2501", "mistralai/codestral"},
        {"mistralai/mistral-7b-instruct-v0.3", "mistralai/mistral-7b-instruct"},
        {"mistralai/mistral-large-2411", "mistralai/mistral-large"},
        {"mistralai/mistral-small-3.2-24b-instruct-2506", "mistralai/mistral-small-3.2"},
        {"moonshotai/kimi-k2.5-0127", "moonshotai/kimi-k2.5"},
        {"openai/gpt-4o-2024-11-20", "openai/gpt-4o"},
        {"openai/gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini"},
        {"openai/chatgpt-4o-latest", "openai/chatgpt-4o-latest"},
        {"openai/o3-mini-2025-01-31", "openai/o3-mini"},
        {"qwen/qwq-32b-preview", "qwen/qwq-32b"},
        {"stepfun/step-3.5-flash:free", "stepfun/step-3.5-flash"},
        {"x-ai/grok-2-1212", "x-ai/grok-2"},
        {"z-ai/glm-5-20260211", "z-ai/glm-5"},
        {TS_OTHER, TS_OTHER},
    };
    struct family_rules rs;
    size_t rows;
    (void)state;

    shipped(&rs, &rows);
    family_rules_sort(&rs);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_family(&rs, cases[i][0], cases[i][1]);
    family_rules_release(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_normalized),      cmocka_unit_test(test_rule_errors),
        cmocka_unit_test(test_rule_too_long),        cmocka_unit_test(test_default_without_rules),
        cmocka_unit_test(test_longest_prefix_wins),  cmocka_unit_test(test_later_rule_replaces),
        cmocka_unit_test(test_many_rules),           cmocka_unit_test(test_user_rules_first),
        cmocka_unit_test(test_parse_rows),           cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_callback_error), cmocka_unit_test(test_shipped_rules),
        cmocka_unit_test(test_shipped_real_slugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
