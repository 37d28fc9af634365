"""The portal's hooks into loading and checking a report (issue 16), registered
from outside (issue 20): the core model and the checks never import the portal.

:func:`register` puts them in ``report.LOAD_HOOKS`` (the index's groups,
``after_load``) and ``checks.pipeline.CHECK_HOOKS`` (``extend`` before the
waivers, ``finish`` after them); the package's ``__init__`` calls it, so every
entry point (the command line, the Sphinx build, the workbench, a test) loads
and checks reports the same way. Everything else of the portal lives in its own
modules (archive, rollup, similarity, status, publish).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..checks.pipeline import CHECK_HOOKS
from ..findings import Finding
from ..model.report import LOAD_HOOKS, Report
from .archive import archive_findings, as_published
from .portalmeta import portal_settings, remember
from .rollup import check_rollup, explain_carry_over, fill
from .similarity import check_similarity


def groups(root: Path) -> Sequence[str]:
    """The index's groups a report.toml may name: portal.toml's (X807 names any other)."""
    return portal_settings(root).groups


def after_load(report: Report, keep: bool = True) -> None:
    """A roll-up's tables and blank cells from its members; ``keep``: remember its
    portal fields (not when its report.toml was given as typed, not read)."""
    if keep:
        remember(report)  # report.toml just read: the portal's fields without reading it again
    fill(report)


def extend(report: Report, findings: list[Finding]) -> tuple[list[Finding], list[Path]]:
    """The portal's findings (archive declaration, roll-up, 内容雷同), before
    waivers, and the files they read (members' reports, last year's page)."""
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
    return as_published(report, findings)


def register() -> None:
    """Hook the portal into loading and checking (idempotent: once per process)."""
    LOAD_HOOKS.groups = groups
    if after_load not in LOAD_HOOKS.after_load:
        LOAD_HOOKS.after_load.append(after_load)
    if extend not in CHECK_HOOKS.extend:
        CHECK_HOOKS.extend.append(extend)
    if finish not in CHECK_HOOKS.finish:
        CHECK_HOOKS.finish.append(finish)
