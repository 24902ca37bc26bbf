#!/usr/bin/env bash
# The layering of src/ holds: a file includes headers of its own layer or
# of a lower one, never of a higher one, and no headers include each
# other in a circle. The layers, highest first:
#
#   main.c, cli, cmd, report, render, import, db, net, core
#
# (net, the HTTP transport and the plan of `tokstat fetch`, uses only core:
# cmd hands what it downloads to import.)
# A header is in the layer of its folder (include/db/obs.h is db; a header
# beside its sources, src/db/sql.h, is db). Also: no source file of more
# than 600 lines. Usage: layers.sh SOURCE_ROOT
set -u
root=${1:?usage: layers.sh SOURCE_ROOT}
cd "$root" || exit 1

files=$(find src include -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "layers.sh: no sources under $root"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One pass over every file: the files themselves come first (so that an
# include can be checked against them), then each file's lines.
# shellcheck disable=SC2086
awk -v edges="$tmp/edges" '
  function layer_of(f,    p) {
    if (f == "src/main.c") return "main"
    if (f ~ /^(src|include)\/[^\/]+\//) { p = f; sub(/^[^\/]+\//, "", p); sub(/\/.*/, "", p); return p }
    return "?"
  }
  BEGIN {
    split("main cli cmd report render import db net core", order, " ")
    for (i = 1; i <= 9; i++) rank[order[i]] = 10 - i
  }
  NR == FNR { known[$0] = 1; next }  # the list of files
  { lines[FILENAME] = FNR }
  FNR == 1 {
    f = FILENAME; l = layer_of(f); r = (l in rank) ? rank[l] : 0
    if (r == 0) { print "layers.sh: " f " is in no layer (expected src/LAYER/ or include/LAYER/)"; failed = 1 }
  }
  r > 0 && /^#include "/ {
    inc = $0; sub(/^#include "/, "", inc); sub(/".*/, "", inc)
    if (inc ~ /\//) target = "include/" inc
    else { target = f; sub(/[^\/]*$/, "", target); target = target inc }
    if (!(target in known)) { print "layers.sh: " f " includes \"" inc "\", which is not " target; failed = 1; next }
    tl = layer_of(target)
    if (rank[tl] > r) { print "layers.sh: " f " (" l ") includes \"" inc "\" of the higher layer " tl; failed = 1 }
    if (f ~ /\.h$/) print f, target > edges
  }
  END {
    for (g in lines)
      if (g ~ /^src\// && lines[g] > 600) { print "layers.sh: " g " has " lines[g] " lines (the limit is 600: split it by job)"; failed = 1 }
    exit failed
  }
' <(printf '%s\n' $files) $files
failed=$?
touch "$tmp/edges"
# tsort reports a loop among the headers' includes on standard error.
if [ -s "$tmp/edges" ] && ! tsort "$tmp/edges" >/dev/null 2>"$tmp/edges.err"; then
  echo "layers.sh: headers include each other in a circle:"
  cat "$tmp/edges.err"
  failed=1
fi
[ $failed = 0 ] && echo "layers: $(echo "$files" | wc -l) files, every include goes down or across"
exit $failed
