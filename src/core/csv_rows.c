/* csv_rows.c - a CSV file in memory, row by row, through libcsv. */
#include "core/csv_rows.h"

#include <csv.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

struct rows {
    char **fields;
    size_t n, cap;
    long line; /* where the row being read starts */
    long rows; /* rows handed to fn */
    int (*fn)(void *ctx, const struct csv_row *row, struct ts_err *err);
    void *ctx;
    struct ts_err *err;
    int failed;
};

static void on_field(void *data, size_t len, void *p)
{
    struct rows *r = p;

    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->fields = xrealloc(r->fields, r->cap * sizeof(*r->fields));
    }
    r->fields[r->n++] = xstrndup(data ? data : "", data ? len : 0);
}

static void fields_clear(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->fields[i]);
    r->n = 0;
}

static void on_row(int c, void *p)
{
    struct rows *r = p;
    (void)c;

    if (!r->failed && !(r->n == 1 && r->fields[0][0] == '\0')) { /* a blank line: skipped */
        struct csv_row row = {(const char *const *)r->fields, r->n, r->line};
        r->rows++;
        if (r->fn(r->ctx, &row, r->err) < 0) {
            if (r->err->line == 0)
                r->err->line = r->line;
            r->failed = 1;
        }
    }
    fields_clear(r);
}

int csv_rows_parse(const char *data, size_t len,
                   int (*fn)(void *ctx, const struct csv_row *row, struct ts_err *err), void *ctx,
                   struct ts_err *err)
{
    struct csv_parser p;
    struct rows r;
    size_t pos = 0;
    long line = 0;
    int quoted = 0; /* the lines so far end inside a quoted field */
    int rc = -1;

    memset(&r, 0, sizeof(r));
    r.fn = fn;
    r.ctx = ctx;
    r.err = err;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return ts_err_set(err, "cannot start the CSV parser");
    /* Fed a line at a time, so that a row knows the line it starts on: a
     * line starts a row unless the one before ended inside quotes (an odd
     * number of them so far: "" inside a quoted field counts two). */
    while (pos < len && !r.failed) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        line++;
        if (!quoted)
            r.line = line;
        for (size_t i = 0; i < n; i++)
            quoted ^= data[pos + i] == '"';
        if (csv_parse(&p, data + pos, n, on_field, on_row, &r) != n) {
            ts_err_at(err, line, 0, "malformed CSV (%s)", csv_strerror(csv_error(&p)));
            goto done;
        }
        pos += n;
    }
    if (!r.failed && csv_fini(&p, on_field, on_row, &r) != 0) {
        ts_err_at(err, r.line, 0, "unterminated quoted field");
        goto done;
    }
    if (r.failed)
        goto done;
    if (r.rows == 0) {
        ts_err_set(err, "empty file (expected a header row)");
        goto done;
    }
    rc = 0;
done:
    csv_free(&p);
    fields_clear(&r);
    free(r.fields);
    return rc;
}

long csv_rows_column(const struct csv_row *h, const char *name)
{
    size_t want = strlen(name);

    for (size_t i = 0; i < h->n; i++) {
        const char *f = h->fields[i];
        size_t len = strlen(f);
        while (len > 0 && isspace((unsigned char)*f)) {
            f++;
            len--;
        }
        while (len > 0 && isspace((unsigned char)f[len - 1]))
            len--;
        if (len == want && strncasecmp(f, name, len) == 0)
            return (long)i;
    }
    return -1;
}

const char *csv_rows_field(const struct csv_row *r, long i)
{
    return i >= 0 && (size_t)i < r->n ? r->fields[i] : "";
}
