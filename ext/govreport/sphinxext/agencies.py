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

import html
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ..checks import PLACEHOLDER_PREFIXES
from ..report import discover, load_meta
from .common import data_root, page_report, report_key

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
    try:
        meta = tomllib.loads((root / "data" / agency / str(year) / "report.toml").read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        meta = {}
    if meta.get("draft") is True:
        return "report.toml 标明为草稿（draft = true）"
    if page is not None and page.is_file():
        for line in page.read_text(encoding="utf-8-sig").splitlines():
            if line.strip().startswith(PLACEHOLDER_PREFIXES):
                return "正文中还有模板占位文字"
    return ""


def entries(env: BuildEnvironment) -> list[Entry]:
    """Every report in ``data/``, agencies A–Z, years newest first."""
    root = data_root(env)
    found = []
    for agency, year in discover(root):
        meta = load_meta(root, agency, year)
        doc = f"{agency}/{year}"
        has_page = doc in env.found_docs
        page = Path(env.doc2path(doc)) if has_page else None
        found.append(Entry(agency, year, meta.name, meta.full_name, has_page, draft_reason(root, agency, year, page)))
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


def _years_store(env: BuildEnvironment) -> dict[str, tuple[int, ...]]:
    if not hasattr(env, "govreport_years"):
        env.govreport_years = {}  # type: ignore[attr-defined]
    return env.govreport_years  # type: ignore[attr-defined, no-any-return]


def _years_with_pages(env: BuildEnvironment, agency: str) -> tuple[int, ...]:
    return tuple(sorted(y for a, y in discover(data_root(env)) if a == agency and f"{a}/{y}" in env.found_docs))


def _doc_ref(text: str, target: str, classes: list[str] | None = None) -> nodes.Element:
    ref: nodes.Element = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/" + target, refexplicit=True, refwarn=True)
    ref += nodes.inline(text=text, classes=classes or [])
    return ref


def add_report_nav(app: Sphinx, doctree: nodes.document) -> None:
    """Under the title: the agency's years and the draft banner; at the end:
    previous and next year. The page is left out of every toctree (orphan)."""
    env = app.env
    key = report_key(env.docname)
    if key is None or page_report(env, env.docname) is None:
        return
    agency, year = key
    # Read after Sphinx's metadata collector (priority 500), which resets the page's metadata.
    env.metadata[env.docname]["orphan"] = True
    years = _years_with_pages(env, agency)
    _years_store(env)[env.docname] = years
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = next(iter(section.findall(nodes.title)))
    up = "../" * env.docname.count("/")
    top = nodes.container(classes=["gov-years"])
    para = nodes.paragraph()
    para += nodes.reference("", "本机关全部年度", refuri=f"{up}{agency}/index.html")
    para += nodes.Text("：")
    for i, y in enumerate(years):
        if i:
            para += nodes.Text(" · ")
        if y == year:
            para += nodes.strong(text=f"{y} 年度（本篇）")
        else:
            para += _doc_ref(f"{y} 年度", f"{agency}/{y}")
    top += para
    banner = _draft_banner(env, agency, year)
    only = addnodes.only(expr="html")
    if banner is not None:
        only += banner
    only += top
    section.insert(section.index(title) + 1, only)
    if banner is not None:
        raw = nodes.raw("", r"\GovDraft", format="latex")
        section.insert(section.index(title) + 1, raw)
    pager = nodes.container(classes=["gov-pager"])
    i = years.index(year) if year in years else -1
    prev_y = years[i - 1] if i > 0 else None
    next_y = years[i + 1] if 0 <= i < len(years) - 1 else None
    for other, label, cls in ((prev_y, "上一年度", "gov-pager__prev"), (next_y, "下一年度", "gov-pager__next")):
        box = nodes.paragraph(classes=[cls])
        if other is not None:
            box += _doc_ref(f"{label}：{other} 年度报告", f"{agency}/{other}")
        pager += box
    end = addnodes.only(expr="html")
    end += pager
    doctree += end


def _draft_banner(env: BuildEnvironment, agency: str, year: int) -> nodes.Element | None:
    result = page_report(env, env.docname)
    reason = ""
    if result is not None and any(f.code == "X802" and f.waived is None for f in result.findings):
        reason = "正文中还有模板占位文字"
    if not reason:
        reason = draft_reason(data_root(env), agency, year, None)
    if not reason:
        return None
    box = nodes.container(classes=["gov-draft"])
    para = nodes.paragraph()
    para += nodes.inline(text=DRAFT, classes=["gov-draft__label"])
    para += nodes.Text(f" 本报告尚未定稿：{reason}。")
    box += para
    return box


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Report pages whose agency gained or lost a year."""
    store = _years_store(env)
    again = [doc for doc, years in store.items() if doc in env.found_docs and _years_with_pages(env, doc.split("/")[0]) != years]
    return sorted(set(again) - added - changed)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _years_store(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    theirs, ours = _years_store(other), _years_store(env)
    for doc in docnames:
        if doc in theirs:
            ours[doc] = theirs[doc]


# ---- the agency pages, written by the HTML builder


def collect_agency_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """One page per agency: its years, each with its page, PDF and data."""
    if app.builder.format != "html":
        return
    for agency, reports in by_agency(entries(app.env)).items():
        name = reports[0].name
        yield agency_page(agency), {"title": name, "body": _agency_body(reports), "gov_crumbs": [(name, "")]}, "gov-agency.html"


def _agency_body(reports: list[Entry]) -> str:
    e = html.escape
    first = reports[0]
    out = [f'<section id="gov-agency"><h1>{e(first.name)}</h1>']
    if first.full_name and first.full_name != first.name:
        out.append(f'<p class="gov-agency__organ">发布机关：{e(first.full_name)}</p>')
    out.append(f"<p>本机关共有 {len(reports)} 个年度的政府信息公开工作年度报告。每份报告都有网页版、PDF 版和开放数据。</p>")
    out.append('<ul class="gov-year-list">')
    for r in reports:
        title = f"{r.year} 年度政府信息公开工作年度报告"
        head = f'<a href="{r.year}.html">{e(title)}</a>' if r.has_page else e(title)
        badge = f' <span class="gov-badge-draft">{DRAFT}</span>' if r.draft else ""
        links = (
            f'<a href="../pdf/{e(r.pdf_name)}">PDF</a> · '
            f'<a href="../opendata/{e(r.agency)}-{r.year}.csv">数据 CSV</a> · '
            f'<a href="../opendata/{e(r.agency)}-{r.year}.json">JSON</a>'
        )
        out.append(f'<li><p class="gov-year-list__title">{head}{badge}</p><p class="gov-year-list__links">{links}</p></li>')
    out.append("</ul></section>")
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
        name = load_meta(data_root(app.env), agency, year).name
        context["gov_crumbs"] = [(name, context["pathto"](agency_page(agency), 1) + ".html"), (f"{year} 年度", "")]
    elif pagename not in (app.config.root_doc,) and "gov_crumbs" not in context and title:
        context["gov_crumbs"] = [(title, "")]


def _draft_hook(app: Sphinx, config: Config) -> None:
    """The PDF watermark's one command, added to whatever preamble the LaTeX side sets."""
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + DRAFT_PREAMBLE
    config.latex_elements = elements


def setup_agencies(app: Sphinx) -> None:
    app.connect("doctree-read", add_report_nav, priority=900)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-collect-pages", collect_agency_pages)
    app.connect("html-page-context", page_context)
    app.connect("config-inited", _draft_hook, priority=900)
