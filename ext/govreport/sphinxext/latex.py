"""LaTeX-only adjustments for the mandated tables (the PDF edition).

- Each table is a ``longtable`` under its caption "表三 收到和处理政府信息公开申请
  情况", in its place in the text: one that does not fit the rest of the page
  breaks there and goes on with its head repeated under "表三（续）" (GB/T 9704),
  so no page is left part-empty before it. It breaks only where no merged
  label cell would be cut (except the 22 result rows of t3, under one label) and not
  after a row of header cells.
- Tables are set one size smaller (GB/T 9704 allows it so that they fit the
  type area), with 4 bp between a number and the rules.
- Column widths follow the spec, except that a column is never narrower than
  its short header labels (自然人 on one line) and its numbers.
- Header cells in 黑体, row labels and numbers in 仿宋 (one font per role).
- A label cell merged over several rows is centred vertically over them: the
  rows' heights are estimated from their text; Sphinx would set it at the top. The label over t3's results is centred when its rows are on one page
  (page references from the previous XeLaTeX run) and at the top when the
  table breaks inside it, so that it is not lost between two pages.
"""

from __future__ import annotations

import math
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.latex import LaTeXTranslator

from ..model.officialdoc import width as text_width

#: Type size and line pitch (bp) per table: 表三 is long and must fit one page of the type area.
SIZES = {"gov-t2": (12.0, 15.0), "gov-t3": (9.5, 11.5), "gov-t4": (10.5, 13.0)}
DEFAULT_SIZE = (10.5, 13.0)
TEXTWIDTH = 442.2  # bp: 156 mm
PAD = 4.0  # bp: \tabcolsep, between a cell's text and the rules
#: Header labels up to this many characters stay on one line.
SHORT_LABEL = 3
#: A merged label over more rows than this may be cut by a page break.
BIG_SPAN = 10
_X = re.compile(r"\\X\{\d+\}\{\d+\}")


def _size(table: nodes.table) -> tuple[float, float]:
    return SIZES.get(next((c for c in table["classes"] if c in SIZES), ""), DEFAULT_SIZE)


def grid(tgroup: nodes.Element) -> list[list[tuple[int, nodes.entry]]]:
    """Each row's entries with the column each starts in (rowspans taken into account)."""
    taken: dict[tuple[int, int], bool] = {}
    out = []
    for r, row in enumerate(tgroup.findall(nodes.row)):
        c, cells = 0, []
        for entry in row.children:
            while taken.get((r, c)):
                c += 1
            cells.append((c, entry))
            for dr in range(entry.get("morerows", 0) + 1):
                for dc in range(entry.get("morecols", 0) + 1):
                    taken[(r + dr, c + dc)] = True
            c += entry.get("morecols", 0) + 1
        out.append(cells)
    return out


def fit_widths(base: list[int], need: list[float], total: float = TEXTWIDTH) -> list[float]:
    """Widths (bp) proportional to ``base``, none below ``need``; they sum to ``total``."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(base)) if i not in fixed]
        room = total - sum(fixed.values())
        share = sum(base[i] for i in free) or 1
        widths = {i: room * base[i] / share for i in free}
        short = {i: need[i] for i in free if widths[i] < need[i]}
        if not short or not free:
            return [fixed.get(i, widths.get(i, 0.0)) for i in range(len(base))]
        fixed.update(short)


def column_needs(rows: list[list[tuple[int, nodes.entry]]], ncols: int, size: float) -> list[float]:
    """The narrowest each column may be: its short header labels and its numbers on one line."""
    need = [0.0] * ncols
    for cells in rows:
        for c, entry in cells:
            if entry.get("morecols", 0):
                continue
            text = entry.astext()
            head = "gov-head" in entry["classes"]
            if (head and len(text) <= SHORT_LABEL) or "gov-num" in entry["classes"]:
                need[c] = max(need[c], text_width(text) * size + 2 * PAD + 1)
    return need


def _row_lines(rows: list[list[tuple[int, nodes.entry]]], widths: list[float], size: float) -> list[int]:
    """Estimated lines of text in each row (cells over one row only)."""
    out = []
    for cells in rows:
        lines = 1
        for c, entry in cells:
            if entry.get("morerows", 0):
                continue
            inner = sum(widths[c : c + entry.get("morecols", 0) + 1]) - 2 * PAD - 1
            lines = max(lines, math.ceil(text_width(entry.astext()) * size / max(inner, size)))
        out.append(lines)
    return out


class LatexTables(SphinxPostTransform):
    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        count = 0
        for table in list(self.document.findall(nodes.table)):
            if "gov-table" not in table["classes"]:
                continue
            count += 1
            for title in list(table.findall(nodes.title)):
                table["gov-caption"] = title.astext()
                title.parent.remove(title)
            # The tabularcolumns spec carries the widths (and the alignment).
            table["classes"].remove("colwidths-given")
            table["classes"].append("longtable")
            size, pitch = _size(table)
            self._fit(table, size, f"t{count}")
            parent = table.parent
            i = parent.index(table)
            parent.insert(i + 1, nodes.raw("", "\\endgroup\n", format="latex"))
            begin = f"\\begingroup\\fontsize{{{size}bp}}{{{pitch}bp}}\\selectfont\\setlength{{\\tabcolsep}}{{{PAD}bp}}"
            parent.insert(i, nodes.raw("", begin, format="latex"))

    def _fit(self, table: nodes.table, size: float, key: str) -> None:
        """Column widths (colspecs and the tabularcolumns spec), merged cells' heights, break points."""
        tgroup = next(iter(table.findall(nodes.tgroup)))
        colspecs = list(tgroup.findall(nodes.colspec))
        rows = grid(tgroup)
        widths = fit_widths([int(c["colwidth"]) for c in colspecs], column_needs(rows, len(colspecs), size))
        units = [max(1, round(w * 10)) for w in widths]  # 0.1 bp
        for colspec, u in zip(colspecs, units, strict=True):
            colspec["colwidth"] = u
        prev = table.parent[table.parent.index(table) - 1]
        if isinstance(prev, addnodes.tabular_col_spec):
            it = iter(units)
            prev["spec"] = _X.sub(lambda _: rf"\X{{{next(it)}}}{{{sum(units)}}}", prev["spec"])
        lines = _row_lines(rows, widths, size)
        keep = set()  # rows that must stay on the page of the next row
        row_nodes = list(tgroup.findall(nodes.row))
        for r, cells in enumerate(rows):
            if all("gov-head" in e["classes"] for _, e in cells):
                keep.add(r)
            for c, entry in cells:
                span = entry.get("morerows", 0) + 1
                if span == 1:
                    continue
                inner = sum(widths[c : c + entry.get("morecols", 0) + 1]) - 2 * PAD - 1
                entry["gov-span-lines"] = sum(lines[r : r + span])
                entry["gov-own-lines"] = math.ceil(text_width(entry.astext()) * size / max(inner, size))
                if span > BIG_SPAN:
                    entry["gov-big"] = f"{key}r{r}"
                    rows[r + span - 1][0][1]["gov-mark"] = f"{key}r{r}:b"
                else:
                    keep.update(range(r, r + span - 1))
        for r in keep:
            row_nodes[r]["gov-keep"] = True


def _gov_table(node: nodes.Element) -> nodes.Element | None:
    table = node.parent.parent.parent.parent  # entry < row < thead/tbody < tgroup < table
    return table if "gov-table" in table.get("classes", []) else None


_MULTIROW = re.compile(r"\\sphinxmultirow\{(\d+)\}\{(\d+)\}\{%")
_VARWIDTH = re.compile(r"\\begin\{varwidth\}\[t\]\{\\sphinxcolwidth\{\d+\}\{\d+\}\}")


def visit_entry(self: LaTeXTranslator, node: nodes.entry) -> None:
    """Merged cells as wide as the columns they span, centred over their rows; header cells centred in 黑体.

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
    span_lines, own = node.get("gov-span-lines"), node.get("gov-own-lines", 0)
    if span_lines and own < span_lines:
        # centred over the rows it spans: Sphinx sets the label at the top of
        # its rows (\sphinxmultirow), so push it down by half the lines it does
        # not fill (estimated from the rows' text, in lines of the table's type)
        self.body.append(rf"\govvcentre{{{(span_lines - own) / 2:.2f}}}{{{node.get('gov-big', '')}}}")
        # and do not let Sphinx make the rows taller for that space (\govmultirow)
        for i in range(len(outer) - 1, -1, -1):
            if _MULTIROW.search(outer[i]):
                outer[i] = _MULTIROW.sub(lambda m: rf"\govmultirow{{{m.group(1)}}}{{{m.group(2)}}}{{%", outer[i])
                break
    for mark in (f"{node['gov-big']}:a" if node.get("gov-big") else None, node.get("gov-mark")):
        if mark:
            self.body.append(rf"\govmark{{{mark}}}")
    # one font per role: header labels 黑体, row labels 仿宋 (Sphinx sets stub columns like headers)
    self.body.append(r"\normalfont\CJKfamily{govhei}" if head else r"\normalfont ")


def depart_entry(self: LaTeXTranslator, node: nodes.entry) -> None:
    type(self).depart_entry(self, node)


def visit_row(self: LaTeXTranslator, node: nodes.row) -> None:
    type(self).visit_row(self, node)


def depart_row(self: LaTeXTranslator, node: nodes.row) -> None:
    """No page break after a row of headers or inside a merged label (``\\govkeep``)."""
    type(self).depart_row(self, node)
    if node.get("gov-keep"):
        for i in range(len(self.body) - 1, -1, -1):
            if self.body[i] == "\\\\\n":
                self.body[i] = "\\\\\\govkeep\n"  # longtable's \\* leaves a break here
                break
        # and none at the rule under the row (not after the last row: Sphinx drops its rule)
        if node is not node.parent.children[-1]:
            self.body.append("\\govkeep\n")


def visit_table(self: LaTeXTranslator, node: nodes.table) -> None:
    type(self).visit_table(self, node)


def depart_table(self: LaTeXTranslator, node: nodes.table) -> None:
    """A mandated table: a longtable with the caption on top, its head repeated under "表三（续）"."""
    if "gov-table" not in node["classes"]:
        type(self).depart_table(self, node)
        return
    table = self.table
    assert table is not None
    tag, _, name = node.get("gov-caption", "").partition(" ")
    n = table.colcount
    head = "".join(table.header)
    mid = "\\sphinxmidrule\n" if head else ""
    self.body.append(
        "\n\n\\begin{savenotes}\\sphinxatlongtablestart\n"
        "\\sphinxthistablewithglobalstyle\\sphinxthistablewithstandardstyle"
        "\\sphinxthistablewithvlinesstyle\\sphinxthistablewithnocolorrowsstyle\n"
        "\\LTleft\\fill\\LTright\\fill\n"
        f"\\begin{{longtable}}{table.get_colspec()}"
        f"\\multicolumn{{{n}}}{{c}}{{\\govtablecaption{{{tag}}}{{{name}}}}}\\\\*[4bp]\n"
        f"\\sphinxtoprule\n{head}{mid}\\endfirsthead\n"
        f"\\multicolumn{{{n}}}{{c}}{{\\govtablecaption{{{tag}（续）}}{{}}}}\\\\*[4bp]\n"
        f"\\sphinxtoprule\n{head}{mid}\\endhead\n"
        # the closing rule as the last foot: longtable reserves its room on every page,
        # a rule after the last row could be pushed alone onto the next page
        "\\sphinxbottomrule\n\\endfoot\n\\sphinxbottomrule\n\\endlastfoot\n"
        f"\\sphinxtableatstartofbodyhook\n{''.join(table.body)}"
        "\\end{longtable}\n\\sphinxatlongtableend\\end{savenotes}\n"
    )
    self.tables.pop()


def setup_latex(app: Sphinx) -> None:
    app.add_post_transform(LatexTables)
    app.add_node(nodes.entry, override=True, latex=(visit_entry, depart_entry))
    app.add_node(nodes.row, override=True, latex=(visit_row, depart_row))
    app.add_node(nodes.table, override=True, latex=(visit_table, depart_table))
