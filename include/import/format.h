/* format.h - the import formats and their detection from content. */
#ifndef TOKSTAT_IMPORT_FORMAT_H
#define TOKSTAT_IMPORT_FORMAT_H

#include <stddef.h>

#include "core/err.h"

enum ts_format {
    TS_FMT_AUTO = 0,
    TS_FMT_CSV,
    TS_FMT_OPENROUTER_DAILY,
    TS_FMT_JSONL,
    TS_FMT_JSON,
    TS_FMT_OPENROUTER_CHART,
    TS_FMT_OPENROUTER_WEEKLY,
    TS_FMT_OPENROUTER_MODELS,
    TS_FMT_OPENROUTER_APPS, /* app rankings: one ISO week of top apps */
};

/* "csv", "openrouter-daily", ... ; "auto" for TS_FMT_AUTO. */
const char *format_name(enum ts_format f);

/* Parses a --format value; returns -1 when it names no format. */
int format_parse(const char *name, enum ts_format *out);

/* The family of the content, from its first bytes (BOM already skipped):
 * TS_FMT_CSV, TS_FMT_JSONL (one object a line, at least two lines), or
 * TS_FMT_JSON for any whole JSON document, whose exact shape the JSON
 * importer decides from its keys. Returns -1 with err set for empty input. */
int format_sniff(const char *head, size_t len, enum ts_format *out, struct ts_err *err);

#endif
