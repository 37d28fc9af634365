"""Prose against tables: numbers the narrative writes that stand for table values.

The phrases looked for, the cells they stand for and the words of the messages are
the spec's ``prose:`` (``format/specs/gov<v>.yaml``), read from the report's own format.
"""

from __future__ import annotations

import re

from ..findings import Finding
from ..format.labels import Number
from ..format.spec import CountPhrase
from ..format.wording import period_matches
from ..model.narrative import Page, flat_text
from ..model.report import Report
from .registry import rule

#: Every count phrase of the spec ends in a number of 件 or 个 (its ``${count}``): skip the rest.
_COUNTED = re.compile(r"[\d,]\s*(?:件|个)")
_VALUE_ROLE = re.compile(r"\{value\}`([^`]*)`")


@rule(order=420, codes=("P601", "P602", "P603", "X801", "X802"), needs=("page",))
def check_prose(report: Report, page: Page) -> list[Finding]:
    out: list[Finding] = []
    rel = report.rel(page.path)
    prose = report.spec.prose
    whole = ""
    for block in page.paragraphs():
        text, where = flat_text(block)
        whole += text
        if text.startswith(report.spec.placeholder_starts):
            out.append(Finding.of("X802", rel, text=text[:30], line=block.line, col=1))
        # Most paragraphs hold no role, no count and no denial: skip their patterns.
        for m in _VALUE_ROLE.finditer(block.text) if "{value}" in block.text else ():
            try:
                report.spec.resolve(m.group(1))
            except KeyError as exc:
                line = block.line + block.text.count("\n", 0, m.start())
                col = m.start() - (block.text.rfind("\n", 0, m.start()) + 1) + 1
                out.append(Finding.of("P603", rel, problem=exc.args[0], line=line, col=col, found=m.group(1)))
        for ph in prose.counts if _COUNTED.search(text) else ():
            for m in ph.pattern.finditer(text):
                if not _counted_otherwise(report, ph, m):
                    out += _compare(report, rel, ph.what, ph.cells.value(report), m.group(1), where[m.start(1)])
                if not ph.outcome or prose.outcome is None:
                    continue
                clause = re.split(r"[；;。]", text[m.end():], maxsplit=1)[0]
                for om in prose.outcome.finditer(clause):
                    pos = m.end() + om.start(2)
                    value = ph.cells.column(prose.outcomes[om.group(1)]).value(report)
                    out += _compare(report, rel, f"{ph.outcome}{om.group(1)}", value, om.group(2), where[pos])
        for none in prose.none if "未" in text or "没有" in text else ():
            for m in none.pattern.finditer(text):
                v = none.cells.value(report)
                if v:
                    line, col = where[m.start()]
                    out.append(Finding.of("P602", rel, written=m.group(0), what=none.what, v=v, line=line, col=col, expected="0", found=str(v)))
    return out + check_period(report, rel, page, whole)


def _counted_otherwise(report: Report, ph: CountPhrase, m: re.Match[str]) -> bool:
    """Is the phrase true of the table in another common way of counting (the spec's ``also``)?
    E.g. 受理…申请 N 件 with N = t3.new + t3.carried_in: many offices count the requests
    they handled that year, carried-over ones included; the same statement as the table."""
    if ph.also is None or ph.also_when is None or not ph.also_when.search(m.group(0)):
        return False
    v = ph.also.value(report)
    return v is not None and int(m.group(1).replace(",", "")) == v


def check_period(report: Report, rel: str, page: Page, whole: str) -> list[Finding]:
    """X801: the narrative states the year's 1月1日至12月31日, of this year."""
    out: list[Finding] = []
    periods = period_matches(whole.replace("\0", ""))
    if whole and not periods:
        out.append(Finding.of("X801", rel, variant="missing", year=report.year, line=page.title_line))
    for m in periods:
        years = {int(y) for y in m.groups() if y}
        if years and years != {report.year}:
            out.append(Finding.of("X801", rel, variant="year", written=m.group(0), year=report.year, line=page.title_line, expected=str(report.year), found=m.group(0)))
    return out


def _compare(report: Report, rel: str, what: str, value: Number | None, written: str, at: tuple[int, int]) -> list[Finding]:
    if value is None:
        return []
    n = int(written.replace(",", ""))
    if n == value:
        return []
    return [Finding.of("P601", rel, what=what, written=written, value=value, line=at[0], col=at[1], expected=str(value), found=written)]
