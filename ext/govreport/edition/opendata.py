"""Open data: a report's numbers as tidy rows (one value per line), CSV and JSON.

The rows come from the same ``TableData`` the rendered tables come from.
"""

from __future__ import annotations

import csv
import io
import json
import math

from ..model.report import Report

FIELDS = ["agency", "agency_name", "year", "table", "row", "column", "value", "unit"]
UNITS = {"count": "件", "signed": "件", "wan_yuan": "万元"}


def tidy_rows(report: Report) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for t in report.spec.tables.values():
        data = report.tables.get(t.id)
        if data is None:
            continue
        for rid, cid in t.keys():
            v = data.values.get((rid, cid))
            rows.append({
                "agency": report.agency,
                "agency_name": report.name,
                "year": report.year,
                "table": t.title,
                "row": t.rows[rid].label,
                "column": t.columns[cid].label,
                "value": _number(v),
                "unit": UNITS[t.unit(cid)],
            })
    return rows


def _number(v: object) -> int | float | None:
    """A JSON number, never Infinity or NaN (invalid JSON): those are None."""
    if v is None or isinstance(v, int):
        return v  # type: ignore[return-value]
    f = float(v)  # type: ignore[arg-type]
    return f if math.isfinite(f) else None


#: Characters a spreadsheet reads as the start of a formula (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell(v: object) -> object:
    """A CSV cell that Excel or WPS will show, not run: text starting like a formula gets a ' first."""
    if v is None:
        return ""
    if isinstance(v, str) and v.startswith(_FORMULA):
        return "'" + v
    return v


def to_csv(rows: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    w.writerows([cell(r[k]) for k in FIELDS] for r in rows)
    # A BOM so that Excel opens the Chinese text correctly.
    return "\ufeff" + buf.getvalue()


def to_json(rows: list[dict[str, object]]) -> str:
    """A JSON array with one row object per line: readable, and written by
    json's C encoder (``indent`` would take the pure-Python one, ten times
    slower; a build writes every report's file)."""
    if not rows:
        return "[]\n"
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    return "[\n" + ",\n".join(dumps(r) for r in rows) + "\n]\n"
