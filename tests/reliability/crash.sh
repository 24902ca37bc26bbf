#!/usr/bin/env bash
# crash.sh - is an import all-or-nothing when the process is killed?
#
#   tests/reliability/crash.sh TOKSTAT [KILLS]
#
# SPEC.md section 6: "A process killed at any moment of an import leaves the
# database as it was before that file." This test generates deterministic
# data with awk (a base CSV of 20 days x 300 models, and a big CSV B that
# revises many of the base's rows, spread over the whole file, and adds
# many new rows and models), builds two reference databases once:
#
#   db0 = base imported                  (the state "before" B)
#   db1 = base imported, then B          (the state "after" B)
#
# and then KILLS times: copies db0, starts `TOKSTAT --db COPY import B` in
# the background, sleeps a random delay between 0 and the measured import
# time, sends SIGKILL and checks the copy. Every third kill aims at the
# checkpoint that follows the commit (SQLite copying the WAL's pages into
# the main file, then deleting the WAL on close: about the last 5 % of the
# time, which random delays rarely hit): it waits for the main file's first
# write (nothing writes it before the commit in WAL mode), then sleeps
# 0..the time from that write to the exit, as timed at the start. The
# checks:
#
#   - PRAGMA integrity_check says ok (also PRAGMA foreign_key_check is empty)
#   - its digest (observations, weekly roll-ups, models, imports, prices,
#     vendors, meta: every row that matters, in a stable order, hashed) is
#     exactly db0's or exactly db1's, never anything else
#   - `TOKSTAT --db COPY status` still opens it and exits 0
#   - when it was "before", importing B again to the end gives exactly db1
#
# Every other kill, tokstat (status) is the first to open the killed
# database, so that it and not the sqlite3 shell recovers the WAL.
#
# B's size is calibrated so that its import takes about CRASH_TARGET_MS
# (default 1000 ms) with this binary on this machine: an ASan build or a
# slow runner gets a smaller file, not a longer test. CRASH_ROWS fixes B's
# number of rows instead (reproducing a run elsewhere).
#
# KILLS: the argument, else $CRASH_KILLS, else 12 (about half a minute on 2
# cores; CI). For a long run by hand: CRASH_KILLS=500 crash.sh build/tokstat
# The import time is the median of the last 5 whole imports of B (3 at
# the start, then the re-imports after kills), so that it follows the
# machine's load. The delays come from bash's $RANDOM seeded with
# $CRASH_SEED (default 42): the same seed and timings give the same delays
# (where the kills land depends on the machine's speed and load anyway).
# CRASH_TRACE=1 prints each kill's delay, exit status and outcome.
#
# Prints a line every few kills and ends with
#
#   crash: N passed, M failed
#
# (N = kills after which the database was exactly "before" or "after").
# Exit status 0 when nothing failed, 1 when anything did, 2 on usage error.
# A failing kill's database files, as the kill left them (before anything
# opened them), are kept under the work folder, which is then not removed
# and is named at the end; CRASH_KEEP=1 keeps it anyway. Work files go in
# ${TMPDIR:-/tmp}. Needs bash 5, coreutils, awk and sqlite3; no network.
set -euo pipefail
export LC_ALL=C
unset TOKSTAT_DB

usage() {
    echo "usage: crash.sh TOKSTAT [KILLS]   (or CRASH_KILLS=N crash.sh TOKSTAT)" >&2
    exit 2
}
die() {
    echo "crash: $*" >&2
    failed=1 # (keeps the work files)
    exit 1
}

[[ $# -ge 1 && $# -le 2 ]] || usage
[[ $1 == -h || $1 == --help ]] && {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
}
tokstat=$1
[[ $tokstat == */* ]] || tokstat=./$tokstat
tokstat=$(cd "$(dirname "$tokstat")" 2>/dev/null && pwd)/$(basename "$tokstat")
kills=${2:-${CRASH_KILLS:-12}}
seed=${CRASH_SEED:-42}
target_ms=${CRASH_TARGET_MS:-1000}
[[ -x $tokstat ]] || die "no tokstat program at '$1'"
[[ $kills =~ ^[1-9][0-9]*$ ]] || usage
[[ $seed =~ ^[0-9]+$ ]] || die "CRASH_SEED must be a number, not '$seed'"
[[ $target_ms =~ ^[1-9][0-9]*$ ]] || die "CRASH_TARGET_MS must be a positive number"
[[ -z ${CRASH_ROWS:-} || $CRASH_ROWS =~ ^[1-9][0-9]*$ ]] || die "CRASH_ROWS must be a positive number"
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later (for \$EPOCHREALTIME)"
for c in sqlite3 awk sha256sum; do
    command -v "$c" >/dev/null 2>&1 || die "needs $c (Debian: apt-get install sqlite3 mawk coreutils)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tokstat-crash.XXXXXX")
child=
failed=0
# shellcheck disable=SC2317 # (called by the trap)
cleanup() {
    if [[ -n $child ]]; then
        kill -KILL "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    if [[ $failed -eq 0 && -z ${CRASH_KEEP:-} ]]; then
        rm -rf "$work"
    else
        echo "crash: work files kept in $work" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"

now_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }

# --- the data ---------------------------------------------------------------
# gen FILE KIND [DAYS MODELS STEP]: one CSV, date,model,total_tokens,
# prompt_tokens,completion_tokens. Days count from 2020-01-06 (a Monday).
#   base:  20 days (every STEP-th day of B's range) x models 0..299
#   big:   DAYS days x MODELS models; a (day, model) of the base gets a
#          different total (9 in 10) or the same (1 in 10)
#   probe: like big, on days DAYS+400.. (new keys; calibration only)
# Models with an even number give prompt and completion tokens, the others
# only a total. Values are exact integers well below 2^53, printed with
# %.0f (mawk clamps %d to 2^31 - 1).
gen() {
    awk -v kind="$2" -v days="${3:-0}" -v models="${4:-0}" -v step="${5:-1}" '
    function civil(z,   era, doe, yoe, y, doy, mp, d, m) {  # days since 1970 -> Y-M-D
        z += 719468
        era = int(z / 146097)
        doe = z - era * 146097
        yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
        y = yoe + era * 400
        doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
        mp = int((5 * doy + 2) / 153)
        d = doy - int((153 * mp + 2) / 5) + 1
        m = mp < 10 ? mp + 3 : mp - 9
        return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
    }
    function row(day, model, salt,   h, total, comp) {
        h = (day * 7919 + model * 104729 + salt * 15485863) % 999999937
        total = 1000000 + h * 1009
        if (model % 2 == 0) {
            comp = (h % 1000003) * 7
            printf "%s,%s/model-%04d,%.0f,%.0f,%.0f\n", civil(18267 + day), vendor[model % nv], model, total, total - comp, comp
        } else {
            printf "%s,%s/model-%04d,%.0f,,\n", civil(18267 + day), vendor[model % nv], model, total
        }
    }
    BEGIN {
        nv = split("openai anthropic google deepseek qwen mistralai moonshotai z-ai x-ai meta-llama nousresearch someoneunmapped", vendor, " ")
        for (i = nv; i >= 1; i--) vendor[i - 1] = vendor[i]   # 0-based
        print "date,model,total_tokens,prompt_tokens,completion_tokens"
        if (kind == "base") {
            for (k = 0; k < 20; k++) for (m = 0; m < 300; m++) row(k * step, m, 1)
        } else if (kind == "big") {
            for (d = 0; d < days; d++) for (m = 0; m < models; m++) {
                salt = 2
                if (d % step == 0 && d / step < 20 && m < 300 && (d + m) % 10 == 0) salt = 1
                row(d, m, salt)
            }
        } else {
            for (d = 0; d < days; d++) for (m = 0; m < models; m++) row(days + 400 + d, m, 3)
        }
    }' >"$1"
}

# The rows that matter, each table in its primary key's order: the data,
# the weekly roll-ups, the models and datasets (so ids name the same thing
# in every state), the import log (less its timestamp), prices, aliases,
# vendors, family rules, meta and the schema version.
state_sql="
SELECT dataset_id, granularity, period, model_id, total, prompt, completion, reasoning, cached,
       requests, import_id FROM observations ORDER BY 1, 2, 3, 4;
SELECT dataset_id, week, model_id, tokens, split_tokens, prompt, completion FROM week_model
 ORDER BY 1, 2, 3;
SELECT dataset_id, week, days FROM week_days ORDER BY 1, 2;
SELECT dataset_id, week, vendor, tokens FROM week_vendor ORDER BY 1, 2, 3;
SELECT id, slug, vendor FROM models ORDER BY id;
SELECT id, name FROM datasets ORDER BY id;
SELECT count(*) FROM imports;
SELECT id, dataset_id, file, sha256, format, rows, inserted, updated, unchanged, prices, as_of
  FROM imports ORDER BY id;
SELECT model, valid_from, source, prompt, completion, import_id FROM prices ORDER BY 1, 2, 3;
SELECT alias, model, import_id FROM model_aliases ORDER BY alias;
SELECT vendor, country, name FROM vendors_shipped ORDER BY vendor;
SELECT vendor, country FROM vendors_user ORDER BY vendor;
SELECT prefix, family FROM families_shipped ORDER BY prefix;
SELECT prefix, family FROM families_user ORDER BY prefix;
SELECT key, value FROM meta ORDER BY key;
PRAGMA user_version;"

# digest DB: a hash of state_sql's rows, computed inside the sqlite3 shell
# (its sha3_query(), three times faster than printing 500,000 rows to
# sha256sum). Prints "error: ..." when the shell fails.
digest() {
    local out q=${state_sql//"'"/"''"}
    if out=$(sqlite3 -bail "$1" "SELECT hex(sha3_query('$q'))" 2>&1) &&
        [[ $out =~ ^[0-9A-F]{64}$ ]]; then
        echo "$out"
    else
        echo "error: $(head -c 300 <<<"$out")"
    fi
}

# dump DB: state_sql's rows as text (to show how a failing state differs).
dump() {
    sqlite3 "$1" "$state_sql" 2>&1
}

# check_db DB: PRAGMA integrity_check and foreign_key_check; prints what is
# wrong, nothing when all is well.
check_db() {
    local ic fk
    ic=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1) || true
    [[ $ic == ok ]] || { echo "integrity_check: $(head -c 300 <<<"$ic")"; return 0; }
    fk=$(sqlite3 "$1" "PRAGMA foreign_key_check" 2>&1) || true
    [[ -z $fk ]] || echo "foreign_key_check: $(head -c 300 <<<"$fk")"
}

# copy_db FROM TO: the database and whatever -wal and -shm files it has.
copy_db() {
    rm -f "$2" "$2-wal" "$2-shm" "$2-journal"
    local s
    for s in "" -wal -shm -journal; do
        [[ -e $1$s ]] && cp "$1$s" "$2$s"
    done
    return 0
}

# import_timed DB FILE: imports FILE to the end; prints the wall time in us.
import_timed() {
    local t0 t1
    t0=$(now_us)
    "$tokstat" --db "$1" import "$2" >"$work/import.out" 2>&1 ||
        die "importing $2 into $1 failed: $(cat "$work/import.out")"
    t1=$(now_us)
    echo $((t1 - t0))
}

# wait_ckpt DB PID: waits until the main file DB is written (mark holds
# its mtime from before the import: in WAL mode only the checkpoint after
# the commit writes it), PID has exited, or 3 times the import time has
# passed. Polls every 2 ms without forking. Returns 0 when DB was written.
wait_ckpt() {
    local t deadline
    t=$EPOCHREALTIME
    deadline=$((10#${t/./} + 3000 * ${dur_ms:-10000}))
    while [[ ! $1 -nt mark ]] && kill -0 "$2" 2>/dev/null; do
        t=$EPOCHREALTIME
        ((10#${t/./} < deadline)) || break
        read -r -t 0.002 -u "$tick" _ || true
    done
    [[ $1 -nt mark ]]
}
mkfifo tick
exec {tick}<>tick # read -t on it: a sleep without a fork

t_start=$(now_us)
models=600
gen_probe_days=80

if [[ -n ${CRASH_ROWS:-} ]]; then
    rows=$CRASH_ROWS
    calib="CRASH_ROWS"
else
    # Calibration: how fast does this binary import new rows here (into a
    # database that holds a base)?
    gen probe.csv probe $gen_probe_days $models
    gen cal.csv base 0 0 1
    "$tokstat" --db cal.db import cal.csv >/dev/null 2>&1 || die "importing the base failed"
    cp cal.db cal2.db
    cp cal.db cal3.db
    import_timed cal.db probe.csv >/dev/null # warm up
    us=$(import_timed cal2.db probe.csv)
    us3=$(import_timed cal3.db probe.csv)
    ((us3 < us)) && us=$us3
    probe_rows=$((gen_probe_days * models))
    rows=$((probe_rows * target_ms * 1000 / (us > 0 ? us : 1)))
    ((rows < 60000)) && rows=60000
    ((rows > 3000000)) && rows=3000000
    calib="calibrated: $probe_rows rows in $((us / 1000)) ms"
    rm -f cal.db* cal2.db* cal3.db* cal.csv probe.csv
fi
days=$(((rows + models - 1) / models))
((days < 40)) && days=40
step=$((days / 20))
rows=$((days * models))
gen base.csv base 0 0 $step
gen B.csv big $days $models $step

# db0: the base, its WAL checkpointed into the main file.
rm -f db0 db0-wal db0-shm
"$tokstat" --db db0 import base.csv >/dev/null 2>"$work/import.out" ||
    die "importing the base failed: $(cat "$work/import.out")"
sqlite3 db0 "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
d0=$(digest db0)
[[ $d0 != error:* ]] || die "cannot digest db0: $d0"
[[ -z $(check_db db0) ]] || die "db0 is not sound: $(check_db db0)"

# db1: the base then B; then B's import time, measured twice more.
copy_db db0 db1
us1=$(import_timed db1 B.csv)
b_summary=$(cat "$work/import.out")
sqlite3 db1 "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
d1=$(digest db1)
[[ -z $(check_db db1) ]] || die "db1 is not sound: $(check_db db1)"
[[ $d0 != "$d1" ]] || die "importing B did not change the database"
# The last two also time the checkpoint: from the main file's first write
# to the exit.
times=("$us1")
ckpt_ms=0 ckpt=yes
for _ in 1 2; do
    copy_db db0 t.db
    touch -r t.db mark
    t0=$(now_us)
    "$tokstat" --db t.db import B.csv >/dev/null 2>"$work/import.out" &
    child=$!
    wait_ckpt t.db "$child" || ckpt=no
    t1=$(now_us)
    wait "$child" || die "importing B into a copy of db0 failed: $(cat "$work/import.out")"
    child=
    t2=$(now_us)
    times+=("$((t2 - t0))")
    (((t2 - t1 + 999) / 1000 > ckpt_ms)) && ckpt_ms=$(((t2 - t1 + 999) / 1000))
    [[ $(digest t.db) == "$d1" ]] || die "importing B twice from db0 gave different databases (not deterministic)"
done
# median_ms: the median of the last 5 (or fewer) of times, in ms; drops
# the older ones from times (when not run in a subshell).
median_ms() {
    local n=${#times[@]} m
    ((n > 5)) && times=("${times[@]:n-5}") && n=5
    m=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$((n / 2 + 1))p")
    echo $(((m + 999) / 1000))
}
dur_ms=$(median_ms)
[[ $ckpt == yes ]] ||
    echo "crash: note: importing B does not write the main database file before it exits (no checkpoint): every kill is at a random moment"
echo "crash: B = $rows rows ($days days x $models models, $calib); $b_summary"
t_setup=$(now_us)
echo "crash: import of B takes ${dur_ms} ms (median of 3: $(printf '%s\n' "${times[@]}" | sort -n | awk '{ printf "%s%d", (NR > 1 ? ", " : ""), $1 / 1000 }') ms); $kills kills: two in three at random 0..${dur_ms} ms, every third at 0..${ckpt_ms} ms into the checkpoint after the commit (the import time follows the re-imports); seed $seed; setup $(((t_setup - t_start) / 1000000)) s"

# --- the kills --------------------------------------------------------------
RANDOM=$seed
pass=0 before=0 before_mid=0 after=0 after_killed=0 after_wal=0 recovered=0 ckpt_seen=0
every=$((kills >= 50 ? kills / 10 : 5))
mkdir -p fail
for ((k = 1; k <= kills; k++)); do
    copy_db db0 c.db
    r=$((RANDOM * 32768 + RANDOM))
    if ((k % 3 == 0)) && [[ $ckpt == yes ]]; then
        # In the checkpoint: the first write to the main file, then
        # 0..ckpt_ms (the checkpoint and exit, as timed at the start) more.
        mode=checkpoint
        delay=$((r % (ckpt_ms + 1)))
        touch -r c.db mark
    else
        mode=random
        delay=$((r % (dur_ms + 1)))
    fi
    t_launch=$(now_us)
    "$tokstat" --db c.db import B.csv >/dev/null 2>c.err &
    child=$!
    if [[ $mode == checkpoint ]] && wait_ckpt c.db "$child"; then
        ckpt_seen=$((ckpt_seen + 1))
    fi
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    t1=$(now_us)
    kill -KILL "$child" 2>/dev/null || true
    rc=0
    { wait "$child"; } 2>/dev/null || rc=$? # (no "Killed" notice from bash)
    child=

    # The files as the kill left them, in case this kill fails.
    copy_db c.db raw.db
    wal_bytes=$(stat -c %s c.db-wal 2>/dev/null || echo 0)

    problems=()
    if ((k % 2 == 0)); then # tokstat recovers the WAL
        "$tokstat" --db c.db status >/dev/null 2>c.status-err ||
            problems+=("tokstat status failed after the kill: $(head -c 300 c.status-err)")
    fi
    p=$(check_db c.db)
    [[ -z $p ]] || problems+=("$p")
    d=$(digest c.db)
    if ((k % 2 == 1)); then
        "$tokstat" --db c.db status >/dev/null 2>c.status-err ||
            problems+=("tokstat status failed after the kill: $(head -c 300 c.status-err)")
    fi
    state=mixed
    if [[ $d == "$d0" ]]; then
        state=before
    elif [[ $d == "$d1" ]]; then
        state=after
    else
        problems+=("the database is neither the state before B nor after it (digest $d)")
    fi
    case $rc in
    0 | 137) ;;
    *) problems+=("the import exited $rc before the kill: $(head -c 300 c.err)") ;;
    esac
    if [[ $state == before && ${#problems[@]} -eq 0 ]]; then
        # Recovery: importing B again, to the end, gives exactly db1.
        t0=$(now_us)
        if ! "$tokstat" --db c.db import B.csv >/dev/null 2>c.err; then
            problems+=("importing B again after the kill failed: $(head -c 300 c.err)")
        elif [[ $(digest c.db) != "$d1" ]]; then
            problems+=("importing B again after the kill did not give the state after B")
        else
            recovered=$((recovered + 1))
        fi
        # (the kill's WAL recovery is done: this import is a whole one)
        times+=("$(($(now_us) - t0))")
        median_ms >/dev/null # (drops all but the last 5)
        dur_ms=$(median_ms)
    fi

    if [[ -n ${CRASH_TRACE:-} ]]; then
        echo "kill $k: $mode, delay $delay ms (import ${dur_ms} ms), killed at $(((t1 - t_launch) / 1000)) ms, exit $rc, WAL $wal_bytes bytes, state $state"
    fi
    if [[ ${#problems[@]} -eq 0 ]]; then
        pass=$((pass + 1))
        if [[ $state == before ]]; then
            before=$((before + 1))
            ((wal_bytes > 32)) && before_mid=$((before_mid + 1))
        else
            after=$((after + 1))
            if [[ $rc -eq 137 ]]; then
                after_killed=$((after_killed + 1))
                ((wal_bytes > 0)) && after_wal=$((after_wal + 1))
            fi
        fi
    else
        failed=$((failed + 1))
        keep=fail/kill-$k
        mkdir -p "$keep"
        for s in "" -wal -shm; do
            [[ -e raw.db$s ]] && cp "raw.db$s" "$keep/c.db$s"
        done
        dump c.db >"$keep/state.txt"
        [[ -e db0.txt ]] || dump db0 >db0.txt
        [[ -e db1.txt ]] || dump db1 >db1.txt
        echo "crash: kill $k FAILED (delay ${delay} ms, exit $rc, WAL ${wal_bytes} bytes, state $state):" >&2
        printf '  %s\n' "${problems[@]}" >&2
        echo "  its rows differ from db0's in $(diff db0.txt "$keep/state.txt" | grep -c '^[<>]') lines, from db1's in $(diff db1.txt "$keep/state.txt" | grep -c '^[<>]') (diff $work/db1.txt $work/$keep/state.txt)" >&2
        echo "  the files as the kill left them: $work/$keep (compare with $work/db0, $work/db1)" >&2
    fi
    if ((k % every == 0 || k == kills)); then
        echo "crash: $k/$kills kills: $before before ($before_mid mid-transaction), $after after ($after_killed killed after commit), $failed failed"
    fi
done

t_end=$(now_us)
secs=$(((t_end - t_start) / 1000000))
echo "crash: $kills kills in ${secs} s: $before left the state before B ($before_mid of them with an uncommitted WAL), $after the state after B ($after_killed killed after the commit, $after_wal of them with the WAL not yet checkpointed and removed; $((after - after_killed)) finished first); $ckpt_seen of $([[ $ckpt == yes ]] && echo $((kills / 3)) || echo 0) checkpoint kills saw the checkpoint start; $recovered re-imports after a kill gave exactly the state after B"
echo "crash: $pass passed, $failed failed"
((failed == 0)) || exit 1
exit 0
