"""Findings for what the writer has typed: the real check pipeline, in memory.

The typed cells become the CSV files' would-be bytes (``edits``), the report is
loaded from those instead of the files on disk, and ``run_checks`` runs on it:
the same rules, codes and texts as ``make check``, located in the would-be
file (``data/…/table3.csv:2:2``), each tied to the cell it points at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..checks.pipeline import run_checks
from ..findings import Finding
from ..model.report import Report, load_report
from .form import cell_id


def located(report: Report, findings: list[Finding]) -> list[dict[str, Any]]:
    """Each finding as the page shows it, with the cell (or report.toml key) it points at."""
    where: dict[tuple[str, int, int], str] = {}
    rows: dict[tuple[str, int], str] = {}
    for t in report.spec.tables.values():
        data = report.tables.get(t.id)
        if data is None:
            continue
        for key, (line, col) in data.pos.items():
            where[(data.path, line, col)] = cell_id(t, key)
            rows.setdefault((data.path, line), cell_id(t, key))
    meta = report.rel(report.data_dir / "report.toml")
    keys = {line: k for k, line in report.meta_lines.items()}
    out = []
    for f in findings:
        cell = where.get((f.path, f.line or 0, f.col or 0)) if f.col is not None else None
        setting = keys.get(f.line or 0) if f.path == meta else None
        out.append({"code": f.code, "severity": f.severity.value, "error": f.is_error, "message": f.message,
                    "where": f.location(), "cell": cell, "setting": setting, "waived": f.waived})
    return out


def check_contents(root: Path, docs: Path, agency: str, year: int, contents: dict[str, bytes]) -> tuple[Report, list[Finding]]:
    """The report as it would be with ``contents`` (file name → bytes) and its findings (``docs``: the pages' folder)."""
    report = load_report(root, agency, year, docs, contents=contents)
    findings, _ = run_checks(report, lambda: load_report(root, agency, year - 1))
    return report, findings
