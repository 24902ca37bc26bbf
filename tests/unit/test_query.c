/* test_query.c - the query layer (query.h) against real databases: weeks
 * with data, tokens per week and group, unmapped vendors, the source line.
 *
 * Every test opens its own store in the temporary folder and fills it
 * through the ingest sink, as `tokstat import` does. 2026-02-09 is a
 * Monday. Days and months (period_query.h) are read here too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/ingest.h"
#include "db/period_query.h"
#include "db/query.h"
#include "db/countries.h"
#include "db/apps.h"
#include "db/families.h"
#include "support.h"
#include "core/week.h"

#define SOURCE_PREFIX "OpenRouter (openrouter.ai/rankings), "

/* ---- fixture: one store per test, one import at a time ---- */

struct fx {
    char path[256];
    struct db *st;
    struct ingest ig;
    struct ts_sink sink;
    int open_import;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct ts_err err = TS_ERR_INIT;

    if (!f)
        return -1;
    sup_tmp_path(f->path, sizeof(f->path), "query.db");
    if (db_open(f->path, &f->st, &err) != 0) {
        fprintf(stderr, "db_open: %s\n", err.msg);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    if (f->open_import) {
        db_rollback(f->st);
        ingest_release(&f->ig);
    }
    db_close(f->st);
    free(f);
    return 0;
}

/* The id of dataset name, created when absent. */
static int64_t dataset(struct fx *f, const char *name)
{
    struct ts_err err = TS_ERR_INIT;
    int64_t id = -1;

    if (db_dataset(f->st, name, 1, &id, &err) != 1)
        fail_msg("db_dataset '%s': %s", name, err.msg);
    return id;
}

/* Starts an import of format into dataset name. */
static void imp_begin(struct fx *f, const char *name, const char *format)
{
    struct ts_err err = TS_ERR_INIT;

    assert_false(f->open_import);
    ingest_init(&f->ig, f->st, 0, 0); /* catalogue prices valid from day 0... */
    f->ig.today = date_today();       /* ...and as-of times of the past */
    f->open_import = 1;
    f->ig.imp.file = "test";
    f->ig.imp.format = format;
    if (db_begin(f->st, &err) != 0)
        fail_msg("db_begin: %s", err.msg);
    if (db_dataset(f->st, name, 1, &f->ig.imp.dataset, &err) != 1)
        fail_msg("db_dataset '%s': %s", name, err.msg);
    if (db_import_start(f->st, &f->ig.imp, &err) != 0)
        fail_msg("db_import_start: %s", err.msg);
    ingest_sink(&f->ig, &f->sink);
}

/* One record through the sink: p TS_DAY or TS_WEEK, the week labelled by
 * its start. */
static void add(struct fx *f, enum ts_period p, const char *date, const char *slug, int64_t total)
{
    struct ts_err err = TS_ERR_INIT;
    struct ts_record r;

    assert_true(f->open_import);
    record_init(&r);
    r.period = p;
    r.date = D(date);
    r.model = slug;
    r.model_len = strlen(slug);
    r.total = total;
    if (f->sink.record(f->sink.ctx, &r, &err) != 0)
        fail_msg("record %s '%s': %s", date, slug, err.msg);
}

static void day(struct fx *f, const char *date, const char *slug, int64_t total)
{
    add(f, TS_DAY, date, slug, total);
}

static void week(struct fx *f, const char *date, const char *slug, int64_t total)
{
    add(f, TS_WEEK, date, slug, total);
}

/* Ends the import; as_of is handed to the sink first when not NULL. */
static void imp_end(struct fx *f, const char *as_of)
{
    struct ts_err err = TS_ERR_INIT;

    assert_true(f->open_import);
    if (as_of)
        f->sink.as_of(f->sink.ctx, as_of);
    snprintf(f->ig.imp.sha256, sizeof(f->ig.imp.sha256), "sha-%lld", (long long)f->ig.imp.id);
    if (ingest_finish(&f->ig, &err) != 0)
        fail_msg("ingest_finish: %s", err.msg);
    if (db_commit(f->st, &err) != 0)
        fail_msg("db_commit: %s", err.msg);
    ingest_release(&f->ig);
    f->open_import = 0;
}

static void vendor_set(struct fx *f, const char *vendor, const char *country)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_vendor_set(f->st, vendor, country, &err) != 0)
        fail_msg("db_vendor_set %s %s: %s", vendor, country, err.msg);
}

/* ---- reading results ---- */

static void weeks_ok(struct fx *f, int64_t ds, struct week_days **w, size_t *n)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_weeks(f->st, ds, w, n, &err) != 0)
        fail_msg("db_weeks: %s", err.msg);
}

/* Checks what every series must satisfy: the matrix covers from..to,
 * groups are sorted by name with one entry each (apps by name, then id),
 * the other bucket is marked, and each week's total is the sum over all
 * groups. */
static void check_series(const struct series *s)
{
    assert_int_equal(week_start(s->from), s->from);
    assert_int_equal(week_start(s->to), s->to);
    assert_true(s->from <= s->to);
    assert_int_equal(s->nweeks, (size_t)((s->to - s->from) / 7) + 1);
    assert_non_null(s->days);
    assert_non_null(s->total);
    if (s->ngroups > 0)
        assert_non_null(s->groups);
    for (size_t g = 0; g < s->ngroups; g++) {
        const struct series_group *gr = &s->groups[g];
        assert_non_null(gr->name);
        assert_non_null(gr->country);
        assert_non_null(gr->tokens);
        /* By name (apps of one name by id: an app is its id). */
        int c = g > 0 ? strcmp(s->groups[g - 1].name, gr->name) : -1;
        if (c > 0 || (c == 0 && !(s->by == BY_APP && s->groups[g - 1].id < gr->id)))
            fail_msg("groups not sorted by name: '%s' before '%s'", s->groups[g - 1].name,
                     gr->name);
        if (strcmp(gr->name, "other") == 0) {
            assert_true(gr->is_other);
            assert_string_equal(gr->country, "other");
        } else {
            assert_false(gr->is_other);
        }
    }
    for (size_t w = 0; w < s->nweeks; w++) {
        int64_t sum = 0;
        assert_in_range(s->days[w], 0, 7);
        for (size_t g = 0; g < s->ngroups; g++) {
            assert_true(s->groups[g].tokens[w] >= 0);
            sum += s->groups[g].tokens[w];
        }
        if (sum != s->total[w])
            fail_msg("week %zu: total %lld, sum over the groups %lld", w, (long long)s->total[w],
                     (long long)sum);
        if (s->days[w] == 0 && s->total[w] != 0)
            fail_msg("week %zu: tokens %lld but days 0", w, (long long)s->total[w]);
    }
}

static void series_ok(struct fx *f, int64_t ds, enum group_by by, const char *from, const char *to,
                      struct series *s)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_series(f->st, ds, by, D(from), D(to), s, &err) != 0)
        fail_msg("db_series: %s", err.msg);
    check_series(s);
}

/* The index of the week whose Monday is monday. */
static size_t widx(const struct series *s, const char *monday)
{
    int32_t d = D(monday);

    assert_int_equal(week_start(d), d);
    assert_in_range(d, s->from, s->to);
    return (size_t)((d - s->from) / 7);
}

/* The group called name, or NULL. */
static const struct series_group *grp(const struct series *s, const char *name)
{
    for (size_t g = 0; g < s->ngroups; g++) {
        if (strcmp(s->groups[g].name, name) == 0)
            return &s->groups[g];
    }
    return NULL;
}

/* The group called name; fails the test when it is absent. */
static const struct series_group *grp_ok(const struct series *s, const char *name)
{
    const struct series_group *g = grp(s, name);

    if (!g)
        fail_msg("no group '%s'", name);
    return g;
}

/* Tokens of group name in the week of monday. */
static int64_t tok(const struct series *s, const char *name, const char *monday)
{
    return grp_ok(s, name)->tokens[widx(s, monday)];
}

static int64_t total(const struct series *s, const char *monday)
{
    return s->total[widx(s, monday)];
}

static int days(const struct series *s, const char *monday)
{
    return s->days[widx(s, monday)];
}

/* Asserts the group names, in order. names ends with NULL. */
static void assert_groups(const struct series *s, ...)
{
    va_list ap;
    size_t i = 0;
    const char *name;

    va_start(ap, s);
    while ((name = va_arg(ap, const char *)) != NULL) {
        if (i >= s->ngroups)
            fail_msg("group %zu: expected '%s', there are only %zu", i, name, s->ngroups);
        if (strcmp(s->groups[i].name, name) != 0)
            fail_msg("group %zu: expected '%s', got '%s'", i, name, s->groups[i].name);
        i++;
    }
    va_end(ap);
    if (i != s->ngroups)
        fail_msg("expected %zu groups, got %zu (next '%s')", i, s->ngroups, s->groups[i].name);
}

/* A group that has no tokens in the range may be left out; when it is
 * there, it holds only zeros. */
static void absent_or_zero(const struct series *s, const char *name)
{
    const struct series_group *g = grp(s, name);

    for (size_t w = 0; g && w < s->nweeks; w++) {
        if (g->tokens[w] != 0)
            fail_msg("group '%s', week %zu: %lld tokens, expected none", name, w,
                     (long long)g->tokens[w]);
    }
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void unmapped_ok(struct fx *f, int64_t ds, const char *from, const char *to, char ***out,
                        size_t *n)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_unmapped_vendors(f->st, ds, D(from), D(to), out, n, &err) != 0)
        fail_msg("db_unmapped_vendors: %s", err.msg);
}

static char *source_ok(struct fx *f, int64_t ds)
{
    struct ts_err err = TS_ERR_INIT;
    char *out = (char *)"not set";

    if (db_source(f->st, ds, &out, &err) != 0)
        fail_msg("db_source: %s", err.msg);
    return out;
}

/* ---- group_by_parse, group_by_name ---- */

static void test_by_parse(void **state)
{
    enum group_by by;

    (void)state;
    by = BY_MODEL;
    assert_int_equal(group_by_parse("country", &by), 0);
    assert_int_equal(by, BY_COUNTRY);
    by = BY_COUNTRY;
    assert_int_equal(group_by_parse("vendor", &by), 0);
    assert_int_equal(by, BY_VENDOR);
    by = BY_COUNTRY;
    assert_int_equal(group_by_parse("model", &by), 0);
    assert_int_equal(by, BY_MODEL);
    by = BY_COUNTRY;
    assert_int_equal(group_by_parse("family", &by), 0);
    assert_int_equal(by, BY_FAMILY);
}

static void test_by_parse_rejects(void **state)
{
    static const char *const bad[] = {
        "Country", "contry", "",  "COUNTRY", "countr",         "country ", " country", "countrys",
        "Vendor",  "models", "c", "model\n", "vendor,country", "families", "Family",
    };
    enum group_by by;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        by = BY_VENDOR;
        if (group_by_parse(bad[i], &by) != -1)
            fail_msg("group_by_parse accepted '%s'", bad[i]);
        assert_int_equal(by, BY_VENDOR); /* untouched */
    }
}

static void test_by_name(void **state)
{
    static const enum group_by all[] = {BY_COUNTRY, BY_VENDOR, BY_MODEL, BY_FAMILY};
    enum group_by by;

    (void)state;
    assert_string_equal(group_by_name(BY_COUNTRY), "country");
    assert_string_equal(group_by_name(BY_VENDOR), "vendor");
    assert_string_equal(group_by_name(BY_MODEL), "model");
    assert_string_equal(group_by_name(BY_FAMILY), "family");
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        assert_int_equal(group_by_parse(group_by_name(all[i]), &by), 0);
        assert_int_equal(by, all[i]);
    }
}

/* ---- db_weeks ---- */

static void test_weeks_empty(void **state)
{
    struct fx *f = *state;
    struct week_days *w = (struct week_days *)&w;
    size_t n = 99;

    weeks_ok(f, dataset(f, "default"), &w, &n);
    assert_int_equal(n, 0);
    free(w);

    /* A dataset id that does not exist has no weeks either. */
    w = (struct week_days *)&w;
    n = 99;
    weeks_ok(f, 12345, &w, &n);
    assert_int_equal(n, 0);
    free(w);
}

static void test_weeks_days(void **state)
{
    struct fx *f = *state;
    struct week_days *w = NULL;
    size_t n = 0;

    /* Written out of order: the result is ascending all the same. */
    imp_begin(f, "default", "csv");
    /* 2026-03-02: daily and weekly rows; two distinct days of daily data. */
    week(f, "2026-03-02", "deepseek/deepseek-chat", 1000);
    day(f, "2026-03-03", "deepseek/deepseek-chat", 10);
    day(f, "2026-03-08", "anthropic/claude-4-sonnet", 20); /* Sunday */
    day(f, "2026-03-08", "deepseek/deepseek-chat", 30);
    /* 2026-02-16: three days, several models on the same day. */
    day(f, "2026-02-16", "deepseek/deepseek-chat", 1);
    day(f, "2026-02-16", "anthropic/claude-4-sonnet", 2);
    day(f, "2026-02-17", "deepseek/deepseek-chat", 3);
    day(f, "2026-02-22", "openai/gpt-5", 4); /* Sunday */
    /* 2026-02-09: weekly rows only, labelled on a Wednesday. */
    week(f, "2026-02-11", "deepseek/deepseek-chat", 100);
    week(f, "2026-02-09", "anthropic/claude-4-sonnet", 200);
    /* 2026-02-23: a complete week of daily data. */
    for (int i = 0; i < 7; i++) {
        char date[TS_DATE_LEN + 1];
        date_format(D("2026-02-23") + i, date);
        day(f, date, "qwen/qwen3-coder", 5);
    }
    /* 2026-01-26: weekly only, one model. */
    week(f, "2026-01-26", "qwen/qwen3-coder", 7);
    imp_end(f, NULL);

    /* Another dataset, with weeks the default one does not have and a
     * different day count in a shared week. */
    imp_begin(f, "other-feed", "csv");
    day(f, "2026-02-02", "deepseek/deepseek-chat", 9);
    day(f, "2026-02-09", "deepseek/deepseek-chat", 9);
    week(f, "2026-04-06", "deepseek/deepseek-chat", 9);
    for (int i = 0; i < 7; i++) {
        char date[TS_DATE_LEN + 1];
        date_format(D("2026-02-16") + i, date);
        day(f, date, "openai/gpt-5", 5);
    }
    imp_end(f, NULL);

    weeks_ok(f, dataset(f, "default"), &w, &n);
    assert_int_equal(n, 5);
    assert_non_null(w);
    assert_int_equal(w[0].week, D("2026-01-26"));
    assert_int_equal(w[0].days, 7);
    assert_int_equal(w[1].week, D("2026-02-09"));
    assert_int_equal(w[1].days, 7);
    assert_int_equal(w[2].week, D("2026-02-16"));
    assert_int_equal(w[2].days, 3);
    assert_int_equal(w[3].week, D("2026-02-23"));
    assert_int_equal(w[3].days, 7);
    assert_int_equal(w[4].week, D("2026-03-02"));
    assert_int_equal(w[4].days, 2);
    free(w);

    weeks_ok(f, dataset(f, "other-feed"), &w, &n);
    assert_int_equal(n, 4);
    assert_int_equal(w[0].week, D("2026-02-02"));
    assert_int_equal(w[0].days, 1);
    assert_int_equal(w[1].week, D("2026-02-09"));
    assert_int_equal(w[1].days, 1);
    assert_int_equal(w[2].week, D("2026-02-16"));
    assert_int_equal(w[2].days, 7);
    assert_int_equal(w[3].week, D("2026-04-06"));
    assert_int_equal(w[3].days, 7);
    free(w);
}

/* The day count of a week is per dataset: daily rows of another dataset do
 * not make a weekly-only week partial. */
static void test_weeks_daily_elsewhere(void **state)
{
    struct fx *f = *state;
    struct week_days *w = NULL;
    size_t n = 0;

    imp_begin(f, "weekly", "csv");
    week(f, "2026-02-09", "deepseek/deepseek-chat", 100);
    imp_end(f, NULL);
    imp_begin(f, "daily", "csv");
    day(f, "2026-02-10", "deepseek/deepseek-chat", 1);
    imp_end(f, NULL);

    weeks_ok(f, dataset(f, "weekly"), &w, &n);
    assert_int_equal(n, 1);
    assert_int_equal(w[0].week, D("2026-02-09"));
    assert_int_equal(w[0].days, 7);
    free(w);
}

/* ---- db_series ---- */

static void test_series_release_init(void **state)
{
    struct series s = SERIES_INIT;

    (void)state;
    series_release(&s);
    series_release(&s);
    assert_null(s.groups);
    assert_null(s.days);
    assert_null(s.total);
    assert_int_equal(s.ngroups, 0);
}

/* No data at all: the matrix is still there, all zero. */
static void test_series_empty(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;

    series_ok(f, dataset(f, "default"), BY_COUNTRY, "2026-02-09", "2026-03-02", &s);
    assert_int_equal(s.from, D("2026-02-09"));
    assert_int_equal(s.to, D("2026-03-02"));
    assert_int_equal(s.nweeks, 4);
    assert_int_equal(s.ngroups, 0);
    for (size_t w = 0; w < s.nweeks; w++) {
        assert_int_equal(s.days[w], 0);
        assert_int_equal(s.total[w], 0);
    }
    series_release(&s);
    assert_null(s.days);
    series_release(&s); /* twice is safe */
}

/* Every calendar week of from..to is in the matrix; weeks without data
 * hold 0 tokens and 0 days. */
static void test_series_calendar(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    week(f, "2026-02-09", "deepseek/deepseek-chat", 5000000000000000LL);
    day(f, "2026-02-24", "deepseek/deepseek-chat", 595090081549LL);
    day(f, "2026-02-25", "deepseek/deepseek-chat", 595090081549LL);
    imp_end(f, NULL);

    series_ok(f, ds, BY_MODEL, "2026-02-02", "2026-03-09", &s);
    assert_int_equal(s.from, D("2026-02-02"));
    assert_int_equal(s.to, D("2026-03-09"));
    assert_int_equal(s.nweeks, 6);
    assert_groups(&s, "deepseek/deepseek-chat", NULL);
    assert_string_equal(s.groups[0].country, "CN");

    static const struct {
        const char *week;
        int days;
        int64_t tokens;
    } want[] = {
        {"2026-02-02", 0, 0}, {"2026-02-09", 7, 5000000000000000LL},
        {"2026-02-16", 0, 0}, {"2026-02-23", 2, 2 * 595090081549LL},
        {"2026-03-02", 0, 0}, {"2026-03-09", 0, 0},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(widx(&s, want[i].week), i);
        assert_int_equal(days(&s, want[i].week), want[i].days);
        assert_int_equal(total(&s, want[i].week), want[i].tokens);
        assert_int_equal(tok(&s, "deepseek/deepseek-chat", want[i].week), want[i].tokens);
    }
    series_release(&s);

    /* One week. */
    series_ok(f, ds, BY_MODEL, "2026-02-23", "2026-02-23", &s);
    assert_int_equal(s.nweeks, 1);
    assert_int_equal(s.days[0], 2);
    assert_int_equal(s.total[0], 2 * 595090081549LL);
    series_release(&s);
}

/* from after to: no crash, no leak, a consistent (at most one week)
 * matrix. */
static void test_series_from_after_to(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    week(f, "2026-02-09", "deepseek/deepseek-chat", 10);
    week(f, "2026-02-16", "deepseek/deepseek-chat", 20);
    week(f, "2026-02-23", "deepseek/deepseek-chat", 40);
    imp_end(f, NULL);

    series_ok(f, ds, BY_VENDOR, "2026-02-23", "2026-02-09", &s);
    assert_true(s.nweeks <= 1);
    /* Whatever weeks it shows, it shows them right and nothing else. */
    for (size_t w = 0; w < s.nweeks; w++) {
        int32_t monday = s.from + (int32_t)w * 7;
        int64_t want = monday == D("2026-02-09")   ? 10
                       : monday == D("2026-02-16") ? 20
                       : monday == D("2026-02-23") ? 40
                                                   : 0;
        assert_int_equal(s.total[w], want);
    }
    series_release(&s);
}

/* Daily rows go into their ISO week: a Sunday into the week that began the
 * Monday before, a Monday into its own. */
static void test_series_iso_weeks(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "openrouter-daily");
    day(f, "2026-02-08", "deepseek/deepseek-chat", 1);     /* Sunday before */
    day(f, "2026-02-09", "deepseek/deepseek-chat", 10);    /* Monday */
    day(f, "2026-02-12", "deepseek/deepseek-chat", 100);   /* Thursday */
    day(f, "2026-02-15", "deepseek/deepseek-chat", 1000);  /* Sunday */
    day(f, "2026-02-16", "deepseek/deepseek-chat", 10000); /* Monday after */
    day(f, "2026-02-15", "anthropic/claude-4-sonnet", 7);
    imp_end(f, "2026-02-17T00:00:00Z");

    series_ok(f, ds, BY_MODEL, "2026-02-02", "2026-02-16", &s);
    assert_int_equal(s.nweeks, 3);
    assert_groups(&s, "anthropic/claude-4-sonnet", "deepseek/deepseek-chat", NULL);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-02"), 1);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-09"), 1110);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-16"), 10000);
    assert_int_equal(tok(&s, "anthropic/claude-4-sonnet", "2026-02-02"), 0);
    assert_int_equal(tok(&s, "anthropic/claude-4-sonnet", "2026-02-09"), 7);
    assert_int_equal(tok(&s, "anthropic/claude-4-sonnet", "2026-02-16"), 0);
    assert_int_equal(total(&s, "2026-02-09"), 1117);
    assert_int_equal(days(&s, "2026-02-02"), 1);
    assert_int_equal(days(&s, "2026-02-09"), 3);
    assert_int_equal(days(&s, "2026-02-16"), 1);
    series_release(&s);
}

/* A week with daily rows ignores its weekly rows (never added together);
 * a week with weekly rows only uses them. */
static void test_series_daily_over_weekly(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "openrouter-chart");
    week(f, "2026-02-09", "deepseek/deepseek-chat", 700000);
    week(f, "2026-02-09", "openai/gpt-5", 500000); /* only weekly in that week */
    week(f, "2026-02-09", "Others", 90000);
    week(f, "2026-02-16", "deepseek/deepseek-chat", 800000);
    week(f, "2026-02-16", "openai/gpt-5", 600000);
    week(f, "2026-02-16", "Others", 80000);
    imp_end(f, NULL);
    imp_begin(f, "default", "openrouter-daily");
    day(f, "2026-02-10", "deepseek/deepseek-chat", 100);
    day(f, "2026-02-11", "deepseek/deepseek-chat", 200);
    day(f, "2026-02-11", "other", 3);
    imp_end(f, "2026-02-12T00:00:00Z");

    series_ok(f, ds, BY_MODEL, "2026-02-09", "2026-02-16", &s);
    assert_groups(&s, "deepseek/deepseek-chat", "openai/gpt-5", "other", NULL);
    assert_int_equal(days(&s, "2026-02-09"), 2);
    assert_int_equal(days(&s, "2026-02-16"), 7);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-09"), 300);
    assert_int_equal(tok(&s, "openai/gpt-5", "2026-02-09"), 0);
    assert_int_equal(tok(&s, "other", "2026-02-09"), 3);
    assert_int_equal(total(&s, "2026-02-09"), 303);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-16"), 800000);
    assert_int_equal(tok(&s, "openai/gpt-5", "2026-02-16"), 600000);
    assert_int_equal(tok(&s, "other", "2026-02-16"), 80000);
    assert_int_equal(total(&s, "2026-02-16"), 1480000);
    series_release(&s);

    /* The same by country. */
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-16", &s);
    assert_groups(&s, "CN", "US", "other", NULL);
    assert_int_equal(tok(&s, "CN", "2026-02-09"), 300);
    assert_int_equal(tok(&s, "US", "2026-02-09"), 0);
    assert_int_equal(tok(&s, "CN", "2026-02-16"), 800000);
    assert_int_equal(tok(&s, "US", "2026-02-16"), 600000);
    series_release(&s);

    /* A range holding only the daily week. */
    series_ok(f, ds, BY_VENDOR, "2026-02-09", "2026-02-09", &s);
    assert_int_equal(s.nweeks, 1);
    assert_int_equal(s.total[0], 303);
    assert_int_equal(s.days[0], 2);
    absent_or_zero(&s, "openai"); /* its weekly row is hidden by the daily rows */
    series_release(&s);
}

/* Whether a week is daily is decided within the dataset: another
 * dataset's daily rows do not hide this dataset's weekly rows. */
static void test_series_daily_elsewhere(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;

    imp_begin(f, "weekly", "csv");
    week(f, "2026-02-09", "deepseek/deepseek-chat", 1000);
    imp_end(f, NULL);
    imp_begin(f, "daily", "csv");
    day(f, "2026-02-10", "deepseek/deepseek-chat", 1);
    imp_end(f, NULL);

    series_ok(f, dataset(f, "weekly"), BY_MODEL, "2026-02-09", "2026-02-09", &s);
    assert_int_equal(s.days[0], 7);
    assert_int_equal(s.total[0], 1000);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-09"), 1000);
    series_release(&s);

    series_ok(f, dataset(f, "daily"), BY_MODEL, "2026-02-09", "2026-02-09", &s);
    assert_int_equal(s.days[0], 1);
    assert_int_equal(s.total[0], 1);
    series_release(&s);
}

/* Two weeks of a mixed market used by the grouping tests: week 1 daily,
 * week 2 weekly. */
static void load_market(struct fx *f)
{
    imp_begin(f, "default", "openrouter-daily");
    day(f, "2026-02-09", "deepseek/deepseek-chat", 1000);
    day(f, "2026-02-10", "deepseek/deepseek-v3.2-20251201", 2000);
    day(f, "2026-02-10", "qwen/qwen3-coder:free", 300);
    day(f, "2026-02-11", "anthropic/claude-4-sonnet-20250522", 4000);
    day(f, "2026-02-11", "openai/gpt-5", 500);
    day(f, "2026-02-12", "mistralai/mistral-large", 60);
    day(f, "2026-02-12", "acme-labs/rocket-1", 7);
    day(f, "2026-02-13", "zeta/z1", 8);
    day(f, "2026-02-13", "other", 900);
    imp_end(f, "2026-02-14T05:27:03Z");
    imp_begin(f, "default", "openrouter-chart");
    week(f, "2026-02-16", "DeepSeek/deepseek-chat", 10000);
    week(f, "2026-02-16", "anthropic/claude-4-sonnet-20250522", 20000);
    week(f, "2026-02-16", "mistralai/mistral-large", 3000);
    week(f, "2026-02-16", "acme-labs/rocket-1", 40);
    week(f, "2026-02-16", "Others", 5000);
    imp_end(f, NULL);
}

static void test_series_by_country(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    load_market(f);
    vendor_set(f, "mistralai", "EU"); /* over the shipped FR */

    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-16", &s);
    assert_int_equal(s.nweeks, 2);
    assert_groups(&s, "CN", "EU", "US", "other", "unknown", NULL);
    for (size_t g = 0; g < s.ngroups; g++)
        assert_string_equal(s.groups[g].country, s.groups[g].name);
    assert_false(grp_ok(&s, "unknown")->is_other);
    assert_true(grp_ok(&s, "other")->is_other);

    assert_int_equal(tok(&s, "CN", "2026-02-09"), 3300);
    assert_int_equal(tok(&s, "US", "2026-02-09"), 4500);
    assert_int_equal(tok(&s, "EU", "2026-02-09"), 60);
    assert_int_equal(tok(&s, "unknown", "2026-02-09"), 15);
    assert_int_equal(tok(&s, "other", "2026-02-09"), 900);
    assert_int_equal(total(&s, "2026-02-09"), 8775);
    assert_int_equal(days(&s, "2026-02-09"), 5);

    assert_int_equal(tok(&s, "CN", "2026-02-16"), 10000);
    assert_int_equal(tok(&s, "US", "2026-02-16"), 20000);
    assert_int_equal(tok(&s, "EU", "2026-02-16"), 3000);
    assert_int_equal(tok(&s, "unknown", "2026-02-16"), 40);
    assert_int_equal(tok(&s, "other", "2026-02-16"), 5000);
    assert_int_equal(total(&s, "2026-02-16"), 38040);
    assert_int_equal(days(&s, "2026-02-16"), 7);
    series_release(&s);
}

/* Without the override the shipped country counts; an override of an
 * unmapped vendor maps it; removing the override brings the shipped one
 * back. */
static void test_series_country_overrides(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    struct ts_err err = TS_ERR_INIT;
    int64_t ds = dataset(f, "default");

    load_market(f);

    series_ok(f, ds, BY_COUNTRY, "2026-02-16", "2026-02-16", &s);
    assert_groups(&s, "CN", "FR", "US", "other", "unknown", NULL);
    assert_int_equal(tok(&s, "FR", "2026-02-16"), 3000);
    series_release(&s);

    vendor_set(f, "acme-labs", "US");
    vendor_set(f, "anthropic", "GB"); /* a user override beats the shipped US */
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    assert_groups(&s, "CN", "FR", "GB", "US", "other", "unknown", NULL);
    assert_int_equal(tok(&s, "GB", "2026-02-09"), 4000);
    assert_int_equal(tok(&s, "US", "2026-02-09"), 507);    /* openai + acme-labs */
    assert_int_equal(tok(&s, "unknown", "2026-02-09"), 8); /* zeta */
    series_release(&s);

    assert_int_equal(db_vendor_unset(f->st, "anthropic", &err), 1);
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    assert_groups(&s, "CN", "FR", "US", "other", "unknown", NULL);
    assert_int_equal(tok(&s, "US", "2026-02-09"), 4507);
    series_release(&s);
}

static void test_series_by_vendor(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");
    static const struct {
        const char *vendor, *country;
        int64_t w1, w2;
    } want[] = {
        {"acme-labs", "unknown", 7, 40}, {"anthropic", "US", 4000, 20000},
        {"deepseek", "CN", 3000, 10000}, {"mistralai", "EU", 60, 3000},
        {"openai", "US", 500, 0},        {"other", "other", 900, 5000},
        {"qwen", "CN", 300, 0},          {"zeta", "unknown", 8, 0},
    };

    load_market(f);
    vendor_set(f, "mistralai", "EU");

    series_ok(f, ds, BY_VENDOR, "2026-02-09", "2026-02-16", &s);
    assert_int_equal(s.ngroups, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct series_group *g = &s.groups[i];
        assert_string_equal(g->name, want[i].vendor);
        assert_string_equal(g->country, want[i].country);
        assert_int_equal(g->is_other, strcmp(want[i].vendor, "other") == 0);
        assert_int_equal(tok(&s, want[i].vendor, "2026-02-09"), want[i].w1);
        assert_int_equal(tok(&s, want[i].vendor, "2026-02-16"), want[i].w2);
    }
    assert_int_equal(total(&s, "2026-02-09"), 8775);
    assert_int_equal(total(&s, "2026-02-16"), 38040);
    series_release(&s);
}

static void test_series_by_model(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");
    static const struct {
        const char *slug, *country;
        int64_t w1, w2;
    } want[] = {
        {"acme-labs/rocket-1", "unknown", 7, 40},
        {"anthropic/claude-4-sonnet-20250522", "US", 4000, 20000},
        {"deepseek/deepseek-chat", "CN", 1000, 10000},
        {"deepseek/deepseek-v3.2-20251201", "CN", 2000, 0},
        {"mistralai/mistral-large", "EU", 60, 3000},
        {"openai/gpt-5", "US", 500, 0},
        {"other", "other", 900, 5000},
        {"qwen/qwen3-coder:free", "CN", 300, 0},
        {"zeta/z1", "unknown", 8, 0},
    };

    load_market(f);
    vendor_set(f, "mistralai", "EU");

    series_ok(f, ds, BY_MODEL, "2026-02-09", "2026-02-16", &s);
    assert_int_equal(s.ngroups, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct series_group *g = &s.groups[i];
        assert_string_equal(g->name, want[i].slug);
        assert_string_equal(g->country, want[i].country);
        assert_int_equal(g->is_other, strcmp(want[i].slug, "other") == 0);
        assert_int_equal(tok(&s, want[i].slug, "2026-02-09"), want[i].w1);
        assert_int_equal(tok(&s, want[i].slug, "2026-02-16"), want[i].w2);
    }
    assert_int_equal(total(&s, "2026-02-09"), 8775);
    assert_int_equal(total(&s, "2026-02-16"), 38040);
    series_release(&s);
}

static void family_set(struct fx *f, const char *prefix, const char *family)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_family_set(f->st, prefix, family, &err) != 0)
        fail_msg("db_family_set %s %s: %s", prefix, family, err.msg);
}

/* By family: dated versions and variants together (the default), a
 * shipped rule (deepseek/deepseek-chat is DeepSeek V3), a user's rule over
 * both; a family's country is its vendor's. */
static void test_series_by_family(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    struct ts_err err = TS_ERR_INIT;
    int64_t ds = dataset(f, "default");
    static const struct {
        const char *family, *country;
        int64_t w1, w2;
    } want[] = {
        {"acme-labs/rocket-1", "unknown", 7, 40},
        {"anthropic/claude-4-sonnet", "US", 4000, 20000},
        {"deepseek/deepseek-v3", "CN", 1000, 10000},
        {"deepseek/deepseek-v3.2", "CN", 2000, 0},
        {"mistralai/mistral-large", "FR", 60, 3000},
        {"openai/gpt-5", "US", 500, 0},
        {"other", "other", 900, 5000},
        {"qwen/qwen3-coder", "CN", 300, 0},
        {"zeta/z1", "unknown", 8, 0},
    };

    load_market(f);
    series_ok(f, ds, BY_FAMILY, "2026-02-09", "2026-02-16", &s);
    assert_int_equal(s.ngroups, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct series_group *g = &s.groups[i];
        assert_string_equal(g->name, want[i].family);
        assert_string_equal(g->country, want[i].country);
        assert_int_equal(tok(&s, want[i].family, "2026-02-09"), want[i].w1);
        assert_int_equal(tok(&s, want[i].family, "2026-02-16"), want[i].w2);
    }
    assert_int_equal(total(&s, "2026-02-09"), 8775);
    series_release(&s);

    /* A user's rule: every DeepSeek model one family; then gone again. */
    family_set(f, "deepseek/", "deepseek/deepseek");
    series_ok(f, ds, BY_FAMILY, "2026-02-09", "2026-02-16", &s);
    assert_null(grp(&s, "deepseek/deepseek-v3"));
    assert_int_equal(tok(&s, "deepseek/deepseek", "2026-02-09"), 3000);
    assert_int_equal(tok(&s, "deepseek/deepseek", "2026-02-16"), 10000);
    series_release(&s);
    assert_int_equal(db_family_unset(f->st, "deepseek/", &err), 1);
    assert_int_equal(db_family_unset(f->st, "deepseek/", &err), 0);
    series_ok(f, ds, BY_FAMILY, "2026-02-09", "2026-02-09", &s);
    assert_int_equal(tok(&s, "deepseek/deepseek-v3.2", "2026-02-09"), 2000);
    series_release(&s);

    /* The usage rows of prices and cost carry the same families. */
    struct usage_row *u = NULL;
    size_t n = 0;
    assert_int_equal(db_usage(f->st, ds, D("2026-02-09"), D("2026-02-09"), &u, &n, &err), 0);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(u[i].slug, "qwen/qwen3-coder:free") == 0)
            assert_string_equal(u[i].family, "qwen/qwen3-coder");
        if (strcmp(u[i].slug, "deepseek/deepseek-chat") == 0)
            assert_string_equal(u[i].family, "deepseek/deepseek-v3");
    }
    usage_rows_release(u, n);
}

/* Two partial weeks compared on the weekdays both have, by family: the
 * family's tokens on those days, whichever of its versions served them. */
static void test_series_family_like_for_like(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    day(f, "2026-02-09", "x-ai/grok-2-1212", 10);
    day(f, "2026-02-10", "x-ai/grok-2-1212", 10);
    day(f, "2026-02-11", "x-ai/grok-2-1212", 10);
    day(f, "2026-02-09", "x-ai/grok-2-vision-1212", 1);
    day(f, "2026-02-16", "x-ai/grok-2", 20);
    day(f, "2026-02-17", "x-ai/grok-2", 30);
    imp_end(f, NULL);
    series_ok(f, ds, BY_FAMILY, "2026-02-09", "2026-02-16", &s);
    assert_groups(&s, "x-ai/grok-2", "x-ai/grok-2-vision", NULL);
    assert_int_equal(tok(&s, "x-ai/grok-2", "2026-02-09"), 30);
    assert_non_null(s.cmp[1]);
    assert_int_equal(s.cmp[1]->mask, 3); /* Monday and Tuesday */
    assert_int_equal(s.cmp[1]->prev[0], 20);
    assert_int_equal(s.cmp[1]->cur[0], 50);
    assert_int_equal(s.cmp[1]->prev[1], 1);
    assert_int_equal(s.cmp[1]->cur[1], 0);
    series_release(&s);
}

/* Rows outside from..to and rows of another dataset are not counted. */
static void test_series_range_and_dataset(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    day(f, "2026-02-08", "deepseek/deepseek-chat", 1);  /* Sunday before from */
    day(f, "2026-02-09", "deepseek/deepseek-chat", 10); /* from */
    week(f, "2026-02-16", "openai/gpt-5", 30);          /* a weekly-only week */
    day(f, "2026-03-01", "deepseek/deepseek-chat", 20); /* last day of to's week */
    day(f, "2026-03-02", "deepseek/deepseek-chat", 2);  /* Monday after */
    week(f, "2026-02-02", "openai/gpt-5", 3);           /* week before */
    week(f, "2026-03-02", "openai/gpt-5", 4);           /* week after */
    week(f, "2026-03-02", "unseen/model-x", 5);         /* only outside */
    day(f, "2026-01-05", "also-unseen/model-y", 6);     /* only outside */
    imp_end(f, NULL);

    imp_begin(f, "second", "csv");
    day(f, "2026-02-09", "deepseek/deepseek-chat", 1000000);
    day(f, "2026-02-15", "deepseek/deepseek-chat", 1000000);
    week(f, "2026-02-16", "openai/gpt-5", 1000000);
    week(f, "2026-02-16", "second-only/model", 1000000);
    day(f, "2026-02-18", "second-only/model", 1000000);
    week(f, "2026-02-23", "deepseek/deepseek-chat", 1000000);
    imp_end(f, NULL);

    series_ok(f, ds, BY_MODEL, "2026-02-09", "2026-02-23", &s);
    assert_int_equal(s.nweeks, 3);
    assert_groups(&s, "deepseek/deepseek-chat", "openai/gpt-5", NULL);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-09"), 10);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-16"), 0);
    assert_int_equal(tok(&s, "deepseek/deepseek-chat", "2026-02-23"), 20);
    assert_int_equal(tok(&s, "openai/gpt-5", "2026-02-09"), 0);
    assert_int_equal(tok(&s, "openai/gpt-5", "2026-02-16"), 30);
    assert_int_equal(tok(&s, "openai/gpt-5", "2026-02-23"), 0);
    assert_int_equal(total(&s, "2026-02-09"), 10);
    assert_int_equal(total(&s, "2026-02-16"), 30);
    assert_int_equal(total(&s, "2026-02-23"), 20);
    assert_int_equal(days(&s, "2026-02-09"), 1);
    assert_int_equal(days(&s, "2026-02-16"), 7);
    assert_int_equal(days(&s, "2026-02-23"), 1);
    series_release(&s);

    /* A range of one weekly-only week next to daily data. */
    series_ok(f, ds, BY_VENDOR, "2026-02-16", "2026-02-16", &s);
    assert_groups(&s, "openai", NULL);
    assert_string_equal(s.groups[0].country, "US");
    assert_int_equal(s.total[0], 30);
    assert_int_equal(s.days[0], 7);
    series_release(&s);

    /* The second dataset sees only its own rows. */
    series_ok(f, dataset(f, "second"), BY_VENDOR, "2026-02-09", "2026-02-16", &s);
    assert_int_equal(tok(&s, "deepseek", "2026-02-09"), 2000000);
    assert_int_equal(tok(&s, "deepseek", "2026-02-16"), 0);
    assert_int_equal(tok(&s, "second-only", "2026-02-09"), 0);
    assert_int_equal(tok(&s, "second-only", "2026-02-16"), 1000000);
    absent_or_zero(&s, "openai"); /* its weekly row is hidden by the daily rows */
    assert_null(grp(&s, "unseen"));
    assert_int_equal(total(&s, "2026-02-09"), 2000000);
    assert_int_equal(total(&s, "2026-02-16"), 1000000);
    assert_int_equal(days(&s, "2026-02-09"), 2);
    assert_int_equal(days(&s, "2026-02-16"), 1);
    series_release(&s);
}

/* Both the slug "other" (Data API) and "Others" (rankings chart) are the
 * one bucket. */
static void test_series_other_bucket(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "openrouter-chart");
    week(f, "2026-02-09", "Others", 40);
    week(f, "2026-02-09", "deepseek/deepseek-chat", 60);
    imp_end(f, NULL);
    imp_begin(f, "default", "csv");
    week(f, "2026-02-16", "other", 10);
    week(f, "2026-02-16", "anthropic/claude-4-sonnet", 90);
    imp_end(f, NULL);

    for (int by = BY_COUNTRY; by <= BY_MODEL; by++) {
        series_ok(f, ds, (enum group_by)by, "2026-02-09", "2026-02-16", &s);
        const struct series_group *o = grp_ok(&s, "other");
        assert_true(o->is_other);
        assert_string_equal(o->country, "other");
        assert_int_equal(o->tokens[0], 40);
        assert_int_equal(o->tokens[1], 10);
        assert_int_equal(s.total[0], 100);
        assert_int_equal(s.total[1], 100);
        assert_int_equal(s.ngroups, 3);
        series_release(&s);
    }
}

/* Large counts stay exact (int64 all the way). */
static void test_series_large_counts(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");
    const int64_t big = 1000000000000000LL; /* 1e15 a day */

    imp_begin(f, "default", "csv");
    for (int i = 0; i < 7; i++) {
        char date[TS_DATE_LEN + 1];
        date_format(D("2026-02-09") + i, date);
        day(f, date, "deepseek/deepseek-chat", big + i);
        day(f, date, "qwen/qwen3-coder", big);
    }
    imp_end(f, NULL);

    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    assert_groups(&s, "CN", NULL);
    assert_int_equal(s.days[0], 7);
    assert_int_equal(s.total[0], 14 * big + 21);
    assert_int_equal(s.groups[0].tokens[0], 14 * big + 21);
    series_release(&s);
}

/* A week whose total reaches 2^63 is an error, and leaves nothing to
 * free. */
static void test_series_total_overflow(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    struct ts_err err = TS_ERR_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    week(f, "2026-02-09", "deepseek/deepseek-chat", 1);
    week(f, "2026-02-09", "openai/gpt-5", 1);
    imp_end(f, NULL);
    /* An import refuses such a week (test_ingest); a database written
     * otherwise may hold one. */
    sup_sql_int(f->path, "UPDATE week_model SET tokens = 4611686018427387904");

    assert_int_equal(db_series(f->st, ds, BY_MODEL, D("2026-02-09"), D("2026-02-09"), &s, &err),
                     -1);
    assert_true(err.msg[0] != '\0');
    assert_null(s.groups);
    assert_null(s.days);
    assert_null(s.total);
    assert_int_equal(s.ngroups, 0);
    series_release(&s);
}

/* ---- db_unmapped_vendors ---- */

static void test_unmapped(void **state)
{
    struct fx *f = *state;
    char **v = NULL;
    size_t n = 0;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    /* in range, unmapped, written out of order and in several cases */
    day(f, "2026-02-10", "zeta/z1", 1);
    day(f, "2026-02-11", "Acme-Labs/rocket-1", 1);
    day(f, "2026-02-12", "acme-labs/rocket-2", 1);
    week(f, "2026-02-16", "middle-ai/m1", 1);
    /* in range, mapped: shipped, or by a user override below */
    day(f, "2026-02-10", "deepseek/deepseek-chat", 1);
    day(f, "2026-02-10", "user-mapped/u1", 1);
    /* the bucket */
    day(f, "2026-02-10", "other", 1);
    week(f, "2026-02-16", "Others", 1);
    /* only outside the range */
    day(f, "2026-02-08", "before/b1", 1);
    day(f, "2026-02-23", "after/a1", 1);
    week(f, "2026-01-26", "before-week/b2", 1);
    imp_end(f, NULL);
    imp_begin(f, "second", "csv");
    day(f, "2026-02-10", "second-only/s1", 1);
    imp_end(f, NULL);
    vendor_set(f, "user-mapped", "JP");

    unmapped_ok(f, ds, "2026-02-09", "2026-02-16", &v, &n);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "acme-labs");
    assert_string_equal(v[1], "middle-ai");
    assert_string_equal(v[2], "zeta");
    free_strings(v, n);

    /* The weeks around the range each see their own vendors. */
    unmapped_ok(f, ds, "2026-01-26", "2026-02-02", &v, &n);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "before");
    assert_string_equal(v[1], "before-week");
    free_strings(v, n);

    unmapped_ok(f, dataset(f, "second"), "2026-02-09", "2026-02-16", &v, &n);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "second-only");
    free_strings(v, n);
}

/* Nothing unmapped: an empty list; an override mapping the last unmapped
 * vendor empties it. */
static void test_unmapped_empty(void **state)
{
    struct fx *f = *state;
    char **v = (char **)&v;
    size_t n = 99;
    int64_t ds = dataset(f, "default");

    unmapped_ok(f, ds, "2026-02-09", "2026-02-16", &v, &n);
    assert_int_equal(n, 0);
    free_strings(v, n);

    imp_begin(f, "default", "csv");
    day(f, "2026-02-10", "deepseek/deepseek-chat", 1);
    day(f, "2026-02-10", "other", 1);
    day(f, "2026-02-10", "newco/n1", 1);
    imp_end(f, NULL);

    unmapped_ok(f, ds, "2026-02-09", "2026-02-09", &v, &n);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "newco");
    free_strings(v, n);

    vendor_set(f, "newco", "KR");
    v = (char **)&v;
    n = 99;
    unmapped_ok(f, ds, "2026-02-09", "2026-02-09", &v, &n);
    assert_int_equal(n, 0);
    free_strings(v, n);
}

/* The vendors listed are exactly those in the series' "unknown" group: a
 * vendor whose only rows are weekly rows of a daily week has no tokens in
 * the range. */
static void test_unmapped_matches_series(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    char **v = NULL;
    size_t n = 0;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    week(f, "2026-02-09", "hidden/h1", 100); /* hidden by the daily rows */
    week(f, "2026-02-09", "deepseek/deepseek-chat", 100);
    day(f, "2026-02-10", "deepseek/deepseek-chat", 5);
    day(f, "2026-02-10", "shown/s1", 6);
    week(f, "2026-02-16", "weekly-shown/w1", 7);
    imp_end(f, NULL);

    series_ok(f, ds, BY_VENDOR, "2026-02-09", "2026-02-16", &s);
    assert_int_equal(tok(&s, "deepseek", "2026-02-09"), 5);
    assert_int_equal(tok(&s, "shown", "2026-02-09"), 6);
    assert_int_equal(tok(&s, "weekly-shown", "2026-02-16"), 7);
    assert_string_equal(grp_ok(&s, "shown")->country, "unknown");
    absent_or_zero(&s, "hidden");
    series_release(&s);

    unmapped_ok(f, ds, "2026-02-09", "2026-02-16", &v, &n);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "shown");
    assert_string_equal(v[1], "weekly-shown");
    free_strings(v, n);
}

/* ---- the views a person queries (schema 5) ---- */

/* A daily row that gives prompt and completion tokens. */
static void day_split(struct fx *f, const char *date, const char *slug, int64_t total,
                      int64_t prompt, int64_t completion)
{
    struct ts_err err = TS_ERR_INIT;
    struct ts_record r;

    record_init(&r);
    r.period = TS_DAY;
    r.date = D(date);
    r.model = slug;
    r.model_len = strlen(slug);
    r.total = total;
    r.prompt = prompt;
    r.completion = completion;
    if (f->sink.record(f->sink.ctx, &r, &err) != 0)
        fail_msg("record %s '%s': %s", date, slug, err.msg);
}

static int64_t view_int(struct fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t view_int(struct fx *f, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return sup_sql_int(f->path, sql);
}

/* usage_weekly gives the reports' numbers (per week and country, per week
 * and model with the split, the days), and the usage view's rows, a week
 * from its daily rows when it has any, sum to them: a partial daily week,
 * a weekly week, a weekly row hidden by daily ones, unmapped vendors, a
 * user's override and the other bucket. */
static void test_views_match_reports(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct usage_row *u = NULL;
    size_t n = 0, cells = 0;
    int64_t ds = dataset(f, "default");

    load_market(f);
    imp_begin(f, "default", "csv");
    week(f, "2026-02-09", "deepseek/deepseek-chat", 99999);
    day_split(f, "2026-02-12", "openai/gpt-5-mini", 50, 30, 20);
    imp_end(f, NULL);
    vendor_set(f, "mistralai", "EU");

    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-16", &s);
    for (size_t w = 0; w < s.nweeks; w++) {
        char monday[TS_DATE_LEN + 1];
        date_format(s.from + 7 * (int32_t)w, monday);
        assert_int_equal(view_int(f,
                                  "SELECT SUM(tokens) FROM usage_weekly WHERE dataset = 'default'"
                                  " AND week = '%s'",
                                  monday),
                         s.total[w]);
        assert_int_equal(view_int(f,
                                  "SELECT MIN(days) * 10 + MAX(days) FROM usage_weekly"
                                  " WHERE dataset = 'default' AND week = '%s'",
                                  monday),
                         s.days[w] * 11);
        for (size_t g = 0; g < s.ngroups; g++) {
            cells += s.groups[g].tokens[w] != 0;
            assert_int_equal(view_int(f,
                                      "SELECT TOTAL(tokens) FROM usage_weekly WHERE week = '%s'"
                                      " AND dataset = 'default' AND country = '%s'",
                                      monday, s.groups[g].name),
                             s.groups[g].tokens[w]);
        }
    }
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM (SELECT DISTINCT week, country"
                                 " FROM usage_weekly WHERE dataset = 'default')"),
                     (int64_t)cells);
    assert_non_null(grp(&s, "EU"));
    assert_non_null(grp(&s, "unknown"));
    series_release(&s);

    if (db_usage(f->st, ds, D("2026-02-09"), D("2026-02-16"), &u, &n, &err) != 0)
        fail_msg("db_usage: %s", err.msg);
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM usage_weekly WHERE dataset = 'default'"),
                     (int64_t)n);
    for (size_t i = 0; i < n; i++) {
        char monday[TS_DATE_LEN + 1];
        date_format(u[i].week, monday);
        assert_int_equal(view_int(f,
                                  "SELECT COUNT(*) FROM usage_weekly WHERE dataset = 'default'"
                                  " AND week = '%s' AND model = '%s' AND vendor = '%s'"
                                  " AND country = '%s' AND tokens = %lld AND split_tokens = %lld"
                                  " AND prompt_tokens = %lld AND completion_tokens = %lld",
                                  monday, u[i].slug, u[i].vendor, u[i].country,
                                  (long long)u[i].tokens, (long long)u[i].split_tokens,
                                  (long long)u[i].prompt, (long long)u[i].completion),
                         1);
    }
    assert_int_equal(view_int(f, "SELECT split_tokens * 10000 + prompt_tokens * 100"
                                 " + completion_tokens FROM usage_weekly"
                                 " WHERE model = 'openai/gpt-5-mini'"),
                     503020);
    usage_rows_release(u, n);

    /* The usage view, a week from its daily rows when it has any. */
#define USAGE_BY_WEEK                                                                              \
    "SELECT week, model, vendor, country, SUM(total_tokens) FROM usage u"                          \
    " WHERE dataset = 'default' AND period = IIF(EXISTS (SELECT 1 FROM usage d"                    \
    " WHERE d.dataset = u.dataset AND d.week = u.week AND d.period = 'day'), 'day', 'week')"       \
    " GROUP BY 1, 2, 3, 4"
#define WEEKLY "SELECT week, model, vendor, country, tokens FROM usage_weekly"
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM (" USAGE_BY_WEEK " EXCEPT " WEEKLY ")"), 0);
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM (" WEEKLY " EXCEPT " USAGE_BY_WEEK ")"), 0);
#undef USAGE_BY_WEEK
#undef WEEKLY
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM usage WHERE dataset = 'default'"), 16);
}

/* Countries are read from the vendors view once per transaction: what
 * this handle changes inside one (a vendor's mapping, a model of a new
 * vendor) counts at once, and what a rollback undoes is gone. */
static void test_countries_within_a_transaction(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    struct ts_err err = TS_ERR_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    day(f, "2026-02-10", "acme-labs/rocket-1", 5);
    imp_end(f, NULL);

    assert_int_equal(db_begin_read(f->st, &err), 0);
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    assert_groups(&s, "unknown", NULL);
    series_release(&s);
    vendor_set(f, "acme-labs", "US");
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    assert_groups(&s, "US", NULL);
    series_release(&s);
    db_rollback(f->st);
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    assert_groups(&s, "unknown", NULL);
    series_release(&s);

    /* A model of a vendor the view did not list yet (the bucket's), in
     * the import's own transaction. */
    imp_begin(f, "default", "csv");
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    series_release(&s);
    day(f, "2026-02-11", "qwen/qwen3-coder", 7);
    day(f, "2026-02-11", "other", 9);
    snprintf(f->ig.imp.sha256, sizeof(f->ig.imp.sha256), "sha-q");
    if (ingest_finish(&f->ig, &err) != 0)
        fail_msg("ingest_finish: %s", err.msg);
    series_ok(f, ds, BY_COUNTRY, "2026-02-09", "2026-02-09", &s);
    assert_groups(&s, "CN", "other", "unknown", NULL);
    assert_int_equal(tok(&s, "CN", "2026-02-09"), 7);
    assert_int_equal(tok(&s, "other", "2026-02-09"), 9);
    series_release(&s);
    assert_int_equal(db_commit(f->st, &err), 0);
    ingest_release(&f->ig);
    f->open_import = 0;
}

/* ---- db_source ---- */

static void test_source_none(void **state)
{
    struct fx *f = *state;
    char *src;

    /* No imports at all. */
    src = source_ok(f, dataset(f, "default"));
    assert_null(src);

    /* CSV and JSON imports only. */
    imp_begin(f, "default", "csv");
    day(f, "2026-02-10", "deepseek/deepseek-chat", 1);
    imp_end(f, NULL);
    imp_begin(f, "default", "jsonl");
    day(f, "2026-02-11", "deepseek/deepseek-chat", 1);
    imp_end(f, NULL);
    imp_begin(f, "default", "json");
    day(f, "2026-02-12", "deepseek/deepseek-chat", 1);
    imp_end(f, NULL);
    src = source_ok(f, dataset(f, "default"));
    assert_null(src);

    /* An OpenRouter import into another dataset does not count. */
    imp_begin(f, "feed", "openrouter-daily");
    day(f, "2026-02-10", "deepseek/deepseek-chat", 1);
    imp_end(f, "2026-02-11T00:00:00Z");
    src = source_ok(f, dataset(f, "default"));
    assert_null(src);
    src = source_ok(f, dataset(f, "feed"));
    assert_non_null(src);
    assert_string_equal(src, SOURCE_PREFIX "as of 2026-02-11T00:00:00Z");
    free(src);
}

/* The greatest as-of time of the dataset's OpenRouter imports, whatever
 * the order of the imports. */
/* One app through the sink in the week of monday. */
static void app(struct fx *f, const char *monday, int64_t app_id, const char *name, int64_t total)
{
    struct ts_err err = TS_ERR_INIT;
    struct ts_app a = {D(monday), app_id, name, total, TS_ABSENT, TS_ABSENT, "data[0]"};

    assert_true(f->open_import);
    if (f->sink.app(f->sink.ctx, &a, &err) != 0)
        fail_msg("app %lld: %s", (long long)app_id, err.msg);
}

/* An import of app rankings into a dataset of apps. */
static void apps_begin(struct fx *f, const char *name)
{
    struct ts_err err = TS_ERR_INIT;
    struct app_list all;

    app_list_init(&all);
    imp_begin(f, name, "openrouter-apps");
    if (db_dataset_claim(f->st, f->ig.imp.dataset, name, DATASET_APPS, &all, &err) != 0)
        fail_msg("db_dataset_claim: %s", err.msg);
}

/* By app: groups are apps by id (two of one name stay two), with no
 * country; weeks are listed, never full, even beside a model dataset with
 * an other bucket whose ids are the apps' too. */
static void test_series_by_app(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    char *src;

    imp_begin(f, "default", "openrouter-weekly");
    week(f, "2025-01-27", "other", 9);
    week(f, "2025-01-27", "deepseek/deepseek-chat", 5);
    imp_end(f, NULL);
    apps_begin(f, "apps");
    app(f, "2025-01-27", 190604, "Cline", 100);
    app(f, "2025-01-27", 501, "Chat", 30);
    app(f, "2025-01-27", 502, "Chat", 20);
    imp_end(f, "2026-09-29T16:59:49.447Z");
    apps_begin(f, "apps");
    app(f, "2025-02-03", 190604, "Cline", 110);
    imp_end(f, NULL);
    int64_t ds = dataset(f, "apps");

    series_ok(f, ds, BY_APP, "2025-01-27", "2025-02-03", &s);
    assert_int_equal(s.by, BY_APP);
    assert_int_equal(s.ngroups, 3);
    assert_string_equal(s.groups[0].name, "Chat");
    assert_int_equal(s.groups[0].id, 501);
    assert_int_equal(s.groups[0].tokens[0], 30);
    assert_string_equal(s.groups[1].name, "Chat");
    assert_int_equal(s.groups[1].id, 502);
    assert_string_equal(s.groups[2].name, "Cline");
    assert_int_equal(s.groups[2].id, 190604);
    assert_string_equal(s.groups[2].country, "");
    assert_false(s.groups[2].is_other);
    assert_int_equal(s.groups[2].tokens[1], 110);
    assert_int_equal(s.total[0], 150);
    assert_int_equal(s.days[0], 7);
    assert_false(s.full[0]);
    assert_false(s.full[1]);
    series_release(&s);
    /* No vendors, so none without a country; the source is the apps page. */
    char **unmapped = NULL;
    size_t n = 5;
    struct ts_err err = TS_ERR_INIT;
    assert_int_equal(
        db_unmapped_vendors(f->st, ds, D("2025-01-27"), D("2025-02-03"), &unmapped, &n, &err), 0);
    assert_int_equal(n, 0);
    free(unmapped);
    src = source_ok(f, ds);
    assert_string_equal(src, "OpenRouter (openrouter.ai/apps), as of 2026-09-29T16:59:49.447Z");
    free(src);
    /* The views: apps in app_usage only, never in usage. */
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM usage WHERE dataset = 'apps'"), 0);
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM usage_weekly WHERE dataset = 'apps'"), 0);
    assert_int_equal(view_int(f, "SELECT COUNT(*) FROM usage WHERE dataset = 'default'"), 2);
    assert_int_equal(view_int(f, "SELECT SUM(tokens) FROM app_usage WHERE app = 'Chat'"), 50);
}

static void test_source_as_of(void **state)
{
    struct fx *f = *state;
    char *src;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "openrouter-daily");
    day(f, "2026-05-29", "deepseek/deepseek-chat", 1);
    imp_end(f, "2026-05-30T05:27:03Z");
    imp_begin(f, "default", "openrouter-daily");
    day(f, "2026-05-22", "deepseek/deepseek-chat", 1);
    imp_end(f, "2026-05-24T00:00:00Z");          /* older, imported later */
    imp_begin(f, "default", "openrouter-chart"); /* no as-of */
    week(f, "2026-05-18", "deepseek/deepseek-chat", 1);
    imp_end(f, NULL);
    imp_begin(f, "default", "csv");
    day(f, "2026-05-30", "deepseek/deepseek-chat", 1);
    imp_end(f, NULL);
    imp_begin(f, "later", "openrouter-daily"); /* another dataset, newer */
    day(f, "2026-06-29", "deepseek/deepseek-chat", 1);
    imp_end(f, "2026-06-30T00:00:00Z");

    src = source_ok(f, ds);
    assert_non_null(src);
    assert_string_equal(src, "OpenRouter (openrouter.ai/rankings), as of 2026-05-30T05:27:03Z");
    free(src);
}

/* Without any as-of time: the time of the import. */
static void test_source_imported(void **state)
{
    struct fx *f = *state;
    char *src;
    int64_t ds = dataset(f, "default");
    int32_t d;

    imp_begin(f, "default", "openrouter-weekly");
    week(f, "2026-02-16", "minimax/minimax-m2.5-20260211", 1440000000000LL);
    imp_end(f, NULL);
    imp_begin(f, "default", "csv");
    week(f, "2026-02-23", "minimax/minimax-m2.5-20260211", 1);
    imp_end(f, NULL);

    src = source_ok(f, ds);
    assert_non_null(src);
    const char *prefix = SOURCE_PREFIX "imported ";
    size_t plen = strlen(prefix);
    if (strncmp(src, prefix, plen) != 0)
        fail_msg("source line '%s' does not start with '%s'", src, prefix);
    const char *when = src + plen;
    /* "YYYY-MM-DD HH:MM:SS", a real date no earlier than this code. */
    assert_int_equal(strlen(when), 19);
    assert_int_equal(date_parse(when, strlen(when), &d), 0);
    assert_true(d >= D("2026-01-01"));
    assert_in_range(d, date_today() - 1, date_today() + 1);
    assert_true(when[10] == ' ' && when[13] == ':' && when[16] == ':');
    free(src);
}

/* ---- days and months (period_query.h) ---- */

/* Every day from..to (inclusive) of slug at tokens a day. */
static void days_of(struct fx *f, const char *from, const char *to, const char *slug,
                    int64_t tokens)
{
    char d[TS_DATE_LEN + 1];

    for (int32_t x = D(from); x <= D(to); x++) {
        date_format(x, d);
        day(f, d, slug, tokens);
    }
}

static void period_series_ok(struct fx *f, int64_t ds, enum group_by by, enum period_unit u,
                             const char *from, const char *to, struct series *s)
{
    struct ts_err err = TS_ERR_INIT;

    if (db_period_series(f->st, ds, by, u, D(from), D(to), s, &err) != 0)
        fail_msg("db_period_series: %s", err.msg);
    assert_int_equal(s->unit, u);
    assert_int_equal(s->nweeks, (size_t)period_diff(u, s->from, s->to) + 1);
    for (size_t w = 0; w < s->nweeks; w++) {
        int64_t sum = 0;
        for (size_t g = 0; g < s->ngroups; g++)
            sum += s->groups[g].tokens[w];
        assert_int_equal(sum, s->total[w]);
        assert_int_equal(s->days[w], period_mask_count(s->mask[w]));
    }
}

/* The tokens of group name in period w of s. */
static int64_t ptok(const struct series *s, const char *name, size_t w)
{
    return grp_ok(s, name)->tokens[w];
}

/* A complete December and the 1st-20th of January: months with their days,
 * the partial one compared with the same days of December, and full only
 * where the other bucket has rows. */
static void test_period_months(void **state)
{
    struct fx *f = *state;
    struct week_days *p = NULL;
    struct ts_err err = TS_ERR_INIT;
    struct series s = SERIES_INIT;
    size_t n = 0;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    days_of(f, "2024-12-01", "2024-12-20", "openai/gpt-4o", 10);
    days_of(f, "2024-12-21", "2024-12-31", "openai/gpt-4o", 4);
    days_of(f, "2025-01-01", "2025-01-20", "openai/gpt-4o", 11);
    days_of(f, "2025-01-01", "2025-01-20", "other", 1);
    imp_end(f, NULL);

    assert_int_equal(db_periods(f->st, ds, PERIOD_MONTH, &p, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].week, D("2024-12-01"));
    assert_int_equal(p[0].days, 31);
    assert_int_equal(p[0].mask, 0x7fffffffu);
    assert_int_equal(p[1].week, D("2025-01-01"));
    assert_int_equal(p[1].days, 20);
    assert_int_equal(p[1].mask, (1u << 20) - 1);
    free(p);

    /* Any day of a month names it. */
    period_series_ok(f, ds, BY_MODEL, PERIOD_MONTH, "2024-11-17", "2025-01-31", &s);
    assert_int_equal(s.from, D("2024-11-01"));
    assert_int_equal(s.to, D("2025-01-01"));
    assert_int_equal(s.nweeks, 3);
    assert_int_equal(s.days[0], 0);
    assert_int_equal(s.days[1], 31);
    assert_int_equal(s.days[2], 20);
    assert_int_equal(ptok(&s, "openai/gpt-4o", 1), 20 * 10 + 11 * 4);
    assert_int_equal(ptok(&s, "openai/gpt-4o", 2), 20 * 11);
    assert_false(s.full[1]); /* no other bucket in December */
    assert_true(s.full[2]);
    assert_true(s.has_span);
    assert_int_equal(s.span_from, D("2024-12-01"));
    assert_int_equal(s.span_to, D("2025-01-01"));
    /* January against December 1st-20th, like for like. */
    assert_null(s.cmp[1]); /* November has no data */
    assert_non_null(s.cmp[2]);
    assert_int_equal(s.cmp[2]->mask, (1u << 20) - 1);
    long g = -1;
    for (size_t i = 0; i < s.ngroups; i++)
        if (strcmp(s.groups[i].name, "openai/gpt-4o") == 0)
            g = (long)i;
    assert_true(g >= 0);
    assert_int_equal(s.cmp[2]->prev[g], 20 * 10);
    assert_int_equal(s.cmp[2]->cur[g], 20 * 11);
    assert_int_equal(s.cmp[2]->prev_total, 200);
    assert_int_equal(s.cmp[2]->cur_total, 220 + 20);
    series_release(&s);
}

/* A partial March to the 30th against a whole February (28 days): the
 * 29th and 30th have no match; two whole months compare whole. */
static void test_period_march_against_february(void **state)
{
    struct fx *f = *state;
    struct series s = SERIES_INIT;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    days_of(f, "2025-01-01", "2025-02-28", "deepseek/deepseek-chat", 3);
    days_of(f, "2025-03-01", "2025-03-30", "deepseek/deepseek-chat", 5);
    imp_end(f, NULL);

    period_series_ok(f, ds, BY_VENDOR, PERIOD_MONTH, "2025-01-01", "2025-03-01", &s);
    assert_int_equal(s.days[1], 28);
    assert_int_equal(s.days[2], 30);
    assert_null(s.cmp[1]); /* January (31) and February (28), both whole */
    assert_non_null(s.cmp[2]);
    assert_int_equal(s.cmp[2]->mask, (1u << 28) - 1);
    assert_int_equal(s.cmp[2]->prev[0], 28 * 3);
    assert_int_equal(s.cmp[2]->cur[0], 28 * 5);
    assert_int_equal(ptok(&s, "deepseek", 2), 30 * 5);
    /* The range's ends: January (whole) against March (partial), on the
     * 1st-30th. */
    assert_non_null(s.ends);
    series_release(&s);
}

/* Usage by month and by day for prices and cost: per period and model,
 * the days' tokens and the split sums of the days that give one (0/0 for
 * tokens is no split), a week across a month's end split between the
 * months, a weekly row left out, rows ordered by period then slug. */
static void test_period_usage(void **state)
{
    struct fx *f = *state;
    struct ts_err err = TS_ERR_INIT;
    struct usage_row *u = NULL;
    size_t n = 0;
    int64_t ds = dataset(f, "default");

    imp_begin(f, "default", "csv");
    day_split(f, "2025-01-30", "openai/gpt-4o", 100, 60, 40);
    day_split(f, "2025-01-31", "openai/gpt-4o", 10, 0, 0); /* no split */
    day(f, "2025-02-01", "openai/gpt-4o", 7);
    day_split(f, "2025-02-02", "openai/gpt-4o", 50, 20, 30);
    day(f, "2025-01-31", "deepseek/deepseek-chat", 5);
    imp_end(f, NULL);
    imp_begin(f, "default", "csv");
    week(f, "2025-02-10", "mistralai/mistral-large", 1000); /* a weekly row: no days */
    imp_end(f, NULL);

    assert_int_equal(
        db_usage_periods(f->st, ds, PERIOD_MONTH, D("2025-01-15"), D("2025-02-20"), &u, &n, &err),
        0);
    assert_int_equal(n, 3);
    assert_int_equal(u[0].week, D("2025-01-01"));
    assert_string_equal(u[0].slug, "deepseek/deepseek-chat");
    assert_string_equal(u[0].country, "CN");
    assert_int_equal(u[0].tokens, 5);
    assert_int_equal(u[0].split_tokens, 0);
    assert_int_equal(u[1].week, D("2025-01-01"));
    assert_string_equal(u[1].slug, "openai/gpt-4o");
    assert_string_equal(u[1].family, "openai/gpt-4o");
    assert_int_equal(u[1].tokens, 110);
    assert_int_equal(u[1].split_tokens, 100);
    assert_int_equal(u[1].prompt, 60);
    assert_int_equal(u[1].completion, 40);
    assert_int_equal(u[2].week, D("2025-02-01"));
    assert_int_equal(u[2].tokens, 57);
    assert_int_equal(u[2].split_tokens, 50);
    assert_int_equal(u[2].prompt, 20);
    assert_int_equal(u[2].completion, 30);
    usage_rows_release(u, n);

    /* By day, only the days of the range: January 31st. */
    assert_int_equal(
        db_usage_periods(f->st, ds, PERIOD_DAY, D("2025-01-31"), D("2025-01-31"), &u, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(u[0].slug, "deepseek/deepseek-chat");
    assert_int_equal(u[1].tokens, 10);
    assert_int_equal(u[1].split_tokens, 0);
    usage_rows_release(u, n);

    /* The week of weekly rows alone has no usage by day. */
    assert_int_equal(
        db_usage_periods(f->st, ds, PERIOD_DAY, D("2025-02-10"), D("2025-02-16"), &u, &n, &err), 0);
    assert_int_equal(n, 0);
    usage_rows_release(u, n);
}

/* Weekly rows cannot be split: a week of weekly rows only is named and
 * left out of days and months; a week with daily rows too is read from
 * those. Days are each their own period. */
static void test_period_weekly_rows(void **state)
{
    struct fx *f = *state;
    struct week_days *p = NULL;
    int32_t *wk = NULL;
    struct ts_err err = TS_ERR_INIT;
    struct series s = SERIES_INIT;
    size_t n = 0, nw = 0;
    int64_t ds = dataset(f, "default");
    char **un = NULL;

    imp_begin(f, "default", "csv");
    days_of(f, "2025-01-20", "2025-01-26", "openai/gpt-4o", 7);
    week(f, "2025-01-27", "openai/gpt-4o", 700); /* Jan 27 - Feb 2: weekly only */
    week(f, "2025-01-20", "openai/gpt-4o", 900); /* its daily rows win */
    day(f, "2025-02-03", "acme-labs/tiny-1", 5); /* no country */
    imp_end(f, NULL);

    assert_int_equal(db_weekly_only_weeks(f->st, ds, &wk, &nw, &err), 0);
    assert_int_equal(nw, 1);
    assert_int_equal(wk[0], D("2025-01-27"));
    free(wk);
    assert_int_equal(db_periods(f->st, ds, PERIOD_MONTH, &p, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].days, 7); /* January 20-26 */
    assert_int_equal(p[1].days, 1); /* February 3 */
    free(p);
    period_series_ok(f, ds, BY_MODEL, PERIOD_MONTH, "2025-01-01", "2025-02-01", &s);
    assert_int_equal(ptok(&s, "openai/gpt-4o", 0), 49);
    assert_int_equal(s.total[1], 5);
    series_release(&s);

    period_series_ok(f, ds, BY_COUNTRY, PERIOD_DAY, "2025-01-25", "2025-02-03", &s);
    assert_int_equal(s.nweeks, 10);
    assert_int_equal(s.total[0], 7);
    assert_int_equal(s.days[2], 0); /* January 27: weekly rows only */
    assert_int_equal(s.total[2], 0);
    assert_int_equal(s.days[9], 1);
    assert_int_equal(ptok(&s, "unknown", 9), 5);
    series_release(&s);

    /* The vendors without a country on those days only. */
    assert_int_equal(
        db_unmapped_vendors_days(f->st, ds, D("2025-01-20"), D("2025-02-02"), &un, &n, &err), 0);
    assert_int_equal(n, 0);
    free(un);
    assert_int_equal(
        db_unmapped_vendors_days(f->st, ds, D("2025-02-03"), D("2025-02-03"), &un, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(un[0], "acme-labs");
    free_strings(un, n);

    /* App rankings are weekly rows: never read by day or by month. */
    assert_int_equal(db_period_series(f->st, ds, BY_APP, PERIOD_MONTH, D("2025-01-01"),
                                      D("2025-02-01"), &s, &err),
                     -1);
    assert_string_equal(err.msg, "app rankings are weekly: they cannot be split into months");
    assert_null(s.groups);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_parse),
        cmocka_unit_test(test_by_parse_rejects),
        cmocka_unit_test(test_by_name),
        T(test_weeks_empty),
        T(test_weeks_days),
        T(test_weeks_daily_elsewhere),
        cmocka_unit_test(test_series_release_init),
        T(test_series_empty),
        T(test_series_calendar),
        T(test_series_from_after_to),
        T(test_series_iso_weeks),
        T(test_series_daily_over_weekly),
        T(test_series_daily_elsewhere),
        T(test_series_by_country),
        T(test_series_country_overrides),
        T(test_series_by_vendor),
        T(test_series_by_model),
        T(test_series_by_family),
        T(test_series_family_like_for_like),
        T(test_series_range_and_dataset),
        T(test_series_other_bucket),
        T(test_series_large_counts),
        T(test_series_total_overflow),
        T(test_unmapped),
        T(test_unmapped_empty),
        T(test_unmapped_matches_series),
        T(test_views_match_reports),
        T(test_countries_within_a_transaction),
        T(test_source_none),
        T(test_series_by_app),
        T(test_source_as_of),
        T(test_source_imported),
        T(test_period_months),
        T(test_period_march_against_february),
        T(test_period_usage),
        T(test_period_weekly_rows),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
