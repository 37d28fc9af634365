"""内容雷同: how much of last year's narrative a report repeats (issue 16).

Sections 一 (总体情况) and 五 (存在的主要问题及改进情况) of both years are split
into sentences with headings removed and numbers masked; a sentence of last
year's counts as repeated when this year has one at least ``SAME`` similar
(rapidfuzz's normalised InDel ratio). More than ``LIMIT`` repeated: warning U910.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .narrative import Page, read_page
from .portalmeta import portal_settings
from .report import Report

SAME = 90.0  # percent: sentences this similar are the same sentence
LIMIT = 0.5  # share of last year's sentences
SECTIONS = ("一、", "五、")
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_NUMBER = re.compile(r"[0-9０-９][0-9０-９.,，%％]*|[零〇一二三四五六七八九十百千万两]+(?=[件个项次条人名家万元%])")
_SPLIT = re.compile(r"[。！？；!?;\n]+")
_MARKUP = re.compile(r"[*_`#>|]|\[|\]\([^)]*\)")
MIN_CHARS = 8  # shorter pieces (list markers, "无。") are not sentences
#: Last year's sentences needed to judge: two of three short sentences repeated
#: ("本年度新收政府信息公开申请N件") says nothing about a report's writing.
MIN_SENTENCES = 5


@dataclass(frozen=True)
class Repeat:
    share: float  # of last year's sentences, 0..1
    repeated: tuple[str, ...]  # last year's sentences found again
    total: int  # last year's sentences compared


def sentences(page: Page) -> list[str]:
    """Sentences of sections 一 and 五, headings removed, numbers masked."""
    out: list[str] = []
    for s in page.sections:
        if s.level == 2 and s.title.startswith(SECTIONS):
            for b in s.blocks:
                if b.kind != "paragraph":
                    continue
                text = _MARKUP.sub("", _ROLE.sub("N", b.text))
                for piece in _SPLIT.split(text):
                    piece = _NUMBER.sub("N", piece.strip())
                    if len(piece) >= MIN_CHARS and not re.fullmatch(r"[（(][一二三四五六七八九十]+[)）].{0,12}", piece):
                        out.append(piece)
    return out


def compare(now: list[str], before: list[str]) -> Repeat:
    """Which of ``before`` recur in ``now`` (each matched against its best)."""
    from rapidfuzz import fuzz, process

    if not before:
        return Repeat(0.0, (), 0)
    repeated = []
    for s in before:
        best = process.extractOne(s, now, scorer=fuzz.ratio, score_cutoff=SAME) if now else None
        if best is not None:
            repeated.append(s)
    return Repeat(len(repeated) / len(before), tuple(repeated), len(before))


def judged(r: Repeat) -> bool:
    """Enough of last year's sentences to say anything (the check and the status board)."""
    return r.total >= MIN_SENTENCES


def _last_years_page(report: Report) -> Path:
    return (report.docs or report.root / "docs") / report.agency / f"{report.year - 1}.md"


def repeat_of(report: Report) -> Repeat | None:
    """This report's repetition of last year's; None without both pages."""
    prev = _last_years_page(report)
    if not report.page.is_file() or not prev.is_file():
        return None
    return compare(sentences(read_page(report.page)), sentences(read_page(prev)))


def check_similarity(report: Report) -> list[Finding]:
    """U910 when more than half of last year's sentences are repeated (unless the
    repository's ``portal.toml`` turns it off: ``similarity = false``)."""
    report.files.append(report.root / "portal.toml")  # the setting: a cached result follows it
    if not portal_settings(report.root).similarity:
        return []
    report.files.append(_last_years_page(report))
    r = repeat_of(report)
    if r is None or not judged(r) or r.share <= LIMIT:
        return []
    listed = "；".join(f"“{s}”" for s in r.repeated[:20]) + ("……" if len(r.repeated) > 20 else "")
    return [Finding.make(
        "U910",
        f"第一、五部分有 {len(r.repeated)} 句与 {report.year - 1} 年报告相同（占上年 {r.total} 句的 {r.share:.0%}，超过一半）：{listed}",
        report.rel(report.page), line=1, expected=f"≤ {LIMIT:.0%}", found=f"{r.share:.0%}")]


def share_of(path_now: Path, path_before: Path) -> float | None:
    """The share for two page files (the status board); None where U910 would not
    judge: a page missing, or last year too short."""
    if not path_now.is_file() or not path_before.is_file():
        return None
    r = compare(sentences(read_page(path_now)), sentences(read_page(path_before)))
    return r.share if judged(r) else None
