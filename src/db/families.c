/* families.c - model family rules: the user's, the shipped ones kept as
 * the program ships them, and the map from slug to family that reports
 * and export read once per query. The rules themselves are the families
 * view (schema.c); matching them is core/families.c's. */
#include "db/families.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "internal.h"

/* The hash of the program's copy of the shipped rules, in hex. */
static void shipped_hash(char hex[65])
{
    struct sha256 h;

    sha256_init(&h);
    sha256_update(&h, families_shipped_csv, families_shipped_csv_len);
    sha256_final_hex(&h, hex);
}

int families_shipped_current(struct db *st, int *out, struct ts_err *err)
{
    char hex[65];
    struct sql q;

    shipped_hash(hex);
    sql_prepare(&q, st->db, "SELECT 1 FROM meta WHERE key = 'families_sha256' AND value = ?1",
                "reading the family rules' version");
    sql_bind_text(&q, 1, hex);
    *out = sql_row(&q);
    return sql_done(&q, err);
}

static int shipped_row(void *ctx, const struct family_rule *rule, long line, struct ts_err *err)
{
    struct sql *q = ctx;

    (void)line;
    sql_bind_text(q, 1, rule->prefix);
    sql_bind_text(q, 2, rule->family);
    sql_row(q);
    if (!sql_ok(q))
        return ts_err_set(err, "database: storing the shipped family rule of '%s'", rule->prefix);
    return 0;
}

int families_refresh_shipped(struct db *st, struct ts_err *err)
{
    char hex[65];
    struct sql q = SQL_INIT;
    size_t rows = 0;
    int current = 0;

    if (families_shipped_current(st, &current, err) < 0)
        return -1;
    if (current)
        return 0;
    shipped_hash(hex);
    if (sql_exec(st->db, "DELETE FROM families_shipped", err) < 0)
        goto fail;
    sql_prepare(&q, st->db,
                "INSERT OR REPLACE INTO families_shipped(prefix, family) VALUES (?1, ?2)",
                "storing the shipped family rules");
    if (sql_check(&q, err) < 0)
        goto fail;
    if (families_parse((const char *)families_shipped_csv, families_shipped_csv_len, shipped_row,
                       &q, &rows, err) < 0) {
        char where[64];
        snprintf(where, sizeof(where), "shipped families.csv:%ld: ", err->line);
        ts_err_prefix(err, where);
        goto fail;
    }
    sql_done(&q, NULL);
    sql_prepare(&q, st->db,
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('families_sha256', ?1)",
                "storing the family rules' version");
    sql_bind_text(&q, 1, hex);
    sql_row(&q);
    if (sql_done(&q, err) < 0)
        goto fail;
    families_forget(st);
    return 0;
fail:
    sql_done(&q, NULL);
    return -1;
}

int db_family_set(struct db *st, const char *prefix, const char *family, struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db,
                "INSERT INTO families_user(prefix, family) VALUES (?1, ?2)"
                " ON CONFLICT(prefix) DO UPDATE SET family = excluded.family,"
                " set_at = excluded.set_at",
                "setting a family rule");
    sql_bind_text(&q, 1, prefix);
    sql_bind_text(&q, 2, family);
    sql_row(&q);
    families_forget(st);
    return sql_done(&q, err);
}

int db_family_unset(struct db *st, const char *prefix, struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db, "DELETE FROM families_user WHERE prefix = ?1",
                "removing a family rule");
    sql_bind_text(&q, 1, prefix);
    sql_row(&q);
    families_forget(st);
    if (sql_done(&q, err) < 0)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int db_family_each(struct db *st, int (*fn)(void *ctx, const struct family_listing *f), void *ctx,
                   struct ts_err *err)
{
    struct sql q;

    sql_prepare(&q, st->db,
                "SELECT prefix, family, source, shipped_family FROM families ORDER BY prefix",
                "listing family rules");
    while (sql_row(&q)) {
        struct family_listing f = {sql_col_text(&q, 0), sql_col_text(&q, 1), sql_col_text(&q, 2),
                                   sql_col_text(&q, 3)};
        if (fn(ctx, &f) != 0)
            break;
    }
    return sql_done(&q, err);
}

int families_load(struct db *st, struct ts_err *err)
{
    struct sql q;

    if (st->in_tx && st->families_tx == st->tx)
        return 0; /* read in this transaction, which sees no other writer */
    families_forget(st);
    sql_prepare(&q, st->db, "SELECT prefix, family, source = 'user' FROM families",
                "reading family rules");
    while (sql_row(&q)) {
        const char *prefix = sql_col_text(&q, 0), *family = sql_col_text(&q, 1);
        if (prefix && family)
            family_rules_add(sql_col_int(&q, 2) ? &st->families.user : &st->families.shipped,
                             prefix, family);
    }
    if (sql_done(&q, err) < 0) {
        families_forget(st);
        return -1;
    }
    family_rules_sort(&st->families.user);
    family_rules_sort(&st->families.shipped);
    st->families_tx = st->in_tx ? st->tx : 0;
    return 0;
}

const char *family_of(struct db *st, const char *slug)
{
    struct family_map *m = &st->families;
    int64_t k;

    if (!slug)
        return NULL;
    if (ts_map_get(&m->index, slug, &k))
        return m->names[k];
    family_resolve(&m->user, &m->shipped, slug, &m->buf);
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->names = xrealloc(m->names, m->cap * sizeof(*m->names));
    }
    m->names[m->n] = xstrdup(m->buf.data);
    ts_map_put(&m->index, slug, (int64_t)m->n);
    return m->names[m->n++];
}

void families_forget(struct db *st)
{
    struct family_map *m = &st->families;

    family_rules_release(&m->user);
    family_rules_release(&m->shipped);
    ts_map_release(&m->index);
    for (size_t i = 0; i < m->n; i++)
        free(m->names[i]);
    free(m->names);
    buf_release(&m->buf);
    memset(m, 0, sizeof(*m));
    st->families_tx = 0;
}
