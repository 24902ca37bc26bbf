/* json_record.c - what the JSON importers share: token counts, prices and
 * dates from JSON values, one object into one record (record_from_object,
 * which maps an object's keys to fields with field_lookup() as CSV maps its
 * header), and handing records on to the sink. */
#include "json_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "core/week.h"

static const struct import_opts default_opts = IMPORT_OPTS_INIT;

const struct import_opts *ji_opts(const struct import_opts *o)
{
    return o ? o : &default_opts;
}

/* A token count from a JSON integer, a real (rounded) or a decimal string
 * (plain digits, a fraction rounded). */
int ji_count(const json_t *v, const char *key, const struct place *at, int64_t *out,
             struct ts_err *err)
{
    enum ts_num r;

    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        r = i < 0 ? TS_NUM_NEGATIVE : TS_NUM_OK;
        if (r == TS_NUM_OK)
            *out = (int64_t)i;
    } else if (json_is_real(v)) {
        r = ts_count_from_double(json_real_value(v), out);
    } else if (json_is_string(v)) {
        r = ts_parse_count(json_string_value(v), json_string_length(v), 1, out);
    } else {
        return ji_wrong_type(err, at, key, v, "a token count");
    }
    if (r != TS_NUM_OK)
        return ji_bad_value(err, at, key, v, ts_num_reason(r));
    return 0;
}

static const char *price_reason(enum ts_num r)
{
    switch (r) {
    case TS_NUM_EMPTY:
        return "is empty (expected a price)";
    case TS_NUM_RANGE:
        return "is too large (expected a price in USD per token)";
    case TS_NUM_NONFINITE:
        return "is not a finite number";
    default:
        return "is not a price";
    }
}

/* A price in USD per token (number or decimal string) as pico-USD per
 * token. A negative price ("-1" in the catalogue) means "no fixed price"
 * and gives TS_ABSENT. */
int ji_price(const json_t *v, const char *key, const struct place *at, int64_t *out,
             struct ts_err *err)
{
    enum ts_num r;

    if (json_is_integer(v))
        r = ts_price_from_double((double)json_integer_value(v), out);
    else if (json_is_real(v))
        r = ts_price_from_double(json_real_value(v), out);
    else if (json_is_string(v))
        r = ts_parse_price(json_string_value(v), json_string_length(v), out);
    else
        return ji_wrong_type(err, at, key, v, "a price");
    if (r == TS_NUM_NEGATIVE) {
        *out = TS_ABSENT;
        return 0;
    }
    if (r != TS_NUM_OK)
        return ji_bad_value(err, at, key, v, price_reason(r));
    return 0;
}

/* A "YYYY-MM-DD" string (a time part after it is ignored). */
int ji_date(const json_t *v, const char *key, const struct place *at, int32_t *out,
            struct ts_err *err)
{
    if (!json_is_string(v))
        return ji_wrong_type(err, at, key, v, "a date (YYYY-MM-DD)");
    if (date_parse(json_string_value(v), json_string_length(v), out) < 0)
        return ji_bad_value(err, at, key, v, "is not a date (expected YYYY-MM-DD)");
    if (!date_in_data_range(*out))
        return ji_bad_value(err, at, key, v, "is out of range (expected " TS_DATA_RANGE_TEXT ")");
    return 0;
}

/* The values of an object's known keys, by field, and each key as
 * written. */
struct object_fields {
    json_t *val[TS_F_COUNT];
    const char *name[TS_F_COUNT];
};

/* Collects obj's keys that name fields; unknown keys and null values are
 * ignored. Two keys that name one field ("tokens" and "total_tokens") are
 * refused: which one holds the figure is not for tokstat to guess. */
static int object_fields(json_t *obj, const struct place *at, struct object_fields *out,
                         struct ts_err *err)
{
    const char *key;
    json_t *v;

    memset(out, 0, sizeof(*out));
    json_object_foreach(obj, key, v)
    {
        enum ts_field f;

        if (json_is_null(v))
            continue;
        f = field_lookup(key, strlen(key), NULL);
        if (f == TS_F_NONE)
            continue;
        if (out->val[f]) {
            struct ts_buf a = TS_BUF_INIT, b = TS_BUF_INIT;
            ts_quote_for_msg(&a, out->name[f], strlen(out->name[f]), 80);
            ts_quote_for_msg(&b, key, strlen(key), 80);
            ji_fail_key(err, at, key, "keys '%s' and '%s' both give %s (expected one of them)",
                        a.data, b.data, field_title(f));
            buf_release(&a);
            buf_release(&b);
            return -1;
        }
        out->val[f] = v;
        out->name[f] = key;
    }
    return 0;
}

/* The record's period and date: from fixed when set; else a week key makes
 * a weekly record, a daily key a daily one, and with both the week key wins
 * (as for CSV columns). A forced period (o->period) overrides. */
static int record_period(const struct object_fields *of, const struct import_opts *o,
                         const struct fixed_period *fixed, const struct place *at,
                         struct ts_record *rec, struct ts_err *err)
{
    if (fixed) {
        rec->period = fixed->period;
        rec->date = fixed->date;
    } else if (of->val[TS_F_WEEK]) {
        if (ji_date(of->val[TS_F_WEEK], of->name[TS_F_WEEK], at, &rec->date, err) < 0)
            return -1;
        rec->period = TS_WEEK;
    } else if (of->val[TS_F_DAY]) {
        if (ji_date(of->val[TS_F_DAY], of->name[TS_F_DAY], at, &rec->date, err) < 0)
            return -1;
        rec->period = TS_DAY;
    } else {
        return ji_fail(err, at, "no period key (expected one of date, day, week, week_start)");
    }
    if (o->period >= 0)
        rec->period = (enum ts_period)o->period;
    return 0;
}

/* The record's model: a string that is not empty, borrowed. */
static int record_model(const struct object_fields *of, const struct place *at,
                        struct ts_record *rec, struct ts_err *err)
{
    const json_t *v = of->val[TS_F_MODEL];

    if (!v)
        return ji_fail(err, at,
                       "no model key (expected one of model, model_permaslug, slug, model_id)");
    if (!json_is_string(v))
        return ji_wrong_type(err, at, of->name[TS_F_MODEL], v, "a model slug");
    if (json_string_length(v) == 0)
        return ji_bad_value(err, at, of->name[TS_F_MODEL], v, "is empty (expected a model slug)");
    rec->model = json_string_value(v);
    rec->model_len = json_string_length(v);
    return 0;
}

/* The record's counts and prices; without a total, prompt + completion is
 * the total. */
static int record_tokens(const struct object_fields *of, const struct place *at,
                         struct ts_record *rec, struct ts_err *err)
{
    json_t *const *val = of->val;
    const char *const *name = of->name;

    for (int f = 0; f < TS_F_COUNT; f++) {
        int64_t *count = record_count(rec, (enum ts_field)f);
        if (val[f] && count && ji_count(val[f], name[f], at, count, err) < 0)
            return -1;
    }
    if (val[TS_F_PROMPT_PRICE] &&
        ji_price(val[TS_F_PROMPT_PRICE], name[TS_F_PROMPT_PRICE], at, &rec->prompt_price, err) < 0)
        return -1;
    if (val[TS_F_COMPLETION_PRICE] &&
        ji_price(val[TS_F_COMPLETION_PRICE], name[TS_F_COMPLETION_PRICE], at,
                 &rec->completion_price, err) < 0)
        return -1;
    if (val[TS_F_TOTAL])
        return 0;
    if (rec->prompt == TS_ABSENT || rec->completion == TS_ABSENT)
        return ji_fail(err, at,
                       "no token key (expected total_tokens or tokens, or prompt_tokens and "
                       "completion_tokens)");
    if (rec->prompt > INT64_MAX - rec->completion)
        return ji_fail_key(err, at, name[TS_F_COMPLETION],
                           "%s + %s is too large (%" PRId64 " + %" PRId64
                           ", expected a total below 2^63)",
                           name[TS_F_PROMPT], name[TS_F_COMPLETION], rec->prompt, rec->completion);
    rec->total = rec->prompt + rec->completion;
    return 0;
}

int ji_record_from_object(json_t *obj, const struct import_opts *o,
                          const struct fixed_period *fixed, const struct place *at,
                          struct ts_record *rec, struct ts_err *err)
{
    struct object_fields of;

    if (object_fields(obj, at, &of, err) < 0)
        return -1;
    record_init(rec);
    if (at->text.line > 0) {
        rec->line = at->text.line;
        rec->col = at->text.col + 1;
    }
    rec->where = at->where;
    if (record_period(&of, o, fixed, at, rec, err) < 0 || record_model(&of, at, rec, err) < 0)
        return -1;
    return record_tokens(&of, at, rec, err);
}

int ji_emit_record(const struct ts_sink *sink, const struct ts_record *rec, struct ts_err *err)
{
    if (sink->record(sink->ctx, rec, err) == 0)
        return 0;
    if (err->line == 0 && rec->line > 0) {
        err->line = rec->line;
        err->col = rec->col;
    }
    return -1;
}

void ji_emit_as_of(const struct ts_sink *sink, const json_t *v)
{
    if (sink->as_of && json_is_string(v))
        sink->as_of(sink->ctx, json_string_value(v));
}
