#!/usr/bin/env bash
# The man page renders without a warning and documents what the program
# accepts: every command of 'tokstat --help' in a subsection of its own,
# every option of 'tokstat COMMAND --help' (in the command's subsection, or
# in REPORT OPTIONS for a command that says it takes them), every value of
# an option with a fixed list (as the program's usage errors name them),
# every import format in FORMATS, the global options, and the version.
# The lists come from the program, so a new command, option or value that
# the page lacks fails this test.
# Usage: man.sh TOKSTAT SOURCE_DIR   (needs groff: Debian package groff-base)
# Lists of words (commands, options, values) are split unquoted on purpose.
# shellcheck disable=SC2086,SC2046,SC2116
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TOKSTAT SOURCE_DIR" >&2; exit 2; }
TOKSTAT=$1
page=$2/data/man/tokstat.1
. "$(dirname "$0")/lib.sh"

[ -x "$TOKSTAT" ] || fail "no program at $TOKSTAT"
[ -f "$page" ] || fail "no man page at $page"
command -v groff >/dev/null || fail "groff is missing (Debian: apt-get install groff-base)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. No warning from groff (all warnings on), in both terminal encodings and
# at the widths man uses on common terminals.
for dev in utf8 ascii; do
  for width in "" 60n 80n 120n; do
    set -- -ww -man -T"$dev"
    [ -z "$width" ] || set -- "$@" -rLL="$width"
    groff "$@" "$page" >/dev/null 2>"$tmp/warnings" || fail "groff $* exited $?"
    if [ -s "$tmp/warnings" ]; then
      cat "$tmp/warnings" >&2
      fail "groff $* warns about the man page (above)"
    fi
  done
done

# 2. The version in .TH is the program's.
version=$("$TOKSTAT" --version | awk '{ print $2 }')
grep -qE "^\.TH TOKSTAT 1 .*\"tokstat $version\"" "$page" ||
  fail ".TH of the man page does not say \"tokstat $version\" ('tokstat --version': $version)"

# 3. The rendered text, one file per section: sec/NAME, sec/EXIT_STATUS, ...;
# a subsection "tokstat CMD ..." of COMMANDS goes to sec/cmd_CMD, and
# "REPORT OPTIONS" to sec/REPORT_OPTIONS. A wide line keeps options whole.
mkdir "$tmp/sec"
groff -man -Tascii -P-c -P-b -P-u -rLL=250n "$page" 2>/dev/null >"$tmp/page.txt"
awk -v dir="$tmp/sec" '
  /^[A-Z]/ { name = $0; gsub(/[^A-Za-z0-9]+/, "_", name); sub(/_$/, "", name); next }
  /^   [^ ]/ {
    h = $0; sub(/^ +/, "", h)
    if (h ~ /^tokstat [a-z]/) { split(h, w, " "); name = "cmd_" w[2] }
    else { name = h; gsub(/[^A-Za-z0-9]+/, "_", name); sub(/_$/, "", name) }
    print h > (dir "/" name); next
  }
  name != "" { print > (dir "/" name) }
' "$tmp/page.txt"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS REPORT_OPTIONS FORMATS OUTPUT ENVIRONMENT FILES \
  EXIT_STATUS EXAMPLES SEE_ALSO; do
  [ -s "$tmp/sec/$s" ] || fail "the man page has no section (or subsection) $s"
done

# mentions SECTION WORD: WORD appears in SECTION as a whole word (not
# inside a longer name or option).
mentions() {
  [ -n "$2" ] || fail "mentions: empty word (a list from the program came out empty?)"
  [ -f "$tmp/sec/$1" ] || return 1
  awk -v w="$2" '
    {
      s = $0
      while ((i = index(s, w)) > 0) {
        b = i > 1 ? substr(s, i - 1, 1) : ""
        a = substr(s, i + length(w), 1)
        if (b !~ /[A-Za-z0-9_-]/ && a !~ /[A-Za-z0-9_-]/) { found = 1; exit }
        s = substr(s, i + 1)
      }
    }
    END { exit !found }' "$tmp/sec/$1"
}

# 4. Commands: each has its subsection; no subsection for a command the
# program does not have.
commands=$(ts_commands)
[ -n "$commands" ] || fail "found no commands in 'tokstat --help'"
for c in $commands; do
  [ -f "$tmp/sec/cmd_$c" ] || fail "command '$c' ('tokstat --help') has no subsection 'tokstat $c' in COMMANDS"
  mentions SYNOPSIS "$c" || fail "command '$c' is not in the SYNOPSIS"
done
for f in "$tmp"/sec/cmd_*; do
  c=${f##*/cmd_}
  printf '%s\n' $commands | grep -qx -- "$c" ||
    fail "the man page documents a command '$c' that 'tokstat --help' does not list"
done

# 5. Global options, in OPTIONS.
for o in $(ts_global_options); do
  mentions OPTIONS "$o" || fail "global option '$o' ('tokstat --help') is not in OPTIONS"
done

# 6. Each command's options and their values.
checked=0
for c in $commands; do
  for o in $(ts_long_options "$c") $(ts_short_options "$c"); do
    where=cmd_$c
    if [ "$o" = --help ] || [ "$o" = -h ]; then
      # Every command takes it: said once, at the top of COMMANDS.
      mentions COMMANDS "$o" || fail "COMMANDS does not say that every command takes $o"
    elif ! mentions "$where" "$o"; then
      mentions REPORT_OPTIONS "$o" ||
        fail "option '$o' of '$c' ('tokstat $c --help') is not in the man page's 'tokstat $c' or REPORT OPTIONS"
      grep -q 'REPORT OPTIONS' "$tmp/sec/cmd_$c" ||
        fail "option '$o' of '$c' is only in REPORT OPTIONS, and 'tokstat $c' does not say it takes them"
      where=REPORT_OPTIONS
    fi
    for v in $(ts_values "$c" "$o"); do
      mentions "$where" "$v" || mentions "cmd_$c" "$v" ||
        fail "value '$v' of '$c $o' (the program accepts it) is not in the man page's ${where/cmd_/tokstat }"
    done
    checked=$((checked + 1))
  done
done
[ "$checked" -ge 20 ] || fail "only $checked options checked: is the --help output parsed right?"

# 7. Every import format has its entry in FORMATS; vendors subcommands and
# the environment variables the program reads are documented.
formats=$(ts_values import --format)
[ -n "$formats" ] || fail "found no import formats in the usage error of 'tokstat import --format'"
for f in $formats; do
  grep -qx "       $f" "$tmp/sec/FORMATS" || grep -qE "^       $f  " "$tmp/sec/FORMATS" ||
    fail "import format '$f' has no entry in FORMATS"
done
for s in $(ts_vendors_subcommands); do
  mentions cmd_vendors "$s" || fail "'vendors $s' is not in the man page's 'tokstat vendors'"
done
for v in TOKSTAT_DB XDG_DATA_HOME HOME NO_COLOR COLUMNS TOKSTAT_PROGRESS_DELAY_MS; do
  grep -qE "^       $v( |\$)" "$tmp/sec/ENVIRONMENT" || fail "ENVIRONMENT has no entry for $v"
done
for s in 0 1 2; do
  grep -qE "^       $s( |\$)" "$tmp/sec/EXIT_STATUS" || fail "EXIT STATUS has no entry for $s"
done
mentions SEE_ALSO 'sqlite3(1)' || fail "SEE ALSO does not name sqlite3(1)"

echo "man page: renders cleanly; $(printf '%s\n' $commands | wc -l) commands, $checked options checked"
