"""The site in a real browser: Debian's Chromium driven by Playwright.

The site is built from tests/roots/test-site (two agencies, one with two years,
one draft) in the project's theme and served over HTTP. Clicks are real clicks
(Playwright clicks only what is on top at that point, so a link under another
element fails), search runs the site's own JavaScript, and axe-core (pinned,
from npm: ``make axe``) checks accessibility at 1280 and 390 px.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from ports import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).parent.parent
SITE_ROOT = Path(__file__).parent / "roots" / "test-site"
CHROMIUM = Path(os.environ.get("GOVREPORT_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".venv" / "node-axe" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PAGES = ["index.html", "xiangshan/index.html", "xiangshan/2021.html", "codes.html"]
WIDTHS = [1280, 390]


def _build(src: Path, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "ext"), env_path()]))
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)], env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def env_path() -> str:
    return os.environ.get("PYTHONPATH", "")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:
            # The browser hung up (BrokenPipeError, ConnectionResetError): a navigation replaced the
            # one this answered, which a real server shrugs off too. Not an error of the site.
            pass


class _Server(http.server.ThreadingHTTPServer):
    """Serves the built site; any other error while answering is kept, and fails the tests."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: Any) -> None:
        super().__init__(address, handler)
        self.errors: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.errors.append(traceback.format_exc())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test site, built and served; yields its base URL."""
    tmp = tmp_path_factory.mktemp("site")
    # A copy: a build writes the portal pages' sources into its source folder (sphinxext/portalpages.py).
    shutil.copytree(SITE_ROOT, tmp / "src")
    _build(tmp / "src", tmp / "html")
    yield from _serve(tmp / "html")


def _serve(out: Path) -> Iterator[str]:
    """``out`` served on a free port; yields its base URL. An error while answering fails the tests."""
    server = _Server(("127.0.0.1", free_port()), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
    assert server.errors == [], f"测试服务器出错：{server.errors}"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    assert CHROMIUM.is_file(), f"没有 Chromium（{CHROMIUM}）：apt-get install chromium（tools/ensure-system.sh --test）"
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True)
        # Nothing leaves the machine: links to other sites are stopped, their request still seen.
        context.route("**/*", lambda route: route.abort() if not route.request.url.startswith("http://127.0.0.1") else route.continue_())
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    pg = browser.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield pg
    finally:
        pg.close()
    assert errors == [], f"页面脚本出错：{errors}"


#: Time a click may take to find its target on top and clickable, and a navigation to start or end:
#: generous, because the machine may be busy; a covered link still fails (after this long).
WAIT = 15_000


def _follow(page: Any, target: Any) -> str:
    """Click ``target`` (a link to another document) and wait until the navigation it
    starts is over: the new page loaded, a download saved, or the request refused
    (another site: ``route.abort``). The URL the click asked for.

    Waiting matters: the next ``goto`` would otherwise cut the answer off mid-way
    (the BrokenPipeError the server printed)."""
    # "finished", "failed" for the navigation, or a Download (an answer that is a download
    # first fails as a navigation, then comes as a Download: wait for that one).
    ended: list[Any] = []

    def on_request(state: str) -> Callable[[Any], None]:
        return lambda r: ended.append(state) if r.is_navigation_request() and r.frame == page.main_frame else None

    handlers = {"requestfinished": on_request("finished"), "requestfailed": on_request("failed"), "download": lambda d: ended.append(d)}
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        with page.expect_request(lambda r: r.is_navigation_request() and r.frame == page.main_frame, timeout=WAIT) as request:
            target.click(timeout=WAIT)
        asked = request.value
        same = functools.partial(lambda want, url: url.split("#")[0] == want, asked.url.split("#")[0])
        end = time.monotonic() + WAIT / 1000
        while True:
            download = next((e for e in ended if not isinstance(e, str)), None)
            if download is not None:
                download.path()  # saved to the end: the server's answer was read in full
                break
            if "failed" in ended and asked.response() is None:
                break  # refused before any answer (another site, mailto:)
            if "finished" in ended and same(page.url):
                page.wait_for_load_state("load", timeout=WAIT)  # the new document and what it loads
                break
            assert time.monotonic() < end, f"点击 {asked.url} 后 {WAIT} ms 内导航没有结束：{ended} {page.url}"
            page.wait_for_timeout(50)  # lets Playwright deliver the events
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return str(asked.url)


def _goto(page: Any, url: str) -> None:
    """``page.goto``, again when the browser's own error page for a link refused
    just before (another site: ``route.abort``) cut it off ("interrupted by another
    navigation to chrome-error://chromewebdata/"): that is the test's doing, not the site's."""
    for attempt in range(3):
        try:
            page.goto(url)
            return
        except PlaywrightError as e:
            if "interrupted by another navigation" not in str(e) or attempt == 2:
                raise
            page.wait_for_load_state("load", timeout=WAIT)


def _links(page: Any) -> list[dict[str, str]]:
    """Every visible link of the page: its position among all links, text, href."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href]')).map((a, i) => {
            const r = a.getBoundingClientRect(); const s = getComputedStyle(a);
            return {i, text: a.innerText.trim(), href: a.href, raw: a.getAttribute('href'),
                    visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden'};
        }).filter(l => l.visible)"""
    )


@pytest.mark.parametrize("path", ["index.html", "xiangshan/2021.html"])
def test_every_link_lands_where_it_points(site: str, page: Any, path: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + path)
    links = _links(page)
    assert len(links) >= 10
    wrong = []
    for link in links:
        _goto(page, site + path)
        target = page.locator("a[href]").nth(link["i"])
        target.focus()  # as a keyboard user would: the skip link shows only when focused
        here = page.url.split("#")[0]
        if link["href"].split("#")[0] == here and "#" in link["href"]:
            target.click(timeout=WAIT)
            fragment = link["href"].split("#", 1)[1]
            expected = "#" + fragment if fragment else ""
            try:  # a same-page jump: wait for it to land (a busy renderer may take a moment)
                page.wait_for_function("h => location.hash === h", arg=expected, timeout=WAIT)
            except PlaywrightTimeout:
                wrong.append((link["text"], link["raw"], page.evaluate("location.hash")))
            continue
        asked = _follow(page, target)
        if asked != link["href"]:
            wrong.append((link["text"], link["raw"], asked))
    assert wrong == []


def test_card_links_are_not_covered(site: str, page: Any) -> None:
    """The PDF link of a unit's row opens the PDF (no stretched link over it). (Issue 21: the index's rows
    carry the PDF only; the data files are on the report's page and the unit's.)"""
    page.goto(site + "index.html")
    for text, suffix in (("PDF", "pdf/xiangshan-2021.pdf"),):
        page.goto(site + "index.html")
        card = page.locator(".gov-agency-card", has_text="沙坡头区香山乡")
        assert _follow(page, card.get_by_role("link", name=text, exact=True)) == site + suffix


def test_report_page_navigation(site: str, page: Any) -> None:
    """Previous/next year, the agency's years and the codes page, visible at both widths."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + "xiangshan/2021.html")
        assert page.get_by_role("link", name="上一年度：2020 年度报告").is_visible()
        assert page.get_by_role("link", name="本机关全部年度").is_visible()
        assert page.locator("footer").get_by_role("link", name="检查结果代码").is_visible()
        page.goto(site + "xiangshan/2020.html")
        assert page.get_by_role("link", name="下一年度：2021 年度报告").is_visible()
        page.goto(site + "index.html")
        links = {link["raw"] for link in _links(page)}
        assert "xiangshan/2021.html" in links and "xiangshan/2020.html" not in links  # one card per agency, not per report


def _results(page: Any) -> list[str]:
    """The search page's result links, as paths from the site's root (without the #section)."""
    page.wait_for_function("document.querySelector('#search-results .search-summary')", timeout=WAIT)
    # Every result of the first batch is in (results arrive one by one as their fragments load).
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'", timeout=WAIT)
    hrefs = page.locator("#search-results ul.search li a").evaluate_all("els => els.map(a => a.pathname)")
    return [h.split("/", 1)[1] if h.startswith("/") else h for h in hrefs]


@pytest.mark.parametrize("word", ["行政复议", "香山乡", "政府信息公开申请", "上年结转"])
def test_search_finds_the_report(site: str, page: Any, word: str) -> None:
    """The site's index (Chinese by characters and pairs) from a shareable search.html?q=… link."""
    page.goto(site + "search.html?q=" + word)
    results = _results(page)
    assert "xiangshan/2021.html" in results, (word, results)
    first = page.locator("#search-results ul.search li").first
    assert first.locator("mark").count() >= 1  # the matching sentence, the words marked
    assert "年度" in first.locator(".gov-search__where").inner_text()


def test_search_narrowed_to_a_unit_and_year(site: str, page: Any) -> None:
    """The unit filter from the address and from the list; the header's box on a report page leads there."""
    page.goto(site + "search.html?q=" + "政府信息公开")
    assert {"xiangshan/2021.html", "xiangshan/2020.html", "other/2021.html"} <= set(_results(page))
    page.goto(site + "search.html?q=政府信息公开&unit=测试镇")
    assert _results(page) == ["other/2021.html"]
    page.goto(site + "search.html?q=政府信息公开")
    _results(page)
    page.locator("#gov-unit").select_option("沙坡头区香山乡")
    page.wait_for_function("location.search.includes('unit=')", timeout=WAIT)
    assert sorted(_results(page)) == ["xiangshan/2020.html", "xiangshan/2021.html"]
    page.locator("#gov-year").select_option("2020")
    page.wait_for_function("location.search.includes('year=2020')", timeout=WAIT)
    assert _results(page) == ["xiangshan/2020.html"]
    # from any page: the header's form
    page.goto(site + "xiangshan/2021.html")
    box = page.locator(".gov-search-field input:visible")
    box.fill("行政复议")
    box.press("Enter")
    assert "xiangshan/2021.html" in _results(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_axe_no_violations(site: str, page: Any, path: str, width: int) -> None:
    assert AXE.is_file(), f"没有 axe-core：运行 make axe（{AXE}）"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result]
    assert found == []


@pytest.mark.parametrize("path", [*PAGES, "search.html?q=行政复议", "other/2021.html"])
def test_no_sideways_scroll_on_a_phone(site: str, page: Any, path: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + path)
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], sizes
    if "2021" in path:
        # the wide tables scroll in their own focusable, named boxes, with the hint shown
        boxes = page.locator(".gov-table-scroll")
        assert boxes.count() == 3
        assert page.locator(".gov-scrollable .gov-scroll-hint").first.is_visible()
        for i in range(3):
            box = boxes.nth(i)
            assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")


def test_phone_labels_stay_in_view(site: str, page: Any) -> None:
    """表三 scrolled to its end on a phone: its row labels are still where they were."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "xiangshan/2021.html")
    box = page.locator(".gov-table-scroll").nth(1)
    label = box.locator("th.gov-stub", has_text="1.属于国家秘密")
    before = label.bounding_box()
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    page.wait_for_timeout(100)
    after = label.bounding_box()
    assert box.evaluate("b => b.scrollLeft") > 100
    assert before is not None and after is not None and abs(before["x"] - after["x"]) < 1


@pytest.mark.parametrize("width", WIDTHS)
def test_headers_never_leave_one_character(site: str, page: Any, width: int) -> None:
    """No table header breaks so that one character stands alone on its last line (商业企/业)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "xiangshan/2021.html")
    lonely = page.evaluate(
        """() => {
            const out = [];
            for (const th of document.querySelectorAll('table.gov-table th')) {
              const tops = [];
              const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                for (let i = 0; i < n.data.length; i++) {
                  if (!n.data[i].trim()) continue;
                  const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                  const rect = r.getClientRects()[0]; if (rect) tops.push(Math.round(rect.top));
                }
              }
              const lines = [...new Set(tops)];
              if (lines.length > 1 && tops.filter(t => t === lines[lines.length - 1]).length === 1) out.push(th.innerText);
            }
            return out;
        }"""
    )
    assert lonely == []


def test_draft_marked(site: str, page: Any) -> None:
    page.goto(site + "index.html")
    card = page.locator(".gov-agency-card", has_text="测试镇")
    assert card.get_by_text("草稿", exact=True).is_visible()
    assert page.locator(".gov-agency-card", has_text="沙坡头区香山乡").get_by_text("草稿", exact=True).count() == 0
    page.goto(site + "other/2021.html")
    assert page.locator(".gov-draft").is_visible() and "草稿" in page.locator(".gov-draft").inner_text()


# ---- the writer's preview (make serve)


def _wait_state(url: str, build: int, timeout: float = 60) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url + "__govreport/state", timeout=2) as r:
                state: dict[str, Any] = json.loads(r.read())
            if state["build"] >= build and not state["running"]:
                return state
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"预览在 {timeout} 秒内没有完成第 {build} 次构建")


def test_preview_shows_a_finding_on_the_page(tmp_path: Path, page: Any) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "ext"))
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "govreport.workbench.serve", "--root", str(root), "--src", ".", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        state = _wait_state(url, 1)
        assert state["ok"], state
        page.goto(url + "xiangshan/2021.html")
        assert page.locator(".gov-findings").count() == 0
        assert page.locator(".gov-pdf-stale").count() >= 1  # no PDF was made: its link says so
        csv = root / "data" / "xiangshan" / "2021" / "table3.csv"
        text = csv.read_text(encoding="utf-8")
        line = next(x for x in text.splitlines() if x.startswith("（七）总计"))
        csv.write_text(text.replace(line, "（七）总计,9,1,0,0,0,0,10"), encoding="utf-8")
        page.wait_for_selector(".gov-findings", timeout=60_000)  # the open page reloads by itself (a rebuild, on a busy machine)
        box = page.locator(".gov-findings").inner_text()
        assert "R301" in box and "data/xiangshan/2021/table3.csv:" in box and "错误" in box
        assert page.locator("td.gov-flagged").count() >= 1
        # The page reloads as soon as its HTML is rewritten, then again when the build has ended
        # (failed): the banner comes with the second.
        page.wait_for_selector(".gov-preview-banner--failed", state="visible", timeout=60_000)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_index_filter_and_latest_report_in_two_actions(site: str, page: Any) -> None:
    """The index's filter box narrows the units by name; a unit's newest report is one click further."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "index.html")
    rows = page.locator(".gov-agency-card")
    assert rows.count() == 2 and page.locator(".gov-agency-card:visible").count() == 2
    page.get_by_label("按单位名称筛选").fill("香山")  # action 1
    assert [r.strip() for r in page.locator(".gov-agency-card:visible > a:first-child").all_inner_texts()] == ["沙坡头区香山乡"]
    assert "筛选出 1 个单位" in page.locator(".gov-units__count").inner_text()
    page.locator(".gov-agency-card:visible").get_by_role("link", name="2021 年度报告").click()  # action 2
    assert page.url.endswith("xiangshan/2021.html")
    page.goto(site + "index.html")
    page.get_by_label("按单位名称筛选").fill("没有这个单位")
    assert page.locator(".gov-agency-card:visible").count() == 0 and page.locator(".gov-units__none").is_visible()


def _serve_district(src: Path, out: Path) -> Iterator[str]:
    """``src`` (a district) built as make site does, then served; yields its base URL."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "ext"), env_path()]))
    cmd = [sys.executable, "-m", "sphinx", "-Q", "-b", "html", "-D", "govreport_publish=passing", str(src), str(out)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)  # -Q: its U910 warnings are expected (a copied narrative)
    assert proc.returncode == 0, proc.stderr
    yield from _serve(out)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/roots/test-district (示例数据: a roll-up, five units, three years), built as make site does, served."""
    tmp = tmp_path_factory.mktemp("district")
    shutil.copytree(SITE_ROOT.parent / "test-district", tmp / "src")  # a copy, as for ``site``
    yield from _serve_district(tmp / "src", tmp / "html")


def test_the_browser_splits_and_hashes_a_query_as_the_index_was_written(site: str, page: Any) -> None:
    """govreport-sitesearch.js against web/sitesearch.py: the same terms, the same FNV-1a, for
    Chinese, full-width Latin, an astral character alone and in a word, 〇, punctuation and "constructor"."""
    from govreport.web.sitesearch import fnv1a, query_terms

    page.goto(site + "search.html")
    for query in ["行政复议", "依申请公开 行政诉讼", "ＰＤＦ版2021", "𠮷", "a𠮷b", "二〇二二年", "——！", "constructor", "香山乡，不予公开"]:
        got = page.evaluate("(q) => window.govSearchTerms(q)", query)
        assert got == [[t, fnv1a(t)] for t in query_terms(query)], query


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_no_violations_on_search_results(site: str, page: Any, width: int) -> None:
    """The search page with its results in (marks, the unit list filled), not just its empty form."""
    assert AXE.is_file(), f"没有 axe-core：运行 make axe（{AXE}）"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "search.html?q=行政复议")
    assert _results(page)
    page.wait_for_function("document.querySelectorAll('#gov-unit option').length > 1", timeout=WAIT)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result] == []


def test_search_pages_through_a_district_and_never_finds_the_withheld(district: str, page: Any) -> None:
    """Ten results, then 显示更多 until every one is shown: as many as the summary says, newest year first,
    the withheld report (shuiwu/2023, an error) not among them; a word in no report finds nothing."""
    page.goto(district + "search.html?q=行政复议")
    shown = _results(page)
    assert len(shown) == 10
    summary = page.locator("#search-results .search-summary").inner_text()
    found = re.search(r"找到 (\d+) 份报告", summary)
    assert found, summary
    more = page.locator(".gov-search__more")
    while more.is_visible():
        more.click()
        page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'", timeout=WAIT)
    every = _results(page)
    assert len(every) == len(set(every)) == int(found.group(1)) > 10
    assert "shuiwu/2022.html" in every and "shuiwu/2023.html" not in every
    years = [int(re.search(r"/(\d{4})\.html$", u).group(1)) for u in every]  # type: ignore[union-attr]
    assert years == sorted(years, reverse=True)
    # Narrowed to a year, the pages with the word in the title first, then those with it in the text:
    # 教育 is in 示例区教育局's title and in the text of 东园镇's report of the same year.
    page.goto(district + "search.html?q=教育&year=2022")
    assert _results(page) == ["jiaoyu/2022.html", "dongyuan/2022.html"]
    for nowhere in ["并不存在的词语组合", "constructor"]:  # the second: a name every JavaScript object has
        page.goto(district + "search.html?q=" + nowhere)
        _results(page)
        assert "没有找到" in page.locator("#search-results .search-summary").inner_text(), nowhere


def test_comparison_page_sorts(district: str, page: Any) -> None:
    """The index links the year's comparison; a header click sorts by that column, a second click the other way."""
    page.goto(district + "index.html")
    page.get_by_role("link", name="2023 年度各单位主要数字对比").click()
    assert page.url.endswith("compare-2023.html")
    table = page.locator("table.gov-compare")
    table.locator("tbody tr").first.wait_for()

    def column(i: int) -> list[str]:
        return [t.split("!")[0].strip() for t in table.locator(f"tbody tr > :nth-child({i})").all_inner_texts()]

    first = column(2)
    assert len(first) >= 4 and len(set(first)) > 1, first  # different numbers, or the sort shows nothing
    header = table.get_by_role("button", name="本年新收申请")
    header.click()
    up = [int(v) for v in column(2)]
    assert up == sorted(up) and table.locator("thead th").nth(1).get_attribute("aria-sort") == "ascending"
    names_up = column(1)
    header.click()
    down = [int(v) for v in column(2)]
    assert down == sorted(up, reverse=True) and table.locator("thead th").nth(1).get_attribute("aria-sort") == "descending"
    assert sorted(column(1)) == sorted(names_up)  # the rows move whole
    table.get_by_role("button", name="单位").click()
    assert table.locator("thead th").nth(0).get_attribute("aria-sort") in ("ascending", "descending")
    assert page.get_by_role("link", name="下载 CSV").get_attribute("href") == "opendata/compare-2023.csv"



@pytest.fixture(scope="module")
def themed_district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/roots/test-district in the project's own theme (light pages, the site's search), as make site builds it."""
    tmp = tmp_path_factory.mktemp("themed-district")
    shutil.copytree(SITE_ROOT.parent / "test-district", tmp / "src", ignore=shutil.ignore_patterns("_build"))
    with (tmp / "src" / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nfrom pathlib import Path\nfrom govreport.web.sitetheme import html_settings\n\nglobals().update(html_settings(Path(__file__).parent))\n")
    yield from _serve_district(tmp / "src", tmp / "html")


@pytest.mark.parametrize("width", [320, 390])
def test_header_fits_a_phone(themed_district: str, page: Any, width: int) -> None:
    """The site's name wraps rather than run into the search button or make the page wider than the screen."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(themed_district + "quzhengfu/2023.html")
    box = page.evaluate("""() => { const r = (s) => [...document.querySelectorAll(s)].find((e) => e.offsetParent).getBoundingClientRect();
        return { name: r('.gov-brand__name').right, search: r('.navbar-persistent--mobile').left, wide: document.documentElement.scrollWidth }; }""")
    assert box["name"] + 4 <= box["search"], box
    assert box["wide"] <= width, box


DISTRICT_PAGES = ["index.html", "dongyuan/index.html", "quzhengfu/2023.html", "quzhengfu/2023-members.html",
                  "compare-2023.html", "status.html"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", DISTRICT_PAGES)
def test_axe_no_violations_on_a_district(themed_district: str, page: Any, path: str, width: int) -> None:
    """The pages a hundred units bring (grouped index, a unit's page with its charts, a roll-up and its
    members, the comparison, the status board): axe at 1280 and 390 px, where wide charts and tables scroll."""
    assert AXE.is_file(), f"没有 axe-core：运行 make axe（{AXE}）"
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(themed_district + path)
    assert response is not None and response.status == 200, path
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result]
    assert found == []
