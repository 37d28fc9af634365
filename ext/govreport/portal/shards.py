"""Shards of a site, stable by agency (issue 22).

``make site SHARD=k/N`` builds the reports of shard *k* of *N*. An agency's
shard is a hash of its slug, so it never moves when other agencies come or go
or when a number changes: a change to one agency touches one shard, and a
report's neighbours that its page and checks read (last year's report) are in
the same shard.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

#: What a shard's HTML build leaves beside its pages (``sphinxext/shard.py``): every page it built (its
#: agencies' and the index, which is not handed over) and why each report among them is a draft; the
#: drafts joined by ``make site-assemble`` for the site-wide build.
PAGES = "govreport-pages.json"

_SPEC = re.compile(r"^\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def name(self) -> str:
        """The shard's folder and artifact name: ``shard-k``."""
        return f"shard-{self.index}"

    def has(self, agency: str) -> bool:
        return shard_of(agency, self.count) == self.index


def parse(text: str) -> Shard:
    """``"k/N"`` with 1 ≤ k ≤ N ≤ 1000; ValueError (in Chinese) otherwise."""
    m = _SPEC.match(text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)) <= 1000:
        raise ValueError(f"分片应写成 k/N（1 ≤ k ≤ N ≤ 1000），例如 SHARD=2/4；现在是“{text}”")
    return Shard(int(m.group(1)), int(m.group(2)))


def shard_of(agency: str, count: int) -> int:
    """The 1-based shard of an agency's slug among ``count``."""
    digest = hashlib.sha256(agency.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1
