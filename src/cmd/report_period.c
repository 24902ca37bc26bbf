/* report_period.c - a report by week, by day or by month: the periods
 * with data, the series, and the notes that name them. */
#include "cmd/report_period.h"

#include <stdlib.h>

#include "core/period.h"
#include "core/week.h"
#include "db/period_query.h"
#include "db/query.h"

/* "in the week of 2025-01-27", "in the month of 2025-01", "on 2025-01-05". */
static void in_period(enum period_unit u, int32_t start, char *out, size_t n)
{
    char name[40], label[TS_DATE_LEN + 1];

    if (u == PERIOD_DAY) {
        period_label(u, start, label, sizeof(label));
        snprintf(out, n, "on %s", label);
        return;
    }
    period_phrase(u, start, name, sizeof(name));
    snprintf(out, n, "in the %s", name);
}

/* The weeks of v->weekly_only that overlap the days v reports: the
 * first and last of them into *first, *last; returns how many. */
static size_t weekly_only_in_range(const struct dataset_view *v, int32_t *first, int32_t *last)
{
    int32_t from = v->from, to = period_last_day(v->unit, v->to);
    size_t k = 0;

    for (size_t i = 0; i < v->nweekly_only; i++) {
        int32_t w = v->weekly_only[i];
        if (w + 6 < from || w > to)
            continue;
        if (k++ == 0)
            *first = w;
        *last = w;
    }
    return k;
}

int view_periods(struct cmd_env *env, struct dataset_view *v, const char *dataset)
{
    struct ts_err err = TS_ERR_INIT;

    if (v->unit == PERIOD_WEEK) {
        if (db_weeks(v->db, v->id, &v->weeks, &v->nweeks, &err) < 0)
            return report_db_error(env, &err);
        return 0;
    }
    if (db_periods(v->db, v->id, v->unit, &v->weeks, &v->nweeks, &err) < 0 ||
        db_weekly_only_weeks(v->db, v->id, &v->weekly_only, &v->nweekly_only, &err) < 0)
        return report_db_error(env, &err);
    if (v->nweeks == 0 && v->nweekly_only > 0)
        return cmd_fail(env,
                        "dataset '%s' has weekly rows only, which cannot be split into %s "
                        "('--period week' reads them)",
                        dataset, period_unit_plural(v->unit));
    return 0;
}

void view_period_notes(struct cmd_env *env, const struct dataset_view *v)
{
    const struct range_notes *n = &v->notes;
    enum period_unit u = v->unit;
    const char *units = period_unit_plural(u);
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1], where[64];

    period_label(u, n->first, a, sizeof(a));
    period_label(u, n->last, b, sizeof(b));
    if (n->outside) {
        fprintf(env->err,
                "tokstat: note: no data in the %s asked for (the dataset covers the %s %s to "
                "%s)\n",
                units, units, a, b);
        return;
    }
    if (n->clipped_start) {
        in_period(u, n->first, where, sizeof(where));
        fprintf(env->err, "tokstat: note: the dataset starts %s: the range starts there\n", where);
    }
    if (n->clipped_end) {
        in_period(u, n->last, where, sizeof(where));
        fprintf(env->err, "tokstat: note: the dataset ends %s: the range ends there\n", where);
    }
    if (n->skipped) {
        period_phrase(u, n->skipped, where, sizeof(where));
        fprintf(env->err,
                "tokstat: note: the %s has %d of %d days so far: left out (--partial brings it "
                "in, compared like for like)\n",
                where, n->skipped_days, period_length(u, n->skipped));
    }
    int32_t first = 0, last = 0;
    size_t k = weekly_only_in_range(v, &first, &last);
    if (k == 0)
        return;
    date_format(first, a);
    date_format(last, b);
    if (k == 1)
        fprintf(env->err, "tokstat: note: the week of %s has", a);
    else
        fprintf(env->err, "tokstat: note: %zu weeks from the week of %s to the week of %s have", k,
                a, b);
    fprintf(env->err,
            " weekly rows only, which cannot be split into %s: left out ('--period week' reads "
            "them)\n",
            units);
}

int view_series(const struct dataset_view *v, const struct report_args *a, int with_prev,
                struct series *out, struct ts_err *err)
{
    int32_t from = with_prev ? period_add(v->unit, v->from, -1) : v->from;

    if (v->unit == PERIOD_WEEK)
        return db_series(v->db, v->id, a->req.by, from, v->to, out, err);
    return db_period_series(v->db, v->id, a->req.by, v->unit, from, v->to, out, err);
}

int view_unmapped_vendors(const struct dataset_view *v, char ***out, size_t *n, struct ts_err *err)
{
    if (v->unit == PERIOD_WEEK)
        return db_unmapped_vendors(v->db, v->id, v->from, v->to, out, n, err);
    return db_unmapped_vendors_days(v->db, v->id, v->from, period_last_day(v->unit, v->to), out, n,
                                    err);
}

int view_usage(const struct dataset_view *v, int32_t from, int32_t to, struct usage_row **out,
               size_t *n, struct ts_err *err)
{
    if (v->unit == PERIOD_WEEK)
        return db_usage(v->db, v->id, from, to, out, n, err);
    return db_usage_periods(v->db, v->id, v->unit, from, to, out, n, err);
}

struct priced_usage view_priced(const struct dataset_view *v, const struct usage_row *rows,
                                size_t n, const struct price_book *book)
{
    return (struct priced_usage){.rows = rows,
                                 .nrows = n,
                                 .book = book,
                                 .weeks = v->weeks,
                                 .nweeks = v->nweeks,
                                 .from = v->from,
                                 .to = v->to,
                                 .unit = v->unit};
}
