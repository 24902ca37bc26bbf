#!/usr/bin/env python3
"""Every JSON output of every report command validates against its schema in
data/schema/, and every CSV output is typed: read with Python's standard CSV
reader, its header is the JSON rows' keys, and each column the schema calls
numeric holds a number or is empty, equal to the JSON's number (null when
empty). So do the rows of tokstat export: each JSON Lines object against
export.schema.json, the CSV export against them.

The outputs come from several databases, each one a shape of real data:
the shipped sample (33 real days of daily rows), weekly snapshots with an
other bucket and a catalogue (the constructed February 2026 fixtures),
daily rows ending mid-week, daily rows with a gap week, top-10 snapshots
with no other bucket, and app rankings (the real week of 2025-01-27 and two
constructed ones, with new, gone and same-named apps); each report runs with
every --by it takes there and with the options that change its shape
(--partial, --other exclude, --summary, a range past the data); every
report also by month and by day (--period) on the databases of daily rows.
A dataset of app rankings has no model rows: tokstat export refuses it.

Usage: typed.py TOKSTAT SOURCE_ROOT   (needs python3-jsonschema)
"""
import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    sys.exit("typed.py: FAIL: python3-jsonschema is not installed (scripts/deps.sh test installs it)")

TOKSTAT, ROOT = sys.argv[1], sys.argv[2]
SCHEMA_DIR = os.path.join(ROOT, "data", "schema")
REAL = os.path.join(ROOT, "tests", "data", "real")
FEB = os.path.join(ROOT, "tests", "data", "constructed-feb-2026")
CLI = os.path.join(ROOT, "tests", "data", "cli")

# The databases: name -> the import commands that make it.
DATABASES = {
    "snapshots": [
        ["import"] + sorted(glob.glob(os.path.join(FEB, "openrouter-weekly-*.json"))),
        ["import", "--as-of", "2026-05-01", os.path.join(FEB, "openrouter-models-2026-05-01.json")],
    ],
    "sample": [["import", "--as-of", "2026-10-10"] + sorted(glob.glob(os.path.join(ROOT, "data", "sample", "rankings-daily-*.csv")))],
    "midweek": [["import", os.path.join(REAL, "rankings-daily-2025-01-13_29.csv")]],
    "gap": [["import", os.path.join(REAL, "rankings-daily-gap-2025-01.csv")]],
    "listed": [["import"] + sorted(glob.glob(os.path.join(REAL, "weekly-top10-*.json")))],
    # A model catalogue alone: prices --all lists it, no usage.
    "catalogue": [["import", "--as-of", "2026-05-01", os.path.join(FEB, "openrouter-models-2026-05-01.json")]],
    "apps": [["import", os.path.join(REAL, "app-rankings-2025-02-02.json"),
              os.path.join(CLI, "apps-2025-02-09.json"), os.path.join(CLI, "apps-2025-02-16.json")]],
}

# The variations every report command runs with.
RANGES = [[], ["--partial"], ["--other", "exclude"], ["--last", "3", "--partial"], ["--from", "2030-01-07", "--to", "2030-02-04"]]
COMMANDS = (
    [["report", "--by", by] for by in ("country", "vendor", "model", "family")]
    + [["growth", "--by", by] + s for by in ("country", "vendor", "model", "family") for s in ([], ["--summary"])]
    + [["top", "-n", "3", "--by", by] for by in ("model", "vendor", "family")]
    + [["prices", "--by", by] + a for by in ("model", "vendor", "country", "family") for a in ([], ["--all"])]
    + [["cost", "--by", by] for by in ("country", "vendor", "model", "family")]
)
# A dataset of app rankings: reports by app (prices and cost read model usage).
APP_COMMANDS = (
    [["report", "--by", "app"]]
    + [["growth", "--by", "app"] + s for s in ([], ["--summary"])]
    + [["top", "-n", "3", "--by", "app"], ["top", "--dataset", "apps"]]
)

# By month and by day (every report), on the databases of daily rows: a
# weekly row cannot be split into days.
PERIODS = [["--period", "month"], ["--period", "month", "--partial"], ["--period", "day", "--last", "3"],
           ["--period", "day", "--month", "2025-01", "--other", "exclude"]]
DAILY = ("sample", "midweek", "gap")

# The ranges tokstat export runs with: everything, and some days.
EXPORTS = [[], ["--from", "2025-01-15", "--to", "2025-01-20"]]

failures = []
checked = 0


def fail(what, msg):
    failures.append(f"{what}: {msg}")


def load_schemas():
    store, schemas = {}, {}
    for path in glob.glob(os.path.join(SCHEMA_DIR, "*.schema.json")):
        with open(path) as f:
            s = json.load(f)
        jsonschema.Draft202012Validator.check_schema(s)
        store[s["$id"]] = s
        schemas[os.path.basename(path).split(".")[0]] = s
    return store, schemas


def resolve(schema, store, base):
    """Follows $ref (within a schema or into another by its $id)."""
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        doc_id, _, pointer = ref.partition("#")
        doc = store[doc_id] if doc_id else base
        node = doc
        for part in filter(None, pointer.split("/")):
            node = node[part]
        base = doc
        schema = node
    return schema, base


def numeric_columns(row_schema, store, base):
    """The row properties whose type is a number (maybe null)."""
    cols = set()
    for name, prop in row_schema.get("properties", {}).items():
        p, _ = resolve(prop, store, base)
        types = p.get("type", [])
        types = [types] if isinstance(types, str) else types
        if "integer" in types or "number" in types:
            cols.add(name)
    return cols


def row_schemas(schema, store):
    """The schemas a row may have (growth's rows are weekly or summary rows)."""
    items = schema["properties"]["rows"]["items"]
    items, base = resolve(items, store, schema)
    return [resolve(x, store, base)[0] for x in items.get("anyOf", [items])], base


def run(db, args):
    p = subprocess.run([TOKSTAT, "--db", db] + args, capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C", TZ="UTC", NO_COLOR="1"))
    return p.returncode, p.stdout, p.stderr


def check_csv(what, text, doc, numeric):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        fail(what, "no CSV header")
        return
    header, body = rows[0], rows[1:]
    if doc["rows"] and header != list(doc["rows"][0].keys()):
        fail(what, f"CSV header {header} is not the JSON rows' keys {list(doc['rows'][0].keys())}")
        return
    if len(body) != len(doc["rows"]):
        fail(what, f"{len(body)} CSV rows, {len(doc['rows'])} JSON rows")
        return
    for n, (crow, jrow) in enumerate(zip(body, doc["rows"]), start=2):
        for col, cell in zip(header, crow):
            jv = jrow.get(col)
            if col not in numeric:
                if (cell or None) != (jv if jv is None else str(jv)):
                    fail(what, f"line {n}, {col}: CSV {cell!r}, JSON {jv!r}")
                continue
            if cell == "":
                if jv is not None:
                    fail(what, f"line {n}, {col}: empty in CSV, {jv!r} in JSON")
                continue
            try:
                v = int(cell) if all(c.isdigit() or c == "-" for c in cell) else float(cell)
            except ValueError:
                fail(what, f"line {n}, {col}: {cell!r} is not a number")
                continue
            if jv is None or abs(v - jv) > 1e-9 * max(1.0, abs(v)):
                fail(what, f"line {n}, {col}: CSV {cell!r}, JSON {jv!r}")


def check_export(db, name, store, schema, resolver):
    """tokstat export: each JSON Lines object valid, the CSV the same rows."""
    global checked
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    numeric = numeric_columns(schema, store, schema)
    for extra in EXPORTS:
        what = f"{name}: tokstat export {' '.join(extra)}".rstrip()
        rc, out, err = run(db, ["export", "--format", "jsonl"] + extra)
        if rc != 0:
            fail(what, f"exit {rc}: {err.strip()}")
            continue
        try:
            rows = [json.loads(line) for line in out.splitlines()]
        except ValueError as e:
            fail(what, f"not JSON Lines: {e}")
            continue
        for n, row in enumerate(rows, start=1):
            for e in list(validator.iter_errors(row))[:1]:
                fail(what, f"line {n} at /{'/'.join(map(str, e.absolute_path))}: {e.message}")
        rc, out, err = run(db, ["export"] + extra)
        if rc != 0:
            fail(what + " (csv)", f"exit {rc}: {err.strip()}")
            continue
        header = out.split("\n", 1)[0].split(",")
        if header != list(schema["required"]):
            fail(what + " (csv)", f"header {header} is not the schema's keys")
        check_csv(what + " (csv)", out, {"rows": rows}, numeric)
        checked += 1


def check_export_refused(db, name):
    """tokstat export of a dataset of apps: refused, never model rows."""
    global checked
    for fmt in ("csv", "jsonl"):
        what = f"{name}: tokstat export --dataset apps --format {fmt}"
        rc, out, err = run(db, ["export", "--dataset", "apps", "--format", fmt])
        if rc != 1 or out or "holds app rankings" not in err:
            fail(what, f"expected a refusal (exit 1, nothing written), got exit {rc}: {out[:200]!r} {err.strip()}")
        checked += 1


def main():
    global checked
    store, schemas = load_schemas()
    resolver = jsonschema.RefResolver("", {}, store=store)
    tmp = tempfile.mkdtemp()
    for name, imports in DATABASES.items():
        db = os.path.join(tmp, name + ".db")
        for args in imports:
            rc, _, err = run(db, args + ["--quiet"])
            if rc != 0:
                sys.exit(f"typed.py: FAIL: could not build the {name} database: {err}")
        if name == "apps":
            check_export_refused(db, name)
        else:
            check_export(db, name, store, schemas["export"], resolver)
        for cmd in APP_COMMANDS if name == "apps" else COMMANDS:
            schema = schemas.get(cmd[0])
            if schema is None:
                fail(cmd[0], f"no schema {cmd[0]}.schema.json in data/schema/")
                continue
            validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
            shapes, base = row_schemas(schema, store)
            numeric = set().union(*(numeric_columns(s, store, base) for s in shapes))
            periods = PERIODS if name in DAILY else []
            for extra in RANGES + periods:
                if cmd[0] in ("prices", "cost") and "--other" in extra:
                    continue  # the other bucket has no price: a usage error there
                args = cmd + extra
                what = f"{name}: tokstat {' '.join(args)}"
                rc, out, err = run(db, args + ["--format", "json"])
                if rc != 0:
                    fail(what, f"exit {rc}: {err.strip()}")
                    continue
                try:
                    doc = json.loads(out)
                except ValueError as e:
                    fail(what, f"not JSON: {e}")
                    continue
                errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
                for e in errors[:3]:
                    fail(what, f"JSON at /{'/'.join(map(str, e.absolute_path))}: {e.message}")
                rc, out, err = run(db, args + ["--format", "csv"])
                if rc != 0:
                    fail(what + " --format csv", f"exit {rc}: {err.strip()}")
                    continue
                check_csv(what + " --format csv", out, doc, numeric)
                checked += 1
    for f in failures[:40]:
        print("typed.py: FAIL:", f)
    if len(failures) > 40:
        print(f"typed.py: ... and {len(failures) - 40} more")
    print(f"typed.py: {checked} outputs checked (JSON against its schema, CSV typed), {len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())
