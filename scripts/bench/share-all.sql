-- The share of tokens by country per ISO week, over all weeks: the same
-- question as `tokstat report --by country --from FIRST --to LAST --format csv`,
-- with its columns (week,days,rank,country,tokens,share,share_change): a
-- country the week before had and the week has not is listed with 0
-- tokens (tokstat's status "gone"), unranked.
-- Tables: raw(date, model_permaslug, total_tokens) and vendors(vendor, country).
.mode csv
.headers on
WITH per_day AS MATERIALIZED (
  SELECT r.date,
         CASE WHEN lower(r.model_permaslug) IN ('other', 'others') THEN 'other'
              ELSE coalesce(v.country, 'unknown') END AS country,
         sum(r.total_tokens) AS tokens
    FROM raw r
    LEFT JOIN vendors v
      ON v.vendor = lower(substr(r.model_permaslug, 1, instr(r.model_permaslug, '/') - 1))
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
    FROM weekly WHERE tokens > 0),
-- The change of share is like for like: a week is compared with the week
-- before on the weekdays both have data for (all 7 for complete weeks), so
-- the week after a partial first week is compared on that week's days.
dw AS MATERIALIZED (
  SELECT date(date, '-' || ((strftime('%w', date) + 6) % 7) || ' days') AS week,
         (strftime('%w', date) + 6) % 7 AS wd, country, tokens
    FROM per_day),
wdays AS MATERIALIZED (SELECT DISTINCT week, wd FROM dw),
common AS MATERIALIZED (
  SELECT c.week, c.wd FROM wdays c JOIN wdays p ON p.week = date(c.week, '-7 days') AND p.wd = c.wd),
cur AS (
  SELECT d.week, d.country, sum(d.tokens) AS tokens
    FROM dw d JOIN common c ON c.week = d.week AND c.wd = d.wd GROUP BY 1, 2),
prev AS (
  SELECT c.week, d.country, sum(d.tokens) AS tokens
    FROM dw d JOIN common c ON d.week = date(c.week, '-7 days') AND c.wd = d.wd GROUP BY 1, 2),
cur_s AS MATERIALIZED (
  SELECT week, country, 1.0 * tokens / sum(tokens) OVER (PARTITION BY week) AS share FROM cur),
prev_s AS MATERIALIZED (
  SELECT week, country, 1.0 * tokens / sum(tokens) OVER (PARTITION BY week) AS share FROM prev),
listed AS (
  SELECT week, country, tokens, share FROM shares
  UNION ALL
  SELECT w.week, p.country, 0, 0.0
    FROM weeks w JOIN shares p ON p.week = date(w.week, '-7 days')
   WHERE NOT EXISTS (SELECT 1 FROM shares s WHERE s.week = w.week AND s.country = p.country))
SELECT s.week, w.days,
       CASE WHEN s.country <> 'other' AND s.tokens > 0
            THEN row_number() OVER (PARTITION BY s.week, s.country = 'other' OR s.tokens = 0
                                    ORDER BY s.tokens DESC, s.country) END AS rank,
       s.country, s.tokens, printf('%.6f', s.share) AS share,
       CASE WHEN pw.week IS NOT NULL
            THEN printf('%.6f', coalesce(c.share, 0) - coalesce(p.share, 0)) END AS share_change
  FROM listed s
  JOIN weeks w ON w.week = s.week
  LEFT JOIN weeks pw ON pw.week = date(s.week, '-7 days')
  LEFT JOIN cur_s c ON c.week = s.week AND c.country = s.country
  LEFT JOIN prev_s p ON p.week = s.week AND p.country = s.country
 ORDER BY s.week, s.tokens DESC, s.country;
