/* support.c - fixture code shared by the unit tests; see support.h. */
#define _XOPEN_SOURCE 700 /* nftw */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"
#include "core/util.h"
#include "core/week.h"

/* ---- dates ---- */

int32_t D(const char *s)
{
    int32_t d = 0;

    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

/* ---- a temporary folder per test executable ---- */

static char tmp_root[] = "/tmp/tokstat-test-XXXXXX";
static int tmp_made;
static int tmp_counter;

int sup_tmp_setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmp_root))
        return -1;
    tmp_made = 1;
    return 0;
}

/* nftw callback: removes one entry; children come before their folder
 * (FTW_DEPTH). */
static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    if (remove(path) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int sup_tmp_teardown(void **state)
{
    (void)state;
    if (!tmp_made)
        return 0;
    tmp_made = 0;
    return nftw(tmp_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

void sup_tmp_path(char *out, size_t n, const char *rel)
{
    assert_true(tmp_made);
    int len = snprintf(out, n, "%s/%d/%s", tmp_root, ++tmp_counter, rel);
    assert_true(len > 0 && (size_t)len < n);
}

void sup_tmp_dir(char *out, size_t n)
{
    assert_true(tmp_made);
    int len = snprintf(out, n, "%s/%d", tmp_root, ++tmp_counter);
    assert_true(len > 0 && (size_t)len < n);
    if (mkdir(out, 0777) != 0)
        fail_msg("cannot create folder %s", out);
}

/* ---- test data (tests/data) ---- */

FILE *sup_open_data(const char *rel)
{
    const char *dir = getenv("TS_TEST_DATA");
    char path[4096];

    if (dir && *dir) {
        snprintf(path, sizeof(path), "%s/%s", dir, rel);
    } else {
        const char *file = __FILE__;
        const char *cut = strstr(file, "unit/support.c");
        assert_non_null(cut);
        snprintf(path, sizeof(path), "%.*sdata/%s", (int)(cut - file), file, rel);
    }
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open fixture %s (set TS_TEST_DATA)", path);
    return fp;
}

/* ---- a sink that collects what importers hand it ---- */

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int collect_record(void *ctx, const struct ts_record *rec, struct ts_err *err)
{
    struct sup_collect *c = ctx;

    c->calls++;
    if (c->fail_at && c->calls == c->fail_at) {
        ts_err_set(err, "%s '%.*s'", c->fail_prefix ? c->fail_prefix : "rejected",
                   (int)rec->model_len, rec->model);
        err->line = c->fail_line;
        return -1;
    }
    if (c->check_nul)
        assert_int_equal(strlen(rec->model), rec->model_len);
    if (c->check_no_where)
        assert_null(rec->where);
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->recs = xrealloc(c->recs, c->cap * sizeof(*c->recs));
    }
    struct sup_rec *g = &c->recs[c->n++];
    g->period = rec->period;
    g->date = rec->date;
    g->model = xmalloc(rec->model_len + 1);
    memcpy(g->model, rec->model, rec->model_len);
    g->model[rec->model_len] = '\0';
    g->model_len = rec->model_len;
    g->total = rec->total;
    g->prompt = rec->prompt;
    g->completion = rec->completion;
    g->reasoning = rec->reasoning;
    g->cached = rec->cached;
    g->requests = rec->requests;
    g->prompt_price = rec->prompt_price;
    g->completion_price = rec->completion_price;
    g->line = rec->line;
    g->col = rec->col;
    g->where = dup_or_null(rec->where);
    return 0;
}

static int collect_price(void *ctx, const struct ts_price *p, struct ts_err *err)
{
    struct sup_collect *c = ctx;

    (void)err;
    if (c->np == c->pcap) {
        c->pcap = c->pcap ? c->pcap * 2 : 16;
        c->prices = xrealloc(c->prices, c->pcap * sizeof(*c->prices));
    }
    struct sup_price *g = &c->prices[c->np++];
    g->model = xstrdup(p->model);
    g->id = xstrdup(p->id);
    g->prompt = p->prompt;
    g->completion = p->completion;
    g->where = dup_or_null(p->where);
    return 0;
}

static int collect_app(void *ctx, const struct ts_app *a, struct ts_err *err)
{
    struct sup_collect *c = ctx;

    (void)err;
    if (c->na == c->acap) {
        c->acap = c->acap ? c->acap * 2 : 16;
        c->apps = xrealloc(c->apps, c->acap * sizeof(*c->apps));
    }
    struct sup_app *g = &c->apps[c->na++];
    g->week = a->week;
    g->app_id = a->app_id;
    g->name = xstrdup(a->name);
    g->total = a->total;
    g->requests = a->requests;
    g->rank = a->rank;
    g->where = dup_or_null(a->where);
    return 0;
}

static void collect_as_of(void *ctx, const char *as_of)
{
    struct sup_collect *c = ctx;

    free(c->as_of);
    c->as_of = xstrdup(as_of);
}

void sup_collect_sink(struct sup_collect *c, struct ts_sink *out)
{
    out->record = collect_record;
    out->price = collect_price;
    out->app = collect_app;
    out->as_of = collect_as_of;
    out->ctx = c;
}

void sup_collect_release(struct sup_collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->recs[i].model);
        free(c->recs[i].where);
    }
    for (size_t i = 0; i < c->np; i++) {
        free(c->prices[i].model);
        free(c->prices[i].id);
        free(c->prices[i].where);
    }
    for (size_t i = 0; i < c->na; i++) {
        free(c->apps[i].name);
        free(c->apps[i].where);
    }
    free(c->recs);
    free(c->prices);
    free(c->apps);
    free(c->as_of);
    memset(c, 0, sizeof(*c));
}

/* ---- SQLite ---- */

int64_t sup_sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -999;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}
