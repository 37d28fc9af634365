"""A district's total of a year, and the province's: each published report counted once.

A district's total is the sum of its published reports of the year that no
published roll-up of the same year sums (``publication.json`` ``rollups``): its
own roll-up report (区政府's 汇总) where it has one, plus the units outside it
(a vertically managed office, say), or every unit's report where it has none.
A roll-up that was withheld sums nothing, so its members count themselves.
A cell is blank when any report counted lacks it (a row left out as malformed,
a blank cell): a sum with a part missing is not the sum, and is never shown as
one. A district whose publication.json does not say which roll-up sums which
units (an older site) is left out rather than counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model.csvload import Number
from .rows import Cell, District


@dataclass
class Total:
    name: str  # the district's (or "合计")
    year: int
    cells: dict[Cell, Number | None] = field(default_factory=dict)
    counted: list[str] = field(default_factory=list)  # "agency/year" (districts: names) added up
    rollups: list[str] = field(default_factory=list)  # of those, the roll-up reports
    withheld: list[str] = field(default_factory=list)  # the district's reports of the year it withheld
    note: str = ""  # why there is no total ("" : there is one)

    def value(self, table: str, row: str, col: str) -> Number | None:
        return self.cells.get((table, row, col))


def add(parts: list[dict[Cell, Number | None]]) -> dict[Cell, Number | None]:
    """Cell by cell; blank where any part lacks the cell or leaves it blank."""
    keys = list(dict.fromkeys(k for p in parts for k in p))
    out: dict[Cell, Number | None] = {}
    for k in keys:
        vals = [p.get(k) for p in parts]
        out[k] = None if any(v is None for v in vals) else sum(vals, 0)  # type: ignore[arg-type, misc]
    return out


def district_total(d: District, year: int) -> Total:
    """``d``'s total for ``year`` (see the module's docstring)."""
    out = Total(d.member.name, year, withheld=sorted(k for k in d.withheld if k.endswith(f"/{year}")))
    if d.error:
        out.note = d.error
        return out
    if d.rollups is None:
        out.note = "该地区的 publication.json 没有写明汇总关系（旧版本生成），为不重复计算，不计入"
        return out
    keys = sorted(k for k in d.published if k.endswith(f"/{year}"))
    if not keys:
        out.note = f"该地区没有发布 {year} 年度的报告"
        return out
    covered = {m for k in keys if k in d.rollups for m in d.rollups[k]}
    out.counted = [k for k in keys if k.split("/")[0] not in covered]
    out.rollups = [k for k in out.counted if k in d.rollups]
    empty: dict[Cell, Number | None] = {}  # published, yet no row in all.csv: its cells blank the sum
    out.cells = add([d.reports[(a, year)].cells if (a, year) in d.reports else empty
                     for a, year in ((k.split("/")[0], year) for k in out.counted)])
    return out


def province_total(totals: list[Total], year: int) -> Total:
    """The sum of the districts' totals that exist; the others are named in ``note``."""
    have = [t for t in totals if not t.note]
    out = Total("合计", year, add([t.cells for t in have]), [t.name for t in have])
    missing = [t.name for t in totals if t.note]
    if missing:
        out.note = f"未计入：{'、'.join(missing)}"
    return out
