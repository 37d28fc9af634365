"""The check pipeline: load a report, run the registered rules in their order, apply waivers.

The rules are declarations in :data:`.registry.RULES` (their codes, what they need, their
order); this module runs them and supplies what they need: the tables, last year's report,
the page, the member reports. Returns the findings and the files read, without changing the loaded report;
``checked`` and ``Loads`` memoise on those files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..findings import Finding, sort_key
from ..model.narrative import Page, read_page
from ..model.officialdoc import check_document
from ..model.pagefile import read_page_text
from ..model.report import SLUG, Report, load_report
from ..model.reportmeta import check_title_year
from . import across, notes, prose, relations, sections, waivers  # noqa: F401  (their rules register on import)
from .registry import RULES, RuleError, rule

# Rules whose functions live in the model (it sits below the checks and cannot register them).


@rule(order=300, codes=("X804", "X805", "X806"))
def document(report: Report) -> list[Finding]:
    """落款 and title of the official document (``model/officialdoc.py``)."""
    return check_document(report)


@rule(order=430, codes=("F014",), needs=("page",))
def title_year(report: Report, page: Page) -> list[Finding]:
    """The page title's year is the folder's."""
    return check_title_year(page.title, page.title_line, report.year, report.rel(report.page))


#: The codes the pipeline itself reports while supplying the page (read_page_text; no page: S505).
PAGE_CODES = frozenset({"F009", "F010", "F011", "S505"})


class Members:
    """The reports a report lists as its members (``members`` in its report.toml), for the rules
    that need them (``needs=("members",)``): by slug, each loaded through the build's memo of loads.

    The core knows only that a report may list members; what they mean (a roll-up sums them) is
    the portal's. :attr:`names` are the listed items that can name a member of the same year (a
    slug, not the report itself, once each); the files a rule reads through this view are noted on
    the run's report, so a cached result follows them.
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        self.listed: list[object] = list(report.members)
        self.names: list[str] = list(dict.fromkeys(
            m for m in self.listed if isinstance(m, str) and SLUG.match(m) and m != report.agency))

    def folder(self, name: str) -> Path:
        """The member's folder of the report's year."""
        return self.report.root / "data" / name / str(self.report.year)

    def exists(self, name: str) -> bool:
        """The member has a report this year; its report.toml is noted even when absent (adding it
        must re-check the report)."""
        meta = self.folder(name) / "report.toml"
        self.report.files.append(meta)
        return meta.is_file()

    def __getitem__(self, name: str) -> Report:
        """The member's loaded report (shared: do not modify it); its files not yet noted are noted."""
        member = shared_load(self.report.root, name, self.report.year)
        noted = set(self.report.files)
        self.report.files.extend(f for f in member.files if f not in noted)
        return member

    def checked(self, name: str) -> Checked:
        """The member checked (memoised); every file its check read is noted."""
        result = checked(self.report.root, name, self.report.year, self.report.docs)
        self.report.files.extend(result.report.files)
        return result


class _Supplies:
    """What the rules need, each made once per run when a rule first asks for it; the files each
    reads are noted on the run's report, its findings added in the order they arise."""

    def __init__(self, report: Report, previous: Callable[[], Report], findings: list[Finding]) -> None:
        self.report, self._load_previous, self.findings = report, previous, findings
        self._made: dict[str, Any] = {}

    def get(self, need: str) -> Any:
        if need == "findings":
            return self.findings
        if need not in self._made:
            self._made[need] = getattr(self, f"_{need}")()
        return self._made[need]

    def _tables(self) -> dict[str, Any]:
        return {tid: t for tid, t in self.report.tables.items() if t.loaded}

    def _previous(self) -> Report | None:
        report = self.report
        prev_meta = report.root / "data" / report.agency / str(report.year - 1) / "report.toml"
        # Noted even when absent: adding last year's report must re-check this one.
        report.files.append(prev_meta)
        if not prev_meta.is_file():
            return None
        prev = self._load_previous()
        report.files.extend(prev.files)
        return prev

    def _members(self) -> Members | None:
        return Members(self.report) if self.report.members else None

    def _page(self) -> Page | None:
        report = self.report
        report.files.append(report.page)
        if not report.page.is_file():
            self._add([Finding.of("S505", report.rel(report.data_dir / "report.toml"), page=report.rel(report.page))])
            return None
        # UTF-16 or a symlink out of the repository is a finding, GBK a warning
        docs = report.docs or report.root / "docs"
        source, unread = read_page_text(report.page, report.rel(report.page), [docs.resolve(), (report.root / "data").resolve()])
        self._add(unread)
        return read_page(report.page, source) if source is not None else None

    def _add(self, found: list[Finding]) -> None:
        wrong = sorted({f.code for f in found} - PAGE_CODES)
        if wrong:
            raise RuleError(f"reading the page reported {', '.join(wrong)}, not among {', '.join(sorted(PAGE_CODES))}")
        self.findings += found


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
    year's check (which compares t3.carried_in with them) instead of reading them twice.
    """
    report = load_report(root, agency, year, docs)
    if loads is not None:
        loads.put(report)

    def previous() -> Report:
        return loads.get(root, agency, year - 1) if loads is not None else load_report(root, agency, year - 1)

    findings, files = run_checks(report, previous)
    return Checked(replace(report, files=files), findings)


def run_checks(report: Report, previous: Callable[[], Report]) -> tuple[list[Finding], list[Path]]:
    """Every registered rule on a loaded report, in their order: ``(findings, files read)``.

    ``previous`` loads last year's report, asked only when there is one. A rule runs when what
    it needs exists (last year's report, a readable page); the loader's findings come first.
    """
    findings = list(report.findings)
    # The rules' report: this run's shallow copy, whose files list is the run's (a rule notes the
    # files it reads there); the loaded report, shared between checks, stays as it was loaded.
    view = replace(report, files=list(report.files))
    supplies = _Supplies(view, previous, findings)
    for r in RULES.ordered():
        args = {need: supplies.get(need) for need in r.needs}  # may add the page's own findings
        if any(v is None for v in args.values()):
            continue  # no last year's report, no readable page, no members listed
        before = supplies.findings
        out = list(r.func(view, **args))
        if r.amends:
            r.check(before, out)
            supplies.findings = out
        elif out:  # most rules find nothing in most reports: nothing to vet or add
            r.check(before, out)
            supplies.findings = before + out
    findings = supplies.findings
    findings.sort(key=sort_key)
    return findings, view.files


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
