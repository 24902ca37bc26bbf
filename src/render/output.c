/* output.c - standard output, or a file written beside its final path and
 * renamed into place.
 *
 * A regular file (or a new one) is written to "<dir>/.<base>.XXXXXX" and
 * renamed over path by output_commit, after fflush, ferror, fsync and
 * fclose all succeeded; on any failure the temporary file is removed and
 * the old file is untouched. A symbolic link is followed (the file it names
 * is replaced, the link stays). Something that is not a regular file, such
 * as /dev/null or a FIFO, cannot be replaced by a rename: it is opened and
 * written directly. A directory is an error. */
#define _XOPEN_SOURCE 700 /* realpath */

#include "render/output.h"

#include <errno.h>
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

/* Opens target (path as the user gave it, for messages) for writing in
 * place: for files that are not regular. */
static int open_direct(struct output *o, char *target, const char *path, struct ts_err *err)
{
    FILE *fp = fopen(target, "w");

    if (!fp) {
        int e = errno;
        free(target);
        return open_error(path, e, err);
    }
    o->fp = fp;
    o->path = target;
    return 0;
}

int output_open(struct output *o, const char *path, FILE *stdout_fp, struct ts_err *err)
{
    struct stat st;
    char *target;
    int e;

    o->fp = NULL;
    o->path = NULL;
    o->tmp = NULL;
    if (!path) {
        o->fp = stdout_fp;
        return 0;
    }
    if (*path == '\0')
        return open_error(path, ENOENT, err);

    /* The file to replace: through a symbolic link, the file it names. */
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            return open_error(path, errno, err);
        target = xstrdup(real);
        free(real);
    } else {
        target = xstrdup(path);
    }
    if (stat(target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            free(target);
            return open_error(path, EISDIR, err);
        }
        if (!S_ISREG(st.st_mode))
            return open_direct(o, target, path, err);
    }

    char *tmp = tmp_template(target);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        e = errno;
        goto fail;
    }
    /* mkstemp makes the file 0600; give it the mode a new file gets. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        e = errno;
        goto fail_fd;
    }
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        e = errno;
        goto fail_fd;
    }
    o->fp = fp;
    o->path = target;
    o->tmp = tmp;
    return 0;

fail_fd:
    close(fd);
    unlink(tmp);
fail:
    free(tmp);
    free(target);
    return open_error(path, e, err);
}

/* Removes the temporary file after a failure. */
static void discard(struct output *o)
{
    if (o->tmp) {
        unlink(o->tmp);
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
    if (!o->path) {                /* standard output: the caller's stream stays open */
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
    if (e) {
        discard(o);
        return open_error(o->path, e, err); /* "cannot write 'FILE': ..." */
    }
    if (o->tmp) {
        if (rename(o->tmp, o->path) != 0) {
            e = errno;
            discard(o);
            return open_error(o->path, e, err);
        }
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
