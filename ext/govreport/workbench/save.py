"""``保存``: write what the writer typed, atomically, never over a change made meanwhile.

The form remembers each file's hash from when it was loaded. A file whose hash
differs now was changed by someone else (Excel, another tab, ``git pull``):
nothing is written, and the page is told what the file holds now so that the
writer can choose. Choosing "keep mine" sends the new hash: the typed cells
are then set in the file as it is now (its other changes kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.atomic import write_all
from ..model.report import load_report
from .edits import EditError, edited_files, new_bytes, parse_cells
from .form import file_hash, model
from .guard import writable
from .live import check_contents, located
from .settings import updated


@dataclass
class Outcome:
    """What a save answers: written files and new hashes, or the conflicts."""

    saved: list[str] = field(default_factory=list)
    conflicts: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    form: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"saved": self.saved, "conflicts": self.conflicts, "findings": self.findings, "form": self.form}


def save_tables(root: Path, docs: Path, agency: str, year: int, tables: object) -> Outcome:
    """``tables``: ``{table id: {"hash": …, "cells": {cell id: text}}}``."""
    if not isinstance(tables, dict):
        raise EditError("请求格式不对：tables 应为对象")
    report = load_report(root, agency, year, docs)
    cells: dict[str, Any] = {}
    hashes: dict[str, str] = {}
    for tid, part in tables.items():
        if not isinstance(part, dict) or not isinstance(part.get("hash"), str):
            raise EditError("请求格式不对：每张表应带 hash 和 cells")
        hashes[str(tid)] = part["hash"]
        cells.update(part.get("cells") or {})
    typed = parse_cells(report, cells)
    out = Outcome()
    writes: dict[Path, bytes] = {}
    for tid, t in report.spec.tables.items():
        if tid not in hashes:
            continue
        path = writable(root, docs, agency, year, t.file)
        now = file_hash(path)
        if now != hashes[tid]:
            current = model(report)
            out.conflicts[tid] = next(x for x in current["tables"] if x["id"] == tid)
            continue
        if tid in typed:
            raw = path.read_bytes()
            new = new_bytes(t, path, report.rel(path), raw, typed[tid])
            if new != raw:
                writes[path] = new
    if out.conflicts:
        return out  # nothing written: the writer chooses first
    write_all(writes)
    out.saved = [report.rel(p) for p in writes]
    saved = load_report(root, agency, year, docs)
    out.form = model(saved)
    _, found = check_contents(root, docs, agency, year, edited_files(saved, {}))
    out.findings = located(saved, found)
    return out


def save_settings(root: Path, docs: Path, agency: str, year: int, sent_hash: object, values: object) -> Outcome:
    """report.toml with the form's values, when the same checks find nothing wrong in them."""
    path = writable(root, docs, agency, year, "report.toml")
    out = Outcome()
    if file_hash(path) != sent_hash:
        out.conflicts["settings"] = {"hash": file_hash(path)}
        return out
    text = path.read_text(encoding="utf-8")
    new = updated(text, values)
    report, found = check_contents(root, docs, agency, year, {"report.toml": new.encode("utf-8")})
    rel = report.rel(path)
    wrong = [f for f in found if f.path == rel and f.is_error]
    out.findings = located(report, [f for f in found if f.path == rel])
    if wrong:
        return out  # not written: the page shows why, beside the field
    if new != text:
        write_all({path: new.encode("utf-8")})
        out.saved = [rel]
    out.form = {"settings_hash": file_hash(path)}
    return out
