/* chart.c - what the text and SVG charts share: releasing a chart, exact
 * proportional widths, the legend's names and shares, XML escapes. */
#include "render/chart.h"

#include <stdlib.h>
#include <string.h>

void chart_release(struct chart *c)
{
    for (size_t g = 0; g < c->ngroups; g++) {
        free(c->groups[g].name);
        free(c->groups[g].tokens);
    }
    free(c->groups);
    free(c->days);
    free(c->gap);
    free(c->listed);
    free(c->total);
    memset(c, 0, sizeof(*c));
}

/* ---- exact proportional widths ---- */

/* floor(a * b / c) with the remainder in *rem, for a < c < 2^63: long
 * division a bit of b at a time, so nothing overflows 64 bits. */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem)
{
    uint64_t q = 0, r = 0;

    for (int bit = 63; bit >= 0; bit--) {
        q <<= 1;
        r <<= 1; /* r < c < 2^63 */
        if (r >= c) {
            r -= c;
            q++;
        }
        if ((b >> bit) & 1) {
            r += a;
            if (r >= c) {
                r -= c;
                q++;
            }
        }
    }
    *rem = r;
    return q;
}

void chart_apportion(const int64_t *part, size_t n, int64_t total, long units, long *out)
{
    uint64_t *rem = xcalloc(n ? n : 1, sizeof(*rem));
    long given = 0;

    for (size_t i = 0; i < n; i++) {
        uint64_t p = part[i] > 0 ? (uint64_t)part[i] : 0, t = (uint64_t)total;
        uint64_t q = (p / t) * (uint64_t)units + muldiv(p % t, (uint64_t)units, t, &rem[i]);
        out[i] = (long)q;
        given += out[i];
    }
    /* Each remainder is below total and they add up to (units - given) *
     * total, so more parts than units left have one: no part of 0 gains. */
    for (; given < units; given++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            if (rem[i] > 0 && (best == n || rem[i] > rem[best]))
                best = i;
        }
        if (best == n)
            break;
        out[best]++;
        rem[best] = 0;
    }
    free(rem);
}

void chart_xml_escape(struct ts_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            buf_adds(b, "&amp;");
            break;
        case '<':
            buf_adds(b, "&lt;");
            break;
        case '>':
            buf_adds(b, "&gt;");
            break;
        case '"':
            buf_adds(b, "&quot;");
            break;
        case '\'':
            buf_adds(b, "&apos;");
            break;
        default:
            buf_addc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
            break;
        }
    }
}

void chart_legend_name(const struct chart *c, const struct chart_group *g, struct ts_buf *b)
{
    if (g->kind != CHART_REST) {
        ts_text_escape(b, g->name, strlen(g->name)); /* no control characters */
        return;
    }
    const char *one = c->by, *many = strcmp(c->by, "country") == 0  ? "countries"
                                     : strcmp(c->by, "vendor") == 0 ? "vendors"
                                                                    : "models";
    buf_printf(b, "rest (%zu more %s)", g->nfolded, ts_plural((long long)g->nfolded, one, many));
}

double chart_share(const struct chart *c, size_t g, size_t w)
{
    return c->total[w] > 0 ? (double)c->groups[g].tokens[w] / (double)c->total[w] : 0;
}
