"""The 2019 format (国办公开办函〔2019〕60号): a 2020 report renders, checks and
exports in its own grid, and the 2021 report of the same agency checks its
二、上年结转 against the 2020 report's 四、结转下年度继续办理 (tests/roots/test-format2019)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from docutils import nodes
from govreport.checks import check_report
from govreport.findings import flatten
from govreport.format.spec import load_spec, spec_for_year
from govreport.model.csvload import load_table, parse_cell
from govreport.model.report import load_report
from govreport.model.scaffold import new_report
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

ROOT = Path(__file__).parent / "roots" / "test-format2019"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the test root (pages at the top, as Sphinx sees them)."""
    shutil.copytree(ROOT, tmp_path / "site")
    return tmp_path / "site"


def check(root: Path, year: int) -> list[tuple[str, str, int | None, str | None]]:
    return flatten(check_report(root, "demo", year, root).findings)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_format_by_year() -> None:
    assert [spec_for_year(y).version for y in (2019, 2020, 2021, 2024)] == ["2019", "2019", "2021", "2021"]
    s = load_spec("2019")
    assert s.name == "国办公开办函〔2019〕60号" and s.sections == load_spec("2021").sections
    assert {t: len(s.tables[t].layout) for t in s.tables} == {"t2": 18, "t3": 26, "t4": 4}
    assert {t: s.tables[t].ncols for t in s.tables} == {"t2": 4, "t3": 10, "t4": 15}


def test_both_reports_check_clean() -> None:
    assert check(ROOT, 2020) == []
    assert check(ROOT, 2021) == []
    assert load_report(ROOT, "demo", 2020).spec.version == "2019"


def test_format_left_out_defaults_by_year(site: Path) -> None:
    edit(site / "data/demo/2020/report.toml", 'format = "2019"\n', "")
    assert check(site, 2020) == []  # optional, as README says (review1 1.9: it was F007)
    assert load_report(site, "demo", 2020).spec.version == "2019"  # but read in the 2019 grid


def test_2019_format_for_a_2021_report_is_wrong(site: Path) -> None:
    edit(site / "data/demo/2021/report.toml", 'format = "2021"', 'format = "2019"')
    assert ("F008", "data/demo/2021/report.toml", None, None) in check(site, 2021)


def test_carry_over_checked_across_the_format_boundary(site: Path) -> None:
    t3 = site / "data/demo/2021/table3.csv"
    edit(t3, "二、上年结转政府信息公开申请数量,1,0,0,0,0,0,1", "二、上年结转政府信息公开申请数量,0,0,0,0,0,0,0")
    edit(t3, "一、本年新收政府信息公开申请数量,2,0,0,0,0,0,2", "一、本年新收政府信息公开申请数量,3,0,0,0,0,0,3")
    found = check_report(site, "demo", 2021, site).findings
    assert flatten(found) == [("Y401", "data/demo/2021/table3.csv", 3, "自然人"), ("Y401", "data/demo/2021/table3.csv", 3, "总计")]
    assert found[0].message == "表三 自然人 列：二、上年结转＝0，但 2020 年报告的四、结转下年度继续办理＝1，应相等"


def test_2019_table2_numbers_do_not_carry_into_2021_stock(site: Path) -> None:
    """2019's 对外公开总数量 is another measure than 2021's 现行有效件数: no Y402."""
    edit(site / "data/demo/2021/table2.csv", "行政规范性文件,3,0,3", "行政规范性文件,3,0,40")
    assert check(site, 2021) == []


def test_2019_relations_with_one_other_row(site: Path) -> None:
    edit(site / "data/demo/2020/table3.csv", "（六）其他处理,1,0,0,0,0,0,1", "（六）其他处理,2,0,0,0,0,0,2")
    found = check_report(site, "demo", 2020, site).findings
    assert flatten(found) == [("R302", "data/demo/2020/table3.csv", 23, "自然人"), ("R302", "data/demo/2020/table3.csv", 23, "总计")]
    assert found[0].message == "表三 自然人 列：办理结果（一）至（六）各项之和＝4，（七）总计＝3，应相等"


def test_2021_rows_in_a_2019_table_are_unknown(site: Path) -> None:
    edit(site / "data/demo/2020/table3.csv", "（六）其他处理,1,0,0,0,0,0,1", "3.其他,1,0,0,0,0,0,1")
    found = check_report(site, "demo", 2020, site).findings
    assert flatten(found) == [("L105", "data/demo/2020/table3.csv", None, None), ("L101", "data/demo/2020/table3.csv", 22, None)]
    assert [f.message for f in found] == ["缺少行“（六）其他处理”，应在“5.要求行政机关确认或重新出具已获取信息”行之后", "行标签“3.其他”不在官方格式中"]


def test_signed_change_column() -> None:
    """2019 表二 本年增/减 may be negative; a 2021 count may not."""
    assert parse_cell("-2", "signed") == (-2, []) and parse_cell("+1", "signed") == (1, [])
    assert parse_cell("-2", "count")[1][0][0] == "C205"
    assert parse_cell("1.5", "signed")[1][0][0] == "C206"
    t2 = load_spec("2019").tables["t2"]
    data, found = load_table(ROOT / "data/demo/2020/table2.csv", t2, "t2")
    assert found == [] and data.get("license", "change") == -2 and str(data.get("purchase", "purchase_amount")) == "12.5"


def test_make_new_in_both_formats(tmp_path: Path) -> None:
    made = new_report(tmp_path, "demo", 2020, name="测试乡")
    assert 'format = "2019"' in (tmp_path / "data/demo/2020/report.toml").read_text(encoding="utf-8")
    t2 = (tmp_path / "data/demo/2020/table2.csv").read_text(encoding="utf-8")
    assert "信息内容,本年新制作数量,本年新公开数量,对外公开总数量" in t2 and "政府集中采购,0,0," in t2
    assert "（六）其他处理,0,0,0,0,0,0,0" in (tmp_path / "data/demo/2020/table3.csv").read_text(encoding="utf-8")
    assert made.notes == []
    edit(tmp_path / "data/demo/2020/table3.csv", "四、结转下年度继续办理,0,0,0,0,0,0,0", "四、结转下年度继续办理,2,1,0,0,0,0,3")
    made = new_report(tmp_path, "demo", 2021)
    assert made.notes == ["沿用 2020 年报告：机构名称、表三“二、上年结转”（取自上年“四、结转下年度继续办理”）、表二“现行有效件数”的起点"]
    t3 = (tmp_path / "data/demo/2021/table3.csv").read_text(encoding="utf-8")
    assert "二、上年结转政府信息公开申请数量,2,1,0,0,0,0,3" in t3 and "3.其他,0,0,0,0,0,0,0" in t3
    assert "行政规范性文件,0,0,0" in (tmp_path / "data/demo/2021/table2.csv").read_text(encoding="utf-8")


# ------------------------------------------------------------------ Sphinx


def _warnings(app: SphinxTestApp) -> list[str]:
    return [ln for ln in strip_colors(app.warning.getvalue()).splitlines() if ln.strip()]


def _grid(table: nodes.table) -> list[list[tuple[str, int, int]]]:
    """Per row of a table node: (text, rowspan, colspan) of each entry."""
    return [
        [(e.astext(), e.get("morerows", 0) + 1, e.get("morecols", 0) + 1) for e in row.findall(nodes.entry)]
        for row in table.findall(nodes.row)
    ]


@pytest.mark.sphinx("html", testroot="format2019")
def test_html_build_of_the_2019_tables(app: SphinxTestApp) -> None:
    app.build()
    assert _warnings(app) == []
    doctree = app.env.get_doctree("demo/2020")
    tables = {next(c for c in t["classes"] if re.fullmatch(r"gov-t\d", c)): t for t in doctree.findall(nodes.table)}
    assert sorted(tables) == ["gov-t2", "gov-t3", "gov-t4"]
    t2 = _grid(tables["gov-t2"])
    assert len(t2) == 18
    assert t2[15] == [("第二十条第（九）项", 1, 4)]
    assert t2[16] == [("信息内容", 1, 1), ("采购项目数量", 1, 1), ("采购总金额", 1, 2)]
    assert t2[17] == [("政府集中采购", 1, 1), ("4", 1, 1), ("12.5", 1, 2)]
    assert t2[6] == [("行政许可", 1, 1), ("12", 1, 1), ("-2", 1, 1), ("40", 1, 1)]
    assert t2[7][0] == ("其他对外管理服务事项", 1, 1)
    t3 = _grid(tables["gov-t3"])
    assert len(t3) == 26
    assert t3[5][0] == ("三、本年度办理结果", 20, 1)
    assert t3[23] == [("（六）其他处理", 1, 2), *[(v, 1, 1) for v in "1000001"]]
    assert t3[24][0] == ("（七）总计", 1, 2) and t3[25][0] == ("四、结转下年度继续办理", 1, 3)
    # The 2021 report of the same agency keeps the 2021 grid.
    later = {next(c for c in t["classes"] if re.fullmatch(r"gov-t\d", c)): t for t in app.env.get_doctree("demo/2021").findall(nodes.table)}
    assert len(_grid(later["gov-t3"])) == 28 and len(_grid(later["gov-t2"])) == 14
    html = (Path(app.outdir) / "demo" / "2020.html").read_text(encoding="utf-8")
    assert re.search(r'<th class="gov-stub" colspan="2" scope="row">\s*<p>（六）其他处理</p>', html)
    assert '其他处理<span class="gov-value">1</span>件' in html
    assert '政府集中采购<span class="gov-value">12.5</span>万元' in html
    rows = json.loads((Path(app.outdir) / "opendata" / "demo-2020.json").read_text(encoding="utf-8"))
    assert {"table": "表二", "row": "行政许可", "column": "本年增/减", "value": -2, "unit": "件"}.items() <= next(
        r for r in rows if r["row"] == "行政许可" and r["column"] == "本年增/减").items()
    assert [r["value"] for r in rows if r["row"] == "（六）其他处理"] == [1, 0, 0, 0, 0, 0, 1]
    assert len(rows) == sum(len(t.keys()) for t in load_spec("2019").tables.values())


@pytest.mark.sphinx("latex", testroot="format2019")
def test_latex_build_of_the_2019_tables(app: SphinxTestApp) -> None:
    app.build()
    assert _warnings(app) == []
    tex = (Path(app.outdir) / "demo-2020.tex").read_text(encoding="utf-8")
    assert "政府集中采购" in tex and "（六）其他处理" in tex and "1.申请人无正当理由" not in tex
