"""The portal's hooks into loading and checking a report (issue 16), registered
from outside (issue 20): the core model and the checks never import the portal.

:func:`register` puts them in ``report.LOAD_HOOKS`` (the index's groups,
``after_load``) and registers the portal's rules in ``checks.registry.RULES``
like any other rule (roll-up, archive, 内容雷同 before the waivers; an archive's
findings become 原文问题 after them); the package's ``__init__`` calls it, so
every entry point (the command line, the Sphinx build, the workbench, a test)
loads and checks reports the same way. Everything else of the portal lives in
its own modules (archive, rollup, similarity, status, publish).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..checks.registry import RULES, WAIVERS
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


def register() -> None:
    """Hook the portal into loading and checking (idempotent: once per process)."""
    LOAD_HOOKS.groups = groups
    if after_load not in LOAD_HOOKS.after_load:
        LOAD_HOOKS.after_load.append(after_load)
    # The roll-up's members come from the pipeline (``members``), which notes their files; the
    # other rules read what they need (last year's page) and note it on the run's report.
    RULES.add(explain_carry_over, name="portal.carry_over", order=700, needs=("findings",), codes=())  # Y401 of a roll-up says why
    RULES.add(archive_findings, name="portal.archive", order=710, codes=("A951", "A952"))
    RULES.add(check_rollup, name="portal.rollup", order=720, needs=("members",), codes=("U901", "U902", "U903", "U904", "U905", "U906", "U907"))
    RULES.add(check_similarity, name="portal.similarity", order=730, codes=("U910",))
    RULES.add(as_published, name="portal.as_published", order=WAIVERS + 100, needs=("findings",), codes=())  # 原文问题
