"""Split a run of digits into a row's cells using the form's own relations.

Flattened page text runs a row's cells together (``15130000154`` for
151 | 3 | 0 | 0 | 0 | 0 | 154). A split is taken only when it is the only one
that reads every cell as a number (no leading zeros) and satisfies the row's
relations (the six applicant columns sum to 总计; each 表四 group sums to its
总计); otherwise the caller leaves the row blank and shows the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..format.spec import TableSpec
from ..model.cells import MAX_DIGITS

#: Stop enumerating after this many splits: the row is ambiguous anyway.
LIMIT = 200

# A cell has at most MAX_DIGITS digits before the point (the check's F015): a longer piece is no number.
_MORE = f"\\d{{0,{MAX_DIGITS - 1}}}"
_COUNT = re.compile(f"0|[1-9]{_MORE}")
_AMOUNT = re.compile(f"(?:0|[1-9]{_MORE})(?:\\.\\d+)?")
_SIGNED = re.compile(f"0|-?[1-9]{_MORE}")


@dataclass(frozen=True)
class RowShape:
    """The cells of one row: how many, which may be decimal, and its sums
    ``(left cell indexes, right cell indexes)``."""

    n: int
    decimal: tuple[bool, ...]
    sums: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = ()
    signed: tuple[bool, ...] = ()  # cells that may be negative (2019 表二's ``change`` column, unit ``signed``): "-2" starts such a cell


def shape(t: TableSpec, rid: str) -> RowShape:
    """The shape of a row of the spec, with its row relations."""
    cols = t.rows[rid].cols
    sums = []
    for rel in t.relations:
        if rel.each == "row" and all(c in cols for c in (*rel.left, *rel.right)):
            sums.append((tuple(cols.index(c) for c in rel.left), tuple(cols.index(c) for c in rel.right)))
    return RowShape(len(cols), tuple(t.unit(c) == "wan_yuan" for c in cols), tuple(sums), tuple(t.unit(c) == "signed" for c in cols))


def _ok(part: str, decimal: bool, signed: bool = False) -> bool:
    return bool((_SIGNED if signed else _AMOUNT if decimal else _COUNT).fullmatch(part))


def _holds(values: Sequence[Decimal], sums: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]) -> bool:
    return all(sum((values[i] for i in left), Decimal(0)) == sum((values[i] for i in right), Decimal(0)) for left, right in sums)


def _total_last(row: RowShape) -> bool:
    """Is the last cell the sum of all the others (and a whole number)?"""
    n = row.n
    return n > 1 and not row.decimal[-1] and any(right == (n - 1,) and sorted(left) == list(range(n - 1)) for left, right in row.sums)


def _row_splits(s: str, start: int, row: RowShape, cuts: frozenset[int], last_row: bool) -> Iterator[tuple[list[str], int]]:
    """Every ``(cells, end)`` reading ``s[start:end]`` as the row's numbers with
    its sums holding (``end == len(s)`` for the last row). ``cuts``: positions
    where the source had a space between digits; a cell never spans one."""
    n, size = row.n, len(s)
    forced = _total_last(row)
    parts: list[str] = []

    def spans_cut(i: int, j: int) -> bool:
        return any(i < c < j for c in cuts)

    def go(i: int, k: int, total: int) -> Iterator[tuple[list[str], int]]:
        if forced and k == n - 1:
            t = str(total)
            j = i + len(t)
            if s.startswith(t, i) and not spans_cut(i, j) and (j == size or not last_row):
                yield [*parts, t], j
            return
        if k == n:
            if (i == size or not last_row) and _holds([Decimal(p) for p in parts], row.sums):
                yield list(parts), i
            return
        rest = n - k - 1  # cells still to come after this one
        for j in range(i + 1, size - rest + 1):
            if spans_cut(i, j):
                break
            p = s[i:j]
            signed = bool(row.signed) and row.signed[k]
            if not _ok(p, row.decimal[k], signed):
                if (p[0] == "0" and len(p) > 1) or ("-" in p[1:]) or ("-" in p and not signed):
                    break  # a minus sign only opens a signed cell
                continue
            if forced and size - j < len(str(total + int(p))) + rest - 1:
                break  # no room left for the total
            parts.append(p)
            yield from go(j, k + 1, total + (int(p) if forced else 0))
            parts.pop()

    yield from go(start, 0, 0)


def splits(run: str, rows: Sequence[RowShape], limit: int = LIMIT) -> list[list[list[str]]]:
    """Every way (at most ``limit``) to read ``run`` as the cells of ``rows``
    one after another. A space in ``run`` is a boundary no cell spans."""
    s = ""
    cuts: set[int] = set()
    for ch in run:
        if ch.isspace():
            if s:
                cuts.add(len(s))
        else:
            s += ch
    frozen = frozenset(cuts)
    out: list[list[list[str]]] = []

    def go(i: int, r: int, acc: list[list[str]]) -> None:
        if r == len(rows):
            if i == len(s):
                out.append(list(acc))
            return
        for cells, end in _row_splits(s, i, rows[r], frozen, r == len(rows) - 1):
            acc.append(cells)
            go(end, r + 1, acc)
            acc.pop()
            if len(out) >= limit:
                return

    go(0, 0, [])
    return out
