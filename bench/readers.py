"""Readers at district scale (issue 21): what a phone waits for and downloads.

    PYTHONPATH=ext:. python -m bench.readers [--n 200 1000] [--search-n 5000] [--runs 3]

For each N, the synthetic district (``bench/portal.py``: units, roll-ups, five
years, an agency page per unit) is built twice: as the project builds it
(the site's own search index, light pages) and the same site as it was before issue 21:
Sphinx's built-in search (``govreport_search = "sphinx"``) and the whole theme
(``govreport_light_pages = 0``). Both are served over HTTP and opened in
Chromium (/usr/bin/chromium) emulating a mid-range phone: 390 px wide, CPU 4×
slower (CDP ``Emulation.setCPUThrottlingRate``), 1.6 Mbit/s down, 150 ms round
trip (``Network.emulateNetworkConditions``), cold cache (a new browser context,
so an empty cache, per load). Printed per page: first contentful paint (median of
``--runs``) and the bytes transferred (uncompressed: the server does not
compress; counted by the server, so a Web Worker's requests are counted too:
the page's DevTools session does not see them); for a search
(search.html?q=行政复议): the time from navigation to the frame after the first
result is put in the page (taken in the page) and the bytes received by then.
Also each build's time, the search index's size and the time to write it.
``--search-n 5000`` measures searches alone on a district of that size (this
project's edition only: the baseline's whole-site index is what issue 21 removed).

Figures, not assertions: the targets (issue 21, at N=1000: every page paints
within 1.2 s and moves at most 150 KB; a search shows its first result within
1.5 s after at most 150 KB) are printed beside them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import portal

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "readers"
CHROMIUM = Path(os.environ.get("GOVREPORT_CHROMIUM", "/usr/bin/chromium"))
QUERY = "行政复议"
# The emulated phone (issue 21's table): Chrome's "mid-tier mobile" network, CPU 4× slower.
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
TARGET_FCP, TARGET_KB, TARGET_SEARCH = 1.2, 150, 1.5


@dataclass
class Load:
    seconds: float  # first contentful paint, or the first search result
    kb: float  # transferred by then (a search) or in all (a page)


@dataclass
class Edition:
    name: str
    out: Path
    build_seconds: float
    index_kb: float  # the search index, whole (searchindex.js, or the site's _search/)
    index_files: int


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "ext"), str(REPO)]))


def build(root: Path, search: str, jobs: int) -> Edition:
    out = root / "_build" / f"html-{search}"
    cmd = [sys.executable, "-m", "sphinx", "-q", "-E", "-c", str(root), "-b", "html", "-j", str(jobs),
           "-D", "govreport_publish=passing", "-D", f"govreport_search={search}",
           # the baseline is the site as it was: Sphinx's search and the whole theme (icon font, Bootstrap, every stylesheet)
           "-D", f"govreport_light_pages={int(search == 'site')}",
           "-d", str(root / "_build" / f"doctrees-{search}"), str(root / "docs"), str(out)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    return Edition(search, out, seconds, *_index_size(out, search))


def _index_size(out: Path, search: str) -> tuple[float, int]:
    """KB and files of the search index (the site's _search/, or searchindex.js)."""
    files = [p for p in (out / "_search").rglob("*") if p.is_file()] if search == "site" else [out / "searchindex.js"]
    return sum(p.stat().st_size for p in files) / 1024, len(files)


def index_seconds(root: Path) -> float:
    """The site's search index alone, written again from the build's page records (into a scratch folder)."""
    import tempfile

    from govreport.web.sitesearch import Page, write_index

    records = sorted((root / "_build" / "doctrees-site" / "govreport-search" / "html").rglob("*.json"))
    start = time.perf_counter()
    pages = [Page.from_json(json.loads(p.read_text(encoding="utf-8"))) for p in records]
    with tempfile.TemporaryDirectory(prefix="govreport-index-") as tmp:
        write_index(pages, Path(tmp))
    return time.perf_counter() - start


class Sent:
    """What a server sent: per response, its request target (path and query) and its bytes (headers and body)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the server answers each request in its own thread
        self._responses: list[tuple[str, int]] = []

    def add(self, target: str, size: int) -> None:
        with self._lock:
            self._responses.append((target, size))

    def mark(self) -> int:
        with self._lock:
            return len(self._responses)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self._lock:
            return self._responses[mark:]


class _Tally:
    """A response stream that adds what is written to it to ``count[0]``."""

    def __init__(self, stream: Any, count: list[int]) -> None:
        self._stream, self._count = stream, count

    def write(self, data: bytes) -> int:
        self._count[0] += len(data)
        return int(self._stream.write(data))

    def __getattr__(self, name: str) -> Any:  # flush, close, closed
        return getattr(self._stream, name)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    sent: Sent | None = None  # a subclass per server sets it (``served``)

    def setup(self) -> None:
        super().setup()
        self._count = [0]
        self.wfile = _Tally(self.wfile, self._count)  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        # HTTP/1.0 (the handler's default): one request per connection, so one response.
        try:
            super().handle()
        except ConnectionError:
            pass
        finally:
            target = vars(self).get("path")  # not there when the request line could not be read
            if self.sent is not None and isinstance(target, str):
                self.sent.add(target, self._count[0])


@contextmanager
def served(folder: Path, sent: Sent | None = None) -> Iterator[str]:
    """``folder`` over HTTP; with ``sent``, every response is recorded there."""
    handler = type("_Counted", (_Quiet,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _received(responses: list[tuple[str, int]], urls: list[str]) -> int:
    """The bytes of ``responses`` whose request is among ``urls`` (each response counted once)."""
    wanted = Counter(urllib.parse.urlsplit(u)._replace(scheme="", netloc="", fragment="").geturl() for u in urls)
    total = 0
    for target, size in responses:
        if wanted[target] > 0:
            wanted[target] -= 1
            total += size
    return total


def load(browser: Any, url: str, sent: Sent, result: str | None = None) -> Load:
    """One cold load on the emulated phone: FCP and every byte, or (``result``: a
    CSS selector) the time to that element and the bytes received by then.

    Bytes are counted by the server (``sent``, of the server of ``url``): a Web
    Worker's requests (a search engine may fetch its index from one) are not seen by the
    page's DevTools session. "By then" is the responses whose last byte reached
    the browser before the element appeared (Playwright's request timing, which
    covers workers), not those still on their way over the slow network."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")  # cold: a new context has an empty cache (not disabled: a page may reuse what it preloaded)
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        ended: list[tuple[str, float]] = []  # (url, when its response ended, ms since the epoch)
        context.on("requestfinished", lambda r: ended.append((r.url, r.timing["startTime"] + max(0.0, r.timing["responseEnd"]))))
        if result is not None:
            # When the result is put in the page (the frame after it), taken in the page: Playwright's
            # polling for the selector would add its own delay, more on a CPU 4× slower.
            page.add_init_script("window.__govFirst = null; new MutationObserver((_, obs) => {"
                                 f" if (document.querySelector({json.dumps(result)})) {{ obs.disconnect();"
                                 " requestAnimationFrame(() => requestAnimationFrame(() => { window.__govFirst = performance.now(); })); } })"
                                 ".observe(document, { childList: true, subtree: true });")
        mark = sent.mark()
        page.goto(url, wait_until="commit", timeout=120_000)
        if result is not None:
            page.wait_for_function("window.__govFirst !== null", timeout=120_000)
            now = page.evaluate("[window.__govFirst, performance.timeOrigin + window.__govFirst]")
            # Let the events of what ended before now arrive (not networkidle: Sphinx's search goes on
            # fetching every result's page for its summary, hundreds of them).
            page.wait_for_timeout(1000)
            by_then = [u for u, end in ended if end <= float(now[1])]
            return Load(float(now[0]) / 1000, _received(sent.since(mark), by_then) / 1024)
        page.wait_for_load_state("load", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
        return Load(float(fcp or 0) / 1000, sum(size for _, size in sent.since(mark)) / 1024)
    finally:
        context.close()


def pages_of(p: portal.Portal) -> dict[str, str]:
    """The pages measured: the index, a town's report, the roll-up's, an agency page (latest year)."""
    year = max(p.district.years)
    town = next(u.slug for u in p.district.units if not u.rollup and u.in_rollup)
    rollup = p.rollups[0]
    return {"首页（单位目录）": "index.html", "一份报告": f"{town}/{year}.html", "汇总报告": f"{rollup}/{year}.html",
            "机构历年页": f"agency-{town}.html"}


def measure(browser: Any, ed: Edition, pages: dict[str, str], runs: int) -> dict[str, Load]:
    got: dict[str, Load] = {}
    sent = Sent()
    with served(ed.out, sent) as base:
        for what, path in [*pages.items(), (f"搜索“{QUERY}”至第一条结果", f"search.html?q={QUERY}")]:
            result = "#search-results ul.search li" if path.startswith("search.html") else None
            loads = [load(browser, base + path, sent, result) for _ in range(runs)]
            got[what] = Load(statistics.median(x.seconds for x in loads), statistics.median(x.kb for x in loads))
    return got


def rows_for(n: int, runs: int, jobs: int, seed: int = 1, reuse: bool = False,
             reuse_baseline: bool = False) -> list[tuple[str, str, str, bool | None]]:
    """(what, result, target, met) for a district of about ``n`` reports."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        raise SystemExit(f"没有 Chromium（{CHROMIUM}）：apt-get install chromium（tools/ensure-system.sh --test）")
    if reuse and (WORK / f"district-{n}" / "_build" / "html-sphinx" / "index.html").is_file():
        # measure again the sites the last run built (the build rows then say so)
        root = WORK / f"district-{n}"
        p = portal.generate(WORK / f"district-{n}-units", n, seed)  # the same units and years, for the page names
        p.root = root
        eds = [Edition(s, root / "_build" / f"html-{s}", 0.0, *_index_size(root / "_build" / f"html-{s}", s)) for s in ("site", "sphinx")]
        index_alone = index_seconds(root)
    elif reuse_baseline and (WORK / f"district-{n}" / "_build" / "html-sphinx" / "index.html").is_file():
        # this project's edition built again from the same district; the baseline's as the last run built it
        root = WORK / f"district-{n}"
        p = portal.generate(WORK / f"district-{n}-units", n, seed)
        p.root = root
        base = root / "_build" / "html-sphinx"
        eds = [build(root, "site", jobs), Edition("sphinx", base, 0.0, *_index_size(base, "sphinx"))]
        index_alone = index_seconds(root)
    else:
        p = portal.generate(WORK / f"district-{n}", n, seed)
        eds = [build(p.root, "site", jobs), build(p.root, "sphinx", jobs)]
        index_alone = index_seconds(p.root)
    pages = pages_of(p)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            got = {ed.name: measure(browser, ed, pages, runs) for ed in eds}
        finally:
            browser.close()
    big = n >= 1000
    rows: list[tuple[str, str, str, bool | None]] = []
    for what in got["site"]:
        ours, then = got["site"][what], got["sphinx"][what]
        search = what.startswith("搜索")
        limit = TARGET_SEARCH if search else TARGET_FCP
        ok = (ours.seconds <= limit and ours.kb <= TARGET_KB) if big else None
        label = "首个结果" if search else "首次内容绘制"
        rows.append((f"N={p.reports} {what}：{label}、传输量（本项目｜原做法：Sphinx 自带搜索、完整主题）",
                     f"{ours.seconds:.2f} s、{ours.kb:.0f} KB｜{then.seconds:.2f} s、{then.kb:.0f} KB",
                     f"≤ {limit} s、≤ {TARGET_KB} KB" if big else "", ok))
    rows.append((f"N={p.reports} 搜索索引总大小（本项目 _search/｜searchindex.js）",
                 f"{eds[0].index_kb:.0f} KB，{eds[0].index_files} 个文件｜{eds[1].index_kb:.0f} KB", "", None))
    if not eds[1].build_seconds:
        built = f"本项目完整构建 HTML -j {jobs} {eds[0].build_seconds:.1f} s，" if eds[0].build_seconds else ""
        rows.append((f"N={p.reports} {built}写搜索索引（由逐页记录写出，不含构建中逐页取正文；原做法沿用上次构建的网站）", f"{index_alone:.1f} s", "", None))
        return rows
    rows.append((f"N={p.reports} 完整构建 HTML -j {jobs}（本项目｜原做法：Sphinx 自带搜索、完整主题）；其中写搜索索引（由逐页记录写出，不含逐页取正文）",
                 f"{eds[0].build_seconds:.1f} s｜{eds[1].build_seconds:.1f} s；{index_alone:.1f} s", "", None))
    return rows


SEARCHES = [QUERY, "依申请公开", "行政诉讼 纠正"]


def search_rows(n: int, runs: int, jobs: int, seed: int = 1, reuse: bool = False) -> list[tuple[str, str, str, bool | None]]:
    """Search alone at a size where the baseline is not built (issue 21: N=5,000): this project's edition only."""
    from playwright.sync_api import sync_playwright

    root = WORK / f"district-{n}"
    out = root / "_build" / "html-site"
    if reuse and (out / "search.html").is_file():
        ed = Edition("site", out, 0.0, *_index_size(out, "site"))
        reports = len(list((root / "data").glob("*/*/report.toml")))
    else:
        p = portal.generate(root, n, seed)
        ed, reports = build(p.root, "site", jobs), p.reports
    seconds = index_seconds(root)
    rows: list[tuple[str, str, str, bool | None]] = []
    with sync_playwright() as pw, served(out, sent := Sent()) as base:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            for q in SEARCHES:
                loads = [load(browser, base + f"search.html?q={urllib.parse.quote(q)}", sent, "#search-results ul.search li") for _ in range(runs)]
                got = Load(statistics.median(x.seconds for x in loads), statistics.median(x.kb for x in loads))
                rows.append((f"N={reports} 搜索“{q}”至第一条结果（仅本项目）", f"{got.seconds:.2f} s、{got.kb:.0f} KB",
                             f"≤ {TARGET_SEARCH} s、≤ {TARGET_KB} KB", got.seconds <= TARGET_SEARCH and got.kb <= TARGET_KB))
        finally:
            browser.close()
    built = f"完整构建 HTML -j {jobs} {ed.build_seconds:.1f} s；" if ed.build_seconds else ""
    rows.append((f"N={reports} 搜索索引：总大小、文件数；{built}写索引（由逐页记录写出）", f"{ed.index_kb:.0f} KB、{ed.index_files} 个；{seconds:.1f} s", "", None))
    return rows


def describe() -> str:
    return (f"手机模拟：Chromium 390 px，CPU 降速 {CPU_SLOWDOWN}×，下行 1.6 Mbit/s，往返 150 ms，冷缓存；"
            "传输量为未压缩字节（静态服务器不压缩；搜索索引文件本身是 gzip，由浏览器解压），由服务器计数；负载 " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="*", default=[200, 1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="measure the sites the last run built (no generating, no building)")
    ap.add_argument("--search-n", type=int, nargs="*", default=[], help="also search alone at these sizes (this project's edition only), e.g. 5000")
    ap.add_argument("--reuse-baseline", action="store_true", help="build this project's edition again, the baseline's as the last run built it")
    a = ap.parse_args(argv)
    print(describe(), flush=True)
    print("| 项目 | 结果 | 目标 | |\n|---|---|---|---|", flush=True)
    for n in a.n:
        for what, result, target, ok in rows_for(n, a.runs, a.jobs, reuse=a.reuse, reuse_baseline=a.reuse_baseline):
            mark = "" if ok is None else ("达到" if ok else "**未达到**")
            print(f"| {what} | {result} | {target} | {mark} |", flush=True)
    for n in a.search_n:
        for what, result, target, ok in search_rows(n, a.runs, a.jobs, reuse=a.reuse):
            mark = "" if ok is None else ("达到" if ok else "**未达到**")
            print(f"| {what} | {result} | {target} | {mark} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
