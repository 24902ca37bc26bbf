/* support.h - fixture code shared by the unit tests (tests/unit/test_*.c),
 * built as the static library tokstat_test_support.
 *
 * The functions use cmocka's assertions: a failed check fails the running
 * test. Nothing here is part of tokstat itself. */
#ifndef TOKSTAT_TEST_SUPPORT_H
#define TOKSTAT_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "import/record.h"

/* ---- dates ---- */

/* The day number of a date the test knows is good ("2026-02-09"); fails the
 * test when date_parse rejects it. */
int32_t D(const char *s);

/* ---- a temporary folder per test executable ---- */

/* cmocka group setup: makes a fresh folder /tmp/tokstat-test-XXXXXX. Pass
 * it, with sup_tmp_teardown, to cmocka_run_group_tests. Returns 0 or -1. */
int sup_tmp_setup(void **state);

/* cmocka group teardown: removes the folder and everything below it (nftw,
 * without following links; no shell). Returns 0, or -1 when something
 * could not be removed. Does nothing when sup_tmp_setup did not run. */
int sup_tmp_teardown(void **state);

/* Writes into out (n bytes) a path no other call returns: <tmp>/<k>/<rel>,
 * k counting up from 1. Nothing is created: the folder <tmp>/<k> does not
 * exist yet. */
void sup_tmp_path(char *out, size_t n, const char *rel);

/* Like sup_tmp_path without rel, and makes the folder: writes <tmp>/<k>
 * into out and creates it (fails the test if it cannot). */
void sup_tmp_dir(char *out, size_t n);

/* ---- test data (tests/data) ---- */

/* Opens tests/data/<rel> for reading in binary mode; the test fails when it
 * cannot. The folder is $TS_TEST_DATA (set by CTest) when that is set and
 * not empty, else tests/data beside this source file. The caller fcloses
 * the stream. */
FILE *sup_open_data(const char *rel);

/* ---- a sink that collects what importers hand it ---- */

/* One struct ts_record as the sink saw it; every field copied. */
struct sup_rec {
    enum ts_period period;
    int32_t date;
    char *model; /* owned: the model_len bytes of the slug and a NUL */
    size_t model_len;
    int64_t total, prompt, completion, reasoning, cached, requests;
    int64_t prompt_price, completion_price;
    long line, col;
    char *where; /* owned copy, NULL when the record had none */
};

/* One struct ts_price as the sink saw it; the strings are owned copies
 * (where is NULL when the price had none). */
struct sup_price {
    char *model;
    char *id;
    int64_t prompt, completion;
    char *where;
};

/* One struct ts_app as the sink saw it; the strings are owned copies. */
struct sup_app {
    int32_t week;
    int64_t app_id;
    char *name;
    int64_t total, requests, rank;
    char *where;
};

/* What a collecting sink received. All zero is an empty collector ready to
 * use; sup_collect_release frees what it holds and zeroes it again, so the
 * settings below are set again before each import. */
struct sup_collect {
    struct sup_rec *recs; /* the records taken, in order */
    size_t n, cap;
    struct sup_price *prices; /* the catalogue prices, in order */
    size_t np, pcap;
    struct sup_app *apps; /* app rankings' apps, in order */
    size_t na, acap;
    char *as_of;  /* owned copy of the last as-of time given, or NULL */
    size_t calls; /* record callbacks, a rejected one included */

    /* Settings. */
    size_t fail_at;          /* reject the fail_at'th record (1-based), 0 never */
    const char *fail_prefix; /* the rejection is "<fail_prefix> '<slug>'"; NULL: "rejected" */
    long fail_line;          /* err->line of the rejection; 0 leaves it to the importer */
    int check_nul;           /* assert that every slug has its NUL at model_len */
    int check_no_where;      /* assert that no record has a where */
};

/* Fills out with callbacks for records, prices, apps and the as-of time
 * that write into c. c must outlive the sink's use. */
void sup_collect_sink(struct sup_collect *c, struct ts_sink *out);

/* Frees everything c holds and zeroes it (settings included). */
void sup_collect_release(struct sup_collect *c);

/* ---- SQLite ---- */

/* The first column of the first row of sql, run on a separate connection to
 * the database file at path (for checking what was committed): -1 when it is
 * NULL, -999 when there is no row. Fails the test when sql is not valid. */
int64_t sup_sql_int(const char *path, const char *sql);

#endif
