"""Every unit's key figures of one year side by side, unusual values marked (issue 21).

The figures are the agency pages' (``charts.figures.FIGURES``, by id), computed
from the same tables the reports print. A value is marked, with the reason, when

* it is more than ``TIMES`` times the median of the district's units and at
  least ``MANY`` (counts only: 2 against a median of 0.5 is not news; the units'
  own reports: a roll-up sums them and is never compared), or
* it is 0 where the unit's report of the year before had at least ``MANY``.

Pure Python: rows in, rows and CSV text out; nothing is changed or guessed (a
figure a report does not give stays blank).
"""

from __future__ import annotations

import csv
import html
import io
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..model.csvload import Number
from .charts.figures import FIGURES, fmt

#: The comparison's columns: figure ids of charts.figures (labels and units there).
COLUMNS = ("new", "done", "open_share", "deny", "carried_over", "review", "review_corrected", "suits", "suits_corrected")
TIMES = 3
MANY = 10


@dataclass
class UnitYear:
    agency: str
    name: str
    rollup: bool
    values: dict[str, Number | None]
    last: dict[str, Number | None] = field(default_factory=dict)  # the year before (empty: none)
    flags: dict[str, str] = field(default_factory=dict)  # figure id -> why it is unusual


def load(root: Path, year: int, skip: set[str]) -> list[UnitYear]:
    """Every unit with a report for ``year`` (not in ``skip``: withheld), with last year's figures."""
    from ..checks import shared_load
    from ..model.report import discover
    from .portalmeta import portal_meta

    keys = set(discover(root))
    out = []
    for agency, y in sorted(keys):
        if y != year or f"{agency}/{y}" in skip:
            continue
        r = shared_load(root, agency, year)
        row = UnitYear(agency, r.name or agency, portal_meta(r.data_dir).is_rollup, {k: FIGURES[k].get(r) for k in COLUMNS})
        if (agency, year - 1) in keys and f"{agency}/{year - 1}" not in skip:
            before = shared_load(root, agency, year - 1)
            row.last = {k: FIGURES[k].get(before) for k in COLUMNS}
        out.append(row)
    return mark(out)


def medians(rows: list[UnitYear]) -> dict[str, Decimal | None]:
    """The median of each figure over the units' own reports (not the roll-ups)."""
    out: dict[str, Decimal | None] = {}
    for k in COLUMNS:
        vals = [Decimal(r.values[k]) for r in rows if not r.rollup and r.values[k] is not None]  # type: ignore[arg-type]
        out[k] = statistics.median(vals) if vals else None
    return out


def mark(rows: list[UnitYear], scope: str = "全区") -> list[UnitYear]:
    """Each unusual value's reason in ``flags`` (see the module's docstring); ``scope`` names
    whose median it is (a province compares its districts: 全省)."""
    med = medians(rows)
    for r in rows:
        if r.rollup:
            continue
        for k in COLUMNS:
            v, m, unit = r.values[k], med[k], FIGURES[k].unit
            if v is None:
                continue
            before = r.last.get(k)
            if v == 0 and before is not None and before >= MANY:
                r.flags[k] = f"上年 {fmt(before, unit)}，本年为 0"
            elif unit != "%" and m is not None and m > 0 and Decimal(v) > TIMES * m and v >= MANY:
                r.flags[k] = f"超过{scope}中位数（{fmt(m, unit)}）的 {TIMES} 倍"
    return rows


def to_csv(rows: list[UnitYear], year: int) -> str:
    """The same numbers as the page, one row per unit (with a BOM: opens right in Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["年度", "单位", "简称", "汇总", *(f"{FIGURES[k].label}（{FIGURES[k].unit}）" for k in COLUMNS), "异常说明"])
    for r in rows:
        why = "；".join(f"{FIGURES[k].label}：{r.flags[k]}" for k in COLUMNS if k in r.flags)
        w.writerow([year, r.name, r.agency, "是" if r.rollup else "", *("" if r.values[k] is None else fmt(r.values[k], FIGURES[k].unit) for k in COLUMNS), why])
    return "\ufeff" + buf.getvalue()


def cells_html(r: UnitYear) -> list[str]:
    """One row's figures as table cells, in ``COLUMNS`` order: each sortable by its exact value
    (``data-v``), a marked one with its reason (the comparison page and the province's share it)."""
    out = []
    for k in COLUMNS:
        v, why = r.values[k], r.flags.get(k)
        shown, key = fmt(v, FIGURES[k].unit), "" if v is None else format(Decimal(v), "f")
        if why:
            out.append(f'<td class="gov-unusual" data-v="{key}">{shown}<span class="gov-unusual__mark" aria-hidden="true">!</span>'
                       f'<span class="gov-unusual__why">{html.escape(why)}</span></td>')
        else:
            out.append(f'<td data-v="{key}">{shown}</td>')
    return out


def head_html(first: str) -> str:
    """The comparison table's head: ``first`` (单位, 地区) and one sortable column per figure."""
    out = [f'<thead><tr><th scope="col" aria-sort="ascending"><button type="button" data-kind="text">{html.escape(first)}</button></th>']
    for k in COLUMNS:
        f = FIGURES[k]
        out.append(f'<th scope="col"><button type="button" data-kind="num">{html.escape(f.label)}'
                   f'<span class="gov-compare__unit">（{html.escape(f.unit)}）</span></button></th>')
    out.append("</tr></thead>")
    return "\n".join(out)  # a line per cell, as the pages' other markup
