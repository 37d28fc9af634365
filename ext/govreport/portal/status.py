"""The status board for the supervising office (issue 16): per year, every unit.

For each year any report exists and each unit (agency folder in ``data/``):
present or not, draft / passed / withheld / archived, its errors and warnings,
the publication date against the legal deadline (31 January of the next year,
31 March for a 县级以上地方人民政府, see ``portalmeta.deadline``), and the share
of last year's narrative it repeats (内容雷同). ``make status`` prints it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..checks import checked
from ..checks.cache import CheckCache
from ..checks.checkrun import find_root, run_checks
from ..findings import Severity
from ..model.missingmeta import missing_meta
from ..model.report import Report, discover
from .archive import is_archived
from .portalmeta import deadline, portal_meta, portal_settings
from .similarity import share_of

STATES = {"absent": "缺报告", "draft": "草稿", "passed": "通过", "withheld": "暂缓发布", "archived": "存档原文"}


@dataclass
class Row:
    year: int
    agency: str
    name: str
    state: str  # key of STATES
    errors: int = 0
    warnings: int = 0
    published: dt.date | None = None
    due: dt.date | None = None
    similarity: float | None = None
    rollup: bool = False

    @property
    def on_time(self) -> bool | None:
        if self.published is None or self.due is None:
            return None
        return self.published <= self.due

    def cells(self) -> list[str]:
        late = {None: "—", True: "按期", False: f"逾期 {(self.published - self.due).days} 天" if self.published and self.due else "逾期"}
        return [str(self.year), self.name + ("（汇总）" if self.rollup else ""), STATES[self.state],
                str(self.errors) if self.state != "absent" else "—", str(self.warnings) if self.state != "absent" else "—",
                self.published.isoformat() if self.published else "—", self.due.isoformat() if self.due else "—",
                late[self.on_time], "—" if self.similarity is None else f"{self.similarity:.0%}"]


def board(root: Path, jobs: int = 1, use_cache: bool = True, docs: Path | None = None) -> list[Row]:
    """Every unit for every year, sorted by year (newest first), then unit."""
    lost = missing_meta(root)  # tables without report.toml (F017): shown as withheld, never passed over
    found = sorted({*discover(root), *((k.split("/")[0], int(k.split("/")[1])) for k in lost)})
    pages = docs or root / "docs"
    if pages.resolve() == (root / "docs").resolve():
        results = {r.report.key: r.findings for r in run_checks(root, [], jobs, CheckCache(root) if use_cache else None)}
    else:  # a site whose pages are elsewhere (Sphinx test roots): checked here, no cache
        results = {f"{a}/{y}": checked(root, a, y, pages).findings for a, y in discover(root)}
    agencies = sorted({a for a, _ in found})
    similarity = portal_settings(root).similarity  # off: no share shown, as no U910 is given
    years = sorted({y for _, y in found}, reverse=True)
    present = set(found)
    names = {a: portal_meta(root / "data" / a / str(max(y for b, y in found if b == a))).name or a for a in agencies}
    rows = []
    for year in years:
        for a in agencies:
            if (a, year) not in present:
                rows.append(Row(year, a, names[a], "absent"))
                continue
            d = root / "data" / a / str(year)
            meta = portal_meta(d)
            findings = results.get(f"{a}/{year}", []) or ([lost[f"{a}/{year}"]] if f"{a}/{year}" in lost else [])
            errors = sum(f.is_error for f in findings)
            warnings = sum(1 for f in findings if f.severity is Severity.WARNING and f.waived is None)
            r = Report(root=root, agency=a, year=year)
            if is_archived(r):
                state = "archived"
            elif errors:
                state = "withheld"
            elif meta.draft or meta.published is None:
                state = "draft"
            else:
                state = "passed"
            sim = share_of(pages / a / f"{year}.md", pages / a / f"{year - 1}.md", root) if similarity else None
            rows.append(Row(year, a, meta.name or names[a], state, errors, warnings, meta.published, deadline(year, meta), sim, meta.is_rollup))
    return rows


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def render(rows: list[Row]) -> str:
    """The board as aligned text for the terminal, one block per year."""
    head = ["年度", "单位", "状态", "错误", "警告", "发布日期", "法定期限", "按期", "雷同"]
    table = [head] + [r.cells() for r in rows]
    widths = [max(_width(row[i]) for row in table) for i in range(len(head))]
    out = []
    for i, row in enumerate(table):
        if i > 1 and rows[i - 1].year != rows[i - 2].year:
            out.append("")
        out.append("  ".join(c + " " * (widths[j] - _width(c)) for j, c in enumerate(row)).rstrip())
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1
    out.append("")
    out.append("合计：" + "，".join(f"{STATES[k]} {counts[k]}" for k in STATES if k in counts))
    return "\n".join(out)


def cmd_status(args: object) -> int:
    rows = board(find_root(), getattr(args, "jobs", 1))
    print(render(rows) if rows else "还没有报告。")
    return 0
