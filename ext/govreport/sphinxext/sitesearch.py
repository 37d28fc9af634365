"""The site's search: the index cut to the queries (``govreport/web/sitesearch.py``), issue 21.

With ``govreport_search = "site"`` (the default) Sphinx writes no
``searchindex.js``. As each report page is written, its article (the HTML body,
what a reader sees) is kept as sections of sentences beside the doctrees
(``govreport-search/<builder>/<page>.json``; written in the process that writes
the page, so parallel writing keeps it too). When every page is written
(``html-collect-pages``), the index of the build's report pages is written to
``_search/`` from those records, and the search page (``gov-search.html``)
gets its version and size. A report withheld or removed is not among the
build's pages, so nothing of it can be found; a page with no record (doctrees
from another version) is read again. ``govreport_search = "sphinx"`` keeps
Sphinx's own search: the benchmark's baseline.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..web.sitesearch import SUFFIX, Page, page_sections, remove_index, write_index
from .common import data_root, report_key, unit_names
from .shard import SHARD, SITE, part

logger = logging.getLogger(__name__)

FOLDER = "_search"  # inside the HTML output
HERE = Path(__file__).resolve().parent.parent
ENGINE_JS = HERE / "static" / "govreport-sitesearch.js"
INDEX_CODE = HERE / "web" / "sitesearch.py"
MODES = ("site", "sphinx")


def uses_site_search(app: Sphinx) -> bool:
    """On for the page-per-document HTML builders (singlehtml writes no report page of its own)."""
    return bool(app.config.govreport_search == "site") and app.builder.name in ("html", "dirhtml")


def _records(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "govreport-search" / app.builder.name


def _record_path(app: Sphinx, docname: str) -> Path:
    return _records(app) / f"{docname}.json"


def _builder_inited(app: Sphinx) -> None:
    if app.config.govreport_search not in MODES:
        raise ExtensionError(f"govreport_search 只能是 {' 或 '.join(repr(m) for m in MODES)}，现在是 {app.config.govreport_search!r}")
    if uses_site_search(app):
        app.builder.search = False  # type: ignore[attr-defined]  # no searchindex.js, no indexing while writing


def _code() -> str:
    """The version of the code that reads a page into its record (and writes the index)."""
    return hashlib.sha256(INDEX_CODE.read_bytes()).hexdigest()[:16]


def _code_stamp(app: Sphinx) -> Path:
    return _records(app).with_suffix(".code")  # beside the records: the code they were made by


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Report pages with no record (doctrees from before this search), or every report page when the
    records were made by other code: read and written again, so their records are this code's."""
    if not uses_site_search(app):
        return []
    try:
        same = _code_stamp(app).read_text(encoding="utf-8") == _code()
    except OSError:
        same = False
    return sorted(d for d in env.found_docs - added - changed if report_key(d) and not (same and _record_path(app, d).is_file()))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Every page: whether the site's search is on. A report page: its record for the index."""
    on = uses_site_search(app)
    context["gov_sitesearch"] = on
    key = report_key(pagename)
    if not on or key is None or pagename not in app.env.found_docs or "body" not in context:
        return
    agency, year = key
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else ""
    page = Page(url=app.builder.get_target_uri(pagename), title=title,
                unit=unit_names(data_root(app.env), agency, year)[0], year=year, sections=page_sections(str(context["body"])))
    path = _record_path(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(page.to_json(), ensure_ascii=False, sort_keys=True)
    try:
        if path.read_text(encoding="utf-8") == data:
            return
    except OSError:
        pass
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(data, encoding="utf-8")
    tmp.replace(path)


def _source(app: Sphinx, docs: list[str]) -> str:
    """What the index is made from: each report page's record (name, time, size) and the index's own code."""
    digest = hashlib.sha256(_code().encode())
    for doc in docs:
        st = _record_path(app, doc).stat()
        digest.update(f"{doc}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return digest.hexdigest()[:16]


def _report_pages(app: Sphinx) -> list[str]:
    """The report pages the index is made of: this build's, or in the site-wide build of a sharded
    site, those whose records the shards handed over (``make site-assemble`` puts them here)."""
    if part(app.config) == SITE:
        folder = _records(app)
        return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.glob("*/*.json"))
    return [doc for doc in sorted(app.env.found_docs) if report_key(doc) is not None]


def build_index(app: Sphinx) -> dict[str, Any]:
    """The index of this build's report pages, written to ``_search/``; what the search page needs.
    Not written again when its records are those it was written from (a build that changed no report)."""
    docs = _report_pages(app)
    folder = Path(app.outdir) / FOLDER
    try:
        source = _source(app, docs)
    except OSError as exc:  # _outdated wrote them all: a record lost during the build
        raise ExtensionError(f"搜索索引：有页面的记录读不出（{exc}）；运行 make clean 后重新构建") from exc
    stamp = _records(app).with_suffix(".index.json")  # beside the records, not in the site: times are not published
    try:
        kept = json.loads(stamp.read_text(encoding="utf-8"))
        info = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        if kept == {"source": source, "version": info["version"]} and sum(1 for _ in folder.rglob(f"*{SUFFIX}")) == info["files"]:
            return dict(info)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    pages = [Page.from_json(json.loads(_record_path(app, doc).read_text(encoding="utf-8"))) for doc in docs]
    written = write_index(pages, folder)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"source": source, "version": written.version}), encoding="utf-8")
    _code_stamp(app).write_text(_code(), encoding="utf-8")  # every record is now this code's
    return written.to_json()


def _search_page(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    if not uses_site_search(app):
        remove_index(Path(app.outdir) / FOLDER)  # a build with Sphinx's search: no old index beside it
        return []
    if part(app.config) == SHARD:
        return []  # a shard's pages are only part of the site: the site-wide build indexes them all
    stale = Path(app.outdir) / "searchindex.js"  # from a build with Sphinx's search
    if stale.is_file():
        stale.unlink()
    index = build_index(app)
    logger.info(f"全文搜索索引：{index['pages']} 份报告，{index['buckets']} 个词桶")
    engine = ENGINE_JS.read_text(encoding="utf-8")
    if "</script" in engine.lower() or "<!--" in engine:  # written inside a <script> element of the page
        raise ExtensionError(f"{ENGINE_JS.name} 含有 </script 或 <!--，不能写进搜索页面的 <script> 中")
    return [("search", {"title": "全文搜索", "gov_crumbs": [("全文搜索", "")], "gov_search": index,
                        "gov_search_js": engine}, "gov-search.html")]


def setup_sitesearch(app: Sphinx) -> None:
    app.add_config_value("govreport_search", "site", "html", str)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("html-page-context", page_context)
    # After every page is written, before the search page is: it carries the index's version.
    app.connect("html-collect-pages", _search_page, priority=800)
