"""A scan (a PDF whose pages are images, or a ``.png`` / ``.jpg``), read by OCR.

Each page is rendered at ``DPI`` (pypdfium2), turned straight when the scan is skewed (by the angle of its
table rules, up to 5°), and its tables are found from their ruling lines (``grid``);
every table cell is read on its own, line by line (``ocrengine``: RapidOCR), and the text outside the
tables is read as lines. The page then goes the way of a text PDF's (``pdftext``): running heads and page
numbers go, a table continued on the next page joins, the grid goes to the line reader.

A number is written only when it is confirmed (``confirm``): by a relation of its table that holds, or by
the engine's high confidence with no relation contradicting it. Otherwise its cell is left blank and
``import-notes.md`` names its page and cell. Which table cell a number fills is the line reader's own
decision: the page is read once with a marker number in each cell (``_MARK`` + its index), so that every
number read is known by its table, row and column before any is written. Every number read is listed with
its confidence and whether a relation confirmed it. A line per page shows the progress.
"""

from __future__ import annotations

import functools
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .confirm import SURE, Verdict, verdicts
from .model import Note, Parsed, spec_of
from .pdftext import MAX_PAGES, Page, page_lines
from .shapes import CJK
from .source import Source, parse_source

#: Pages are read at this resolution (a scan made at 150 dpi is read as it is).
DPI = 150
#: An image larger than this (pixels) is scaled down first: a phone photo of 50 megapixels reads no better.
MAX_PIXELS = 12_000_000
#: Marker numbers: far above any count a report has, so none is taken for a real one.
_MARK = 7_300_000_000

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_NUMBERISH = re.compile(r"^[\dOoIl|.,，。·\s-]+$")  # what a misread number looks like: no Chinese, digit-like marks
_CJK_CHAR = re.compile(f"[{CJK}]")


@dataclass
class _Read:
    """One number cell as read: where, what and how sure."""

    page: int
    table: int
    row: int
    col: int
    text: str
    confidence: float


@dataclass
class _Scan:
    pages: list[Page] = field(default_factory=list)
    numbers: list[_Read] = field(default_factory=list)
    odd: list[tuple[int, int, int, int, str, float]] = field(default_factory=list)  # page, table, row, col, text, conf: not a number
    height: float = 0.0
    skew: list[tuple[int, float]] = field(default_factory=list)  # page, degrees it was turned to be straight


def _images(path: Path) -> list[Any]:
    """The pages as grayscale arrays."""
    import cv2
    import numpy as np

    head = path.read_bytes()[:8]
    if head.startswith(b"%PDF"):
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(str(path))
        except Exception as exc:  # pdfium raises its own error for a damaged file
            raise ValueError(f"{path.name} 不是可以读取的 PDF 文件：{exc}") from exc
        if len(doc) > MAX_PAGES:
            raise ValueError(f"{path.name} 有 {len(doc)} 页，年度报告不会超过 {MAX_PAGES} 页；请只导入报告本身")
        out = []
        for i in range(len(doc)):
            page = doc[i]
            w, h = page.get_size()
            scale = min(DPI / 72, (MAX_PIXELS / max(w * h, 1)) ** 0.5)
            a = page.render(scale=scale, grayscale=True).to_numpy()
            out.append(a[:, :, 0] if a.ndim == 3 else a)
        return out
    img = cv2.imdecode(np.frombuffer(path.read_bytes(), np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise ValueError(f"{path.name} 不是可以读取的图片（PNG、JPEG）")
    h, w = img.shape
    if h * w > MAX_PIXELS:
        f = (MAX_PIXELS / (h * w)) ** 0.5
        img = cv2.resize(img, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA)
    return [img]


def _number(text: str) -> str | None:
    """A cell's text as a plain number ("1,362" → "1362"), or None."""
    t = unicodedata.normalize("NFKC", text).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
        t = t.replace(",", "")
    return t if _NUMBER.match(t) else None


def _crop(gray: Any, box: tuple[int, int, int, int]) -> Any:
    x0, y0, x1, y1 = box
    return gray[max(0, y0 - 4) : y1 + 4, max(0, x0 - 6) : x1 + 6]


def _read_page(p: int, gray: Any, engine: Any, scan: _Scan) -> None:
    """One page: its tables cell by cell, the text outside them line by line."""
    from .grid import deskew, find_tables, text_lines

    gray, angle = deskew(gray)
    if angle:
        scan.skew.append((p, angle))
    tables, ink = find_tables(gray)
    page = Page()
    # Every text line of every cell, read in one batch (the engine is fastest on many crops at once).
    crops: list[Any] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for ti, t in enumerate(tables):
        for ci, cell in enumerate(t.cells):
            lines = text_lines(ink, cell.box)
            spans[(ti, ci)] = (len(crops), len(crops) + len(lines))
            crops += [_crop(gray, b) for b in lines]
    read = engine.lines(crops)
    for ti, t in enumerate(tables):
        rows: list[str] = []
        for r, grid_row in enumerate(t.grid()):
            cells: dict[int, str] = {}
            spanned: set[int] = set()
            for c, gc in enumerate(grid_row):
                if c in spanned:
                    continue
                if gc is None:
                    cells[c] = ""  # covered by a cell merged from above
                    continue
                a, b = spans[(ti, t.cells.index(gc))]
                parts = read[a:b]
                text = "".join(s for s, _ in parts).strip()
                conf = min((s for _, s in parts), default=0.0)
                spanned.update(range(c + 1, c + gc.cols))
                num = _number(text)
                if num is not None:
                    scan.numbers.append(_Read(p, ti, r, c, num, conf))
                    cells[c] = f"\0{len(scan.numbers) - 1}\0"
                elif text and _NUMBERISH.match(text) and not _CJK_CHAR.search(text):
                    scan.odd.append((p, ti, r, c, text, conf))
                    cells[c] = ""  # a misread number: never a label, never a number
                else:
                    cells[c] = text.replace("\t", " ")
            if any(cells.values()):
                # As ``data_fields``: after the row's first number a merged cell is one field (the marks are its numbers).
                width = max(cells) + 1
                first = next((i for i in range(width) if cells.get(i, "").startswith("\0")), width)
                rows.append("\t".join(cells.get(i, "") for i in range(width) if not (i > first and i in spanned)))
        page.items.append((float(t.box[1]), "table", rows))
    # The text outside the tables: the page with its tables painted white.
    rest = gray.copy()
    for t in tables:
        x0, y0, x1, y1 = t.box
        rest[y0 : y1 + 1, x0 : x1 + 1] = 255
    for (lx0, ly0, _lx1, ly1), text, _conf in _line_up(engine.page(rest)):
        page.items.append((ly0, "line", (lx0, ly0, ly1, text)))
    page.items.sort(key=lambda it: it[0])
    scan.pages.append(page)


def _line_up(found: list[tuple[tuple[float, float, float, float], str, float]]) -> list[tuple[tuple[float, float, float, float], str, float]]:
    """Text boxes on the same line (their middles within half a line of each other) joined left to right."""
    out: list[list[tuple[tuple[float, float, float, float], str, float]]] = []
    for item in sorted(found, key=lambda f: (f[0][1] + f[0][3]) / 2):
        mid = (item[0][1] + item[0][3]) / 2
        if out:
            last = out[-1][-1][0]
            if abs(mid - (last[1] + last[3]) / 2) <= (last[3] - last[1]) / 2:
                out[-1].append(item)
                continue
        out.append([item])
    joined = []
    for line in out:
        line.sort(key=lambda f: f[0][0])
        box = (min(f[0][0] for f in line), min(f[0][1] for f in line), max(f[0][2] for f in line), max(f[0][3] for f in line))
        joined.append((box, " ".join(f[1] for f in line), min(f[2] for f in line)))
    return joined


def _source(scan: _Scan, fill: dict[int, str]) -> Source:
    """The pages as the line reader's lines, each number cell written as ``fill`` says ("" = blank)."""
    pages = []
    for page in scan.pages:
        items = []
        for top, kind, it in page.items:
            if kind == "table":
                it = [re.sub(r"\0(\d+)\0", lambda m: fill.get(int(m.group(1)), ""), row) for row in it]
            items.append((top, kind, it))
        pages.append(Page(items))
    src = page_lines(pages, scan.height, indent=6 * DPI / 72)
    src.form = "ocr"
    return src


@functools.lru_cache(maxsize=2)
def _scan(path: str, mtime: int, size: int) -> tuple[_Scan, int, str]:
    """OCR every page of a file once (``detect`` reads a source again in a newer format: not the scan again).
    Returns the pages read, their count and the engine's name."""
    from .ocrengine import engine as get_engine

    images = _images(Path(path))
    engine = get_engine()
    scan = _Scan(height=float(images[0].shape[0]) if images else 0.0)
    for p, gray in enumerate(images, 1):
        t0 = time.monotonic()
        _read_page(p, gray, engine, scan)
        print(f"OCR 第 {p}/{len(images)} 页：{sum(1 for n in scan.numbers if n.page == p)} 个数字，{time.monotonic() - t0:.1f} 秒",
              file=sys.stderr, flush=True)
    return scan, len(images), engine.name


def read_scan(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """OCR a scan: every number confirmed or left blank, and said."""
    started = time.monotonic()
    st = path.stat()
    scan, pages, name = _scan(str(path.resolve()), st.st_mtime_ns, st.st_size)
    # Which table cell each number would fill: read once with a marker in every number cell.
    marked = parse_source(_source(scan, {k: str(_MARK + k) for k in range(len(scan.numbers))}), year, version)
    spec = spec_of(year, marked.version or version)
    where: dict[tuple[str, str, str], int] = {}
    for tid, vals in marked.values.items():
        for (rid, cid), value in vals.items():
            if value is not None and int(value) >= _MARK:
                where[(tid, rid, cid)] = int(value) - _MARK
    got = {cell: Decimal(scan.numbers[k].text) for cell, k in where.items()}
    verdict = verdicts(spec, got)
    fill: dict[int, str] = {}
    notes: list[Note] = []
    rows: dict[tuple[str, str], list[str]] = {}
    for cell, k in sorted(where.items(), key=lambda x: x[1]):
        n, ver = scan.numbers[k], verdict.get(cell, Verdict())
        t = spec.tables[cell[0]]
        what = f"{t.title}“{t.rows[cell[1]].label}”行“{t.columns[cell[2]].label}”"
        how = f"关系相符（{'、'.join(dict.fromkeys(ver.holds))}）" if ver.holds else \
            f"与关系不符（{'、'.join(dict.fromkeys(ver.fails))}）" if ver.fails else "没有可核对的关系"
        rows.setdefault((cell[0], cell[1]), []).append(f"{t.columns[cell[2]].label} {n.text}（置信度 {n.confidence:.2f}，{how}）")
        if ver.accept(n.confidence):
            fill[k] = n.text
        else:
            why = how if ver.fails else f"置信度 {n.confidence:.2f} 低于 {SURE}，{how}"
            notes.append(Note(n.page, f"第 {n.page} 页{what}格识别为 {n.text}，{why}，未写入（CSV 中留空）；请对照原件填写"))
    for (tid, rid), cells in rows.items():
        t = spec.tables[tid]
        page = scan.numbers[where[(tid, rid, next(c for c in t.rows[rid].cols if (tid, rid, c) in where))]].page
        notes.append(Note(page, f"OCR 识别 {t.title}“{t.rows[rid].label}”行：{'；'.join(cells)}"))
    for pg, ti, row, col, text, conf in scan.odd:
        notes.append(Note(pg, f"第 {pg} 页第 {ti + 1} 个表格第 {row + 1} 行第 {col + 1} 格识别为“{text}”（置信度 {conf:.2f}），不是数字，留空；请对照原件填写"))
    for pg, angle in scan.skew:
        notes.append(Note(pg, f"第 {pg} 页扫描时歪斜 {abs(angle):.1f}°，已摆正后识别"))
    parsed = parse_source(_source(scan, fill), year, version)
    written = sum(1 for k in where.values() if k in fill)
    parsed.notes[:0] = [Note(None, f"扫描件，共 {pages} 页，用 OCR 识别（{name}，{time.monotonic() - started:.0f} 秒）："
                                   f"表格中读到 {len(where)} 个数字，写入 {written} 个（表格关系相符，或置信度不低于 {SURE} 且没有关系不符），"
                                   f"{len(where) - written} 个留空；正文也由 OCR 识别，请对照原件通读"), *notes]
    parsed.form = "ocr"
    return parsed
