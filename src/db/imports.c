/* imports.c - the imports table: a row per imported file, written at the
 * start and the end of its import. */
#include "db/imports.h"

#include <stdio.h>

#include "internal.h"

int db_import_start(struct db *st, struct import_run *imp, struct ts_err *err)
{
    struct sql q;

    /* Duplicates are looked for within one file only. */
    if (sql_exec(st->db, "DELETE FROM temp.seen", err) < 0)
        return -1;
    cells_forget(st);
    sql_prepare(&q, st->db, "INSERT INTO imports(dataset_id, file, format) VALUES (?1, ?2, ?3)",
                "recording the import");
    sql_bind_int64(&q, 1, imp->dataset);
    sql_bind_text(&q, 2, imp->file);
    sql_bind_text(&q, 3, imp->format);
    sql_row(&q);
    if (sql_done(&q, err) < 0)
        return -1;
    imp->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int db_import_finish(struct db *st, const struct import_run *imp, struct ts_err *err)
{
    struct sql q;

    if (cells_flush(st, err) < 0)
        return -1;
    sql_prepare(&q, st->db,
                "UPDATE imports SET sha256 = ?2, format = ?3, rows = ?4, inserted = ?5,"
                " updated = ?6, unchanged = ?7, as_of = ?8, prices = ?9 WHERE id = ?1",
                "recording the import");
    sql_bind_int64(&q, 1, imp->id);
    sql_bind_text(&q, 2, imp->sha256);
    sql_bind_text(&q, 3, imp->format);
    sql_bind_int64(&q, 4, imp->rows);
    sql_bind_int64(&q, 5, imp->inserted);
    sql_bind_int64(&q, 6, imp->updated);
    sql_bind_int64(&q, 7, imp->unchanged);
    sql_bind_text(&q, 8, imp->as_of); /* NULL: none */
    sql_bind_int64(&q, 9, imp->prices);
    sql_row(&q);
    return sql_done(&q, err);
}

int db_import_about(struct db *st, int64_t id, char **as_of, char **file, char when[32],
                    struct ts_err *err)
{
    struct sql q;

    *as_of = *file = NULL;
    when[0] = '\0';
    sql_prepare(&q, st->db, "SELECT as_of, file, imported_at FROM imports WHERE id = ?1",
                "looking up an earlier import");
    sql_bind_int64(&q, 1, id);
    if (sql_row(&q)) {
        *as_of = sql_col_dup(&q, 0);
        *file = sql_col_dup(&q, 1);
        const char *t = sql_col_text(&q, 2);
        snprintf(when, 32, "%s", t ? t : "");
    }
    return sql_done(&q, err);
}

int db_import_seen(struct db *st, const char *sha256, int64_t except_id, char when[32],
                   struct ts_err *err)
{
    struct sql q;
    int found = 0;

    sql_prepare(&q, st->db,
                "SELECT imported_at FROM imports WHERE sha256 = ?1 AND id <> ?2"
                " AND dataset_id = (SELECT dataset_id FROM imports WHERE id = ?2)"
                " ORDER BY id LIMIT 1",
                "looking up earlier imports");
    sql_bind_text(&q, 1, sha256);
    sql_bind_int64(&q, 2, except_id);
    if (sql_row(&q)) {
        const char *t = sql_col_text(&q, 0);
        snprintf(when, 32, "%s", t ? t : "");
        found = 1;
    }
    if (sql_done(&q, err) < 0)
        return -1;
    return found;
}
