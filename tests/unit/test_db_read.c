/* test_db_read.c - opening the database for a command that only reads
 * (db_open_read), and what db_open refuses before writing: a missing file
 * stays missing, a file of another schema stays byte for byte as it was.
 * Read-only files and folders, which root does not feel, are tested by
 * tests/reliability/readonly.sh as an unprivileged user. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/countries.h"
#include "db/db.h"
#include "db/families.h"
#include "support.h"

static struct db *open_ok(const char *path)
{
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    if (db_open(path, &st, &err) != 0)
        fail_msg("db_open('%s'): %s", path, err.msg);
    return st;
}

static struct db *open_read_ok(const char *path)
{
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    if (db_open_read(path, &st, &err) != 0)
        fail_msg("db_open_read('%s'): %s", path, err.msg);
    return st;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* The whole file at path, malloc'd; *n its size. */
static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    char *b;

    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    *n = (size_t)ftell(fp);
    rewind(fp);
    b = malloc(*n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *n, fp), *n);
    fclose(fp);
    return b;
}

static int exists(const char *path, const char *suffix)
{
    char name[700];

    snprintf(name, sizeof(name), "%s%s", path, suffix);
    return access(name, F_OK) == 0;
}

/* A database with a dataset and a user's vendor, at rest: in WAL mode,
 * with no -wal or -shm beside it. */
static void make_db(const char *path)
{
    struct ts_err err = TS_ERR_INIT;
    struct db *st = open_ok(path);
    int64_t id;

    assert_int_equal(db_dataset(st, "default", 1, &id, &err), 1);
    assert_int_equal(db_vendor_set(st, "acme", "FR", &err), 0);
    db_close(st);
    assert_false(exists(path, "-wal"));
    assert_false(exists(path, "-shm"));
}

/* A missing database is an error, and nothing is created: not the file,
 * not its folder. */
static void test_missing(void **state)
{
    char path[512], dir[600];
    struct db *st = NULL;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    sup_tmp_path(path, sizeof(path), "sub/t.db");
    assert_int_equal(db_open_read(path, &st, &err), -1);
    assert_null(st);
    assert_non_null(strstr(err.msg, "cannot open database '"));
    assert_false(exists(path, ""));
    snprintf(dir, sizeof(dir), "%s", path);
    *strrchr(dir, '/') = '\0';
    assert_int_not_equal(access(dir, F_OK), 0);
}

/* A database opened to read reads, refuses to write, and is left byte for
 * byte as it was. */
static void test_reads_never_writes(void **state)
{
    char path[512];
    struct ts_err err = TS_ERR_INIT;
    struct db *st;
    size_t n0, n1;
    int64_t id;

    (void)state;
    sup_tmp_path(path, sizeof(path), "t.db");
    make_db(path);
    char *before = slurp(path, &n0);
    st = open_read_ok(path);
    assert_int_equal(db_vendors_stale(st), 0);
    assert_int_equal(db_dataset(st, "default", 0, &id, &err), 1);
    assert_int_equal(db_dataset(st, "other", 1, &id, &err), -1);
    assert_non_null(strstr(err.msg, "readonly"));
    assert_int_equal(db_vendor_set(st, "acme", "DE", &err), -1);
    db_close(st);
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
    assert_int_equal(sup_sql_int(path, "SELECT count(*) FROM vendors_user WHERE country = 'FR'"),
                     1);
}

/* A file of a newer schema is refused to read and to write, before anything
 * is written: it stays in its journal mode (no switch to WAL, no -wal). */
static void test_newer_schema_untouched(void **state)
{
    char path[512], want[1024];
    struct ts_err err = TS_ERR_INIT;
    struct db *st = NULL;
    size_t n0, n1;

    (void)state;
    sup_tmp_path(path, sizeof(path), "t.db");
    make_db(path);
    sql_exec(path, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99");
    char *before = slurp(path, &n0);
    snprintf(want, sizeof(want),
             "database '%s' has schema version 99, newer than this tokstat's (%d): it needs a "
             "newer tokstat",
             path, DB_SCHEMA_VERSION);
    assert_int_equal(db_open_read(path, &st, &err), -1);
    assert_string_equal(err.msg, want);
    assert_int_equal(db_open(path, &st, &err), -1);
    assert_string_equal(err.msg, want);
    assert_null(st);
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(after[18], 1); /* legacy (rollback journal) file format, not WAL's 2 */
    assert_false(exists(path, "-wal"));
    assert_false(exists(path, "-shm"));
    free(before);
    free(after);
}

/* An older schema is only migrated by a command that writes: a read says
 * so and leaves the file as it was. */
static void test_older_schema_read_refused(void **state)
{
    char path[512];
    struct ts_err err = TS_ERR_INIT;
    struct db *st = NULL;
    size_t n0, n1;

    (void)state;
    sup_tmp_path(path, sizeof(path), "t.db");
    make_db(path);
    sql_exec(path, "PRAGMA user_version = 5");
    char *before = slurp(path, &n0);
    assert_int_equal(db_open_read(path, &st, &err), -1);
    assert_null(st);
    assert_non_null(strstr(err.msg, "has schema version 5, older than this tokstat's"));
    assert_non_null(strstr(err.msg, "'tokstat check --repair'"));
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

/* An empty file (a database another process is creating) reads as an empty
 * database; a database of another program is refused. */
static void test_empty_and_foreign(void **state)
{
    char path[512];
    struct ts_err err = TS_ERR_INIT;
    struct db *st = NULL;
    int64_t id;

    (void)state;
    sup_tmp_path(path, sizeof(path), "t.db");
    make_db(path); /* for its folder */
    unlink(path);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    st = open_read_ok(path);
    assert_int_equal(db_dataset(st, "default", 0, &id, &err), 0);
    db_close(st);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, 0);

    sql_exec(path, "CREATE TABLE notes(x)");
    assert_int_equal(db_open_read(path, &st, &err), -1);
    assert_non_null(strstr(err.msg, "is not a tokstat database"));
}

/* The shipped vendor table of another version is read as it is, and said. */
static void test_vendors_stale(void **state)
{
    char path[512];

    (void)state;
    sup_tmp_path(path, sizeof(path), "t.db");
    make_db(path);
    sql_exec(path, "UPDATE meta SET value = 'older' WHERE key = 'vendors_sha256'");
    struct db *st = open_read_ok(path);
    assert_int_equal(db_vendors_stale(st), 1);
    db_close(st);
    assert_int_equal(sup_sql_int(path, "SELECT value = 'older' FROM meta WHERE key = "
                                       "'vendors_sha256'"),
                     1);
    db_close(open_ok(path)); /* a command that writes refreshes it */
    st = open_read_ok(path);
    assert_int_equal(db_vendors_stale(st), 0);
    db_close(st);
}

/* The shipped family rules as the vendor table: another version's are read
 * as they are, with the flag up, until a command that writes brings ours;
 * a user's rules read, never written, through a handle opened to read. */
static int count_rule(void *ctx, const struct family_listing *f)
{
    int *n = ctx;

    if (strcmp(f->prefix, "x-ai/grok-2-1212") == 0)
        *n += strcmp(f->family, "x-ai/grok-2") == 0 && strcmp(f->source, "shipped") == 0;
    if (strcmp(f->prefix, "acme/rocket") == 0)
        *n += 10 * (strcmp(f->source, "user") == 0 && !f->shipped_family);
    return 0;
}

static void test_families_stale(void **state)
{
    char path[512];
    struct ts_err err = TS_ERR_INIT;
    int found = 0;

    (void)state;
    sup_tmp_path(path, sizeof(path), "t.db");
    make_db(path);
    struct db *st = open_ok(path);
    assert_int_equal(db_family_set(st, "acme/rocket", "acme/rocket", &err), 0);
    db_close(st);
    sql_exec(path, "UPDATE meta SET value = 'older' WHERE key = 'families_sha256';"
                   " DELETE FROM families_shipped WHERE prefix = 'x-ai/grok-2-1212'");
    st = open_read_ok(path);
    assert_int_equal(db_families_stale(st), 1);
    assert_int_equal(db_vendors_stale(st), 0);
    assert_int_equal(db_family_each(st, count_rule, &found, &err), 0);
    assert_int_equal(found, 10); /* the user's rule; the shipped one is missing */
    assert_int_equal(db_family_set(st, "acme/x", "acme/x", &err), -1);
    assert_non_null(strstr(err.msg, "readonly"));
    db_close(st);
    assert_int_equal(sup_sql_int(path, "SELECT value = 'older' FROM meta WHERE key = "
                                       "'families_sha256'"),
                     1);
    db_close(open_ok(path)); /* a command that writes refreshes it */
    st = open_read_ok(path);
    assert_int_equal(db_families_stale(st), 0);
    found = 0;
    assert_int_equal(db_family_each(st, count_rule, &found, &err), 0);
    assert_int_equal(found, 11);
    db_close(st);
}

/* Neither open takes a SQLite URI, and neither creates anything for one. */
static void test_uri_refused(void **state)
{
    char dir[512], cwd[1024];
    struct ts_err err = TS_ERR_INIT;
    struct db *st = NULL;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(db_open("file:a/t.db?mode=rwc", &st, &err), -1);
    assert_string_equal(err.msg, "'file:a/t.db?mode=rwc' is a SQLite URI: tokstat takes the "
                                 "database's path (write './file:a/t.db?mode=rwc' for a file "
                                 "whose name starts with 'file:')");
    assert_int_equal(db_open_read("file:t.db", &st, &err), -1);
    assert_non_null(strstr(err.msg, "is a SQLite URI"));
    assert_null(st);
    assert_int_not_equal(access("file:a", F_OK), 0);
    assert_int_not_equal(access("a", F_OK), 0);
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_reads_never_writes),
        cmocka_unit_test(test_newer_schema_untouched),
        cmocka_unit_test(test_older_schema_read_refused),
        cmocka_unit_test(test_empty_and_foreign),
        cmocka_unit_test(test_vendors_stale),
        cmocka_unit_test(test_families_stale),
        cmocka_unit_test(test_uri_refused),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
