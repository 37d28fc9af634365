"""A pull request's preview at district scale (issue 22, item 1).

The preview starts from main's last build (``_build``, restored by the
workflow's cache) in a fresh checkout, where every file is new to Sphinx;
``make ci-mtimes`` gives every tracked file one old time, and content decides
what is read again: the reports the change touched and the pages that show
them, not the whole district. ``affected`` lists them for the reviewer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from govreport.model.generated import is_generated
from govreport.portal.affected import affected, markdown, pages
from portal_helpers import district_copy, edit

OLD = 946684800  # what make ci-mtimes sets


def _doctrees(root: Path) -> dict[str, int]:
    base = root / "_build/publish/doctrees/html"
    return {p.relative_to(base).with_suffix("").as_posix(): p.stat().st_mtime_ns for p in base.rglob("*.doctree")}


def _portal(root: Path, docs: dict[str, int]) -> set[str]:
    """The generated portal pages among ``docs`` (issue 20: documents, not tracked by git)."""
    return {d for d in docs if is_generated(root / "docs" / f"{d}.md")}


def _checkout(root: Path, old: bool) -> None:
    """Every source file as a fresh checkout leaves it (now), or as ``make ci-mtimes`` does."""
    stamp = OLD if old else time.time()
    for p in [*(root / "data").rglob("*"), *(root / "docs").rglob("*"), root / "conf.py", root / "portal.toml"]:
        if p.is_file():
            os.utime(p, (stamp, stamp))


def _site(root: Path) -> None:
    """``make site`` without PDFs, a new process as in the workflow (the checks keep
    in-process memos by modification time, which ci-mtimes makes equal)."""
    proc = subprocess.run([sys.executable, "-m", "govreport", "site", "-j", "1", "--no-pdf"], cwd=root, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent / "ext")))
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_preview_rereads_only_what_the_change_reaches(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "repo", layout="repo")
    _checkout(root, old=True)
    _site(root)  # main's build, restored by the cache
    before = _doctrees(root)
    portal = _portal(root, before)
    assert len(before) - len(portal) == 20 and len(portal) == 14, sorted(portal)  # 6 agencies, 3 comparisons, 2 years, 3 members

    # The pull request: one member's number and its roll-up's, consistently; one page's text.
    edit(root / "data/nanshan/2022/table2.csv", "行政规范性文件,5,2,11", "行政规范性文件,6,2,12")
    edit(root / "data/quzhengfu/2022/table2.csv", "行政规范性文件,21,10,88", "行政规范性文件,22,10,89")
    _checkout(root, old=True)  # make ci-mtimes, after the checkout
    _site(root)
    after = _doctrees(root)
    read = sorted(d for d in after if after[d] != before.get(d) and d not in portal)
    # The two reports, next year's (its 上年 columns) and the roll-up's next year (membership), the roll-up's agency page.
    assert read == ["agency-quzhengfu", "nanshan/2022", "nanshan/2023", "quzhengfu/2022", "quzhengfu/2023"], read
    # The portal pages that show those figures (a fresh checkout has none: written as last read, they are not new).
    shown = sorted(d for d in portal if after[d] != before[d])
    assert shown == ["compare-2022", "compare-2023", "nanshan/index", "quzhengfu/2022-members", "quzhengfu/index"], shown

    # Without make ci-mtimes a fresh checkout is a full rebuild.
    _checkout(root, old=False)
    _site(root)
    again = _doctrees(root)
    assert len([d for d in again if again[d] != after[d] and d not in portal]) == 20


def test_affected_reports_and_pages(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "repo", layout="repo")
    a = affected(root, ["nanshan/2022"])
    assert (a.changed, a.next_year, a.rollups, a.agencies) == (["nanshan/2022"], ["nanshan/2023"], ["quzhengfu/2022"],
                                                                 ["nanshan", "quzhengfu"])
    assert pages(a)[:2] == ["nanshan/2022.html", "pdf/nanshan-2022.pdf"] and pages(a)[-1] == "quzhengfu/index.html"
    assert "汇总报告（成员之和）：`quzhengfu/2022`" in markdown(a)
    b = affected(root, ["quzhengfu/2023"])  # a roll-up: no roll-up above it, no next year
    assert (b.next_year, b.rollups) == ([], [])
    assert "没有改动任何报告" in markdown(affected(root, []))


def test_ci_mtimes_gives_tracked_files_one_old_time(tmp_path: Path) -> None:
    repo = Path(__file__).parent.parent
    tree = tmp_path / "t"
    tree.mkdir()
    (tree / "a.csv").write_text("x\n", encoding="utf-8")
    (tree / "b.md").write_text("y\n", encoding="utf-8")
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True, env=env)
    subprocess.run(["git", "add", "a.csv"], cwd=tree, check=True, env=env)
    subprocess.run(["make", "-s", "-f", str(repo / "Makefile"), "ci-mtimes"], cwd=tree, check=True, env=env)
    assert (tree / "a.csv").stat().st_mtime == OLD and (tree / "b.md").stat().st_mtime > OLD  # untracked: left alone


def _latex(root: Path, out: Path, doctrees: Path) -> None:
    """The publishing build's LaTeX step (``publish.build_pdfs``), a new process."""
    cmd = [sys.executable, "-m", "sphinx", "-q", "-c", str(root), "-b", "latex", "-d", str(doctrees), "-D", "govreport_publish=passing",
           "-j", "1", str(root / "docs"), str(out)]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent / "ext")))
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_latex_writes_only_the_reports_read_again(tmp_path: Path) -> None:
    """make site's LaTeX step writes the .tex of the reports read again, and the
    folder then equals a clean LaTeX build's, .tex by .tex."""
    root = district_copy(tmp_path / "repo", layout="repo")
    _checkout(root, old=True)
    latex, doctrees = root / "_build/publish/latex", root / "_build/publish/doctrees/latex"
    _latex(root, latex, doctrees)
    before = {p.name: p.stat().st_mtime_ns for p in latex.glob("*.tex")}
    assert len(before) == 17  # every passing report (shuiwu/2023 is withheld)
    _latex(root, latex, doctrees)
    assert {p.name: p.stat().st_mtime_ns for p in latex.glob("*.tex")} == before  # nothing read: nothing written
    edit(root / "data/nanshan/2022/table2.csv", "行政规范性文件,5,2,11", "行政规范性文件,6,2,12")
    edit(root / "data/quzhengfu/2022/table2.csv", "行政规范性文件,21,10,88", "行政规范性文件,22,10,89")
    _checkout(root, old=True)
    _latex(root, latex, doctrees)
    after = {p.name: p.stat().st_mtime_ns for p in latex.glob("*.tex")}
    # The PDF shows no other report's numbers: next year's .tex stays as it was (the clean build below agrees).
    assert sorted(n for n in after if after[n] != before[n]) == ["nanshan-2022.tex", "quzhengfu-2022.tex"]
    clean = tmp_path / "clean"
    _latex(root, clean, tmp_path / "clean-doctrees")
    for p in clean.glob("*.tex"):
        assert (latex / p.name).read_bytes() == p.read_bytes(), p.name
