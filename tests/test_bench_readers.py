"""The readers benchmark (bench/readers.py) counts every byte a page costs, a Web
Worker's requests included: Pagefind fetches its index chunks and fragments from
a worker, which the page's DevTools session does not see (issue 21's search row
was 91 KB short at N=1000). No timing is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import readers

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = (b"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>w</title><p>worker</p><script>"
        b"const w = new Worker('worker.js');"
        b"w.onmessage = (e) => { const p = document.createElement('p'); p.id = 'done'; p.textContent = e.data; document.body.append(p); };"
        b"</script></html>")
WORKER = b"fetch('data.bin').then((r) => r.arrayBuffer()).then((b) => postMessage(String(b.byteLength)));"
DATA = bytes(range(256)) * 120  # 30 KB, fetched only by the worker


def test_a_workers_requests_are_counted(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert readers.CHROMIUM.is_file(), f"没有 Chromium（{readers.CHROMIUM}）：apt-get install chromium（tools/ensure-system.sh --test）"
    for name, body in (("index.html", PAGE), ("worker.js", WORKER), ("data.bin", DATA)):
        (tmp_path / name).write_bytes(body)
    bodies = (len(PAGE) + len(WORKER) + len(DATA)) / 1024
    sent = [0]
    with readers.served(tmp_path, sent) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(readers.CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            shown = readers.load(browser, base + "index.html", sent, "#done")  # the worker's answer on the page
            whole = readers.load(browser, base + "index.html", sent)
        finally:
            browser.close()
    # The three bodies, plus headers and Chromium's request for /favicon.ico (a 404 page): under 3 KB more.
    assert bodies <= shown.kb <= bodies + 3, (shown.kb, bodies)
    assert bodies <= whole.kb <= bodies + 3, (whole.kb, bodies)
