/* csv_read.c - CSV usage dumps: separator detection, header aliases,
 * streaming through libcsv.
 *
 * The input is read in chunks and handed to libcsv at most one physical
 * line at a time, so that the line on which each row starts is known even
 * when quoted fields hold newlines. The fields of the current row that map
 * to a known column are copied into one reused buffer; nothing is allocated
 * per row, and libcsv's own field buffer is capped, so memory stays bounded
 * whatever the size of the input. */
#include "import/import.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/week.h"

#define CSV_FIELD_MAX (1024 * 1024) /* longest field accepted, in bytes */
#define CSV_BLK_SIZE  4096          /* libcsv's field buffer grows by this */
#define CSV_NAME_MAX  40            /* column names kept for messages */
#define CSV_VALUE_MAX 40            /* values quoted in messages are cut here */

/* The state shared by the libcsv callbacks of one import. */
struct csv_ctx {
    const struct ts_sink *sink;
    struct ts_err *err;
    int forced_period; /* o->period: -1, TS_DAY or TS_WEEK */
    int fast;          /* lines without quotes may take the fast path */
    int failed;        /* an error is in err: callbacks do nothing more */

    /* Where libcsv is in the input (see csv_feed). */
    long line;         /* physical line of the next byte fed, 1-based */
    int at_line_start; /* the next byte fed starts a physical line */
    int in_quotes;     /* the next byte fed is inside a quoted field */
    int after_cr;      /* the last byte fed was a '\r' that ended a line */
    long row_line;     /* line on which the current row started */

    /* The header. */
    int have_header;
    size_t ncols;                           /* number of header columns */
    long col_of[TS_F_COUNT];                /* column index of each field, -1 none */
    char name_of[TS_F_COUNT][CSV_NAME_MAX]; /* that column's name as written */
    enum ts_field period_field;             /* TS_F_WEEK, else TS_F_DAY */
    enum ts_period period;                  /* what the records get */

    /* The current row: mapped fields' values, each NUL-terminated in row. */
    size_t col;   /* index of the next field */
    int nonempty; /* some field of the row is not empty */
    size_t off[TS_F_COUNT];
    size_t len[TS_F_COUNT];
    struct ts_buf row;

    struct ts_buf msg; /* scratch for values quoted in messages */
    size_t rows;       /* data rows handed to the sink */
    size_t taken;      /* lines the fast path read */
};

static void csv_ctx_init(struct csv_ctx *c, const struct import_opts *o, const struct ts_sink *sink,
                         struct ts_err *err)
{
    memset(c, 0, sizeof(*c));
    c->sink = sink;
    c->err = err;
    c->forced_period = o ? o->period : -1;
    c->fast = !(o && o->full_parsers);
    c->line = 1;
    c->at_line_start = 1;
    c->row_line = 1;
    for (int f = 0; f < TS_F_COUNT; f++)
        c->col_of[f] = -1;
}

static void csv_ctx_release(struct csv_ctx *c)
{
    buf_release(&c->row);
    buf_release(&c->msg);
}

/* The separator of the header line (the first line that is not empty, up to
 * a newline outside quotes): the most frequent of ',' ';' and tab outside
 * quotes, ',' on a tie or when there is none. Peeking consumes nothing. */
static unsigned char csv_detect_sep(struct ts_input *in)
{
    size_t len = 0;
    const char *s = input_peek(in, INPUT_PEEK_MAX, &len);
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    size_t i = 0;

    while (s && i < len && (s[i] == '\r' || s[i] == '\n'))
        i++; /* libcsv skips empty lines before the header too */
    for (; s && i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (s[i] == '\n' || s[i] == '\r')
            break;
        else if (s[i] == ',')
            comma++;
        else if (s[i] == ';')
            semi++;
        else if (s[i] == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Narrows s[0..*len) to its text without surrounding blanks. */
static const char *csv_trim(const char *s, size_t *len)
{
    size_t n = *len;

    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* Fails the import with "column 'NAME': 'VALUE' REASON" at the row's line. */
static void csv_bad_value(struct csv_ctx *c, enum ts_field f, const char *reason)
{
    buf_reset(&c->msg);
    buf_add(&c->msg, "", 0); /* a message for an empty value needs data */
    ts_quote_for_msg(&c->msg, c->row.data + c->off[f], c->len[f], CSV_VALUE_MAX);
    ts_err_at(c->err, c->row_line, 0, "column '%s': '%s' %s", c->name_of[f], c->msg.data, reason);
    c->failed = 1;
}

/* A header cell: remember the column if it names a field. Two columns
 * that name one field ("tokens" and "total_tokens", or "date" twice) are
 * refused: which of them holds the figures is not for tokstat to guess. */
static void csv_header_field(struct csv_ctx *c, const char *s, size_t len)
{
    enum ts_field f = field_lookup(s, len, NULL);
    char name[CSV_NAME_MAX];

    if (f == TS_F_NONE)
        return;
    s = csv_trim(s, &len);
    if (len >= CSV_NAME_MAX)
        len = CSV_NAME_MAX - 1;
    memcpy(name, s, len);
    name[len] = '\0';
    if (c->col_of[f] >= 0) {
        buf_reset(&c->msg);
        ts_quote_for_msg(&c->msg, name, len, CSV_VALUE_MAX);
        ts_err_at(c->err, c->row_line, 0,
                  "columns %ld '%s' and %zu '%s' both give %s (expected one column for each)",
                  c->col_of[f] + 1, c->name_of[f], c->col + 1, c->msg.data, field_title(f));
        c->failed = 1;
        return;
    }
    c->col_of[f] = (long)c->col;
    memcpy(c->name_of[f], name, len + 1);
}

/* The header is complete: check that the required columns are there and
 * decide the period of the records. */
static void csv_header_end(struct csv_ctx *c)
{
    const long *col_of = c->col_of;

    c->ncols = c->col;
    if (col_of[TS_F_MODEL] < 0) {
        ts_err_at(c->err, c->row_line, 0,
                  "no model column (expected one of model, model_permaslug, slug, model_id)");
        goto fail;
    }
    if (col_of[TS_F_WEEK] >= 0) {
        /* A week column wins over a date column, which is then ignored. */
        c->period_field = TS_F_WEEK;
        c->col_of[TS_F_DAY] = -1;
    } else if (col_of[TS_F_DAY] >= 0) {
        c->period_field = TS_F_DAY;
    } else {
        ts_err_at(c->err, c->row_line, 0,
                  "no period column (expected one of date, day, week, week_start)");
        goto fail;
    }
    if (col_of[TS_F_TOTAL] < 0 && (col_of[TS_F_PROMPT] < 0 || col_of[TS_F_COMPLETION] < 0)) {
        ts_err_at(c->err, c->row_line, 0,
                  "no token column (expected total_tokens or tokens, or prompt_tokens and "
                  "completion_tokens)");
        goto fail;
    }
    if (c->forced_period >= 0)
        c->period = c->forced_period == TS_WEEK ? TS_WEEK : TS_DAY;
    else
        c->period = c->period_field == TS_F_WEEK ? TS_WEEK : TS_DAY;
    c->have_header = 1;
    return;
fail:
    c->failed = 1;
}

/* A token count of the current row into *out. A column the header lacks, or
 * an empty value when the count is optional, gives TS_ABSENT. */
static int csv_count(struct csv_ctx *c, enum ts_field f, int required, int64_t *out)
{
    *out = TS_ABSENT;
    if (c->col_of[f] < 0)
        return 0;
    enum ts_num r = ts_parse_count(c->row.data + c->off[f], c->len[f], 0, out);
    if (r == TS_NUM_OK)
        return 0;
    *out = TS_ABSENT;
    if (r == TS_NUM_EMPTY && !required)
        return 0;
    csv_bad_value(c, f, ts_num_reason(r));
    return -1;
}

/* A price of the current row (pico-USD per token); empty is TS_ABSENT. */
static int csv_price(struct csv_ctx *c, enum ts_field f, int64_t *out)
{
    *out = TS_ABSENT;
    if (c->col_of[f] < 0)
        return 0;
    enum ts_num r = ts_parse_price(c->row.data + c->off[f], c->len[f], out);
    switch (r) {
    case TS_NUM_OK:
        return 0;
    case TS_NUM_EMPTY:
        *out = TS_ABSENT;
        return 0;
    case TS_NUM_NEGATIVE:
        csv_bad_value(c, f, "is negative (expected a price >= 0)");
        break;
    case TS_NUM_RANGE:
        csv_bad_value(c, f, "is too large for a price (expected USD per token)");
        break;
    default:
        csv_bad_value(c, f, "is not a price");
        break;
    }
    *out = TS_ABSENT;
    return -1;
}

/* A data row is complete: check it, turn it into a record, hand it on. */
static void csv_row_end(struct csv_ctx *c)
{
    struct ts_record rec;

    if (c->col != c->ncols) {
        ts_err_at(c->err, c->row_line, 0, "expected %zu fields, found %zu", c->ncols, c->col);
        c->failed = 1;
        return;
    }
    record_init(&rec);
    rec.period = c->period;
    rec.line = c->row_line;

    size_t len = c->len[c->period_field];
    const char *s = csv_trim(c->row.data + c->off[c->period_field], &len);
    if (date_parse(s, len, &rec.date) < 0) {
        csv_bad_value(c, c->period_field, "is not a date (expected YYYY-MM-DD)");
        return;
    }
    if (!date_in_data_range(rec.date)) {
        csv_bad_value(c, c->period_field, "is out of range (expected " TS_DATA_RANGE_TEXT ")");
        return;
    }

    /* The slug as written but without surrounding blanks, NUL-terminated in
     * place so that the sink may also treat it as a string. */
    len = c->len[TS_F_MODEL];
    s = csv_trim(c->row.data + c->off[TS_F_MODEL], &len);
    if (len == 0) {
        ts_err_at(c->err, c->row_line, 0, "column '%s': empty model slug", c->name_of[TS_F_MODEL]);
        c->failed = 1;
        return;
    }
    c->row.data[(size_t)(s - c->row.data) + len] = '\0';
    rec.model = s;
    rec.model_len = len;

    /* Without a total column, prompt and completion are required and the
     * total is their sum. */
    int derive = c->col_of[TS_F_TOTAL] < 0;
    if (csv_count(c, TS_F_TOTAL, 1, &rec.total) < 0 ||
        csv_count(c, TS_F_PROMPT, derive, &rec.prompt) < 0 ||
        csv_count(c, TS_F_COMPLETION, derive, &rec.completion) < 0 ||
        csv_count(c, TS_F_REASONING, 0, &rec.reasoning) < 0 ||
        csv_count(c, TS_F_CACHED, 0, &rec.cached) < 0 ||
        csv_count(c, TS_F_REQUESTS, 0, &rec.requests) < 0 ||
        csv_price(c, TS_F_PROMPT_PRICE, &rec.prompt_price) < 0 ||
        csv_price(c, TS_F_COMPLETION_PRICE, &rec.completion_price) < 0)
        return;
    if (derive) {
        if (rec.prompt > INT64_MAX - rec.completion) {
            ts_err_at(c->err, c->row_line, 0, "column '%s' + '%s': '%lld + %lld' %s",
                      c->name_of[TS_F_PROMPT], c->name_of[TS_F_COMPLETION], (long long)rec.prompt,
                      (long long)rec.completion, ts_num_reason(TS_NUM_RANGE));
            c->failed = 1;
            return;
        }
        rec.total = rec.prompt + rec.completion;
    }

    c->rows++;
    if (c->sink->record(c->sink->ctx, &rec, c->err) < 0) {
        if (c->err->line == 0)
            c->err->line = c->row_line;
        c->failed = 1;
    }
}

/* libcsv's field callback: a field of the current row is complete. */
static void csv_on_field(void *data, size_t len, void *ctx)
{
    struct csv_ctx *c = ctx;

    if (c->failed)
        return;
    if (len > 0)
        c->nonempty = 1;
    if (!c->have_header) {
        csv_header_field(c, data, len);
    } else {
        for (int f = 0; f < TS_F_COUNT; f++) {
            if (c->col_of[f] == (long)c->col) {
                c->off[f] = c->row.len;
                c->len[f] = len;
                buf_add(&c->row, data, len);
                buf_addc(&c->row, '\0');
                break; /* a column names one field */
            }
        }
    }
    c->col++;
}

/* libcsv's row callback: the current row is complete (term is the '\r' or
 * '\n' that ended it, or -1 at the end of the input). Rows whose fields are
 * all empty are skipped, wherever they are. */
static void csv_on_row(int term, void *ctx)
{
    struct csv_ctx *c = ctx;

    (void)term;
    if (c->failed)
        return;
    if (c->nonempty) {
        if (!c->have_header)
            csv_header_end(c);
        else
            csv_row_end(c);
    }
    c->col = 0;
    c->nonempty = 0;
    buf_reset(&c->row);
}

/* Fills err for a libcsv parse error in the current row. */
static int csv_parse_error(struct csv_parser *p, struct csv_ctx *c)
{
    int e = csv_error(p);

    c->failed = 1;
    if (e == CSV_EPARSE) /* in strict mode, always a misplaced quote */
        return ts_err_at(c->err, c->row_line, 0, "malformed CSV (unexpected quote in field %zu)",
                         c->col + 1);
    return ts_err_at(c->err, c->row_line, 0, "malformed CSV (%s)", csv_strerror(e));
}

/* The fast path: a whole line without quotes or a CR before its end, that
 * starts a row, split here as libcsv splits it (each field without its
 * surrounding blanks; a line of nothing but blanks is no row) and handed to
 * the same callbacks. Dumps are made of such lines; libcsv reads any other.
 * Tab-separated files always go to libcsv (a tab is a blank to it too).
 * s[0..n) ends with its '\n'. Returns 1 when the line was read here. */
static int csv_line_fast(struct csv_ctx *c, unsigned char delim, const char *s, size_t n)
{
    n--;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (delim == '\t' || n > CSV_FIELD_MAX || memchr(s, '"', n) || memchr(s, '\r', n))
        return 0;
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    if (i < n) {
        for (const char *f = s, *end = s + n;;) {
            const char *d = memchr(f, delim, (size_t)(end - f));
            size_t len = (size_t)((d ? d : end) - f);
            const char *t = csv_trim(f, &len);
            csv_on_field((void *)(uintptr_t)t, len, c);
            if (!d)
                break;
            f = d + 1;
        }
        csv_on_row('\n', c);
    }
    c->taken++;
    return 1;
}

/* The end of the physical line that starts at buf[pos]: the index after
 * its '\n', '\r\n' or lone '\r' (old Mac files end lines so), or n when
 * it goes on past the chunk. *newline is set when a line end was found;
 * quotes are counted on the way. */
static size_t csv_line_end(struct csv_ctx *c, const char *buf, size_t pos, size_t n, int *newline)
{
    *newline = 0;
    while (pos < n) {
        char ch = buf[pos++];
        if (ch == '"') {
            c->in_quotes = !c->in_quotes;
        } else if (ch == '\n' || ch == '\r') {
            /* A '\r' that ends the chunk may have its '\n' in the next. */
            c->after_cr = ch == '\r' && pos == n;
            if (ch == '\r' && pos < n && buf[pos] == '\n')
                pos++;
            *newline = 1;
            break;
        }
    }
    return pos;
}

/* Feeds buf[0..n) to libcsv one physical line at a time. Before each line
 * that starts outside quotes, no row is in progress (libcsv ended it at the
 * previous unquoted line end), so any row that begins there begins on this
 * line. Counting quotes is enough to follow libcsv's quoting because strict
 * mode rejects every quote that does not open, close or double. A line
 * ends at '\n', '\r\n' or a lone '\r', as libcsv ends rows. */
static int csv_feed(struct csv_parser *p, struct csv_ctx *c, const char *buf, size_t n)
{
    size_t pos = 0;

    while (pos < n) {
        size_t end;
        int newline;

        if (c->after_cr) { /* a '\r' ended the last chunk: its '\n' is no new line */
            c->after_cr = 0;
            if (buf[pos] == '\n') {
                if (csv_parse(p, buf + pos, 1, csv_on_field, csv_on_row, c) != 1)
                    return csv_parse_error(p, c);
                pos++;
                continue;
            }
        }
        if (c->at_line_start && !c->in_quotes) {
            c->row_line = c->line;
            const char *nl = c->fast ? memchr(buf + pos, '\n', n - pos) : NULL;
            if (nl && csv_line_fast(c, csv_get_delim(p), buf + pos, (size_t)(nl - buf) + 1 - pos)) {
                if (c->failed)
                    return -1;
                c->line++;
                pos = (size_t)(nl - buf) + 1;
                continue;
            }
        }
        end = csv_line_end(c, buf, pos, n, &newline);
        if (csv_parse(p, buf + pos, end - pos, csv_on_field, csv_on_row, c) != end - pos)
            return csv_parse_error(p, c);
        if (c->failed)
            return -1;
        if (csv_get_buffer_size(p) > CSV_FIELD_MAX) {
            c->failed = 1;
            return ts_err_at(c->err, c->row_line, 0, "field too long (more than %d bytes)",
                             CSV_FIELD_MAX);
        }
        if (newline)
            c->line++;
        c->at_line_start = newline;
        pos = end;
    }
    return 0;
}

int import_csv(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
               enum ts_format *shape, struct ts_err *err)
{
    struct csv_parser p;
    struct csv_ctx c;
    int parser_ready = 0;
    int rc = -1;

    csv_ctx_init(&c, o, sink, err);
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        ts_err_set(err, "cannot set up the CSV parser");
        goto cleanup;
    }
    parser_ready = 1;
    csv_set_delim(&p, csv_detect_sep(in));
    /* Out of memory is fatal in one place (xrealloc), not a parse error. */
    csv_set_realloc_func(&p, xrealloc);
    csv_set_free_func(&p, free);
    csv_set_blk_size(&p, CSV_BLK_SIZE);

    for (;;) {
        const char *chunk;
        ssize_t n = input_next(in, &chunk);
        if (n < 0) {
            ts_err_set(err, "read error: %s", strerror(in->error));
            goto cleanup;
        }
        if (n == 0)
            break;
        if (csv_feed(&p, &c, chunk, (size_t)n) < 0)
            goto cleanup;
    }
    /* Ends a last row without a newline; fails inside an open quote. */
    if (csv_fini(&p, csv_on_field, csv_on_row, &c) != 0) {
        ts_err_at(err, c.row_line, 0, "unterminated quoted field");
        goto cleanup;
    }
    if (c.failed)
        goto cleanup;
    if (!c.have_header) {
        ts_err_set(err, "empty file (expected a header row)");
        goto cleanup;
    }
    if (c.rows == 0) {
        ts_err_set(err, "no data rows after the header");
        goto cleanup;
    }
    /* Daily rows whose model column has the Data API's own name are its
     * rankings-daily rows saved as CSV: recorded as openrouter-daily, so
     * that reports cite their source. */
    if (c.period_field == TS_F_DAY && strcmp(c.name_of[TS_F_MODEL], "model_permaslug") == 0)
        *shape = TS_FMT_OPENROUTER_DAILY;
    rc = 0;
cleanup:
    if (o && o->fast_taken)
        *o->fast_taken += c.taken;
    if (parser_ready)
        csv_free(&p);
    csv_ctx_release(&c);
    return rc;
}
