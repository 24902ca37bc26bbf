#!/bin/sh
# Installs what tokstat needs, builds it, imports the shipped sample
# (OpenRouter-shaped weekly snapshots for February 2026) into a fresh
# database and prints the share of tokens by country for its latest week.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
db=build/sample.db
rm -f "$db" "$db-wal" "$db-shm"
build/tokstat --db "$db" import data/sample/openrouter-weekly-*.json
build/tokstat --db "$db" import --as-of 2026-05-01 data/sample/openrouter-models-2026-05-01.json
build/tokstat --db "$db" report --by country
