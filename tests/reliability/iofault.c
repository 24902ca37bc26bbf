/* iofault.c - does an import that meets an I/O error leave the database
 * whole, as it was before the file or as it is after it?
 *
 *   test_iofault [BASE FILE]
 *
 * SQLite's own tests do this with a VFS that fails on demand; so does this
 * one. It registers, as SQLite's default, a VFS that wraps the default one
 * and, once armed, counts the writes, syncs and truncates of every file
 * (database, -wal, journal, temporary files) and makes one of them fail.
 * BASE is imported into a database (the state "before"); a copy of it
 * imports FILE with nothing failing (the state "after"), which also counts
 * the operations of the import: M. Then for each mode and each N from 1 to
 * M + 1, a fresh copy of "before" imports FILE, through tokstat's own
 * command line (cli_run: open, import, commit, close and its checkpoint),
 * with the Nth operation failing:
 *
 *   ioerr   the Nth write, sync or truncate fails with SQLITE_IOERR_*
 *   full    the Nth write fails with SQLITE_FULL (the disk is full)
 *   dead    the Nth write, sync or truncate and every one after it fail
 *           (a disk that went away), until the command ends
 *
 * and then, with nothing failing any more:
 *
 *   - exit status 1 with a message saying what failed ("tokstat: ...",
 *     naming the I/O error or the full disk), or exit status 0 when the
 *     failure only hit the checkpoint after the commit;
 *   - PRAGMA integrity_check says ok;
 *   - the database's logical content (every row of every table, less the
 *     time an import ran) is exactly "before" or exactly "after" (exit 0:
 *     exactly "after");
 *   - importing FILE once more gives exactly the state of FILE imported
 *     once ("before") or twice ("after"): the database is usable.
 *
 * BASE and FILE default to two real daily files of tests/data/real (the
 * folder is $TS_TEST_DATA, else tests/data beside this file): FILE spans
 * three weeks and overlaps BASE. Prints one line per mode (N's range, the
 * outcomes, the time) and "iofault: N passed, M failed"; exit status 1 on
 * any failure. IOFAULT_TRACE=1 prints each run's exit status and message.
 * Work files go in ${TMPDIR:-/tmp}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/sha256.h"

/* ---- the failing VFS ---- */

enum mode { M_IOERR, M_FULL, M_DEAD, M_COUNT };
static const char *const mode_names[] = {"ioerr", "full", "dead"};
enum op { OP_WRITE, OP_SYNC, OP_TRUNCATE };

static struct fault_state {
    int armed;
    enum mode mode;
    long count;   /* operations counted since armed */
    long fail_at; /* the operation that fails, 1-based; 0: none */
    long fired;   /* operations failed */
} F;

static sqlite3_vfs *real_vfs;

struct ffile {
    sqlite3_file base;
    sqlite3_file *real; /* the real VFS's file, right after this struct */
};

#define REAL(f) (((struct ffile *)(f))->real)

/* Counts the operation; returns the error it must fail with, or SQLITE_OK. */
static int fault(enum op op)
{
    if (!F.armed || (F.mode == M_FULL && op != OP_WRITE))
        return SQLITE_OK;
    F.count++;
    if (F.fail_at == 0 || F.count < F.fail_at || (F.count > F.fail_at && F.mode != M_DEAD))
        return SQLITE_OK;
    F.fired++;
    if (F.mode == M_FULL)
        return SQLITE_FULL;
    return op == OP_WRITE  ? SQLITE_IOERR_WRITE
           : op == OP_SYNC ? SQLITE_IOERR_FSYNC
                           : SQLITE_IOERR_TRUNCATE;
}

static int f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    int rc = fault(OP_WRITE);
    return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = fault(OP_TRUNCATE);
    return rc ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}
/* A sync is counted (and failed) but never done: the test is about how an
 * error is handled, not about power loss, and an fsync on a busy disk
 * costs more than the rest of a run. */
static int f_sync(sqlite3_file *f, int flags)
{
    (void)f;
    (void)flags;
    return fault(OP_SYNC);
}
static int f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}
static int f_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}
static int f_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_file_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods f_methods = {
    3,           f_close,   f_read,     f_write,          f_truncate,     f_sync,
    f_file_size, f_lock,    f_unlock,   f_check_reserved, f_file_control, f_sector_size,
    f_device,    f_shm_map, f_shm_lock, f_shm_barrier,    f_shm_unmap,    f_fetch,
    f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
    struct ffile *f = (struct ffile *)file;
    int rc;

    (void)vfs;
    f->real = (sqlite3_file *)(f + 1);
    rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out);
    f->base.pMethods = f->real->pMethods ? &f_methods : NULL;
    return rc;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}
static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}
static void v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, out);
}
static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, h, sym);
}
static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, h);
}
static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}
static int v_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}
static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs fault_vfs;

/* Makes the failing VFS SQLite's default (every connection tokstat opens
 * goes through it). */
static void fault_vfs_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "iofault",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full_pathname,
        .xDlOpen = v_dlopen,
        .xDlError = v_dlerror,
        .xDlSym = v_dlsym,
        .xDlClose = v_dlclose,
        .xRandomness = v_randomness,
        .xSleep = v_sleep,
        .xCurrentTime = v_current_time,
        .xGetLastError = v_last_error,
        .xCurrentTimeInt64 = v_current_time64,
    };
    sqlite3_vfs_register(&fault_vfs, 1);
}

/* ---- the databases ---- */

static char work[512];

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int ok = in && out;

    while (ok && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* Removes path and its -wal, -shm and -journal. */
static void remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char name[700];

    for (size_t i = 0; i < 4; i++) {
        snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
        unlink(name);
    }
}

/* tokstat --db db import --quiet file, with the faults as F says; what it
 * printed on standard error into err (malloc'd). Returns the exit status. */
static int run_import(const char *db, const char *file, char **err)
{
    char *argv[] = {"tokstat", "--db", (char *)db, "import", "--quiet", (char *)file, NULL};
    size_t olen = 0, elen = 0;
    char *out = NULL;
    FILE *ofp = open_memstream(&out, &olen), *efp = open_memstream(err, &elen);
    int rc = cli_run(6, argv, ofp, efp);

    fclose(ofp);
    fclose(efp);
    free(out);
    return rc;
}

/* One text value of the digest: type and bytes, unambiguous. */
static void digest_value(struct sha256 *h, sqlite3_stmt *s, int i)
{
    char head[32];
    int type = sqlite3_column_type(s, i);
    const unsigned char *t = sqlite3_column_text(s, i);
    int n = sqlite3_column_bytes(s, i);

    snprintf(head, sizeof(head), "|%d:%d:", type, type == SQLITE_NULL ? 0 : n);
    sha256_update(h, head, strlen(head));
    if (type != SQLITE_NULL && t)
        sha256_update(h, t, (size_t)n);
}

/* The rows of table, every column but the times things ran, in order. */
static int digest_table(sqlite3 *db, const char *table, struct sha256 *h)
{
    sqlite3_stmt *s = NULL;
    char *cols = sqlite3_mprintf(""), *q;
    int ncols = 0, rc;

    q = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q)", table);
    rc = sqlite3_prepare_v2(db, q, -1, &s, NULL);
    sqlite3_free(q);
    while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(s, 0);
        if (strcmp(c, "imported_at") == 0 || strcmp(c, "set_at") == 0)
            continue;
        char *next = sqlite3_mprintf("%s%s\"%w\"", cols, ncols ? ", " : "", c);
        sqlite3_free(cols);
        cols = next;
        ncols++;
    }
    sqlite3_finalize(s);
    q = sqlite3_mprintf("SELECT %s FROM \"%w\" ORDER BY %s", cols, table, cols);
    sqlite3_free(cols);
    sha256_update(h, table, strlen(table));
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, q, -1, &s, NULL);
    sqlite3_free(q);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++)
            digest_value(h, s, i);
        sha256_update(h, "\n", 1);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : -1;
}

/* Opens path (recovering what a failed process left), checks its
 * integrity and writes the digest of its logical content into hex.
 * Returns 0, or -1 with why in why. */
static int digest_db(const char *path, char hex[65], char *why, size_t whylen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    struct sha256 h;
    int rc = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "cannot open: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        snprintf(why, whylen, "integrity_check: %s",
                 s && sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0)
                                                : sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_finalize(s);
    sha256_init(&h);
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                           "LIKE 'sqlite_%' ORDER BY name",
                           -1, &s, NULL) != SQLITE_OK)
        goto done;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (digest_table(db, (const char *)sqlite3_column_text(s, 0), &h) < 0) {
            snprintf(why, whylen, "reading table %s: %s", sqlite3_column_text(s, 0),
                     sqlite3_errmsg(db));
            goto done;
        }
    }
    sha256_final_hex(&h, hex);
    rc = 0;
done:
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rc;
}

/* ---- the runs ---- */

/* The digests of the states before and after the file, and after it was
 * imported twice (the second time adds a row to imports). */
static char before[65], after[65], after_twice[65];
static long passed, failed;

struct tally {
    long exit1_before, exit1_after, exit0_after;
};

/* Whether the message names the failure as SQLite words it. */
static int clear_message(const char *err, enum mode m)
{
    if (strncmp(err, "tokstat: ", 9) != 0)
        return 0;
    return m == M_FULL ? strstr(err, "database or disk is full") != NULL
                       : strstr(err, "disk I/O error") != NULL;
}

static void fail(enum mode m, long n, const char *what, const char *err)
{
    failed++;
    printf("FAIL %s N=%ld: %s\n", mode_names[m], n, what);
    if (err && *err)
        printf("  stderr: %s", err);
}

/* One import of file into a fresh copy of base.db with operation n failing. */
static void run_one(enum mode m, long n, const char *file, struct tally *t)
{
    char db[600], base[600], hex[65], why[300], *err = NULL;
    int rc;

    snprintf(db, sizeof(db), "%s/t.db", work);
    remove_db(db);
    snprintf(base, sizeof(base), "%s/base.db", work);
    if (copy_file(base, db) < 0) {
        fail(m, n, "cannot copy the base database", NULL);
        return;
    }
    F = (struct fault_state){.armed = 1, .mode = m, .fail_at = n};
    rc = run_import(db, file, &err);
    F.armed = 0;
    if (getenv("IOFAULT_TRACE"))
        printf("%s N=%ld: exit %d: %s", mode_names[m], n, rc, rc ? err : "\n");
    if (digest_db(db, hex, why, sizeof(why)) < 0) {
        fail(m, n, why, err);
    } else if (rc == 1 && !clear_message(err, m)) {
        fail(m, n, "exit 1 without a message naming the I/O error", err);
    } else if (rc == 1 && strcmp(hex, before) != 0 && strcmp(hex, after) != 0) {
        fail(m, n, "exit 1 and the database is neither before nor after the file", err);
    } else if (rc == 0 && strcmp(hex, after) != 0) {
        fail(m, n, "exit 0 and the database is not as after the file", err);
    } else if (rc != 0 && rc != 1) {
        fail(m, n, "exit status neither 0 nor 1", err);
    } else {
        t->exit1_before += rc == 1 && strcmp(hex, before) == 0;
        t->exit1_after += rc == 1 && strcmp(hex, after) == 0;
        t->exit0_after += rc == 0;
        const char *want = strcmp(hex, before) == 0 ? after : after_twice;
        free(err);
        err = NULL;
        /* Usable afterwards: importing the file (again) ends as it should. */
        if (run_import(db, file, &err) != 0 || digest_db(db, hex, why, sizeof(why)) < 0 ||
            strcmp(hex, want) != 0)
            fail(m, n, "importing the file after the failure does not end as it should", err);
        else
            passed++;
    }
    free(err);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The default files: tests/data/real/<name>, tests/data being
 * $TS_TEST_DATA or the folder beside this file's. */
static void data_path(char *out, size_t n, const char *name)
{
    const char *d = getenv("TS_TEST_DATA");
    const char *here = __FILE__, *slash = strrchr(here, '/');

    if (d && *d)
        snprintf(out, n, "%s/real/%s", d, name);
    else
        snprintf(out, n, "%.*s/../data/real/%s", slash ? (int)(slash - here) : 1,
                 slash ? here : ".", name);
}

/* Builds base.db (BASE imported) and its digest, and ref.db (then FILE)
 * and its digest; counts the operations of FILE's import per mode. */
static int setup(const char *base, const char *file, long ops[M_COUNT])
{
    char db[600], ref[600], why[300], *err = NULL;

    snprintf(db, sizeof(db), "%s/base.db", work);
    snprintf(ref, sizeof(ref), "%s/ref.db", work);
    if (run_import(db, base, &err) != 0) {
        printf("iofault: cannot import %s: %s", base, err);
        free(err);
        return -1;
    }
    free(err);
    if (digest_db(db, before, why, sizeof(why)) < 0) {
        printf("iofault: base database: %s\n", why);
        return -1;
    }
    for (int m = 0; m < M_COUNT; m++) {
        remove_db(ref);
        if (copy_file(db, ref) < 0)
            return -1;
        F = (struct fault_state){.armed = 1, .mode = (enum mode)m};
        int rc = run_import(ref, file, &err);
        F.armed = 0;
        ops[m] = F.count;
        if (rc != 0) {
            printf("iofault: cannot import %s: %s", file, err);
            free(err);
            return -1;
        }
        free(err);
        err = NULL;
    }
    if (digest_db(ref, after, why, sizeof(why)) < 0 || run_import(ref, file, &err) != 0 ||
        digest_db(ref, after_twice, why, sizeof(why)) < 0) {
        printf("iofault: reference database: %s\n", why);
        free(err);
        return -1;
    }
    free(err);
    if (strcmp(before, after) == 0) {
        printf("iofault: importing %s changes nothing: choose another file\n", file);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char base[1024], file[1024];
    long ops[M_COUNT];
    const char *tmp = getenv("TMPDIR");

    setvbuf(stdout, NULL, _IOLBF, 0); /* a long run by hand shows each mode as it ends */
    if (argc != 1 && argc != 3) {
        fprintf(stderr, "usage: %s [BASE FILE]\n", argv[0]);
        return 2;
    }
    if (argc == 3) {
        snprintf(base, sizeof(base), "%s", argv[1]);
        snprintf(file, sizeof(file), "%s", argv[2]);
    } else {
        data_path(base, sizeof(base), "rankings-daily-gap-2025-01.csv");
        data_path(file, sizeof(file), "rankings-daily-2025-01-13_29.csv");
    }
    snprintf(work, sizeof(work), "%s/tokstat-iofault.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(work)) {
        perror("mkdtemp");
        return 1;
    }
    setenv("NO_COLOR", "1", 1);
    setenv("TZ", "UTC", 1);
    fault_vfs_install();
    if (setup(base, file, ops) < 0) {
        failed++;
    } else {
        for (int m = 0; m < M_COUNT; m++) {
            struct tally t = {0, 0, 0};
            long f0 = failed;
            double t0 = now_s();
            for (long n = 1; n <= ops[m] + 1; n++)
                run_one((enum mode)m, n, file, &t);
            printf("iofault: %-5s N = 1..%ld: exit 1 and before %ld, exit 1 and after %ld, exit 0 "
                   "and after %ld, failed %ld (%.1f s)\n",
                   mode_names[m], ops[m] + 1, t.exit1_before, t.exit1_after, t.exit0_after,
                   failed - f0, now_s() - t0);
        }
    }
    char db[600];
    const char *names[] = {"base.db", "ref.db", "t.db"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(db, sizeof(db), "%s/%s", work, names[i]);
        remove_db(db);
    }
    rmdir(work);
    printf("iofault: %ld passed, %ld failed\n", passed, failed);
    return failed ? 1 : 0;
}
