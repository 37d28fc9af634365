"""Roll-ups (汇总, issue 16): the sum of the members, cell by cell, with provenance."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from govreport.model.report import load_report
from portal_helpers import district_copy, edit, findings, flat
from sphinx.testing.util import SphinxTestApp

MEMBERS = ["dongyuan", "xiguan", "nanshan", "jiaoyu"]
TOML = "data/quzhengfu/2023/report.toml"
LINE = 7  # of members in report.toml
CHANGED = ("U906", TOML, LINE, None, False)  # any change of members since 2022 says so


def _members(root: Path, text: str) -> None:
    edit(root / TOML, 'members = ["dongyuan", "xiguan", "nanshan", "jiaoyu"]', f"members = {text}")


def test_rollup_equals_the_members_sums(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    assert findings(root, "quzhengfu", 2023) == []
    roll = load_report(root, "quzhengfu", 2023)
    members = [load_report(root, m, 2023) for m in MEMBERS]
    for tid, t in roll.tables.items():
        for key, value in t.values.items():
            assert value == sum(m.tables[tid].values[key] for m in members), (tid, key)
    # 表四 has no file: every cell comes from the members; the vertically managed 税务局 is not summed.
    assert not (root / "data/quzhengfu/2023/table4.csv").exists()
    shuiwu = load_report(root, "shuiwu", 2023)
    assert roll.value("t4", "review", "total") != sum(m.value("t4", "review", "total") for m in [*members, shuiwu])  # type: ignore[misc]


def test_a_number_not_equal_to_the_sum(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    t2 = root / "data/quzhengfu/2023/table2.csv"
    lines = t2.read_text(encoding="utf-8").splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("行政许可"))
    lines[i] = f"行政许可,{int(lines[i].split(',')[1]) + 5},,"
    t2.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = findings(root, "quzhengfu", 2023)
    assert flat(found) == [("U905", "data/quzhengfu/2023/table2.csv", i + 1, "本年处理决定数量", True)]
    assert "成员之和为" in found[0].message and "dongyuan" in found[0].message


def test_a_blank_cell_is_the_members_sum(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    t2 = root / "data/quzhengfu/2023/table2.csv"
    before = load_report(root, "quzhengfu", 2023).value("t2", "license", "decisions")
    lines = t2.read_text(encoding="utf-8").splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("行政许可"))
    lines[i] = "行政许可,,,"
    t2.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert findings(root, "quzhengfu", 2023) == []
    assert load_report(root, "quzhengfu", 2023).value("t2", "license", "decisions") == before


@pytest.mark.parametrize(("members", "want"), [
    ('["dongyuan", "xiguan", "nanshan", "jiaoyu", "ghost"]', [("U901", TOML, LINE, None, True), CHANGED]),
    ('["dongyuan", "xiguan", "nanshan", "jiaoyu", "nanshan"]', [("U902", TOML, LINE, None, True)]),  # same set: no U906
    ('["dongyuan", "xiguan", "nanshan", "jiaoyu", "quzhengfu"]', [CHANGED, ("U907", TOML, LINE, None, True)]),
    ('["dongyuan", "xiguan", "nanshan", "jiaoyu", 7]', [CHANGED, ("U907", TOML, LINE, None, True)]),
])
def test_membership_findings(tmp_path: Path, members: str, want: list[tuple[str, str, int, None, bool]]) -> None:
    root = district_copy(tmp_path / "d")
    _members(root, members)
    assert flat(findings(root, "quzhengfu", 2023)) == want


def test_a_member_with_errors(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    _members(root, '["dongyuan", "xiguan", "nanshan", "jiaoyu", "shuiwu"]')
    found = [f for f in findings(root, "quzhengfu", 2023) if f.code.startswith("U")]
    assert [(f.code, f.found) for f in found][:1] == [("U904", "2")]
    # shuiwu's numbers now count too, so the numbers the roll-up's CSV gives differ from the sum
    assert {f.code for f in found} == {"U904", "U905", "U906"}


def test_a_member_under_two_rollups(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    other = root / "data/shuiwu/2023/report.toml"
    other.write_text(other.read_text(encoding="utf-8") + 'members = ["nanshan"]\n', encoding="utf-8")
    assert [f.code for f in findings(root, "quzhengfu", 2023)] == ["U903"]


def test_membership_changed_since_last_year_explains_carry_over(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    _members(root, '["dongyuan", "xiguan", "nanshan"]')
    for f in ("table2.csv", "table3.csv"):  # computed from the members
        (root / "data/quzhengfu/2023" / f).unlink()
    found = findings(root, "quzhengfu", 2023)
    assert ("U906", TOML, LINE, None, False) in flat(found)
    assert "减少 jiaoyu" in next(f.message for f in found if f.code == "U906")
    y401 = [f for f in found if f.code == "Y401"]
    assert y401 and all("汇总成员与上年不同：减少 jiaoyu" in f.message for f in y401)


@pytest.mark.sphinx("html", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_drilldown_on_the_page_and_in_open_data(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 0
    report = (Path(app.outdir) / "quzhengfu" / "2023.html").read_text(encoding="utf-8")
    assert "汇总明细：各单元格由哪些成员构成" in report
    # issue 21: the table on a page of its own, linked from the report (which no longer holds it)
    assert 'href="2023-members.html">汇总明细</a>' in report and "gov-rollup-table" not in report
    page = (Path(app.outdir) / "quzhengfu" / "2023-members.html").read_text(encoding="utf-8")
    # a document (issue 20): the table and the way back as Sphinx writes them
    assert "gov-rollup-table" in page and 'href="2023.html"><span class="doc">← 返回 2023 年度报告</span></a>' in page
    root = Path(app.srcdir)
    roll = load_report(root, "quzhengfu", 2023)
    total = roll.value("t3", "new", "total")
    rows = list(csv.DictReader((Path(app.outdir) / "opendata" / "quzhengfu-2023-members.csv").open(encoding="utf-8")))
    cell = [r for r in rows if r["表"] == "表三" and r["行"].startswith("一、本年新收") and r["列"] == "总计"]
    assert [r["成员"] for r in cell] == MEMBERS
    assert sum(int(r["数值"]) for r in cell) == total
    parts = "；".join(f"{load_report(root, m, 2023).name} {load_report(root, m, 2023).value('t3', 'new', 'total')}" for m in MEMBERS
                     if load_report(root, m, 2023).value("t3", "new", "total"))
    assert f"<p>{total}</p></td>\n<td><p>{parts}</p>" in page
    names = "、".join(load_report(root, m, 2023).name for m in MEMBERS)  # by the names readers know, not folders
    assert f"本报告汇总 {len(MEMBERS)} 个单位：{names}。" in page
