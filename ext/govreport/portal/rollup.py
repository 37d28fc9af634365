"""Roll-ups (汇总): a report whose tables are the cell-by-cell sum of its members' (issue 16).

``report.toml`` of the roll-up lists its members for its year (``members =
["xiangshan", "dongyuan"]``: the 乡镇 and departments it sums; vertically
managed agencies are simply not listed). A table file the roll-up leaves out,
and a cell it leaves blank, is computed from the members; a number it gives is
checked against the sum (U905). Findings also for a missing member (U901), a
member listed twice (U902) or under two roll-ups of the year (U903), a member
with errors (U904), and membership changed since last year (U906, which also
explains a carry-over difference). ``provenance`` says, for every cell, which
member contributed how much. Pure Python.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..checks import Members, shared_load
from ..findings import CATALOGUE, Finding
from ..model.csvload import Number, TableData
from ..model.report import SLUG, Report, discover
from .portalmeta import PortalMeta, portal_meta

Key = tuple[str, str]  # (row, column)


@dataclass
class Sums:
    """The members' tables summed: value per cell, and each member's part."""

    members: list[Report]  # loaded members, in the order listed
    values: dict[str, dict[Key, Number | None]]  # table id -> cell -> sum (None: a member's cell unreadable)
    parts: dict[str, dict[Key, list[tuple[str, Number | None]]]]  # table id -> cell -> [(member agency, value)]


def valid_members(report: Report, meta: PortalMeta) -> list[str]:
    """The listed members that can be summed: existing, once each, not roll-ups, not itself."""
    out: list[str] = []
    for m in meta.members:
        if m in out or m == report.agency or not SLUG.match(m):
            continue
        d = report.root / "data" / m / str(report.year)
        if (d / "report.toml").is_file() and not portal_meta(d).is_rollup:
            out.append(m)
    return out


_MEMO: dict[tuple[str, int, tuple[str, ...]], tuple[tuple[int, ...], Sums]] = {}


def _stamp(root: Path, year: int, members: list[str], files: list[str]) -> tuple[int, ...]:
    out = []
    for m in members:
        for f in files:
            try:
                out.append(os.stat(root / "data" / m / str(year) / f).st_mtime_ns)
            except OSError:
                out.append(-1)
    return tuple(out)


def sums(report: Report, meta: PortalMeta, load: Callable[[str], Report] | None = None) -> Sums:
    """The members' tables of ``report``'s year, summed cell by cell (memoised on their files).

    ``load`` gives a member's loaded report (a rule's :class:`~..checks.Members`); by default
    the build's memo of loads (loading a roll-up, its page's drill-down)."""
    members = valid_members(report, meta)
    files = ["report.toml", *(t.file for t in report.spec.tables.values())]
    key = (str(report.root), report.year, tuple(members))
    stamp = _stamp(report.root, report.year, members, files)
    hit = _MEMO.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    load = load or (lambda m: shared_load(report.root, m, report.year))
    loaded = [load(m) for m in members]
    values: dict[str, dict[Key, Number | None]] = {}
    parts: dict[str, dict[Key, list[tuple[str, Number | None]]]] = {}
    for t in report.spec.tables.values():
        vals, prov = values.setdefault(t.id, {}), parts.setdefault(t.id, {})
        for row in t.rows.values():
            for col in row.cols:
                cell = (row.id, col)
                got = [(m.agency, m.tables[t.id].get(*cell) if t.id in m.tables and m.tables[t.id].loaded else None) for m in loaded]
                prov[cell] = got
                vals[cell] = None if any(v is None for _, v in got) else sum((v for _, v in got if v is not None), 0)
    result = Sums(loaded, values, parts)
    _MEMO[key] = (stamp, result)
    if len(_MEMO) > 64:
        del _MEMO[next(iter(_MEMO))]
    return result


#: Cells a roll-up's CSV left blank and the members filled: (table id, row, col) per report key.
FILLED: dict[tuple[str, str, int], set[tuple[str, str, str]]] = {}


def fill(report: Report) -> None:
    """After loading a roll-up: tables and blank cells it leaves out, from the members."""
    meta = portal_meta(report.data_dir)
    if not meta.is_rollup:
        return
    s = sums(report, meta)
    for f in s.members:
        report.files += f.files
    filled: set[tuple[str, str, str]] = set()
    drop: set[int] = set()
    for t in report.spec.tables.values():
        data = report.tables.get(t.id)
        total = s.values[t.id]
        if data is None or not data.loaded:
            if not (report.data_dir / t.file).is_file():
                new = TableData(t, report.rel(report.data_dir / t.file), loaded=True)
                new.values = dict(total)
                new.derived = set(total)
                report.tables[t.id] = new
                drop |= {id(f) for f in report.findings if f.code == "F001" and f.path == new.path}
                filled |= {(t.id, *k) for k in total}
            continue
        for k, v in list(data.values.items()):
            if v is None and not data.raw.get(k, "").strip() and total.get(k) is not None:
                data.values[k] = total[k]
                filled.add((t.id, *k))
                where = data.pos.get(k)
                drop |= {id(f) for f in report.findings if f.code == "C201" and f.path == data.path and where == (f.line, f.col)}
        for k in data.derived:
            if data.values.get(k) is None:
                data.values[k] = total.get(k)
    report.findings = [f for f in report.findings if id(f) not in drop]
    FILLED[(str(report.root), report.agency, report.year)] = filled


def _fmt(v: Number | None) -> str:
    return CATALOGUE["U905"].phrase("unknown") if v is None else (format(v, "f") if not isinstance(v, int) else str(v))


def check_rollup(report: Report, members: Members) -> list[Finding]:
    """U901–U907 for a roll-up; U905 cell by cell. The members come from the pipeline (the
    rule needs ``members``: it runs only for a report that lists some, i.e. a roll-up)."""
    meta = portal_meta(report.data_dir)
    rel = report.rel(report.data_dir / "report.toml")
    at = meta.members_line
    out: list[Finding] = []
    seen: set[str] = set()
    for raw in members.listed:
        m = str(raw)
        if not isinstance(raw, str) or not SLUG.match(m):
            out.append(Finding.of("U907", rel, variant="name", m=m, line=at))
            continue
        if m == report.agency:
            out.append(Finding.of("U907", rel, variant="self", m=m, line=at))
            continue
        if m in seen:
            out.append(Finding.of("U902", rel, m=m, line=at, found=m))
            continue
        seen.add(m)
        if not members.exists(m):
            out.append(Finding.of("U901", rel, m=m, year=report.year, line=at, expected=f"data/{m}/{report.year}", found="（无）"))
            continue
        if portal_meta(members.folder(m)).is_rollup:
            out.append(Finding.of("U907", rel, variant="rollup", m=m, line=at))
    out += _shared(report, members.names, rel, at)
    out += _member_errors(report, meta, members, rel, at)
    out += _against_sums(report, meta, members)
    out += _membership_change(report, meta, rel, at)
    return out


def _shared(report: Report, members: list[str], rel: str, at: int | None) -> list[Finding]:
    """U903: a member also listed by another roll-up of the same year."""
    out = []
    for agency, year in discover(report.root):
        if year != report.year or agency == report.agency:
            continue
        d = report.root / "data" / agency / str(year)
        other = portal_meta(d)
        if not other.is_rollup:
            continue
        report.files.append(d / "report.toml")
        for m in members:
            if m in other.members:
                out.append(Finding.of("U903", rel, m=m, agency=agency, year=year, line=at, found=agency))
    return out


def _member_errors(report: Report, meta: PortalMeta, members: Members, rel: str, at: int | None) -> list[Finding]:
    out = []
    for m in valid_members(report, meta):
        n = len(members.checked(m).errors)
        if n:
            out.append(Finding.of("U904", rel, m=m, year=report.year, n=n, line=at, found=str(n)))
    return out


def _against_sums(report: Report, meta: PortalMeta, members: Members) -> list[Finding]:
    s = sums(report, meta, members.__getitem__)
    filled = FILLED.get((str(report.root), report.agency, report.year), set())
    out = []
    for t in report.spec.tables.values():
        data = report.tables.get(t.id)
        if data is None or not data.loaded:
            continue
        for k, want in s.values[t.id].items():
            got = data.values.get(k)
            if (t.id, *k) in filled or k in data.derived or want is None or got is None or got == want:
                continue
            line, col = data.where(*k)
            parts = [CATALOGUE["U905"].phrase("part", member=m, value=_fmt(v)) for m, v in s.parts[t.id][k]]
            out.append(Finding.of("U905", data.path, table=t.title, row=t.rows[k[0]].label, column_label=t.columns[k[1]].label, got=_fmt(got), want=_fmt(want), parts=parts, line=line, col=col, column=t.columns[k[1]].label, expected=_fmt(want), found=_fmt(got)))
    return out


def membership_change(report: Report, meta: PortalMeta) -> tuple[list[str], list[str]] | None:
    """(added, removed) since last year's roll-up of the same agency; None when unchanged or no roll-up then."""
    prev = portal_meta(report.root / "data" / report.agency / str(report.year - 1))
    if not prev.is_rollup:
        return None
    added = [m for m in dict.fromkeys(meta.members) if m not in prev.members]
    removed = [m for m in dict.fromkeys(prev.members) if m not in meta.members]
    return (added, removed) if added or removed else None


def _membership_change(report: Report, meta: PortalMeta, rel: str, at: int | None) -> list[Finding]:
    change = membership_change(report, meta)
    if change is None:
        return []
    return [Finding.of("U906", rel, last_year=report.year - 1, change=describe(change), line=at)]


def describe(change: tuple[list[str], list[str]]) -> str:
    """The members added and removed, in U906's phrases, joined as U906 joins its ``{change}``
    (Y401's note on a roll-up says it too)."""
    added, removed = change
    say = CATALOGUE["U906"].phrase
    parts = []
    if added:
        parts.append(say("added", members=added))
    if removed:
        parts.append(say("removed", members=removed))
    return CATALOGUE["U906"].join("change", parts)


def explain_carry_over(report: Report, findings: list[Finding]) -> list[Finding]:
    """Y401 of a roll-up whose membership changed says why it may differ."""
    from dataclasses import replace

    meta = portal_meta(report.data_dir)
    change = membership_change(report, meta) if meta.is_rollup else None
    if change is None:
        return findings
    note = CATALOGUE["Y401"].phrase("rollup", change=describe(change))
    return [replace(f, message=f.message + note) if f.code == "Y401" else f for f in findings]


def provenance(report: Report) -> list[tuple[str, str, str, Number | None, list[tuple[str, Number | None]]]]:
    """Every non-zero cell of a roll-up: (table title, row label, column label, sum, [(member, value)])."""
    meta = portal_meta(report.data_dir)
    if not meta.is_rollup:
        return []
    s = sums(report, meta)
    names = {m.agency: (m.name or m.agency) for m in s.members}
    out = []
    for t in report.spec.tables.values():
        for k, total in s.values[t.id].items():
            if total == 0:
                continue
            out.append((t.title, t.rows[k[0]].label, t.columns[k[1]].label, total,
                        [(names.get(m, m), v) for m, v in s.parts[t.id][k] if v != 0]))
    return out
