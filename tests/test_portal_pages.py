"""Portal pages as documents (issue 20, item 7): generated sources, every builder, search, make check."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from govreport.checks.pagescan import pages
from govreport.model.generated import MARK, OLD, digest, is_generated, source, sync
from sphinx.testing.util import SphinxTestApp


def test_sync_writes_changed_pages_only_and_removes_stale_ones(tmp_path: Path) -> None:
    page = source("2021 年度各单位主要数字对比", "```{compare-page} 2021\n```")
    assert sync(tmp_path, {"compare-2021": page, "a/index": source("甲", "```{agency-page} a\n```")}) == ["a/index", "compare-2021"]
    stamp = (tmp_path / "compare-2021.md").stat().st_mtime_ns
    os.utime(tmp_path / "compare-2021.md", ns=(stamp - 10**9, stamp - 10**9))
    assert sync(tmp_path, {"compare-2021": page}) == ["a/index"]  # unchanged: not written (Sphinx reads it not again)
    assert (tmp_path / "compare-2021.md").stat().st_mtime_ns == stamp - 10**9 and not (tmp_path / "a" / "index.md").exists()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.md").write_text("# 乙\n\n手写的页面。\n", encoding="utf-8")  # a writer's page of that name
    assert sync(tmp_path, {"compare-2021": page, "b/index": source("乙", "")}) == []
    assert (tmp_path / "b" / "index.md").read_text(encoding="utf-8") == "# 乙\n\n手写的页面。\n" and not is_generated(tmp_path / "b" / "index.md")


def test_a_page_written_again_as_last_read_keeps_an_old_time(tmp_path: Path) -> None:
    """A fresh checkout with the build restored (the pull request's preview): a page written with
    the text the build last read is not new to Sphinx; one with another text is."""
    same, other = source("甲", "```{agency-page} a\n:years: 2021\n```"), source("乙", "```{agency-page} b\n:years: 2022\n```")
    known = {"a/index": digest(same), "b/index": digest(source("乙", "```{agency-page} b\n:years: 2021\n```"))}
    assert sync(tmp_path, {"a/index": same, "b/index": other}, known) == ["a/index", "b/index"]
    assert (tmp_path / "a" / "index.md").stat().st_mtime == OLD and (tmp_path / "b" / "index.md").stat().st_mtime > OLD


def test_page_scan_leaves_generated_pages_out(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2021.md").write_text("# 报告\n", encoding="utf-8")
    sync(tmp_path, {"a/index": source("甲", "```{agency-page} a\n```")})
    assert MARK in (tmp_path / "a" / "index.md").read_text(encoding="utf-8")
    assert pages(tmp_path) == [tmp_path / "a" / "2021.md"]


@pytest.mark.sphinx("latex", testroot="site", confoverrides={
    "latex_documents": [("compare-2021", "compare.tex", "对比", "", "howto"), ("xiangshan/index", "xiangshan.tex", "香山乡", "", "howto")]})
def test_portal_pages_build_as_latex(app: SphinxTestApp) -> None:
    """Read by the LaTeX builder like any page, and written as LaTeX when a document names them
    (the comparison's table as a plain table, the agency's charts as LaTeX pictures)."""
    app.build()
    assert app.statuscode == 0, app.warning.getvalue()
    compare = (app.outdir / "compare.tex").read_text(encoding="utf-8")
    assert "2021 年度各单位主要数字（" in compare and "沙坡头区香山乡" in compare and "data-gov-sort" not in compare
    agency = (app.outdir / "xiangshan.tex").read_text(encoding="utf-8")
    assert "历年对比" in agency and "2021 年度政府信息公开工作年度报告" in agency and "begin{picture}(640,300)" in agency


@pytest.mark.sphinx("html", testroot="site", confoverrides={"govreport_search": "sphinx"})
def test_portal_pages_not_in_sphinx_search(app: SphinxTestApp) -> None:
    """Sphinx's own search (the benchmark's baseline) indexes the pages, not the portal pages (nosearch),
    as the site's search indexes report pages only."""
    app.build()
    assert app.statuscode == 0
    text = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    docnames, titles = index["docnames"], index["titles"]
    portal = [i for i, d in enumerate(docnames) if d.startswith(("compare-", "index-")) or d.endswith(("/index", "-members"))]
    assert "xiangshan/2021" in docnames and len(portal) == 5, docnames  # compare-2020/2021, index-2020, two agencies
    found = {i for hits in index["terms"].values() for i in ([hits] if isinstance(hits, int) else hits)}
    assert docnames.index("xiangshan/2021") in found
    assert not found & set(portal) and {titles[i] for i in portal} == {""}  # listed by Sphinx, but empty


@pytest.mark.sphinx("html", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_withheld_report_vanishes_from_portal_pages(app: SphinxTestApp) -> None:
    """shuiwu/2023 has errors: its agency page lists 2022 and 2021 only, the comparison of 2023 leaves it out
    (and its 2022 figures are no 上年 of anything), and no generated source names it."""
    app.build()
    assert app.statuscode == 0
    out, src = Path(app.outdir), Path(app.srcdir)
    agency = (out / "shuiwu" / "index.html").read_text(encoding="utf-8")
    assert "2022 年度政府信息公开工作年度报告" in agency and "2023 年度政府信息公开工作年度报告" not in agency
    assert "共有 2 个年度" in agency  # 2022 and 2021
    compare = (out / "compare-2023.html").read_text(encoding="utf-8")
    assert "示例区税务局" not in compare and 'href="quzhengfu/2023.html"' in compare
    assert "示例区税务局" in (out / "compare-2022.html").read_text(encoding="utf-8")
    assert ":years: 2022 2021\n" in (src / "shuiwu" / "index.md").read_text(encoding="utf-8")
    assert [p.name for p in sorted(src.glob("*/2023-members.md"))] == ["2023-members.md"]  # quzhengfu's, the one roll-up


@pytest.mark.sphinx("latex", testroot="site", confoverrides={
    "latex_documents": [("index-2020", "year.tex", "2020", "", "howto"), ("index", "index.tex", "首页", "", "howto")]})
def test_year_list_builds_as_latex(app: SphinxTestApp) -> None:
    """The index's list of units is content every builder writes (issue 20): in LaTeX a list item
    per unit with its state, the years and the comparison; no filter box (an HTML thing)."""
    app.build()
    assert app.statuscode == 0, app.warning.getvalue()
    year = (app.outdir / "year.tex").read_text(encoding="utf-8")
    assert r"\item" in year and "未见本年度报告" in year and "最近：2021 年度报告" in year, year
    assert "2021 年度各单位主要数字对比" not in year and "2020 年度各单位主要数字对比" in year
    assert "gov-unit-filter" not in year and "共 2 个单位" in year
    index = (app.outdir / "index.tex").read_text(encoding="utf-8")
    assert "2021 年度报告" in index and "PDF" in index and "草稿" in index, index
