"""A denial of the outcome (纠错/败诉) is not a denial that a case happened (real sentence: 上海市人民政府办公厅 2025)."""

from __future__ import annotations

from pathlib import Path

import pytest
from govreport.checks import check_report

PAGE = "docs/demo/2021.md"
T4 = "data/demo/2021/table4.csv"
SENTENCE = "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。"


def _page(repo: Path, sentence: str) -> None:
    path = repo / PAGE
    text = path.read_text(encoding="utf-8")
    assert "## 六、其他需要报告的事项\n\n无" in text
    path.write_text(text.replace("## 六、其他需要报告的事项\n\n无", f"## 六、其他需要报告的事项\n\n{sentence}", 1), encoding="utf-8")


def _table4(repo: Path, rows: dict[str, list[int]]) -> None:
    path = repo / T4
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    out = [lines[0]] + [",".join([ln.split(",")[0], *map(str, rows[ln.split(",")[0]])]) if ln.split(",")[0] in rows else ln
                        for ln in lines[1:]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # cases, none corrected: the sentence is true
        ({"行政复议": [2, 0, 0, 0, 2], "未经复议直接起诉": [1, 0, 0, 0, 1]}, []),
        # a 复议 corrected / a lawsuit lost: the sentence is false
        ({"行政复议": [1, 1, 0, 0, 2]}, [("P602", "正文写“未发生因依申请公开被行政复议纠错”，但表格中行政复议结果纠正为 1")]),
        ({"复议后起诉": [0, 1, 0, 0, 1]},
         [("P602", "正文写“未发生因依申请公开被行政复议纠错或行政诉讼败诉”，但表格中行政诉讼结果纠正为 1")]),
    ],
)
def test_outcome_denial(repo: Path, rows: dict[str, list[int]], expected: list[tuple[str, str]]) -> None:
    _page(repo, SENTENCE)
    _table4(repo, rows)
    found = [f for f in check_report(repo, "demo", 2021).findings if f.code.startswith("P")]
    assert [(f.code, f.message) for f in found] == expected


def test_denying_the_case_itself_is_still_checked(repo: Path) -> None:
    _page(repo, "本年未发生政府信息公开行政诉讼。")
    _table4(repo, {"未经复议直接起诉": [1, 0, 0, 0, 1]})
    found = [f for f in check_report(repo, "demo", 2021).findings if f.code.startswith("P")]
    assert [(f.code, f.message) for f in found] == [("P602", "正文写“未发生政府信息公开行政诉讼”，但表格中行政诉讼总计为 1")]
