"""Where a table's rules are, from the PDF rendered to pixels (pdftoppm), for tests.

pdftotext gives the text boxes but not the lines drawn around the cells; a
vertical rule is found as the first column of dark pixels right of a text box
that stays dark over the box's whole height (a glyph would not).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from govreport.edition.pdfgeom import Line

DPI = 288
SCALE = DPI / 72  # pixels per bp
DARK = 128


@dataclass
class Raster:
    """One page in grey, 0 = black."""

    width: int
    height: int
    pixels: bytes

    def dark(self, x: int, y: int) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height and self.pixels[y * self.width + x] < DARK


def render(pdf: Path, page: int) -> Raster:
    """Page ``page`` (1-based) of ``pdf`` as a grey raster at :data:`DPI`."""
    out = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-gray", str(pdf)],
                         capture_output=True, check=True).stdout
    magic, width, height, maxval, pixels = out.split(maxsplit=4)  # binary PGM: P5 W H 255, one whitespace, then the bytes
    assert magic == b"P5" and maxval == b"255", out[:20]
    return Raster(int(width), int(height), pixels[: int(width) * int(height)])


def rule_right_of(raster: Raster, line: Line, reach: float = 30.0) -> float | None:
    """x (bp) of the vertical rule right of ``line`` within ``reach`` bp, None if there is none."""
    top, bottom = round(line.y0 * SCALE), round(line.y1 * SCALE)
    for x in range(round(line.x1 * SCALE) + 1, round((line.x1 + reach) * SCALE)):
        if all(raster.dark(x, y) for y in range(top, bottom + 1)):
            return x / SCALE
    return None


def rule_under(raster: Raster, line: Line, reach: float = 30.0, least: float = 100.0) -> tuple[float, float] | None:
    """x from and to (bp) of the first horizontal rule below ``line`` within ``reach`` bp
    that is at least ``least`` bp long; None if there is none."""
    for y in range(round(line.y1 * SCALE) + 1, round((line.y1 + reach) * SCALE)):
        xs = [x for x in range(raster.width) if raster.dark(x, y)]
        if xs and (xs[-1] - xs[0]) / SCALE >= least and len(xs) > 0.95 * (xs[-1] - xs[0] + 1):
            return xs[0] / SCALE, xs[-1] / SCALE
    return None
