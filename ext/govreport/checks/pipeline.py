"""The check pipeline: load a report, run each rule family, apply waivers.

Returns the findings and the files read, without changing the loaded report;
``checked`` and ``Loads`` memoise on those files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..findings import Finding, sort_key
from ..model.narrative import read_page
from ..model.officialdoc import check_document
from ..model.pagefile import read_page_text
from ..model.report import Report, load_report
from ..model.reportmeta import check_title_year
from .across import check_previous
from .notes import NOTES_FILE, check_import_notes
from .prose import check_prose
from .relations import check_relations
from .sections import check_sections
from .waivers import apply_waivers

#: Rules added from outside, before the waivers: ``(report, findings) -> (findings, files read)``.
Extend = Callable[[Report, list[Finding]], tuple[list[Finding], list[Path]]]
#: Steps after the waivers: ``(report, findings) -> findings``.
Finish = Callable[[Report, list[Finding]], list[Finding]]


@dataclass
class CheckHooks:
    """The portal's rules (roll-up, archive, 内容雷同) and its last step (an archive's
    findings become 原文问题), registered from outside (``portalhooks.register``):
    the checks never import the portal (issue 20)."""

    extend: list[Extend] = field(default_factory=list)
    finish: list[Finish] = field(default_factory=list)


CHECK_HOOKS = CheckHooks()


@dataclass
class Checked:
    """A checked report: ``report`` is the loaded report with ``files`` set to every
    file the check read (its own, last year's, the page, the waivers); the
    loaded report itself is never changed (it may be shared, see ``Loads``)."""

    report: Report
    findings: list[Finding]

    @property
    def files(self) -> list[Path]:
        return self.report.files

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def check_report(root: Path, agency: str, year: int, docs: Path | None = None, loads: Loads | None = None) -> Checked:
    """Load one report and run every check on it.

    ``loads``, when checking many reports, keeps each report's tables for next
    year's check (which compares 二、上年结转 with them) instead of reading them twice.
    """
    report = load_report(root, agency, year, docs)
    if loads is not None:
        loads.put(report)

    def previous() -> Report:
        return loads.get(root, agency, year - 1) if loads is not None else load_report(root, agency, year - 1)

    findings, files = run_checks(report, previous)
    return Checked(replace(report, files=files), findings)


def run_checks(report: Report, previous: Callable[[], Report]) -> tuple[list[Finding], list[Path]]:
    """Every check on a loaded report, by rule family: ``(findings, files read)``.

    ``previous`` loads last year's report, asked only when there is one.
    """
    findings = list(report.findings)
    files = list(report.files)
    for t in report.tables.values():
        if t.loaded:
            findings += check_relations(t)
    prev_meta = report.root / "data" / report.agency / str(report.year - 1) / "report.toml"
    # Noted even when absent: adding last year's report must re-check this one.
    files.append(prev_meta)
    if prev_meta.is_file():
        prev = previous()
        files += prev.files
        findings += check_previous(report, prev)
    findings += check_document(report)  # 落款 and title (officialdoc.py)
    files.append(report.page)
    if report.page.is_file():
        # UTF-16 or a symlink out of the repository is a finding, GBK a warning
        docs = report.docs or report.root / "docs"
        source, unread = read_page_text(report.page, report.rel(report.page), [docs.resolve(), (report.root / "data").resolve()])
        findings += unread
        page = read_page(report.page, source) if source is not None else None
        if page is not None:
            findings += check_sections(report, page) + check_prose(report, page)
            findings += check_title_year(page.title, page.title_line, report.year, report.rel(report.page))
    else:
        findings.append(Finding.of("S505", report.rel(report.data_dir / "report.toml"), page=report.rel(report.page)))
    files.append(report.data_dir / NOTES_FILE)  # noted even when absent
    findings += check_import_notes(report)
    files.append(report.data_dir / "waivers.toml")  # noted even when absent
    for more in CHECK_HOOKS.extend:  # roll-ups, archives, 内容雷同
        findings, read = more(report, findings)
        files += read
    findings = apply_waivers(report, findings)
    for last in CHECK_HOOKS.finish:
        findings = last(report, findings)
    findings.sort(key=sort_key)
    return findings, files


#: Reports kept in memory: a build reads pages one after another, and a page
#: needs its own report and last year's, so a few dozen are plenty whatever N is.
KEEP = 64
_CACHE: dict[tuple[str, str, int, str], tuple[tuple[tuple[str, int], ...], Checked]] = {}


def _keep(memo: dict[Any, Any], key: Any, value: Any) -> None:
    """``memo[key] = value``, forgetting the oldest entries beyond ``KEEP``."""
    memo.pop(key, None)
    memo[key] = value
    while len(memo) > KEEP:
        del memo[next(iter(memo))]


def _stamp(files: list[Path]) -> tuple[tuple[str, int], ...]:
    out = []
    for f in files:
        try:
            out.append((str(f), os.stat(f).st_mtime_ns))
        except OSError:
            out.append((str(f), -1))
    return tuple(out)


class Loads:
    """``load_report`` memoised on the files each report read, for checking many
    reports: last year's tables are then read once, not again for next year's
    check. The reports handed out are shared: do not modify them."""

    def __init__(self, watch: bool = True) -> None:
        """``watch``: check that a kept report's files are unchanged before handing
        it out (a long-lived build process); a one-shot run need not."""
        self._memo: dict[tuple[str, str, int], tuple[tuple[tuple[str, int], ...], Report]] = {}
        self.watch = watch

    def put(self, report: Report) -> None:
        """Keep ``report`` as just loaded (the checks never change it: no copy needed)."""
        snapshot = replace(report, docs=None)
        _keep(self._memo, (str(report.root), report.agency, report.year), (_stamp(snapshot.files) if self.watch else (), snapshot))

    def get(self, root: Path, agency: str, year: int) -> Report:
        hit = self._memo.get((str(root), agency, year))
        if hit and (not self.watch or hit[0] == _stamp(hit[1].files)):
            return hit[1]
        report = load_report(root, agency, year)
        self.put(report)
        return report


_LOADS = Loads()


def shared_load(root: Path, agency: str, year: int) -> Report:
    """A report's tables from the build's memo of loads (do not modify it): the charts and roll-ups."""
    return _LOADS.get(root, agency, year)


def checked(root: Path, agency: str, year: int, docs: Path | None = None) -> Checked:
    """``check_report`` memoised on the files it read (one build reads a report
    from several directives and roles)."""
    key = (str(root), agency, year, str(docs))
    hit = _CACHE.get(key)
    if hit and hit[0] == _stamp(hit[1].report.files):
        return hit[1]
    result = check_report(root, agency, year, docs, _LOADS)
    _keep(_CACHE, key, (_stamp(result.report.files), result))
    return result
