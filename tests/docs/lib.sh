# Shared by tests/docs/*.sh (bash): what the program says it accepts, read
# from its own --help output and usage errors, so that the man page and the
# completion are checked against the program and cannot fall behind it.
#
# Every function takes the program as $TOKSTAT (set by the caller); none
# opens a database: option values are probed before an unknown option that
# makes the program stop with a usage error.

# fail MESSAGE...: print the reason and stop the test.
fail() {
  printf '%s: FAIL: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

# ts_commands: the commands of 'tokstat --help', one a line.
ts_commands() {
  "$TOKSTAT" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'
}

# ts_global_options: the global options of 'tokstat --help', one a line.
ts_global_options() {
  "$TOKSTAT" --help |
    awk '/^Global options:/ { on = 1; next } on && /^$/ { exit } on' |
    grep -oE -- '(^|[^a-zA-Z0-9-])--?[a-zA-Z][a-zA-Z0-9-]*' | grep -oE -- '--?[a-zA-Z].*' |
    sort -u
}

# ts_help CMD: the --help text of CMD (which must exit 0).
ts_help() {
  local out
  out=$("$TOKSTAT" "$1" --help) || fail "'tokstat $1 --help' exited $?"
  [ -n "$out" ] || fail "'tokstat $1 --help' printed nothing"
  printf '%s\n' "$out"
}

# ts_long_options CMD: every long option that 'tokstat CMD --help' names.
ts_long_options() {
  ts_help "$1" | grep -oE -- '(^|[^a-zA-Z0-9-])--[a-zA-Z][a-zA-Z0-9-]*' |
    grep -oE -- '--[a-zA-Z].*' | sort -u
}

# ts_short_options CMD: the short options 'tokstat CMD --help' lists at the
# start of a line ("  -n N", "  -o, --output FILE").
ts_short_options() {
  ts_help "$1" | grep -oE -- '^ +-[a-zA-Z]([ ,]|$)' | grep -oE -- '-[a-zA-Z]' | sort -u
}

# ts_values CMD OPT: the values OPT of CMD accepts when they are a fixed
# list, as the usage error for a bad value names them ("expected a, b or
# c"); nothing when OPT takes no value or any value of a kind.
ts_values() {
  local err
  err=$("$TOKSTAT" "$1" "$2=@" --no-such-option 2>&1 >/dev/null) && fail "'tokstat $1 $2=@ --no-such-option' succeeded"
  printf '%s\n' "$err" | awk -v p="tokstat $1: invalid value '@' for $2 (expected " '
    index($0, p) == 1 && substr($0, length($0)) == ")" {
      v = substr($0, length(p) + 1)
      v = substr(v, 1, length(v) - 1)
      if (v !~ /^[a-z0-9-]+(, [a-z0-9-]+)*( or [a-z0-9-]+)?$/) next
      gsub(/, /, " ", v)
      sub(/ or /, " ", v)
      n = split(v, w, " ")
      for (i = 1; i <= n; i++) print w[i]
    }' | sort -u
}

# ts_vendors_subcommands: the subcommands in the usage of 'tokstat vendors'.
ts_vendors_subcommands() {
  ts_help vendors | sed -n 's/^\(usage:\)\{0,1\} *tokstat vendors \([a-z]*\).*/\2/p' | sort -u
}
