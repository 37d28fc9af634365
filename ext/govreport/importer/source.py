"""What a reader hands the line reader (``core``): lines, and where each came from. The shapes of
text every reader and the line reader share are in ``shapes``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .cells import is_number_cell
from .core import parse_text
from .model import Note, Parsed, Problem

# ------------------------------------------------------------------ what a reader hands over

_EMPTY = re.compile(r"^表.(“[^”]*”行)没有读到数字")
_ROW = re.compile(r"(“[^”]*”行)")

#: How each form is named to the user.
FORMS = {
    "tab": "网页复制的文字（表格以制表符分隔）",
    "pdftotext": "PDF 转出的文字（pdftotext -layout）",
    "flat": "压平的网页文字（表格的标签和数字连在一起）",
    "html": "保存的网页（HTML）",
    "markdown": "由 PDF 转换的 Markdown",
    "docx": "Word 文件（.docx）",
    "pdf": "PDF 文件（读取文字层，表格按框线分格）",
    "ocr": "扫描件（逐格 OCR 识别）",
    "doc": "旧版 Word 文件（.doc，经 LibreOffice 转为 .docx）",
    "wps": "WPS 文字文件（.wps，经 LibreOffice 转为 .docx）",
    "xlsx": "Excel 表格（.xlsx）",
    "xls": "旧版 Excel 表格（.xls，经 LibreOffice 转为 .xlsx）",
}


#: Forms whose table rows are the table's grid rebuilt from its spans: every row's fields in the same columns.
GRID_FORMS = frozenset({"html", "docx"})


@dataclass
class Source:
    """Lines for ``core.parse_text`` (tables as tab-separated cells) and, for
    each, its position in the file the user gave: ``(line, column or None)``."""

    form: str
    lines: list[str] = field(default_factory=list)
    where: list[tuple[int, int | None]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    mode: str = "web"
    loose: set[int] = field(default_factory=set)  # lines (1-based) outside any table row: never a row's label
    cuts: list[Problem] = field(default_factory=list)  # parts left unread at a bound, already in the file's lines

    def add(self, text: str, line: int, col: int | None = None, loose: bool = False) -> None:
        """One line (newlines and form feeds inside it become spaces)."""
        self.lines.append(text.replace("\r", " ").replace("\n", " ").replace("\f", " "))
        self.where.append((line, col))
        if loose:
            self.loose.add(len(self.lines))

    def note(self, line: int | None, message: str, col: int | None = None) -> None:
        self.notes.append(Note(line, message, col))

    def cut(self, line: int | None, what: str, why: str) -> None:
        """Part of the file left unread at a bound (``bounds``): a problem, so the import stops and says so."""
        self.cuts.append(Problem(what, line, why, cut=True))


def parse_source(src: Source, year: int | None, version: str | None = None) -> Parsed:
    """Parse a reader's lines; every note and problem points into the user's file."""
    parsed = parse_text("\n".join(src.lines), year, mode=src.mode, loose=frozenset(src.loose), version=version,
                        grid=src.form in GRID_FORMS)

    def at(line: int | None) -> tuple[int | None, int | None]:
        if line is None or not 0 < line <= len(src.where):
            return None, None
        return src.where[line - 1]

    notes = [replace(n, line=at(n.line)[0], col=at(n.line)[1]) for n in parsed.notes]
    # "…行没有读到数字" says less than the reader's own note on the same row (why, and what was there).
    told = {(n.line, m.group(1)) for n in src.notes for m in [_ROW.search(n.message)] if m}
    notes = [n for n in notes if not ((m := _EMPTY.match(n.message)) and (n.line, m.group(1)) in told)]
    parsed.notes = sorted([*notes, *src.notes], key=lambda n: (n.line or 0, n.col or 0))
    parsed.problems = [*src.cuts, *(replace(p, line=at(p.line)[0], col=at(p.line)[1]) for p in parsed.problems)]
    parsed.form = src.form
    return parsed


def data_fields(cells: dict[int, str], spanned: set[int]) -> list[str]:
    """A row's fields, one per grid column; after its first number a merged cell is one field (a 2019 表二
    on 5 physical columns: ``政府集中采购 | 27 (2 columns) | 1536.42 (2 columns)`` is two numbers, not 27, blank, 1536.42)."""
    width = max(cells) + 1
    first = next((i for i in range(width) if is_number_cell(cells.get(i, ""))), width)
    return [cells.get(i, "") for i in range(width) if not (i > first and i in spanned)]

