/* test_cli.c - the front of the command line: global options, the table
 * of commands, help, exit codes and the check that output was written. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "support.h"

struct run {
    char *out, *err;
    size_t out_len, err_len;
    int rc;
};

static void cli(struct run *r, char **argv)
{
    int argc = 0;
    FILE *out, *err;

    memset(r, 0, sizeof(*r));
    while (argv[argc])
        argc++;
    out = open_memstream(&r->out, &r->out_len);
    err = open_memstream(&r->err, &r->err_len);
    assert_non_null(out);
    assert_non_null(err);
    r->rc = cli_run(argc, argv, out, err);
    fclose(out);
    fclose(err);
}

static void done(struct run *r)
{
    free(r->out);
    free(r->err);
}

#define ARGV(...) ((char *[]){"tokstat", __VA_ARGS__, NULL})

static void test_version_and_help(void **state)
{
    struct run r;

    (void)state;
    cli(&r, ARGV("--version"));
    assert_int_equal(r.rc, 0);
    assert_int_equal(strncmp(r.out, "tokstat ", 8), 0);
    assert_string_equal(r.err, "");
    done(&r);

    cli(&r, ARGV("--help"));
    assert_int_equal(r.rc, 0);
    assert_int_equal(strncmp(r.out, "usage: tokstat [--db PATH] COMMAND [OPTIONS]\n", 45), 0);
    /* Every command of the table is listed. */
    const char *names[] = {"import", "fetch", "report", "growth",  "top",   "prices",
                           "cost",   "chart", "status", "vendors", "check", "help"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char line[32];
        snprintf(line, sizeof(line), "\n  %-10s ", names[i]);
        assert_non_null(strstr(r.out, line));
    }
    done(&r);

    /* No command: the help, on standard error, and a usage error. */
    cli(&r, (char *[]){"tokstat", NULL});
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.out, "");
    assert_int_equal(strncmp(r.err, "usage: tokstat", 14), 0);
    done(&r);
}

static void test_global_refusals(void **state)
{
    struct run r;

    (void)state;
    cli(&r, ARGV("--db"));
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "tokstat: option '--db' needs a value\nTry 'tokstat --help'.\n");
    done(&r);
    cli(&r, ARGV("--db=", "status"));
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "tokstat: option '--db' needs a value\nTry 'tokstat --help'.\n");
    done(&r);
    cli(&r, ARGV("--verbose", "status"));
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "tokstat: unrecognized option '--verbose'\nTry 'tokstat --help'.\n");
    done(&r);
    cli(&r, ARGV("reprot"));
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "tokstat: 'reprot' is not a tokstat command (expected one of "
                               "import, fetch, report, growth, top, prices, cost, chart, "
                               "dashboard, export, status, vendors, families, check, help)\n"
                               "Try 'tokstat --help'.\n");
    done(&r);
}

/* 'tokstat help COMMAND' prints what 'tokstat COMMAND --help' prints. */
static void test_help_command(void **state)
{
    const char *names[] = {"import", "fetch", "report", "growth",  "top",   "prices",
                           "cost",   "chart", "status", "vendors", "check", "help"};
    struct run a, b;

    (void)state;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        cli(&a, ARGV("help", (char *)names[i]));
        cli(&b, ARGV((char *)names[i], "--help"));
        assert_int_equal(a.rc, 0);
        assert_int_equal(b.rc, 0);
        assert_true(a.out_len > 20);
        assert_string_equal(a.out, b.out);
        done(&a);
        done(&b);
    }
    cli(&a, ARGV("help"));
    cli(&b, ARGV("--help"));
    assert_string_equal(a.out, b.out);
    done(&a);
    done(&b);
    cli(&a, ARGV("help", "nosuch"));
    assert_int_equal(a.rc, 2);
    assert_non_null(strstr(a.err, "'nosuch' is not a tokstat command"));
    done(&a);
    cli(&a, ARGV("help", "report", "top"));
    assert_int_equal(a.rc, 2);
    assert_string_equal(a.err, "tokstat help: unexpected argument 'top'\n"
                               "Try 'tokstat help --help'.\n");
    done(&a);
}

/* --db names the database for the command that follows; a command that
 * only reads never creates it. */
static void test_db_option(void **state)
{
    char dir[512], path[600], want[700];
    struct run r;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/x.db", dir);
    cli(&r, ARGV("--db", path, "status"));
    assert_int_equal(r.rc, 1);
    snprintf(want, sizeof(want), "tokstat: no database at '%s' (", path);
    assert_int_equal(strncmp(r.err, want, strlen(want)), 0);
    assert_int_not_equal(access(path, F_OK), 0);
    done(&r);
    cli(&r, ARGV("--db", path, "vendors", "set", "acme", "US"));
    assert_int_equal(r.rc, 0);
    done(&r);
    cli(&r, ARGV("--db", path, "status"));
    assert_int_equal(r.rc, 0);
    snprintf(want, sizeof(want), "database: %s (schema ", path);
    assert_int_equal(strncmp(r.out, want, strlen(want)), 0);
    done(&r);
}

/* --db takes a path: a SQLite URI is a usage error, and nothing named
 * after it is created. */
static void test_db_uri_refused(void **state)
{
    char dir[512], cwd[1024];
    struct run r;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    cli(&r, ARGV("--db", "file:x.db?mode=rwc", "vendors", "set", "acme", "US"));
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "tokstat: invalid value 'file:x.db?mode=rwc' for --db (expected a "
                               "path, not a SQLite URI; write './file:x.db?mode=rwc' for a file "
                               "whose name starts with 'file:')\n"
                               "Try 'tokstat --help'.\n");
    done(&r);
    assert_int_not_equal(access("x.db", F_OK), 0);
    assert_int_not_equal(access("file:x.db?mode=rwc", F_OK), 0);
    /* The way to a file whose name starts with "file:". */
    cli(&r, ARGV("--db", "./file:x.db", "vendors", "set", "acme", "US"));
    assert_int_equal(r.rc, 0);
    done(&r);
    assert_int_equal(access("file:x.db", F_OK), 0);
    assert_int_equal(chdir(cwd), 0);
}

/* Output that cannot be written is an error, with its reason. */
static void test_write_error(void **state)
{
    FILE *full = fopen("/dev/full", "w");
    char *err = NULL;
    size_t len = 0;
    FILE *efp = open_memstream(&err, &len);

    (void)state;
    if (!full) {
        fclose(efp);
        free(err);
        skip();
    }
    assert_int_equal(cli_run(2, ARGV("--version"), full, efp), 1);
    fclose(efp);
    assert_string_equal(err, "tokstat: write error: No space left on device\n");
    free(err);
    fclose(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_help), cmocka_unit_test(test_global_refusals),
        cmocka_unit_test(test_help_command),     cmocka_unit_test(test_db_option),
        cmocka_unit_test(test_db_uri_refused),   cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
