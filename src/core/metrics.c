/* metrics.c - shares, growth and concentration (HHI, CR-n) and ranking.
 *
 * Everything here is pure: no I/O, no allocation, no global state. Token
 * counts stay exact int64 until a ratio is taken; ratios are formed by
 * dividing doubles (never by multiplying int64s), so counts near INT64_MAX
 * cannot overflow. */
#include "core/metrics.h"

#include "core/week.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double metrics_share(int64_t part, int64_t whole)
{
    if (whole == 0)
        return 0.0;
    return (double)part / (double)whole;
}

int metrics_growth(int64_t cur, int64_t prev, double *out)
{
    if (prev <= 0)
        return -1; /* "new" (cur > 0) or no tokens either week */
    if (cur >= 0) {
        /* Both are in [0, INT64_MAX], so the difference is exact; taking
         * it before converting keeps growth right when cur and prev are
         * too large to differ as doubles (2^60 + 1 against 2^60). */
        *out = (double)(cur - prev) / (double)prev;
    } else {
        *out = (double)cur / (double)prev - 1.0;
    }
    return 0;
}

int metrics_compound_growth(int64_t start, int64_t end, int n, double *out)
{
    if (start <= 0 || n <= 0 || end < 0)
        return -1;
    if (end == 0) {
        *out = -1.0; /* everything lost: the limit of the formula */
        return 0;
    }
    if (n == 1)
        return metrics_growth(end, start, out); /* the same number, bit for bit */
    *out = pow((double)end / (double)start, 1.0 / n) - 1.0;
    return 0;
}

double metrics_hhi(const int64_t *tokens, size_t n, int64_t whole)
{
    double sum = 0.0;

    if (whole == 0)
        return 0.0;
    for (size_t i = 0; i < n; i++) {
        double pct = 100.0 * metrics_share(tokens[i], whole);
        sum += pct * pct;
    }
    return sum;
}

void metrics_hhi_bounds(const int64_t *tokens, size_t n, int64_t other, int64_t whole, double *low,
                        double *high)
{
    int64_t smallest = 0;

    *low = *high = metrics_hhi(tokens, n, whole);
    if (whole <= 0 || other <= 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (tokens[i] > 0 && (smallest == 0 || tokens[i] < smallest))
            smallest = tokens[i];
    }
    if (smallest == 0) { /* nothing ranked: the bucket could be one firm */
        double pct = 100.0 * metrics_share(other, whole);
        *high += pct * pct;
        return;
    }
    /* k groups of the smallest ranked size, and what is left over. */
    int64_t k = other / smallest, rest = other % smallest;
    double pct = 100.0 * metrics_share(smallest, whole), rpct = 100.0 * metrics_share(rest, whole);
    *high += (double)k * pct * pct + rpct * rpct;
}

enum hhi_band metrics_hhi_band(double hhi)
{
    /* 1,000 and 1,800 themselves are moderate: "above 1,800" is highly
     * concentrated and "below 1,000" unconcentrated. Written so that a NaN
     * falls through to unconcentrated rather than alarming anyone. */
    if (hhi > 1800.0)
        return HHI_HIGHLY;
    if (hhi >= 1000.0)
        return HHI_MODERATELY;
    return HHI_UNCONCENTRATED;
}

const char *metrics_hhi_band_name(enum hhi_band b)
{
    switch (b) {
    case HHI_UNCONCENTRATED:
        return "unconcentrated";
    case HHI_MODERATELY:
        return "moderately concentrated";
    case HHI_HIGHLY:
        return "highly concentrated";
    }
    return "unknown"; /* not a band: a caller bug, but never a NULL to print */
}

int metrics_hhi_change_significant(double delta)
{
    return fabs(delta) > 100.0;
}

/* Adds v to *acc, sticking at INT64_MAX or INT64_MIN instead of
 * overflowing. */
static void add_saturating(int64_t *acc, int64_t v)
{
    if (metrics_add(acc, v) != 0)
        *acc = v > 0 ? INT64_MAX : INT64_MIN;
}

/* Maps an int64 to a uint64 in the same order (INT64_MIN -> 0,
 * INT64_MAX -> UINT64_MAX), so the binary search below can halve any range
 * of values without signed overflow. */
static uint64_t order_key(int64_t v)
{
    return (uint64_t)v ^ UINT64_C(0x8000000000000000);
}

/* How many of tokens[0..count) have an order key of at least k. */
static size_t count_at_least(const int64_t *tokens, size_t count, uint64_t k)
{
    size_t c = 0;

    for (size_t i = 0; i < count; i++)
        c += order_key(tokens[i]) >= k;
    return c;
}

/* Finds the n-th largest value (1 <= n <= count) without sorting or copying:
 * it is the largest v with at least n values >= v, found by a binary search
 * over the values' range. That is at most 64 passes over the array whatever
 * n is. Callers sum parts of a week's total, itself an int64, so the sum
 * cannot overflow in practice; should it, it saturates at INT64_MAX, since
 * the API has no room to report an error. */
int64_t metrics_top_sum(const int64_t *tokens, size_t count, size_t n)
{
    int64_t sum = 0;
    uint64_t lo, hi;
    size_t taken = 0;

    if (n == 0 || count == 0)
        return 0;
    if (n >= count) {
        for (size_t i = 0; i < count; i++)
            add_saturating(&sum, tokens[i]);
        return sum;
    }

    lo = hi = order_key(tokens[0]);
    for (size_t i = 1; i < count; i++) {
        uint64_t k = order_key(tokens[i]);
        if (k < lo)
            lo = k;
        if (k > hi)
            hi = k;
    }
    /* Invariant: at least n values are >= lo, and fewer than n are > hi. */
    while (lo < hi) {
        uint64_t mid = hi - (hi - lo) / 2; /* rounds up, so lo = mid moves */
        if (count_at_least(tokens, count, mid) >= n)
            lo = mid;
        else
            hi = mid - 1;
    }

    /* lo is the key of the n-th largest value: take everything above it,
     * then as many values equal to it as n still allows. */
    for (size_t i = 0; i < count; i++) {
        if (order_key(tokens[i]) > lo) {
            add_saturating(&sum, tokens[i]);
            taken++;
        }
    }
    for (size_t i = 0; i < count && taken < n; i++) {
        if (order_key(tokens[i]) == lo) {
            add_saturating(&sum, tokens[i]);
            taken++;
        }
    }
    return sum;
}

double metrics_cr(const int64_t *tokens, size_t count, size_t n, int64_t whole)
{
    return metrics_share(metrics_top_sum(tokens, count, n), whole);
}

/* The ranking order: tokens descending, then name ascending (a NULL name,
 * or no names at all, sorts first), then index ascending. The last key makes
 * the order total, so any sort gives the one same result: the rank is
 * deterministic, and equal rows keep their input order as a stable sort
 * would. Returns non-zero when index a goes before index b. */
static int rank_before(const int64_t *tokens, const char *const *names, size_t a, size_t b)
{
    if (tokens[a] != tokens[b])
        return tokens[a] > tokens[b];
    if (names != NULL && names[a] != names[b]) {
        int c;
        if (names[a] == NULL)
            return 1;
        if (names[b] == NULL)
            return 0;
        c = strcmp(names[a], names[b]);
        if (c != 0)
            return c < 0;
    }
    return a < b;
}

/* Moves idx[root] down the max-heap idx[0..n) (the "largest" being the one
 * that ranks last) until both its children rank before it. */
static void sift_down(const int64_t *tokens, const char *const *names, size_t *idx, size_t root,
                      size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1, tmp;

        if (child >= n)
            return;
        if (child + 1 < n && rank_before(tokens, names, idx[child], idx[child + 1]))
            child++;
        if (!rank_before(tokens, names, idx[root], idx[child]))
            return;
        tmp = idx[root];
        idx[root] = idx[child];
        idx[child] = tmp;
        root = child;
    }
}

/* Fills idx with 0..n-1 and heapsorts it: O(n log n) with no allocation and
 * no need for qsort_r (not in C11 or POSIX) to reach tokens and names. */
void metrics_rank(const int64_t *tokens, const char *const *names, size_t n, size_t *idx)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(tokens, names, idx, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        size_t tmp = idx[0];
        idx[0] = idx[end];
        idx[end] = tmp;
        sift_down(tokens, names, idx, 0, end);
    }
}

static int int64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

double metrics_median(int64_t *v, size_t n)
{
    qsort(v, n, sizeof(*v), int64_cmp);
    if (n % 2)
        return (double)v[n / 2];
    /* Halves first: the sum of two large values could pass INT64_MAX. */
    return (double)v[n / 2 - 1] / 2.0 + (double)v[n / 2] / 2.0;
}

double metrics_mean(const int64_t *v, size_t n)
{
    long double sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += (long double)v[i];
    return (double)(sum / (long double)n);
}

int metrics_add(int64_t *acc, int64_t v)
{
    /* Test before adding: signed overflow is undefined behaviour. Passing
     * INT64_MIN is refused too, for negative v. */
    if (v > 0 && *acc > INT64_MAX - v)
        return -1;
    if (v < 0 && *acc < INT64_MIN - v)
        return -1;
    *acc += v;
    return 0;
}

int metrics_period_overflow(struct ts_err *err, enum period_unit unit, int32_t start)
{
    char name[TS_DATE_LEN + 1];

    if (unit == PERIOD_WEEK) {
        date_format(start, name);
        return ts_err_set(err,
                          "the tokens of the week of %s reach 2^63 (a week's total over all its "
                          "models must stay below 2^63)",
                          name);
    }
    period_label(unit, start, name, sizeof(name));
    return ts_err_set(err,
                      "the tokens of the %s %s reach 2^63 (a %s's total over all its models must "
                      "stay below 2^63)",
                      period_unit_name(unit), name, period_unit_name(unit));
}
