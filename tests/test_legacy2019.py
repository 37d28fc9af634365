"""2019 leftovers in a 2021-format report: one finding that names the 2019 layout
(the （六）其他处理 row and the three rows the 2021 format wants), not a
blank-cell finding (C201) for each of its 21 cells."""

from __future__ import annotations

import shutil
from pathlib import Path

from govreport.checks import check_relations, check_report
from govreport.findings import CATALOGUE, flatten
from govreport.importer import import_report
from test_bad_inputs import PAGE, SAMPLE, T3, T3_2019, csv_of, lines, load
from test_importer import T2_2021, T4_ZERO, report, t3_lines

WANT = ("2019 年格式（国办公开办函〔2019〕60号）的“（六）其他处理”只有一行，2021 年格式要求分为 3 行"
        "“1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”"
        "“2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”“3.其他”分别填写"
        "（没有发生的填 0，不要自行拆分原来的合计数）")


def blank_other_rows() -> str:
    """表三 with the three （六） rows there but every cell blank (lines 22–24)."""
    rows = lines("t3")
    for i in (21, 22, 23):
        rows[i] = rows[i].split(",")[0] + ",,,,,,,"
    return csv_of(rows)


def test_single_other_row_is_one_finding(tmp_path: Path) -> None:
    data, findings = load(tmp_path, "t3", T3_2019)
    assert [f.text() for f in findings] == [f"{T3}:22:1: 错误 L109 表三用的是 2019 年格式，“（六）其他处理”不分项：{WANT}"]
    assert check_relations(data) == []  # the three rows are unknown, not zero: no sums reported


def test_three_blank_rows_are_one_finding_not_21(tmp_path: Path) -> None:
    data, findings = load(tmp_path, "t3", blank_other_rows())
    assert [f.text() for f in findings] == [
        f"{T3}:22:2: 错误 L111 表三“（六）其他处理”的 3 个分项全部空白，多半是照 2019 年格式只有一行：{WANT}"]
    assert check_relations(data) == []
    assert CATALOGUE["L111"].severity == "error"


def test_a_row_partly_filled_is_blank_cells(tmp_path: Path) -> None:
    rows = blank_other_rows().splitlines()
    rows[23] = "3.其他,0,0,0,0,0,0,0"
    _, findings = load(tmp_path, "t3", csv_of(rows))
    assert sorted({(f.code, f.line) for f in findings}) == [("C201", 22), ("C201", 23)]
    assert len(findings) == 14


def test_whole_report_with_blank_other_rows(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root / "data" / "x" / "2023")
    (root / "docs" / "x").mkdir(parents=True)
    (root / "docs" / "x" / "2023.md").write_text(PAGE.read_text(encoding="utf-8").replace("2021年", "2023年"), encoding="utf-8")
    (root / "data" / "x" / "2023" / "table3.csv").write_text(blank_other_rows(), encoding="utf-8")
    assert flatten(check_report(root, "x", 2023).findings) == [("L111", "data/x/2023/table3.csv", 22, None)]


def test_imported_2023_report_in_the_2019_layout(tmp_path: Path) -> None:
    """What a real 2023 report with one （六） row becomes after `make import`:
    the importer leaves the three rows blank (never inventing the split); the
    check says why, once."""
    source = tmp_path / "src.txt"
    source.write_text(report(T2_2021, t3_lines({}, legacy=True), T4_ZERO, 2023), encoding="utf-8")
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "docs").mkdir()
    import_report(root, source, "x", 2023, name="测试乡")
    t3 = [f for f in check_report(root, "x", 2023).findings if f.path.endswith("table3.csv")]
    assert flatten(t3) == [("L111", "data/x/2023/table3.csv", 22, None)]
