"""The rules as declarations (issue 20, item 2): each rule says what it is, not where it is called.

Modelled on frictionless-py's error classes and sphinx-needs' warning catalogue. A rule is a
function with its declaration: the finding codes it may emit (each in ``findings.yaml``), what it
needs from the pipeline and its place in the order::

    @rule(order=410, codes=("S501", "S502"), needs=("page",))
    def sections(report: Report, page: Page) -> list[Finding]: ...

``pipeline.run_checks`` runs the registered rules in their declared order and supplies what each
needs, as keyword arguments after the report:

- ``tables``: the report's loaded tables, by id;
- ``previous``: last year's report (the rule is skipped when there is none);
- ``page``: the report's page, parsed (skipped when it is missing or unreadable);
- ``members``: the reports it lists as members (``pipeline.Members``; skipped when it lists none);
- ``findings``: the findings so far; such a rule returns the whole new list (waivers, and the
  steps that reword or waive earlier findings), instead of only its own findings.

The ``report`` a rule receives is this run's view of the loaded report: a shallow copy whose
``files`` is the run's list of files read (a rule that reads a file appends it there, so a cached
result follows it); the loaded report itself, shared between checks, is never changed. A rule must
not change the report's tables.

A finding whose code the rule did not declare is an error at once (:class:`RuleError`), as a
template's missing field is: the declaration is what the code page and a reviewer rely on.
The portal registers its rules here too (``portal/portalhooks.py``); the checks never import it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ..findings import CATALOGUE, DECLARED, Finding

#: What a rule may need from the pipeline (see the module's docstring).
Need = Literal["tables", "previous", "page", "members", "findings"]
NEEDS: tuple[str, ...] = get_args(Need)

#: Bands of the order (a rule's ``order``; equal orders run in the order registered):
#: 100 the tables, 200 across years, 300 the report's metadata, 400–499 the page,
#: 600 the import's notes, 700–799 the portal's rules, 800 the waivers, 900 after the waivers.
WAIVERS = 800

RuleFunc = Callable[..., Iterable[Finding]]


class RuleError(ValueError):
    """A rule declared wrongly, or emitting a code it did not declare."""


@dataclass(frozen=True)
class Rule:
    """One rule: its function and its declaration."""

    name: str
    func: RuleFunc
    codes: frozenset[str]
    needs: tuple[str, ...] = ()
    order: int = 500
    #: The rule emits the codes rule packs declare (``findings.DECLARED``, K000–K999): which
    #: those are depends on the repository, so they cannot be listed when it is registered.
    pack_codes: bool = False

    @property
    def amends(self) -> bool:
        """True for a rule given the findings so far, returning the whole new list."""
        return "findings" in self.needs

    def check(self, before: Iterable[Finding], after: Iterable[Finding]) -> None:
        """Every code in ``after`` is declared for this rule (or, for a rule that amends the
        list, was already in ``before``)."""
        allowed = self.codes | ({f.code for f in before} if self.amends else set()) | (set(DECLARED) if self.pack_codes else set())
        wrong = sorted({f.code for f in after} - allowed)
        if wrong:
            raise RuleError(f"rule {self.name} emitted {', '.join(wrong)}, not among its declared codes "
                            f"({', '.join(sorted(self.codes)) or 'none'})")


class Registry:
    """The rules, by name; :meth:`ordered` gives them in the order they run."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._sorted: list[Rule] | None = None

    def add(self, func: RuleFunc, *, codes: Iterable[str], needs: Iterable[str] = (), order: int = 500,
            name: str | None = None, pack_codes: bool = False) -> Rule:
        """Register ``func`` as a rule. Registering the same function under the same name again is a
        no-op (a module imported twice, ``portalhooks.register`` called twice); another function
        under a name already taken is an error, as is a code not in the catalogue or an unknown need."""
        name = name or f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"
        entry = Rule(name, func, frozenset(codes), tuple(needs), order, pack_codes)
        unknown = [c for c in entry.codes if c not in CATALOGUE]
        if unknown:
            raise RuleError(f"rule {name}: codes {sorted(unknown)} are not in the catalogue (findings.yaml)")
        wrong = [n for n in entry.needs if n not in NEEDS]
        if wrong:
            raise RuleError(f"rule {name}: unknown needs {wrong} (known: {', '.join(NEEDS)})")
        known = self._rules.get(name)
        if known is not None:
            if known == entry:
                return known
            raise RuleError(f"rule {name} is already registered (by {known.func.__module__}.{known.func.__qualname__})")
        self._rules[name] = entry
        self._sorted = None
        return entry

    def rule(self, *, codes: Iterable[str], needs: Iterable[str] = (), order: int = 500,
             name: str | None = None) -> Callable[[RuleFunc], RuleFunc]:
        """The decorator form of :meth:`add`; the function is returned unchanged."""
        def register(func: RuleFunc) -> RuleFunc:
            self.add(func, codes=codes, needs=needs, order=order, name=name)
            return func
        return register

    def remove(self, name: str) -> None:
        self._rules.pop(name, None)
        self._sorted = None

    @contextmanager
    def added(self, func: RuleFunc, **declaration: Any) -> Iterator[Rule]:
        """A rule registered for the ``with`` block only (a test's throwaway rule)."""
        entry = self.add(func, **declaration)
        try:
            yield entry
        finally:
            self.remove(entry.name)

    def ordered(self) -> list[Rule]:
        """Every rule by ``order``; equal orders in the order registered."""
        if self._sorted is None:
            self._sorted = sorted(self._rules.values(), key=lambda r: r.order)
        return self._sorted

    def __getitem__(self, name: str) -> Rule:
        return self._rules[name]

    def __contains__(self, name: object) -> bool:
        return name in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.ordered())


#: The rules every check runs: the core's (registered when ``checks`` is imported) and the portal's.
RULES = Registry()
rule = RULES.rule
