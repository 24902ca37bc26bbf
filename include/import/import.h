/* import.h - the importers: bytes in, records out through a sink.
 *
 * Each importer reads the whole input, hands every record to the sink in
 * input order, and stops at the first error (from the input or the sink),
 * returning -1 with err filled: msg names the column or key and the bad
 * value, line/col say where (col 0 for CSV, whose messages name the
 * column; whole-document JSON also names a path such as "data[17]" in
 * msg). Memory stays bounded whatever the input: CSV and JSON Lines are
 * read a line at a time, JSON documents a value at a time. */
#ifndef TOKSTAT_IMPORT_IMPORT_H
#define TOKSTAT_IMPORT_IMPORT_H

#include <stddef.h>

#include "core/err.h"
#include "import/format.h"
#include "import/input.h"
#include "import/record.h"

struct import_opts {
    enum ts_format format; /* forced format, or TS_FMT_AUTO */
    int period;            /* -1 as the format implies, or TS_DAY / TS_WEEK */
    /* The fast paths: CSV lines without quotes split without libcsv, flat
     * JSON Lines lines and the elements of a streamed Data API document
     * read without jansson. Each gives what the full parser gives, or
     * leaves the input to it. For tests that compare the two ways: */
    int full_parsers;   /* 1 sends everything through the full parsers */
    size_t *fast_taken; /* when not NULL, the importer adds to it the number
                           of lines or elements the fast paths took */
};

#define IMPORT_OPTS_INIT                                                                           \
    {                                                                                              \
        TS_FMT_AUTO, -1, 0, NULL                                                                   \
    }

/* The format of in, from its first bytes, when *fmt is TS_FMT_AUTO (else
 * *fmt stays): TS_FMT_CSV, TS_FMT_JSONL, or TS_FMT_JSON for any whole JSON
 * document, whose shape import_read recognises. Returns 0, or -1 with err
 * set (a read error, empty input). */
int import_detect(struct ts_input *in, enum ts_format *fmt, struct ts_err *err);

/* Reads the whole input with the importer of *fmt (CSV, JSON Lines, or a
 * JSON document, whose shape then goes into *fmt). */
int import_read(struct ts_input *in, enum ts_format *fmt, const struct import_opts *o,
                const struct ts_sink *sink, struct ts_err *err);

/* The importers themselves. CSV with a header row; separator ',' ';' or tab detected from the
 * header; RFC 4180 quoting; CRLF or LF. Columns by name (field_lookup). Daily rows with a
 * model_permaslug column (the Data API's rankings-daily as CSV) set *shape to
 * TS_FMT_OPENROUTER_DAILY; otherwise *shape stays. */
int import_csv(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
               enum ts_format *shape, struct ts_err *err);

/* JSON Lines: one object a line, keys as CSV columns; blank lines skipped.
 * Lines end at '\n' (a '\r' before it is dropped). */
int import_jsonl(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
                 struct ts_err *err);

/* A whole JSON document: a bare array of records (json), openrouter-daily,
 * openrouter-chart, openrouter-weekly or openrouter-models, streamed one
 * value at a time whatever the order of its keys (json_doc.c). With
 * o->format TS_FMT_AUTO the shape is recognised from the document's keys;
 * a forced format must match its shape. *shape gets the format that was
 * read. */
int import_json_doc(struct ts_input *in, const struct import_opts *o, const struct ts_sink *sink,
                    enum ts_format *shape, struct ts_err *err);

#endif
