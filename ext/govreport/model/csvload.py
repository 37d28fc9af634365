"""Read one mandated table from its CSV file, reporting every problem found.

A straight pipeline in the manner of docutils' ``CSVTable.run``: read bytes,
decode, split into records, match the header and row labels against the spec,
parse each cell, then compute derived totals the file leaves out. Nothing stops
at the first problem; every finding is collected. Pure Python, no docutils.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import CATALOGUE, Finding, code_id
from ..format.labels import Labels, Number, describe_variant, normalise_label, show, total, variant_kinds
from ..format.spec import Key, LegacyRow, Row, TableSpec
from .cells import FEE_PLAUSIBLE_MAX, MAX_DIGITS, NOTHING_WORDS, Problem, parse_cell
from .textcodec import decode

# Old names, kept importable from here (the importer, the federation and tests use them); a cell's rules are in ``cells``.
_Labels = Labels
__all__ = ["FEE_PLAUSIBLE_MAX", "MAX_DIGITS", "NOTHING_WORDS", "Key", "Labels", "Number", "Problem", "TableData", "describe_variant",
           "load_table", "normalise_label", "parse_cell", "show"]

#: A number an unquoted thousands separator split over cells: "1" | "369" (| "000.5").
_GROUP_HEAD = re.compile(r"^-?[0-9]{1,3}\Z")
_GROUP_LAST = re.compile(r"^[0-9]{3}(\.[0-9]+)?\Z")


@dataclass
class TableData:
    """The numbers of one table, with where each came from."""

    spec: TableSpec
    path: str  # repository-relative
    values: dict[Key, Number | None] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)
    pos: dict[Key, tuple[int, int]] = field(default_factory=dict)  # (line, field)
    row_lines: dict[str, int] = field(default_factory=dict)
    derived: set[Key] = field(default_factory=set)
    loaded: bool = False

    def get(self, row: str, col: str) -> Number | None:
        return self.values.get((row, col))

    def where(self, row: str, col: str) -> tuple[int | None, int | None]:
        if (row, col) in self.pos:
            return self.pos[(row, col)]
        return self.row_lines.get(row), None


def _decode(data: bytes, rel: str, out: list[Finding]) -> str | None:
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        out.append(Finding.of("F002", rel, variant="empty"))
        return None
    if (data[:2] not in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in data) or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        out.append(Finding.of("F003", rel, variant="binary"))
        return None
    d = decode(data)
    if d.how == "utf-16":
        out.append(Finding.of("F003", rel, variant="utf16"))
        return None
    if d.how == "unknown":
        out.append(Finding.of("F003", rel, variant="encoding"))
        return None
    if d.how == "control":
        out.append(Finding.of("F003", rel, variant="control", start=d.line, codepoint=ord(d.char), line=d.line))
        return None
    if d.how == "gb18030":
        out.append(Finding.of("F004", rel, line=1))
    return d.text


def _delimiter(text: str, rel: str, out: list[Finding]) -> str:
    """Comma, unless tabs or semicolons clearly separate the first lines."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:10]
    count = {d: sum(ln.count(d) for ln in lines) for d in (",", "\t", ";")}
    if count[","] >= max(count["\t"], count[";"]):
        return ","
    delim = "\t" if count["\t"] >= count[";"] else ";"
    name = CATALOGUE["F005"].phrase("tab" if delim == "\t" else "semicolon")
    out.append(Finding.of("F005", rel, name=name, line=1))
    return delim


def _records(text: str, delim: str, rel: str, out: list[Finding]) -> list[tuple[int, list[str]]] | None:
    """``(line, cells)`` per record; None (and F003) when the text is not CSV.

    Strict parsing first, to catch a quote that is never closed (lenient parsing
    would swallow the rest of the file into one cell); strict parsing also
    rejects stray quotes inside a cell, which lenient parsing reads as text.
    """
    for strict in (True, False):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=strict)
        records: list[tuple[int, list[str]]] = []
        start = 1
        try:
            for cells in reader:
                records.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                out.append(Finding.of("F003", rel, variant="quote", start=start, line=start, found='"'))
                return None
            if strict:
                continue
            out.append(Finding.of("F003", rel, variant="csv", start=start, exc=exc, line=start))
            return None
        return records
    return None  # pragma: no cover - the lenient pass returns


@dataclass
class _Header:
    """What a header line says about the data fields after the stub."""

    line: int  # 0: no header line seen, columns taken from the spec
    ids: list[str | None]  # column id per data field; None: blank or unusable label
    skip: set[int] = field(default_factory=set)  # fields whose label is reported (L102, L104, L109)
    suggested: set[str] = field(default_factory=set)  # column ids an L102 offers instead

    @functools.cached_property
    def width(self) -> int:
        """Data fields up to the last labelled one (asked once the header is read)."""
        labelled = [k for k, cid in enumerate(self.ids) if cid is not None or k in self.skip]
        return labelled[-1] + 1 if labelled else 0

    def plan(self, row: Row, spec: TableSpec) -> _Plan | None:
        """How a well-formed line of ``row`` reads under this header: which
        fields hold which counts and which must be empty; None when a line of
        this row always needs the full reading (a reported label, a missing
        column, an amount). The same for every file with this header: made once."""
        if self.skip:
            return None
        plans = spec.plans  # the spec owns the memo: one per header shape and row
        key = (tuple(self.ids), row.id)
        if key not in plans:
            plans[key] = _make_plan(self, row, spec)
        return plans[key]  # type: ignore[no-any-return]


@dataclass
class _Plan:
    counts: list[tuple[int, str]]  # (field index, column id)
    empty: list[int]  # field indexes that must be empty
    fields: int


def _make_plan(header: _Header, row: Row, spec: TableSpec) -> _Plan | None:
    derived_cols = spec.derived_cols
    counts, empty = [], []
    for k, cid in enumerate(header.ids):
        if cid is not None and cid in row.cols:
            if spec.unit(cid) != "count":
                return None
            counts.append((k, cid))
        else:
            empty.append(k)
    have = {cid for _, cid in counts}
    if any(c not in have and not (c in derived_cols and c not in header.ids) for c in row.cols):
        return None
    return _Plan(counts, empty, len(header.ids))


def load_table(path: Path, spec: TableSpec, rel: str, content: bytes | None = None) -> tuple[TableData, list[Finding]]:
    """Read ``path`` as table ``spec``; ``rel`` is the path findings show.

    ``content``: the file's bytes as they would be (the workbench checks what
    is typed without writing it); ``path`` is then not read."""
    out: list[Finding] = []
    data = TableData(spec, rel)
    if content is not None:
        raw = content
    elif not path.is_file():
        out.append(Finding.of("F001", rel, variant="file", table=spec.title, caption=spec.caption, name=path.name))
        return data, out
    else:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            out.append(Finding.of("F003", rel, variant="open", name=path.name, reason=exc.strerror or exc))
            return data, out
    text = _decode(raw, rel, out)
    if text is None:
        return data, out
    delim = _delimiter(text, rel, out)
    records = _records(text, delim, rel, out)
    if records is None:
        return data, out
    if not any(c.strip() for _, cells in records for c in cells):
        out.append(Finding.of("F002", rel, variant="blank"))
        return data, out

    row_labels, col_labels, stub_norm, titles, legacy = spec.row_labels, spec.col_labels, spec.stub_norm, spec.titles_norm, spec.legacy_norm

    header: _Header | None = None
    unknown: list[tuple[int, str, str | None]] = []  # (line, text, previous row id)
    prev_row: str | None = None
    replaced: set[str] = set()  # rows a 2019 row of the file stands in for
    order = list(spec.rows)

    for line, cells in records:
        first = cells[0].strip() if cells else ""
        rest = [c for c in cells[1:] if c.strip()]
        if not first and not rest:
            continue
        nfirst = normalise_label(first)
        if nfirst in titles and not rest:
            continue
        label, used = row_labels.split(cells)
        rid, variant = row_labels.match(label)
        if nfirst == stub_norm or (header is None and rid is None and nfirst not in legacy):
            if nfirst == stub_norm and first != spec.stub:
                out.append(Finding.of("L107", rel, variant="stub", label=show(first), stub=spec.stub, how=variant_kinds(first, spec.stub), line=line, col=1, expected=spec.stub, found=first))
            elif nfirst != stub_norm and nfirst != "":  # an empty corner cell is fine
                out.append(Finding.of("L110", rel, variant="stub", stub=spec.stub, label=show(first), line=line, col=1, expected=spec.stub, found=first))
            header = _header(cells, line, spec, col_labels, legacy, rel, out)
            continue
        if rid is None:
            if nfirst in legacy:
                lrow = next((lr for lr in spec.legacy_rows if normalise_label(lr.label) == nfirst), None)
                if lrow is not None:
                    replaced |= set(lrow.into)
                    out.append(Finding.of(code_id(lrow.code), rel, variant="legacy_row", values=_legacy_fields(spec, lrow), first=first, line=line, col=1, found=first, expected="、".join(spec.rows[r].label for r in lrow.into)))
                else:
                    out.append(Finding.of("L109", rel, variant="row", first=first, line=line, col=1, found=first))
            else:
                unknown.append((line, first, prev_row))
            continue
        official = spec.rows[rid].label
        if variant:
            split: dict[str, object] = {"parts": used} if used > 1 else {}
            out.append(Finding.of("L107", rel, variant="row_split" if split else "row", values=split, label=show(label), official=official,
                                  how=variant_kinds(label, official), line=line, col=1, expected=official, found=label))
        if rid in data.row_lines:
            out.append(Finding.of("L103", rel, official=official, first=data.row_lines[rid], line=line, col=1, expected="只出现一次", found=label))
            continue
        data.row_lines[rid] = line
        prev_row = rid
        if header is None and not any(f.code == "L110" for f in out):
            out.append(Finding.of("L110", rel, variant="row", stub=spec.stub, label=show(label), line=line, col=1, expected=spec.stub, found=label))
        head = header or _Header(0, list(spec.rows[rid].cols))  # no header: the official columns
        _read_row(data, spec.rows[rid], cells[used:], used + 1, head, line, rel, out)

    # Rows never seen: missing, unless a misspelled label stands in their place
    # or the table is derived from the rest.
    missing = [r for r in order if r not in data.row_lines]
    free = list(missing)  # each missing row is offered for one unknown label only
    for line, text, prev in unknown:
        guess = _guess(text, prev, order, free, data, row_labels)
        if guess:
            free.remove(guess)
        # The variant names what was found (a label, or none) and what the writer can do.
        kind = ("label" if text else "blank") + ("_guess" if guess else "" if missing else "_extra")
        fields: dict[str, object] = {"label": show(text)} if text else {}
        if guess:
            fields["guess"] = spec.rows[guess].label
        out.append(Finding.of("L101", rel, variant=kind, values=fields, line=line, col=1, found=text, expected=spec.rows[guess].label if guess else None))
    suggested = set(missing) - set(free)
    derived_rows = spec.derived_rows
    for rid in missing:
        if rid in suggested or rid in derived_rows:
            continue
        if rid in replaced:
            continue  # the 2019 row standing in its place is reported (L109)
        i = order.index(rid)
        after: dict[str, object] = {"previous": spec.rows[order[i - 1]].label} if i else {}
        out.append(Finding.of("L105", rel, variant="after" if i else "first", values=after, label=spec.rows[rid].label, expected=spec.rows[rid].label))

    _blank_split(data, out)
    _derive(data)
    data.loaded = True
    return data, out


def _legacy_fields(spec: TableSpec, lrow: LegacyRow) -> dict[str, object]:
    """The fields of a 2019-row finding: the 2019 row and the rows the 2021 format wants instead."""
    return {"table": spec.title, "legacy": lrow.label, "n": len(lrow.into), "rows": [spec.rows[r].label for r in lrow.into]}


def _blank_split(data: TableData, out: list[Finding]) -> None:
    """Rows that replace a 2019 row, all present and every cell blank: what a
    2019 layout leaves behind (an import, a copied form). One finding that says
    so, instead of a blank-cell finding (C201) per cell."""
    spec = data.spec
    for lrow in spec.legacy_rows:
        if lrow.blank_code is None or not all(r in data.row_lines for r in lrow.into):
            continue
        keys = [(r, c) for r in lrow.into for c in spec.rows[r].cols]
        if any(data.values.get(k) is not None or data.raw.get(k, "") for k in keys):
            continue
        lines = {data.row_lines[r] for r in lrow.into}
        out[:] = [f for f in out if not (f.code == "C201" and f.path == data.path and f.line in lines)]
        first = data.row_lines[lrow.into[0]]
        out.append(Finding.of(code_id(lrow.blank_code), data.path, values=_legacy_fields(spec, lrow), line=first, col=2, expected="各分项的数字（没有发生填 0）", found=""))


def _header(
    cells: list[str], line: int, spec: TableSpec, labels: Labels, legacy: frozenset[str], rel: str, out: list[Finding]
) -> _Header:
    head = _Header(line, [])
    seen: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for k, text in enumerate(cells[1:]):
        j = k + 2  # the CSV field
        t = text.strip()
        head.ids.append(None)
        if not t:
            continue
        cid, variant = labels.match(t)
        if cid is None:
            head.skip.add(k)
            if normalise_label(t) in legacy:
                out.append(Finding.of("L109", rel, variant="column", t=t, line=line, col=j, found=t))
            else:
                unknown.append((k, t))
            continue
        official = spec.columns[cid].label
        if variant:
            out.append(Finding.of("L107", rel, variant="column", label=show(t), official=official, how=variant_kinds(t, official), line=line, col=j, column=official, expected=official, found=t))
        if cid in seen:
            head.skip.add(k)
            out.append(Finding.of("L104", rel, official=official, first=seen[cid], line=line, col=j, column=official, expected="只出现一次", found=t))
            continue
        seen[cid] = j
        head.ids[k] = cid
    # Suggest only columns the header lacks, each for one unknown label.
    free = [c for c in spec.columns if c not in seen]
    for k, t in unknown:
        near = labels.nearest(t, free)
        if near:
            free.remove(near)
            head.suggested.add(near)
        kind = "guess" if near else "extra" if len(seen) == len(spec.columns) else None
        guess: dict[str, object] = {"guess": spec.columns[near].label} if near else {}
        out.append(Finding.of("L102", rel, variant=kind, values=guess, label=show(t), line=line, col=k + 2, found=t, expected=spec.columns[near].label if near else None))
    return head


def _rejoin_thousands(fields: list[tuple[int, str]], width: int) -> list[tuple[int, str, int]]:
    """``(field, text, parts)``: a number like 1,369 written without quotes
    spills over two fields; when a line has more fields than its header, join
    such groups back (``parts`` > 1) so the columns after it line up again."""
    filled = [k for k, (_, t) in enumerate(fields) if t.strip()]
    excess = filled[-1] + 1 - width if filled else 0
    plain = [(j, t, 1) for j, t in fields]
    if excess <= 0:
        return plain
    joined: list[tuple[int, str, int]] = []
    k = 0
    while k < len(fields):
        j, t = fields[k]
        n = 1
        if excess > 0 and _GROUP_HEAD.match(t.strip()):
            while excess > 0 and k + n < len(fields) and _GROUP_LAST.match(nxt := fields[k + n][1].strip()):
                n, excess = n + 1, excess - 1
                if "." in nxt:
                    break
        joined.append((j, ",".join(x for _, x in fields[k : k + n]), n))
        k += n
    return joined if excess == 0 else plain


def _read_row(
    data: TableData,
    row: Row,
    texts: list[str],
    start: int,
    header: _Header,
    line: int,
    rel: str,
    out: list[Finding],
) -> None:
    """Read the data cells ``texts`` of one row; the first is CSV field ``start``."""
    if _read_plain_row(data, row, texts, start, header, line):
        return
    spec = data.spec
    derived_cols = spec.derived_cols
    cols = header.ids
    cells = _rejoin_thousands(list(enumerate(texts, start=start)), header.width)
    for k, (j, text, parts) in enumerate(cells):
        if k in header.skip:
            continue  # the column's label is reported already
        cid = cols[k] if k < len(cols) else None
        if cid is None or cid not in row.cols:
            if text.strip():
                if cid is None:
                    out.append(Finding.of("L108", rel, variant="beyond", row=row.label, field=j, text=show(text), width=header.width,
                                          line=line, col=j, expected="", found=text))
                else:
                    out.append(Finding.of("L108", rel, variant="not_in_row", row=row.label, label=spec.columns[cid].label, field=j,
                                          text=show(text), line=line, col=j, expected="", found=text))
            continue
        label = spec.columns[cid].label
        value, problems = parse_cell(text, spec.unit(cid))
        for code, variant, fields, expected in problems:
            if code == "C203" and parts > 1:
                variant, fields = "split", {**fields, "parts": parts}
            out.append(Finding.of(code, rel, variant=variant, table=spec.title, row=row.label, label=label, values=fields,
                                  line=line, col=j, column=label, expected=expected, found=text))
        data.values[(row.id, cid)] = value
        data.raw[(row.id, cid)] = text.strip()
        data.pos[(row.id, cid)] = (line, j)
    # The CSV field where data position k would be, past the line's end.
    end = cells[-1][0] + cells[-1][2] if cells else start
    for cid in row.cols:
        if (row.id, cid) in data.pos or (cid in derived_cols and cid not in cols):
            continue
        label = spec.columns[cid].label
        if cid in cols:  # the header has it, this line is short
            k = cols.index(cid)
            out.append(Finding.of("C201", rel, table=spec.title, row=row.label, label=label, line=line, col=end + k - len(cells), column=label, expected="0", found=""))
            data.values[(row.id, cid)] = None
        elif cid in header.suggested:
            continue  # the misspelled column label is reported (L102)
        elif not any(f.code == "L106" and f.line == (header.line or None) and f.column == label for f in out):
            out.append(Finding.of("L106", rel, label=label, line=header.line or None, column=label, expected=label))


def _read_plain_row(data: TableData, row: Row, texts: list[str], start: int, header: _Header, line: int) -> bool:
    """The usual line, read quickly: every count plain digits, every other field
    empty, nothing to report. False (nothing read) for any other line."""
    plan = header.plan(row, data.spec)
    if plan is None or len(texts) < plan.fields:
        return False
    if any(texts[k] for k in plan.empty) or any(texts[plan.fields :]):
        return False
    for k, _ in plan.counts:
        t = texts[k]
        if not (t.isascii() and t.isdigit()) or len(t) > MAX_DIGITS:
            return False
    rid, values, raw, pos = row.id, data.values, data.raw, data.pos
    for k, cid in plan.counts:
        t = texts[k]
        values[(rid, cid)] = int(t)
        raw[(rid, cid)] = t
        pos[(rid, cid)] = (line, start + k)
    return True


def _guess(text: str, prev: str | None, order: list[str], free: list[str], data: TableData, labels: Labels) -> str | None:
    """The missing row an unknown label most likely stands for: the first free
    one in the gap after the last matched row if it looks alike (or the label is
    blank), else the most similar free row."""
    idx = order.index(prev) + 1 if prev is not None else 0
    while idx < len(order) and order[idx] not in data.row_lines:
        if order[idx] in free:
            if not text or labels.similarity(text, order[idx]) >= 0.4:
                return order[idx]
            break
        idx += 1
    return labels.nearest(text, free) if text else None


def _derive(data: TableData) -> None:
    """Compute derived rows/columns the CSV leaves out (columns first)."""
    spec = data.spec
    for d in sorted(spec.derived, key=lambda d: d.axis != "col"):
        rel = spec.relation(d.relation)
        if d.axis == "col":
            if any((r, d.id) in data.pos for r in spec.rows):
                continue
            for r in spec.rows.values():
                if d.id in r.cols and r.id in data.row_lines:
                    data.values[(r.id, d.id)] = total([data.values.get((r.id, c)) for c in rel.left])
                    data.derived.add((r.id, d.id))
        else:
            if d.id in data.row_lines:
                continue
            for c in spec.rows[d.id].cols:
                data.values[(d.id, c)] = total([data.values.get((r, c)) for r in rel.left])
                data.derived.add((d.id, c))
