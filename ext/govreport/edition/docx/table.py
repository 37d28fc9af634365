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

from docx.oxml.ns import qn
from docx.shared import Twips

from . import page
from .document import CAPTION, TABLE_TEXT, WordReport, _el, set_run_props
from .page import ROLES, Font

#: Space between a cell's text and its rules (bp), as in the PDF.
PAD = 4.0
_ALIGN = {"head": "center", "stub": "left", "num": "right"}


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
    style_id = word.style_id(TABLE_TEXT)
    pitch = str(page.twips(layout.pitch))
    half = str(round(layout.size * 2))
    tbl = table._tbl
    for r in range(nrows):
        # Built as XML: python-docx's cell and style objects cost ~5 ms a cell (a style looked up by name each time).
        tr = _el("w:tr")
        trpr = _el("w:trPr")
        trpr.append(_el("w:cantSplit"))
        if r < layout.head:
            trpr.append(_el("w:tblHeader"))
        tr.append(trpr)
        k = 0
        while k < ncols:
            here = covering.get((r, k))
            span = here.cols if here is not None and here.col == k else 1
            tc = _el("w:tc")
            tcpr = _el("w:tcPr")
            tcpr.append(_el("w:tcW", w=str(sum(tw[k : k + span])), type="dxa"))
            if span > 1:
                tcpr.append(_el("w:gridSpan", val=str(span)))
            if here is not None and here.rows > 1:
                tcpr.append(_el("w:vMerge", val="restart") if here.row == r else _el("w:vMerge"))
            tcpr.append(_el("w:vAlign", val="center"))
            tc.append(tcpr)
            origin = starts.get((r, k))
            p = _el("w:p")
            ppr = _el("w:pPr")
            ppr.append(_el("w:pStyle", val=style_id))
            if r in layout.keep:
                ppr.append(_el("w:keepNext"))
            ppr.append(_el("w:spacing", line=pitch, lineRule="exact"))
            if origin is not None:
                ppr.append(_el("w:jc", val=_ALIGN[origin.role]))
            mark = _el("w:rPr")  # the paragraph mark: in the table's size, or an empty cell would be taller
            set_run_props(mark, None, layout.size)
            ppr.append(mark)
            p.append(ppr)
            if origin is not None:
                p.append(_run(origin.text, ROLES["table_head"] if origin.role == "head" else None, half))
                if origin.flag:
                    p.append(_run(f" {origin.flag}", None, half, color="C00000"))
            tc.append(p)
            tr.append(tc)
            k += span
        tbl.append(tr)
    return table


def _run(text: str, font: Font | None, half: str, color: str | None = None) -> Any:
    """A ``w:r`` with its text (spaces kept), font, size in half points and colour."""
    r = _el("w:r")
    rpr = _el("w:rPr")
    set_run_props(rpr, font, None, color=color)
    rpr.append(_el("w:sz", val=half))
    rpr.append(_el("w:szCs", val=half))
    r.append(rpr)
    t = _el("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


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
