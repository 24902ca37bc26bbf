#!/bin/sh
# Installs what tokstat needs, then builds and runs the whole test suite
# (cmocka unit tests, golden CLI cases and reliability tests under CTest)
# three ways: a normal build (everything); under AddressSanitizer +
# UndefinedBehaviorSanitizer (unit tests, golden cases, fetch and I/O
# faults: what runs the program's own code); and under Valgrind's memcheck
# (unit tests and the golden cases of tests/cli/memcheck.list). Then it
# replays the fuzz regressions and fuzzes each importer for a short, fixed
# time (scripts/fuzz.sh; longer runs by hand). Each phase says how long it
# took.
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)
took() { echo "== $1: $(($(date +%s) - start)) s"; start=$(date +%s); }
scripts/deps.sh test
jobs=$(nproc)
took "packages"

echo "== normal build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTOKSTAT_WERROR=ON >/dev/null
cmake --build build -j"$jobs" >/dev/null
(cd build && ctest --output-on-failure -j"$jobs")
took "normal build"

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTOKSTAT_SANITIZE=ON -DTOKSTAT_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$jobs")
took "sanitizer build"

echo "== valgrind memcheck (unit tests, tests/cli/memcheck.list; errors and leaks fail)"
cmake -S . -B build-memcheck -DCMAKE_BUILD_TYPE=Debug -DTOKSTAT_MEMCHECK=ON -DTOKSTAT_WERROR=ON >/dev/null
cmake --build build-memcheck -j"$jobs" >/dev/null
(cd build-memcheck && ctest --output-on-failure -j"$jobs")
took "valgrind memcheck"

echo "== fuzz (libFuzzer, ASan + UBSan): regressions, then 10 s per target"
FUZZ_JOBS=$jobs scripts/fuzz.sh 10
took "fuzz"
