/* week.c - proleptic Gregorian dates as day numbers, and ISO 8601 weeks.
 * The conversions are Howard Hinnant's days_from_civil/civil_from_days,
 * exact for every date tokstat accepts. */
#include "core/week.h"

#include <stdio.h>

#include <time.h>

int32_t date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;                                  /* [0, 399] */
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
    const int32_t z = day + 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int32_t doe = z - era * 146097;
    const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int32_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* A time of day after a date, as ISO 8601 and RFC 3339 write it:
 * HH:MM, HH:MM:SS or HH:MM:SS.fraction (1 to 9 digits), then an optional
 * zone: Z (or z), +HH, +HHMM or +HH:MM (or '-'). Returns 0 when s[0..len)
 * is exactly that. */
static int time_part(const char *s, size_t len)
{
    size_t i = 5;
    int h, m, v;

    if (len < 5 || digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &m) || h > 23 || m > 59)
        return -1;
    if (i < len && s[i] == ':') {
        if (len < i + 3 || digits(s + i + 1, 2, &v) || v > 60) /* 60: a leap second */
            return -1;
        i += 3;
        if (i < len && s[i] == '.') {
            size_t start = ++i;
            while (i < len && i - start < 9 && s[i] >= '0' && s[i] <= '9')
                i++; /* a fraction of 1 to 9 digits, down to nanoseconds */
            if (i == start)
                return -1;
        }
    }
    if (i == len)
        return 0;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len)
        return 0;
    if (s[i] != '+' && s[i] != '-')
        return -1;
    i++;
    if (len - i == 2 && digits(s + i, 2, &h) == 0)
        return h <= 23 ? 0 : -1;
    if (len - i == 4 && digits(s + i, 2, &h) == 0 && digits(s + i + 2, 2, &m) == 0)
        return h <= 23 && m <= 59 ? 0 : -1;
    if (len - i == 5 && s[i + 2] == ':' && digits(s + i, 2, &h) == 0 &&
        digits(s + i + 3, 2, &m) == 0)
        return h <= 23 && m <= 59 ? 0 : -1;
    return -1;
}

int date_parse(const char *s, size_t len, int32_t *out)
{
    int y, m, d;

    if (len < TS_DATE_LEN || s[4] != '-' || s[7] != '-')
        return -1;
    if (len > TS_DATE_LEN && ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
                              time_part(s + TS_DATE_LEN + 1, len - TS_DATE_LEN - 1) < 0))
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
        return -1;
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *out = date_from_ymd(y, m, d);
    return 0;
}

int date_time_parse(const char *s, size_t len, int64_t *out)
{
    int32_t day;
    int h = 0, m = 0, sec = 0, zh = 0, zm = 0, sign = 0;
    size_t i = TS_DATE_LEN + 1;

    if (date_parse(s, len, &day) < 0)
        return -1;
    if (len > TS_DATE_LEN) { /* checked by date_parse: HH:MM[:SS[.f]][zone] */
        digits(s + i, 2, &h);
        digits(s + i + 3, 2, &m);
        i += 5;
        if (i < len && s[i] == ':') {
            digits(s + i + 1, 2, &sec);
            i += 3;
            if (i < len && s[i] == '.')
                for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
                    ;
        }
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            sign = s[i] == '+' ? 1 : -1;
            digits(s + i + 1, 2, &zh);
            if (len - i == 5)
                digits(s + i + 3, 2, &zm);
            else if (len - i == 6)
                digits(s + i + 4, 2, &zm);
        }
    }
    *out = (int64_t)day * 86400 + h * 3600 + m * 60 + sec - sign * (zh * 3600 + zm * 60);
    return 0;
}

int date_in_data_range(int32_t day)
{
    return day >= date_from_ymd(TS_DATA_FIRST_YEAR, 1, 1) &&
           day <= date_from_ymd(TS_DATA_LAST_YEAR, 12, 31);
}

void date_format(int32_t day, char out[TS_DATE_LEN + 1])
{
    int y, m, d;

    date_to_ymd(day, &y, &m, &d);
    y = ((y % 10000) + 10000) % 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int date_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    int32_t w = (day + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

int32_t week_start(int32_t day)
{
    return day - (date_weekday(day) - 1);
}

void week_iso(int32_t day, int *iso_year, int *iso_week)
{
    /* The ISO year is the year of the week's Thursday. */
    int32_t thursday = week_start(day) + 3;
    int y, m, d;
    date_to_ymd(thursday, &y, &m, &d);
    int32_t jan1 = date_from_ymd(y, 1, 1);
    *iso_year = y;
    *iso_week = (int)((thursday - jan1) / 7) + 1;
}

int32_t week_of_label(int32_t date, int label_end)
{
    return week_start(label_end ? date - 1 : date);
}

int32_t date_today(void)
{
    time_t now = time(NULL);
    return (int32_t)(now / 86400);
}

static const char *const day_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int week_days_count(unsigned mask)
{
    int n = 0;

    for (mask &= 127; mask; mask &= mask - 1)
        n++;
    return n;
}

void week_days_text(unsigned mask, char *out, size_t n)
{
    int first = -1, last = -1;
    size_t len = 0;

    mask &= 127;
    if (n == 0)
        return;
    out[0] = '\0';
    if (mask == 0) {
        snprintf(out, n, "none");
        return;
    }
    for (int d = 0; d < 7; d++) {
        if (mask >> d & 1) {
            if (first < 0)
                first = d;
            last = d;
        }
    }
    /* One run with nothing missing inside it. */
    if (week_days_count(mask) == last - first + 1) {
        if (first == last)
            snprintf(out, n, "%s", day_names[first]);
        else
            snprintf(out, n, "%s-%s", day_names[first], day_names[last]);
        return;
    }
    for (int d = 0; d < 7 && len < n; d++) {
        if (mask >> d & 1) {
            int k = snprintf(out + len, n - len, "%s%s", len ? ", " : "", day_names[d]);
            if (k < 0)
                return;
            len += (size_t)k;
        }
    }
}
