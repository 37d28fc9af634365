"""Everything a province's pages need: its members read and checked, and their totals by year."""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ...findings import Finding, sort_key
from .config import federation
from .rows import District, load
from .sums import Total, district_total, province_total

#: Members read at once (web reads wait on the network, not on this machine).
READERS = 4


@dataclass
class Province:
    title: str
    districts: list[District] = field(default_factory=list)
    config_findings: list[Finding] = field(default_factory=list)
    declared: bool = False  # portal.toml has a [federation]

    @property
    def findings(self) -> list[Finding]:
        return self.config_findings + sorted((f for d in self.districts for f in d.findings), key=sort_key)

    @property
    def years(self) -> list[int]:
        return sorted({y for d in self.districts for y in d.years}, reverse=True)

    @functools.cached_property
    def _totals(self) -> dict[int, tuple[list[Total], Total]]:
        out = {}
        for y in self.years:
            parts = [district_total(d, y) for d in self.districts]
            out[y] = (parts, province_total(parts, y))
        return out

    def totals(self, year: int) -> tuple[list[Total], Total]:
        """Each district's total of ``year`` (in portal.toml's order) and the province's."""
        return self._totals.get(year) or ([district_total(d, year) for d in self.districts], Total("合计", year))


def load_province(root: Path) -> Province:
    """Read every member portal.toml names (none: an empty, undeclared province)."""
    fed = federation(root)
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        districts = list(pool.map(lambda m: load(root, m), fed.members))
    return Province(fed.title, districts, list(fed.findings), fed.declared)
