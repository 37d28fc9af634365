"""The index for a hundred units (issue 21): grouped, filterable, by year.

``{report-index}`` lists every unit once, in the groups that report.toml declares
(``group``; the groups and their order from portal.toml, see portalmeta), each
with its report of the year shown: a link to the page (or 草稿), or 暂缓发布 (a
report withheld for its errors) or 未见报告 (no report that year). The index
shows the newest year; a link per year leads to the same list for that year
(``index-<year>.html``: a document generated when the build starts, holding
``{year-index}``, issue 20). A filter box (govreport.js) narrows the list by name;
without a script the whole list is there. A row is one line of plain HTML, so
the page stays light with hundreds of units.

The rows are made when the page is written (``doctree-resolved``), when every
report page has been read (drafts are known then).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..model.generated import source
from ..model.report import Report, discover, load_meta
from ..portal.portalmeta import portal_meta, portal_settings
from .agencies import _drafts, agency_page, draft_reason, note_cards
from .common import data_root, note_files, note_listing
from .portal import withheld_docs
from .portalpages import has_page, provide

UNGROUPED = "未分组"
PDF_DIR = "pdf"


class unit_index(nodes.General, nodes.Element):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """Where the index's list goes (filled when the page is written)."""


@dataclass(frozen=True)
class Row:
    agency: str
    name: str
    group: str
    year: int | None  # the report of the year shown (None: none that year)
    state: str  # "page", "draft", "nopage", "withheld", "missing"
    why: str = ""  # a draft's reason; a withheld report's errors
    marks: str = ""  # 存档原文 / 汇总
    latest: int | None = None  # the unit's newest report with a page (for a unit missing this year)


def rows_for(env: BuildEnvironment, year: int) -> list[Row]:
    """One row per unit with any report in ``data/``, for ``year``."""
    root = data_root(env)
    withheld = withheld_docs(env)
    drafts = _drafts(env)
    years: dict[str, list[int]] = {}
    for agency, y in discover(root):
        years.setdefault(agency, []).append(y)
    out = []
    for agency, ys in years.items():
        published = sorted((y for y in ys if f"{agency}/{y}" not in withheld and f"{agency}/{y}" in env.found_docs), reverse=True)
        newest = load_meta(root, agency, max(ys))
        group = newest.group or UNGROUPED
        if year not in ys:
            out.append(Row(agency, newest.name, group, None, "missing", latest=published[0] if published else None))
            continue
        doc = f"{agency}/{year}"
        meta = load_meta(root, agency, year)
        marks = _marks(meta)
        if doc in withheld:
            out.append(Row(agency, meta.name, group, year, "withheld", f"{withheld[doc]} 个错误", marks=marks))
            continue
        why = drafts[doc] if doc in drafts else draft_reason(root, agency, year, None)
        state = "draft" if why else ("page" if doc in env.found_docs else "nopage")
        out.append(Row(agency, meta.name, group, year, state, why, marks))
    return out


def _marks(meta: Report) -> str:
    p = portal_meta(meta.data_dir)
    return "，".join([*(["存档原文"] if p.archive else []), *(["汇总"] if p.is_rollup else [])])


def site_years(root: Path) -> list[int]:
    return sorted({y for _, y in discover(root)}, reverse=True)


_STATE = {"withheld": "暂缓发布：{why}，改正后发布", "missing": "未见本年度报告", "nopage": "只有数据，没有网页"}


def render(rows: list[Row], year: int, years: list[int], groups: tuple[str, ...], up: str, current: str) -> str:
    """The list as HTML (``up``: the way to the site's root from the page)."""
    e = html.escape
    out = ['<div class="gov-units" data-gov-units="">']
    nav = []
    for y in years:
        target = "index.html" if y == years[0] else f"index-{y}.html"
        nav.append(f'<span class="gov-units__year" aria-current="page">{y} 年度</span>' if y == year
                   else f'<a class="gov-units__year" href="{up}{target}">{y} 年度</a>')
    out.append(f'<nav class="gov-units__years" aria-label="选择年度"><span>年度：</span>{" ".join(nav)}</nav>')
    out.append(f'<p class="gov-units__compare"><a href="{up}compare-{year}.html">{year} 年度各单位主要数字对比</a>（可排序，可下载 CSV）</p>')
    out.append('<p class="gov-units__filter"><label for="gov-unit-filter">按单位名称筛选</label>'
               '<input id="gov-unit-filter" type="search" placeholder="输入单位名称，例如：东园" autocomplete="off">'
               f'<span class="gov-units__count" aria-live="polite">共 {len(rows)} 个单位</span></p>')
    order = [*groups, UNGROUPED]
    by_group: dict[str, list[Row]] = {}
    for r in rows:
        by_group.setdefault(r.group if r.group in order else UNGROUPED, []).append(r)
    only = len(by_group) == 1 and UNGROUPED in by_group  # a site that declares no groups: one list, no heading
    for g in order:
        members = sorted(by_group.get(g, []), key=lambda r: (r.agency,))
        if not members:
            continue
        out.append(f'<section class="gov-units__group" data-group="{e(g)}">')
        if not only:
            out.append(f'<h2>{e(g)}<span class="gov-units__n">（{len(members)}）</span></h2>')
        out.append('<ul class="gov-units__list">')
        for r in members:
            out.append(_row(r, up, year))
        out.append("</ul></section>")
    out.append('<p class="gov-units__none" hidden>没有名称含有这些字的单位。</p>')
    out.append("</div>")
    return "\n".join(out)


def _row(r: Row, up: str, year: int) -> str:
    """One unit: its page, its report of the year (or why there is none), the PDF. Short: 200 of
    them make the index (the data files are on the report's page and the unit's)."""
    e = html.escape
    cells = [f'<a href="{up}{agency_page(r.agency)}.html">{e(r.name)}</a>']
    mark = f"（{e(r.marks)}）" if r.marks else ""
    if r.state in ("page", "draft"):
        cells.append(f'<a href="{up}{r.agency}/{r.year}.html">{r.year} 年度报告</a>{mark}')
        if r.state == "draft":
            cells.append(f'<span class="gov-badge-draft" title="{e(r.why)}">草稿</span>')
        cells.append(f'<a href="{up}{PDF_DIR}/{r.agency}-{r.year}.pdf">PDF</a>')
    else:
        cells.append(f'<span class="gov-units__{r.state}">{e(_STATE[r.state].format(why=r.why))}</span>{mark}')
        if r.state == "missing" and r.latest is not None:
            cells.append(f'<a href="{up}{r.agency}/{r.latest}.html">最近：{r.latest} 年度报告</a>')
    return f'<li class="gov-agency-card">{" ".join(cells)}</li>'


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The index's list, now that every page is read."""
    for node in list(doctree.findall(unit_index)):
        if app.builder.format != "html":
            node.replace_self([])
            continue
        root = data_root(app.env)
        years = site_years(root)
        year = int(node.get("year") or (years[0] if years else 0))
        rows = rows_for(app.env, year) if years else []
        up = "../" * docname.count("/")
        body = render(rows, year, years, portal_settings(root).groups, up, docname)
        node.replace_self(nodes.raw("", body, format="html"))


def year_sources(app: Sphinx) -> dict[str, str]:
    """``index-<year>``: the same list for each year but the newest (which the index shows), when the
    site has its index (``portalpages``)."""
    if not has_page(app, app.config.root_doc):
        return {}
    return {f"index-{year}": source(f"{year} 年度各单位报告", f"```{{year-index}} {year}\n```") for year in site_years(data_root(app.env))[1:]}


class YearIndex(SphinxDirective):
    """``{year-index} <year>``: the index's list for that year (filled when the page is written)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        root = data_root(self.env)
        listing = note_listing(self.env)  # read again when a report is added or removed
        note_files(self.env, [root / "data" / a / str(y) / "report.toml" for a, y in listing] + [root / "portal.toml"])
        note_cards(self.env)  # its 草稿 badges: written again when a draft changes
        return [unit_index(year=int(self.arguments[0]))]


def setup_unitindex(app: Sphinx) -> None:
    app.add_node(unit_index)
    app.add_directive("year-index", YearIndex)
    provide(year_sources)
    app.connect("doctree-resolved", fill)
