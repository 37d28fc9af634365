"""The mandated format as data: load a format spec (``specs/gov<version>.yaml``).

Pure Python, no docutils: the checks, the CLI and the Sphinx directives all read
the format through these frozen dataclasses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

SPEC_DIR = Path(__file__).parent / "specs"

Unit = Literal["count", "wan_yuan"]
CellKind = Literal["h", "s", "d"]

#: Names a writer may use for a table: ``t3``, ``表三``, ``三``, ``3``.
_TABLE_ALIASES = {"二": "t2", "三": "t3", "四": "t4"}


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


@dataclass(frozen=True)
class Derived:
    """A whole row or column that may be left out of the CSV and is computed."""

    axis: Literal["row", "col"]
    id: str
    relation: str


@dataclass(frozen=True)
class GridCell:
    kind: CellKind
    text: str = ""
    rs: int = 1
    cs: int = 1
    key: tuple[str, str] | None = None  # (row id, column id) of a data cell


@dataclass(frozen=True)
class TableSpec:
    id: str
    number: str
    caption: str
    section: int
    file: str
    stub: str
    legacy: tuple[str, ...]
    columns: dict[str, Column]
    rows: dict[str, Row]
    relations: tuple[Relation, ...]
    derived: tuple[Derived, ...]
    widths: tuple[int, ...]
    head: int
    grid: tuple[tuple[GridCell, ...], ...]

    @property
    def title(self) -> str:
        return f"表{self.number}"

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(r.title for r in self.rows.values() if r.title)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def keys(self) -> list[tuple[str, str]]:
        """Every data cell, in CSV order."""
        return [(r.id, c) for r in self.rows.values() for c in r.cols]

    def unit(self, col: str) -> Unit:
        return self.columns[col].unit

    def relation(self, rid: str) -> Relation:
        return next(r for r in self.relations if r.id == rid)


@dataclass(frozen=True)
class FormatSpec:
    version: str
    name: str
    first_year: int
    last_year: int
    sections: tuple[str, ...]
    tables: dict[str, TableSpec] = field(default_factory=dict)

    def resolve(self, ref: str) -> tuple[TableSpec, str, str]:
        """A value reference -> ``(table, row id, column id)``.

        ``t3.new.total`` (ids) or ``表三/一、本年新收政府信息公开申请数量/总计``
        (labels, compared in normalised form). Raises ``KeyError`` with a
        message for the writer.
        """
        # Pages repeat the same references: remember the good ones (a frozen
        # dataclass still has a __dict__ for such a private memo).
        memo: dict[str, tuple[TableSpec, str, str]] = self.__dict__.setdefault("_resolved", {})
        if ref in memo:
            return memo[ref]
        memo[ref] = hit = self._resolve(ref)
        return hit

    def _resolve(self, ref: str) -> tuple[TableSpec, str, str]:
        from .csvload import normalise_label  # csvload imports this module

        parts = ref.split("/") if "/" in ref else ref.split(".")
        if len(parts) != 3:
            raise KeyError(f"引用“{ref}”应写成 表.行.列，例如 t3.new.total")
        try:
            t = self.table(parts[0])
        except KeyError:
            raise KeyError(f"引用“{ref}”中的表“{parts[0]}”不存在，应为 t2、t3、t4（或 表二、表三、表四）") from None

        def find(text: str, items: dict[str, str]) -> str | None:
            text = text.strip()
            if text in items:
                return text
            n = normalise_label(text)
            return next((i for i, label in items.items() if normalise_label(label) == n), None)

        r = find(parts[1], {k: v.label for k, v in t.rows.items()})
        c = find(parts[2], {k: v.label for k, v in t.columns.items()})
        if r is None or c is None or c not in t.rows[r].cols:
            raise KeyError(f"引用“{ref}”：{t.title} 中没有“{parts[1]}”行“{parts[2]}”列")
        return t, r, c

    def table(self, name: str) -> TableSpec:
        """Find a table by ``t3``, ``表三``, ``三`` or ``3``."""
        key = name.strip().removeprefix("表")
        key = _TABLE_ALIASES.get(key, key)
        if key.isdigit():
            key = f"t{key}"
        if key not in self.tables:
            raise KeyError(name)
        return self.tables[key]


# Relation codes are part of the findings catalogue (see findings.py); the spec
# names the relation, this maps it to its stable code.
RELATION_CODES = {
    ("t3", "balance"): "R301",
    ("t3", "results"): "R302",
    ("t3", "row_total"): "R303",
    ("t4", "outcomes"): "R304",
}


def _grid(raw: list[list[dict[str, Any]]], rows: dict[str, Row]) -> tuple[tuple[GridCell, ...], ...]:
    out: list[tuple[GridCell, ...]] = []
    for raw_row in raw:
        cells: list[GridCell] = []
        for c in raw_row:
            rs, cs = int(c.get("rs", 1)), int(c.get("cs", 1))
            if "h" in c:
                cells.append(GridCell("h", str(c["h"]), rs, cs))
            elif "s" in c:
                cells.append(GridCell("s", str(c["s"]), rs, cs))
            elif "d" in c:
                r, col = str(c["d"]).split(".")
                cells.append(GridCell("d", "", rs, cs, (r, col)))
            elif "row" in c:  # shorthand: every data cell of a row
                row = rows[c["row"]]
                cells.extend(GridCell("d", "", 1, 1, (row.id, col)) for col in row.cols)
            else:
                raise ValueError(f"bad grid cell {c!r}")
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
            code=RELATION_CODES[(tid, r["id"])],
            name=r["name"],
            each=r["each"],
            left=tuple(r["left"]),
            right=tuple(r["right"]),
        )
        for r in raw.get("relations", [])
    )
    derived = tuple(
        Derived("col" if "col" in d else "row", d.get("col") or d["row"], d["from"])
        for d in raw.get("derived", [])
    )
    return TableSpec(
        id=tid,
        number=str(raw["number"]),
        caption=str(raw["caption"]),
        section=int(raw["section"]),
        file=str(raw["file"]),
        stub=str(raw["stub"]),
        legacy=tuple(raw.get("legacy", [])),
        columns=columns,
        rows=rows,
        relations=relations,
        derived=derived,
        widths=tuple(raw["widths"]),
        head=int(raw["head"]),
        grid=_grid(raw["grid"], rows),
    )


@functools.cache
def load_spec(version: str = "2021") -> FormatSpec:
    """Load and validate the spec of one format version."""
    path = SPEC_DIR / f"gov{version}.yaml"
    if not path.is_file():
        raise KeyError(version)
    # libyaml's safe loader when PyYAML has it (6× faster: every build and check starts here).
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spec = FormatSpec(
        version=str(raw["version"]),
        name=str(raw["name"]),
        first_year=int(raw["years"][0]),
        last_year=int(raw["years"][1]),
        sections=tuple(raw["sections"]),
        tables={tid: _table(tid, t) for tid, t in raw["tables"].items()},
    )
    for t in spec.tables.values():
        occupancy(t)  # raises on a malformed grid
    return spec


def versions() -> list[str]:
    return list(_versions())


@functools.cache
def _versions() -> tuple[str, ...]:
    # Asked for every report (and every Report.spec): list the folder once.
    return tuple(sorted(p.stem.removeprefix("gov") for p in SPEC_DIR.glob("gov*.yaml")))


def spec_for_year(year: int) -> FormatSpec:
    """The format a report of ``year`` must use."""
    for v in versions():
        s = load_spec(v)
        if s.first_year <= year <= s.last_year:
            return s
    return load_spec(versions()[-1])


def occupancy(t: TableSpec) -> list[list[tuple[int, int, GridCell]]]:
    """Place every grid cell at its (row, column); check the grid is a full rectangle.

    Returns, per grid row, ``(row, col, cell)`` of the cells that start in it.
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
                raise ValueError(f"{t.id}: cell {cell} overflows the grid at ({r}, {col})")
            for rr in range(r, r + cell.rs):
                for cc in range(col, col + cell.cs):
                    if taken[rr][cc]:
                        raise ValueError(f"{t.id}: overlapping cells at ({rr}, {cc})")
                    taken[rr][cc] = True
            here.append((r, col, cell))
            col += cell.cs
        placed.append(here)
    for r, line in enumerate(taken):
        if not all(line):
            raise ValueError(f"{t.id}: grid row {r} is not full")
    return placed
