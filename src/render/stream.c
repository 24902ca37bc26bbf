/* stream.c - rows one at a time as CSV or JSON Lines, with the cell forms
 * and the quoting of the report formats (cells.c, csv.c, json.c). */
#include "render/stream.h"

#include <string.h>

#include "render/cells.h"
#include "formats.h"

int stream_format_parse(const char *name, enum stream_format *out)
{
    if (strcmp(name, "csv") == 0)
        *out = STREAM_CSV;
    else if (strcmp(name, "jsonl") == 0)
        *out = STREAM_JSONL;
    else
        return -1;
    return 0;
}

const char *stream_format_name(enum stream_format f)
{
    return f == STREAM_CSV ? "csv" : "jsonl";
}

void stream_header(enum stream_format f, const struct rs_col *cols, size_t ncols, FILE *out)
{
    if (f != STREAM_CSV)
        return;
    for (size_t c = 0; c < ncols; c++) {
        if (c > 0)
            fputc(',', out);
        render_csv_field(cols[c].key, out);
    }
    fputc('\n', out);
}

void stream_row(enum stream_format f, const struct rs_col *cols, size_t ncols,
                const struct rs_cell *cells, FILE *out)
{
    char buf[RENDER_CELL_MAX];
    const char *text;

    if (f == STREAM_JSONL)
        fputc('{', out);
    for (size_t c = 0; c < ncols; c++) {
        enum render_data kind = render_cell_data(&cols[c], &cells[c], buf, &text);
        if (c > 0)
            fputc(',', out);
        if (f == STREAM_CSV) {
            render_csv_field(text, out);
            continue;
        }
        render_json_string(cols[c].key, out);
        fputc(':', out);
        if (kind == RENDER_DATA_NULL)
            fputs("null", out);
        else if (kind == RENDER_DATA_NUMBER)
            fputs(text, out);
        else
            render_json_string(text, out);
    }
    fputs(f == STREAM_JSONL ? "}\n" : "\n", out);
}
