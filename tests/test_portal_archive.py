"""Archived reports (issue 16): kept as published, findings shown as 原文问题."""

from __future__ import annotations

from pathlib import Path

import pytest
from govreport.portal.archive import ARCHIVED
from portal_helpers import district_copy, edit, findings, flat
from sphinx.testing.util import SphinxTestApp


def test_archive_findings_are_original_problems_not_errors(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    found = findings(root, "xiguan", 2021)
    assert flat(found) == [("R304", "data/xiguan/2021/table4.csv", 2, "总计", False)]
    assert found[0].waived == ARCHIVED


def test_only_imported_history_can_be_archived(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    toml = root / "data" / "xiguan" / "2021" / "report.toml"
    edit(toml, 'imported_from = "示例数据：合成的原发布文本"\n', "")
    found = findings(root, "xiguan", 2021)
    # Not an archive any more: its own error blocks, and the declaration is an error too.
    assert flat(found) == [("A951", "data/xiguan/2021/report.toml", 7, None, True),
                           ("R304", "data/xiguan/2021/table4.csv", 2, "总计", True)]


def test_archive_needs_its_publication_date(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    toml = root / "data" / "xiguan" / "2021" / "report.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text("\n".join(ln for ln in text.splitlines() if not ln.startswith("published")) + "\n", encoding="utf-8")
    assert [f.code for f in findings(root, "xiguan", 2021) if f.is_error] == ["A952", "R304"]


def test_next_years_carry_over_says_last_year_is_an_archive(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    t3 = root / "data" / "xiguan" / "2022" / "table3.csv"
    lines = t3.read_text(encoding="utf-8").splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("二、上年结转"))
    cells = lines[i].split(",")
    cells[1] = str(int(cells[1]) + 1)
    cells[7] = str(int(cells[7]) + 1)
    lines[i] = ",".join(cells)
    t3.write_text("\n".join(lines) + "\n", encoding="utf-8")
    y401 = [f for f in findings(root, "xiguan", 2022) if f.code == "Y401"]
    assert len(y401) == 2 and all("2021 年报告为存档原文" in f.message for f in y401)


@pytest.mark.sphinx("html", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_archive_page_and_year_list_are_marked(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 0
    page = (Path(app.outdir) / "xiguan" / "2021.html").read_text(encoding="utf-8")
    assert "存档 · 原文照录" in page and "原文问题（1 项" in page and "R304" in page
    assert "检查提示" not in page  # not shown twice as a waiver
    agency = (Path(app.outdir) / "xiguan" / "index.html").read_text(encoding="utf-8")
    assert "2021 年度政府信息公开工作年度报告</span></a>（存档原文）" in agency and "<p>2021（存档原文）</p></th>" in agency


@pytest.mark.sphinx("latex", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_archive_is_marked_in_the_pdf_source(app: SphinxTestApp) -> None:
    app.build()
    tex = (Path(app.outdir) / "xiguan-2021.tex").read_text(encoding="utf-8")
    assert "存档 · 原文照录" in tex and "原文问题" in tex
    assert not (Path(app.outdir) / "shuiwu-2023.tex").exists()  # withheld: no PDF document
