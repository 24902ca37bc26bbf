/* period.h - the periods a report is cut into: days, ISO weeks (Monday
 * to Sunday, the default) or calendar months. Pure functions over day
 * numbers (week.h).
 *
 * A period is named by its first day (a week by its Monday, a month by
 * its 1st). The days of a period are numbered from 0: day k of the
 * period starting at p is p + k, so for a week k is the weekday (0
 * Monday) and for a month the day of the month less one. A set of a
 * period's days is a mask with bit k for day k: a month's fits in 31
 * bits, a week's in 7. Two periods are compared like for like on the
 * days of both masks: the same weekdays, or the same days of the month
 * (March 31 has no match in February). */
#ifndef TOKSTAT_CORE_PERIOD_H
#define TOKSTAT_CORE_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/* PERIOD_WEEK is 0: the default of a zeroed request or series. */
enum period_unit {
    PERIOD_WEEK = 0,
    PERIOD_DAY,
    PERIOD_MONTH,
};

/* The longest period, in days: a month of 31. */
#define PERIOD_MAX_DAYS 31

/* Parses "day", "week" or "month"; -1 when none. */
int period_unit_parse(const char *name, enum period_unit *out);
/* "day", "week" or "month" (static). */
const char *period_unit_name(enum period_unit u);
/* "days", "weeks" or "months" (static). */
const char *period_unit_plural(enum period_unit u);
/* "daily", "weekly" or "monthly" (static). */
const char *period_unit_adjective(enum period_unit u);

/* The first day of the period of unit u that contains day. */
int32_t period_start(enum period_unit u, int32_t day);
/* The first day of the period after (n > 0) or before (n < 0) the one
 * that starts at start, n periods away. */
int32_t period_add(enum period_unit u, int32_t start, long n);
/* How many days the period that starts at start has: 1, 7, or 28 to 31. */
int period_length(enum period_unit u, int32_t start);
/* The last day of the period that starts at start. */
int32_t period_last_day(enum period_unit u, int32_t start);
/* How many periods from the one starting at from to the one starting at
 * to (to - from in periods: 0 when the same, negative when to is before). */
long period_diff(enum period_unit u, int32_t from, int32_t to);

/* Every day of the period that starts at start, as a mask. */
uint32_t period_full_mask(enum period_unit u, int32_t start);
/* How many days mask holds. */
int period_mask_count(uint32_t mask);
/* The days two periods can be compared on like for like: those of both
 * masks that both periods have (the 31st of a month against a month of
 * 30 days is no match). */
uint32_t period_common_days(enum period_unit u, int32_t a, uint32_t mask_a, int32_t b,
                            uint32_t mask_b);

/* The name of the period that starts at start, as the reports show it:
 * "2025-01-27" (a week's Monday), "2025-01" (a month), "2025-01-05" (a
 * day); into out (at least 11 bytes). */
void period_label(enum period_unit u, int32_t start, char *out, size_t n);

/* The period that starts at start in words, into out (n bytes): "week of
 * 2025-01-27", "month of 2025-01", "day 2025-01-05". */
void period_phrase(enum period_unit u, int32_t start, char *out, size_t n);

/* The days of mask in words, into out (n bytes): for a week the weekdays
 * ("Mon-Fri", "Mon, Wed, Sun"), for a month the days of the month ("1st-20th",
 * "1st-10th, 15th-31st"; more than four runs: "1st-31st, with gaps"),
 * "none" for 0. */
void period_days_text(enum period_unit u, uint32_t mask, char *out, size_t n);

/* Parses a month, "YYYY-MM", all of s[0..len), into the day number of its
 * 1st. Its year is one data may carry (TS_DATA_FIRST_YEAR to
 * TS_DATA_LAST_YEAR, week.h). Returns 0, or -1 when s is no such month. */
#define TS_DATA_MONTHS_TEXT "a month, YYYY-MM, from 2000-01 to 2100-12"
int month_parse(const char *s, size_t len, int32_t *out);

#endif
