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

int dataset_view_open(struct cmd_env *env, const struct report_args *a, long default_last,
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

/* The vendors without a country in the weeks reported, as a warning. */
static int warn_unmapped(const struct dataset_view *v, struct report_doc *doc, struct ts_err *err)
{
    struct ts_buf warn = TS_BUF_INIT;
    char **unmapped = NULL;
    size_t n = 0;

    if (view_unmapped_vendors(v, &unmapped, &n, err) < 0)
        return -1;
    if (n > 0) {
        buf_printf(&warn, "no country for vendor%s ", n == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++)
            buf_printf(&warn, "%s%s", i ? ", " : "", unmapped[i]);
        buf_adds(&warn, " (counted as unknown; map with 'tokstat vendors set VENDOR COUNTRY')");
        doc_warn(doc, "%s", warn.data);
    }
    for (size_t i = 0; i < n; i++)
        free(unmapped[i]);
    free(unmapped);
    buf_release(&warn);
    return 0;
}

int report_write(struct cmd_env *env, const struct dataset_view *v, const struct report_args *a,
                 struct report_doc *doc)
{
    struct ts_err err = TS_ERR_INIT;
    struct output out = OUTPUT_INIT;
    struct render_opts ro;
    char *source = NULL;
    int rc = TS_EXIT_FAIL;

    if (warn_unmapped(v, doc, &err) < 0 || db_source(v->db, v->id, &source, &err) < 0)
        goto fail;
    doc_set_source(doc, source);
    if (a->format != RENDER_JSON) {
        for (size_t i = 0; i < doc->nwarnings; i++)
            cmd_line(env, env->err, "tokstat: warning: %s", doc->warnings[i]);
    }
    if (doc->nrows_data == 0 && !v->notes.outside)
        view_note_empty(env, v, a->req.dataset);
    if (output_open(&out, a->output, env->out, &err) < 0)
        goto fail;
    report_render_opts(a, out.fp, &ro);
    render_doc(doc, &ro, out.fp);
    if (output_commit(&out, &err) < 0) {
        /* A reader that went away (report | head -1) ends the report
         * quietly: what it wanted, it got. */
        if (out.errnum == EPIPE && !out.path)
            rc = TS_EXIT_OK;
        else
            cmd_print_err(env, NULL, &err);
        goto done;
    }
    rc = TS_EXIT_OK;
    goto done;
fail:
    cmd_print_err(env, NULL, &err);
done:
    output_release(&out);
    free(source);
    return rc;
}
