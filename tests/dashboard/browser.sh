#!/usr/bin/env bash
# tokstat dashboard in a real browser: pages made from the shipped sample
# (imported as scripts/quickstart.sh imports it), the constructed February
# 2026 snapshots with a model catalogue (prices), a dataset with a gap, a
# top-10 feed (listed models only), hostile slugs, vendors and
# dataset name, and app rankings (the top apps, hostile app names too),
# opened in Debian's Chromium, headless and without a
# network, by browser.py: no request but the page, no console message,
# the sections and the chart there, the phone's width honoured, light and
# dark, and screenshots that are not blank. Then a page that loads an image and runs
# a script must fail those checks, so that they are known to fail.
#
# Usage: browser.sh TOKSTAT SOURCE_DIR [--save-sample PNG]
# (--save-sample writes the sample's desktop screenshot: data/sample/dashboard.png)
# Exit 77 (skipped) when there is no Chromium: scripts/deps.sh test installs it.
set -u
[ $# -ge 2 ] || { echo "usage: $0 TOKSTAT SOURCE_DIR [--save-sample PNG]" >&2; exit 2; }
tokstat=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
save=
if [ "${3:-}" = --save-sample ]; then
  save=$(cd "$(dirname "$4")" && pwd)/$(basename "$4")
fi

fail() {
  printf 'browser.sh: FAIL: %s\n' "$*" >&2
  exit 1
}

chromium=${CHROMIUM:-}
[ -n "$chromium" ] || chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
  echo "browser.sh: SKIP: no chromium (Debian: apt-get install chromium; scripts/deps.sh test installs it)"
  exit 77
fi
python3=$(command -v python3) || fail "python3 is missing"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/home" "$work/pages"
ln -s "$tokstat" "$work/bin/tokstat"
unset TOKSTAT_DB XDG_DATA_HOME COLUMNS
export PATH="$work/bin:$PATH" HOME="$work/home" NO_COLOR=1 LC_ALL=C TZ=UTC
cd "$work/pages" || exit 1

# The sample in the default database, as the quick start leaves it.
(
  cd "$root" || exit 1
  grep '^tokstat import ' scripts/quickstart.sh | while read -r line; do
    bash -c "$line" >/dev/null || exit 1
  done
) || fail "could not import the sample as scripts/quickstart.sh does"
tokstat dashboard -o sample.html || fail "tokstat dashboard (the sample) exited $?"

# The other pages in a database of their own (the catalogue's prices are
# global: they would price the sample too).
export TOKSTAT_DB=$work/other.db
feb=$root/tests/data/constructed-feb-2026
tokstat import -q --dataset feb2026 "$feb"/openrouter-weekly-*.json || fail "importing $feb"
tokstat import -q --as-of 2026-05-01 "$feb"/openrouter-models-2026-05-01.json || fail "importing the catalogue"
tokstat import -q --dataset gap "$root"/tests/data/real/rankings-daily-gap-2025-01.csv || fail "importing the gap"
tokstat import -q --dataset listed "$root"/tests/data/real/weekly-top10-2025-01-13.json \
  "$root"/tests/data/real/weekly-top10-2025-01-20.json 2>/dev/null || fail "importing the top-10 feed"
printf '%s\n' 'date,model,total_tokens' '2026-03-02,evil/<script>alert(1)</script>,100' \
  '2026-03-02,<i>v</i>/m&amp;,50' '2026-03-02,other,10' >hostile.csv
printf '%s' '{"data":[{"date":"2026-03-03","model_permaslug":"evil/<img src=x onerror=alert(2)>",' \
  '"total_tokens":"70"}],"meta":{"as_of":"2026-03-04","version":"v1"}}' >hostile.json
tokstat import -q --dataset '<script>alert(3)</script>' hostile.csv hostile.json || fail "importing the hostile rows"
tokstat dashboard --dataset feb2026 -o feb.html 2>/dev/null || fail "dashboard feb2026"
tokstat dashboard --dataset gap -o gap.html 2>/dev/null || fail "dashboard gap"
tokstat dashboard --dataset listed -o listed.html 2>/dev/null || fail "dashboard listed"
tokstat dashboard --dataset '<script>alert(3)</script>' -o hostile.html 2>/dev/null || fail "dashboard hostile"

# App rankings, in a database of their own (the other pages have none):
# the sample's model usage with three weeks of apps, and apps with
# hostile names in a second dataset of apps, each shown with --apps.
export TOKSTAT_DB=$work/apps.db
tokstat import -q --as-of 2026-10-10 "$root"/data/sample/rankings-daily-2025-01-01_2025-02-02.csv ||
  fail "importing the sample for the apps"
tokstat import -q --subcategory cli-agent "$root"/tests/data/real/app-rankings-2025-02-02.json \
  "$root"/tests/data/cli/apps-2025-02-09.json "$root"/tests/data/cli/apps-2025-02-16.json ||
  fail "importing the app rankings"
printf '%s' '{"data":[{"app_id":7,"app_name":"<script>alert(4)</script>","rank":1,"total_tokens":900},' \
  '{"app_id":8,"app_name":"<img src=x onerror=alert(5)>","rank":2,"total_tokens":300}],' \
  '"meta":{"as_of":"2025-02-03T00:00:00Z","start_date":"2025-01-27","end_date":"2025-02-02"}}' >hostile-apps.json
tokstat import -q --dataset '<i>apps</i>' hostile-apps.json || fail "importing the hostile apps"
tokstat dashboard --apps apps -o apps.html 2>/dev/null || fail "dashboard --apps apps"
tokstat dashboard --apps '<i>apps</i>' -o apps-hostile.html 2>/dev/null || fail "dashboard --apps hostile"

# The checks can fail: a page that loads an image, and one whose script
# writes to the console, must fail them.
printf '%s\n' '<!DOCTYPE html><html><head><meta charset="utf-8"><title>image</title></head>' \
  '<body><img src="http://example.com/a.png"></body></html>' >image.html
printf '%s\n' '<!DOCTYPE html><html><head><meta charset="utf-8"><title>script</title></head>' \
  '<body><script>console.error("from a script")</script></body></html>' >script.html

"$python3" "$here/browser.py" "$chromium" \
  sample.html:view=390-light,view=1280-light,view=1280-dark,weeks=5 \
  feb.html:view=1280-dark,view=390-light,prices,weeks=4 \
  "gap.html:view=390-dark,weeks=3,text=gap: no data for a week" \
  "listed.html:view=1280-light,prices,weeks=2,text=not given,text=the week lists only its top models" \
  "hostile.html:view=390-light,weeks=1,text=evil/<script>alert(1)</script>,text=evil/<img src=x onerror=alert(2)>,text=<i>v</i>/m&amp;,text=dataset <script>alert(3)</script>" \
  "apps.html:apps=4,weeks=5,text=Shares are of the listed apps' tokens only,text=OpenAgents" \
  "apps-hostile.html:view=390-light,view=1280-dark,apps=2,weeks=5,text=<script>alert(4)</script>,text=<img src=x onerror=alert(5)>,text=dataset <i>apps</i>" \
  "listed.html:view=390-light,prices,apps=1,fail=apps expected: True" \
  "image.html:view=390-light,fail=http://example.com/a.png" \
  "script.html:view=390-light,fail=from a script" \
  ${save:+--save "sample.html=$save"} || fail "the pages above"
echo "browser: the dashboards pass in Chromium; pages that load an image or run a script do not"
