/* output.c - standard output, or a file written beside its final path and
 * renamed into place.
 *
 * No path, "-" and "/dev/stdout" are standard output (the stream the
 * caller gives): never a file to replace, whatever fd 1 is. A regular file
 * (or a new one) is written to "<dir>/.<base>.XXXXXX" and renamed over path
 * by output_commit, after fflush, ferror, fsync and fclose all succeeded;
 * the new file gets the old one's mode (a new one the mode the umask
 * gives). On any failure the temporary file is removed and the old file is
 * untouched; SIGINT, SIGTERM and SIGHUP remove it too before they end the
 * program. A symbolic link is refused, never followed: the final path is
 * treated as open(O_NOFOLLOW) treats it (a rename replaces the name itself,
 * never what a link there names). Something else that is not a regular
 * file, such as /dev/null or a FIFO, cannot be replaced by a rename: it is
 * opened with O_NOFOLLOW and written directly. A directory is an error. */
#include "render/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/util.h"

static int open_error(const char *path, int e, struct ts_err *err)
{
    return ts_err_set(err, "cannot write '%s': %s", path, strerror(e));
}

/* ---- removing the temporary file when a signal ends the program ---- */

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof(cleanup_signals) / sizeof(cleanup_signals[0]))

/* The temporary file being written (one at a time), for the handler. */
static const char *volatile pending_tmp;
static struct sigaction saved[NSIGNALS];
static int installed[NSIGNALS];

static void on_signal(int sig)
{
    const char *tmp = pending_tmp;

    if (tmp)
        unlink(tmp);
    /* Then die of the signal as if there had been no handler. */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Blocks (or unblocks) the signals, so that pending_tmp and the handlers
 * change as one step. */
static void block_signals(int block, sigset_t *old)
{
    sigset_t set;

    sigemptyset(&set);
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaddset(&set, cleanup_signals[i]);
    if (block)
        sigprocmask(SIG_BLOCK, &set, old);
    else
        sigprocmask(SIG_SETMASK, old, NULL);
}

/* Removes tmp if a signal ends the program before cleanup_disarm. A
 * signal the program was started with ignored (nohup) stays ignored. */
static void cleanup_arm(const char *tmp)
{
    struct sigaction sa;
    sigset_t old;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    block_signals(1, &old);
    pending_tmp = tmp;
    for (size_t i = 0; i < NSIGNALS; i++) {
        installed[i] = sigaction(cleanup_signals[i], NULL, &saved[i]) == 0 &&
                       saved[i].sa_handler != SIG_IGN &&
                       sigaction(cleanup_signals[i], &sa, NULL) == 0;
    }
    block_signals(0, &old);
}

/* The handlers as they were; after this the temporary file is the
 * caller's to remove or to have renamed. */
static void cleanup_disarm(void)
{
    sigset_t old;

    block_signals(1, &old);
    for (size_t i = 0; i < NSIGNALS; i++) {
        if (installed[i])
            sigaction(cleanup_signals[i], &saved[i], NULL);
        installed[i] = 0;
    }
    pending_tmp = NULL;
    block_signals(0, &old);
}

/* ---- opening ---- */

/* "<dir>/.<base>.XXXXXX" for path, in a new string. */
static char *tmp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    struct ts_buf b = TS_BUF_INIT;

    buf_add(&b, path, dirlen);
    buf_printf(&b, ".%s.XXXXXX", base);
    return b.data;
}

/* Opens path, which is not a regular file (/dev/null, a FIFO), for
 * writing in place, never through a symbolic link. */
static int open_direct(struct output *o, const char *path, struct ts_err *err)
{
    struct stat st;
    int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC), e;
    FILE *fp;

    if (fd < 0)
        return open_error(path, errno, err);
    if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode)) {
        /* It became a regular file since lstat: that one is replaced, not
         * written over in place. */
        e = S_ISREG(st.st_mode) ? EAGAIN : errno;
        close(fd);
        return open_error(path, e, err);
    }
    if (!(fp = fdopen(fd, "w"))) {
        e = errno;
        close(fd);
        return open_error(path, e, err);
    }
    o->fp = fp;
    o->path = xstrdup(path);
    return 0;
}

/* The temporary file beside path, with mode; armed for removal on a
 * signal. */
static int open_tmp(struct output *o, const char *path, mode_t mode, struct ts_err *err)
{
    char *tmp = tmp_template(path);
    int fd = mkstemp(tmp), e;
    FILE *fp;

    if (fd < 0) {
        e = errno;
        free(tmp);
        return open_error(path, e, err);
    }
    cleanup_arm(tmp);
    /* mkstemp makes the file 0600. */
    if (fchmod(fd, mode) != 0 || !(fp = fdopen(fd, "w"))) {
        e = errno;
        close(fd);
        unlink(tmp);
        cleanup_disarm();
        free(tmp);
        return open_error(path, e, err);
    }
    o->fp = fp;
    o->path = xstrdup(path);
    o->tmp = tmp;
    return 0;
}

int output_is_stdout(const char *path)
{
    return !path || strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0;
}

int output_open(struct output *o, const char *path, FILE *stdout_fp, struct ts_err *err)
{
    struct stat st;
    mode_t mode;

    o->fp = NULL;
    o->path = NULL;
    o->tmp = NULL;
    o->errnum = 0;
    if (output_is_stdout(path)) {
        o->fp = stdout_fp;
        return 0;
    }
    if (*path == '\0')
        return open_error(path, ENOENT, err);
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode))
            return ts_err_set(err,
                              "cannot write '%s': it is a symbolic link (--output replaces only "
                              "a regular file, never the file a link points to)",
                              path);
        if (S_ISDIR(st.st_mode))
            return open_error(path, EISDIR, err);
        if (!S_ISREG(st.st_mode))
            return open_direct(o, path, err);
        mode = st.st_mode & 07777; /* the replaced file's mode */
    } else if (errno != ENOENT) {
        return open_error(path, errno, err);
    } else {
        mode_t mask = umask(0); /* the mode a new file gets */
        umask(mask);
        mode = 0666 & ~mask;
    }
    return open_tmp(o, path, mode, err);
}

/* ---- finishing ---- */

/* Removes the temporary file after a failure. */
static void discard(struct output *o)
{
    if (o->tmp) {
        unlink(o->tmp);
        cleanup_disarm();
        free(o->tmp);
        o->tmp = NULL;
    }
}

int output_commit(struct output *o, struct ts_err *err)
{
    int e = 0, before = errno;

    if (!o->fp)
        return 0; /* committed already */
    errno = 0;
    if (fflush(o->fp) != 0)
        e = errno ? errno : EIO;
    else if (ferror(o->fp))
        e = before ? before : EIO; /* an earlier write failed: the errno it left, if any */
    o->errnum = e;
    if (!o->path) { /* standard output: the caller's stream stays open */
        if (e) {
            clearerr(o->fp); /* reported here, once */
            return ts_err_set(err, "write error: %s", strerror(e));
        }
        return 0;
    }
    if (!e && o->tmp && fsync(fileno(o->fp)) != 0)
        e = errno;
    errno = 0;
    if (fclose(o->fp) != 0 && !e)
        e = errno ? errno : EIO;
    o->fp = NULL;
    o->errnum = e;
    if (e) {
        discard(o);
        return open_error(o->path, e, err); /* "cannot write 'FILE': ..." */
    }
    if (o->tmp) {
        if (rename(o->tmp, o->path) != 0) {
            e = o->errnum = errno;
            discard(o);
            return open_error(o->path, e, err);
        }
        cleanup_disarm();
        free(o->tmp);
        o->tmp = NULL;
    }
    return 0;
}

int output_dir(const char *dir, struct ts_err *err)
{
    struct stat st;
    char *path;
    int rc = 0;

    if (*dir == '\0')
        return ts_err_set(err, "cannot make the folder '': %s", strerror(ENOENT));
    /* Each folder above it, then dir itself (p at its end). */
    path = xstrdup(dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            rc = ts_err_set(err, "cannot make the folder '%s': %s", path, strerror(errno));
            break;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    free(path);
    if (rc == 0 && stat(dir, &st) != 0)
        rc = ts_err_set(err, "cannot make the folder '%s': %s", dir, strerror(errno));
    else if (rc == 0 && !S_ISDIR(st.st_mode))
        rc = ts_err_set(err, "cannot make the folder '%s': %s", dir, strerror(ENOTDIR));
    return rc;
}

void output_release(struct output *o)
{
    if (o->fp && o->path)
        fclose(o->fp); /* abandoned: errors do not matter any more */
    o->fp = NULL;
    discard(o);
    free(o->path);
    o->path = NULL;
}
