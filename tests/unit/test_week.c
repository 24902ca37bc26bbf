/* test_week.c - calendar dates and ISO 8601 weeks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "support.h"
#include "core/week.h"

static void assert_date(int32_t day, const char *want)
{
    char buf[TS_DATE_LEN + 1];

    date_format(day, buf);
    assert_string_equal(buf, want);
}

static void assert_iso(const char *day, int want_year, int want_week)
{
    int y = 0, w = 0;

    week_iso(D(day), &y, &w);
    if (y != want_year || w != want_week)
        fail_msg("%s: got %d-W%02d, expected %d-W%02d", day, y, w, want_year, want_week);
}

static void test_epoch(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(1970, 1, 2), 1);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(date_from_ymd(2026, 2, 9), 20493);
    assert_int_equal(D("2026-02-09"), 20493);
    assert_date(0, "1970-01-01");
    assert_date(-1, "1969-12-31");
    assert_date(20493, "2026-02-09");
}

static void test_iso_2026_w53(void **state)
{
    (void)state;
    /* 2026-12-28 is a Monday; its week runs to Sunday 2027-01-03 and is 2026-W53
     * (its Thursday, 2026-12-31, is in 2026). */
    static const char *const days[] = {"2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31",
                                       "2027-01-01", "2027-01-02", "2027-01-03"};
    int32_t monday = D("2026-12-28");

    assert_int_equal(date_weekday(monday), 1);
    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        assert_iso(days[i], 2026, 53);
        assert_int_equal(week_start(D(days[i])), monday);
        assert_int_equal(date_weekday(D(days[i])), (int)i + 1);
    }
    assert_iso("2027-01-04", 2027, 1);
    assert_int_equal(week_start(D("2027-01-04")), D("2027-01-04"));
    assert_iso("2026-12-27", 2026, 52);
}

static void test_iso_boundaries(void **state)
{
    (void)state;
    assert_iso("2020-12-31", 2020, 53);
    assert_iso("2021-01-01", 2020, 53);
    assert_iso("2021-01-03", 2020, 53);
    assert_iso("2021-01-04", 2021, 1);
    assert_iso("2024-12-29", 2024, 52);
    assert_iso("2024-12-30", 2025, 1);
    assert_iso("2025-01-01", 2025, 1);
    assert_iso("2008-12-28", 2008, 52);
    assert_iso("2008-12-29", 2009, 1);
    assert_iso("2009-12-31", 2009, 53);
    assert_iso("2010-01-03", 2009, 53);
    assert_iso("2010-01-04", 2010, 1);
    assert_iso("2026-01-01", 2026, 1);
    assert_iso("2026-02-09", 2026, 7);
    assert_iso("2026-02-15", 2026, 7);
    assert_iso("2026-02-16", 2026, 8);
    assert_iso("2005-01-01", 2004, 53);
    assert_iso("2005-01-02", 2004, 53);
    assert_iso("2007-01-01", 2007, 1);
}

/* Every day of 1900..2100: the ISO week agrees with a slow definition
 * (week 1 holds the year's first Thursday), and weeks start on Monday. */
static void test_iso_every_day(void **state)
{
    (void)state;
    int32_t first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2100, 12, 31);

    for (int32_t day = first; day <= last; day++) {
        int y, w, cy, cm, cd;
        week_iso(day, &y, &w);
        int32_t mon = week_start(day);
        assert_int_equal(date_weekday(mon), 1);
        assert_true(day - mon >= 0 && day - mon <= 6);
        /* The Thursday of the week decides the year. */
        date_to_ymd(mon + 3, &cy, &cm, &cd);
        assert_int_equal(y, cy);
        /* Week 1's Monday: the Monday on or before January 4th. */
        int32_t w1 = week_start(date_from_ymd(cy, 1, 4));
        assert_int_equal(w, (mon - w1) / 7 + 1);
        assert_true(w >= 1 && w <= 53);
    }
}

/* date_parse reads the first len bytes of s as the day want. */
static void assert_parses(const char *s, size_t len, const char *want)
{
    int32_t d = INT32_MIN;

    if (date_parse(s, len, &d) != 0)
        fail_msg("date_parse(\"%.*s\"): failed, expected %s", (int)len, s, want);
    assert_date(d, want);
}

static void test_date_parse_good(void **state)
{
    (void)state;

    assert_parses("2024-02-29", 10, "2024-02-29");
    assert_parses("2000-02-29", 10, "2000-02-29");
    assert_parses("2026-02-09T00:00:00Z", 20, "2026-02-09");
    assert_parses("2026-02-09 23:59:59", 19, "2026-02-09");
    assert_parses("2026-02-09T10:00", 16, "2026-02-09");
    assert_parses("2026-02-09T10:00:00.183Z", 24, "2026-02-09");
    assert_parses("2026-02-09T10:00:00+02:00", 25, "2026-02-09");
    assert_parses("2026-02-09 10:00:00-0130", 24, "2026-02-09");
    assert_parses("2026-02-09T23:59:60+05", 22, "2026-02-09");
    assert_parses("1000-01-01", 10, "1000-01-01");
    assert_parses("9999-12-31", 10, "9999-12-31");
    assert_parses("2026-12-31", 10, "2026-12-31");
    /* Only len bytes are looked at. */
    assert_parses("2026-02-09garbage", 10, "2026-02-09");
}

static void test_date_parse_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-02-30",
        "2023-02-29",
        "1900-02-29",
        "2026-13-01",
        "2026-00-01",
        "2026-01-00",
        "2026-01-32",
        "2026-04-31",
        "2026-1-01",
        "2026-01-1",
        "",
        "yesterday",
        "2026-02-09x",
        "0999-12-31",
        "0000-01-01",
        "2026/02/09",
        "20260209",
        "2026-02-0a",
        " 2026-02-09",
        "-2026-02-09",
        "2026--02-09",
        "+026-02-09",
        "2026-02-09Z",
        /* After the date, a time of day or nothing. */
        "2026-02-09 junk",
        "2026-02-09T",
        "2026-02-09 ",
        "2026-02-09T1:00",
        "2026-02-09T24:00",
        "2026-02-09T10:60",
        "2026-02-09T10:00:61",
        "2026-02-09T10:00:00.",
        "2026-02-09T10:00:00Zjunk",
        "2026-02-09T10:00:00+2",
        "2026-02-09T10:00:00+24:00",
        "2026-02-09T10:00:00+02:0",
        "2026-02-09 10:00 UTC",
        "2026-02-09\t10:00",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int32_t d = 12345;
        if (date_parse(bad[i], strlen(bad[i]), &d) != -1)
            fail_msg("'%s' parsed as a date", bad[i]);
        assert_int_equal(d, 12345); /* untouched */
    }
    int32_t d;
    assert_int_equal(date_parse("2026-02-0", 9, &d), -1);
}

/* An as-of stamp is a date or an ISO 8601 date and time, all of it:
 * nothing after it, so no terminal escape rides along. */
static void test_datetime_parse(void **state)
{
    static const char *const good[] = {
        "2026-05-26",
        "2026-05-26T04:00:00Z",
        "2026-05-30T05:27:03.183Z",
        "2026-05-30T05:27:03.123456789Z",
        "2026-05-26 04:00:00",
        "2026-05-26T04:00",
        "2026-05-26T04:00Z",
        "2026-05-26t04:00:00z",
        "2026-05-26T23:59:60Z",
        "2026-05-26T04:00:00+02:00",
        "2026-05-26T04:00:00-0530",
        "2026-05-26T04:00:00+14",
    };
    static const char *const bad[] = {
        "",
        "9999 \x1b[2J",
        "2026-05-26\x1b[2J",
        "2026-05-26T04:00:00Z\x1b[2J",
        "2026-05-26T04:00:00Z\n",
        "2026-05-26 ",
        "2026-05-26T",
        "2026-05-26T4:00",
        "2026-05-26T24:00:00Z",
        "2026-05-26T04:60:00Z",
        "2026-05-26T04:00:61Z",
        "2026-05-26T04:00:00.Z",
        "2026-05-26T04:00:00.1234567890Z",
        "2026-05-26T04:00:00ZZ",
        "2026-05-26T04:00:00+2",
        "2026-05-26T04:00:00+02:",
        "2026-05-26T04:00:00+02:0",
        "2026-05-26T04:00:00+02:00:00",
        "2026-05-26T04:00:00+0200x",
        "2026-02-30T04:00:00Z",
        "fetched recently",
        "2026-05-26x",
    };
    int32_t d;

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        d = 0;
        if (date_parse(good[i], strlen(good[i]), &d) != 0)
            fail_msg("'%s' not read as a date and time", good[i]);
        assert_int_equal(d, D(good[i][8] == '3' ? "2026-05-30" : "2026-05-26"));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (date_parse(bad[i], strlen(bad[i]), &d) != -1)
            fail_msg("'%s' read as a date and time", bad[i]);
    }
    /* A NUL inside is not the end. */
    assert_int_equal(date_parse("2026-05-26\0x", 12, &d), -1);
}

/* As-of times compare as instants, whatever their zone or precision. */
static void test_date_time_parse(void **state)
{
    int64_t t;
    (void)state;

    assert_int_equal(date_time_parse("2026-05-26", 10, &t), 0);
    assert_int_equal(t, (int64_t)D("2026-05-26") * 86400);
    assert_int_equal(date_time_parse("2026-05-26T04:00:00Z", 20, &t), 0);
    assert_int_equal(t, (int64_t)D("2026-05-26") * 86400 + 4 * 3600);
    assert_int_equal(date_time_parse("2026-05-26T06:30:00.183+02:30", 29, &t), 0);
    assert_int_equal(t, (int64_t)D("2026-05-26") * 86400 + 4 * 3600);
    assert_int_equal(date_time_parse("2026-05-26 03:00-0100", 21, &t), 0);
    assert_int_equal(t, (int64_t)D("2026-05-26") * 86400 + 4 * 3600);
    assert_int_equal(date_time_parse("2026-05-25T23:00-05", 19, &t), 0);
    assert_int_equal(t, (int64_t)D("2026-05-26") * 86400 + 4 * 3600);
    assert_int_equal(date_time_parse("2026-05-26 junk", 15, &t), -1);
}

/* Data lies in the years 2000 to 2100. */
static void test_data_range(void **state)
{
    (void)state;
    assert_true(date_in_data_range(D("2000-01-01")));
    assert_true(date_in_data_range(D("2026-03-02")));
    assert_true(date_in_data_range(D("2100-12-31")));
    assert_false(date_in_data_range(D("1999-12-31")));
    assert_false(date_in_data_range(D("2101-01-01")));
    assert_false(date_in_data_range(D("9999-03-02")));
}

/* date_format and date_parse, date_from_ymd and date_to_ymd are inverses on
 * every day from 1900 to 2100, and consecutive days are consecutive dates. */
static void test_round_trip_1900_2100(void **state)
{
    (void)state;
    int32_t first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2100, 12, 31);
    int py = 1899, pm = 12, pd = 31;
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    assert_int_equal(first, -25567);
    assert_int_equal(last, 47846);
    for (int32_t day = first; day <= last; day++) {
        int y, m, d;
        char buf[TS_DATE_LEN + 1];
        int32_t back = -999999;

        date_to_ymd(day, &y, &m, &d);
        assert_int_equal(date_from_ymd(y, m, d), day);
        /* The day after (py, pm, pd). */
        int leap = (py % 4 == 0 && py % 100 != 0) || py % 400 == 0;
        int plen = pm == 2 && leap ? 29 : dim[pm - 1];
        if (pd < plen) {
            assert_true(y == py && m == pm && d == pd + 1);
        } else if (pm < 12) {
            assert_true(y == py && m == pm + 1 && d == 1);
        } else {
            assert_true(y == py + 1 && m == 1 && d == 1);
        }
        py = y, pm = m, pd = d;

        date_format(day, buf);
        assert_int_equal(strlen(buf), TS_DATE_LEN);
        assert_int_equal(date_parse(buf, TS_DATE_LEN, &back), 0);
        assert_int_equal(back, day);
    }
    assert_true(py == 2100 && pm == 12 && pd == 31);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(0), 4); /* 1970-01-01 Thursday */
    assert_int_equal(date_weekday(-1), 3);
    assert_int_equal(date_weekday(-3), 1);
    assert_int_equal(date_weekday(-4), 7);
    assert_int_equal(date_weekday(D("2026-02-09")), 1);
    assert_int_equal(date_weekday(D("2026-02-15")), 7);
    assert_int_equal(date_weekday(D("2000-01-01")), 6);
    assert_int_equal(date_weekday(D("1900-01-01")), 1);
    assert_int_equal(week_start(D("2026-02-15")), D("2026-02-09"));
    assert_int_equal(week_start(D("2026-02-09")), D("2026-02-09"));
    assert_int_equal(week_start(-1), -3);
    assert_int_equal(week_start(0), -3);
    assert_int_equal(week_start(3), -3);
    assert_int_equal(week_start(4), 4);
}

static void test_week_of_label(void **state)
{
    (void)state;
    int32_t w = D("2026-02-09");

    /* A start label: the week containing the date. */
    assert_int_equal(week_of_label(D("2026-02-09"), 0), w);
    assert_int_equal(week_of_label(D("2026-02-11"), 0), w);
    assert_int_equal(week_of_label(D("2026-02-15"), 0), w);
    assert_int_equal(week_of_label(D("2026-02-16"), 0), D("2026-02-16"));
    /* An end label: the week containing the day before. */
    assert_int_equal(week_of_label(D("2026-02-15"), 1), w); /* Sunday end */
    assert_int_equal(week_of_label(D("2026-02-16"), 1), w); /* the Monday after */
    assert_int_equal(week_of_label(D("2026-02-11"), 1), w); /* a Wednesday */
    assert_int_equal(week_of_label(D("2026-02-09"), 1), D("2026-02-02"));
    assert_int_equal(week_of_label(D("2026-02-10"), 1), w);
    /* Across the year boundary. */
    assert_int_equal(week_of_label(D("2027-01-04"), 1), D("2026-12-28"));
    assert_int_equal(week_of_label(D("2027-01-03"), 0), D("2026-12-28"));
}

static void test_today(void **state)
{
    (void)state;
    int32_t before = (int32_t)(time(NULL) / 86400);
    int32_t today = date_today();
    int32_t after = (int32_t)(time(NULL) / 86400);

    assert_true(today >= before && today <= after);
    assert_true(today > D("2025-01-01"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch),           cmocka_unit_test(test_iso_2026_w53),
        cmocka_unit_test(test_iso_boundaries),  cmocka_unit_test(test_iso_every_day),
        cmocka_unit_test(test_date_parse_good), cmocka_unit_test(test_date_parse_bad),
        cmocka_unit_test(test_datetime_parse),  cmocka_unit_test(test_data_range),
        cmocka_unit_test(test_date_time_parse), cmocka_unit_test(test_round_trip_1900_2100),
        cmocka_unit_test(test_weekday),         cmocka_unit_test(test_week_of_label),
        cmocka_unit_test(test_today),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
