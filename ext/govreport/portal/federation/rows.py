"""A member district's published rows: ``opendata/all.csv`` checked against its ``publication.json``.

``all.csv`` is what ``make site`` publishes (``opendata.FIELDS``: agency,
agency_name, year, table, row, column, value, unit; labels as the official
form prints them). Each row is read back to the spec's ids; a row that cannot
be (wrong labels, not a number, wrong unit, twice, of a report the district did
not publish) is a finding U943 at its line and is left out: the cells it would
have given stay blank, never guessed. ``publication.json`` says which reports
were published, withheld, and which roll-up sums which units (``rollups``).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...edition.opendata import FIELDS, UNITS
from ...findingcodes import CodeId
from ...findings import Finding
from ...format.spec import Unit, load_spec, spec_for_year, versions
from ...model.csvload import Number, parse_cell
from .config import Member
from .fetch import FetchError, read, where

ALL_CSV = "opendata/all.csv"
PUBLICATION = "opendata/publication.json"
MAX_PUBLICATION = 8 * 1024 * 1024
MAX_ROWS = 2_000_000
_KEY = re.compile(r"^([a-z][a-z0-9-]{0,63})/(\d{4})$")
_WARNINGS = {"C209", "C210"}  # a large or very precise amount is a number all the same

Cell = tuple[str, str, str]  # table id, row id, column id


@dataclass
class UnitReport:
    """One published report's numbers, by the spec's ids (``value`` as a Report's: charts.figures reads it)."""

    agency: str
    year: int
    name: str
    cells: dict[Cell, Number | None] = field(default_factory=dict)

    def value(self, table: str, row: str, col: str) -> Number | None:
        return self.cells.get((table, row, col))


@dataclass
class District:
    member: Member
    error: str = ""  # why it could not be read at all (then nothing else is used)
    reports: dict[tuple[str, int], UnitReport] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # agency -> name
    published: list[str] = field(default_factory=list)  # "agency/year"
    archived: list[str] = field(default_factory=list)
    withheld: dict[str, int] = field(default_factory=dict)
    rollups: dict[str, list[str]] | None = None  # None: its publication.json predates them
    findings: list[Finding] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({int(k.split("/")[1]) for k in [*self.published, *self.withheld]}, reverse=True)

    def agencies(self) -> list[str]:
        return sorted({k.split("/")[0] for k in [*self.published, *self.withheld]})


@functools.cache
def _labels(version: str) -> dict[tuple[str, str, str], tuple[Cell, Unit]]:
    """(table title, row label, column label) -> ids and unit, as opendata.tidy_rows writes them."""
    spec = load_spec(version)
    return {(t.title, t.rows[r].label, t.columns[c].label): ((t.id, r, c), t.unit(c)) for t in spec.tables.values() for r, c in t.keys()}


def _cell(year: int, table: str, row: str, col: str) -> tuple[Cell, Unit] | None:
    """The ids of a labelled cell in the format of ``year`` (or another format, for a report that used one)."""
    first = spec_for_year(year).version
    for v in [first, *(v for v in versions() if v != first)]:
        hit = _labels(v).get((table, row, col))
        if hit is not None:
            return hit
    return None


def _number(raw: str, unit: Unit) -> Number | None:
    """The cell's number, or None when it is not one (``opendata`` writes amounts via float: 1e-05 may occur)."""
    value, problems = parse_cell(raw, unit)
    if value is not None and not any(p[0] not in _WARNINGS for p in problems):
        return value
    if unit == "wan_yuan" and len(raw) <= 30:
        try:
            d = Decimal(raw)
        except InvalidOperation:
            return None
        return d if d.is_finite() and d >= 0 else None
    return None


def load(root: Path, member: Member) -> District:
    """Read and check one member's publication.json and all.csv."""
    out = District(member)
    try:
        text = read(root, member, PUBLICATION, MAX_PUBLICATION).decode("utf-8-sig")
    except (FetchError, UnicodeDecodeError) as exc:
        if isinstance(exc, FetchError):
            return _fail(out, "U942", PUBLICATION, problem=exc)
        return _fail(out, "U942", PUBLICATION, "publication_text")
    problem = _publication(out, text)
    if problem is not None:
        return _fail(out, "U944", PUBLICATION, problem[0], **problem[1])
    try:
        text = read(root, member, ALL_CSV).decode("utf-8-sig")
    except (FetchError, UnicodeDecodeError) as exc:
        if isinstance(exc, FetchError):
            return _fail(out, "U942", ALL_CSV, problem=exc)
        return _fail(out, "U942", ALL_CSV, "csv_text")
    _rows(out, text)
    return out


def _fail(out: District, code: CodeId, name: str, variant: str | None = None, **fields: object) -> District:
    """The district is left out: its finding, whose message is also the note its page shows."""
    found = Finding.of(code, where(out.member, name), variant=variant, member=out.member.name, values=fields)
    out.error = found.message
    out.findings.append(found)
    return out


def _keys(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(k, str) and _KEY.match(k) for k in value)


def _publication(out: District, text: str) -> tuple[str, dict[str, object]] | None:
    """Fill ``out`` from publication.json; what is wrong with it (U944's variant and fields; None when nothing)."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        return "json", {"exc": exc}
    if not isinstance(doc, dict):
        return "object", {}
    withheld, rollups = doc.get("withheld", {}), doc.get("rollups")
    if not _keys(doc.get("published")) or not _keys(doc.get("archived", [])):
        return "lists", {}
    if not isinstance(withheld, dict) or not _keys(list(withheld)) or not all(isinstance(n, int) for n in withheld.values()):
        return "withheld", {}
    if rollups is not None and (not isinstance(rollups, dict) or not _keys(list(rollups))
                                or not all(isinstance(m, list) and all(isinstance(a, str) for a in m) for m in rollups.values())):
        return "rollups", {}
    out.published, out.archived, out.withheld = list(doc["published"]), list(doc.get("archived", [])), dict(withheld)
    if rollups is None:
        out.findings.append(Finding.of("U945", where(out.member, PUBLICATION), name=out.member.name))
    else:
        out.rollups = {k: list(v) for k, v in rollups.items()}
    return None


def _rows(out: District, text: str) -> None:
    path = where(out.member, ALL_CSV)
    published = set(out.published)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)

    def bad(variant: str, fields: dict[str, object], found: str | None = None) -> None:
        out.findings.append(Finding.of("U943", path, variant=variant, name=out.member.name, values=fields, line=reader.line_num, found=found))

    try:
        head = next(reader, None)
        if head != FIELDS:
            found = Finding.of("U943", path, variant="head", member=out.member.name, columns=",".join(FIELDS),
                               head=",".join(head or [])[:100], line=1)
            out.error = found.message
            out.findings.append(found)
            return
        for n, row in enumerate(reader):
            if n >= MAX_ROWS:
                bad("too_many", {"limit": MAX_ROWS})
                break
            problem = _row(out, row, published)
            if problem is not None:
                bad(*problem)
    except csv.Error as exc:
        bad("csv", {"exc": exc})
    _names(out)


def _row(out: District, row: list[str], published: set[str]) -> tuple[str, dict[str, object], str | None] | None:
    """Keep one row's number; or what is wrong with it (U943's variant, its fields, the text found)."""
    if len(row) != len(FIELDS):
        return "width", {"want": len(FIELDS), "got": len(row)}, None
    agency, name, year_text, table, label, column, raw, unit_text = row
    m = _KEY.match(f"{agency}/{year_text}")
    if m is None:
        return "key", {"agency": agency[:30], "year": year_text[:10]}, f"{agency[:30]},{year_text[:10]}"
    key, year = m.group(0), int(year_text)
    if key not in published:
        return "unpublished", {"key": key}, key
    hit = _cell(year, table, label, column)
    if hit is None:
        return "cell", {"table": table[:10], "label": label[:40], "col_label": column[:20]}, f"{table[:10]},{label[:40]},{column[:20]}"
    cell, unit = hit
    if unit_text != UNITS[unit]:
        return "unit", {"want": UNITS[unit], "got": unit_text[:10]}, unit_text[:10]
    value = None if raw == "" else _number(raw, unit)
    if raw != "" and value is None:
        return ("amount" if unit == "wan_yuan" else "count"), {"raw": raw[:30]}, raw[:30]
    report = out.reports.setdefault((agency, year), UnitReport(agency, year, _unescape(name)))
    if cell in report.cells:
        return "twice", {"key": key, "table": table, "label": label[:40], "col_label": column[:20]}, key
    report.cells[cell] = value
    return None


def _names(out: District) -> None:
    """Each unit's name as its newest published report gives it."""
    for (agency, _year), r in sorted(out.reports.items()):
        if r.name:
            out.names[agency] = r.name


def _unescape(text: str) -> str:
    """A name as the district wrote it: ``opendata.cell`` puts a ' before text that starts like a formula."""
    return text[1:] if text.startswith("'") and text[1:2] in "=+-@\t\r\uff1d\uff0b\uff0d\uff20" and len(text) > 1 else text
