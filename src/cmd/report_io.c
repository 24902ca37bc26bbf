/* report_io.c - opening a dataset for a report, and writing the report. */
#include "cmd/report_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/report_period.h"
#include "core/util.h"
#include "core/week.h"
#include "db/query.h"
#include "render/output.h"
#include "render/render.h"

int report_db_error(struct cmd_env *env, const struct ts_err *err)
{
    cmd_print_err(env, NULL, err);
    return TS_EXIT_FAIL;
}

/* Whether a's command and --by fit what the dataset holds; a dataset of
 * apps reports by app unless --by says otherwise. Returns 0 or the exit
 * status after printing. */
static int kind_check(struct cmd_env *env, struct report_args *a, enum dataset_kind kind)
{
    const char *name = a->req.dataset, *cmd = a->syn->name;

    if (kind == DATASET_APPS && !a->syn->apps_apply)
        return cmd_fail(
            env, "dataset '%s' holds app rankings: tokstat %s reads model usage (%s)", name, cmd,
            a->syn->apps_hint ? a->syn->apps_hint : "report, growth, top and chart read apps");
    if (kind == DATASET_APPS && !a->by_given)
        a->req.by = BY_APP;
    if (kind == DATASET_APPS && a->req.by != BY_APP)
        return cmd_fail(env,
                        "--by %s does not apply to dataset '%s': it holds app rankings, and "
                        "apps have no country, vendor or model (expected --by app)",
                        group_by_name(a->req.by), name);
    if (kind != DATASET_APPS && a->req.by == BY_APP)
        return cmd_fail(env,
                        "--by app does not apply to dataset '%s': it holds %s, not app rankings "
                        "(those go to a dataset of their own, by default 'apps': "
                        "--dataset apps)",
                        name, kind == DATASET_MODELS ? "model usage" : "no data");
    return 0;
}

int dataset_view_open(struct cmd_env *env, struct report_args *a, long default_last,
                      struct dataset_view *out)
{
    struct ts_err err = TS_ERR_INIT;
    const struct range_choice *r = &a->range;
    int rc, found;

    if ((rc = cmd_open_db_read(env, &out->db)) != 0)
        return rc;
    /* One snapshot for every query of the report, however imports run. */
    if (db_begin_read(out->db, &err) < 0 ||
        (found = db_dataset(out->db, a->req.dataset, 0, &out->id, &err)) < 0)
        return report_db_error(env, &err);
    if (found == 0)
        return cmd_fail(env, "no dataset '%s' (run 'tokstat status' to see the datasets)",
                        a->req.dataset);
    if (db_dataset_kind(out->db, out->id, &out->kind, &err) < 0)
        return report_db_error(env, &err);
    if ((rc = kind_check(env, a, out->kind)) != 0)
        return rc;
    /* App rankings are weekly rows: by day or month, refused as such. */
    out->unit = r->unit;
    if ((rc = view_periods(env, out, a->req.dataset)) != 0)
        return rc;
    if (range_resolve(r, out->weeks, out->nweeks, default_last, &out->from, &out->to,
                      &out->notes) != 0) {
        /* Nothing to report: an empty result for the weeks asked about. */
        out->from = r->kind == RANGE_WEEK ? r->week
                    : r->has_from         ? r->from
                    : r->has_to           ? r->to
                                          : period_start(r->unit, date_today());
        out->to = r->kind == RANGE_SPAN && r->has_to && r->to >= out->from ? r->to : out->from;
    }
    view_period_notes(env, out);
    return 0;
}

void dataset_view_close(struct dataset_view *v)
{
    if (v->db)
        db_rollback(v->db); /* ends the read transaction */
    db_close(v->db);
    free(v->weeks);
    free(v->weekly_only);
    memset(v, 0, sizeof(*v));
}

int report_unmapped_warning(const struct dataset_view *v, char **out, struct ts_err *err)
{
    char **unmapped = NULL;
    size_t n = 0;

    *out = NULL;
    if (view_unmapped_vendors(v, &unmapped, &n, err) < 0)
        return -1;
    *out = cmd_unmapped_warning(unmapped, n, "counted");
    for (size_t i = 0; i < n; i++)
        free(unmapped[i]);
    free(unmapped);
    return 0;
}

/* The vendors without a country in the weeks reported, as a warning. */
static int warn_unmapped(const struct dataset_view *v, struct report_doc *doc, struct ts_err *err)
{
    char *warn;

    if (report_unmapped_warning(v, &warn, err) < 0)
        return -1;
    if (warn)
        doc_warn(doc, "%s", warn);
    free(warn);
    return 0;
}

void report_note_empty(struct cmd_env *env, const struct dataset_view *v, const char *dataset)
{
    char a[TS_DATE_LEN + 1], b[TS_DATE_LEN + 1], one[40];

    period_label(v->unit, v->from, a, sizeof(a));
    period_label(v->unit, v->to, b, sizeof(b));
    period_phrase(v->unit, v->from, one, sizeof(one));
    if (v->nweeks == 0)
        cmd_line(env, env->err, "tokstat: note: dataset '%s' has no data yet", dataset);
    else if (v->from == v->to && v->from > v->notes.first && v->from < v->notes.last)
        cmd_line(env, env->err,
                 "tokstat: note: no data for the %s in dataset '%s' (a gap: it has data "
                 "before and after)",
                 one, dataset);
    else if (v->from == v->to)
        cmd_line(env, env->err, "tokstat: note: no data for the %s in dataset '%s'", one, dataset);
    else
        cmd_line(env, env->err, "tokstat: note: no data for the %s %s to %s in dataset '%s'",
                 period_unit_plural(v->unit), a, b, dataset);
}

/* Prints the warnings of doc not printed yet (all of them go into JSON). */
static void print_warnings(struct cmd_env *env, const struct report_args *a,
                           const struct report_doc *doc, struct report_out *ro)
{
    for (; ro->warned < doc->nwarnings; ro->warned++) {
        if (a->format != RENDER_JSON)
            cmd_line(env, env->err, "tokstat: warning: %s", doc->warnings[ro->warned]);
    }
}

int report_begin(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
                 struct report_doc *doc, struct report_out *ro)
{
    struct ts_err err = TS_ERR_INIT;
    char *source = NULL;

    if (warn_unmapped(v, doc, &err) < 0 || db_source(v->db, v->id, &source, &err) < 0)
        goto fail;
    doc_set_source(doc, source);
    free(source);
    if (v->kind == DATASET_APPS)
        doc_set_note(doc, "tokens as each model's provider counts them (its own tokenizer, "
                          "prompt + completion), summed over the models an app used; shares are "
                          "of the listed apps' tokens, not of the market");
    print_warnings(env, a, doc, ro);
    if (output_open(&ro->out, a->output, env->out, &err) < 0)
        goto fail;
    ro->open = 1;
    report_render_opts(a, ro->out.fp, &ro->ro);
    if (!doc->chart) /* a chart is drawn whole, at the end */
        render_begin(&ro->pages, doc, &ro->ro, ro->out.fp);
    return TS_EXIT_OK;
fail:
    cmd_print_err(env, NULL, &err);
    return TS_EXIT_FAIL;
}

int report_page(struct cmd_env *env, struct report_out *ro, struct report_doc *doc)
{
    (void)env;
    if (doc->chart || doc->rows.nrows < REPORT_PAGE_ROWS)
        return TS_EXIT_OK;
    render_rows(&ro->pages, doc);
    rowset_clear(&doc->rows);
    if (ferror(ro->out.fp))
        ro->failed = 1;
    return TS_EXIT_OK;
}

int report_end(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
               struct report_doc *doc, struct report_out *ro)
{
    struct ts_err err = TS_ERR_INIT;

    print_warnings(env, a, doc, ro);
    if (doc->nrows_data == 0 && !v->notes.outside)
        report_note_empty(env, v, a->req.dataset);
    if (doc->chart) {
        render_doc(doc, &ro->ro, ro->out.fp);
    } else {
        render_rows(&ro->pages, doc);
        rowset_clear(&doc->rows);
        render_end(&ro->pages, doc);
    }
    if (output_commit(&ro->out, &err) < 0) {
        /* A reader that went away (report | head -1) ends the report
         * quietly: what it wanted, it got. */
        if (ro->out.errnum == EPIPE && !ro->out.path)
            return TS_EXIT_OK;
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    return TS_EXIT_OK;
}

void report_out_release(struct report_out *ro)
{
    if (ro->open)
        output_release(&ro->out);
    render_pages_release(&ro->pages);
    ro->open = 0;
}

int report_write(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
                 struct report_doc *doc)
{
    struct report_out ro = REPORT_OUT_INIT;
    int rc = report_begin(env, v, a, doc, &ro);

    if (rc == TS_EXIT_OK)
        rc = report_end(env, v, a, doc, &ro);
    report_out_release(&ro);
    return rc;
}
