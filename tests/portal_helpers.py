"""Shared set-up of the portal tests (issue 16): copies of tests/roots/test-district."""

from __future__ import annotations

import shutil
from pathlib import Path

from govreport.checks import check_report
from govreport.findings import Finding

DISTRICT = Path(__file__).parent / "roots" / "test-district"
REPO = Path(__file__).parent.parent


def district_into(dest: Path) -> None:
    """The district's data/, portal.toml and pages (as docs/) into the repository at ``dest``."""
    shutil.copytree(DISTRICT / "data", dest / "data")
    shutil.copy(DISTRICT / "portal.toml", dest / "portal.toml")
    for p in DISTRICT.iterdir():
        if p.is_dir() and p.name != "data":
            shutil.copytree(p, dest / "docs" / p.name)
        elif p.suffix == ".md":
            (dest / "docs").mkdir(exist_ok=True)
            shutil.copy(p, dest / "docs" / p.name)


def district_copy(dest: Path, layout: str = "sphinx") -> Path:
    """The synthetic district at ``dest``: ``sphinx`` keeps the test root's layout
    (pages beside data/); ``repo`` is a repository (docs/, the project's conf.py)."""
    if layout == "sphinx":
        shutil.copytree(DISTRICT, dest)
        return dest
    dest.mkdir(parents=True)
    district_into(dest)
    main = REPO / "conf.py"
    (dest / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'ext')!r})\n"
        f"_SRC = open({str(main)!r}, encoding='utf-8').read()\n"
        f"_OLD = {'ROOT = Path(__file__).parent.resolve()'!r}\n"
        f"_NEW = {f'ROOT = Path({str(dest)!r})'!r}\n"
        f"exec(compile(_SRC.replace(_OLD, _NEW), {str(main)!r}, 'exec'))\n",
        encoding="utf-8")
    return dest


def findings(root: Path, agency: str, year: int, docs: Path | None = None) -> list[Finding]:
    return check_report(root, agency, year, docs=docs if docs is not None else root).findings


def flat(found: list[Finding]) -> list[tuple[str, str, int | None, str | None, bool]]:
    """(code, path, line, column, blocks) of each finding."""
    return [(f.code, f.path, f.line, f.column, f.is_error) for f in found]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
