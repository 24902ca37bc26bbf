/* test_opts.c - the option parser of the subcommands: long and short
 * forms, inline and separate values, operands, "--", and the messages of
 * what it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/opts.h"

enum { O_BY = 1, O_LAST, O_EXACT, O_OUT };

static const struct opt_spec specs[] = {
    {"by", 0, 1, O_BY},        {"last", 0, 1, O_LAST}, {"exact", 'x', 0, O_EXACT},
    {"output", 'o', 1, O_OUT}, {NULL, 0, 0, 0},
};

/* Reads argv (NULL-ended, argv[0] the command) to the end and writes what
 * each step gave into out: "by=country op=file -2:<message> end". */
static void run(char **argv, char *out, size_t n)
{
    struct opts o;
    struct ts_err err = TS_ERR_INIT;
    int argc = 0, id;

    while (argv[argc])
        argc++;
    out[0] = '\0';
    opts_init(&o, argc, argv, specs);
    while ((id = opts_next(&o, &err)) != -1) {
        size_t len = strlen(out);
        if (id == -2)
            snprintf(out + len, n - len, "-2:%s ", err.msg);
        else if (id == 0)
            snprintf(out + len, n - len, "op=%s ", o.value);
        else
            snprintf(out + len, n - len, "%s=%s ", o.name, o.value ? o.value : "-");
    }
    strncat(out, "end", n - strlen(out) - 1);
}

#define RUN(want, ...)                                                                             \
    do {                                                                                           \
        char *argv_[] = {"cmd", __VA_ARGS__, NULL};                                                \
        char got_[512];                                                                            \
        run(argv_, got_, sizeof(got_));                                                            \
        assert_string_equal(got_, want);                                                           \
    } while (0)

static void test_long_forms(void **state)
{
    (void)state;
    RUN("--by=country --last=3 end", "--by", "country", "--last=3");
    RUN("--by= end", "--by="); /* an empty inline value is a value */
    RUN("--exact=- op=a end", "--exact", "a");
    RUN("--output=-x end", "--output", "-x"); /* a separate value may start with '-' */
}

static void test_short_forms(void **state)
{
    (void)state;
    RUN("-o=f.csv -o=g.csv -x=- end", "-o", "f.csv", "-og.csv", "-x");
    RUN("-2:unrecognized option '-xo' end", "-xo"); /* flags do not bundle */
    RUN("-2:unrecognized option '-q' end", "-q");
}

static void test_operands(void **state)
{
    (void)state;
    RUN("op=- op=a --by=b end", "-", "a", "--by", "b");
    RUN("--exact=- op=--by op=-x end", "--exact", "--", "--by", "-x");
    RUN("op=-- end", "--", "--");
}

static void test_refusals(void **state)
{
    (void)state;
    RUN("-2:unrecognized option '--bogus' end", "--bogus");
    RUN("-2:unrecognized option '--bogus' end", "--bogus=1");
    RUN("-2:option '--exact' takes no value end", "--exact=yes");
    RUN("-2:option '--by' needs a value end", "--by");
    RUN("-2:option '-o' needs a value end", "-o");
    /* A prefix is not an abbreviation. */
    RUN("-2:unrecognized option '--las' op=3 end", "--las", "3");
}

/* No state outside the struct: two parsers can run at once. */
static void test_reentrant(void **state)
{
    char *a[] = {"cmd", "--by", "model", "x", NULL};
    char *b[] = {"cmd", "--last", "2", NULL};
    struct opts oa, ob;
    struct ts_err err = TS_ERR_INIT;

    (void)state;
    opts_init(&oa, 4, a, specs);
    opts_init(&ob, 3, b, specs);
    assert_int_equal(opts_next(&oa, &err), O_BY);
    assert_int_equal(opts_next(&ob, &err), O_LAST);
    assert_string_equal(ob.value, "2");
    assert_string_equal(oa.value, "model");
    assert_int_equal(opts_next(&oa, &err), 0);
    assert_string_equal(oa.value, "x");
    assert_int_equal(opts_next(&oa, &err), -1);
    assert_int_equal(opts_next(&ob, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_forms), cmocka_unit_test(test_short_forms),
        cmocka_unit_test(test_operands),   cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_reentrant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
