"""The official-document parts of a report: the 落款 and the title's line breaks.

Pure Python (no docutils): the Sphinx side (``sphinxext/signoff.py``, the LaTeX
title in ``latex.py``) and the checks both use it.

- 落款 (GB/T 9704-2012 7.3.5.3, a document without a seal): the issuing organ's
  name 2 characters from the right margin, the 成文日期 on the next line, its
  first character 2 characters right of the name's; a date longer than that
  keeps 2 characters from the margin and moves the name left instead. The date
  is written with Arabic numerals, ``2022年1月28日``.
- The legal deadline (政府信息公开条例 第五十条): an agency's own report by
  31 January of the following year; a 县级以上 government's report, published
  by its 政府信息公开工作主管部门, by 31 March. ``report.toml`` declares which
  (``deadline = "03-31"``); the default is ``"01-31"``.
- The title (GB/T 9704 7.2.4: broken by meaning, in a 梯形 or 菱形 shape): a line
  break before 政府信息公开工作年度报告, never inside a word; the agency name and
  the year stay together, a long name is split at its administrative parts
  into balanced lines. ``title_break`` in ``report.toml`` marks the breaks by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import CATALOGUE, Code, Finding

if TYPE_CHECKING:
    from .report import Report

DEADLINES = {"01-31": (1, 31), "03-31": (3, 31)}
SUFFIX = "政府信息公开工作年度报告"
#: A title line of 2号 (22 bp) in the 156 mm type area holds 20 characters.
TITLE_WIDTH = 20.0


def date_text(d: dt.date) -> str:
    """成文日期 with Arabic numerals and no leading zeros: 2022年1月28日."""
    return f"{d.year}年{d.month}月{d.day}日"


def date_phrase(code: Code, d: dt.date) -> str:
    """``d`` as ``code``'s messages write a date (its phrase ``date`` in findings.yaml; the same
    as the 落款's :func:`date_text`)."""
    return code.phrase("date", y=d.year, m=d.month, d=d.day)


def width(text: str) -> float:
    """Width in characters: CJK characters 1, ASCII (digits) half."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


@dataclass(frozen=True)
class Signoff:
    name: str
    date: str

    def indents(self) -> tuple[float, float]:
        """Right space (in characters) of the name line and of the date line."""
        n, d = width(self.name), width(self.date)
        name_right = max(2.0, 4.0 + d - n)
        return name_right, name_right + n - 2.0 - d


def signoff_for(report: Report) -> Signoff | None:
    """The report's 落款, or None without a ``published`` date."""
    if report.published is None:
        return None
    return Signoff(report.full_name or report.name, date_text(report.published))


def due(year: int, kind: str) -> dt.date:
    """The legal deadline of a report for ``year`` under ``deadline = kind``
    (an unknown kind, reported as X805, counts as the default 31 January).
    The one rule: X804 here and the portal's status board both use it."""
    month, day = DEADLINES.get(kind, DEADLINES["01-31"])
    return dt.date(year + 1, month, day)


def check_signoff(report: Report) -> list[Finding]:
    """X804 published after the legal deadline; X805 unknown deadline.

    A report without ``published`` has no 落款; that is warned once for a whole
    ``make check`` (``undated``), not as a finding of each report: every report
    being written has no date yet, and its other checks must stay clean.
    """
    rel = report.rel(report.data_dir / "report.toml")
    out = []
    kind = report.deadline  # validated text (reportmeta); a refused value is never here
    if kind not in DEADLINES:
        out.append(Finding.of("X805", rel, variant="value", kind=kind, line=report.meta_lines.get("deadline"), expected="01-31 或 03-31", found=kind))
    if report.published is None:
        return out
    last = due(report.year, kind)
    if report.published > last:
        out.append(Finding.of("X804", rel, published=date_phrase(CATALOGUE["X804"], report.published), last=date_phrase(CATALOGUE["X804"], last), expected=f"不晚于 {last.isoformat()}", found=report.published.isoformat()))
    return out


# Administrative parts of an agency name, after which a title may break. The
# look-aheads keep words whole: 市场, 市委, 区域, 县级, 省委 ….
_PART = re.compile(
    r"(?:特别行政区|自治区|自治州|自治县|地区|街道|苏木|(?<!城)市(?![场委政辖属直级])|省(?![委级])|州|盟|县(?![级委])|旗|区(?![域委])|乡|镇"
    r"|人民政府|办公厅|办公室|管理委员会|委员会|总局|税务局|局(?=$))"
)


def name_parts(name: str) -> list[str]:
    """An agency name cut after each administrative part: 宁夏回族自治区|中卫市|…"""
    parts, start = [], 0
    for m in _PART.finditer(name):
        if m.end() > start:
            parts.append(name[start : m.end()])
            start = m.end()
    if start < len(name):
        parts.append(name[start:])
    return [p for p in parts if p]


def _balanced(parts: list[str], lines: int) -> list[str] | None:
    """``parts`` in ``lines`` consecutive groups, the longest line as short as possible."""
    best: tuple[float, float, list[str]] | None = None

    def walk(i: int, left: int, acc: list[str]) -> None:
        nonlocal best
        if left == 1:
            acc = [*acc, "".join(parts[i:])]
            widths = [width(a) for a in acc]
            if max(widths) <= TITLE_WIDTH:
                key = (max(widths), max(widths) - min(widths))
                if best is None or key < best[:2]:
                    best = (*key, acc)
            return
        for j in range(i + 1, len(parts) - left + 2):
            walk(j, left - 1, [*acc, "".join(parts[i:j])])

    if len(parts) >= lines:
        walk(0, lines, [])
    return best[2] if best else None


def title_lines(name: str, year: int, marked: str | None = None) -> list[str]:
    """The title ``{name}{year}年政府信息公开工作年度报告`` in lines broken by meaning.

    ``marked`` is the title with ``|`` where the writer wants the breaks; it is
    used when it spells the same title.
    """
    title = f"{name}{year}年{SUFFIX}"
    if marked and marked.replace("|", "") == title:
        return [p for p in marked.split("|") if p]
    parts = name_parts(name)
    parts[-1:] = [f"{parts[-1] if parts else ''}{year}年"]  # the year stays with the name
    head = "".join(parts)
    if width(head) <= TITLE_WIDTH:
        return [head, SUFFIX]
    for n in range(2, len(parts) + 1):
        lines = _balanced(parts, n)
        if lines:
            return [*lines, SUFFIX]
    return [head, SUFFIX]  # one part longer than a line: let TeX break it


def check_title_break(report: Report) -> list[Finding]:
    """X806: ``title_break`` that does not spell the report's title."""
    marked = report.title_break
    if marked is None or marked.replace("|", "") == report.title:
        return []
    rel = report.rel(report.data_dir / "report.toml")
    return [Finding.of("X806", rel, title=report.title, written=marked.replace('|', ''), line=report.meta_lines.get("title_break"), expected=report.title, found=marked.replace("|", ""))]


def check_document(report: Report) -> list[Finding]:
    """The official-document checks of one report (called from checks.check_report)."""
    return check_signoff(report) + check_title_break(report)


def undated(reports: list[Report]) -> Finding | None:
    """X803, once: the reports whose report.toml has no ``published`` (成文日期);
    not an archive that says its original prints none (``undated = true``)."""
    missing = [r for r in reports if r.published is None and not (r.archive and r.undated)]
    if not missing:
        return None
    names = [f"{r.agency}/{r.year}" for r in missing[:10]]
    return Finding.of("X803", missing[0].rel(missing[0].data_dir / "report.toml"), variant="more" if len(missing) > 10 else None,
                      count=len(missing), names=names)
