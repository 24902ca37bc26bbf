/* output.h - where a report goes: standard output, or --output FILE
 * written to a temporary file beside FILE and renamed into place, so that
 * a reader never sees a half-written file and a failed run leaves the old
 * file untouched.
 *
 * "-" and "/dev/stdout" are standard output. FILE is only ever a regular
 * file, replaced with its mode kept, or a special file such as /dev/null
 * written in place; a symbolic link is refused, never followed. The
 * temporary file is removed on failure and when SIGINT, SIGTERM or SIGHUP
 * end the program (one --output at a time). */
#ifndef TOKSTAT_RENDER_OUTPUT_H
#define TOKSTAT_RENDER_OUTPUT_H

#include <stdio.h>

#include "core/err.h"

struct output {
    FILE *fp;   /* where to write */
    char *path; /* the final path, NULL for standard output */
    char *tmp;  /* the temporary file beside it */
    int errnum; /* after a failed output_commit: its errno (EPIPE: the reader went away) */
};

#define OUTPUT_INIT                                                                                \
    {                                                                                              \
        NULL, NULL, NULL, 0                                                                        \
    }

/* Whether --output path means standard output: no path, "-" or
 * "/dev/stdout". */
int output_is_stdout(const char *path);

/* Opens path (standard output: use stdout_fp). The temporary file gets
 * the mode of the file it replaces, or the mode a new file would get
 * under the user's umask. */
int output_open(struct output *o, const char *path, FILE *stdout_fp, struct ts_err *err);

/* Flushes, checks for write errors, and renames the temporary file into
 * place. On any error removes the temporary file, sets errnum and fills
 * err ("write error: No space left on device" for standard output,
 * "cannot write 'FILE': ..." for a file). */
int output_commit(struct output *o, struct ts_err *err);

/* Makes the folder dir and the folders above it that are missing (mode
 * 0777 less the umask), as mkdir -p does; an existing folder is fine.
 * Returns 0, or -1 with err "cannot make the folder 'DIR': REASON". */
int output_dir(const char *dir, struct ts_err *err);

/* Removes the temporary file, if any; safe after commit and on OUTPUT_INIT. */
void output_release(struct output *o);

#endif
