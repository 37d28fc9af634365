"""The comparison page's numbers (issue 21): unusual values and their reasons, the CSV."""

from __future__ import annotations

from govreport.portal.compare import COLUMNS, UnitYear, mark, to_csv


def _unit(agency: str, new: int, last_new: int | None = None, rollup: bool = False) -> UnitYear:
    values: dict[str, int | None] = dict.fromkeys(COLUMNS, 1)
    values["new"] = new
    last: dict[str, int | None] = {} if last_new is None else {**dict.fromkeys(COLUMNS, 1), "new": last_new}
    return UnitYear(agency, agency.upper(), rollup, values, last)  # type: ignore[arg-type]


def test_unusual_values_marked_with_the_reason() -> None:
    rows = mark([_unit("a", 4), _unit("b", 5), _unit("c", 6), _unit("d", 40), _unit("e", 0, last_new=25),
                 _unit("f", 0, last_new=9), _unit("g", 14), _unit("sum", 69, rollup=True)])
    flags = {r.agency: r.flags for r in rows}
    # median of the units (not the roll-up) is 5: 40 > 15 and ≥ 10; 14 is under 15; 0 after 25 (not after 9)
    assert flags == {"a": {}, "b": {}, "c": {}, "d": {"new": "超过全区中位数（5）的 3 倍"}, "e": {"new": "上年 25，本年为 0"},
                     "f": {}, "g": {}, "sum": {}}


def test_small_numbers_are_not_news() -> None:
    rows = mark([_unit("a", 0), _unit("b", 1), _unit("c", 1), _unit("d", 9)])  # 9 > 3 × 1, but under 10
    assert all(r.flags == {} for r in rows)


def test_csv_has_the_same_numbers_and_reasons() -> None:
    rows = mark([_unit("a", 4), _unit("b", 5), _unit("c", 40)])
    text = to_csv(rows, 2023)
    assert text.startswith("\ufeff年度,单位,简称,汇总,本年新收申请（件）,办结（件）,予以公开占办结（%）")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[3] == "2023,C,c,,40,1,1.0,1,1,1,1,1,1,本年新收申请：超过全区中位数（5）的 3 倍"
