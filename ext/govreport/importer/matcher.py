"""The table matcher of the structured forms (a saved page, a .docx, a spreadsheet, a Markdown table).

A structured form hands over its tables as grid rows: cells by grid column with their spans
(``model.GridRow``). ``tables.find_tables`` finds each mandated table's region from those rows' cells (the
spec's ``anchors``, what each cell holds: ``tables._Rows``), and the matcher reads it from them, by the format
spec rather than by counting fields:

1. the rows' cells are expanded into a full matrix (a colspan repeats its cell to the right, a rowspan
   downwards), so every header column has its whole header;
2. each header row names the columns under it: a header cell whose text is a column's label (normalised:
   full-width brackets, spaces) gives its grid columns that column id, and a row label in the header
   (t4's rows ``review``, ``suit_direct``) the row id;
3. each body row's stub cells (the columns no header names) are matched to a row id by the importer's
   own label matching (``tables._classify``: exact, a variant, a near miss), its data cells are read by
   their column id with the shared cell parser (``model.cells.read_cell``, through ``_Reader.cell``), and
   every note is the one the line reader gives for the same thing.

What it cannot place without guessing it hands back with a reason (``Parsed.routes`` shows it), and the
line reader reads that table from the row's fields as before: a row of numbers with no label, an unknown
row where official rows are missing (the line reader places such rows by position), another format
version's labels (2019's 表二 columns), a number outside the header's columns or a header that does not name
a row's columns (a Markdown table a converter tore from its header), a label broken over rows.
"""

from __future__ import annotations

import itertools
import re

from ..format.labels import normalise_label
from ..format.spec import TableSpec
from ..model.cells import is_value
from .model import LEGACY_OTHER, GridRow, Label, Line, Tok, data_fields
from .shapes import HEAD
from .tables import _classify, _data_toks, _Known, _known, _Reader, _TableRead, finish_t3

_FIRST_ROW = re.compile(r"^一\s*[、.．]")  # 表三 is read from its first row on (``tables._read_t3``)


def _clean(s: str) -> str:
    return s.strip(" \u3000\u00a0")


def matrix(rows: list[GridRow]) -> list[list[str]]:
    """Every grid position's text: a merged cell's text repeated over the columns and rows it spans."""
    width = max((max([*r.cells, *r.spanned, *r.covered], default=-1) + 1 for r in rows), default=0)
    out: list[list[str]] = []
    for i, row in enumerate(rows):
        line = [""] * width
        for j in range(width):
            own = _clean(row.cells.get(j, ""))
            if j in row.covered and i > 0 and not own:
                line[j] = out[-1][j]
            elif j in row.spanned and j > 0 and not own:
                line[j] = line[j - 1]
            else:
                line[j] = own
        out.append(line)
    return out


def _tok(no: int, j: int, text: str) -> Tok:
    kind = "blank" if not text else "value" if is_value(text) else "label"
    return Tok(no, j * 10.0, j * 10.0 + 1, text, kind)


class Unplaced(Exception):
    """The matcher cannot place the table without guessing: the line reader reads it (the reason is kept)."""


class Matcher:
    """Reads a mandated table's region from the grid rows of a structured form (``tables.Place``)."""

    def __init__(self, cells: dict[int, GridRow]) -> None:
        self.cells = cells  # source line -> its grid row

    def __call__(self, r: _Reader, region: list[Line]) -> _TableRead | str | None:
        if not any(ln.no in self.cells for ln in region):
            return None  # a table in the text between the grids: the line reader's
        rows: list[tuple[int, GridRow]] = []
        for ln in region:
            if ln.no in self.cells:
                rows.append((ln.no, self.cells[ln.no]))
                continue
            text = _clean(ln.raw)
            if any(is_value(w) for w in text.split()):
                return "a line of text with numbers inside the table"
            if text and not ln.loose:  # a block title a spreadsheet keeps as a line of text: a row of one cell
                rows.append((ln.no, GridRow(ln.no, {0: text})))
        try:
            return match(r, rows)
        except Unplaced as why:
            return str(why)


def match(r: _Reader, rows: list[tuple[int, GridRow]]) -> _TableRead:
    """Read table ``r.t`` from its grid rows (source line, row); raises ``Unplaced`` for what it cannot place.
    Nothing is written to ``r`` (values, notes) before the whole table is placed."""
    t = r.t
    known = _known(t, r.spec.version)
    cols = {normalise_label(c.label): c.id for c in t.columns.values()}
    m = matrix([row for _, row in rows])
    spanless = not any(row.spanned or row.covered for _, row in rows)  # a pipe table: a group's header cell is followed by blanks
    leaf: dict[int, str | None] = {}  # grid column -> the column id its header names
    parent: dict[int, str] = {}  # grid column -> the row id its header names (表四)
    data_rows: list[tuple[int, Label | None, dict[int, str], GridRow, dict[int, str | None]]] = []  # line, its label, data cells by grid column
    label_rows: list[tuple[int, Label]] = []  # rows with a row's label and no number
    unknown_lines: list[int] = []
    started = t.id != "t3"
    for (no, row), full in zip(rows, m, strict=True):
        own = {j: _clean(x) for j, x in row.cells.items() if j not in row.covered and _clean(x)}
        if not any(is_value(x) for x in own.values()):
            names = [normalise_label(x) for x in full]
            if spanless:  # a group's header (t4's ``review``, t3's group of organisations) covers the blanks after it; a column's never does
                for j in range(1, len(names)):
                    if not names[j] and names[j - 1] and names[j - 1] not in cols:
                        names[j] = names[j - 1]
            if any(n in cols for n in names):  # a header row: it names the columns below it
                for j, n in enumerate(names):
                    if n in cols:
                        leaf[j] = cols[n]
                    elif n:
                        leaf[j] = None
            if not any(n in cols for n in names) or t.id == "t4":
                for j, n in enumerate(names):
                    if n in known.rows:
                        parent[j] = known.rows[n]
            if not any(n in cols for n in names):
                if any(normalise_label(x) in known.legacy for x in own.values()):
                    raise Unplaced("another format version's rows")
                found = _row_label(own, no, known, t)
                if found is not None and found.kind == "row" and started:
                    label_rows.append((no, found))
                elif found is not None and found.kind == "unknown":
                    unknown_lines.append(no)
                started = started or any(_FIRST_ROW.match(x) for x in own.values())
            continue
        if t.id == "t4":
            data_rows.append((no, None, own, row, dict(leaf)))
            break
        stub = {j: x for j, x in own.items() if leaf.get(j) is None}
        data = {j: x for j, x in own.items() if leaf.get(j) is not None}
        if any(is_value(x) for x in stub.values()):
            raise Unplaced("a number outside the columns its header names")
        if any(not is_value(x) and (normalise_label(x) in known.all() or HEAD.match(x)) for x in data.values()):
            raise Unplaced("a label in a column its header names")
        if any(normalise_label(x) in known.legacy for x in stub.values()):
            raise Unplaced("another format version's rows")
        started = started or any(_FIRST_ROW.match(x) for x in stub.values())
        if not started:
            raise Unplaced("numbers before 表三's first row")
        found = _row_label(stub, no, known, t)
        if found is None:
            raise Unplaced("a row of numbers without a label")
        if found.kind == "unknown":
            unknown_lines.append(no)
        data_rows.append((no, found, data, row, dict(leaf)))
    if any(0 < b - a <= 4 for a, b in itertools.pairwise(unknown_lines)):
        raise Unplaced("unknown labels on nearby rows (a label broken over rows)")
    if t.id == "t4":
        return _t4(r, data_rows, leaf, parent)
    if not started:
        raise Unplaced("no first row (一、) in 表三")
    if not data_rows and not label_rows:
        raise Unplaced("no row of the table")
    return _body(r, data_rows, label_rows)


def _labels(cells: dict[int, str], no: int, known: _Known, t: TableSpec) -> list[Label]:
    """Each label cell as a label, classified."""
    out = []
    for j, x in sorted(cells.items()):
        lb = Label(j * 10.0, no, no, j * 10.0, [x])
        _classify(lb, known, t)
        out.append(lb)
    return out


def _row_label(stub: dict[int, str], no: int, known: _Known, t: TableSpec) -> Label | None:
    """The label of a body row: its rightmost cell that names a row (a group's cell, t3's block of outcomes, stands
    to its left), else its cells joined (a label split over two cells), else its rightmost unknown cell."""
    if not stub:
        return None
    labels = _labels(stub, no, known, t)
    rows = [lb for lb in labels if lb.kind == "row"]
    if rows:
        return rows[-1]
    if len(labels) > 1:
        joined = Label(labels[0].x, no, no, labels[-1].x, [lb.text for lb in labels])
        _classify(joined, known, t)
        if joined.kind == "row":
            return joined
    unknown = [lb for lb in labels if lb.kind == "unknown"]
    if unknown:
        return unknown[-1]
    legacy = [lb for lb in labels if lb.kind == LEGACY_OTHER]
    return legacy[-1] if legacy else Label(labels[0].x, no, no, labels[0].x, [], "known")


def _columns(j: int, row: GridRow, leaf: dict[int, str | None]) -> set[str]:
    """The column ids a data cell at grid column ``j`` lies under (a merged cell: every column it spans)."""
    span = [j]
    while span[-1] + 1 in row.spanned:
        span.append(span[-1] + 1)
    return {c for k in span if (c := leaf.get(k)) is not None}


def _body(r: _Reader, data_rows: list[tuple[int, Label | None, dict[int, str], GridRow, dict[int, str | None]]],
          label_rows: list[tuple[int, Label]]) -> _TableRead:
    """表二 and 表三: each row by its label, each number by its column; then the notes, in the line reader's order."""
    t = r.t
    order = list(t.rows)
    known_rows = [(no, lb) for no, lb, _, _, _ in data_rows if lb is not None and lb.kind == "row"]
    rids = [lb.rid for _, lb in known_rows]
    if len(set(rids)) != len(rids):
        raise Unplaced("a row repeated")
    taken = set(rids)
    older = [(no, lb, row) for no, lb, _, row, _ in data_rows if lb is not None and lb.kind == LEGACY_OTHER]
    if len(older) > 1:
        raise Unplaced("a row of an older version repeated")
    seq = [(no, lb) for no, lb, _, _, _ in data_rows if lb is not None and lb.kind in ("row", "unknown", LEGACY_OTHER)]
    unknown_notes: list[tuple[int, str]] = []
    for i, (no, lb) in enumerate(seq):
        if lb.kind != "unknown":
            continue
        prev = next((x.rid for _, x in reversed(seq[:i]) if x.rid in order), None)
        nxt = next((x.rid for _, x in seq[i + 1 :] if x.rid in order), None)
        lo = order.index(prev) + 1 if prev else 0
        hi = order.index(nxt) if nxt else len(order)
        if any(x not in taken for x in order[lo:hi]):
            raise Unplaced("an unknown row where official rows are missing (placed by position as text)")
        unknown_notes.append((no, f"{t.title}中无法识别的行“{lb.text}”，这一行的数字未导入"))
    cells: list[tuple[str, int, list[Tok | None]]] = []
    for no, label, data, row, leaf in data_rows:
        if label is None or label.rid not in t.rows:
            continue  # unknown, or an older version's row (not read: ``finish_t3``)
        rid = label.rid
        want = t.rows[rid].cols
        if not set(want) <= {c for c in leaf.values() if c is not None}:
            raise Unplaced(f"a column of row {rid} that no header names")
        got: dict[str, Tok] = {}
        for j, x in sorted(data.items()):
            under = _columns(j, row, leaf)
            if len(under) != 1 or next(iter(under)) not in want:
                raise Unplaced(f"a cell of row {rid} not under one of its columns")
            col = next(iter(under))
            if col in got:
                raise Unplaced(f"two cells of row {rid} under one column")
            got[col] = _tok(no, j, x)
        cells.append((rid, no, [got.get(c) for c in want]))
    # Placed: now the notes and values, as ``_Reader.read_rows`` gives them.
    for no, msg in unknown_notes:
        r.note(no, msg)
    rows = {lb.rid: lb for _, lb in seq if lb.rid is not None}
    r._report_labels(rows)
    for rid, no, toks in cells:
        for col, tok in zip(t.rows[rid].cols, toks, strict=True):
            r.cell(rid, col, tok, no)
    for no, lb in label_rows:
        if lb.rid in t.rows and lb.rid not in rows:
            r.note(no, f"{t.title}“{t.rows[lb.rid].label}”行没有读到数字，这一行留空")
            rows[lb.rid] = lb
    end = max([*(no for _, no, _ in cells), *(no for no, _, _ in older), *(lb.last for lb in rows.values())])
    if t.id == "t3":
        for no, _, row in older:  # its numbers as the line reader shows them in its note: the row's fields after its label
            r.rowline[LEGACY_OTHER] = no
            r.data[no] = _data_toks([_tok(no, j, _clean(x)) for j, x in enumerate(data_fields(row.cells, row.spanned))],
                                    "web", 0.0, _known(t, r.spec.version))
        return finish_t3(r, rows, end)
    if older:
        raise Unplaced("an older version's row")
    r.report_missing(rows, set())
    return _TableRead(r.values, end)


def _t4(r: _Reader, data_rows: list[tuple[int, Label | None, dict[int, str], GridRow, dict[int, str | None]]],
        leaf: dict[int, str | None], parent: dict[int, str]) -> _TableRead:
    """表四: one row of numbers, each under its row's header (``review`` …) and its column's (``upheld`` …)."""
    t = r.t
    if not data_rows:
        raise Unplaced("no row of numbers")
    no, _, data, row, _ = data_rows[0]
    if any(not is_value(x) for x in data.values()):
        raise Unplaced("a word in the row of numbers")
    got: dict[tuple[str, str], Tok] = {}
    for j, x in sorted(data.items()):
        under = _columns(j, row, leaf)
        key = (parent.get(j, ""), next(iter(under))) if len(under) == 1 else None
        if key is None or key not in t.keys() or key in got:
            raise Unplaced("a number not under one column of its header")
        got[key] = _tok(no, j, x)
    heads = {(parent.get(j, ""), c) for j, c in leaf.items() if c is not None}
    if not set(t.keys()) <= heads:
        raise Unplaced("a column of the table that no header names")
    for rid, col in t.keys():
        r.cell(rid, col, got.get((rid, col)), no)
    return _TableRead(r.values, no)
