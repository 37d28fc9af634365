"""The rendered mandated tables equal the official grids, cell by cell."""

from __future__ import annotations

import pytest
from docutils import nodes
from govreport.format.spec import load_spec
from govreport.model.csvload import load_table
from govreport.sphinxext.tables import build_table
from official_grids import GRIDS, SHAPES, Cell
from sample import SAMPLE


def cells_of(table: nodes.table) -> tuple[list[Cell], tuple[int, int]]:
    """``(row, col, rowspan, colspan, label or None)`` of every entry, placing
    each entry in the first free column of its row (as HTML and LaTeX do)."""
    tgroup = next(iter(table.findall(nodes.tgroup)))
    ncols = int(tgroup["cols"])
    rows = list(tgroup.findall(nodes.row))
    taken = [[False] * ncols for _ in rows]
    out: list[Cell] = []
    for r, row in enumerate(rows):
        c = 0
        for entry in row.children:
            while taken[r][c]:
                c += 1
            rs, cs = entry.get("morerows", 0) + 1, entry.get("morecols", 0) + 1
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    assert not taken[rr][cc], f"overlap at {(rr, cc)}"
                    taken[rr][cc] = True
            label = None if "gov-num" in entry["classes"] else entry.astext()
            out.append((r, c, rs, cs, label))
            c += cs
    assert all(all(line) for line in taken), "the grid has holes"
    return out, (len(rows), ncols)


@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_grid_equals_official(tid: str) -> None:
    spec = load_spec("2021").tables[tid]
    data, findings = load_table(SAMPLE / spec.file, spec, spec.file)
    assert findings == []
    cells, shape = cells_of(build_table(spec, data))
    assert shape == SHAPES[tid]
    assert sorted(cells) == sorted(GRIDS[tid])


@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_header_rows_and_stubs(tid: str) -> None:
    """表三 and 表四 have a table head (3 rows); 表二 repeats its headers in the body."""
    spec = load_spec("2021").tables[tid]
    data, _ = load_table(SAMPLE / spec.file, spec, spec.file)
    table = build_table(spec, data)
    heads = list(table.findall(nodes.thead))
    assert len(heads) == (0 if tid == "t2" else 1)
    if heads:
        assert len(list(heads[0].findall(nodes.row))) == 3
    labels = [e for e in table.findall(nodes.entry) if "gov-num" not in e["classes"]]
    assert all({"gov-head", "gov-stub"} & set(e["classes"]) for e in labels)
