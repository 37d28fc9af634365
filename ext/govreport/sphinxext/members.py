"""A roll-up's 汇总明细 on a page of its own (issue 21).

The drill-down table (every non-zero cell of the roll-up and each member's part)
was part of the roll-up's page: 359 KB of HTML at a district's size, loaded by
every reader of the report. Now the report links ``<agency>/<year>-members.html``,
written here from the same data (``rollup.provenance``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..model.report import Report, load_report
from ..portal.portalmeta import portal_meta
from .common import data_root, report_key, text_row, unit_names

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


def collect_members_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """One page per roll-up report that has a page in this build."""
    if app.builder.format != "html":
        return
    root = data_root(app.env)
    for docname in sorted(app.env.found_docs):
        key = report_key(docname)
        if key is None:
            continue
        agency, year = key
        if not portal_meta(Report(root, agency, year).data_dir).is_rollup:
            continue
        r = load_report(root, agency, year)
        body = app.builder.render_partial(drilldown(r))["fragment"]  # type: ignore[attr-defined]
        title = f"{r.name}{year} 年度汇总明细"
        page = (f'<section><h1>{html.escape(title)}</h1>\n<p><a href="{year}.html">← 返回 {year} 年度报告</a></p>\n'
                f'<div class="gov-wide" tabindex="0" role="region" aria-label="汇总明细表">{body}</div></section>')
        crumbs = [(r.name, "index.html"), (f"{year} 年度", f"{year}.html"), ("汇总明细", "")]
        yield members_page(agency, year), {"title": title, "body": page, "gov_crumbs": crumbs}, "gov-agency.html"


def setup_members(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_members_pages)
