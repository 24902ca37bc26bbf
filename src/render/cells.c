/* cells.c - the text and data forms of numbers and cells that every
 * format shares, and the blocks of rows under their headings. */
#include "render/cells.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "core/week.h"
#include "render/render.h"

/* ---- numbers ---- */

static const char units[] = " KMBTPE"; /* 1e3 ... 1e18; int64 ends at 9.22E */

void render_tokens_human(int64_t v, char *buf, size_t n)
{
    /* The magnitude as uint64_t, so INT64_MIN works too. */
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    const char *sign = v < 0 ? "-" : "";

    if (m < 1000) {
        snprintf(buf, n, "%s%" PRIu64, sign, m);
        return;
    }
    /* m = x * 1000^u with 1 <= x < 1000; x has d integer digits. Keep three
     * significant digits: q = round(m / scale), 100 <= q <= 1000. */
    int u = 0, d;
    uint64_t unit = 1;
    while (m / unit >= 1000) {
        unit *= 1000;
        u++;
    }
    uint64_t x = m / unit;
    d = x >= 100 ? 3 : x >= 10 ? 2 : 1;
    uint64_t scale = unit / (d == 3 ? 1 : d == 2 ? 10 : 100);
    uint64_t q = m / scale, rem = m % scale;
    if (rem >= scale - rem) /* halves up */
        q++;
    if (q == 1000) { /* 9.995K -> 10.0K, 999.5K -> 1.00M */
        q = 100;
        if (d < 3) {
            d++;
        } else {
            d = 1;
            u++;
        }
    }
    switch (d) {
    case 1:
        snprintf(buf, n, "%s%" PRIu64 ".%02" PRIu64 "%c", sign, q / 100, q % 100, units[u]);
        break;
    case 2:
        snprintf(buf, n, "%s%" PRIu64 ".%" PRIu64 "%c", sign, q / 10, q % 10, units[u]);
        break;
    default:
        snprintf(buf, n, "%s%" PRIu64 "%c", sign, q, units[u]);
        break;
    }
}

/* Whether the number in s has only zero digits ("-0.0", "+0.000000"). */
static int all_zero(const char *s)
{
    for (; *s; s++) {
        if (*s >= '1' && *s <= '9')
            return 0;
    }
    return 1;
}

/* v with the given decimals, then suffix; with plus, a '+' before a value
 * above zero. A value that prints as zero never has a sign. */
static void fixed(double v, int decimals, int plus, const char *suffix, char *buf, size_t n)
{
    char num[RENDER_CELL_MAX];

    snprintf(num, sizeof(num), plus ? "%+.*f" : "%.*f", decimals, v);
    const char *p = num;
    if ((num[0] == '-' || num[0] == '+') && all_zero(num))
        p++;
    snprintf(buf, n, "%s%s", p, suffix);
}

void render_percent(double fraction, char *buf, size_t n)
{
    fixed(fraction * 100.0, 1, 0, " %", buf, n);
}

/* v rounded to an integer (halves away from zero) with thousands
 * separators: "2,345", "-1,234"; with plus "+150". Zero is "0". */
static void grouped(double v, int plus, char *buf, size_t n)
{
    char digits[RENDER_CELL_MAX];
    double r = round(v);

    if (r == 0.0)
        r = 0.0; /* -0.0 */
    snprintf(digits, sizeof(digits), "%.0f", fabs(r));

    size_t len = strlen(digits), k = 0;
    char tmp[RENDER_CELL_MAX + RENDER_CELL_MAX / 3];
    if (r < 0)
        tmp[k++] = '-';
    else if (plus && r > 0)
        tmp[k++] = '+';
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            tmp[k++] = ',';
        tmp[k++] = digits[i];
    }
    tmp[k] = '\0';
    snprintf(buf, n, "%s", tmp);
}

void render_points(double v, int plus, char *buf, size_t n)
{
    grouped(v, plus, buf, n);
}

/* ---- cells ---- */

static int is_real(enum rs_type t)
{
    return t == RS_SHARE || t == RS_PP || t == RS_GROWTH || t == RS_INDEX || t == RS_DELTA ||
           t == RS_USD || t == RS_PRICE || t == RS_RATIO;
}

/* Dollars: "$12.34" below a thousand, then "$1.23K", "$950K", "$1.23M";
 * past the int64 range (a spend is a sum of doubles) "$12.3E", then
 * "$1.23e+21"; never through an integer that could overflow. exact:
 * "$1,234,567.89" (past 1e40, "$1.23e+40"). */
static void usd(double v, int exact, char *buf, size_t n)
{
    char num[64];
    double a = fabs(v);
    const char *sign = v < 0 && a >= 0.005 ? "-" : "";

    if (exact && a < 1e40) { /* 41 digits and 13 commas fit num */
        double cents = round(a * 100.0);
        double whole = floor(cents / 100.0);
        grouped(whole, 0, num, sizeof(num));
        snprintf(buf, n, "%s$%s.%02d", sign, num, (int)(cents - whole * 100.0));
    } else if (a < 999.995) {
        snprintf(buf, n, "%s$%.2f", sign, a);
    } else if (a < 9e18) { /* llround is exact and in range */
        render_tokens_human(llround(a), num, sizeof(num));
        snprintf(buf, n, "%s$%s", sign, num);
    } else if (a < 999.5e18) { /* exa-dollars, three significant digits */
        double e = a / 1e18;
        snprintf(buf, n, "%s$%.*fE", sign, e < 9.995 ? 2 : e < 99.95 ? 1 : 0, e);
    } else {
        snprintf(buf, n, "%s$%.2e", sign, a);
    }
}

/* A price per million tokens: two decimals, or under $1 as many as three
 * significant digits need, without trailing zeros past the second:
 * "$0.30", "$0.045", "$0.0375", "$0.996", "$25.00". */
static void price(double v, char *buf, size_t n)
{
    char num[64];
    int decimals = 2;

    if (v > 0 && v < 1)
        decimals = (int)-floor(log10(v)) + 2;
    if (decimals > 6)
        decimals = 6; /* prices are exact to six decimals */
    snprintf(num, sizeof(num), "%.*f", decimals, v);
    size_t len = strlen(num), dot = strcspn(num, ".");
    while (len > dot + 3 && num[len - 1] == '0')
        num[--len] = '\0';
    snprintf(buf, n, "$%s", num);
}

/* s as text output shows it: s itself, or escaped (ts_text_escape) into
 * buf, cut to fit with "..." at the end. */
static const char *shown_text(const char *s, char *buf)
{
    struct ts_buf b = TS_BUF_INIT;
    size_t len = strlen(s);

    if (ts_text_plain(s, len))
        return s;
    ts_text_escape(&b, s, len);
    if (b.len >= RENDER_CELL_MAX) {
        size_t keep = RENDER_CELL_MAX - 4;
        while (keep > 0 && ((unsigned char)b.data[keep] & 0xc0) == 0x80)
            keep--; /* not inside a character */
        memcpy(b.data + keep, "...", 4);
        b.len = keep + 3;
    }
    memcpy(buf, b.data, b.len + 1);
    buf_release(&b);
    return buf;
}

void render_text(FILE *out, const char *s)
{
    size_t len = strlen(s);

    if (ts_text_plain(s, len)) {
        fputs(s, out);
    } else {
        struct ts_buf b = TS_BUF_INIT;
        ts_text_escape(&b, s, len);
        fputs(b.data, out);
        buf_release(&b);
    }
}

const char *render_cell_text(const struct rs_col *col, const struct rs_cell *c, int exact,
                             char *buf)
{
    if (c->kind != RS_VALUE)
        return "";
    if (is_real(col->type) && !isfinite(c->d))
        return "";
    switch (col->type) {
    case RS_TEXT:
        return c->s ? shown_text(c->s, buf) : "";
    case RS_DATE:
        date_format((int32_t)c->i, buf);
        break;
    case RS_INT:
        snprintf(buf, RENDER_CELL_MAX, "%" PRId64, c->i);
        break;
    case RS_TOKENS:
        if (exact)
            snprintf(buf, RENDER_CELL_MAX, "%" PRId64, c->i);
        else
            render_tokens_human(c->i, buf, RENDER_CELL_MAX);
        break;
    case RS_SHARE:
        render_percent(c->d, buf, RENDER_CELL_MAX);
        break;
    case RS_PP:
        fixed(c->d * 100.0, 1, 1, " pp", buf, RENDER_CELL_MAX);
        break;
    case RS_GROWTH:
        fixed(c->d * 100.0, 1, 1, " %", buf, RENDER_CELL_MAX);
        break;
    case RS_INDEX:
        grouped(c->d, 0, buf, RENDER_CELL_MAX);
        break;
    case RS_DELTA:
        grouped(c->d, 1, buf, RENDER_CELL_MAX);
        break;
    case RS_USD:
        usd(c->d, exact, buf, RENDER_CELL_MAX);
        break;
    case RS_PRICE:
        price(c->d, buf, RENDER_CELL_MAX);
        break;
    case RS_RATIO:
        fixed(c->d, 1, 0, "x", buf, RENDER_CELL_MAX);
        break;
    default:
        return "";
    }
    return buf;
}

enum render_data render_cell_data(const struct rs_col *col, const struct rs_cell *c, char *buf,
                                  const char **text)
{
    *text = "";
    if (c->kind != RS_VALUE)
        return RENDER_DATA_NULL;
    switch (col->type) {
    case RS_TEXT:
        *text = c->s ? c->s : "";
        return RENDER_DATA_STRING;
    case RS_DATE:
        date_format((int32_t)c->i, buf);
        *text = buf;
        return RENDER_DATA_STRING;
    case RS_INT:
    case RS_TOKENS:
        snprintf(buf, RENDER_CELL_MAX, "%" PRId64, c->i);
        *text = buf;
        return RENDER_DATA_NUMBER;
    default:
        if (!is_real(col->type) || !isfinite(c->d))
            return RENDER_DATA_NULL; /* JSON has no NaN */
        fixed(c->d, col->type == RS_USD ? 2 : 6, 0, "", buf, RENDER_CELL_MAX);
        *text = buf;
        return RENDER_DATA_NUMBER;
    }
}

int render_col_shown(const struct rs_col *col, int text)
{
    return !(col->flags & (text ? RS_COL_DATA_ONLY : RS_COL_TEXT_ONLY));
}

int render_col_visible(const struct rowset *rs, size_t c, int text)
{
    if (!render_col_shown(&rs->cols[c], text))
        return 0;
    if (!text || !(rs->cols[c].flags & RS_COL_SPARSE))
        return 1;
    for (size_t r = 0; r < rs->nrows; r++) {
        if (rs->rows[r].cells[c].kind != RS_NULL)
            return 1;
    }
    return 0;
}

int render_col_right(const struct rs_col *col)
{
    return col->type != RS_TEXT && col->type != RS_DATE;
}

int render_cell_sign(const struct rs_col *col, const struct rs_cell *c, const char *text)
{
    if (!(col->flags & RS_COL_COLOR))
        return 0;
    if (c->kind != RS_VALUE || col->type == RS_TEXT || col->type == RS_DATE)
        return 0;
    /* By the printed text, so a change that shows as "0.0 pp" stays plain. */
    if (text[0] == '-')
        return -1;
    return all_zero(text) ? 0 : 1;
}

/* ---- blocks ---- */

int render_has_blocks(const struct rowset *rs)
{
    return rs->block_col >= 0 && (size_t)rs->block_col < rs->ncols;
}

static int same_cell(enum rs_type t, const struct rs_cell *a, const struct rs_cell *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind != RS_VALUE)
        return 1;
    if (t == RS_TEXT)
        return strcmp(a->s ? a->s : "", b->s ? b->s : "") == 0;
    if (is_real(t))
        return a->d == b->d || (isnan(a->d) && isnan(b->d));
    return a->i == b->i;
}

size_t render_block_end(const struct rowset *rs, size_t i)
{
    if (!render_has_blocks(rs))
        return rs->nrows;
    size_t c = (size_t)rs->block_col;
    enum rs_type t = rs->cols[c].type;
    size_t j = i + 1;
    while (j < rs->nrows && same_cell(t, &rs->rows[i].cells[c], &rs->rows[j].cells[c]))
        j++;
    return j;
}

void render_block_heading(struct ts_buf *b, const struct rowset *rs, size_t i, int exact)
{
    char buf[RENDER_CELL_MAX];
    size_t c = (size_t)rs->block_col;
    const char *v = render_cell_text(&rs->cols[c], &rs->rows[i].cells[c], exact, buf);
    const char *t = rs->block_title;

    buf_add(b, "", 0);
    if (!t) {
        buf_adds(b, v);
        return;
    }
    int done = 0;
    for (; *t; t++) {
        if (t[0] == '%' && t[1] == 's' && !done) {
            buf_adds(b, v);
            done = 1;
            t++;
        } else if (t[0] == '%' && t[1] == '%') {
            buf_addc(b, '%');
            t++;
        } else {
            buf_addc(b, *t);
        }
    }
}

void render_add_fitted(struct ts_buf *b, const char *s, size_t width)
{
    if (render_utf8_len(s) <= width) {
        buf_adds(b, s);
        return;
    }
    size_t keep = width > 3 ? width - 3 : 0, chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if (chars == keep)
                break;
            chars++;
        }
    }
    buf_add(b, s, i);
    buf_adds(b, "...");
}

size_t render_utf8_len(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    }
    return n;
}
