"""A spreadsheet (.xlsx) with the report's tables, read with openpyxl.

Sheets are read in order, rows top to bottom. A merged range keeps its text in its first cell: across, the
cells it covers fold into it (as the ``.docx`` reader does with ``w:gridSpan``); downwards, they are blank.
A row with one cell is a line of text (a title, a heading, a paragraph); a row with more is a table row
(``source.Grid``).
A position in a note is the row in the workbook, counted over the sheets from 1. Formulas are read as the
value Excel (or LibreOffice) last computed; a formula without one is blank, and said.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .model import Parsed
from .shapes import CJK_SPACE
from .source import Grid, parse_source

#: A report's sheet has a few hundred cells; a sheet beyond these bounds is not one (and is not read past them).
MAX_ROWS = 2000
MAX_COLS = 60


def _text(v: Any) -> str:
    """A cell as the reader sees it: a whole number without ``.0``, a decimal as written."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        d = Decimal(repr(v))
        return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")
    s = " ".join(str(v).split())
    for pat in CJK_SPACE:  # a line break inside a cell's Chinese text
        s = pat.sub("", s)
    return s


def read_xlsx(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """Read a workbook."""
    return parse_source(xlsx_grid(path), year, version)


def xlsx_grid(path: Path) -> Grid:
    """A workbook's rows, sheet after sheet (a blank row between two), with their merged cells."""
    import openpyxl

    from .bounds import check_zip

    check_zip(path, "Excel 文件")  # the parts' declared sizes, before openpyxl unpacks any
    try:
        book = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not .xlsx
        raise ValueError(f"{path.name} 不是可以读取的 Excel 文件（.xlsx）：{exc}") from exc
    grid = Grid("xlsx")
    n = 0
    formulas = 0
    for ws in book.worksheets:
        down: set[tuple[int, int]] = set()
        across: dict[tuple[int, int], int] = {}
        for rng in ws.merged_cells.ranges:  # clipped to the cells read: a range may claim a whole sheet
            if rng.min_row > MAX_ROWS or rng.min_col > MAX_COLS:
                continue
            across[(rng.min_row, rng.min_col)] = min(rng.max_col, MAX_COLS)
            down.update((r, c) for r in range(rng.min_row + 1, min(rng.max_row, MAX_ROWS) + 1)
                        for c in range(rng.min_col, min(rng.max_col, MAX_COLS) + 1))
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, MAX_ROWS), max_col=min(ws.max_column, MAX_COLS)):
            n += 1
            cells: dict[int, str] = {}
            spanned: set[int] = set()
            covered: set[int] = set()  # merged with the cell above
            for cell in row:
                r, c = cell.row, cell.column
                if (r, c) in down or c - 1 in spanned:
                    cells[c - 1] = ""
                    if (r, c) in down:
                        covered.add(c - 1)
                    continue
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    formulas += 1
                cells[c - 1] = _text(cell.value)
                spanned.update(range(c, across.get((r, c), c)))
            filled = [t for t in cells.values() if t]
            if len(filled) == 1:  # a title, a heading, a paragraph: text, not a table row
                grid.text(filled[0], n)
            else:  # an empty row is no break: only the end of a sheet is
                grid.row(n, cells, spanned, covered)
        grid.text("", n)
    if formulas:
        grid.note(None, f"{formulas} 个公式没有保存计算结果（文件不是由 Excel 或 WPS 保存的），这些单元格留空")
    return grid
