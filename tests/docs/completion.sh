#!/usr/bin/env bash
# The bash completion (data/completion/tokstat): sourced after
# bash-completion, _tokstat is called with COMP_WORDS/COMP_CWORD as bash
# sets them for a command line, and COMPREPLY is compared with what is
# expected: commands, each command's options, option values, files,
# vendors subcommands. Then, with the lists taken from the program itself
# (--help output, and the values its usage errors name), every command,
# every option and every fixed value is offered, and nothing else.
# Usage: completion.sh TOKSTAT SOURCE_DIR   (needs bash-completion)
# Lists of words (commands, options, values) are split unquoted on purpose.
# shellcheck disable=SC2086,SC2046,SC2116
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TOKSTAT SOURCE_DIR" >&2; exit 2; }
TOKSTAT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
script=$(cd "$2" && pwd)/data/completion/tokstat
. "$(dirname "$0")/lib.sh"

[ -x "$TOKSTAT" ] || fail "no program at $TOKSTAT"
[ -f "$script" ] || fail "no completion script at $script"
bc=${BASH_COMPLETION:-}
if [ -z "$bc" ]; then
  d=$(pkg-config --variable=datadir bash-completion 2>/dev/null) || d=/usr/share
  bc=$d/bash-completion/bash_completion
fi
[ -f "$bc" ] || fail "bash-completion is missing: no $bc (Debian: apt-get install bash-completion)"

# Run in an empty folder with known files, for the file completions.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/cwd"
cd "$tmp/cwd"
mkdir sub
: >a.csv
: >b.json
files="a.csv b.json sub"

# bash-completion is not written for 'set -eu'.
set +eu
# shellcheck disable=SC1090
. "$bc" || fail "sourcing $bc failed"
# shellcheck disable=SC1090
. "$script" || fail "sourcing $script failed"
set -eu
[ "$(complete -p tokstat 2>/dev/null)" = "complete -F _tokstat tokstat" ] ||
  fail "the script does not register 'complete -F _tokstat tokstat'"

# comp LINE: the completions for LINE (the text before the cursor), sorted,
# one a line. Words are split as bash does: at blanks, and '=' is a word of
# its own (COMP_WORDBREAKS); a trailing blank starts an empty word.
comp() {
  local line=$1
  COMP_LINE=$line
  COMP_POINT=${#line}
  read -ra COMP_WORDS <<<"${line//=/ = }"
  [[ $line == *' ' ]] && COMP_WORDS+=("")
  [[ $line == *'=' ]] && COMP_WORDS[${#COMP_WORDS[@]} - 1]="="
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  set +eu
  _tokstat tokstat "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>"$tmp/.err"
  set -eu
  if [ -s "$tmp/.err" ]; then
    cat "$tmp/.err" >&2
    fail "completing '$line' printed errors (above)"
  fi
  [ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort -u
}

# expect LINE WORD...: LINE completes to exactly these words (any order).
ncases=0
expect() {
  local line=$1 got want
  shift
  got=$(comp "$line")
  want=$( [ $# -eq 0 ] || printf '%s\n' "$@" | sort -u)
  [ "$got" = "$want" ] ||
    fail "completing '$line': expected [$(echo $want)], got [$(echo $got)]"
  ncases=$((ncases + 1))
}

# Hand-written cases: how a user types.
reports="--week --from --to --last --partial --dataset --other --format -o --output --exact --no-color --help"
periods="--period --day --month"
expect "tokstat -" --db --help --version
expect "tokstat --v" --version
expect "tokstat re" report
expect "tokstat --db " $files
expect "tokstat --db=" $files
expect "tokstat --db=a" a.csv
expect "tokstat --db x.db re" report
expect "tokstat --db=x.db --" --db --help --version
expect "tokstat --version "
expect "tokstat report " --by $periods $reports
expect "tokstat report --b" --by
expect "tokstat report --by " country vendor model app family
expect "tokstat report --by c" country
expect "tokstat report --by=v" vendor
expect "tokstat --db x.db growth --by " country vendor model app family
expect "tokstat top --by " model vendor app family
expect "tokstat top --by a" app
expect "tokstat top -" -n --by $periods $reports
expect "tokstat prices --by " model family vendor country
expect "tokstat prices -" --vs --all --by $periods $reports
expect "tokstat cost -" --by --prompt-share $periods $reports
expect "tokstat cost --by " country vendor model family
expect "tokstat growth --su" --summary
expect "tokstat report --format " table csv json markdown
expect "tokstat report --format=m" markdown
expect "tokstat growth --other " include exclude
expect "tokstat top --other=e" exclude
expect "tokstat report --week "
expect "tokstat report --period " day week month
expect "tokstat chart --period=m" month
expect "tokstat growth --month "
expect "tokstat top --day "
expect "tokstat report --week=2026"
expect "tokstat report --from 2026-02-02 --to "
expect "tokstat growth --last "
expect "tokstat top -n "
expect "tokstat prices --vs "
expect "tokstat cost --prompt-share "
expect "tokstat report --output " $files
expect "tokstat report -o " $files
expect "tokstat report --output=b" b.json
expect "tokstat report --dataset x --by m" model
expect "tokstat import " $files
expect "tokstat import a" a.csv
expect "tokstat import --dry-run a.csv " $files
expect "tokstat import --format " csv jsonl json openrouter-daily openrouter-chart \
  openrouter-weekly openrouter-models openrouter-apps
expect "tokstat import --sort " popular trending
expect "tokstat import --subcategory "
expect "tokstat import --format=openrouter-w" openrouter-weekly
expect "tokstat import --period " day week
expect "tokstat import --week-label " start end
expect "tokstat import --dataset "
expect "tokstat import --as-of "
expect "tokstat import --d" --dataset --dry-run
expect "tokstat status --" --imports --help
expect "tokstat status --imports "
expect "tokstat vendors " list set unset import
expect "tokstat vendors s" set
expect "tokstat --db x.db vendors u" unset
expect "tokstat vendors import " $files
expect "tokstat vendors import a.csv "
expect "tokstat vendors set "
expect "tokstat vendors set mistralai "
expect "tokstat vendors list "
expect "tokstat vendors --" --help
expect "tokstat families " list set unset import
expect "tokstat families import " $files
expect "tokstat families set deepseek/ "
expect "tokstat families --" --help
expect "tokstat check --" --repair --help
expect "tokstat nosuchcommand --"
expect "tokstat import --q" --quiet
expect "tokstat chart --by " country vendor model app family
expect "tokstat chart --format " table svg
expect "tokstat chart -" --by --groups $periods $reports
expect "tokstat fetch " rankings-daily app-rankings models
expect "tokstat fetch r" rankings-daily
expect "tokstat fetch a" app-rankings
expect "tokstat fetch -" --dataset --from --to --limit --offset --category --subcategory --sort \
  --api-url --key-file --save -q --quiet --help
expect "tokstat fetch --from 2025-01-01 " rankings-daily app-rankings models
expect "tokstat fetch --dataset models " rankings-daily app-rankings models
expect "tokstat fetch --from=2025-01-01 -q " rankings-daily app-rankings models
expect "tokstat fetch --limit 150 --subcategory cli-agent " rankings-daily app-rankings models
expect "tokstat fetch --sort " popular trending
expect "tokstat fetch --limit "
expect "tokstat fetch app-rankings "
expect "tokstat fetch models "
expect "tokstat fetch --from "
expect "tokstat fetch --api-url "
expect "tokstat fetch --key-file " $files
expect "tokstat fetch --save " sub
expect "tokstat fetch --save=s" sub
expect "tokstat export -" --dataset --format --from --to -o --output --split-by --help
expect "tokstat export --format " csv jsonl
expect "tokstat export --split-by " month
expect "tokstat export --split-by month " sub
expect "tokstat export --split-by=month " sub
expect "tokstat export --format jsonl --split-by month s" sub
expect "tokstat export --output " $files
expect "tokstat export --from "
expect "tokstat export " --dataset --format --from --to -o --output --split-by --help
expect "tokstat help " import fetch report growth top prices cost chart dashboard export status \
  vendors families check help
expect "tokstat help c" cost chart check
expect "tokstat da" dashboard
expect "tokstat dashboard " --dataset --apps --weeks --to --partial --vs -n --top -o --output --help
expect "tokstat dashboard --w" --weeks
expect "tokstat dashboard --a" --apps
expect "tokstat dashboard --apps "
expect "tokstat dashboard --weeks "
expect "tokstat dashboard --top "
expect "tokstat dashboard --output " $files
expect "tokstat dashboard --output=b" b.json
expect "tokstat dashboard --dataset feb2026 --vs "
expect "tokstat help cost "
expect "tokstat help -" --help

# From the program: the lists completion must offer, exactly.
commands=$(ts_commands)
[ -n "$commands" ] || fail "found no commands in 'tokstat --help'"
expect "tokstat " $commands
expect "tokstat -" $(ts_global_options)
if printf '%s\n' $commands | grep -qx help; then
  expect "tokstat help " $commands
fi
nopts=0
for c in $commands; do
  opts="$(ts_long_options "$c") $(ts_short_options "$c")"
  # Every command takes --help, also where its help does not list it.
  expect "tokstat $c -" $(printf '%s\n' $opts --help | sort -u)
  for o in $opts; do
    values=$(ts_values "$c" "$o")
    if [ -n "$values" ]; then
      expect "tokstat $c $o " $values
      case $o in --*) expect "tokstat $c $o=" $values ;; esac
    fi
    nopts=$((nopts + 1))
  done
done
[ "$nopts" -ge 20 ] || fail "only $nopts options checked: is the --help output parsed right?"
expect "tokstat vendors " $(ts_vendors_subcommands)

echo "completion: $ncases cases passed ($nopts options of $(printf '%s\n' $commands | wc -l) commands from the program)"
