"""The portal's three hooks into loading and checking a report (issue 16).

``report.load_report`` calls ``after_load``; ``checks.check_report`` calls
``extend`` before the waivers and ``finish`` after them. Everything else of the
portal lives in its own modules (archive, rollup, similarity, status, publish).
"""

from __future__ import annotations

from pathlib import Path

from .findings import Finding
from .report import Report


def after_load(report: Report, keep: bool = True) -> None:
    """A roll-up's tables and blank cells from its members; ``keep``: remember its
    portal fields (not when its report.toml was given as typed, not read)."""
    from .portalmeta import remember
    from .rollup import fill

    if keep:
        remember(report)  # report.toml just read: the portal's fields without reading it again
    fill(report)


def extend(report: Report, findings: list[Finding]) -> tuple[list[Finding], list[Path]]:
    """The portal's findings (archive declaration, roll-up, 内容雷同), before
    waivers, and the files they read (members' reports, last year's page)."""
    from .archive import archive_findings
    from .rollup import check_rollup, explain_carry_over
    from .similarity import check_similarity

    # The rule modules note what they read on report.files; the pipeline keeps
    # those files itself, so the loaded report is left as it was loaded.
    before = len(report.files)
    try:
        out = explain_carry_over(report, findings)
        out += archive_findings(report) + check_rollup(report) + check_similarity(report)
        return out, report.files[before:]
    finally:
        del report.files[before:]


def finish(report: Report, findings: list[Finding]) -> list[Finding]:
    """After waivers: an archive's findings become 原文问题."""
    from .archive import as_published

    return as_published(report, findings)
