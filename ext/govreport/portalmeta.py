"""The portal's fields of ``report.toml`` (issue 16), read apart from ``report.read_meta``.

    archive = true                 an archive of a published report, kept as published
    imported_from = "…"           where the published text came from (required for an archive)
    undated = true                 an archive whose original prints no 成文日期 (instead of ``published``:
                                   a date the source does not give is never invented)
    members = ["a", "b"]           a roll-up (汇总): the units whose figures it sums, same year
    level = "县级以上地方人民政府"  the legal deadline is then 31 March, not 31 January
    draft = true                   not yet published (a report without ``published`` is a draft too)

Pure Python; each file read once per modification.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

#: A ``level`` with this prefix has until 31 March (《条例》第五十条: 县级以上地方人民政府).
MARCH_LEVELS = ("县级以上地方人民政府", "县级以上人民政府", "县级以上")


@dataclass(frozen=True)
class PortalMeta:
    archive: bool = False
    imported_from: str = ""
    members: tuple[str, ...] = ()
    members_line: int | None = None  # line of ``members`` in report.toml
    archive_line: int | None = None
    level: str = ""
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


def _line_of(text: str, key: str) -> int | None:
    for i, ln in enumerate(text.splitlines(), 1):
        if ln.split("=", 1)[0].strip() == key:
            return i
    return None


def portal_meta(data_dir: Path) -> PortalMeta:
    """The portal fields of ``data_dir/report.toml`` (defaults when absent or unreadable:
    ``read_meta`` reports those problems)."""
    path = data_dir / "report.toml"
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return PortalMeta()
    hit = _MEMO.get(str(path))
    if hit and hit[0] == stamp:
        return hit[1]
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return PortalMeta()
    members = raw.get("members", [])
    if not isinstance(members, list):
        members = [members]
    pub = raw.get("published")
    meta = PortalMeta(
        archive=raw.get("archive") is True,
        imported_from=str(raw.get("imported_from", "") or ""),
        members=tuple(str(m) for m in members),
        members_line=_line_of(text, "members"),
        archive_line=_line_of(text, "archive"),
        level=str(raw.get("level", "") or ""),
        draft=raw.get("draft") is True,
        published=pub if isinstance(pub, dt.date) else None,
        undated=raw.get("undated") is True,
        name=str(raw.get("agency", "") or ""),
        raw_members=list(members),
    )
    _MEMO[str(path)] = (stamp, meta)
    return meta


def deadline(year: int, meta: PortalMeta) -> dt.date:
    """The legal publication deadline of a report for ``year``: 31 January of the
    next year, 31 March for a 县级以上地方人民政府."""
    if meta.level.startswith(MARCH_LEVELS) and "部门" not in meta.level:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


@dataclass(frozen=True)
class PortalSettings:
    """``portal.toml`` at the repository root: settings of a district portal.

    publish = "passing"     make site publishes every report that passes (default);
                            "strict": any report with an error fails the whole site
    similarity = true       warn (U910) when a narrative repeats most of last year's
    """

    publish: str = "passing"
    similarity: bool = False


def portal_settings(root: Path) -> PortalSettings:
    path = root / "portal.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return PortalSettings()
    publish = str(raw.get("publish", "passing"))
    return PortalSettings(publish="strict" if publish == "strict" else "passing", similarity=raw.get("similarity") is True)
