"""The workbench's latencies (issue 25), in a real browser on a synthetic site of N reports.

    PYTHONPATH=ext:. python -m bench.workbench [--n 200] [--runs 15] [--shots DIR]

Rows (medians over ``--runs``, with the slowest run):

* keystroke → total: a real key press (Playwright) to the computed total updated
  in the page (target 100 ms), and to the next painted frame;
* keystroke → findings: the key press to the findings list redrawn with the
  server's answer (target 1 s; includes the page's 120 ms wait for more typing),
  and the server's check alone (``POST /__govreport/api/check``);
* save → refreshed preview: a click on 保存 to the open report page reloaded by
  the preview with the saved number (target 1 s); and to the end of that build
  (the pages it writes after the report's own).

A script that prints figures, not a test: the figures depend on the machine and
its load (printed with them). ``--shots`` saves the editor with a finding
showing at 1280 and 390 px.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "workbench"
CHROMIUM = Path(os.environ.get("GOVREPORT_CHROMIUM", "/usr/bin/chromium"))

MARKS = """() => {
  window.__m = {};
  document.addEventListener("keydown", () => { window.__m = {t0: performance.now()}; }, true);
  // Registered after the editor's own listener: runs once the total is updated.
  document.addEventListener("input", () => {
    const m = window.__m;
    if (m.t0 && !m.total) { m.total = performance.now(); requestAnimationFrame(() => { m.frame = performance.now(); }); }
  });
  new MutationObserver(() => { const m = window.__m; if (m.t0 && !m.findings) m.findings = performance.now(); })
    .observe(document.querySelector(".gov-editor-findings"), {childList: true});
}"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _state(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "__govreport/state", timeout=5) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def _wait_build(url: str, after: int = 0, timeout: float = 1800) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            s = _state(url)
            if s["build"] > after and not s["running"]:
                return s
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("预览没有完成构建")


def _fmt(ms: list[float]) -> str:
    return f"中位数 {statistics.median(ms):7.1f} ms，最慢 {max(ms):7.1f} ms（{len(ms)} 次）"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="工作台延迟：按键→合计、按键→检查提示、保存→预览刷新")
    ap.add_argument("--n", type=int, default=200, help="合成站点的报告数")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--shots", type=Path, help="保存 1280 与 390 像素宽的截图到此目录")
    args = ap.parse_args(argv)

    from govreport.portal.synth import busy_report, make_site, plan
    from playwright.sync_api import sync_playwright

    reports = plan(args.n)
    site = make_site(WORK, reports)
    report = busy_report(reports)
    key = f"{report.agency}/{report.year}"
    port = _port()
    url = f"http://127.0.0.1:{port}/"
    print(f"合成站点：{args.n} 份报告（{WORK}），编辑 {key}；负载 {os.getloadavg()[0]:.2f}（{os.cpu_count()} 核）", flush=True)
    env = dict(os.environ, PYTHONPATH=str(REPO / "ext"))
    log = (WORK.parent / "workbench-serve.log").open("w")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "govreport.workbench.serve", "--root", str(site.root), "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        first = _wait_build(url)
        print(f"预览第一次构建：{time.perf_counter() - start:.1f} 秒（{first['seconds']} 秒构建）", flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + f"__govreport/edit/{key}")
            page.wait_for_selector(".gov-editor-findings-head")
            page.evaluate(MARKS)
            cell = page.locator('input[data-cell="t3.new.natural"]')
            orig = cell.input_value()
            token = page.evaluate("JSON.parse(document.getElementById('gov-editor-data').textContent).token")
            totals, frames, findings, server = [], [], [], []
            for i in range(args.runs):
                value = str(int(orig) + 1) if i % 2 == 0 else orig  # a finding (R301), then none
                cell.fill(value[:-1])
                time.sleep(0.6)  # the check of fill() answered: the next one is this keystroke's
                cell.focus()
                page.keyboard.press("End")
                page.keyboard.press(value[-1])
                page.wait_for_function("() => window.__m.findings && window.__m.frame", timeout=30_000)
                m = page.evaluate("window.__m")
                totals.append(m["total"] - m["t0"])
                frames.append(m["frame"] - m["t0"])
                findings.append(m["findings"] - m["t0"])
                has = page.locator(".gov-editor-findings li[data-code=R301]").count() > 0
                assert has == (i % 2 == 0), f"第 {i} 次：检查提示不对"
                body = json.dumps({"report": key, "cells": {"t3.new.natural": value}}).encode()
                req = urllib.request.Request(url + "__govreport/api/check", data=body, method="POST",
                                             headers={"Content-Type": "application/json", "X-Govreport-Token": token})
                t0 = time.perf_counter()
                with urllib.request.urlopen(req, timeout=30) as r:
                    r.read()
                server.append((time.perf_counter() - t0) * 1000)
            print(f"按键→合计更新          {_fmt(totals)}   目标 100 ms")
            print(f"按键→合计显示（下一帧）{_fmt(frames)}")
            print(f"按键→检查提示          {_fmt(findings)}   目标 1 s（含页面等待 120 ms）")
            print(f"服务器检查（单独）     {_fmt(server)}")

            if args.shots:
                args.shots.mkdir(parents=True, exist_ok=True)
                cell.fill(str(int(orig) + 1))
                page.wait_for_selector("#msg-t3\\.total\\.natural .gov-editor-finding")
                for width in (1280, 390):
                    page.set_viewport_size({"width": width, "height": 900})
                    page.evaluate("window.scrollTo(0, 0)")
                    page.screenshot(path=str(args.shots / f"editor-{width}.png"))
                    # The finding beside its cell: the 表三 rows around （七）总计, in the viewport as the writer sees it.
                    page.evaluate("document.querySelector('#msg-t3\\\\.total\\\\.natural').scrollIntoView({block: 'center'})")
                    page.screenshot(path=str(args.shots / f"editor-t3-{width}.png"))
                page.set_viewport_size({"width": 1280, "height": 900})

            # Save → the open report page reloaded by the preview, showing the saved number.
            preview = browser.new_page()
            preview.goto(url + f"{report.agency}/{report.year}.html")
            saves: list[float] = []
            builds: list[float] = []
            for i in range(max(3, args.runs // 3)):
                value = str(int(orig) + 2 + i)
                cell.fill(value)
                time.sleep(0.4)
                build = _state(url)["build"]
                t0 = time.perf_counter()
                with preview.expect_event("load", timeout=60_000):
                    page.click('[data-action="save"]')
                t1 = time.perf_counter()
                assert f">{value}<" in preview.content(), "刷新后的页面没有保存的数字"
                saves.append((t1 - t0) * 1000)
                _wait_build(url, build)  # the build's last steps (other pages) end after the page showed
                builds.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.5)
            print(f"保存→预览页面刷新      {_fmt(saves)}   目标 1 s")
            print(f"保存→整个构建结束      {_fmt(builds)}   （其他页面：机构页、开放数据等）")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    print(f"负载（结束时）：{os.getloadavg()[0]:.2f}")
    if os.environ.get("BENCH_KEEP") != "1":
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
