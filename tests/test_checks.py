"""Checks across a report: sections, prose against tables, years, waivers, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from govreport.checks import check_report, checked
from govreport.cli.commands import main
from govreport.findings import CATALOGUE, flatten

PAGE = "docs/demo/2021.md"
T3 = "data/demo/2021/table3.csv"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(repo: Path, year: int = 2021) -> list[tuple[str, str, int | None, str | None]]:
    return flatten(check_report(repo, "demo", year).findings)


def test_sample_is_clean(repo: Path) -> None:
    assert codes(repo) == []


def test_catalogue_codes_are_stable() -> None:
    assert all(len(c) == 4 and c[0] in "FLCRYSPXVUA" for c in CATALOGUE)
    assert {"R301", "R302", "R303", "R304", "Y401", "Y402", "P601", "S501"} <= set(CATALOGUE)


# ----------------------------------------------------------------- sections


def test_missing_section(repo: Path) -> None:
    page = repo / PAGE
    edit(page, "## 五、存在的主要问题及改进情况", "### 五、存在的主要问题及改进情况")
    assert codes(repo) == [("S501", PAGE, 1, None)]


def test_section_wording_and_order(repo: Path) -> None:
    page = repo / PAGE
    edit(page, "## 一、总体情况", "## 一.总体情况")
    text = page.read_text(encoding="utf-8")
    # swap 五 and 六
    five = text.index("## 五、")
    six = text.index("## 六、")
    page.write_text(text[:five] + text[six:] + "\n" + text[five:six], encoding="utf-8")
    found = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.line) for f in found] == [("S503", 7), ("S502", 72)]
    assert "“一.总体情况”应为“一、总体情况”" in found[0].message


def test_empty_section(repo: Path) -> None:
    edit(repo / PAGE, "## 六、其他需要报告的事项\n\n无", "## 六、其他需要报告的事项\n")
    assert codes(repo) == [("S504", PAGE, 88, None)]


def test_table_missing_from_its_section(repo: Path) -> None:
    edit(repo / PAGE, "```{report-table} 表四\n```", "")
    assert codes(repo) == [("S504", PAGE, 67, None), ("S506", PAGE, 67, None)]


def test_missing_page(repo: Path) -> None:
    (repo / PAGE).unlink()
    assert codes(repo) == [("S505", "data/demo/2021/report.toml", None, None)]


# -------------------------------------------------------------------- prose


def set_t3(repo: Path, row: str, values: list[int]) -> None:
    path = repo / T3
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, ln in enumerate(lines):
        if ln.split(",")[0] == row:
            lines[i] = ",".join([row, *map(str, values)])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_prose_says_none_but_table_has_some(repo: Path) -> None:
    set_t3(repo, "一、本年新收政府信息公开申请数量", [2, 0, 0, 0, 0, 0, 2])
    set_t3(repo, "（一）予以公开", [2, 0, 0, 0, 0, 0, 2])
    set_t3(repo, "（七）总计", [2, 0, 0, 0, 0, 0, 2])
    found = check_report(repo, "demo", 2021).findings
    assert flatten(found) == [("P602", PAGE, 26, None)]
    assert found[0].message == "正文写“未收到政府信息公开申请”，但表格中本年新收申请为 2"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("本年共受理政府信息公开申请 3 件。", [("P601", "正文写本年新收申请 3 件，表格中为 0")]),
        ("答复 5 件（含上年度结转申请 1 件，另有 2 件顺延到下年度答复）。",
         [("P601", "正文写办理结果（七）总计 5 件，表格中为 0"), ("P601", "正文写上年结转 1 件，表格中为 0"),
          ("P601", "正文写结转下年度继续办理 2 件，表格中为 0")]),
        ("政府信息公开行政复议 4 件，其中结果维持 3 件，尚未审结 1 件；", [
            ("P601", "正文写行政复议总计 4 件，表格中为 0"), ("P601", "正文写行政复议结果维持 3 件，表格中为 0"),
            ("P601", "正文写行政复议尚未审结 1 件，表格中为 0")]),
        ("政府信息公开行政诉讼 2 件。", [("P601", "正文写行政诉讼总计 2 件，表格中为 0")]),
        ("现行有效行政规范性文件 9 件。", [("P601", "正文写现行有效行政规范性文件 9 件，表格中为 1")]),
        ("本年未发生政府信息公开行政复议、行政诉讼。", []),
        # phrases that look alike but are not the table's figures
        ("收到行政复议申请书副本2件。", []),
        ("其中不予处理2件，其他处理1件。", []),
        ("本年未发生政府信息公开行政复议，发生行政诉讼0件。", []),
        ("本年新收申请{value}`t3.new.total`件。", []),
        ("现行有效行政规范性文件 1 件。", []),
    ],
)
def test_prose_numbers(repo: Path, sentence: str, expected: list[tuple[str, str]]) -> None:
    edit(repo / PAGE, "## 六、其他需要报告的事项\n\n无", f"## 六、其他需要报告的事项\n\n{sentence}")
    found = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.message) for f in found] == expected
    assert all(f.line == 90 for f in found)


def test_period_of_another_year(repo: Path) -> None:
    edit(repo / PAGE, "本报告统计数据从2021年1月1日至12月31日。", "本报告统计数据从2020年1月1日至12月31日。")
    found = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.found) for f in found] == [("X801", "2020年1月1日至12月31日")]


def test_period_missing_is_a_warning(repo: Path) -> None:
    edit(repo / PAGE, "本报告统计数据从2021年1月1日至12月31日。", "")
    found = check_report(repo, "demo", 2021).findings
    assert flatten(found) == [("X801", PAGE, 1, None)]
    assert not found[0].is_error


# ------------------------------------------------------------- across years


#: A 2022 page copied from 2021 repeats all of last year's narrative: 内容雷同.
SAME_TEXT = ("U910", "docs/demo/2022.md", 1, None)


def next_year(repo: Path) -> Path:
    """A 2022 report equal to 2021's, with 表二 carried over consistently (and
    the same narrative, so it carries U910, a warning)."""
    d = repo / "data" / "demo" / "2022"
    shutil.copytree(repo / "data" / "demo" / "2021", d)
    edit(d / "table2.csv", "行政规范性文件,1,0,1", "行政规范性文件,0,0,1")
    page = (repo / PAGE).read_text(encoding="utf-8").replace("2021", "2022")
    (repo / "docs" / "demo" / "2022.md").write_text(page, encoding="utf-8")
    return d


def test_carry_over_must_match_last_year(repo: Path) -> None:
    d = next_year(repo)
    set_t3(repo, "四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1])
    set_t3(repo, "一、本年新收政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1])
    edit(repo / PAGE, "未收到政府信息公开申请", "收到政府信息公开申请1件")
    assert codes(repo, 2021) == []
    assert (d / "table3.csv").is_file()
    found = check_report(repo, "demo", 2022).findings
    assert flatten(found) == [
        ("Y401", "data/demo/2022/table3.csv", 3, "自然人"),
        ("Y401", "data/demo/2022/table3.csv", 3, "总计"),
        SAME_TEXT,
    ]
    assert found[0].message == "表三 自然人 列：二、上年结转＝0，但 2021 年报告的四、结转下年度继续办理＝1，应相等"
    assert found[0].is_error


def test_stock_of_documents_and_waiver(repo: Path) -> None:
    d = next_year(repo)
    edit(d / "table2.csv", "行政规范性文件,0,0,1", "行政规范性文件,2,0,2")
    found = check_report(repo, "demo", 2022).findings
    assert flatten(found) == [("Y402", "data/demo/2022/table2.csv", 4, "现行有效件数"), SAME_TEXT]
    assert found[0].message == "表二“行政规范性文件”现行有效件数：上年 1＋本年制发 2－本年废止 0＝3，表中为 2"
    (d / "waivers.toml").write_text('[[waiver]]\ncode = "Y402"\nreason = "2022年集中清理，1件失效未列入废止"\n', encoding="utf-8")
    found = check_report(repo, "demo", 2022).findings
    assert [(f.code, f.waived) for f in found] == [("Y402", "2022年集中清理，1件失效未列入废止"), ("U910", None)]
    assert not any(f.is_error for f in found)


def test_waiver_needs_a_reason_and_a_match(repo: Path) -> None:
    (repo / "data/demo/2021/waivers.toml").write_text(
        '[[waiver]]\ncode = "P601"\n\n[[waiver]]\ncode = "Y401"\nreason = "上年报告有误"\n', encoding="utf-8")
    assert codes(repo) == [
        ("V701", "data/demo/2021/waivers.toml", 1, None),
        ("V702", "data/demo/2021/waivers.toml", 4, None),
    ]


@pytest.mark.parametrize(
    ("waivers", "expected", "message"),
    [
        ('[[waiver]]\ncode = "R301"\nreason = "x"\n', ("V704", 1), "R301（表三勾稽关系不平衡）必须改正，不能豁免"),
        ('[waiver]\ncode = "Y401"\nreason = "x"\n', ("V703", 1), "每条豁免要写成一个 [[waiver]] 段"),
        ('waiver = "Y401"\n', ("V703", 1), "每条豁免要写成一个 [[waiver]] 段"),
        ('[[waiver]]\ncode = "Z999"\nreason = "x"\n', ("V703", 1), "不是检查结果代码"),
        ('[[waiver]]\ncode = "Y401"\nline = "25"\nreason = "x"\n', ("V703", 1), "line 要写数字"),
        ('[[waiver\ncode = 1\n', ("V703", None), "waivers.toml 无法解析"),
    ],
)
def test_bad_waivers_are_findings_not_tracebacks(repo: Path, waivers: str, expected: tuple[str, int | None], message: str) -> None:
    (repo / "data/demo/2021/waivers.toml").write_text(waivers, encoding="utf-8")
    found = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.line) for f in found] == [expected]
    assert message in found[0].message


def test_arithmetic_errors_cannot_be_waived(repo: Path) -> None:
    set_t3(repo, "（七）总计", [1, 0, 0, 0, 0, 0, 1])
    (repo / "data/demo/2021/waivers.toml").write_text('[[waiver]]\ncode = "R301"\nreason = "x"\n', encoding="utf-8")
    result = check_report(repo, "demo", 2021)
    assert {f.code for f in result.errors} >= {"R301", "V704"}
    assert all(f.waived is None for f in result.findings)


def test_previous_report_is_a_dependency(repo: Path) -> None:
    next_year(repo)
    files = checked(repo, "demo", 2022).report.files
    assert repo / "data/demo/2021/table3.csv" in files
    assert repo / "data/demo/2021/report.toml" in files


# ---------------------------------------------------------------------- CLI


def test_cli_text_json_github(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "检查了 1 份报告：0 个错误，0 个警告，0 个已豁免。\n"
    set_t3(repo, "（七）总计", [1, 0, 0, 0, 0, 0, 1])
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{T3}:25:2: 错误 R301 表三 自然人 列：一＋二＝0，三（七）总计＋四＝1，应相等"
    assert out[-1] == "检查了 1 份报告：4 个错误，0 个警告，0 个已豁免。"  # R301 and R302, 自然人 and 总计
    assert main(["check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {(d["code"], d["line"], d["column"], d["severity"]) for d in data} >= {("R301", 25, "自然人", "error")}
    assert main(["check", "--format", "github"]) == 1
    gh = capsys.readouterr().out.splitlines()
    assert gh[0].startswith(f"::error file={T3},line=25,col=2,title=R301 表三勾稽关系不平衡::表三 自然人 列")
    assert main(["check", "nosuch"]) == 2
    capsys.readouterr()
    # A space for the slash: "2021" names no report, and demo alone is not checked silently instead.
    assert main(["check", "demo", "2021"]) == 2
    assert capsys.readouterr().err == "没有找到报告：2021（写法：机构简称，或 机构简称/年度，例如 xiangshan/2021）\n"


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        ("```{report-table} 表四 （单位：件）\n```", [("S507", 69), ("S506", 67)]),
        ("```{report-table} 表五\n```", [("S507", 69), ("S506", 67)]),
    ],
)
def test_bad_table_directive(repo: Path, directive: str, expected: list[tuple[str, int]]) -> None:
    edit(repo / PAGE, "```{report-table} 表四\n```", directive)
    assert sorted((f.code, f.line) for f in check_report(repo, "demo", 2021).findings) == sorted(expected)


@pytest.mark.parametrize("ref", ["t3.nosuch.total", "t9.new.total", "abc", "表三/一、本年新收/总计"])
def test_bad_value_reference(repo: Path, ref: str) -> None:
    edit(repo / PAGE, "## 六、其他需要报告的事项\n\n无", f"## 六、其他需要报告的事项\n\n本年新收{{value}}`{ref}`件。")
    found = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.line, f.col, f.found) for f in found] == [("P603", 90, 5, ref)]


def test_colon_fence_directive_counts(repo: Path) -> None:
    edit(repo / PAGE, "```{report-table} 表四\n```", ":::{report-table} 表四\n:::")
    assert codes(repo) == []
