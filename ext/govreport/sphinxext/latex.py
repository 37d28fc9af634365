"""LaTeX-only adjustments for the mandated tables (the PDF edition).

Tables are set one size smaller (GB/T 9704 allows it so that they fit the type
area); the caption is dropped because the section heading above names the table.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.latex import LaTeXTranslator

#: Type size per table: 表三 is long and must fit one page of the type area.
SIZES = {
    "gov-t2": r"\fontsize{12bp}{15bp}\selectfont",
    "gov-t3": r"\fontsize{9.5bp}{11.5bp}\selectfont",
    "gov-t4": r"\fontsize{10.5bp}{13bp}\selectfont",
}


class LatexTables(SphinxPostTransform):
    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "gov-table" not in table["classes"]:
                continue
            for title in list(table.findall(nodes.title)):
                title.parent.remove(title)
            # The tabularcolumns spec carries the widths (and the alignment).
            table["classes"].remove("colwidths-given")
            size = SIZES.get(next((c for c in table["classes"] if c in SIZES), ""), r"\footnotesize")
            parent = table.parent
            i = parent.index(table)
            parent.insert(i + 1, nodes.raw("", r"\endgroup", format="latex"))
            parent.insert(i, nodes.raw("", r"\begingroup" + size + r"\setlength{\tabcolsep}{3pt}", format="latex"))


def _gov_table(node: nodes.Element) -> nodes.Element | None:
    table = node.parent.parent.parent.parent  # entry < row < thead/tbody < tgroup < table
    return table if "gov-table" in table.get("classes", []) else None


_VARWIDTH = re.compile(r"\\begin\{varwidth\}\[t\]\{\\sphinxcolwidth\{\d+\}\{\d+\}\}")


def visit_entry(self: LaTeXTranslator, node: nodes.entry) -> None:
    """Merged cells as wide as the columns they span; header cells centred.

    Sphinx sizes a merged cell as if all columns were equally wide
    (``\\sphinxcolwidth{span}{columns}``); the mandated tables have label
    columns far wider than number columns, so give it the true fraction.
    """
    type(self).visit_entry(self, node)
    table = _gov_table(node)
    if table is None:
        return
    assert self.table is not None
    cell = self.table.cell()
    assert cell is not None
    widths = [int(c["colwidth"]) for c in table.findall(nodes.colspec)]
    outer = self.bodystack[-1]
    head = isinstance(node.parent.parent, nodes.thead) or "gov-head" in node["classes"]
    if cell.width > 1:
        span = sum(widths[cell.col : cell.col + cell.width])
        # \sphinxcolwidth{a}{b} with a > 1 means the fraction a/b of the table.
        begin = rf"\begin{{varwidth}}[t]{{\sphinxcolwidth{{{2 * span}}}{{{2 * sum(widths)}}}}}"
    else:
        begin = rf"\begin{{varwidth}}[t]{{\sphinxcolwidth{{1}}{{{len(widths)}}}}}"
    if head:  # ends the cell's paragraph centred, so the box sits in the middle
        begin = r"\centering\arraybackslash" + begin
    for i in range(len(outer) - 1, -1, -1):
        if _VARWIDTH.search(outer[i]):
            outer[i] = _VARWIDTH.sub(lambda _: begin, outer[i])
            break


def depart_entry(self: LaTeXTranslator, node: nodes.entry) -> None:
    type(self).depart_entry(self, node)


def setup_latex(app: Sphinx) -> None:
    app.add_post_transform(LatexTables)
    app.add_node(nodes.entry, override=True, latex=(visit_entry, depart_entry))
