"""Where a report sits in the site: index → one page per agency → each report.

No page links to every report: the index has one card per agency, each agency
has a page listing its years (``<agency>/index.md``, generated from data/ when
the build starts: ``{agency-page}``, issue 20), and each report page links its
agency's other years and the previous and next year. Report pages are outside every toctree, so no
navigation built from the tree grows with the number of reports.

Drafts (``draft = true`` in report.toml, or placeholder text left by
``make new``) carry 草稿 on their card, at the top of their page and, through
a small LaTeX hook, across their PDF pages.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..format.spec import load_spec
from ..model.generated import md_escape, source
from ..model.report import discover, load_meta
from .charts import agency_history
from .common import data_root, page_report, report_key, under_title, unit_names
from .domain import gov
from .portal import card_mark, withheld_docs
from .portalpages import doc_link, file_link, note_report_data, page_exists, provide
from .shard import drafts as shard_drafts

DRAFT = "草稿"
#: PDF watermark for drafts: the LaTeX of a draft report calls \GovDraft once.
DRAFT_PREAMBLE = r"""
% govreport: 草稿 across every page of a draft report (\GovDraft is called by draft pages only).
\providecommand{\GovDraft}{\AddToHook{shipout/foreground}{\put(0.5\paperwidth,-0.5\paperheight){%
  \makebox(0,0){\rotatebox{45}{\fontsize{120}{120}\selectfont\color[gray]{0.82}草稿}}}}}
"""


def draft_reason(root: Path, agency: str, year: int, page: Path | None) -> str:
    """Why ``agency/year`` is a draft ("" when it is not): its report.toml says
    so, or its page still holds a placeholder of ``make new`` (as X802 finds)."""
    from ..portal.portalmeta import portal_meta  # validated values, never report.toml raw

    if portal_meta(root / "data" / agency / str(year)).draft:
        return "report.toml 标明为草稿（draft = true）"
    if page is not None and page.is_file():
        for line in page.read_text(encoding="utf-8-sig").splitlines():
            if line.strip().startswith(load_spec("2021").placeholder_starts):  # the current format's (X802's)
                return "正文中还有模板占位文字"
    return ""




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
    drafts = shard_drafts(env)  # a sharded site's site-wide build: as the shards found them
    for slot in list(doctree.findall(nav_slot)):
        kind = slot["kind"]
        if kind == "draft":
            doc = slot["doc"]
            agency, _, year = doc.partition("/")
            reason = drafts[doc] if doc in drafts else draft_reason(data_root(env), agency, int(year), None)
            done: list[nodes.Node] = [nodes.inline(text=DRAFT, classes=["gov-badge-draft"])] if reason else []
            if done and slot.get("space"):
                done.insert(0, nodes.Text(" "))
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


# ---- the agency pages: documents (issue 20), generated as ``<agency>/index.md``


def agency_sources(app: Sphinx) -> dict[str, str]:
    """One page per agency with a report this build publishes (``portalpages``): its title and
    ``{agency-page}`` with the years listed and those with a page (Sphinx reads the page again
    when they change; the figures are files the directive notes)."""
    root = data_root(app.env)
    withheld = withheld_docs(app.env)
    years: dict[str, list[int]] = {}
    for agency, year in discover(root):
        if f"{agency}/{year}" not in withheld:
            years.setdefault(agency, []).append(year)
    out = {}
    for agency, ys in sorted(years.items()):
        ys.sort(reverse=True)
        pages = [y for y in ys if page_exists(app.env, f"{agency}/{y}")]
        body = (f"```{{agency-page}} {agency}\n:years: {' '.join(map(str, ys))}\n"
                + (f":pages: {' '.join(map(str, pages))}\n" if pages else "") + "```")
        out[agency_page(agency)] = source(md_escape(unit_names(root, agency, ys[0])[0]), body)
    return out


class AgencyPage(SphinxDirective):
    """``{agency-page} <agency>`` with ``:years:`` (newest first) and ``:pages:`` (those with a
    page): the organ, each year with its page, PDF, Word and data, then the key figures by year."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"years": directives.unchanged, "pages": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        agency, env = self.arguments[0], self.env
        years = [int(y) for y in self.options.get("years", "").split()]
        pages = {int(y) for y in self.options.get("pages", "").split()}
        root = data_root(env)
        for y in years:
            note_report_data(env, root, agency, y)
        note_cards(env)  # its 草稿 badges are filled when written: written again when a draft changes
        name, full = unit_names(root, agency, years[0]) if years else (agency, "")
        out: list[nodes.Node] = []
        if full and full != name:
            out.append(nodes.paragraph(text=f"发布机关：{full}", classes=["gov-agency__organ"]))
        out.append(nodes.paragraph(text=f"本机关共有 {len(years)} 个年度的政府信息公开工作年度报告。每份报告都有网页版、PDF 版、Word 版和开放数据。"))
        items = nodes.bullet_list(classes=["gov-year-list"])
        for y in years:
            doc, title = f"{agency}/{y}", f"{y} 年度政府信息公开工作年度报告"
            head = nodes.paragraph(classes=["gov-year-list__title"])
            head += doc_link(title, doc) if y in pages else nodes.Text(title)
            head += nav_slot(kind="draft", doc=doc, space=True)
            head += nodes.Text(card_mark(load_meta(root, agency, y)))  # 存档原文 / 汇总
            links = nodes.paragraph(classes=["gov-year-list__links"])
            for i, (text, path) in enumerate((("PDF", f"pdf/{agency}-{y}.pdf"), ("Word", f"docx/{agency}-{y}.docx"),
                                               ("数据 CSV", f"opendata/{agency}-{y}.csv"), ("JSON", f"opendata/{agency}-{y}.json"))):
                if i:
                    links += nodes.Text(" · ")
                links += file_link(env, text, path)
            items += nodes.list_item("", head, links)
        out.append(items)
        history = agency_history(self, agency)  # what {agency-history} shows
        if history:
            section = nodes.section(ids=["gov-agency-history"])
            section += nodes.title(text="历年对比")
            section += history
            out.append(section)
        return out


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
    app.add_directive("agency-page", AgencyPage)
    provide(agency_sources)
    app.connect("html-page-context", page_context)
    app.connect("config-inited", _draft_hook, priority=900)
