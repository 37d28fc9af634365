"""Open data: a report's numbers as tidy rows (one value per line), CSV and JSON.

The rows come from the same ``TableData`` the rendered tables come from.
"""

from __future__ import annotations

import csv
import io
import json

from .report import Report

FIELDS = ["agency", "agency_name", "year", "table", "row", "column", "value", "unit"]
UNITS = {"count": "件", "wan_yuan": "万元"}


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
                "value": None if v is None else (v if isinstance(v, int) else float(v)),
                "unit": UNITS[t.unit(cid)],
            })
    return rows


def to_csv(rows: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, FIELDS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r[k] is None else r[k]) for k in FIELDS})
    # A BOM so that Excel opens the Chinese text correctly.
    return "\ufeff" + buf.getvalue()


def to_json(rows: list[dict[str, object]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
