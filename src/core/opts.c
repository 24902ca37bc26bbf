/* opts.c - option parsing for subcommands; see opts.h. */
#include "core/opts.h"

#include <stdio.h>
#include <string.h>

void opts_init(struct opts *o, int argc, char **argv, const struct opt_spec *specs)
{
    memset(o, 0, sizeof(*o));
    o->argc = argc;
    o->argv = argv;
    o->i = 1;
    o->specs = specs;
}

static const struct opt_spec *find_long(const struct opt_spec *s, const char *name, size_t len)
{
    for (; s->name; s++) {
        if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
            return s;
    }
    return NULL;
}

static const struct opt_spec *find_short(const struct opt_spec *s, char c)
{
    for (; s->name; s++) {
        if (s->short_name && s->short_name == c)
            return s;
    }
    return NULL;
}

int opts_next(struct opts *o, struct ts_err *err)
{
    if (o->i >= o->argc)
        return -1;
    char *a = o->argv[o->i++];
    o->value = NULL;
    o->name = NULL;
    if (o->operands_only || a[0] != '-' || a[1] == '\0') {
        o->value = a;
        return 0;
    }
    if (strcmp(a, "--") == 0) {
        o->operands_only = 1;
        return opts_next(o, err);
    }
    const struct opt_spec *spec;
    const char *inline_value = NULL;
    if (a[1] == '-') {
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
        spec = find_long(o->specs, a + 2, len);
        if (!spec) {
            ts_err_set(err, "unrecognized option '--%.*s'", (int)len, a + 2);
            return -2;
        }
        snprintf(o->name_buf, sizeof(o->name_buf), "--%s", spec->name);
        o->name = o->name_buf;
        if (eq) {
            if (!spec->has_arg)
                return ts_err_set(err, "option '--%s' takes no value", spec->name), -2;
            inline_value = eq + 1;
        }
    } else {
        spec = find_short(o->specs, a[1]);
        if (!spec)
            return ts_err_set(err, "unrecognized option '%s'", a), -2;
        snprintf(o->name_buf, sizeof(o->name_buf), "-%c", a[1]);
        o->name = o->name_buf;
        if (a[2] != '\0') {
            if (!spec->has_arg)
                return ts_err_set(err, "unrecognized option '%s'", a), -2;
            inline_value = a + 2;
        }
    }
    if (spec->has_arg) {
        if (inline_value) {
            o->value = inline_value;
        } else if (o->i < o->argc) {
            o->value = o->argv[o->i++];
        } else {
            return ts_err_set(err, "option '%s' needs a value", o->name), -2;
        }
    }
    return spec->id;
}
