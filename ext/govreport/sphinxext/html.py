"""HTML-only polish: scrolling boxes for wide tables, header cells with scope, CSS, JS.

The mandated tables' cells are the project's own nodes (``tablenodes``); their
HTML visitor is here, registered with the nodes by ``tables.setup_tables``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from .tablenodes import gov_entry, gov_table

STATIC = Path(__file__).parent.parent / "static"
TEMPLATES = Path(__file__).parent.parent / "templates"


class table_scroll(nodes.General, nodes.Element):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """The box a mandated table scrolls sideways in: a named region that the
    keyboard can reach, with a hint shown when the table is wider than the box."""


class ScrollWideTables(SphinxPostTransform):
    """Wrap each mandated table in a box that scrolls sideways on a phone (the
    label columns stay in view: govreport.js pins them where they start)."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(gov_table)):
            if not isinstance(table.parent, table_scroll):
                title = next(iter(table.findall(nodes.title)), None)
                box = table_scroll(label=title.astext() if title is not None else "统计表")
                # parent.replace, not replace_self: that would move the table's
                # ids and classes onto the box.
                table.parent.replace(table, box)
                box += table


def visit_table_scroll(self: HTML5Translator, node: table_scroll) -> None:
    label = f"{node['label']}（表格较宽时可左右滚动）"
    self.body.append('<div class="gov-table-wrap">')
    # The hint's words are in the CSS (content:), so they stay out of the search index.
    self.body.append('<div class="gov-scroll-hint" aria-hidden="true"></div>')
    self.body.append(self.starttag(node, "div", "", CLASS="gov-table-scroll", role="region", tabindex="0", **{"aria-label": label}))


def depart_table_scroll(self: HTML5Translator, node: table_scroll) -> None:
    self.body.append("</div></div>\n")


def visit_gov_entry(self: HTML5Translator, node: gov_entry) -> None:
    """Header and label cells of a mandated table are ``<th>`` with a scope.

    docutils decides ``th`` from the stub column index, which is wrong in rows
    below a rowspan; the spec marks each cell instead (gov-head/gov-stub).
    """
    classes = node["classes"]
    atts: dict[str, Any] = {}
    if "morerows" in node:
        atts["rowspan"] = node["morerows"] + 1
    if "morecols" in node:
        atts["colspan"] = node["morecols"] + 1
    if node.head_row or "gov-head" in classes:
        tag = "th"
        atts["scope"] = "colgroup" if "morecols" in node else "col"
    elif "gov-stub" in classes:
        tag = "th"
        atts["scope"] = "rowgroup" if "morerows" in node else "row"
    else:
        tag = "td"
    self.body.append(self.starttag(node, tag, "", **atts))
    self.context.append(f"</{tag}>\n")


def depart_gov_entry(self: HTML5Translator, node: gov_entry) -> None:
    self.body.append(self.context.pop())


def _static(app: Sphinx, config: Config) -> None:
    # conf.py's settings (sitetheme.html_settings) may list the folder and the CSS already.
    if str(TEMPLATES) not in map(str, config.templates_path):
        config.templates_path.append(str(TEMPLATES))  # the agency page's template, with any theme
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))
    if "govreport.css" not in config.html_css_files:
        app.add_css_file("govreport.css")
    if "govreport.js" not in config.html_js_files:
        app.add_js_file("govreport.js")


def _template_cache(app: Sphinx) -> None:
    """Keep the compiled page templates beside the doctrees. Sphinx compiles
    them again in every run, about 0.4 s: a third of a rebuild after one edit."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None and environment.bytecode_cache is None:
        from jinja2 import FileSystemBytecodeCache

        folder = Path(app.doctreedir) / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup_html(app: Sphinx) -> None:
    app.add_node(table_scroll, html=(visit_table_scroll, depart_table_scroll))  # HTML only: added by an HTML post-transform
    app.add_post_transform(ScrollWideTables)
    app.connect("config-inited", _static)
    app.connect("builder-inited", _template_cache)
