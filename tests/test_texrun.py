"""One PDF: XeLaTeX to a fixed point of its .aux, then xdvipdfmx; a stamp of what it read.

Small documents of their own, typeset for real: an unchanged one costs no run;
a changed file it read (a style beside it, an \\input), a deleted PDF or
another SOURCE_DATE_EPOCH builds it again; a layout that never settles is
said; a failed run leaves no .aux behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from govreport.edition import texrun
from govreport.edition.pdf import build_all

DOC = "\\documentclass{article}\\usepackage{mine}\\begin{document}\\label{a}A \\input{part} \\pageref{a}\\end{document}\n"


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    for tool in ("xelatex", "xdvipdfmx"):
        assert shutil.which(tool), f"{tool} is missing: run `make system`"
    (tmp_path / "mine.sty").write_text("\\def\\mine{x}\n", encoding="utf-8")
    (tmp_path / "part.tex").write_text("B\n", encoding="utf-8")
    tex = tmp_path / "doc.tex"
    tex.write_text(DOC, encoding="utf-8")
    return tex


@pytest.mark.slow
def test_settles_then_skips_until_something_it_read_changes(doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = texrun.typeset(doc)
    assert first.ok and first.settled and first.runs == 2, first  # the label needs a second run, which changes nothing
    assert texrun.typeset(doc).runs == 0
    (doc.parent / "part.tex").write_text("C\n", encoding="utf-8")
    assert texrun.typeset(doc).runs == 1  # the .aux comes out as it went in
    (doc.parent / "mine.sty").write_text("\\def\\mine{y}\n", encoding="utf-8")
    assert texrun.typeset(doc).runs == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert texrun.typeset(doc).runs == 1
    assert texrun.typeset(doc).runs == 0
    doc.with_suffix(".pdf").unlink()
    again = texrun.typeset(doc)
    assert again.runs == 1 and doc.with_suffix(".pdf").is_file()


@pytest.mark.slow
def test_a_layout_that_never_settles_is_said(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # each run writes one more than it read
    doc.write_text("\\documentclass{article}\\makeatletter\\providecommand\\n{0}"
                   "\\AtEndDocument{\\immediate\\write\\@auxout{\\gdef\\string\\n{\\the\\numexpr\\n+1\\relax}}}"
                   "\\makeatother\\begin{document}\\n\\end{document}\n", encoding="utf-8")
    out = doc.parent / "out"
    assert build_all(doc.parent, out, jobs=1, names=["doc"]) == 0  # the PDF is made, and the log says it may differ
    assert "排版 5 次后版面仍在变化" in capsys.readouterr().err
    assert not doc.with_suffix(".settled").exists()
    assert texrun.typeset(doc).runs == texrun.MAX_RUNS  # no stamp: typeset again


@pytest.mark.slow
def test_a_failed_run_leaves_no_aux(doc: Path) -> None:
    assert texrun.typeset(doc).ok
    doc.write_text(DOC.replace("\\end{document}", "\\undefinedmacro\\end{document}"), encoding="utf-8")
    result = texrun.typeset(doc)
    assert not result.ok and result.problems[0].startswith("XeLaTeX 失败：")
    assert not doc.with_suffix(".aux").exists() and not doc.with_suffix(".settled").exists()


@pytest.mark.slow
def test_no_search_of_the_folder_for_a_name_in_another_case(doc: Path) -> None:
    """A name TeX cannot find is not looked for in another case (kpathsea would read the whole
    folder for it, at every probe: in a folder of a thousand reports' files, a run took 3–4× as long)."""
    (doc.parent / "Other.tex").write_text("x\n", encoding="utf-8")
    doc.write_text(DOC.replace("\\end{document}", "\\IfFileExists{other.tex}{\\typeout{FOUND-IN-ANOTHER-CASE}}{}\\end{document}"),
                   encoding="utf-8")
    assert texrun.typeset(doc).ok
    assert "FOUND-IN-ANOTHER-CASE" not in doc.with_suffix(".log").read_text(encoding="utf-8")
