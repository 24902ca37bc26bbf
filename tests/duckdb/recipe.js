// The README's DuckDB recipe, run with DuckDB itself (@duckdb/node-api):
// the share of each country per week from a `tokstat export --split-by
// month` folder must be what `tokstat report --by country --format csv`
// says, week by week (tokens exactly, shares at the CSV's 6 decimals), and
// the README's lines of output must be what DuckDB prints with -csv.
//
// Usage (NODE_PATH holds @duckdb/node-api):
//   node recipe.js README_SQL README_SHOWN REPORT_CSV CSV_DIR JSONL_DIR
// run in the folder that holds CSV_DIR, the export the SQL reads;
// README_SHOWN is a file of the output lines the README shows; JSONL_DIR
// an export of the same rows as JSON Lines, which must sum the same.
'use strict';
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

const [sql, shownFile, reportFile, csvDir, jsonlDir] = process.argv.slice(2);
let failures = 0;
function fail(msg) {
  console.log(`recipe.js: FAIL: ${msg}`);
  failures++;
}

// A value as the duckdb shell's -csv mode prints it.
function cell(v) {
  if (v === null || v === undefined) return '';
  return String(v);
}

// The report's CSV rows by "week,country": tokens and share (as text).
function readReport(path) {
  const lines = fs.readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in the report's CSV`);
    return i;
  };
  const [w, c, t, s] = ['week', 'country', 'tokens', 'share'].map(col);
  const rows = new Map();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (f[t] === '0') continue; // a group gone this week: no rows to sum
    rows.set(`${f[w]},${f[c]}`, { tokens: f[t], share: f[s] });
  }
  return rows;
}

async function main() {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const result = await con.runAndReadAll(sql);
  const names = result.columnNames();
  const rows = result.getRowObjectsJson();
  const csv = [names.join(',')].concat(rows.map((r) => names.map((n) => cell(r[n])).join(',')));

  // 1. What the README shows is what DuckDB prints.
  const shown = fs.readFileSync(shownFile, 'utf8').split('\n').filter((l) => l !== '');
  if (shown.length < 2) fail('the README shows no output under its duckdb line');
  shown.forEach((line, i) => {
    if (csv[i] !== line) fail(`README line ${i + 1} of the output: shows '${line}', DuckDB prints '${csv[i]}'`);
  });

  // 2. Every week and country as the report gives them.
  for (const n of ['week', 'country', 'tokens', 'share'])
    if (!names.includes(n)) fail(`the recipe gives no column ${n}`);
  const report = readReport(reportFile);
  const seen = new Set();
  for (const r of rows) {
    const key = `${r.week},${r.country}`;
    const want = report.get(key);
    seen.add(key);
    if (!want) {
      fail(`DuckDB has ${key}, the report has not`);
      continue;
    }
    if (String(r.tokens) !== want.tokens) fail(`${key}: tokens ${r.tokens} in DuckDB, ${want.tokens} in the report`);
    if (Number(r.share).toFixed(6) !== want.share) fail(`${key}: share ${r.share} in DuckDB, ${want.share} in the report`);
  }
  for (const key of report.keys()) if (!seen.has(key)) fail(`the report has ${key}, DuckDB has not`);
  const weeks = new Set(rows.map((r) => r.week));

  // 3. The JSON Lines export reads as the same table.
  const q = (from) =>
    `SELECT week, country, SUM(total_tokens) AS tokens FROM ${from} GROUP BY week, country ORDER BY week, country`;
  const a = (await con.runAndReadAll(q(`read_csv('${csvDir}/*/*.csv', hive_partitioning = true)`))).getRowObjectsJson();
  const b = (await con.runAndReadAll(q(`read_json('${jsonlDir}/*/*.jsonl', hive_partitioning = true)`))).getRowObjectsJson();
  if (JSON.stringify(a) !== JSON.stringify(b)) fail('the JSON Lines export sums otherwise than the CSV export');

  console.log(`recipe.js: ${rows.length} rows of ${weeks.size} weeks compared with the report, ${shown.length} README lines, JSON Lines the same: ${failures} failures`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.log(`recipe.js: FAIL: ${e.message}`);
  process.exit(1);
});
