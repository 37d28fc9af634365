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

A post-transform (``LatexTables``) works out the sizes, widths and break
points and puts them on the nodes; the visitors of the project's own table
nodes (``tablenodes``, registered by ``tables.setup_tables``) write the
longtable, its rows and its cells from them. docutils' and Sphinx's visitors
are left as they are, for every other table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Set
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.latex import LaTeXTranslator

from ..model.officialdoc import width as text_width
from .tablenodes import gov_entry, gov_row, gov_table

#: Type size and line pitch (bp) per table: 表三 is long and must fit one page of the type area.
SIZES = {"gov-t2": (12.0, 15.0), "gov-t3": (9.5, 11.5), "gov-t4": (10.5, 13.0)}
DEFAULT_SIZE = (10.5, 13.0)
TEXTWIDTH = 442.2  # bp: 156 mm
PAD = 4.0  # bp: \tabcolsep, between a cell's text and the rules
#: Header labels up to this many characters stay on one line.
SHORT_LABEL = 3
#: A merged label over more rows than this may be cut by a page break.
BIG_SPAN = 10


def tabularcolumns(widths: Sequence[int], right: Set[int]) -> str:
    """A mandated table's tabularcolumns: widths in proportion, the columns ``right`` (numbers) right-aligned."""
    total = sum(widths)
    cols = []
    for i, w in enumerate(widths):
        align = r">{\raggedleft\arraybackslash}" if i in right else r">{\raggedright\arraybackslash}"
        cols.append(align + rf"\X{{{w}}}{{{total}}}")
    return "|" + "|".join(cols) + "|"


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
        for table in list(self.document.findall(gov_table)):
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
        if isinstance(prev, addnodes.tabular_col_spec):  # the directive's, with the spec's widths
            right = {c for cells in rows for c, e in cells if "gov-num" in e["classes"] and not e.get("morecols", 0)}
            prev["spec"] = tabularcolumns(units, right)
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


CR = "\n"


def visit_gov_entry(self: LaTeXTranslator, node: gov_entry) -> None:
    """A cell as Sphinx 9's ``visit_entry`` writes it, with what the mandated tables need.

    - A merged cell is as wide as the columns it spans: Sphinx sizes it as if all
      columns were equally wide (``\\sphinxcolwidth{span}{columns}``); the mandated
      tables have label columns far wider than number columns.
    - Header cells are centred, in 黑体; row labels and numbers in 仿宋 (one font
      per role; Sphinx sets stub columns like headers).
    - A label merged over several rows is centred over them (``\\govvcentre``)
      without making them taller (``\\govmultirow``); Sphinx sets it at the top.
    """
    table = self.table
    assert table is not None
    if table.col > 0:
        self.body.append("&")
    table.add_cell(node.get("morerows", 0) + 1, node.get("morecols", 0) + 1)
    cell = table.cell()
    assert cell is not None
    context = ""
    colsep = table.colsep
    if cell.width > 1:
        if self.config.latex_use_latex_multicolumn:
            if table.col == 0:
                self.body.append(rf"\multicolumn{{{cell.width}}}{{{colsep}l{colsep}}}{{%" + CR)
            else:
                self.body.append(rf"\multicolumn{{{cell.width}}}{{l{colsep}}}{{%" + CR)
            context = "}%" + CR
        else:
            self.body.append(rf"\sphinxstartmulticolumn{{{cell.width}}}%" + CR)
            context = r"\sphinxstopmulticolumn" + CR
    span_lines, own = node.get("gov-span-lines"), node.get("gov-own-lines", 0)
    centred = bool(span_lines) and own < span_lines
    if cell.height > 1:
        # the label is known to fit in its rows (LatexTables): the space that centres it must not make them taller
        multirow = r"\govmultirow" if centred else r"\sphinxmultirow"
        self.body.append(rf"{multirow}{{{cell.height}}}{{{cell.cell_id}}}{{%" + CR)
        context = "}%" + CR + context
    widths = [int(w) for w in table.colwidths]  # the colspecs' (LatexTables made them the true widths)
    if cell.width > 1:
        # \sphinxcolwidth{a}{b} with a > 1 means the fraction a/b of the table.
        span = sum(widths[cell.col : cell.col + cell.width])
        begin = rf"\begin{{varwidth}}[t]{{\sphinxcolwidth{{{2 * span}}}{{{2 * sum(widths)}}}}}"
    else:
        begin = rf"\begin{{varwidth}}[t]{{\sphinxcolwidth{{1}}{{{table.colcount}}}}}"
    head = node.head_row or "gov-head" in node["classes"]
    if head:  # ends the cell's paragraph centred, so the box sits in the middle
        begin = r"\centering\arraybackslash" + begin
    self.body.append(begin + CR)
    context = r"\sphinxbeforeendvarwidth" + CR + r"\end{varwidth}%" + CR + context
    if (node.head_row or cell.col in table.stubs) and not (
        len(node) == 1 and isinstance(node[0], nodes.paragraph) and not node.astext()
    ):
        self.body.append(r"\sphinxstyletheadfamily ")  # as Sphinx (set empty in the preamble)
    self.pushbody([])
    self.context.append(context)
    if centred:
        # pushed down by half the lines it does not fill (estimated from the rows'
        # text, in lines of the table's type); only if its rows were on one page when keyed
        self.body.append(rf"\govvcentre{{{(span_lines - own) / 2:.2f}}}{{{node.get('gov-big', '')}}}")
    for mark in (f"{node['gov-big']}:a" if node.get("gov-big") else None, node.get("gov-mark")):
        if mark:
            self.body.append(rf"\govmark{{{mark}}}")
    self.body.append(r"\normalfont\CJKfamily{govhei}" if head else r"\normalfont ")


def depart_gov_entry(self: LaTeXTranslator, node: gov_entry) -> None:
    self.depart_entry(node)


def visit_gov_row(self: LaTeXTranslator, node: gov_row) -> None:
    self.visit_row(node)


def depart_gov_row(self: LaTeXTranslator, node: gov_row) -> None:
    """The row's end and rules as Sphinx 9's ``depart_row`` writes them; no page
    break after a row of headers or inside a merged label (``gov-keep``)."""
    table = self.table
    assert table is not None
    keep = bool(node.get("gov-keep"))
    # \\\govkeep, not longtable's \\*: that leaves a break here
    self.body.append("\\\\" + ("\\govkeep" if keep else "") + CR)
    cells = [table.cell(table.row, i) for i in range(table.colcount)]
    underlined = [cell.row + cell.height == table.row + 1 for cell in cells]  # type: ignore[union-attr]
    if all(underlined):
        self.body.append(r"\sphinxhline")
    else:
        i = 0
        underlined.append(False)  # sentinel
        if underlined[0] is False:
            i = 1
            while i < table.colcount and underlined[i] is False:
                if cells[i - 1].cell_id != cells[i].cell_id:  # type: ignore[union-attr]
                    self.body.append(rf"\sphinxvlinecrossing{{{i}}}")
                i += 1
        while i < table.colcount:
            j = underlined[i:].index(False)  # here underlined[i] is True
            self.body.append(rf"\sphinxcline{{{i + 1}-{i + j}}}")
            i += j + 1
            while i < table.colcount and underlined[i] is False:
                if cells[i - 1].cell_id != cells[i].cell_id:  # type: ignore[union-attr]
                    self.body.append(rf"\sphinxvlinecrossing{{{i}}}")
                i += 1
        self.body.append(rf"\sphinxfixclines{{{table.colcount}}}")
    table.row += 1
    # and none at the rule under the row; not after the last row of the head or
    # the body: Sphinx drops that rule when it is the last thing written
    if keep and node.next_node(descend=False, siblings=True) is not None:
        self.body.append("\\govkeep" + CR)


def visit_gov_table(self: LaTeXTranslator, node: gov_table) -> None:
    self.visit_table(node)


def depart_gov_table(self: LaTeXTranslator, node: gov_table) -> None:
    """A mandated table: a longtable with the caption on top, its head repeated under "表三（续）"."""
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
        # The captions are boxes of no width, as longtable's own \\caption is: a caption
        # as wide as itself set the columns' widths of the head's chunk in the first
        # run (no .aux yet), so that run wrote other widths than the final ones and
        # every PDF took three XeLaTeX runs, not two.
        f"\\multicolumn{{{n}}}{{c}}{{\\makebox[0pt]{{\\govtablecaption{{{tag}}}{{{name}}}}}}}\\\\*[4bp]\n"
        f"\\sphinxtoprule\n{head}{mid}\\endfirsthead\n"
        f"\\multicolumn{{{n}}}{{c}}{{\\makebox[0pt]{{\\govtablecaption{{{tag}（续）}}{{}}}}}}\\\\*[4bp]\n"
        f"\\sphinxtoprule\n{head}{mid}\\endhead\n"
        # the closing rule as the last foot: longtable reserves its room on every page,
        # a rule after the last row could be pushed alone onto the next page
        "\\sphinxbottomrule\n\\endfoot\n\\sphinxbottomrule\n\\endlastfoot\n"
        f"\\sphinxtableatstartofbodyhook\n{''.join(table.body)}"
        "\\end{longtable}\n\\sphinxatlongtableend\\end{savenotes}\n"
    )
    self.tables.pop()


def setup_latex(app: Sphinx) -> None:
    # the visitors above are registered with their nodes (tables.setup_tables)
    app.add_post_transform(LatexTables)
