"""Key figures of a report, and an agency's figures by year: what charts and
comparison tables show, computed from the same tables the report prints.

Which figures, their labels and the cells they sum, and which charts draw them,
are the spec's ``figures:`` and ``charts:`` (``format/specs/gov2021.yaml``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from ...format.spec import FormatSpec, load_spec
from ...model.csvload import Number


class Cells(Protocol):
    """What a figure is computed from: a report, or a province's sum of published rows (federation)."""

    def value(self, table: str, row: str, col: str) -> Number | None: ...


Getter = Callable[[Cells], Number | None]


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    unit: str
    get: Getter


#: The format whose spec names the figures and charts (``figures:``, ``charts:`` of
#: ``format/specs/gov2021.yaml``); a report of an older format is read by the same ids.
FIGURES_FORMAT = "2021"

T = TypeVar("T")


class _FromSpec(Mapping[str, T]):
    """A table read from the spec when first used, not when this module is imported: a spec with a
    typo then fails where the build loads it (a located error), not in the extension's import."""

    def __init__(self, make: Callable[[FormatSpec], dict[str, T]]) -> None:
        self._make = make
        self._got: dict[str, T] | None = None

    def _table(self) -> dict[str, T]:
        if self._got is None:
            self._got = self._make(load_spec(FIGURES_FORMAT))
        return self._got

    def __getitem__(self, key: str) -> T:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


FIGURES: Mapping[str, Figure] = _FromSpec(lambda spec: {f.id: Figure(f.id, f.label, f.unit, f.get.value) for f in spec.figures.values()})


@dataclass(frozen=True)
class ChartKind:
    id: str
    title: str
    figures: tuple[str, ...]
    aliases: tuple[str, ...] = ()


CHARTS: Mapping[str, ChartKind] = _FromSpec(lambda spec: {c.id: ChartKind(c.id, c.title, c.figures, c.aliases) for c in spec.charts.values()})


def chart_kind(name: str) -> ChartKind | None:
    """A chart by id, Chinese alias or title (the spec's ``charts:``)."""
    name = name.strip()
    for c in CHARTS.values():
        if name == c.id or name in c.aliases or name == c.title:
            return c
    return None


@dataclass
class Year:
    year: int
    values: dict[str, Number | None]
    archived: bool = False
    rollup: bool = False


@dataclass
class History:
    agency: str
    name: str
    years: list[Year] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # every file read (page dependencies)


def history(root: Path, agency: str, upto: int | None = None, skip: Iterable[str] = ()) -> History:
    """The key figures of every year of ``agency`` (up to ``upto``), leaving out
    the reports in ``skip`` ("agency/year": withheld ones publish no data)."""
    from ...checks import shared_load
    from ..archive import is_archived
    from ..portalmeta import portal_meta

    skipped = set(skip)
    out = History(agency, agency)
    adir = root / "data" / agency
    years = sorted(int(y) for y in (os.listdir(adir) if adir.is_dir() else []) if y.isdigit() and (adir / y / "report.toml").is_file())
    for y in years:
        a = agency
        if (upto is not None and y > upto) or f"{a}/{y}" in skipped:
            continue
        r = shared_load(root, a, y)
        out.files += r.files
        out.name = r.name or out.name
        out.years.append(Year(y, {k: f.get(r) for k, f in FIGURES.items()}, is_archived(r), portal_meta(r.data_dir).is_rollup))
    return out


def fmt(v: Number | None, unit: str = "件") -> str:
    if v is None:
        return "—"
    if unit == "%":
        return f"{float(v):.1f}"
    return format(v, "f") if not isinstance(v, int) else str(v)
