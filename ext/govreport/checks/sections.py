"""The six sections of the narrative: present, in order, titled as the format says, with their tables."""

from __future__ import annotations

import re

from ..findings import Finding
from ..format.labels import normalise_label
from ..model.narrative import Page
from ..model.report import Report
from .registry import rule


@rule(order=410, codes=("S501", "S502", "S503", "S504", "S506", "S507"), needs=("page",))
def check_sections(report: Report, page: Page) -> list[Finding]:
    out: list[Finding] = []
    rel = report.rel(page.path)
    official = list(report.spec.sections)
    by_norm = {_norm_title(t): i for i, t in enumerate(official)}
    found: dict[int, int] = {}  # official index -> position in page
    for pos, sec in enumerate(page.sections):
        idx = by_norm.get(_norm_title(sec.title))
        if idx is None:
            idx = _title_guess(sec.title, official)
            if idx is None:
                continue  # an extra section is allowed
        if sec.title != official[idx]:
            out.append(Finding.of("S503", rel, title=sec.title, official=official[idx], line=sec.line, expected=official[idx], found=sec.title))
        if idx in found:
            continue
        found[idx] = pos
        if not any(b.kind in ("paragraph", "directive", "other") for b in sec.blocks):
            out.append(Finding.of("S504", rel, official=official[idx], line=sec.line))
    last = -1
    for idx, title in enumerate(official):
        if idx not in found:
            out.append(Finding.of("S501", rel, number=title.split('、')[0], title=title, line=page.title_line, expected=title))
            continue
        if found[idx] < last:
            out.append(Finding.of("S502", rel, title=title, line=page.sections[found[idx]].line))
        last = max(last, found[idx])
    for sec in page.sections:
        for b in sec.blocks:
            if b.kind == "directive" and b.name == "report-table" and not any(_is_table(report, b.arg, t) for t in report.spec.tables):
                out.append(Finding.of("S507", rel, variant="section", arg=b.arg, line=b.line, found=b.arg))
    # Each mandated table in its own section.
    for t in report.spec.tables.values():
        if t.section not in found:
            continue
        sec = page.sections[found[t.section]]
        if not any(b.kind == "directive" and b.name == "report-table" and _is_table(report, b.arg, t.id) for b in sec.blocks):
            out.append(Finding.of("S506", rel, official=official[t.section], table=t.title, line=sec.line))
    return out


def _norm_title(t: str) -> str:
    return normalise_label(t).replace(".", "、").replace(",", "、")


def _title_guess(title: str, official: list[str]) -> int | None:
    """A section heading that starts with an official number (一、 … 六、)."""
    m = re.match(r"^\s*([一二三四五六])\s*[、.．,，]", title)
    if not m:
        return None
    return "一二三四五六".index(m.group(1))


def _is_table(report: Report, arg: str, tid: str) -> bool:
    try:
        return report.spec.table(arg).id == tid
    except KeyError:
        return False
