#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan) in
# build-fuzz/, replays every saved crash in tests/fuzz/regressions/, then
# fuzzes each target for SECONDS (default 10; 0 only replays), seeded with
# the fixtures in tests/data and the regressions.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: csv jsonl json detect vendors
#   FUZZ_JOBS=2 scripts/fuzz.sh 600           two targets at a time
#
# Prints, per target, the executions (libFuzzer's stat::number_of_executed_units),
# the coverage reached (cov: edges, ft: features), the corpus libFuzzer ended
# with (corp: inputs/bytes) and the files in its corpus folder. Exits
# non-zero when a regression input fails or a target finds a crash, leak,
# timeout or invariant violation; the input that did it is written to
# build-fuzz/crashes/<target>/ and its path printed. To keep a crash as a
# regression: minimise it (build-fuzz/fuzz_<target> -minimize_crash=1
# -runs=100000 -exact_artifact_path=OUT FILE), then copy OUT into
# tests/fuzz/regressions/<target>/ under a name that says what it is.
#
# The corpus found so far stays in build-fuzz/corpus/<target>/ and is reused
# by the next run.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

secs=${1:-10}
case $secs in
'' | *[!0-9]*)
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
  ;;
esac
[ $# -gt 0 ] && shift
all_targets="csv jsonl json detect vendors"
targets=${*:-$all_targets}
for t in $targets; do
  case " $all_targets " in
  *" $t "*) ;;
  *)
    echo "fuzz: unknown target '$t' (expected one of: $all_targets)" >&2
    exit 2
    ;;
  esac
done
jobs=${FUZZ_JOBS:-1}

# ---- packages: what tokstat needs, and clang with libFuzzer
scripts/deps.sh
fuzz_packages="clang libclang-rt-14-dev"
if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for p in $fuzz_packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $p"
    fi
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "fuzz: these Debian packages are missing:$missing" >&2
      echo "Install them as root, then run this again:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
      exit 1
    fi
    echo "Installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
elif ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: clang with libFuzzer (compiler-rt) is needed" >&2
  exit 1
fi

# ---- build
out=$root/build-fuzz
echo "== building the fuzz targets in build-fuzz/"
cmake -S tests/fuzz -B "$out" -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build "$out" -j"$(nproc)" >/dev/null

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=0

# ---- regressions: every saved input is run once and must pass
echo "== replaying tests/fuzz/regressions"
for t in $targets; do
  dir=tests/fuzz/regressions/$t
  n=$(find "$dir" -type f ! -name 'README*' 2>/dev/null | wc -l)
  if [ "$n" -eq 0 ]; then
    printf '%-8s no inputs\n' "$t"
    continue
  fi
  log=$out/replay-$t.log
  if find "$dir" -type f ! -name 'README*' -exec "$out/fuzz_$t" {} + >"$log" 2>&1; then
    printf '%-8s %d inputs ok\n' "$t" "$n"
  else
    printf '%-8s FAILED (log: %s)\n' "$t" "$log"
    grep -E 'Running:|ERROR|runtime error|invariant violated|SUMMARY' "$log" | tail -20 || true
    failed=1
  fi
done

[ "$secs" -eq 0 ] && exit "$failed"

# ---- seeds: fixtures of each target's kind, the target's shapes in
# tests/fuzz/seeds/, the regressions, and a few fixtures behind the
# padding header of fuzz_common.h (64 KiB boundaries)
seeds_of() {
  case $1 in
  csv) ls tests/data/csv/* tests/data/cli/*.csv ;;
  jsonl | json) ls tests/data/json/*.json tests/data/cli/*.json tests/data/cli/*.jsonl ;;
  detect) find tests/data -type f ;;
  vendors) ls tests/data/cli/*.csv data/vendors.csv ;;
  esac
  find "tests/fuzz/seeds/$1" -type f 2>/dev/null
}
padded_of() {
  case $1 in
  csv) echo tests/data/csv/quoted.csv tests/data/csv/bom-crlf.csv tests/data/csv/tab.tsv ;;
  jsonl) echo tests/data/cli/usage.jsonl ;;
  json) echo tests/data/json/daily-api.json tests/data/json/chart-excerpt.json ;;
  detect) echo tests/data/csv/quoted.csv tests/data/cli/usage.jsonl tests/data/json/daily-api.json ;;
  esac
}
for t in $targets; do
  s=$out/seeds/$t
  rm -rf "$s"
  mkdir -p "$s" "$out/corpus/$t" "$out/crashes/$t"
  for f in $(seeds_of "$t"); do
    cp "$f" "$s/$(echo "$f" | tr / _)"
  done
  find "tests/fuzz/regressions/$t" -type f ! -name 'README*' -exec cp {} "$s/" \; 2>/dev/null || true
  for f in $(padded_of "$t"); do
    b=$(echo "$f" | tr / _)
    # text starting 16 bytes before the boundary after "\n" padding, and
    # 77 bytes before it after "\r\n" padding ending on a lone '\r'
    { printf '\377PAD\000\020'; cat "$f"; } >"$s/pad-lf-$b"
    { printf '\377PAD\200\115'; cat "$f"; } >"$s/pad-crlf-$b"
  done
done

# ---- fuzzing
# -entropic_scale_per_exec_time=1: padded inputs take milliseconds where
# the others take microseconds; without it they eat most of the time.
run_target() {
  t=$1
  "$out/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -entropic_scale_per_exec_time=1 \
    -artifact_prefix="$out/crashes/$t/" "$out/corpus/$t" "$out/seeds/$t" \
    >"$out/fuzz-$t.log" 2>&1 && rc=0 || rc=$?
  echo "$rc" >"$out/fuzz-$t.rc"
}

echo "== fuzzing: $targets, $secs s each, $jobs at a time"
rm -f "$out"/fuzz-*.rc
started=0
for t in $targets; do
  # a target is done when its .rc file exists
  while [ "$((started - $(find "$out" -maxdepth 1 -name 'fuzz-*.rc' | wc -l)))" -ge "$jobs" ]; do
    sleep 1
  done
  run_target "$t" &
  started=$((started + 1))
done
wait

printf '%-8s %12s %8s %7s %7s %15s %7s  %s\n' target executions exec/s cov ft corp files result
for t in $targets; do
  log=$out/fuzz-$t.log
  rc=$(cat "$out/fuzz-$t.rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
  files=$(find "$out/corpus/$t" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $rc)"
    failed=1
  fi
  printf '%-8s %12s %8s %7s %7s %15s %7s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "$files" "$result"
done

for t in $targets; do
  rc=$(cat "$out/fuzz-$t.rc" 2>/dev/null || echo 1)
  [ "$rc" -eq 0 ] && continue
  log=$out/fuzz-$t.log
  echo
  echo "== $t: exit $rc, log $log"
  grep -E 'ERROR: |runtime error|invariant violated|SUMMARY: |Test unit written to' "$log" || true
  echo "Replay: build-fuzz/fuzz_$t <file>; minimise and keep it in tests/fuzz/regressions/$t/."
done
exit "$failed"
