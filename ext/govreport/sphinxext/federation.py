"""A province's site from its member districts' published open data (issue 22, federation).

When ``portal.toml`` has a ``[federation]``, the HTML build reads every member
(``federation.province``) once, reports the members' data problems as warnings
(located, with their codes), and adds the province's pages
(``federation.pages``): ``{federation-index}`` on the index, and
``province-compare-<year>``, ``province-rollup-<year>`` and ``province-status``,
with ``opendata/province/rollup-<year>.csv`` and ``opendata/province/compare-<year>.csv``.
The members' data is read on every build (it is not a file of this repository),
so the pages that show it are always written again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..portal.federation.province import Province, load_province
from .common import data_root
from .domain import gov

logger = logging.getLogger(__name__)


class federation_index(nodes.General, nodes.Element):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """Where the member districts' list goes (filled when the page is written)."""


class FederationIndex(SphinxDirective):
    """``{federation-index}``: every member district and its units, linked to their reports."""

    def run(self) -> list[nodes.Node]:
        gov(self.env).federation.add(self.env.docname)
        return [federation_index()]


def province(app: Sphinx) -> Province:
    """This build's province (read once, on first use)."""
    build = gov(app.env).build
    if build.province is None:
        p = load_province(data_root(app.env))
        for f in p.findings:
            logger.warning(f.text(), type="govreport", subtype=f.code)
        if p.declared:
            logger.info(f"省级汇总：{len(p.districts)} 个成员地区，{sum(not d.error for d in p.districts)} 个读取成功")
        build.province = p
    return build.province


def _fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    from ..portal.federation.pages import index_html

    for node in list(doctree.findall(federation_index)):
        if app.builder.format != "html":
            node.replace_self([])
            continue
        node.replace_self(nodes.raw("", index_html(province(app), "../" * docname.count("/")), format="html"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:  # unchanged files keep their time
        path.write_text(text, encoding="utf-8")


def _pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format != "html":
        return
    p = province(app)
    if not p.declared:
        return
    from ..portal.compare import to_csv
    from ..portal.federation import pages

    out = Path(app.outdir)
    for year in p.years:
        _write(out / pages.compare_csv(year), to_csv(pages.compare_rows(p, year), year))
        _write(out / pages.rollup_csv_path(year), pages.rollup_csv(p, year))
        title = f"{year} 年度各地区主要数字对比"
        yield pages.compare_page(year), {"title": title, "body": pages.compare_html(p, year), "gov_crumbs": [(title, "")]}, "gov-agency.html"
        title = f"{p.title or '全省'} {year} 年度汇总"
        yield pages.rollup_page(year), {"title": title, "body": pages.rollup_html(p, year), "gov_crumbs": [(title, "")]}, "gov-agency.html"
    title = "各地区发布情况"
    yield pages.STATUS_PAGE, {"title": title, "body": pages.status_html(p), "gov_crumbs": [(title, "")]}, "gov-agency.html"


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The pages with a ``{federation-index}``: the members' data may have changed since."""
    return sorted(gov(env).federation & (env.found_docs - added - changed))


def _early(app: Sphinx) -> None:
    """Read the members before any page is written (parallel writers then share them, read once)."""
    if app.builder.format == "html":
        province(app)


def _stale(app: Sphinx, exc: Exception | None) -> None:
    """Province pages and CSV of a year no member has any more, left by an earlier build: removed
    (the published site is what a clean build would give)."""
    loaded = gov(app.env).build.province
    if exc is not None or app.builder.format != "html" or loaded is None or not loaded.declared:
        return
    from ..portal.federation import pages

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
    app.add_node(federation_index)
    app.add_directive("federation-index", FederationIndex)
    app.connect("doctree-resolved", _fill)
    app.connect("html-collect-pages", _pages)
    app.connect("env-get-outdated", _outdated)
    app.connect("builder-inited", _early)
    app.connect("build-finished", _done)
