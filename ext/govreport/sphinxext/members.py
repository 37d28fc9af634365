"""A roll-up's 汇总明细 on a page of its own (issue 21).

The drill-down table (every non-zero cell of the roll-up and each member's part)
was part of the roll-up's page: 359 KB of HTML at a district's size, loaded by
every reader of the report. Now the report links ``<agency>/<year>-members.html``,
written here from the same data (``rollup.provenance``): a document (issue 20),
``<agency>/<year>-members.md`` generated when the build starts, holding ``{members-page}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..model.generated import md_escape, source
from ..model.report import Report, discover, load_report
from ..portal.portalmeta import portal_meta
from .common import data_root, report_key, text_row, unit_names
from .portalpages import doc_link, note_report_data, page_exists, provide

TITLE = "汇总明细：各单元格由哪些成员构成"


def members_page(agency: str, year: int) -> str:
    return f"{agency}/{year}-members"


def members_link(r: Report) -> nodes.Node:
    """Under the roll-up's sections: where its drill-down is."""
    box = nodes.section(ids=["gov-rollup-members"], classes=["gov-rollup"])
    box += nodes.title(text=TITLE)
    meta = portal_meta(r.data_dir)
    para = nodes.paragraph(text=f"本报告汇总 {len(dict.fromkeys(meta.members))} 个单位。每个不为 0 的单元格由哪些成员、各多少构成，见")
    para += nodes.reference("", "汇总明细", refuri=f"{r.year}-members.html")
    para += nodes.Text(f"；同样的数据见开放数据 {r.agency}-{r.year}-members.csv。")
    box += para
    return box


def _member_names(r: Report, members: Iterable[str]) -> dict[str, str]:
    """Each member's name as a reader knows it (its report.toml of the year), by folder; the folder without one."""
    out = {}
    for m in dict.fromkeys(members):
        try:
            out[m] = unit_names(r.root, m, r.year)[0] or m
        except (OSError, ValueError):
            out[m] = m
    return out


def drilldown(r: Report) -> nodes.Node:
    """The drill-down table: every non-zero cell, its sum and each member's part."""
    from ..portal.charts.figures import fmt
    from ..portal.rollup import provenance

    box = nodes.section(ids=["gov-rollup-members"], classes=["gov-rollup"])
    meta = portal_meta(r.data_dir)
    name = _member_names(r, meta.members)
    box += nodes.paragraph(text=f"本报告汇总 {len(name)} 个单位：" + "、".join(name.values())
                                + "。下表列出每个不为 0 的单元格和各成员的数字；同样的数据见开放数据 "
                                + f"{r.agency}-{r.year}-members.csv。")
    table = nodes.table(classes=["gov-rollup-table"])
    tgroup = nodes.tgroup(cols=4)
    table += tgroup
    for w in (2, 6, 2, 8):
        tgroup += nodes.colspec(colwidth=w)
    head, body = nodes.thead(), nodes.tbody()
    tgroup += head
    tgroup += body
    head += text_row(["表", "单元格", "合计", "成员"])
    for title, row, col, total, parts in provenance(r):
        body += text_row([title, f"{row} / {col}", fmt(total), "；".join(f"{name.get(m, m)} {fmt(v)}" for m, v in parts)])
    box += table
    return box


def members_sources(app: Sphinx) -> dict[str, str]:
    """One page per roll-up report with a page in this build (not withheld) (``portalpages``)."""
    root = data_root(app.env)
    out = {}
    for agency, year in discover(root):
        if not page_exists(app.env, f"{agency}/{year}") or not portal_meta(Report(root, agency, year).data_dir).is_rollup:
            continue
        name = unit_names(root, agency, year)[0]
        out[members_page(agency, year)] = source(md_escape(f"{name}{year} 年度汇总明细"), f"```{{members-page}} {agency} {year}\n```")
    return out


class MembersPage(SphinxDirective):
    """``{members-page} <agency> <year>``: the way back to the report, then the drill-down table."""

    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        agency, year = self.arguments[0], int(self.arguments[1])
        root = data_root(self.env)
        r = load_report(root, agency, year)
        note_report_data(self.env, root, agency, year)
        for m in dict.fromkeys(portal_meta(r.data_dir).members):
            if isinstance(m, str):
                note_report_data(self.env, root, m, year)  # each member's part
        back = nodes.paragraph()
        back += doc_link(f"← 返回 {year} 年度报告", f"{agency}/{year}")
        table = drilldown(r)
        box = nodes.container(ids=table["ids"], classes=[*table["classes"], "gov-wide"])
        box += table.children
        return [back, box]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None) -> None:
    """A members page's crumbs: the unit, the report, 汇总明细."""
    key = report_key(pagename.removesuffix("-members")) if pagename.endswith("-members") else None
    if key is None or doctree is None:
        return
    agency, year = key
    name = unit_names(data_root(app.env), agency, year)[0]
    context["gov_crumbs"] = [(name, "index.html"), (f"{year} 年度", f"{year}.html"), ("汇总明细", "")]


def setup_members(app: Sphinx) -> None:
    app.add_directive("members-page", MembersPage)
    provide(members_sources)
    app.connect("html-page-context", page_context, priority=400)  # before agencies' (which keeps crumbs set)
