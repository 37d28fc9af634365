"""Where a report sits in the site: index → one page per agency → each report.

No page links to every report: the index has one card per agency, each agency
has a page listing its years (written by the HTML builder, not read from
``docs/``), and each report page links its agency's other years and the
previous and next year. Report pages are outside every toctree, so no
navigation built from the tree grows with the number of reports.

Drafts (``draft = true`` in report.toml, or placeholder text left by
``make new``) carry 草稿 on their card, at the top of their page and, through
a small LaTeX hook, across their PDF pages.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxRole

from ..checks import PLACEHOLDER_PREFIXES
from ..model.report import discover, load_meta
from .common import data_root, page_report, report_key, under_title, unit_names
from .domain import gov
from .portal import is_withheld, withheld_docs

DRAFT = "草稿"
#: PDF watermark for drafts: the LaTeX of a draft report calls \GovDraft once.
DRAFT_PREAMBLE = r"""
% govreport: 草稿 across every page of a draft report (\GovDraft is called by draft pages only).
\providecommand{\GovDraft}{\AddToHook{shipout/foreground}{\put(0.5\paperwidth,-0.5\paperheight){%
  \makebox(0,0){\rotatebox{45}{\fontsize{120}{120}\selectfont\color[gray]{0.82}草稿}}}}}
"""


@dataclass(frozen=True)
class Entry:
    """One report as the index and the agency pages list it."""

    agency: str
    year: int
    name: str
    full_name: str
    has_page: bool
    draft: str  # why it is a draft; "" when it is not

    @property
    def docname(self) -> str:
        return f"{self.agency}/{self.year}"

    @property
    def pdf_name(self) -> str:
        return f"{self.agency}-{self.year}.pdf"


def draft_reason(root: Path, agency: str, year: int, page: Path | None) -> str:
    """Why ``agency/year`` is a draft ("" when it is not): its report.toml says
    so, or its page still holds a placeholder of ``make new`` (as X802 finds)."""
    from ..portal.portalmeta import portal_meta  # validated values, never report.toml raw

    if portal_meta(root / "data" / agency / str(year)).draft:
        return "report.toml 标明为草稿（draft = true）"
    if page is not None and page.is_file():
        for line in page.read_text(encoding="utf-8-sig").splitlines():
            if line.strip().startswith(PLACEHOLDER_PREFIXES):
                return "正文中还有模板占位文字"
    return ""




def entries(env: BuildEnvironment) -> list[Entry]:
    """Every report in ``data/``, agencies A–Z, years newest first. Drafts as
    their pages were found when read (report.toml alone for a report without a page)."""
    root = data_root(env)
    drafts = _drafts(env)
    found = []
    for agency, year in discover(root):
        doc = f"{agency}/{year}"
        if is_withheld(env, agency, year):
            continue  # publish what passes: no card, no year link (the index lists it as withheld)
        name, full = unit_names(root, agency, year)
        has_page = doc in env.found_docs
        draft = drafts[doc] if doc in drafts else draft_reason(root, agency, year, None)
        found.append(Entry(agency, year, name, full, has_page, draft))
    found.sort(key=lambda e: (e.agency, -e.year))
    return found


def by_agency(found: list[Entry]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in found:
        out.setdefault(e.agency, []).append(e)
    return out


def agency_page(agency: str) -> str:
    """The page name of an agency's page (``<agency>/index``)."""
    return f"{agency}/index"


# ---- each report page: its agency's years, previous and next, draft banner
#
# The links to the other years are filled in when the page is written, not when
# it is read: a new year then makes its agency's pages be written again, not
# read and checked again.


class nav_slot(nodes.General, nodes.Element):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """Where the years (``kind="years"``), the pager (``"pager"``) or a card's
    draft badge (``"draft"``) go once the page is written."""


def _drafts(env: BuildEnvironment) -> dict[str, str]:
    """Report page → why it is a draft ("" when it is not), as found when it was read."""
    return gov(env).drafts


def _seen(env: BuildEnvironment) -> dict[str, Any]:
    """What the pages written last time showed: years per agency, drafts."""
    return gov(env).nav_seen


def _all_years(env: BuildEnvironment, fresh: bool = False) -> dict[str, tuple[int, ...]]:
    """Each agency's years with a page, worked out once per build (not once per page)."""
    build = gov(env).build
    if fresh or build.years is None:
        years: dict[str, list[int]] = {}
        for a, y in discover(data_root(env)):
            if f"{a}/{y}" in env.found_docs:
                years.setdefault(a, []).append(y)
        build.years = {a: tuple(sorted(ys)) for a, ys in years.items()}
    return build.years


def add_report_nav(app: Sphinx, doctree: nodes.document) -> None:
    """Under the title: the draft banner and the agency's years; at the end:
    previous and next year. The page is left out of every toctree (orphan).
    A page step: ``pagesteps.PAGE_STEPS`` runs it."""
    env = app.env
    key = report_key(env.docname)
    if key is None or page_report(env, env.docname) is None:
        return
    agency, year = key
    # Sphinx's metadata collector, after the page steps, only adds the page's docinfo fields to this.
    env.metadata[env.docname]["orphan"] = True
    reason = _draft_reason_here(env, agency, year)
    _drafts(env)[env.docname] = reason
    only = addnodes.only(expr="html")
    if reason:
        box = nodes.container(classes=["gov-draft"])
        para = nodes.paragraph()
        para += nodes.inline(text=DRAFT, classes=["gov-draft__label"])
        para += nodes.Text(f" 本报告尚未定稿：{reason}。")
        box += para
        only += box
    only += nav_slot(kind="years", agency=agency, year=year)
    watermark = [nodes.raw("", r"\GovDraft", format="latex")] if reason else []
    if not under_title(doctree, *watermark, only):
        return
    end = addnodes.only(expr="html")
    end += nav_slot(kind="pager", agency=agency, year=year)
    doctree += end


def _draft_reason_here(env: BuildEnvironment, agency: str, year: int) -> str:
    result = page_report(env, env.docname)
    if result is not None and any(f.code == "X802" and f.waived is None for f in result.findings):
        return "正文中还有模板占位文字"
    return draft_reason(data_root(env), agency, year, None)


def fill_slots(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The years, the pager and the cards' draft badges, as they are now."""
    if app.builder.format != "html":
        for slot in list(doctree.findall(nav_slot)):
            slot.parent.remove(slot)
        return
    env = app.env
    years_of = _all_years(env)
    drafts = _drafts(env)
    for slot in list(doctree.findall(nav_slot)):
        kind = slot["kind"]
        if kind == "draft":
            doc = slot["doc"]
            agency, _, year = doc.partition("/")
            reason = drafts[doc] if doc in drafts else draft_reason(data_root(env), agency, int(year), None)
            done: list[nodes.Node] = [nodes.inline(text=DRAFT, classes=["gov-badge-draft"])] if reason else []
        else:
            agency, year = slot["agency"], slot["year"]
            years = years_of.get(agency, ())
            link = functools.partial(_link, app, docname)
            done = [_years_box(app, docname, agency, year, years, link) if kind == "years" else _pager(agency, year, years, link)]
        slot.replace_self(done)


def _link(app: Sphinx, fromdoc: str, text: str, todoc: str) -> nodes.reference:
    return nodes.reference("", text, internal=True, refuri=app.builder.get_relative_uri(fromdoc, todoc))


def _years_box(app: Sphinx, docname: str, agency: str, year: int, years: tuple[int, ...], link: Any) -> nodes.Element:
    up = "../" * docname.count("/")
    box = nodes.container(classes=["gov-years"])
    para = nodes.paragraph()
    para += nodes.reference("", "本机关全部年度", refuri=f"{up}{agency}/index.html")
    para += nodes.Text("：")
    for i, y in enumerate(years):
        if i:
            para += nodes.Text(" · ")
        para += nodes.strong(text=f"{y} 年度（本篇）") if y == year else link(f"{y} 年度", f"{agency}/{y}")
    box += para
    return box


def _pager(agency: str, year: int, years: tuple[int, ...], link: Any) -> nodes.Element:
    pager = nodes.container(classes=["gov-pager"])
    i = years.index(year) if year in years else -1
    prev_y = years[i - 1] if i > 0 else None
    next_y = years[i + 1] if 0 <= i < len(years) - 1 else None
    for other, label, cls in ((prev_y, "上一年度", "gov-pager__prev"), (next_y, "下一年度", "gov-pager__next")):
        box = nodes.paragraph(classes=[cls])
        if other is not None:
            box += link(f"{label}：{other} 年度报告", f"{agency}/{other}")
        pager += box
    return pager


def _rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to write again although not read again: an agency's pages when its
    years changed, the pages with cards when a draft became final or back."""
    years = _all_years(env, fresh=True)
    drafts = {doc: bool(reason) for doc, reason in _drafts(env).items()}
    seen = _seen(env)
    again: set[str] = set()
    before = seen.get("years", {})
    for agency in set(years) | set(before):
        if years.get(agency) != before.get(agency):
            again |= {f"{agency}/{y}" for y in years.get(agency, ())}
    if drafts != seen.get("drafts", drafts):
        again |= set(seen.get("cards", set()))
    seen["years"], seen["drafts"] = years, drafts
    seen["cards"] = {doc for doc in env.found_docs if doc in _cards(env)}
    return sorted(again & env.found_docs)


def _cards(env: BuildEnvironment) -> set[str]:
    """Pages with a report-index (their cards show drafts)."""
    return gov(env).cards


def note_cards(env: BuildEnvironment) -> None:
    _cards(env).add(env.docname)


def draft_slot(docname: str) -> nav_slot:
    return nav_slot(kind="draft", doc=docname)


class DraftBadge(SphinxRole):
    """``{gov-draft-badge}`agency/year```: 草稿 on a card, filled in when the page is written."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        note_cards(self.env)
        return [draft_slot(self.text.strip())], []


# ---- the agency pages, written by the HTML builder


def collect_agency_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """One page per agency: its years, each with its page, PDF and data."""
    if app.builder.format != "html":
        return
    for agency, reports in by_agency(entries(app.env)).items():
        name = reports[0].name
        body = _agency_body(reports, data_root(app.env), sorted(withheld_docs(app.env)))
        # The warm preview rebuilds in one process: a page it wrote with the same
        # content is not written again (each costs as much as a report's page).
        key, out = (str(app.outdir), agency), Path(app.outdir) / agency / "index.html"
        if _WRITTEN.get(key) == body and out.is_file():
            continue
        _WRITTEN[key] = body
        yield agency_page(agency), {"title": name, "body": body, "gov_crumbs": [(name, "")]}, "gov-agency.html"


_WRITTEN: dict[tuple[str, str], str] = {}


def _history_html(root: Path, agency: str, skip: list[str]) -> str:
    """The agency's key figures by year: a table, then the charts (inline SVG with
    their values in words); the same data model as ``{agency-history}``."""
    from ..portal.charts.figures import CHARTS, FIGURES, fmt, history
    from ..portal.charts.svg import bar_chart

    e = html.escape
    h = history(root, agency, None, skip)
    if len(h.years) < 1:
        return ""
    head = "".join(f'<th scope="col">{y.year}{"（存档原文）" if y.archived else ""}{"（汇总）" if y.rollup else ""}</th>' for y in h.years)
    rows = "".join(
        f'<tr><th scope="row">{e(f.label)}（{e(f.unit)}）</th>' + "".join(f"<td>{e(fmt(y.values[k], f.unit))}</td>" for y in h.years) + "</tr>"
        for k, f in FIGURES.items()
    )
    name = f"{h.name}关键指标（按年度）"
    out = ['<section id="gov-agency-history"><h2>历年对比</h2>',
           f'<div class="gov-table-scroll" tabindex="0" role="region" aria-label="{e(name)}"><table class="gov-history">'
           f'<caption>{e(name)}</caption><thead><tr><th scope="col">指标</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>']
    if any(y.archived for y in h.years):
        out.append("<p>标“存档原文”的年度按原发布文本照录，其数字未经改正。</p>")
    for kind in CHARTS.values():
        out.append(f'<figure class="gov-chart" tabindex="0" role="region" aria-label="{e(kind.title)}">'
                   f"{bar_chart(kind, h, f'history-{agency}-{kind.id}')}</figure>")
    out.append("</section>")
    return "\n".join(out)


def _agency_body(reports: list[Entry], root: Path, withheld: list[str]) -> str:
    from .portal import card_mark

    e = html.escape
    first = reports[0]
    out = [f'<section id="gov-agency"><h1>{e(first.name)}</h1>']
    if first.full_name and first.full_name != first.name:
        out.append(f'<p class="gov-agency__organ">发布机关：{e(first.full_name)}</p>')
    out.append(f"<p>本机关共有 {len(reports)} 个年度的政府信息公开工作年度报告。每份报告都有网页版、PDF 版、Word 版和开放数据。</p>")
    out.append('<ul class="gov-year-list">')
    for r in reports:
        title = f"{r.year} 年度政府信息公开工作年度报告"
        head = f'<a href="{r.year}.html">{e(title)}</a>' if r.has_page else e(title)
        badge = f' <span class="gov-badge-draft">{DRAFT}</span>' if r.draft else ""
        badge += e(card_mark(load_meta(root, r.agency, r.year)))  # 存档原文 / 汇总
        links = (
            f'<a href="../pdf/{e(r.pdf_name)}">PDF</a> · '
            f'<a href="../docx/{e(r.agency)}-{r.year}.docx">Word</a> · '
            f'<a href="../opendata/{e(r.agency)}-{r.year}.csv">数据 CSV</a> · '
            f'<a href="../opendata/{e(r.agency)}-{r.year}.json">JSON</a>'
        )
        out.append(f'<li><p class="gov-year-list__title">{head}{badge}</p><p class="gov-year-list__links">{links}</p></li>')
    out.append("</ul>")
    out.append(_history_html(root, first.agency, withheld))
    out.append("</section>")
    return "\n".join(out)


# ---- every page: breadcrumbs, the <title>


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None) -> None:
    key = report_key(pagename)
    title = str(context.get("title", ""))
    site_name = str(app.config.html_title or "")
    # "…年度报告 — 政府信息公开工作年度报告" says the same thing twice.
    if pagename == app.config.root_doc or title.endswith("年度报告") or (site_name and site_name in title):
        context["gov_plain_title"] = True  # templates/layout.html
    if key is not None and pagename in app.env.found_docs and "gov_crumbs" not in context:
        agency, year = key
        name = unit_names(data_root(app.env), agency, year)[0]
        context["gov_crumbs"] = [(name, context["pathto"](agency_page(agency), 1) + ".html"), (f"{year} 年度", "")]
    elif pagename not in (app.config.root_doc,) and "gov_crumbs" not in context and title:
        context["gov_crumbs"] = [(title, "")]


def _draft_hook(app: Sphinx, config: Config) -> None:
    """The PDF watermark's one command, added to whatever preamble the LaTeX side sets."""
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + DRAFT_PREAMBLE
    config.latex_elements = elements


def setup_agencies(app: Sphinx) -> None:
    app.add_node(nav_slot)
    app.add_role("gov-draft-badge", DraftBadge())
    app.connect("doctree-resolved", fill_slots)
    app.connect("env-updated", _rewrite)
    app.connect("html-collect-pages", collect_agency_pages)
    app.connect("html-page-context", page_context)
    app.connect("config-inited", _draft_hook, priority=900)
