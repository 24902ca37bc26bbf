/* record.h - what importers produce: normalised records handed to a sink.
 *
 * Importers never write SQL. They turn bytes into struct ts_record (usage)
 * and struct ts_price (catalogue prices) and hand each to the sink's
 * callbacks, which validate, place and store them (ingest.c), or collect
 * them (tests). */
#ifndef TOKSTAT_IMPORT_RECORD_H
#define TOKSTAT_IMPORT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/series.h"

struct ts_record {
    enum ts_period period; /* what the source implies (or --period forces) */
    int32_t date;          /* the period's date as written (days since 1970) */
    const char *model;     /* slug as written, NUL at model_len, borrowed: valid during the call */
    size_t model_len;
    int64_t total;  /* always >= 0 */
    int64_t prompt; /* TS_ABSENT when missing, like the fields below */
    int64_t completion;
    int64_t reasoning;
    int64_t cached;
    int64_t requests;
    int64_t prompt_price;     /* pico-USD per token (see ts_parse_price) */
    int64_t completion_price; /* pico-USD per token */
    long line;                /* where the record is in the input, 0 unknown */
    long col;                 /* the column where it starts (JSON), 0 unknown */
    const char *where;        /* for whole-document JSON: a path like "data[17]", else NULL */
};

/* A catalogue entry's prices (openrouter-models). */
struct ts_price {
    const char *model; /* canonical slug plus the id's :variant, borrowed */
    const char *id;    /* the entry's id, borrowed */
    int64_t prompt;    /* pico-USD per token, TS_ABSENT when not given */
    int64_t completion;
    const char *where; /* "data[3]" or "[3]" */
    long line, col;    /* where the entry starts, 0 unknown */
};

/* An app's tokens in one ISO week of app rankings (openrouter-apps): a
 * weekly observation of the app, never of a model. */
struct ts_app {
    int32_t week;      /* the Monday of the week the rankings cover */
    int64_t app_id;    /* OpenRouter's id of the app: its identity */
    const char *name;  /* its name, control characters escaped (\x1b); "app ID" when the
                          source has none; borrowed */
    int64_t total;     /* total_tokens */
    int64_t requests;  /* total_requests, TS_ABSENT when not given */
    int64_t rank;      /* rank (absolute), TS_ABSENT when not given */
    const char *where; /* "data[3]" */
};

struct ts_sink {
    /* Each returns 0, or -1 after filling err (which stops the import). */
    int (*record)(void *ctx, const struct ts_record *rec, struct ts_err *err);
    int (*price)(void *ctx, const struct ts_price *price, struct ts_err *err);
    /* App rankings; NULL: the sink takes none (an error when some come). */
    int (*app)(void *ctx, const struct ts_app *app, struct ts_err *err);
    /* The source's as-of time (meta.as_of, fetchedAt), borrowed. */
    void (*as_of)(void *ctx, const char *as_of);
    void *ctx;
};

/* Sets every optional field of rec to TS_ABSENT and the rest to zero. */
void record_init(struct ts_record *rec);

/* Column and key names, shared by CSV headers and JSON object keys. */
enum ts_field {
    TS_F_NONE = -1,
    TS_F_DAY = 0,          /* date, day */
    TS_F_WEEK,             /* week, week_start */
    TS_F_MODEL,            /* model, model_permaslug, slug, model_id */
    TS_F_TOTAL,            /* total_tokens, tokens */
    TS_F_PROMPT,           /* prompt_tokens, input_tokens */
    TS_F_COMPLETION,       /* completion_tokens, output_tokens */
    TS_F_REASONING,        /* reasoning_tokens */
    TS_F_CACHED,           /* cached_tokens */
    TS_F_REQUESTS,         /* requests, request_count, count */
    TS_F_PROMPT_PRICE,     /* prompt_price */
    TS_F_COMPLETION_PRICE, /* completion_price */
    TS_F_COUNT
};

/* Maps a column or key name (case-insensitive, surrounding blanks ignored)
 * to its field. *priority (when not NULL) gets the alias's rank within its
 * field (0 is the first alias listed above). Two columns or keys that name
 * one field are refused by the importers, whatever their ranks. */
enum ts_field field_lookup(const char *name, size_t len, int *priority);

/* What field f holds, for messages: "the total tokens", "the model". */
const char *field_title(enum ts_field f);

/* Where rec keeps field f when it is a count (total, prompt, completion,
 * reasoning, cached, requests); NULL for the other fields. */
int64_t *record_count(struct ts_record *rec, enum ts_field f);

#endif
