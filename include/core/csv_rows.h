/* csv_rows.h - a small CSV file held in memory, read a row at a time with
 * the line each row starts on: for the tables tokstat ships and the ones a
 * user imports beside them (model families). Quoting as RFC 4180 (libcsv
 * in strict mode), a UTF-8 byte order mark skipped, blank lines skipped,
 * CRLF or LF line ends. */
#ifndef TOKSTAT_CORE_CSV_ROWS_H
#define TOKSTAT_CORE_CSV_ROWS_H

#include <stddef.h>

#include "core/err.h"

struct csv_row {
    const char *const *fields; /* n fields, each NUL-terminated; valid during the callback */
    size_t n;
    long line; /* where the row starts, 1-based */
};

/* Calls fn for each row of data[0..len), the header included, in file
 * order; stops at fn's error (-1), which keeps the line fn gave err or
 * gets the row's. Errors of its own: malformed CSV (naming the line), an
 * unterminated quoted field, an empty file. Returns 0 or -1. */
int csv_rows_parse(const char *data, size_t len,
                   int (*fn)(void *ctx, const struct csv_row *row, struct ts_err *err), void *ctx,
                   struct ts_err *err);

/* The index of the first field of header row h named name (ignoring case
 * and surrounding blanks), or -1. */
long csv_rows_column(const struct csv_row *h, const char *name);

/* Field i of row r, or "" when the row is shorter. */
const char *csv_rows_field(const struct csv_row *r, long i);

#endif
