/* progress.h - a progress bar for long imports, drawn on a terminal.
 *
 * progress_format() lays out one line and is pure. A struct progress
 * decides when to draw: not before a delay has passed since the file's
 * start (short imports never flash a bar), at most every
 * PROGRESS_REDRAW_MS, and only when it was given a stream. The caller
 * passes a stream only when it is a terminal and the user did not ask for
 * quiet; with NULL every call is a no-op. */
#ifndef TOKSTAT_RENDER_PROGRESS_H
#define TOKSTAT_RENDER_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

#define PROGRESS_DELAY_MS_DEFAULT 1000 /* TOKSTAT_PROGRESS_DELAY_MS when unset */
#define PROGRESS_REDRAW_MS        100  /* at most ten redraws a second */
#define PROGRESS_LINE_MAX         1024 /* bytes of one line, NUL included */

/* Writes into buf (cap bytes, always NUL-terminated) one line that fits in
 * width - 1 terminal columns (the last column is left free, so no terminal
 * wraps): the label (a file name; control characters shown as '?', the
 * start cut to "..." when too long; NULL or "" for none), then for a known
 * total (total >= 0) a bar, the percentage and "DONE of TOTAL", for an
 * unknown one (total < 0) "DONE read"; then the elapsed time (m:ss).
 * Byte counts are binary units (B, KiB, MiB, GiB, TiB), three significant
 * digits. Parts are dropped when the width is too small for them: the bar
 * first, then the label. Returns the length of the line in bytes. */
size_t progress_format(char *buf, size_t cap, const char *label, unsigned long long done,
                       long long total, int width, long long elapsed_ms);

/* The delay before a bar appears, from the value of the environment
 * variable TOKSTAT_PROGRESS_DELAY_MS: whole milliseconds, 0 to 86400000.
 * NULL, empty or anything else gives PROGRESS_DELAY_MS_DEFAULT. */
long long progress_delay_ms(const char *s);

/* The width of the terminal on fd: $COLUMNS when it is a number from 1 to
 * 9999, else the terminal's own (TIOCGWINSZ), else 80. */
int progress_term_width(int fd);

/* Milliseconds of a monotonic clock. */
long long progress_now_ms(void);

struct progress {
    FILE *out;         /* where to draw, or NULL: draw nothing */
    const char *label; /* borrowed; must outlive the meter */
    long long total;   /* bytes expected, or -1 when unknown */
    int width;         /* terminal columns */
    long long delay_ms;
    long long start_ms;
    long long last_ms; /* when the line was last drawn */
    size_t shown;      /* bytes of the line on screen; 0 when none */
};

#define PROGRESS_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, -1, 80, PROGRESS_DELAY_MS_DEFAULT, 0, 0, 0                                     \
    }

/* Starts a meter at now_ms (progress_now_ms(), or a fixed value in tests).
 * out NULL makes every other call do nothing. */
void progress_start(struct progress *p, FILE *out, const char *label, long long total, int width,
                    long long delay_ms, long long now_ms);

/* Says done bytes are consumed, at now_ms: draws the line when the delay
 * has passed and the last draw is PROGRESS_REDRAW_MS old. Cheap enough to
 * call every few kilobytes, not for every row. */
void progress_tick(struct progress *p, unsigned long long done, long long now_ms);

/* progress_tick at the current time. */
void progress_update(struct progress *p, unsigned long long done);

/* Clears the line if one is shown, so that the next output starts on an
 * empty line; the meter then draws nothing more. Safe on PROGRESS_INIT. */
void progress_end(struct progress *p);

#endif
