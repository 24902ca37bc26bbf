/* ingest.c - records from any importer into the store. */
#include "import/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/price_book.h"
#include "core/vendors.h"
#include "core/week.h"
#include "db/apps.h"
#include "db/imports.h"
#include "db/obs.h"
#include "db/price_history.h"
#include "db/rollup.h"

void ingest_init(struct ingest *ig, struct db *st, int label_end, int32_t today)
{
    memset(ig, 0, sizeof(*ig));
    ig->st = st;
    ig->label_end = label_end;
    ig->today = today;
    ig->price_day = today;
}

void ingest_release(struct ingest *ig)
{
    free(ig->as_of);
    ig->as_of = NULL;
    buf_release(&ig->slug);
    buf_release(&ig->vendor);
    buf_release(&ig->alias);
    ts_map_release(&ig->ids);
    ts_map_release(&ig->replaced);
    free(ig->stale_as_of);
    free(ig->stale_file);
    ig->stale_as_of = ig->stale_file = NULL;
    for (size_t i = 0; i < INGEST_SPLIT_SHOWN; i++) {
        free(ig->split_off_rows[i]);
        ig->split_off_rows[i] = NULL;
        free(ig->split_over_rows[i]);
        ig->split_over_rows[i] = NULL;
    }
    free(ig->weeks);
    ig->weeks = NULL;
    ig->nweeks = ig->weeks_cap = ig->week_hit = 0;
}

/* The index in ig->weeks where week is, or would go. */
static size_t week_slot(const struct ingest *ig, int32_t week)
{
    size_t lo = 0, hi = ig->nweeks;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ig->weeks[mid].week < week)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Notes that rec has a row in week (rows mostly come in order of their
 * days: the week of the last row is tried first). */
static void week_seen(struct ingest *ig, int32_t week, const struct ts_record *rec)
{
    size_t k = ig->week_hit;

    if (k >= ig->nweeks || ig->weeks[k].week != week) {
        k = week_slot(ig, week);
        if (k == ig->nweeks || ig->weeks[k].week != week) {
            if (ig->nweeks == ig->weeks_cap) {
                ig->weeks_cap = ig->weeks_cap ? ig->weeks_cap * 2 : 16;
                ig->weeks = xrealloc(ig->weeks, ig->weeks_cap * sizeof(*ig->weeks));
            }
            memmove(ig->weeks + k + 1, ig->weeks + k, (ig->nweeks - k) * sizeof(*ig->weeks));
            ig->weeks[k].week = week;
            ig->weeks[k].line = 0;
            ig->nweeks++;
        }
        ig->week_hit = k;
    }
    struct ingest_week *w = &ig->weeks[k];
    if (rec->line >= w->line) { /* the row on the latest line is the last in the file */
        size_t n = rec->where ? strnlen(rec->where, sizeof(w->where) - 1) : 0;
        w->line = rec->line;
        w->col = rec->col;
        memcpy(w->where, rec->where ? rec->where : "", n);
        w->where[n] = '\0';
    }
}

/* Puts "where: " (a JSON path) in front of err's message. */
static int with_where(struct ts_err *err, const char *where)
{
    if (where && *where) {
        ts_err_prefix(err, ": ");
        ts_err_prefix(err, where);
    }
    return -1;
}

/* "slug on D" or "slug in the week of D", into b; 0, or -1 when the slug
 * does not normalise (it did, to be stored: cannot happen). */
static int row_name(struct ingest *ig, const struct ts_record *rec, int32_t period,
                    struct ts_buf *b)
{
    struct ts_err ignored = TS_ERR_INIT;
    char day[TS_DATE_LEN + 1];

    if (model_normalize(rec->model, rec->model_len, &ig->alias, &ig->vendor, &ignored) < 0)
        return -1;
    date_format(period, day);
    buf_printf(b, "%s %s %s", ig->alias.data, rec->period == TS_WEEK ? "in the week of" : "on",
               day);
    return 0;
}

/* Counts a row whose prompt and completion tokens do not split its total,
 * and names the first few that are off: a total below prompt + completion
 * (which it includes) apart from one merely more than 1 % away. */
static void check_split(struct ingest *ig, const struct ts_record *rec, int32_t period)
{
    struct ts_buf b = TS_BUF_INIT;
    double ratio;

    if (rec->prompt == TS_ABSENT || rec->completion == TS_ABSENT)
        return;
    if (rec->prompt == 0 && rec->completion == 0 && rec->total > 0) {
        ig->split_zero++;
        return;
    }
    if (rec->prompt > rec->total || rec->completion > rec->total - rec->prompt) {
        if (ig->split_over < INGEST_SPLIT_SHOWN && row_name(ig, rec, period, &b) == 0) {
            buf_printf(&b, " (%lld < %lld + %lld)", (long long)rec->total, (long long)rec->prompt,
                       (long long)rec->completion);
            ig->split_over_rows[ig->split_over] = b.data;
        }
        ig->split_over++;
        return;
    }
    if (!price_split_off(rec->total, rec->prompt, rec->completion, &ratio))
        return;
    if (ig->split_off < INGEST_SPLIT_SHOWN && row_name(ig, rec, period, &b) == 0) {
        if (rec->total > 0)
            buf_printf(&b, " (%.2fx)", ratio);
        ig->split_off_rows[ig->split_off] = b.data;
    }
    ig->split_off++;
}

static int ingest_record(void *ctx, const struct ts_record *rec, struct ts_err *err)
{
    struct ingest *ig = ctx;
    enum obs_change change;
    int has_price = rec->prompt_price != TS_ABSENT || rec->completion_price != TS_ABSENT;
    int64_t model;

    /* A slug written as an earlier row of the file wrote it has its model
     * already: no normalising, no lookup by the normalised name. Rows with
     * prices need the normalised name, so take the long way. A slug with a
     * NUL inside cannot be a key of the map. */
    int mappable = strlen(rec->model) == rec->model_len;
    int known = !has_price && mappable && ts_map_get(&ig->ids, rec->model, &model);
    if (!known) {
        if (model_normalize(rec->model, rec->model_len, &ig->slug, &ig->vendor, err) < 0) {
            err->line = rec->line;
            err->col = rec->col;
            return with_where(err, rec->where);
        }
        if (db_model(ig->st, ig->slug.data, ig->vendor.data, &model, err) < 0)
            return -1;
        if (mappable)
            ts_map_put(&ig->ids, rec->model, model);
    }
    struct observation o = {
        .dataset = ig->imp.dataset,
        .granularity = rec->period,
        .period = rec->period == TS_WEEK ? week_of_label(rec->date, ig->label_end) : rec->date,
        .model = model,
        .import_id = ig->imp.id,
        .total = rec->total,
        .prompt = rec->prompt,
        .completion = rec->completion,
        .reasoning = rec->reasoning,
        .cached = rec->cached,
        .requests = rec->requests,
    };
    if (db_obs_upsert(ig->st, &o, &change, err) < 0)
        return -1;
    if (change == OBS_DUPLICATE) {
        char day[TS_DATE_LEN + 1];
        if (known && model_normalize(rec->model, rec->model_len, &ig->slug, &ig->vendor, err) < 0)
            return -1; /* it normalised before */
        date_format(o.period, day);
        ts_err_at(err, rec->line, rec->col,
                  "duplicate row for model '%s' %s %s (each period and model may appear once "
                  "in a file)",
                  ig->slug.data, rec->period == TS_WEEK ? "in the week of" : "on", day);
        return with_where(err, rec->where);
    }
    ig->imp.rows++;
    ig->imp.inserted += change == OBS_INSERTED;
    ig->imp.updated += change == OBS_UPDATED;
    if (change == OBS_UPDATED) {
        char key[24];
        int64_t n = 0;
        snprintf(key, sizeof(key), "%lld", (long long)db_obs_replaced(ig->st));
        ts_map_get(&ig->replaced, key, &n);
        ts_map_put(&ig->replaced, key, n + 1);
    }
    ig->imp.unchanged += change == OBS_UNCHANGED;
    check_split(ig, rec, o.period);

    /* The span of days covered, for the summary's weeks. */
    int32_t last = rec->period == TS_WEEK ? o.period + 6 : o.period;
    if (!ig->have_period || o.period < ig->first_period)
        ig->first_period = o.period;
    if (!ig->have_period || last > ig->last_period)
        ig->last_period = last;
    ig->have_period = 1;
    week_seen(ig, week_start(o.period), rec);

    if (has_price) {
        if (db_price_put(ig->st, ig->slug.data, o.period, "snapshot", ig->imp.dataset,
                         rec->prompt_price, rec->completion_price, ig->imp.id, err) < 0)
            return -1;
        ig->imp.prices++;
    }
    return 0;
}

/* An app's week: an observation of the app (its id from the apps table),
 * never of a model. */
static int ingest_app(void *ctx, const struct ts_app *a, struct ts_err *err)
{
    struct ingest *ig = ctx;
    enum obs_change change;
    int64_t id;

    if (db_app(ig->st, a->app_id, a->name, a->week, &id, err) < 0)
        return -1;
    struct observation o = {
        .dataset = ig->imp.dataset,
        .granularity = TS_WEEK,
        .period = a->week,
        .model = id,
        .import_id = ig->imp.id,
        .total = a->total,
        .prompt = TS_ABSENT,
        .completion = TS_ABSENT,
        .reasoning = TS_ABSENT,
        .cached = TS_ABSENT,
        .requests = a->requests,
    };
    if (db_obs_upsert(ig->st, &o, &change, err) < 0)
        return -1;
    if (change == OBS_DUPLICATE) {
        char day[TS_DATE_LEN + 1];
        date_format(a->week, day);
        ts_err_set(err,
                   "duplicate row for app %lld in the week of %s (each app may appear once in a "
                   "file)",
                   (long long)a->app_id, day);
        return with_where(err, a->where);
    }
    ig->imp.rows++;
    ig->imp.inserted += change == OBS_INSERTED;
    ig->imp.updated += change == OBS_UPDATED;
    ig->imp.unchanged += change == OBS_UNCHANGED;
    if (!ig->have_period || a->week < ig->first_period)
        ig->first_period = a->week;
    if (!ig->have_period || a->week + 6 > ig->last_period)
        ig->last_period = a->week + 6;
    ig->have_period = 1;
    return 0;
}

static int ingest_price(void *ctx, const struct ts_price *p, struct ts_err *err)
{
    struct ingest *ig = ctx;

    if (model_normalize(p->model, strlen(p->model), &ig->slug, &ig->vendor, err) < 0) {
        err->line = p->line;
        err->col = p->col;
        return with_where(err, p->where);
    }
    if (db_price_put(ig->st, ig->slug.data, ig->price_day, "catalogue", 0, p->prompt, p->completion,
                     ig->imp.id, err) < 0)
        return -1;
    ig->imp.prices++;
    /* The entry's id, when it differs, is another name for the model. */
    if (p->id && model_normalize(p->id, strlen(p->id), &ig->alias, &ig->vendor, err) == 0 &&
        strcmp(ig->alias.data, ig->slug.data) != 0 &&
        db_alias_put(ig->st, ig->alias.data, ig->slug.data, ig->imp.id, err) < 0)
        return -1;
    return 0;
}

static void ingest_as_of(void *ctx, const char *as_of)
{
    struct ingest *ig = ctx;
    int32_t day;

    if (ig->as_of_fixed)
        return;
    free(ig->as_of);
    ig->as_of = xstrdup(as_of);
    ig->as_of_bad = date_parse(as_of, strlen(as_of), &day) < 0 ? 1
                    : day > ig->today + 1                      ? 2
                    : !date_in_data_range(day)                 ? 3
                                                               : 0;
    /* A catalogue with an as-of time is valid from that day. */
    if (!ig->as_of_bad)
        ig->price_day = day;
}

/* An as-of time that is no ISO 8601 date or time (it is shown in every
 * report's source line: no terminal escape may ride along), that is
 * later than tomorrow (the newest as-of time of a dataset is the one
 * reports cite: a far-future one would win for ever), or that is before
 * the years data may carry (a zeroed clock's 1970-01-01), refuses the
 * file. */
static int as_of_check(const struct ingest *ig, struct ts_err *err)
{
    struct ts_buf q = TS_BUF_INIT;

    if (!ig->as_of_bad)
        return 0;
    ts_quote_for_msg(&q, ig->as_of, strlen(ig->as_of), 60);
    if (ig->as_of_bad == 1)
        ts_err_set(err,
                   "as-of time '%s' is not an ISO 8601 date or time (expected YYYY-MM-DD or "
                   "YYYY-MM-DDThh:mm:ssZ; --as-of DATE overrides it)",
                   q.data);
    else if (ig->as_of_bad == 2)
        ts_err_set(err,
                   "as-of time '%s' is in the future (expected a time before tomorrow's end; "
                   "--as-of DATE overrides it)",
                   q.data);
    else
        ts_err_set(err,
                   "as-of time '%s' is out of range (expected a time from 2000-01-01 on, as rows' "
                   "dates; --as-of DATE overrides it)",
                   q.data);
    buf_release(&q);
    return -1;
}

/* Looks at the imports whose rows this one updates: those whose as-of
 * time is later than this one's. Returns 0, or -1 with err set. */
static int find_stale(struct ingest *ig, int64_t mine, struct ts_err *err)
{
    int64_t newest = 0;

    for (size_t i = 0; i < ig->replaced.cap; i++) {
        char *as_of, *file, when[32];
        int64_t theirs;
        if (!ig->replaced.keys || !ig->replaced.keys[i])
            continue;
        if (db_import_about(ig->st, strtoll(ig->replaced.keys[i], NULL, 10), &as_of, &file, when,
                            err) < 0)
            return -1;
        if (as_of && date_time_parse(as_of, strlen(as_of), &theirs) == 0 && theirs > mine) {
            ig->stale_rows += ig->replaced.vals[i];
            if (!ig->stale_as_of || theirs > newest) {
                newest = theirs;
                free(ig->stale_as_of);
                free(ig->stale_file);
                ig->stale_as_of = as_of;
                ig->stale_file = file;
                snprintf(ig->stale_when, sizeof(ig->stale_when), "%s", when);
                continue;
            }
        }
        free(as_of);
        free(file);
    }
    return 0;
}

/* A dump older than what the dataset holds for its rows: refused without
 * --force (re-importing last week's dump must not undo this week's
 * revisions). Imports without an as-of time are not compared. */
static int check_stale(struct ingest *ig, struct ts_err *err)
{
    struct ts_buf a = TS_BUF_INIT, b = TS_BUF_INIT, f = TS_BUF_INIT;
    int64_t mine;

    if (!ig->as_of || ig->replaced.len == 0 ||
        date_time_parse(ig->as_of, strlen(ig->as_of), &mine) < 0)
        return 0;
    if (find_stale(ig, mine, err) < 0)
        return -1;
    if (ig->stale_rows == 0 || ig->force)
        return 0;
    ts_quote_for_msg(&a, ig->as_of, strlen(ig->as_of), 40);
    ts_quote_for_msg(&b, ig->stale_as_of, strlen(ig->stale_as_of), 40);
    if (ig->stale_file)
        ts_quote_for_msg(&f, ig->stale_file, strlen(ig->stale_file), 80);
    ts_err_set(err,
               "this dump is as of %s, older than the one that wrote %lld of the rows it would "
               "update (as of %s, imported %s from %s): importing it would bring back older "
               "figures (--force imports it anyway)",
               a.data, (long long)ig->stale_rows, b.data, ig->stale_when, f.data ? f.data : "?");
    buf_release(&a);
    buf_release(&b);
    buf_release(&f);
    return -1;
}

int ingest_finish(struct ingest *ig, struct ts_err *err)
{
    int32_t bad_week = 0;

    if (as_of_check(ig, err) < 0 || check_stale(ig, err) < 0)
        return -1;
    ig->imp.as_of = ig->as_of;
    if (db_import_finish(ig->st, &ig->imp, err) < 0)
        return -1;
    /* An import that changed no row leaves the roll-ups as they are. */
    if (ig->have_period && ig->imp.inserted + ig->imp.updated > 0 &&
        db_rollup(ig->st, ig->imp.dataset, ig->first_period, ig->last_period, &bad_week, err) < 0) {
        /* A week whose sums reach 2^63: at the file's last row in it. */
        size_t k = bad_week ? week_slot(ig, bad_week) : ig->nweeks;
        if (k < ig->nweeks && ig->weeks[k].week == bad_week) {
            err->line = ig->weeks[k].line;
            err->col = ig->weeks[k].col;
            with_where(err, ig->weeks[k].where);
        }
        return -1;
    }
    return 0;
}

void ingest_sink(struct ingest *ig, struct ts_sink *out)
{
    out->record = ingest_record;
    out->price = ingest_price;
    out->app = ingest_app;
    out->as_of = ingest_as_of;
    out->ctx = ig;
}
