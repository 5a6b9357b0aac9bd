#!/usr/bin/env python3
"""Opens an HTML report in a real headless Chromium and checks that it works.

    check_html.py REPORT.html [--screenshot OUT.png] [--pdf OUT.pdf]
                              [--min-charts N] [--max-pages N] [--require-chart NAME]...
                              [--page-footer TEXT]

Drives /usr/bin/chromium through /usr/bin/chromedriver with the W3C WebDriver HTTP API
(Python standard library only) and checks that:
  - the page loads, as UTF-8, with a title, and fetches nothing (no resource entries);
  - the browser console has no SEVERE entry (errors, CSP violations, failed loads);
  - there are at least N <svg class="chart"> (default 1), each drawn on screen, with bars
    (<rect>) whose getBBox() width is not zero;
  - each chart named by --require-chart (its data-chart attribute: trend-counts,
    trend-rate, department-rates, pareto-party) is there and drawn with a non-zero size,
    and its bars, lines and markers are rendered with a non-zero size;
  - it prints: Chromium's print to PDF on A4 gives a non-empty PDF of 1..max-pages pages
    (default 12);
  - with --page-footer, the text of every printed page (read back from the PDF: its
    content streams decoded through the fonts' ToUnicode maps) holds TEXT and its own
    number as "N/PAGES": a running footer, not a line that is printed once.
It saves a full-page screenshot (PNG) and the PDF when asked, for a human to look at.

Exit status: 0 all checks pass; 1 a check failed (each failure is printed); 77 skipped,
only when Chromium or chromedriver is not installed and LIAISON_REQUIRE_BROWSER is not set
(CI sets it, so CI never skips silently); 2 usage.
"""

import argparse
import base64
import json
import os
import pathlib
import re
import shutil
import socket
import select
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

CHROMIUM = os.environ.get("LIAISON_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("LIAISON_CHROMEDRIVER", "/usr/bin/chromedriver")
# Without the networking switches Chromium tries to reach Google's services at start-up,
# which on a machine with a closed network ends in errors and time-outs.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1000,1400",
]
A4_CM = (21.0, 29.7)
PRINT_MARGIN_CM = 1.5  # as the page's own @page rule says


class Failure(Exception):
    """A check failed or the browser could not be driven."""


def log(message):
    print(f"check_html: {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few W3C WebDriver commands we need, over plain HTTP."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def request(self, method, path, body=None, timeout=60, allow_error=False):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return json.loads(response.read().decode() or "{}").get("value")
        except urllib.error.HTTPError as e:
            payload = e.read().decode(errors="replace")
            if allow_error:
                return None
            try:
                value = json.loads(payload).get("value", {})
                payload = f"{value.get('error')}: {value.get('message', '').splitlines()[0]}"
            except (ValueError, AttributeError, IndexError):
                pass
            raise Failure(f"WebDriver {method} {path} failed ({e.code}): {payload}") from None
        except (urllib.error.URLError, OSError) as e:
            raise Failure(f"WebDriver {method} {path}: {e}") from None

    def wait_ready(self, process, output, seconds=120):
        """Returns once chromedriver says it has started (a line on its output, which it
        writes once it listens). The cap only ends a real hang; chromedriver exiting first
        is reported at once."""
        deadline = time.monotonic() + seconds
        seen = []
        buffered = b""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Failure(f"chromedriver said nothing of starting within {seconds}s: {b''.join(seen)[-400:]!r}")
            ready, _, _ = select.select([output], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(output.fileno(), 4096)
            if not chunk:
                process.wait()
                raise Failure(f"chromedriver exited with status {process.returncode} before it was ready: "
                              f"{b''.join(seen)[-400:]!r}")
            seen.append(chunk)
            buffered += chunk
            if b"started successfully" in buffered:
                return
            buffered = buffered[-100:]

    def start(self, user_data_dir):
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": CHROMIUM_ARGS + [f"--user-data-dir={user_data_dir}"]},
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        value = self.request("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}}, timeout=120)
        self.session = value["sessionId"]
        version = value.get("capabilities", {}).get("browserVersion", "?")
        log(f"Chromium {version} started (headless)")

    def cmd(self, method, path, body=None, **kwargs):
        return self.request(method, f"/session/{self.session}{path}", body, **kwargs)

    def script(self, source, *args):
        return self.cmd("POST", "/execute/sync", {"script": source, "args": list(args)})

    def cdp(self, command, params=None):
        return self.cmd("POST", "/goog/cdp/execute", {"cmd": command, "params": params or {}})

    def browser_log(self):
        """Console entries since the last call, or None when no log endpoint exists."""
        for path in ("/se/log", "/log"):
            entries = self.cmd("POST", path, {"type": "browser"}, allow_error=True)
            if entries is not None:
                return entries
        return None

    def quit(self):
        if self.session:
            self.cmd("DELETE", "", allow_error=True, timeout=30)
            self.session = None


# Records errors from the first line of the document on, for chromedrivers without a log
# endpoint (installed through DevTools, so the page's CSP does not stop it).
ERROR_HOOK = """
window.__liaisonErrors = [];
window.addEventListener('error', e => window.__liaisonErrors.push('error: ' + (e.message || 'could not load ' + ((e.target && (e.target.src || e.target.href)) || e.type))), true);
window.addEventListener('securitypolicyviolation', e => window.__liaisonErrors.push('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
const __liaisonConsoleError = console.error;
console.error = function (...args) { window.__liaisonErrors.push('console.error: ' + args.join(' ')); return __liaisonConsoleError.apply(console, args); };
"""

CHART_PROBE = """
return Array.from(document.querySelectorAll('svg.chart')).map((svg, i) => {
  const box = svg.getBoundingClientRect();
  const rects = Array.from(svg.querySelectorAll('rect'));
  return {
    index: i,
    label: svg.getAttribute('aria-label') || '',
    name: svg.getAttribute('data-chart') || '',
    shapes: Array.from(svg.querySelectorAll('rect, polyline, circle')).map(e => {
      const b = e.getBoundingClientRect();
      return [e.tagName, b.width, b.height];
    }),
    shown_width: box.width, shown_height: box.height,
    bars: rects.map(r => r.getBBox().width),
    texts: svg.querySelectorAll('text').length,
  };
});
"""

PAGE_PROBE = """
return {
  title: document.title,
  charset: document.characterSet,
  lang: document.documentElement.lang,
  scripts: document.scripts.length,
  resources: performance.getEntriesByType('resource').map(e => e.name),
  height: Math.ceil(document.documentElement.scrollHeight),
  width: Math.ceil(document.documentElement.scrollWidth),
  sections: Array.from(document.querySelectorAll('h2')).map(h => h.textContent),
  hooked: Array.isArray(window.__liaisonErrors) ? window.__liaisonErrors : null,
};
"""


def count_pdf_pages(pdf):
    """Pages of a PDF as Chromium (Skia) writes it: one '/Type /Page' object per page."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def pdf_page_texts(pdf):
    """The text of each page of a PDF as Chromium (Skia) writes it, whitespace removed:
    the hex strings its content streams show, decoded through the ToUnicode map of the
    font each is shown in. Enough for Skia's output, not a general PDF reader."""
    objects = {}
    header = re.compile(rb"(\d+) 0 obj\b")
    body_end = re.compile(rb"\bstream\r?\n|\bendobj\b")
    pos = 0
    while m := header.search(pdf, pos):
        e = body_end.search(pdf, m.end())
        if not e:
            break
        body, data, pos = pdf[m.end():e.start()], None, e.end()
        if e.group(0).startswith(b"stream"):
            # The stream's bytes by its direct /Length, so that nothing in them is parsed.
            length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", body)
            stop = e.end() + int(length.group(1)) if length else pdf.index(b"endstream", e.end())
            raw, pos = pdf[e.end():stop], stop
            data = zlib.decompressobj().decompress(raw) if b"/FlateDecode" in body else raw
        objects[int(m.group(1))] = (body, data)

    def deref(text):
        r = re.fullmatch(rb"\s*(\d+) 0 R\s*", text)
        return objects.get(int(r.group(1)), (b"", None))[0] if r else text

    cmaps = {}

    def cmap_of(font):
        if font not in cmaps:
            mapping = {}
            r = re.search(rb"/ToUnicode\s+(\d+) 0 R", objects.get(font, (b"", None))[0])
            data = objects.get(int(r.group(1)), (b"", b""))[1] if r else b""
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", data or b"", re.S):
                for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", data or b"", re.S):
                for lo, hi, dst, listed in re.findall(
                        rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])", block):
                    lo, hi = int(lo, 16), int(hi, 16)
                    if dst:
                        start = int(dst, 16)
                        for code in range(lo, hi + 1):
                            mapping[code] = chr(start + code - lo)
                    else:
                        for code, item in zip(range(lo, hi + 1), re.findall(rb"<([0-9A-Fa-f]+)>", listed)):
                            mapping[code] = bytes.fromhex(item.decode()).decode("utf-16-be", "replace")
            cmaps[font] = mapping
        return cmaps[font]

    texts = []
    for number in sorted(objects):
        body, _ = objects[number]
        if not re.search(rb"/Type\s*/Page(?![a-zA-Z])", body):
            continue
        fonts = {}
        resources = re.search(rb"/Resources\s*(\d+ 0 R|<<.*>>)", body, re.S)
        font_dict = re.search(rb"/Font\s*(\d+ 0 R|<<.*?>>)", deref(resources.group(1)) if resources else b"", re.S)
        if font_dict:
            for name, ref in re.findall(rb"/([^\s/<>]+)\s+(\d+) 0 R", deref(font_dict.group(1))):
                fonts[name] = int(ref)
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body)
        streams = [int(n) for n in re.findall(rb"(\d+) 0 R", contents.group(1))] if contents else []
        text, font = [], None
        for stream in streams:
            for m in re.finditer(rb"/([^\s/<>\[\]]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>",
                                 objects.get(stream, (b"", b""))[1] or b""):
                if m.group(1) is not None:
                    font = fonts.get(m.group(1))
                elif font is not None:
                    codes = re.sub(rb"\s", b"", m.group(2))
                    mapping = cmap_of(font)
                    text.extend(mapping.get(int(codes[i:i + 4], 16), "") for i in range(0, len(codes) - 3, 4))
        texts.append(re.sub(r"\s", "", "".join(text)))
    return texts


def check(report, args):
    failures = []
    charts = []
    url = pathlib.Path(report).resolve().as_uri()
    port = free_port()
    user_data_dir = tempfile.mkdtemp(prefix="liaison-chromium.")
    process = subprocess.Popen([CHROMEDRIVER, f"--port={port}", "--allowed-ips=127.0.0.1"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    driver = WebDriver(port)
    driver_log = drain = None
    try:
        driver.wait_ready(process, process.stdout)
        # From here on chromedriver's output goes to a log beside the profile; a thread
        # drains the pipe so that chromedriver never blocks writing to it.
        driver_log = open(os.path.join(user_data_dir, "chromedriver.log"), "wb")
        drain = threading.Thread(target=shutil.copyfileobj, args=(process.stdout, driver_log), daemon=True)
        drain.start()
        driver.start(os.path.join(user_data_dir, "profile"))

        # Also hook errors from inside the page, in case the log endpoint is missing.
        hooked = True
        try:
            driver.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": ERROR_HOOK})
        except Failure:
            hooked = False

        driver.cmd("POST", "/url", {"url": url}, timeout=120)
        page = driver.script(PAGE_PROBE)
        log(f"loaded {url}: title {page['title']!r}, lang {page['lang']!r}, "
            f"{len(page['sections'])} sections, {page['width']}x{page['height']} px")

        if not page["title"]:
            failures.append("the page has no <title>")
        if page["charset"] != "UTF-8":
            failures.append(f"the page is read as {page['charset']}, not UTF-8")
        if page["resources"]:
            failures.append(f"the page fetched {len(page['resources'])} resource(s): {page['resources'][:5]}")
        if page["scripts"]:
            log(f"note: the page has {page['scripts']} <script> element(s)")

        entries = driver.browser_log()
        if entries is None and not hooked:
            failures.append("cannot read the browser console: no log endpoint and no DevTools hook")
        for entry in entries or []:
            level = entry.get("level", "")
            message = entry.get("message", "")
            log(f"console {level}: {message}")
            if level == "SEVERE":
                failures.append(f"console error: {message}")
        for message in page["hooked"] or []:
            failures.append(f"page error: {message}")
        log("console: " + ("no entries" if not entries and not page["hooked"] else
                           f"{len(entries or [])} log entr(ies), {len(page['hooked'] or [])} hooked error(s)")
            + (" (read through " + ("the log endpoint" if entries is not None else "the DevTools hook") + ")"))

        charts = driver.script(CHART_PROBE)
        if len(charts) < args.min_charts:
            failures.append(f"{len(charts)} chart(s) drawn, expected at least {args.min_charts}")
        for chart in charts:
            name = f"chart {chart['index'] + 1} ({chart['label']})"
            if chart["shown_width"] <= 0 or chart["shown_height"] <= 0:
                failures.append(f"{name} takes no space on the page")
            if not chart["bars"]:
                failures.append(f"{name} has no bars")
            elif any(w <= 0 for w in chart["bars"]):
                failures.append(f"{name} has a bar of zero width: {chart['bars']}")
            if chart["texts"] == 0:
                failures.append(f"{name} has no labels")
        log(f"charts: {len(charts)} drawn, bars per chart {[len(c['bars']) for c in charts]}")
        for name in args.require_chart:
            found = [c for c in charts if c["name"] == name]
            if not found:
                failures.append(f"no chart {name!r} (data-chart) on the page")
                continue
            chart = found[0]
            # A rect or circle needs both sides; a line only a length (it may be level).
            flat = [s for s in chart["shapes"]
                    if (s[1] <= 0 and s[2] <= 0) or (s[0].lower() != "polyline" and (s[1] <= 0 or s[2] <= 0))]
            if flat:
                failures.append(f"chart {name!r} has shapes rendered with no size: {flat[:5]}")
            log(f"chart {name!r}: {chart['shown_width']:.0f}x{chart['shown_height']:.0f} px, "
                f"{len(chart['shapes'])} shapes drawn")

        if args.screenshot:
            # Make the viewport as tall as the page so the screenshot shows all of it (the
            # window's frame takes some of its height: measure, then grow by the rest).
            height = min(max(page["height"], 600), 16000)
            for _ in range(3):
                driver.cmd("POST", "/window/rect", {"width": 1000, "height": height})
                inner = driver.script("return window.innerHeight;")
                if inner >= min(page["height"], 16000):
                    break
                height += page["height"] - inner
            png = base64.b64decode(driver.cmd("GET", "/screenshot"))
            if not png.startswith(b"\x89PNG"):
                failures.append("the screenshot is not a PNG")
            pathlib.Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
            pathlib.Path(args.screenshot).write_bytes(png)
            log(f"screenshot: {args.screenshot} ({len(png)} bytes)")

        pdf = base64.b64decode(driver.cmd("POST", "/print", {
            "page": {"width": A4_CM[0], "height": A4_CM[1]},
            "margin": {side: PRINT_MARGIN_CM for side in ("top", "bottom", "left", "right")},
            "background": True,
        }, timeout=120))
        pages = count_pdf_pages(pdf)
        if not pdf.startswith(b"%PDF-") or len(pdf) < 1000:
            failures.append(f"printing gave no usable PDF ({len(pdf)} bytes)")
        elif pages < 1 or pages > args.max_pages:
            failures.append(f"the printed PDF has {pages} pages, expected 1 to {args.max_pages}")
        log(f"print: A4 PDF, {pages} page(s), {len(pdf)} bytes")
        if args.page_footer:
            footer = re.sub(r"\s", "", args.page_footer)
            texts = pdf_page_texts(pdf)
            if len(texts) != pages or not any(texts):
                failures.append(f"cannot read the text of the printed pages ({len(texts)} of {pages} read)")
            for i, text in enumerate(texts, 1):
                if footer not in text or f"{i}/{len(texts)}" not in text:
                    failures.append(f"printed page {i} of {len(texts)} lacks the footer {args.page_footer!r} "
                                    f"with '{i}/{len(texts)}': {text[-80:]!r}")
            log(f"print: {args.page_footer!r} and the page's number read back from each of {len(texts)} page(s)")
        if args.pdf:
            pathlib.Path(args.pdf).parent.mkdir(parents=True, exist_ok=True)
            pathlib.Path(args.pdf).write_bytes(pdf)
            log(f"pdf: {args.pdf}")
    finally:
        try:
            driver.quit()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if drain is not None:
                drain.join(timeout=60)  # only a real hang (a browser holding the pipe) waits this long
                driver_log.close()
            if failures or os.environ.get("LIAISON_KEEP_PROFILE"):
                log(f"chromedriver log kept in {user_data_dir}/chromedriver.log")
            else:
                shutil.rmtree(user_data_dir, ignore_errors=True)
    return failures, len(charts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="the HTML file to open")
    parser.add_argument("--screenshot", help="save a full-page PNG screenshot here")
    parser.add_argument("--pdf", help="save the printed A4 PDF here")
    parser.add_argument("--min-charts", type=int, default=1, help="fail with fewer charts (default 1)")
    parser.add_argument("--max-pages", type=int, default=12, help="fail when it prints on more A4 pages (default 12)")
    parser.add_argument("--require-chart", action="append", default=[], metavar="NAME",
                        help="fail unless the chart with data-chart=NAME is drawn with a non-zero size")
    parser.add_argument("--page-footer", metavar="TEXT",
                        help="fail unless every printed page shows TEXT and its own number as N/PAGES")
    args = parser.parse_args()

    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        message = f"{' and '.join(missing)} not installed (Debian: apt-get install chromium chromium-driver)"
        if os.environ.get("LIAISON_REQUIRE_BROWSER"):
            log(f"FAIL: {message}, and LIAISON_REQUIRE_BROWSER is set")
            return 1
        log(f"SKIP: {message}")
        return 77
    if not os.path.isfile(args.report):
        log(f"FAIL: {args.report}: no such file")
        return 2

    try:
        failures, charts = check(args.report, args)
    except Failure as e:
        failures, charts = [str(e)], 0
    for failure in failures:
        log(f"FAIL: {failure}")
    if failures:
        return 1
    log(f"ok: loads without console errors, {charts} chart(s) drawn, prints on A4")
    return 0


if __name__ == "__main__":
    sys.exit(main())
