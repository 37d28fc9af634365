"""Which OCR-read numbers the table's relations confirm (pure: no OCR, no files).

Every relation of the spec (``specs/*.yaml``: 表三's ``balance``, ``results`` and ``row_total``,
表四's ``outcomes``), expanded over the columns or rows it applies to by ``checks.relations`` itself, is
evaluated on the numbers read. A relation whose every cell was read either holds (it confirms each of
its cells) or fails (it contradicts each of them). A number is written when a relation confirms it, or
when the engine was sure of it (``SURE``) and no relation contradicts it; otherwise it stays blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..checks.relations import relation_instances
from ..format.spec import FormatSpec

Cell = tuple[str, str, str]  # table, row, column

#: An engine's confidence at or above which a number no relation checks is written (measured: bench/ocr_engines.py).
SURE = 0.97


@dataclass
class Verdict:
    """What the relations say about one cell."""

    holds: list[str] = field(default_factory=list)  # names of the relations that confirm it
    fails: list[str] = field(default_factory=list)  # names of those that contradict it

    def accept(self, confidence: float) -> bool:
        return bool(self.holds) or (confidence >= SURE and not self.fails)


def verdicts(spec: FormatSpec, read: dict[Cell, Decimal]) -> dict[Cell, Verdict]:
    """Every read cell's verdict; a relation with a cell not read says nothing."""
    out = {k: Verdict() for k in read}
    for t in spec.tables.values():
        for rel in t.relations:
            for left, right, _, _ in relation_instances(t, rel):
                keys = [(t.id, r, c) for r, c in left + right]
                if not all(k in read for k in keys):
                    continue
                ok = sum((read[(t.id, r, c)] for r, c in left), Decimal(0)) == sum((read[(t.id, r, c)] for r, c in right), Decimal(0))
                for k in keys:
                    (out[k].holds if ok else out[k].fails).append(rel.name)
    return out
