"""The status board and 内容雷同 (issue 16)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from govreport.cli.commands import main
from govreport.model.narrative import read_page
from govreport.portal.similarity import compare, sentences
from govreport.portal.status import board, render
from portal_helpers import DISTRICT, district_copy, edit, findings


def _rows(root: Path, docs: Path | None = None) -> dict[tuple[str, int], tuple[str, int, int, str, str, str]]:
    return {(r.agency, r.year): tuple(r.cells()[2:8]) for r in board(root, docs=docs or root, use_cache=False)}  # type: ignore[misc]


def test_board_states_deadlines_and_counts(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    rows = _rows(root)
    assert rows[("shuiwu", 2023)][:3] == ("暂缓发布", "2", "0")
    assert rows[("xiguan", 2021)][0] == "存档原文"
    assert rows[("nanshan", 2023)] == ("通过", "0", "0", "2024-01-27", "2024-01-31", "按期")
    assert rows[("quzhengfu", 2023)][3:] == ("2024-01-20", "2024-03-31", "按期")  # 县级以上地方人民政府: 31 March
    assert rows[("dongyuan", 2022)][:3] == ("通过", "0", "1")  # U910
    # a draft, a late one, a missing one
    toml = root / "data/nanshan/2023/report.toml"
    edit(toml, "published = 2024-01-27\n", "")
    edit(root / "data/jiaoyu/2023/report.toml", "published = 2024-01-26", "published = 2024-02-05")
    (root / "data/jiaoyu/2022/report.toml").unlink()
    rows = _rows(root)
    assert rows[("nanshan", 2023)][0] == "草稿"
    assert rows[("jiaoyu", 2023)][5] == "逾期 5 天"
    assert rows[("jiaoyu", 2022)][:2] == ("暂缓发布", "1")  # its tables without report.toml: F017 (issue 26)
    shutil.rmtree(root / "data/jiaoyu/2022")
    assert _rows(root)[("jiaoyu", 2022)][0] == "缺报告"


def test_board_similarity_column(tmp_path: Path) -> None:
    rows = {(r.agency, r.year): r.similarity for r in board(DISTRICT, docs=DISTRICT, use_cache=False)}
    assert rows[("dongyuan", 2022)] == 1.0 and rows[("dongyuan", 2021)] is None
    assert rows[("nanshan", 2023)] is not None and rows[("nanshan", 2023)] < 0.5  # type: ignore[operator]


def test_make_status_prints_the_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = district_copy(tmp_path / "repo", layout="repo")
    monkeypatch.chdir(root)
    assert main(["status", "-j", "1"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["年度", "单位", "状态", "错误", "警告", "发布日期", "法定期限", "按期", "雷同"]
    assert any(ln.split()[:4] == ["2023", "示例区税务局", "暂缓发布", "2"] for ln in lines)
    assert lines[-1] == "合计：通过 15，暂缓发布 1，存档原文 1" or lines[-1].startswith("合计：")
    assert "存档原文 1" in lines[-1] and "暂缓发布 1" in lines[-1]
    assert render(board(root)) == out.rstrip("\n")


def test_similarity_masks_numbers_and_drops_headings(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("# 标题\n\n## 一、总体情况\n\n### （一）主动公开\n\n本年公开文件12件，比上年增加3件。\n按要求做好公开工作。\n\n"
                    "## 二、主动公开政府信息情况\n\n不比较这一段的句子内容。\n\n## 五、存在的主要问题及改进情况\n\n一是栏目更新不够及时。\n", encoding="utf-8")
    got = sentences(read_page(page))
    assert got == ["本年公开文件N件，比上年增加N件", "按要求做好公开工作", "一是栏目更新不够及时"]
    assert compare(["本年公开文件N件，比上年增加N件"], got).share == pytest.approx(1 / 3)
    assert compare([], got).share == 0


def test_u910_warns_and_lists_the_sentences(tmp_path: Path) -> None:
    root = district_copy(tmp_path / "d")
    found = [f for f in findings(root, "dongyuan", 2022) if f.code == "U910"]
    assert len(found) == 1 and not found[0].is_error and "占上年 8 句的 100%" in found[0].message
    assert "一是" in found[0].message
    (root / "portal.toml").write_text("similarity = false\n", encoding="utf-8")
    assert findings(root, "dongyuan", 2022) == []


def test_u910_is_on_without_portal_toml_and_needs_five_sentences(tmp_path: Path) -> None:
    """On by default (no portal.toml); last year's page must hold at least
    MIN_SENTENCES sentences to be judged."""
    from govreport.portal.similarity import MIN_SENTENCES

    root = district_copy(tmp_path / "d")
    (root / "portal.toml").unlink()
    assert [f.code for f in findings(root, "dongyuan", 2022)] == ["U910"]
    before, now = next(root.rglob("dongyuan/2021.md")), next(root.rglob("dongyuan/2022.md"))
    plain = [x for x in sentences(read_page(now)) if "N" not in x]
    assert len(plain) > MIN_SENTENCES

    def last_year(n: int) -> None:  # n of this year's sentences, and nothing else
        before.write_text("# 标题\n\n## 一、总体情况\n\n" + "。".join(plain[:n]) + "。\n", encoding="utf-8")

    last_year(MIN_SENTENCES - 1)
    assert findings(root, "dongyuan", 2022) == []
    last_year(MIN_SENTENCES)
    assert [f.code for f in findings(root, "dongyuan", 2022)] == ["U910"]


def test_turning_u910_off_takes_effect_through_the_check_cache(tmp_path: Path) -> None:
    """portal.toml is a dependency of every report's check: a cached U910 does
    not survive ``similarity = false``, nor its share on the status board."""
    from govreport.checks.cache import CheckCache
    from govreport.cli.commands import run_checks

    root = district_copy(tmp_path / "repo", layout="repo")

    def u910() -> int:
        return sum(f.code == "U910" for r in run_checks(root, [], 1, CheckCache(root)) for f in r.findings)

    assert u910() > 0
    assert u910() > 0  # from the cache
    (root / "portal.toml").write_text("similarity = false\n", encoding="utf-8")
    assert u910() == 0
    assert all(r.similarity is None for r in board(root))


def test_deadline_rule() -> None:
    from govreport.portal.portalmeta import PortalMeta, deadline

    assert deadline(2024, PortalMeta()) == dt.date(2025, 1, 31)
    # one rule with X804 (review1 addendum): ``deadline = "03-31"``, not ``level``
    assert deadline(2024, PortalMeta(deadline="03-31")) == dt.date(2025, 3, 31)
    assert deadline(2024, PortalMeta(deadline="02-28")) == dt.date(2025, 1, 31)
