"""Key figures of a report, and an agency's figures by year: what charts and
comparison tables show, computed from the same tables the report prints."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from ...model.csvload import Number


class Cells(Protocol):
    """What a figure is computed from: a report, or a province's sum of published rows (federation)."""

    def value(self, table: str, row: str, col: str) -> Number | None: ...


Getter = Callable[[Cells], Number | None]


def _cell(table: str, row: str, col: str) -> Getter:
    return lambda r: r.value(table, row, col)


def _sum(*getters: Getter) -> Getter:
    def get(r: Cells) -> Number | None:
        vals = [g(r) for g in getters]
        return None if any(v is None for v in vals) else sum(vals, 0)  # type: ignore[arg-type, misc]

    return get


def _share(r: Cells) -> Number | None:
    done, opened = r.value("t3", "total", "total"), r.value("t3", "open", "total")
    if done is None or opened is None or not done:
        return None  # nothing concluded: no share to speak of (shown as —, not 0 %)
    return (Decimal(100) * Decimal(opened) / Decimal(done)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    unit: str
    get: Getter


FIGURES: dict[str, Figure] = {f.id: f for f in [
    Figure("new", "本年新收申请", "件", _cell("t3", "new", "total")),
    Figure("done", "办结", "件", _cell("t3", "total", "total")),
    Figure("open_share", "予以公开占办结", "%", _share),
    Figure("deny", "不予公开", "件", _sum(*(_cell("t3", f"deny_{i}", "total") for i in range(1, 9)))),
    Figure("carried_over", "结转下年度", "件", _cell("t3", "carried_over", "total")),
    Figure("review", "行政复议", "件", _cell("t4", "review", "total")),
    Figure("review_corrected", "行政复议纠正", "件", _cell("t4", "review", "corrected")),
    Figure("suits", "行政诉讼", "件", _sum(_cell("t4", "suit_direct", "total"), _cell("t4", "suit_after", "total"))),
    Figure("suits_corrected", "行政诉讼纠正", "件", _sum(_cell("t4", "suit_direct", "corrected"), _cell("t4", "suit_after", "corrected"))),
    Figure("issued", "规章和规范性文件制发", "件", _sum(_cell("t2", "rules", "issued"), _cell("t2", "normative", "issued"))),
    Figure("license", "行政许可决定", "件", _cell("t2", "license", "decisions")),
    Figure("penalty", "行政处罚决定", "件", _cell("t2", "penalty", "decisions")),
]}


@dataclass(frozen=True)
class ChartKind:
    id: str
    title: str
    figures: tuple[str, ...]
    aliases: tuple[str, ...] = ()


CHARTS: dict[str, ChartKind] = {c.id: c for c in [
    ChartKind("applications", "依申请公开：收到、办结和结转", ("new", "done", "carried_over"), ("申请", "依申请公开")),
    ChartKind("share", "予以公开占办结的比例（%）", ("open_share",), ("公开比例", "予以公开")),
    ChartKind("appeals", "行政复议和行政诉讼（及其中纠正）", ("review", "review_corrected", "suits", "suits_corrected"), ("复议诉讼", "复议", "诉讼")),
    ChartKind("proactive", "主动公开：文件制发和执法决定", ("issued", "license", "penalty"), ("主动公开",)),
]}


def chart_kind(name: str) -> ChartKind | None:
    """A chart by id or Chinese alias (``申请``, ``复议诉讼``, …)."""
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
