/* tx.c - transactions: a write transaction takes the lock at once, a read
 * transaction is one snapshot for every query of a report; committing
 * writes the import's cells first, rolling back forgets them. */
#include "db/db.h"

#include "internal.h"

int db_begin(struct db *st, struct ts_err *err)
{
    if (sql_exec(st->db, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    st->in_tx = 1;
    st->tx++;
    return 0;
}

int db_begin_read(struct db *st, struct ts_err *err)
{
    /* BEGIN is deferred: the first read takes the snapshot. */
    if (sql_exec(st->db, "BEGIN", err) < 0)
        return -1;
    st->in_tx = 1;
    st->tx++;
    return 0;
}

int db_commit(struct db *st, struct ts_err *err)
{
    if (cells_flush(st, err) < 0 || sql_exec(st->db, "COMMIT", err) < 0) {
        db_rollback(st);
        return -1;
    }
    st->in_tx = 0;
    return 0;
}

void db_rollback(struct db *st)
{
    if (st->in_tx || !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
    ts_map_clear(&st->model_ids); /* models added in the transaction are gone */
    cells_forget(st);
}
