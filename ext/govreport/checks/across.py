"""Across years: this report's tables against last year's report, by the spec's rules."""

from __future__ import annotations

from ..findings import Finding, code_id
from ..format.labels import fmt_number
from ..model.report import Report
from .registry import rule


@rule(order=200, codes=("Y401", "Y402"), needs=("previous",))
def across_years(report: Report, previous: Report) -> list[Finding]:
    """This year's tables against last year's report (the spec's across_years: Y401, Y402)."""
    return check_previous(report, previous)


def check_previous(report: Report, prev: Report) -> list[Finding]:
    """Every across-year rule of this report's format against last year's report
    (whatever its format: the rule's ids mean the same in every version, and a
    cell last year's format lacks is not compared)."""
    out: list[Finding] = []
    for ay in report.spec.across_years:
        cur, old = report.tables.get(ay.table), prev.tables.get(ay.table)
        if not (cur and old and cur.loaded and old.loaded):
            continue
        for what, this, last, plus, minus in ay.lines(cur.spec):
            if last[0] not in old.spec.rows or last[1] not in old.spec.rows[last[0]].cols:
                continue  # last year's format has no such cell
            now, before = cur.get(*this), old.get(*last)
            extra = [cur.get(*k) for k in plus + minus]
            if now is None or before is None or None in extra:
                continue
            want = before + sum(extra[: len(plus)], 0) - sum(extra[len(plus):], 0)  # type: ignore[arg-type, operator]
            if want == now:
                continue
            line, field = cur.where(*this)
            column = cur.spec.columns[this[1]].label
            fields: dict[str, object] = {"table": cur.spec.title, "what": what, "name": ay.name, "last_name": ay.last_name,
                                         "before": fmt_number(before), "now": fmt_number(now)}
            if not plus and not minus:
                variant = f"{ay.each}_equal"
                fields["last_year"] = prev.year
            else:
                # The terms of the sum (＋制发 3－废止 1): a list as long as the rule's, one field.
                terms = "".join(f"＋{name} {fmt_number(cur.get(*k))}" for k, (_, name) in zip(plus, ay.plus, strict=True))  # type: ignore[arg-type]
                terms += "".join(f"－{name} {fmt_number(cur.get(*k))}" for k, (_, name) in zip(minus, ay.minus, strict=True))  # type: ignore[arg-type]
                variant = f"{ay.each}_sum"
                fields.update(terms=terms, want=fmt_number(want))
            out.append(Finding.of(code_id(ay.code), cur.path, variant=variant, values=fields, line=line, col=field, column=column,
                                  expected=fmt_number(want), found=fmt_number(now)))
    return out
