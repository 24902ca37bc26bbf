/* test_output.c - standard output and --output FILE: the temporary file
 * beside the target, atomic replacement, the mode under the umask, and what
 * a failure leaves behind (nothing new). Runs as root too (CI does): no
 * failure here relies on permission bits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "render/output.h"
#include "support.h"
#include "core/util.h"

/* ---- helpers ---- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* The content of path, in a new string; NULL when it cannot be read. */
static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    struct ts_buf b = TS_BUF_INIT;
    char chunk[4096];
    size_t n;

    if (!fp)
        return NULL;
    buf_add(&b, "", 0);
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        buf_add(&b, chunk, n);
    fclose(fp);
    return b.data;
}

static void assert_file(const char *path, const char *want)
{
    char *got = read_file(path);

    if (!got)
        fail_msg("cannot read %s", path);
    assert_string_equal(got, want);
    free(got);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted and joined with spaces ("" when empty). */
static void assert_dir(const char *dir, const char *want)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[64];
    size_t n = 0;
    struct ts_buf b = TS_BUF_INIT;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        assert_true(n < 64);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_str);
    buf_add(&b, "", 0);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_addc(&b, ' ');
        buf_adds(&b, names[i]);
        free(names[i]);
    }
    if (strcmp(b.data, want) != 0)
        fail_msg("%s holds '%s', expected '%s'", dir, b.data, want);
    buf_release(&b);
}

/* The number of entries in dir whose name starts with prefix. */
static size_t count_prefix(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    }
    closedir(d);
    return n;
}

static void join(char *out, size_t n, const char *dir, const char *name)
{
    int len = snprintf(out, n, "%s/%s", dir, name);

    assert_true(len > 0 && (size_t)len < n);
}

/* ---- standard output ---- */

static void test_stdout(void **state)
{
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    (void)state;
    assert_int_equal(output_open(&o, NULL, fp, &err), 0);
    assert_ptr_equal(o.fp, fp);
    assert_null(o.path);
    assert_null(o.tmp);
    fputs("hello\n", o.fp);
    assert_int_equal(output_commit(&o, &err), 0);
    assert_string_equal(buf, "hello\n"); /* flushed */
    output_release(&o);
    /* The caller's stream is still open. */
    assert_true(fputs("more\n", fp) >= 0);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf, "hello\nmore\n");
    free(buf);
}

static void test_stdout_errors(void **state)
{
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    /* A stream that refuses writes (standard output closed for writing). */
    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    assert_int_equal(output_open(&o, NULL, ro, &err), 0);
    fputs("lost\n", o.fp);
    assert_int_equal(output_commit(&o, &err), -1);
    assert_string_equal(err.msg, "write error: Bad file descriptor");
    output_release(&o);
    fclose(ro);

    /* A full disk, found by the flush in commit. */
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    assert_int_equal(output_open(&o, NULL, full, &err), 0);
    fputs("lost\n", o.fp);
    assert_int_equal(output_commit(&o, &err), -1);
    assert_string_equal(err.msg, "write error: No space left on device");
    output_release(&o);
    fclose(full);
}

/* ---- files ---- */

static void test_replace_atomically(void **state)
{
    char dir[512], path[600];
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    join(path, sizeof(path), dir, "x.csv");
    write_file(path, "old\n");

    assert_int_equal(output_open(&o, path, stdout, &err), 0);
    assert_string_equal(o.path, path);
    assert_non_null(o.tmp);
    assert_int_equal(strncmp(o.tmp, dir, strlen(dir)), 0);
    assert_int_equal(strncmp(o.tmp + strlen(dir), "/.x.csv.", 8), 0);
    assert_int_equal(strlen(o.tmp), strlen(dir) + 8 + 6);
    assert_int_equal(count_prefix(dir, ".x.csv."), 1);

    fputs("new,content\n", o.fp);
    assert_int_equal(fflush(o.fp), 0);
    assert_file(path, "old\n"); /* a reader sees the old file until commit */
    assert_int_equal(output_commit(&o, &err), 0);
    assert_file(path, "new,content\n");
    assert_dir(dir, "x.csv");

    output_release(&o);
    output_release(&o); /* twice is fine */
    assert_null(o.fp);
    assert_null(o.path);
    assert_null(o.tmp);
    assert_file(path, "new,content\n");

    /* A second run replaces it again. */
    assert_int_equal(output_open(&o, path, stdout, &err), 0);
    fputs("third\n", o.fp);
    assert_int_equal(output_commit(&o, &err), 0);
    output_release(&o);
    assert_file(path, "third\n");
    assert_dir(dir, "x.csv");
}

static void test_new_file_and_relative_path(void **state)
{
    char dir[512], cwd[4096];
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    int rc = output_open(&o, "rel.json", stdout, &err);
    if (rc == 0) {
        fputs("{}\n", o.fp);
        rc = output_commit(&o, &err);
    }
    output_release(&o);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);

    char path[600];
    join(path, sizeof(path), dir, "rel.json");
    assert_file(path, "{}\n");
    assert_dir(dir, "rel.json");
}

static void test_release_without_commit(void **state)
{
    char dir[512], path[600];
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    output_release(&o); /* safe on OUTPUT_INIT */

    sup_tmp_dir(dir, sizeof(dir));
    join(path, sizeof(path), dir, "report.md");
    write_file(path, "old\n");
    assert_int_equal(output_open(&o, path, stdout, &err), 0);
    fputs("half a report", o.fp);
    output_release(&o); /* a failed run gives up */
    assert_file(path, "old\n");
    assert_dir(dir, "report.md");

    /* Nothing at all when there was no file before. */
    join(path, sizeof(path), dir, "new.md");
    assert_int_equal(output_open(&o, path, stdout, &err), 0);
    output_release(&o);
    assert_dir(dir, "report.md");
}

static void test_umask(void **state)
{
    char dir[512], path[600];
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct stat st;
    static const struct {
        mode_t mask, want;
    } cases[] = {{027, 0640}, {022, 0644}, {077, 0600}, {0, 0666}};

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    join(path, sizeof(path), dir, "out.csv");
    mode_t saved = umask(022);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        umask(cases[i].mask);
        int rc = output_open(&o, path, stdout, &err);
        if (rc == 0)
            rc = output_commit(&o, &err);
        output_release(&o);
        mode_t now = umask(saved);
        assert_int_equal(now, cases[i].mask); /* the umask is put back */
        assert_int_equal(rc, 0);
        assert_int_equal(stat(path, &st), 0);
        if ((st.st_mode & 07777) != cases[i].want)
            fail_msg("umask %03o: mode %03o, expected %03o", (unsigned)cases[i].mask,
                     (unsigned)(st.st_mode & 07777), (unsigned)cases[i].want);
        assert_int_equal(unlink(path), 0); /* a replaced file keeps its mode: test_keeps_mode */
    }
    umask(saved);
}

static void test_missing_dir(void **state)
{
    char path[600];
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    sup_tmp_path(path, sizeof(path), "x.csv"); /* <tmp>/<k>/ does not exist */
    assert_int_equal(output_open(&o, path, stdout, &err), -1);
    char want[700];
    snprintf(want, sizeof(want), "cannot write '%s': No such file or directory", path);
    assert_string_equal(err.msg, want);
    assert_null(o.fp);
    assert_null(o.path);
    assert_null(o.tmp);
    output_release(&o);

    /* A relative path reads as the user typed it. */
    assert_int_equal(access("tokstat-no-such-dir", F_OK), -1);
    assert_int_equal(output_open(&o, "tokstat-no-such-dir/x.csv", stdout, &err), -1);
    assert_string_equal(err.msg,
                        "cannot write 'tokstat-no-such-dir/x.csv': No such file or directory");
    output_release(&o);

    assert_int_equal(output_open(&o, "", stdout, &err), -1);
    assert_string_equal(err.msg, "cannot write '': No such file or directory");
}

static void test_directory_target(void **state)
{
    char dir[512], path[600];
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    assert_int_equal(output_open(&o, dir, stdout, &err), -1);
    char want[700];
    snprintf(want, sizeof(want), "cannot write '%s': Is a directory", dir);
    assert_string_equal(err.msg, want);
    output_release(&o);

    /* The target becomes a directory between open and commit: the rename
     * fails, the temporary file goes. */
    join(path, sizeof(path), dir, "late");
    assert_int_equal(output_open(&o, path, stdout, &err), 0);
    fputs("data\n", o.fp);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(output_commit(&o, &err), -1);
    snprintf(want, sizeof(want), "cannot write '%s': Is a directory", path);
    assert_string_equal(err.msg, want);
    assert_null(o.tmp);
    output_release(&o);
    assert_dir(dir, "late");
    assert_int_equal(rmdir(path), 0);
}

/* Child of test_commit_fails: writes more than RLIMIT_FSIZE allows. The
 * exit status says which check failed (0: all held). */
static int child_write_too_much(const char *path)
{
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct rlimit rl = {4096, 4096};

    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        return 10;
    if (output_open(&o, path, stdout, &err) != 0)
        return 11;
    for (int i = 0; i < 10000; i++)
        fputs("0123456789\n", o.fp);
    if (output_commit(&o, &err) != -1)
        return 12;
    char want[700];
    snprintf(want, sizeof(want), "cannot write '%s': File too large", path);
    if (strcmp(err.msg, want) != 0) {
        fprintf(stderr, "child: %s\n", err.msg);
        return 13;
    }
    if (o.tmp != NULL || o.fp != NULL)
        return 14;
    output_release(&o);
    return 0;
}

static void test_commit_fails(void **state)
{
    char dir[512], path[600];
    int status;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    join(path, sizeof(path), dir, "x.csv");
    write_file(path, "old,file\n");

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child_write_too_much(path));
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    assert_file(path, "old,file\n"); /* untouched */
    assert_dir(dir, "x.csv");        /* no temporary file left */
}

/* A symbolic link is never followed: --output replaces only the regular
 * file it names, as open(O_NOFOLLOW) would refuse the link. */
static void test_symlink(void **state)
{
    char dir[512], link[600], target[600], want[800];
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct stat st;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    join(target, sizeof(target), dir, "real.csv");
    join(link, sizeof(link), dir, "link.csv");
    write_file(target, "old\n");
    assert_int_equal(symlink("real.csv", link), 0);

    assert_int_equal(output_open(&o, link, stdout, &err), -1);
    snprintf(want, sizeof(want),
             "cannot write '%s': it is a symbolic link (--output replaces only a regular file, "
             "never the file a link points to)",
             link);
    assert_string_equal(err.msg, want);
    output_release(&o);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* the link stays a link */
    assert_file(target, "old\n");     /* and what it names is untouched */
    assert_dir(dir, "link.csv real.csv");

    /* A dangling link is not a way to create a file elsewhere either. */
    assert_int_equal(unlink(target), 0);
    assert_int_equal(output_open(&o, link, stdout, &err), -1);
    assert_string_equal(err.msg, want);
    output_release(&o);
    assert_dir(dir, "link.csv");
}

/* "-" and "/dev/stdout" are standard output, never a file to replace
 * (whatever fd 1 is: a file opened for appending, a pipe). */
static void test_stdout_names(void **state)
{
    static const char *const names[] = {"-", "/dev/stdout"};
    char dir[512], cwd[4096];
    struct ts_err err = TS_ERR_INIT;
    FILE *fp = tmpfile();

    (void)state;
    assert_non_null(fp);
    sup_tmp_dir(dir, sizeof(dir));
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    for (size_t i = 0; i < 2; i++) {
        struct output o = OUTPUT_INIT;
        assert_true(output_is_stdout(names[i]));
        assert_int_equal(output_open(&o, names[i], fp, &err), 0);
        assert_ptr_equal(o.fp, fp);
        assert_null(o.path);
        assert_null(o.tmp);
        fputs(names[i], o.fp);
        assert_int_equal(output_commit(&o, &err), 0);
        output_release(&o);
    }
    assert_int_equal(chdir(cwd), 0);
    assert_dir(dir, ""); /* no file named '-' */
    assert_false(output_is_stdout("./-"));
    assert_false(output_is_stdout("/dev/stdout/"));
    rewind(fp);
    char got[64] = {0};
    assert_int_equal(fread(got, 1, sizeof(got) - 1, fp), strlen("-/dev/stdout"));
    assert_string_equal(got, "-/dev/stdout");
    fclose(fp);
}

/* A replaced file keeps its mode, whatever the umask. */
static void test_keeps_mode(void **state)
{
    static const mode_t modes[] = {0600, 0640, 0444, 0755};
    char dir[512], path[600];
    struct ts_err err = TS_ERR_INIT;
    struct stat st;
    mode_t saved = umask(022);

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    join(path, sizeof(path), dir, "out.csv");
    write_file(path, "old\n");
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        struct output o = OUTPUT_INIT;
        assert_int_equal(chmod(path, modes[i]), 0);
        int rc = output_open(&o, path, stdout, &err);
        if (rc == 0) {
            fputs("new\n", o.fp);
            rc = output_commit(&o, &err);
        }
        output_release(&o);
        assert_int_equal(rc, 0);
        assert_int_equal(stat(path, &st), 0);
        if ((st.st_mode & 07777) != modes[i])
            fail_msg("mode %03o, expected %03o kept", (unsigned)(st.st_mode & 07777),
                     (unsigned)modes[i]);
        assert_file(path, "new\n");
    }
    umask(saved);
    assert_dir(dir, "out.csv");
}

/* In a child: opens path for output, writes, and sends itself sig before
 * committing. Returns only when the signal did not end it. */
static int child_killed_while_writing(const char *path, int sig)
{
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;

    if (output_open(&o, path, stdout, &err) != 0)
        return 3;
    fputs("half a report", o.fp);
    fflush(o.fp);
    raise(sig);
    return 4;
}

/* SIGINT, SIGTERM and SIGHUP during --output remove the temporary file
 * and still end the program by that signal; the old file stays. */
static void test_signal_removes_tmp(void **state)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    char dir[512], path[600];
    struct sigaction sa;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    join(path, sizeof(path), dir, "x.csv");
    write_file(path, "old\n");
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        int status;
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            signal(sigs[i], SIG_DFL);
            _exit(child_killed_while_writing(path, sigs[i]));
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), sigs[i]);
        assert_file(path, "old\n");
        assert_dir(dir, "x.csv"); /* no .x.csv.XXXXXX left */
    }

    /* After commit (or release) the handlers are the program's own again. */
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct sigaction before;
    assert_int_equal(sigaction(SIGTERM, NULL, &before), 0);
    assert_int_equal(output_open(&o, path, stdout, &err), 0);
    assert_int_equal(sigaction(SIGTERM, NULL, &sa), 0);
    assert_true(sa.sa_handler != before.sa_handler); /* armed while writing */
    assert_int_equal(output_commit(&o, &err), 0);
    output_release(&o);
    assert_int_equal(sigaction(SIGTERM, NULL, &sa), 0);
    assert_true(sa.sa_handler == before.sa_handler);

    /* A signal ignored from the start (nohup) stays ignored. */
    signal(SIGHUP, SIG_IGN);
    assert_int_equal(output_open(&o, path, stdout, &err), 0);
    assert_int_equal(sigaction(SIGHUP, NULL, &sa), 0);
    assert_true(sa.sa_handler == SIG_IGN);
    output_release(&o);
    signal(SIGHUP, SIG_DFL);
    assert_dir(dir, "x.csv");
}

/* A device is written in place: /dev/null must stay /dev/null. */
static void test_special_file(void **state)
{
    struct output o = OUTPUT_INIT;
    struct ts_err err = TS_ERR_INIT;
    struct stat st;

    (void)state;
    assert_int_equal(output_open(&o, "/dev/null", stdout, &err), 0);
    assert_null(o.tmp);
    fputs("gone\n", o.fp);
    assert_int_equal(output_commit(&o, &err), 0);
    output_release(&o);
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));

    /* And a full device reports the error. */
    if (stat("/dev/full", &st) != 0)
        skip();
    assert_int_equal(output_open(&o, "/dev/full", stdout, &err), 0);
    fputs("lost\n", o.fp);
    assert_int_equal(output_commit(&o, &err), -1);
    assert_string_equal(err.msg, "cannot write '/dev/full': No space left on device");
    output_release(&o);
}

/* output_dir makes a folder and the missing ones above it, accepts one
 * that is there (also with a trailing slash), and refuses a file in the
 * way, naming it. */
static void test_output_dir(void **state)
{
    struct ts_err err = TS_ERR_INIT;
    char dir[256], path[400];
    struct stat st;

    (void)state;
    sup_tmp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/a/b/month=2026-02", dir);
    assert_int_equal(output_dir(path, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(output_dir(path, &err), 0); /* there already */
    snprintf(path, sizeof(path), "%s/a/b/", dir);
    assert_int_equal(output_dir(path, &err), 0);

    snprintf(path, sizeof(path), "%s/file", dir);
    write_file(path, "keep\n");
    assert_int_equal(output_dir(path, &err), -1);
    assert_non_null(strstr(err.msg, "cannot make the folder"));
    assert_non_null(strstr(err.msg, "/file': Not a directory"));
    snprintf(path, sizeof(path), "%s/file/sub", dir);
    assert_int_equal(output_dir(path, &err), -1);
    assert_non_null(strstr(err.msg, "/file"));
    assert_int_equal(output_dir("", &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stdout),
        cmocka_unit_test(test_stdout_errors),
        cmocka_unit_test(test_replace_atomically),
        cmocka_unit_test(test_new_file_and_relative_path),
        cmocka_unit_test(test_release_without_commit),
        cmocka_unit_test(test_umask),
        cmocka_unit_test(test_missing_dir),
        cmocka_unit_test(test_directory_target),
        cmocka_unit_test(test_commit_fails),
        cmocka_unit_test(test_symlink),
        cmocka_unit_test(test_stdout_names),
        cmocka_unit_test(test_keeps_mode),
        cmocka_unit_test(test_signal_removes_tmp),
        cmocka_unit_test(test_special_file),
        cmocka_unit_test(test_output_dir),
    };
    return cmocka_run_group_tests(tests, sup_tmp_setup, sup_tmp_teardown);
}
