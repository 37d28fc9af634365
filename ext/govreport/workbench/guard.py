"""What a request must carry to be answered, and which files may be written.

* ``Host`` is the server's own (127.0.0.1 or localhost, with its port): a page
  on another site that rebinds its DNS name to 127.0.0.1 still sends its own
  name, and is refused.
* A write carries the session's token in ``X-Govreport-Token``. The token is
  only in the editor page, which another site cannot read; a custom header
  also makes any cross-site request a preflighted one, which is never allowed.
* Bodies are bounded; only a report's own files are writable.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from pathlib import Path

from ..format.spec import load_spec, spec_for_year, versions
from ..model.report import SLUG, discover

TOKEN_HEADER = "X-Govreport-Token"
#: The largest request body (a whole form of three tables is about 10 KB).
MAX_BODY = 256 * 1024
_YEAR = re.compile(r"[0-9]{4}")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def host_ok(host: str | None, port: int) -> bool:
    """Only the preview's own address, as the browser names it."""
    return host in (f"127.0.0.1:{port}", f"localhost:{port}")


def origin_ok(origin: str | None, port: int) -> bool:
    """A request from a page: only from the preview itself (no Origin: not from a page)."""
    return origin is None or origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}")


def token_ok(sent: str | None, token: str) -> bool:
    return sent is not None and hmac.compare_digest(sent.encode("utf-8", "replace"), token.encode("utf-8"))


class Refused(PermissionError):
    """A path or report the workbench does not write; the message says why, in Chinese."""


def report_key(root: Path, text: object) -> tuple[str, int]:
    """``agency/year`` of an existing report, else :class:`Refused` (nothing else names a file)."""
    if not isinstance(text, str) or text.count("/") != 1:
        raise Refused("报告应写作 机构/年度，例如 xiangshan/2021")
    agency, year = text.split("/")
    if not SLUG.fullmatch(agency) or not _YEAR.fullmatch(year) or (agency, int(year)) not in discover(root):
        raise Refused(f"没有这份报告：{text[:60]}")
    return agency, int(year)


def writable(root: Path, docs: Path, agency: str, year: int, name: str) -> Path:
    """The path of a file the workbench may write for one report: a table's CSV or
    report.toml in ``data/<agency>/<year>/``, or the report's page; anything else
    (another folder, ``..``, a symbolic link, a file leaving the repository) is refused."""
    if not SLUG.fullmatch(agency):
        raise Refused(f"机构简称不对：{agency[:40]}")
    data = root / "data" / agency / str(year)
    page = docs / agency / f"{year}.md"
    fmt = versions()
    names = {"report.toml"} | {t.file for v in fmt for t in load_spec(v).tables.values()} | {t.file for t in spec_for_year(year).tables.values()}
    page_name = page.relative_to(root).as_posix() if page.is_relative_to(root) else None
    if name == page_name:
        target, folder = page, docs
    elif name in names:
        target, folder = data / name, root / "data"
    else:
        raise Refused(f"只能写入本报告的数据文件和页面，拒绝：{name[:80]}")
    real_folder = folder.resolve()
    for p in [target, *target.parents]:
        if p == folder:
            break
        if os.path.islink(p):
            raise Refused(f"{p.relative_to(root).as_posix()} 是符号链接，拒绝写入")
    if not target.resolve().is_relative_to(real_folder):
        raise Refused(f"{name[:80]} 在仓库的 data/ 或 docs/ 之外，拒绝写入")
    return target
