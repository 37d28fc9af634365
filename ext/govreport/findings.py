"""Findings: what the checks report, with a stable code, a severity and a location.

Modelled on frictionless-py's errors and sphinx-needs' warning catalogue: every
kind of finding is declared once, as data, in ``findings.yaml`` (code, severity,
whether it can be waived, title, explanation, message templates), loaded and
validated into :data:`CATALOGUE` at import; the site's code page and the
``CodeId`` literal (``tools/findingcodes.py``) are generated from it. Its ``packs:``
(:data:`PACK_WORDING`) words the fields rule packs' codes are given (a cell, a section, a date).
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, get_args

from .findingcodes import CodeId
from .pycache import kept

if TYPE_CHECKING:
    import yaml


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def zh(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


E, W = Severity.ERROR, Severity.WARNING


#: Names a template may not use: they are the finding's own fields (location, expected, found).
RESERVED = frozenset({"code", "path", "line", "col", "column", "expected", "found", "variant", "waived", "severity", "values"})


class TemplateError(ValueError):
    """A message template that cannot be formatted, or fields that do not fit it."""


@functools.lru_cache(maxsize=1024)  # every finding formats its template: parse each text once
def template_fields(template: str) -> tuple[str, ...]:
    """The named fields of ``template`` in order of first use; positional (``{}``, ``{0}``),
    attribute or index fields (``{a.b}``, ``{a[0]}``) and reserved names are errors: a template
    is filled only by the names its code declares."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"template {template!r}: {exc}") from None
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if not name.isidentifier() or name in RESERVED:
            raise TemplateError(f"template {template!r}: field {{{name}}} is not a declared name")
        if spec and "{" in spec:
            raise TemplateError(f"template {template!r}: nested field in {{{name}:{spec}}}")
        if name not in names:
            names.append(name)
    return tuple(names)


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    help: str
    #: The message, with named fields (``str.format`` syntax); one text per kind of finding.
    template: str | None = None
    #: Named texts when a code's findings differ in kind (``variant=`` picks one).
    variants: Mapping[str, str] = field(default_factory=dict)
    #: Cut the formatted message to this many characters (values quoted from user files).
    limit: int | None = None
    #: Named short texts a message's field or a note on it is built from (:meth:`phrase`):
    #: the wording stays here even where the checks compose a field from several parts.
    phrases: Mapping[str, str] = field(default_factory=dict)
    #: Whether ``waivers.toml`` may accept it: only findings that can be right to keep
    #: (across-year figures, prose the patterns misread, warnings); sums, cells, labels,
    #: files and sections must be fixed. Declared for each code in ``findings.yaml``.
    waivable: bool = False
    #: The separator a list given for a field is joined with (``joins: {parts: "＋"}``), where
    #: it is not “、”: the wording of a list stays here too, not in the check that lists.
    joins: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Fail at load, not at the first finding: every template parses and names only fields.
        named: set[str] = set()
        for text in [*self.texts().values(), *self.phrases.values()]:
            named.update(template_fields(text))
        unknown = sorted(set(self.joins) - named)
        if unknown:
            raise TemplateError(f"{self.code}: joins for {unknown}, not a field of its templates or phrases")

    def texts(self) -> dict[str | None, str]:
        """Every template of this code, keyed by variant (``None``: the plain template)."""
        out: dict[str | None, str] = {}
        if self.template is not None:
            out[None] = self.template
        out.update(self.variants)
        return out

    def fields(self, variant: str | None = None) -> tuple[str, ...]:
        return template_fields(self._text(variant))

    def _text(self, variant: str | None) -> str:
        texts = self.texts()
        if variant not in texts:
            known = "、".join(repr(v) for v in texts) or "none"
            raise TemplateError(f"{self.code}: no template {variant!r} (declared: {known})")
        return texts[variant]

    def format(self, variant: str | None = None, **values: object) -> str:
        """The message of this code (and variant) with ``values``: a field the template
        names but ``values`` lacks, or a value it does not name, is an error at once."""
        text = self._text(variant)
        names = template_fields(text)
        missing = [n for n in names if n not in values]
        extra = [n for n in values if n not in names]
        if missing or extra:
            raise TemplateError(f"{self.code} {variant or ''}: missing fields {missing}, unknown fields {extra}")
        msg = text.format(**_listed(values, self.joins))
        return msg[: self.limit] if self.limit is not None else msg

    def phrase(self, name: str, **values: object) -> str:
        """The phrase ``name`` of this code filled with ``values`` (the same rules as a message)."""
        if name not in self.phrases:
            raise TemplateError(f"{self.code}: no phrase {name!r} (declared: {'、'.join(map(repr, self.phrases)) or 'none'})")
        text = self.phrases[name]
        names = template_fields(text)
        if sorted(names) != sorted(values):
            raise TemplateError(f"{self.code} phrase {name}: fields {sorted(values)}, the phrase names {sorted(names)}")
        return text.format(**_listed(values, self.joins))

    def join(self, name: str, items: Iterable[object]) -> str:
        """``items`` as this code's field ``name`` lists them (its ``joins`` separator, else “、”):
        a field composed ahead of the message (a note added later, the importer's note)."""
        return str(_listed({name: list(items)}, self.joins)[name])


@dataclass(frozen=True)
class Wording:
    """How one kind of rule-pack rule words the fields it gives its codes' messages (a cell, a
    section, a date): ``packs:`` in ``findings.yaml``. A pack writes its codes' messages; the
    fields' wording stays in the catalogue, given to each code the pack declares."""

    phrases: Mapping[str, str] = field(default_factory=dict)
    joins: Mapping[str, str] = field(default_factory=dict)


def _listed(values: Mapping[str, object], joins: Mapping[str, str] | None = None) -> dict[str, object]:
    """A list (or tuple) value is written as its items joined by “、”, the way the messages list
    things, or by the separator the code declares for that field (``joins``)."""
    joins = joins or {}
    return {k: joins.get(k, "、").join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in values.items()}


def _fields_or_none(text: str) -> tuple[str, ...]:
    """The fields of ``text``, none when it does not parse (reported on its own)."""
    try:
        return template_fields(text)
    except TemplateError:
        return ()


# ------------------------------------------------------------------ the catalogue file

#: The catalogue: one YAML file, next to this module (read from the source tree, as the specs are).
CATALOGUE_FILE = Path(__file__).with_name("findings.yaml")

#: What an entry may declare; ``template``/``variants`` (at least one) and ``limit`` are optional.
_REQUIRED = ("severity", "waivable", "title", "help")
_OPTIONAL = ("template", "variants", "limit", "phrases", "joins")
_CODE_ID = re.compile(r"^[A-Z][0-9]{3}$")
#: The one top-level key of the catalogue that is not a code: the wording of rule packs' fields, by kind.
PACKS_KEY = "packs"

#: A position in a YAML file (``("F001", "variants", "file")``, ``("tables", "t3", "grid", 2)``).
_At = tuple[str | int, ...]


class CatalogueError(ValueError):
    """Errors in a catalogue file, one per line: ``…/findings.yaml:LINE: message``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def read_located_yaml(text: str, shown: str, error: type[ValueError] = CatalogueError,
                      top: str | None = "code") -> tuple[object, dict[_At, int]]:
    """The YAML ``text`` as plain data and the line (1-based) of every mapping key and list item.

    The project's one reader of located YAML (the catalogue here; the format specs and the rule
    packs through ``format.specvalid.read_yaml``): one parse, the node tree gives the lines, a key
    written twice in one mapping (PyYAML would let the last win) is an error. Errors are raised as
    ``error(list of "shown:LINE: message")``; ``top`` names what a top-level key is (None: a key).
    """
    import yaml  # here, not at import: the shipped catalogue usually comes from its cache (``_shipped``)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else 1
            raise error([f"{shown}:{line}: YAML: {exc.problem}"]) from None
        if node is None:
            raise error([f"{shown}:1: the file is empty"])
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    lines: dict[_At, int] = {(): 1}
    dupes: list[str] = []

    def mark(n: yaml.Node, at: _At) -> None:
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in n.value:
                key, line = str(k.value), k.start_mark.line + 1
                if key in first:
                    where = ".".join(str(p) for p in at) or "the top level"
                    what = f"{top} {key}" if not at and top else f"key “{key}” in {where}"
                    dupes.append(f"{shown}:{line}: duplicate {what} (first at line {first[key]})")
                    continue
                first[key] = lines[(*at, key)] = line
                mark(v, (*at, key))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                lines[(*at, i)] = v.start_mark.line + 1
                mark(v, (*at, i))

    mark(node, ())
    if dupes:
        raise error(dupes)
    return data, lines


def load_catalogue(path: Path = CATALOGUE_FILE, shown: str | None = None) -> dict[str, Code]:
    """Every code declared in the catalogue file ``path``, in its order; every error at once,
    each naming the file and line (unknown keys, a bad severity, a code twice, a template field
    that is positional or reserved, …)."""
    return _load(path, shown)[0]


def _load(path: Path, shown: str | None = None) -> tuple[dict[str, Code], dict[str, Wording]]:
    """The codes of the catalogue file ``path`` and its ``packs:`` (the wording of rule packs'
    fields, by kind of rule); raises :class:`CatalogueError` listing every error."""
    shown = shown or str(path)
    data, lines = read_located_yaml(path.read_text(encoding="utf-8"), shown)
    if not isinstance(data, dict):
        raise CatalogueError([f"{shown}:1: the catalogue must be a mapping of codes (F001:, …)"])
    errors: list[str] = []
    out: dict[str, Code] = {}
    packs = _pack_wording(data.get(PACKS_KEY, {}), lines, shown, errors)
    for code, entry in data.items():
        if code == PACKS_KEY:
            continue
        if not isinstance(code, str) or not _CODE_ID.match(code):
            line = lines.get((str(code),), 1)
            errors.append(f"{shown}:{line}: {code!r} is not a finding code (a capital letter and three digits, e.g. F001)")
            continue

        def err(at: _At, message: str, code: str = code) -> None:
            """An error at ``at`` inside ``code``'s entry (at the code itself when not written)."""
            line = lines.get((code, *at)) or lines.get((code,), 1)
            errors.append(f"{shown}:{line}: {code}: {message}")
        if not isinstance(entry, dict):
            err((), "should be a mapping (severity:, waivable:, title:, help:, template: or variants:)")
            continue
        n = len(errors)
        for key in entry:
            if key not in _REQUIRED + _OPTIONAL:
                err((str(key),), f"unknown key “{key}” (allowed: {', '.join(_REQUIRED + _OPTIONAL)})")
        for key in _REQUIRED:
            if key not in entry:
                err((), f"missing {key}")
        if "severity" in entry and entry["severity"] not in tuple(Severity):
            err(("severity",), f"severity should be error or warning, not {entry['severity']!r}")
        if "waivable" in entry and not isinstance(entry["waivable"], bool):
            err(("waivable",), f"waivable should be true or false, not {entry['waivable']!r}")
        for key in ("title", "help", "template"):
            if key in entry and not (isinstance(entry[key], str) and entry[key]):
                err((key,), f"{key} should be a text")
        variants, phrases = entry.get("variants", {}), entry.get("phrases", {})
        if not isinstance(variants, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in variants.items()):
            err(("variants",), "variants should map names to texts")
            variants = {}
        if not isinstance(phrases, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in phrases.items()):
            err(("phrases",), "phrases should map names to texts")
            phrases = {}
        joins = entry.get("joins", {})
        if not isinstance(joins, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in joins.items()):
            err(("joins",), "joins should map field names to separators (texts)")
            joins = {}
        else:
            named = {n for t in [entry.get("template"), *variants.values(), *phrases.values()] if isinstance(t, str)
                     for n in _fields_or_none(t)}
            for k in joins:
                if k not in named:
                    err(("joins", k), f"joins names “{k}”, not a field of the code's templates or phrases")
        if "limit" in entry and not (type(entry["limit"]) is int and entry["limit"] > 0):
            err(("limit",), f"limit should be a positive whole number, not {entry['limit']!r}")
        if "template" not in entry and not variants:
            err((), "no message: declare a template or variants")
        texts = [(("template",), entry.get("template"))] + [(("variants", k), v) for k, v in variants.items()]
        texts += [(("phrases", k), v) for k, v in phrases.items()]
        for at, text in texts:
            if isinstance(text, str):
                try:
                    template_fields(text)
                except TemplateError as exc:
                    err(at, str(exc))
        if len(errors) == n:
            out[code] = Code(code, Severity(entry["severity"]), entry["title"], entry["help"], entry.get("template"),
                             variants, entry.get("limit"), phrases, waivable=entry["waivable"], joins=joins)
    if errors:
        raise CatalogueError(errors)
    return out, packs


def _pack_wording(data: object, lines: dict[_At, int], shown: str, errors: list[str]) -> dict[str, Wording]:
    """``packs:`` read: each kind's ``phrases`` (texts whose fields parse) and ``joins``; errors
    are added to ``errors``, located like a code's."""
    def err(at: _At, message: str) -> None:
        line = lines.get((PACKS_KEY, *at)) or lines.get((PACKS_KEY,), 1)
        errors.append(f"{shown}:{line}: {PACKS_KEY}: {message}")
    if not isinstance(data, dict):
        err((), "should map each kind of rule (relation:, phrase:, deadline:) to its phrases: and joins:")
        return {}
    out: dict[str, Wording] = {}
    for kind, entry in data.items():
        if not isinstance(entry, dict):
            err((kind,), f"{kind} should be a mapping (phrases:, joins:)")
            continue
        n = len(errors)
        for key in entry:
            if key not in ("phrases", "joins"):
                err((kind, key), f"unknown key “{key}” in {kind} (allowed: phrases, joins)")
        phrases, joins = entry.get("phrases", {}), entry.get("joins", {})
        for key, value in (("phrases", phrases), ("joins", joins)):
            if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()):
                err((kind, key), f"{kind}.{key} should map names to texts")
        if len(errors) > n:
            continue
        for name, text in phrases.items():
            try:
                template_fields(text)
            except TemplateError as exc:
                err((kind, "phrases", name), str(exc))
        if len(errors) == n:
            out[str(kind)] = Wording(phrases, joins)
    return out


#: Every code, in the catalogue file's order (the code page's order); ``declare`` adds more.
def _shipped() -> tuple[dict[str, Code], dict[str, Wording]]:
    """The shipped catalogue, read and validated once per version of findings.yaml and of this
    module (``pycache.kept``), so a command that checks nothing new (``make check`` with its cache
    warm) does not parse YAML at every start."""
    def valid(v: object) -> bool:
        if not (isinstance(v, tuple) and len(v) == 2):
            return False
        codes, packs = v
        return (isinstance(codes, dict) and all(isinstance(c, Code) for c in codes.values())
                and isinstance(packs, dict) and all(isinstance(w, Wording) for w in packs.values()))

    key = CATALOGUE_FILE.read_bytes() + Path(__file__).read_bytes()
    return kept(Path(__file__).parent, "findings-yaml", key, lambda: _load(CATALOGUE_FILE, "ext/govreport/findings.yaml"), valid)


CATALOGUE: dict[str, Code]
#: The wording of the fields each kind of rule-pack rule gives its messages (``packs:``), by kind.
PACK_WORDING: dict[str, Wording]
CATALOGUE, PACK_WORDING = _shipped()


def declare(entry: Code) -> Code:
    """Add a code at run time (rule packs, a test's throwaway rule): the seam for codes that are
    not in ``findings.yaml``. Declaring the same code again with the same content is a no-op;
    a different declaration of a code already known is an error (one text per code)."""
    known = CATALOGUE.get(entry.code)
    if known is not None and known != entry:
        raise TemplateError(f"finding code {entry.code} is already declared ({known.title})")
    CATALOGUE[entry.code] = entry
    return entry


def check_code_ids(declared: Iterable[str], catalogue: Iterable[str]) -> None:
    """The ``CodeId`` literal and the catalogue name the same codes (run at import)."""
    a, b = set(declared), set(catalogue)
    if a != b:
        raise TemplateError(f"findingcodes.CodeId and CATALOGUE differ: only in CodeId {sorted(a - b)}, "
                            f"only in CATALOGUE {sorted(b - a)}; run tools/findingcodes.py")


def code_id(code: str) -> CodeId:
    """A code read from data (the spec's rules): checked against the catalogue."""
    if code not in CATALOGUE:
        raise TemplateError(f"unknown finding code {code!r}")
    return code  # type: ignore[return-value]


check_code_ids(get_args(CodeId), CATALOGUE)

#: Codes a rule pack may declare (issue 20, rule packs): ``K`` and three digits, a letter no core code uses.
DECLARABLE = re.compile(r"K[0-9]{3}")
#: The codes rule packs declared (also in CATALOGUE): never a core code.
DECLARED: dict[str, Code] = {}


def declare_pack_code(entry: Code) -> Code:
    """Add a code a rule pack declares to the catalogue; declaring it again replaces it (the pack
    was edited), unlike :func:`declare`. A core code, or one outside :data:`DECLARABLE`, is an
    error: data never changes the core catalogue."""
    if not DECLARABLE.fullmatch(entry.code) or (entry.code in CATALOGUE and entry.code not in DECLARED):
        raise TemplateError(f"{entry.code}: only codes K000–K999 not in the catalogue can be declared")
    CATALOGUE[entry.code] = DECLARED[entry.code] = entry
    return entry


@dataclass(frozen=True)
class Finding:
    """One problem, located at a file, line and (for CSV) column."""

    code: str
    message: str
    path: str  # relative to the repository root, POSIX separators
    line: int | None = None
    col: int | None = None  # 1-based CSV field index
    column: str | None = None  # the column's official label
    expected: str | None = None
    found: str | None = None
    waived: str | None = None  # the recorded reason, when waived
    severity: Severity = field(default=E)

    @classmethod
    def make(cls, code: str, message: str, path: str, **kw: object) -> Finding:
        """A finding with a message written by the caller (being replaced by :meth:`of`)."""
        return cls(code=code, message=message, path=path, severity=CATALOGUE[code].severity, **kw)  # type: ignore[arg-type]

    @classmethod
    def of(cls, code: CodeId, path: str, *, variant: str | None = None, line: int | None = None,
           col: int | None = None, column: str | None = None, expected: str | None = None,
           found: str | None = None, values: Mapping[str, object] | None = None, **fields: object) -> Finding:
        """A finding whose message is its code's template (``variant``) filled with ``fields``
        (and ``values``: fields gathered by the caller in a dict)."""
        entry = CATALOGUE[code]
        return cls(code=code, message=entry.format(variant, **(values or {}), **fields), path=path, line=line, col=col,
                   column=column, expected=expected, found=found, severity=entry.severity)

    @classmethod
    def declared(cls, code: Code, path: str, *, variant: str | None = None, line: int | None = None, col: int | None = None, column: str | None = None,
                 expected: str | None = None, found: str | None = None, **fields: object) -> Finding:
        """A finding of a code declared at run time (:func:`declare`): typed by its ``Code``, so
        :meth:`of` keeps the ``CodeId`` literal for the core codes, which this refuses."""
        if DECLARED.get(code.code) is not code:
            raise TemplateError(f"{code.code} is not a declared code (findings.declare)")
        return cls(code=code.code, message=code.format(variant, **fields), path=path, line=line, col=col, column=column,
                   expected=expected, found=found, severity=code.severity)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR and self.waived is None

    def location(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        return loc

    def waive(self, reason: str) -> Finding:
        return replace(self, waived=reason)

    def text(self) -> str:
        """``path:line:col: 错误 CODE message`` as printed by ``make check``."""
        sev = "豁免" if self.waived is not None else self.severity.zh
        msg = self.message + (f"（已豁免：{self.waived}）" if self.waived is not None else "")
        return f"{self.location()}: {sev} {self.code} {msg}"

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["title"] = CATALOGUE[self.code].title
        return d


def flatten(findings: Iterable[Finding]) -> list[tuple[str, str, int | None, str | None]]:
    """``[(code, path, line, column), ...]``: what tests compare."""
    return [(f.code, f.path, f.line, f.column) for f in findings]


def sort_key(f: Finding) -> tuple[str, int, int, str]:
    return (f.path, f.line or 0, f.col or 0, f.code)


def to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
