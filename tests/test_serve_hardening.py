"""make serve answers only what it should (issue 26, item 9): the built pages and
their assets, not Sphinx's pickles; a 404 and no traceback for a bad path; only
127.0.0.1, only its own Host (DNS rebinding); no write without the session token."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from ports import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
SITE_ROOT = Path(__file__).parent / "roots" / "test-site"


class Served:
    def __init__(self, root: Path, port: int, log: Path) -> None:
        self.root, self.port, self.log = root, port, log

    def get(self, path: str, host: str | None = None, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """One raw request: the path is sent exactly as written (no client-side normalising)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host if host is not None else f"127.0.0.1:{self.port}")
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("serve")
    root = tmp / "site"
    shutil.copytree(SITE_ROOT, root)
    port = free_port()
    log = tmp / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "govreport.workbench.serve", "--root", str(root), "--src", ".", "--port", str(port)],
                                env=dict(os.environ, PYTHONPATH=str(ROOT / "ext")), stdout=out, stderr=subprocess.STDOUT)
    try:
        end = time.monotonic() + 90
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/__govreport/state", timeout=2) as r:
                    if json.loads(r.read())["build"] >= 1:
                        break
            except OSError:
                time.sleep(0.2)
        yield Served(root, port, log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("path", [
    "/.doctrees/environment.pickle", "/.doctrees/xiangshan/2021.doctree", "/%2Edoctrees/environment.pickle",
    "/xiangshan/../.doctrees/environment.pickle", "/.buildinfo", "/_static/", "/xiangshan/%2e%2e/.doctrees/environment.pickle",
])
def test_only_built_pages_and_assets(served: Served, path: str) -> None:
    assert (served.root / "_build/html/.doctrees/environment.pickle").is_file()  # it is there, and not served
    status, body = served.get(path)
    assert status == 404 and b"\x80\x04" not in body[:2] and b"Index of" not in body


@pytest.mark.parametrize("path", ["/%00", "/index.html%00.png", "/%ff%fe", "/..%5c..%5cconf.py", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd"])
def test_bad_paths_are_404_without_traceback(served: Served, path: str) -> None:
    status, body = served.get(path)
    assert status == 404 and b"Traceback" not in body
    assert "Traceback" not in served.log.read_text(encoding="utf-8")
    assert served.get("/index.html")[0] == 200  # and the server goes on


def test_pages_and_assets_are_served(served: Served) -> None:
    assert served.get("/xiangshan/2021.html")[0] == 200
    assert served.get("/")[0] == 200
    css = next(p.name for p in (served.root / "_build/html/_static").glob("*.css"))
    assert served.get(f"/_static/{css}")[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost.evil.example:{port}", ""])
def test_only_its_own_host(served: Served, host: str) -> None:
    status, _ = served.get("/index.html", host=host.format(port=served.port))
    assert status == 421
    status, _ = served.get("/__govreport/api/save", host=host.format(port=served.port), method="POST", body=b"{}",
                           headers={"Content-Type": "application/json"})
    assert status == 421
    assert served.get("/index.html", host=f"localhost:{served.port}")[0] == 200


def test_listens_on_127_0_0_1_only(served: Served) -> None:
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.2", served.port))  # loopback too, but not the address it listens on
    proc = subprocess.run([sys.executable, "-m", "govreport.workbench.serve", "--host", "0.0.0.0", "--port", str(free_port())],
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "ext")), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "invalid choice: '0.0.0.0'" in proc.stderr


def test_no_write_without_the_token_and_bodies_are_bounded(served: Served) -> None:
    csv = served.root / "data/xiangshan/2021/table3.csv"
    before = csv.read_bytes()
    body = json.dumps({"report": "xiangshan/2021", "tables": {"t3": {"hash": "", "cells": {"t3.new.natural": "99"}}}}).encode()
    status, answer = served.get("/__govreport/api/save", method="POST", body=body, headers={"Content-Type": "application/json"})
    assert status == 403 and "会话令牌" in json.loads(answer)["error"]
    status, _ = served.get("/__govreport/api/save", method="POST", body=body, headers={"Content-Type": "text/plain"})
    assert status == 403
    page = served.get("/__govreport/edit/xiangshan/2021")[1].decode("utf-8")
    token = page.split('"token": "', 1)[1].split('"', 1)[0]
    status, _ = served.get("/__govreport/api/save", method="POST", body=b"{" + b" " * (300 * 1024) + b"}",
                           headers={"Content-Type": "application/json", "X-Govreport-Token": token})
    assert status == 413
    status, answer = served.get("/__govreport/api/save", method="POST", body=body.replace(b"xiangshan/2021", b"../../etc"),
                                headers={"Content-Type": "application/json", "X-Govreport-Token": token})
    assert status == 403
    assert csv.read_bytes() == before
    assert "Traceback" not in served.log.read_text(encoding="utf-8")
