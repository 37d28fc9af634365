"""``{report-chart}`` and ``{agency-history}``: an agency's key figures by year (issue 16).

    ```{report-chart} 申请
    ```
    In a report's page: the chart of that agency's years up to the report's year.
    Argument: a chart's id or alias (the spec's ``charts:``, e.g. applications or 申请).
    Option ``:agency:`` for another agency's chart.

    ```{agency-history} xiangshan
    ```
    The comparison table of every key figure by year and all four charts.

Charts are ``gov_chart`` nodes: HTML writes them as inline SVG, LaTeX as a
``picture`` (no package); the numbers are also in a table beside them. Withheld reports (in a
publishing build) contribute nothing.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..portal.charts import picture, svg
from ..portal.charts.figures import CHARTS, FIGURES, ChartKind, History, chart_kind, fmt, history
from .common import data_root, note_files, report_key
from .findings import record_here
from .portal import text_row


class gov_chart(nodes.General, nodes.Element):  # type: ignore[misc]
    """One chart: ``kind`` (ChartKind id), ``history`` (History), ``ident``."""


def visit_chart_html(self: Any, node: gov_chart) -> None:
    kind, h = CHARTS[node["kind"]], node["history"]
    # On a phone the chart keeps a legible size and scrolls sideways (its numbers are also in the table);
    # a region that scrolls must be reachable by keyboard, named by the chart's own title (axe).
    ident = node["ident"]
    self.body.append(f'<figure class="gov-chart" tabindex="0" aria-labelledby="{ident}-t" style="overflow-x:auto;margin:1em 0">'
                     f'{svg.bar_chart(kind, h, ident)}</figure>\n')
    raise nodes.SkipNode


def visit_chart_latex(self: Any, node: gov_chart) -> None:
    self.body.append("\n" + picture.bar_chart(CHARTS[node["kind"]], node["history"]) + "\n")
    raise nodes.SkipNode


def skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _withheld(env: Any) -> list[str]:
    from .portal import withheld_docs

    return sorted(withheld_docs(env))


def _history(directive: SphinxDirective, agency: str, upto: int | None) -> History:
    env = directive.env
    root = data_root(env)
    h = history(root, agency, upto, _withheld(env))
    # Re-read when a year's data changes or the years around them appear (not on
    # every change of the whole site's listing: that costs a scan of data/ per chart).
    years = [y.year for y in h.years]
    around = [min(years) - 1, max(years) + 1] if years else []
    note_files(env, [*h.files, *(root / "data" / agency / str(y) / "report.toml" for y in around)])
    return h


def _table(h: History, figures: list[str]) -> nodes.table:
    table = nodes.table(classes=["gov-history"])
    table += nodes.title(text=f"{h.name}关键指标（按年度）")
    tgroup = nodes.tgroup(cols=1 + len(h.years))
    table += tgroup
    # The figures' names are the rows' headers (<th> in HTML, for screen readers and the stylesheet).
    tgroup += nodes.colspec(colwidth=6, stub=1)
    for _ in h.years:
        tgroup += nodes.colspec(colwidth=2)
    head, body = nodes.thead(), nodes.tbody()
    tgroup += head
    tgroup += body
    head += text_row(["指标"] + [f"{y.year}{'（存档原文）' if y.archived else ''}{'（汇总）' if y.rollup else ''}" for y in h.years])
    for f in figures:
        fig = FIGURES[f]
        body += text_row([f"{fig.label}（{fig.unit}）"] + [fmt(y.values[f], fig.unit) for y in h.years])
    return table


def _chart(kind: ChartKind, h: History, ident: str) -> gov_chart:
    node = gov_chart()
    node["kind"], node["history"], node["ident"] = kind.id, h, re.sub(r"[^a-z0-9-]", "-", ident)
    return node


class ReportChart(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"agency": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        kind = chart_kind(self.arguments[0])
        if kind is None:
            names = "、".join(f"{c.aliases[0]}（{c.id}）" for c in CHARTS.values())
            record_here(self.env, self.lineno, "X820", "chart", arg=self.arguments[0], names=names)
            return []
        key = report_key(self.env.docname)
        agency = self.options.get("agency") or (key[0] if key else "")
        if not agency:
            record_here(self.env, self.lineno, "X820", "agency")
            return []
        h = _history(self, agency, key[1] if key and key[0] == agency else None)
        n = self.env.new_serialno("gov-chart")
        return [_chart(kind, h, f"chart-{agency}-{kind.id}-{n}"), _table(h, list(kind.figures))]


def agency_history(directive: SphinxDirective, agency: str) -> list[nodes.Node]:
    """The comparison table of every key figure by year and all four charts (none: no year has figures)."""
    h = _history(directive, agency, None)
    if not h.years:
        return []
    out: list[nodes.Node] = [_table(h, list(FIGURES))]
    if any(y.archived for y in h.years):
        out.append(nodes.paragraph(text="标“存档原文”的年度按原发布文本照录，其数字未经改正。"))
    for kind in CHARTS.values():
        out.append(_chart(kind, h, f"history-{agency}-{kind.id}"))
    return out


class AgencyHistory(SphinxDirective):
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        key = report_key(self.env.docname)
        agency = self.arguments[0] if self.arguments else (key[0] if key else self.env.docname.split("/")[0])
        out = agency_history(self, agency)
        if not out:
            record_here(self.env, self.lineno, "X820", "history", agency=agency)
        return out


def setup_charts(app: Sphinx) -> None:
    others = {b: (skip, None) for b in ("text", "man", "texinfo")}
    app.add_node(gov_chart, html=(visit_chart_html, None), latex=(visit_chart_latex, None), **others)  # type: ignore[arg-type]
    app.add_directive("report-chart", ReportChart)
    app.add_directive("agency-history", AgencyHistory)
