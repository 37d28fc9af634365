"""A PDF with a text layer, read with pdfplumber (positions kept).

Each page gives its tables and the lines outside them, top to bottom:

- a table whose cells are drawn with ruling lines is found by pdfplumber's table
  finder; its grid goes to the line reader as tab-separated rows, the cells a
  merged cell covers written blank (downwards) or folded into it (across), as
  the ``.docx`` reader does;
- a line outside the tables starts a paragraph when it is indented; otherwise it
  continues the one before (the PDF wrapped it);
- running heads, running feet and page numbers (``— 3 —``, a bare ``3``) in the
  page's top and bottom margins go; so does a table's ``（续）`` caption and the
  header rows a continued table repeats on the next page: its rows join the
  table they continue.

When no table on any page has ruling lines, ``pdftotext -layout`` (poppler) is
read instead, through the line reader's space-aligned path. A file of more than
``MAX_PAGES`` pages is refused.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Parsed, data_fields
from .shapes import CJK_SPACE, PAGE_NUMBER
from .source import Source, parse_source

#: An annual report has 5 to 15 pages; a file of hundreds is not one (and would take minutes to read).
MAX_PAGES = 80
#: A page with fewer characters than this in its text layer is an image (a scan).
MIN_CHARS = 40
#: Top and bottom margins (share of the page height) where running heads, feet and page numbers stand.
MARGIN = 0.08

_CONTINUED = re.compile(r"^表\s*[一二三四五六七八九十]+\s*[（(]\s*续\s*[）)]$")
_NUMBERED = re.compile(r"(?<=^\d[.．])\s+|(?<=^\d\d[.．])\s+")  # "1. 属于国家秘密": the typeset space after a row's number
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_CJK_BREAK = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef（）“”、，])\n(?=[\u2e80-\u9fff\uff00-\uffef（）“”])")


class NoTextLayer(ValueError):
    """The PDF's pages are images (a scan): ``ocr`` reads it."""


def _clean(s: str) -> str:
    """A cell or a line: a line break inside Chinese text joins, spaces the PDF put between characters go."""
    s = _CJK_BREAK.sub("", s.replace("\r", ""))
    s = re.sub(r"[\s\u00a0\u3000]+", " ", s).strip()
    for pat in CJK_SPACE:
        s = pat.sub("", s)
    return _NUMBERED.sub("", s)


@dataclass
class Page:
    """What one page holds, top to bottom: ``("line", x0, text)`` and ``("row", cells)``."""

    items: list[tuple[float, str, Any]] = field(default_factory=list)


def page_count(path: Path) -> int:
    """Pages of a PDF (pdfplumber); ``ValueError`` in Chinese when it cannot be opened."""
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            return len(pdf.pages)
    except Exception as exc:  # pdfminer raises several kinds for a damaged file
        raise ValueError(f"{path.name} 不是可以读取的 PDF 文件：{exc}") from exc


def _grid(table: Any) -> list[str]:
    """A table's rows as tab-separated cells (merged cells as the ``.docx`` reader writes them)."""
    cols = [c.bbox[0] for c in table.columns]
    out: list[str] = []
    texts = table.extract()
    for row, cells_text in zip(table.rows, texts, strict=True):
        cells: dict[int, str] = {}
        spanned: set[int] = set()
        for j, box in enumerate(row.cells):
            if j in spanned:
                continue
            if box is None:
                cells[j] = ""  # covered by a cell merged down from the row above
                continue
            cells[j] = _clean(cells_text[j] or "").replace("\t", " ")
            spanned.update(k for k in range(j + 1, len(cols)) if cols[k] < box[2] - 1)
        if any(cells.values()):
            out.append("\t".join(data_fields(cells, spanned)))
    return out


def _read_page(page: Any) -> tuple[Page, int]:
    """One page's tables and lines; and how many tables had ruling lines."""
    # A one-column "table" is a paragraph in a bordered box (WPS draws them): its text is read as lines.
    tables = [t for t in page.find_tables() if len(t.columns) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    rest = page.filter(outside) if boxes else page
    out = Page()
    for ln in rest.extract_text_lines():
        out.items.append((float(ln["top"]), "line", (float(ln["x0"]), float(ln["top"]), float(ln["bottom"]), ln["text"])))
    for t in tables:
        out.items.append((float(t.bbox[1]), "table", _grid(t)))
    out.items.sort(key=lambda it: it[0])
    return out, len(tables)


def _furniture(pages: list[Page], height: float) -> set[tuple[int, int]]:
    """Running heads, feet and page numbers: ``(page, item)`` to drop. A page's first or last line goes
    when it is a page number; a line in the top or bottom margin when it repeats (its digits aside) on another page."""
    margin: list[tuple[int, int, str]] = []
    out: set[tuple[int, int]] = set()
    for p, page in enumerate(pages):
        lines = [i for i, (_, kind, _it) in enumerate(page.items) if kind == "line"]
        for i in lines:
            it = page.items[i][2]
            s = _clean(it[3])
            if i in (lines[0], lines[-1]) and (_BARE_NUMBER.match(s) or any(pat.match(s) for pat in PAGE_NUMBER)):
                out.add((p, i))
            elif it[1] < height * MARGIN or it[2] > height * (1 - MARGIN):
                margin.append((p, i, s))
    shapes = Counter(re.sub(r"\d+", "#", s) for _, _, s in margin)
    return out | {(p, i) for p, i, s in margin if shapes[re.sub(r"\d+", "#", s)] >= 2}


def read_pdf(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """Read a PDF's text layer; ``NoTextLayer`` when its pages are images."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises several kinds for a damaged file
        raise ValueError(f"{path.name} 不是可以读取的 PDF 文件：{exc}") from exc
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ValueError(f"{path.name} 有 {len(pdf.pages)} 页，年度报告不会超过 {MAX_PAGES} 页；请只导入报告本身")
        chars = sum(len(p.chars) for p in pdf.pages)
        if chars < MIN_CHARS * len(pdf.pages):
            raise NoTextLayer(f"{path.name} 没有文字层（扫描件）")
        height = float(pdf.pages[0].height) if pdf.pages else 842.0
        read = [_read_page(p) for p in pdf.pages]
    pages = [p for p, _ in read]
    if not any(n for _, n in read):
        return _pdftotext(path, year, version)
    return parse_source(page_lines(pages, height), year, version)


def page_lines(pages: list[Page], height: float, indent: float = 6.0) -> Source:
    """The pages as the line reader's lines; a note's position is the page (its line number). A line
    indented more than ``indent`` (the page's units) starts a paragraph."""
    src = Source("pdf")
    drop = _furniture(pages, height)
    header: list[str] = []  # the first rows of the last table: repeated when it continues on the next page
    dropped = joined = 0
    para: list[str] = []
    para_page = 0

    def flush() -> None:
        nonlocal para
        if para:
            src.add("".join(para), para_page)
            src.add("", para_page)
        para = []

    left = min((it[0] for page in pages for _, kind, it in page.items if kind == "line"), default=0.0)
    for p, page in enumerate(pages, 1):
        first_table = True
        for i, (_, kind, it) in enumerate(page.items):
            if (p - 1, i) in drop:
                dropped += 1
                continue
            if kind == "line":
                text = _clean(it[3])
                if _CONTINUED.match(text):
                    continue  # "表三（续）": the rows below join the table above
                if not para or it[0] > left + indent:
                    flush()
                    para_page = p
                para.append(text)
                continue
            flush()
            rows: list[str] = it
            if first_table and header and rows[: len(header)] == header:
                rows = rows[len(header):]
                joined += 1
            elif rows:
                header = [r for r in rows[:4] if not re.search(r"\t\d", "\t" + r)]  # its header rows: no number in them
            first_table = False
            for r in rows:
                src.add(r, p)
            src.add("", p)
    flush()  # a paragraph goes on over a page break: only an indented line or a table ends it
    if dropped:
        src.note(None, f"已删除页眉、页脚和页码 {dropped} 处")
    if joined:
        src.note(None, f"{joined} 个表格跨页接续，下一页重复的表头已略去，两页的行合为一个表格")
    src.note(None, "各条说明中文件名后的数字是 PDF 的页码（不是行号）")
    return src


def _pdftotext(path: Path, year: int | None, version: str | None) -> Parsed:
    """``pdftotext -layout``: a PDF whose tables have no ruling lines."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ValueError(f"{path.name} 的表格没有框线，需要 pdftotext（poppler-utils）按版面读取；"
                         "请先运行 make system-test 安装，或把 PDF 另存为 Word 文件再导入")
    done = subprocess.run([exe, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise ValueError(f"pdftotext 读不了 {path.name}：{done.stderr.decode('utf-8', 'replace').strip()[:200]}")
    from .core import parse_text

    parsed = parse_text(done.stdout.decode("utf-8", "replace"), year, version=version)
    parsed.form = "pdftotext"
    return parsed
