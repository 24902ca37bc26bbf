/* period.c - days, ISO weeks and calendar months as periods of day
 * numbers: where one starts, how long it is, the next and the one
 * before, and their days in words. */
#include "core/period.h"

#include <stdio.h>
#include <string.h>

#include "core/week.h"

static const char *const names[] = {
    [PERIOD_WEEK] = "week",
    [PERIOD_DAY] = "day",
    [PERIOD_MONTH] = "month",
};
static const char *const plurals[] = {
    [PERIOD_WEEK] = "weeks",
    [PERIOD_DAY] = "days",
    [PERIOD_MONTH] = "months",
};
static const char *const adjectives[] = {
    [PERIOD_WEEK] = "weekly",
    [PERIOD_DAY] = "daily",
    [PERIOD_MONTH] = "monthly",
};

int period_unit_parse(const char *name, enum period_unit *out)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum period_unit)i;
            return 0;
        }
    }
    return -1;
}

const char *period_unit_name(enum period_unit u)
{
    return names[u];
}

const char *period_unit_plural(enum period_unit u)
{
    return plurals[u];
}

const char *period_unit_adjective(enum period_unit u)
{
    return adjectives[u];
}

int32_t period_start(enum period_unit u, int32_t day)
{
    int y, m, d;

    switch (u) {
    case PERIOD_DAY:
        return day;
    case PERIOD_MONTH:
        date_to_ymd(day, &y, &m, &d);
        return day - (d - 1);
    case PERIOD_WEEK:
        break;
    }
    return week_start(day);
}

int32_t period_add(enum period_unit u, int32_t start, long n)
{
    int y, m, d;

    switch (u) {
    case PERIOD_DAY:
        return start + (int32_t)n;
    case PERIOD_MONTH: {
        date_to_ymd(start, &y, &m, &d);
        /* Months since year 0, moved by n, back to a year and a month. */
        long k = (long)y * 12 + (m - 1) + n;
        long ny = k >= 0 ? k / 12 : -((-k + 11) / 12);
        return date_from_ymd((int)ny, (int)(k - ny * 12) + 1, 1);
    }
    case PERIOD_WEEK:
        break;
    }
    return start + (int32_t)(7 * n);
}

int period_length(enum period_unit u, int32_t start)
{
    switch (u) {
    case PERIOD_DAY:
        return 1;
    case PERIOD_MONTH:
        return (int)(period_add(u, start, 1) - start);
    case PERIOD_WEEK:
        break;
    }
    return 7;
}

int32_t period_last_day(enum period_unit u, int32_t start)
{
    return start + period_length(u, start) - 1;
}

long period_diff(enum period_unit u, int32_t from, int32_t to)
{
    int fy, fm, ty, tm, d;

    switch (u) {
    case PERIOD_DAY:
        return (long)to - from;
    case PERIOD_MONTH:
        date_to_ymd(from, &fy, &fm, &d);
        date_to_ymd(to, &ty, &tm, &d);
        return ((long)ty - fy) * 12 + (tm - fm);
    case PERIOD_WEEK:
        break;
    }
    return ((long)to - from) / 7;
}

uint32_t period_full_mask(enum period_unit u, int32_t start)
{
    int len = period_length(u, start);

    return len >= 32 ? UINT32_MAX : (UINT32_C(1) << len) - 1;
}

int period_mask_count(uint32_t mask)
{
    int n = 0;

    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

uint32_t period_common_days(enum period_unit u, int32_t a, uint32_t mask_a, int32_t b,
                            uint32_t mask_b)
{
    return mask_a & mask_b & period_full_mask(u, a) & period_full_mask(u, b);
}

void period_label(enum period_unit u, int32_t start, char *out, size_t n)
{
    char d[TS_DATE_LEN + 1];

    date_format(start, d);
    if (u == PERIOD_MONTH)
        d[7] = '\0'; /* "YYYY-MM" */
    snprintf(out, n, "%s", d);
}

void period_phrase(enum period_unit u, int32_t start, char *out, size_t n)
{
    char label[TS_DATE_LEN + 1];

    period_label(u, start, label, sizeof(label));
    snprintf(out, n, "%s%s %s", period_unit_name(u), u == PERIOD_DAY ? "" : " of", label);
}

/* "1st", "2nd", "3rd", "4th" ... "11th", "21st", "31st". */
static const char *ordinal_suffix(int k)
{
    if (k % 100 >= 11 && k % 100 <= 13)
        return "th";
    switch (k % 10) {
    case 1:
        return "st";
    case 2:
        return "nd";
    case 3:
        return "rd";
    default:
        return "th";
    }
}

/* A month's days: runs of days "1st-20th", joined by ", "; more than four
 * runs as the first to the last day ", with gaps". */
static void month_days_text(uint32_t mask, char *out, size_t n)
{
    int first[PERIOD_MAX_DAYS], last[PERIOD_MAX_DAYS], runs = 0;
    size_t len = 0;

    for (int k = 0; k < PERIOD_MAX_DAYS; k++) {
        if (!(mask >> k & 1))
            continue;
        if (runs > 0 && last[runs - 1] == k - 1) {
            last[runs - 1] = k;
        } else {
            first[runs] = last[runs] = k;
            runs++;
        }
    }
    if (runs > 4) {
        snprintf(out, n, "%d%s-%d%s, with gaps", first[0] + 1, ordinal_suffix(first[0] + 1),
                 last[runs - 1] + 1, ordinal_suffix(last[runs - 1] + 1));
        return;
    }
    out[0] = '\0';
    for (int r = 0; r < runs && len < n; r++) {
        int a = first[r] + 1, b = last[r] + 1, k;
        if (a == b)
            k = snprintf(out + len, n - len, "%s%d%s", r ? ", " : "", a, ordinal_suffix(a));
        else
            k = snprintf(out + len, n - len, "%s%d%s-%d%s", r ? ", " : "", a, ordinal_suffix(a), b,
                         ordinal_suffix(b));
        if (k < 0)
            return;
        len += (size_t)k;
    }
}

void period_days_text(enum period_unit u, uint32_t mask, char *out, size_t n)
{
    if (n == 0)
        return;
    if (mask == 0) {
        snprintf(out, n, "none");
        return;
    }
    switch (u) {
    case PERIOD_MONTH:
        month_days_text(mask, out, n);
        return;
    case PERIOD_DAY:
        snprintf(out, n, "%s", mask & 1 ? "the day" : "none");
        return;
    case PERIOD_WEEK:
        break;
    }
    week_days_text(mask, out, n);
}

int month_parse(const char *s, size_t len, int32_t *out)
{
    int y = 0, m = 0;

    if (len != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++) {
        if (i == 4)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (i < 4)
            y = y * 10 + (s[i] - '0');
        else
            m = m * 10 + (s[i] - '0');
    }
    if (y < TS_DATA_FIRST_YEAR || y > TS_DATA_LAST_YEAR || m < 1 || m > 12)
        return -1;
    *out = date_from_ymd(y, m, 1);
    return 0;
}
