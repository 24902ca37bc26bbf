/* format.c - import format names and detection from the first bytes. */
#include "import/format.h"

#include <string.h>

static const char *const names[] = {
    [TS_FMT_AUTO] = "auto",
    [TS_FMT_CSV] = "csv",
    [TS_FMT_OPENROUTER_DAILY] = "openrouter-daily",
    [TS_FMT_JSONL] = "jsonl",
    [TS_FMT_JSON] = "json",
    [TS_FMT_OPENROUTER_CHART] = "openrouter-chart",
    [TS_FMT_OPENROUTER_WEEKLY] = "openrouter-weekly",
    [TS_FMT_OPENROUTER_MODELS] = "openrouter-models",
    [TS_FMT_OPENROUTER_APPS] = "openrouter-apps",
};

const char *format_name(enum ts_format f)
{
    if ((size_t)f < sizeof(names) / sizeof(names[0]))
        return names[f];
    return "?";
}

int format_parse(const char *name, enum ts_format *out)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (enum ts_format)i;
            return 0;
        }
    }
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips a JSON string starting at s[i] == '"'; returns the index after it,
 * or len when it does not end within the buffer. */
static size_t skip_string(const char *s, size_t i, size_t len)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

/* JSON Lines: the first object ends on its first line and another line
 * starting with '{' follows. A whole document spread over lines fails this
 * because its first line does not close the object. */
static int looks_like_jsonl(const char *s, size_t len)
{
    int depth = 0;
    size_t i = 0;

    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, i, len);
            continue;
        }
        if (c == '\n')
            return 0; /* the first line ended inside the object */
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (--depth == 0) {
                i++;
                break;
            }
        }
        i++;
    }
    if (depth != 0)
        return 0;
    /* Rest of the first line must be blank; then the next non-blank is '{'. */
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    if (i >= len || s[i] != '\n')
        return 0;
    while (i < len && is_space(s[i]))
        i++;
    return i < len && s[i] == '{';
}

int format_sniff(const char *head, size_t len, enum ts_format *out, struct ts_err *err)
{
    size_t i = 0;

    while (i < len && is_space(head[i]))
        i++;
    if (i == len)
        return ts_err_set(err, "empty file (expected CSV or JSON)");
    if (head[i] == '[') {
        *out = TS_FMT_JSON;
    } else if (head[i] == '{') {
        *out = looks_like_jsonl(head + i, len - i) ? TS_FMT_JSONL : TS_FMT_JSON;
    } else {
        *out = TS_FMT_CSV;
    }
    return 0;
}
