#!/usr/bin/env python3
"""Converts rankings-daily rows as CSV (date,model_permaslug,total_tokens)
into the Data API's rankings-daily answer, on standard output: rows sorted
as the API sorts them (date, then tokens descending, other last), token
counts as decimal strings, and a meta block whose as_of is AS_OF.

Usage: csv_to_api.py CSV AS_OF > JSON
"""

import csv
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: csv_to_api.py CSV AS_OF")
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: (r["date"], r["model_permaslug"] == "other",
                             -int(r["total_tokens"]), r["model_permaslug"]))
    out = sys.stdout
    out.write('{"data":[\n')
    for i, r in enumerate(rows):
        item = {"date": r["date"], "model_permaslug": r["model_permaslug"],
                "total_tokens": str(int(r["total_tokens"]))}
        out.write(json.dumps(item, separators=(",", ":")) + (",\n" if i + 1 < len(rows) else "\n"))
    meta = {"as_of": sys.argv[2], "start_date": rows[0]["date"],
            "end_date": rows[-1]["date"], "version": "v1"}
    out.write('],\n"meta":' + json.dumps(meta, separators=(",", ":")) + "}\n")


if __name__ == "__main__":
    main()
