/* cell.c - a model's week of observations as JSON text, both ways. Written
 * by hand: it is on the path of every imported row. */
#include "db/cell.h"

#include <string.h>

#include "core/week.h"

/* Writes the decimal digits of v >= 0 at p; returns the end. */
static char *put_int(char *p, int64_t v)
{
    char d[20];
    int n = 0;
    uint64_t u = (uint64_t)v;

    do {
        d[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n > 0)
        *p++ = d[--n];
    return p;
}

/* The longest text of a cell: 7 slots of 7 fields of up to 19 digits. */
#define CELL_TEXT_MAX (16 + CELL_DAYS * (2 + CELL_FIELDS * 20))

void cell_encode(const struct cell_slot *s, int nslots, struct ts_buf *out)
{
    char text[CELL_TEXT_MAX], *p = text;

    *p++ = '[';
    for (int i = 0; i < nslots && i < CELL_DAYS; i++) {
        if (i)
            *p++ = ',';
        if (!s[i].filled) {
            memcpy(p, "null", 4);
            p += 4;
            continue;
        }
        int last = CELL_FIELDS - 1;
        while (last > CELL_IMPORT && s[i].v[last] < 0)
            last--;
        *p++ = '[';
        for (int f = 0; f <= last; f++) {
            if (f)
                *p++ = ',';
            if (s[i].v[f] < 0) {
                memcpy(p, "null", 4);
                p += 4;
            } else {
                p = put_int(p, s[i].v[f]);
            }
        }
        *p++ = ']';
    }
    *p++ = ']';
    buf_add(out, text, (size_t)(p - text));
}

struct reader {
    const char *p, *end;
};

static void skip_ws(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int take(struct reader *r, char c)
{
    skip_ws(r);
    if (r->p < r->end && *r->p == c) {
        r->p++;
        return 1;
    }
    return 0;
}

static int take_null(struct reader *r)
{
    skip_ws(r);
    if (r->end - r->p >= 4 && memcmp(r->p, "null", 4) == 0) {
        r->p += 4;
        return 1;
    }
    return 0;
}

/* A count >= 0, or null (TS_ABSENT). */
static int read_value(struct reader *r, int64_t *out)
{
    if (take_null(r)) {
        *out = -1;
        return 0;
    }
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
        return -1;
    int64_t v = 0;
    for (; r->p < r->end && *r->p >= '0' && *r->p <= '9'; r->p++) {
        if (v > (INT64_MAX - (*r->p - '0')) / 10)
            return -1;
        v = v * 10 + (*r->p - '0');
    }
    *out = v;
    return 0;
}

int cell_decode(const char *text, size_t len, struct cell_slot *s, int nslots)
{
    struct reader r = {text, text + len};

    memset(s, 0, (size_t)nslots * sizeof(*s));
    if (!take(&r, '['))
        return -1;
    for (int i = 0;; i++) {
        if (i == 0 && take(&r, ']'))
            break;
        if (i >= nslots)
            return -1;
        if (!take_null(&r)) {
            if (!take(&r, '['))
                return -1;
            s[i].filled = 1;
            for (int f = 0; f < CELL_FIELDS; f++)
                s[i].v[f] = -1;
            for (int f = 0;; f++) {
                if (f >= CELL_FIELDS || read_value(&r, &s[i].v[f]) < 0)
                    return -1;
                if (take(&r, ']'))
                    break;
                if (!take(&r, ','))
                    return -1;
            }
            if (s[i].v[CELL_TOTAL] < 0 || s[i].v[CELL_IMPORT] < 0)
                return -1;
        }
        if (take(&r, ']'))
            break;
        if (!take(&r, ','))
            return -1;
    }
    skip_ws(&r);
    return r.p == r.end ? 0 : -1;
}

int cell_has_split(const struct cell_slot *s)
{
    const int64_t *f = s->v;

    return f[CELL_PROMPT] >= 0 && f[CELL_COMPLETION] >= 0 &&
           !(f[CELL_PROMPT] == 0 && f[CELL_COMPLETION] == 0 && f[CELL_TOTAL] > 0);
}

int cell_damaged(struct ts_err *err, int64_t model, int32_t week)
{
    char monday[TS_DATE_LEN + 1];

    date_format(week, monday);
    return ts_err_set(err, "database: damaged observations of model %lld in the week of %s",
                      (long long)model, monday);
}
