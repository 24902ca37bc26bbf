/* record.c - records and the column/key names that every format shares. */
#include "import/record.h"

#include <string.h>
#include <strings.h>

void record_init(struct ts_record *rec)
{
    memset(rec, 0, sizeof(*rec));
    rec->prompt = TS_ABSENT;
    rec->completion = TS_ABSENT;
    rec->reasoning = TS_ABSENT;
    rec->cached = TS_ABSENT;
    rec->requests = TS_ABSENT;
    rec->prompt_price = TS_ABSENT;
    rec->completion_price = TS_ABSENT;
}

int64_t *record_count(struct ts_record *rec, enum ts_field f)
{
    switch (f) {
    case TS_F_TOTAL:
        return &rec->total;
    case TS_F_PROMPT:
        return &rec->prompt;
    case TS_F_COMPLETION:
        return &rec->completion;
    case TS_F_REASONING:
        return &rec->reasoning;
    case TS_F_CACHED:
        return &rec->cached;
    case TS_F_REQUESTS:
        return &rec->requests;
    default:
        return NULL;
    }
}

const char *field_title(enum ts_field f)
{
    static const char *const titles[TS_F_COUNT] = {
        [TS_F_DAY] = "the day",
        [TS_F_WEEK] = "the week",
        [TS_F_MODEL] = "the model",
        [TS_F_TOTAL] = "the total tokens",
        [TS_F_PROMPT] = "the prompt tokens",
        [TS_F_COMPLETION] = "the completion tokens",
        [TS_F_REASONING] = "the reasoning tokens",
        [TS_F_CACHED] = "the cached tokens",
        [TS_F_REQUESTS] = "the request count",
        [TS_F_PROMPT_PRICE] = "the prompt price",
        [TS_F_COMPLETION_PRICE] = "the completion price",
    };
    return f > TS_F_NONE && f < TS_F_COUNT ? titles[f] : "nothing";
}

/* Aliases in priority order within each field; the first is the field's
 * name. Their lengths are kept so that matching a key, done for every key
 * of every JSON record, compares only names of the right length. */
#define ALIAS(name, field)                                                                         \
    {                                                                                              \
        name, sizeof(name) - 1, field                                                              \
    }
static const struct {
    const char *name;
    size_t len;
    enum ts_field field;
} aliases[] = {
    ALIAS("date", TS_F_DAY),
    ALIAS("day", TS_F_DAY),
    ALIAS("week", TS_F_WEEK),
    ALIAS("week_start", TS_F_WEEK),
    ALIAS("model", TS_F_MODEL),
    ALIAS("model_permaslug", TS_F_MODEL),
    ALIAS("slug", TS_F_MODEL),
    ALIAS("model_id", TS_F_MODEL),
    ALIAS("total_tokens", TS_F_TOTAL),
    ALIAS("tokens", TS_F_TOTAL),
    ALIAS("prompt_tokens", TS_F_PROMPT),
    ALIAS("input_tokens", TS_F_PROMPT),
    ALIAS("completion_tokens", TS_F_COMPLETION),
    ALIAS("output_tokens", TS_F_COMPLETION),
    ALIAS("reasoning_tokens", TS_F_REASONING),
    ALIAS("cached_tokens", TS_F_CACHED),
    ALIAS("requests", TS_F_REQUESTS),
    ALIAS("request_count", TS_F_REQUESTS),
    ALIAS("count", TS_F_REQUESTS),
    ALIAS("prompt_price", TS_F_PROMPT_PRICE),
    ALIAS("completion_price", TS_F_COMPLETION_PRICE),
};
#undef ALIAS

enum ts_field field_lookup(const char *name, size_t len, int *priority)
{
    while (len > 0 && (*name == ' ' || *name == '\t')) {
        name++;
        len--;
    }
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;

    int rank = 0;
    enum ts_field prev = TS_F_NONE;
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        rank = aliases[i].field == prev ? rank + 1 : 0;
        prev = aliases[i].field;
        if (aliases[i].len == len && strncasecmp(aliases[i].name, name, len) == 0) {
            if (priority)
                *priority = rank;
            return aliases[i].field;
        }
    }
    if (priority)
        *priority = 0;
    return TS_F_NONE;
}
