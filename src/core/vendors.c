/* vendors.c - model slugs, vendor names, country codes and vendor files. */
#include "core/vendors.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/price_book.h"

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

void model_family(const char *slug, struct ts_buf *out)
{
    struct ts_buf nodate = TS_BUF_INIT;
    int has_variant;

    price_strip(slug, &nodate, out, &has_variant);
    buf_release(&nodate);
}

int model_normalize(const char *s, size_t len, struct ts_buf *slug, struct ts_buf *vendor,
                    struct ts_err *err)
{
    buf_reset(slug);
    buf_reset(vendor);
    trim(&s, &len);
    if (len == 0)
        return ts_err_set(err, "empty model slug");
    if (len > TS_SLUG_MAX) {
        struct ts_buf q = TS_BUF_INIT;
        ts_quote_for_msg(&q, s, len, 60);
        ts_err_set(err, "model slug '%s' is %zu bytes long (expected at most %d)", q.data, len,
                   TS_SLUG_MAX);
        buf_release(&q);
        return -1;
    }
    if (!ts_utf8_valid(s, len)) {
        struct ts_buf q = TS_BUF_INIT;
        ts_quote_for_msg(&q, s, len, 60);
        ts_err_set(err, "model slug '%s' %s", q.data,
                   ts_has_control(s, len) ? "contains a control character"
                                          : "is not valid UTF-8 text");
        buf_release(&q);
        return -1;
    }
    if ((len == 5 && strncasecmp(s, "other", 5) == 0) ||
        (len == 6 && strncasecmp(s, "others", 6) == 0)) {
        buf_adds(slug, TS_OTHER);
        buf_adds(vendor, TS_OTHER);
        return 0;
    }
    const char *slash = memchr(s, '/', len);
    const char *colon = memchr(s, ':', len);
    size_t vlen = slash ? (size_t)(slash - s) : colon ? (size_t)(colon - s) : len;
    if (vlen == 0) {
        struct ts_buf q = TS_BUF_INIT;
        ts_quote_for_msg(&q, s, len, 60);
        ts_err_set(err, "model slug '%s' has no vendor before '/'", q.data);
        buf_release(&q);
        return -1;
    }
    for (size_t i = 0; i < vlen; i++)
        buf_addc(vendor, (char)tolower((unsigned char)s[i]));
    if (strcmp(vendor->data, TS_OTHER) == 0) {
        struct ts_buf q = TS_BUF_INIT;
        ts_quote_for_msg(&q, s, len, 60);
        ts_err_set(err,
                   "model slug '%s' has the vendor 'other', which names the bucket of "
                   "unlisted models",
                   q.data);
        buf_release(&q);
        return -1;
    }
    buf_add(slug, vendor->data, vlen);
    buf_add(slug, s + vlen, len - vlen);
    return 0;
}

int vendor_normalize(const char *s, struct ts_buf *out, struct ts_err *err)
{
    size_t len = strlen(s);

    buf_reset(out);
    trim(&s, &len);
    if (len == 0)
        return ts_err_set(err, "empty vendor name");
    if (!ts_utf8_valid(s, len) || memchr(s, '/', len) || memchr(s, ':', len)) {
        struct ts_buf q = TS_BUF_INIT;
        ts_quote_for_msg(&q, s, len, 60);
        ts_err_set(err, "'%s' is not a vendor name (expected the part of a model slug before '/')",
                   q.data);
        buf_release(&q);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        buf_addc(out, (char)tolower((unsigned char)s[i]));
    return 0;
}

int country_normalize(const char *s, char out[3], struct ts_err *err)
{
    size_t len = strlen(s);

    trim(&s, &len);
    if (len != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1])) {
        struct ts_buf q = TS_BUF_INIT;
        ts_quote_for_msg(&q, s, len, 40);
        ts_err_set(err, "'%s' is not a country code (expected two letters, like US or CN)", q.data);
        buf_release(&q);
        return -1;
    }
    out[0] = (char)toupper((unsigned char)s[0]);
    out[1] = (char)toupper((unsigned char)s[1]);
    out[2] = '\0';
    return 0;
}

void vendors_parse_result_release(struct vendors_parse_result *r)
{
    buf_release(&r->skipped_list);
}

/* libcsv callbacks collect one row's fields, then handle the row. */
struct vparse {
    struct ts_buf fields[16];
    size_t nfields;
    long line; /* of the current row */
    long rows_seen;
    int col_vendor, col_country, col_name;
    int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err);
    void *ctx;
    struct vendors_parse_result *res;
    struct ts_err *err;
    int failed;
    struct ts_buf vendor;
};

static void vp_field(void *data, size_t len, void *p)
{
    struct vparse *vp = p;

    if (vp->nfields < sizeof(vp->fields) / sizeof(vp->fields[0])) {
        buf_reset(&vp->fields[vp->nfields]);
        buf_add(&vp->fields[vp->nfields], data ? data : "", data ? len : 0);
    }
    vp->nfields++;
}

static const char *vp_get(struct vparse *vp, int col)
{
    if (col < 0 || (size_t)col >= vp->nfields || (size_t)col >= 16)
        return "";
    return vp->fields[col].data ? vp->fields[col].data : "";
}

static void vp_skip(struct vparse *vp, const char *vendor, const char *why)
{
    if (vp->res->skipped_list.len)
        buf_adds(&vp->res->skipped_list, ", ");
    buf_printf(&vp->res->skipped_list, "%s (%s)", vendor, why);
    vp->res->skipped++;
}

static void vp_header(struct vparse *vp)
{
    vp->col_vendor = vp->col_country = vp->col_name = -1;
    for (size_t i = 0; i < vp->nfields && i < 16; i++) {
        const char *h = vp_get(vp, (int)i);
        if ((strcasecmp(h, "vendor") == 0 || strcasecmp(h, "author") == 0) && vp->col_vendor < 0)
            vp->col_vendor = (int)i;
        else if (strcasecmp(h, "country") == 0 && vp->col_country < 0)
            vp->col_country = (int)i;
        else if (strcasecmp(h, "name") == 0 && vp->col_name < 0)
            vp->col_name = (int)i;
    }
    if (vp->col_vendor < 0)
        ts_err_at(vp->err, 1, 0, "no vendor column (expected a header naming vendor or author)");
    else if (vp->col_country < 0)
        ts_err_at(vp->err, 1, 0, "no country column (expected a header naming country)");
    else
        return;
    vp->failed = 1;
}

static void vp_row(int c, void *p)
{
    struct vparse *vp = p;
    (void)c;

    if (vp->failed) {
        vp->nfields = 0;
        return;
    }
    if (vp->rows_seen++ == 0) {
        vp_header(vp);
        vp->nfields = 0;
        return;
    }
    if (vp->nfields == 1 && vp_get(vp, 0)[0] == '\0') {
        vp->nfields = 0; /* a blank line */
        return;
    }
    const char *country = vp_get(vp, vp->col_country);
    while (*country == ' ' || *country == '\t')
        country++; /* a blank country is an empty one */
    const char *name = vp_get(vp, vp->col_name);
    char cc[3];
    if (vendor_normalize(vp_get(vp, vp->col_vendor), &vp->vendor, vp->err) < 0)
        goto fail;
    if (strcmp(vp->vendor.data, TS_OTHER) == 0) {
        vp_skip(vp, vp->vendor.data, "reserved");
    } else if (country[0] == '\0' || strcasecmp(country, "aggregate") == 0) {
        vp_skip(vp, vp->vendor.data, country[0] ? country : "no country");
    } else {
        /* 'unknown' is a country on purpose: no source places the vendor. */
        if (strcasecmp(country, TS_UNKNOWN) != 0 && country_normalize(country, cc, vp->err) < 0)
            goto fail;
        struct vendor_row row = {vp->vendor.data, strcasecmp(country, TS_UNKNOWN) ? cc : TS_UNKNOWN,
                                 name, vp->line};
        if (vp->fn(vp->ctx, &row, vp->err) < 0)
            goto fail;
        vp->res->rows++;
    }
    vp->nfields = 0;
    return;
fail:
    if (vp->err->line == 0)
        vp->err->line = vp->line;
    vp->failed = 1;
    vp->nfields = 0;
}

int vendors_parse(const char *data, size_t len,
                  int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err), void *ctx,
                  struct vendors_parse_result *res, struct ts_err *err)
{
    struct csv_parser p;
    struct vparse vp;
    int rc = -1;

    memset(&vp, 0, sizeof(vp));
    vp.fn = fn;
    vp.ctx = ctx;
    vp.res = res;
    vp.err = err;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return ts_err_set(err, "cannot start the CSV parser");
    /* Feed line by line so that errors know their line. */
    size_t pos = 0;
    long line = 0;
    while (pos < len && !vp.failed) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        line++;
        if (vp.nfields == 0)
            vp.line = line;
        if (csv_parse(&p, data + pos, n, vp_field, vp_row, &vp) != n) {
            ts_err_at(err, line, 0, "malformed CSV (%s)", csv_strerror(csv_error(&p)));
            goto done;
        }
        pos += n;
    }
    if (!vp.failed && csv_fini(&p, vp_field, vp_row, &vp) != 0) {
        ts_err_at(err, vp.line, 0, "unterminated quoted field");
        goto done;
    }
    if (vp.failed)
        goto done;
    if (vp.rows_seen == 0) {
        ts_err_set(err, "empty file (expected a header row)");
        goto done;
    }
    rc = 0;
done:
    csv_free(&p);
    for (size_t i = 0; i < sizeof(vp.fields) / sizeof(vp.fields[0]); i++)
        buf_release(&vp.fields[i]);
    buf_release(&vp.vendor);
    return rc;
}
