/* output.h - where a report goes: standard output, or --output FILE
 * written to a temporary file beside FILE and renamed into place, so that
 * a reader never sees a half-written file and a failed run leaves the old
 * file untouched. */
#ifndef TOKSTAT_RENDER_OUTPUT_H
#define TOKSTAT_RENDER_OUTPUT_H

#include <stdio.h>

#include "core/err.h"

struct output {
    FILE *fp;   /* where to write */
    char *path; /* the final path, NULL for standard output */
    char *tmp;  /* the temporary file beside it */
};

#define OUTPUT_INIT                                                                                \
    {                                                                                              \
        NULL, NULL, NULL                                                                           \
    }

/* Opens path (NULL: use stdout_fp). The temporary file gets the mode a new
 * file would get under the user's umask. */
int output_open(struct output *o, const char *path, FILE *stdout_fp, struct ts_err *err);

/* Flushes, checks for write errors, and renames the temporary file into
 * place. On any error removes the temporary file and fills err
 * ("write error: No space left on device"). */
int output_commit(struct output *o, struct ts_err *err);

/* Makes the folder dir and the folders above it that are missing (mode
 * 0777 less the umask), as mkdir -p does; an existing folder is fine.
 * Returns 0, or -1 with err "cannot make the folder 'DIR': REASON". */
int output_dir(const char *dir, struct ts_err *err);

/* Removes the temporary file, if any; safe after commit and on OUTPUT_INIT. */
void output_release(struct output *o);

#endif
