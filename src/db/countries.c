/* countries.c - vendor -> country: the user's overrides, the shipped table
 * kept as the program ships it, and the map reports read once per query.
 * The rule itself (a user's mapping over the shipped one, 'other' for the
 * bucket, 'unknown' without a mapping) is the vendors view (schema.c). */
#include "db/countries.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The hash of the program's copy of the shipped table, in hex. */
static void shipped_hash(char hex[65])
{
    struct sha256 h;

    sha256_init(&h);
    sha256_update(&h, vendors_shipped_csv, vendors_shipped_csv_len);
    sha256_final_hex(&h, hex);
}

int vendors_shipped_current(struct db *st, int *out, struct ts_err *err)
{
    char hex[65];

    shipped_hash(hex);
    return shipped_current(st, hex, out, err);
}

int vendors_refresh_shipped(struct db *st, struct ts_err *err)
{
    char hex[65];
    struct sql q = SQL_INIT;
    struct vendors_parse_result res = VENDORS_PARSE_RESULT_INIT;
    int current = 0;

    shipped_hash(hex);
    if (shipped_current(st, hex, &current, err) < 0)
        return -1;
    if (current)
        return 0;

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
    return 0;
fail:
    sql_done(&q, NULL);
    vendors_parse_result_release(&res);
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
    countries_forget(st);
    return sql_done(&q, err);
}

int db_vendor_unset(struct db *st, const char *vendor, struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db, "DELETE FROM vendors_user WHERE vendor = ?1",
                "removing a vendor override");
    sql_bind_text(&q, 1, vendor);
    sql_row(&q);
    countries_forget(st);
    if (sql_done(&q, err) < 0)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int db_vendor_each(struct db *st, int (*fn)(void *ctx, const struct vendor_mapping *v), void *ctx,
                   struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db,
                "SELECT vendor, country, name, source, shipped_country FROM vendors"
                " WHERE source IS NOT NULL ORDER BY vendor",
                "listing vendors");
    while (sql_row(&q)) {
        struct vendor_mapping v = {sql_col_text(&q, 0), sql_col_text(&q, 1), sql_col_text(&q, 2),
                                   sql_col_text(&q, 3), sql_col_text(&q, 4)};
        if (fn(ctx, &v) != 0)
            break;
    }
    return sql_done(&q, err);
}

static void country_map_release(struct country_map *m)
{
    ts_map_release(&m->index);
    for (size_t i = 0; i < m->n; i++)
        free(m->countries[i]);
    free(m->countries);
    memset(m, 0, sizeof(*m));
}

static int country_map_load(struct db *st, struct country_map *out, struct ts_err *err)
{
    struct ts_map index = TS_MAP_INIT; /* country -> countries[i] */
    struct sql q;

    /* The mapped vendors (and the other bucket): an unmapped one is absent,
     * which country_mapped tells from one mapped as unknown on purpose. */
    sql_prepare(&q, st->db,
                "SELECT vendor, country FROM vendors WHERE source IS NOT NULL OR vendor = 'other'",
                "reading vendors");
    while (sql_row(&q)) {
        const char *vendor = sql_col_text(&q, 0), *country = sql_col_text(&q, 1);
        int64_t k;
        if (!vendor || !country)
            continue;
        if (!ts_map_get(&index, country, &k)) {
            k = (int64_t)out->n;
            out->countries = xrealloc(out->countries, (out->n + 1) * sizeof(*out->countries));
            out->countries[out->n++] = xstrdup(country);
            ts_map_put(&index, country, k);
        }
        ts_map_put(&out->index, vendor, k);
    }
    ts_map_release(&index);
    return sql_done(&q, err);
}

int countries_load(struct db *st, struct ts_err *err)
{
    if (st->in_tx && st->countries_tx == st->tx)
        return 0; /* read in this transaction, which sees no other writer */
    countries_forget(st);
    if (country_map_load(st, &st->countries, err) < 0) {
        countries_forget(st);
        return -1;
    }
    st->countries_tx = st->in_tx ? st->tx : 0;
    return 0;
}

const char *country_of(const struct db *st, const char *vendor)
{
    int64_t k;

    return vendor && ts_map_get(&st->countries.index, vendor, &k) ? st->countries.countries[k]
                                                                  : "unknown";
}

int country_mapped(const struct db *st, const char *vendor)
{
    int64_t k;

    return vendor && ts_map_get(&st->countries.index, vendor, &k);
}

void countries_forget(struct db *st)
{
    country_map_release(&st->countries);
    st->countries_tx = 0;
}
