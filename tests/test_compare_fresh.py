"""The comparison page's CSV is made when the page is read (issue 20's benchmark): the page is read
again when a file its reports read appears later, so the CSV is never older than the data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from docxtools import ROOT, copy_of_test_root


def _build(src: Path, out: Path) -> None:
    """``sphinx-build -b html``; the district's deliberate errors end it with an error, after the output is written."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "ext"), str(ROOT)]))
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out / "html"), "-d", str(out / "dt")],
                   check=False, env=env, capture_output=True)
    assert (out / "html" / "opendata").is_dir()


def _row(csv: Path, agency: str) -> list[str]:
    return next(line.split(",") for line in csv.read_text(encoding="utf-8-sig").splitlines() if f",{agency}," in line)


def test_a_table_added_later_refreshes_the_comparison_csv(tmp_path: Path) -> None:
    src = copy_of_test_root(ROOT / "tests" / "roots" / "test-district", tmp_path / "site")
    table = src / "data" / "jiaoyu" / "2023" / "table4.csv"
    kept = tmp_path / "table4.csv"
    shutil.move(table, kept)
    _build(src, tmp_path / "out")
    csv = tmp_path / "out" / "html" / "opendata" / "compare-2023.csv"
    without = _row(csv, "jiaoyu")
    shutil.move(kept, table)
    _build(src, tmp_path / "out")
    with_table = _row(csv, "jiaoyu")
    assert with_table != without
    fresh = tmp_path / "fresh"
    _build(src, fresh)  # what a clean build makes of the same data
    assert csv.read_bytes() == (fresh / "html" / "opendata" / "compare-2023.csv").read_bytes()
