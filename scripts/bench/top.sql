-- The top 5 models of the latest week with data, with share, cumulative
-- share, CR-5, HHI (sum of squared shares in percent over all ranked models;
-- the other bucket counts in the total but is never ranked), its change on
-- the week before and its band: `tokstat top -n 5 --format csv`
-- (week,days,rank,model,country,tokens,share,cumulative_share,cr,hhi,hhi_change,band).
.mode csv
.headers on
WITH latest AS (
  SELECT date(m, '-' || ((strftime('%w', m) + 6) % 7) || ' days') AS week
    FROM (SELECT max(date) AS m FROM raw)),
per_model AS MATERIALIZED (
  SELECT date(date, '-' || ((strftime('%w', date) + 6) % 7) || ' days') AS week,
         model_permaslug AS model, sum(total_tokens) AS tokens, count(*) AS days
    FROM raw
   WHERE date >= (SELECT date(week, '-7 days') FROM latest)
   GROUP BY 1, 2),
weeks AS (
  SELECT date(date, '-' || ((strftime('%w', date) + 6) % 7) || ' days') AS week,
         count(DISTINCT date) AS days
    FROM raw WHERE date >= (SELECT date(week, '-7 days') FROM latest) GROUP BY 1),
totals AS (SELECT week, sum(tokens) AS total FROM per_model GROUP BY week),
ranked AS MATERIALIZED (
  SELECT m.week, m.model, m.tokens, t.total,
         row_number() OVER (PARTITION BY m.week ORDER BY m.tokens DESC, m.model) AS rank
    FROM per_model m JOIN totals t USING (week)
   WHERE lower(m.model) NOT IN ('other', 'others') AND m.tokens > 0),
conc AS (
  SELECT week,
         sum((100.0 * tokens / total) * (100.0 * tokens / total)) AS hhi,
         1.0 * sum(CASE WHEN rank <= 5 THEN tokens END) / max(total) AS cr
    FROM ranked GROUP BY week)
SELECT r.week, w.days, r.rank, r.model,
       coalesce(v.country, 'unknown') AS country, r.tokens,
       printf('%.6f', 1.0 * r.tokens / r.total) AS share,
       printf('%.6f', 1.0 * sum(r.tokens) OVER (ORDER BY r.rank) / r.total) AS cumulative_share,
       printf('%.6f', c.cr) AS cr, printf('%.6f', c.hhi) AS hhi,
       printf('%.6f', c.hhi - pc.hhi) AS hhi_change,
       CASE WHEN c.hhi > 1800 THEN 'highly concentrated'
            WHEN c.hhi >= 1000 THEN 'moderately concentrated'
            ELSE 'unconcentrated' END AS band
  FROM ranked r
  JOIN latest l ON r.week = l.week
  JOIN weeks w ON w.week = r.week
  JOIN conc c ON c.week = r.week
  LEFT JOIN conc pc ON pc.week = date(r.week, '-7 days')
  LEFT JOIN vendors v
    ON v.vendor = lower(substr(r.model, 1, instr(r.model, '/') - 1))
 WHERE r.rank <= 5
 ORDER BY r.rank;
