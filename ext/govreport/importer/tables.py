"""Find 表二, 表三 and 表四 in the lines of a source and read every cell (``core`` step 3).

A cell that cannot be read is left blank and reported with its source line; a
label that differs from the official text is matched to it (exactly, as a
variant, by similarity or by position) and reported; another format version's
columns are refused, never read into this one's.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..format.labels import describe_variant, normalise_label, similarity
from ..format.spec import FormatSpec, TableSpec
from ..model.cells import is_numeric as _is_numeric
from ..model.cells import is_value as _is_value
from ..model.cells import read_cell
from .formats import foreign_labels, layout_note, legacy_row_labels, split_rows, version_with_row
from .model import LEGACY_OTHER, GridRow, Label, Line, Note, Tok, Values, data_fields
from .shapes import HEAD, compact

_CHUNK = re.compile(r"\S+(?: \S+)*")


def _tokens(ln: Line, mode: str) -> list[Tok]:
    """The cells of a table line (tab-separated) or its space-aligned fragments."""
    out: list[Tok] = []
    if mode == "web":
        for j, cell in enumerate(ln.raw.split("\t")):
            s = cell.strip(" \u3000\u00a0")
            kind = "blank" if not s else "value" if _is_value(s) else "label"
            out.append(Tok(ln.no, j * 10.0, j * 10.0 + 1, s, kind))
        return out
    for m in _CHUNK.finditer(ln.raw):
        start: int | None = None
        end = 0
        for sm in re.finditer(r"\S+", m.group()):
            x = m.start() + sm.start()
            if _is_value(sm.group()):
                if start is not None:
                    out.append(Tok(ln.no, start, end, ln.raw[start:end], "label"))
                    start = None
                out.append(Tok(ln.no, x, x + len(sm.group()), sm.group(), "value"))
            else:
                if start is not None and HEAD.match(sm.group()):  # "（四）无 1.本机关…": two labels
                    out.append(Tok(ln.no, start, end, ln.raw[start:end], "label"))
                    start = None
                start = x if start is None else start
                end = x + len(sm.group())
        if start is not None:
            out.append(Tok(ln.no, start, end, ln.raw[start:end], "label"))
    return out


def _is_prose(ln: Line) -> bool:
    """A line of narrative (table labels never end a sentence)."""
    if "\t" in ln.raw.strip():
        return False
    return _is_prose_text(ln.raw.strip())


def _is_prose_text(s: str) -> bool:
    """Text of one field (a line, or a row with one filled cell) that is narrative."""
    if compact(s).lstrip("（(").startswith("本列数据"):
        return False
    if "。" in s:
        return True
    if sum(1 for w in s.split() if _is_numeric(w)) >= 3:  # a table row in text without layout
        return False
    return not re.search(r"\S {2,}\S", s) and len(compact(s)) >= 30


def _starts_table(t: TableSpec, ln: Line) -> bool:
    """Is this the first line of the table (its block title or header: the spec's ``anchors.line``)?"""
    if ln.role != "text" or _is_prose(ln):
        return False
    first = next(iter(ln.raw.split()), "")
    return any(re.match(p, first) for p in t.anchors.line)


class _Rows:
    """Where a structured form's tables are, read from its grid rows (``GridRow``) rather than from their lines:
    a row begins a mandated table when its first word matches the spec's ``anchors.line``, and what it holds
    (a number, a label; narrative only when one cell is filled) decides where the table ends. Lines that are
    no grid row (the text between a form's tables, and every line of a text form) are read as text."""

    def __init__(self, rows: Mapping[int, GridRow] | None) -> None:
        self.rows = rows or {}

    def fields(self, ln: Line) -> list[str] | None:
        """The row's cells in column order (``data_fields``), None for a line of text."""
        row = self.rows.get(ln.no)
        if row is None:
            return None
        return [f.replace("\r", " ").replace("\n", " ").replace("\f", " ") for f in data_fields(row.cells, row.spanned)]

    def prose(self, ln: Line) -> bool:
        """A line of narrative: a row is, only when one cell is filled and it reads as a sentence."""
        fields = self.fields(ln)
        if fields is None:
            return _is_prose(ln)
        filled = [f for f in fields if f.strip()]
        return len(filled) == 1 and _is_prose_text(filled[0].strip())

    def starts(self, t: TableSpec, ln: Line) -> bool:
        """Does this line or row begin table ``t`` (``_starts_table``)?"""
        fields = self.fields(ln)
        if fields is None:
            return _starts_table(t, ln)
        if ln.role != "text" or self.prose(ln):
            return False
        first = next(iter(" ".join(fields).split()), "")
        return any(re.match(p, first) for p in t.anchors.line)

    def kinds(self, ln: Line, mode: str) -> set[str]:
        """What the line or row holds: ``value``, ``label`` (``_tokens``' kinds)."""
        fields = self.fields(ln)
        if fields is None:
            return {tk.kind for tk in _tokens(ln, mode)}
        cells = [f.strip(" \u3000\u00a0") for f in fields]
        return {"blank" if not c else "value" if _is_value(c) else "label" for c in cells}


@dataclass
class _Known:
    """The labels of one table: rows, and every other label of its form."""

    rows: dict[str, str]  # normalised -> row id
    other: set[str]  # normalised block titles, headers, group labels
    legacy: dict[str, str]  # normalised labels of another format version -> that version
    legacy_rows: frozenset[str] = frozenset()  # normalised rows of an older version this one split (2019's t3 ``other``)

    def all(self) -> set[str]:
        return set(self.rows) | self.other | set(self.legacy) | self.legacy_rows


def _known(t: TableSpec, version: str = "") -> _Known:
    """Every label of a table's form, from the format spec."""
    rows = {normalise_label(r.label): r.id for r in t.rows.values()}
    other = {normalise_label(c.text) for row in t.grid for c in row if c.kind in ("h", "s")} - set(rows)
    other |= {normalise_label(t.stub), *(normalise_label(c.label) for c in t.columns.values()), *(normalise_label(x) for x in t.titles)}
    legacy = {k: v for k, v in foreign_labels(version, t).items() if k not in rows and k not in other}
    return _Known(rows, other, legacy, legacy_row_labels(t))


def _attach(label: Label, frag: str, known: _Known) -> bool:
    """Does ``frag`` continue ``label`` (a label broken across lines or cells)?"""
    every = known.all()
    joined = normalise_label(label.text + frag)
    if any(k.startswith(joined) for k in every):
        return True
    if normalise_label(label.text) in every or HEAD.match(frag.strip()):
        return False
    f = normalise_label(frag)
    return not (f in every or (len(f) >= 2 and any(k.startswith(f) for k in every)))


def _labels(toks: list[Tok], known: _Known) -> list[Label]:
    """Assemble label fragments into labels, column by column."""
    tol = 4.0
    labels: list[Label] = []
    open_: list[Label] = []
    prev_line: Label | None = None
    prev_no = -1
    for t in toks:
        if t.kind != "label":
            continue
        if t.no != prev_no:
            prev_line, prev_no = None, t.no
        text = t.text.strip()
        target: Label | None = None
        strong = [lb for lb in open_ if 0 < t.no - lb.last <= 2 and _attach_same_line(lb, text, known)]
        if prev_line is not None and _attach_same_line(prev_line, text, known):
            target = prev_line
        elif strong:
            target = min(strong, key=lambda lb: min(abs(t.x - lb.x), abs(t.x - lb.lastx)))
        elif not HEAD.match(text):
            near = [lb for lb in open_ if t.no - lb.last <= 4 and min(abs(t.x - lb.x), abs(t.x - lb.lastx)) <= tol and lb.last < t.no]
            near.sort(key=lambda lb: min(abs(t.x - lb.x), abs(t.x - lb.lastx)))
            if near and _attach(near[0], text, known):
                target = near[0]
        if target is not None:
            target.parts.append(text)
            target.last, target.lastx = t.no, t.x
        else:
            target = Label(t.x, t.no, t.no, t.x, [text])
            open_ = [lb for lb in open_ if abs(lb.x - t.x) > tol and abs(lb.lastx - t.x) > tol]
            open_.append(target)
            labels.append(target)
        prev_line = target
    return labels


def _attach_same_line(label: Label, frag: str, known: _Known) -> bool:
    """A label split over two cells of one line: only when the join is official."""
    joined = normalise_label(label.text + frag)
    return any(k.startswith(joined) for k in known.all()) and normalise_label(label.text) not in known.all()


def _classify(label: Label, known: _Known, t: TableSpec) -> None:
    """Name the row a label stands for: exactly, as a variant or as a near miss."""
    n = normalise_label(label.text)
    if n in known.rows:
        label.kind, label.rid = "row", known.rows[n]
        label.how = "exact" if label.text == t.rows[label.rid].label else "variant"
        return
    if n in known.legacy_rows:
        label.kind, label.rid = "legacy_other", LEGACY_OTHER
        return
    if n in known.other or n in known.legacy:
        label.kind = "known"
        return
    best, score = None, 0.0
    for k, rid in known.rows.items():
        r = similarity(n, k)
        if r > score:
            best, score = rid, r
    if best is not None and score >= 0.75:
        label.kind, label.rid, label.how = "row", best, "fuzzy"


def _data_toks(line_toks: list[Tok], mode: str, data_x: float, known: _Known) -> list[Tok]:
    """The data cells of one line: after its row's label (tabs) or in the number area.

    In a grid, every cell after the row's first number is a data cell, whatever it holds ("见附件", a
    stray word): read as blank with a note, never as a label, so that no number moves a column. Only a
    label of the form or a numbered one (``1.``, ``（一）``) after a number starts the row's label again."""
    if mode == "web":
        first = next((i for i, t in enumerate(line_toks) if t.kind == "value"), len(line_toks))
        last = max((i for i, t in enumerate(line_toks) if t.kind == "label"
                    and (i < first or normalise_label(t.text) in known.all() or HEAD.match(t.text))), default=-1)
        data = line_toks[last + 1 :]
        while data and data[-1].kind == "blank":
            data.pop()
        return data if any(t.kind == "value" for t in data) else []
    return [t for t in line_toks if t.kind == "value" and (_is_numeric(t.text) or t.x >= data_x - 2)]


def _align(xs: list[float], anchors: list[float]) -> list[int] | None:
    """Place k numbers on n ≥ k column positions, in order, nearest overall;
    None when a number is not clearly under one column."""
    k, n = len(xs), len(anchors)
    if k > n or n == 0:
        return None
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    for j in range(n + 1):
        cost[0][j] = 0.0
    for i in range(1, k + 1):
        for j in range(i, n + 1):
            cost[i][j] = min(cost[i][j - 1], cost[i - 1][j - 1] + abs(xs[i - 1] - anchors[j - 1]))
    out: list[int] = []
    i, j = k, n
    while i > 0:
        if j > i and cost[i][j] == cost[i][j - 1]:
            j -= 1
        else:
            out.append(j - 1)
            i, j = i - 1, j - 1
    out.reverse()
    gaps = sorted(b - a for a, b in itertools.pairwise(anchors))
    tol = max(3.0, 0.6 * gaps[len(gaps) // 2]) if gaps else 3.0
    for x, a in zip(xs, out, strict=True):
        nearest = min(range(n), key=lambda j: abs(x - anchors[j]))
        if nearest != a or abs(x - anchors[a]) > tol:
            return None
    return out


def _cells(data: list[Tok], n: int, mode: str, anchors: list[float] | None) -> list[Tok | None] | None:
    """The n cells of a row, None where the source has nothing; None if the
    numbers cannot be placed under their columns."""
    if mode == "web":
        cells: list[Tok | None] = list(data)
        while len(cells) > n and cells[0] is not None and cells[0].kind == "blank":
            cells.pop(0)
        if len(cells) > n:
            return None
        return cells + [None] * (n - len(cells))
    if len(data) == n:
        return list(data)
    if anchors is None or len(anchors) != n:
        return None
    placed = _align([t.center for t in data], anchors)
    if placed is None:
        return None
    out: list[Tok | None] = [None] * n
    for t, j in zip(data, placed, strict=True):
        out[j] = t
    return out


def _grid_cells(data: list[Tok], n: int, anchors: list[float] | None) -> list[Tok | None] | None:
    """A row's cells by grid column: the columns of a complete row of the same table (``anchors``). A blank
    field outside them is a span of the row's label; None (then counted) when a cell is not under one.
    (Counting from the end put t3 ``carried_in``'s numbers one column right when its 总计 was blank.)"""
    if anchors is None or len(anchors) != n:
        return None
    column = {a: j for j, a in enumerate(anchors)}
    out: list[Tok | None] = [None] * n
    for t in data:
        j = column.get(t.center)
        if j is None:
            if t.kind == "blank":
                continue
            return None
        out[j] = t
    return out


@dataclass
class _TableRead:
    """The values of one table and the last source line it took."""

    values: Values
    end: int  # line number of the last line of the table
    layout: str = ""  # another format version seen in the table ("older": a row this version split), "" for none
    at: int = 0  # for a table refused as another version's: the line of its first label of that version


class _Reader:
    """Reads one table from its lines."""

    def __init__(self, spec: FormatSpec, t: TableSpec, lines: list[Line], mode: str, notes: list[Note], grid: bool = False) -> None:
        self.spec = spec
        self.grid = grid  # fields are grid columns (html, docx): numbers placed by column
        self.foreign = ""  # the version of another format's row labels seen in the table
        self.t = t
        self.lines = lines
        self.mode = mode
        self.notes = notes
        self.values: Values = {k: None for k in t.keys()}
        self.data: dict[int, list[Tok]] = {}  # line number -> data cells
        self.rowline: dict[str, int] = {}  # row id -> its data line

    def note(self, line: int | None, msg: str) -> None:
        """Report something at a source line."""
        self.notes.append(Note(line, msg))

    def cell(self, rid: str, col: str, tok: Tok | None, line: int) -> None:
        """Read one cell into the values; report it when it cannot be read."""
        row, column = self.t.rows[rid], self.t.columns[col]
        text = tok.text if tok is not None and tok.kind != "blank" else ""
        value, why = read_cell(text, self.t.unit(col))
        self.values[(rid, col)] = value
        if why:
            tail = "，未导入（CSV 中留空）" if value is None else ""
            self.note(tok.no if tok else line, f"{self.t.title}“{row.label}”行“{column.label}”列：{why}{tail}")

    def read_rows(self, body: list[Line]) -> tuple[int, dict[str, Label]]:
        """Match labels and data lines in ``body``; fill the values. Returns the
        last line used and the labels by row id."""
        t, known = self.t, _known(self.t, self.spec.version)
        toks = {ln.no: _tokens(ln, self.mode) for ln in body}
        numeric = [tk.x for ts in toks.values() for tk in ts if tk.kind == "value" and _is_numeric(tk.text)]
        data_x = min(numeric) if numeric else float("inf")
        data: dict[int, list[Tok]] = {}
        for no, ts in toks.items():
            d = _data_toks(ts, self.mode, data_x, known)
            if d:
                data[no] = d
        loose = {ln.no for ln in body if ln.loose}
        frags = [tk for ts in toks.values() for tk in ts
                 if tk.no not in loose and tk.kind in ("label", "value") and tk not in data.get(tk.no, [])]
        frags = [Tok(tk.no, tk.x, tk.end, tk.text, "label") for tk in frags]
        labels = _labels(frags, known)
        for lb in labels:
            _classify(lb, known, t)
        self.foreign = next((known.legacy[k] for lb in labels if (k := normalise_label(lb.text)) in known.legacy), "")
        rank = {"row": 0, "unknown": 1, LEGACY_OTHER: 2}
        cands = [lb for lb in labels if lb.kind in rank]
        match: dict[int, Label] = {}
        used: set[int] = set()
        for no in sorted(data):
            inside = [lb for lb in cands if lb.first <= no <= lb.last and id(lb) not in used]
            if inside:
                best = min(inside, key=lambda lb: (rank[lb.kind], -lb.x))
                match[no] = best
                used.add(id(best))
        for no in sorted(data):
            if no in match:
                continue
            near = [lb for lb in cands if id(lb) not in used and min(abs(no - lb.first), abs(no - lb.last)) <= 2
                    and not (self.mode == "web" and any(lb.first <= d <= lb.last for d in match))]  # a cell of a row with numbers labels that row only
            if near:
                best = min(near, key=lambda lb: (min(abs(no - lb.first), abs(no - lb.last)), rank[lb.kind]))
                match[no] = best
                used.add(id(best))
        if self.mode == "web":  # a row of numbers whose label the source lost (a torn Markdown table): placed by position below
            for no in sorted(data):
                if no not in match:
                    match[no] = Label(0.0, no, no, 0.0, [], "unknown")
        order = list(t.rows)
        taken = {lb.rid for lb in match.values() if lb.rid}
        seq = sorted(match.items())
        for i, (no, lb) in enumerate(seq):
            if lb.kind != "unknown":
                continue
            before = [k for k in range(i) if seq[k][1].rid in order]
            after = [k for k in range(i + 1, len(seq)) if seq[k][1].rid in order]
            prev = seq[before[-1]][1].rid if before else None
            nxt = seq[after[0]][1].rid if after else None
            lo = order.index(prev) + 1 if prev else 0
            hi = order.index(nxt) if nxt else len(order)
            missing = [r for r in order[lo:hi] if r not in taken]
            # k rows the text cannot name between two known rows, and exactly k official rows missing there: in order.
            gap = [k for k in range((before[-1] + 1) if before else 0, after[0] if after else len(seq)) if seq[k][1].kind == "unknown"]
            fits = len(missing) == len(gap) and all(len(data[seq[k][0]]) == len(t.rows[r].cols) for k, r in zip(gap, missing, strict=True))
            if fits and missing:
                lb.kind, lb.rid, lb.how = "row", missing[gap.index(i)], "position"
                taken.add(lb.rid)
            elif len(missing) == 1 and lb.parts:
                lb.kind, lb.rid, lb.how = "row", missing[0], "position"
                taken.add(missing[0])
            else:
                if lb.parts:
                    self.note(no, f"{t.title}中无法识别的行“{lb.text}”，这一行的数字未导入")
                else:
                    self.note(no, f"{t.title}中的数字“{' '.join(tk.text for tk in data[no])}”找不到对应的行标签，未导入")
        rows: dict[str, Label] = {}
        rowline: dict[str, int] = {}
        for no, lb in seq:
            if lb.rid is None:
                continue
            if lb.rid in rows:
                self.note(no, f"{t.title}的行“{lb.text}”重复出现（第一次在第 {rowline[lb.rid]} 行），这一行未导入")
                continue
            rows[lb.rid], rowline[lb.rid] = lb, no
        for no in sorted(data):
            if no not in match:
                nums = " ".join(tk.text for tk in data[no])
                self.note(no, f"{t.title}中的数字“{nums}”找不到对应的行标签，未导入")
        self._report_labels(rows)
        # Column positions of complete rows, to place the numbers of incomplete ones.
        page = {ln.no: ln.page for ln in body}
        complete: dict[int, list[tuple[int, list[float]]]] = {}
        for rid, no in rowline.items():
            n = len(t.rows[rid].cols) if rid in t.rows else 0
            if n and len(data[no]) == n:
                complete.setdefault(n, []).append((no, [tk.center for tk in data[no]]))
        # Rows that start with a blank field and lost blank fields at their end: which blank is a span of the
        # label and which a blank cell, only a full row of the same shape can tell (else the row is not read).
        ragged = {no for no, d in data.items() if self.mode == "web" and d[0].kind == "blank"
                  and any(tk.kind == "blank" for tk in toks[no][toks[no].index(d[-1]) + 1 :])}
        # Rows with a number (or a word) in every cell: where each column is, in a grid or a copy of one.
        full: dict[int, list[tuple[int, list[float]]]] = {}
        for rid, no in rowline.items():
            values = [tk.center for tk in data[no] if tk.kind != "blank"]
            if rid in t.rows and len(values) == len(t.rows[rid].cols):
                full.setdefault(len(values), []).append((no, values))
        for rid, no in rowline.items():
            if rid not in t.rows:
                continue
            row = t.rows[rid]
            n = len(row.cols)
            near_rows = sorted(complete.get(n, []), key=lambda c: (page[c[0]] != page[no], abs(c[0] - no)))
            anchors = near_rows[0][1] if near_rows else None
            if anchors is None and self.mode == "pdf":
                same = [tk.center for r2, no2 in rowline.items() if r2 in t.rows and len(t.rows[r2].cols) == n
                        and page[no2] == page[no] for tk in data[no2]]
                anchors = _clusters(same, 2.5)
            cells = None
            if self.mode == "web":  # by column, as a full row of the same table shows them (``_grid_cells``)
                columns = [(abs(no2 - no), xs) for no2, xs in full.get(n, [])  # a copy: rows of the same shape
                           if self.grid or (data[no2][0].x == data[no][0].x and len(toks[no2]) == len(toks[no]))]
                cells = _grid_cells(data[no], n, min(columns)[1]) if columns else None
            if cells is None and no in ragged:  # a span or a blank cell? counting would guess: not read
                cells = None
            else:
                cells = cells or _cells(data[no], n, self.mode, anchors)
            if cells is None:
                nums = " ".join(tk.text or "（空）" for tk in data[no])
                self.note(no, f"{t.title}“{row.label}”行：读到 {len(data[no])} 个数（{nums}），应有 {n} 个，无法确定各属哪一列，这一行未导入（CSV 中留空）")
                continue
            for col, tok in zip(row.cols, cells, strict=True):
                self.cell(rid, col, tok, no)
        for lb in labels:
            if lb.rid in t.rows and lb.rid not in rows:
                self.note(lb.first, f"{t.title}“{t.rows[lb.rid].label}”行没有读到数字，这一行留空")
                rows[lb.rid] = lb
        self.data, self.rowline = data, rowline
        last_lines = [*rowline.values(), *(lb.last for lb in rows.values())]
        return max(last_lines, default=body[0].no if body else 0), rows

    def report_missing(self, rows: dict[str, Label], skip: set[str]) -> None:
        """Official rows the text does not have."""
        for rid, row in self.t.rows.items():
            if rid not in rows and rid not in skip:
                self.note(None, f"{self.t.title}中没有找到“{row.label}”行，这一行留空")

    def _report_labels(self, rows: dict[str, Label]) -> None:
        """Every row label that differs from the official text."""
        for rid, lb in rows.items():
            if rid not in self.t.rows:
                continue
            official = self.t.rows[rid].label
            written = lb.text
            if self.mode == "pdf" and compact(written) == official:
                continue
            if lb.how == "variant":
                self.note(lb.first, f"{self.t.title}行标签“{written}”已按官方标签“{official}”读取（{describe_variant(written, official)}）")
            elif lb.how == "fuzzy":
                self.note(lb.first, f"{self.t.title}行标签“{written}”与官方不同，已按“{official}”读取")
            elif lb.how == "position" and not written:
                self.note(lb.first, f"{self.t.title}中一行数字没有可用的行标签，按所在位置读作“{official}”"
                          "（前后认出的两行之间，缺的行与这样的数字行一样多，依次对应）")
            elif lb.how == "position":
                self.note(lb.first, f"{self.t.title}行标签“{written}”不是官方标签，按所在位置读作“{official}”")


def _read_t2(r: _Reader, region: list[Line]) -> _TableRead:
    """表二; another version's columns differ, so its numbers are not carried over."""
    known = _known(r.t, r.spec.version)
    labels = _labels([tk for ln in region for tk in _tokens(ln, r.mode) if tk.kind == "label"], known)
    legacy = sorted({lb.text for lb in labels if normalise_label(lb.text) in known.legacy})
    headers = {normalise_label(c.label) for c in r.t.columns.values()}
    if legacy and all(any(k.endswith(normalise_label(x)) for k in known.rows) for x in legacy) and any(normalise_label(lb.text) in headers for lb in labels):
        legacy = []  # 2019's t2 ``normative`` label under 2021 headers (``issued``): the 2021 row, shortened
    if legacy:
        first = next(lb for lb in labels if normalise_label(lb.text) in known.legacy)
        other = known.legacy[normalise_label(first.text)]
        r.note(first.first, f"表二是 {layout_note(other)}（有“{'”“'.join(legacy)}”），"
               f"其栏目与 {r.spec.version} 年格式不同，数字未导入；请按 {r.spec.version} 年格式填写 {r.t.file}")
        return _TableRead(r.values, region[-1].no, other, first.first)
    end, rows = r.read_rows(region)
    r.report_missing(rows, set())
    return _TableRead(r.values, end)


def _read_t3(r: _Reader, region: list[Line]) -> _TableRead:
    """表三, from its first row (``new``) on; recognises the 2019 layout."""
    start = next((i for i, ln in enumerate(region) if re.match(r"^[\t ]*一\s*[、.．]", ln.raw.strip("\t ")) or
                  any(tk.kind == "label" and re.match(r"^一\s*[、.．]", tk.text) for tk in _tokens(ln, r.mode))), None)
    if start is None:
        r.note(region[0].no, f"{r.t.title}中没有找到“{next(iter(r.t.rows.values())).label}”行，{r.t.title}未导入（CSV 中留空）")
        return _TableRead(r.values, region[0].no)
    end, rows = r.read_rows(region[start:])
    if r.foreign:  # another version's rows: this version's row they split is not in the source
        for rid, parts in split_rows(r.t, r.foreign).items():
            if rid in rows:
                r.values.update({k: None for k in r.values if k[0] == rid})
                r.note(r.rowline.get(rid, rows[rid].first), f"表三是 {layout_note(r.foreign)}：“{r.t.rows[rid].label}”分为{'、'.join(f'“{x}”' for x in parts)}，"
                       f"{r.spec.version} 年格式的这一行不照抄其中一项，未导入（CSV 中留空）")
    return finish_t3(r, rows, end)


def finish_t3(r: _Reader, rows: dict[str, Label], end: int) -> _TableRead:
    """The end of 表三 (the line reader's and the matcher's): a row of an older version this one split
    (``legacy_rows``: 2019's single "other" row) is noted and not read; the official rows missing are noted."""
    split = next((lr for lr in r.t.legacy_rows if LEGACY_OTHER in rows and not any(x in rows for x in lr.into)), None)
    if split is not None:
        no = r.rowline[LEGACY_OTHER]
        nums = " ".join(tk.text or "（空）" for tk in r.data[no])
        into = "、".join(f"“{r.t.rows[x].label}”" for x in split.into)
        r.note(no, f"表三是 {layout_note(version_with_row(r.t.id, split.label, r.spec.version))}：“{split.label}”不分 {len(split.into)} 项（原文数字：{nums}）；"
               f"{r.spec.version} 年格式须分项填写（{into}），这 {len(split.into)} 行未导入（CSV 中留空），其余各行照原文导入")
    r.report_missing(rows, set(split.into) if split is not None else set())
    older = (version_with_row(r.t.id, split.label, r.spec.version) or "older") if split is not None else ""
    return _TableRead(r.values, end, r.foreign or older)


def _read_t4(r: _Reader, region: list[Line]) -> _TableRead:
    """表四: one line of 15 numbers under its header."""
    t = r.t
    keys = t.keys()
    line: Line | None = None
    toks: list[Tok] = []
    for ln in region:
        ts = _tokens(ln, r.mode)
        if any(tk.kind == "label" for tk in ts) or not any(tk.kind == "value" for tk in ts):
            continue
        line, toks = ln, ts
        break
    if line is None:
        r.note(region[0].no, "表四中没有找到数字行，表四未导入（CSV 中留空）")
        return _TableRead(r.values, region[0].no)
    if r.mode == "web":
        while toks and toks[-1].kind == "blank":
            toks.pop()
        cells = _cells(toks, len(keys), "web", None)
    else:
        anchors = None
        if len(toks) != len(keys):
            header = [tk.x for ln in region if ln.no < line.no for tk in _tokens(ln, r.mode)]
            anchors = _clusters(header, 2.0)
            toks = [Tok(tk.no, tk.x, tk.x, tk.text, tk.kind) for tk in toks]  # compare left edges
        cells = _cells(toks, len(keys), "pdf", anchors)
    if cells is None:
        nums = " ".join(tk.text or "（空）" for tk in toks)
        r.note(line.no, f"表四读到 {len(toks)} 个数（{nums}），应有 {len(keys)} 个，无法确定各属哪一格，表四未导入（CSV 中留空）")
        return _TableRead(r.values, line.no)
    for (rid, col), tok in zip(keys, cells, strict=True):
        r.cell(rid, col, tok, line.no)
    return _TableRead(r.values, line.no)


def _clusters(xs: list[float], tol: float) -> list[float]:
    """Positions that lie within ``tol`` of each other, as one (their mean)."""
    out: list[list[float]] = []
    for x in sorted(xs):
        if out and x - out[-1][-1] <= tol:
            out[-1].append(x)
        else:
            out.append([x])
    return [sum(c) / len(c) for c in out]


_READERS = {"t2": _read_t2, "t3": _read_t3, "t4": _read_t4}

#: A structured form's table matcher (``matcher.Matcher``): the table read from the cells of the region's
#: grid rows, the reason it cannot place them (then read here, as text), or None when the region has no grid row.
Place = Callable[["_Reader", list[Line]], "_TableRead | str | None"]


def find_tables(lines: list[Line], spec: FormatSpec, sections: dict[int, int], mode: str,
                 notes: list[Note], grid: bool = False, place: Place | None = None,
                 routes: dict[str, str] | None = None, rows: Mapping[int, GridRow] | None = None,
                 ) -> tuple[dict[str, Values], str, dict[str, tuple[int, str]]]:
    """Find and read 表二, 表三, 表四; mark their lines. Returns values and
    the other format version seen ("" for none; "older" for a row this version split).

    ``rows``: a structured form's grid rows by line; where its tables begin and end is read from their cells
    (``_Rows``), and ``place`` reads each table from them; ``routes`` gets how each table was read."""
    at = _Rows(rows)
    values: dict[str, Values] = {}
    legacy = ""
    refused: dict[str, tuple[int, str]] = {}  # table → (line, the version its columns are of)
    tids = list(spec.tables)
    heads = sorted(sections.values())
    prev = 0
    for n, tid in enumerate(tids):
        t = spec.tables[tid]
        own = sections.get(t.section)
        lo = own if own is not None else prev
        nxt = [i for i in heads if i > lo]
        hi = nxt[0] if nxt else len(lines)
        start = next((i for i in range(lo, hi) if at.starts(t, lines[i])), None)
        if start is None:
            start = next((i for i in range(prev, len(lines)) if at.starts(t, lines[i])), None)
        reader = _Reader(spec, t, lines, mode, notes, grid)
        if start is None:
            notes.append(Note(None, f"原文中没有找到{t.title}（{t.caption}），{t.file} 全部留空"))
            values[tid] = reader.values
            continue
        later = tids[n + 1 :]
        stop = start + 1
        seen_data = False
        while stop < len(lines):
            ln = lines[stop]
            if ln.role == "heading" or any(at.starts(spec.tables[x], ln) for x in later):
                break
            if ln.role == "text" and at.prose(ln) and seen_data:
                break
            kinds = at.kinds(ln, mode) if ln.role == "text" else set()
            if "value" in kinds:
                seen_data = True
                if tid == "t4" and "label" not in kinds:
                    stop += 1
                    break
            stop += 1
        region = [ln for ln in lines[start:stop] if ln.role == "text"]
        placed = place(reader, region) if place is not None else None
        if isinstance(placed, _TableRead):
            got = placed
            route = "grid"
        else:
            got = _READERS[tid](reader, region)
            route = "text" if placed is None else f"text: {placed}"
        if routes is not None:
            routes[tid] = route
        values[tid] = got.values
        legacy = legacy or got.layout
        if got.layout and tid == "t2":
            refused[tid] = (got.at, got.layout)
        for ln in lines[start:stop]:
            if ln.no <= got.end and ln.role in ("text", "blank"):
                ln.role = "table:" + tid
        prev = next((i for i in range(start, stop) if lines[i].no == got.end), start) + 1
    return values, legacy, refused
