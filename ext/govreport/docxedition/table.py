"""A mandated table as a Word table, merged cells exactly as in the official grid.

The cells come in grid positions (row, column, rows spanned, columns spanned),
as the spec lays them out (``spec.layout`` through the doctree's entries).
Each Word row holds one ``w:tc`` per cell that starts in it or continues into
it from above: ``w:gridSpan`` for the columns it spans, ``w:vMerge`` restart
on its first row and continue on the others, as Word itself writes merged cells.
The head rows repeat on every page the table runs onto (``w:tblHeader``), no
row is split by a page break (``w:cantSplit``), and a row kept with the next
(``keep``: head rows, rows inside a merged label) has its paragraphs keep with next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import _Cell

from . import page
from .document import CAPTION, TABLE_TEXT, WordReport, _el, set_run_props
from .page import ROLES

#: Space between a cell's text and its rules (bp), as in the PDF.
PAD = 4.0
_ALIGN = {"head": WD_ALIGN_PARAGRAPH.CENTER, "stub": WD_ALIGN_PARAGRAPH.LEFT, "num": WD_ALIGN_PARAGRAPH.RIGHT}


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    rows: int
    cols: int
    text: str
    role: str  # head | stub | num
    flag: str = ""  # codes of the checks' findings on this cell (shown as in the PDF)


@dataclass(frozen=True)
class Layout:
    """How a table is set: its columns' widths (bp), type size and line pitch (bp),
    how many rows are the head, and the rows kept on the page of the next row."""

    widths: list[float]
    size: float
    pitch: float
    head: int
    keep: frozenset[int]


def add_table(word: WordReport, caption: str, cells: list[Cell], nrows: int, layout: Layout) -> Any:
    """The caption (黑体, centred, kept with the table) and the table."""
    tag, _, name = caption.partition(" ")
    cap = word.paragraph(style=CAPTION)
    cap.add_run(f"{tag}\u3000{name}" if name else tag)
    ncols = len(layout.widths)
    table = word.doc.add_table(rows=0, cols=ncols)
    table.style = word.doc.styles["Table Grid"]
    tw = [page.twips(w) for w in layout.widths]
    tw[-1] += page.TEXT_W - sum(tw)  # the rounding: the table fills the type area exactly
    _table_props(table, sum(tw))
    for col, w in zip(table.columns, tw, strict=True):
        col.width = Twips(w)
    starts = {(c.row, c.col): c for c in cells}
    covering: dict[tuple[int, int], Cell] = {}
    for c in cells:
        for r in range(c.row, c.row + c.rows):
            for k in range(c.col, c.col + c.cols):
                covering[(r, k)] = c
    for r in range(nrows):
        row = table.add_row()
        tr = row._tr
        trpr = tr.get_or_add_trPr()
        trpr.append(_el("w:cantSplit"))
        if r < layout.head:
            trpr.append(_el("w:tblHeader"))
        for tc in list(tr.tc_lst):  # add_row gives one cell per column: rebuilt below
            tr.remove(tc)
        k = 0
        while k < ncols:
            here = covering.get((r, k))
            span = here.cols if here is not None and here.col == k else 1
            tc = tr.add_tc()
            tc.width = Twips(sum(tw[k : k + span]))
            cell = _Cell(tc, table)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if span > 1:
                tc.grid_span = span
            if here is not None and here.rows > 1:
                tc.vMerge = "restart" if here.row == r else "continue"
            p = cell.paragraphs[0]
            p.style = word.doc.styles[TABLE_TEXT]
            p.paragraph_format.line_spacing = Pt(layout.pitch)
            if r in layout.keep:
                p.paragraph_format.keep_with_next = True
            origin = starts.get((r, k))
            if origin is not None:
                p.alignment = _ALIGN[origin.role]
                run = p.add_run(origin.text)
                set_run_props(run._r.get_or_add_rPr(), ROLES["table_head"] if origin.role == "head" else None, layout.size)
                if origin.flag:
                    flag = p.add_run(f" {origin.flag}")
                    set_run_props(flag._r.get_or_add_rPr(), None, layout.size, color="C00000")
            else:  # a continued merged cell: an empty paragraph in the table's size
                mark = _el("w:rPr")  # the paragraph mark's properties: last in w:pPr
                p._p.get_or_add_pPr().append(mark)
                set_run_props(mark, None, layout.size)
            k += span
    return table


def _table_props(table: Any, width: int) -> None:
    """Fixed layout as wide as the type area, centred, the cells' text 4 bp from the rules."""
    tblpr = table._tbl.tblPr
    for tag in ("w:tblW", "w:jc", "w:tblInd", "w:tblLayout", "w:tblCellMar", "w:tblLook"):
        old = tblpr.find(qn(tag))
        if old is not None:
            tblpr.remove(old)
    # CT_TblPr order: tblStyle, …, tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    tblpr.append(_el("w:tblW", w=str(width), type="dxa"))
    tblpr.append(_el("w:jc", val="center"))
    tblpr.append(_el("w:tblLayout", type="fixed"))
    mar = _el("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        mar.append(_el(f"w:{side}", w=str(page.twips(PAD) if side in ("left", "right") else 0), type="dxa"))
    tblpr.append(mar)
    tblpr.append(_el("w:tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0", noHBand="0", noVBand="1"))
