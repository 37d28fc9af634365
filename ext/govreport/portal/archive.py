"""Archived reports: history kept exactly as it was published (issue 16).

A report whose ``report.toml`` says ``archive = true`` and names where the
published text came from (``imported_from``, which ``make import`` fills) is an
archive: its findings are the problems of the published original (原文问题).
They are kept, shown on its page and PDF, and do not block publication; its
numbers still feed comparisons and next year's carry-over check, with that mark.
A report that was not imported cannot be archived (A951).
"""

from __future__ import annotations

from dataclasses import replace

from ..findings import CATALOGUE, Finding
from ..model.report import Report
from .portalmeta import portal_meta

#: The recorded "reason" of an archived report's findings: they are kept, not fixed.
ARCHIVED = "原文问题（存档报告按原发布文本照录，不作修改）"
#: Findings about the archive declaration itself are never turned into 原文问题,
#: nor X810 (the import's own notes are about the import, not the published original).
_OWN = {"A951", "A952", "F007", "X810"}


def is_archived(report: Report) -> bool:
    """True when the report is a valid archive (declared, imported, dated or declared undated)."""
    meta = portal_meta(report.data_dir)
    return meta.archive and meta.imported and (meta.published is not None or meta.undated)


def archive_findings(report: Report) -> list[Finding]:
    """A951/A952 for an archive declaration that is not allowed."""
    meta = portal_meta(report.data_dir)
    if not meta.archive:
        return []
    rel = report.rel(report.data_dir / "report.toml")
    out = []
    if not meta.imported:
        out.append(Finding.of("A951", rel, line=meta.archive_line, expected="imported_from = \"…\"", found="（无）"))
    if meta.published is None and not meta.undated:
        # A real original may print no date: then say so (undated = true), never invent one.
        out.append(Finding.of("A952", rel, next_year=report.year + 1, line=meta.archive_line))
    return out


def as_published(report: Report, findings: list[Finding]) -> list[Finding]:
    """An archive's findings become 原文问题 (kept, not blocking); Y401 of a report
    whose last year is an archive says so."""
    out = list(findings)
    prev = Report(root=report.root, agency=report.agency, year=report.year - 1)
    if (prev.data_dir / "report.toml").is_file() and is_archived(prev):
        note = CATALOGUE["Y401"].phrase("archived", year=prev.year)
        out = [replace(f, message=f.message + note) if f.code == "Y401" else f for f in out]
    if not is_archived(report):
        return out
    return [f if f.code in _OWN or f.waived is not None else f.waive(ARCHIVED) for f in out]


def original_problems(findings: list[Finding]) -> list[Finding]:
    """The findings shown as 原文问题."""
    return [f for f in findings if f.waived == ARCHIVED]
