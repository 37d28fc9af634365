"""Which files of the published site belong to one report (issue 22).

One list, used wherever the site is assembled or checked: the site leaves out
every file of a report it does not publish (withheld this time, or removed from
the repository), whatever earlier builds left in the output folders; the final
check refuses any such file. A new per-report file (another edition, another download) is one more
line in ``REPORT_FILES``.

Paths are relative to the site root, ``/``-separated; ``{agency}`` and
``{year}`` stand for the report's key. A pattern ending in ``/`` is a folder:
every file under it belongs to the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

REPORT_FILES: tuple[str, ...] = (
    "{agency}/{year}.html",  # the page
    "{agency}/{year}-members.html",  # a roll-up's 汇总明细, on a page of its own (issue 21)
    "pdf/{agency}-{year}.pdf",  # the PDF edition
    "docx/{agency}-{year}.docx",  # the Word edition (issue 24)
    "opendata/{agency}-{year}.csv",  # open data, per report
    "opendata/{agency}-{year}.json",
    "opendata/{agency}-{year}-members.csv",  # a roll-up's drill-down
    "data/{agency}/{year}/",  # the CSV downloads
)

#: Site-wide files whose names look like a report's: the comparison's CSV (issue 21) is
#: ``opendata/compare-<year>.csv``, which ``{agency}-{year}.csv`` would give to a report "compare".
SITE_WIDE: tuple[str, ...] = ("opendata/compare-{year}.csv",)

_AGENCY, _YEAR = r"(?P<agency>[a-z][a-z0-9-]*)", r"(?P<year>\d{4})"


def _regex(pattern: str) -> re.Pattern[str]:
    folder = pattern.endswith("/")
    body = re.escape(pattern.rstrip("/")).replace(r"\{agency\}", _AGENCY).replace(r"\{year\}", _YEAR)
    return re.compile(body + ("/.+" if folder else "") + r"\Z")


_REGEXES = tuple(_regex(p) for p in REPORT_FILES)
_SITE_WIDE = tuple(_regex(p) for p in SITE_WIDE)


def owner(relpath: str) -> str | None:
    """The report ("agency/year") a site path belongs to, or None for a site-wide file."""
    if any(rx.match(relpath) for rx in _SITE_WIDE):
        return None
    for rx in _REGEXES:
        m = rx.match(relpath)
        if m:
            return f"{m.group('agency')}/{m.group('year')}"
    return None


def report_paths(key: str) -> list[str]:
    """The site paths of one report (folders with their trailing ``/``)."""
    agency, year = key.split("/")
    return [p.format(agency=agency, year=year) for p in REPORT_FILES]


def files(root: Path) -> list[str]:
    """Every file under ``root``, relative, sorted (symlinks followed)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def foreign(paths: Iterable[str], published: set[str]) -> list[str]:
    """The paths that belong to a report not in ``published``."""
    return [p for p in paths if (k := owner(p)) is not None and k not in published]


def of_reports(paths: Iterable[str], keys: set[str]) -> list[str]:
    """The paths that belong to one of ``keys``."""
    return [p for p in paths if owner(p) in keys]
