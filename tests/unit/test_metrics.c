/* test_metrics.c - shares, growth, HHI and its bands, CR-n, ranking and
 * overflow-checked sums. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/week.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Reals computed from exact inputs are compared to 1e-9. */
#define assert_real(got, want) assert_near((got), (want), 1e-9)

static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) < tol))
        fail_msg("got %.17g, expected %.17g (within %g)", got, want, tol);
}

/* A deterministic pseudo-random sequence (Knuth's MMIX LCG), so failures
 * reproduce. */
static uint64_t lcg_next(uint64_t *state)
{
    *state = *state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return *state >> 11; /* the high bits are the random ones */
}

/* A value in [0, bound]. */
static int64_t lcg_upto(uint64_t *state, int64_t bound)
{
    return (int64_t)(lcg_next(state) % ((uint64_t)bound + 1));
}

/* A share as the CSV renderer prints it (6 decimals), read back. */
static double printed_share(double share)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%.6f", share);
    return strtod(buf, NULL);
}

/* ---- share ---- */

static void test_share_basic(void **state)
{
    (void)state;
    assert_real(metrics_share(1, 4), 0.25);
    assert_real(metrics_share(0, 100), 0.0);
    assert_real(metrics_share(100, 100), 1.0);
    assert_real(metrics_share(1, 3), 1.0 / 3.0);
}

static void test_share_whole_zero(void **state)
{
    (void)state;
    assert_true(metrics_share(0, 0) == 0.0);
    assert_true(metrics_share(5, 0) == 0.0);
}

static void test_share_near_int64_limits(void **state)
{
    (void)state;
    assert_true(metrics_share(INT64_C(4000000000000000000), INT64_C(8000000000000000000)) == 0.5);
    assert_true(metrics_share(INT64_MAX, INT64_MAX) == 1.0);
    assert_real(metrics_share(1, INT64_MAX), 0.0);
}

/* ---- HHI ---- */

static void test_hhi_monopoly(void **state)
{
    const int64_t one[] = {123456789};

    (void)state;
    assert_true(metrics_hhi(one, 1, 123456789) == 10000.0);
}

static void test_hhi_equal_firms(void **state)
{
    int64_t tokens[50];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(tokens); i++)
        tokens[i] = INT64_C(1440000000000); /* 1.44T each */
    for (size_t n = 1; n <= ARRAY_LEN(tokens); n++) {
        double hhi = metrics_hhi(tokens, n, (int64_t)n * tokens[0]);
        assert_real(hhi, 10000.0 / (double)n);
    }
}

static void test_hhi_other_bucket_in_whole(void **state)
{
    /* The other bucket is in whole but not in the array: two firms of 25 %
     * each, not of 50 %. */
    const int64_t firms[] = {25, 25};

    (void)state;
    assert_real(metrics_hhi(firms, 2, 100), 1250.0);
    assert_real(metrics_hhi(firms, 2, 50), 5000.0);
    assert_true(metrics_hhi(firms, 2, 100) < metrics_hhi(firms, 2, 50));
}

/* The HHI's bounds with an other bucket (SPEC §7). */
static void test_hhi_bounds(void **state)
{
    double low, high;
    (void)state;

    /* No other bucket: both bounds are the plain HHI. */
    const int64_t a[] = {50, 30, 20};
    metrics_hhi_bounds(a, 3, 0, 100, &low, &high);
    assert_real(low, 2500.0 + 900.0 + 400.0);
    assert_real(high, low);
    assert_real(low, metrics_hhi(a, 3, 100));

    /* Other bucket 40 % and the smallest ranked share 1 %: the upper bound
     * counts 40 models of 1 %. */
    const int64_t b[] = {300, 200, 50, 40, 10}; /* of 1000: 30, 20, 5, 4, 1 % */
    metrics_hhi_bounds(b, 5, 400, 1000, &low, &high);
    assert_real(low, 900.0 + 400.0 + 25.0 + 16.0 + 1.0);
    assert_real(high, low + 40 * 1.0);

    /* A remainder smaller than the smallest ranked group. */
    const int64_t c[] = {600, 300}; /* 60 and 30 %; other 10 % under 30 %: one of 10 % */
    metrics_hhi_bounds(c, 2, 100, 1000, &low, &high);
    assert_real(low, 3600.0 + 900.0);
    assert_real(high, low + 100.0);

    /* Nothing ranked: the bucket may be one firm. */
    metrics_hhi_bounds(NULL, 0, 100, 100, &low, &high);
    assert_real(low, 0.0);
    assert_real(high, 10000.0);

    /* Other excluded from the whole (other 0): no bounds to speak of. */
    metrics_hhi_bounds(b, 5, 0, 600, &low, &high);
    assert_real(high, low);
}

static void test_hhi_whole_zero(void **state)
{
    const int64_t zeros[] = {0, 0, 0};

    (void)state;
    assert_true(metrics_hhi(zeros, 3, 0) == 0.0);
}

static void test_hhi_no_firms(void **state)
{
    (void)state;
    assert_true(metrics_hhi(NULL, 0, 0) == 0.0);
    assert_true(metrics_hhi(NULL, 0, 1000) == 0.0);
}

static void test_hhi_near_int64_limits(void **state)
{
    /* Products of int64 counts would overflow; shares taken by double
     * division do not. */
    const int64_t halves[] = {INT64_C(4000000000000000000), INT64_C(4000000000000000000)};
    const int64_t max[] = {INT64_MAX};

    (void)state;
    assert_real(metrics_hhi(halves, 2, INT64_C(8000000000000000000)), 5000.0);
    assert_real(metrics_hhi(max, 1, INT64_MAX), 10000.0);
    assert_real(metrics_hhi(halves, 1, INT64_MAX), 10000.0 * pow(4e18 / 9223372036854775807.0, 2));
}

/* ---- bands and significant changes ---- */

static void test_band_thresholds(void **state)
{
    (void)state;
    assert_int_equal(metrics_hhi_band(0.0), HHI_UNCONCENTRATED);
    assert_int_equal(metrics_hhi_band(999.99), HHI_UNCONCENTRATED);
    assert_int_equal(metrics_hhi_band(nextafter(1000.0, 0.0)), HHI_UNCONCENTRATED);
    assert_int_equal(metrics_hhi_band(1000.0), HHI_MODERATELY);
    assert_int_equal(metrics_hhi_band(1500.0), HHI_MODERATELY);
    assert_int_equal(metrics_hhi_band(1800.0), HHI_MODERATELY);
    assert_int_equal(metrics_hhi_band(nextafter(1800.0, 10000.0)), HHI_HIGHLY);
    assert_int_equal(metrics_hhi_band(1800.01), HHI_HIGHLY);
    assert_int_equal(metrics_hhi_band(10000.0), HHI_HIGHLY);
}

static void test_band_names(void **state)
{
    (void)state;
    assert_string_equal(metrics_hhi_band_name(HHI_UNCONCENTRATED), "unconcentrated");
    assert_string_equal(metrics_hhi_band_name(HHI_MODERATELY), "moderately concentrated");
    assert_string_equal(metrics_hhi_band_name(HHI_HIGHLY), "highly concentrated");
    assert_string_equal(metrics_hhi_band_name(metrics_hhi_band(999.99)), "unconcentrated");
    assert_string_equal(metrics_hhi_band_name(metrics_hhi_band(1800.01)), "highly concentrated");
}

static void test_band_name_never_null(void **state)
{
    (void)state;
    assert_non_null(metrics_hhi_band_name((enum hhi_band)42));
}

static void test_change_significant(void **state)
{
    (void)state;
    assert_false(metrics_hhi_change_significant(0.0));
    assert_false(metrics_hhi_change_significant(99.99));
    assert_false(metrics_hhi_change_significant(100.0));
    assert_false(metrics_hhi_change_significant(-100.0));
    assert_true(metrics_hhi_change_significant(100.01));
    assert_true(metrics_hhi_change_significant(-100.5));
    assert_true(metrics_hhi_change_significant(-10000.0));
}

/* ---- top-n sums and CR-n ---- */

static void test_top_sum_ties(void **state)
{
    const int64_t t[] = {5, 5, 5, 1};

    (void)state;
    assert_int_equal(metrics_top_sum(t, 4, 1), 5);
    assert_int_equal(metrics_top_sum(t, 4, 2), 10);
    assert_int_equal(metrics_top_sum(t, 4, 3), 15);
    assert_int_equal(metrics_top_sum(t, 4, 4), 16);
}

static void test_cr_ties(void **state)
{
    const int64_t t[] = {5, 5, 5, 1};

    (void)state;
    assert_real(metrics_cr(t, 4, 2, 16), 0.625);
    assert_real(metrics_cr(t, 4, 4, 16), 1.0);
    assert_real(metrics_cr(t, 4, 2, 20), 0.5); /* an other bucket of 4 */
}

static void test_top_sum_n_beyond_count(void **state)
{
    const int64_t t[] = {3, 9, 1};

    (void)state;
    assert_int_equal(metrics_top_sum(t, 3, 4), 13);
    assert_int_equal(metrics_top_sum(t, 3, SIZE_MAX), 13);
    assert_real(metrics_cr(t, 3, 10, 13), 1.0);
}

static void test_top_sum_n_zero(void **state)
{
    const int64_t t[] = {3, 9, 1};

    (void)state;
    assert_int_equal(metrics_top_sum(t, 3, 0), 0);
    assert_true(metrics_cr(t, 3, 0, 13) == 0.0);
}

static void test_top_sum_empty(void **state)
{
    (void)state;
    assert_int_equal(metrics_top_sum(NULL, 0, 0), 0);
    assert_int_equal(metrics_top_sum(NULL, 0, 5), 0);
    assert_true(metrics_cr(NULL, 0, 5, 0) == 0.0);
}

static void test_top_sum_unsorted(void **state)
{
    const int64_t t[] = {3, 9, 1, 7, 9, 2};

    (void)state;
    assert_int_equal(metrics_top_sum(t, 6, 1), 9);
    assert_int_equal(metrics_top_sum(t, 6, 2), 18);
    assert_int_equal(metrics_top_sum(t, 6, 3), 25);
    assert_int_equal(metrics_top_sum(t, 6, 5), 30);
    assert_real(metrics_cr(t, 6, 3, 31), 25.0 / 31.0);
}

static void test_top_sum_leaves_input_alone(void **state)
{
    int64_t t[] = {3, 9, 1, 7, 9, 2};
    const int64_t want[] = {3, 9, 1, 7, 9, 2};

    (void)state;
    metrics_top_sum(t, 6, 3);
    assert_memory_equal(t, want, sizeof t);
}

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x < y) - (x > y);
}

static void test_top_sum_matches_sorting(void **state)
{
    /* Against the obvious way (sort a copy, add the first n), for every n,
     * on vectors with many ties (small range) and few (large range). */
    static const int64_t bounds[] = {0, 1, 9, 1000, INT64_C(10000000000000)};
    uint64_t seed = 42;

    (void)state;
    for (size_t b = 0; b < ARRAY_LEN(bounds); b++) {
        for (size_t count = 1; count <= 40; count++) {
            int64_t t[40], sorted[40];

            for (size_t i = 0; i < count; i++)
                t[i] = sorted[i] = lcg_upto(&seed, bounds[b]);
            qsort(sorted, count, sizeof sorted[0], cmp_desc);
            for (size_t n = 0; n <= count + 1; n++) {
                int64_t want = 0;
                for (size_t i = 0; i < n && i < count; i++)
                    want += sorted[i];
                if (metrics_top_sum(t, count, n) != want)
                    fail_msg("bound %lld, count %zu, n %zu: got %lld, expected %lld",
                             (long long)bounds[b], count, n,
                             (long long)metrics_top_sum(t, count, n), (long long)want);
            }
        }
    }
}

static void test_top_sum_extreme_values(void **state)
{
    /* The binary search spans the whole int64 range without overflow. */
    const int64_t a[] = {INT64_MAX, 0, INT64_MAX - 1};
    const int64_t b[] = {INT64_MIN, INT64_MAX, 0};
    const int64_t c[] = {-5, -1, -3};

    (void)state;
    assert_int_equal(metrics_top_sum(a, 3, 1), INT64_MAX);
    assert_int_equal(metrics_top_sum(b, 3, 1), INT64_MAX);
    assert_int_equal(metrics_top_sum(b, 3, 2), INT64_MAX);
    assert_int_equal(metrics_top_sum(c, 3, 2), -4);
}

static void test_top_sum_saturates(void **state)
{
    /* No error return is possible: a sum past INT64_MAX sticks there. */
    const int64_t t[] = {INT64_MAX, INT64_MAX, 1};

    (void)state;
    assert_int_equal(metrics_top_sum(t, 3, 2), INT64_MAX);
    assert_int_equal(metrics_top_sum(t, 3, 3), INT64_MAX);
}

/* ---- ranking ---- */

static void assert_ranks(const size_t *got, const size_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("rank %zu: got index %zu, expected %zu", i, got[i], want[i]);
}

static void test_rank_tokens_descending(void **state)
{
    const int64_t t[] = {10, 40, 20, 30};
    const char *const names[] = {"a", "b", "c", "d"};
    const size_t want[] = {1, 3, 2, 0};
    size_t idx[4];

    (void)state;
    metrics_rank(t, names, 4, idx);
    assert_ranks(idx, want, 4);
}

static void test_rank_ties_by_name(void **state)
{
    const int64_t t[] = {5, 7, 5, 7};
    const char *const names[] = {"b", "z", "a", "c"};
    const size_t want[] = {3, 1, 2, 0};
    size_t idx[4];

    (void)state;
    metrics_rank(t, names, 4, idx);
    assert_ranks(idx, want, 4);
}

static void test_rank_names_by_strcmp(void **state)
{
    /* Byte order, not a locale's: upper case before lower, a prefix first. */
    const int64_t t[] = {1, 1, 1, 1};
    const char *const names[] = {"ab", "a", "B", "\xc3\xa9"};
    const size_t want[] = {2, 1, 0, 3};
    size_t idx[4];

    (void)state;
    metrics_rank(t, names, 4, idx);
    assert_ranks(idx, want, 4);
}

static void test_rank_equal_rows_keep_order(void **state)
{
    const int64_t t[] = {3, 3, 9, 3};
    const char *const names[] = {"x", "x", "y", "x"};
    const size_t want[] = {2, 0, 1, 3};
    size_t idx[4];

    (void)state;
    metrics_rank(t, names, 4, idx);
    assert_ranks(idx, want, 4);
}

static void test_rank_zero_rows(void **state)
{
    size_t idx[1] = {77};

    (void)state;
    metrics_rank(NULL, NULL, 0, idx);
    assert_int_equal(idx[0], 77); /* nothing written */
}

static void test_rank_one_row(void **state)
{
    const int64_t t[] = {0};
    const char *const names[] = {"only"};
    size_t idx[1] = {77};

    (void)state;
    metrics_rank(t, names, 1, idx);
    assert_int_equal(idx[0], 0);
}

static void test_rank_without_names(void **state)
{
    /* names may be NULL: ties then keep their input order. */
    const int64_t t[] = {1, 2, 1, 2};
    const size_t want[] = {1, 3, 0, 2};
    size_t idx[4];

    (void)state;
    metrics_rank(t, NULL, 4, idx);
    assert_ranks(idx, want, 4);
}

static void test_rank_null_name_first(void **state)
{
    const int64_t t[] = {1, 1, 1};
    const char *const names[] = {"a", NULL, ""};
    const size_t want[] = {1, 2, 0};
    size_t idx[3];

    (void)state;
    metrics_rank(t, names, 3, idx);
    assert_ranks(idx, want, 3);
}

/* Fills t and names with n rows drawn from few token values and few names,
 * so that ties of both kinds are common. */
static void random_rows(uint64_t *seed, int64_t *t, const char **names, size_t n)
{
    static const char *const pool[] = {"anthropic", "deepseek", "google", "meta-llama",
                                       "mistralai", "openai",   "qwen",   "x-ai"};

    for (size_t i = 0; i < n; i++) {
        t[i] = lcg_upto(seed, 12) * INT64_C(100000000000);
        names[i] = pool[lcg_upto(seed, (int64_t)ARRAY_LEN(pool) - 1)];
    }
}

static void test_rank_random_is_sorted_permutation(void **state)
{
    enum { N = 300 };
    int64_t t[N];
    const char *names[N];
    size_t idx[N];
    uint64_t seed = 7;

    (void)state;
    for (int round = 0; round < 20; round++) {
        size_t n = (size_t)lcg_upto(&seed, N);
        unsigned char seen[N] = {0};

        random_rows(&seed, t, names, n);
        metrics_rank(t, names, n, idx);
        for (size_t i = 0; i < n; i++) {
            assert_true(idx[i] < n);
            assert_false(seen[idx[i]]);
            seen[idx[i]] = 1;
        }
        for (size_t i = 1; i < n; i++) {
            size_t a = idx[i - 1], b = idx[i];
            int c = strcmp(names[a], names[b]);
            assert_true(t[a] > t[b] || (t[a] == t[b] && (c < 0 || (c == 0 && a < b))));
        }
    }
}

static void test_rank_independent_of_input_order(void **state)
{
    /* The same rows in reverse order rank to the same (tokens, name) list. */
    enum { N = 200 };
    int64_t t[N], rt[N];
    const char *names[N], *rnames[N];
    size_t idx[N], ridx[N];
    uint64_t seed = 99;

    (void)state;
    random_rows(&seed, t, names, N);
    for (size_t i = 0; i < N; i++) {
        rt[i] = t[N - 1 - i];
        rnames[i] = names[N - 1 - i];
    }
    metrics_rank(t, names, N, idx);
    metrics_rank(rt, rnames, N, ridx);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(t[idx[i]], rt[ridx[i]]);
        assert_string_equal(names[idx[i]], rnames[ridx[i]]);
    }
}

/* ---- growth ---- */

static void test_growth_basic(void **state)
{
    double g = 99.0;

    (void)state;
    assert_int_equal(metrics_growth(200, 100, &g), 0);
    assert_real(g, 1.0);
    assert_int_equal(metrics_growth(50, 100, &g), 0);
    assert_real(g, -0.5);
    assert_int_equal(metrics_growth(0, 100, &g), 0);
    assert_real(g, -1.0);
    assert_int_equal(metrics_growth(100, 100, &g), 0);
    assert_true(g == 0.0);
}

static void test_growth_prev_zero_is_new(void **state)
{
    double g = 99.0;

    (void)state;
    assert_int_equal(metrics_growth(500, 0, &g), -1); /* "new" */
    assert_true(g == 99.0);
    assert_int_equal(metrics_growth(0, 0, &g), -1); /* nothing either week */
    assert_true(g == 99.0);
}

static void test_growth_large_counts(void **state)
{
    /* 2^60 + 1 and 2^60 are one double apart only as a difference. */
    const int64_t p60 = INT64_C(1) << 60;
    double g = 0.0;

    (void)state;
    assert_int_equal(metrics_growth(p60 + 1, p60, &g), 0);
    assert_true(g == ldexp(1.0, -60));
    assert_int_equal(metrics_growth(INT64_MAX, 1, &g), 0);
    assert_near(g, 9223372036854775806.0, 1e3);
    assert_int_equal(metrics_growth(0, INT64_MAX, &g), 0);
    assert_real(g, -1.0);
}

static void test_compound_growth_basic(void **state)
{
    double g = 99.0;

    (void)state;
    assert_int_equal(metrics_compound_growth(100, 400, 2, &g), 0);
    assert_real(g, 1.0);
    assert_int_equal(metrics_compound_growth(100, 800, 3, &g), 0);
    assert_real(g, 1.0);
    assert_int_equal(metrics_compound_growth(400, 100, 2, &g), 0);
    assert_real(g, -0.5);
    assert_int_equal(metrics_compound_growth(100, 100, 5, &g), 0);
    assert_real(g, 0.0);
}

static void test_compound_growth_real_volumes(void **state)
{
    double g = 99.0;

    (void)state;
    assert_int_equal(metrics_compound_growth(INT64_C(2270000000000), INT64_C(5160000000000), 2, &g),
                     0);
    assert_real(g, sqrt(5.16 / 2.27) - 1.0);
}

static void test_compound_growth_one_step_is_growth(void **state)
{
    double c = 0.0, g = 1.0;

    (void)state;
    assert_int_equal(metrics_compound_growth(INT64_C(2270000000001), INT64_C(5160000000003), 1, &c),
                     0);
    assert_int_equal(metrics_growth(INT64_C(5160000000003), INT64_C(2270000000001), &g), 0);
    assert_true(c == g);
}

static void test_compound_growth_chains_weekly(void **state)
{
    /* Compounding the weekly rate over n steps gives the whole change. */
    const int64_t weeks[] = {100, 150, 90, 400};
    double product = 1.0, c = 0.0;

    (void)state;
    for (size_t i = 1; i < ARRAY_LEN(weeks); i++) {
        double g = 0.0;
        assert_int_equal(metrics_growth(weeks[i], weeks[i - 1], &g), 0);
        product *= 1.0 + g;
    }
    assert_int_equal(metrics_compound_growth(weeks[0], weeks[3], 3, &c), 0);
    assert_real(pow(1.0 + c, 3.0), product);
    assert_real(product, 4.0);
}

static void test_compound_growth_refused(void **state)
{
    double g = 99.0;

    (void)state;
    assert_int_equal(metrics_compound_growth(0, 400, 2, &g), -1);
    assert_int_equal(metrics_compound_growth(0, 0, 2, &g), -1);
    assert_int_equal(metrics_compound_growth(100, 400, 0, &g), -1);
    assert_int_equal(metrics_compound_growth(100, 400, -1, &g), -1);
    assert_true(g == 99.0);
}

static void test_compound_growth_end_zero(void **state)
{
    double g = 99.0;

    (void)state;
    assert_int_equal(metrics_compound_growth(100, 0, 4, &g), 0);
    assert_true(g == -1.0);
}

/* ---- shares of a week ---- */

static void test_shares_sum_to_one(void **state)
{
    enum { N = 50 };
    int64_t t[N];
    int64_t total = 0;
    uint64_t seed = 2026;

    (void)state;
    for (int round = 0; round < 10; round++) {
        double sum = 0.0, printed = 0.0;

        total = 0;
        for (size_t i = 0; i < N; i++) {
            t[i] = lcg_upto(&seed, INT64_C(10000000000000));
            assert_int_equal(metrics_add(&total, t[i]), 0);
        }
        for (size_t i = 0; i < N; i++) {
            sum += metrics_share(t[i], total);
            printed += printed_share(metrics_share(t[i], total));
        }
        assert_near(sum, 1.0, 1e-12);
        assert_near(printed, 1.0, N * 5e-7);
    }
}

static void test_other_bucket_included(void **state)
{
    /* --other include: the denominator is every token of the week; HHI
     * counts the ranked firms only. */
    const int64_t firms[] = {600, 300};
    const int64_t other = 100;
    int64_t whole = 0;

    (void)state;
    assert_int_equal(metrics_add(&whole, firms[0]), 0);
    assert_int_equal(metrics_add(&whole, firms[1]), 0);
    assert_int_equal(metrics_add(&whole, other), 0);
    assert_int_equal(whole, 1000);
    assert_real(metrics_share(firms[0], whole), 0.6);
    assert_real(metrics_share(firms[1], whole), 0.3);
    assert_real(metrics_share(other, whole), 0.1);
    assert_real(metrics_hhi(firms, 2, whole), 4500.0);
    assert_real(metrics_cr(firms, 2, 1, whole), 0.6);
}

static void test_other_bucket_excluded(void **state)
{
    /* --other exclude: the other bucket leaves the denominator. */
    const int64_t firms[] = {600, 300};
    const int64_t whole = firms[0] + firms[1];
    char buf[32];

    (void)state;
    assert_real(metrics_share(firms[0], whole), 2.0 / 3.0);
    assert_real(metrics_share(firms[1], whole), 1.0 / 3.0);
    snprintf(buf, sizeof buf, "%.6f", metrics_share(firms[0], whole));
    assert_string_equal(buf, "0.666667");
    snprintf(buf, sizeof buf, "%.6f", metrics_share(firms[1], whole));
    assert_string_equal(buf, "0.333333");
    assert_real(metrics_hhi(firms, 2, whole), 50000.0 / 9.0);
    snprintf(buf, sizeof buf, "%.2f", metrics_hhi(firms, 2, whole));
    assert_string_equal(buf, "5555.56");
    assert_real(metrics_cr(firms, 2, 2, whole), 1.0);
}

/* ---- overflow-checked sums ---- */

static void test_add_basic(void **state)
{
    int64_t acc = 0;

    (void)state;
    assert_int_equal(metrics_add(&acc, 5), 0);
    assert_int_equal(metrics_add(&acc, 0), 0);
    assert_int_equal(metrics_add(&acc, INT64_C(1440000000000)), 0);
    assert_int_equal(acc, INT64_C(1440000000005));
}

static void test_add_overflow_at_max(void **state)
{
    int64_t acc = INT64_MAX - 1;

    (void)state;
    assert_int_equal(metrics_add(&acc, 1), 0);
    assert_int_equal(acc, INT64_MAX);
    assert_int_equal(metrics_add(&acc, 0), 0);
    assert_int_equal(acc, INT64_MAX);
    assert_int_equal(metrics_add(&acc, 1), -1);
    assert_int_equal(acc, INT64_MAX); /* left as it was */
    assert_int_equal(metrics_add(&acc, INT64_MAX), -1);
    assert_int_equal(acc, INT64_MAX);
}

static void test_add_large_counts(void **state)
{
    int64_t acc = INT64_C(4000000000000000000);

    (void)state;
    assert_int_equal(metrics_add(&acc, INT64_C(4000000000000000000)), 0);
    assert_int_equal(acc, INT64_C(8000000000000000000));
    assert_int_equal(metrics_add(&acc, INT64_C(2000000000000000000)), -1);
    assert_int_equal(acc, INT64_C(8000000000000000000));
    assert_int_equal(metrics_add(&acc, INT64_MAX - INT64_C(8000000000000000000)), 0);
    assert_int_equal(acc, INT64_MAX);
}

static void test_add_underflow_at_min(void **state)
{
    int64_t acc = INT64_MIN + 1;

    (void)state;
    assert_int_equal(metrics_add(&acc, -1), 0);
    assert_int_equal(acc, INT64_MIN);
    assert_int_equal(metrics_add(&acc, -1), -1);
    assert_int_equal(acc, INT64_MIN);
    assert_int_equal(metrics_add(&acc, INT64_MAX), 0);
    assert_int_equal(acc, -1);
}

/* One message for a period whose tokens reach 2^63, naming the period as
 * the reports head it: the week by its Monday, a month as YYYY-MM, a day. */
static void test_period_overflow_message(void **state)
{
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    assert_int_equal(metrics_period_overflow(&err, PERIOD_WEEK, date_from_ymd(2026, 3, 2)), -1);
    assert_string_equal(err.msg, "the tokens of the week of 2026-03-02 reach 2^63 (a week's "
                                 "total over all its models must stay below 2^63)");
    assert_int_equal(metrics_period_overflow(&err, PERIOD_MONTH, date_from_ymd(2026, 3, 1)), -1);
    assert_string_equal(err.msg, "the tokens of the month 2026-03 reach 2^63 (a month's total "
                                 "over all its models must stay below 2^63)");
    assert_int_equal(metrics_period_overflow(&err, PERIOD_DAY, date_from_ymd(2026, 3, 7)), -1);
    assert_string_equal(err.msg, "the tokens of the day 2026-03-07 reach 2^63 (a day's total "
                                 "over all its models must stay below 2^63)");
}

/* The median sorts and takes the middle (the mean of the two middle values
 * for an even count, without overflow near INT64_MAX); the mean is exact
 * for prices in pico-dollars. */
static void test_median_mean(void **state)
{
    int64_t odd[] = {600000, 150000, 290000};
    int64_t even[] = {5000000, 3000000, 150000, 600000};
    int64_t one[] = {42};
    int64_t big[] = {INT64_MAX, INT64_MAX - 2};
    int64_t thirds[] = {1, 1, 2};

    (void)state;
    assert_true(metrics_median(odd, 3) == 290000.0);
    assert_true(odd[0] == 150000 && odd[1] == 290000 && odd[2] == 600000);
    assert_true(metrics_median(even, 4) == 1800000.0);
    assert_true(metrics_mean(even, 4) == 2187500.0);
    assert_true(metrics_median(one, 1) == 42.0);
    assert_true(metrics_mean(one, 1) == 42.0);
    assert_true(metrics_median(big, 2) > 9.2e18);
    assert_true(metrics_mean(thirds, 3) == 4.0 / 3.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_share_basic),
        cmocka_unit_test(test_share_whole_zero),
        cmocka_unit_test(test_share_near_int64_limits),
        cmocka_unit_test(test_hhi_monopoly),
        cmocka_unit_test(test_hhi_equal_firms),
        cmocka_unit_test(test_hhi_other_bucket_in_whole),
        cmocka_unit_test(test_hhi_bounds),
        cmocka_unit_test(test_hhi_whole_zero),
        cmocka_unit_test(test_hhi_no_firms),
        cmocka_unit_test(test_hhi_near_int64_limits),
        cmocka_unit_test(test_band_thresholds),
        cmocka_unit_test(test_band_names),
        cmocka_unit_test(test_band_name_never_null),
        cmocka_unit_test(test_change_significant),
        cmocka_unit_test(test_top_sum_ties),
        cmocka_unit_test(test_cr_ties),
        cmocka_unit_test(test_top_sum_n_beyond_count),
        cmocka_unit_test(test_top_sum_n_zero),
        cmocka_unit_test(test_top_sum_empty),
        cmocka_unit_test(test_top_sum_unsorted),
        cmocka_unit_test(test_top_sum_leaves_input_alone),
        cmocka_unit_test(test_top_sum_matches_sorting),
        cmocka_unit_test(test_top_sum_extreme_values),
        cmocka_unit_test(test_top_sum_saturates),
        cmocka_unit_test(test_rank_tokens_descending),
        cmocka_unit_test(test_rank_ties_by_name),
        cmocka_unit_test(test_rank_names_by_strcmp),
        cmocka_unit_test(test_rank_equal_rows_keep_order),
        cmocka_unit_test(test_rank_zero_rows),
        cmocka_unit_test(test_rank_one_row),
        cmocka_unit_test(test_rank_without_names),
        cmocka_unit_test(test_rank_null_name_first),
        cmocka_unit_test(test_rank_random_is_sorted_permutation),
        cmocka_unit_test(test_rank_independent_of_input_order),
        cmocka_unit_test(test_growth_basic),
        cmocka_unit_test(test_growth_prev_zero_is_new),
        cmocka_unit_test(test_growth_large_counts),
        cmocka_unit_test(test_compound_growth_basic),
        cmocka_unit_test(test_compound_growth_real_volumes),
        cmocka_unit_test(test_compound_growth_one_step_is_growth),
        cmocka_unit_test(test_compound_growth_chains_weekly),
        cmocka_unit_test(test_compound_growth_refused),
        cmocka_unit_test(test_compound_growth_end_zero),
        cmocka_unit_test(test_shares_sum_to_one),
        cmocka_unit_test(test_other_bucket_included),
        cmocka_unit_test(test_other_bucket_excluded),
        cmocka_unit_test(test_median_mean),
        cmocka_unit_test(test_add_basic),
        cmocka_unit_test(test_add_overflow_at_max),
        cmocka_unit_test(test_add_large_counts),
        cmocka_unit_test(test_add_underflow_at_min),
        cmocka_unit_test(test_period_overflow_message),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
