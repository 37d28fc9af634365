"""The office's own Word file (.docx), read with python-docx.

Paragraphs and tables are read in document order. Each table's grid is rebuilt
from the cells' ``w:gridSpan`` (merged across) and ``w:vMerge`` (merged down:
the continuing cells are written blank, as a browser's copy of the same table
would be) and the rows' ``w:gridBefore``. A position in a note is the number of
the paragraph or table row in the document, counted from 1.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from .bounds import MAX_GRID_CELLS, MAX_GRID_COLUMNS, check_zip
from .model import Parsed
from .source import Grid, parse_source

_CJK_GAP = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef（）“”])\s+(?=[\u2e80-\u9fff\uff00-\uffef（）“”])")


def _val(el: Any, path: str) -> str | None:
    """The ``w:val`` of the first element at ``path`` under ``el`` ('' when present without a value)."""
    found = el.find(path)
    if found is None:
        return None
    v = found.get(qn("w:val"))
    return "" if v is None else str(v)


def _runs(p: Any) -> list[str]:
    """A paragraph's lines (a ``w:br`` breaks it)."""
    lines = [""]
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            lines[-1] += node.text or ""
        elif node.tag == qn("w:tab"):
            lines[-1] += " "
        else:
            lines.append("")
    return lines


def _clean(s: str) -> str:
    s = re.sub(r"[\s\u00a0\u3000]+", " ", s).strip()
    return _CJK_GAP.sub("", s)


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs run together: a label broken over lines is one label."""
    return _clean(" ".join(" ".join(_runs(p)) for p in tc.iter(qn("w:p")))).replace("\t", " ")


class _Reader:
    def __init__(self) -> None:
        self.src = Grid("docx", by_column=True)
        self.n = 0  # paragraphs and table rows so far

    def block(self, el: Any) -> None:
        if el.tag == qn("w:p"):
            self.n += 1
            for line in _runs(el):
                self.src.text(_clean(line).replace("\t", " "), self.n)
        elif el.tag == qn("w:tbl"):
            self.table(el)
        elif el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            for child in content if content is not None else ():
                self.block(child)

    def table(self, tbl: Any) -> None:
        """One row per ``w:tr``, each cell in its grid column; a table past the grid bounds is not read."""
        cells_seen = 0
        for tr in tbl.findall(qn("w:tr")):
            self.n += 1
            cells_seen += len(tr)
            if cells_seen > MAX_GRID_CELLS:
                self.src.cut(self.n, "表格的其余部分", f"表格超过 {MAX_GRID_CELLS} 格，从这一行起未读取（官方表格约 300 格；文件可能已损坏或是恶意构造的）")
                return
            before = _val(tr, f"{qn('w:trPr')}/{qn('w:gridBefore')}")
            col = _small(before, 0)
            cells: dict[int, str] = {}
            spanned: set[int] = set()
            covered: set[int] = set()  # a vertically merged cell's continuation: the cell above spans here
            for tc in tr.findall(qn("w:tc")):
                pr = tc.find(qn("w:tcPr"))
                span_v = _val(pr, qn("w:gridSpan")) if pr is not None else None
                span = max(1, _small(span_v, 1))
                vmerge = _val(pr, qn("w:vMerge")) if pr is not None else None
                continues = vmerge is not None and vmerge != "restart"
                if col + span > MAX_GRID_COLUMNS:
                    self.src.cut(self.n, "表格这一行的其余单元格", f"表格的这一行超过 {MAX_GRID_COLUMNS} 列，其后的单元格未读取")
                    break
                cells[col] = "" if continues else _cell_text(tc)
                spanned.update(range(col + 1, col + span))
                if continues:
                    covered.update(range(col, col + span))
                col += span
            self.src.row(self.n, cells, spanned, covered)


def read_docx(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """Read a Word file."""
    return parse_source(docx_source(path), year, version)


def docx_source(path: Path) -> Grid:
    """A Word file's lines: its paragraphs, and its tables' rows by their grid columns."""
    check_zip(path, "Word 文件（.docx）")  # sizes from the central directory, before any part is unpacked
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise ValueError(f"{path.name} 不是可以读取的 Word 文件（.docx）：{exc or type(exc).__name__}") from exc
    reader = _Reader()
    for el in document.element.body.iterchildren():
        reader.block(el)
    return reader.src


def _small(v: str | None, default: int) -> int:
    """A grid count from the XML: ASCII digits, at most 200 (a hostile file's "²" or 5000 digits never reach int())."""
    if not v or not (v.isascii() and v.isdigit()) or len(v) > 4:
        return default
    return min(int(v), 200)
