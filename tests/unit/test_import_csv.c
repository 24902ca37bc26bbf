/* test_import_csv.c - the CSV importer, through a sink that collects. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "support.h"
#include "core/util.h"
#include "core/week.h"

/* Runs import_csv over an open stream, collecting into c. Every record
 * must have its slug NUL-terminated and no where; the sink takes no prices
 * or as-of time (a call would crash the test). */
static int run_fp_opts(FILE *fp, struct import_opts o, struct sup_collect *c, struct ts_err *err)
{
    struct ts_input in = TS_INPUT_INIT;
    struct ts_sink sink;

    sup_collect_sink(c, &sink);
    sink.price = NULL;
    sink.as_of = NULL;
    c->check_nul = 1;
    c->check_no_where = 1;
    o.format = TS_FMT_CSV;
    input_from_fp(&in, fp, "test.csv");
    ts_err_clear(err);
    enum ts_format shape = TS_FMT_CSV;
    int rc = import_csv(&in, &o, &sink, &shape, err);
    input_release(&in);
    return rc;
}

static int run_fp(FILE *fp, int period, struct sup_collect *c, struct ts_err *err)
{
    struct import_opts o = IMPORT_OPTS_INIT;

    o.period = period;
    return run_fp_opts(fp, o, c, err);
}

/* Runs import_csv with options o over len bytes of text (through fmemopen). */
static int run_mem_opts(const char *text, size_t len, struct import_opts o, struct sup_collect *c,
                        struct ts_err *err)
{
    FILE *fp = len ? fmemopen((void *)text, len, "r") : tmpfile();
    assert_non_null(fp);
    int rc = run_fp_opts(fp, o, c, err);
    fclose(fp);
    return rc;
}

static int run_mem(const char *text, size_t len, int period, struct sup_collect *c,
                   struct ts_err *err)
{
    struct import_opts o = IMPORT_OPTS_INIT;

    o.period = period;
    return run_mem_opts(text, len, o, c, err);
}

static int run_str(const char *text, struct sup_collect *c, struct ts_err *err)
{
    return run_mem(text, strlen(text), -1, c, err);
}

/* Runs import_csv over tests/data/csv/<name>. */
static int run_file(const char *name, int period, struct sup_collect *c, struct ts_err *err)
{
    char rel[256];

    snprintf(rel, sizeof(rel), "csv/%s", name);
    FILE *fp = sup_open_data(rel);
    int rc = run_fp(fp, period, c, err);
    fclose(fp);
    return rc;
}

/* Expects the import of text to fail with exactly msg at line. */
static void expect_error(const char *text, const char *msg, long line)
{
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_str(text, &c, &err), -1);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.line, line);
    sup_collect_release(&c);
}

/* Expects one good row whose total column holds value to fail with
 * "column 'total_tokens': 'VALUE' REASON" on line 2. */
static void expect_count_error(const char *value, enum ts_num r)
{
    char text[256], msg[256];

    snprintf(text, sizeof(text), "date,model,total_tokens\n2026-01-01,a/b,%s\n", value);
    snprintf(msg, sizeof(msg), "column 'total_tokens': '%s' %s", value, ts_num_reason(r));
    expect_error(text, msg, 2);
}

static void test_comma(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_str("date,model,total_tokens\n"
                             "2026-02-09,deepseek/deepseek-v3.2,595090081549\n"
                             "2026-02-10,  openai/gpt-5  ,0\n",
                             &c, &err),
                     0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[0].period, TS_DAY);
    assert_int_equal(c.recs[0].date, D("2026-02-09"));
    assert_string_equal(c.recs[0].model, "deepseek/deepseek-v3.2");
    assert_int_equal(c.recs[0].total, 595090081549LL);
    assert_int_equal(c.recs[0].prompt, TS_ABSENT);
    assert_int_equal(c.recs[0].completion, TS_ABSENT);
    assert_int_equal(c.recs[0].reasoning, TS_ABSENT);
    assert_int_equal(c.recs[0].cached, TS_ABSENT);
    assert_int_equal(c.recs[0].requests, TS_ABSENT);
    assert_int_equal(c.recs[0].prompt_price, TS_ABSENT);
    assert_int_equal(c.recs[0].completion_price, TS_ABSENT);
    assert_int_equal(c.recs[0].line, 2);
    assert_string_equal(c.recs[1].model, "openai/gpt-5"); /* blanks trimmed */
    assert_int_equal(c.recs[1].total, 0);
    assert_int_equal(c.recs[1].line, 3);
    sup_collect_release(&c);
}

static void test_no_final_newline(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_str("date,model,tokens\n2026-01-01,a/b,1\n2026-01-02,a/b,2", &c, &err), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[1].total, 2);
    assert_int_equal(c.recs[1].line, 3);
    sup_collect_release(&c);
}

static void test_semicolon(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_file("semicolon.csv", -1, &c, &err), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[0].period, TS_WEEK);
    assert_int_equal(c.recs[0].date, D("2026-02-09"));
    assert_string_equal(c.recs[0].model, "minimax/minimax-m2.5-20260211");
    assert_int_equal(c.recs[0].prompt, 1000);
    assert_int_equal(c.recs[0].completion, 200);
    assert_int_equal(c.recs[0].total, 1200);
    assert_string_equal(c.recs[1].model, "z-ai/glm-5");
    assert_int_equal(c.recs[1].total, 42);
    assert_int_equal(c.recs[1].line, 3);
    sup_collect_release(&c);

    /* Empty lines before the header are not the header. */
    assert_int_equal(run_str("\r\n\nmodel;date;tokens;x,y,z\na/b;2026-01-01;5;\n", &c, &err), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.recs[0].total, 5);
    assert_int_equal(c.recs[0].line, 4);
    sup_collect_release(&c);

    /* Commas inside fields do not make a semicolon file comma-separated. */
    assert_int_equal(run_str("date;model;tokens;note\n2026-01-01;a/b;5;\"x,y,z\"\n", &c, &err), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.recs[0].total, 5);
    sup_collect_release(&c);
}

static void test_tab(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_file("tab.tsv", -1, &c, &err), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[0].period, TS_WEEK);
    assert_string_equal(c.recs[0].model, "qwen/qwen3-coder");
    assert_int_equal(c.recs[0].total, 5000);
    assert_int_equal(c.recs[0].cached, TS_ABSENT);
    assert_int_equal(c.recs[1].cached, 42);
    assert_int_equal(c.recs[1].line, 3);
    sup_collect_release(&c);

    /* An empty first field is a field, not blank space to skip. */
    assert_int_equal(run_str("note\tdate\tmodel\ttokens\n\t2026-01-01\ta/b\t9\n", &c, &err), 0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.recs[0].model, "a/b");
    assert_int_equal(c.recs[0].total, 9);
    sup_collect_release(&c);
}

static void test_bom_crlf(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_file("bom-crlf.csv", -1, &c, &err), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.recs[0].model, "deepseek/deepseek-v3.2");
    assert_int_equal(c.recs[0].total, 595090081549LL);
    assert_int_equal(c.recs[0].requests, 1200);
    assert_int_equal(c.recs[0].line, 2);
    assert_string_equal(c.recs[1].model, "anthropic/claude-sonnet-4.5");
    assert_int_equal(c.recs[1].requests, TS_ABSENT);
    assert_int_equal(c.recs[1].line, 3);
    assert_string_equal(c.recs[2].model, "x-ai/grok-4-fast");
    assert_int_equal(c.recs[2].requests, 3);
    assert_int_equal(c.recs[2].line, 5);
    sup_collect_release(&c);

    /* The model last: no '\r' may stay at the end of the slug. */
    assert_int_equal(run_str("\xEF\xBB\xBFtokens,date,model\r\n7,2026-01-01,a/b\r\n"
                             "8,2026-01-02,\"c/d\"\r\n",
                             &c, &err),
                     0);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.recs[0].model, "a/b");
    assert_string_equal(c.recs[1].model, "c/d");
    assert_int_equal(c.recs[1].line, 3);
    sup_collect_release(&c);
}

static void test_quoted(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_file("quoted.csv", -1, &c, &err), 0);
    assert_int_equal(c.n, 5);
    assert_string_equal(c.recs[0].model, "mistralai/mistral-large, 2411");
    assert_int_equal(c.recs[0].line, 2);
    assert_string_equal(c.recs[1].model, "openai/gpt-\"5\"");
    assert_int_equal(c.recs[1].total, 22);
    assert_int_equal(c.recs[1].line, 3);
    assert_string_equal(c.recs[2].model, "google/gemini-3-pro");
    assert_int_equal(c.recs[2].line, 6);
    /* Slugs are passed as written; the sink judges them. */
    assert_string_equal(c.recs[3].model, "meta-llama/llama-4\n-maverick");
    assert_int_equal(c.recs[3].line, 8);
    assert_string_equal(c.recs[4].model, "cohere/command-a");
    assert_int_equal(c.recs[4].line, 10);
    sup_collect_release(&c);

    /* The same with CRLF line ends inside and outside quotes. */
    assert_int_equal(run_str("date,model,tokens,note\r\n"
                             "2026-01-01,a/a,1,\"x\r\ny\"\r\n"
                             "2026-01-01,b/b,2,\r\n",
                             &c, &err),
                     0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[0].line, 2);
    assert_int_equal(c.recs[1].line, 4);
    sup_collect_release(&c);
}

/* One alias of a field in a header, and what the importer made of it. */
static void check_alias(const char *header, const char *row, int64_t want_total, int what,
                        int64_t want)
{
    char text[256];
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    snprintf(text, sizeof(text), "%s\n%s\n", header, row);
    if (run_str(text, &c, &err) != 0)
        fail_msg("header '%s': %s", header, err.msg);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.recs[0].model, "a/b");
    assert_int_equal(c.recs[0].date, D("2026-02-11"));
    assert_int_equal(c.recs[0].total, want_total);
    switch (what) {
    case TS_F_DAY:
        assert_int_equal(c.recs[0].period, TS_DAY);
        break;
    case TS_F_WEEK:
        assert_int_equal(c.recs[0].period, TS_WEEK);
        break;
    case TS_F_PROMPT:
        assert_int_equal(c.recs[0].prompt, want);
        break;
    case TS_F_COMPLETION:
        assert_int_equal(c.recs[0].completion, want);
        break;
    case TS_F_REASONING:
        assert_int_equal(c.recs[0].reasoning, want);
        break;
    case TS_F_CACHED:
        assert_int_equal(c.recs[0].cached, want);
        break;
    case TS_F_REQUESTS:
        assert_int_equal(c.recs[0].requests, want);
        break;
    default:
        break;
    }
    sup_collect_release(&c);
}

static void test_aliases(void **state)
{
    (void)state;
    const char *days[] = {"date", "day"};
    const char *weeks[] = {"week", "week_start"};
    const char *models[] = {"model", "model_permaslug", "slug", "model_id"};
    const char *totals[] = {"total_tokens", "tokens"};
    const char *prompts[] = {"prompt_tokens", "input_tokens"};
    const char *completions[] = {"completion_tokens", "output_tokens"};
    const char *requests[] = {"requests", "request_count", "count"};
    char h[128];

    for (size_t i = 0; i < 2; i++) {
        snprintf(h, sizeof(h), "%s,model,tokens", days[i]);
        check_alias(h, "2026-02-11,a/b,5", 5, TS_F_DAY, 0);
        snprintf(h, sizeof(h), "%s,model,tokens", weeks[i]);
        check_alias(h, "2026-02-11,a/b,5", 5, TS_F_WEEK, 0);
        snprintf(h, sizeof(h), "date,model,%s", totals[i]);
        check_alias(h, "2026-02-11,a/b,5", 5, TS_F_TOTAL, 0);
        /* Without a total, total = prompt + completion. */
        snprintf(h, sizeof(h), "date,model,%s,%s", prompts[i], completions[i]);
        check_alias(h, "2026-02-11,a/b,2,3", 5, TS_F_PROMPT, 2);
        check_alias(h, "2026-02-11,a/b,2,3", 5, TS_F_COMPLETION, 3);
        /* With a total, prompt and completion are kept as given. */
        snprintf(h, sizeof(h), "date,model,tokens,%s,%s", prompts[i], completions[i]);
        check_alias(h, "2026-02-11,a/b,9,2,3", 9, TS_F_PROMPT, 2);
    }
    for (size_t i = 0; i < 4; i++) {
        snprintf(h, sizeof(h), "date,%s,tokens", models[i]);
        check_alias(h, "2026-02-11,a/b,5", 5, TS_F_MODEL, 0);
    }
    for (size_t i = 0; i < 3; i++) {
        snprintf(h, sizeof(h), "date,model,tokens,%s", requests[i]);
        check_alias(h, "2026-02-11,a/b,5,7", 5, TS_F_REQUESTS, 7);
    }
    check_alias("date,model,tokens,reasoning_tokens", "2026-02-11,a/b,5,4", 5, TS_F_REASONING, 4);
    check_alias("date,model,tokens,cached_tokens", "2026-02-11,a/b,5,6", 5, TS_F_CACHED, 6);

    /* Case-insensitive, blanks around names ignored. */
    check_alias("DATE,Model_PermaSlug, Total_Tokens ,REQUEST_COUNT", "2026-02-11,a/b,5,8", 5,
                TS_F_REQUESTS, 8);
    check_alias("Week_Start,SLUG,Input_Tokens,OUTPUT_TOKENS", "2026-02-11,a/b,1,1", 2, TS_F_WEEK,
                0);
}

/* Two columns that name one field are refused, whichever comes first. */
static void test_alias_duplicates(void **state)
{
    (void)state;

    expect_error("date,model,tokens,total_tokens\n2026-02-11,a/b,1,5\n",
                 "columns 3 'tokens' and 4 'total_tokens' both give the total tokens (expected "
                 "one column for each)",
                 1);
    expect_error("date,model,total_tokens,tokens\n2026-02-11,a/b,5,1\n",
                 "columns 3 'total_tokens' and 4 'tokens' both give the total tokens (expected "
                 "one column for each)",
                 1);
    expect_error("\ndate,slug,model,tokens\n2026-02-11,x/y,a/b,5\n",
                 "columns 2 'slug' and 3 'model' both give the model (expected one column for "
                 "each)",
                 2);
    expect_error("date,model,tokens,count,requests\n2026-02-11,a/b,5,1,7\n",
                 "columns 4 'count' and 5 'requests' both give the request count (expected one "
                 "column for each)",
                 1);
    expect_error("day,date,model,tokens\n2026-01-01,2026-02-11,a/b,5\n",
                 "columns 1 'day' and 2 'date' both give the day (expected one column for each)",
                 1);
    expect_error("date,model,Tokens,tokens\n2026-01-01,a/b,5,5\n",
                 "columns 3 'Tokens' and 4 'tokens' both give the total tokens (expected one "
                 "column for each)",
                 1);
    /* A week column and a date column name two fields: the week wins, as
     * documented, and the dates are not read. */
    check_alias("date,week,model,tokens", "not a date,2026-02-11,a/b,5", 5, TS_F_WEEK, 0);
    check_alias("week_start,day,model,tokens", "2026-02-11,2026-01-01,a/b,5", 5, TS_F_WEEK, 0);
}

/* Lines end at "\n", "\r\n" or a lone "\r" (old Mac files): every error
 * names its own line, also when a chunk of input ends between '\r' and
 * '\n'. */
static void test_cr_line_ends(void **state)
{
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;
    (void)state;

    expect_error("date,model,tokens\r2026-03-02,a/b,5\r2026-03-03,a/b,x\r",
                 "column 'tokens': 'x' is not a token count", 3);
    expect_error("date,model,tokens\r\r2026-03-02,a/b,5\r\n2026-03-03,a/b,6\n2026-03-04,a/b,x\r",
                 "column 'tokens': 'x' is not a token count", 5);
    expect_error("date,model,tokens\r2026-03-02,\"a/\rb\",5\r2026-03-03,a/b,x\r",
                 "column 'tokens': 'x' is not a token count", 4);
    assert_int_equal(run_str("date,model,tokens\r2026-03-02,a/b,5\r2026-03-03,a/c,6", &c, &err), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[1].line, 3);
    sup_collect_release(&c);

    /* "\r\n" split across the 64 KiB chunks the input is read in: the
     * '\r' is the chunk's last byte, and the '\n' starts no new line. */
    struct ts_buf b = TS_BUF_INIT;
    long line = 1;
    buf_adds(&b, "date,model,tokens,note\r\n");
    for (int i = 0; b.len + 64 < 65536; i++, line++)
        buf_printf(&b, "2026-03-02,m/%d,5,\r\n", i);
    buf_adds(&b, "2026-03-02,z/z,5,");
    line++;
    while (b.len < 65535)
        buf_addc(&b, 'x');
    buf_adds(&b, "\r\n2026-03-03,a/b,x,\r\n");
    line++;
    assert_int_equal(run_mem(b.data, b.len, -1, &c, &err), -1);
    assert_string_equal(err.msg, "column 'tokens': 'x' is not a token count");
    assert_int_equal(err.line, line);
    sup_collect_release(&c);

    /* A chunk that ends with a whole "\r\n", the next starting with a
     * blank line: that '\n' is a line of its own (found by fuzz_csv). */
    buf_reset(&b);
    for (line = 1; b.len < 65536; line++)
        buf_adds(&b, "\r\n");
    buf_adds(&b, "\ndate,model,tokens\r2026-03-03,a/b,x\n");
    line += 2; /* the blank line, then the header */
    for (int full = 0; full <= 1; full++) {
        struct import_opts o = IMPORT_OPTS_INIT;
        o.full_parsers = full;
        assert_int_equal(run_mem_opts(b.data, b.len, o, &c, &err), -1);
        assert_string_equal(err.msg, "column 'tokens': 'x' is not a token count");
        assert_int_equal(err.line, line);
        sup_collect_release(&c);
    }
    buf_release(&b);
}

static void test_unknown_columns(void **state)
{
    (void)state;

    check_alias("rank,date,name,model,total_tokens,share,Total Tokens,model name",
                "1,2026-02-11,\"Anthropic: Claude\",a/b,5,0.5,x,y", 5, TS_F_TOTAL, 0);
}

static void test_prices(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_str("week,model,tokens,prompt_price,completion_price\n"
                             "2026-02-16,minimax/minimax-m2.5,10,3e-07,0.0000012\n"
                             "2026-02-16,z-ai/glm-5,10,,\n",
                             &c, &err),
                     0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[0].prompt_price, 300000);
    assert_int_equal(c.recs[0].completion_price, 1200000);
    assert_int_equal(c.recs[1].prompt_price, TS_ABSENT);
    assert_int_equal(c.recs[1].completion_price, TS_ABSENT);
    sup_collect_release(&c);

    expect_error("date,model,tokens,prompt_price\n2026-01-01,a/b,1,x\n",
                 "column 'prompt_price': 'x' is not a price", 2);
    expect_error("date,model,tokens,Completion_Price\n2026-01-01,a/b,1,-0.5\n",
                 "column 'Completion_Price': '-0.5' is negative (expected a price >= 0)", 2);
}

static void test_period_forced(void **state)
{
    (void)state;
    const char *daily = "date,model,tokens\n2026-02-09,a/b,5\n";
    const char *weekly = "week,model,tokens\n2026-02-09,a/b,5\n";
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_mem(daily, strlen(daily), TS_WEEK, &c, &err), 0);
    assert_int_equal(c.recs[0].period, TS_WEEK);
    assert_int_equal(c.recs[0].date, D("2026-02-09"));
    sup_collect_release(&c);
    assert_int_equal(run_mem(weekly, strlen(weekly), TS_DAY, &c, &err), 0);
    assert_int_equal(c.recs[0].period, TS_DAY);
    sup_collect_release(&c);
    assert_int_equal(run_mem(daily, strlen(daily), TS_DAY, &c, &err), 0);
    assert_int_equal(c.recs[0].period, TS_DAY);
    sup_collect_release(&c);
    assert_int_equal(run_mem(weekly, strlen(weekly), -1, &c, &err), 0);
    assert_int_equal(c.recs[0].period, TS_WEEK);
    sup_collect_release(&c);
}

static void test_empty_rows_skipped(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_str("\n\ndate,model,tokens\n,,\n2026-01-01,a/b,1\n \n\"\",,\n, ,\n"
                             "2026-01-02,a/b,2\n\n\n",
                             &c, &err),
                     0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.recs[0].line, 5);
    assert_int_equal(c.recs[1].line, 9);
    sup_collect_release(&c);
}

static void test_header_errors(void **state)
{
    (void)state;

    expect_error("", "empty file (expected a header row)", 0);
    expect_error("\n\r\n  \n", "empty file (expected a header row)", 0);
    expect_error("\xEF\xBB\xBF", "empty file (expected a header row)", 0);
    expect_error("date,model,total_tokens\n", "no data rows after the header", 0);
    expect_error("date,model,total_tokens", "no data rows after the header", 0);
    expect_error("date,model,total_tokens\r\n\r\n,,\r\n", "no data rows after the header", 0);
    expect_error("date,name,total_tokens\n2026-01-01,a,1\n",
                 "no model column (expected one of model, model_permaslug, slug, model_id)", 1);
    expect_error("when,model,total_tokens\n2026-01-01,a/b,1\n",
                 "no period column (expected one of date, day, week, week_start)", 1);
    expect_error("date,model,prompt_tokens\n2026-01-01,a/b,1\n",
                 "no token column (expected total_tokens or tokens, or prompt_tokens and "
                 "completion_tokens)",
                 1);
    expect_error("date,model,output_tokens,requests\n2026-01-01,a/b,1,1\n",
                 "no token column (expected total_tokens or tokens, or prompt_tokens and "
                 "completion_tokens)",
                 1);
    /* Without a separator the whole header is one unknown column. */
    expect_error("date model tokens\n2026-01-01 a/b 1\n",
                 "no model column (expected one of model, model_permaslug, slug, model_id)", 1);
}

static void test_row_errors(void **state)
{
    (void)state;

    expect_error("date,model,total_tokens\n2026-01-01,a/b,1\n2026-01-02,a/b\n",
                 "expected 3 fields, found 2", 3);
    expect_error("date,model,total_tokens\n2026-01-01,a/b,1,\n", "expected 3 fields, found 4", 2);
    expect_error("date,model,total_tokens\n2026-01-01,a/b,12a\n",
                 "column 'total_tokens': '12a' is not a token count", 2);
    expect_error("Date,Model,Tokens\n2026-01-01,a/b,\n",
                 "column 'Tokens': '' is empty (expected a token count)", 2);
    expect_error("date,model,total_tokens\n2026-02-30,a/b,1\n",
                 "column 'date': '2026-02-30' is not a date (expected YYYY-MM-DD)", 2);
    expect_error("week_start,model,total_tokens\n\n\n09/02/2026,a/b,1\n",
                 "column 'week_start': '09/02/2026' is not a date (expected YYYY-MM-DD)", 4);
    expect_error("date,model,total_tokens\n2026-01-01,a/b,1\n,,5\n",
                 "column 'date': '' is not a date (expected YYYY-MM-DD)", 3);
    expect_error("date,model,total_tokens\n2026-01-01,  ,1\n", "column 'model': empty model slug",
                 2);
    expect_error("date,Slug,total_tokens\n2026-01-01,\" \",1\n", "column 'Slug': empty model slug",
                 2);
    expect_error("date,model,prompt_tokens,completion_tokens\n2026-01-01,a/b,1,\n",
                 "column 'completion_tokens': '' is empty (expected a token count)", 2);
    expect_error("date,model,tokens,reasoning_tokens\n2026-01-01,a/b,1,x\n",
                 "column 'reasoning_tokens': 'x' is not a token count", 2);
    expect_error("date,model,tokens,count\n2026-01-01,a/b,1,1.5\n",
                 "column 'count': '1.5' is not a whole number of tokens", 2);
    expect_error("date,model,prompt_tokens,completion_tokens\n"
                 "2026-01-01,a/b,9223372036854775807,1\n",
                 "column 'prompt_tokens' + 'completion_tokens': '9223372036854775807 + 1' is too "
                 "large (expected a token count below 2^63)",
                 2);
    /* Values a reader could take two ways are refused. */
    expect_error("date,model,tokens\n2026-01-01,a/b,+100\n",
                 "column 'tokens': '+100' has a sign (expected plain digits, like 1000)", 2);
    expect_error("date,model,tokens\n2026-01-01,a/b,\" 100\"\n",
                 "column 'tokens': ' 100' has blanks around its digits (expected plain digits, "
                 "like 1000)",
                 2);
    expect_error("date,model,tokens\n2026-01-01,a/b,1e3\n",
                 "column 'tokens': '1e3' has an exponent (expected plain digits, like 1000)", 2);
    expect_error("date,model,tokens\n2026-03-02 junk,a/b,1\n",
                 "column 'date': '2026-03-02 junk' is not a date (expected YYYY-MM-DD)", 2);
    expect_error("date,model,tokens\n9999-03-02,a/b,1\n",
                 "column 'date': '9999-03-02' is out of range (expected a date from 2000-01-01 "
                 "to 2100-12-31)",
                 2);
    expect_error("date,model,tokens\n1999-12-31,a/b,1\n",
                 "column 'date': '1999-12-31' is out of range (expected a date from 2000-01-01 "
                 "to 2100-12-31)",
                 2);
    /* Blanks outside quotes are the separator's, not the value's. */
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;
    assert_int_equal(run_str("date, model, tokens\n2026-01-01, a/b, 100 \n", &c, &err), 0);
    assert_int_equal(c.recs[0].total, 100);
    sup_collect_release(&c);
    /* A date may carry a time of day. */
    assert_int_equal(run_str("date,model,tokens\n2026-01-01T10:00:00Z,a/b,1\n", &c, &err), 0);
    sup_collect_release(&c);

    /* Long and unprintable values are cut and escaped in messages. */
    expect_error("date,model,tokens\n2026-01-01,a/b,\"12\n"
                 "345678901234567890123456789012345678901234567890\"\n",
                 "column 'tokens': '12\\x0a3456789012345678901234567890123456789...' is not a "
                 "token count",
                 2);
}

static void test_count_limits(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_str("date,model,tokens,prompt_tokens\n"
                             "2026-01-01,a/b,9223372036854775807,9223372036854775807\n"
                             "2026-01-01,c/d, 0 , 1.0\n",
                             &c, &err),
                     0);
    assert_int_equal(c.recs[0].total, INT64_MAX);
    assert_int_equal(c.recs[0].prompt, INT64_MAX);
    assert_int_equal(c.recs[1].total, 0);
    assert_int_equal(c.recs[1].prompt, 1); /* a zero fraction is whole */
    sup_collect_release(&c);

    expect_count_error("9223372036854775808", TS_NUM_RANGE);
    expect_count_error("99999999999999999999999", TS_NUM_RANGE);
    expect_count_error("-1", TS_NUM_NEGATIVE);
    expect_count_error("1.5", TS_NUM_FRACTION);
    expect_count_error("12a", TS_NUM_SYNTAX);
    expect_count_error("1e3x", TS_NUM_SYNTAX);
    expect_error("date,model,total_tokens\n2026-01-01,a/b,\"\"\n",
                 "column 'total_tokens': '' is empty (expected a token count)", 2);
    expect_error("date,model,total_tokens\n2026-01-01,a/b,12a\n",
                 "column 'total_tokens': '12a' is not a token count", 2);
    expect_error("date,model,total_tokens\n2026-01-01,a/b,-1\n",
                 "column 'total_tokens': '-1' is negative (expected a token count >= 0)", 2);
}

static void test_malformed(void **state)
{
    (void)state;

    /* An open quote runs to the end: the error names the row's first line. */
    expect_error("date,model,tokens\n2026-01-01,a/b,1\n2026-01-02,\"a/b,2\n2026-01-03,c/d,3\n",
                 "unterminated quoted field", 3);
    expect_error("date,model,tokens\n2026-01-01,a/b,1\n2026-01-02,a/b,\"2",
                 "unterminated quoted field", 3);
    expect_error("date,model,tokens\n2026-01-01,a/b,1\r\n2026-01-02,a\"b,2\r\n",
                 "malformed CSV (unexpected quote in field 2)", 3);
    expect_error("date,model,tokens\n\"2026-01-01\"x,a/b,1\n",
                 "malformed CSV (unexpected quote in field 1)", 2);
    expect_error("date,model,tokens\n2026-01-01,\"a\nb\",1\n2026-01-02,\"a\" \"b\",2\n",
                 "malformed CSV (unexpected quote in field 2)", 4);
    expect_error("date,\"model,tokens\n", "unterminated quoted field", 1);
}

static void test_field_too_long(void **state)
{
    (void)state;
    const size_t big = 2 * 1024 * 1024;
    const char *head = "date,model,tokens\n2026-01-01,a/b,1\n2026-01-02,\"";
    char *text = xmalloc(strlen(head) + big + 16);
    size_t n = strlen(head);

    memcpy(text, head, n);
    for (size_t i = 0; i < big; i++)
        text[n++] = i % 100 == 99 ? '\n' : 'x';
    memcpy(text + n, "\",1\n", 4);
    n += 4;

    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;
    assert_int_equal(run_mem(text, n, -1, &c, &err), -1);
    assert_string_equal(err.msg, "field too long (more than 1048576 bytes)");
    assert_int_equal(err.line, 3);
    sup_collect_release(&c);
    free(text);
}

static void test_sink_error(void **state)
{
    (void)state;
    const char *text = "date,model,tokens\n2026-01-01,a/b,1\n\n2026-01-01,c/d,2\n"
                       "2026-01-01,e/f,3\n";
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    c.fail_at = 2;
    c.fail_prefix = "duplicate key";
    assert_int_equal(run_str(text, &c, &err), -1);
    assert_string_equal(err.msg, "duplicate key 'c/d'");
    assert_int_equal(err.line, 4); /* the sink left it 0 */
    assert_int_equal(c.n, 1);
    assert_int_equal(c.calls, 2); /* nothing after the failing row */
    sup_collect_release(&c);

    c.fail_at = 1;
    c.fail_prefix = "duplicate key";
    c.fail_line = 99; /* the sink's own line is kept */
    assert_int_equal(run_str(text, &c, &err), -1);
    assert_int_equal(err.line, 99);
    assert_int_equal(c.calls, 1);
    sup_collect_release(&c);
}

static void test_read_error(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/null", "w"); /* reading a write-only stream fails */
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_non_null(fp);
    assert_int_equal(run_fp(fp, -1, &c, &err), -1);
    assert_string_equal(err.msg, "read error: Bad file descriptor");
    assert_int_equal(err.line, 0);
    fclose(fp);
    sup_collect_release(&c);
}

/* More than a few chunks, rows and quoted newlines crossing chunk ends. */
static void test_large(void **state)
{
    (void)state;
    struct ts_buf b = TS_BUF_INIT;
    const size_t rows = 6000;
    long line = 2;
    long *lines = xcalloc(rows, sizeof(*lines));

    buf_adds(&b, "date,model,total_tokens,prompt_tokens,note\r\n");
    for (size_t i = 0; i < rows; i++) {
        lines[i] = line;
        buf_printf(&b, "2026-01-%02zu,vendor%zu/model-%zu,%zu,%zu,", i % 28 + 1, i % 37, i,
                   i * 1000003, i);
        if (i % 7 == 3) {
            buf_adds(&b, "\"a note,\non two lines\"\r\n");
            line += 2;
        } else {
            buf_adds(&b, "plain text to make the row longer\r\n");
            line += 1;
        }
        if (i % 50 == 49) {
            buf_adds(&b, "\r\n"); /* a blank line now and then */
            line++;
        }
    }
    assert_true(b.len > 200 * 1024);

    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;
    assert_int_equal(run_mem(b.data, b.len, -1, &c, &err), 0);
    assert_int_equal(c.n, rows);
    for (size_t i = 0; i < rows; i++) {
        char slug[64];
        snprintf(slug, sizeof(slug), "vendor%zu/model-%zu", i % 37, i);
        assert_string_equal(c.recs[i].model, slug);
        assert_int_equal(c.recs[i].total, (int64_t)(i * 1000003));
        assert_int_equal(c.recs[i].prompt, (int64_t)i);
        assert_int_equal(c.recs[i].line, lines[i]);
    }
    sup_collect_release(&c);

    /* An error near the end still names the right line. */
    buf_adds(&b, "2026-01-01,x/y,oops,1,\r\n");
    assert_int_equal(run_mem(b.data, b.len, -1, &c, &err), -1);
    assert_string_equal(err.msg, "column 'total_tokens': 'oops' is not a token count");
    assert_int_equal(err.line, line);
    assert_int_equal(c.n, rows);
    sup_collect_release(&c);

    buf_release(&b);
    free(lines);
}

static void test_real_excerpt(void **state)
{
    (void)state;
    struct sup_collect c = {0};
    struct ts_err err = TS_ERR_INIT;

    assert_int_equal(run_file("rankings-daily-excerpt.csv", -1, &c, &err), 0);
    assert_int_equal(c.n, 21);
    assert_int_equal(c.recs[0].period, TS_DAY);
    assert_int_equal(c.recs[0].date, D("2025-01-01"));
    assert_string_equal(c.recs[0].model, "anthracite-org/magnum-v4-72b");
    assert_int_equal(c.recs[0].total, 111702378);
    assert_int_equal(c.recs[0].line, 2);
    assert_string_equal(c.recs[6].model, "anthropic/claude-3.5-sonnet:beta");
    assert_int_equal(c.recs[6].total, 11646035656LL);
    assert_string_equal(c.recs[20].model, "other");
    assert_int_equal(c.recs[20].total, 2241676199LL);
    assert_int_equal(c.recs[20].line, 22);
    int64_t sum = 0;
    for (size_t i = 0; i < c.n; i++) {
        assert_int_equal(c.recs[i].date, D("2025-01-01"));
        assert_int_equal(c.recs[i].prompt, TS_ABSENT);
        sum += c.recs[i].total;
    }
    assert_true(sum > 0);
    sup_collect_release(&c);
}

/* Lines without quotes take a fast path that splits them without libcsv;
 * every file must give the same records and errors both ways. */
static void same_csv_both_ways(const char *text, int expect_fast)
{
    struct sup_collect a, b;
    struct ts_err ea = TS_ERR_INIT, eb = TS_ERR_INIT;

    struct import_opts fast = IMPORT_OPTS_INIT, full = IMPORT_OPTS_INIT;
    size_t took = 0, full_took = 0;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    fast.fast_taken = &took;
    full.full_parsers = 1;
    full.fast_taken = &full_took;
    int ra = run_mem_opts(text, strlen(text), fast, &a, &ea);
    int rb = run_mem_opts(text, strlen(text), full, &b, &eb);
    if (full_took != 0)
        fail_msg("fast path taken with full_parsers set: %s", text);
    if (expect_fast != (took > 0))
        fail_msg("fast path %s: %s", took ? "taken" : "not taken", text);
    if (ra != rb || strcmp(ea.msg, eb.msg) != 0 || ea.line != eb.line || ea.col != eb.col)
        fail_msg("%s: fast %d '%s' %ld:%ld, libcsv %d '%s' %ld:%ld", text, ra, ea.msg, ea.line,
                 ea.col, rb, eb.msg, eb.line, eb.col);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        const struct sup_rec *x = &a.recs[i], *y = &b.recs[i];
        assert_int_equal(x->period, y->period);
        assert_int_equal(x->date, y->date);
        assert_string_equal(x->model, y->model);
        assert_int_equal(x->model_len, y->model_len);
        assert_int_equal(x->total, y->total);
        assert_int_equal(x->prompt, y->prompt);
        assert_int_equal(x->completion, y->completion);
        assert_int_equal(x->reasoning, y->reasoning);
        assert_int_equal(x->cached, y->cached);
        assert_int_equal(x->requests, y->requests);
        assert_int_equal(x->prompt_price, y->prompt_price);
        assert_int_equal(x->completion_price, y->completion_price);
        assert_int_equal(x->line, y->line);
    }
    sup_collect_release(&a);
    sup_collect_release(&b);
}

static void test_fast_path(void **state)
{
    (void)state;
    static const char *const fast[] = {
        "date,model_permaslug,total_tokens\n2026-03-02,a/b,5\n2026-03-02,a/c,6\n",
        "date,model,total_tokens\r\n2026-03-02,a/b,5\r\n\r\n2026-03-03,a/b,7\r\n",
        " date , model ,tokens \n 2026-03-02 , a/b , 5 \n\n   \n,,\n2026-03-03,\ta/b\t,6\n",
        "date;model;total_tokens;prompt_tokens;completion_tokens\n2026-03-02;a/b;9;;\n",
        "date,model,prompt_tokens,completion_tokens,requests,prompt_price\n"
        "2026-03-02,a/b,5,6,7,0.000003\n2026-03-02,a/c,1,2,,\n",
        "week,date,model,tokens,extra\n2026-03-02,2026-03-05,a/b,1,x y z\n",
        "date,model,tokens\n2026-03-02,a/b,5\n2026-03-02,a/b,5\n",
        "date,model,tokens\n2026-03-02,a/b,5,6\n",
        "date,model,tokens\n2026-03-02,a/b\n",
        "date,model,tokens\n2026-03-02,,5\n",
        "date,model,tokens\n2026-03-32,a/b,5\n",
        "date,model,tokens\n2026-03-02,a/b,5.5\n",
        "date,model,tokens\n2026-03-02,a/b,-5\n",
        "date,model,tokens\n2026-03-02,a/b,99999999999999999999\n",
        "model,tokens\n",
        "date,model,tokens\n2026-03-02,a/b,5\n2026-03-03,a/b,6",
        "date,model,tokens\n2026-03-02,a/b,5\n2026-03-03,\"a/b\",6\n2026-03-04,a/b,7\n",
        "date,model,tokens\n2026-03-02,a/\xc3\xa9,5\n",
        "date,model,tokens\n2026-03-02,a/b\rx,5\n2026-03-03,a/b,6\n",
        "\n\ndate,model,tokens\n\n2026-03-02,a/b,5\n",
    };
    static const char *const slow[] = {
        "date\tmodel\ttokens\n2026-03-02\ta/b\t5\n",
        "\"date\",\"model\",\"tokens\"\n\"2026-03-02\",\"a/b\",\"5\"\n",
        "date,model,tokens",
    };
    for (size_t i = 0; i < sizeof(fast) / sizeof(fast[0]); i++)
        same_csv_both_ways(fast[i], 1);
    for (size_t i = 0; i < sizeof(slow) / sizeof(slow[0]); i++)
        same_csv_both_ways(slow[i], 0);
}

/* Daily rows under the Data API's own column name are its rankings-daily
 * rows: the shape says so, so that reports cite OpenRouter; other CSV
 * stays csv, weekly rows under that name too. */
static void test_data_api_shape(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "date,model_permaslug,total_tokens\n2025-01-01,deepseek/deepseek-chat,5\n",
        "date,model,total_tokens\n2025-01-01,deepseek/deepseek-chat,5\n",
        "week,model_permaslug,total_tokens\n2025-01-06,deepseek/deepseek-chat,5\n",
    };
    static const enum ts_format want[] = {TS_FMT_OPENROUTER_DAILY, TS_FMT_CSV, TS_FMT_CSV};

    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct sup_collect c;
        struct ts_sink sink;
        struct ts_input in;
        struct ts_err err;
        struct import_opts o = IMPORT_OPTS_INIT;
        enum ts_format shape = TS_FMT_CSV;
        FILE *fp = fmemopen((void *)texts[i], strlen(texts[i]), "r");

        assert_non_null(fp);
        memset(&c, 0, sizeof(c));
        sup_collect_sink(&c, &sink);
        sink.price = NULL;
        sink.as_of = NULL;
        o.format = TS_FMT_CSV;
        input_from_fp(&in, fp, "test.csv");
        ts_err_clear(&err);
        assert_int_equal(import_csv(&in, &o, &sink, &shape, &err), 0);
        assert_int_equal(shape, want[i]);
        input_release(&in);
        fclose(fp);
        sup_collect_release(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_api_shape),
        cmocka_unit_test(test_comma),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_semicolon),
        cmocka_unit_test(test_tab),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_alias_duplicates),
        cmocka_unit_test(test_cr_line_ends),
        cmocka_unit_test(test_unknown_columns),
        cmocka_unit_test(test_prices),
        cmocka_unit_test(test_period_forced),
        cmocka_unit_test(test_empty_rows_skipped),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_row_errors),
        cmocka_unit_test(test_count_limits),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_field_too_long),
        cmocka_unit_test(test_sink_error),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_real_excerpt),
        cmocka_unit_test(test_fast_path),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
