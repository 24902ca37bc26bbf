/* err.h - the error value every lower layer fills instead of printing.
 *
 * Lower layers return 0 on success and -1 on error, after filling a
 * caller-owned struct ts_err. Only cli.c and cmd_*.c print it. */
#ifndef TOKSTAT_CORE_ERR_H
#define TOKSTAT_CORE_ERR_H

#define TS_ERR_MSG_MAX 512

struct ts_err {
    char msg[TS_ERR_MSG_MAX]; /* lower-case, no full stop, subject in quotes */
    long line;                /* 1-based line in the input, 0 when unknown */
    long col;                 /* 1-based column, 0 when unknown */
};

#define TS_ERR_INIT                                                                                \
    {                                                                                              \
        {0}, 0, 0                                                                                  \
    }

/* Sets the message (printf-style) and clears line and column. Returns -1. */
int ts_err_set(struct ts_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the message and the place in the input. Returns -1. */
int ts_err_at(struct ts_err *err, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Puts prefix in front of the message (cut to fit). Returns -1. */
int ts_err_prefix(struct ts_err *err, const char *prefix);

/* Clears the error. */
void ts_err_clear(struct ts_err *err);

#endif
