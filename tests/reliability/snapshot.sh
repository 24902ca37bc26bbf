#!/usr/bin/env bash
# Every report reads one state of the database, even while imports commit:
# an importer adds one day of 1,000 tokens after another while two readers
# ask for the latest week's share by country; each answer must have exactly
# 1,000 tokens per day of the week ("days 3, tokens 4000" would mix two
# states). Usage: snapshot.sh TOKSTAT [SECONDS] (default 8).
set -u
T=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DUR=${2:-8}
export TZ=UTC LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

printf 'date,model,total_tokens\n2026-01-05,acme/a,1000\n' >d.csv
"$T" --db t.db import d.csv >/dev/null || exit 1
end=$((EPOCHSECONDS + DUR))
(
  i=1
  while [ "$EPOCHSECONDS" -lt "$end" ]; do
    printf 'date,model,total_tokens\n%s,acme/a,1000\n' "$(date -u -d "2026-01-05 + $i days" +%F)" >imp.csv
    "$T" --db t.db import imp.csv >/dev/null || echo "import failed" >>failed
    i=$((i + 1))
  done
) &
for r in 1 2; do
  (
    n=0
    while [ "$EPOCHSECONDS" -lt "$end" ]; do
      line=$("$T" --db t.db report --last 1 --partial --format csv 2>/dev/null | sed -n 2p)
      # week,days,coverage,rank,country,tokens,...
      IFS=, read -r week days _ _ _ tokens _ <<<"$line"
      n=$((n + 1))
      if [ -z "$line" ] || [ "$tokens" != $((days * 1000)) ]; then
        echo "reader $r: week $week: days $days, tokens $tokens" >>torn
      fi
    done
    echo "$n" >"count.$r"
  ) &
done
wait
reports=$(($(cat count.1) + $(cat count.2)))
bad=$(cat torn failed 2>/dev/null | wc -l)
head -5 torn failed 2>/dev/null
echo "snapshot: $((reports - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
