#!/usr/bin/env bash
# Memory stays bounded whatever the size of the input or the output: each
# step below runs with its address space limited (ulimit -v) to far less
# than holding its input or output whole would take.
#   - a Data API dump of 46 MB whose "meta" comes before "data" (parsed
#     whole, as a jansson tree, it took about eight times its size: more
#     than twice the limit);
#   - vendors import of /dev/zero (it read the whole input first);
#   - report and growth by model over 300 weeks of 1,500 models, 450,000
#     rows of output (the rows were all held before the first was written);
#   - report and growth by day and by month over 420 days of 150 models,
#     written page by page as weeks are.
# Usage: memory.sh TOKSTAT. Not under the sanitizers or valgrind, which
# need a large address space of their own.
set -u
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export TZ=UTC LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
LIMIT_KB=150000 # 150 MB of address space: libraries, SQLite's cache, a page of rows

# limited CMD...: runs CMD with the address space limited; its status.
limited() {
  (
    ulimit -v "$LIMIT_KB"
    "$@"
  )
}

# 1. The Data API with "meta" first: half a million rows, about 46 MB.
awk 'BEGIN {
  printf "{\"meta\":{\"as_of\":\"2026-05-26T04:00:00Z\"},\"data\":[\n"
  for (d = 0; d < 250; d++) {
    day = sprintf("%d-%02d-%02d", 2024 + int(d / 336), int(d / 28) % 12 + 1, d % 28 + 1)
    for (m = 0; m < 2000; m++)
      printf "%s{\"date\":\"%s\",\"model_permaslug\":\"v%d/model-%d\",\"total_tokens\":\"%d\"}\n",
        (d || m) ? "," : "", day, m % 40, m, 1000 + m
  }
  print "]}"
}' >daily.json
if ! out=$(limited "$T" --db a.db import -q daily.json 2>&1); then
  echo "FAIL: a Data API dump with meta first did not import in bounded memory: $out"
  fail=1
elif [ "$(sqlite3 a.db 'SELECT rows FROM imports')" != 500000 ]; then
  echo "FAIL: the Data API dump imported $(sqlite3 a.db 'SELECT rows FROM imports') rows"
  fail=1
fi
rm -f daily.json

# 2. vendors import of an endless input: an error on its first line.
out=$(limited timeout 60 "$T" --db a.db vendors import /dev/zero 2>&1)
rc=$?
if [ "$rc" != 1 ] || [ "$out" != "tokstat: /dev/zero:1: field too long (more than 65536 bytes)" ]; then
  echo "FAIL: vendors import /dev/zero: exit $rc: $out"
  fail=1
fi

# 3. Reports of 450,000 rows, written as they are built.
awk 'BEGIN {
  print "week,model,tokens"
  for (w = 0; w < 300; w++)
    for (m = 0; m < 1500; m++)
      printf "%d,v%d/model-%d,%d\n", w, m % 40, m, 1000 + (m * 7919 + w * 104729) % 100000
}' | awk -F, 'NR == 1 { print; next } {
  cmd = "date -u -d \"2020-01-06 + " $1 * 7 " days\" +%F"
  if (!($1 in day)) { cmd | getline day[$1]; close(cmd) }
  print day[$1] "," $2 "," $3
}' >weekly.csv
"$T" --db r.db import -q weekly.csv || exit 1
for c in report growth; do
  for f in csv json table; do
    if ! limited "$T" --db r.db "$c" --by model --last 300 --format "$f" >out 2>err; then
      echo "FAIL: $c --format $f in bounded memory: $(head -c 300 err)"
      fail=1
    elif [ "$f" = csv ] && [ "$(wc -l <out)" -lt 450000 ]; then
      echo "FAIL: $c --format csv wrote $(wc -l <out) lines"
      fail=1
    fi
  done
done
# The rows are those of one document: JSON that parses, CSV with one header.
"$T" --db r.db report --by model --last 300 --format json >out.json 2>/dev/null || exit 1
if ! /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["rows"]) == 450000' out.json; then
  echo "FAIL: the JSON of a report written in parts is not one document of every row"
  fail=1
fi
if [ "$("$T" --db r.db report --by model --last 300 --format csv 2>/dev/null | grep -c '^week,')" != 1 ]; then
  echo "FAIL: the CSV of a report written in parts has more than one header"
  fail=1
fi

# 4. By day and by month, the same pages: 420 days of 150 models, 63,000
# rows by day (more than one page of 20,000).
awk 'BEGIN {
  print "date,model,tokens"
  for (d = 0; d < 420; d++)
    for (m = 0; m < 150; m++)
      printf "%d,v%d/model-%d,%d\n", d, m % 20, m, 1000 + (m * 7919 + d * 104729) % 100000
}' | awk -F, 'NR == 1 { print; next } {
  cmd = "date -u -d \"2024-01-01 + " $1 " days\" +%F"
  if (!($1 in day)) { cmd | getline day[$1]; close(cmd) }
  print day[$1] "," $2 "," $3
}' >daily.csv
"$T" --db d.db import -q daily.csv || exit 1
for c in report growth; do
  for p in "--period day --last 420" "--period month --last 13"; do
    # shellcheck disable=SC2086 # $p: the options, split on purpose
    if ! limited "$T" --db d.db "$c" --by model $p --format json >out.json 2>err; then
      echo "FAIL: $c $p --format json in bounded memory: $(head -c 300 err)"
      fail=1
    elif ! /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' out.json; then
      echo "FAIL: the JSON of $c $p written in parts is not one document"
      fail=1
    fi
  done
done
rows=$("$T" --db d.db report --by model --period day --last 420 --format csv 2>/dev/null | grep -c -v '^day,')
heads=$("$T" --db d.db report --by model --period day --last 420 --format csv 2>/dev/null | grep -c '^day,')
if [ "$heads" != 1 ] || [ "$rows" != $((420 * 150)) ]; then
  echo "FAIL: report by day written in parts: $heads headers, $rows rows (expected 1, $((420 * 150)))"
  fail=1
fi
[ "$fail" = 0 ] && echo "memory: bounded"
exit "$fail"
