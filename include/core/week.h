/* week.h - calendar dates and ISO 8601 weeks, pure functions.
 *
 * A date is an int32_t count of days since 1970-01-01 (UTC), negative
 * before. Weeks are ISO weeks, Monday to Sunday, named by their Monday. */
#ifndef TOKSTAT_CORE_WEEK_H
#define TOKSTAT_CORE_WEEK_H

#include <stddef.h>
#include <stdint.h>

#define TS_DATE_LEN 10 /* "YYYY-MM-DD" */

/* Day number of a proleptic Gregorian date; month 1-12, day 1-31, not checked. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *y, int *m, int *d);

/* Parses "YYYY-MM-DD" (a real calendar date, years 1000-9999) from
 * s[0..len). A time of day may follow after 'T' (or 't') or ' ' as ISO 8601
 * and RFC 3339 write it (HH:MM, HH:MM:SS, HH:MM:SS.fraction of 1 to 9
 * digits, then Z, +HH, +HHMM or +HH:MM, or the same with '-'); it is
 * checked and ignored, so "2026-02-09T00:00:00Z" is 2026-02-09. Anything
 * else after the date ("2026-02-09 junk", a terminal escape) makes it no
 * date: this is also how an as-of stamp is checked. Returns 0, or -1 when
 * s is not such a date. */
int date_parse(const char *s, size_t len, int32_t *out);

/* A point in time as seconds since 1970-01-01 00:00 UTC, from what
 * date_parse takes: a date alone is its midnight UTC, a time without a
 * zone is UTC, a fraction of a second is dropped. How as-of times are
 * compared. Returns 0, or -1 when s is no such time. */
int date_time_parse(const char *s, size_t len, int64_t *out);

/* The dates data may carry: imported rows and as-of dates lie in the
 * years TS_DATA_FIRST_YEAR to TS_DATA_LAST_YEAR, so that a typo such as
 * 9999-03-02 is refused rather than stretching every chart over 8,000
 * years. date_in_data_range says whether day is one of them. */
#define TS_DATA_FIRST_YEAR 2000
#define TS_DATA_LAST_YEAR  2100
#define TS_DATA_RANGE_TEXT "a date from 2000-01-01 to 2100-12-31"
int date_in_data_range(int32_t day);

/* Writes "YYYY-MM-DD" and a NUL into out. */
void date_format(int32_t day, char out[TS_DATE_LEN + 1]);

/* 1 = Monday ... 7 = Sunday. */
int date_weekday(int32_t day);

/* The Monday of the ISO week that contains day. */
int32_t week_start(int32_t day);

/* ISO 8601 week-numbering year and week number (1-53) of day. */
void week_iso(int32_t day, int *iso_year, int *iso_week);

/* Where a weekly observation labelled by date goes: with label_end zero the
 * week containing date, else the week containing the day before it. */
int32_t week_of_label(int32_t date, int label_end);

/* The weekdays of mask (bit 0 Monday ... bit 6 Sunday) as words, into
 * out (at least 32 bytes): a run as "Mon-Fri", "Wed-Sun" or "Sat", others
 * listed: "Mon, Wed, Sun"; "none" for 0. */
void week_days_text(unsigned mask, char *out, size_t n);

/* How many weekdays mask holds. */
int week_days_count(unsigned mask);

/* Today's date in UTC. */
int32_t date_today(void);

#endif
