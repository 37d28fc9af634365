"""make serve: the warm preview rebuilds in-process and restarts for code and configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from govreport.workbench.serve import State, _inject
from ports import free_port
from previewstate import until

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
SITE_ROOT = Path(__file__).parent / "roots" / "test-site"


def test_rebuilds_in_process_then_restarts_on_conf_change(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with (tmp_path / "serve.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "govreport.workbench.serve", "--root", str(root), "--src", ".", "--port", str(port)],
                                env=dict(os.environ, PYTHONPATH=str(ROOT / "ext")), stdout=log, stderr=subprocess.STDOUT)
    try:
        first = until(url, lambda s: s["build"] == 1 and not s["running"])
        assert first["ok"] and first["stale_pdfs"] == ["other-2021.pdf", "xiangshan-2020.pdf", "xiangshan-2021.pdf"]
        page = root / "xiangshan" / "2021.md"
        page.write_text(page.read_text(encoding="utf-8").replace("无。", "本年度无其他事项。", 1), encoding="utf-8")
        second = until(url, lambda s: s["build"] == 2 and not s["running"])
        assert "xiangshan/2021" in first["read"] and len(first["read"]) > 1
        assert second["read"] == ["xiangshan/2021"]  # in the warm process: only the saved page read again
        with urllib.request.urlopen(url + "xiangshan/2021.html", timeout=5) as r:
            html = r.read().decode("utf-8")
        assert "本年度无其他事项。" in html and "/__govreport/preview.js" in html
        (root / "conf.py").write_text((root / "conf.py").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        time.sleep(0.5)
        until(url, lambda s: s["build"] == 1 and not s["running"])  # a new process: its first build
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_failed_build_banner() -> None:
    state = State(build=3, ok=False, message="构建失败，页面是上一次构建的结果：ValueError: x")
    page = _inject(b"<html><body class=\"x\"><p>hi</p></body></html>", state, ["a-2021.pdf"]).decode("utf-8")
    assert page.startswith('<html><body class="x"><div class="gov-preview-banner gov-preview-banner--failed" role="alert">预览：构建失败')
    assert '"stale": ["a-2021.pdf"]' in page and page.endswith("</script></body></html>")


def test_broken_conf_keeps_the_preview_and_says_so(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    conf = root / "conf.py"
    good = conf.read_text(encoding="utf-8")
    with (tmp_path / "serve.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "govreport.workbench.serve", "--root", str(root), "--src", ".", "--port", str(port)],
                                env=dict(os.environ, PYTHONPATH=str(ROOT / "ext")), stdout=log, stderr=subprocess.STDOUT)
    try:
        until(url, lambda s: s["build"] == 1 and not s["running"])
        conf.write_text(good + "\nextensions = [\n", encoding="utf-8")  # a syntax error
        broken = until(url, lambda s: not s["ok"])
        assert "预览没有重新启动" in broken["message"] and "SyntaxError" in broken["message"]
        with urllib.request.urlopen(url + "index.html", timeout=5) as r:
            assert "gov-preview-banner--failed" in r.read().decode("utf-8")
        assert proc.poll() is None
        conf.write_text(good, encoding="utf-8")
        until(url, lambda s: s["build"] == 1 and s["ok"] and not s["running"])  # restarted, built again
    finally:
        proc.terminate()
        proc.wait(timeout=10)
