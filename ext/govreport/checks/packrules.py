"""Running a district's rule packs (``format.rulepack``) on a report: findings, nothing changed.

- relation: the cells' values compared (``==``, ``<=``, ``>=``), at the first cell the writer typed;
- phrase:   the narrative (one section of the format, or all of it) says one of the phrases,
            read as the prose checks read it (paragraphs, line breaks and roles removed);
- deadline: ``published`` in report.toml (the 落款's 成文日期) is on or before the due date,
            or the finding says none is written.

A rule whose cells are blank or unreadable says nothing: those cells are reported already.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable

from ..findings import Code, Finding
from ..format.labels import fmt_number, total
from ..format.rulepack import OP_SIGN, Cell, DeadlineRule, Pack, PhraseRule, RelationRule, Side
from ..format.spec import FormatSpec
from ..model.csvload import Number
from ..model.narrative import Page, Section, flat_text, read_page
from ..model.officialdoc import date_phrase
from ..model.pagefile import read_page_text
from ..model.report import Report
from .sections import _norm_title, _title_guess

_COMPARE: dict[str, Callable[[Number, Number], bool]] = {"==": operator.eq, "<=": operator.le, ">=": operator.ge}


def check_packs(report: Report, packs: Iterable[Pack]) -> list[Finding]:
    """Every rule of the packs that apply to the report's format version."""
    rules = [r for p in packs if p.applies(report.spec.version) for r in p.rules]
    page = _page(report) if any(isinstance(r, PhraseRule) for r in rules) else None
    out: list[Finding] = []
    for rule in rules:
        if isinstance(rule, RelationRule):
            out += _relation(report, rule)
        elif isinstance(rule, PhraseRule):
            out += _phrase(report, rule, page) if page is not None else []
        elif isinstance(rule, DeadlineRule):
            out += _deadline(report, rule)
    return out


def _finding(code: Code, path: str, variant: str | None = None, *, line: int | None = None, col: int | None = None,
             column: str | None = None, expected: str | None = None, found: str | None = None, **given: object) -> Finding:
    """A pack's finding: its template takes the fields of the rule's kind it names (a pack need not use them all)."""
    return Finding.declared(code, path, variant=variant, line=line, col=col, column=column, expected=expected, found=found,
                            **{n: given[n] for n in code.fields(variant)})


def _page(report: Report) -> Page | None:
    """The page as the pipeline reads it (its problems are the pipeline's findings, not repeated)."""
    if not report.page.is_file():
        return None
    docs = report.docs or report.root / "docs"
    source, _ = read_page_text(report.page, report.rel(report.page), [docs.resolve(), (report.root / "data").resolve()])
    return read_page(report.page, source) if source is not None else None


def _value(report: Report, cell: Cell) -> Number | None:
    t = report.tables.get(cell.table)
    return t.get(cell.row, cell.col) if t is not None and t.loaded else None


def _name(code: Code, spec: FormatSpec, side: Side) -> list[str]:
    """A side's cells as the message names them (the code's phrase ``cell``: 表三“<t3.new's label>”行
    “<total's label>”列), for its template to join (``joins`` of left_name, right_name)."""
    out = []
    for c in side.cells:
        t = spec.tables[c.table]
        out.append(code.phrase("cell", table=t.title, row=t.rows[c.row].label, label=t.columns[c.col].label))
    return out


def _relation(report: Report, rule: RelationRule) -> list[Finding]:
    left = total(_value(report, c) for c in rule.left.cells)
    right = total(_value(report, c) for c in rule.right.cells)
    if left is None or right is None or _COMPARE[rule.op](left, right):
        return []
    spec = report.spec
    cells = [*rule.left.cells, *rule.right.cells]
    # Point at a cell the writer typed (a derived cell has no line of its own).
    at = next((c for c in cells if (c.row, c.col) not in report.tables[c.table].derived), cells[0])
    table = report.tables[at.table]
    line, col = table.where(at.row, at.col)
    sign = OP_SIGN[rule.op]
    return [_finding(rule.code, table.path, line=line, col=col, column=spec.tables[at.table].columns[at.col].label,
                             expected=f"{sign} {fmt_number(right)}", found=fmt_number(left),
                             left=fmt_number(left), right=fmt_number(right), op=sign,
                             left_name=_name(rule.code, spec, rule.left), right_name=_name(rule.code, spec, rule.right))]


def _section(report: Report, page: Page, number: int) -> Section | None:
    """The page's section that is the format's ``number``-th, found as the section check finds it
    (its title, or its number 一、… before a title written differently)."""
    official = list(report.spec.sections)
    for sec in page.sections:
        idx = next((i for i, t in enumerate(official) if _norm_title(t) == _norm_title(sec.title)), None)
        if idx is None:
            idx = _title_guess(sec.title, official)
        if idx == number - 1:
            return sec
    return None


def _phrase(report: Report, rule: PhraseRule, page: Page) -> list[Finding]:
    rel = report.rel(page.path)
    code = rule.code
    if rule.section is None:
        blocks, where, line = page.paragraphs(), code.phrase("whole"), page.title_line
    else:
        sec = _section(report, page, rule.section)
        blocks = [b for b in sec.blocks if b.kind == "paragraph"] if sec is not None else []
        where = code.phrase("section", title=report.spec.sections[rule.section - 1])
        line = sec.line if sec is not None else page.title_line  # a missing section is S501's finding
    # Line breaks (soft wraps inside a sentence) and roles removed, as the prose checks read it.
    text = "".join(flat_text(b)[0] for b in blocks).replace("\0", "")
    if any(p in text for p in rule.phrases):
        return []
    quoted = [code.phrase("quoted", text=p) for p in rule.phrases]
    return [_finding(code, rel, line=line, expected=code.join("phrases", quoted), found="没有", section=where, phrases=quoted)]


def _deadline(report: Report, rule: DeadlineRule) -> list[Finding]:
    rel = report.rel(report.data_dir / "report.toml")
    due = rule.due(report.year)
    if report.published is None:
        return [_finding(rule.code, rel, "missing", due=date_phrase(rule.code, due), year=report.year,
                                 expected=f"不晚于 {due.isoformat()}", found="没有 published")]
    if report.published <= due:
        return []
    return [_finding(rule.code, rel, line=report.meta_lines.get("published"), expected=f"不晚于 {due.isoformat()}",
                             found=report.published.isoformat(), published=date_phrase(rule.code, report.published), due=date_phrase(rule.code, due), year=report.year)]
