/* stream.h - rows written one at a time, for outputs too big to hold as a
 * document (tokstat export): CSV with a header row, or JSON Lines (one
 * object a line, keyed by the columns). A cell reads as it does in a
 * report's CSV and JSON (render_cell_data): integers, ISO dates, text;
 * RS_NULL is an empty CSV field and a JSON null. */
#ifndef TOKSTAT_RENDER_STREAM_H
#define TOKSTAT_RENDER_STREAM_H

#include <stddef.h>
#include <stdio.h>

#include "render/rowset.h"

enum stream_format {
    STREAM_CSV,
    STREAM_JSONL,
};

/* Parses "csv" or "jsonl"; -1 when neither. */
int stream_format_parse(const char *name, enum stream_format *out);
/* "csv" or "jsonl" (static): the file name extension too. */
const char *stream_format_name(enum stream_format f);

/* The header row of the columns cols[0..ncols) (CSV; nothing in JSON Lines). */
void stream_header(enum stream_format f, const struct rs_col *cols, size_t ncols, FILE *out);

/* One row: cells[i] is the cell of cols[i]. */
void stream_row(enum stream_format f, const struct rs_col *cols, size_t ncols,
                const struct rs_cell *cells, FILE *out);

#endif
