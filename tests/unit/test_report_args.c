/* test_report_args.c - the command line every report command shares:
 * the shared options, a command's own options in its own loop, what is
 * refused and how, --help, the weeks a range chooses, and how output
 * looks on a terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/report_args.h"
#include "core/week.h"
#include "support.h"

enum { O_N = REPORT_OPT_OWN + 1, O_FORMAT };

static const struct opt_spec own[] = {
    {"top", 'n', 1, O_N},
    {"format", 0, 1, O_FORMAT},
    {NULL, 0, 0, 0},
};

static const struct report_syntax plain = {
    .name = "report",
    .usage = "usage: tokstat report\n",
    .by = REPORT_BY_ANY,
    .by_default = BY_COUNTRY,
    .other_applies = 1,
    .exact_applies = 1,
};

static const struct report_syntax narrow = {
    .name = "top",
    .usage = "usage: tokstat top\n",
    .own = own,
    .by = REPORT_BY_TOP,
    .by_default = BY_MODEL,
};

/* A run of the parser with its output captured. */
struct run {
    struct cmd_env env;
    char *out, *err;
    size_t out_len, err_len;
    struct report_args a;
    int last;      /* what report_args_next returned last */
    char own[256]; /* the own options it handed back: "101=7 102=svg " */
};

static void parse(struct run *r, const struct report_syntax *syn, char **argv)
{
    int argc = 0, id;

    memset(r, 0, sizeof(*r));
    while (argv[argc])
        argc++;
    r->env.out = open_memstream(&r->out, &r->out_len);
    r->env.err = open_memstream(&r->err, &r->err_len);
    assert_non_null(r->env.out);
    assert_non_null(r->env.err);
    report_args_start(&r->a, &r->env, syn, argc, argv);
    while ((id = report_args_next(&r->a)) > 0) {
        size_t len = strlen(r->own);
        snprintf(r->own + len, sizeof(r->own) - len, "%d=%s ", id, r->a.value);
    }
    r->last = id;
    fclose(r->env.out);
    fclose(r->env.err);
}

static void done(struct run *r)
{
    free(r->out);
    free(r->err);
}

#define ARGV(...) ((char *[]){"report", __VA_ARGS__, NULL})

/* A usage error: -1, exit 2, exactly this message on standard error. */
static void refused(const struct report_syntax *syn, char **argv, const char *msg)
{
    struct run r;
    char want[512];

    parse(&r, syn, argv);
    snprintf(want, sizeof(want), "tokstat %s: %s\nTry 'tokstat %s --help'.\n", syn->name, msg,
             syn->name);
    assert_int_equal(r.last, -1);
    assert_int_equal(r.a.exit, 2);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    done(&r);
}

static void test_defaults(void **state)
{
    struct run r;

    (void)state;
    parse(&r, &plain, (char *[]){"report", NULL});
    assert_int_equal(r.last, 0);
    assert_int_equal(r.a.req.by, BY_COUNTRY);
    assert_string_equal(r.a.req.dataset, "default");
    assert_int_equal(r.a.req.other_exclude, 0);
    assert_int_equal(r.a.req.top_n, 5);
    assert_true(r.a.req.prompt_share < 0);
    assert_null(r.a.req.vs);
    assert_int_equal(r.a.range.kind, RANGE_DEFAULT);
    assert_int_equal(r.a.format, RENDER_TABLE);
    assert_null(r.a.output);
    assert_int_equal(r.a.exact, 0);
    assert_int_equal(r.a.no_color, 0);
    assert_string_equal(r.err, "");
    done(&r);
    parse(&r, &narrow, (char *[]){"top", NULL});
    assert_int_equal(r.a.req.by, BY_MODEL);
    done(&r);
}

static void test_shared_options(void **state)
{
    struct run r;

    (void)state;
    parse(&r, &plain,
          ARGV("--by", "vendor", "--dataset=top50", "--week", "2026-02-11", "--other", "exclude",
               "--format", "csv", "-o", "out.csv", "--exact", "--no-color"));
    assert_int_equal(r.last, 0);
    assert_int_equal(r.a.req.by, BY_VENDOR);
    assert_string_equal(r.a.req.dataset, "top50");
    assert_int_equal(r.a.range.kind, RANGE_WEEK);
    assert_int_equal(r.a.range.week, D("2026-02-09")); /* the Monday */
    assert_int_equal(r.a.req.other_exclude, 1);
    assert_int_equal(r.a.format, RENDER_CSV);
    assert_string_equal(r.a.output, "out.csv");
    assert_int_equal(r.a.exact, 1);
    assert_int_equal(r.a.no_color, 1);
    done(&r);

    parse(&r, &plain, ARGV("--from", "2026-02-04", "--to", "2026-02-22", "--other", "include"));
    assert_int_equal(r.a.range.kind, RANGE_SPAN);
    assert_true(r.a.range.has_from && r.a.range.has_to);
    assert_int_equal(r.a.range.from, D("2026-02-02"));
    assert_int_equal(r.a.range.to, D("2026-02-16"));
    assert_int_equal(r.a.req.other_exclude, 0);
    done(&r);

    parse(&r, &plain, ARGV("--to", "2026-02-22")); /* one end only */
    assert_int_equal(r.a.range.kind, RANGE_SPAN);
    assert_false(r.a.range.has_from);
    done(&r);

    parse(&r, &plain, ARGV("--last", "4", "--last", "10000")); /* the last one wins */
    assert_int_equal(r.a.range.kind, RANGE_LAST);
    assert_int_equal(r.a.range.last, 10000);
    done(&r);
}

/* A command's own options come back to it in order, between the shared
 * ones; an own --format replaces the shared one. */
static void test_own_options(void **state)
{
    struct run r;

    (void)state;
    parse(&r, &narrow, ARGV("-n", "7", "--by", "vendor", "--format", "svg", "-n3"));
    assert_int_equal(r.last, 0);
    assert_string_equal(r.own, "101=7 102=svg 101=3 ");
    assert_int_equal(r.a.req.by, BY_VENDOR);
    assert_int_equal(r.a.format, RENDER_TABLE); /* the shared --format never saw it */
    done(&r);
    /* family: every command that takes --by takes it */
    parse(&r, &narrow, ARGV("--by", "family"));
    assert_int_equal(r.a.req.by, BY_FAMILY);
    done(&r);
    parse(&r, &plain, ARGV("--by=family"));
    assert_int_equal(r.a.req.by, BY_FAMILY);
    done(&r);
}

static void test_refused(void **state)
{
    (void)state;
    refused(&plain, ARGV("--by", "contry"),
            "invalid value 'contry' for --by (expected country, vendor, model, family or app)");
    refused(&narrow, ARGV("--by", "country"),
            "invalid value 'country' for --by (expected model, vendor, family or app)");
    refused(&plain, ARGV("--by", "families"),
            "invalid value 'families' for --by (expected country, vendor, model, family or app)");
    refused(&plain, ARGV("--week", "2026-02-30"),
            "invalid value '2026-02-30' for --week (expected a date, YYYY-MM-DD)");
    refused(&plain, ARGV("--from", "2026-02-09T00:00"),
            "invalid value '2026-02-09T00:00' for --from (expected a date, YYYY-MM-DD)");
    refused(&plain, ARGV("--week", "2026-02-09", "--last", "2"),
            "--week, --from/--to and --last each choose the weeks; give one of them");
    refused(&plain, ARGV("--last", "2", "--to", "2026-02-09"),
            "--week, --from/--to and --last each choose the weeks; give one of them");
    refused(&plain, ARGV("--from", "2026-02-16", "--to", "2026-02-09"),
            "--from week 2026-02-16 is after --to week 2026-02-09");
    refused(&plain, ARGV("--last", "0"),
            "invalid value '0' for --last (expected a number of weeks from 1 to 10000)");
    refused(&plain, ARGV("--last", "3x"),
            "invalid value '3x' for --last (expected a number of weeks from 1 to 10000)");
    refused(&plain, ARGV("--other", "none"),
            "invalid value 'none' for --other (expected include or exclude)");
    refused(&plain, ARGV("--format", "xml"),
            "invalid value 'xml' for --format (expected table, csv, json or markdown)");
    refused(&plain, ARGV("--dataset", ""), "--dataset needs a name");
    refused(&plain, ARGV("--output", ""), "--output needs a file name");
    refused(&plain, ARGV("extra"), "unexpected argument 'extra'");
    refused(&plain, ARGV("--bogus"), "unrecognized option '--bogus'");
    refused(&plain, ARGV("--by"), "option '--by' needs a value");
    refused(&narrow, ARGV("--other", "exclude"),
            "--other does not apply to top (the other bucket has no price)");
    refused(&narrow, ARGV("--exact"), "--exact does not apply to top (it draws shares)");
}

/* --help: the command's usage, then the shared options less those its
 * own replace; nothing on standard error, exit 0. */
static void test_help(void **state)
{
    struct run r;

    (void)state;
    parse(&r, &plain, ARGV("--by", "model", "--help", "--bogus"));
    assert_int_equal(r.last, -1);
    assert_int_equal(r.a.exit, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(strncmp(r.out, "usage: tokstat report\nRange", 27), 0);
    assert_non_null(
        strstr(r.out, "  --format F           table (default), csv, json or markdown\n"));
    done(&r);

    parse(&r, &narrow, ARGV("-h"));
    assert_int_equal(r.a.exit, 0);
    assert_null(strstr(r.out, "--format"));
    assert_non_null(strstr(r.out, "-o, --output FILE"));
    assert_non_null(strstr(r.out, "  --help               show this help\n"));
    done(&r);
}

/* Weeks with data: Jan 5, Jan 12, (a gap), Jan 26, and Feb 2 with 3 of
 * 7 days so far (Mon-Wed). */
static const struct week_days weeks[] = {
    {0, 7, 127, 1},
    {0, 7, 127, 1},
    {0, 7, 127, 1},
    {0, 3, 7, 1},
};

static struct week_days *some_weeks(void)
{
    static struct week_days w[4];
    memcpy(w, weeks, sizeof(w));
    w[0].week = D("2026-01-05");
    w[1].week = D("2026-01-12");
    w[2].week = D("2026-01-26");
    w[3].week = D("2026-02-02");
    return w;
}

/* The range c chooses: from..to, and the notes it leaves. */
static void assert_range(const struct range_choice *c, long default_last, const char *from,
                         const char *to, struct range_notes *notes)
{
    int32_t f = 0, t = 0;

    assert_int_equal(range_resolve(c, some_weeks(), 4, default_last, &f, &t, notes), 0);
    if (f != D(from) || t != D(to)) {
        char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1];
        date_format(f, a);
        date_format(t, b);
        fail_msg("range %s..%s, expected %s..%s", a, b, from, to);
    }
}

/* Default and --last ranges end at the latest complete week; --partial
 * brings the partial one in; --last counts weeks with data. */
static void test_range_complete_weeks(void **state)
{
    struct range_choice c = {.kind = RANGE_DEFAULT};
    struct range_notes n;

    (void)state;
    assert_range(&c, 1, "2026-01-26", "2026-01-26", &n);
    assert_int_equal(n.skipped, D("2026-02-02")); /* a note says what was left out */
    assert_int_equal(n.skipped_days, 3);
    assert_range(&c, 8, "2026-01-05", "2026-01-26", &n);
    c.partial = 1;
    assert_range(&c, 1, "2026-02-02", "2026-02-02", &n);
    assert_int_equal(n.skipped, 0);
    assert_range(&c, 2, "2026-01-26", "2026-02-02", &n);
    c.partial = 0;
    c.kind = RANGE_LAST; /* the N latest weeks with data: the gap does not count */
    c.last = 2;
    assert_range(&c, 1, "2026-01-12", "2026-01-26", &n);
    c.last = 100;
    assert_range(&c, 1, "2026-01-05", "2026-01-26", &n);
    assert_int_equal(n.first, D("2026-01-05"));
    assert_int_equal(n.last, D("2026-02-02"));
}

/* --week is the week asked for; --from/--to are clipped to the data. */
static void test_range_asked(void **state)
{
    struct range_choice c = {.kind = RANGE_WEEK};
    struct range_notes n;
    int32_t f, t;

    (void)state;
    c.week = D("2026-01-19"); /* a gap is still the week asked for */
    assert_range(&c, 1, "2026-01-19", "2026-01-19", &n);
    assert_int_equal(n.outside, 0);
    c.week = D("2026-02-02"); /* a partial week named is brought in */
    assert_range(&c, 1, "2026-02-02", "2026-02-02", &n);
    c.week = D("2026-03-02");
    assert_range(&c, 1, "2026-03-02", "2026-03-02", &n);
    assert_int_equal(n.outside, 1);

    c.kind = RANGE_SPAN;
    c.has_from = 1;
    c.from = D("2026-01-12"); /* --from alone ends where a default range does */
    assert_range(&c, 1, "2026-01-12", "2026-01-26", &n);
    assert_false(n.clipped_start || n.clipped_end);
    assert_int_equal(n.skipped, D("2026-02-02"));
    c.partial = 1;
    assert_range(&c, 1, "2026-01-12", "2026-02-02", &n);
    c.partial = 0;
    c.from = D("2025-11-03"); /* before the data: clipped, and said */
    c.has_to = 1;
    c.to = D("2026-06-01");
    assert_range(&c, 1, "2026-01-05", "2026-02-02", &n);
    assert_true(n.clipped_start && n.clipped_end);
    c.has_from = 0;
    c.to = D("2026-01-26");
    assert_range(&c, 1, "2026-01-05", "2026-01-26", &n);
    assert_false(n.clipped_start || n.clipped_end);

    /* Wholly outside the data: nothing to report, and said. */
    c.has_from = c.has_to = 1;
    c.from = D("2026-08-03");
    c.to = D("2026-08-31");
    assert_int_equal(range_resolve(&c, some_weeks(), 4, 1, &f, &t, &n), 1);
    assert_int_equal(n.outside, 1);
    c.has_from = 0;
    c.to = D("2025-12-01");
    assert_int_equal(range_resolve(&c, some_weeks(), 4, 1, &f, &t, &n), 1);
    /* No data at all. */
    c.kind = RANGE_DEFAULT;
    assert_int_equal(range_resolve(&c, NULL, 0, 1, &f, &t, &n), 1);
}

/* --period, and the one period --month and --day name: settled once the
 * whole line is read, in whatever order it came. */
static void test_periods(void **state)
{
    struct run r;

    (void)state;
    parse(&r, &plain, ARGV("--month", "2025-01"));
    assert_int_equal(r.last, 0);
    assert_int_equal(r.a.range.unit, PERIOD_MONTH); /* implied */
    assert_int_equal(r.a.range.kind, RANGE_WEEK);
    assert_int_equal(r.a.range.week, D("2025-01-01"));
    done(&r);
    parse(&r, &plain, ARGV("--day", "2025-01-05"));
    assert_int_equal(r.a.range.unit, PERIOD_DAY);
    assert_int_equal(r.a.range.week, D("2025-01-05"));
    done(&r);
    /* By day, a month's or a week's days. */
    parse(&r, &plain, ARGV("--month", "2024-02", "--period", "day"));
    assert_int_equal(r.last, 0);
    assert_int_equal(r.a.range.kind, RANGE_SPAN);
    assert_int_equal(r.a.range.from, D("2024-02-01"));
    assert_int_equal(r.a.range.to, D("2024-02-29"));
    done(&r);
    parse(&r, &plain, ARGV("--period", "day", "--week", "2025-01-29"));
    assert_int_equal(r.a.range.from, D("2025-01-27"));
    assert_int_equal(r.a.range.to, D("2025-02-02"));
    done(&r);
    /* --from and --to: any day names its month; by day a month runs from
     * its first day to its last. */
    parse(&r, &plain, ARGV("--from", "2024-11-15", "--to", "2025-01", "--period", "month"));
    assert_int_equal(r.last, 0);
    assert_int_equal(r.a.range.from, D("2024-11-01"));
    assert_int_equal(r.a.range.to, D("2025-01-01"));
    done(&r);
    parse(&r, &plain, ARGV("--period", "day", "--from", "2025-01", "--to", "2025-02"));
    assert_int_equal(r.a.range.from, D("2025-01-01"));
    assert_int_equal(r.a.range.to, D("2025-02-28"));
    done(&r);
    /* Weeks as before, by default and when asked. */
    parse(&r, &plain, ARGV("--period", "week", "--week", "2026-02-11"));
    assert_int_equal(r.a.range.unit, PERIOD_WEEK);
    assert_int_equal(r.a.range.week, D("2026-02-09"));
    done(&r);
    refused(&plain, ARGV("--period", "month", "--week", "2025-01-06"),
            "--week names a week, which is not made of months (weeks cross months): use "
            "--from/--to, or --period week or day");
    refused(&plain, ARGV("--to", "2025-01"),
            "invalid value '2025-01' for --to (a month, YYYY-MM, needs --period month or day; "
            "weeks take a date, YYYY-MM-DD)");
    refused(&plain, ARGV("--period", "month", "--last", "0"),
            "invalid value '0' for --last (expected a number of months from 1 to 10000)");
}

/* Months with data: December whole, January with 20 of its 31 days. */
static void test_range_complete_months(void **state)
{
    struct week_days m[] = {{0, 31, 0x7fffffffu, 1}, {0, 20, (1u << 20) - 1, 1}};
    struct range_choice c = {.kind = RANGE_DEFAULT, .unit = PERIOD_MONTH};
    struct range_notes n;
    int32_t f = 0, t = 0;

    (void)state;
    m[0].week = D("2024-12-01");
    m[1].week = D("2025-01-01");
    assert_int_equal(range_resolve(&c, m, 2, 1, &f, &t, &n), 0);
    assert_int_equal(f, D("2024-12-01"));
    assert_int_equal(t, D("2024-12-01"));
    assert_int_equal(n.skipped, D("2025-01-01"));
    assert_int_equal(n.skipped_days, 20);
    c.partial = 1;
    assert_int_equal(range_resolve(&c, m, 2, 8, &f, &t, &n), 0);
    assert_int_equal(f, D("2024-12-01"));
    assert_int_equal(t, D("2025-01-01"));
    /* A February of 28 days is complete. */
    m[1].week = D("2025-02-01");
    m[1].days = 28;
    c.partial = 0;
    assert_int_equal(range_resolve(&c, m, 2, 1, &f, &t, &n), 0);
    assert_int_equal(t, D("2025-02-01"));
    assert_int_equal(n.skipped, 0);
}

static void test_render_opts(void **state)
{
    struct run r;
    struct render_opts ro;
    FILE *fp = tmpfile();

    (void)state;
    assert_non_null(fp);
    parse(&r, &plain, ARGV("--format", "markdown", "--exact"));
    unsetenv("COLUMNS");
    report_render_opts(&r.a, fp, &ro);
    assert_int_equal(ro.format, RENDER_MARKDOWN);
    assert_int_equal(ro.exact, 1);
    assert_int_equal(ro.color, 0); /* not a terminal */
    assert_int_equal(ro.width, 0); /* no limit */
    setenv("COLUMNS", "72", 1);
    report_render_opts(&r.a, fp, &ro);
    assert_int_equal(ro.width, 72);
    setenv("COLUMNS", "72x", 1); /* not a number: ignored */
    report_render_opts(&r.a, fp, &ro);
    assert_int_equal(ro.width, 0);
    unsetenv("COLUMNS");
    done(&r);
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_shared_options),
        cmocka_unit_test(test_own_options),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_range_complete_weeks),
        cmocka_unit_test(test_range_asked),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_range_complete_months),
        cmocka_unit_test(test_render_opts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
