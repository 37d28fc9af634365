"""The preview server's workbench routes, as plain functions of a request.

``GET  /__govreport/edit/<agency>/<year>``   the editor page (carries the token)
``GET  /__govreport/editor.js``, ``editor.css``
``POST /__govreport/api/check``     findings for the typed cells (nothing written)
``POST /__govreport/api/save``      write the tables (conflicts answered 409)
``POST /__govreport/api/settings``  write report.toml's four keys
``POST /__govreport/api/commit``    commit the report's files on its branch

Every POST needs the token, a JSON body within :data:`guard.MAX_BODY`, and a
report that exists; the server has already checked the Host.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..model.atomic import WriteFailed
from ..model.report import load_report
from .commit import CommitError, commit_report
from .csvedit import CsvEditError
from .edits import EditError, edited_files, parse_cells
from .form import PREFIX, Context, page_html
from .guard import MAX_BODY, TOKEN_HEADER, Refused, origin_ok, report_key, token_ok
from .live import check_contents, located
from .save import save_settings, save_tables

ASSETS = {f"{PREFIX}/editor.js": ("editor.js", "text/javascript; charset=utf-8"),
          f"{PREFIX}/editor.css": ("editor.css", "text/css; charset=utf-8")}
HERE = Path(__file__).parent

JSON = "application/json; charset=utf-8"


class Headers(Protocol):
    """A request's headers (``http.server``'s message, or a dict in the tests)."""

    def get(self, name: str, default: None = None, /) -> str | None: ...


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    ctype: str


def _json(status: int, data: Any) -> Answer:
    return Answer(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), JSON)


def _error(status: int, message: str) -> Answer:
    return _json(status, {"error": message})


class Workbench:
    """The workbench of one preview: its repository root and its session token."""

    def __init__(self, root: Path, docs: Path, token: str, port: int, on_saved: Callable[[], None] | None = None) -> None:
        """``on_saved``: called after a file is written (the preview rebuilds at once)."""
        self.root, self.docs, self.token, self.port = root, docs, token, port
        self.on_saved = on_saved or (lambda: None)
        # One write at a time: two tabs saving at once must not both pass the hash check.
        self.writing = threading.Lock()

    def get(self, path: str) -> Answer | None:
        """The editor page or one of its assets; None for any other path (not the workbench's)."""
        if path in ASSETS:
            name, ctype = ASSETS[path]
            return Answer(200, (HERE / name).read_bytes(), ctype)
        if not path.startswith(f"{PREFIX}/edit/"):
            return None
        try:
            agency, year = report_key(self.root, path.removeprefix(f"{PREFIX}/edit/").removesuffix("/"))
        except Refused as exc:
            return Answer(404, f"<!DOCTYPE html><meta charset=utf-8><title>没有这份报告</title><p>{exc}</p>".encode(), "text/html; charset=utf-8")
        report = load_report(self.root, agency, year, self.docs)
        return Answer(200, page_html(report, Context(self.token)).encode("utf-8"), "text/html; charset=utf-8")

    def post(self, path: str, headers: Headers, body: bytes | None) -> Answer:
        """One write or check; ``body`` None: longer than the limit (not read)."""
        if not token_ok(headers.get(TOKEN_HEADER), self.token) or not origin_ok(headers.get("Origin"), self.port):
            return _error(403, "没有会话令牌：只能在预览自己的编辑页面中修改（请从报告页面的“编辑数据”打开）")
        if body is None:
            return _error(413, f"请求过大（超过 {MAX_BODY // 1024} KB）")
        if "json" not in (headers.get("Content-Type") or ""):
            return _error(415, "请求应为 JSON")
        try:
            req = json.loads(body)
            if not isinstance(req, dict):
                raise ValueError
        except ValueError:
            return _error(400, "请求不是有效的 JSON")
        try:
            agency, year = report_key(self.root, req.get("report"))
            if path.endswith("/check"):
                return self._route(path, agency, year, req)
            with self.writing:
                return self._route(path, agency, year, req)
        except Refused as exc:
            return _error(403, str(exc))
        except (EditError, CsvEditError) as exc:
            return _error(422, str(exc))
        except CommitError as exc:
            return _error(409, str(exc))
        except WriteFailed as exc:
            return _error(500, str(exc))

    def _route(self, path: str, agency: str, year: int, req: dict[str, Any]) -> Answer:
        root, docs = self.root, self.docs
        if path == f"{PREFIX}/api/check":
            report = load_report(root, agency, year, docs)
            contents = edited_files(report, parse_cells(report, req.get("cells", {})))
            typed, found = check_contents(root, docs, agency, year, contents)
            return _json(200, {"findings": located(typed, found)})
        if path == f"{PREFIX}/api/save":
            out = save_tables(root, docs, agency, year, req.get("tables"))
            if out.saved:
                self.on_saved()
            return _json(409 if out.conflicts else 200, out.as_json())
        if path == f"{PREFIX}/api/settings":
            out = save_settings(root, docs, agency, year, req.get("hash"), req.get("values"))
            if out.saved:
                self.on_saved()
            status = 409 if out.conflicts else 200 if out.saved or out.form else 422
            return _json(status, out.as_json())
        if path == f"{PREFIX}/api/commit":
            done = commit_report(root, docs, agency, year)
            return _json(200, {"branch": done.branch, "commit": done.commit, "message": done.message, "files": done.files})
        return _error(404, "没有这个接口")
