"""The ``report-table`` directive: one mandated table, exactly as the official grid.

The grid comes from the format spec; the numbers from the report's CSV. Output
is the project's own table nodes (``tablenodes``: docutils' table, row and
entry extended), registered here with a visitor for every builder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..checks.pagescan import table_ref
from ..format.spec import GridCell, TableSpec
from ..model.csvload import TableData
from . import html, latex
from .common import data_root, note_files, page_report, report_for
from .findings import record
from .tablenodes import as_docutils, gov_entry, gov_head_entry, gov_row, gov_table


def cell_text(data: TableData, key: tuple[str, str]) -> str:
    """What a data cell shows: the number, or the CSV text when unreadable."""
    value = data.values.get(key)
    if value is None:
        return data.raw.get(key, "")
    if data.spec.unit(key[1]) == "wan_yuan":
        return data.raw.get(key) or format(value, "f")
    return str(value)


def build_table(spec: TableSpec, data: TableData) -> gov_table:
    """The official grid of ``spec`` filled from ``data``, as the project's table nodes."""
    table = gov_table(classes=["gov-table", f"gov-{spec.id}", "colwidths-given"])
    table.append(nodes.title(text=f"{spec.title} {spec.caption}"))
    tgroup = nodes.tgroup(cols=spec.ncols)
    table.append(tgroup)
    placed, stubs = _layout(spec)
    for i, w in enumerate(spec.widths):
        colspec = nodes.colspec(colwidth=w)
        if i in stubs:
            colspec["stub"] = 1
        tgroup += colspec
    head = nodes.thead() if spec.head else None
    body = nodes.tbody()
    if head is not None:
        tgroup += head
    tgroup += body
    for r, cells in enumerate(placed):
        row = gov_row()
        group = head if head is not None and r < spec.head else body
        group.append(row)
        for _, _, cell in cells:
            entry = gov_head_entry() if group is head else gov_entry()
            if cell.rs > 1:
                entry["morerows"] = cell.rs - 1
            if cell.cs > 1:
                entry["morecols"] = cell.cs - 1
            if cell.kind == "d":
                assert cell.key is not None
                entry["classes"].append("gov-num")
                if cell.key in data.derived:
                    entry["classes"].append("gov-derived")
                if data.values.get(cell.key) is None:
                    entry["classes"].append("gov-missing")
                entry += nodes.paragraph(text=cell_text(data, cell.key))
            else:
                entry["classes"].append("gov-head" if cell.kind == "h" else "gov-stub")
                entry += nodes.paragraph(text=cell.text)
            row += entry
    return table


Placed = list[list[tuple[int, int, GridCell]]]


def _layout(spec: TableSpec) -> tuple[Placed, frozenset[int]]:
    """``occupancy`` and stub columns of a spec (worked out once, by the spec)."""
    return spec.layout, spec.stub_columns


def stub_columns(spec: TableSpec) -> set[int]:
    """Columns that hold only row labels in the table body."""
    return set(spec.stub_columns)


class ReportTable(SphinxDirective):
    """Render 表二, 表三 or 表四 of the page's report.

    ``:report: agency/year`` names another report; ``:csv:`` reads another CSV
    file under ``data/`` (used by tests and by pages that compare years).
    """

    required_arguments = 1
    option_spec: ClassVar[dict[str, Callable[[str], str]]] = {"report": directives.unchanged, "csv": directives.path}

    def run(self) -> list[nodes.Node]:
        env = self.env
        root = data_root(env)
        here = os.path.relpath(env.doc2path(env.docname), root).replace(os.sep, "/")
        # One code path with make check (pagescan.table_ref): the same findings.
        ref = table_ref(root, here, self.lineno, env.docname, self.arguments[0], self.options.get("report"),
                        self.options.get("csv"), lambda a, y: report_for(env, a, y).report.spec)
        record(env, env.docname, ref.findings)
        note_files(env, ref.files)
        if ref.key is None or ref.table is None:
            return []
        result = report_for(env, *ref.key)
        spec = result.report.spec.tables[ref.table]
        data = result.report.tables[spec.id] if "csv" not in self.options else ref.data
        if data is None:
            return []
        table = build_table(spec, data)
        self.set_source_info(table)
        colspec = addnodes.tabular_col_spec(spec=latex_colspec(spec))
        return [colspec, table]


def latex_colspec(spec: TableSpec) -> str:
    """Column widths proportional to the spec; data columns right-aligned."""
    right = {c for row in _layout(spec)[0] for _, c, cell in row if cell.kind == "d" and cell.cs == 1}
    return latex.tabularcolumns(spec.widths, right)


def setup_tables(app: Sphinx) -> None:
    app.add_directive("report-table", ReportTable)
    # A visitor for each builder the project uses (html and dirhtml, latex) and
    # each other one Sphinx ships that writes text; one with nothing of its own
    # renders the docutils node. The Word edition's translator (docx.DocxTranslator)
    # has its own visitors.
    table, row, entry = as_docutils("table"), as_docutils("row"), as_docutils("entry")
    # enumerable as docutils' table is (Sphinx looks that up by class): its id, its number with numfig
    app.add_enumerable_node(gov_table, "table", html=table, latex=(latex.visit_gov_table, latex.depart_gov_table),
                            text=table, man=table, texinfo=table)
    app.add_node(gov_row, html=row, latex=(latex.visit_gov_row, latex.depart_gov_row), text=row, man=row, texinfo=row)
    for node in (gov_entry, gov_head_entry):
        app.add_node(node, html=(html.visit_gov_entry, html.depart_gov_entry),
                     latex=(latex.visit_gov_entry, latex.depart_gov_entry), text=entry, man=entry, texinfo=entry)


__all__ = ["ReportTable", "build_table", "page_report", "setup_tables"]
