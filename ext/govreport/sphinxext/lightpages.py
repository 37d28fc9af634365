"""Light pages (issue 21): what a phone needs for the first paint is small.

With ``govreport_light_pages`` (on by default) every page links one stylesheet,
``_static/gov-site.css``: the theme's, Sphinx's, sphinx-design's and the
project's CSS joined and trimmed, after the build, to the rules the site's pages
can use (``csspurge``), with the theme's icons as inline SVG
(``govreport-icons.css``) instead of the icon font and its script. No script
blocks the first paint: Sphinx's documentation options are written inline, the
theme's script and the project's are deferred, and the scripts no page uses
(Sphinx's highlighting, doctools and translations, sphinx-design's tabs,
Bootstrap's bundle, the icon font's) are not loaded. The templates'
side is in ``layout.html`` (``gov_light``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..web.csspurge import html_names, purge, script_words
from .common import write_if_changed
from .shard import SHARD, part

BUNDLE = "_static/gov-site.css"
ICONS = "govreport-icons.css"
# The theme's own stylesheets (its layout links them itself, not through css_files), first.
THEME_CSS = ["basic.css", "styles/pydata-sphinx-theme.css"]
# What the pages still load: Sphinx's options (inline), the theme's script, the project's.
KEEP_JS = {"govreport.js"}
THEME_JS = "scripts/pydata-sphinx-theme.js"
HEADER = ("/* 本站样式（构建时生成，勿手改）：pydata-sphinx-theme (BSD-3-Clause, includes Bootstrap, MIT), Sphinx basic.css (BSD-2-Clause),\n"
          " * sphinx-design (MIT) and govreport's CSS, trimmed to the rules this site's pages use (govreport/web/csspurge.py). */\n")


def light(app: Sphinx) -> bool:
    return bool(app.config.govreport_light_pages) and getattr(app.builder, "format", "") == "html"


def _options(app: Sphinx) -> str:
    """Sphinx's documentation_options.js, inline: one request fewer before the first paint."""
    builder: Any = app.builder
    opts = {"VERSION": app.config.release, "LANGUAGE": app.config.language, "COLLAPSE_INDEX": False,
            "BUILDER": builder.name, "FILE_SUFFIX": builder.out_suffix, "LINK_SUFFIX": builder.link_suffix,
            "HAS_SOURCE": bool(app.config.html_copy_source), "SOURCELINK_SUFFIX": app.config.html_sourcelink_suffix,
            "NAVIGATION_WITH_KEYS": False, "SHOW_SEARCH_SUMMARY": True, "ENABLE_SEARCH_SHORTCUTS": False}
    return "const DOCUMENTATION_OPTIONS = " + json.dumps(opts, ensure_ascii=False) + ";"


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None) -> None:
    context["gov_light"] = light(app)
    if not context["gov_light"]:
        return
    from sphinx.builders.html._assets import _JavaScript

    scripts: list[Any] = [_JavaScript("", priority=0, body=_options(app))]
    for js in context.get("script_files", []):
        name = str(js.filename)
        if not name:
            scripts.append(js)  # inline lines (the page's name for the theme's script)
        elif Path(name).name in KEEP_JS:
            scripts.append(_JavaScript(name, priority=js.priority, defer="defer"))
    context["script_files"] = scripts
    context["css_files"] = []


def _sources(app: Sphinx) -> list[Path]:
    """The stylesheets a page of the full theme links, in its order (as the cascade has them)."""
    static = Path(app.outdir) / "_static"
    linked = sorted(getattr(app.builder, "_css_files", []), key=lambda c: c.priority)
    names = [*THEME_CSS, *(str(c.filename).removeprefix("_static/") for c in linked)]
    return [static / n for n in dict.fromkeys(names) if "://" not in n and (static / n).is_file()]


def write_bundle(app: Sphinx, exc: BaseException | None) -> None:
    """The trimmed stylesheet, from every page and script now in the output."""
    if exc is not None or not light(app) or part(app.config) == SHARD:
        return  # a shard's pages are only part of the site: the site-wide build trims for all of them
    out = Path(app.outdir)
    classes: set[str] = set()
    ids: set[str] = set()
    for page in out.rglob("*.html"):
        if page.relative_to(out).parts[0] not in ("_static", "_sources", "_search"):
            html_names(page.read_text(encoding="utf-8"), classes, ids)
    static = out / "_static"
    for js in [static / THEME_JS, *sorted(static.glob("govreport*.js"))]:
        if js.is_file():
            words = script_words(js.read_text(encoding="utf-8"), class_lists_only=js.name == Path(THEME_JS).name)
            classes |= words
            ids |= words
    css = "\n".join(p.read_text(encoding="utf-8") for p in _sources(app))
    icons = static / ICONS
    text = HEADER + purge(css, classes, ids, drop=("fa-",)) + (icons.read_text(encoding="utf-8") if icons.is_file() else "")
    write_if_changed(out / BUNDLE, text)


def setup_lightpages(app: Sphinx) -> None:
    app.add_config_value("govreport_light_pages", True, "html", bool)
    app.connect("html-page-context", page_context, priority=900)  # after the theme's own additions
    app.connect("build-finished", write_bundle)
