/* progress.c - the import progress bar: one line on a terminal, redrawn in
 * place with '\r' and cleared with spaces when the file is done. */
#include "render/progress.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

#define BAR_MIN        10 /* cells; with less room the bar is left out */
#define BAR_MAX        50
#define LABEL_MAX_COLS 60 /* longer names show "..." and their end */
#define LABEL_MIN_COLS 8  /* with less room the label is left out */

/* Appends to a fixed buffer, silently stopping one byte short of its end. */
struct line {
    char *b;
    size_t cap, len;
};

static void put(struct line *l, const char *s, size_t n)
{
    if (l->cap == 0)
        return;
    if (n > l->cap - 1 - l->len)
        n = l->cap - 1 - l->len;
    memcpy(l->b + l->len, s, n);
    l->len += n;
    l->b[l->len] = '\0';
}

static void put_rep(struct line *l, char c, size_t n)
{
    while (n-- > 0)
        put(l, &c, 1);
}

/* Terminal columns of valid UTF-8 text: one per character. */
static size_t text_cols(const char *s, size_t n)
{
    size_t cols = 0;

    for (size_t i = 0; i < n; i++)
        cols += ((unsigned char)s[i] & 0xc0) != 0x80;
    return cols;
}

/* Copies s[0..n) into out (n + 1 bytes) as text safe to show on a
 * terminal: control characters (C0, DEL, C1) and bytes that are not UTF-8
 * become '?'. Returns the length written, at most n. */
static size_t label_clean(const char *s, size_t n, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = 0;

    for (size_t i = 0; i < n;) {
        size_t k = ts_utf8_seq(p + i, n - i);
        if (k == 0 || (k == 1 && (p[i] < 0x20 || p[i] == 0x7f)) ||
            (k == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)) {
            out[len++] = '?';
            i += k ? k : 1; /* a control character, or one stray byte */
            continue;
        }
        memcpy(out + len, p + i, k);
        len += k;
        i += k;
    }
    out[len] = '\0';
    return len;
}

/* The byte offset in s[0..n) where its last cols columns begin. */
static size_t tail_start(const char *s, size_t n, size_t cols)
{
    size_t i = n;

    while (i > 0 && cols > 0) {
        i--;
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            cols--;
    }
    return i;
}

static void fmt_bytes(char *out, size_t n, unsigned long long b)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v;
    size_t u = 0;

    if (b < 1000) {
        snprintf(out, n, "%llu B", b);
        return;
    }
    v = (double)b / 1024.0;
    while (v >= 999.5 && u + 1 < sizeof(units) / sizeof(units[0])) {
        v /= 1024.0;
        u++;
    }
    if (v < 9.995)
        snprintf(out, n, "%.2f %s", v, units[u]);
    else if (v < 99.95)
        snprintf(out, n, "%.1f %s", v, units[u]);
    else
        snprintf(out, n, "%.0f %s", v, units[u]);
}

static void fmt_elapsed(char *out, size_t n, long long ms)
{
    long long s = ms > 0 ? ms / 1000 : 0;

    if (s >= 3600)
        snprintf(out, n, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, n, "%lld:%02lld", s / 60, s % 60);
}

/* "42% 1.00 MiB of 2.38 MiB 0:03", or "1.00 MiB read 0:03" for an unknown
 * total; *frac gets the fraction done (1 when unknown). Returns its length. */
static size_t stats_text(char *out, size_t n, unsigned long long done, long long total,
                         long long elapsed_ms, double *frac)
{
    char a[32], b[32], t[32];

    *frac = 1.0;
    fmt_bytes(a, sizeof(a), done);
    fmt_elapsed(t, sizeof(t), elapsed_ms);
    if (total < 0) {
        snprintf(out, n, "%s read %s", a, t);
        return strlen(out);
    }
    int pct = 100;
    fmt_bytes(b, sizeof(b), (unsigned long long)total);
    if (total > 0 && done < (unsigned long long)total) {
        *frac = (double)done / (double)total;
        pct = (int)(*frac * 100.0);
        if (pct > 99)
            pct = 99; /* 100 % only when it is all there */
    }
    snprintf(out, n, "%3d%% %s of %s %s", pct, a, b, t);
    return strlen(out);
}

/* A label as shown: its cleaned end, at most LABEL_MAX_COLS columns with
 * "..." in front when cut. */
struct label {
    char text[LABEL_MAX_COLS * 4 + 8];
    size_t len, cols; /* cols counts the "..." */
    size_t from;      /* where the shown part starts in text */
    int ellipsis;
};

static void label_make(struct label *lb, const char *label)
{
    memset(lb, 0, sizeof(*lb));
    if (!label || !*label)
        return;
    /* Only the end of a long name can be shown: clean no more of it than
     * the longest label needs, from a character boundary. */
    char whole[sizeof(lb->text)];
    size_t n = strlen(label), from = 0, start = 0;
    if (n > LABEL_MAX_COLS * 4) {
        from = n - LABEL_MAX_COLS * 4;
        while (from < n && ((unsigned char)label[from] & 0xc0) == 0x80)
            from++;
        lb->ellipsis = 1;
    }
    size_t whole_len = label_clean(label + from, n - from, whole);
    if (text_cols(whole, whole_len) > LABEL_MAX_COLS || lb->ellipsis) {
        lb->ellipsis = 1;
        start = tail_start(whole, whole_len, LABEL_MAX_COLS - 3);
    }
    lb->len = whole_len - start;
    memcpy(lb->text, whole + start, lb->len);
    lb->text[lb->len] = '\0';
    lb->cols = (lb->ellipsis ? 3 : 0) + text_cols(lb->text, lb->len);
}

/* Shortens the label to what fits beside the numbers (and the bar, when
 * there is room for both): label, bar and numbers; else the label and
 * numbers; else the numbers alone. */
static void label_fit(struct label *lb, size_t stats_len, int known, size_t max)
{
    size_t with_bar = stats_len + (known ? 3 + BAR_MIN : 0);
    size_t need = lb->cols < LABEL_MIN_COLS ? lb->cols : LABEL_MIN_COLS;

    if (lb->cols == 0 || with_bar + 1 + lb->cols <= max)
        return;
    size_t room = with_bar + 1 + need <= max    ? max - with_bar - 1
                  : stats_len + 1 + need <= max ? max - stats_len - 1
                                                : 0;
    if (room >= lb->cols)
        return;
    lb->from = room >= LABEL_MIN_COLS ? tail_start(lb->text, lb->len, room - 3) : lb->len;
    lb->ellipsis = room >= LABEL_MIN_COLS;
    lb->cols = room >= LABEL_MIN_COLS ? room : 0;
}

size_t progress_format(char *buf, size_t cap, const char *label, unsigned long long done,
                       long long total, int width, long long elapsed_ms)
{
    struct line l = {buf, cap, 0};
    struct label lb;
    char stats[128];
    size_t stats_len, max, bar = 0;
    int known = total >= 0;
    double frac;

    if (cap == 0)
        return 0;
    buf[0] = '\0';
    if (width < 2)
        return 0;
    max = (size_t)width - 1;
    stats_len = stats_text(stats, sizeof(stats), done, total, elapsed_ms, &frac);
    label_make(&lb, label);
    label_fit(&lb, stats_len, known, max);

    size_t used = stats_len + (lb.cols > 0 ? lb.cols + 1 : 0);
    if (known && used + 3 + BAR_MIN <= max) {
        bar = max - used - 3;
        if (bar > BAR_MAX)
            bar = BAR_MAX;
    }
    if (lb.cols > 0) {
        if (lb.ellipsis)
            put(&l, "...", 3);
        put(&l, lb.text + lb.from, lb.len - lb.from);
        put(&l, " ", 1);
    }
    if (bar > 0) {
        size_t filled = (size_t)(frac * (double)bar);
        if (filled > bar)
            filled = bar;
        put(&l, "[", 1);
        put_rep(&l, '=', filled);
        if (filled < bar) {
            put(&l, ">", 1);
            put_rep(&l, ' ', bar - filled - 1);
        }
        put(&l, "] ", 2);
    }
    put(&l, stats, stats_len < max ? stats_len : max);
    return l.len;
}

long long progress_delay_ms(const char *s)
{
    char *end;
    long long v;

    if (!s || *s < '0' || *s > '9')
        return PROGRESS_DELAY_MS_DEFAULT;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > 86400000LL)
        return PROGRESS_DELAY_MS_DEFAULT;
    return v;
}

int progress_term_width(int fd)
{
    const char *cols = getenv("COLUMNS");
    struct winsize ws;

    if (cols && *cols >= '0' && *cols <= '9') {
        char *end;
        long w = strtol(cols, &end, 10);
        if (*end == '\0' && w > 0 && w < 10000)
            return (int)w;
    }
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

long long progress_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_start(struct progress *p, FILE *out, const char *label, long long total, int width,
                    long long delay_ms, long long now_ms)
{
    p->out = out;
    p->label = label;
    p->total = total;
    p->width = width;
    p->delay_ms = delay_ms;
    p->start_ms = now_ms;
    p->last_ms = now_ms - PROGRESS_REDRAW_MS; /* the first tick past the delay draws */
    p->shown = 0;
}

void progress_tick(struct progress *p, unsigned long long done, long long now_ms)
{
    char line[PROGRESS_LINE_MAX];
    size_t len, cols;

    if (!p->out || now_ms - p->start_ms < p->delay_ms || now_ms - p->last_ms < PROGRESS_REDRAW_MS)
        return;
    p->last_ms = now_ms;
    len = progress_format(line, sizeof(line), p->label, done, p->total, p->width,
                          now_ms - p->start_ms);
    cols = text_cols(line, len);
    fputc('\r', p->out);
    fwrite(line, 1, len, p->out);
    /* Blanks over the rest of a longer line drawn before. */
    for (size_t i = cols; i < p->shown; i++)
        fputc(' ', p->out);
    if (cols < p->shown)
        cols = p->shown;
    p->shown = cols;
    fflush(p->out);
}

void progress_update(struct progress *p, unsigned long long done)
{
    if (p->out)
        progress_tick(p, done, progress_now_ms());
}

void progress_end(struct progress *p)
{
    if (p->out && p->shown > 0) {
        fputc('\r', p->out);
        for (size_t i = 0; i < p->shown; i++)
            fputc(' ', p->out);
        fputc('\r', p->out);
        fflush(p->out);
    }
    p->shown = 0;
    p->out = NULL;
}
