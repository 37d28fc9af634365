"""The mandated format as data: load a format spec (``specs/gov<version>.yaml``).

Pure Python, no docutils: the checks, the CLI and the Sphinx directives all read
the format through these frozen dataclasses. The file is validated on load
(:mod:`govreport.format.specvalid`): a typo is an error naming the file and line,
never a check silently switched off.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from ..pycache import kept
from .labels import Labels, Number, normalise_label
from .wording import prose_pattern, prose_pieces

SPEC_DIR = Path(__file__).parent / "specs"

#: count: a non-negative whole number; signed: a whole number that may be negative
#: (2019 t2.change); wan_yuan: a non-negative amount in 万元, decimals allowed.
Unit = Literal["count", "signed", "wan_yuan"]
CellKind = Literal["h", "s", "d"]
Key = tuple[str, str]


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    unit: Unit = "count"


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    cols: tuple[str, ...]
    title: str = ""  # block title row the form puts before this row


@dataclass(frozen=True)
class Relation:
    """``sum(left) == sum(right)`` for each listed column (or row)."""

    id: str
    code: str
    name: str
    each: Literal["column", "row"]
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_name: str = ""  # how the message names the left side ("一＋二")
    right_name: str = ""


@dataclass(frozen=True)
class Derived:
    """A whole row or column that may be left out of the CSV and is computed."""

    axis: Literal["row", "col"]
    id: str
    relation: str


@dataclass(frozen=True)
class Anchors:
    """Where the importer finds a table in a published source (``anchors:`` of a table in the spec): the
    official texts and the spellings sources use, so no reader holds a label of its own."""

    line: tuple[str, ...] = ()  # patterns (``re.match``) of a line's first word that begins the table (its block title or header)
    run: tuple[str, ...] = ()  # texts where the table begins in its section's text run together (a flattened page)
    run_strict: tuple[str, ...] = ()  # the same outside any section heading, stricter (prose mentions a table's words too)
    run_head: tuple[str, ...] = ()  # patterns of the table's header run together with its numbers (a table line run together)
    flat_row: tuple[str, ...] = ()  # row labels that, followed straight by digits on a long line, mark a flattened page
    page: tuple[str, ...] = ()  # texts that make a web page's ``<table>`` a report table, never page chrome


@dataclass(frozen=True)
class LegacyRow:
    """A row of the 2019 format that this format split into ``into``."""

    label: str
    into: tuple[str, ...]
    code: str  # the 2019 row written in a table of this format
    blank_code: str | None = None  # the rows of ``into`` all there and all blank


@dataclass(frozen=True)
class GridCell:
    kind: CellKind
    text: str = ""
    rs: int = 1
    cs: int = 1
    key: tuple[str, str] | None = None  # (row id, column id) of a data cell


@dataclass(frozen=True)
class AcrossYears:
    """A cell of this year's table that equals, or follows from, last year's report.

    ``each == "column"``: ``this``/``last`` are rows, compared in every column of
    ``this``. ``each == "row"``: ``this``, ``last``, ``plus``, ``minus`` are
    columns; for each of ``rows``: this = last year's ``last`` + plus − minus.
    """

    id: str
    code: str
    table: str
    each: Literal["column", "row"]
    this: str
    last: str
    name: str
    last_name: str
    rows: tuple[str, ...] = ()
    plus: tuple[tuple[str, str], ...] = ()  # (column id, name in the message)
    minus: tuple[tuple[str, str], ...] = ()
    new_report: tuple[str, ...] = ()  # what `make new` also starts at the carried value

    def lines(self, t: TableSpec) -> list[tuple[str, Key, Key, list[Key], list[Key]]]:
        """Per compared cell: ``(what, this key, last year's key, plus keys, minus keys)``;
        ``what`` is the column label (each column) or the row label (each row)."""
        if self.each == "column":
            row = t.rows[self.this]
            return [(t.columns[c].label, (self.this, c), (self.last, c), [], []) for c in row.cols]
        return [
            (t.rows[r].label, (r, self.this), (r, self.last), [(r, c) for c, _ in self.plus], [(r, c) for c, _ in self.minus])
            for r in self.rows
        ]


class Cells(Protocol):
    """What spec sums read: a report, or a province's sum of published rows (federation)."""

    def value(self, table: str, row: str, col: str) -> Number | None: ...


Ref = tuple[str, str, str]  # (table id, row id, column id): ``t3.new.total`` in the YAML


@dataclass(frozen=True)
class CellSum:
    """The sum of some cells, by id; None when one of them is missing or unreadable.

    A report of an older format is read by the same ids: a cell its format lacks is missing."""

    cells: tuple[Ref, ...]

    def value(self, r: Cells) -> Number | None:
        vals = [r.value(*c) for c in self.cells]
        if any(v is None for v in vals):
            return None
        return vals[0] if len(vals) == 1 else sum(vals, 0)  # type: ignore[arg-type, return-value]

    def column(self, col: str) -> CellSum:
        """The same cells in column ``col`` (an outcome written after a count of t4's rows: its columns)."""
        return CellSum(tuple((t, r, col) for t, r, _ in self.cells))


@dataclass(frozen=True)
class Share:
    """``part`` as a percentage of ``whole``, to 0.1; None when ``whole`` is 0 or a cell is missing."""

    part: Ref
    whole: Ref

    def value(self, r: Cells) -> Number | None:
        whole, part = r.value(*self.whole), r.value(*self.part)
        if whole is None or part is None or not whole:
            return None  # nothing concluded: no share to speak of (shown as —, not 0 %)
        return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class FigureSpec:
    """A key figure of the portal's charts and comparisons (``figures:`` of the spec)."""

    id: str
    label: str
    unit: str
    get: CellSum | Share


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the portal: which figures it draws (``charts:`` of the spec)."""

    id: str
    title: str
    figures: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountPhrase:
    """A phrase of the narrative that states a count (P601): ``pattern``'s group 1 is the number."""

    id: str
    pattern: re.Pattern[str]
    what: str  # how the message names it
    cells: CellSum
    outcome: str = ""  # the message's prefix for an outcome written after it (+ the outcome column's label)
    also_when: re.Pattern[str] | None = None  # the phrase says it another common way …
    also: CellSum | None = None  # … and then the number may be this sum instead


@dataclass(frozen=True)
class NonePhrase:
    """A phrase of the narrative that says there was none (P602): the cells must be 0."""

    id: str
    pattern: re.Pattern[str]
    what: str
    cells: CellSum


@dataclass(frozen=True)
class Prose:
    """``prose:`` of the spec: the phrases the narrative checks look for."""

    counts: tuple[CountPhrase, ...]
    none: tuple[NonePhrase, ...]
    outcome: re.Pattern[str] | None  # an outcome column's label and a count, after a count phrase
    outcomes: dict[str, str]  # outcome label -> column id


@dataclass(frozen=True)
class TableSpec:
    id: str
    number: str
    caption: str
    section: int
    file: str
    stub: str
    legacy_labels: tuple[str, ...]
    columns: dict[str, Column]
    rows: dict[str, Row]
    relations: tuple[Relation, ...]
    derived: tuple[Derived, ...]
    widths: tuple[int, ...]
    head: int
    grid: tuple[tuple[GridCell, ...], ...]
    legacy_rows: tuple[LegacyRow, ...] = ()
    anchors: Anchors = Anchors()

    @property
    def title(self) -> str:
        return f"表{self.number}"

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(r.title for r in self.rows.values() if r.title)

    @property
    def legacy(self) -> tuple[str, ...]:
        """Every label of the 2019 format this table recognises."""
        return self.legacy_labels + tuple(lr.label for lr in self.legacy_rows)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def keys(self) -> list[tuple[str, str]]:
        """Every data cell, in CSV order."""
        return [(r.id, c) for r in self.rows.values() for c in r.cols]

    def unit(self, col: str) -> Unit:
        return self.columns[col].unit

    def relation(self, rid: str) -> Relation:
        return self._relations_by_id[rid]

    # Derived indexes: worked out once per spec, on first use (a frozen
    # dataclass still has a __dict__ for cached_property).

    @functools.cached_property
    def _relations_by_id(self) -> dict[str, Relation]:
        # A figure names its relation at every read of every report: a dict, not a scan.
        return {r.id: r for r in self.relations}

    @functools.cached_property
    def layout(self) -> list[list[tuple[int, int, GridCell]]]:
        """``occupancy`` of the grid: per grid row, ``(row, col, cell)``."""
        return occupancy(self)

    @functools.cached_property
    def stub_columns(self) -> frozenset[int]:
        """Columns that hold only row labels in the table body."""
        kinds: dict[int, set[str]] = {}
        for r, cells in enumerate(self.layout):
            if r < self.head:
                continue
            for _, c, cell in cells:
                for cc in range(c, c + cell.cs):
                    kinds.setdefault(cc, set()).add(cell.kind)
        return frozenset(c for c, k in kinds.items() if "s" in k and "d" not in k)

    @functools.cached_property
    def row_labels(self) -> Labels:
        return Labels({r.id: r.label for r in self.rows.values()})

    @functools.cached_property
    def col_labels(self) -> Labels:
        return Labels({c.id: c.label for c in self.columns.values()})

    @functools.cached_property
    def stub_norm(self) -> str:
        return normalise_label(self.stub)

    @functools.cached_property
    def titles_norm(self) -> frozenset[str]:
        return frozenset(normalise_label(t) for t in self.titles)

    @functools.cached_property
    def legacy_norm(self) -> frozenset[str]:
        return frozenset(normalise_label(t) for t in self.legacy)

    @functools.cached_property
    def derived_cols(self) -> frozenset[str]:
        return frozenset(d.id for d in self.derived if d.axis == "col")

    @functools.cached_property
    def derived_rows(self) -> frozenset[str]:
        return frozenset(d.id for d in self.derived if d.axis == "row")

    @functools.cached_property
    def plans(self) -> dict[Any, Any]:
        """Memo of the CSV loader's reading plans (``csvload._Header.plan``)."""
        return {}


@dataclass(frozen=True)
class FormatSpec:
    version: str
    name: str
    first_year: int
    last_year: int
    sections: tuple[str, ...]
    tables: dict[str, TableSpec] = field(default_factory=dict)
    across_years: tuple[AcrossYears, ...] = ()
    section_anchors: tuple[str, ...] = ()  # patterns of a saved page's element text that is a section heading (the importer's)
    path: str = ""  # the file it was read from, as errors name it
    section_guide: tuple[str, ...] = ()  # per section, the placeholder `make new` writes
    placeholder_starts: tuple[str, ...] = ()  # how those placeholders begin (X802 finds one left in)
    prose: Prose = Prose((), (), None, {})
    figures: dict[str, FigureSpec] = field(default_factory=dict)
    charts: dict[str, ChartSpec] = field(default_factory=dict)

    def resolve(self, ref: str) -> tuple[TableSpec, str, str]:
        """A value reference -> ``(table, row id, column id)``.

        ``t3.new.total`` (ids) or ``表三/<row label>/<column label>``
        (labels, compared in normalised form). Raises ``KeyError`` with a
        message for the writer.
        """
        # Pages repeat the same references: remember the good ones.
        memo: dict[str, tuple[TableSpec, str, str]] = self.__dict__.setdefault("_resolved", {})
        if ref in memo:
            return memo[ref]
        memo[ref] = hit = self._resolve(ref)
        return hit

    def _resolve(self, ref: str) -> tuple[TableSpec, str, str]:
        parts = ref.split("/") if "/" in ref else ref.split(".")
        if len(parts) != 3:
            raise KeyError(f"引用“{ref}”应写成 表.行.列，例如 t3.new.total")
        try:
            t = self.table(parts[0])
        except KeyError:
            names = "、".join(self.tables)
            titles = "、".join(t.title for t in self.tables.values())
            raise KeyError(f"引用“{ref}”中的表“{parts[0]}”不存在，应为 {names}（或 {titles}）") from None
        r = t.row_labels.find(parts[1])
        c = t.col_labels.find(parts[2])
        if r is None or c is None or c not in t.rows[r].cols:
            raise KeyError(f"引用“{ref}”：{t.title} 中没有“{parts[1]}”行“{parts[2]}”列")
        return t, r, c

    def table(self, name: str) -> TableSpec:
        """Find a table by ``t3``, ``表三``, ``三`` or ``3``."""
        key = name.strip().removeprefix("表")
        key = self._aliases.get(key, key)
        if key.isdigit():
            key = f"t{key}"
        if key not in self.tables:
            raise KeyError(name)
        return self.tables[key]

    @functools.cached_property
    def _aliases(self) -> dict[str, str]:
        """``三`` -> ``t3``: a table's number names it."""
        return {t.number: t.id for t in self.tables.values()}


def _build(raw: dict[str, Any], path: str) -> FormatSpec:
    """The dataclasses of a spec that :func:`specvalid.validate` accepted."""
    tables = {tid: _table(tid, t) for tid, t in raw["tables"].items()}
    rules = tuple(
        AcrossYears(
            id=str(a["id"]),
            code=str(a["code"]),
            table=str(a["table"]),
            each=a["each"],
            this=str(a["this"]),
            last=str(a["last"]),
            name=str(a["name"]),
            last_name=str(a["last_name"]),
            rows=tuple(a.get("rows", ())),
            plus=tuple((str(k), str(v)) for k, v in a.get("plus", {}).items()),
            minus=tuple((str(k), str(v)) for k, v in a.get("minus", {}).items()),
            new_report=tuple(a.get("new_report", ())),
        )
        for a in raw.get("across_years", [])
    )
    return FormatSpec(
        version=str(raw["version"]),
        name=str(raw["name"]),
        first_year=int(raw["years"][0]),
        last_year=int(raw["years"][1]),
        sections=tuple(raw["sections"]),
        tables=tables,
        across_years=rules,
        section_anchors=tuple(str(x) for x in raw.get("section_anchors", [])),
        path=path,
        section_guide=tuple(str(g) for g in raw["section_guide"]),
        placeholder_starts=tuple(str(g) for g in raw["placeholder_starts"]),
        prose=_prose(raw.get("prose"), tables),
        figures={fid: _figure(fid, f) for fid, f in raw.get("figures", {}).items()},
        charts={
            cid: ChartSpec(cid, str(c["title"]), tuple(c["figures"]), tuple(str(a) for a in c.get("aliases", ())))
            for cid, c in raw.get("charts", {}).items()
        },
    )


def ref(text: str) -> Ref:
    """``t3.new.total`` -> ``("t3", "new", "total")`` (ids only; specvalid checks they exist)."""
    t, r, c = text.split(".")
    return t, r, c


def _cells(refs: list[str]) -> CellSum:
    return CellSum(tuple(ref(x) for x in refs))


def _prose(raw: dict[str, Any] | None, tables: dict[str, TableSpec]) -> Prose:
    if not raw:
        return Prose((), (), None, {})
    pieces = prose_pieces(raw)
    counts = tuple(
        CountPhrase(
            id=str(p["id"]),
            pattern=re.compile(prose_pattern(p["pattern"], pieces)),
            what=str(p["what"]),
            cells=_cells(p["sum"]),
            outcome=str(p.get("outcome", "")),
            also_when=re.compile(p["also"]["when"]) if "also" in p else None,
            also=_cells(p["also"]["sum"]) if "also" in p else None,
        )
        for p in raw.get("counts", [])
    )
    none = tuple(
        NonePhrase(str(p["id"]), re.compile(prose_pattern(p["pattern"], pieces)), str(p["what"]), _cells(p["sum"]))
        for p in raw.get("none", [])
    )
    outcomes: dict[str, str] = {}
    outcome = None
    if "outcomes" in raw:
        # The labels of the outcome columns (t4: upheld …) are the words the narrative writes.
        o = raw["outcomes"]
        cols = tables[o["table"]].columns
        outcomes = {cols[c].label: c for c in o["columns"]}
        outcome = re.compile("(" + "|".join(map(re.escape, outcomes)) + r")\s*" + pieces["count"])
    return Prose(counts, none, outcome, outcomes)


def _figure(fid: str, raw: dict[str, Any]) -> FigureSpec:
    get: CellSum | Share
    if "share" in raw:
        get = Share(ref(raw["share"]["part"]), ref(raw["share"]["of"]))
    else:
        get = _cells(raw["sum"])
    return FigureSpec(fid, str(raw["label"]), str(raw["unit"]), get)


def _grid(raw: list[list[dict[str, Any]]], stub: str, columns: dict[str, Column], rows: dict[str, Row]) -> tuple[tuple[GridCell, ...], ...]:
    out: list[tuple[GridCell, ...]] = []
    for raw_row in raw:
        cells: list[GridCell] = []
        for c in raw_row:
            rs, cs = int(c.get("rs", 1)), int(c.get("cs", 1))
            if "h" in c:
                cells.append(GridCell("h", str(c["h"]), rs, cs))
            elif "s" in c:
                cells.append(GridCell("s", str(c["s"]), rs, cs))
            elif "col" in c:
                cells.append(GridCell("h", columns[c["col"]].label, rs, cs))
            elif "head" in c:
                cells.append(GridCell("h", rows[c["head"]].label, rs, cs))
            elif "label" in c:
                cells.append(GridCell("s", rows[c["label"]].label, rs, cs))
            elif "title" in c:
                cells.append(GridCell("h", rows[c["title"]].title, rs, cs))
            elif "stub" in c:
                cells.append(GridCell("h", stub, rs, cs))
            elif "d" in c:
                r, col = str(c["d"]).split(".")
                cells.append(GridCell("d", "", rs, cs, (r, col)))
            else:  # "row": every data cell of a row
                row = rows[c["row"]]
                cells.extend(GridCell("d", "", 1, 1, (row.id, col)) for col in row.cols)
        out.append(tuple(cells))
    return tuple(out)


def _table(tid: str, raw: dict[str, Any]) -> TableSpec:
    columns = {
        cid: Column(cid, str(c["label"]), c.get("unit", "count")) for cid, c in raw["columns"].items()
    }
    rows = {
        rid: Row(rid, str(r["label"]), tuple(r.get("cols", list(columns))), str(r.get("title", "")))
        for rid, r in raw["rows"].items()
    }
    relations = tuple(
        Relation(
            id=r["id"],
            code=r["code"],
            name=r["name"],
            each=r["each"],
            left=tuple(r["left"]),
            right=tuple(r["right"]),
            left_name=str(r.get("left_name", "")),
            right_name=str(r.get("right_name", "")),
        )
        for r in raw.get("relations", [])
    )
    derived = tuple(
        Derived("col" if "col" in d else "row", d.get("col") or d["row"], d["from"])
        for d in raw.get("derived", [])
    )
    legacy_rows = tuple(
        LegacyRow(str(lr["label"]), tuple(lr["into"]), str(lr["code"]), lr.get("blank_code"))
        for lr in raw.get("legacy_rows", [])
    )
    stub = str(raw["stub"])
    return TableSpec(
        id=tid,
        number=str(raw["number"]),
        caption=str(raw["caption"]),
        section=int(raw["section"]),
        file=str(raw["file"]),
        stub=stub,
        legacy_labels=tuple(raw.get("legacy", [])),
        columns=columns,
        rows=rows,
        relations=relations,
        derived=derived,
        widths=tuple(raw["widths"]),
        head=int(raw["head"]),
        grid=_grid(raw["grid"], stub, columns, rows),
        legacy_rows=legacy_rows,
        anchors=Anchors(**{k: tuple(str(x) for x in v) for k, v in raw.get("anchors", {}).items()}),
    )


def display_path(path: Path) -> str:
    """How errors name a spec file: ``specs/gov2021.yaml`` for a shipped one."""
    shipped = path.parent == SPEC_DIR or path.parent.resolve() == SPEC_DIR.resolve()
    return f"specs/{path.name}" if shipped else str(path)


def load_spec_file(path: Path, remember: bool = True) -> FormatSpec:
    """Read, validate and build the spec in ``path``; raises ``SpecError``.
    ``remember``: skip validating a text found valid before (see ``specvalid.validate``), and take
    the spec built from it before: every build and check process (and every Sphinx worker) starts
    by loading a spec, and parsing the YAML with its lines was most of a start-up when nothing
    else had changed (``pycache.kept``, keyed by the spec's bytes, the name it is shown by, and
    the code that validates and builds it)."""
    shown = display_path(path)
    data = path.read_bytes()  # read once: parsed, and the key of the "validated before" mark

    def make() -> FormatSpec:
        from .specvalid import read_yaml, validate

        raw, lines = read_yaml(data, shown)
        validate(raw, lines, shown, data if remember else None)
        return _build(raw, shown)

    if not remember:
        return make()
    key = b"\0".join((data, shown.encode("utf-8"), _code_digest()))
    return kept(Path(__file__).parent, f"spec-built-{Path(shown).name}", key, make, lambda v: isinstance(v, FormatSpec))


@functools.cache
def _code_digest() -> bytes:
    """The code that shapes a built spec: this module, the validator, the wording and label helpers,
    the findings catalogue a spec names."""
    here = Path(__file__).parent
    files = [here / f for f in ("spec.py", "specvalid.py", "wording.py", "labels.py")]
    files += [here.parent / "findings.py", here.parent / "findings.yaml"]
    return hashlib.blake2b(b"".join(p.read_bytes() for p in files), digest_size=16).digest()


@functools.cache
def load_spec(version: str = "2021") -> FormatSpec:
    """Load and validate the spec of one format version."""
    path = SPEC_DIR / f"gov{version}.yaml"
    if not path.is_file():
        raise KeyError(version)
    return load_spec_file(path)


def versions() -> list[str]:
    return list(_versions())


@functools.cache
def _versions() -> tuple[str, ...]:
    # Asked for every report (and every Report.spec): list the folder once.
    return tuple(sorted(p.stem.removeprefix("gov") for p in SPEC_DIR.glob("gov*.yaml")))


def spec_for_year(year: int) -> FormatSpec:
    """The format a report of ``year`` must use."""
    for v in reversed(versions()):  # newest first: most reports are recent, the others need not load
        s = load_spec(v)
        if s.first_year <= year <= s.last_year:
            return s
    return load_spec(versions()[-1])


def occupancy(t: TableSpec) -> list[list[tuple[int, int, GridCell]]]:
    """Place every grid cell at its (row, column); check the grid is a full rectangle.

    Returns, per grid row, ``(row, col, cell)`` of the cells that start in it.
    Raises ``ValueError`` naming the grid row (0-based) that is wrong.
    """
    ncols, nrows = t.ncols, len(t.grid)
    taken = [[False] * ncols for _ in range(nrows)]
    placed: list[list[tuple[int, int, GridCell]]] = []
    for r, row in enumerate(t.grid):
        col = 0
        here: list[tuple[int, int, GridCell]] = []
        for cell in row:
            while col < ncols and taken[r][col]:
                col += 1
            if col + cell.cs > ncols or r + cell.rs > nrows:
                raise GridError(r, f"{t.id}: cell {cell} overflows the grid at ({r}, {col})")
            for rr in range(r, r + cell.rs):
                for cc in range(col, col + cell.cs):
                    if taken[rr][cc]:
                        raise GridError(r, f"{t.id}: overlapping cells at ({rr}, {cc})")
                    taken[rr][cc] = True
            here.append((r, col, cell))
            col += cell.cs
        placed.append(here)
    for r, line in enumerate(taken):
        if not all(line):
            raise GridError(r, f"{t.id}: grid row {r} is not full")
    return placed


class GridError(ValueError):
    """A grid that is not a full rectangle; ``row`` is the grid row at fault."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
