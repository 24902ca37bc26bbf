-- The share of tokens by country in the latest week with data and its change
-- on the week before: `tokstat report --by country`. Reads only the last two
-- weeks (a range of the primary key).
.mode csv
.headers on
WITH latest AS (
  SELECT date(m, '-' || ((strftime('%w', m) + 6) % 7) || ' days') AS week
    FROM (SELECT max(date) AS m FROM raw)),
per_day AS MATERIALIZED (
  SELECT r.date,
         CASE WHEN lower(r.model_permaslug) IN ('other', 'others') THEN 'other'
              ELSE coalesce(v.country, 'unknown') END AS country,
         sum(r.total_tokens) AS tokens
    FROM raw r
    LEFT JOIN vendors v
      ON v.vendor = lower(substr(r.model_permaslug, 1, instr(r.model_permaslug, '/') - 1))
   WHERE r.date >= (SELECT date(week, '-7 days') FROM latest)
   GROUP BY 1, 2),
weekly AS MATERIALIZED (
  SELECT date(date, '-' || ((strftime('%w', date) + 6) % 7) || ' days') AS week,
         country, sum(tokens) AS tokens
    FROM per_day GROUP BY 1, 2),
weeks AS (
  SELECT week, count(DISTINCT date) AS days FROM (
    SELECT date(date, '-' || ((strftime('%w', date) + 6) % 7) || ' days') AS week, date
      FROM per_day) GROUP BY week),
shares AS MATERIALIZED (
  SELECT week, country, tokens,
         1.0 * tokens / sum(tokens) OVER (PARTITION BY week) AS share
    FROM weekly WHERE tokens > 0)
SELECT s.week, w.days,
       CASE WHEN s.country <> 'other'
            THEN row_number() OVER (PARTITION BY s.week, s.country = 'other'
                                    ORDER BY s.tokens DESC, s.country) END AS rank,
       s.country, s.tokens, printf('%.6f', s.share) AS share,
       CASE WHEN pw.week IS NOT NULL
            THEN printf('%.6f', s.share - coalesce(p.share, 0)) END AS share_change
  FROM shares s
  JOIN weeks w ON w.week = s.week
  LEFT JOIN weeks pw ON pw.week = date(s.week, '-7 days')
  LEFT JOIN shares p ON p.week = pw.week AND p.country = s.country
 WHERE s.week = (SELECT week FROM latest)
 ORDER BY s.week, s.tokens DESC, s.country;
