"""Relations inside one table: ``sum(left) == sum(right)``, as the spec lists them."""

from __future__ import annotations

from ..findings import CATALOGUE, Finding, code_id
from ..format.labels import fmt_number, total
from ..format.spec import Relation, TableSpec
from ..model.csvload import TableData
from ..model.report import Report
from .registry import rule

Keys = list[tuple[str, str]]


def relation_instances(spec: TableSpec, rel: Relation) -> list[tuple[Keys, Keys, tuple[str, str], str]]:
    """A relation over each column (or row) it applies to: ``(left cells, right cells, where, what)`` —
    ``where`` the cell a finding points at, ``what`` the column's or row's label. (The importer's OCR
    confirms numbers with the same expansion.)"""
    out: list[tuple[Keys, Keys, tuple[str, str], str]] = []
    if rel.each == "column":
        for col in spec.columns:
            r0 = rel.right[0]
            if col in spec.rows[r0].cols:
                out.append(([(r, col) for r in rel.left], [(r, col) for r in rel.right], (r0, col), spec.columns[col].label))
    else:
        for row in spec.rows.values():
            if all(c in row.cols for c in rel.left + rel.right):
                out.append(([(row.id, c) for c in rel.left], [(row.id, c) for c in rel.right], (row.id, rel.right[0]), row.label))
    return out


@rule(order=100, codes=("R301", "R302", "R303", "R304"), needs=("tables",))
def relations(report: Report, tables: dict[str, TableData]) -> list[Finding]:
    """The spec's relations inside each loaded table (its codes: the spec's R301–R304)."""
    return [f for t in tables.values() for f in check_relations(t)]


def check_relations(t: TableData) -> list[Finding]:
    """``sum(left) == sum(right)`` for every relation, column or row it applies to."""
    out: list[Finding] = []
    for rel in t.spec.relations:
        for left, right, at, what in relation_instances(t.spec, rel):
            out += _one(t, rel, left, right, at, what)
    return out


def _side(t: TableData, rel: Relation, keys: list[tuple[str, str]], given: str) -> str | list[str]:
    """How a message names one side of a relation: the spec's words, else the labels (a list: the
    code's template joins them, ``joins`` in findings.yaml)."""
    if given:
        return given
    if rel.each == "column":
        return [t.spec.rows[r].label for r, _ in keys] if len(keys) <= 3 else CATALOGUE[rel.code].phrase("many")
    return [t.spec.columns[c].label for _, c in keys]


def _one(t: TableData, rel: Relation, left: list[tuple[str, str]], right: list[tuple[str, str]], at: tuple[str, str], what: str) -> list[Finding]:
    lv = total([t.values.get(k) for k in left])
    rv = total([t.values.get(k) for k in right])
    if lv is None or rv is None or lv == rv:
        return []  # unreadable cells are reported already
    # A derived cell equals its sum by construction; report at a cell the writer typed.
    if all(k in t.derived for k in right):
        return []
    spec = t.spec
    if at in t.derived:  # a computed cell has no line: point at a cell the writer typed
        at = next((k for k in right + left if k not in t.derived), at)
    line, col = t.where(*at)
    lname, rname = _side(t, rel, left, rel.left_name), _side(t, rel, right, rel.right_name)
    column = what if rel.each == "column" else spec.columns[at[1]].label
    # The variant is the relation's direction: the message names a column or a row.
    return [Finding.of(code_id(rel.code), t.path, variant=rel.each, table=spec.title, what=what, left=lname, lvalue=fmt_number(lv),
                       right=rname, rvalue=fmt_number(rv), line=line, col=col, column=column, expected=fmt_number(lv), found=fmt_number(rv))]
