"""Report folders that are not reports yet: tables in ``data/<agency>/<year>/`` without ``report.toml``.

``discover`` knows a report by its ``report.toml``; a folder with only CSVs would be passed over in
silence by ``make check``, ``make status`` and the site (issue 26). Each one is an F017 finding that
names the file to add. Pure: reads folder listings only.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..findings import Finding
from .report import SLUG


def missing_meta(root: Path, only: set[str] | None = None) -> dict[str, Finding]:
    """``"agency/year"`` -> its F017, for every ``data/<agency>/<year>/`` holding a .csv but no report.toml.
    ``only``: keys or agencies to look at (default: all)."""
    data = root / "data"
    out: dict[str, Finding] = {}
    if not data.is_dir():
        return out
    for agency in sorted(os.listdir(data)):
        adir = data / agency
        if not SLUG.match(agency) or not adir.is_dir():
            continue
        for year in sorted(os.listdir(adir)):
            ydir = adir / year
            key = f"{agency}/{year}"
            if not (year.isascii() and year.isdigit() and len(year) == 4) or not ydir.is_dir():
                continue
            if only is not None and key not in only and agency not in only:
                continue
            if os.path.lexists(ydir / "report.toml"):
                continue
            tables = sorted(p.name for p in ydir.iterdir() if p.suffix.lower() == ".csv")
            if not tables:
                continue
            rel = f"data/{key}/report.toml"
            out[key] = Finding.of("F017", rel, variant="many" if len(tables) > 5 else None, rel=rel, tables=tables[:5], agency=agency, year=year, expected="report.toml", found="、".join(tables[:5]))
    return out
