/* families.c - model families: rules (slug prefix -> family), the longest
 * matching prefix, the default without a rule, and families files. */
#include "core/families.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv_rows.h"
#include "core/vendors.h"

#define EXAMPLE "like deepseek/deepseek-v3.2"

/* Checks what (prefix or family) s, trimmed, and copies it into out with
 * its vendor (the text before the first '/') lower-cased. Returns the
 * vendor's length, or -1 with err set. */
static long slug_part(const char *what, const char *s, struct ts_buf *out, struct ts_err *err)
{
    size_t len = strlen(s);
    struct ts_buf q = TS_BUF_INIT;
    long rc = -1;

    buf_reset(out);
    ts_trim(&s, &len);
    ts_quote_for_msg(&q, s, len, 60);
    if (len == 0)
        ts_err_set(err, "empty %s (expected the beginning of a model slug, " EXAMPLE ")", what);
    else if (len > TS_SLUG_MAX)
        ts_err_set(err, "%s '%s' is %zu bytes long (expected at most %d)", what, q.data, len,
                   TS_SLUG_MAX);
    else if (!ts_utf8_valid(s, len))
        ts_err_set(err, "%s '%s' %s", what, q.data,
                   ts_has_control(s, len) ? "contains a control character"
                                          : "is not valid UTF-8 text");
    else if (!memchr(s, '/', len))
        ts_err_set(err,
                   "%s '%s' has no '/' (expected a vendor, '/' and a model's name, " EXAMPLE ")",
                   what, q.data);
    else if (s[0] == '/')
        ts_err_set(err, "%s '%s' has no vendor before '/' (expected a vendor first, " EXAMPLE ")",
                   what, q.data);
    else
        rc = (long)((const char *)memchr(s, '/', len) - s);
    if (rc > 0) {
        for (long i = 0; i < rc; i++)
            buf_addc(out, (char)tolower((unsigned char)s[i]));
        buf_add(out, s + rc, len - (size_t)rc);
        if ((size_t)rc == strlen(TS_OTHER) && memcmp(out->data, TS_OTHER, (size_t)rc) == 0)
            rc = ts_err_set(err,
                            "%s '%s' has the vendor 'other', which names the bucket of "
                            "unlisted models",
                            what, q.data);
    }
    buf_release(&q);
    return rc;
}

int family_rule_normalize(const char *prefix, const char *family, struct ts_buf *nprefix,
                          struct ts_buf *nfamily, struct ts_err *err)
{
    long pv = slug_part("prefix", prefix, nprefix, err);
    long fv = pv < 0 ? -1 : slug_part("family", family, nfamily, err);
    struct ts_buf qf = TS_BUF_INIT, qp = TS_BUF_INIT;
    int rc = -1;

    if (fv < 0)
        return -1;
    ts_quote_for_msg(&qf, nfamily->data, nfamily->len, 60);
    ts_quote_for_msg(&qp, nprefix->data, nprefix->len, 60);
    if ((size_t)fv + 1 == nfamily->len)
        ts_err_set(err, "family '%s' has no name after '/' (expected a name, " EXAMPLE ")",
                   qf.data);
    else if (strchr(nfamily->data, ':'))
        ts_err_set(err, "family '%s' has a ':variant' (expected a family without one, " EXAMPLE ")",
                   qf.data);
    else if (fv != pv || memcmp(nfamily->data, nprefix->data, (size_t)pv) != 0)
        ts_err_set(err,
                   "family '%s' is not of the vendor of prefix '%s' (expected a family "
                   "starting with '%.*s/')",
                   qf.data, qp.data, (int)pv, nprefix->data);
    else
        rc = 0;
    buf_release(&qf);
    buf_release(&qp);
    return rc;
}

int family_prefix_normalize(const char *prefix, struct ts_buf *out, struct ts_err *err)
{
    return slug_part("prefix", prefix, out, err) < 0 ? -1 : 0;
}

void family_rules_add(struct family_rules *rs, const char *prefix, const char *family)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 32;
        rs->r = xrealloc(rs->r, rs->cap * sizeof(*rs->r));
    }
    rs->r[rs->n].prefix = xstrdup(prefix);
    rs->r[rs->n].family = xstrdup(family);
    rs->n++;
}

/* A rule and where it was added, for a stable sort. */
struct placed_rule {
    struct family_rule r;
    size_t at;
};

static int placed_cmp(const void *a, const void *b)
{
    const struct placed_rule *x = a, *y = b;
    int c = strcmp(x->r.prefix, y->r.prefix);

    return c ? c : (x->at > y->at) - (x->at < y->at);
}

void family_rules_sort(struct family_rules *rs)
{
    struct placed_rule *tmp = xmalloc((rs->n ? rs->n : 1) * sizeof(*tmp));
    size_t k = 0;

    for (size_t i = 0; i < rs->n; i++) {
        tmp[i].r = rs->r[i];
        tmp[i].at = i;
    }
    qsort(tmp, rs->n, sizeof(*tmp), placed_cmp);
    for (size_t i = 0; i < rs->n; i++) {
        if (i + 1 < rs->n && strcmp(tmp[i].r.prefix, tmp[i + 1].r.prefix) == 0) {
            free(tmp[i].r.prefix); /* a later rule for the same prefix replaces it */
            free(tmp[i].r.family);
            continue;
        }
        rs->r[k++] = tmp[i].r;
    }
    rs->n = k;
    free(tmp);
}

void family_rules_release(struct family_rules *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->r[i].prefix);
        free(rs->r[i].family);
    }
    free(rs->r);
    memset(rs, 0, sizeof(*rs));
}

/* slug[0..len) against a rule's prefix, as strcmp orders them. */
static int prefix_cmp(const char *slug, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix);
    int c = memcmp(slug, prefix, len < plen ? len : plen);

    return c ? c : (len > plen) - (len < plen);
}

const struct family_rule *family_rules_match(const struct family_rules *rs, const char *slug)
{
    /* The longest first: each length of slug's beginnings, looked up. */
    for (size_t len = strlen(slug); len > 0; len--) {
        size_t lo = 0, hi = rs->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = prefix_cmp(slug, len, rs->r[mid].prefix);
            if (c == 0)
                return &rs->r[mid];
            if (c < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
    }
    return NULL;
}

void family_resolve(const struct family_rules *user, const struct family_rules *shipped,
                    const char *slug, struct ts_buf *out)
{
    const struct family_rule *r = user ? family_rules_match(user, slug) : NULL;

    if (!r && shipped)
        r = family_rules_match(shipped, slug);
    if (r) {
        buf_reset(out);
        buf_adds(out, r->family);
    } else {
        model_family(slug, out);
    }
}

/* families_parse's state. */
struct fparse {
    long col_prefix, col_family;
    int (*fn)(void *ctx, const struct family_rule *rule, long line, struct ts_err *err);
    void *ctx;
    size_t *rows;
    int header_done;
    struct ts_buf prefix, family;
};

static int fp_row(void *ctx, const struct csv_row *row, struct ts_err *err)
{
    struct fparse *fp = ctx;

    if (!fp->header_done) {
        fp->header_done = 1;
        fp->col_prefix = csv_rows_column(row, "prefix");
        fp->col_family = csv_rows_column(row, "family");
        if (fp->col_prefix < 0 || fp->col_family < 0)
            return ts_err_at(err, row->line, 0,
                             "no %s column (expected a header naming prefix and family)",
                             fp->col_prefix < 0 ? "prefix" : "family");
        return 0;
    }
    if (family_rule_normalize(csv_rows_field(row, fp->col_prefix),
                              csv_rows_field(row, fp->col_family), &fp->prefix, &fp->family,
                              err) < 0)
        return -1;
    struct family_rule r = {fp->prefix.data, fp->family.data};
    if (fp->fn(fp->ctx, &r, row->line, err) < 0)
        return -1;
    (*fp->rows)++;
    return 0;
}

int families_parse(const char *data, size_t len,
                   int (*fn)(void *ctx, const struct family_rule *rule, long line,
                             struct ts_err *err),
                   void *ctx, size_t *rows, struct ts_err *err)
{
    struct fparse fp = {-1, -1, fn, ctx, rows, 0, TS_BUF_INIT, TS_BUF_INIT};
    int rc = csv_rows_parse(data, len, fp_row, &fp, err);

    buf_release(&fp.prefix);
    buf_release(&fp.family);
    return rc;
}
