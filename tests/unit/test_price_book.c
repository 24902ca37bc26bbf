/* test_price_book.c - which price applies to a usage model in a week: slug
 * stripping, the matching levels, catalogue aliases, price history. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/price_book.h"
#include "import/record.h"
#include "support.h"
#include "core/util.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Prices are pico-USD per token: $1 per million tokens is 1,000,000. */
#define PER_M(usd_cents) ((int64_t)(usd_cents)*10000) /* cents per million tokens */

/* ---- helpers ---- */

/* The model price_book_match finds for slug, -1 for none (or free). */
static long match_of(const struct price_book *b, const char *slug)
{
    long m = 7;
    enum price_match how = price_book_match(b, slug, &m);

    if ((how == PRICE_NONE || how == PRICE_FREE) && m != -1)
        fail_msg("price_book_match(\"%s\"): %s, model %ld (expected -1)", slug,
                 how == PRICE_NONE ? "none" : "free", m);
    return m;
}

static long find_of(const struct price_book *b, const char *name)
{
    long m = 7;

    price_book_find(b, name, &m, NULL);
    return m;
}

static void assert_strip(const char *slug, const char *want_nodate, const char *want_base,
                         int want_variant)
{
    struct ts_buf nodate = TS_BUF_INIT, base = TS_BUF_INIT;
    int has_variant = -1;

    price_strip(slug, &nodate, &base, &has_variant);
    if (!nodate.data || strcmp(nodate.data, want_nodate) != 0 || !base.data ||
        strcmp(base.data, want_base) != 0 || has_variant != want_variant) {
        fail_msg("price_strip(\"%s\"): got nodate \"%s\" base \"%s\" variant %d, expected "
                 "\"%s\" \"%s\" %d",
                 slug, nodate.data ? nodate.data : "(null)", base.data ? base.data : "(null)",
                 has_variant, want_nodate, want_base, want_variant);
    }
    assert_int_equal(nodate.len, strlen(want_nodate));
    assert_int_equal(base.len, strlen(want_base));
    buf_release(&nodate);
    buf_release(&base);
}

/* The index in b->models of the model named exactly name, found without
 * price_book_match; fails the test when there is none. */
static long model_index(const struct price_book *b, const char *name)
{
    for (size_t i = 0; i < b->nmodels; i++) {
        if (strcmp(b->models[i].model, name) == 0)
            return (long)i;
    }
    fail_msg("no model \"%s\" in the book", name);
    return -1;
}

static const char *model_name(const struct price_book *b, long m)
{
    if (m < 0)
        return "(none)";
    if ((size_t)m >= b->nmodels)
        return "(out of range)";
    return b->models[m].model;
}

/* price_book_match(b, slug) is the model named want, or -1 when want is NULL. */
static void assert_match(const struct price_book *b, const char *slug, const char *want)
{
    long got = match_of(b, slug);
    long exp = want ? model_index(b, want) : -1;

    if (got != exp)
        fail_msg("price_book_match(\"%s\"): got %ld %s, expected %ld %s", slug, got,
                 model_name(b, got), exp, want ? want : "(none)");
}

/* As assert_match, and the match is how. */
static void assert_match_how(const struct price_book *b, const char *slug, const char *want,
                             enum price_match how)
{
    long m;
    enum price_match got = price_book_match(b, slug, &m);

    assert_match(b, slug, want);
    if (got != how)
        fail_msg("price_book_match(\"%s\"): matched %s, expected %s", slug,
                 got == PRICE_NONE ? "nothing" : price_match_name(got),
                 how == PRICE_NONE ? "nothing" : price_match_name(how));
}

static void assert_find(const struct price_book *b, const char *name, const char *want)
{
    long got = find_of(b, name);
    long exp = want ? model_index(b, want) : -1;

    if (got != exp)
        fail_msg("price_book_find(\"%s\"): got %ld %s, expected %ld %s", name, got,
                 model_name(b, got), exp, want ? want : "(none)");
}

/* A catalogue price (not a snapshot) fetched on day. */
static void add_cat(struct price_book *b, const char *model, const char *day, int64_t prompt,
                    int64_t completion)
{
    price_book_add(b, model, D(day), 0, prompt, completion);
}

static void add_snap(struct price_book *b, const char *model, const char *day, int64_t prompt,
                     int64_t completion)
{
    price_book_add(b, model, D(day), 1, prompt, completion);
}

/* price_book_at for model (named exactly) in the week of Monday week has
 * the prompt price want and sets *later to want_later (which it starts as
 * the other value, so the call must write it). */
static void assert_prompt_at(const struct price_book *b, const char *model, const char *week,
                             int64_t want, int want_later)
{
    int later = !want_later;
    const struct price_row *r = price_book_at(b, model_index(b, model), D(week) + 6, &later);

    if (!r)
        fail_msg("price_book_at(\"%s\", %s): no price", model, week);
    assert_string_equal(r->model, model);
    if (r->prompt != want || later != want_later)
        fail_msg("price_book_at(\"%s\", %s): prompt %lld, later %d; expected %lld, %d", model, week,
                 (long long)r->prompt, later, (long long)want, want_later);
}

/* ---- price_strip ---- */

static void test_strip_date(void **state)
{
    (void)state;
    assert_strip("anthropic/claude-4.6-opus-20260205", "anthropic/claude-4.6-opus",
                 "anthropic/claude-4.6-opus", 0);
    assert_strip("minimax/minimax-m2.5-20260211", "minimax/minimax-m2.5", "minimax/minimax-m2.5",
                 0);
}

static void test_strip_date_and_variant(void **state)
{
    (void)state;
    assert_strip("google/gemma-4-31b-it-20260402:free", "google/gemma-4-31b-it:free",
                 "google/gemma-4-31b-it", 1);
    assert_strip("anthropic/claude-3-7-sonnet-20250219:thinking",
                 "anthropic/claude-3-7-sonnet:thinking", "anthropic/claude-3-7-sonnet", 1);
    /* A variant without a date. */
    assert_strip("google/gemma-4-31b-it:free", "google/gemma-4-31b-it:free",
                 "google/gemma-4-31b-it", 1);
    /* A date that is not at the end of the stem stays. */
    assert_strip("x/model-20260101-pro:free", "x/model-20260101-pro:free", "x/model-20260101-pro",
                 1);
}

static void test_strip_dashed_date(void **state)
{
    (void)state;
    assert_strip("qwen/qwen3-coder-next-2025-02-03", "qwen/qwen3-coder-next",
                 "qwen/qwen3-coder-next", 0);
    assert_strip("qwen/qwen3-coder-next-2025-02-03:free", "qwen/qwen3-coder-next:free",
                 "qwen/qwen3-coder-next", 1);
    /* Not quite -YYYY-MM-DD. */
    assert_strip("x/m-2025-2-03", "x/m-2025-2-03", "x/m-2025-2-03", 0);
    assert_strip("x/m-2025-02-3", "x/m-2025-02-3", "x/m-2025-02-3", 0);
    assert_strip("x/m-25-02-03", "x/m-25-02-03", "x/m-25-02-03", 0);
}

static void test_strip_not_a_date(void **state)
{
    (void)state;
    /* Short version numbers are not dates. */
    assert_strip("moonshotai/kimi-k2.5-0127", "moonshotai/kimi-k2.5-0127",
                 "moonshotai/kimi-k2.5-0127", 0);
    assert_strip("mistralai/mistral-small-3.2-24b-instruct-2506",
                 "mistralai/mistral-small-3.2-24b-instruct-2506",
                 "mistralai/mistral-small-3.2-24b-instruct-2506", 0);
    assert_strip("x-ai/grok-code-fast-1", "x-ai/grok-code-fast-1", "x-ai/grok-code-fast-1", 0);
    /* Only digits after the '-', but 7 or 9 of them. */
    assert_strip("x/model-2026020", "x/model-2026020", "x/model-2026020", 0);
    assert_strip("x/model-202602051", "x/model-202602051", "x/model-202602051", 0);
    assert_strip("x/model-2026020:free", "x/model-2026020:free", "x/model-2026020", 1);
    assert_strip("x/model-202602051:free", "x/model-202602051:free", "x/model-202602051", 1);
    /* Eight digits not after a '-'. */
    assert_strip("x/model20260205", "x/model20260205", "x/model20260205", 0);
    assert_strip("x/model_20260205", "x/model_20260205", "x/model_20260205", 0);
    /* Nothing at all before the digits: not a suffix. */
    assert_strip("-20260205", "-20260205", "-20260205", 0);
}

static void test_strip_colons(void **state)
{
    (void)state;
    /* A colon before the '/' belongs to the vendor, not a variant. */
    assert_strip("ven:dor/model-20260101", "ven:dor/model", "ven:dor/model", 0);
    assert_strip("ven:dor/model-20260101:free", "ven:dor/model:free", "ven:dor/model", 1);
    /* No '/': the first colon starts the variant. */
    assert_strip("model-20260101:free", "model:free", "model", 1);
    assert_strip("model:free", "model:free", "model", 1);
    /* Only the first colon after the '/' counts; the rest is all variant. */
    assert_strip("x/m-20260101:a:b", "x/m:a:b", "x/m", 1);
    /* An empty variant is still a variant. */
    assert_strip("x/m-20260101:", "x/m:", "x/m", 1);
}

static void test_strip_plain(void **state)
{
    (void)state;
    assert_strip("other", "other", "other", 0);
    assert_strip("", "", "", 0);
    assert_strip("openai/gpt-4o", "openai/gpt-4o", "openai/gpt-4o", 0);
}

static void test_strip_reuses_buffers(void **state)
{
    (void)state;
    struct ts_buf nodate = TS_BUF_INIT, base = TS_BUF_INIT;
    int v = 0;

    price_strip("google/gemma-4-31b-it-20260402:free", &nodate, &base, &v);
    assert_int_equal(v, 1);
    /* A second call replaces, not appends. */
    price_strip("other", &nodate, &base, &v);
    assert_string_equal(nodate.data, "other");
    assert_string_equal(base.data, "other");
    assert_int_equal(nodate.len, 5);
    assert_int_equal(v, 0);
    buf_release(&nodate);
    buf_release(&base);
}

/* ---- price_book_index ---- */

static void test_index_fields(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "google/gemma-4-31b-it-20260402:free", "2026-04-02", 0, 0);
    add_cat(&b, "anthropic/claude-4.6-opus-20260205", "2026-02-05", PER_M(500), PER_M(2500));
    add_snap(&b, "anthropic/claude-4.6-opus-20260205", "2026-02-09", PER_M(500), TS_ABSENT);
    price_book_index(&b);

    assert_int_equal(b.nmodels, 2);
    /* Models in name order, rows grouped and ascending by valid_from. */
    assert_string_equal(b.models[0].model, "anthropic/claude-4.6-opus-20260205");
    assert_int_equal(b.models[0].first, 0);
    assert_int_equal(b.models[0].count, 2);
    assert_string_equal(b.models[0].nodate, "anthropic/claude-4.6-opus");
    assert_string_equal(b.models[0].base, "anthropic/claude-4.6-opus");
    assert_int_equal(b.models[0].has_variant, 0);
    assert_string_equal(b.models[1].model, "google/gemma-4-31b-it-20260402:free");
    assert_int_equal(b.models[1].first, 2);
    assert_int_equal(b.models[1].count, 1);
    assert_string_equal(b.models[1].nodate, "google/gemma-4-31b-it:free");
    assert_string_equal(b.models[1].base, "google/gemma-4-31b-it");
    assert_int_equal(b.models[1].has_variant, 1);

    /* The row values come through unchanged. */
    assert_int_equal(b.rows[0].valid_from, D("2026-02-05"));
    assert_int_equal(b.rows[0].snapshot, 0);
    assert_int_equal(b.rows[0].prompt, PER_M(500));
    assert_int_equal(b.rows[0].completion, PER_M(2500));
    assert_int_equal(b.rows[1].valid_from, D("2026-02-09"));
    assert_int_equal(b.rows[1].snapshot, 1);
    assert_int_equal(b.rows[1].completion, TS_ABSENT);
    assert_int_equal(b.rows[2].prompt, 0);
    price_book_release(&b);
}

static void test_index_sorts_any_order(void **state)
{
    (void)state;
    static const char *const days[] = {"2026-03-02", "2026-01-05", "2026-05-04", "2026-02-02",
                                       "2026-04-06"};
    static const char *const names[] = {"z/last", "a/first", "m/middle"};
    struct price_book b = PRICE_BOOK_INIT;

    /* Interleave models and days so nothing arrives in order. */
    for (size_t d = 0; d < ARRAY_LEN(days); d++) {
        for (size_t n = 0; n < ARRAY_LEN(names); n++)
            add_cat(&b, names[(n + d) % ARRAY_LEN(names)], days[d], (int64_t)(d * 10 + n), 0);
    }
    price_book_index(&b);

    assert_int_equal(b.nmodels, 3);
    assert_string_equal(b.models[0].model, "a/first");
    assert_string_equal(b.models[1].model, "m/middle");
    assert_string_equal(b.models[2].model, "z/last");
    for (size_t m = 0; m < b.nmodels; m++) {
        const struct price_model *pm = &b.models[m];
        assert_int_equal(pm->count, ARRAY_LEN(days));
        assert_int_equal(pm->first, m * ARRAY_LEN(days));
        for (size_t i = pm->first; i < pm->first + pm->count; i++) {
            assert_string_equal(b.rows[i].model, pm->model);
            assert_ptr_equal(b.rows[pm->first].model, pm->model);
            if (i > pm->first)
                assert_true(b.rows[i - 1].valid_from < b.rows[i].valid_from);
        }
        assert_int_equal(b.rows[pm->first].valid_from, D("2026-01-05"));
        assert_int_equal(b.rows[pm->first + pm->count - 1].valid_from, D("2026-05-04"));
    }
    price_book_release(&b);
}

static void test_index_many_models(void **state)
{
    (void)state;
    enum { NM = 500, NR = 3 };
    struct price_book b = PRICE_BOOK_INIT;
    char name[64];

    /* Rows added newest first, models in descending order; the middle row
     * of each model is a snapshot. */
    for (int r = NR - 1; r >= 0; r--) {
        for (int i = NM - 1; i >= 0; i--) {
            snprintf(name, sizeof(name), "vendor%02d/model-%03d-20260101", i % 37, i);
            price_book_add(&b, name, D("2026-01-05") + 7 * r, r == 1, (int64_t)i * 1000 + r,
                           (int64_t)i);
        }
    }
    price_book_index(&b);

    assert_int_equal(b.nrows, (size_t)NM * NR);
    assert_int_equal(b.nmodels, (size_t)NM);
    for (size_t m = 1; m < b.nmodels; m++) {
        assert_true(strcmp(b.models[m - 1].model, b.models[m].model) < 0);
        assert_int_equal(b.models[m].first, b.models[m - 1].first + b.models[m - 1].count);
    }
    for (int i = 0; i < NM; i++) {
        snprintf(name, sizeof(name), "vendor%02d/model-%03d-20260101", i % 37, i);
        long m = model_index(&b, name);
        const struct price_model *pm = &b.models[m];

        assert_int_equal(match_of(&b, name), m);
        assert_int_equal(pm->count, NR);
        for (int r = 0; r < NR; r++) {
            const struct price_row *row = &b.rows[pm->first + (size_t)r];
            assert_string_equal(row->model, name);
            assert_int_equal(row->valid_from, D("2026-01-05") + 7 * r);
            assert_int_equal(row->snapshot, r == 1);
            assert_int_equal(row->prompt, (int64_t)i * 1000 + r);
            assert_int_equal(row->completion, i);
        }
        /* Without the date, and with a variant: the same model. */
        snprintf(name, sizeof(name), "vendor%02d/model-%03d:thinking", i % 37, i);
        assert_int_equal(match_of(&b, name), m);

        int later = -1;
        const struct price_row *p = price_book_at(&b, m, D("2026-01-12") + 6, &later);
        assert_ptr_equal(p, &b.rows[pm->first + 1]);
        assert_int_equal(later, 0);
        p = price_book_at(&b, m, D("2026-06-01") + 6, &later);
        assert_ptr_equal(p, &b.rows[pm->first + NR - 1]);
    }
    price_book_release(&b);
}

static void test_index_hundreds_by_name(void **state)
{
    (void)state;
    enum { NM = 300 };
    struct price_book b = PRICE_BOOK_INIT;
    char name[64];

    /* Each model gets 1 + i % 3 rows; added in a scrambled order. */
    for (int pass = 2; pass >= 0; pass--) {
        for (int k = 0; k < NM; k++) {
            int i = (k * 7919) % NM; /* 7919 is prime, coprime with 300 */
            if (pass > i % 3)
                continue;
            snprintf(name, sizeof(name), "v%d/m-%d", i % 11, i);
            add_cat(&b, name,
                    pass == 0   ? "2026-01-05"
                    : pass == 1 ? "2026-02-02"
                                : "2026-03-02",
                    (int64_t)i * 10 + pass, 0);
        }
    }
    price_book_index(&b);
    assert_int_equal(b.nmodels, NM);
    for (int i = 0; i < NM; i++) {
        snprintf(name, sizeof(name), "v%d/m-%d", i % 11, i);
        long m = match_of(&b, name);
        assert_true(m >= 0);
        assert_string_equal(b.models[m].model, name);
        assert_int_equal(b.models[m].count, (size_t)(1 + i % 3));
        assert_int_equal(find_of(&b, name), m);
        int later = -1;
        /* The week of 2026-02-02 sees the second price when there is one. */
        assert_int_equal(price_book_at(&b, m, D("2026-02-02") + 6, &later)->prompt,
                         (int64_t)i * 10 + (i % 3 >= 1 ? 1 : 0));
        assert_int_equal(later, 0);
        assert_int_equal(price_book_at(&b, m, D("2026-06-01") + 6, &later)->prompt,
                         (int64_t)i * 10 + i % 3);
    }
    price_book_release(&b);
}

/* ---- price_book_match ---- */

static void test_match_exact_first(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "anthropic/claude-sonnet-4-20250514", "2026-01-05", PER_M(300), PER_M(1500));
    /* A newer version of the same base with a later price. */
    add_cat(&b, "anthropic/claude-sonnet-4-20250929", "2026-03-02", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-sonnet-4", "2026-04-06", PER_M(300), PER_M(1500));
    price_book_index(&b);

    /* The exact slug wins over every looser match, newer prices or not. */
    assert_match(&b, "anthropic/claude-sonnet-4-20250514", "anthropic/claude-sonnet-4-20250514");
    assert_match(&b, "anthropic/claude-sonnet-4-20250929", "anthropic/claude-sonnet-4-20250929");
    assert_match(&b, "anthropic/claude-sonnet-4", "anthropic/claude-sonnet-4");
    price_book_release(&b);
}

static void test_match_without_date_keeps_variant(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "google/gemma-4-31b-it-20260402", "2026-04-06", PER_M(10), PER_M(20));
    add_cat(&b, "google/gemma-4-31b-it-20260402:thinking", "2026-04-06", PER_M(30), PER_M(40));
    add_cat(&b, "google/gemma-4-31b-it-20260402:free", "2026-04-06", 0, 0);
    price_book_index(&b);

    /* Usage without the date finds the dated entry of the same variant. */
    assert_match_how(&b, "google/gemma-4-31b-it:thinking",
                     "google/gemma-4-31b-it-20260402:thinking", PRICE_UNDATED);
    assert_match_how(&b, "google/gemma-4-31b-it", "google/gemma-4-31b-it-20260402", PRICE_UNDATED);
    /* A different date matches too, by the slug without it. */
    assert_match_how(&b, "google/gemma-4-31b-it-20260501:thinking",
                     "google/gemma-4-31b-it-20260402:thinking", PRICE_UNDATED);
    assert_match_how(&b, "google/gemma-4-31b-it-20260501", "google/gemma-4-31b-it-20260402",
                     PRICE_UNDATED);
    /* The dashed date form is the same date. */
    assert_match_how(&b, "google/gemma-4-31b-it-2026-04-02", "google/gemma-4-31b-it-20260402",
                     PRICE_UNDATED);
    /* Free usage: its own entry when the slug is it, else free. */
    assert_match_how(&b, "google/gemma-4-31b-it-20260402:free",
                     "google/gemma-4-31b-it-20260402:free", PRICE_EXACT);
    assert_match_how(&b, "google/gemma-4-31b-it:free", NULL, PRICE_FREE);
    price_book_release(&b);
}

static void test_match_undated_catalogue(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* The catalogue has no date, the usage has one. */
    add_cat(&b, "x-ai/grok-code-fast-1", "2026-01-05", PER_M(20), PER_M(150));
    add_cat(&b, "qwen/qwen3-coder-next", "2026-01-05", PER_M(20), PER_M(150));
    price_book_index(&b);

    assert_match(&b, "x-ai/grok-code-fast-1-20260105", "x-ai/grok-code-fast-1");
    assert_match(&b, "qwen/qwen3-coder-next-2025-02-03", "qwen/qwen3-coder-next");
    /* Not dates: nothing to drop, so no match. */
    assert_match(&b, "x-ai/grok-code-fast-1-0127", NULL);
    assert_match(&b, "qwen/qwen3-coder-next-202502031", NULL);
    price_book_release(&b);
}

static void test_match_base_variantless(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "anthropic/claude-3-7-sonnet-20250219", "2026-01-05", PER_M(300), PER_M(1500));
    price_book_index(&b);

    /* No ":thinking" entry: the variant-less model prices it. */
    assert_match(&b, "anthropic/claude-3-7-sonnet-20250219:thinking",
                 "anthropic/claude-3-7-sonnet-20250219");
    assert_match(&b, "anthropic/claude-3-7-sonnet:thinking",
                 "anthropic/claude-3-7-sonnet-20250219");
    price_book_release(&b);

    /* With a ":thinking" entry, that one. */
    add_cat(&b, "anthropic/claude-3-7-sonnet-20250219", "2026-01-05", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-3-7-sonnet-20250219:thinking", "2026-01-05", PER_M(300),
            PER_M(1500));
    price_book_index(&b);
    assert_match(&b, "anthropic/claude-3-7-sonnet-20250219:thinking",
                 "anthropic/claude-3-7-sonnet-20250219:thinking");
    assert_match(&b, "anthropic/claude-3-7-sonnet:thinking",
                 "anthropic/claude-3-7-sonnet-20250219:thinking");
    assert_match(&b, "anthropic/claude-3-7-sonnet-20250219",
                 "anthropic/claude-3-7-sonnet-20250219");
    price_book_release(&b);
}

static void test_match_other_variant_never_used(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* Only a variant entry: its price is for that variant alone. */
    add_cat(&b, "anthropic/claude-3-7-sonnet-20250219:thinking", "2026-01-05", PER_M(300),
            PER_M(1500));
    price_book_index(&b);
    assert_match(&b, "anthropic/claude-3-7-sonnet-20250219", NULL);
    assert_match(&b, "anthropic/claude-3-7-sonnet-20250219:beta", NULL);
    assert_match(&b, "anthropic/claude-3-7-sonnet:extended", NULL);
    price_book_release(&b);
}

static void test_match_free_never_prices_paid(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "minimax/minimax-m2.5-20260211:free", "2026-02-11", 0, 0);
    price_book_index(&b);
    assert_match(&b, "minimax/minimax-m2.5-20260211", NULL);
    assert_match(&b, "minimax/minimax-m2.5", NULL);
    assert_match(&b, "minimax/minimax-m2.5-2026-02-11", NULL);
    /* The free usage itself is priced: by its own entry, or else as free. */
    assert_match(&b, "minimax/minimax-m2.5-20260211:free", "minimax/minimax-m2.5-20260211:free");
    assert_match_how(&b, "minimax/minimax-m2.5:free", NULL, PRICE_FREE);
    price_book_release(&b);
}

static void test_match_free_usage_unpriced(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* Free usage is never priced like the paid model: with no :free entry
     * of its own it is free (priced at 0). Other variants (:thinking) do
     * take the variant-less price (test_match_base_variantless). */
    add_cat(&b, "google/gemma-4-31b-it-20260402", "2026-04-06", PER_M(10), PER_M(20));
    price_book_index(&b);
    assert_match_how(&b, "google/gemma-4-31b-it:free", NULL, PRICE_FREE);
    assert_match_how(&b, "google/gemma-4-31b-it-20260402:free", NULL, PRICE_FREE);
    price_book_release(&b);
}

static void test_match_later_version_wins(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* The one whose latest price is later wins, whatever the name order
     * or the date in the slug. */
    add_cat(&b, "anthropic/claude-sonnet-4-20250514", "2026-01-05", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-sonnet-4-20250514", "2026-04-06", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-sonnet-4-20250929", "2026-02-02", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-sonnet-4-20250929", "2026-03-02", PER_M(300), PER_M(1500));
    price_book_index(&b);
    assert_match(&b, "anthropic/claude-sonnet-4", "anthropic/claude-sonnet-4-20250514");
    assert_match(&b, "anthropic/claude-sonnet-4-20260101", "anthropic/claude-sonnet-4-20250514");
    /* At the base level too. */
    assert_match(&b, "anthropic/claude-sonnet-4:thinking", "anthropic/claude-sonnet-4-20250514");
    price_book_release(&b);

    add_cat(&b, "anthropic/claude-sonnet-4-20250929", "2026-05-04", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-sonnet-4-20250514", "2026-01-05", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-sonnet-4-20250514", "2026-04-06", PER_M(300), PER_M(1500));
    price_book_index(&b);
    assert_match(&b, "anthropic/claude-sonnet-4", "anthropic/claude-sonnet-4-20250929");
    assert_match(&b, "anthropic/claude-sonnet-4:thinking", "anthropic/claude-sonnet-4-20250929");
    price_book_release(&b);

    /* Equal latest prices: the first in name order. */
    add_cat(&b, "anthropic/claude-sonnet-4-20250929", "2026-04-06", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-sonnet-4-20250514", "2026-04-06", PER_M(300), PER_M(1500));
    price_book_index(&b);
    assert_match(&b, "anthropic/claude-sonnet-4", "anthropic/claude-sonnet-4-20250514");
    price_book_release(&b);
}

static void test_match_levels_order(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* A same-nodate match beats a same-base match even when the base one
     * has the later price. */
    add_cat(&b, "google/gemma-4-31b-it-20260402:beta", "2026-01-05", PER_M(1), PER_M(2));
    add_cat(&b, "google/gemma-4-31b-it-20260402", "2026-05-04", PER_M(10), PER_M(20));
    price_book_index(&b);
    assert_match_how(&b, "google/gemma-4-31b-it-20260501:beta",
                     "google/gemma-4-31b-it-20260402:beta", PRICE_UNDATED);
    price_book_release(&b);

    /* Free usage of another date is free, not that version's :free entry. */
    add_cat(&b, "google/gemma-4-31b-it-20260402:free", "2026-01-05", 0, 0);
    add_cat(&b, "google/gemma-4-31b-it-20260402", "2026-05-04", PER_M(10), PER_M(20));
    price_book_index(&b);
    assert_match_how(&b, "google/gemma-4-31b-it-20260501:free", NULL, PRICE_FREE);
    price_book_release(&b);
}

static void test_match_none(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "anthropic/claude-4.6-opus-20260205", "2026-02-05", PER_M(500), PER_M(2500));
    add_cat(&b, "openai/gpt-4o", "2026-01-05", PER_M(250), PER_M(1000));
    price_book_index(&b);
    assert_match(&b, "other", NULL);
    assert_match(&b, "", NULL);
    assert_match(&b, "openai/gpt-4o-mini", NULL);
    assert_match(&b, "openai/gpt-4", NULL);
    assert_match(&b, "OpenAI/gpt-4o", NULL); /* case matters */
    assert_match(&b, "anthropic/claude-4.6-opus-2026020", NULL);
    assert_match(&b, "anthropic/claude-opus-4.6", NULL); /* an alias is not a slug */
    price_book_release(&b);
}

static void test_match_empty_book(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* Not indexed yet. */
    assert_int_equal(match_of(&b, "openai/gpt-4o"), -1);
    assert_int_equal(find_of(&b, "openai/gpt-4o"), -1);
    price_book_index(&b);
    assert_int_equal(b.nmodels, 0);
    assert_int_equal(match_of(&b, "openai/gpt-4o"), -1);
    assert_int_equal(match_of(&b, ""), -1);
    assert_int_equal(find_of(&b, "openai/gpt-4o"), -1);
    price_book_release(&b);
}

/* ---- price_book_find ---- */

static void test_find_alias_and_slugs(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "anthropic/claude-4.6-opus-20260205", "2026-02-05", PER_M(500), PER_M(2500));
    add_cat(&b, "openai/gpt-4o", "2026-01-05", PER_M(250), PER_M(1000));
    price_book_add_alias(&b, "anthropic/claude-opus-4.6", "anthropic/claude-4.6-opus-20260205");
    price_book_add_alias(&b, "~openai/gpt-latest", "openai/gpt-4o");
    price_book_index(&b);

    assert_find(&b, "anthropic/claude-opus-4.6", "anthropic/claude-4.6-opus-20260205");
    assert_find(&b, "~openai/gpt-latest", "openai/gpt-4o");
    assert_find(&b, "anthropic/claude-4.6-opus-20260205", "anthropic/claude-4.6-opus-20260205");
    assert_find(&b, "anthropic/claude-4.6-opus", "anthropic/claude-4.6-opus-20260205");
    assert_find(&b, "openai/gpt-4o", "openai/gpt-4o");
    assert_find(&b, "openai/gpt-5", NULL);
    assert_find(&b, "anthropic/claude-opus-4", NULL);
    assert_find(&b, "", NULL);
    price_book_release(&b);
}

static void test_find_alias_target_by_match(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* The alias names a model the book knows only by its dated slug. */
    add_cat(&b, "anthropic/claude-4.6-opus-20260205", "2026-02-05", PER_M(500), PER_M(2500));
    price_book_add_alias(&b, "anthropic/claude-opus-4.6", "anthropic/claude-4.6-opus");
    price_book_index(&b);
    assert_find(&b, "anthropic/claude-opus-4.6", "anthropic/claude-4.6-opus-20260205");
    price_book_release(&b);
}

static void test_find_alias_without_rows(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* The alias points at a model with no prices: the name itself is
     * matched instead. */
    add_cat(&b, "openai/gpt-4o", "2026-01-05", PER_M(250), PER_M(1000));
    add_cat(&b, "mistralai/mistral-large-20260101", "2026-01-05", PER_M(200), PER_M(600));
    price_book_add_alias(&b, "openai/gpt-4o", "openai/gpt-4o-mini");
    price_book_add_alias(&b, "mistralai/mistral-large-2026-01-01", "mistralai/nothing");
    price_book_add_alias(&b, "x/unpriced", "x/also-unpriced");
    price_book_index(&b);

    assert_find(&b, "openai/gpt-4o", "openai/gpt-4o");
    assert_find(&b, "mistralai/mistral-large-2026-01-01", "mistralai/mistral-large-20260101");
    assert_find(&b, "x/unpriced", NULL);
    price_book_release(&b);
}

static void test_find_first_resolving_alias(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* The same alias twice, the first to a model without prices: the one
     * that resolves is used. */
    add_cat(&b, "anthropic/claude-4.6-opus-20260205", "2026-02-05", PER_M(500), PER_M(2500));
    price_book_add_alias(&b, "opus", "anthropic/unknown");
    price_book_add_alias(&b, "opus", "anthropic/claude-4.6-opus-20260205");
    price_book_index(&b);
    assert_find(&b, "opus", "anthropic/claude-4.6-opus-20260205");
    price_book_release(&b);
}

/* ---- price_book_at ---- */

static void test_at_history(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    const char *m = "deepseek/deepseek-v3.2";
    int later = -1;

    add_cat(&b, m, "2026-05-01", PER_M(15), PER_M(60));
    add_cat(&b, m, "2026-02-02", PER_M(30), PER_M(120));
    price_book_index(&b);

    /* The first price from its day on. */
    assert_prompt_at(&b, m, "2026-02-02", PER_M(30), 0);
    assert_prompt_at(&b, m, "2026-02-09", PER_M(30), 0);
    /* The last week wholly before the change. */
    assert_prompt_at(&b, m, "2026-04-20", PER_M(30), 0);
    /* A price valid from inside the week (a Friday; the week ends on
     * Sunday 2026-05-03) applies to it. */
    assert_prompt_at(&b, m, "2026-04-27", PER_M(15), 0);
    assert_prompt_at(&b, m, "2026-05-04", PER_M(15), 0);
    assert_prompt_at(&b, m, "2026-06-01", PER_M(15), 0);
    /* The completion price comes from the same row. */
    assert_int_equal(price_book_at(&b, model_index(&b, m), D("2026-06-01") + 6, &later)->completion,
                     PER_M(60));
    price_book_release(&b);
}

static void test_at_sunday_boundary(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    const char *m = "x/m";

    add_cat(&b, m, "2026-02-01", PER_M(1), 0); /* a Sunday */
    add_cat(&b, m, "2026-02-08", PER_M(2), 0); /* the next Sunday */
    add_cat(&b, m, "2026-02-16", PER_M(3), 0); /* a Monday */
    price_book_index(&b);

    /* The week of 2026-01-26 ends on 2026-02-01. */
    assert_prompt_at(&b, m, "2026-01-26", PER_M(1), 0);
    assert_prompt_at(&b, m, "2026-02-02", PER_M(2), 0);
    assert_prompt_at(&b, m, "2026-02-09", PER_M(2), 0);
    assert_prompt_at(&b, m, "2026-02-16", PER_M(3), 0);
    price_book_release(&b);
}

static void test_at_before_every_price(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    const char *m = "deepseek/deepseek-v3.2";

    add_cat(&b, m, "2026-05-01", PER_M(15), PER_M(60));
    add_cat(&b, m, "2026-02-02", PER_M(30), PER_M(120));
    price_book_index(&b);

    /* The week of 2026-01-26 ends on Sunday 2026-02-01, a day too early. */
    assert_prompt_at(&b, m, "2026-01-26", PER_M(30), 1);
    assert_prompt_at(&b, m, "2025-06-02", PER_M(30), 1);
    /* *later is reset by the next call (the helper passes it in as 1). */
    assert_prompt_at(&b, m, "2026-02-02", PER_M(30), 0);
    price_book_release(&b);
}

static void test_at_snapshot_wins_same_day(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    int later = -1;

    /* Catalogue first, then snapshot. */
    add_cat(&b, "a/cat-first", "2026-02-09", PER_M(99), PER_M(99));
    add_snap(&b, "a/cat-first", "2026-02-09", PER_M(30), PER_M(120));
    /* Snapshot first, then catalogue. */
    add_snap(&b, "b/snap-first", "2026-02-09", PER_M(30), PER_M(120));
    add_cat(&b, "b/snap-first", "2026-02-09", PER_M(99), PER_M(99));
    price_book_index(&b);

    static const char *const models[] = {"a/cat-first", "b/snap-first"};
    for (size_t i = 0; i < ARRAY_LEN(models); i++) {
        const struct price_row *r =
            price_book_at(&b, model_index(&b, models[i]), D("2026-02-09") + 6, &later);
        assert_non_null(r);
        assert_int_equal(later, 0);
        assert_int_equal(r->snapshot, 1);
        assert_int_equal(r->prompt, PER_M(30));
        assert_int_equal(r->completion, PER_M(120));
        r = price_book_at(&b, model_index(&b, models[i]), D("2026-03-02") + 6, &later);
        assert_int_equal(r->snapshot, 1);
        assert_int_equal(r->prompt, PER_M(30));
    }
    price_book_release(&b);
}

static void test_at_snapshot_wins_same_day_before(void **state)
{
    (void)state;
    static const char *const models[] = {"a/cat-first", "b/snap-first"};
    struct price_book b = PRICE_BOOK_INIT;
    int later[2] = {-1, -1}, snapshot[2] = {-1, -1};
    int64_t prompt[2] = {-1, -1};

    /* The earliest day has both a catalogue and a snapshot price; a week
     * before it gets the earliest price, and of that day the snapshot
     * still wins over the catalogue. */
    add_cat(&b, "a/cat-first", "2026-02-09", PER_M(99), PER_M(99));
    add_snap(&b, "a/cat-first", "2026-02-09", PER_M(30), PER_M(120));
    add_snap(&b, "b/snap-first", "2026-02-09", PER_M(30), PER_M(120));
    add_cat(&b, "b/snap-first", "2026-02-09", PER_M(99), PER_M(99));
    price_book_index(&b);
    for (size_t i = 0; i < ARRAY_LEN(models); i++) {
        const struct price_row *r =
            price_book_at(&b, model_index(&b, models[i]), D("2026-01-26") + 6, &later[i]);
        if (r) {
            snapshot[i] = r->snapshot;
            prompt[i] = r->prompt;
        }
    }
    price_book_release(&b); /* before the checks, so a failure leaks nothing */

    for (size_t i = 0; i < ARRAY_LEN(models); i++) {
        assert_int_equal(later[i], 1);
        if (snapshot[i] != 1 || prompt[i] != PER_M(30))
            fail_msg("%s, week before every price: got the %s price %lld, expected the "
                     "snapshot price %lld",
                     models[i], snapshot[i] == 1 ? "snapshot" : "catalogue", (long long)prompt[i],
                     (long long)PER_M(30));
    }
}

static void test_at_bad_model(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    int later = 7;

    assert_null(price_book_at(&b, 0, D("2026-02-09") + 6, &later));
    assert_int_equal(later, 0);
    add_cat(&b, "x/m", "2026-02-02", PER_M(30), PER_M(120));
    price_book_index(&b);
    later = 7;
    assert_null(price_book_at(&b, -1, D("2026-02-09") + 6, &later));
    assert_int_equal(later, 0);
    later = 7;
    assert_null(price_book_at(&b, 1, D("2026-02-09") + 6, &later));
    assert_int_equal(later, 0);
    assert_null(price_book_at(&b, 1000, D("2026-02-09") + 6, &later));
    assert_null(price_book_at(&b, -1000, D("2026-02-09") + 6, &later));
    assert_non_null(price_book_at(&b, 0, D("2026-02-09") + 6, &later));
    price_book_release(&b);
}

static void test_at_via_match(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    int later = -1;

    /* End to end: a weekly slug priced by the catalogue and a snapshot. */
    add_cat(&b, "minimax/minimax-m2.5-20260211", "2026-02-11", PER_M(30), PER_M(120));
    add_snap(&b, "minimax/minimax-m2.5-20260211", "2026-03-02", PER_M(25), PER_M(100));
    add_cat(&b, "minimax/minimax-m2.5-20260211:free", "2026-02-11", 0, 0);
    price_book_index(&b);

    long m = match_of(&b, "minimax/minimax-m2.5-20260211");
    assert_true(m >= 0);
    assert_int_equal(price_book_at(&b, m, D("2026-02-09") + 6, &later)->prompt, PER_M(30));
    assert_int_equal(later, 0);
    assert_int_equal(price_book_at(&b, m, D("2026-03-02") + 6, &later)->prompt, PER_M(25));
    m = match_of(&b, "minimax/minimax-m2.5-20260211:free");
    assert_true(m >= 0);
    assert_int_equal(price_book_at(&b, m, D("2026-03-02") + 6, &later)->prompt, 0);
    price_book_release(&b);
}

/* ---- match kinds and quotes ---- */

static void test_match_kinds(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "anthropic/claude-3-7-sonnet-20250219", "2026-01-05", PER_M(300), PER_M(1500));
    add_cat(&b, "anthropic/claude-3-7-sonnet-20250514", "2026-03-02", PER_M(300), PER_M(1500));
    add_cat(&b, "x-ai/grok-code-fast-1", "2026-01-05", PER_M(20), PER_M(150));
    price_book_index(&b);
    assert_match_how(&b, "anthropic/claude-3-7-sonnet-20250219",
                     "anthropic/claude-3-7-sonnet-20250219", PRICE_EXACT);
    /* Another date: the version with the latest price. */
    assert_match_how(&b, "anthropic/claude-3-7-sonnet-20260101",
                     "anthropic/claude-3-7-sonnet-20250514", PRICE_UNDATED);
    assert_match_how(&b, "x-ai/grok-code-fast-1-20260105", "x-ai/grok-code-fast-1", PRICE_UNDATED);
    /* A variant without an entry: the same dated model first, even with
     * an older price than another version of its base... */
    assert_match_how(&b, "anthropic/claude-3-7-sonnet-20250219:thinking",
                     "anthropic/claude-3-7-sonnet-20250219", PRICE_BASE);
    /* ...else the version of its base with the latest price. */
    assert_match_how(&b, "anthropic/claude-3-7-sonnet-20260101:thinking",
                     "anthropic/claude-3-7-sonnet-20250514", PRICE_BASE);
    assert_match_how(&b, "anthropic/claude-3-7-sonnet:thinking",
                     "anthropic/claude-3-7-sonnet-20250514", PRICE_BASE);
    /* Free usage is free; other usage without a match has none. */
    assert_match_how(&b, "anthropic/claude-3-7-sonnet-20250219:free", NULL, PRICE_FREE);
    assert_match_how(&b, "x-ai/grok-code-fast-1:free", NULL, PRICE_FREE);
    assert_match_how(&b, "x-ai/grok-code-slow-1", NULL, PRICE_NONE);
    assert_string_equal(price_match_name(PRICE_EXACT), "exact");
    assert_string_equal(price_match_name(PRICE_UNDATED), "undated");
    assert_string_equal(price_match_name(PRICE_BASE), "base");
    assert_string_equal(price_match_name(PRICE_FREE), "free");
    assert_null(price_match_name(PRICE_NONE));
    price_book_release(&b);
}

/* The quote of slug in week: priced or not, the prices, age and flags. */
static void assert_quote(const struct price_book *b, const char *slug, const char *week,
                         int want_priced, int64_t prompt, int32_t age, unsigned flags)
{
    struct price_quote q;
    int priced = price_book_quote(b, slug, PERIOD_WEEK, D(week), &q);

    if (priced != want_priced || q.prompt != prompt || (priced && q.row && q.age != age) ||
        q.flags != flags)
        fail_msg("price_book_quote(\"%s\", %s): priced %d, prompt %lld, age %d, flags %u; "
                 "expected %d, %lld, %d, %u",
                 slug, week, priced, (long long)q.prompt, q.age, q.flags, want_priced,
                 (long long)prompt, age, flags);
}

static void test_quote_age_and_stale(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    const char *m = "minimax/minimax-m2.5-20260211";

    add_cat(&b, m, "2026-05-01", PER_M(15), PER_M(115)); /* a Friday */
    price_book_index(&b);
    /* Age: from the valid-from day to the week's last day (a Sunday). */
    assert_quote(&b, m, "2026-04-27", 1, PER_M(15), 2, 0);
    assert_quote(&b, m, "2026-05-04", 1, PER_M(15), 9, 0);
    /* Stale: valid from more than 56 days before the week's Monday. */
    assert_quote(&b, m, "2026-06-22", 1, PER_M(15), 58, 0);           /* 52 days before */
    assert_quote(&b, m, "2026-06-29", 1, PER_M(15), 65, PRICE_STALE); /* 59 days before */
    assert_quote(&b, m, "2026-07-06", 1, PER_M(15), 72, PRICE_STALE);
    assert_quote(&b, m, "2026-08-10", 1, PER_M(15), 107, PRICE_STALE);
    /* From after the week: negative age, and later. */
    assert_quote(&b, m, "2026-04-20", 1, PER_M(15), -5, PRICE_LATER);
    assert_quote(&b, m, "2025-01-06", 1, PER_M(15), -474, PRICE_LATER);
    price_book_release(&b);

    /* Exactly 8 weeks (Monday to Monday) is not more than 8 weeks. */
    add_snap(&b, m, "2026-05-04", PER_M(15), PER_M(115));
    price_book_index(&b);
    assert_quote(&b, m, "2026-06-29", 1, PER_M(15), 62, 0);
    assert_quote(&b, m, "2026-07-06", 1, PER_M(15), 69, PRICE_STALE);
    price_book_release(&b);
}

/* A month or a day is priced as a week is: the latest price valid by its
 * last day, aged to that day, stale when valid from more than 56 days
 * before its first day, later when every price is after it. */
static void test_quote_month_and_day(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    const char *m = "minimax/minimax-m2.5-20260211";
    struct price_quote q;

    add_cat(&b, m, "2026-04-01", PER_M(20), PER_M(120));
    add_cat(&b, m, "2026-04-20", PER_M(15), PER_M(115)); /* cheaper from the 20th */
    price_book_index(&b);
    /* April: the price of the 20th, valid by the 30th, 10 days old. */
    assert_int_equal(price_book_quote(&b, m, PERIOD_MONTH, D("2026-04-01"), &q), 1);
    assert_int_equal(q.prompt, PER_M(15));
    assert_int_equal(q.age, 10);
    assert_int_equal(q.flags, 0);
    /* The 19th: the price of the 1st; the 20th: its own. */
    assert_int_equal(price_book_quote(&b, m, PERIOD_DAY, D("2026-04-19"), &q), 1);
    assert_int_equal(q.prompt, PER_M(20));
    assert_int_equal(q.age, 18);
    assert_int_equal(price_book_quote(&b, m, PERIOD_DAY, D("2026-04-20"), &q), 1);
    assert_int_equal(q.prompt, PER_M(15));
    assert_int_equal(q.age, 0);
    /* March: every price is later; the earliest, from after the month. */
    assert_int_equal(price_book_quote(&b, m, PERIOD_MONTH, D("2026-03-01"), &q), 1);
    assert_int_equal(q.prompt, PER_M(20));
    assert_int_equal(q.age, -1);
    assert_int_equal(q.flags, PRICE_LATER);
    /* Stale from the first day: June 15 is 56 days after April 20, the 16th 57. */
    assert_int_equal(price_book_quote(&b, m, PERIOD_DAY, D("2026-06-15"), &q), 1);
    assert_int_equal(q.flags, 0);
    assert_int_equal(price_book_quote(&b, m, PERIOD_DAY, D("2026-06-16"), &q), 1);
    assert_int_equal(q.flags, PRICE_STALE);
    /* July starts 72 days after: stale, though its last day is further still. */
    assert_int_equal(price_book_quote(&b, m, PERIOD_MONTH, D("2026-07-01"), &q), 1);
    assert_int_equal(q.age, 102);
    assert_int_equal(q.flags, PRICE_STALE);
    price_book_release(&b);
}

static void test_quote_other_version(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    add_cat(&b, "minimax/minimax-m2.5-20260211", "2026-05-01", PER_M(15), PER_M(115));
    add_cat(&b, "x-ai/grok-code-fast-1", "2026-05-01", PER_M(20), PER_M(150));
    add_cat(&b, "qwen/qwen3-coder-next-2025-02-03", "2026-05-01", PER_M(12), PER_M(80));
    price_book_index(&b);
    /* Another date than the price's: another version. */
    assert_quote(&b, "minimax/minimax-m2.5-20260415", "2026-05-04", 1, PER_M(15), 9,
                 PRICE_OTHER_VERSION);
    assert_quote(&b, "minimax/minimax-m2.5-20260415:thinking", "2026-05-04", 1, PER_M(15), 9,
                 PRICE_OTHER_VERSION);
    /* No date in the usage, a dated price: a version it may not be. */
    assert_quote(&b, "minimax/minimax-m2.5", "2026-05-04", 1, PER_M(15), 9, PRICE_OTHER_VERSION);
    /* The same date written otherwise, and the same dated model with a
     * variant: the same version. */
    assert_quote(&b, "minimax/minimax-m2.5-2026-02-11", "2026-05-04", 1, PER_M(15), 9, 0);
    assert_quote(&b, "minimax/minimax-m2.5-20260211:thinking", "2026-05-04", 1, PER_M(15), 9, 0);
    assert_quote(&b, "qwen/qwen3-coder-next-20250203", "2026-05-04", 1, PER_M(12), 9, 0);
    /* An undated price for a dated slug: the model's price, no version. */
    assert_quote(&b, "x-ai/grok-code-fast-1-20260105", "2026-05-04", 1, PER_M(20), 9, 0);
    /* Both at once. */
    assert_quote(&b, "minimax/minimax-m2.5-20260415", "2026-08-10", 1, PER_M(15), 107,
                 PRICE_OTHER_VERSION | PRICE_STALE);
    price_book_release(&b);
}

static void test_quote_free_and_none(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;
    struct price_quote q;

    add_cat(&b, "deepseek/deepseek-v3.2-20251201", "2026-05-01", PER_M(25), PER_M(38));
    add_cat(&b, "deepseek/deepseek-r2-20260301:free", "2026-05-01", TS_ABSENT, TS_ABSENT);
    add_cat(&b, "deepseek/deepseek-r2-20260301", "2026-05-01", PER_M(50), TS_ABSENT);
    add_cat(&b, "google/gemma-4-31b-it-20260402:free", "2026-05-01", 0, 0);
    price_book_index(&b);

    /* :free usage of a paid model: 0, never the paid price, never none. */
    assert_int_equal(price_book_quote(&b, "deepseek/deepseek-v3.2-20251201:free", PERIOD_WEEK,
                                      D("2026-05-04"), &q),
                     1);
    assert_int_equal(q.how, PRICE_FREE);
    assert_int_equal(q.model, -1);
    assert_null(q.row);
    assert_int_equal(q.prompt, 0);
    assert_int_equal(q.completion, 0);
    assert_int_equal(q.flags, 0);
    /* Its own entry with a price of 0: exact, with the entry's date. */
    assert_int_equal(price_book_quote(&b, "google/gemma-4-31b-it-20260402:free", PERIOD_WEEK,
                                      D("2026-05-04"), &q),
                     1);
    assert_int_equal(q.how, PRICE_EXACT);
    assert_non_null(q.row);
    assert_int_equal(q.prompt, 0);
    assert_int_equal(q.age, 9);
    /* Its own entry without a price: still free. */
    assert_int_equal(price_book_quote(&b, "deepseek/deepseek-r2-20260301:free", PERIOD_WEEK,
                                      D("2026-05-04"), &q),
                     1);
    assert_int_equal(q.how, PRICE_FREE);
    assert_null(q.row);
    /* Half a price is no price; so is no match. */
    assert_int_equal(
        price_book_quote(&b, "deepseek/deepseek-r2-20260301", PERIOD_WEEK, D("2026-05-04"), &q), 0);
    assert_int_equal(q.how, PRICE_NONE);
    assert_null(q.row);
    assert_int_equal(q.model, -1);
    assert_int_equal(price_book_quote(&b, "deepseek/deepseek-r3", PERIOD_WEEK, D("2026-05-04"), &q),
                     0);
    assert_int_equal(q.how, PRICE_NONE);
    price_book_release(&b);
}

/* ---- loose names and splits ---- */

static void test_name_like(void **state)
{
    (void)state;
    /* The catalogue id and the dated canonical slug: the same words. */
    assert_true(price_name_like("anthropic/claude-opus-4.6", "anthropic/claude-4.6-opus-20260205"));
    assert_true(price_name_like("Anthropic/Claude-Opus-4.6", "anthropic/claude-4.6-opus-20260205"));
    assert_true(price_name_like("minimax/minimax-m2.5", "minimax/minimax-m2.5-20260211"));
    assert_true(price_name_like("qwen/qwen3-coder-next", "qwen/qwen3-coder-next-2025-02-03"));
    /* A date in the name must be the slug's. */
    assert_true(price_name_like("anthropic/claude-opus-4.6-20260205",
                                "anthropic/claude-4.6-opus-20260205"));
    assert_false(price_name_like("anthropic/claude-opus-4.6-20260301",
                                 "anthropic/claude-4.6-opus-20260205"));
    /* Other words, a word more or less, another vendor, a variant. */
    assert_false(
        price_name_like("anthropic/claude-opus-4.5", "anthropic/claude-4.6-opus-20260205"));
    assert_false(price_name_like("openai/gpt-5", "openai/gpt-5-mini-20250807"));
    assert_false(price_name_like("openai/gpt-5-mini", "openai/gpt-5-20250807"));
    assert_false(
        price_name_like("anthropicx/claude-opus-4.6", "anthropic/claude-4.6-opus-20260205"));
    assert_false(price_name_like("anthropic/claude-opus-4.6",
                                 "anthropic/claude-4.6-opus-20260205:thinking"));
    assert_true(price_name_like("anthropic/claude-opus-4.6:thinking",
                                "anthropic/claude-4.6-opus-20260205:thinking"));
    /* Words repeat: a multiset, not a set. */
    assert_false(price_name_like("x/a-a-b", "x/a-b-b"));
    /* No vendor: nothing to compare. */
    assert_false(price_name_like("claude-opus-4.6", "anthropic/claude-4.6-opus-20260205"));
    assert_false(price_name_like("other", "other"));
}

static void test_split_off(void **state)
{
    (void)state;
    double r = -1;

    assert_false(price_split_off(1000, 900, 100, &r));
    assert_true(r == 1.0);
    /* 1 % either way is still in; beyond it is off. */
    assert_false(price_split_off(1000, 909, 101, &r));
    assert_false(price_split_off(1000, 890, 100, &r));
    assert_true(price_split_off(1000, 911, 100, &r));
    assert_true(price_split_off(1000, 889, 100, NULL));
    /* The shapes found in real snapshots: 0.74x and 1.65x. */
    assert_true(price_split_off(1000000, 700000, 40000, &r));
    assert_true(r > 0.739 && r < 0.741);
    assert_true(price_split_off(1000000, 1500000, 150000, &r));
    assert_true(r > 1.649 && r < 1.651);
    /* prompt = completion = 0 is no split, never off. */
    assert_false(price_split_off(12400000000000LL, 0, 0, &r));
    /* A split of tokens with no total is off. */
    assert_true(price_split_off(0, 5, 5, &r));
    assert_false(price_split_off(0, 0, 0, &r));
    /* Huge counts do not overflow. */
    assert_false(price_split_off(INT64_MAX, INT64_MAX / 2, INT64_MAX / 2 + 1, &r));
    assert_true(price_split_off(INT64_MAX / 2, INT64_MAX / 2, INT64_MAX / 2, &r));
}

/* ---- the index on many models ---- */

static void test_index_100k_models(void **state)
{
    (void)state;
    enum { NM = 100000 };
    struct price_book b = PRICE_BOOK_INIT;
    char name[96];

    for (int i = 0; i < NM; i++) {
        snprintf(name, sizeof(name), "vendor%03d/model-%06d-20260101", i % 997, i);
        add_snap(&b, name, "2026-02-09", PER_M(i % 1000), PER_M(i % 1000 + 1));
    }
    price_book_index(&b);
    assert_int_equal(b.nmodels, NM);
    /* Every usage slug at each level: a few lookups each, however many
     * models there are (a scan of every model per slug would take
     * minutes here). */
    for (int i = 0; i < NM; i++) {
        struct price_quote q;
        snprintf(name, sizeof(name), "vendor%03d/model-%06d-20260101", i % 997, i);
        assert_int_equal(price_book_quote(&b, name, PERIOD_WEEK, D("2026-02-09"), &q), 1);
        assert_int_equal(q.how, PRICE_EXACT);
        assert_int_equal(q.prompt, PER_M(i % 1000));
        snprintf(name, sizeof(name), "vendor%03d/model-%06d-20260301", i % 997, i);
        assert_int_equal(price_book_quote(&b, name, PERIOD_WEEK, D("2026-02-09"), &q), 1);
        assert_int_equal(q.how, PRICE_UNDATED);
        assert_int_equal(q.flags, PRICE_OTHER_VERSION);
        snprintf(name, sizeof(name), "vendor%03d/model-%06d:thinking", i % 997, i);
        assert_int_equal(price_book_quote(&b, name, PERIOD_WEEK, D("2026-02-09"), &q), 1);
        assert_int_equal(q.how, PRICE_BASE);
        snprintf(name, sizeof(name), "vendor%03d/model-%06d:free", i % 997, i);
        assert_int_equal(price_book_quote(&b, name, PERIOD_WEEK, D("2026-02-09"), &q), 1);
        assert_int_equal(q.how, PRICE_FREE);
        snprintf(name, sizeof(name), "vendor%03d/other-%06d", i % 997, i);
        assert_int_equal(price_book_quote(&b, name, PERIOD_WEEK, D("2026-02-09"), &q), 0);
    }
    price_book_release(&b);
}

/* ---- release ---- */

static void test_release(void **state)
{
    (void)state;
    struct price_book b = PRICE_BOOK_INIT;

    /* Right after init. */
    price_book_release(&b);
    assert_null(b.rows);
    assert_int_equal(b.nmodels, 0);

    /* With rows and aliases but never indexed. */
    add_cat(&b, "x/m", "2026-02-02", 1, 2);
    price_book_add_alias(&b, "m", "x/m");
    price_book_release(&b);
    assert_null(b.rows);
    assert_null(b.aliases);

    /* After use; many rows and aliases (past the first growth). */
    char name[32];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "v/m-%d-20260101:free", i % 70);
        price_book_add(&b, name, D("2026-01-05") + i, i % 2, i, i);
        snprintf(name, sizeof(name), "alias-%d", i);
        price_book_add_alias(&b, name, "v/m-1-20260101:free");
    }
    price_book_index(&b);
    assert_int_equal(b.nmodels, 70);
    assert_find(&b, "alias-199", "v/m-1-20260101:free");
    price_book_release(&b);
    assert_null(b.rows);
    assert_null(b.aliases);
    assert_null(b.models);
    assert_int_equal(b.nrows, 0);
    assert_int_equal(b.naliases, 0);
    assert_int_equal(b.nmodels, 0);

    /* A released book can be filled again, and released twice. */
    add_cat(&b, "x/m", "2026-02-02", 1, 2);
    price_book_index(&b);
    assert_match(&b, "x/m", "x/m");
    price_book_release(&b);
    price_book_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strip_date),
        cmocka_unit_test(test_strip_date_and_variant),
        cmocka_unit_test(test_strip_dashed_date),
        cmocka_unit_test(test_strip_not_a_date),
        cmocka_unit_test(test_strip_colons),
        cmocka_unit_test(test_strip_plain),
        cmocka_unit_test(test_strip_reuses_buffers),
        cmocka_unit_test(test_index_fields),
        cmocka_unit_test(test_index_sorts_any_order),
        cmocka_unit_test(test_index_many_models),
        cmocka_unit_test(test_index_hundreds_by_name),
        cmocka_unit_test(test_match_exact_first),
        cmocka_unit_test(test_match_without_date_keeps_variant),
        cmocka_unit_test(test_match_undated_catalogue),
        cmocka_unit_test(test_match_base_variantless),
        cmocka_unit_test(test_match_other_variant_never_used),
        cmocka_unit_test(test_match_free_never_prices_paid),
        cmocka_unit_test(test_match_free_usage_unpriced),
        cmocka_unit_test(test_match_later_version_wins),
        cmocka_unit_test(test_match_levels_order),
        cmocka_unit_test(test_match_none),
        cmocka_unit_test(test_match_empty_book),
        cmocka_unit_test(test_find_alias_and_slugs),
        cmocka_unit_test(test_find_alias_target_by_match),
        cmocka_unit_test(test_find_alias_without_rows),
        cmocka_unit_test(test_find_first_resolving_alias),
        cmocka_unit_test(test_at_history),
        cmocka_unit_test(test_at_sunday_boundary),
        cmocka_unit_test(test_at_before_every_price),
        cmocka_unit_test(test_at_snapshot_wins_same_day),
        cmocka_unit_test(test_at_snapshot_wins_same_day_before),
        cmocka_unit_test(test_at_bad_model),
        cmocka_unit_test(test_at_via_match),
        cmocka_unit_test(test_match_kinds),
        cmocka_unit_test(test_quote_age_and_stale),
        cmocka_unit_test(test_quote_month_and_day),
        cmocka_unit_test(test_quote_other_version),
        cmocka_unit_test(test_quote_free_and_none),
        cmocka_unit_test(test_name_like),
        cmocka_unit_test(test_split_off),
        cmocka_unit_test(test_index_100k_models),
        cmocka_unit_test(test_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
