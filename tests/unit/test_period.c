/* test_period.c - days, ISO weeks and calendar months as periods: starts,
 * lengths, steps across month and year ends and leap years, masks of
 * days and their like-for-like alignment, labels and words. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "support.h"
#include "core/period.h"
#include "core/week.h"

static void assert_day(int32_t day, const char *want)
{
    char buf[TS_DATE_LEN + 1];

    date_format(day, buf);
    assert_string_equal(buf, want);
}

static void test_names(void **state)
{
    enum period_unit u = PERIOD_DAY;

    (void)state;
    assert_int_equal(period_unit_parse("month", &u), 0);
    assert_int_equal(u, PERIOD_MONTH);
    assert_int_equal(period_unit_parse("week", &u), 0);
    assert_int_equal(u, PERIOD_WEEK);
    assert_int_equal(period_unit_parse("day", &u), 0);
    assert_int_equal(u, PERIOD_DAY);
    assert_int_equal(period_unit_parse("Month", &u), -1);
    assert_int_equal(period_unit_parse("months", &u), -1);
    assert_int_equal(period_unit_parse("", &u), -1);
    assert_string_equal(period_unit_name(PERIOD_MONTH), "month");
    assert_string_equal(period_unit_plural(PERIOD_DAY), "days");
    assert_string_equal(period_unit_adjective(PERIOD_WEEK), "weekly");
    assert_string_equal(period_unit_adjective(PERIOD_MONTH), "monthly");
    /* A zeroed request means weeks. */
    assert_int_equal(PERIOD_WEEK, 0);
}

static void test_month_boundaries(void **state)
{
    (void)state;
    assert_day(period_start(PERIOD_MONTH, D("2025-01-01")), "2025-01-01");
    assert_day(period_start(PERIOD_MONTH, D("2025-01-31")), "2025-01-01");
    assert_day(period_start(PERIOD_MONTH, D("2025-02-01")), "2025-02-01");
    assert_day(period_start(PERIOD_MONTH, D("2024-12-31")), "2024-12-01");
    assert_int_equal(period_length(PERIOD_MONTH, D("2025-01-01")), 31);
    assert_int_equal(period_length(PERIOD_MONTH, D("2025-04-01")), 30);
    assert_int_equal(period_length(PERIOD_MONTH, D("2024-12-01")), 31);
    assert_day(period_last_day(PERIOD_MONTH, D("2025-04-01")), "2025-04-30");
    /* Across the end of a year, both ways, and by many months. */
    assert_day(period_add(PERIOD_MONTH, D("2024-12-01"), 1), "2025-01-01");
    assert_day(period_add(PERIOD_MONTH, D("2025-01-01"), -1), "2024-12-01");
    assert_day(period_add(PERIOD_MONTH, D("2025-01-01"), -13), "2023-12-01");
    assert_day(period_add(PERIOD_MONTH, D("2025-03-01"), 22), "2027-01-01");
    assert_int_equal(period_diff(PERIOD_MONTH, D("2023-12-01"), D("2025-01-01")), 13);
    assert_int_equal(period_diff(PERIOD_MONTH, D("2025-01-01"), D("2023-12-01")), -13);
    assert_int_equal(period_diff(PERIOD_MONTH, D("2025-01-01"), D("2025-01-01")), 0);
    /* Every month from 1999 to 2101 steps to the next and back. */
    int32_t m = D("1999-01-01");
    for (int i = 0; i < 12 * 103; i++) {
        int32_t next = period_add(PERIOD_MONTH, m, 1);
        int y, mo, d;
        assert_int_equal(next - m, period_length(PERIOD_MONTH, m));
        assert_int_equal(period_add(PERIOD_MONTH, next, -1), m);
        assert_int_equal(period_diff(PERIOD_MONTH, m, next), 1);
        date_to_ymd(next, &y, &mo, &d);
        assert_int_equal(d, 1);
        assert_int_equal(period_start(PERIOD_MONTH, next - 1), m);
        m = next;
    }
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_int_equal(period_length(PERIOD_MONTH, D("2024-02-01")), 29);
    assert_int_equal(period_length(PERIOD_MONTH, D("2025-02-01")), 28);
    assert_int_equal(period_length(PERIOD_MONTH, D("2000-02-01")), 29); /* divisible by 400 */
    assert_int_equal(period_length(PERIOD_MONTH, D("2100-02-01")), 28); /* by 100, not 400 */
    assert_day(period_add(PERIOD_MONTH, D("2024-02-01"), 1), "2024-03-01");
    assert_day(period_start(PERIOD_MONTH, D("2024-02-29")), "2024-02-01");
    assert_day(period_start(PERIOD_MONTH, D("2024-03-01")), "2024-03-01");
    assert_int_equal(period_full_mask(PERIOD_MONTH, D("2024-02-01")), (1u << 29) - 1);
    assert_int_equal(period_full_mask(PERIOD_MONTH, D("2025-02-01")), (1u << 28) - 1);
    assert_int_equal(period_full_mask(PERIOD_MONTH, D("2025-01-01")), 0x7fffffffu);
    assert_int_equal(period_mask_count(period_full_mask(PERIOD_MONTH, D("2024-02-01"))), 29);
}

static void test_day_of_month_alignment(void **state)
{
    uint32_t all31 = 0x7fffffffu, feb = (1u << 28) - 1;
    int32_t mar = D("2025-03-01"), febs = D("2025-02-01");

    (void)state;
    /* Day k of a month is its (k + 1)th: March 31 is bit 30, which
     * February has not; March 1-28 match February 1-28. */
    assert_int_equal(D("2025-03-31") - mar, 30);
    assert_int_equal(period_common_days(PERIOD_MONTH, mar, all31, febs, feb), feb);
    assert_int_equal(period_common_days(PERIOD_MONTH, mar, 1u << 30, febs, feb), 0);
    /* A partial March (1st-20th) against a whole February: 1st-20th. */
    assert_int_equal(period_common_days(PERIOD_MONTH, mar, (1u << 20) - 1, febs, feb),
                     (1u << 20) - 1);
    /* In a leap year February has a 29th to match March 29. */
    assert_int_equal(period_common_days(PERIOD_MONTH, D("2024-03-01"), 1u << 28, D("2024-02-01"),
                                        (1u << 29) - 1),
                     1u << 28);
    /* Masks that claim days past a month's end never match them. */
    assert_int_equal(
        period_common_days(PERIOD_MONTH, D("2025-04-01"), all31, D("2025-05-01"), all31),
        (1u << 30) - 1);
    /* Weeks: weekday against weekday. */
    assert_int_equal(period_common_days(PERIOD_WEEK, D("2025-01-27"), 0x07, D("2025-01-20"), 0x7f),
                     0x07);
    assert_int_equal(period_common_days(PERIOD_WEEK, D("2025-01-27"), 0xff, D("2025-01-20"), 0xff),
                     0x7f);
}

static void test_weeks_and_days(void **state)
{
    (void)state;
    assert_day(period_start(PERIOD_WEEK, D("2025-01-01")), "2024-12-30");
    assert_day(period_add(PERIOD_WEEK, D("2024-12-30"), 5), "2025-02-03");
    assert_int_equal(period_diff(PERIOD_WEEK, D("2024-12-30"), D("2025-02-03")), 5);
    assert_int_equal(period_length(PERIOD_WEEK, D("2024-12-30")), 7);
    assert_int_equal(period_full_mask(PERIOD_WEEK, D("2024-12-30")), 127);
    assert_day(period_start(PERIOD_DAY, D("2025-01-05")), "2025-01-05");
    assert_day(period_add(PERIOD_DAY, D("2024-12-31"), 1), "2025-01-01");
    assert_day(period_add(PERIOD_DAY, D("2024-03-01"), -1), "2024-02-29");
    assert_int_equal(period_diff(PERIOD_DAY, D("2024-12-31"), D("2025-01-31")), 31);
    assert_int_equal(period_length(PERIOD_DAY, D("2025-01-05")), 1);
    assert_int_equal(period_full_mask(PERIOD_DAY, D("2025-01-05")), 1);
}

static void test_labels_and_words(void **state)
{
    char buf[64];

    (void)state;
    period_label(PERIOD_MONTH, D("2025-01-01"), buf, sizeof(buf));
    assert_string_equal(buf, "2025-01");
    period_label(PERIOD_WEEK, D("2025-01-27"), buf, sizeof(buf));
    assert_string_equal(buf, "2025-01-27");
    period_label(PERIOD_DAY, D("2025-01-05"), buf, sizeof(buf));
    assert_string_equal(buf, "2025-01-05");

    period_phrase(PERIOD_WEEK, D("2025-01-27"), buf, sizeof(buf));
    assert_string_equal(buf, "week of 2025-01-27");
    period_phrase(PERIOD_MONTH, D("2025-01-01"), buf, sizeof(buf));
    assert_string_equal(buf, "month of 2025-01");
    period_phrase(PERIOD_DAY, D("2025-01-05"), buf, sizeof(buf));
    assert_string_equal(buf, "day 2025-01-05");

    period_days_text(PERIOD_MONTH, (1u << 20) - 1, buf, sizeof(buf));
    assert_string_equal(buf, "1st-20th");
    period_days_text(PERIOD_MONTH, 0x7fffffffu & ~(0xfu << 10), buf, sizeof(buf));
    assert_string_equal(buf, "1st-10th, 15th-31st");
    period_days_text(PERIOD_MONTH, (1u << 1) | (1u << 2) | (1u << 21) | (1u << 22), buf,
                     sizeof(buf));
    assert_string_equal(buf, "2nd-3rd, 22nd-23rd");
    period_days_text(PERIOD_MONTH, 1u << 10, buf, sizeof(buf));
    assert_string_equal(buf, "11th");
    period_days_text(PERIOD_MONTH, 0x15555u, buf, sizeof(buf)); /* 9 runs */
    assert_string_equal(buf, "1st-17th, with gaps");
    period_days_text(PERIOD_MONTH, 0, buf, sizeof(buf));
    assert_string_equal(buf, "none");
    period_days_text(PERIOD_WEEK, 0x1f, buf, sizeof(buf));
    assert_string_equal(buf, "Mon-Fri");
    /* A small buffer is cut, never overrun. */
    period_days_text(PERIOD_MONTH, 0x7fffffffu & ~(0xfu << 10), buf, 8);
    assert_int_equal(strlen(buf), 7);
}

static void test_month_parse(void **state)
{
    int32_t m = 0;

    (void)state;
    assert_int_equal(month_parse("2025-01", 7, &m), 0);
    assert_day(m, "2025-01-01");
    assert_int_equal(month_parse("2024-12", 7, &m), 0);
    assert_day(m, "2024-12-01");
    assert_int_equal(month_parse("2025-13", 7, &m), -1);
    assert_int_equal(month_parse("2025-00", 7, &m), -1);
    assert_int_equal(month_parse("2025-1", 6, &m), -1);
    assert_int_equal(month_parse("2025-01-01", 10, &m), -1);
    assert_int_equal(month_parse("2025/01", 7, &m), -1);
    assert_int_equal(month_parse("0999-01", 7, &m), -1);
    /* The years data may carry (week.h), as imports check them. */
    assert_int_equal(month_parse("2000-01", 7, &m), 0);
    assert_day(m, "2000-01-01");
    assert_int_equal(month_parse("2100-12", 7, &m), 0);
    assert_day(m, "2100-12-01");
    assert_int_equal(month_parse("1999-12", 7, &m), -1);
    assert_int_equal(month_parse("2101-01", 7, &m), -1);
    assert_int_equal(month_parse("9999-03", 7, &m), -1);
    assert_int_equal(month_parse("2025-0a", 7, &m), -1);
    assert_int_equal(month_parse("+025-01", 7, &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),          cmocka_unit_test(test_month_boundaries),
        cmocka_unit_test(test_leap_years),     cmocka_unit_test(test_day_of_month_alignment),
        cmocka_unit_test(test_weeks_and_days), cmocka_unit_test(test_labels_and_words),
        cmocka_unit_test(test_month_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
