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
 * s[0..len). A time part after 'T' or ' ' is allowed and ignored, so
 * "2026-02-09T00:00:00Z" is 2026-02-09. Returns 0, or -1 when s is not such
 * a date. */
int date_parse(const char *s, size_t len, int32_t *out);

/* Parses an ISO 8601 (RFC 3339) date or date and time, all of s[0..len):
 * "YYYY-MM-DD", then optionally 'T' (or a space) and "hh:mm", ":ss",
 * ".fraction" (1-9 digits) and a zone, "Z" or "+hh:mm" ("+hhmm", "+hh").
 * The date goes into *day. Returns 0, or -1 when s is anything else. */
int datetime_parse(const char *s, size_t len, int32_t *day);

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
