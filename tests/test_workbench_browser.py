"""The workbench in a real browser (Debian's Chromium driven by Playwright) against a
real ``python -m govreport.workbench.serve`` over a git checkout of tests/roots/test-site.

Typing, pasting and clicking are the browser's own; the checks are the server's;
what is asserted is read back from the files and from git.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from ports import free_port
from previewstate import state, until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).parent.parent
SITE_ROOT = Path(__file__).parent / "roots" / "test-site"
CHROMIUM = Path(os.environ.get("GOVREPORT_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WAIT = 15_000
CSV = "data/xiangshan/2021/table3.csv"
EDIT = "__govreport/edit/xiangshan/2021"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def _until(url: str, ok: Any, timeout: float = 90) -> dict[str, Any]:
    return until(url, ok, timeout)


class Preview:
    def __init__(self, root: Path, url: str, log: Path) -> None:
        self.root, self.url, self.log = root, url, log

    def restore(self) -> None:
        """The data as committed (each test starts from the same files), rebuilt.

        Waiting for the rebuild matters: otherwise the preview's live reload lands in
        the middle of the next test's first click and the navigation is lost.
        """
        if not _git(self.root, "status", "--porcelain", "--", "data").strip():
            return
        build = _until(self.url, lambda s: not s["running"])["build"]
        _git(self.root, "checkout", "-q", "--", "data")
        _until(self.url, lambda s: s["build"] > build and not s["running"])


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    tmp = tmp_path_factory.mktemp("workbench")
    root = tmp / "site"
    shutil.copytree(SITE_ROOT, root)
    (root / ".gitignore").write_text("_build/\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "测试")
    _git(root, "config", "user.email", "t@example.org")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "govreport.workbench.serve", "--root", str(root), "--src", ".", "--port", str(port)],
                                env=dict(os.environ, PYTHONPATH=str(ROOT / "ext")), stdout=out, stderr=subprocess.STDOUT)
    try:
        _until(url, lambda s: s["build"] >= 1 and not s["running"])
        yield Preview(root, url, log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert "Traceback" not in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM.is_file(), f"没有 Chromium（{CHROMIUM}）：apt-get install chromium（tools/ensure-system.sh --test）"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, preview: Preview) -> Iterator[Any]:
    preview.restore()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith("http://127.0.0.1") else route.continue_())
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield pg
    finally:
        context.close()
        preview.restore()
    assert errors == [], f"页面脚本出错：{errors}"


def _open(page: Any, preview: Preview) -> None:
    """The report page of the preview, then its "编辑数据" link, as a writer would."""
    page.goto(preview.url + "xiangshan/2021.html")
    page.click('[data-action="edit"]', timeout=WAIT)
    page.wait_for_url("**/" + EDIT, timeout=WAIT)
    expect(page.locator(".gov-editor-findings-head")).to_be_visible(timeout=WAIT)  # the first check answered


def cell(page: Any, cid: str) -> Any:
    return page.locator(f'input[data-cell="{cid}"]')


def test_the_form_is_the_official_grid_with_labelled_cells(page: Any, preview: Preview) -> None:
    _open(page, preview)
    assert page.locator("table.gov-editor-table").count() == 3
    head = page.locator("table.gov-t3 th").all_inner_texts()
    assert head[:4] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织"]
    new = cell(page, "t3.new.natural")
    assert new.get_attribute("aria-label") == "表三 一、本年新收政府信息公开申请数量 自然人" and new.input_value() == "5"
    total = cell(page, "t3.new.total")
    assert total.get_attribute("readonly") is not None and total.get_attribute("aria-label") == "表三 一、本年新收政府信息公开申请数量 总计（自动计算）"
    assert cell(page, "t3.total.natural").get_attribute("readonly") is not None
    assert page.get_by_label("表四 复议后起诉 尚未审结", exact=True).count() == 1


def test_total_follows_and_a_finding_comes_and_goes(page: Any, preview: Preview) -> None:
    _open(page, preview)
    new = cell(page, "t3.new.natural")
    new.fill("")
    new.press_sequentially("9")
    expect(cell(page, "t3.new.total")).to_have_value("10")
    msg = page.locator("#msg-t3\\.total\\.natural")
    expect(msg).to_have_text("R301 表三 自然人 列：一＋二＝10，三（七）总计＋四＝6，应相等", timeout=WAIT)
    expect(cell(page, "t3.total.natural")).to_have_class("gov-editor-computed gov-editor-error")
    new.fill("5")
    expect(msg).to_have_text("", timeout=WAIT)
    expect(page.locator(".gov-editor-findings-head")).to_have_text("检查通过：没有发现问题")
    new.fill("5件")  # the same located message as in a CSV
    expect(page.locator("#msg-t3\\.new\\.natural")).to_have_text("C208 表三“一、本年新收政府信息公开申请数量”行“自然人”列：“5件”不是数字", timeout=WAIT)
    expect(page.locator(".gov-editor-findings li[data-code=C208]")).to_contain_text(f"（{CSV}:2:2）")
    expect(cell(page, "t3.new.total")).to_have_value("")


def test_keyboard_moves_like_a_spreadsheet(page: Any, preview: Preview) -> None:
    _open(page, preview)
    cell(page, "t3.new.natural").focus()
    focused = lambda: page.evaluate("document.activeElement.dataset.cell")  # noqa: E731
    page.keyboard.press("ArrowRight")
    assert focused() == "t3.new.commercial"
    page.keyboard.press("Enter")
    assert focused() == "t3.carried_in.commercial"
    page.keyboard.press("ArrowDown")
    assert focused() == "t3.open.commercial"
    page.keyboard.press("ArrowLeft")
    assert focused() == "t3.open.natural"
    page.keyboard.press("ArrowUp")
    assert focused() == "t3.carried_in.natural"
    page.keyboard.press("Tab")
    assert focused() == "t3.carried_in.commercial"
    cell(page, "t3.new.other").focus()
    page.keyboard.press("Tab")  # the total is skipped: it is computed
    assert focused() == "t3.carried_in.natural"
    page.keyboard.type("3")  # the focused cell's text is selected: typing replaces it
    expect(cell(page, "t3.carried_in.natural")).to_have_value("3")
    expect(cell(page, "t3.carried_in.total")).to_have_value("3")


def test_paste_a_block_from_a_spreadsheet(page: Any, preview: Preview) -> None:
    _open(page, preview)
    cell(page, "t3.open.natural").focus()
    page.evaluate("""() => {
        const dt = new DataTransfer();
        dt.setData("text/plain", "1\\t2\\t3\\r\\n4\\t5\\t6\\r\\n7\\t8\\t9\\r\\n");
        document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
    }""")
    got = [[cell(page, f"t3.{r}.{c}").input_value() for c in ("natural", "commercial", "research")] for r in ("open", "partial", "deny_1")]
    assert got == [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    expect(cell(page, "t3.open.total")).to_have_value("6")
    expect(cell(page, "t3.deny_1.total")).to_have_value("24")
    expect(cell(page, "t3.total.research")).to_have_value("18")
    expect(page.locator(".gov-editor-findings li[data-code=R301]").first).to_be_visible(timeout=WAIT)


def test_save_changes_one_line_and_the_preview_follows(page: Any, preview: Preview) -> None:
    shown = page.context.new_page()  # the report page, open beside the editor
    shown.goto(preview.url + "xiangshan/2021.html")
    assert "R301" not in shown.content()
    _open(page, preview)
    build = state(preview.url)["build"]
    cell(page, "t3.new.commercial").fill("4")
    with shown.expect_event("load", timeout=60_000):  # the preview reloads it by itself
        page.click('[data-action="save"]')
    assert "R301" in shown.locator("#gov-findings").inner_text() and ">9<" in shown.content()
    expect(page.locator(".gov-editor-status")).to_have_text(f"已保存：{CSV}（预览页面随之更新）", timeout=WAIT)
    diff = _git(preview.root, "diff", "--unified=0", "--no-color", "--", "data")
    changed = [ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    assert changed == ["-一、本年新收政府信息公开申请数量,5,1,0,0,0,0,6", "+一、本年新收政府信息公开申请数量,5,4,0,0,0,0,9"]
    assert _git(preview.root, "status", "--porcelain", "--", "data") == f" M {CSV}\n"
    _until(preview.url, lambda s: s["build"] > build and not s["running"])
    page.goto(preview.url + "xiangshan/2021.html")
    assert "R301" in page.locator("#gov-findings").inner_text()  # the saved numbers are what the page shows


def test_a_change_on_disk_meanwhile_is_shown_and_the_writer_chooses(page: Any, preview: Preview) -> None:
    _open(page, preview)
    csv = preview.root / CSV
    theirs = csv.read_bytes().replace("（一）予以公开,3,1,".encode(), "（一）予以公开,2,1,".encode())
    csv.write_bytes(theirs)  # Excel saved the file while the form was open
    cell(page, "t3.new.commercial").fill("4")
    page.click('[data-action="save"]')
    dialog = page.locator("dialog.gov-editor-conflict")
    expect(dialog).to_be_visible(timeout=WAIT)
    expect(dialog.locator("li[data-conflict='t3.open.natural']")).to_have_text("表三 （一）予以公开 自然人：打开时是 3，文件中现在是 2")
    assert csv.read_bytes() == theirs  # nothing written before the writer chose
    page.click('[data-action="keep-mine"]')
    expect(page.locator(".gov-editor-status")).to_contain_text("已保存", timeout=WAIT)
    text = csv.read_text(encoding="utf-8")
    assert "一、本年新收政府信息公开申请数量,5,4,0,0,0,0,9" in text and "（一）予以公开,2,1," in text  # both kept
    expect(cell(page, "t3.open.natural")).to_have_value("2")


def test_a_write_without_the_token_is_refused(page: Any, preview: Preview) -> None:
    csv = preview.root / CSV
    before = csv.read_bytes()
    _open(page, preview)
    status = page.evaluate("""async () => (await fetch("/__govreport/api/save", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({report: "xiangshan/2021", tables: {t3: {hash: "", cells: {"t3.new.natural": "99"}}}})})).status""")
    assert status == 403
    # Another site (another port is another origin) posting a form, the classic cross-site write:
    evil, server = _evil_site(preview.url)
    try:
        page.goto(evil)
        page.wait_for_function("document.title === 'sent'", timeout=WAIT)
    finally:
        server.shutdown()
        server.server_close()
    time.sleep(0.5)
    assert csv.read_bytes() == before


def _evil_site(target: str) -> tuple[str, http.server.ThreadingHTTPServer]:
    """A page on another origin that posts to the preview's save as soon as it loads."""
    page = ("<!DOCTYPE html><title>x</title><form method=post enctype=text/plain action='" + target + "__govreport/api/save'>"
            "<input name='{\"report\":\"xiangshan/2021\",\"x\":\"' value='\"}'></form><iframe name=f></iframe>"
            "<script>document.forms[0].target='f';document.forms[0].submit();"
            "fetch('" + target + "__govreport/api/save',{method:'POST',mode:'no-cors',body:'{}'}).finally(()=>document.title='sent')</script>")

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def test_settings_are_validated_and_saved(page: Any, preview: Preview) -> None:
    _open(page, preview)
    page.fill('[data-setting="published"]', "2022-01-20")
    page.check('[data-setting="draft"]')
    page.click('[data-action="save-settings"]')
    expect(page.locator(".gov-editor-status")).to_have_text("报告信息已保存", timeout=WAIT)
    toml = (preview.root / "data/xiangshan/2021/report.toml").read_text(encoding="utf-8")
    assert toml == 'agency = "沙坡头区香山乡"\nfull_name = "中卫市沙坡头区香山乡人民政府"\nformat = "2021"\npublished = 2022-01-20\ndraft = true\n'
    page.fill('[data-setting="agency"]', "")
    page.click('[data-action="save-settings"]')
    expect(page.locator('[data-finding-for="agency"]')).to_contain_text("F007", timeout=WAIT)
    assert 'agency = "沙坡头区香山乡"' in (preview.root / "data/xiangshan/2021/report.toml").read_text(encoding="utf-8")


def test_commit_lists_the_changed_numbers(page: Any, preview: Preview) -> None:
    _open(page, preview)
    cell(page, "t3.new.commercial").fill("4")
    page.click('[data-action="save"]')
    expect(page.locator(".gov-editor-status")).to_contain_text("已保存", timeout=WAIT)
    head = _git(preview.root, "rev-parse", "HEAD")
    page.click('[data-action="commit"]')
    expect(page.locator(".gov-editor-status")).to_contain_text("已提交到分支 report/xiangshan-2021", timeout=WAIT)
    message = _git(preview.root, "log", "-1", "--format=%B", "report/xiangshan-2021")
    assert message == ("沙坡头区香山乡 2021：更新报告（工作台提交）\n\n"
                       "表三 商业企业 一、本年新收政府信息公开申请数量: 1 → 4\n"
                       "表三 总计 一、本年新收政府信息公开申请数量: 6 → 9\n\n")
    assert _git(preview.root, "rev-parse", "HEAD") == head and _git(preview.root, "symbolic-ref", "HEAD") == "refs/heads/main\n"
    assert _git(preview.root, "rev-parse", "report/xiangshan-2021^") == head
    assert _git(preview.root, "diff-tree", "-r", "--name-only", "--no-commit-id", "report/xiangshan-2021") == f"{CSV}\n"
    _git(preview.root, "branch", "-q", "-D", "report/xiangshan-2021")


def test_edit_link_only_in_the_preview(preview: Preview) -> None:
    with urllib.request.urlopen(preview.url + "xiangshan/2021.html", timeout=5) as r:
        assert 'data-action="edit" href="/__govreport/edit/xiangshan/2021"' in r.read().decode("utf-8")
    with urllib.request.urlopen(preview.url + "index.html", timeout=5) as r:
        assert 'data-action="edit"' not in r.read().decode("utf-8")  # not a report page
    built = (preview.root / "_build/html/xiangshan/2021.html").read_text(encoding="utf-8")
    assert "编辑数据" not in built and "__govreport" not in built  # the published pages never have it


AXE = ROOT / ".venv" / "node-axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("width", [1280, 390])
def test_editor_with_a_finding_is_accessible_and_fits_a_phone(page: Any, preview: Preview, width: int) -> None:
    assert AXE.is_file(), f"没有 axe-core：运行 make axe（{AXE}）"
    page.set_viewport_size({"width": width, "height": 900})
    _open(page, preview)
    cell(page, "t3.new.natural").fill("9")
    expect(page.locator("#msg-t3\\.total\\.natural")).to_contain_text("R301", timeout=WAIT)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result] == []
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], sizes  # the tables scroll in their own boxes, not the page
