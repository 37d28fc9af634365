"""A province's site from its member districts' published open data (issue 22, federation).

When ``portal.toml`` has a ``[federation]``, the HTML build reads every member
(``federation.province``) once, reports the members' data problems as warnings
(located, with their codes), and adds the province's pages
(``federation.pages``, as nodes: ``provincenodes``): ``{federation-index}`` on the index, and
``province-compare-<year>``, ``province-rollup-<year>`` and ``province-status``
(documents generated when the build starts, holding ``{province-page}``, issue 20),
with ``opendata/province/rollup-<year>.csv`` and ``opendata/province/compare-<year>.csv``.
The members' data is read on every build (it is not a file of this repository),
so the pages that show it are always read and written again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..model.generated import is_generated, md_escape, source
from ..portal.compare import to_csv
from ..portal.federation import pages
from ..portal.federation.province import Province, load_province
from .common import data_root, write_if_changed
from .domain import gov
from .portalpages import provide
from .provincenodes import body, province_body

logger = logging.getLogger(__name__)


class FederationIndex(SphinxDirective):
    """``{federation-index}``: every member district and its units, linked to their reports."""

    def run(self) -> list[nodes.Node]:
        gov(self.env).federation.add(self.env.docname)
        return [body(province_of(self.env), "index")]


class ProvincePage(SphinxDirective):
    """``{province-page}``: the body of the province page the document is (``pages.titles``)."""

    def run(self) -> list[nodes.Node]:
        gov(self.env).federation.add(self.env.docname)  # the members' data: read again on every build
        docname = self.env.docname
        if docname == pages.STATUS_PAGE:
            return [body(province_of(self.env), "status")]
        kind, _, year = docname.rpartition("-")
        return [body(province_of(self.env), "compare" if kind == "province-compare" else "rollup", int(year))]


def province_sources(app: Sphinx) -> dict[str, str]:
    """The province's pages (``portalpages``): those of the members' years when this build reads the
    members (HTML); other builders leave the pages as the last HTML build wrote them."""
    if app.builder.format != "html":
        return {p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(app.srcdir).glob("province-*.md")) if is_generated(p)}
    p = province(app)
    if not p.declared:
        return {}
    return {doc: source(md_escape(title), "```{province-page}\n```") for doc, title in pages.titles(p).items()}


def province(app: Sphinx) -> Province:
    """This build's province (read once, on first use)."""
    return province_of(app.env)


def province_of(env: BuildEnvironment, warn: bool = True) -> Province:
    """This build's province (read once, when the build starts: ``_early``). ``warn``: say the members'
    problems (the HTML build does; the other builders read the same members for the pages' content)."""
    build = gov(env).build
    if build.province is None:
        p = load_province(data_root(env))
        for f in p.findings if warn else ():
            logger.warning(f.text(), type="govreport", subtype=f.code)
        if p.declared and warn:
            logger.info(f"省级汇总：{len(p.districts)} 个成员地区，{sum(not d.error for d in p.districts)} 个读取成功")
        build.province = p
    return build.province


def visit_province_body(self: HTML5Translator, node: province_body) -> None:
    """The page as ``pages`` writes it, the links to the province's pages as Sphinx resolved them."""
    p = province_of(self.builder.env)
    href = _hrefs(self, node)
    kind = node["kind"]
    if kind == "index":
        text = pages.index_html(p, href)
    elif kind == "status":
        text = pages.status_html(p)
    else:
        text = (pages.compare_html if kind == "compare" else pages.rollup_html)(p, node["year"], href)
    self.body.append(text)
    raise nodes.SkipNode


def _hrefs(self: HTML5Translator, node: province_body) -> pages.Href:
    """Each province page's address from this one: the references in the content (a page Sphinx
    could not resolve: as Sphinx would address it)."""
    found = {}
    for wrap in node.findall(nodes.inline):
        ref = wrap.next_node(nodes.reference) if wrap.get("target") else None
        if ref is not None and ref.get("refuri"):
            found[wrap["target"]] = ref["refuri"]
    current = self.builder.current_docname
    return lambda doc: found[doc] if doc in found else self.builder.get_relative_uri(current, doc)


def _skip(self: HTML5Translator, node: province_body) -> None:
    pass  # never called: the visitor skips the node


def _csvs(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """The province's open data (the pages are documents: no page of its own here)."""
    if app.builder.format != "html":
        return []
    p = province(app)
    if not p.declared:
        return []
    out = Path(app.outdir)
    for year in p.years:
        write_if_changed(out / pages.compare_csv(year), to_csv(pages.compare_rows(p, year), year))
        write_if_changed(out / pages.rollup_csv_path(year), pages.rollup_csv(p, year))
    return []


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The pages with a ``{federation-index}``: the members' data may have changed since."""
    return sorted(gov(env).federation & (env.found_docs - added - changed))


def _early(app: Sphinx) -> None:
    """Read the members before any page is read (parallel readers and writers then share them, read
    once); their problems are the HTML build's to say, not said again by the LaTeX build of make site."""
    province_of(app.env, warn=app.builder.format == "html")


def _stale(app: Sphinx, exc: Exception | None) -> None:
    """Province pages and CSV of a year no member has any more, left by an earlier build: removed
    (the published site is what a clean build would give)."""
    loaded = gov(app.env).build.province
    if exc is not None or app.builder.format != "html" or loaded is None or not loaded.declared:
        return
    years = loaded.years
    keep = {f"{pg(y)}.html" for y in years for pg in (pages.compare_page, pages.rollup_page)}
    keep |= {Path(f(y)).name for y in years for f in (pages.compare_csv, pages.rollup_csv_path)}
    out = Path(app.outdir)
    for path in [*out.glob("province-compare-*.html"), *out.glob("province-rollup-*.html"), *(out / "opendata" / "province").glob("*.csv")]:
        if path.name not in keep:
            path.unlink()


def _done(app: Sphinx, exc: Exception | None) -> None:
    _stale(app, exc)
    gov(app.env).build.province = None


def setup_federation(app: Sphinx) -> None:
    app.add_node(province_body, html=(visit_province_body, _skip))
    app.add_directive("federation-index", FederationIndex)
    app.add_directive("province-page", ProvincePage)
    provide(province_sources)
    app.connect("html-collect-pages", _csvs)
    app.connect("env-get-outdated", _outdated)
    app.connect("builder-inited", _early)
    app.connect("build-finished", _done)
