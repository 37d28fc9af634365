"""make new (start a report) and the open-data downloads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from docutils import nodes
from govreport.checks import check_report
from govreport.cli.commands import main
from govreport.format.spec import load_spec, occupancy
from govreport.model.scaffold import AlreadyExists, new_report
from sphinx.testing.util import SphinxTestApp


def test_new_report_for_an_existing_agency(repo: Path) -> None:
    t3 = repo / "data/demo/2021/table3.csv"
    t3.write_text(t3.read_text(encoding="utf-8").replace(
        "一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0", "一、本年新收政府信息公开申请数量,2,1,0,0,0,0,3").replace(
        "四、结转下年度继续办理,0,0,0,0,0,0,0", "四、结转下年度继续办理,2,1,0,0,0,0,3"), encoding="utf-8")
    made = new_report(repo, "demo", 2022)
    assert [p.relative_to(repo).as_posix() for p in made.paths] == [
        "data/demo/2022/report.toml", "data/demo/2022/table2.csv", "data/demo/2022/table3.csv",
        "data/demo/2022/table4.csv", "docs/demo/2022.md"]
    result = check_report(repo, "demo", 2022)
    # Only the documented findings of an empty report: the placeholders to replace.
    assert {f.code for f in result.findings} == {"X802"}
    assert not result.errors
    t3_new = result.report.tables["t3"]
    assert [t3_new.get("carried_in", c) for c in ("natural", "commercial", "total")] == [2, 1, 3]
    assert result.report.tables["t2"].get("normative", "in_force") == 1
    assert result.report.name == "沙坡头区香山乡"
    page = (repo / "docs/demo/2022.md").read_text(encoding="utf-8")
    assert page.startswith("# 沙坡头区香山乡2022年政府信息公开工作年度报告")
    for title in load_spec().sections:
        assert f"## {title}" in page


def test_new_never_overwrites(repo: Path) -> None:
    before = (repo / "data/demo/2021/table3.csv").read_bytes()
    with pytest.raises(AlreadyExists, match=r"data/demo/2021/report\.toml"):
        new_report(repo, "demo", 2021)
    assert (repo / "data/demo/2021/table3.csv").read_bytes() == before


def test_new_agency_needs_its_name(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    assert main(["new", "newtown", "2024"]) == 2
    assert "NAME" in capsys.readouterr().err
    assert main(["new", "newtown", "2024", "--name", "新城镇"]) == 0
    out = capsys.readouterr().out
    assert "新建 docs/newtown/2024.md" in out and " 错误 " not in out and "检查：0 个错误，6 个警告。" in out
    assert main(["new", "Bad Slug", "2024", "--name", "x"]) == 2


@pytest.mark.sphinx("html", testroot="basic")
def test_open_data_equals_the_tables(app: SphinxTestApp) -> None:
    """Every value in the download is the number shown in the rendered table, and vice versa."""
    app.build()
    out = Path(app.outdir) / "opendata"
    rows = json.loads((out / "demo-2021.json").read_text(encoding="utf-8"))
    with open(out / "demo-2021.csv", encoding="utf-8-sig") as f:
        assert [{k: r[k] for k in ("table", "row", "column", "value")} for r in csv.DictReader(f)] == [
            {k: str(r[k]) for k in ("table", "row", "column", "value")} for r in rows]
    spec = load_spec()
    doctree = app.env.get_doctree("demo/2021")
    shown: dict[tuple[str, str, str], str] = {}
    for table in doctree.findall(nodes.table):
        tid = next(c for c in table["classes"] if c in ("gov-t2", "gov-t3", "gov-t4")).removeprefix("gov-")
        t = spec.tables[tid]
        entries = [e for row in table.findall(nodes.row) for e in row.children]
        cells = [cell for line in occupancy(t) for _, _, cell in line]
        for entry, cell in zip(entries, cells, strict=True):
            if cell.key is not None:
                r, c = cell.key
                shown[(t.title, t.rows[r].label, t.columns[c].label)] = entry.astext()
    download = {(r["table"], r["row"], r["column"]): str(r["value"]) for r in rows}
    assert download == shown
    assert len(download) == 10 + 175 + 15
    assert all(r["unit"] == ("万元" if r["column"].startswith("本年收费金额") else "件") for r in rows)
    combined = json.loads((out / "all.json").read_text(encoding="utf-8"))
    assert combined == rows


@pytest.mark.parametrize("year", [22, 202, 20222])
def test_new_rejects_a_year_that_is_not_four_digits(repo: Path, year: int) -> None:
    with pytest.raises(ValueError, match="四位数字"):
        new_report(repo, "demo", year, name="测试")
