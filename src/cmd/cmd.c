/* cmd.c - messages, the database's path and opening it (to write, or
 * only to read): what every command does the same way. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/opts.h"
#include "core/util.h"

/* Writes text to f; a failed write on the command's standard output
 * keeps its errno for the end of the command (cli.c). */
static void put(struct cmd_env *env, FILE *f, const char *text, size_t len)
{
    if (len > 0 && fwrite(text, 1, len, f) != len && f == env->out && !env->out_errno)
        env->out_errno = errno ? errno : EIO;
}

/* Formats fmt with ap and writes it to f escaped (ts_text_escape). */
static void put_escaped(struct cmd_env *env, FILE *f, const char *fmt, va_list ap)
{
    struct ts_buf raw = TS_BUF_INIT, shown = TS_BUF_INIT;
    va_list copy;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n > 0) {
        raw.data = xmalloc((size_t)n + 1);
        raw.cap = (size_t)n + 1;
        raw.len = (size_t)vsnprintf(raw.data, raw.cap, fmt, ap);
        ts_text_escape(&shown, raw.data, raw.len);
        put(env, f, shown.data, shown.len);
    }
    buf_release(&raw);
    buf_release(&shown);
}

void cmd_text(struct cmd_env *env, FILE *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    put_escaped(env, f, fmt, ap);
    va_end(ap);
}

void cmd_line(struct cmd_env *env, FILE *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    put_escaped(env, f, fmt, ap);
    va_end(ap);
    put(env, f, "\n", 1);
}

int cmd_fail(struct cmd_env *env, const char *fmt, ...)
{
    va_list ap;

    fputs("tokstat: ", env->err);
    va_start(ap, fmt);
    put_escaped(env, env->err, fmt, ap);
    va_end(ap);
    fputc('\n', env->err);
    return TS_EXIT_FAIL;
}

int cmd_usage_error(struct cmd_env *env, const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(env->err, "tokstat%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    put_escaped(env, env->err, fmt, ap);
    va_end(ap);
    fprintf(env->err, "\nTry 'tokstat%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
    return TS_EXIT_USAGE;
}

int cmd_usage_value(struct cmd_env *env, const char *cmd, const char *before, const char *value,
                    const char *after)
{
    struct ts_buf m = TS_BUF_INIT;
    int rc;

    buf_printf(&m, "%s'", before);
    ts_quote_for_msg(&m, value, strlen(value), 200);
    buf_printf(&m, "'%s", after);
    rc = cmd_usage_error(env, cmd, "%s", m.data);
    buf_release(&m);
    return rc;
}

void cmd_print_err(struct cmd_env *env, const char *file, const struct ts_err *e)
{
    fputs("tokstat: ", env->err);
    if (file)
        cmd_text(env, env->err, "%s:", file);
    if (e->line > 0)
        fprintf(env->err, "%ld:", e->line);
    if (e->line > 0 && e->col > 0)
        fprintf(env->err, "%ld:", e->col);
    cmd_line(env, env->err, "%s%s", file || e->line > 0 ? " " : "", e->msg);
}

char *cmd_db_path(struct cmd_env *env, struct ts_err *err)
{
    const char *v;

    if (env->db_path)
        return xstrdup(env->db_path);
    if ((v = getenv("TOKSTAT_DB")) && *v)
        return xstrdup(v);
    struct ts_buf b = TS_BUF_INIT;
    if ((v = getenv("XDG_DATA_HOME")) && *v == '/') {
        buf_printf(&b, "%s/tokstat/tokstat.db", v);
        return b.data;
    }
    if ((v = getenv("HOME")) && *v) {
        buf_printf(&b, "%s/.local/share/tokstat/tokstat.db", v);
        return b.data;
    }
    ts_err_set(err, "no database: set --db, TOKSTAT_DB or HOME");
    return NULL;
}

int cmd_open_db(struct cmd_env *env, struct db **out)
{
    struct ts_err err = TS_ERR_INIT;
    char *path = cmd_db_path(env, &err);
    int rc = 0;

    if (!path || db_open(path, out, &err) < 0) {
        cmd_print_err(env, NULL, &err);
        rc = TS_EXIT_FAIL;
    }
    free(path);
    return rc;
}

int cmd_open_db_read(struct cmd_env *env, struct db **out)
{
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf shown = TS_BUF_INIT;
    char *path = cmd_db_path(env, &err);
    struct stat sb;
    /* What stat says: 0 nothing there, 1 a file, 2 a folder, -1 unknown (a
     * URI, which db_open_read refuses, or stat failed otherwise). */
    int rc = TS_EXIT_OK, found = -1;

    *out = NULL;
    if (path && strncmp(path, "file:", 5) != 0) {
        ts_quote_for_msg(&shown, path, strlen(path), 300);
        if (stat(path, &sb) == 0)
            found = S_ISDIR(sb.st_mode) ? 2 : 1;
        else if (errno == ENOENT)
            found = 0;
    }
    if (found == 0) {
        rc = cmd_fail(env,
                      "no database at '%s' (a command that writes, such as 'tokstat import' or "
                      "'tokstat fetch', creates it)",
                      shown.data);
    } else if (found == 2) {
        rc = cmd_fail(env, "cannot open database '%s': it is a folder", shown.data);
    } else if (!path || db_open_read(path, out, &err) < 0) {
        cmd_print_err(env, NULL, &err);
        rc = TS_EXIT_FAIL;
    } else if (db_vendors_stale(*out) || db_families_stale(*out)) {
        int v = db_vendors_stale(*out), f = db_families_stale(*out);
        fprintf(env->err,
                "tokstat: note: the database holds the %s%s%s of another version of tokstat "
                "(the next command that writes, such as an import, brings this one's)\n",
                v ? "vendor table" : "", v && f ? " and the " : "", f ? "model family rules" : "");
    }
    buf_release(&shown);
    free(path);
    return rc;
}

int cmd_open_db_list(struct cmd_env *env, struct db **out)
{
    struct ts_err err = TS_ERR_INIT;
    char *path = cmd_db_path(env, &err);
    int missing = path && strncmp(path, "file:", 5) != 0 && access(path, F_OK) != 0;

    free(path);
    if (!path || (missing && db_open(":memory:", out, &err) < 0)) {
        cmd_print_err(env, NULL, &err);
        return TS_EXIT_FAIL;
    }
    return missing ? 0 : cmd_open_db_read(env, out);
}

char *cmd_unmapped_warning(char *const *names, size_t n, const char *how)
{
    struct ts_buf b = TS_BUF_INIT;

    if (n == 0)
        return NULL;
    buf_printf(&b, "no country for vendor%s ", n == 1 ? "" : "s");
    for (size_t i = 0; i < n && i < CMD_UNMAPPED_NAMED; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if (n > CMD_UNMAPPED_NAMED)
        buf_printf(&b, " and %zu more", n - CMD_UNMAPPED_NAMED);
    buf_printf(&b, " (%s as unknown; %smap with 'tokstat vendors set VENDOR COUNTRY')", how,
               n > CMD_UNMAPPED_NAMED ? "'tokstat status' lists them all; " : "");
    return b.data;
}

int cmd_sub_parse(struct cmd_env *env, const char *cmd, const char *usage,
                  const struct cmd_sub *subs, size_t nsubs, int argc, char **argv,
                  const char **args, size_t *nargs, size_t *k)
{
    static const struct opt_spec specs[] = {{"help", 'h', 0, 1}, {NULL, 0, 0, 0}};
    struct ts_err err = TS_ERR_INIT;
    struct ts_buf what = TS_BUF_INIT;
    struct opts o;
    int id;

    *nargs = 0;
    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        if (id == -2)
            return cmd_usage_error(env, cmd, "%s", err.msg);
        if (id == 1) {
            fputs(usage, env->out);
            return TS_EXIT_OK;
        }
        if (*nargs == CMD_SUB_MAX)
            return cmd_usage_value(env, cmd, "unexpected argument ", o.value, "");
        args[(*nargs)++] = o.value;
    }
    const char *sub = *nargs ? args[0] : "list";
    for (*k = 0; *k < nsubs && strcmp(sub, subs[*k].name) != 0; (*k)++)
        ;
    if (*k == nsubs) {
        buf_printf(&what, " is not a %s command (expected ", cmd);
        for (size_t i = 0; i < nsubs; i++)
            buf_printf(&what, "%s%s", i == 0 ? "" : i + 1 < nsubs ? ", " : " or ", subs[i].name);
        buf_adds(&what, ")");
        id = cmd_usage_value(env, cmd, "", sub, what.data);
        buf_release(&what);
        return id;
    }
    size_t want = subs[*k].want;
    if (*nargs > 0 && *nargs != want)
        return cmd_usage_error(env, cmd, "'%s' takes %zu argument%s (expected 'tokstat %s')", sub,
                               want - 1, want == 2 ? "" : "s", subs[*k].form);
    return -1;
}
