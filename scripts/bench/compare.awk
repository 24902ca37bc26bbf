# compare.awk - do tokstat and the sqlite3 shell answer the same numbers?
#
#   awk -F, -v keys=week,country -v exact=days,tokens \
#       -v approx=share,share_change -v label=WHAT -f compare.awk TOKSTAT.csv SQLITE3.csv
#
# Columns are named by the files' headers, so tokstat may have columns the
# shell's query does not compute (coverage, status...); NAME=OTHER compares
# tokstat's column NAME with the shell's OTHER (hhi_low=hhi). Rows are
# matched on the `keys` columns; `exact` columns must be equal as text
# (token counts are exact integers), `approx` columns are decimals printed
# with 6 digits that may differ in the last digit by rounding (1.5e-6,
# relative above 1), or the same word ("new") or both empty. No field holds
# a comma, so quotes are just stripped, and so are CRs (the shell ends CSV
# lines with CRLF). Prints "LABEL: same numbers (N rows)" and exits 0, or
# the first differences and exits 1.

function num(s) { return s ~ /^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
function differ(what) {
    if (++ndiff <= 10) msg[ndiff] = what
}
# Splits the list into its columns: name[i] (as tokstat's header names it)
# and other[i] (the shell's). Returns the count.
function columns(list, name, other,    n, i, parts) {
    n = split(list, name, ",")
    for (i = 1; i <= n; i++) {
        if (split(name[i], parts, "=") == 2) { name[i] = parts[1]; other[i] = parts[2] }
        else other[i] = name[i]
    }
    return n
}
# The column numbers of names in this file's header (file 1: tokstat's
# names, file 2: the shell's) into col; exits when one is missing.
function find(n, name, other, col, file,    i, want) {
    for (i = 1; i <= n; i++) {
        want = file == 1 ? name[i] : other[i]
        if (!(want in at)) {
            printf "%s: %s has no column %s (its columns: %s)\n", label,
                (file == 1 ? "tokstat" : "sqlite3"), want, $0
            exit (failed = 1)
        }
        col[i] = at[want]
    }
}
function key(kc,    k, i, s) {
    s = ""
    for (i = 1; i <= nk; i++) s = s (i > 1 ? " " : "") kn[i] "=" $kc[i]
    return s
}

BEGIN {
    nk = columns(keys, kn, ko)
    ne = columns(exact, en, eo)
    na = columns(approx, an, ao)
}

{ gsub(/["\r]/, "") }

FNR == 1 {
    file++
    delete at
    for (i = 1; i <= NF; i++) at[$i] = i
    if (file == 1) { find(nk, kn, ko, k1, 1); find(ne, en, eo, e1, 1); find(na, an, ao, a1, 1) }
    else { find(nk, kn, ko, k2, 2); find(ne, en, eo, e2, 2); find(na, an, ao, a2, 2) }
    next
}

file == 1 {
    k = key(k1)
    if (k in a) differ("tokstat has two rows for " k)
    a[k] = $0
    order[++n1] = k
    next
}

{
    k = key(k2)
    n2++
    if (!(k in a)) { differ("only sqlite3 has " k ": " $0); next }
    seen[k] = 1
    split(a[k], t, ",")
    for (i = 1; i <= ne; i++) {
        if (t[e1[i]] != $e2[i])
            differ(k ": " en[i] " tokstat " t[e1[i]] ", sqlite3 " $e2[i])
    }
    for (i = 1; i <= na; i++) {
        x = t[a1[i]]; y = $a2[i]
        if (x == y) continue
        if (num(x) && num(y)) {
            tol = 1.5e-6 * (abs(x + 0) > 1 ? abs(x + 0) : 1)
            if (abs(x - y) <= tol) continue
        }
        differ(k ": " an[i] " tokstat " x ", sqlite3 " y)
    }
}

END {
    if (failed) exit 1
    for (i = 1; i <= n1; i++)
        if (!(order[i] in seen)) differ("only tokstat has " order[i] ": " a[order[i]])
    if (n1 == 0) differ("no rows")
    if (ndiff) {
        printf "%s: %d %s (tokstat %d rows, sqlite3 %d rows):\n", label, ndiff, \
            (ndiff == 1 ? "difference" : "differences"), n1, n2
        for (i = 1; i <= ndiff && i <= 10; i++) printf "  %s\n", msg[i]
        if (ndiff > 10) printf "  ... and %d more\n", ndiff - 10
        exit 1
    }
    printf "%s: same numbers (%d rows)\n", label, n1
}
