/* json_internal.h - what the JSON importers share, and nothing else may
 * use: the place of a value and the messages about it, token counts,
 * prices and dates from JSON values, one object into one record, handing
 * records on (json_record.c); the flat-object fast path of JSON Lines
 * (jsonl.c); and the reader that streams a document element by element
 * (json_stream.c), which whole documents (json_doc.c) try first.
 *
 * Strings handed to the sink are borrowed from the parsed value or the
 * bytes read, and live only during the call. */
#ifndef TOKSTAT_IMPORT_JSON_INTERNAL_H
#define TOKSTAT_IMPORT_JSON_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "import/import.h"

#define WHERE_MAX 64 /* "weeks[123].byModel" and the like */

/* Where a value sits, for messages: a path in a whole document ("data[17]",
 * NULL at the top level) and a line of JSON Lines (0 in whole documents). */
struct place {
    const char *where;
    long line;
};

/* The period of records whose date comes from outside their object (weekly
 * snapshots): the object's own period keys are then ignored. */
struct fixed_period {
    enum ts_period period;
    int32_t date;
};

/* o, or the defaults (IMPORT_OPTS_INIT) when o is NULL. */
const struct import_opts *ji_opts(const struct import_opts *o);

/* ---- json_record.c: places, messages, values, records ---- */

/* Fills err with "<where>: <message>" at the place's line. Returns -1. */
int ji_fail(struct ts_err *err, const struct place *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "NAME[I]" into where (WHERE_MAX bytes), the path of an array
 * element, as snprintf("%s[%zu]") would but without its cost: a streamed
 * document names every element it hands on. */
void ji_where_index(char *where, const char *name, size_t i);

/* "key 'K': expected WHAT, found an array". Returns -1. */
int ji_wrong_type(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                  const char *what);

/* "key 'K': 'V' REASON". Returns -1. */
int ji_bad_value(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                 const char *reason);

/* A token count from a JSON integer, a real (rounded) or a decimal string
 * (a fraction or exponent rounded too). Returns 0, or -1 with err set. */
int ji_count(const json_t *v, const char *key, const struct place *at, int64_t *out,
             struct ts_err *err);

/* A price in USD per token (number or decimal string) as pico-USD per
 * token. A negative price ("-1" in the catalogue) means "no fixed price"
 * and gives TS_ABSENT. Returns 0, or -1 with err set. */
int ji_price(const json_t *v, const char *key, const struct place *at, int64_t *out,
             struct ts_err *err);

/* A "YYYY-MM-DD" string (a time part after it is ignored). Returns 0, or
 * -1 with err set. */
int ji_date(const json_t *v, const char *key, const struct place *at, int32_t *out,
            struct ts_err *err);

/* Turns a JSON object into a record: keys are matched like CSV columns
 * (field_lookup), the lower-priority alias wins when two keys name one
 * field, unknown keys and null values are ignored. With fixed non-NULL the
 * period comes from it and the object's period keys are not looked at.
 * rec->model and rec->where are borrowed from obj and at. */
int ji_record_from_object(json_t *obj, const struct import_opts *o,
                          const struct fixed_period *fixed, const struct place *at,
                          struct ts_record *rec, struct ts_err *err);

/* Hands a record to the sink; a sink error without a line gets the
 * record's. Returns 0 or -1. */
int ji_emit_record(const struct ts_sink *sink, const struct ts_record *rec, struct ts_err *err);

/* Hands v to the sink as the source's as-of time when it is a string. */
void ji_emit_as_of(const struct ts_sink *sink, const json_t *v);

/* ---- json_apps.c: app rankings (openrouter-apps) ---- */

/* Whether v is an element of app rankings' "data" (it has an app_id). */
int ji_looks_like_app(const json_t *v);

/* {"data":[{app_id, app_name, rank, total_requests, total_tokens}...],
 * "meta":{as_of, start_date, end_date}}: each app to the sink as a weekly
 * observation of the ISO week meta's window must be. Returns 0 or -1. */
int ji_import_apps(json_t *root, const struct import_opts *o, const struct ts_sink *sink,
                   struct ts_err *err);

/* ---- jsonl.c: the flat-object fast path ---- */

/* A record from the bytes line[0..len) when they are one flat object
 * (plain strings, integers from 0 up, null) that makes a valid record; the
 * slug's closing quote in line becomes its NUL. Returns 1, or 0 when the
 * full parser is to read the bytes (rec is then undefined). */
int ji_flat_record(char *line, size_t len, const struct import_opts *o, long lineno,
                   struct ts_record *rec);

/* ---- json_stream.c: documents read element by element ---- */

/* The bytes of a document read so far, and where the reader is in them. */
struct ji_stream {
    struct ts_input *in;
    char *buf; /* bytes read and kept */
    size_t len, cap;
    size_t pos;       /* the next byte to look at */
    size_t mark;      /* the start of the value being read: bytes before it may go */
    int keep_all;     /* keep every byte (before the first record) */
    long line, col;   /* jansson's position after the byte before pos */
    long line0, col0; /* the position before the value at mark */
    int eof, failed;  /* end of input; a read error (in->error) */
    size_t taken;     /* elements streamed */
};

void ji_stream_init(struct ji_stream *s, struct ts_input *in);
void ji_stream_release(struct ji_stream *s); /* safe after ji_stream_init */

/* Reads the start of a bare array or of {"data":[ and the array's first
 * element. Returns that element (a new reference) when it is an object,
 * with *in_object set for {"data":[; else NULL, having consumed nothing
 * that ji_stream_load will not give to jansson. */
json_t *ji_stream_first(struct ji_stream *s, int *in_object);

/* Hands on the records of the array whose first element ji_stream_first
 * returned (first is stolen), one element at a time, then reads the rest
 * of the document: the top-level object's other keys ("meta" gives the
 * as-of time) and the end of input. Elements are named "data[i]" (or
 * "[i]"). Adds the number of elements read to *o->fast_taken when that is
 * set. Returns 0, or -1 with err set. */
int ji_stream_records(struct ji_stream *s, json_t *first, int in_object,
                      const struct import_opts *o, const struct ts_sink *sink, struct ts_err *err);

/* The whole document (a new reference), parsed by jansson from the bytes
 * the stream kept and then the rest of the input; NULL with err set. */
json_t *ji_stream_load(struct ji_stream *s, struct ts_err *err);

#endif
