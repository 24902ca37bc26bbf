# compare.awk - do tokstat and the sqlite3 shell answer the same numbers?
#
#   awk -F, -v keys=1,4 -v exact=2,3,5 -v approx=6,7 -v label=WHAT \
#       -f compare.awk TOKSTAT.csv SQLITE3.csv
#
# Both files are CSV with the same header (checked). Rows are matched on the
# `keys` columns; `exact` columns must be equal as text (token counts are
# exact integers), `approx` columns are decimals printed with 6 digits that
# may differ in the last digit by rounding (1.5e-6, relative above 1), or
# the same word ("new") or both empty. No field holds a comma, so quotes
# are just stripped, and so are CRs (the shell ends CSV lines with CRLF). Prints "LABEL: same numbers (N rows)" and exits 0, or
# the first differences and exits 1.

function num(s) { return s ~ /^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
function key(    k, i, s) {
    s = ""
    for (i = 1; i <= nk; i++) s = s (i > 1 ? " " : "") hdr[kc[i]] "=" $kc[i]
    return s
}
function differ(what) {
    if (++ndiff <= 10) msg[ndiff] = what
}

BEGIN {
    nk = split(keys, kc, ",")
    ne = split(exact, ec, ",")
    na = split(approx, ac, ",")
}

{ gsub(/["\r]/, "") }

FNR == 1 {
    if (NR == 1) { h1 = $0; split($0, hdr, ",") }
    else if ($0 != h1) {
        printf "%s: the columns differ:\n  tokstat: %s\n  sqlite3: %s\n", label, h1, $0
        exit (failed = 1)
    }
    next
}

NR == FNR {
    k = key()
    if (k in a) differ("tokstat has two rows for " k)
    a[k] = $0
    order[++n1] = k
    next
}

{
    k = key()
    n2++
    if (!(k in a)) { differ("only sqlite3 has " k ": " $0); next }
    seen[k] = 1
    split(a[k], t, ",")
    for (i = 1; i <= ne; i++) {
        c = ec[i]
        if (t[c] != $c)
            differ(k ": " hdr[c] " tokstat " t[c] ", sqlite3 " $c)
    }
    for (i = 1; i <= na; i++) {
        c = ac[i]
        if (t[c] == $c) continue
        if (num(t[c]) && num($c)) {
            x = t[c] + 0; y = $c + 0
            tol = 1.5e-6 * (abs(x) > 1 ? abs(x) : 1)
            if (abs(x - y) <= tol) continue
        }
        differ(k ": " hdr[c] " tokstat " t[c] ", sqlite3 " $c)
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
