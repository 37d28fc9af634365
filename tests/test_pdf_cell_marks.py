"""A table cell that carries a page mark (\\govmark, for the centring of merged
labels) sits on the same baseline as the numbers of its row.

The mark is a \\label; set before the cell's paragraph it was the first item
of the cell's top-aligned box, which then hung from the mark instead of from
the text's first line: （七）总计 stood 6.9 pt below its numbers.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_pdf_grid import build_pdf

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.mark.slow
def test_marked_label_on_the_baseline_of_its_row(tmp_path: Path) -> None:
    pdf = build_pdf("test-pdfgrid", tmp_path)
    words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
             WORD.findall(subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)]
    label = next(w for w in words if w[4] == "（七）总计")
    # the numbers of that row: digits to the right of the label, the nearest line
    numbers = [w for w in words if w[4].isdigit() and w[0] > label[2] and abs(w[3] - label[3]) < 12]
    assert numbers, "no numbers beside （七）总计"
    nearest = min(numbers, key=lambda w: abs(w[3] - label[3]))
    assert abs(nearest[3] - label[3]) < 1.5, f"（七）总计 {label[3] - nearest[3]:.1f} pt below its numbers"
