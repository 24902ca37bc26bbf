#!/usr/bin/env python3
"""A scripted stand-in for OpenRouter's API, on 127.0.0.1, for tests/fetch/fetch.sh.

Usage: server.py SCENARIO LOG PORT_FILE

SCENARIO is a JSON list of responses, served one per request in order; the
last one is served again for every request after it. A response is an
object with any of:

  "status": 200              the HTTP status (default 200)
  "headers": {"K": "V"}      extra headers (Content-Type is application/json
                             unless given here)
  "body": "text"             the body as given
  "json": {...}              the body as this JSON
  "file": "path"             the body is this file's bytes
  "rankings": "path"         a Data API rankings-daily answer: the rows of
                             this file (a rankings-daily document) whose
                             date is within the request's start_date and
                             end_date, with meta as the API gives it
  "synthetic": true          with "rankings": also rows for every day of
                             the window the file has none for (two models
                             and other, tokens derived from the date)
  "apps": ["path", ...]      a Data API app-rankings answer: the apps of
                             the file (an app-rankings document of one
                             week) whose meta has the request's start_date
                             and end_date, ranked by tokens, ranks
                             absolute, the request's offset and limit
                             (default 0 and 100) applied; no apps for a
                             week no file has
  "synthetic_apps": N        with "apps": N made-up apps for a week no
                             file has (tokens derived from the date)
  "delay": 1.5               seconds to wait before answering
  "cut": 100                 send only this many bytes of the body, with the
                             Content-Length of all of it, then close

Each request is appended to LOG as one line, tab-separated: the time
(seconds, monotonic), the path, the query string, and the Authorization
header ("-" when absent). The chosen port is written to PORT_FILE (a free
port, picked by the system) once the server listens. No package beyond
Python's standard library is needed.
"""

import datetime
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def synthetic_rows(day):
    """Rows for a day the fixture does not have: stable, made up."""
    n = day.toordinal() % 1000
    return [
        {"date": day.isoformat(), "model_permaslug": "deepseek/deepseek-chat",
         "total_tokens": str(10_000_000_000 + n * 1_000_000)},
        {"date": day.isoformat(), "model_permaslug": "anthropic/claude-3.5-sonnet",
         "total_tokens": str(20_000_000_000 + n * 2_000_000)},
        {"date": day.isoformat(), "model_permaslug": "other",
         "total_tokens": str(5_000_000_000 + n * 3_000_000)},
    ]


def rankings_body(spec, query, base):
    with open(os.path.join(base, spec["rankings"]), encoding="utf-8") as f:
        doc = json.load(f)
    start = query.get("start_date", ["2025-01-01"])[0]
    end = query.get("end_date", [start])[0]
    rows = [r for r in doc["data"] if start <= r["date"] <= end]
    if spec.get("synthetic"):
        have = {r["date"] for r in doc["data"]}
        day = datetime.date.fromisoformat(start)
        last = datetime.date.fromisoformat(end)
        while day <= last:
            if day.isoformat() not in have:
                rows.extend(synthetic_rows(day))
            day += datetime.timedelta(days=1)
    meta = dict(doc.get("meta", {}))
    meta.update({"start_date": start, "end_date": end, "version": "v1"})
    meta.setdefault("as_of", "2026-10-10T00:00:00Z")
    return json.dumps({"data": rows, "meta": meta}).encode()


def apps_body(spec, query, base):
    start = query.get("start_date", [""])[0]
    end = query.get("end_date", [""])[0]
    limit = int(query.get("limit", ["100"])[0])
    offset = int(query.get("offset", ["0"])[0])
    rows, as_of = None, "2026-10-10T00:00:00Z"
    for path in spec["apps"]:
        with open(os.path.join(base, path), encoding="utf-8") as f:
            doc = json.load(f)
        meta = doc.get("meta", {})
        if meta.get("start_date") == start and meta.get("end_date") == end:
            rows, as_of = [dict(r) for r in doc["data"]], meta.get("as_of", as_of)
    if rows is None:
        rows = []
        n = datetime.date.fromisoformat(start).toordinal() % 1000 if start else 0
        for i in range(spec.get("synthetic_apps", 0)):
            rows.append({"app_id": 9000 + i, "app_name": "Made-up app %d" % (i + 1),
                         "total_requests": 1000 + i, "total_tokens": str((500 - i) * 1_000_000 + n)})
    rows.sort(key=lambda r: -int(r["total_tokens"]))
    for i, r in enumerate(rows):
        r["rank"] = i + 1
    meta = {"as_of": as_of, "start_date": start, "end_date": end, "version": "v1"}
    return json.dumps({"data": rows[offset:offset + limit], "meta": meta}).encode()


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-openrouter/1"

    def log_message(self, fmt, *args):  # quiet: the LOG file is the record
        pass

    def do_GET(self):
        srv = self.server
        url = urlsplit(self.path)
        with srv.lock:
            with open(srv.log, "a", encoding="utf-8") as log:
                log.write("%.3f\t%s\t%s\t%s\n" % (time.monotonic(), url.path, url.query,
                                                  self.headers.get("Authorization", "-")))
            spec = srv.responses[min(srv.count, len(srv.responses) - 1)]
            srv.count += 1
        if spec.get("delay"):
            time.sleep(spec["delay"])
        if "json" in spec:
            body = json.dumps(spec["json"]).encode()
        elif "file" in spec:
            with open(os.path.join(srv.base, spec["file"]), "rb") as f:
                body = f.read()
        elif "rankings" in spec:
            body = rankings_body(spec, parse_qs(url.query), srv.base)
        elif "apps" in spec:
            body = apps_body(spec, parse_qs(url.query), srv.base)
        else:
            body = spec.get("body", "").encode()
        headers = {"Content-Type": "application/json"}
        headers.update(spec.get("headers", {}))
        try:
            self.send_response(spec.get("status", 200))
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:spec["cut"]] if "cut" in spec else body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): nothing to do
        if "cut" in spec:
            self.close_connection = True


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: server.py SCENARIO LOG PORT_FILE")
    scenario, log, port_file = sys.argv[1:]
    with open(scenario, encoding="utf-8") as f:
        responses = json.load(f)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.responses = responses
    srv.count = 0
    srv.lock = threading.Lock()
    srv.log = log
    srv.base = os.path.dirname(os.path.abspath(scenario))
    open(log, "w").close()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
