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

rank() { # the rank of a layer: higher calls lower
  case $1 in
    main) echo 9 ;; cli) echo 8 ;; cmd) echo 7 ;; report) echo 6 ;; render) echo 5 ;;
    import) echo 4 ;; db) echo 3 ;; net) echo 2 ;; core) echo 1 ;; *) echo 0 ;;
  esac
}

layer_of() { # the layer of a file of src/ or include/
  case $1 in
    src/main.c) echo main ;;
    src/*/* | include/*/*) local p=${1#*/}; echo "${p%%/*}" ;;
    *) echo "?" ;;
  esac
}

failed=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
files=$(find src include -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "layers.sh: no sources under $root"; exit 1; }
for f in $files; do
  l=$(layer_of "$f")
  r=$(rank "$l")
  if [ "$r" = 0 ]; then
    echo "layers.sh: $f is in no layer (expected src/LAYER/ or include/LAYER/)"
    failed=1
    continue
  fi
  while IFS= read -r inc; do
    case $inc in
      */*) target=include/$inc ;;           # "db/obs.h": a layer's header
      *) target=$(dirname "$f")/$inc ;;      # "sql.h": beside the source
    esac
    [ -f "$target" ] || { echo "layers.sh: $f includes \"$inc\", which is not $target"; failed=1; continue; }
    tl=$(layer_of "$target")
    if [ "$(rank "$tl")" -gt "$r" ]; then
      echo "layers.sh: $f ($l) includes \"$inc\" of the higher layer $tl"
      failed=1
    fi
    [ "${f%.h}" != "$f" ] && echo "$f $target" >>"$edges"
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
  n=$(wc -l <"$f")
  if [ "${f#src/}" != "$f" ] && [ "$n" -gt 600 ]; then
    echo "layers.sh: $f has $n lines (the limit is 600: split it by job)"
    failed=1
  fi
done
# tsort reports a loop among the headers' includes on standard error.
if [ -s "$edges" ] && ! tsort "$edges" >/dev/null 2>"$edges.err"; then
  echo "layers.sh: headers include each other in a circle:"
  cat "$edges.err"
  failed=1
fi
rm -f "$edges.err"
[ $failed = 0 ] && echo "layers: $(echo "$files" | wc -l) files, every include goes down or across"
exit $failed
