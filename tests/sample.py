"""Where the tests find the frozen sample report (tests/roots/test-sample)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ROOT = REPO / "tests" / "roots" / "test-sample"
AGENCY, YEAR = "xiangshan", "2021"
SAMPLE = SAMPLE_ROOT / "data" / AGENCY / YEAR
PAGE = SAMPLE_ROOT / "docs" / AGENCY / f"{YEAR}.md"
