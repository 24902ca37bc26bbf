/* schema.c - the schema's versions: the migrations, and taking a database
 * to the current version when it is opened. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* migrations[i] takes the schema from version i to i + 1. A new version
 * appends a migration here and never edits an earlier one. */
static const char *const migrations[] = {
    "CREATE TABLE datasets(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE models(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  slug TEXT NOT NULL UNIQUE,\n"
    "  vendor TEXT NOT NULL);\n"
    "CREATE INDEX models_vendor ON models(vendor);\n"
    "CREATE TABLE imports(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  dataset_id INTEGER NOT NULL REFERENCES datasets(id),\n"
    "  file TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL DEFAULT '',\n"
    "  format TEXT NOT NULL,\n"
    "  rows INTEGER NOT NULL DEFAULT 0,\n"
    "  inserted INTEGER NOT NULL DEFAULT 0,\n"
    "  updated INTEGER NOT NULL DEFAULT 0,\n"
    "  unchanged INTEGER NOT NULL DEFAULT 0,\n"
    "  prices INTEGER NOT NULL DEFAULT 0,\n"
    "  as_of TEXT,\n"
    "  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')));\n"
    "CREATE INDEX imports_sha256 ON imports(sha256);\n"
    "CREATE TABLE observations(\n"
    "  dataset_id INTEGER NOT NULL REFERENCES datasets(id),\n"
    "  granularity INTEGER NOT NULL CHECK (granularity IN (0, 1)),\n"
    "  period INTEGER NOT NULL,\n"
    "  model_id INTEGER NOT NULL REFERENCES models(id),\n"
    "  total INTEGER NOT NULL CHECK (total >= 0),\n"
    "  prompt INTEGER,\n"
    "  completion INTEGER,\n"
    "  reasoning INTEGER,\n"
    "  cached INTEGER,\n"
    "  requests INTEGER,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),\n"
    "  PRIMARY KEY (dataset_id, granularity, period, model_id)) WITHOUT ROWID;\n"
    "CREATE TABLE prices(\n"
    "  model TEXT NOT NULL,\n"
    "  valid_from INTEGER NOT NULL,\n"
    "  source TEXT NOT NULL,\n"
    "  prompt INTEGER,\n"
    "  completion INTEGER,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),\n"
    "  PRIMARY KEY (model, valid_from, source)) WITHOUT ROWID;\n"
    "CREATE TABLE vendors_shipped(\n"
    "  vendor TEXT PRIMARY KEY,\n"
    "  country TEXT NOT NULL,\n"
    "  name TEXT NOT NULL DEFAULT '') WITHOUT ROWID;\n"
    "CREATE TABLE vendors_user(\n"
    "  vendor TEXT PRIMARY KEY,\n"
    "  country TEXT NOT NULL,\n"
    "  set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))) WITHOUT ROWID;\n"
    "CREATE VIEW vendor_country AS\n"
    "  SELECT vendor, country FROM vendors_user\n"
    "  UNION ALL\n"
    "  SELECT vendor, country FROM vendors_shipped\n"
    "   WHERE vendor NOT IN (SELECT vendor FROM vendors_user);\n"
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL) WITHOUT ROWID;\n",

    /* Version 2: the model catalogue's ids (anthropic/claude-opus-4.6) for
     * the models their prices are kept under (anthropic/claude-4.6-opus-
     * 20260205), so that users can name a model either way. */
    "CREATE TABLE model_aliases(\n"
    "  alias TEXT PRIMARY KEY,\n"
    "  model TEXT NOT NULL,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id)) WITHOUT ROWID;\n",

    /* Version 3: weekly roll-ups kept at import time, so that reports read
     * a few rows a week instead of every day of every model. A week comes
     * from its daily rows when it has any, else from its weekly rows;
     * split_tokens are the tokens of the rows that give both prompt and
     * completion tokens, whose sums prompt and completion are. */
    "CREATE TABLE week_model(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  week INTEGER NOT NULL,\n"
    "  model_id INTEGER NOT NULL,\n"
    "  tokens INTEGER NOT NULL,\n"
    "  split_tokens INTEGER NOT NULL,\n"
    "  prompt INTEGER NOT NULL,\n"
    "  completion INTEGER NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, week, model_id)) WITHOUT ROWID;\n"
    "CREATE TABLE week_days(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  week INTEGER NOT NULL,\n"
    "  days INTEGER NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, week)) WITHOUT ROWID;\n"
    "CREATE TABLE week_vendor(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  week INTEGER NOT NULL,\n"
    "  vendor TEXT NOT NULL,\n"
    "  tokens INTEGER NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, week, vendor)) WITHOUT ROWID;\n",

    /* Version 4: observations kept a model's week to a row (cell.h): a
     * seventh of the B-tree entries to write and to read back for the
     * roll-ups. The observations view shows them one row each, as the
     * table did. Slots are [total, import_id, prompt, completion,
     * reasoning, cached, requests] without trailing nulls; a daily row's
     * slot is its day of the week, Monday first. */
    "CREATE TABLE obs_week(\n"
    "  dataset_id INTEGER NOT NULL,\n"
    "  granularity INTEGER NOT NULL CHECK (granularity IN (0, 1)),\n"
    "  week INTEGER NOT NULL,\n"
    "  model_id INTEGER NOT NULL,\n"
    "  n INTEGER NOT NULL,\n"
    "  days TEXT NOT NULL,\n"
    "  PRIMARY KEY (dataset_id, granularity, week, model_id)) WITHOUT ROWID;\n"
    "INSERT INTO obs_week(dataset_id, granularity, week, model_id, n, days)\n"
    "  SELECT dataset_id, granularity, week, model_id, COUNT(*),\n"
    "    CASE granularity WHEN 1 THEN json_array(json(MAX(slot)))\n"
    "    ELSE json_array(json(MAX(IIF(d = 0, slot, NULL))), json(MAX(IIF(d = 1, slot, NULL))),\n"
    "      json(MAX(IIF(d = 2, slot, NULL))), json(MAX(IIF(d = 3, slot, NULL))),\n"
    "      json(MAX(IIF(d = 4, slot, NULL))), json(MAX(IIF(d = 5, slot, NULL))),\n"
    "      json(MAX(IIF(d = 6, slot, NULL)))) END\n"
    "  FROM (SELECT dataset_id, granularity, model_id,\n"
    "          IIF(granularity = 1, period, period - (period % 7 + 10) % 7) AS week,\n"
    "          IIF(granularity = 1, 0, (period % 7 + 10) % 7) AS d,\n"
    "          CASE WHEN requests IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion, reasoning, cached, requests)\n"
    "               WHEN cached IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion, reasoning, cached)\n"
    "               WHEN reasoning IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion, reasoning)\n"
    "               WHEN completion IS NOT NULL THEN json_array(total, import_id, prompt,\n"
    "                 completion)\n"
    "               WHEN prompt IS NOT NULL THEN json_array(total, import_id, prompt)\n"
    "               ELSE json_array(total, import_id) END AS slot\n"
    "        FROM observations)\n"
    "  GROUP BY dataset_id, granularity, week, model_id;\n"
    "DROP TABLE observations;\n"
    "CREATE VIEW observations(dataset_id, granularity, period, model_id, total, prompt,\n"
    "    completion, reasoning, cached, requests, import_id) AS\n"
    "  SELECT o.dataset_id, o.granularity, o.week + j.key, o.model_id, j.value ->> 0,\n"
    "    j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6,\n"
    "    j.value ->> 1\n"
    "  FROM obs_week o, json_each(o.days) j WHERE j.type = 'array';\n",

    /* Version 5: the database as an interface for people who open it with
     * sqlite3, Datasette or DuckDB: views with names and ISO dates beside
     * the ids and day numbers, and the vendor -> country rule stated once,
     * in the vendors view, which tokstat reads too. A day number d (days
     * since 1970-01-01, negative before) is the Julian day 2440587.5 + d,
     * which date() takes as it is. The vendors view joins three disjoint
     * sets with UNION ALL, each vendor of the models looked up once: a
     * UNION would build temporary b-trees to merge them each time it is
     * read (twice a report). */
    "DROP VIEW vendor_country;\n"
    "CREATE VIEW vendors(vendor, country, name, source, shipped_country) AS\n"
    "  -- Every vendor the database knows (shipped, set by a user, or of a\n"
    "  -- model) and its country: a user's mapping over the shipped one; the\n"
    "  -- bucket of unlisted models, 'other', in country 'other'; 'unknown'\n"
    "  -- without a mapping. source is 'user', 'shipped' or NULL (unmapped);\n"
    "  -- shipped_country is the shipped country under a user's mapping.\n"
    "  SELECT v.vendor,\n"
    "    CASE WHEN v.vendor = 'other' THEN 'other'\n"
    "         ELSE COALESCE(u.country, s.country, 'unknown') END,\n"
    "    COALESCE(s.name, ''),\n"
    "    CASE WHEN u.vendor IS NOT NULL THEN 'user'\n"
    "         WHEN s.vendor IS NOT NULL THEN 'shipped' END,\n"
    "    IIF(u.vendor IS NOT NULL, s.country, NULL)\n"
    "  FROM (SELECT vendor FROM vendors_shipped\n"
    "        UNION ALL SELECT vendor FROM vendors_user\n"
    "         WHERE vendor NOT IN (SELECT vendor FROM vendors_shipped)\n"
    "        UNION ALL SELECT vendor FROM (SELECT DISTINCT vendor FROM models)\n"
    "         WHERE vendor NOT IN (SELECT vendor FROM vendors_shipped)\n"
    "           AND vendor NOT IN (SELECT vendor FROM vendors_user)) v\n"
    "  LEFT JOIN vendors_user u ON u.vendor = v.vendor\n"
    "  LEFT JOIN vendors_shipped s ON s.vendor = v.vendor;\n"
    "CREATE VIEW usage(dataset, period, date, week, model, vendor, country, total_tokens,\n"
    "    prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, requests) AS\n"
    "  -- One row per observation. period is 'day' or 'week'; date is the\n"
    "  -- day, or the Monday of a weekly row's ISO week; week is the Monday\n"
    "  -- (ISO 8601 dates). A week is read from its daily rows when it has\n"
    "  -- any, else from its weekly rows: never add the two.\n"
    "  SELECT d.name, IIF(o.granularity = 0, 'day', 'week'),\n"
    "    date(2440587.5 + o.week + j.key), date(2440587.5 + o.week),\n"
    "    m.slug, m.vendor, v.country, j.value ->> 0, j.value ->> 2, j.value ->> 3,\n"
    "    j.value ->> 4, j.value ->> 5, j.value ->> 6\n"
    "  FROM obs_week o, json_each(o.days) j\n"
    "  JOIN datasets d ON d.id = o.dataset_id\n"
    "  JOIN models m ON m.id = o.model_id\n"
    "  JOIN vendors v ON v.vendor = m.vendor\n"
    "  WHERE j.type = 'array';\n"
    "CREATE VIEW usage_weekly(dataset, week, days, model, vendor, country, tokens,\n"
    "    split_tokens, prompt_tokens, completion_tokens) AS\n"
    "  -- The weekly roll-ups the reports read: tokens per ISO week (the\n"
    "  -- Monday) and model, from the week's daily rows when it has any (days\n"
    "  -- of them, 1-7), else from its weekly rows (days 7). split_tokens are\n"
    "  -- the tokens of the rows that give prompt and completion tokens, whose\n"
    "  -- sums prompt_tokens and completion_tokens are.\n"
    "  SELECT d.name, date(2440587.5 + u.week), w.days, m.slug, m.vendor, v.country,\n"
    "    u.tokens, u.split_tokens, u.prompt, u.completion\n"
    "  FROM week_model u\n"
    "  JOIN datasets d ON d.id = u.dataset_id\n"
    "  LEFT JOIN week_days w ON w.dataset_id = u.dataset_id AND w.week = u.week\n"
    "  JOIN models m ON m.id = u.model_id\n"
    "  JOIN vendors v ON v.vendor = m.vendor;\n",
    /* Version 6: what a week covers, and prices scoped to their dataset.
     * week_days gets the weekdays of data (mask: bit 0 Monday; 127 for a
     * weekly row) and whether the week's total is the whole market (full:
     * its rows include the other bucket) or only the listed models. A
     * snapshot's prices belong to the dataset it was imported into
     * (dataset_id; 0 for the catalogue, whose prices are global): the key
     * gains the dataset, and the prices already stored go to the dataset
     * of the import that wrote them. The roll-ups are computed again (the
     * split rule changed: prompt = completion = 0 is no split). */
    "ALTER TABLE week_days ADD COLUMN mask INTEGER NOT NULL DEFAULT 127;\n"
    "ALTER TABLE week_days ADD COLUMN full INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE prices_v6(\n"
    "  model TEXT NOT NULL,\n"
    "  valid_from INTEGER NOT NULL,\n"
    "  source TEXT NOT NULL,\n"
    "  dataset_id INTEGER NOT NULL DEFAULT 0,\n"
    "  prompt INTEGER,\n"
    "  completion INTEGER,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),\n"
    "  PRIMARY KEY (model, valid_from, source, dataset_id)) WITHOUT ROWID;\n"
    "INSERT INTO prices_v6(model, valid_from, source, dataset_id, prompt, completion, import_id)\n"
    "  SELECT p.model, p.valid_from, p.source,\n"
    "    IIF(p.source = 'snapshot',\n"
    "        COALESCE((SELECT i.dataset_id FROM imports i WHERE i.id = p.import_id), 0), 0),\n"
    "    p.prompt, p.completion, p.import_id\n"
    "  FROM prices p;\n"
    "DROP TABLE prices;\n"
    "ALTER TABLE prices_v6 RENAME TO prices;\n"
    "DROP VIEW usage_weekly;\n"
    "CREATE VIEW usage_weekly(dataset, week, days, coverage, model, vendor, country, tokens,\n"
    "    split_tokens, prompt_tokens, completion_tokens) AS\n"
    "  -- The weekly roll-ups the reports read: tokens per ISO week (the\n"
    "  -- Monday) and model, from the week's daily rows when it has any (days\n"
    "  -- of them, 1-7), else from its weekly rows (days 7). coverage is\n"
    "  -- 'full' when the week's total is the whole market (its rows include\n"
    "  -- the other bucket), 'listed' when it is only the listed models'.\n"
    "  -- split_tokens are the tokens of the rows that give prompt and\n"
    "  -- completion tokens, whose sums prompt_tokens and completion_tokens are.\n"
    "  SELECT d.name, date(2440587.5 + u.week), w.days, IIF(w.full, 'full', 'listed'),\n"
    "    m.slug, m.vendor, v.country, u.tokens, u.split_tokens, u.prompt, u.completion\n"
    "  FROM week_model u\n"
    "  JOIN datasets d ON d.id = u.dataset_id\n"
    "  LEFT JOIN week_days w ON w.dataset_id = u.dataset_id AND w.week = u.week\n"
    "  JOIN models m ON m.id = u.model_id\n"
    "  JOIN vendors v ON v.vendor = m.vendor;\n",

    /* Version 7: app rankings (OpenRouter's openrouter.ai/apps), kept apart
     * from model usage. A dataset's kind says what its observations are:
     * 'models' (model_id is models.id) or 'apps' (model_id is apps.id); NULL
     * until it has any. An app is OpenRouter's app_id (its identity) with
     * the name it had in the latest week seen. app_lists holds what an apps
     * dataset ranks: the category, subcategory and sort its rankings were
     * asked for (one list a dataset, so that shares never mix two), and the
     * ranks tokstat fetch asks for. The usage views read model datasets
     * only; app_usage is the apps'. */
    "ALTER TABLE datasets ADD COLUMN kind TEXT CHECK (kind IN ('models', 'apps'));\n"
    "UPDATE datasets SET kind = 'models' WHERE id IN (SELECT dataset_id FROM obs_week);\n"
    "CREATE TABLE apps(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  app_id INTEGER NOT NULL UNIQUE,\n"
    "  name TEXT NOT NULL,\n"
    "  name_week INTEGER NOT NULL);\n"
    "CREATE TABLE app_lists(\n"
    "  dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id),\n"
    "  category TEXT,\n"
    "  subcategory TEXT,\n"
    "  sort TEXT NOT NULL,\n"
    "  first_rank INTEGER,\n"
    "  last_rank INTEGER);\n"
    "DROP VIEW usage;\n"
    "DROP VIEW usage_weekly;\n"
    "CREATE VIEW usage(dataset, period, date, week, model, vendor, country, total_tokens,\n"
    "    prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, requests) AS\n"
    "  -- One row per observation of a model dataset (app rankings: app_usage).\n"
    "  -- period is 'day' or 'week'; date is the day, or the Monday of a weekly\n"
    "  -- row's ISO week; week is the Monday (ISO 8601 dates). A week is read\n"
    "  -- from its daily rows when it has any, else from its weekly rows: never\n"
    "  -- add the two.\n"
    "  SELECT d.name, IIF(o.granularity = 0, 'day', 'week'),\n"
    "    date(2440587.5 + o.week + j.key), date(2440587.5 + o.week),\n"
    "    m.slug, m.vendor, v.country, j.value ->> 0, j.value ->> 2, j.value ->> 3,\n"
    "    j.value ->> 4, j.value ->> 5, j.value ->> 6\n"
    "  FROM obs_week o, json_each(o.days) j\n"
    "  JOIN datasets d ON d.id = o.dataset_id\n"
    "  JOIN models m ON m.id = o.model_id\n"
    "  JOIN vendors v ON v.vendor = m.vendor\n"
    "  WHERE j.type = 'array' AND d.kind IS NOT 'apps';\n"
    "CREATE VIEW usage_weekly(dataset, week, days, coverage, model, vendor, country, tokens,\n"
    "    split_tokens, prompt_tokens, completion_tokens) AS\n"
    "  -- The weekly roll-ups the reports read, of model datasets: tokens per\n"
    "  -- ISO week (the Monday) and model, from the week's daily rows when it\n"
    "  -- has any (days of them, 1-7), else from its weekly rows (days 7).\n"
    "  -- coverage is 'full' when the week's total is the whole market (its\n"
    "  -- rows include the other bucket), 'listed' when it is only the listed\n"
    "  -- models'. split_tokens are the tokens of the rows that give prompt and\n"
    "  -- completion tokens, whose sums prompt_tokens and completion_tokens are.\n"
    "  SELECT d.name, date(2440587.5 + u.week), w.days, IIF(w.full, 'full', 'listed'),\n"
    "    m.slug, m.vendor, v.country, u.tokens, u.split_tokens, u.prompt, u.completion\n"
    "  FROM week_model u\n"
    "  JOIN datasets d ON d.id = u.dataset_id\n"
    "  LEFT JOIN week_days w ON w.dataset_id = u.dataset_id AND w.week = u.week\n"
    "  JOIN models m ON m.id = u.model_id\n"
    "  JOIN vendors v ON v.vendor = m.vendor\n"
    "  WHERE d.kind IS NOT 'apps';\n"
    "CREATE VIEW app_usage(dataset, week, app_id, app, tokens, requests, category,\n"
    "    subcategory, sort) AS\n"
    "  -- App rankings: per dataset of apps, ISO week (the Monday) and app, its\n"
    "  -- tokens (as each model's provider counts them, prompt + completion)\n"
    "  -- and requests. app_id is OpenRouter's; app is the app's latest name.\n"
    "  -- Every week lists only its top apps: shares are of the listed apps.\n"
    "  SELECT d.name, date(2440587.5 + o.week), a.app_id, a.name, j.value ->> 0,\n"
    "    j.value ->> 6, l.category, l.subcategory, l.sort\n"
    "  FROM obs_week o, json_each(o.days) j\n"
    "  JOIN datasets d ON d.id = o.dataset_id\n"
    "  JOIN apps a ON a.id = o.model_id\n"
    "  LEFT JOIN app_lists l ON l.dataset_id = o.dataset_id\n"
    "  WHERE j.type = 'array' AND d.kind = 'apps';\n",
    /* Version 8: model families. The shipped rules (data/families.csv,
     * refreshed when the program's copy changes, as the shipped vendors
     * are) and the user's, which take precedence; the families view
     * states them together. The longest matching prefix and the default
     * without one are applied by tokstat (core/families.h) and written out
     * by 'tokstat export'. */
    "CREATE TABLE families_shipped(\n"
    "  prefix TEXT PRIMARY KEY,\n"
    "  family TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE families_user(\n"
    "  prefix TEXT PRIMARY KEY,\n"
    "  family TEXT NOT NULL,\n"
    "  set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))) WITHOUT ROWID;\n"
    "CREATE VIEW families(prefix, family, source, shipped_family) AS\n"
    "  -- The rules that give a model its family: a model belongs to the\n"
    "  -- family of the longest user's prefix its slug starts with, else of\n"
    "  -- the longest shipped one, else to its slug without a -YYYYMMDD or\n"
    "  -- -YYYY-MM-DD date and without its :variant. A user's rule replaces\n"
    "  -- the shipped one of its prefix. source is 'user' or 'shipped';\n"
    "  -- shipped_family is the shipped family under a user's rule.\n"
    "  SELECT s.prefix, COALESCE(u.family, s.family),\n"
    "    IIF(u.prefix IS NULL, 'shipped', 'user'), IIF(u.prefix IS NULL, NULL, s.family)\n"
    "  FROM families_shipped s LEFT JOIN families_user u ON u.prefix = s.prefix\n"
    "  UNION ALL\n"
    "  SELECT prefix, family, 'user', NULL FROM families_user\n"
    "   WHERE prefix NOT IN (SELECT prefix FROM families_shipped);\n",
};

/* The last version whose roll-ups are made otherwise than today's: a
 * database from before it gets them computed again from its observations. */
#define ROLLUP_VERSION 6

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(NMIGRATIONS == DB_SCHEMA_VERSION, "a migration for each schema version");

int schema_version(struct db *st, int *out, struct ts_err *err)
{
    struct sql q;

    *out = 0;
    sql_prepare(&q, st->db, "PRAGMA user_version", "reading the schema version");
    if (sql_row(&q))
        *out = sql_col_int(&q, 0);
    return sql_done(&q, err);
}

int schema_check(int version, int writing, const char *path, struct ts_err *err)
{
    struct ts_buf b = TS_BUF_INIT;
    int rc = 0;

    if (version == NMIGRATIONS || (writing && version < NMIGRATIONS))
        return 0;
    ts_quote_for_msg(&b, path, strlen(path), 300);
    if (version > NMIGRATIONS)
        rc = ts_err_set(err,
                        "database '%s' has schema version %d, newer than this tokstat's (%d): it "
                        "needs a newer tokstat",
                        b.data, version, NMIGRATIONS);
    else if (version == 0)
        rc = ts_err_set(err, "'%s' is not a tokstat database (it has no schema)", b.data);
    else
        rc = ts_err_set(err,
                        "database '%s' has schema version %d, older than this tokstat's (%d): "
                        "a command that writes ('tokstat check --repair', an import) upgrades it",
                        b.data, version, NMIGRATIONS);
    buf_release(&b);
    return rc;
}

/* Takes the schema to NMIGRATIONS within the caller's write transaction;
 * a database from before the roll-ups gets them computed from its
 * observations. */
int schema_migrate(struct db *st, struct ts_err *err)
{
    int version;

    if (schema_version(st, &version, err) < 0)
        return -1;
    if (version > NMIGRATIONS)
        return ts_err_set(err, "database schema version %d is newer than this tokstat (%d)",
                          version, NMIGRATIONS);
    int from = version;
    for (; version < NMIGRATIONS; version++) {
        char pragma[64];
        if (sql_exec(st->db, migrations[version], err) < 0)
            return -1;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
        if (sql_exec(st->db, pragma, err) < 0)
            return -1;
    }
    if (from > 0 && from < ROLLUP_VERSION && rollup_all(st, ROLLUP_STORED, err) < 0)
        return -1;
    return 0;
}
