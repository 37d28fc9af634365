"""A scanned page's tables, found from their ruling lines by image morphology (numpy and OpenCV).

The page is binarised; an opening with a long horizontal (vertical) kernel keeps only the horizontal
(vertical) rules. A table is a connected group of rules. Its rows and columns are the rules' positions;
a cell ends where a rule is drawn, so a merged cell (a rule missing between two positions) is one cell
spanning them, as pdfplumber's table finder gives it for a text PDF. Every cell keeps its box, so each can
be read on its own. Pure image work: no OCR here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

#: A horizontal rule is at least this share of the page width; a vertical one runs from a horizontal rule to another.
RULE = 0.04
#: A rule covers at least this share of the cell side it bounds to count as drawn there.
DRAWN = 0.6


@dataclass
class Cell:
    """One cell of a table: its grid position and span, and its box in page pixels (inside the rules)."""

    row: int
    col: int
    rows: int
    cols: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1


@dataclass
class Table:
    """A table's box and its cells, row by row (a merged cell once, at its first row and column)."""

    box: tuple[int, int, int, int]
    ys: list[int]
    xs: list[int]
    cells: list[Cell] = field(default_factory=list)

    def grid(self) -> list[list[Cell | None]]:
        """Rows of the grid: a cell at its first position, None where a merged cell covers."""
        out: list[list[Cell | None]] = [[None] * (len(self.xs) - 1) for _ in range(len(self.ys) - 1)]
        for c in self.cells:
            out[c.row][c.col] = c
        return out


def binarise(gray: Any) -> Any:
    """Ink as 255, paper as 0 (Otsu's threshold)."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _positions(profile: Any, minimum: float) -> list[int]:
    """Centres of the runs where ``profile`` reaches ``minimum`` (a rule several pixels thick is one)."""
    on = profile >= minimum
    out: list[int] = []
    start = -1
    for i, v in enumerate([*on.tolist(), False]):
        if v and start < 0:
            start = i
        elif not v and start >= 0:
            out.append((start + i - 1) // 2)
            start = -1
    return out


def _merge_close(ps: list[int], gap: int) -> list[int]:
    out: list[int] = []
    for p in ps:
        if out and p - out[-1] <= gap:
            out[-1] = (out[-1] + p) // 2
        else:
            out.append(p)
    return out


#: A scan turned by more than this (degrees) is not straightened: it is not a slightly skewed page.
MAX_SKEW = 5.0


def deskew(gray: Any) -> tuple[Any, float]:
    """The page turned straight, by the angle of its long horizontal strokes (table rules, underlines);
    and that angle. A page without such strokes, or already straight (< 0.1°), is returned as it is."""
    ink = binarise(gray)
    h, w = ink.shape
    # Short kernel: a rule turned by 5° still has runs of 20 px; the dilation joins them, long components only count.
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (20, 1)))
    runs = cv2.dilate(runs, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 5)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    angles: list[float] = []
    weights: list[float] = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i][:4])
        if bw < w * 0.3:
            continue
        ys, xs = np.nonzero(labels[y : y + bh, x : x + bw] == i)
        vx, vy = cv2.fitLine(np.column_stack([xs, ys]).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01)[:2].ravel()
        angles.append(float(np.degrees(np.arctan2(vy, vx))))
        weights.append(float(bw))
    if not angles:
        return gray, 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.array(weights)[order])
    angle = float(np.array(angles)[order][int(np.searchsorted(cum, cum[-1] / 2))])  # weighted median
    if abs(angle) < 0.1 or abs(angle) > MAX_SKEW:
        return gray, 0.0
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def find_tables(gray: Any) -> tuple[list[Table], Any]:
    """The page's tables, and the page's ink without its rules (what the cells' text is read from)."""
    ink = binarise(gray)
    _h, w = ink.shape
    klen = max(20, int(w * RULE))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (klen, 1)))
    vert = _joined(cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 12))), horiz)
    rules = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    tables: list[Table] = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i][:4])
        if bw < w * 0.3 or bh < 20:
            continue  # an underline or a stray stroke, not a table
        t = _table(horiz[y : y + bh, x : x + bw], vert[y : y + bh, x : x + bw], x, y)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: t.box[1])
    text = cv2.bitwise_and(ink, cv2.bitwise_not(rules))
    return tables, text


def _joined(vert: Any, horiz: Any) -> Any:
    """Vertical strokes that run from a horizontal rule to another: a rule. A character's stroke (十, 本)
    is as long as a short row is high, but it stands free inside its cell."""
    near = cv2.dilate(horiz, np.ones((5, 5), np.uint8))  # touching, give or take the light pixel where two rules meet
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        keep[i] = bool(near[y, x : x + w].any()) and bool(near[y + h - 1, x : x + w].any())
    return np.where(keep[labels], np.uint8(255), np.uint8(0))


def _table(horiz: Any, vert: Any, x0: int, y0: int) -> Table | None:
    """One table from its rules (the crops of the horizontal and vertical rule images)."""
    bh, bw = horiz.shape
    ys = _merge_close(_positions((horiz > 0).sum(axis=1), bw * 0.1), 4)
    xs = _merge_close(_positions((vert > 0).sum(axis=0), bh * 0.05), 4)
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def h_drawn(y: int, xa: int, xb: int) -> bool:  # is a horizontal rule drawn at y between xa and xb?
        band = horiz[max(0, y - 3) : y + 4, xa:xb]
        return bool(band.size) and float((band > 0).any(axis=0).mean()) >= DRAWN

    def v_drawn(x: int, ya: int, yb: int) -> bool:
        band = vert[ya:yb, max(0, x - 3) : x + 4]
        return bool(band.size) and float((band > 0).any(axis=1).mean()) >= DRAWN

    owner = [[-1] * nc for _ in range(nr)]
    cells: list[Cell] = []
    for r in range(nr):
        for c in range(nc):
            if owner[r][c] >= 0:
                continue
            # Extend right while no vertical rule separates, then down while no horizontal rule does.
            c1 = c
            while c1 + 1 < nc and not v_drawn(xs[c1 + 1], ys[r], ys[r + 1]):
                c1 += 1
            r1 = r
            while r1 + 1 < nr and not h_drawn(ys[r1 + 1], xs[c], xs[c1 + 1]) and all(owner[r1 + 1][k] < 0 for k in range(c, c1 + 1)):
                r1 += 1
            for rr in range(r, r1 + 1):
                for cc in range(c, c1 + 1):
                    owner[rr][cc] = len(cells)
            cells.append(Cell(r, c, r1 - r + 1, c1 - c + 1, (x0 + xs[c] + 3, y0 + ys[r] + 3, x0 + xs[c1 + 1] - 3, y0 + ys[r1 + 1] - 3)))
    return Table((x0, y0, x0 + bw, y0 + bh), [y0 + y for y in ys], [x0 + x for x in xs], cells)


def text_lines(ink: Any, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """The lines of text inside ``box`` (a cell): bands of rows with ink, each cut to its ink's width."""
    x0, y0, x1, y1 = box
    crop = ink[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    rows = (crop > 0).sum(axis=1)
    out: list[tuple[int, int, int, int]] = []
    start = -1
    for i, v in enumerate([*rows.tolist(), 0]):
        if v > 0 and start < 0:
            start = i
        elif v == 0 and start >= 0:
            if i - start >= 4:  # thinner is dust
                cols = np.flatnonzero((crop[start:i] > 0).any(axis=0))
                out.append((x0 + int(cols[0]), y0 + start, x0 + int(cols[-1]) + 1, y0 + i))
            start = -1
    return out
