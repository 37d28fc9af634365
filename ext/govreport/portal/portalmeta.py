"""The portal's fields of ``report.toml`` (issue 16), as ``report.read_meta`` validated them.

    archive = true                 an archive of a published report, kept as published
    imported_from = "…"           where the published text came from (required for an archive)
    undated = true                 an archive whose original prints no 成文日期 (instead of ``published``:
                                   a date the source does not give is never invented)
    members = ["a", "b"]           a roll-up (汇总): the units whose figures it sums, same year
    deadline = "03-31"             a 县级以上 government's report: due 31 March (officialdoc.due)
    draft = true                   not yet published (a report without ``published`` is a draft too)

Never read raw: the values come from ``report.load_meta`` (its ``outside_repo``
refusal and its type checks, reportmeta.KEYS), so a refused value is never used
here either. Pure Python; each file read once per modification.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..model.officialdoc import due
from ..model.report import Report, load_meta


@dataclass(frozen=True)
class PortalMeta:
    archive: bool = False
    imported_from: str = ""
    members: tuple[str, ...] = ()
    members_line: int | None = None  # line of ``members`` in report.toml
    archive_line: int | None = None
    deadline: str = "01-31"
    draft: bool = False
    published: dt.date | None = None
    undated: bool = False  # an archive's original prints no date (``undated = true``)
    name: str = ""
    raw_members: list[object] = field(default_factory=list)

    @property
    def is_rollup(self) -> bool:
        return bool(self.raw_members)

    @property
    def imported(self) -> bool:
        return bool(self.imported_from.strip())


_MEMO: dict[str, tuple[int, PortalMeta]] = {}


def portal_meta(data_dir: Path) -> PortalMeta:
    """The portal fields of ``data_dir/report.toml`` (defaults when absent, unreadable or
    refused: ``read_meta`` reports those problems)."""
    path = data_dir / "report.toml"
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return PortalMeta()
    hit = _MEMO.get(str(path))
    if hit and hit[0] == stamp:
        return hit[1]
    if not data_dir.name.isdigit():
        return PortalMeta()
    meta = of_report(load_meta(data_dir.parents[2], data_dir.parent.name, int(data_dir.name)))
    _MEMO[str(path)] = (stamp, meta)
    return meta


def remember(report: Report) -> None:
    """Keep the portal fields of a report just read (``load_report``), so that
    ``portal_meta`` does not read its report.toml a second time."""
    path = report.data_dir / "report.toml"
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return
    _MEMO[str(path)] = (stamp, of_report(report))


def of_report(r: Report) -> PortalMeta:
    """The portal fields of a report whose metadata ``read_meta`` has read."""
    return PortalMeta(
        archive=r.archive,
        imported_from=r.imported_from,
        members=tuple(str(m) for m in r.members),  # U907 names the ones that are not slugs
        members_line=r.meta_lines.get("members"),
        archive_line=r.meta_lines.get("archive"),
        deadline=r.deadline,
        draft=r.draft,
        published=r.published,
        undated=r.undated,
        name=r.name if r.name != r.agency else "",  # the folder name stands in for a refused agency
        raw_members=list(r.members),
    )


def deadline(year: int, meta: PortalMeta) -> dt.date:
    """The legal publication deadline of a report for ``year`` (``officialdoc.due``,
    the rule X804 checks)."""
    return due(year, meta.deadline)


#: The index's groups when portal.toml names none (issue 21).
DEFAULT_GROUPS = ("政府及汇总", "部门", "乡镇街道")


@dataclass(frozen=True)
class PortalSettings:
    """``portal.toml`` at the repository root: settings of a district portal.

    publish = "passing"     make site publishes every report that passes (default);
                            "strict": any report with an error fails the whole site
    similarity = false      no U910 warning when a narrative repeats most of last
                            year's (the warning is on by default)
    groups = ["…", "…"]     the index's groups, in order (issue 21; report.toml's group
                            names one; default: 政府及汇总、部门、乡镇街道)
    """

    publish: str = "passing"
    similarity: bool = True
    groups: tuple[str, ...] = DEFAULT_GROUPS


def portal_settings(root: Path) -> PortalSettings:
    path = root / "portal.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return PortalSettings()
    publish = str(raw.get("publish", "passing"))
    groups = raw.get("groups")
    # Bounded: a list of short texts, or the default (a wrong list cannot empty the index: X807 names each report).
    ok = isinstance(groups, list) and 0 < len(groups) <= 20 and all(isinstance(g, str) and 0 < len(g) <= 20 for g in groups)
    return PortalSettings(publish="strict" if publish == "strict" else "passing", similarity=raw.get("similarity") is not False,
                          groups=tuple(dict.fromkeys(groups)) if ok else DEFAULT_GROUPS)  # type: ignore[arg-type]
