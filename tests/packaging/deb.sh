#!/bin/sh
# Packaging: 'cpack -G DEB' builds a Debian package from the build tree
# (into a temporary folder); its control fields, its exact file list (the
# program, the man page, the bash completion, vendors.csv, families.csv; no test or fuzz
# program) and, unpacked into an empty root, that its tokstat runs: version,
# an import of data/sample and a report; the gzipped man page and
# changelog, the copyright file, cron-example.sh. Then 'cmake --install --prefix'
# puts the same files in the usual places, and nothing else.
#
# With TOKSTAT_TEST_DPKG_INSTALL=1 (as root, on a machine where installing
# into the live system is fine; off by default) the package is also
# installed with apt-get, checked (tokstat on PATH, man -w, the completion
# loads) and removed again with dpkg -r.
#
# Usage: deb.sh CMAKE CPACK BUILD_DIR SOURCE_DIR
# Needs dpkg-deb (Debian), and dpkg-dev for the computed dependencies.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 CMAKE CPACK BUILD_DIR SOURCE_DIR" >&2; exit 2; }
cmake=$1
cpack=$2
build=$(cd "$3" && pwd)
src=$(cd "$4" && pwd)

fail() {
  printf 'deb.sh: FAIL: %s\n' "$*" >&2
  exit 1
}
command -v dpkg-deb >/dev/null || fail "dpkg-deb is missing: this test needs a Debian system"
[ -x "$build/tokstat" ] || fail "no program in $build: build first"
version=$("$build/tokstat" --version | awk '{ print $2 }')
[ -n "$version" ] || fail "'tokstat --version' printed no version"

tmp=$(mktemp -d)
installed=""
cleanup() {
  if [ -n "$installed" ]; then
    dpkg -r tokstat >/dev/null 2>&1 || echo "deb.sh: could not remove the package tokstat: run 'dpkg -r tokstat'" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# The files a package or an install holds, relative to the prefix; nothing
# else may be there (no test or fuzz program, no library, no header).
expected_files() {
  printf '%s\n' bin/tokstat share/bash-completion/completions/tokstat share/man/man1/tokstat.1 \
    share/tokstat/vendors.csv share/tokstat/families.csv share/tokstat/cron-example.sh share/doc/tokstat/copyright \
    share/doc/tokstat/changelog
  for f in "$src"/data/schema/*.schema.json; do
    printf 'share/tokstat/schema/%s\n' "${f##*/}"
  done
}

# check_tree ROOT PREFIX: the installed files under ROOT/PREFIX are exactly
# the expected ones, identical to the sources, and the program runs.
check_tree() {
  root=$1/$2
  (cd "$1" && find . -type f -o -type l) | sed 's|^\./||' | sed 's|\.gz$||' | sort >"$tmp/got"
  expected_files | sed "s|^|${2#/}/|; s|^/||" | sort >"$tmp/want"
  if ! cmp -s "$tmp/got" "$tmp/want"; then
    diff -u "$tmp/want" "$tmp/got" >&2 || true
    fail "$3: the files are not the expected ones (diff above: - missing, + unexpected)"
  fi
  cmp -s "$root/share/bash-completion/completions/tokstat" "$src/data/completion/tokstat" ||
    fail "$3: the completion differs from data/completion/tokstat"
  cmp -s "$root/share/tokstat/vendors.csv" "$src/data/vendors.csv" ||
    fail "$3: vendors.csv differs from data/vendors.csv"
  cmp -s "$root/share/tokstat/families.csv" "$src/data/families.csv" ||
    fail "$3: families.csv differs from data/families.csv"
  for f in "$src"/data/schema/*.schema.json; do
    cmp -s "$root/share/tokstat/schema/${f##*/}" "$f" || fail "$3: ${f##*/} differs from data/schema/${f##*/}"
  done
  # The man page and the changelog are gzipped, as Debian installs them.
  gzip -dc "$root/share/man/man1/tokstat.1.gz" >"$tmp/page" || fail "$3: no gzipped man page"
  cmp -s "$tmp/page" "$src/data/man/tokstat.1" || fail "$3: the man page differs from data/man/tokstat.1"
  gzip -dc "$root/share/doc/tokstat/changelog.gz" | head -n 1 | grep -qx "tokstat ($version) unstable; urgency=medium" ||
    fail "$3: the changelog does not start with the entry of version $version"
  # The copyright file: Debian's machine-readable format, with LICENSE's text.
  head -n 1 "$root/share/doc/tokstat/copyright" |
    grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
    fail "$3: the copyright file is not in Debian's machine-readable format"
  grep -q '^License: MIT$' "$root/share/doc/tokstat/copyright" || fail "$3: the copyright file names no MIT licence"
  sed -n 's/^ //p' "$root/share/doc/tokstat/copyright" | sed 's/^\.$//' >"$tmp/licence"
  tail -n +5 "$src/LICENSE" | cmp -s - "$tmp/licence" || fail "$3: the copyright file's licence text is not LICENSE's"
  cmp -s "$root/share/tokstat/cron-example.sh" "$src/scripts/cron-example.sh" && [ -x "$root/share/tokstat/cron-example.sh" ] ||
    fail "$3: cron-example.sh is not installed as scripts/cron-example.sh, executable"
  run_program "$root/bin/tokstat" "$3"
}

# run_program TOKSTAT WHAT: --version, and the sample imported into a new
# database and reported by country as CSV.
run_program() {
  [ -x "$1" ] || fail "$2: $1 is not an executable"
  got=$("$1" --version) || fail "$2: '$1 --version' exited $?"
  [ "$got" = "tokstat $version" ] || fail "$2: '$1 --version' says '$got', expected 'tokstat $version'"
  db=$tmp/run-$$.db
  rm -f "$db" "$db-wal" "$db-shm"
  "$1" --db "$db" import "$src"/data/sample/rankings-daily-*.csv >"$tmp/import.out" 2>&1 ||
    { cat "$tmp/import.out" >&2; fail "$2: importing data/sample failed"; }
  "$1" --db "$db" report --by country --format csv >"$tmp/report.csv" 2>"$tmp/report.err" ||
    { cat "$tmp/report.err" >&2; fail "$2: the report failed"; }
  head -n 1 "$tmp/report.csv" | grep -qx 'week,days,coverage,rank,country,tokens,share,share_change,status,compared_days' ||
    fail "$2: the report's CSV header is not the documented one"
  grep -q '^2025-01-27,7,full,2,CN,' "$tmp/report.csv" ||
    { cat "$tmp/report.csv" >&2; fail "$2: the report does not rank CN second in the week of 2025-01-27"; }
  rm -f "$db" "$db-wal" "$db-shm"
}

# 1. The package, built from the build tree into a temporary folder.
(cd "$build" && "$cpack" -G DEB -B "$tmp/pkg") >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed (log above)"; }
set -- "$tmp"/pkg/tokstat_*.deb
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  fail "cpack made no single tokstat_*.deb: $(ls "$tmp/pkg")"
fi
deb=$1
arch=$(dpkg --print-architecture 2>/dev/null || dpkg-deb -f "$deb" Architecture)
[ "$(basename "$deb")" = "tokstat_${version}_$arch.deb" ] ||
  fail "the package is called $(basename "$deb"), expected tokstat_${version}_$arch.deb"

field() {
  dpkg-deb -f "$deb" "$1"
}
[ "$(field Package)" = tokstat ] || fail "Package is '$(field Package)', expected tokstat"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', expected $version"
[ "$(field Section)" = utils ] || fail "Section is '$(field Section)', expected utils"
# A maintainer as Debian writes one: a name and an address.
field Maintainer | grep -qE '^[^<>]+ <[^<> ]+@[^<> ]+>$' ||
  fail "Maintainer is '$(field Maintainer)', expected 'Name <address>'"
field Description | head -n 1 | grep -q . || fail "the package has no Description"
depends=$(field Depends)
for lib in libc6 libsqlite3-0 libjansson4 libcsv3 libcurl4; do
  printf '%s\n' "$depends" | tr ',' '\n' | grep -qE "^ *$lib( |\$)" ||
    fail "Depends ('$depends') does not name $lib"
done
# libcurl is loaded by fetch when it runs, not linked: the other commands
# do not load its thirty libraries (so the package must name it itself).
if command -v readelf >/dev/null; then
  dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/bin/tokstat >"$tmp/tokstat.bin"
  readelf -d "$tmp/tokstat.bin" | grep NEEDED | grep -q libcurl &&
    fail "the program links libcurl; fetch is meant to load it when it runs"
fi

# 2. Its contents: exactly the expected files, under /usr.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./||' | sed 's|\.gz$||' | sort >"$tmp/listed"
expected_files | sed 's|^|usr/|' | sort >"$tmp/want"
if ! cmp -s "$tmp/listed" "$tmp/want"; then
  diff -u "$tmp/want" "$tmp/listed" >&2 || true
  fail "dpkg-deb -c: the package's files are not the expected ones (diff above: - missing, + unexpected)"
fi

# 3. Unpacked into an empty root, it runs.
mkdir "$tmp/root"
dpkg-deb -x "$deb" "$tmp/root" || fail "dpkg-deb -x failed"
check_tree "$tmp/root" /usr "the unpacked package"

# 4. cmake --install into a prefix of our own.
"$cmake" --install "$build" --prefix "$tmp/inst" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "cmake --install --prefix failed (log above)"; }
check_tree "$tmp/inst" "" "cmake --install"

# 5. Only when asked: install into the live system, check, remove.
if [ "${TOKSTAT_TEST_DPKG_INSTALL:-0}" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || fail "TOKSTAT_TEST_DPKG_INSTALL=1 needs root"
  if dpkg-query -W -f='${Status}' tokstat 2>/dev/null | grep -q 'ok installed'; then
    fail "a package tokstat is already installed; not replacing it (dpkg -r tokstat first)"
  fi
  installed=yes
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$tmp/apt.log" 2>&1 ||
    { cat "$tmp/apt.log" >&2; fail "apt-get install of the package failed (log above)"; }
  [ "$(command -v tokstat)" = /usr/bin/tokstat ] || fail "after installing, tokstat is not /usr/bin/tokstat on PATH"
  run_program /usr/bin/tokstat "the installed package"
  if command -v man >/dev/null; then
    case $(man -w tokstat 2>/dev/null) in
      /usr/share/man/man1/tokstat.1 | /usr/share/man/man1/tokstat.1.gz) ;;
      *) fail "after installing, 'man -w tokstat' does not find the man page" ;;
    esac
  fi
  if [ -f /usr/share/bash-completion/bash_completion ]; then
    bash -c '. /usr/share/bash-completion/bash_completion; __load_completion tokstat; complete -p tokstat' \
      2>/dev/null | grep -q '_tokstat tokstat$' ||
      fail "after installing, bash-completion does not load the completion for tokstat"
  fi
  dpkg -r tokstat >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log" >&2; fail "dpkg -r tokstat failed"; }
  installed=""
  [ ! -e /usr/bin/tokstat ] || fail "after dpkg -r, /usr/bin/tokstat is still there"
  echo "deb.sh: installed with apt-get, checked and removed"
fi

echo "deb.sh: $(basename "$deb") ($(field Depends)) holds and runs what it should; cmake --install too"
