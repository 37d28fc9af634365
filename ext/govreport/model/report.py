"""Reports: one agency, one year. Find them, read their metadata and tables.

Layout (one obvious place per report)::

    data/<agency>/<year>/report.toml    metadata: agency name, format, publication date
    data/<agency>/<year>/table2.csv     表二 (file names come from the format spec)
    data/<agency>/<year>/table3.csv     表三
    data/<agency>/<year>/table4.csv     表四
    data/<agency>/<year>/waivers.toml   optional: accepted findings, each with a reason
    docs/<agency>/<year>.md             the narrative (MyST)
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import CATALOGUE, Finding
from ..format.spec import FormatSpec, load_spec, spec_for_year, versions
from .csvload import Number, TableData, load_table
from .pagefile import inside
from .reportmeta import lines_of, validate

SLUG = re.compile(r"\A[a-z][a-z0-9-]*\Z")  # whole: "$" would accept "xsx\n" (issue 26)
TITLE_SUFFIX = "年政府信息公开工作年度报告"


@functools.cache
def _version_of(fmt: str, year: int) -> str:
    """A report's format version: the one its report.toml names, else its year's (asked for at every
    value a check or a page reads, so worked out once per format and year; the spec itself is
    ``load_spec``'s, which tests clear)."""
    return fmt if fmt in versions() else spec_for_year(year).version


@dataclass
class Report:
    root: Path
    agency: str  # slug
    year: int
    name: str = ""  # agency name as in the title, e.g. 沙坡头区香山乡
    full_name: str = ""  # the issuing organ, e.g. 中卫市沙坡头区香山乡人民政府
    format: str = "2021"
    published: dt.date | None = None
    # Validated by reportmeta like ``published``; nobody re-reads report.toml for them.
    deadline: str = "01-31"  # checked against officialdoc.DEADLINES (X805)
    title_break: str | None = None
    archive: bool = False
    imported_from: str = ""
    members: list[object] = field(default_factory=list)  # items checked by rollup (U907)
    draft: bool = False
    undated: bool = False  # an archive whose original prints no 成文日期
    group: str = ""  # the index's group (issue 21), one of portal.toml's groups (X807)
    meta_lines: dict[str, int] = field(default_factory=dict)  # line of each key in report.toml
    tables: dict[str, TableData] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # every file read: page dependencies
    docs: Path | None = None  # folder of the report pages (default: <root>/docs)
    _folder_in_data: bool | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.agency}/{self.year}"

    @property
    def data_dir(self) -> Path:
        return self.root / "data" / self.agency / str(self.year)

    def folder_in_data(self) -> bool:
        """The report's folder (symlinks followed) lies in ``data/``; asked once a report (a load)."""
        if self._folder_in_data is None:
            self._folder_in_data = inside(self.data_dir, [(self.root / "data").resolve()])
        return self._folder_in_data

    @property
    def page(self) -> Path:
        return (self.docs or self.root / "docs") / self.agency / f"{self.year}.md"

    @property
    def docname(self) -> str:
        return f"{self.agency}/{self.year}"

    @property
    def title(self) -> str:
        return f"{self.name}{self.year}{TITLE_SUFFIX}"

    @property
    def pdf_name(self) -> str:
        return f"{self.agency}-{self.year}.pdf"

    @property
    def spec(self) -> FormatSpec:
        return load_spec(_version_of(self.format, self.year))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def value(self, table: str, row: str, col: str) -> Number | None:
        t = self.tables.get(self.spec.table(table).id)
        return t.get(row, col) if t else None


def discover(root: Path) -> list[tuple[str, int]]:
    """Every ``(agency, year)`` with a ``report.toml`` under ``data/``, sorted."""
    found = []
    data = root / "data"
    if not data.is_dir():
        return []
    for agency in sorted(os.listdir(data)):
        adir = data / agency
        if not adir.is_dir():
            continue
        for year in sorted(os.listdir(adir)):
            # exists(), not is_file(): a report.toml that is a folder is a finding (F013), not skipped
            if year.isdigit() and os.path.lexists(adir / year / "report.toml"):
                found.append((agency, int(year)))
    return found


def read_meta(report: Report, content: str | None = None) -> None:
    """Fill the report's metadata from ``report.toml``; problems become findings.

    ``content``: the file's text as it would be (the workbench's settings form), not read from disk."""
    path = report.data_dir / "report.toml"
    rel = report.rel(path)
    report.files.append(path)
    report.name = report.name or report.agency
    refused = outside_repo(report, path)
    if refused is not None:
        report.findings.append(refused)
        return
    if os.path.lexists(path) and not path.is_file():
        report.findings.append(Finding.of("F013", rel, variant="kind"))
        return
    try:
        text = path.read_text(encoding="utf-8-sig") if content is None else content.removeprefix("\ufeff")
        meta = tomllib.loads(text)
    except FileNotFoundError:
        report.findings.append(Finding.of("F007", rel, variant="missing"))
        return
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.findings.append(Finding.of("F007", rel, variant="parse", exc=exc))
        return
    except OSError as exc:
        report.findings.append(Finding.of("F013", rel, variant="open", reason=exc.strerror or exc))
        return
    for key in ("agency",):  # format is optional: the year's (README)
        if not meta.get(key):
            # Located at the key when it is there but empty (agency = ""), so the workbench shows it beside its field.
            report.findings.append(Finding.of("F007", rel, variant="key", key=key, line=lines_of(text).get(key)))
    # issue 17: typed values; a value that fails is not used (the folder name stands in)
    meta, wrong = validate(meta, text, rel)
    report.findings += wrong
    report.name = meta.get("agency") or report.agency
    report.full_name = meta.get("full_name") or report.name
    # No format named: the one in force for the year (2019–2020: 2019, 2021 on: 2021).
    report.format = meta.get("format") or spec_for_year(report.year).version
    report.published = meta.get("published")
    report.deadline = meta.get("deadline", "01-31")
    report.title_break = meta.get("title_break")
    report.archive = meta.get("archive", False)
    report.imported_from = meta.get("imported_from", "")
    report.members = list(meta.get("members", []))
    report.draft = meta.get("draft", False)
    report.undated = meta.get("undated", False)
    report.meta_lines = lines_of(text)
    report.group = _group(report, meta.get("group", ""), rel)
    if report.format not in versions():
        report.findings.append(Finding.of("F008", rel, variant="unknown", format=report.format, versions=versions()))
    elif report.year > load_spec(report.format).last_year:
        # An older format than the year's (a 2019 grid for 2021); a newer one
        # for an earlier year (a 2020 report in the 2021 grid) is accepted.
        want = spec_for_year(report.year)
        report.findings.append(Finding.of("F008", rel, variant="year", year=report.year, name=want.name, version=want.version, format=report.format, expected=want.version, found=report.format))


def _group(report: Report, group: str, rel: str) -> str:
    """The index's group if portal.toml declares it (X807 and no group otherwise: never guessed)."""
    if not group:
        return ""
    groups = tuple(LOAD_HOOKS.groups(report.root)) if LOAD_HOOKS.groups is not None else ()
    if group in groups:
        return group
    report.findings.append(Finding.of("X807", rel, groups=groups, group=group, line=report.meta_lines.get("group"), expected="、".join(groups), found=group))
    return ""


@dataclass
class LoadHooks:
    """What the portal adds to loading a report, registered from outside
    (``portalhooks.register``): the core never imports the portal (issue 20).

    ``groups(root)``: the index's groups a report.toml may name (portal.toml);
    ``after_load``: run on every report ``load_report`` has read, with ``keep``
    (its report.toml was read from the file, not typed): a roll-up's sums."""

    groups: Callable[[Path], Sequence[str]] | None = None
    after_load: list[Callable[[Report, bool], None]] = field(default_factory=list)


LOAD_HOOKS = LoadHooks()


def outside_repo(report: Report, path: Path) -> Finding | None:
    """F009 when ``path`` (or its report folder) is a symlink whose real path leaves ``data/``."""
    if not os.path.lexists(path):
        return None
    # A file that is no symlink, in the report's folder, is where that folder is: the folder is
    # resolved once a report (one realpath a file walked every folder of every path, a tenth
    # of the site-wide build of 10,000 reports), the file costs one lstat.
    if path.parent == report.data_dir and path.name not in ("", ".", "..") and not path.is_symlink() and report.folder_in_data():
        return None
    allowed = [(report.root / "data").resolve()]
    if inside(path, allowed):
        return None
    what = CATALOGUE["F009"].phrase("folder" if not inside(report.data_dir, allowed) else "file")
    return Finding.of("F009", report.rel(path), variant="data", what=what)


def load_meta(root: Path, agency: str, year: int) -> Report:
    """Only a report's metadata (``report.toml``): enough to list it, title it, link it."""
    report = Report(root=root, agency=agency, year=year)
    read_meta(report)
    return report


def load_report(root: Path, agency: str, year: int, docs: Path | None = None, contents: Mapping[str, bytes] | None = None) -> Report:
    """Read metadata and every table of one report (no cross-checks yet).

    ``contents``: ``{file name in the report folder: bytes}`` read instead of
    the files on disk (the workbench checks what is typed before it is saved)."""
    contents = contents or {}
    report = Report(root=root, agency=agency, year=year, docs=docs)
    meta = contents.get("report.toml")
    read_meta(report, None if meta is None else meta.decode("utf-8", errors="replace"))
    for t in report.spec.tables.values():
        path = report.data_dir / t.file
        report.files.append(path)
        refused = outside_repo(report, path)
        if refused is not None:  # never read: its lines must not be echoed in findings
            report.tables[t.id] = TableData(t, report.rel(path))
            report.findings.append(refused)
            continue
        data, found = load_table(path, t, report.rel(path), contents.get(t.file))
        report.tables[t.id] = data
        report.findings.extend(found)
    for hook in LOAD_HOOKS.after_load:  # issue 16: roll-ups (here: the tables it sums)
        hook(report, "report.toml" not in contents)  # typed settings are not the file's
    return report
