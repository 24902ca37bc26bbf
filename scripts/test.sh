#!/bin/sh
# Installs what tokstat needs, then builds and runs the whole test suite
# (cmocka unit tests, golden CLI cases and reliability tests under CTest)
# three ways: a normal build, under AddressSanitizer + UndefinedBehavior-
# Sanitizer, and (unit tests and golden cases) under Valgrind's memcheck;
# then replays the fuzz regressions and fuzzes each importer for a short,
# fixed time (scripts/fuzz.sh; longer runs by hand).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

echo "== normal build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTOKSTAT_WERROR=ON >/dev/null
cmake --build build -j"$jobs" >/dev/null
(cd build && ctest --output-on-failure -j"$jobs")

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTOKSTAT_SANITIZE=ON -DTOKSTAT_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$jobs")

echo "== valgrind memcheck (unit tests and golden cases; errors and leaks fail)"
cmake -S . -B build-memcheck -DCMAKE_BUILD_TYPE=Debug -DTOKSTAT_MEMCHECK=ON -DTOKSTAT_WERROR=ON >/dev/null
cmake --build build-memcheck -j"$jobs" >/dev/null
(cd build-memcheck && ctest --output-on-failure -j"$jobs")

echo "== fuzz (libFuzzer, ASan + UBSan): regressions, then 10 s per target"
FUZZ_JOBS=$jobs scripts/fuzz.sh 10
