/* err.c - filling struct ts_err. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void err_vset(struct ts_err *err, const char *fmt, va_list ap)
{
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int ts_err_set(struct ts_err *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err_vset(err, fmt, ap);
    va_end(ap);
    err->line = 0;
    err->col = 0;
    return -1;
}

int ts_err_at(struct ts_err *err, long line, long col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err_vset(err, fmt, ap);
    va_end(ap);
    err->line = line;
    err->col = col;
    return -1;
}

void ts_err_clear(struct ts_err *err)
{
    err->msg[0] = '\0';
    err->line = 0;
    err->col = 0;
}

int ts_err_prefix(struct ts_err *err, const char *prefix)
{
    size_t plen = strlen(prefix), mlen = strlen(err->msg);

    if (plen >= sizeof(err->msg))
        plen = sizeof(err->msg) - 1;
    if (plen + mlen >= sizeof(err->msg))
        mlen = sizeof(err->msg) - 1 - plen;
    memmove(err->msg + plen, err->msg, mlen);
    memcpy(err->msg, prefix, plen);
    err->msg[plen + mlen] = '\0';
    return -1;
}
