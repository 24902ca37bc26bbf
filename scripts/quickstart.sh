#!/bin/sh
# Installs what tokstat needs, builds it, installs it (into /usr/local, or
# ~/.local when /usr/local is not writable), imports the shipped sample (33
# real days of OpenRouter's Data API, January 2025) into the default
# database, and prints the share of tokens by country for its latest
# complete week. Run it again and the import finds the same content: the
# database keeps one copy.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
if [ -w /usr/local/bin ]; then prefix=/usr/local; else prefix=$HOME/.local; fi
cmake --install build --prefix "$prefix" >/dev/null
user_path=$PATH
PATH=$prefix/bin:$PATH
# The sample's export keeps no as-of time, only its vintage (data/sample/README.md).
tokstat import --as-of 2026-10-10 data/sample/rankings-daily-2025-01-01_2025-02-02.csv
tokstat report --by country
echo
echo "tokstat is installed in $prefix/bin; the database is $(tokstat status | sed -n 's/^database: \(.*\) (schema .*/\1/p')."
case ":$user_path:" in
*":$prefix/bin:"*) ;;
*) echo "Add $prefix/bin to your PATH (e.g. in ~/.profile) to run 'tokstat' by name." ;;
esac
