"""An archive whose published original prints no 成文日期: ``undated = true``, never an invented date."""

from __future__ import annotations

from pathlib import Path

import pytest
from govreport.model.report import Report
from govreport.portal.archive import ARCHIVED, is_archived
from portal_helpers import district_copy, edit, findings, flat
from sphinx.testing.util import SphinxTestApp

TOML = Path("data") / "xiguan" / "2021" / "report.toml"


def _undated(root: Path, declare: bool) -> None:
    edit(root / TOML, "published = 2022-01-26\n", "undated = true\n" if declare else "")


def test_undated_archive_keeps_its_findings_as_original_problems(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    _undated(root, declare=True)
    found = findings(root, "xiguan", 2021)
    assert flat(found) == [("R304", "data/xiguan/2021/table4.csv", 2, "总计", False)]
    assert found[0].waived == ARCHIVED
    assert is_archived(Report(root=root, agency="xiguan", year=2021))


def test_without_date_or_undated_the_archive_is_refused(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    _undated(root, declare=False)
    found = findings(root, "xiguan", 2021)
    assert [(f.code, f.is_error) for f in found] == [("A952", True), ("R304", True)]
    assert "undated = true" in found[0].message


def test_undated_on_a_report_that_was_not_imported_is_still_a951(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    _undated(root, declare=True)
    edit(root / TOML, 'imported_from = "示例数据：合成的原发布文本"\n', "")
    assert [f.code for f in findings(root, "xiguan", 2021) if f.is_error] == ["A951", "R304"]


def test_import_notes_of_an_archive_stay_a_warning_not_an_original_problem(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    (root / "data" / "xiguan" / "2021" / "import-notes.md").write_text("# 导入说明\n\n- `x.txt:3` 说明\n", encoding="utf-8")
    found = findings(root, "xiguan", 2021)
    assert sorted((f.code, f.is_error, f.waived or "") for f in found) == [("R304", False, ARCHIVED), ("X810", False, "")]


@pytest.mark.sphinx("html", testroot="district", srcdir="district-undated", confoverrides={"govreport_publish": "passing"})
def test_undated_archive_page_says_the_original_has_no_date(app: SphinxTestApp) -> None:
    _undated(Path(app.srcdir), declare=True)  # a copy of its own (srcdir): the shared root stays as it is
    app.build()
    assert app.statuscode == 0
    page = (Path(app.outdir) / "xiguan" / "2021.html").read_text(encoding="utf-8")
    assert "本报告按发布的原文照录，原文未载明成文日期（来源：" in page and "原文问题（1 项" in page
