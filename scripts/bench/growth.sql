-- Week-over-week growth of tokens by country over the 8 most recent weeks
-- with data: `tokstat growth --by country --last 8 --format csv`
-- (week,days,country,tokens,prev_tokens,growth,status: growth is empty for
-- a country new that week, status says new, or gone for one that dropped
-- out, with 0 tokens and growth -1). The weeks with data are
-- found by stepping back from the latest day through the primary key, so
-- only those weeks (and the one before them) are read.
.mode csv
.headers on
WITH RECURSIVE
wk(n, week) AS (
  SELECT 1, (SELECT date(m, '-' || ((strftime('%w', m) + 6) % 7) || ' days')
               FROM (SELECT max(date) AS m FROM raw))
  UNION ALL
  SELECT n + 1, (SELECT date(m, '-' || ((strftime('%w', m) + 6) % 7) || ' days')
                   FROM (SELECT max(date) AS m FROM raw WHERE date < wk.week))
    FROM wk WHERE n < 8 AND week IS NOT NULL),
span AS (SELECT min(week) AS first, max(week) AS last FROM wk WHERE week IS NOT NULL),
per_day AS MATERIALIZED (
  SELECT r.date,
         CASE WHEN lower(r.model_permaslug) IN ('other', 'others') THEN 'other'
              ELSE coalesce(v.country, 'unknown') END AS country,
         sum(r.total_tokens) AS tokens
    FROM raw r
    LEFT JOIN vendors v
      ON v.vendor = lower(substr(r.model_permaslug, 1, instr(r.model_permaslug, '/') - 1))
   WHERE r.date >= (SELECT date(first, '-7 days') FROM span)
   GROUP BY 1, 2),
weekly AS MATERIALIZED (
  SELECT date(date, '-' || ((strftime('%w', date) + 6) % 7) || ' days') AS week,
         country, sum(tokens) AS tokens
    FROM per_day GROUP BY 1, 2 HAVING sum(tokens) > 0),
weeks AS (
  SELECT week, count(DISTINCT date) AS days FROM (
    SELECT date(date, '-' || ((strftime('%w', date) + 6) % 7) || ' days') AS week, date
      FROM per_day) GROUP BY week),
-- a country is listed in a week when it has tokens that week or the week before
keys AS (
  SELECT week, country FROM weekly
  UNION
  SELECT date(week, '+7 days'), country FROM weekly),
g AS (
  SELECT k.week, coalesce(w.days, 0) AS days, k.country,
         coalesce(c.tokens, 0) AS tokens,
         -- the week before the first one is only known when it has data
         CASE WHEN k.week > span.first OR pw.week IS NOT NULL
              THEN coalesce(p.tokens, 0) END AS prev_tokens
    FROM keys k
    JOIN span ON k.week BETWEEN span.first AND span.last
    LEFT JOIN weeks w ON w.week = k.week
    LEFT JOIN weeks pw ON pw.week = date(k.week, '-7 days')
    LEFT JOIN weekly c ON c.week = k.week AND c.country = k.country
    LEFT JOIN weekly p ON p.week = date(k.week, '-7 days') AND p.country = k.country)
SELECT week, days, country, tokens, prev_tokens,
       CASE WHEN prev_tokens IS NULL OR prev_tokens = 0 THEN NULL
            ELSE printf('%.6f', 1.0 * (tokens - prev_tokens) / prev_tokens) END AS growth,
       CASE WHEN prev_tokens = 0 THEN 'new'
            WHEN tokens = 0 AND prev_tokens > 0 THEN 'gone' END AS status
  FROM g
 ORDER BY week, tokens DESC, country;
