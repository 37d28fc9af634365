"""The page reader's fast path (``narrative._scan``) against markdown-it.

``_scan`` reads pages made of headings, paragraphs and fences without
markdown-it, and must give exactly what markdown-it gives, or decline (None).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from govreport.model import narrative
from govreport.model.narrative import _parse, _scan
from govreport.portal import synth
from sample import PAGE

REPO = Path(__file__).resolve().parent.parent


def _both(source: str) -> tuple[object, object]:
    lines = source.splitlines()
    return _scan(source, lines), _parse(source, lines)


def _pages() -> list[Path]:
    pages = sorted((REPO / "docs").rglob("*.md")) + sorted((REPO / "tests" / "roots").rglob("*.md"))
    assert len(pages) >= 5
    return pages


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_repository_pages_agree(page: Path) -> None:
    fast, slow = _both(page.read_text(encoding="utf-8-sig"))
    assert fast is None or fast == slow


def test_report_pages_take_the_fast_path() -> None:
    """The sample report, a new report's template and synthetic reports are
    all read without markdown-it (else the fast path would never pay off)."""
    from govreport.format.spec import load_spec
    from govreport.model.scaffold import page_text

    sources = [PAGE.read_text(encoding="utf-8")]
    sources.append(page_text("测试乡2025年政府信息公开工作年度报告", 2025, load_spec("2021")))
    sources += [r.page for r in synth.plan(6, seed=3)]
    for source in sources:
        fast, slow = _both(source)
        assert fast is not None
        assert fast == slow


def test_read_page_same_with_and_without_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    page = PAGE
    fast = narrative.read_page(page)
    monkeypatch.setattr(narrative, "_scan", lambda source, lines: None)
    slow = narrative.read_page(page)
    assert fast == slow
    assert fast.sections[0].title == "一、总体情况"


#: Lines pages are made of, including every kind the fast path must decline
#: (lists, quotes, HTML, breaks, setext underlines, references, indented code)
#: and near misses of the kinds it reads (7 hashes, 2 backticks, indented fences).
_LINES = [
    "", "", "", "   ", "本机关坚持以公开为常态。", "全年共收到申请 5 件，答复 5 件。", "{value}`t3.new.total`件",
    "1.主动公开情况", "（一）主动公开", "　　全角空格开头的一行", "#话题#", "# 标题", "## 一、总体情况", "### （一）主动公开",
    "## 二、主动公开 ##", "# #", "#", "##   ", "####### 七个井号", "   ## 缩进三格", "## 尾部 #号#", "## a \\#",
    "```{report-table} 表二", "```{report-table} 表三", "```", "```   ", "````", "~~~", "~~~ 说明", ":::{note}", ":::",
    "::::{report-table} 表四", "::::", "::", "``", "``` x`y", "  ```", " :::", "   ~~~",
    "**加粗开头**的一行", "__下划线__", "-减号开头", "+加号", "= 等号", "- 列表", "* 列表", "* * *", "- - -", "==", "--", "+ 列表", "1. 有序", "2) 有序", "> 引用", "<div>", "***", "---", "===", "___",
    "[ref]: https://example.org", "    缩进代码", "|表|格|", "%注释", "(target)=", "$$", "文字 # 不是标题",
]


def _random_page(rng: random.Random) -> str:
    lines = [rng.choice(_LINES) for _ in range(rng.randint(1, 40))]
    return "\n".join(lines) + ("\n" if rng.random() < 0.7 else "")


def test_generated_pages_agree() -> None:
    rng = random.Random(20261126)
    taken = 0
    for _ in range(3000):
        source = _random_page(rng)
        fast, slow = _both(source)
        if fast is not None:
            taken += 1
            assert fast == slow, source
    # Many generated pages hold a line only markdown-it may read; enough do not.
    assert taken > 300


@pytest.mark.parametrize("source", [
    "# 标题\n\n段落\n```{report-table} 表三\n```\n续行",  # a fence ends a paragraph
    "# 标题\n段落\n## 一、总体情况\n正文",  # so does a heading
    "# 标题\n\n```{report-table} 表三\n没有结束",  # an unclosed fence runs to the end
    "# 标题\n\n:::{note}\n```\n:::\n正文\n",  # a backtick line does not close a colon fence
    "# 标题\n\n````\n```\n````\n",
    "\ufeff# 标题\n",
])
def test_edge_cases_agree(source: str) -> None:
    fast, slow = _both(source)
    assert fast is not None
    assert fast == slow


@pytest.mark.parametrize("source", ["段落\n- 列表", "段落\n===", "段落\n\tTab", "段落\r\n续行", "> 引用", "```a`b\n```"])
def test_declines_what_it_does_not_read(source: str) -> None:
    assert _scan(source, source.splitlines()) is None
