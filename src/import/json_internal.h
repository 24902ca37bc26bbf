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

/* The most bytes of one JSON value that is read whole (an element of a
 * streamed array, a value beside it, a document that is not streamed), and
 * the most of a document's start kept in case it must be read again. A
 * jansson tree takes about eight times its text: a value of 16 MiB, a
 * tree of some 130 MB. */
#define JI_VALUE_MAX     (16 * 1024 * 1024)
#define JI_VALUE_MAX_MIB 16

/* Bytes of a JSON value and where they start in the input: line (1-based)
 * and col, the characters before the first byte on its line (as jansson
 * counts: continuation bytes of UTF-8 do not count). */
struct jtext {
    const char *s; /* NULL when the bytes are not known */
    size_t len;
    long line, col;
};

/* Where a value sits, for messages: a path in a document ("data[17]", NULL
 * at the top level), and the text of the value that path names (an
 * element, a JSON Lines line), in which the keys that messages name are
 * found, so that every message has a line and a column. */
struct place {
    const char *where;
    struct jtext text;
    const char *sub;        /* keys are looked up inside this key's object ("byModel"), or NULL */
    const char *key_prefix; /* written before keys in messages ("pricing."), or NULL */
};

/* The period of records whose date comes from outside their object (weekly
 * snapshots): the object's own period keys are then ignored. */
struct fixed_period {
    enum ts_period period;
    int32_t date;
};

/* o, or the defaults (IMPORT_OPTS_INIT) when o is NULL. */
const struct import_opts *ji_opts(const struct import_opts *o);

/* ---- json_place.c: places and messages ---- */

/* Fills err with "<where>: <message>" at the start of the place's text.
 * Returns -1. */
int ji_fail(struct ts_err *err, const struct place *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same, at the value of key (in at->sub's object when that is set)
 * when the place's text has it, else at its start. Returns -1. */
int ji_fail_key(struct ts_err *err, const struct place *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "NAME[I]" into where (WHERE_MAX bytes), the path of an array
 * element, as snprintf("%s[%zu]") would but without its cost: a streamed
 * document names every element it hands on. */
void ji_where_index(char *where, const char *name, size_t i);

/* "key 'K': expected WHAT, found an array", at the key's value. Returns -1. */
int ji_wrong_type(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                  const char *what);

/* "key 'K': 'V' REASON", at the key's value. Returns -1. */
int ji_bad_value(struct ts_err *err, const struct place *at, const char *key, const json_t *v,
                 const char *reason);

/* The value of the top-level key of the object in obj: 0 and *out its
 * text and place, or -1 when obj is no object holding key. */
int ji_find_key(const struct jtext *obj, const char *key, struct jtext *out);

/* Fills err with jansson's message for a failed parse, moved to the place
 * of the text it parsed (text starting at line, col); a parse that ran out
 * of memory says so. Returns -1. */
int ji_jansson_error(struct ts_err *err, const json_error_t *jerr, long line, long col);

/* ---- json_record.c: values and records ---- */

/* A token count from a JSON integer, a real (rounded) or a decimal string
 * (plain digits, a fraction rounded: ts_parse_count). Returns 0, or -1
 * with err set. */
int ji_count(const json_t *v, const char *key, const struct place *at, int64_t *out,
             struct ts_err *err);

/* A price in USD per token (number or decimal string) as pico-USD per
 * token. A negative price ("-1" in the catalogue) means "no fixed price"
 * and gives TS_ABSENT. Returns 0, or -1 with err set. */
int ji_price(const json_t *v, const char *key, const struct place *at, int64_t *out,
             struct ts_err *err);

/* A "YYYY-MM-DD" string (a time of day after it is checked and ignored)
 * within the years data may carry. Returns 0, or -1 with err set. */
int ji_date(const json_t *v, const char *key, const struct place *at, int32_t *out,
            struct ts_err *err);

/* Turns a JSON object into a record: keys are matched like CSV columns
 * (field_lookup), two keys that name one field are refused, unknown keys
 * and null values are ignored. With fixed non-NULL the period comes from
 * it and the object's period keys are not looked at. rec->model and
 * rec->where are borrowed from obj and at; rec's line and column are the
 * start of at's text. */
int ji_record_from_object(json_t *obj, const struct import_opts *o,
                          const struct fixed_period *fixed, const struct place *at,
                          struct ts_record *rec, struct ts_err *err);

/* Hands a record to the sink; a sink error without a line gets the
 * record's line and column. Returns 0 or -1. */
int ji_emit_record(const struct ts_sink *sink, const struct ts_record *rec, struct ts_err *err);

/* Hands v to the sink as the source's as-of time when it is a string. */
void ji_emit_as_of(const struct ts_sink *sink, const json_t *v);

/* ---- jsonl.c: the flat-object fast path ---- */

/* A record from the bytes line[0..len) when they are one flat object
 * (plain strings, integers from 0 up, null) that makes a valid record; the
 * slug's closing quote in line becomes its NUL. The record is placed at
 * line, col (where line[0] is). Returns 1, or 0 when the full parser is to
 * read the bytes (rec is then undefined). */
int ji_flat_record(char *line, size_t len, const struct import_opts *o, long lineno, long col,
                   struct ts_record *rec);

/* ---- json_stream.c: a document read one value at a time ---- */

/* The bytes of a document read so far, and where the reader is in them.
 * From the start, every byte is kept (the spool), up to JI_VALUE_MAX, so
 * that a document that cannot be streamed can be read again from memory;
 * once keep_all is off, bytes before the value being read are dropped. */
struct ji_stream {
    struct ts_input *in; /* NULL for a stream over bytes in memory */
    char *buf;           /* bytes read and kept */
    size_t len, cap;
    size_t pos;       /* the next byte to look at */
    size_t mark;      /* the start of the value being read: bytes before it may go */
    int keep_all;     /* keep every byte (the spool) */
    int spool_lost;   /* the spool outgrew JI_VALUE_MAX and was given up */
    int borrowed;     /* buf belongs to another stream */
    int in_value;     /* a value is being read: it may be at most JI_VALUE_MAX */
    int too_big;      /* the value being read passed JI_VALUE_MAX */
    long line, col;   /* jansson's position after the byte before pos */
    long line0, col0; /* the position before the value at mark */
    int eof, failed;  /* end of input; a read error (in->error) */
};

void ji_stream_init(struct ji_stream *s, struct ts_input *in);
/* A stream over another stream's spool (buf[0..len), not copied). */
void ji_stream_init_mem(struct ji_stream *s, char *buf, size_t len);
void ji_stream_release(struct ji_stream *s); /* safe after ji_stream_init */

/* The next byte (-1 at the end of input or on a read error), moving past
 * it, moving past blanks (returns the next byte after them). */
int ji_peek(struct ji_stream *s);
void ji_next(struct ji_stream *s);
int ji_skip_ws(struct ji_stream *s);

/* Reads one value from the next byte that is not blank: its bytes are
 * mark..pos (see ji_value_text). A value of more than JI_VALUE_MAX bytes
 * fails with "WHAT: more than 16 MiB ...". Returns 0, or -1 with err set
 * (a read error too). */
int ji_take_value(struct ji_stream *s, const char *what, struct ts_err *err);

/* The bytes of the value just taken and their place. */
void ji_value_text(const struct ji_stream *s, struct jtext *out);

/* Parses the value just taken (any JSON value, duplicate keys refused); a
 * syntax error gets its place in the document. A new reference, or NULL
 * with err set. */
json_t *ji_parse_value(struct ji_stream *s, struct ts_err *err);

/* A syntax error at the stream's position, in jansson's words: jansson
 * reads prefix and then the document's next bytes (with flags), and its
 * message is moved to the document's line and column. Returns -1. */
int ji_syntax(struct ji_stream *s, const char *prefix, size_t flags, struct ts_err *err);

/* ---- json_shapes.c: the elements of each document shape ---- */

/* One element of a streamed array and its place. parsed is the element
 * parsed by jansson, or NULL when the fast path may read its bytes. */
struct ji_elem {
    struct place at;
    json_t *parsed;
};

/* A usage record (bare arrays, Data API "data", weekly "models" with
 * fixed set). *total gets its total. Returns 0, or -1 with err set. */
int ji_shape_record(const struct ji_elem *e, const struct import_opts *o,
                    const struct fixed_period *fixed, const struct ts_sink *sink, int64_t *total,
                    size_t *fast_taken, struct ts_err *err);

/* A catalogue entry ("data" of the models catalogue, or a bare array):
 * its prices, unless it is an alias ("~...") or has none. model is
 * scratch. */
int ji_shape_model(const struct ji_elem *e, struct ts_buf *model, const struct ts_sink *sink,
                   struct ts_err *err);

/* A week of the rankings chart, {"week":..., "byModel":{slug: tokens}}. */
int ji_shape_chart_week(const struct ji_elem *e, const struct import_opts *o,
                        const struct ts_sink *sink, struct ts_err *err);

/* A catalogue entry rather than a usage record. */
int ji_looks_like_model(const json_t *v);

/* An object with a model key and a period key: a record on its own. */
int ji_looks_like_record(json_t *obj);

/* ---- json_apps.c: app rankings (openrouter-apps) ---- */

/* Whether v is an element of app rankings' "data" (it has an app_id). */
int ji_looks_like_app(const json_t *v);

/* The elements of app rankings' "data", kept with a copy of their text
 * until the document's end: the week they cover is in its "meta", which
 * may come after "data". */
struct ji_apps {
    struct ji_elem *v; /* at.text.s owned, at.where NULL */
    size_t n, cap, bytes;
};

/* Keeps e (a new reference to e->parsed, a copy of its text); more than
 * JI_VALUE_MAX bytes of them is an error. Returns 0 or -1. */
int ji_apps_keep(struct ji_apps *a, const struct ji_elem *e, struct ts_err *err);

/* The end of app rankings: their week from meta (at its place; NULL when
 * the document has none), which must be one ISO week, Monday to Sunday;
 * as_of (meta.as_of, or NULL) and each app to the sink as a weekly
 * observation. Returns 0 or -1. */
int ji_apps_finish(const struct ji_apps *a, const json_t *meta, const struct place *at,
                   const char *as_of, const struct import_opts *o, const struct ts_sink *sink,
                   struct ts_err *err);

void ji_apps_release(struct ji_apps *a);

#endif
