/* report_args.c - the shared options of the report commands, the weeks
 * they choose, and how output looks on a terminal. */
#include "cmd/report_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/period.h"
#include "core/week.h"

enum {
    O_BY = 1,
    O_DATASET,
    O_WEEK,
    O_FROM,
    O_TO,
    O_LAST,
    O_OTHER,
    O_FORMAT,
    O_OUTPUT,
    O_EXACT,
    O_NO_COLOR,
    O_PARTIAL,
    O_PERIOD,
    O_DAY,
    O_MONTH,
    O_HELP,
};

static const struct opt_spec shared[] = {
    {"by", 0, 1, O_BY},
    {"dataset", 0, 1, O_DATASET},
    {"week", 0, 1, O_WEEK},
    {"from", 0, 1, O_FROM},
    {"to", 0, 1, O_TO},
    {"last", 0, 1, O_LAST},
    {"other", 0, 1, O_OTHER},
    {"format", 0, 1, O_FORMAT},
    {"output", 'o', 1, O_OUTPUT},
    {"exact", 0, 0, O_EXACT},
    {"no-color", 0, 0, O_NO_COLOR},
    {"partial", 0, 0, O_PARTIAL},
    {"period", 0, 1, O_PERIOD},
    {"day", 0, 1, O_DAY},
    {"month", 0, 1, O_MONTH},
    {"help", 'h', 0, O_HELP},
};

#define NSHARED (sizeof(shared) / sizeof(shared[0]))

/* The range options of a command that reads weeks only (prices, cost). */
const char report_args_usage[] =
    "Range (default: see above):\n"
    "  --period P           what a row covers: week (default: ISO weeks, Monday to\n"
    "                       Sunday), month (calendar months) or day\n"
    "  --week DATE          the week containing DATE (YYYY-MM-DD); by day, its days\n"
    "  --month MONTH        the month MONTH (YYYY-MM; by day, its days): --period\n"
    "                       month unless --period says otherwise\n"
    "  --day DATE           the day DATE: --period day\n"
    "  --from DATE --to DATE  the weeks (months, days) containing DATE to DATE,\n"
    "                       inclusive; by month or day, DATE may be a month, YYYY-MM\n"
    "  --last N             the N most recent weeks (months, days) with data\n"
    "  --partial            the range may end in a partial latest week or month\n"
    "                       (compared like for like: the same weekdays of the week\n"
    "                       before, the same days of the month before)\n"
    "Options:\n"
    "  --dataset NAME       read this dataset (default: default; by app: apps)\n"
    "  --other include|exclude  count the other bucket in each week's total\n"
    "                       (include, the default) or leave it out\n"
    "  --format F           table (default), csv, json or markdown\n"
    "  -o, --output FILE    write to FILE (atomically) instead of standard output\n"
    "                       ('-' is standard output; never through a symbolic link)\n"
    "  --exact              token counts as integers in tables\n"
    "  --no-color           no colour, even on a terminal (so does NO_COLOR)\n"
    "  --help               show this help\n";

void report_args_start(struct report_args *a, struct cmd_env *env, const struct report_syntax *syn,
                       int argc, char **argv)
{
    size_t n = 0;

    memset(a, 0, sizeof(*a));
    a->env = env;
    a->syn = syn;
    a->req.by = syn->by_default;
    a->req.dataset = "default";
    a->req.top_n = 5;
    a->req.prompt_share = -1;
    a->format = RENDER_TABLE;
    /* A command's own options come first, so that one of them replaces the
     * shared option of the same name (chart's --format takes svg). */
    for (size_t i = 0; syn->own && syn->own[i].name && n + NSHARED + 1 < REPORT_MAX_OPTS; i++)
        a->specs[n++] = syn->own[i];
    for (size_t i = 0; i < NSHARED; i++)
        a->specs[n++] = shared[i];
    a->specs[n] = (struct opt_spec){NULL, 0, 0, 0};
    opts_init(&a->o, argc, argv, a->specs);
}

/* Ends the command line with the exit status rc (already printed). */
static int stop(struct report_args *a, int rc)
{
    a->exit = rc;
    return -1;
}

static int usage_error(struct report_args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage_error(struct report_args *a, const char *fmt, ...)
{
    char msg[TS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return stop(a, cmd_usage_error(a->env, a->syn->name, "%s", msg));
}

/* Non-zero when the command's own options include one called name (of
 * length len). */
static int own_has(const struct opt_spec *own, const char *name, size_t len)
{
    for (size_t i = 0; own && own[i].name; i++) {
        if (strlen(own[i].name) == len && strncmp(own[i].name, name, len) == 0)
            return 1;
    }
    return 0;
}

/* Prints the shared options less those that the command's own replace:
 * a line "  [-x, ]--NAME ..." and the further-indented lines that go on
 * with it. */
static void put_shared_usage(FILE *out, const struct report_syntax *syn)
{
    const char *p = report_args_usage;
    int skipping = 0;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        const char *opt = p + 2;

        if (strncmp(p, "   ", 3) != 0) { /* not a continuation line */
            skipping = 0;
            if (strncmp(p, "  -", 3) == 0) {
                if (opt[1] != '-' && strncmp(opt + 2, ", ", 2) == 0)
                    opt += 4; /* "-o, --output" */
                if (strncmp(opt, "--", 2) == 0)
                    skipping = own_has(syn->own, opt + 2, strcspn(opt + 2, " =\n"));
            }
        }
        if (!skipping)
            fwrite(p, 1, len, out);
        p += len;
    }
}

/* The value of --day, --week, --month, --from or --to: a date, or for
 * --month, --from and --to a month (YYYY-MM: *is_month set and *day its
 * 1st). Which period it names is settled once the whole line is read. */
static int range_value(struct report_args *a, int id, int32_t *day, int *is_month)
{
    const char *v = a->o.value;
    size_t len = strlen(v);
    const struct range_choice *r = &a->range;

    *is_month = 0;
    if (id != O_WEEK && id != O_DAY && month_parse(v, len, day) == 0) {
        *is_month = 1;
        return 0;
    }
    if (len == TS_DATE_LEN && date_parse(v, len, day) == 0)
        return 0;
    if (id == O_MONTH)
        return usage_error(a, "invalid value '%s' for --month (expected " TS_DATA_MONTHS_TEXT ")",
                           v);
    if (id != O_WEEK && id != O_DAY && r->unit_given && r->unit != PERIOD_WEEK)
        return usage_error(a,
                           "invalid value '%s' for %s (expected " TS_DATA_MONTHS_TEXT
                           ", or a date, YYYY-MM-DD)",
                           v, a->o.name);
    return usage_error(a, "invalid value '%s' for %s (expected a date, YYYY-MM-DD)", v, a->o.name);
}

static int parse_by(struct report_args *a)
{
    static const char *const expected[] = {
        [REPORT_BY_ANY] = "country, vendor, model, family or app",
        [REPORT_BY_MODELS] = "country, vendor, model or family",
        [REPORT_BY_TOP] = "model, vendor, family or app",
    };
    enum report_by_choice c = a->syn->by;
    enum group_by by;

    a->by_given = 1;
    if (group_by_parse(a->o.value, &by) == 0 && !(c == REPORT_BY_MODELS && by == BY_APP) &&
        !(c == REPORT_BY_TOP && by == BY_COUNTRY)) {
        a->req.by = by;
        return 0;
    }
    return usage_error(a, "invalid value '%s' for --by (expected %s)", a->o.value, expected[c]);
}

static int parse_last(struct report_args *a)
{
    char *end;

    errno = 0;
    long v = strtol(a->o.value, &end, 10);
    if (end == a->o.value || *end != '\0' || errno || v < 1 || v > 10000)
        return usage_error(a,
                           "invalid value '%s' for --last (expected a number of %s from 1 "
                           "to 10000)",
                           a->o.value, period_unit_plural(a->range.unit));
    a->range.last = v;
    return 0;
}

static int parse_period(struct report_args *a)
{
    if (period_unit_parse(a->o.value, &a->range.unit) < 0)
        return usage_error(a, "invalid value '%s' for --period (expected day, week or month)",
                           a->o.value);
    a->range.unit_given = 1;
    return 0;
}

/* The unit of period the option id names, for --day, --week, --month. */
static enum period_unit selector_unit(int id)
{
    return id == O_DAY ? PERIOD_DAY : id == O_MONTH ? PERIOD_MONTH : PERIOD_WEEK;
}

/* One of the range options; -1 when it conflicts with another. */
static int parse_range(struct report_args *a, int id)
{
    struct range_choice *r = &a->range;
    enum range_kind kind = id == O_LAST                 ? RANGE_LAST
                           : id == O_FROM || id == O_TO ? RANGE_SPAN
                                                        : RANGE_WEEK;
    int32_t day;
    int is_month;

    if (id == O_LAST && parse_last(a) < 0)
        return -1;
    if ((r->kind != RANGE_DEFAULT && r->kind != kind) ||
        (kind == RANGE_WEEK && r->kind == RANGE_WEEK && r->sel_unit != selector_unit(id))) {
        if (id == O_DAY || id == O_MONTH || (r->kind == RANGE_WEEK && r->sel_unit != PERIOD_WEEK))
            return usage_error(a, "--day, --week, --month, --from/--to and --last each choose "
                                  "the periods; give one of them");
        return usage_error(a, "--week, --from/--to and --last each choose the weeks; give one of "
                              "them");
    }
    if (id != O_LAST && range_value(a, id, &day, &is_month) < 0)
        return -1;
    if (kind == RANGE_WEEK) {
        r->sel_unit = selector_unit(id);
        r->sel_day = day;
    } else if (id == O_FROM) {
        r->has_from = 1;
        r->from = day;
        r->from_month = is_month;
        r->from_arg = a->o.value;
    } else if (id == O_TO) {
        r->has_to = 1;
        r->to = day;
        r->to_month = is_month;
        r->to_arg = a->o.value;
    }
    r->kind = kind;
    return 0;
}

/* One of the options every report takes. Returns 0, or -1 to stop. */
static int parse_shared(struct report_args *a, int id)
{
    const char *v = a->o.value;

    switch (id) {
    case O_BY:
        return parse_by(a);
    case O_DATASET:
        if (v[0] == '\0')
            return usage_error(a, "--dataset needs a name");
        a->req.dataset = v;
        a->dataset_given = 1;
        return 0;
    case O_WEEK:
    case O_DAY:
    case O_MONTH:
    case O_FROM:
    case O_TO:
    case O_LAST:
        return parse_range(a, id);
    case O_PERIOD:
        return parse_period(a);
    case O_OTHER:
        a->other_given = 1;
        if (strcmp(v, "include") != 0 && strcmp(v, "exclude") != 0)
            return usage_error(a, "invalid value '%s' for --other (expected include or exclude)",
                               v);
        a->req.other_exclude = v[0] == 'e';
        return 0;
    case O_FORMAT:
        if (render_format_parse(v, &a->format) < 0)
            return usage_error(a,
                               "invalid value '%s' for --format (expected table, csv, json or "
                               "markdown)",
                               v);
        return 0;
    case O_OUTPUT:
        if (v[0] == '\0')
            return usage_error(a, "--output needs a file name");
        a->output = v;
        return 0;
    case O_EXACT:
        a->exact = 1;
        return 0;
    case O_NO_COLOR:
        a->no_color = 1;
        return 0;
    case O_PARTIAL:
        a->range.partial = 1;
        return 0;
    default: /* O_HELP */
        fputs(a->syn->usage, a->env->out);
        put_shared_usage(a->env->out, a->syn);
        return stop(a, TS_EXIT_OK);
    }
}

/* The one period --day, --week or --month named: of the unit asked for,
 * or cut into days. */
static int settle_selector(struct report_args *a)
{
    struct range_choice *r = &a->range;
    enum period_unit su = r->sel_unit;
    int32_t start = period_start(su, r->sel_day);

    if (su == r->unit) {
        r->week = start;
        return 0;
    }
    if (r->unit == PERIOD_DAY) { /* a week's or a month's days */
        r->kind = RANGE_SPAN;
        r->has_from = r->has_to = 1;
        r->from = start;
        r->to = period_last_day(su, start);
        return 0;
    }
    if (su == PERIOD_DAY)
        return usage_error(a, "--day names a day, not a %s: use --%s, or --period day",
                           period_unit_name(r->unit), period_unit_name(r->unit));
    return usage_error(a,
                       "--%s names a %s, which is not made of %s (weeks cross months): use "
                       "--from/--to, or --period %s or day",
                       period_unit_name(su), period_unit_name(su), period_unit_plural(r->unit),
                       period_unit_name(su));
}

/* --from and --to as the first days of their periods; a month given for
 * weeks is refused, and by day --to a month is its last day. */
static int settle_span(struct report_args *a)
{
    struct range_choice *r = &a->range;

    if (r->unit == PERIOD_WEEK && (r->from_month || r->to_month))
        return usage_error(a,
                           "invalid value '%s' for %s (a month, YYYY-MM, needs --period month "
                           "or day; weeks take a date, YYYY-MM-DD)",
                           r->from_month ? r->from_arg : r->to_arg,
                           r->from_month ? "--from" : "--to");
    if (r->has_from)
        r->from = period_start(r->unit, r->from);
    if (r->has_to && r->to_month && r->unit == PERIOD_DAY)
        r->to = period_last_day(PERIOD_MONTH, r->to);
    if (r->has_to)
        r->to = period_start(r->unit, r->to);
    return 0;
}

/* The period, and the range's days as the first days of its periods. */
static int settle_range(struct report_args *a)
{
    struct range_choice *r = &a->range;

    if (!r->unit_given && r->kind == RANGE_WEEK)
        r->unit = r->sel_unit; /* --day, --month: by day, by month */
    if (r->kind == RANGE_WEEK && settle_selector(a) < 0)
        return -1;
    if (r->kind == RANGE_SPAN && settle_span(a) < 0)
        return -1;
    return 0;
}

/* What can only be checked once the whole line is read. */
static int check_whole(struct report_args *a)
{
    const struct range_choice *r = &a->range;

    if (settle_range(a) < 0)
        return -1;
    if (r->kind == RANGE_SPAN && r->has_from && r->has_to && r->from > r->to) {
        char x[TS_DATE_LEN + 1], y[TS_DATE_LEN + 1];
        const char *u = period_unit_name(r->unit);
        period_label(r->unit, r->from, x, sizeof(x));
        period_label(r->unit, r->to, y, sizeof(y));
        return usage_error(a, "--from %s %s is after --to %s %s", u, x, u, y);
    }
    if (a->other_given && !a->syn->other_applies)
        return usage_error(a, "--other does not apply to %s (the other bucket has no price)",
                           a->syn->name);
    if (a->exact && !a->syn->exact_applies)
        return usage_error(a, "--exact does not apply to %s (it draws shares)", a->syn->name);
    if (a->req.by == BY_APP && !a->dataset_given)
        a->req.dataset = "apps"; /* where app rankings go by default */
    return 0;
}

int report_args_next(struct report_args *a)
{
    struct ts_err err = TS_ERR_INIT;
    int id;

    while ((id = opts_next(&a->o, &err)) != -1) {
        if (id == -2)
            return usage_error(a, "%s", err.msg);
        if (id == 0)
            return usage_error(a, "unexpected argument '%s'", a->o.value);
        if (id > REPORT_OPT_OWN) {
            a->value = a->o.value;
            return id;
        }
        if (parse_shared(a, id) < 0)
            return -1;
    }
    return check_whole(a);
}

/* The index of the week the default, --last and --from ranges end on: the latest
 * complete one (or the latest with data when none is complete), or the
 * latest with data under --partial. */
static size_t range_end(const struct range_choice *r, const struct week_days *weeks, size_t n)
{
    size_t end = n - 1;

    if (r->partial)
        return end;
    while (end > 0 && weeks[end].days < period_length(r->unit, weeks[end].week))
        end--;
    return weeks[end].days < period_length(r->unit, weeks[end].week) ? n - 1 : end;
}

int range_resolve(const struct range_choice *r, const struct week_days *weeks, size_t nweeks,
                  long default_last, int32_t *from, int32_t *to, struct range_notes *notes)
{
    long last = r->kind == RANGE_LAST ? r->last : default_last;

    memset(notes, 0, sizeof(*notes));
    if (nweeks == 0)
        return 1;
    notes->first = weeks[0].week;
    notes->last = weeks[nweeks - 1].week;
    switch (r->kind) {
    case RANGE_WEEK:
        *from = *to = r->week;
        notes->outside = r->week < notes->first || r->week > notes->last;
        return 0;
    case RANGE_SPAN:
        if (!r->has_to)
            break; /* ends where a default range does */
        *from = r->has_from && r->from > notes->first ? r->from : notes->first;
        *to = r->to < notes->last ? r->to : notes->last;
        notes->clipped_start = r->has_from && r->from < notes->first;
        notes->clipped_end = r->to > notes->last;
        notes->outside = *from > *to;
        return notes->outside;
    case RANGE_DEFAULT:
    case RANGE_LAST:
        break;
    }
    size_t end = range_end(r, weeks, nweeks);
    if (end + 1 < nweeks) {
        notes->skipped = weeks[end + 1].week;
        notes->skipped_days = weeks[end + 1].days;
    }
    *to = weeks[end].week;
    if (r->kind == RANGE_SPAN) { /* --from alone */
        *from = r->from > notes->first ? r->from : notes->first;
        notes->clipped_start = r->from < notes->first;
        notes->outside = *from > *to;
        return notes->outside;
    }
    *from = weeks[(size_t)last > end ? 0 : end + 1 - (size_t)last].week;
    return 0;
}

int report_parse_count(struct cmd_env *env, const char *cmd, const char *opt, const char *value,
                       long max, size_t *out)
{
    char *end;

    errno = 0;
    long n = strtol(value, &end, 10);
    if (end == value || *end != '\0' || errno || n < 1 || n > max)
        return cmd_usage_error(env, cmd,
                               "invalid value '%s' for %s (expected a number from 1 to %ld)", value,
                               opt, max);
    *out = (size_t)n;
    return 0;
}

/* Whether the locale's characters are UTF-8, from the environment as
 * setlocale(LC_CTYPE, "") would read it: LC_ALL, else LC_CTYPE, else LANG
 * (unset or C: not UTF-8). */
static int utf8_locale(void)
{
    const char *v = getenv("LC_ALL");

    if (!v || !*v)
        v = getenv("LC_CTYPE");
    if (!v || !*v)
        v = getenv("LANG");
    for (; v && *v; v++) {
        if (strncasecmp(v, "utf-8", 5) == 0 || strncasecmp(v, "utf8", 4) == 0)
            return 1;
    }
    return 0;
}

void report_render_opts(const struct report_args *a, FILE *out, struct render_opts *ro)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    /* Colour only where it shows: a terminal that is not dumb. */
    int tty = !a->output && isatty(fileno(out)) && !(term && strcmp(term, "dumb") == 0);

    memset(ro, 0, sizeof(*ro));
    ro->format = a->format;
    ro->exact = a->exact;
    ro->color = tty && !a->no_color && !(nc && *nc) && a->format == RENDER_TABLE;
    ro->unicode = utf8_locale();
    /* COLUMNS, when set, is the width of the output, as for ls; else the
     * terminal's width; else no limit. */
    const char *cols = getenv("COLUMNS");
    char *end;
    long w = cols && *cols ? strtol(cols, &end, 10) : 0;
    if (w > 0 && w < 10000 && *end == '\0') {
        ro->width = (int)w;
    } else if (tty) {
        struct winsize ws;
        if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
            ro->width = ws.ws_col;
    }
}
