"""Search that does not grow with the site: Pagefind over the built pages (issue 21).

Sphinx's own search writes one index of every page (searchindex.js) that every
page of the theme loads before it paints: 865 KB at 550 reports, growing
linearly. With ``govreport_search = "pagefind"`` (the default) Sphinx indexes
nothing; after the HTML build Pagefind's extended binary (PyPI
``pagefind[extended]``, pinned; it segments Chinese) indexes the report pages
into chunks, and a query loads only the chunks of its words.

What is indexed is marked in the templates: a report page's article is
``data-pagefind-body`` with its unit and year as filters and its title as meta
(``layout.html``); no other page is indexed. The search page (``gov-search.html``,
``search.html?q=…``) runs ``govreport-pagefind.js``. ``govreport_search =
"sphinx"`` keeps Sphinx's search (the benchmark's baseline).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .common import data_root, report_key
from .pagefindstable import stabilise

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"  # inside the HTML output
#: Pagefind's filter names (the reader sees the labels in govreport-pagefind.js).
FILTER_UNIT = "unit"
FILTER_YEAR = "year"
_WRITTEN = "govreport_pagefind_pages"  # pages written in this build (env attribute)


def uses_pagefind(app: Sphinx) -> bool:
    return bool(app.config.govreport_search == "pagefind") and getattr(app.builder, "format", "") == "html"


def executable() -> Path:
    """Pagefind's extended binary, from the pinned wheel; a clear error without it."""
    try:
        import pagefind_bin_extended
    except ImportError:
        raise ExtensionError("没有 Pagefind：全文搜索需要它。运行 make venv（安装 pyproject.toml 中固定版本的 pagefind[extended]）") from None
    return Path(pagefind_bin_extended.get_executable())


def _builder_inited(app: Sphinx) -> None:
    if app.config.govreport_search not in ("pagefind", "sphinx"):
        raise ExtensionError(f"govreport_search 只能是 \"pagefind\" 或 \"sphinx\"，现在是 {app.config.govreport_search!r}")
    if uses_pagefind(app):
        # No searchindex.js, no indexing while writing; the search page is ours (_search_page).
        app.builder.search = False  # type: ignore[attr-defined]
        executable()  # fail before the build, not after it
    setattr(app.env, _WRITTEN, 0)


def _search_page(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    if not uses_pagefind(app):
        return []
    return [("search", {"title": "全文搜索", "gov_crumbs": [("全文搜索", "")]}, "gov-search.html")]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None) -> None:
    """What the templates need: whether search is Pagefind, and a report page's filters."""
    pagefind = uses_pagefind(app)
    context["gov_pagefind"] = pagefind
    if not pagefind:
        return
    setattr(app.env, _WRITTEN, getattr(app.env, _WRITTEN, 0) + 1)
    key = report_key(pagename)
    if key is not None and pagename in app.env.found_docs:
        from .agencies import _names

        agency, year = key
        context["gov_pagefind_page"] = {FILTER_UNIT: _names(data_root(app.env), agency, year)[0], FILTER_YEAR: str(year)}


def run_pagefind(outdir: Path, pages: list[str] | None = None) -> float:
    """Index the HTML in ``outdir`` into ``outdir/pagefind``; the seconds it took.

    With ``pages`` (paths relative to ``outdir``), only those: the output folder
    also holds pages an earlier build wrote for documents this build no longer
    has (a report withheld or removed), and their words must not be found. They
    are linked into a scratch folder laid out as the site, so the URLs are the same.
    """
    start = time.perf_counter()
    bundle = outdir / BUNDLE
    if bundle.is_dir():
        shutil.rmtree(bundle)  # chunk names are content hashes: old ones would pile up
    with tempfile.TemporaryDirectory(prefix="govreport-pagefind-") as tmp:
        site = outdir
        if pages is not None:
            site = Path(tmp)
            for rel in pages:
                if (outdir / rel).is_file():
                    (site / rel).parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(outdir / rel, site / rel)
                    except OSError:  # another file system
                        shutil.copyfile(outdir / rel, site / rel)
        proc = subprocess.run([str(executable()), "--site", str(site), "--output-path", str(bundle), "--silent"],
                              capture_output=True, text=True)
    if proc.returncode != 0:
        raise ExtensionError(f"Pagefind 建立搜索索引失败（退出码 {proc.returncode}）：{(proc.stderr or proc.stdout)[-2000:]}")
    stabilise(bundle)  # the same pages give the same bytes (Pagefind's own filter order is not fixed)
    return time.perf_counter() - start


def _build_finished(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or not uses_pagefind(app):
        return
    outdir = Path(app.outdir)
    stale = outdir / "searchindex.js"  # from a build with Sphinx's search
    if stale.is_file():
        stale.unlink()
    # Nothing written and an index there: the index is still that of these pages.
    if getattr(app.env, _WRITTEN, 0) == 0 and (outdir / BUNDLE / "pagefind-entry.json").is_file():
        return
    pages = [app.builder.get_target_uri(doc) for doc in sorted(app.env.found_docs)]
    seconds = run_pagefind(outdir, pages)
    logger.info(f"Pagefind 搜索索引：{seconds:.1f} s")


def setup_pagefind(app: Sphinx) -> None:
    app.add_config_value("govreport_search", "pagefind", "html", str)
    app.connect("builder-inited", _builder_inited)
    app.connect("html-collect-pages", _search_page)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", _build_finished)
