/* vendors.c - vendor -> country: the user's overrides, and the shipped
 * table kept as the program ships it. */
#include "db/vendors.h"

#include <stdio.h>

#include "core/sha256.h"
#include "core/vendors.h"
#include "internal.h"

static int shipped_row(void *ctx, const struct vendor_row *row, struct ts_err *err)
{
    struct sql *q = ctx;

    sql_bind_text(q, 1, row->vendor);
    sql_bind_text(q, 2, row->country);
    sql_bind_text(q, 3, row->name);
    sql_row(q);
    if (!sql_ok(q))
        return ts_err_set(err, "database: storing shipped vendor '%s'", row->vendor);
    return 0;
}

/* Whether the database's shipped table came from the copy of hash hex. */
static int shipped_current(struct db *st, const char *hex, int *out, struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db, "SELECT 1 FROM meta WHERE key = 'vendors_sha256' AND value = ?1",
                "reading the vendor table version");
    sql_bind_text(&q, 1, hex);
    *out = sql_row(&q);
    return sql_done(&q, err);
}

int vendors_refresh_shipped(struct db *st, struct ts_err *err)
{
    struct sha256 h;
    char hex[65];
    struct sql q = SQL_INIT;
    struct vendors_parse_result res = VENDORS_PARSE_RESULT_INIT;
    int current = 0;

    sha256_init(&h);
    sha256_update(&h, vendors_shipped_csv, vendors_shipped_csv_len);
    sha256_final_hex(&h, hex);
    if (shipped_current(st, hex, &current, err) < 0)
        return -1;
    if (current)
        return 0;

    if (db_begin(st, err) < 0)
        return -1;
    if (sql_exec(st->db, "DELETE FROM vendors_shipped", err) < 0)
        goto fail;
    sql_prepare(&q, st->db,
                "INSERT OR REPLACE INTO vendors_shipped(vendor, country, name) VALUES (?1, ?2, ?3)",
                "storing the shipped vendors");
    if (sql_check(&q, err) < 0)
        goto fail;
    if (vendors_parse((const char *)vendors_shipped_csv, vendors_shipped_csv_len, shipped_row, &q,
                      &res, err) < 0) {
        char where[64];
        snprintf(where, sizeof(where), "shipped vendors.csv:%ld: ", err->line);
        ts_err_prefix(err, where);
        goto fail;
    }
    sql_done(&q, NULL);
    sql_prepare(&q, st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('vendors_sha256', ?1)",
                "storing the vendor table version");
    sql_bind_text(&q, 1, hex);
    sql_row(&q);
    if (sql_done(&q, err) < 0)
        goto fail;
    vendors_parse_result_release(&res);
    return db_commit(st, err);
fail:
    sql_done(&q, NULL);
    vendors_parse_result_release(&res);
    db_rollback(st);
    return -1;
}

int db_vendor_set(struct db *st, const char *vendor, const char *country, struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db,
                "INSERT INTO vendors_user(vendor, country) VALUES (?1, ?2)"
                " ON CONFLICT(vendor) DO UPDATE SET country = excluded.country,"
                " set_at = excluded.set_at",
                "setting a vendor");
    sql_bind_text(&q, 1, vendor);
    sql_bind_text(&q, 2, country);
    sql_row(&q);
    return sql_done(&q, err);
}

int db_vendor_unset(struct db *st, const char *vendor, struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db, "DELETE FROM vendors_user WHERE vendor = ?1",
                "removing a vendor override");
    sql_bind_text(&q, 1, vendor);
    sql_row(&q);
    if (sql_done(&q, err) < 0)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int db_vendor_each(struct db *st, int (*fn)(void *ctx, const struct vendor_mapping *v), void *ctx,
                   struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db,
                "SELECT v.vendor, COALESCE(u.country, s.country), COALESCE(s.name, ''),"
                "  CASE WHEN u.vendor IS NULL THEN 'shipped' ELSE 'user' END,"
                "  CASE WHEN u.vendor IS NULL THEN NULL ELSE s.country END"
                " FROM (SELECT vendor FROM vendors_shipped UNION SELECT vendor FROM vendors_user) v"
                " LEFT JOIN vendors_shipped s ON s.vendor = v.vendor"
                " LEFT JOIN vendors_user u ON u.vendor = v.vendor"
                " ORDER BY v.vendor",
                "listing vendors");
    while (sql_row(&q)) {
        struct vendor_mapping v = {sql_col_text(&q, 0), sql_col_text(&q, 1), sql_col_text(&q, 2),
                                   sql_col_text(&q, 3), sql_col_text(&q, 4)};
        if (fn(ctx, &v) != 0)
            break;
    }
    return sql_done(&q, err);
}
