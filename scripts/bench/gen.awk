# gen.awk - deterministic synthetic OpenRouter rankings-daily data for
# scripts/bench.sh. Written for mawk (Debian's awk) and gawk; no other
# dependency. Every number is an integer below 2^53, so the output is the
# same bit for bit on every run and every awk.
#
# Two phases, chosen with -v phase=:
#
#   pool  (no input) prints the model pool, one "birth,slug,cn" line per
#         model: 2*n models, born one after the other; the caller sorts it
#         by slug (LC_ALL=C sort -t, -k2,2).
#   data  reads that sorted pool and writes -v csv=, jsonl= and json=
#         files: `days` days ending on -v end=YYYY-MM-DD, each with the n
#         models whose birth is in the day's window [off, off + n), in slug
#         order, then one `other` row. The window slides from 0 to n over
#         the span, so models arrive and retire as on the real leaderboard.
#
# Tokens of model j on day d: a Zipf-like base from a per-model rank, a
# life cycle (small when new, big in mid-life, small when retiring), a
# market that grows tenfold over the span, a tilt towards CN vendors over
# time (so country shares move), and +-15 % daily noise; clamped to
# [1e6, 1e12]. `other` is 15 to 25 % of the day's listed tokens, at most 1e12.
# A week is then at most 7 * (2000 + 1) * 1e12 ~ 1.4e16 tokens, far below
# 2^63 ~ 9.2e18.

# Park-Miller minimal standard generator: x in [1, 2^31 - 2]; products stay
# below 2^46, exact in a double.
function pm(x) { return (x * 16807) % 2147483647 }

# A uniform number in [0, 1) from two integers, always the same.
function rnd2(a, b,    x) {
    x = (a * 1000003 + b * 7919 + 12345) % 2147483646 + 1
    x = pm(pm(pm(x)))
    return (x - 1) / 2147483646
}

# Days since 1970-01-01 from a civil date and back (H. Hinnant's algorithms).
function days_from_civil(y, m, d,    era, yoe, doy, doe) {
    if (m <= 2) y--
    era = int(y / 400)
    yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}

function civil_from_days(z,    era, doe, yoe, y, doy, mp, d, m) {
    z += 719468
    era = int(z / 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9
    if (m <= 2) y++
    return sprintf("%04d-%02d-%02d", y, m, d)
}

BEGIN {
    # vendor, country flag (1 = CN), family. The last two have no entry in
    # data/vendors.csv, so they report as 'unknown'.
    nv = split("deepseek qwen moonshotai z-ai minimax xiaomi tencent bytedance-seed stepfun baidu " \
               "anthropic openai google x-ai meta-llama nvidia microsoft amazon arcee-ai " \
               "mistralai cohere ai21 sakana upstage " \
               "thedrummer sao10k", vend, " ")
    split("deepseek-v qwen3- kimi-k glm- minimax-m mimo- hunyuan- seed- step- ernie- " \
          "claude- gpt- gemini- grok- llama- nemotron- phi- nova- trinity- " \
          "mistral- command-r- jamba- tiny-swallow- solar- " \
          "cydonia- euryale-", fam, " ")
    for (v = 1; v <= 10; v++) cn[v] = 1
    # Big vendors are drawn more often than small ones: weights per vendor.
    split("8 9 4 4 4 2 2 3 2 2 " \
          "7 9 8 4 5 3 2 2 2 " \
          "4 2 1 1 1 " \
          "2 2", wt, " ")
    wsum = 0; np = 0
    for (v = 1; v <= nv; v++) wsum += wt[v]

    split(end, e, "-")
    last = days_from_civil(e[1] + 0, e[2] + 0, e[3] + 0)
    first = last - days + 1

    if (phase == "pool") {
        for (j = 0; j < 2 * n; j++) {
            # the vendor, weighted
            r = int(rnd2(j, 1) * wsum)
            for (v = 1; v <= nv; v++) { r -= wt[v]; if (r < 0) break }
            # born when it enters the window: day first + (j - n) * days / n
            born = civil_from_days(first + int((j - n) * days / n))
            gsub(/-/, "", born)
            slug = vend[v] "/" fam[v] (1 + j % 5) "." (int(j / 5) % 10) "-" j "-" born
            if (j % 13 == 5) slug = slug ":free"
            printf "%d,%s,%d\n", j, slug, (v in cn) ? 1 : 0
        }
        exit
    }
    if (phase != "data") { print "gen.awk: phase must be pool or data" > "/dev/stderr"; exit 2 }
}

phase == "data" {
    split($0, f, ",")
    pj[np] = f[1] + 0; ps[np] = f[2]; pcn[np] = f[3] + 0
    # Zipf-like base: a rank in [0, n) drawn per model
    pbase[np] = 1e12 / (1 + int(rnd2(f[1] + 0, 2) * n))
    np++
}

END {
    if (phase != "data") exit
    print "date,model_permaslug,total_tokens" > csv
    printf "{\"data\":[" > json
    sep = "\n"
    rows = 0
    for (d = 0; d < days; d++) {
        date = civil_from_days(first + d)
        off = int(n * d / days)
        growth = 0.1 + 0.9 * (d + 1) / days
        tilt = 0.6 + 0.8 * d / days
        sum = 0
        for (s = 0; s < np; s++) {
            j = pj[s]
            if (j < off || j >= off + n) continue
            pos = (j - off + 0.5) / n
            life = 0.05 + 4 * pos * (1 - pos)
            t = pbase[s] * life * growth * (0.85 + 0.3 * rnd2(d, j))
            if (pcn[s]) t *= tilt
            t = int(t)
            if (t < 1e6) t = 1e6
            if (t > 1e12) t = 1e12
            sum += t
            tok = sprintf("%.0f", t)
            print date "," ps[s] "," tok > csv
            print "{\"date\":\"" date "\",\"model_permaslug\":\"" ps[s] "\",\"total_tokens\":" tok "}" > jsonl
            printf "%s{\"date\":\"%s\",\"model_permaslug\":\"%s\",\"total_tokens\":\"%s\"}", sep, date, ps[s], tok > json
            sep = ",\n"
            rows++
        }
        t = int(sum * (0.15 + 0.1 * rnd2(d, 1e9 + 1)))
        if (t > 1e12) t = 1e12 - int(1e9 * rnd2(d, 1e9 + 2))
        if (t < 1e6) t = 1e6
        tok = sprintf("%.0f", t)
        print date ",other," tok > csv
        print "{\"date\":\"" date "\",\"model_permaslug\":\"other\",\"total_tokens\":" tok "}" > jsonl
        printf "%s{\"date\":\"%s\",\"model_permaslug\":\"other\",\"total_tokens\":\"%s\"}", sep, date, tok > json
        rows++
    }
    printf "\n],\"meta\":{\"as_of\":\"%sT06:00:00.000Z\",\"start_date\":\"%s\",\"end_date\":\"%s\",\"version\":\"v1\"}}\n", \
        civil_from_days(last + 1), civil_from_days(first), civil_from_days(last) > json
    print rows, civil_from_days(first), civil_from_days(last)
}
