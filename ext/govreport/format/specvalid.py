"""Validate a format spec on load, with located errors (``specs/gov2021.yaml:LINE: …``).

Two layers: JSON Schema (the ``jsonschema`` library) for the shape, with unknown
keys rejected, so that ``colz:`` is an error and not "all columns"; then the
cross-references in code: every id a row, relation, derived cell, grid cell or
across-year rule names exists; the grid covers each data cell exactly once and
is a full rectangle; every finding code is in the catalogue; no id twice; no
label written a second time in the grid (the grid refers to labels by id).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..findings import CATALOGUE, CATALOGUE_FILE, read_located_yaml
from .labels import normalise_label
from .wording import prose_pattern, prose_pieces

Path_ = tuple[str | int, ...]


class SpecError(ValueError):
    """Errors in a spec file, one per line: ``specs/gov2021.yaml:LINE: message``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# ------------------------------------------------------------------ reading


def read_yaml(data: bytes, shown: str) -> tuple[dict[str, Any], dict[Path_, int]]:
    """The spec (the file's bytes) as plain data, and the line (1-based) of every key and list item
    (``findings.read_located_yaml``, the project's one located-YAML reader; errors as SpecError)."""
    raw, lines = read_located_yaml(data.decode("utf-8"), shown, SpecError, top=None)
    if not isinstance(raw, dict):
        raise SpecError([f"{shown}:1: the spec must be a mapping (version:, tables:, …)"])
    return raw, lines


def _where(at: Path_) -> str:
    return ".".join(str(p) for p in at) or "the top level"


# ------------------------------------------------------------------- schema

_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_IDS = {"type": "array", "items": _ID, "minItems": 1}
_TEXT = {"type": "string", "minLength": 1}
_SPAN = {"type": "integer", "minimum": 1}
_CODE = {"type": "string", "pattern": "^[A-Z][0-9]{3}$"}


def _obj(props: dict[str, Any], *required: str) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": False}


_CELL_CONTENT = ("h", "s", "col", "label", "head", "title", "stub", "d", "row")
_CELL = _obj({
    "h": _TEXT, "s": _TEXT, "col": _ID, "label": _ID, "head": _ID, "title": _ID,
    "stub": {"const": True}, "d": {"type": "string", "pattern": "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$"}, "row": _ID,
    "rs": _SPAN, "cs": _SPAN,
})
_RELATION = _obj(
    {"id": _ID, "code": _CODE, "name": _TEXT, "each": {"enum": ["column", "row"]},
     "left": _IDS, "right": _IDS, "left_name": _TEXT, "right_name": _TEXT},
    "id", "code", "name", "each", "left", "right",
)
_TABLE = _obj(
    {
        "number": _TEXT, "section": {"type": "integer", "minimum": 0}, "caption": _TEXT,
        "file": {"type": "string", "pattern": "^[A-Za-z0-9_-]+\\.csv$"}, "stub": _TEXT,
        "legacy": {"type": "array", "items": _TEXT},
        "legacy_rows": {"type": "array", "items": _obj({"label": _TEXT, "into": _IDS, "code": _CODE, "blank_code": _CODE}, "label", "into", "code")},
        "columns": {"type": "object", "minProperties": 1, "propertyNames": _ID,
                    "additionalProperties": _obj({"label": _TEXT, "unit": {"enum": ["count", "signed", "wan_yuan"]}}, "label")},
        "rows": {"type": "object", "minProperties": 1, "propertyNames": _ID,
                 "additionalProperties": _obj({"label": _TEXT, "cols": _IDS, "title": _TEXT}, "label")},
        "derived": {"type": "array", "items": {
            "oneOf": [_obj({"col": _ID, "from": _ID}, "col", "from"), _obj({"row": _ID, "from": _ID}, "row", "from")]}},
        "relations": {"type": "array", "items": _RELATION},
        "widths": {"type": "array", "items": _SPAN, "minItems": 1},
        "head": {"type": "integer", "minimum": 0},
        "grid": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": _CELL}},
        "anchors": _obj({k: {"type": "array", "items": _TEXT} for k in ("line", "run", "run_strict", "run_head", "flat_row", "page")}),
    },
    "number", "section", "caption", "file", "stub", "columns", "rows", "widths", "head", "grid",
)
_NAMES = {"type": "object", "propertyNames": _ID, "additionalProperties": _TEXT}
_ACROSS = _obj(
    {"id": _ID, "code": _CODE, "table": _ID, "each": {"enum": ["column", "row"]}, "this": _ID, "last": _ID,
     "name": _TEXT, "last_name": _TEXT, "rows": _IDS, "plus": _NAMES, "minus": _NAMES, "new_report": _IDS},
    "id", "code", "table", "each", "this", "last", "name", "last_name",
)
_REF = {"type": "string", "pattern": "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$"}  # table.row.column
_REFS = {"type": "array", "items": _REF, "minItems": 1}
_PHRASE = {"id": _ID, "pattern": _TEXT, "what": _TEXT, "sum": _REFS}
_PROSE = _obj(
    {
        "count": _TEXT, "denied": _TEXT,
        "outcomes": _obj({"table": _ID, "columns": _IDS}, "table", "columns"),
        "counts": {"type": "array", "items": _obj(
            {**_PHRASE, "outcome": _TEXT, "also": _obj({"when": _TEXT, "sum": _REFS}, "when", "sum")}, "id", "pattern", "what", "sum")},
        "none": {"type": "array", "items": _obj(_PHRASE, "id", "pattern", "what", "sum")},
    },
    "count",
)
_FIGURE = {"oneOf": [
    _obj({"label": _TEXT, "unit": _TEXT, "sum": _REFS}, "label", "unit", "sum"),
    _obj({"label": _TEXT, "unit": _TEXT, "share": _obj({"part": _REF, "of": _REF}, "part", "of")}, "label", "unit", "share"),
]}
_CHART = _obj({"title": _TEXT, "figures": _IDS, "aliases": {"type": "array", "items": _TEXT}}, "title", "figures")
SCHEMA: dict[str, Any] = _obj(
    {
        "version": {"type": "string", "pattern": "^[0-9]{4}$"},
        "name": _TEXT,
        "years": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "sections": {"type": "array", "items": _TEXT, "minItems": 1},
        "section_anchors": {"type": "array", "items": _TEXT},
        "tables": {"type": "object", "minProperties": 1, "propertyNames": _ID, "additionalProperties": _TABLE},
        "across_years": {"type": "array", "items": _ACROSS},
        "section_guide": {"type": "array", "items": _TEXT},
        "placeholder_starts": {"type": "array", "items": _TEXT, "minItems": 1},
        "prose": _PROSE,
        "figures": {"type": "object", "propertyNames": _ID, "additionalProperties": _FIGURE},
        "charts": {"type": "object", "propertyNames": _ID, "additionalProperties": _CHART},
    },
    "version", "name", "years", "sections", "tables", "section_guide", "placeholder_starts",
)


def _schema_errors(raw: dict[str, Any], lines: dict[Path_, int], shown: str) -> list[str]:
    import jsonschema  # only when a spec is loaded: once per process

    out: list[tuple[int, str]] = []
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for err in validator.iter_errors(raw):
        at: Path_ = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = sorted(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - set(allowed)):
                line = _line(lines, (*at, key))
                out.append((line, f"unknown key “{key}” in {_where(at)} (allowed: {', '.join(allowed)})"))
            continue
        if err.validator == "oneOf" and isinstance(err.instance, dict) and at[:1] == ("figures",):
            out.append((_line(lines, at), f"{_where(at)}: write {{label, unit, sum: [table.row.column, …]}} or {{label, unit, share: {{part, of}}}}"))
            continue
        if err.validator == "oneOf" and isinstance(err.instance, dict):
            out.append((_line(lines, at), f"{_where(at)}: write either {{col: id, from: relation}} or {{row: id, from: relation}}"))
            continue
        out.append((_line(lines, at), f"{_where(at)}: {err.message}"))
    return [f"{shown}:{line}: {msg}" for line, msg in sorted(set(out))]


def _line(lines: dict[Path_, int], at: Path_) -> int:
    """The line of ``at``, or of its nearest recorded parent."""
    while at not in lines:
        at = at[:-1]
    return lines[at]


# ---------------------------------------------------------- cross-references


def validate(raw: dict[str, Any], lines: dict[Path_, int], shown: str, text: bytes | None = None) -> None:
    """Raise ``SpecError`` listing every problem of the spec ``raw``.

    ``text``, the file's bytes: a spec found valid before (same text, same
    validator and catalogue) is not validated again, which spares every build
    and check process importing jsonschema (a mark under ``__pycache__``).
    """
    mark = _mark(text, shown) if text is not None else None
    if mark is not None and mark.is_file():
        return
    _validate(raw, lines, shown)
    if mark is not None:
        try:
            mark.parent.mkdir(exist_ok=True)
            mark.touch()
        except OSError:
            pass  # a read-only install validates each time


def _mark(text: bytes, shown: str) -> Path:
    h = hashlib.blake2b(text, digest_size=16)
    h.update(_code_digest())
    return _HERE / "__pycache__" / f"spec-valid-{os.path.basename(shown)}-{h.hexdigest()}"


_HERE = Path(__file__).parent


@functools.cache
def _code_digest() -> bytes:
    """This validator, the pieces of prose patterns and the findings catalogue (findings.py and findings.yaml,
    whose codes and variants a spec names): a change validates every spec again."""
    files = (_HERE / "specvalid.py", _HERE / "wording.py", _HERE.parent / "findings.py", CATALOGUE_FILE)
    return hashlib.blake2b(b"".join(p.read_bytes() for p in files), digest_size=16).digest()


def _validate(raw: dict[str, Any], lines: dict[Path_, int], shown: str) -> None:
    errors = _schema_errors(raw, lines, shown)
    if errors:  # the cross-references assume the shape
        raise SpecError(errors)
    found: list[tuple[int, str]] = []

    def err(at: Path_, msg: str) -> None:
        found.append((_line(lines, at), msg))

    if raw["years"][0] > raw["years"][1]:
        err(("years",), f"years: the first year {raw['years'][0]} is after the last {raw['years'][1]}")
    _patterns(raw.get("section_anchors", []), ("section_anchors",), "section_anchors", err)
    for tid, t in raw["tables"].items():
        _table(tid, t, len(raw["sections"]), err)
    numbers: dict[str, str] = {}
    files: dict[str, str] = {}
    for tid, t in raw["tables"].items():
        for what, value, seen in (("number", str(t["number"]), numbers), ("file", t["file"], files)):
            if value in seen:
                err(("tables", tid, what), f"tables.{tid}.{what}: “{value}” is also table {seen[value]}'s")
            seen.setdefault(value, tid)
    _across(raw, err)
    _vocabulary(raw, err)
    if found:
        raise SpecError([f"{shown}:{line}: {msg}" for line, msg in sorted(found)])


Err = Any  # Callable[[Path_, str], None]


def _patterns(patterns: list[str], at: Path_, name: str, err: Err) -> None:
    """The importer's anchors that are patterns: each must compile, so that no import fails on the spec."""
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            err((*at, i), f"{name}: “{pattern}” is not a regular expression ({exc})")


def _code(code: str, at: Path_, err: Err, texts: tuple[str | None, ...] = ()) -> None:
    """``code`` is in the catalogue and declares the message templates (variants) the check
    that reports it uses: a spec naming the wrong code fails here, not at the first finding."""
    if code not in CATALOGUE:
        err(at, f"{_where(at)}: finding code {code} is not in the findings catalogue (findings.yaml)")
        return
    missing = [t for t in texts if t not in CATALOGUE[code].texts()]
    if missing:
        err(at, f"{_where(at)}: finding code {code} has no message template {', '.join(map(repr, missing))} (findings.yaml)")


def _table(tid: str, t: dict[str, Any], nsections: int, err: Err) -> None:
    base: Path_ = ("tables", tid)
    cols, rows = t["columns"], t["rows"]
    if t["section"] >= nsections:
        err((*base, "section"), f"tables.{tid}.section: {t['section']} is not a section (0 to {nsections - 1})")
    row_cols: dict[str, list[str]] = {}
    for rid, r in rows.items():
        row_cols[rid] = list(r.get("cols", list(cols)))
        for i, c in enumerate(r.get("cols", [])):
            if c not in cols:
                err((*base, "rows", rid, "cols", i), f"tables.{tid}.rows.{rid}.cols: unknown column “{c}” ({_choices(cols)})")
        if len(set(row_cols[rid])) != len(row_cols[rid]):
            err((*base, "rows", rid, "cols"), f"tables.{tid}.rows.{rid}.cols: a column is listed twice")
    for kind, items in (("rows", rows), ("columns", cols)):
        seen: dict[str, str] = {}
        for i, item in items.items():
            n = normalise_label(str(item["label"]))
            if n in seen:
                err((*base, kind, i, "label"), f"tables.{tid}.{kind}.{i}: label “{item['label']}” is also {seen[n]}'s")
            seen.setdefault(n, i)
    rel_ids: dict[str, dict[str, Any]] = {}
    for k, rel in enumerate(t.get("relations", [])):
        at: Path_ = (*base, "relations", k)
        if rel["id"] in rel_ids:
            err((*at, "id"), f"tables.{tid}.relations: id “{rel['id']}” twice")
        rel_ids.setdefault(rel["id"], rel)
        _code(rel["code"], (*at, "code"), err, (rel["each"],))
        terms, kind = (rows, "row") if rel["each"] == "column" else (cols, "column")
        for side in ("left", "right"):
            for i, x in enumerate(rel[side]):
                if x not in terms:
                    err((*at, side, i), f"tables.{tid}.relations.{rel['id']}.{side}: unknown {kind} “{x}” ({_choices(terms)})")
    for k, d in enumerate(t.get("derived", [])):
        at = (*base, "derived", k)
        axis = "col" if "col" in d else "row"
        items = cols if axis == "col" else rows
        if d[axis] not in items:
            err((*at, axis), f"tables.{tid}.derived: unknown {'column' if axis == 'col' else 'row'} “{d[axis]}”")
        rel = rel_ids.get(d["from"])
        if rel is None:
            err((*at, "from"), f"tables.{tid}.derived: “from: {d['from']}” is not a relation of the table ({_choices(rel_ids)})")
        elif rel["right"] != [d[axis]] or rel["each"] != ("row" if axis == "col" else "column"):
            err((*at, "from"), f"tables.{tid}.derived: relation “{d['from']}” does not compute {axis} “{d[axis]}” (its right side must be just that)")
    for k, lr in enumerate(t.get("legacy_rows", [])):
        _code(lr["code"], (*base, "legacy_rows", k, "code"), err, ("legacy_row",))
        if "blank_code" in lr:
            _code(lr["blank_code"], (*base, "legacy_rows", k, "blank_code"), err, (None,))
        for i, x in enumerate(lr["into"]):
            if x not in rows:
                err((*base, "legacy_rows", k, "into", i), f"tables.{tid}.legacy_rows: unknown row “{x}”")
    for key in ("line", "run_head"):
        _patterns(t.get("anchors", {}).get(key, []), (*base, "anchors", key), f"tables.{tid}.anchors.{key}", err)
    _grid(tid, t, row_cols, err)


def _grid(tid: str, t: dict[str, Any], row_cols: dict[str, list[str]], err: Err) -> None:
    base: Path_ = ("tables", tid, "grid")
    cols, rows = t["columns"], t["rows"]
    labels = {normalise_label(str(t["stub"])): "{stub: true}"}
    labels |= {normalise_label(str(c["label"])): f"{{col: {i}}}" for i, c in cols.items()}
    labels |= {normalise_label(str(r["label"])): f"{{label: {i}}} or {{head: {i}}}" for i, r in rows.items()}
    labels |= {normalise_label(str(r["title"])): f"{{title: {i}}}" for i, r in rows.items() if "title" in r}
    covered: dict[tuple[str, str], int] = {}
    bad = False
    for gr, grid_row in enumerate(t["grid"]):
        for gc, cell in enumerate(grid_row):
            at: Path_ = (*base, gr, gc)
            content = [k for k in _CELL_CONTENT if k in cell]
            if len(content) != 1:
                err(at, f"tables.{tid}.grid row {gr} cell {gc}: write exactly one of {', '.join(_CELL_CONTENT)} (found {', '.join(content) or 'none'})")
                bad = True
                continue
            kind = content[0]
            v = cell[kind]
            if kind in ("h", "s") and normalise_label(str(v)) in labels:
                err(at, f"tables.{tid}.grid row {gr}: “{v}” is a label of the table; write {labels[normalise_label(str(v))]} (labels are written once)")
            elif kind == "col" and v not in cols:
                err(at, f"tables.{tid}.grid row {gr}: unknown column “{v}” ({_choices(cols)})")
                bad = True
            elif kind in ("label", "head", "title", "row") and v not in rows:
                err(at, f"tables.{tid}.grid row {gr}: unknown row “{v}” ({_choices(rows)})")
                bad = True
            elif kind == "title" and "title" not in rows[v]:
                err(at, f"tables.{tid}.grid row {gr}: row “{v}” has no title")
                bad = True
            elif kind == "d":
                r, c = v.split(".")
                if r not in rows or c not in row_cols[r]:
                    err(at, f"tables.{tid}.grid row {gr}: “{v}” is not a data cell of the table (row.column)")
                    bad = True
                    continue
                if (r, c) in covered:
                    err(at, f"tables.{tid}.grid row {gr}: data cell {r}.{c} appears twice (first in grid row {covered[(r, c)]})")
                covered.setdefault((r, c), gr)
            elif kind == "row":
                if "rs" in cell or "cs" in cell:
                    err(at, f"tables.{tid}.grid row {gr}: {{row: {v}}} takes no rs/cs (write {{d: row.col, cs: …}})")
                for c in row_cols[v]:
                    if (v, c) in covered:
                        err(at, f"tables.{tid}.grid row {gr}: data cell {v}.{c} appears twice (first in grid row {covered[(v, c)]})")
                    covered.setdefault((v, c), gr)
    if bad:
        return
    missing = [f"{r}.{c}" for r, cs in row_cols.items() for c in cs if (r, c) not in covered]
    if missing:
        err(base, f"tables.{tid}.grid does not show the data cell(s) {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
    for gr, problem in _geometry(t):
        err((*base, gr), f"tables.{tid}.grid row {gr}: {problem}")


def _geometry(t: dict[str, Any]) -> Iterator[tuple[int, str]]:
    """Place the cells as :func:`spec.occupancy` does; yield what does not fit."""
    ncols, nrows = len(t["widths"]), len(t["grid"])
    if t["head"] > nrows:
        yield 0, f"head: {t['head']} is more than the {nrows} grid rows"
    taken = [[False] * ncols for _ in range(nrows)]
    for r, grid_row in enumerate(t["grid"]):
        col = 0
        spans: list[tuple[int, int]] = []
        for cell in grid_row:
            if "row" in cell:
                spans += [(1, 1)] * len(t["rows"][cell["row"]].get("cols", list(t["columns"])))
            else:
                spans.append((int(cell.get("rs", 1)), int(cell.get("cs", 1))))
        for rs, cs in spans:
            while col < ncols and taken[r][col]:
                col += 1
            if col + cs > ncols or r + rs > nrows:
                yield r, f"a cell spans past the grid's {ncols} columns (widths) or {nrows} rows"
                return
            for rr in range(r, r + rs):
                for cc in range(col, col + cs):
                    if taken[rr][cc]:
                        yield r, f"cells overlap at column {cc} of grid row {rr}"
                        return
                    taken[rr][cc] = True
            col += cs
    for r, line in enumerate(taken):
        if not all(line):
            yield r, f"the row has {sum(line)} of the {ncols} columns (widths) filled"
            return


def _across(raw: dict[str, Any], err: Err) -> None:
    ids: set[str] = set()
    for k, a in enumerate(raw.get("across_years", [])):
        at: Path_ = ("across_years", k)
        name = f"across_years.{a['id']}"
        if a["id"] in ids:
            err((*at, "id"), f"across_years: id “{a['id']}” twice")
        ids.add(a["id"])
        _code(a["code"], (*at, "code"), err, (f"{a['each']}_equal", f"{a['each']}_sum"))
        t = raw["tables"].get(a["table"])
        if t is None:
            err((*at, "table"), f"{name}: unknown table “{a['table']}” ({_choices(raw['tables'])})")
            continue
        cols, rows = t["columns"], t["rows"]
        if a["each"] == "column":
            for key in ("rows", "plus", "minus"):
                if key in a:
                    err((*at, key), f"{name}: “{key}” is for each: row rules")
            for key in ("this", "last"):
                if a[key] not in rows:
                    err((*at, key), f"{name}.{key}: unknown row “{a[key]}” of {a['table']} ({_choices(rows)})")
            for i, x in enumerate(a.get("new_report", [])):
                if x not in rows:
                    err((*at, "new_report", i), f"{name}.new_report: unknown row “{x}”")
            continue
        if "rows" not in a:
            err(at, f"{name}: an each: row rule lists its rows (rows: [...])")
        for i, r in enumerate(a.get("rows", [])):
            if r not in rows:
                err((*at, "rows", i), f"{name}.rows: unknown row “{r}” of {a['table']} ({_choices(rows)})")
                continue
            have = rows[r].get("cols", list(cols))
            for key, c in [("this", a["this"]), ("last", a["last"]), *(("plus", c) for c in a.get("plus", {})),
                           *(("minus", c) for c in a.get("minus", {}))]:
                if c not in cols:
                    if i == 0:
                        err((*at, key), f"{name}.{key}: unknown column “{c}” of {a['table']} ({_choices(cols)})")
                elif c not in have:
                    err((*at, "rows", i), f"{name}: row “{r}” has no column “{c}”")
        for i, x in enumerate(a.get("new_report", [])):
            if x not in cols:
                err((*at, "new_report", i), f"{name}.new_report: unknown column “{x}”")


def _vocabulary(raw: dict[str, Any], err: Err) -> None:
    """``section_guide``, ``prose``, ``figures``, ``charts``: the words and sums the code reads by id."""
    guide = raw.get("section_guide")
    if guide is not None and len(guide) != len(raw["sections"]):
        err(("section_guide",), f"section_guide: {len(guide)} placeholders for {len(raw['sections'])} sections (one per section)")
    starts = tuple(raw.get("placeholder_starts", ()))
    for i, g in enumerate(guide or ()):
        if not str(g).startswith(starts):
            err(("section_guide", i), f"section_guide: placeholder {i + 1} does not begin as placeholder_starts says ({', '.join(starts)}): X802 would not find it left in a page")
    prose = raw.get("prose")
    if prose is not None:
        pieces = prose_pieces(prose)
        for key in ("count", "denied"):
            if key in prose:
                _regex(prose[key], ("prose", key), err)
        o = prose.get("outcomes")
        if o is not None:
            t = raw["tables"].get(o["table"])
            if t is None:
                err(("prose", "outcomes", "table"), f"prose.outcomes: unknown table “{o['table']}” ({_choices(raw['tables'])})")
            else:
                for i, c in enumerate(o["columns"]):
                    if c not in t["columns"]:
                        err(("prose", "outcomes", "columns", i), f"prose.outcomes: unknown column “{c}” of {o['table']} ({_choices(t['columns'])})")
        for kind in ("counts", "none"):
            seen: set[str] = set()
            for k, ph in enumerate(prose.get(kind, [])):
                at: Path_ = ("prose", kind, k)
                if ph["id"] in seen:
                    err((*at, "id"), f"prose.{kind}: id “{ph['id']}” twice")
                seen.add(ph["id"])
                try:
                    pattern = prose_pattern(ph["pattern"], pieces)
                except KeyError as exc:
                    err((*at, "pattern"), f"prose.{kind}.{ph['id']}.pattern: unknown piece ${{{exc.args[0]}}} (known: {', '.join(pieces)})")
                else:
                    if _regex(pattern, (*at, "pattern"), err) and kind == "counts" and re.compile(pattern).groups < 1:
                        err((*at, "pattern"), f"prose.counts.{ph['id']}.pattern: no group for the number (write ${{count}})")
                _refs(raw, ph["sum"], (*at, "sum"), err)
                if "also" in ph:
                    _regex(ph["also"]["when"], (*at, "also", "when"), err)
                    _refs(raw, ph["also"]["sum"], (*at, "also", "sum"), err)
                if "outcome" in ph and o is None:
                    err((*at, "outcome"), f"prose.counts.{ph['id']}: “outcome” needs prose.outcomes (the outcome columns)")
    figures = raw.get("figures", {})
    for fid, f in figures.items():
        at = ("figures", fid)
        if "sum" in f:
            _refs(raw, f["sum"], (*at, "sum"), err)
        else:
            _refs(raw, [f["share"]["part"], f["share"]["of"]], (*at, "share"), err)
    for cid, c in raw.get("charts", {}).items():
        for i, fid in enumerate(c["figures"]):
            if fid not in figures:
                err(("charts", cid, "figures", i), f"charts.{cid}.figures: unknown figure “{fid}” ({_choices(figures)})")


def _regex(pattern: str, at: Path_, err: Err) -> bool:
    try:
        re.compile(pattern)
    except re.error as exc:
        err(at, f"{_where(at)}: not a regular expression: {exc}")
        return False
    return True


def _refs(raw: dict[str, Any], refs: list[str], at: Path_, err: Err) -> None:
    """Each ``table.row.column`` names a data cell of the spec."""
    for i, ref in enumerate(refs):
        tid, rid, cid = ref.split(".")
        t = raw["tables"].get(tid)
        where = (*at, i) if len(refs) > 1 or at[-1] != "share" else at
        if t is None:
            err(where, f"{_where(at)}: “{ref}”: unknown table “{tid}” ({_choices(raw['tables'])})")
        elif rid not in t["rows"]:
            err(where, f"{_where(at)}: “{ref}”: unknown row “{rid}” of {tid} ({_choices(t['rows'])})")
        elif cid not in t["rows"][rid].get("cols", list(t["columns"])):
            err(where, f"{_where(at)}: “{ref}”: row “{rid}” of {tid} has no column “{cid}”")


def _choices(items: Any) -> str:
    names = list(items)
    return "known: " + ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
