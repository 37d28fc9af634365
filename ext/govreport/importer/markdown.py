"""Markdown made from the PDF by a converter: pipe tables, often torn apart.

What converters do, and what is done about it:

- a table torn into pieces, each with a repeated or generic header
  (``数据1 | 数据2 …``) or a heading of its own (``## 表二：…``): the pieces are
  read as one table; generic headers and caption headings inside go;
- page numbers (``— 5 —``) inside a table or a paragraph go;
- a note inside a number cell (``22（其中修订16件）``): the number is read, the
  note is reported;
- a row with fewer numbers than the form's row has cells: not read (which
  column a number belongs to is unknown), reported with what was there;
- labels cut short or split over two cells: left to the line reader, which
  matches them to the spec (and by position between known rows);
- headings in ``#`` or in bold; hard-wrapped paragraphs are joined.
"""

from __future__ import annotations

import re

from ..format.labels import normalise_label
from ..model.cells import NUMBER_CELL, is_number_cell
from .model import Parsed, spec_of
from .shapes import CJK_SPACE, HEAD, PAGE_NUMBER
from .source import Grid, parse_source

_PIPE = re.compile(r"^\s*\|(.*)\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_GENERIC = re.compile(r"^(?:数据|列|字段|栏|column|col|field)\s*\d+$|^$", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*$")
_CAPTION = re.compile(r"^表\s*[二三四]\s*[：:、.]?")
_ANNOTATED = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*[（(]([^）)]*)[）)]$")
_SPACED_ROW = re.compile(r"^(\S.*?[^\d\s,.])\s+(\d[\d,.]*(?:\s+\d[\d,.]*)*)$")
_ENDS = "。！？；：:;!?）)”"


def _page_number(s: str) -> bool:
    t = s.strip()
    return any(p.match(t) for p in PAGE_NUMBER)


def _clean(s: str) -> str:
    for pat in CJK_SPACE:
        s = pat.sub("", s)
    return s.strip()


def read_markdown(text: str, year: int | None, version: str | None = None) -> Parsed:
    """Read a Markdown conversion."""
    return parse_source(markdown_source(text, year, version), year, version)


def markdown_source(text: str, year: int | None, version: str | None = None) -> Grid:
    """A Markdown conversion's lines: paragraphs joined again, its torn tables' rows mended."""
    spec = spec_of(year, version)
    widths = {normalise_label(r.label): len(r.cols) for t in spec.tables.values() for r in t.rows.values()}
    src = Grid("markdown")
    prose: list[tuple[str, int]] = []  # the paragraph being joined
    piece: list[tuple[int, list[str]]] = []  # consecutive pipe rows: one piece of a torn table
    pages = generic = 0

    def flush() -> None:
        if piece:
            for line_no, cells in _piece(piece, widths, src):
                src.fields(line_no, cells)
            piece.clear()
        if prose:
            # Text between a converter's table rows is often a label it pulled out of its row: never taken as one.
            src.text("".join(s for s, _ in prose), prose[0][1], loose=True)
            prose.clear()

    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip()
        if not line:
            flush()
            src.text("", no)
            continue
        if _page_number(line):
            pages += 1
            continue
        m = _PIPE.match(line)
        if m or _SEPARATOR.match(line):
            if prose:
                flush()
            if not m or _SEPARATOR.match(line):
                continue
            cells = [c.strip().replace("**", "").replace("\t", " ") for c in re.split(r"(?<!\\)\|", m.group(1))]
            if all(_GENERIC.match(c) for c in cells):
                generic += 1
                continue
            if all(not c or _page_number(c) for c in cells):
                pages += 1
                continue
            piece.append((no, cells))
            continue
        h = _HEADING.match(line) or _BOLD_LINE.match(line)
        if h:
            flush()
            title = h.group(1).replace("**", "").strip()
            if _CAPTION.match(title):
                continue  # a converter's caption over a piece of a table
            if re.search(r"\d{4}\s*年.*(?:信息公开|政务公开)", title) and not title.endswith("报告"):
                prose.append((_clean(title), no))  # a title the PDF broke: its last line follows
                continue
            src.text(_clean(title), no)
            continue
        spaced = _SPACED_ROW.match(line)
        if spaced and normalise_label(spaced.group(1)) in widths:
            flush()  # "<row label> 0": a table row the converter left as text
            src.fields(no, [spaced.group(1), *spaced.group(2).split()])
            continue
        if NUMBER_CELL.match(line):
            flush()
            src.note(no, f"表格之外的数字“{line}”（转换时从单元格中掉出来的），不知属于哪一格，未导入")
            continue
        text_ = _clean(line)
        if prose and _continues("".join(s for s, _ in prose), text_):
            prose.append((text_, no))
        else:
            flush()
            prose.append((text_, no))
    flush()
    if pages:
        src.note(None, f"已删除页码 {pages} 处（含表格中的）")
    if generic:
        src.note(None, f"表格中通用的表头行（如“数据1 | 数据2”）{generic} 处不是报告内容，已略去")
    return src


def _continues(prev: str, line: str) -> bool:
    """Is ``line`` the same paragraph as ``prev`` (a line the PDF wrapped)?"""
    if HEAD.match(line) or NUMBER_CELL.match(line):
        return False
    if (HEAD.match(prev) and len(prev) <= 25) or (len(prev) <= 45 and re.search(r"报告(?:[（(].{0,8}[）)])?$", prev)):
        return False  # a heading, or a title's last line
    return len(prev) >= 15 and prev[-1] not in _ENDS


def _piece(rows: list[tuple[int, list[str]]], widths: dict[str, int], src: Grid) -> list[tuple[int, list[str]]]:
    """The rows of one piece of a table, as cells for the line reader.

    A row with fewer numbers than its row of the form has cells is read only
    when a complete row of the same piece shows where each column is (same
    number of pipe cells, the numbers under its numbers, the rest empty): then
    the empty cells are blank in the source. Otherwise it is not read."""
    cleaned = [(no, _unannotate(cells, no, src)) for no, cells in rows]
    layouts: set[tuple[int, tuple[int, ...]]] = set()
    for _, cells in cleaned:
        labels, nums = _split(cells)
        n = widths.get(normalise_label(labels[-1])) if labels else None
        if n is not None and len(nums) == n:
            layouts.add((len(cells), tuple(nums)))
    return [(no, _row(cells, widths, no, src, layouts)) for no, cells in cleaned]


def _unannotate(cells: list[str], no: int, src: Grid) -> list[str]:
    """``22（其中修订16件）`` is read as 22; the note in brackets is reported."""
    out = []
    for i, c in enumerate(cells):
        m = _ANNOTATED.match(c)
        if m:
            src.note(no, f"单元格“{c}”按 {m.group(1)} 读取，括号中的说明“{m.group(2)}”未导入", i + 1)
            c = m.group(1)
        out.append(c)
    return out


def _split(cells: list[str]) -> tuple[list[str], list[int]]:
    """The label cells and the positions of the number cells."""
    return [c for c in cells if c and not is_number_cell(c)], [i for i, c in enumerate(cells) if is_number_cell(c)]


def _row(cells: list[str], widths: dict[str, int], no: int, src: Grid, layouts: set[tuple[int, tuple[int, ...]]]) -> list[str]:
    """A table row's cells; a short row aligned by a complete row of its piece, or not read."""
    labels, positions = _split(cells)
    numbers = [cells[i] for i in positions]
    if labels and numbers:
        n = widths.get(normalise_label(labels[-1]))
        if n is not None and len(numbers) < n:
            for width, cols in sorted(layouts):
                if width == len(cells) and len(cols) == n and set(positions) <= set(cols) and all(not cells[i] for i in cols if i not in positions):
                    blank = [k + 1 for k, i in enumerate(cols) if i not in positions]
                    src.note(no, f"“{labels[-1]}”行有 {len(numbers)} 个数，按同一表格中完整的行对齐各列，第 {'、'.join(map(str, blank))} 格原文空白")
                    return [*labels, *(cells[i] for i in cols)]
            src.note(no, f"“{labels[-1]}”行只有 {len(numbers)} 个数（{' '.join(numbers)}），表格应有 {n} 格，"
                     "无法确定各属哪一列，这一行未导入（CSV 中留空）")
            return labels
    out = list(cells)
    while out and not out[-1]:
        out.pop()
    if not labels:
        while out and not out[0]:
            out.pop(0)  # "|  | 0 | 0 …": a row whose label the converter lost
    return out
