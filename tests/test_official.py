"""The official-document parts: 落款 (name and 成文日期), the legal deadline, the title's lines."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from govreport.checks import check_report
from govreport.cli.commands import main
from govreport.findings import CATALOGUE, PACK_WORDING, flatten
from govreport.model.officialdoc import SUFFIX, TITLE_WIDTH, Signoff, date_phrase, date_text, name_parts, title_lines, width
from sphinx.testing.util import SphinxTestApp

TOML = "data/demo/2021/report.toml"

#: Real agency names (上海市人民政府办公厅, 淮安市, 平潭 from ../shared/real-reports) and long ones.
NAMES = {
    "宁夏回族自治区中卫市沙坡头区香山乡人民政府": ["宁夏回族自治区中卫市", "沙坡头区香山乡人民政府2021年", SUFFIX],
    "上海市人民政府办公厅": ["上海市人民政府办公厅2021年", SUFFIX],
    "江苏省淮安市人民政府": ["江苏省淮安市人民政府2021年", SUFFIX],
    "平潭综合实验区管理委员会": ["平潭综合实验区管理委员会2021年", SUFFIX],
    "国家税务总局宁夏回族自治区税务局": ["国家税务总局宁夏回族自治区税务局2021年", SUFFIX],
    "沙坡头区香山乡": ["沙坡头区香山乡2021年", SUFFIX],
    "新疆维吾尔自治区伊犁哈萨克自治州霍城县人民政府": ["新疆维吾尔自治区伊犁哈萨克自治州", "霍城县人民政府2021年", SUFFIX],
    "内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇人民政府": ["内蒙古自治区呼伦贝尔市鄂温克族自治旗", "巴彦托海镇人民政府2021年", SUFFIX],
}


@pytest.mark.parametrize("name", NAMES)
def test_title_broken_by_meaning(name: str) -> None:
    lines = title_lines(name, 2021)
    assert lines == NAMES[name]
    assert "".join(lines) == f"{name}2021年{SUFFIX}"
    assert lines[-1] == SUFFIX  # the break before 政府信息公开工作年度报告
    assert lines[-2].endswith(f"{name_parts(name)[-1]}2021年")  # the year stays with the name
    assert all(width(ln) <= TITLE_WIDTH for ln in lines)
    # never inside a word: every break falls between two parts of the name
    cuts = {sum(len(p) for p in name_parts(name)[:i]) for i in range(len(name_parts(name)) + 1)}
    at = 0
    for ln in lines[:-2]:
        at += len(ln)
        assert at in cuts, (name, ln)


def test_name_parts_keep_words() -> None:
    assert name_parts("上海市市场监督管理局") == ["上海市", "市场监督管理局"]
    assert name_parts("中共淮安市委办公室") == ["中共淮安市委办公室"]
    assert name_parts("长江流域生态环境监督管理局") == ["长江流域生态环境监督管理局"]


def test_title_marked_by_the_writer() -> None:
    marked = "上海市|人民政府办公厅2021年|政府信息公开工作年度报告"
    assert title_lines("上海市人民政府办公厅", 2021, marked) == ["上海市", "人民政府办公厅2021年", SUFFIX]
    # a mark that does not spell the title is not used
    assert title_lines("上海市人民政府办公厅", 2021, "上海市|政府2021年|" + SUFFIX) == ["上海市人民政府办公厅2021年", SUFFIX]


def test_date_text() -> None:
    assert date_text(dt.date(2022, 1, 28)) == "2022年1月28日"
    assert date_text(dt.date(2025, 3, 1)) == "2025年3月1日"


def test_messages_write_a_date_as_the_signoff() -> None:
    """X804's (and the rule packs' deadline) dates are its phrase in findings.yaml: the 落款's date."""
    for d in (dt.date(2022, 1, 28), dt.date(2025, 3, 1), dt.date(2024, 12, 31)):
        assert date_phrase(CATALOGUE["X804"], d) == date_text(d)
    assert PACK_WORDING["deadline"].phrases == CATALOGUE["X804"].phrases


def test_signoff_indents() -> None:
    # name 2 characters from the margin; the date starts 2 characters right of the name
    name, date = "中卫市沙坡头区香山乡人民政府", "2022年1月28日"  # 14 and 6.5 characters wide
    assert Signoff(name, date).indents() == (2.0, 7.5)
    # a date longer than the name less 2: the date 2 from the margin, the name moved left
    assert Signoff("某局", date).indents() == (8.5, 2.0)


def set_meta(repo: Path, extra: str) -> None:
    path = repo / TOML
    path.write_text(path.read_text(encoding="utf-8") + extra + "\n", encoding="utf-8")


def codes(repo: Path) -> list[tuple[str, str, int | None, str | None]]:
    return flatten(check_report(repo, "demo", 2021).findings)


def test_published_in_time(repo: Path) -> None:
    set_meta(repo, "published = 2022-01-31")
    assert codes(repo) == []


def test_published_late(repo: Path) -> None:
    set_meta(repo, "published = 2022-02-01")
    assert codes(repo) == [("X804", TOML, None, None)]
    msg = check_report(repo, "demo", 2021).findings[0].message
    assert "2022年2月1日" in msg and "2022年1月31日" in msg


def test_government_report_deadline(repo: Path) -> None:
    set_meta(repo, 'deadline = "03-31"\npublished = 2022-03-31')
    assert codes(repo) == []
    set_meta(repo, "")
    path = repo / TOML
    path.write_text(path.read_text(encoding="utf-8").replace("2022-03-31", "2022-04-01"), encoding="utf-8")
    assert codes(repo) == [("X804", TOML, None, None)]


def test_unknown_deadline(repo: Path) -> None:
    line = len((repo / TOML).read_text(encoding="utf-8").splitlines()) + 1
    set_meta(repo, 'deadline = "02-28"\npublished = 2022-02-01')
    # review1 1.2c: X805 is located at the deadline's line
    assert codes(repo) == [("X804", TOML, None, None), ("X805", TOML, line, None)]


def test_title_break_that_does_not_spell_the_title(repo: Path) -> None:
    line = len((repo / TOML).read_text(encoding="utf-8").splitlines()) + 1
    set_meta(repo, 'title_break = "测试|乡2022年|政府信息公开工作年度报告"')
    assert codes(repo) == [("X806", TOML, line, None)]  # located (review1 1.2c)


def test_missing_date_warned_once(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(repo / "data" / "demo" / "2021", repo / "data" / "other" / "2021")
    (repo / "docs" / "other").mkdir()
    shutil.copy(repo / "docs" / "demo" / "2021.md", repo / "docs" / "other" / "2021.md")
    monkeypatch.chdir(repo)
    assert main(["check"]) == 0
    err = capsys.readouterr().err
    assert len(re.findall("X803", err)) == 1, err
    assert "2 份报告" in err and "demo/2021、other/2021" in err
    set_meta(repo, "published = 2022-01-28")
    assert main(["check"]) == 0
    assert "demo/2021" not in capsys.readouterr().err


@pytest.mark.sphinx("html", testroot="pdfgrid")
def test_html_signoff(app: SphinxTestApp) -> None:
    app.build()
    html = (Path(app.outdir) / "demo" / "2021.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="gov-signoff".*?</div>', html, re.S)
    assert block, "没有落款"
    # 21 characters of name: 2 from the right; the date (6.5 wide) starts 2 right of the name
    assert '<p style="margin:0;padding-right:2em">宁夏回族自治区中卫市沙坡头区测试乡人民政府</p>' in block.group(0)
    assert '<p style="margin:0;padding-right:14.5em">2022年1月28日</p>' in block.group(0)
    assert html.index("gov-signoff") > html.index("六、其他需要报告的事项")


@pytest.mark.sphinx("html", testroot="basic")
def test_html_no_signoff_without_date(app: SphinxTestApp) -> None:
    app.build()
    assert "gov-signoff" not in (Path(app.outdir) / "demo" / "2021.html").read_text(encoding="utf-8")
