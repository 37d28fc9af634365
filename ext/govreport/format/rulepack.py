"""Rule packs: a district's or province's own rules as data (issue 20), loaded like the spec.

A pack is a YAML file named in ``portal.toml`` (``rule_packs = ["rules/x.yaml"]``)::

    id: shiliqu            # unique among the loaded packs
    version: "1"
    title: 示例区补充规则
    formats: ["2021"]      # optional: the format versions it applies to (default: every one)
    rules:
      - code: K001         # K and three digits: unique across the loaded packs
        kind: relation     # relation | phrase | deadline
        severity: error    # error | warning
        title: …           # the code's title on the codes page
        help: …            # its explanation
        message: "…{left}…{right}…"   # the finding's text: named fields of its kind (FIELDS)
        waivable: true     # may waivers.toml waive it (a warning always may)
        left: t3.new.total             # relation: a cell (table.row.column ids of the spec)
        op: "<="                       #   ==, <= or >=
        right: {sum: [t2.rules.new, t2.normative.new]}   # a cell or the sum of cells
      - {code: K002, kind: phrase, section: 5, any: [培训], …}          # the narrative (section 5, or
                                                                      # anywhere without section) says one of ``any``
      - {code: K003, kind: deadline, by: "01-31", years_after: 1,    # published (report.toml) by then;
         missing: "…{due}…", …}                                      # ``missing``: the text when none is written

Validated on load exactly like the format spec (:mod:`.specvalid`): unknown keys,
unknown cell ids or sections, bad ops, template fields a kind does not give,
duplicate codes or pack ids are errors naming ``file:line``, all at once. Each
rule's finding is declared in the catalogue (``findings.declare_pack_code``), with the
wording of its kind's fields from ``findings.yaml`` (``packs:``). Pure Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..findings import CATALOGUE, DECLARED, PACK_WORDING, Code, Severity, TemplateError, declare_pack_code, template_fields
from .spec import FormatSpec, load_spec, versions
from .specvalid import Path_, SpecError, _line, _where, read_yaml

Op = Literal["==", "<=", ">="]
#: How a message shows an operator.
OP_SIGN = {"==": "＝", "<=": "≤", ">=": "≥"}

#: The named fields each kind's templates may use (``message``; a deadline's ``missing``).
FIELDS: dict[str, tuple[str, ...]] = {
    "relation": ("left", "right", "op", "left_name", "right_name"),
    "phrase": ("section", "phrases"),
    "deadline": ("published", "due", "year"),
    "missing": ("due", "year"),
}


class PackError(SpecError):
    """Errors in rule packs (or in how portal.toml names them), one per line: ``file:LINE: message``."""


@dataclass(frozen=True)
class Cell:
    table: str
    row: str
    col: str

    @property
    def ref(self) -> str:
        return f"{self.table}.{self.row}.{self.col}"


@dataclass(frozen=True)
class Side:
    """One side of a relation: a cell, or the sum of cells."""

    cells: tuple[Cell, ...]

    @property
    def ref(self) -> str:
        return "＋".join(c.ref for c in self.cells)


@dataclass(frozen=True)
class Rule:
    code: Code  # whether waivers.toml may waive its findings is the code's ``waivable``
    kind: str
    line: int  # of the rule in its pack


@dataclass(frozen=True)
class RelationRule(Rule):
    left: Side
    op: Op
    right: Side


@dataclass(frozen=True)
class PhraseRule(Rule):
    section: int | None  # 1-based section of the format; None: anywhere in the narrative
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class DeadlineRule(Rule):
    month: int
    day: int
    years_after: int

    def due(self, year: int) -> dt.date:
        return dt.date(year + self.years_after, self.month, self.day)


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    title: str
    path: str  # as errors and the codes page name it
    formats: tuple[str, ...]
    rules: tuple[Rule, ...]

    def applies(self, version: str) -> bool:
        return version in self.formats


# ------------------------------------------------------------------- schema

_TEXT = {"type": "string", "minLength": 1}
_CELL_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$"}
_SIDE = {"oneOf": [_CELL_ID, {"type": "object", "properties": {"sum": {"type": "array", "items": _CELL_ID, "minItems": 2}},
                              "required": ["sum"], "additionalProperties": False}]}


def _obj(props: dict[str, Any], *required: str) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": False}


_COMMON = {"code": {"type": "string", "pattern": "^K[0-9]{3}$"}, "kind": {"enum": ["relation", "phrase", "deadline"]},
           "severity": {"enum": ["error", "warning"]}, "title": _TEXT, "help": _TEXT, "message": _TEXT, "waivable": {"type": "boolean"}}
_REQUIRED = ("code", "kind", "severity", "title", "help", "message", "waivable")
RULES: dict[str, dict[str, Any]] = {
    "relation": _obj({**_COMMON, "left": _SIDE, "op": {"enum": ["==", "<=", ">="]}, "right": _SIDE}, *_REQUIRED, "left", "op", "right"),
    "phrase": _obj({**_COMMON, "section": {"type": "integer", "minimum": 1}, "any": {"type": "array", "items": _TEXT, "minItems": 1}},
                   *_REQUIRED, "any"),
    "deadline": _obj({**_COMMON, "by": {"type": "string", "pattern": "^[0-9]{2}-[0-9]{2}$"},
                      "years_after": {"type": "integer", "minimum": 0, "maximum": 2}, "missing": _TEXT}, *_REQUIRED, "by", "missing"),
}
SCHEMA: dict[str, Any] = _obj(
    {"id": {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"}, "version": _TEXT, "title": _TEXT,
     "formats": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{4}$"}, "minItems": 1},
     # each rule's keys are checked by its kind's schema (RULES): the messages then name the kind
     "rules": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["kind"],
                                                         "properties": {"kind": _COMMON["kind"]}}}},
    "id", "version", "title", "rules",
)


def _schema_errors(schema: dict[str, Any], instance: Any, base: Path_, lines: dict[Path_, int]) -> Iterator[tuple[int, str]]:
    """(line, message) of each way ``instance`` (at ``base`` in the file) breaks ``schema``."""
    import jsonschema  # only when a pack is loaded

    for err in jsonschema.Draft202012Validator(schema).iter_errors(instance):
        at: Path_ = (*base, *err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = sorted(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - set(allowed)):
                yield _line(lines, (*at, key)), f"unknown key “{key}” in {_where(at)} (allowed: {', '.join(allowed)})"
        elif err.validator == "oneOf":
            yield _line(lines, at), f"{_where(at)}: write a cell (table.row.column, e.g. t3.new.total) or {{sum: [cell, cell, …]}}"
        else:
            yield _line(lines, at), f"{_where(at)}: {err.message}"


# --------------------------------------------------------------- loading


def load_packs(files: Iterable[tuple[Path, str]]) -> tuple[Pack, ...]:
    """Read and validate the packs ``files`` (``(path, as errors name it)``), in order, and
    declare their codes; raises :class:`PackError` listing every problem of every pack
    (a code or pack id twice across packs too): nothing is declared then."""
    errors: list[str] = []
    packs: list[Pack] = []
    codes: dict[str, str] = {}  # code -> where first declared
    ids: dict[str, str] = {}
    for path, shown in files:
        try:
            raw, lines = read_yaml(path.read_bytes(), shown)
        except SpecError as exc:
            errors += exc.errors
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"{shown}:1: cannot read the rule pack ({exc})")
            continue
        found = sorted(set(_validate(raw, lines)))
        if not found:
            pid = str(raw["id"])
            if pid in ids:
                found.append((_line(lines, ("id",)), f"id: pack “{pid}” is also {ids[pid]}"))
            ids.setdefault(pid, f"{shown}:{_line(lines, ('id',))}")
            for k, r in enumerate(raw["rules"]):
                at = f"{shown}:{_line(lines, ('rules', k, 'code'))}"
                if r["code"] in codes:
                    found.append((_line(lines, ("rules", k, "code")), f"rules.{k}.code: {r['code']} is also declared at {codes[r['code']]}"))
                codes.setdefault(r["code"], at)
        if found:
            errors += [f"{shown}:{line}: {msg}" for line, msg in sorted(found)]
            continue
        packs.append(_build(raw, lines, shown))
    if errors:
        raise PackError(errors)
    for pack in packs:
        for rule in pack.rules:
            declare_pack_code(rule.code)
    return tuple(packs)


def _validate(raw: dict[str, Any], lines: dict[Path_, int]) -> list[tuple[int, str]]:
    """(line, message) of every problem of one pack; the cross-references only once the shape is right."""
    found = list(_schema_errors(SCHEMA, raw, (), lines))
    if found:
        return found
    known = versions()
    formats = [str(f) for f in raw.get("formats", known)]
    for i, f in enumerate(formats):
        if f not in known:
            found.append((_line(lines, ("formats", i)), f"formats: “{f}” is not a format version ({', '.join(known)})"))
    specs = [load_spec(f) for f in formats if f in known]
    for k, rule in enumerate(raw["rules"]):
        at: Path_ = ("rules", k)
        shape = list(_schema_errors(RULES[rule["kind"]], rule, at, lines))
        if shape:
            found += shape
            continue
        code = rule["code"]
        if code in CATALOGUE and code not in DECLARED:
            found.append((_line(lines, (*at, "code")), f"rules.{k}.code: {code} is a code of the findings catalogue"))
        if rule["severity"] == "warning" and rule["waivable"] is False:
            found.append((_line(lines, (*at, "waivable")), f"rules.{k}.waivable: a warning can always be waived (false is for errors)"))
        found += _template(rule["message"], FIELDS[rule["kind"]], (*at, "message"), lines)
        if rule["kind"] == "deadline":
            found += _template(rule["missing"], FIELDS["missing"], (*at, "missing"), lines)
            month, day = (int(x) for x in rule["by"].split("-"))
            try:
                dt.date(2001, month, day)  # not a leap year: 02-29 is not a date every year
            except ValueError:
                found.append((_line(lines, (*at, "by")), f"rules.{k}.by: “{rule['by']}” is not a date of every year (MM-DD)"))
        elif rule["kind"] == "relation":
            for side in ("left", "right"):
                value = rule[side]
                refs = [(value, (*at, side))] if isinstance(value, str) else [(c, (*at, side, "sum", i)) for i, c in enumerate(value["sum"])]
                for ref, where in refs:
                    for spec in specs:
                        problem = _cell_problem(spec, ref)
                        if problem:
                            found.append((_line(lines, where), f"{_where(where)}: {problem}"))
        elif "section" in rule:
            for spec in specs:
                if rule["section"] > len(spec.sections):
                    found.append((_line(lines, (*at, "section")),
                                  f"rules.{k}.section: {rule['section']} is not a section of format {spec.version} (1 to {len(spec.sections)})"))
    return found


def _template(text: str, allowed: tuple[str, ...], at: Path_, lines: dict[Path_, int]) -> list[tuple[int, str]]:
    try:
        names = template_fields(text)
    except TemplateError as exc:
        return [(_line(lines, at), f"{_where(at)}: {exc}")]
    return [(_line(lines, at), f"{_where(at)}: unknown field {{{n}}} (this kind gives: {', '.join(allowed)})") for n in names if n not in allowed]


def _cell_problem(spec: FormatSpec, ref: str) -> str | None:
    """Why ``ref`` (``t3.new.total``) is not a data cell of ``spec``, or None."""
    tid, row, col = ref.split(".")
    t = spec.tables.get(tid)
    if t is None:
        return f"unknown cell “{ref}”: format {spec.version} has no table “{tid}” (known: {', '.join(spec.tables)})"
    if row not in t.rows:
        return f"unknown cell “{ref}”: {tid} of format {spec.version} has no row “{row}” ({_known(t.rows)})"
    if col not in t.rows[row].cols:
        return f"unknown cell “{ref}”: row {tid}.{row} of format {spec.version} has no column “{col}” ({_known(t.rows[row].cols)})"
    return None


def _known(items: Iterable[str]) -> str:
    names = list(items)
    return "known: " + ", ".join(names[:8]) + (" …" if len(names) > 8 else "")


def _side(value: str | dict[str, list[str]]) -> Side:
    refs = [value] if isinstance(value, str) else value["sum"]
    return Side(tuple(Cell(*r.split(".")) for r in refs))


def _build(raw: dict[str, Any], lines: dict[Path_, int], shown: str) -> Pack:
    rules: list[Rule] = []
    for k, r in enumerate(raw["rules"]):
        variants = {"missing": r["missing"]} if r["kind"] == "deadline" else {}
        # The fields' wording is the catalogue's (findings.yaml packs:): a join only for a field the pack's texts name.
        wording = PACK_WORDING[r["kind"]]
        named = {n for t in [r["message"], *variants.values()] for n in template_fields(t)}
        code = Code(r["code"], Severity(r["severity"]), r["title"], r["help"], template=r["message"], variants=variants,
                    waivable=bool(r["waivable"]), phrases=wording.phrases,
                    joins={name: sep for name, sep in wording.joins.items() if name in named})
        head = (code, r["kind"], _line(lines, ("rules", k)))
        if r["kind"] == "relation":
            rules.append(RelationRule(*head, _side(r["left"]), r["op"], _side(r["right"])))
        elif r["kind"] == "phrase":
            rules.append(PhraseRule(*head, r.get("section"), tuple(r["any"])))
        else:
            month, day = (int(x) for x in r["by"].split("-"))
            rules.append(DeadlineRule(*head, month, day, int(r.get("years_after", 1))))
    return Pack(str(raw["id"]), str(raw["version"]), str(raw["title"]), shown,
                tuple(str(f) for f in raw.get("formats", versions())), tuple(rules))
