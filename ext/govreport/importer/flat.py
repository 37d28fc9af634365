"""Flattened page text: a web archiver or a copy-paste ran every cell together.

``<t3 new row label>15130000154<t3 carried_in row label>…``: the labels known
from the spec separate the rows; the digits after each label are split into
the row's cells by ``split`` (only when exactly one split satisfies the form's
relations; otherwise the row is left blank and the note shows the candidates).
Section headings and sub-headings found inside the long line start new lines.
The result goes to the line reader as tab-separated rows.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from ..format.labels import label_char
from ..format.spec import FormatSpec, Relation, TableSpec, load_spec, versions
from .model import LEGACY_OTHER, Parsed, spec_of
from .source import Source, parse_source
from .split import LIMIT, RowShape, shape, splits

_LONG = 300
#: A sub-heading inside running text: （一）… after a sentence ends.
_SUB = re.compile(r"(?<=[。！？；])\s*(?=[（(][一二三四五六七八九十]{1,3}[）)])")
_SHOWN = 6  # candidates shown in a note


def _flat_row() -> re.Pattern[str]:
    """A long line in which a row label (the specs' ``anchors.flat_row``, of every version) is followed straight by digits."""
    labels = dict.fromkeys(x for v in versions() for t in load_spec(v).tables.values() for x in t.anchors.flat_row)
    return re.compile("(?:" + "|".join(map(re.escape, labels)) + r")\s*\d")


def is_flat(text: str) -> bool:
    """Does a long line run table labels and digits together?"""
    flat_row = _flat_row()
    return any(len(line) >= _LONG and "\t" not in line and flat_row.search(line) for line in text.splitlines())


@dataclass
class _Line:
    """One long source line without its spaces; ``pos[i]`` is the 0-based column of ``c[i]``."""

    no: int
    raw: str
    c: str
    pos: list[int]
    space_before: set[int]  # indexes i of c where the source had whitespace before c[i]

    @classmethod
    def of(cls, no: int, raw: str) -> _Line:
        c: list[str] = []
        pos: list[int] = []
        gaps: set[int] = set()
        gap = False
        for i, ch in enumerate(raw):
            if ch.isspace() or ch == "\u00a0":
                gap = True
                continue
            if gap and c:
                gaps.add(len(c))
            gap = False
            c.append(label_char(ch))
            pos.append(i)
        return cls(no, raw, "".join(c), pos, gaps)

    def col(self, i: int) -> int:
        return (self.pos[i] if i < len(self.pos) else len(self.raw)) + 1

    def text(self, a: int, b: int) -> str:
        """The source text of ``c[a:b]`` (spaces inside kept)."""
        if a >= b:
            return ""
        return self.raw[self.pos[a] : self.pos[b - 1] + 1]


def _norm(s: str) -> str:
    """A label in the form of ``_Line.c`` (``labels.label_char``, spaces dropped): found by position in the line."""
    return "".join(label_char(ch) for ch in s if not ch.isspace())


def read_flat(text: str, year: int | None, version: str | None = None) -> Parsed:
    """Read flattened page text."""
    return parse_source(flat_source(text, year, version), year, version)


def flat_source(text: str, year: int | None, version: str | None = None) -> Source:
    """Flattened page text's lines: each table run together cut into its rows and cells."""
    spec = spec_of(year, version)
    src = Source("flat")
    runs = _runs_pattern(spec)
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        ln = _Line.of(no, raw)
        # A table run together, or headings inside running text (the archiver joined the paragraphs).
        if len(runs.findall(raw)) >= 2 or any(re.search(p, raw) for t in spec.tables.values() for p in t.anchors.run_head) or any(h[1] > 0 for h in _headings(ln, spec)):
            _unflatten(ln, spec, src)
        else:
            src.add(raw, no)
    return src


def _runs_pattern(spec: FormatSpec) -> re.Pattern[str]:
    """A row label of any table followed straight by a digit: a table line run together."""
    labels = sorted({r.label for t in spec.tables.values() for r in t.rows.values()}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(r"\s*".join(map(re.escape, label)) for label in labels) + r")\s*\d")


def _headings(ln: _Line, spec: FormatSpec) -> list[tuple[int, int, int]]:
    """``(section index, start, end)`` of the section headings inside the line, in order."""
    out: list[tuple[int, int, int]] = []
    at = 0
    for idx, title in enumerate(spec.sections):
        k = _norm(title)
        i = ln.c.find(k, at)
        if i < 0:
            continue
        out.append((idx, i, i + len(k)))
        at = i + len(k)
    return out


def _prose(ln: _Line, a: int, b: int, src: Source) -> None:
    """Running text, cut before each （一） sub-heading."""
    text = ln.text(a, b)
    start = ln.pos[a] if a < len(ln.pos) else 0
    prev = 0
    for m in [*_SUB.finditer(text), None]:
        cut = m.end() if m else len(text)
        piece = text[prev:cut].strip()
        if piece:
            src.add(piece, ln.no, start + prev + 1)
        prev = cut


def _unflatten(ln: _Line, spec: FormatSpec, src: Source) -> None:
    """Cut the line at its headings; tables become tab-separated rows."""
    heads = _headings(ln, spec)
    bounds = [h[1] for h in heads] + [len(ln.c)]
    _segment(ln, spec, None, 0, bounds[0], src)
    for n, (idx, a, b) in enumerate(heads):
        src.add(ln.text(a, b), ln.no, ln.col(a))
        _segment(ln, spec, idx, b, bounds[n + 1], src)


def _markers(t: TableSpec, strict: bool) -> tuple[str, ...]:
    """Where ``t`` begins; strict (outside a known section): also its stub and first column run together, from the spec."""
    if not strict:
        return t.anchors.run
    head = (t.stub + next(iter(t.columns.values())).label,) if t.id == "t2" else ()
    return (*t.anchors.run_strict, *head)


def _segment(ln: _Line, spec: FormatSpec, idx: int | None, a: int, b: int, src: Source) -> None:
    """The text of one section (``idx``), or of a line without a heading (None): prose and the tables in it."""
    tables = [t for t in spec.tables.values() if idx is None or t.section == idx]
    while a < b:
        found = [(i, t) for t in tables for m in _markers(t, idx is None) if (i := ln.c.find(_norm(m), a, b)) >= 0]
        if not found:
            break
        s, t = min(found, key=lambda x: x[0])
        _prose(ln, a, s, src)
        stop = _Table(t, ln, src).read(s, b)
        if stop <= s:  # a marker with no numbers after it: prose
            _prose(ln, s, s + 1, src)
            stop = s + 1
        a = stop
        tables = [x for x in tables if x is not t]
    _prose(ln, a, b, src)


class _Table:
    """One table's stretch of the long line: labels, digit runs, rows."""

    def __init__(self, t: TableSpec, ln: _Line, src: Source) -> None:
        self.t, self.ln, self.src = t, ln, src
        rows = {_norm(r.label): r.id for r in t.rows.values()}
        other = {_norm(c.text) for row in t.grid for c in row if c.kind in ("h", "s") and c.text}
        other |= {_norm(t.stub), *(_norm(c.label) for c in t.columns.values()), *(_norm(x) for x in t.titles)}
        self.rows = rows
        # A row of an older version that this one split (2019's t3 row ``other``, ``legacy_rows``): read with the shape of its parts.
        self.legacy = {_norm(lr.label): lr for lr in t.legacy_rows if _norm(lr.label) not in rows}
        self.signed = any(c.unit == "signed" for c in t.columns.values())  # a minus sign may open a number
        self.labels = sorted({*rows, *(other - set(rows))}, key=len, reverse=True)

    def _label_at(self, i: int) -> str | None:
        c = self.ln.c
        return next((k for k in self.labels if c.startswith(k, i)), None)

    def _tokens(self, a: int, b: int) -> list[tuple[str, int, int]]:
        """``(kind, start, end)``: label (known), text (unknown) or digits."""
        c = self.ln.c
        out: list[tuple[str, int, int]] = []
        i = a
        while i < b:
            k = self._label_at(i)
            if k is not None:
                out.append(("label", i, i + len(k)))
                i += len(k)
                continue
            if (c[i].isdigit() and not _ordinal(c, i)) or self._minus(i, b):
                j = i
                while j < b and (c[j].isdigit() or (c[j] == "." and j + 1 < b and c[j + 1].isdigit()) or self._minus(j, b)):
                    if j > i and (self._label_at(j) is not None or _ordinal(c, j)):
                        break  # "…00000002.其他法律…": the 2 numbers the next row
                    j += 1
                out.append(("digits", i, j))
                i = j
                continue
            if out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1], i + 1)
            else:
                out.append(("text", i, i + 1))
            i += 1
        return out

    def _minus(self, i: int, b: int) -> bool:
        """A minus sign before a digit, in a table with a signed column."""
        c = self.ln.c
        return self.signed and c[i] == "-" and i + 1 < b and c[i + 1].isdigit()

    def _run(self, a: int, b: int) -> str:
        """The digits of ``c[a:b]``, a space where the source had one."""
        return "".join((" " if i in self.ln.space_before and i > a else "") + self.ln.c[i] for i in range(a, b))

    def read(self, a: int, b: int) -> int:
        """Emit the table's rows; returns where the table ends (prose may follow)."""
        toks = self._tokens(a, b)
        last_digits = max((n for n, tk in enumerate(toks) if tk[0] == "digits"), default=-1)
        if last_digits < 0:
            return a
        end = toks[last_digits][2]
        # A trailing note (注：…) or prose after the last number is not the table.
        toks = toks[: last_digits + 1]
        if self.t.id == "t4":
            self._t4(toks)
            return end
        items: list[tuple[str, int, int] | _Row] = []
        pending: list[tuple[str, int, int]] = []
        for kind, s, e in toks:
            if kind != "digits":
                pending.append((kind, s, e))
                continue
            items += pending[:-1]
            items.append(self._row(pending[-1] if pending else None, s, e))
            pending = []
        _by_columns(self.t, [it for it in items if isinstance(it, _Row)])
        for it in items:
            if isinstance(it, _Row):
                self._emit(it)
            else:
                self.src.add(self.ln.text(it[1], it[2]), self.ln.no, self.ln.col(it[1]))
        return end

    def _row(self, label: tuple[str, int, int] | None, s: int, e: int) -> _Row:
        ln, t = self.ln, self.t
        run = self._run(s, e)
        if label is None:
            return _Row(None, "", 0, run, ln.col(s), [])
        kind, ls, le = label
        rid = self.rows.get(ln.c[ls:le]) if kind == "label" else None
        old = self.legacy.get(ln.c[ls:le]) if kind == "label" and rid is None else None
        if old is not None:
            return _Row(LEGACY_OTHER, ln.text(ls, le), ln.col(ls), run, ln.col(s), splits(run, [shape(t, old.into[0])]), label=old.label)
        return _Row(rid, ln.text(ls, le), ln.col(ls), run, ln.col(s), splits(run, [shape(t, rid)]) if rid else [])

    def _emit(self, r: _Row) -> None:
        ln, t = self.ln, self.t
        if not r.text:
            self.src.note(ln.no, f"{t.title}中的数字“{r.run}”前面没有行标签，未导入", r.run_col)
            return
        if r.rid is None:
            # Not an official label: the line reader may still place it; its digits cannot be split without the row's shape.
            self.src.add(r.text, ln.no, r.col)
            self.src.note(ln.no, f"{t.title}中“{r.text}”后的数字“{r.run}”：不是官方行标签，无法确定分成几格，未导入", r.run_col)
            return
        if len(r.found) == 1:
            self.src.add("\t".join([r.text, *r.found[0][0]]), ln.no, r.col)
            if r.by_columns:
                self.src.note(ln.no, f"{t.title}“{r.official(t)}”行的数字“{r.run}”按行合计有 {r.by_columns} 种分法，"
                              f"按{t.title}的列合计（{'、'.join(rel.name for rel in t.relations if rel.each == 'column')}）只有一种："
                              f"{' '.join(r.found[0][0])}", r.run_col)
            return
        self.src.add(r.text, ln.no, r.col)
        self.src.note(ln.no, f"{t.title}“{r.official(t)}”行的数字“{r.run}”{_explain(r.found, r.shape(t))}，这一行未导入（CSV 中留空）", r.run_col)

    def _t4(self, toks: list[tuple[str, int, int]]) -> None:
        ln, t = self.ln, self.t
        runs = [(s, e) for kind, s, e in toks if kind == "digits"]
        for kind, s, e in toks:
            if kind != "digits":
                self.src.add(ln.text(s, e), ln.no, ln.col(s))
        if len(runs) != 1:
            nums = "、".join(f"“{self._run(s, e)}”" for s, e in runs)
            self.src.note(ln.no, f"表四应是一串数字，读到 {len(runs)} 串（{nums}），表四未导入（CSV 中留空）", ln.col(runs[0][0]))
            return
        s, e = runs[0]
        run = self._run(s, e)
        shapes = [shape(t, rid) for rid in t.rows]
        found = splits(run, shapes)
        if len(found) == 1:
            self.src.add("\t".join(c for row in found[0] for c in row), ln.no, ln.col(s))
            return
        self.src.add("", ln.no, ln.col(s))
        self.src.note(ln.no, f"表四的数字“{run}”{_explain(found, None)}，表四未导入（CSV 中留空）", ln.col(s))


@dataclass
class _Row:
    """A row label and the digits after it, with every split that fits the row."""

    rid: str | None
    text: str
    col: int
    run: str
    run_col: int
    found: list[list[list[str]]]
    by_columns: int = 0  # how many splits the row had before the column sums chose one
    label: str = ""  # the official label of an older version's row (rid LEGACY_OTHER)

    def official(self, t: TableSpec) -> str:
        return self.label or t.rows[self.rid].label if self.rid else ""

    def shape(self, t: TableSpec) -> RowShape:
        old = next((lr for lr in t.legacy_rows if lr.label == self.label), None)
        return shape(t, old.into[0] if old is not None else str(self.rid))


#: Combinations of ambiguous rows tried against one column relation.
_COMBOS = 20000


def _by_columns(t: TableSpec, rows: list[_Row]) -> None:
    """Keep only the splits of ambiguous rows that let the column relations hold.

    A split is dropped only when no choice of the other rows' splits satisfies a
    relation; when no choice at all does (the table does not add up), nothing is
    dropped. Rows left with one split are then read; the rest stay ambiguous."""
    cand = {r.rid: [c[0] for c in r.found] for r in rows if r.rid and r.found}
    before = {rid: len(c) for rid, c in cand.items()}
    relations = [_with_legacy(rel, t, set(cand)) for rel in t.relations]
    changed = True
    while changed:
        changed = False
        for rel in relations:
            if rel.each != "column" or not all(rid in cand for rid in (*rel.left, *rel.right)):
                continue
            involved = list(dict.fromkeys((*rel.left, *rel.right)))
            open_ = [rid for rid in involved if len(cand[rid]) > 1]
            total = 1
            for rid in open_:
                total *= len(cand[rid])
            if not open_ or total > _COMBOS:
                continue
            keep: dict[str, set[int]] = {rid: set() for rid in open_}
            for combo in itertools.product(*(range(len(cand[rid])) for rid in open_)):
                pick = {rid: cand[rid][0] for rid in involved} | {rid: cand[rid][k] for rid, k in zip(open_, combo, strict=True)}
                width = len(pick[involved[0]])
                if all(len(v) == width for v in pick.values()) and all(
                    sum(Decimal(pick[rid][j]) for rid in rel.left) == sum(Decimal(pick[rid][j]) for rid in rel.right) for j in range(width)
                ):
                    for rid, k in zip(open_, combo, strict=True):
                        keep[rid].add(k)
            if not any(keep.values()):
                continue  # the table does not add up: choose nothing by it
            for rid in open_:
                if len(keep[rid]) < len(cand[rid]):
                    cand[rid] = [cand[rid][k] for k in sorted(keep[rid])]
                    changed = True
    for r in rows:
        if r.rid in cand and before[r.rid] > 1 and len(cand[r.rid]) == 1:
            r.found, r.by_columns = [[cand[r.rid][0]]], before[r.rid]


def _with_legacy(rel: Relation, t: TableSpec, present: set[str]) -> Relation:
    """The relation as the source's layout has it: an older version's single row (2019's t3 row ``other``, ``legacy_rows``) stands for
    the rows this version split it into, when those are all absent (the spec's ``legacy_rows``)."""
    if LEGACY_OTHER not in present:
        return rel
    for lr in t.legacy_rows:
        if any(x in present for x in lr.into):
            continue

        def swap(ids: tuple[str, ...], into: tuple[str, ...] = lr.into) -> tuple[str, ...]:
            out = [x for x in ids if x not in into]
            return (*out, LEGACY_OTHER) if len(out) < len(ids) else ids

        return dataclasses.replace(rel, left=swap(rel.left), right=swap(rel.right))
    return rel


def _ordinal(c: str, i: int) -> bool:
    """``2.其他…``: a one-digit ordinal opening a label, not a number."""
    return c[i].isdigit() and i + 2 < len(c) and c[i + 1] in ".、" and not c[i + 2].isdigit()


def _explain(found: list[list[list[str]]], row: RowShape | None) -> str:
    """Why a run was not split: no split fits, or several do (shown)."""
    if not found:
        return "无法分成各格数字（没有一种分法满足行合计）" if row is None or row.sums else "无法分成各格数字"
    shown = "；".join(" | ".join(" ".join(r) for r in cand) for cand in found[:_SHOWN])
    count = f"{len(found)} 种以上" if len(found) >= LIMIT else f"{len(found)} 种"
    more = "" if len(found) <= _SHOWN else " 等"
    return f"有 {count}分法都说得通，无法确定：{shown}{more}"
