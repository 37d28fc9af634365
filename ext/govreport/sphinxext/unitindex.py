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

The list is docutils content (``unit_list``), made when the page is read, its
links Sphinx references: every builder writes it (LaTeX and text as headings and
bullet lists); the HTML builder writes it as the filter script wants it. A
draft's badge is added when the page is written (``doctree-resolved``), when
every report page has been read (a page's placeholders make it a draft then;
the page is written again when a draft changes, ``note_cards``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..model.generated import source
from ..model.report import Report, discover, load_meta
from ..portal.portalmeta import portal_meta, portal_settings
from .agencies import agency_page, draft_reason, note_cards
from .common import data_root, note_files, note_listing
from .portal import withheld_docs
from .portalpages import doc_link, file_link, page_exists, provide
from .shard import built
from .shard import drafts as shard_drafts

UNGROUPED = "未分组"
PDF_DIR = "pdf"


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
    years: dict[str, list[int]] = {}
    for agency, y in discover(root):
        years.setdefault(agency, []).append(y)
    out = []
    for agency, ys in years.items():
        published = sorted((y for y in ys if f"{agency}/{y}" not in withheld and built(env, f"{agency}/{y}")), reverse=True)
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
        why = draft_reason(root, agency, year, None)  # a page's placeholders: known when it is written (fill)
        state = "draft" if why else ("page" if built(env, doc) else "nopage")
        out.append(Row(agency, meta.name, group, year, state, why, marks))
    return out


def _marks(meta: Report) -> str:
    p = portal_meta(meta.data_dir)
    return "，".join([*(["存档原文"] if p.archive else []), *(["汇总"] if p.is_rollup else [])])


def site_years(root: Path) -> list[int]:
    return sorted({y for _, y in discover(root)}, reverse=True)


_STATE = {"withheld": "暂缓发布：{why}，改正后发布", "missing": "未见本年度报告", "nopage": "只有数据，没有网页"}


class unit_list(nodes.container):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """The index's list of one year, built when the page is read: the years and the comparison as
    links (Sphinx references), a heading and a bullet list per group, an item per unit (``row``:
    what the HTML needs). Every builder writes it as the plain content; the HTML builder writes
    it with the filter box and the classes and data the script uses (govreport.js)."""


def unit_list_for(env: BuildEnvironment, year: int | None = None) -> unit_list:
    """The list of ``year`` (the newest when None), as nodes. A draft's badge waits for the page to
    be written (``fill``): a page's placeholders are known once every page is read."""
    note_cards(env)  # its 草稿 badges: the page is written again when a draft changes
    root = data_root(env)
    years = site_years(root)
    shown = year if year is not None else (years[0] if years else 0)
    rows = rows_for(env, shown) if years else []
    groups = portal_settings(root).groups
    node: unit_list = unit_list(classes=["gov-units"], year=shown, years=years, count=len(rows))
    nav = nodes.paragraph(classes=["gov-units__years"])
    nav += nodes.inline(text="年度：")
    for y in years:
        nav += nodes.Text(" ")
        nav += (nodes.inline(text=f"{y} 年度", classes=["gov-units__current"]) if y == shown
                else doc_link(f"{y} 年度", env.config.root_doc if y == years[0] else f"index-{y}"))
    node += nav
    compare = nodes.paragraph(classes=["gov-units__compare"])
    compare += doc_link(f"{shown} 年度各单位主要数字对比", f"compare-{shown}")
    compare += nodes.Text("（可排序，可下载 CSV）")
    node += compare
    node += nodes.paragraph(text=f"共 {len(rows)} 个单位", classes=["gov-units__count"])
    order = [*groups, UNGROUPED]
    by_group: dict[str, list[Row]] = {}
    for r in rows:
        by_group.setdefault(r.group if r.group in order else UNGROUPED, []).append(r)
    only = len(by_group) == 1 and UNGROUPED in by_group  # a site that declares no groups: one list, no heading
    for g in order:
        members = sorted(by_group.get(g, []), key=lambda r: (r.agency,))
        if not members:
            continue
        box = nodes.container(classes=["gov-units__group"], group=g)
        if not only:
            box += nodes.rubric(text=f"{g}（{len(members)}）")
        items = nodes.bullet_list(classes=["gov-units__list"])
        items += [_item(env, r) for r in members]
        box += items
        node += box
    return node


def _item(env: BuildEnvironment, r: Row) -> nodes.list_item:
    """One unit: its page, its report of the year (or why there is none), the PDF. Short: 200 of
    them make the index (the data files are on the report's page and the unit's)."""
    para = nodes.paragraph()
    para += doc_link(r.name, agency_page(r.agency))
    para += nodes.Text(" ")
    mark = f"（{r.marks}）" if r.marks else ""
    if r.state in ("page", "draft"):
        para += doc_link(f"{r.year} 年度报告", f"{r.agency}/{r.year}")
        if mark:
            para += nodes.Text(mark)
        para += nodes.Text(" ")
        para += file_link(env, "PDF", f"{PDF_DIR}/{r.agency}-{r.year}.pdf")
    else:
        para += nodes.inline(text=_STATE[r.state].format(why=r.why), classes=[f"gov-units__{r.state}"])
        if mark:
            para += nodes.Text(mark)
        if r.state == "missing" and r.latest is not None:
            para += nodes.Text(" ")
            para += doc_link(f"最近：{r.latest} 年度报告", f"{r.agency}/{r.latest}")
    return nodes.list_item("", para, classes=["gov-agency-card"], row=(r.agency, r.name, r.year, r.state, r.why, r.marks, r.latest))


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The drafts' badges, now that every page is read (a page's placeholders make it a draft)."""
    drafts = shard_drafts(app.env)  # a sharded site's site-wide build: as the shards found them
    for node in doctree.findall(unit_list):
        for item in node.findall(nodes.list_item):
            agency, name, year, state, why, marks, latest = item["row"]
            if state not in ("page", "draft"):
                continue
            why = drafts.get(f"{agency}/{year}", why)
            item["row"] = (agency, name, year, "draft" if why else "page", why, marks, latest)
            if why:
                para = item[0]
                para.insert(len(para) - 1, [nodes.inline(text="草稿", classes=["gov-badge-draft"]), nodes.Text(" ")])


def _hrefs(node: nodes.Element) -> dict[str, str]:
    """The links in ``node`` as Sphinx resolved them, by their text."""
    return {ref.astext(): ref["refuri"] for ref in node.findall(nodes.reference) if ref.get("refuri")}


def _a(hrefs: dict[str, str], text: str, attrs: str = "") -> str:
    """A link by its text (a page that is not there: the text alone)."""
    e = html.escape
    return f'<a{attrs} href="{e(hrefs[text])}">{e(text)}</a>' if text in hrefs else e(text)


def visit_unit_list(self: HTML5Translator, node: unit_list) -> None:
    """The list as the filter script wants it (govreport.js): the filter box, the groups with their
    data, the count and the line for no match."""
    e = html.escape
    year, years = node["year"], node["years"]
    parts = {c["classes"][0]: c for c in node.children if c.get("classes")}
    out = ['<div class="gov-units" data-gov-units="">']
    nav, here = [], _hrefs(parts["gov-units__years"])
    for y in years:
        nav.append(f'<span class="gov-units__year" aria-current="page">{y} 年度</span>' if y == year
                   else _a(here, f"{y} 年度", ' class="gov-units__year"'))
    out.append(f'<nav class="gov-units__years" aria-label="选择年度"><span>年度：</span>{" ".join(nav)}</nav>')
    out.append(f'<p class="gov-units__compare">{_a(_hrefs(parts["gov-units__compare"]), f"{year} 年度各单位主要数字对比")}（可排序，可下载 CSV）</p>')
    out.append('<p class="gov-units__filter"><label for="gov-unit-filter">按单位名称筛选</label>'
               '<input id="gov-unit-filter" type="search" placeholder="输入单位名称，例如：东园" autocomplete="off">'
               f'<span class="gov-units__count" aria-live="polite">共 {node["count"]} 个单位</span></p>')
    for box in node.findall(nodes.container):
        if "gov-units__group" not in box["classes"]:
            continue
        items = list(box.findall(nodes.list_item))
        out.append(f'<section class="gov-units__group" data-group="{e(box["group"])}">')
        if box.next_node(nodes.rubric) is not None:
            out.append(f'<h2>{e(box["group"])}<span class="gov-units__n">（{len(items)}）</span></h2>')
        out.append('<ul class="gov-units__list">')
        out.extend(_row_html(item) for item in items)
        out.append("</ul></section>")
    out.append('<p class="gov-units__none" hidden>没有名称含有这些字的单位。</p>')
    out.append("</div>")
    self.body.append("\n".join(out))
    raise nodes.SkipNode


def _row_html(item: nodes.list_item) -> str:
    e = html.escape
    _agency, name, year, state, why, marks, latest = item["row"]
    hrefs = _hrefs(item)
    cells = [_a(hrefs, name)]
    mark = f"（{e(marks)}）" if marks else ""
    if state in ("page", "draft"):
        cells.append(f"{_a(hrefs, f'{year} 年度报告')}{mark}")
        if state == "draft":
            cells.append(f'<span class="gov-badge-draft" title="{e(why)}">草稿</span>')
        cells.append(_a(hrefs, "PDF"))
    else:
        cells.append(f'<span class="gov-units__{state}">{e(_STATE[state].format(why=why))}</span>{mark}')
        if state == "missing" and latest is not None:
            cells.append(_a(hrefs, f"最近：{latest} 年度报告"))
    return f'<li class="gov-agency-card">{" ".join(cells)}</li>'


def _skip(self: HTML5Translator, node: unit_list) -> None:
    pass  # never called: the visitor skips the node


def year_sources(app: Sphinx) -> dict[str, str]:
    """``index-<year>``: the same list for each year but the newest (which the index shows), when the
    site has its index (``portalpages``)."""
    if not page_exists(app.env, app.config.root_doc):
        return {}
    return {f"index-{year}": source(f"{year} 年度各单位报告", f"```{{year-index}} {year}\n```") for year in site_years(data_root(app.env))[1:]}


class YearIndex(SphinxDirective):
    """``{year-index} <year>``: the index's list for that year (a draft's badge added when the page is written)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        root = data_root(self.env)
        listing = note_listing(self.env)  # read again when a report is added or removed
        note_files(self.env, [root / "data" / a / str(y) / "report.toml" for a, y in listing] + [root / "portal.toml"])
        return [unit_list_for(self.env, int(self.arguments[0]))]


def setup_unitindex(app: Sphinx) -> None:
    app.add_node(unit_list, html=(visit_unit_list, _skip))
    app.add_directive("year-index", YearIndex)
    provide(year_sources)
    app.connect("doctree-resolved", fill)
