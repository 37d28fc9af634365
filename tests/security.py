"""Shared by tests/test_security*.py: a throw-away copy of the repository, a
secret planted outside it, and ``make check`` / ``make html`` run over it.

Each run returns the findings as ``(code, path, line)`` sets, so the tests can
say "located" (a code at a line), "agree" (check and build give the same set)
and "nothing leaks" (the planted text is in no file under ``_build/`` and in no
finding).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sample import SAMPLE_ROOT

ROOT = Path(__file__).resolve().parents[1]
PLANT = "PLANTED-SECRET-7f3a"
PAGE = "docs/xiangshan/2021.md"
PAGE_LINES = len((SAMPLE_ROOT / PAGE).read_text(encoding="utf-8").splitlines())
#: Line of the first line appended by :func:`append_to_page`.
APPENDED = PAGE_LINES + 2

Located = tuple[str, str, int | None]


def make_site(tmp: Path) -> Path:
    """``tmp/site``: conf.py, ext/ and the site pages (docs/*.md) of the repository
    with the frozen sample (tests/roots/test-sample) as its only report, plus a
    ``.git/config`` holding a token, and ``tmp/outside/`` with secrets.

    The repository's own reports are left out (``make new`` adds to them; the
    tests assert exact findings of the sample)."""
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{PLANT}\nroot:x:0:0\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + PLANT.encode())
    (outside / "secret.csv").write_text(f"项目,{PLANT}\nroot,x\n", encoding="utf-8")
    site = tmp / "site"
    site.mkdir()
    shutil.copy(ROOT / "conf.py", site / "conf.py")
    (site / "docs").mkdir()
    for page in (ROOT / "docs").iterdir():
        if page.is_file():  # index.md, codes.md: the site's own pages, not a report
            shutil.copy(page, site / "docs" / page.name)
    for part in ("docs", "data"):
        shutil.copytree(SAMPLE_ROOT / part, site / part, dirs_exist_ok=True)
    (site / "ext").symlink_to(ROOT / "ext")
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text(f'[http]\n\textraheader = AUTHORIZATION: basic {PLANT}\n', encoding="utf-8")
    return site


def append_to_page(site: Path, text: str, page: str = PAGE) -> None:
    path = site / page
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


@dataclass
class Run:
    found: set[Located]
    text: str  # everything printed, for the leak test
    status: int


_WARNING = re.compile(r"^(\S+?):(\d+)(?::\d+)?: WARNING: (?:错误|警告) ([A-Z]\d{3}) ", re.MULTILINE)
_FILE_WARNING = re.compile(r"^(\S+?): WARNING: (?:错误|警告) ([A-Z]\d{3}) ", re.MULTILINE)


def check(site: Path) -> Run:
    """``make check`` (``python -m govreport check``) in ``site``."""
    from govreport.cli.commands import main

    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(site)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            status = main(["check", "--no-cache", "--format", "json"])
    finally:
        os.chdir(cwd)
    items = json.loads(out.getvalue())
    return Run({(f["code"], f["path"], f["line"]) for f in items}, out.getvalue(), status)


def build(site: Path, builder: str = "html") -> Run:
    """``make html`` (or latex): sphinx-build -c . docs _build/<builder>, in this process."""
    from sphinx.cmd.build import build_main
    from sphinx.util.console import strip_colors

    warnings = site / f"_build/{builder}-warnings.txt"
    warnings.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(site)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            status = build_main(["-c", ".", "-q", "-E", "-b", builder, "-w", str(warnings), "docs", f"_build/{builder}"])
    finally:
        os.chdir(cwd)
    # Sphinx colours its messages when CI=true (as in CI itself): compare the text, not the colours.
    text = strip_colors(warnings.read_text(encoding="utf-8") + out.getvalue())
    found: set[Located] = {(code, path, int(line)) for path, line, code in _WARNING.findall(text)}
    # File-level findings are logged at line 1 (Sphinx needs a line); make check has none.
    return Run(found, text, status)


def leaks(site: Path, *runs: Run, plant: str = PLANT, authored: bool = False) -> list[str]:
    """Where the planted text turns up: files under _build/, or what the runs printed.

    ``authored``: the page itself holds the text (a ``<script>``); then Sphinx's
    private cache of the page's source (``.doctrees``, never published) may too.
    """
    hits = []
    build_dir = site / "_build"
    for path in build_dir.rglob("*") if build_dir.is_dir() else []:
        if authored and ".doctrees" in path.parts:
            continue
        if path.is_file() and not path.name.endswith("-warnings.txt") and plant.encode() in path.read_bytes():
            hits.append(str(path.relative_to(site)))
    hits += [f"output of run {i}" for i, r in enumerate(runs) if plant in r.text]
    return hits


def ours(found: set[Located]) -> set[Located]:
    """Findings of this project (not Sphinx's or docutils' own warnings), file-level at line 1."""
    return {(c, p, 1 if line is None else line) for c, p, line in found}
