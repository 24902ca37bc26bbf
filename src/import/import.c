/* import.c - any input: its format detected from its first bytes, then
 * read by the importer of that format. */
#include "import/import.h"

#include <string.h>

int import_detect(struct ts_input *in, enum ts_format *fmt, struct ts_err *err)
{
    size_t len;
    const char *head;

    if (input_check_encoding(in, err) < 0)
        return -1;
    if (*fmt != TS_FMT_AUTO)
        return 0;
    if (!(head = input_peek(in, INPUT_PEEK_MAX, &len)))
        return ts_err_set(err, "read error: %s", strerror(in->error));
    return format_sniff(head, len, fmt, err);
}

int import_read(struct ts_input *in, enum ts_format *fmt, const struct import_opts *o,
                const struct ts_sink *sink, struct ts_err *err)
{
    if (*fmt == TS_FMT_CSV)
        return import_csv(in, o, sink, fmt, err);
    if (*fmt == TS_FMT_JSONL)
        return import_jsonl(in, o, sink, err);
    return import_json_doc(in, o, sink, fmt, err);
}
