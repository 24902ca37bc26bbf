/* price_history.c - prices and catalogue aliases: written during imports (kept
 * prepared, a catalogue has hundreds), read by the reports, a dataset's at a time. */
#include "db/price_history.h"

#include <string.h>

#include "internal.h"

int db_price_put(struct db *st, const char *model, int32_t valid_from, const char *source,
                 int64_t dataset, int64_t prompt, int64_t completion, int64_t import_id,
                 struct ts_err *err)
{
    static const char sql[] =
        "INSERT INTO prices(model, valid_from, source, dataset_id, prompt, completion, import_id)"
        " VALUES (?1, ?2, ?3, ?7, ?4, ?5, ?6) ON CONFLICT(model, valid_from, source, dataset_id)"
        " DO UPDATE SET prompt = excluded.prompt, completion = excluded.completion,"
        " import_id = excluded.import_id";
    struct sql q;

    sql_reuse(&q, st->db, &st->stmt[ST_PRICE_PUT], sql, "storing a price");
    sql_bind_text(&q, 1, model);
    sql_bind_int(&q, 2, valid_from);
    sql_bind_text(&q, 3, source);
    sql_bind_opt(&q, 4, prompt);
    sql_bind_opt(&q, 5, completion);
    sql_bind_int64(&q, 6, import_id);
    sql_bind_int64(&q, 7, dataset);
    sql_row(&q);
    return sql_done(&q, err);
}

int db_alias_put(struct db *st, const char *alias, const char *model, int64_t import_id,
                 struct ts_err *err)
{
    static const char sql[] = "INSERT INTO model_aliases(alias, model, import_id)"
                              " VALUES (?1, ?2, ?3) ON CONFLICT(alias) DO UPDATE SET"
                              " model = excluded.model, import_id = excluded.import_id";
    struct sql q;

    sql_reuse(&q, st->db, &st->stmt[ST_ALIAS_PUT], sql, "storing a model alias");
    sql_bind_text(&q, 1, alias);
    sql_bind_text(&q, 2, model);
    sql_bind_int64(&q, 3, import_id);
    sql_row(&q);
    return sql_done(&q, err);
}

int db_price_book(struct db *st, int64_t dataset, struct price_book *out, struct ts_err *err)
{
    struct sql q;

    memset(out, 0, sizeof(*out));
    sql_prepare(&q, st->db,
                "SELECT model, valid_from, source = 'snapshot', prompt, completion FROM prices"
                " WHERE (source = 'catalogue' AND dataset_id = 0)"
                "  OR (source = 'snapshot' AND dataset_id = ?1)",
                "reading prices");
    sql_bind_int64(&q, 1, dataset);
    while (sql_row(&q))
        price_book_add(out, sql_col_text(&q, 0), (int32_t)sql_col_int64(&q, 1), sql_col_int(&q, 2),
                       sql_col_opt(&q, 3), sql_col_opt(&q, 4));
    if (sql_done(&q, err) < 0)
        goto fail;
    sql_prepare(&q, st->db, "SELECT alias, model FROM model_aliases", "reading prices");
    while (sql_row(&q))
        price_book_add_alias(out, sql_col_text(&q, 0), sql_col_text(&q, 1));
    if (sql_done(&q, err) < 0)
        goto fail;
    price_book_index(out);
    return 0;
fail:
    price_book_release(out);
    return -1;
}
