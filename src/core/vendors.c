/* vendors.c - model slugs, vendor names, country codes and vendor files. */
#include "core/vendors.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/price_book.h"

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
    ts_trim(&s, &len);
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
    ts_trim(&s, &len);
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

/* The officially assigned ISO 3166-1 alpha-2 codes (249), in order. */
static const char iso3166[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
    "HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP "
    "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA NC NE NF NG NI NL NO NP NR NU NZ OM "
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ "
    "VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

int country_known(const char *cc)
{
    if (strlen(cc) != 2)
        return 0;
    if (strcmp(cc, "EU") == 0) /* exceptionally reserved: the European Union */
        return 1;
    for (const char *p = iso3166; *p; p += p[2] ? 3 : 2) {
        if (p[0] == cc[0] && p[1] == cc[1])
            return 1;
    }
    return 0;
}

int country_normalize(const char *s, char out[3], struct ts_err *err)
{
    size_t len = strlen(s);
    struct ts_buf q = TS_BUF_INIT;

    ts_trim(&s, &len);
    if (len == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
        char cc[3] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]), 0};
        if (country_known(cc)) {
            memcpy(out, cc, 3);
            return 0;
        }
        ts_quote_for_msg(&q, s, len, 40);
        ts_err_set(err,
                   "'%s' is not an ISO 3166-1 alpha-2 country code (expected one like US, CN or "
                   "FR%s)",
                   q.data, strcmp(cc, "UK") == 0 ? "; the United Kingdom is GB" : "");
        buf_release(&q);
        return -1;
    }
    ts_quote_for_msg(&q, s, len, 40);
    ts_err_set(err, "'%s' is not a country code (expected two letters, like US or CN)",
               q.data ? q.data : "");
    buf_release(&q);
    return -1;
}

void vendors_parse_result_release(struct vendors_parse_result *r)
{
    buf_release(&r->skipped_list);
}

#define VP_FIELDS    16          /* fields of a row kept; the rest are counted */
#define VP_FIELD_MAX (64 * 1024) /* longest field accepted, in bytes */

/* libcsv callbacks collect one row's fields, then handle the row. */
struct vendors_parser {
    struct csv_parser p;
    struct ts_buf fields[VP_FIELDS];
    size_t nfields;
    long line;      /* of the current row */
    long at_line;   /* the physical line of the next byte fed, 1-based */
    int line_start; /* the next byte fed starts a line */
    int after_cr;   /* the last byte fed was a '\r' that ended a line */
    long rows_seen;
    int col_vendor, col_country, col_name;
    int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err);
    void *ctx;
    struct vendors_parse_result *res;
    struct ts_err *err;
    int failed;
    int bom; /* bytes of a UTF-8 byte order mark met at the start; 3 when done */
    struct ts_buf vendor;
};

static void vp_field(void *data, size_t len, void *p)
{
    struct vendors_parser *vp = p;

    if (vp->failed)
        return;
    if (len > VP_FIELD_MAX) {
        ts_err_at(vp->err, vp->line, 0, "field too long (more than %d bytes)", VP_FIELD_MAX);
        vp->failed = 1;
        return;
    }
    if (vp->nfields < VP_FIELDS) {
        buf_reset(&vp->fields[vp->nfields]);
        buf_add(&vp->fields[vp->nfields], data ? data : "", data ? len : 0);
    }
    vp->nfields++;
}

static const char *vp_get(struct vendors_parser *vp, int col)
{
    if (col < 0 || (size_t)col >= vp->nfields || col >= VP_FIELDS)
        return "";
    return vp->fields[col].data ? vp->fields[col].data : "";
}

/* Names a skipped vendor in the summary, the first few of them. */
static void vp_skip(struct vendors_parser *vp, const char *vendor, const char *why)
{
    struct vendors_parse_result *r = vp->res;

    if (r->skipped < VENDORS_SKIPPED_SHOWN) {
        if (r->skipped_list.len)
            buf_adds(&r->skipped_list, ", ");
        ts_quote_for_msg(&r->skipped_list, vendor, strlen(vendor), 60);
        buf_adds(&r->skipped_list, " (");
        ts_quote_for_msg(&r->skipped_list, why, strlen(why), 40);
        buf_adds(&r->skipped_list, ")");
    }
    r->skipped++;
}

/* A header cell naming a column: refused when another named it already. */
static int vp_header_col(struct vendors_parser *vp, int *col, int i, const char *what)
{
    if (*col < 0) {
        *col = i;
        return 0;
    }
    ts_err_at(vp->err, vp->line, 0,
              "columns %d '%s' and %d '%s' both give %s (expected one column for each)", *col + 1,
              vp_get(vp, *col), i + 1, vp_get(vp, i), what);
    return -1;
}

static void vp_header(struct vendors_parser *vp)
{
    vp->col_vendor = vp->col_country = vp->col_name = -1;
    for (size_t i = 0; i < vp->nfields && i < VP_FIELDS; i++) {
        const char *h = vp_get(vp, (int)i);
        int rc = 0;
        if (strcasecmp(h, "vendor") == 0 || strcasecmp(h, "author") == 0)
            rc = vp_header_col(vp, &vp->col_vendor, (int)i, "the vendor");
        else if (strcasecmp(h, "country") == 0)
            rc = vp_header_col(vp, &vp->col_country, (int)i, "the country");
        else if (strcasecmp(h, "name") == 0)
            rc = vp_header_col(vp, &vp->col_name, (int)i, "the name");
        if (rc < 0)
            goto fail;
    }
    if (vp->col_vendor < 0)
        ts_err_at(vp->err, vp->line, 0,
                  "no vendor column (expected a header naming vendor or author)");
    else if (vp->col_country < 0)
        ts_err_at(vp->err, vp->line, 0, "no country column (expected a header naming country)");
    else
        return;
fail:
    vp->failed = 1;
}

static void vp_row(int c, void *p)
{
    struct vendors_parser *vp = p;
    (void)c;

    if (vp->failed) {
        vp->nfields = 0;
        return;
    }
    if (vp->nfields == 1 && vp_get(vp, 0)[0] == '\0') {
        vp->nfields = 0; /* a blank line */
        return;
    }
    if (vp->rows_seen++ == 0) {
        vp_header(vp);
        vp->nfields = 0;
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

struct vendors_parser *
vendors_parser_new(int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err),
                   void *ctx, struct vendors_parse_result *res, struct ts_err *err)
{
    struct vendors_parser *vp = xcalloc(1, sizeof(*vp));

    vp->fn = fn;
    vp->ctx = ctx;
    vp->res = res;
    vp->err = err;
    vp->at_line = 1;
    vp->line_start = 1;
    if (csv_init(&vp->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(vp);
        return NULL;
    }
    /* Out of memory is fatal in one place (xrealloc), not a parse error. */
    csv_set_realloc_func(&vp->p, xrealloc);
    csv_set_free_func(&vp->p, free);
    return vp;
}

/* Hands data[0..n) to libcsv, which is one physical line at most. */
static int vp_parse(struct vendors_parser *vp, const char *data, size_t n)
{
    if (csv_parse(&vp->p, data, n, vp_field, vp_row, vp) != n) {
        vp->failed = 1;
        return ts_err_at(vp->err, vp->at_line, 0, "malformed CSV (%s)",
                         csv_strerror(csv_error(&vp->p)));
    }
    /* A field that goes on and on (/dev/zero) fails as it passes the
     * limit, as one that ends would (vp_field), however it is chunked. */
    if (vp->p.entry_pos > VP_FIELD_MAX) {
        vp->failed = 1;
        return ts_err_at(vp->err, vp->line, 0, "field too long (more than %d bytes)", VP_FIELD_MAX);
    }
    return vp->failed ? -1 : 0;
}

static int vp_lines(struct vendors_parser *vp, const char *data, size_t len);

int vendors_parser_feed(struct vendors_parser *vp, const char *data, size_t len)
{
    static const char bom[] = "\xEF\xBB\xBF";
    size_t pos = 0;

    /* A byte order mark at the start is skipped, whatever the chunks. */
    while (vp->bom < 3 && pos < len) {
        if (data[pos] != bom[vp->bom]) {
            int seen = vp->bom;
            vp->bom = 3; /* no mark: the bytes taken for one are text */
            if (seen > 0 && vp_lines(vp, bom, (size_t)seen) < 0)
                return -1;
            break;
        }
        vp->bom++;
        pos++;
    }
    return vp_lines(vp, data + pos, len - pos);
}

/* Hands data to libcsv line by line. */
static int vp_lines(struct vendors_parser *vp, const char *data, size_t len)
{
    size_t pos = 0;

    /* Line by line, so that errors know their line: a line ends at '\n',
     * "\r\n" or a lone '\r' (also when '\r' ends one chunk and '\n' starts
     * the next). */
    while (pos < len && !vp->failed) {
        if (vp->after_cr) {
            vp->after_cr = 0;
            if (data[pos] == '\n') {
                if (vp_parse(vp, data + pos, 1) < 0)
                    return -1;
                pos++;
                continue;
            }
        }
        if (vp->line_start && vp->nfields == 0)
            vp->line = vp->at_line;
        size_t end = pos;
        int newline = 0;
        while (end < len && data[end] != '\n' && data[end] != '\r')
            end++;
        if (end < len) {
            newline = 1;
            if (data[end++] == '\r') {
                if (end < len && data[end] == '\n')
                    end++;
                else if (end == len)
                    vp->after_cr = 1;
            }
        }
        if (vp_parse(vp, data + pos, end - pos) < 0)
            return -1;
        vp->at_line += newline;
        vp->line_start = newline;
        pos = end;
    }
    return vp->failed ? -1 : 0;
}

int vendors_parser_end(struct vendors_parser *vp)
{
    if (vp->failed)
        return -1;
    if (csv_fini(&vp->p, vp_field, vp_row, vp) != 0)
        return ts_err_at(vp->err, vp->line, 0, "unterminated quoted field");
    if (vp->failed)
        return -1;
    if (vp->rows_seen == 0)
        return ts_err_set(vp->err, "empty file (expected a header row)");
    return 0;
}

void vendors_parser_free(struct vendors_parser *vp)
{
    if (!vp)
        return;
    csv_free(&vp->p);
    for (size_t i = 0; i < VP_FIELDS; i++)
        buf_release(&vp->fields[i]);
    buf_release(&vp->vendor);
    free(vp);
}

int vendors_parse(const char *data, size_t len,
                  int (*fn)(void *ctx, const struct vendor_row *row, struct ts_err *err), void *ctx,
                  struct vendors_parse_result *res, struct ts_err *err)
{
    struct vendors_parser *vp = vendors_parser_new(fn, ctx, res, err);
    int rc;

    if (!vp)
        return ts_err_set(err, "cannot start the CSV parser");
    rc = vendors_parser_feed(vp, data, len) < 0 || vendors_parser_end(vp) < 0 ? -1 : 0;
    vendors_parser_free(vp);
    return rc;
}
