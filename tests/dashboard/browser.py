#!/usr/bin/python3
"""Opens dashboards (tokstat dashboard's HTML pages) in Debian's Chromium,
headless, and checks what a reader gets, at a phone's width (390 px) and a
desktop's (1280 px), in light and in dark mode:

- no request leaves for anywhere but the page's own file (the browser runs
  with its network pointed at nothing, and every request it makes is
  listed through the DevTools protocol);
- no console message, no exception, no Content-Security-Policy report;
- the sections and the chart are there (ids, one <svg> with a bar per
  week; the apps section and its rows when the page has app rankings),
  no <script>, <img>, <link>, <iframe>, no attribute that loads
  anything; the page fits the phone's width (only tables scroll inside
  their boxes) and the viewport meta is honoured;
- the colour scheme follows prefers-color-scheme;
- a screenshot of the whole page (in light mode) is as wide as the window
  and as tall as the page; screenshots are not blank: the chart's region
  holds the colour of every chart segment class the page uses, and the
  page many colours in all.

The DevTools protocol runs over --remote-debugging-pipe (file descriptors 3
and 4, messages ended by NUL): no port is opened. Python's standard library
only; PNGs are decoded with zlib and struct.

Usage: browser.py CHROMIUM PAGE.html[:EXPECT] ... [--save PAGE.html=OUT.png]
EXPECT is a comma-separated list of checks beyond the common ones:
  prices          the page has a prices section (else it must not)
  apps=N          the page has an apps section whose table has N rows, as
                  high as it has content and inside the window (else the
                  page must have no apps section)
  weeks=N         the chart has N weekly bars or marks
  text=STRING     the page's visible text contains STRING (may repeat;
                  STRING may not hold ',')
  nodata          the page says there is no data (no chart sections)
  view=W-SCHEME   only this view (390-light, 390-dark, 1280-light or
                  1280-dark; may repeat), else all four
  fail=WORDS      the page must fail a check whose message holds WORDS
                  (a check of the checks)
--save writes the desktop light screenshot of PAGE.html to OUT.png.
"""
import base64
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

TIMEOUT = 30  # seconds for any one answer of the browser


class Browser:
    """A headless Chromium driven through the DevTools protocol on a pipe."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="tokstat-chromium-")
        cmd_r, self.cmd_w = os.pipe()
        self.res_r, res_w = os.pipe()

        def child_fds():
            a, b = os.dup(cmd_r), os.dup(res_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [
            chromium, "--headless", "--remote-debugging-pipe", "--no-sandbox",
            "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--mute-audio",
            # The network goes nowhere: a proxy on the discard port and a
            # resolver that finds no name.
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=" + self.profile, "about:blank",
        ]
        self.proc = subprocess.Popen(args, preexec_fn=child_fds, pass_fds=(3, 4),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(res_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:  # it may be gone already
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.res_r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.res_r], [], [], left)[0]:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self.res_r, 1 << 20)
            if not chunk:
                raise EOFError("the browser closed its pipe (did it start?)")
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method):
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method:
                    del self.events[i]
                    return e
            self.events.append(self._read_message(deadline))

    def open_tab(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        att = self.call("Target.attachToTarget",
                        {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = att["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")

    def evaluate(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError("evaluating %s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")


# ---- PNG ----

def png_decode(data):
    """(width, height, rows of RGB(A) bytes, bytes per pixel) of an 8-bit
    truecolour PNG (what Chromium writes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    if depth != 8 or colour not in (2, 6):
        raise ValueError("PNG of depth %d, colour type %d" % (depth, colour))
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        if f == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif f == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif f == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + (left + prev[x]) // 2) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def colours(rows, bpp):
    seen = set()
    for row in rows:
        for x in range(0, len(row), bpp):
            seen.add(row[x:x + 3])
    return seen


def hex_rgb(css):
    """'rgb(0, 114, 178)' -> b'\\x00\\x72\\xb2'."""
    nums = css[css.index("(") + 1:css.index(")")].split(",")
    return bytes(int(float(v)) for v in nums[:3])


# ---- the checks ----

DOM_FACTS = r"""(() => {
  const q = (s) => document.querySelectorAll(s).length;
  const loading = [...document.querySelectorAll('*')].filter(e =>
      e.hasAttribute('src') || e.hasAttribute('srcset') || e.hasAttribute('poster') ||
      e.hasAttribute('action') || e.hasAttribute('data') ||
      ((e.hasAttribute('href') || e.hasAttribute('xlink:href')) &&
       !(e.getAttribute('href') || e.getAttribute('xlink:href') || '').startsWith('#')) ||
      /url\(/.test(e.getAttribute('style') || '')).map(e => e.outerHTML.slice(0, 80));
  const apps = document.querySelector('section#apps');
  const ar = apps ? apps.getBoundingClientRect() : null;
  const svg = document.querySelector('section#share svg.bars');
  const r = svg ? svg.getBoundingClientRect() : null;
  // The colour of each segment class drawn at least 3 px tall somewhere
  // (a thinner one is all edge, blended with its neighbours).
  const fills = {};
  document.querySelectorAll('svg.bars rect.seg').forEach(e => {
    if (e.getBoundingClientRect().height >= 3)
      e.classList.forEach(c => { if (c !== 'seg') fills[c] = getComputedStyle(e).fill; });
  });
  return {
    sections: [...document.querySelectorAll('section')].map(s => s.id),
    scripts: q('script'), imgs: q('img'), links: q('link'), frames: q('iframe,frame,object,embed'),
    loading: loading,
    svgs: q('svg'), bars: q('svg.bars'), weeks: q('svg.bars g.week'),
    nodata_marks: q('svg.bars text.nodata'), segs: q('svg.bars rect.seg'), fills: fills,
    tables: q('table'), viewport: q('meta[name=viewport]'),
    apps_rows: apps ? apps.querySelectorAll('table tbody tr').length : -1,
    apps_box: ar ? {left: ar.left, right: ar.right, h: ar.height} : null,
    csp: (document.querySelector('meta[http-equiv=Content-Security-Policy]') || {}).content || '',
    inner: window.innerWidth, scroll: document.documentElement.scrollWidth,
    height: Math.ceil(document.documentElement.scrollHeight),
    chart: r ? {x: r.x + window.scrollX, y: r.y + window.scrollY, w: r.width, h: r.height} : null,
    bg: getComputedStyle(document.body).backgroundColor,
    fg: getComputedStyle(document.body).color,
    text: document.body.innerText,
  };
})()"""

COMMON_SECTIONS = ["share", "growth", "top", "weeks"]


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def brightness(css):
    return sum(hex_rgb(css))


def view(b, url, width, dark, expect, save=None):
    """Loads url at width in one colour scheme and checks it; returns a note."""
    b.events = []
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    b.call("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
    b.call("Page.navigate", {"url": url})
    b.wait_event("Page.loadEventFired")
    facts = b.evaluate(DOM_FACTS)
    where = "%s at %d px, %s" % (os.path.basename(url), width, "dark" if dark else "light")

    # Nothing but the page itself was asked for; nothing was said.
    requests = [e["params"]["request"]["url"] for e in b.events
                if e["method"] == "Network.requestWillBeSent"]
    check(requests == [url], "%s: requests %s (expected only the page)" % (where, requests))
    said = [e for e in b.events if e["method"] in
            ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")]
    check(not said, "%s: console: %s" % (where, json.dumps(said)[:2000]))

    # What the page holds.
    check(facts["scripts"] == 0 and facts["imgs"] == 0 and facts["links"] == 0 and
          facts["frames"] == 0, "%s: scripts, images, links or frames: %s" % (where, facts))
    check(facts["loading"] == [], "%s: attributes that load: %s" % (where, facts["loading"]))
    check("default-src 'none'" in facts["csp"], "%s: no Content-Security-Policy" % where)
    check(facts["viewport"] == 1, "%s: no viewport meta" % where)
    check(facts["inner"] == width, "%s: the layout is %d px wide, not the window's %d (viewport)"
          % (where, facts["inner"], width))
    check(facts["scroll"] <= width, "%s: the page is %d px wide in a %d px window"
          % (where, facts["scroll"], width))
    if "nodata" in expect:
        check("No data in these weeks." in facts["text"], "%s: no word of no data" % where)
        check("weeks" in facts["sections"], "%s: sections %s" % (where, facts["sections"]))
    else:
        for s in COMMON_SECTIONS:
            check(s in facts["sections"], "%s: no section #%s in %s" % (where, s, facts["sections"]))
        check(("prices" in facts["sections"]) == ("prices" in expect),
              "%s: sections %s (prices expected: %s)" % (where, facts["sections"],
                                                        "prices" in expect))
        check(facts["bars"] == 1 and facts["segs"] > 0, "%s: no chart: %s" % (where, facts))
    check(("apps" in facts["sections"]) == ("apps" in expect),
          "%s: sections %s (apps expected: %s)" % (where, facts["sections"], "apps" in expect))
    if "apps" in expect:
        box = facts["apps_box"]
        check(facts["apps_rows"] == int(expect["apps"]), "%s: the apps table has %d rows, expected %s"
              % (where, facts["apps_rows"], expect["apps"]))
        check(box["h"] > 40 and box["left"] >= 0 and box["right"] <= width,
              "%s: the apps section is at %s in a %d px window" % (where, box, width))
    if "weeks" in expect:
        n = facts["weeks"] + facts["nodata_marks"]
        check(n == int(expect["weeks"]), "%s: %d weeks drawn, expected %s"
              % (where, n, expect["weeks"]))
    for t in expect.get("text", []):
        check(t in facts["text"], "%s: the text %r is not on the page" % (where, t))

    # The colour scheme.
    dark_bg = brightness(facts["bg"]) < 3 * 80
    check(dark_bg == dark, "%s: background %s, text %s" % (where, facts["bg"], facts["fg"]))
    check((brightness(facts["fg"]) > 3 * 128) == dark, "%s: text colour %s" % (where, facts["fg"]))

    # A screenshot of the whole page (light mode: a second would only take
    # the time to encode it).
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": facts["height"], "deviceScaleFactor": 1,
            "mobile": width < 600})
    note = "page %dx%d" % (width, facts["height"])
    if not dark:
        shot = base64.b64decode(b.call("Page.captureScreenshot", {"format": "png"})["data"])
        w, h = png_size(shot)
        check(w == width and h == facts["height"], "%s: screenshot %dx%d, page %dx%d"
              % (where, w, h, width, facts["height"]))
        if save:
            with open(save, "wb") as f:
                f.write(shot)
        note = "screenshot %dx%d" % (w, h)
    if facts["chart"]:
        c = facts["chart"]
        clip = {"x": c["x"], "y": c["y"], "width": c["w"], "height": c["h"], "scale": 1}
        part = base64.b64decode(b.call("Page.captureScreenshot",
                                       {"format": "png", "clip": clip})["data"])
        _, _, rows, bpp = png_decode(part)
        seen = colours(rows, bpp)
        for cls, fill in sorted(facts["fills"].items()):
            check(hex_rgb(fill) in seen, "%s: the chart shows no %s (%s) in its screenshot"
                  % (where, cls, fill))
        check(len(seen) >= 8, "%s: the chart's screenshot has %d colours" % (where, len(seen)))
        note += ", chart %d colours" % len(seen)
    _, _, rows, bpp = png_decode(base64.b64decode(b.call(
        "Page.captureScreenshot",
        {"format": "png", "clip": {"x": 0, "y": 0, "width": width, "height": facts["height"],
                                   "scale": 0.25}})["data"]))
    seen = colours(rows, bpp)
    check(len(seen) >= 16, "%s: the page's screenshot has %d colours: blank?" % (where, len(seen)))
    return note + ", page %d colours (quarter scale)" % len(seen)


def parse_expect(spec):
    expect = {}
    for part in spec.split(","):
        if not part:
            continue
        key, _, value = part.partition("=")
        if key in ("text", "view"):
            expect.setdefault(key, []).append(value)
        else:
            expect[key] = value
    return expect


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    chromium, pages, saves = argv[1], [], {}
    args = argv[2:]
    while args:
        a = args.pop(0)
        if a == "--save":
            page, _, out = args.pop(0).partition("=")
            saves[os.path.abspath(page)] = out
        else:
            path, _, spec = a.partition(":")
            pages.append((os.path.abspath(path), parse_expect(spec)))
    b = Browser(chromium)
    failed = 0
    try:
        b.open_tab()
        for path, expect in pages:
            url = "file://" + path
            views = expect.get("view", ["390-light", "390-dark", "1280-light", "1280-dark"])
            for v in views:
                width, dark = int(v.split("-")[0]), v.endswith("dark")
                save = saves.get(path) if width == 1280 and not dark else None
                try:
                    note = view(b, url, width, dark, expect, save)
                    if "fail" in expect:
                        print("FAIL %s at %s passed, expected to fail with %r"
                              % (os.path.basename(path), v, expect["fail"]))
                        failed += 1
                    else:
                        print("ok   %s at %s: %s" % (os.path.basename(path), v, note))
                except Failure as e:
                    if "fail" in expect and expect["fail"] in str(e):
                        print("ok   %s at %s fails as it should: %s"
                              % (os.path.basename(path), v, str(e)[:300]))
                    else:
                        print("FAIL %s" % e)
                        failed += 1
    finally:
        b.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
