"""Measure a built PDF from its own text positions (``pdftotext -bbox-layout``).

Used by the tests and for the figures in notes: lines per page, characters per
line, the type-area margins, where the page number sits, and how much of each
page is left empty. Run ``python -m govreport.edition.pdfgeom file.pdf`` for a table.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4  # bp per mm
NS = "{http://www.w3.org/1999/xhtml}"
#: A4, in bp.
PAPER = (210 * MM, 297 * MM)
#: GB/T 9704 type area on A4, in bp: left 28 mm, top 37 mm, 156 mm × 225 mm.
AREA = (28 * MM, 37 * MM, (28 + 156) * MM, (37 + 225) * MM)
#: The type area holds 22 lines of 28 characters of 3号 (16 bp) type (GB/T 9704 5.2.2).
LINES, CHARS = 22, 28
#: Type sizes (bp): body 3号, title 2号, page number 4号.
BODY, TITLE, FOLIO = 16.0, 22.0, 14.0
#: The page number's 一字线 stands 7 mm below the type area (GB/T 9704 7.5).
FOLIO_GAP = 7 * MM
_PAGE_NUMBER = re.compile(r"^\d+$")


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    @property
    def body(self) -> list[Line]:
        """Lines inside the type area (the page number is below it)."""
        return [ln for ln in self.lines if ln.y1 <= AREA[3] + 2]

    @property
    def folio(self) -> Line | None:
        """The page number: digits alone on a line below the type area."""
        below = [ln for ln in self.lines if ln.y0 > AREA[3] and _PAGE_NUMBER.match(ln.text)]
        return below[0] if below else None

    def empty_bottom(self) -> float:
        """Fraction of the type area's height left empty below the last line."""
        body = self.body
        if not body:
            return 1.0
        return max(0.0, (AREA[3] - max(ln.y1 for ln in body)) / (AREA[3] - AREA[1]))


def read(pdf: Path) -> list[Page]:
    """Every page's text lines with their boxes (bp, origin top left)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    # pdftotext writes XHTML; the document type declaration is not needed to parse it.
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out))
    pages = []
    for i, page in enumerate(root.iter(f"{NS}page"), start=1):
        p = Page(i, float(page.get("width", 0)), float(page.get("height", 0)))
        for line in page.iter(f"{NS}line"):
            words = ["".join(w.itertext()) for w in line.iter(f"{NS}word")]
            x0, y0, x1, y1 = (float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax"))
            p.lines.append(Line(x0, y0, x1, y1, "".join(words)))
        pages.append(p)
    return pages


def rows(page: Page, tolerance: float = 3.0) -> list[list[Line]]:
    """Body lines grouped by vertical position (pdftotext may split one row into several lines)."""
    out: list[list[Line]] = []
    for ln in sorted(page.body, key=lambda ln: ln.middle):
        if out and abs(out[-1][0].middle - ln.middle) <= tolerance:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")


def summary(pages: list[Page]) -> list[dict[str, float | int | str]]:
    """One row of figures per page."""
    out: list[dict[str, float | int | str]] = []
    for p in pages:
        r = rows(p)
        folio = p.folio
        body = p.body
        out.append({
            "page": p.number,
            "rows": len(r),
            "top_mm": round(min((ln.y0 for ln in body), default=0) / MM, 1),
            "left_mm": round(min((ln.x0 for ln in body), default=0) / MM, 1),
            "right_mm": round(max((ln.x1 for ln in body), default=0) / MM, 1),
            "empty_bottom": round(p.empty_bottom(), 2),
            "folio_below_mm": round((folio.middle - AREA[3]) / MM, 1) if folio else -1,
            "folio": folio.text if folio else "",
        })
    return out


def main(argv: list[str]) -> int:
    for name in argv:
        pages = read(Path(name))
        print(f"{name}: {len(pages)} 页")
        for row in summary(pages):
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
