"""``make serve``: the writer's preview, one Sphinx application kept warm.

sphinx-autobuild starts a new ``sphinx-build`` process for every change: each
one imports Sphinx, reads the environment and compiles the templates again.
Here one application stays in memory; a saved file is rebuilt in-process (one
edited report: a fraction of a second) and the open page reloads by itself.

* The served pages carry a small script that asks ``/__govreport/state`` for
  the build number and reloads when it changes.
* A build with findings says so on the page (the report page lists them); a
  build that failed puts a red banner on every page instead of looking normal.
* PDF links: ``/pdf/…`` is served from ``_build/pdf``; a PDF older than its
  report's files, or missing, has its links marked "未随修改重新生成".
* A change to conf.py, site.toml, ext/ or pyproject.toml (the pins) restarts
  the process: code and configuration are not reloaded in place.
* Each report page has an "编辑数据" link to the workbench (``workbench/``):
  the tables as a form, saved to the CSV files, committed on the report's branch.
* Served: the built pages and their assets only (no ``.doctrees``, pickles or
  other hidden files, no folder listings); a bad path is a 404. It listens on
  127.0.0.1 and answers only requests for its own ``Host`` (DNS rebinding).

    python -m govreport.workbench.serve [--port 8000]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..model.report import discover
from .api import Workbench
from .guard import MAX_BODY, host_ok, new_token

STATE_PATH = "/__govreport/state"
SCRIPT_PATH = "/__govreport/preview.js"
SCRIPT = Path(__file__).with_suffix(".js")  # not in static/: only the preview serves it
POLL_MS = 200
#: What restarts the process rather than rebuilding (relative to the root).
RESTART_ON = ("conf.py", "site.toml", "pyproject.toml", "ext")
#: Built files never served: Sphinx's pickled environment and doctrees, its build info.
NOT_SERVED = (".pickle", ".doctree", ".buildinfo")
#: The preview's own marks (the failed-build banner, a PDF not rebuilt), served with them: the site's
#: stylesheet is trimmed to the rules the built pages use, and these are not in the built pages.
PREVIEW_STYLE = ("<style>.gov-preview-banner{position:sticky;top:0;z-index:2000;padding:.5rem 1rem;font-size:.95rem}"
                 ".gov-preview-banner--failed{background:#b00020;color:#fff}.gov-preview-banner--ok{background:#e7f2e7;color:#1d4d1d}"
                 '.gov-pdf-stale::after{content:"（PDF 未随修改重新生成）";color:#b00020;font-weight:600}</style>')
EDIT_STYLE = ("<style>.gov-preview-tools{position:fixed;right:1rem;bottom:1rem;z-index:1000}"
              ".gov-preview-tools a{display:inline-block;padding:.5rem 1rem;border-radius:4px;background:#1d4ed8;color:#fff;"
              "font-weight:600;text-decoration:none;box-shadow:0 2px 6px rgba(0,0,0,.3)}</style>")


@dataclass
class State:
    """The last build, as the served pages see it."""

    build: int = 0
    running: bool = False
    ok: bool = True
    errors: int = 0
    message: str = ""
    seconds: float = 0.0
    finished_at: float = 0.0
    read: list[str] = field(default_factory=list)  # the pages the last build read again
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self, stale: list[str], page: str | None = None) -> bytes:
        with self.lock:
            data = {"build": self.build, "running": self.running, "ok": self.ok, "errors": self.errors,
                    "message": self.message, "seconds": round(self.seconds, 3), "read": self.read, "stale_pdfs": stale,
                    "page": page}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _snapshot(paths: list[Path]) -> dict[str, int]:
    """mtime_ns (and size) of every file under ``paths``: what a change is."""
    out: dict[str, int] = {}
    for p in paths:
        if p.is_file():
            st = p.stat()
            out[str(p)] = st.st_mtime_ns ^ st.st_size
        elif p.is_dir():
            for f in _walk(p):
                try:
                    st = f.stat()
                except OSError:
                    continue
                out[str(f)] = st.st_mtime_ns ^ st.st_size
    return out


def _walk(folder: Path) -> Iterator[Path]:
    for entry in os.scandir(folder):
        if entry.name.startswith(".") or entry.name in ("_build", "__pycache__", "node_modules"):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


class Preview:
    """The warm application, its watcher and its state."""

    def __init__(self, root: Path, srcdir: Path, outdir: Path, pdfdir: Path, quiet: bool = True) -> None:
        self.root, self.srcdir, self.outdir, self.pdfdir = root, srcdir, outdir, pdfdir
        self.state = State()
        self.quiet = quiet
        self.app: Any = None
        self._read: list[str] = []
        self.watched = [srcdir, root / "data"]
        self.restart_on = [root / name for name in RESTART_ON]
        self.saved = threading.Event()  # the workbench wrote a file: look now, it is complete

    def _make_app(self) -> Any:
        from sphinx.application import Sphinx

        status = io.StringIO() if self.quiet else sys.stdout
        app = Sphinx(str(self.srcdir), str(self.root), str(self.outdir), str(self.outdir / ".doctrees"), "html",
                     status=status, warning=sys.stderr, freshenv=False, parallel=0)
        app.connect("env-before-read-docs", lambda _app, _env, docnames: self._read.extend(docnames))
        return app

    def build(self) -> None:
        """One build in this process; its outcome goes to the state."""
        with self.state.lock:
            self.state.running = True
        start = time.perf_counter()
        ok, errors, message = True, 0, ""
        self._read = []
        try:
            if self.app is None:
                self.app = self._make_app()
            self.app.statuscode = 0
            self.app.build()
            errors = _error_count(self.app)
            if self.app.statuscode:
                ok = False
                message = f"检查发现 {errors} 个错误：报告不能发布（页面仅供预览，错误列在报告页面顶部）。"
        except Exception as exc:  # a failed build must show on the page, not only in the terminal
            ok = False
            message = f"构建失败，页面是上一次构建的结果：{type(exc).__name__}: {exc}"
            traceback.print_exc()
            self.app = None  # start from a fresh application next time
        seconds = time.perf_counter() - start
        with self.state.lock:
            self.state.build += 1
            self.state.running = False
            self.state.ok, self.state.errors, self.state.message = ok, errors, message
            self.state.seconds, self.state.finished_at = seconds, time.time()
            self.state.read = sorted(self._read)
        print(f"[预览] 第 {self.state.build} 次构建 {seconds:.2f} 秒：{'通过' if ok else message}", flush=True)

    def stale_pdfs(self) -> list[str]:
        """PDF names whose PDF is missing or older than one of its report's files."""
        out = []
        for agency, year in discover(self.root):
            pdf = self.pdfdir / f"{agency}-{year}.pdf"
            sources = [self.srcdir / agency / f"{year}.md", *(self.root / "data" / agency / str(year)).glob("*")]
            newest = max((p.stat().st_mtime_ns for p in sources if p.is_file()), default=0)
            if not pdf.is_file() or pdf.stat().st_mtime_ns < newest:
                out.append(pdf.name)
        return out

    def snapshots(self) -> tuple[dict[str, int], dict[str, int]]:
        """What the watcher compares with: the pages and data, the code and configuration."""
        return _snapshot(self.watched), _snapshot(self.restart_on)

    def watch(self, since: tuple[dict[str, int], dict[str, int]] | None = None, interval: float = 0.1) -> None:
        """Rebuild when a page or data file changes; restart for code and configuration.

        ``since``: the snapshots taken before the first build, so that a file saved
        while it ran (or before the watcher's first look) is not missed."""
        seen, code = since or self.snapshots()
        while True:
            woken = self.saved.wait(interval)
            self.saved.clear()
            now_code = _snapshot(self.restart_on)
            if now_code != code:
                code = now_code
                problem = self._code_problem()
                if problem:
                    # Restarting would end the preview: say so on the pages and wait for a fix.
                    with self.state.lock:
                        self.state.build += 1
                        self.state.ok, self.state.message = False, f"代码或配置有错误，预览没有重新启动：{problem}"
                    print(f"[预览] {self.state.message}", flush=True)
                    continue
                print("[预览] conf.py、site.toml、ext/ 或依赖版本有改动：重新启动预览", flush=True)
                # sys.argv[0] is this file's path under -m: run the module again by name.
                os.execv(sys.executable, [sys.executable, "-m", "govreport.workbench.serve", *sys.argv[1:]])
            now = _snapshot(self.watched)
            if now != seen:
                if not woken:
                    time.sleep(0.05)  # an editor writes in several steps: let it finish (the workbench's writes are atomic)
                seen = _snapshot(self.watched)
                self.build()


    def _code_problem(self) -> str:
        """The last line of the error a fresh process gets from the extension and conf.py ("" when none)."""
        check = ("import runpy, sys; sys.path.insert(0, 'ext'); import govreport.sphinxext, govreport.workbench.serve; "
                 "runpy.run_path('conf.py')")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(self.root / "ext"), os.environ.get("PYTHONPATH", "")]))
        proc = subprocess.run([sys.executable, "-c", check], cwd=self.root, env=env, capture_output=True, text=True)
        if proc.returncode == 0:
            return ""
        lines = [x for x in proc.stderr.strip().splitlines() if x.strip()]
        return lines[-1] if lines else f"退出码 {proc.returncode}"


def _error_count(app: Any) -> int:
    store = app.env.domaindata.get("gov", {}).get("findings", {})  # the extension's domain (sphinxext/domain.py)
    return sum(1 for found in store.values() for f in found if f.is_error)


def page_stamp(target: Path | None) -> str | None:
    """When a built page was last written, once it is written in full (Sphinx writes in place):
    a page that changes reloads as soon as it is written, before the build's last steps."""
    if target is None:
        return None
    try:
        with target.open("rb") as f:
            st = os.fstat(f.fileno())
            f.seek(max(0, st.st_size - 16))
            if not f.read().rstrip().endswith(b"</html>"):
                return None
    except OSError:
        return None
    return str(st.st_mtime_ns)


def _inject(page: bytes, state: State, stale: list[str], edit: str | None = None, stamp: str | None = None) -> bytes:
    """The reload script and, after a failed build, the banner, into one page;
    ``edit``: the workbench's address for a report page (its "编辑数据" link)."""
    banner = ""
    with state.lock:
        if not state.ok:
            banner = f'<div class="gov-preview-banner gov-preview-banner--failed" role="alert">预览：{html.escape(state.message)}</div>'
        build, running, ok = state.build, state.running, state.ok
    start = json.dumps({"build": build, "running": running, "ok": ok, "page": stamp, "stale": stale, "poll": POLL_MS}, ensure_ascii=False)
    script = f'{PREVIEW_STYLE}<script>window.GOV_PREVIEW={start};</script><script src="{SCRIPT_PATH}"></script>'
    text = page.decode("utf-8", errors="replace")
    if edit:
        banner += f'{EDIT_STYLE}<div class="gov-preview-tools"><a data-action="edit" href="{html.escape(edit, quote=True)}">编辑数据</a></div>'
    if banner and "<body" in text:
        at = text.index(">", text.index("<body")) + 1
        text = text[:at] + banner + text[at:]
    text = text.replace("</body>", script + "</body>", 1) if "</body>" in text else text + script
    return text.encode("utf-8")


def _served(outdir: Path, path: str) -> Path | None:
    """The built file a URL path names, or None: hidden files and folders (``.doctrees``),
    pickles, a NUL or ``..``, a symbolic link out of the output folder are not served."""
    rel = urllib.parse.unquote(path, errors="strict") if "%" in path else path
    if "\x00" in rel or "\\" in rel:
        return None
    parts = [p for p in rel.split("/") if p]
    if any(p.startswith(".") for p in parts) or rel.endswith(NOT_SERVED):
        return None
    target = outdir.joinpath(*parts) if parts else outdir
    try:
        if target.is_dir():
            target = target / "index.html"
        real = target.resolve()
        if not real.is_relative_to(outdir.resolve()) or not real.is_file() or real.name.endswith(NOT_SERVED):
            return None
    except (OSError, ValueError):
        return None
    return target


def _report_page(preview: Preview, path: str) -> str | None:
    """The workbench address for a report page's URL (``/agency/2021.html``), else None."""
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[1].endswith(".html") and parts[1][:-5].isdigit():
        key = (parts[0], int(parts[1][:-5]))
        if key in discover(preview.root):
            return f"/__govreport/edit/{key[0]}/{key[1]}"
    return None


def make_handler(preview: Preview, workbench: Workbench | None = None) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(preview.outdir), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal is for findings
            pass

        def _host_ok(self) -> bool:
            """Only requests naming this server: a DNS-rebinding page sends its own name."""
            if host_ok(self.headers.get("Host"), int(self.server.server_address[1])):  # type: ignore[index]
                return True
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "只接受发往 127.0.0.1 或 localhost 的请求".encode(), "text/plain; charset=utf-8")
            return False

        def _not_found(self) -> None:
            self._send(HTTPStatus.NOT_FOUND, "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>没有这个页面</title><p>没有这个页面。</p></html>".encode(), "text/html; charset=utf-8")

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_POST(self) -> None:
            if not self._host_ok():
                return
            if workbench is None:
                self._not_found()
                return
            path = self.path.split("?", 1)[0]
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            body = self.rfile.read(length) if 0 <= length <= MAX_BODY else None
            if body is None:
                self.close_connection = True  # the body is not read: the connection cannot be reused
            try:
                answer = workbench.post(path, self.headers, body)
            except Exception as exc:  # answered, never a traceback page
                traceback.print_exc()
                self._send(500, json.dumps({"error": f"服务器出错：{type(exc).__name__}"}, ensure_ascii=False).encode(), "application/json; charset=utf-8")
                return
            self._send(answer.status, answer.body, answer.ctype)

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the page was closed or reloaded meanwhile

        def do_GET(self) -> None:
            if not self._host_ok():
                return
            try:
                self._get()
            except Exception:  # a bad path or a vanished file: 404, not a traceback
                self._not_found()

        def _get(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if workbench is not None:
                answer = workbench.get(path)
                if answer is not None:
                    self._send(answer.status, answer.body, answer.ctype)
                    return
            if path == STATE_PATH:
                query = urllib.parse.parse_qs(self.path.partition("?")[2]).get("page", [""])[0]
                stamp = page_stamp(_served(preview.outdir, query)) if query.startswith("/") else None
                self._send(200, preview.state.as_json(preview.stale_pdfs(), stamp), "application/json; charset=utf-8")
                return
            if path == SCRIPT_PATH:
                self._send(200, SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
                return
            if path.startswith("/pdf/") and path.endswith(".pdf"):
                pdf = preview.pdfdir / Path(path).name
                if pdf.is_file() and not pdf.name.startswith("."):
                    self._send(200, pdf.read_bytes(), "application/pdf")
                else:
                    msg = "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>PDF 还没有生成</title><p>这份 PDF 还没有生成：运行 <code>make pdf</code>。</p></html>"
                    self._send(HTTPStatus.NOT_FOUND, msg.encode("utf-8"), "text/html; charset=utf-8")
                return
            target = _served(preview.outdir, path)
            if target is None:
                self._not_found()
                return
            if target.suffix == ".html":
                edit = _report_page(preview, path) if workbench is not None else None
                stamp = page_stamp(target)
                self._send(200, _inject(target.read_bytes(), preview.state, preview.stale_pdfs(), edit, stamp), "text/html; charset=utf-8")
                return
            ctype = self.guess_type(str(target))
            self._send(200, target.read_bytes(), ctype)

    return Handler


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="写作预览：保存文件后自动重新构建并刷新页面")
    ap.add_argument("--root", default=".", help="仓库根目录（conf.py、data/ 所在）")
    ap.add_argument("--src", default="docs", help="页面目录（相对根目录）")
    ap.add_argument("--out", default="_build/html", help="网页输出目录")
    ap.add_argument("--pdf", default="_build/pdf", help="PDF 目录（make pdf 的输出）")
    ap.add_argument("--host", default="127.0.0.1", choices=["127.0.0.1"], help="只在本机监听（不可改）")
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    ap.add_argument("--verbose", action="store_true", help="显示 Sphinx 的进度输出")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    preview = Preview(root, root / args.src, root / args.out, root / args.pdf, quiet=not args.verbose)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), SimpleHTTPRequestHandler)
    workbench = Workbench(root, preview.srcdir, new_token(), server.server_address[1], on_saved=preview.saved.set)
    server.RequestHandlerClass = make_handler(preview, workbench)
    server.daemon_threads = True
    since = preview.snapshots()  # before the build: a save during it is a change
    preview.build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"[预览] http://{args.host}:{args.port}/ （保存文件后页面自动刷新；Ctrl+C 退出）", flush=True)
    try:
        preview.watch(since)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
