"""The period and request-count wordings of real reports (wording.py, through check_prose).

Each sentence is taken from a real report: the shared samples (淮安市 2024
pdftotext, 香山乡 2021, 上海市政府办公厅 2025, 平潭 2025) and the ones quoted in issue 15.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from govreport.checks import check_report

PAGE = "docs/demo/2021.md"
T3 = "data/demo/2021/table3.csv"
SAMPLE_PERIOD = "本报告统计数据从2021年1月1日至12月31日。"


def put_period(repo: Path, sentence: str) -> None:
    page = repo / PAGE
    text = page.read_text(encoding="utf-8")
    assert SAMPLE_PERIOD in text
    page.write_text(text.replace(SAMPLE_PERIOD, sentence, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "sentence",
    [
        "报告所列统计期限自 2021 年 1 月 1 日至 2021 年 12 月 31 日。",  # 淮安市 2024, pdftotext spaces
        "本报告所列数据统计期限为2021年1月1日至2021年12月31日。",  # 平潭 2025
        "本年度报告中所列数据统计期限为 2021年 1 月 1 日至 12 月 31 日。",  # 上海 2025, a converter's spaces
        "本报告统计期间为自2021年1月1日起至2021年12月31日止。",  # issue 15: 4 of 8 real reports
        "本报告中所列数据的统计期限从2021年1月1日至2021年12月31日。",
        "统计期限为2021年1月1日—2021年12月31日。",
        "数据统计期限为2021.1.1-2021.12.31。",
        "统计期间为２０２１年１月１日至１２月３１日。",  # full-width digits
        "本报告统计数据期限为二〇二一年一月一日至十二月三十一日。",
    ],
)
def test_period_wordings_are_a_period(repo: Path, sentence: str) -> None:
    put_period(repo, sentence)
    assert [f.code for f in check_report(repo, "demo", 2021).findings if f.code == "X801"] == []


def test_period_of_another_year_still_found(repo: Path) -> None:
    put_period(repo, "本报告统计期间为自2020年1月1日起至2020年12月31日止。")
    found = [f for f in check_report(repo, "demo", 2021).findings if f.code == "X801"]
    assert [(f.code, f.found) for f in found] == [("X801", "2020年1月1日起至2020年12月31日")]


def test_no_period_still_warned(repo: Path) -> None:
    put_period(repo, "本报告统计数据从2021年1月至2021年6月。")  # half a year is not the period
    assert [f.code for f in check_report(repo, "demo", 2021).findings if f.code == "X801"] == ["X801"]


def set_t3(repo: Path, row: str, values: list[int]) -> None:
    path = repo / T3
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for i, ln in enumerate(lines):
        if ln.split(",")[0] == row:
            lines[i] = ",".join([row, *map(str, values)])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def carried(repo: Path) -> Path:
    """74 new requests and 1 carried over, all answered (published: 75 = 74 + 1)."""
    set_t3(repo, "一、本年新收政府信息公开申请数量", [74, 0, 0, 0, 0, 0, 74])
    set_t3(repo, "二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1])
    set_t3(repo, "（一）予以公开", [75, 0, 0, 0, 0, 0, 75])
    set_t3(repo, "（七）总计", [75, 0, 0, 0, 0, 0, 75])
    return repo


def say(repo: Path, sentence: str) -> list[tuple[str, str]]:
    page = repo / PAGE
    text = page.read_text(encoding="utf-8").replace("## 六、其他需要报告的事项\n\n无", f"## 六、其他需要报告的事项\n\n{sentence}")
    page.write_text(text, encoding="utf-8")
    return [(f.code, f.message) for f in check_report(repo, "demo", 2021).findings if f.code == "P601"]  # the sample page also says 未收到 (P602)


def test_handled_counts_the_carried_over_request(carried: Path) -> None:
    # issue 15: "受理…申请75件" where 75 = 本年新收 74 + 上年结转 1
    assert say(carried, "2021年，共受理政府信息公开申请75件，均已按时答复。") == []


def test_handled_as_new_only_is_fine_too(carried: Path) -> None:
    # 淮安市 2024: "全市共受理政府信息公开申请 3119 件" = 本年新收
    assert say(carried, "2021 年，全乡共受理政府信息公开申请 74 件，答复 75 件（含上年度结转申请 1 件）。") == []


def test_handled_with_another_number_is_still_an_error(carried: Path) -> None:
    assert say(carried, "共受理政府信息公开申请76件。") == [("P601", "正文写本年新收申请 76 件，表格中为 74")]


def test_received_is_not_handled(carried: Path) -> None:
    # 收到 (received) is this year's new requests only: 75 is wrong there.
    assert say(carried, "共收到政府信息公开申请75件。") == [("P601", "正文写本年新收申请 75 件，表格中为 74")]
