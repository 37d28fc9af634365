"""HTML-only polish: scrolling boxes for wide tables, header cells with scope, CSS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

STATIC = Path(__file__).parent.parent / "static"


class ScrollWideTables(SphinxPostTransform):
    """Wrap each mandated table in a box that scrolls sideways on a phone."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "gov-table" in table["classes"] and "gov-table-scroll" not in table.parent.get("classes", []):
                box = nodes.container(classes=["gov-table-scroll"])
                # parent.replace, not replace_self: that would move the table's
                # ids and classes onto the box.
                table.parent.replace(table, box)
                box += table


def _in_gov_table(node: nodes.Element) -> bool:
    table = node.parent.parent.parent.parent  # entry < row < thead/tbody < tgroup < table
    return "gov-table" in table.get("classes", [])


def visit_entry(self: HTML5Translator, node: nodes.entry) -> None:
    """Header and label cells of a mandated table are ``<th>`` with a scope.

    docutils decides ``th`` from the stub column index, which is wrong in rows
    below a rowspan; the spec marks each cell instead (gov-head/gov-stub).
    """
    if not _in_gov_table(node):
        type(self).visit_entry(self, node)
        return
    classes = node["classes"]
    in_head = isinstance(node.parent.parent, nodes.thead)
    atts: dict[str, Any] = {}
    if "morerows" in node:
        atts["rowspan"] = node["morerows"] + 1
    if "morecols" in node:
        atts["colspan"] = node["morecols"] + 1
    if in_head or "gov-head" in classes:
        tag = "th"
        atts["scope"] = "colgroup" if "morecols" in node else "col"
    elif "gov-stub" in classes:
        tag = "th"
        atts["scope"] = "rowgroup" if "morerows" in node else "row"
    else:
        tag = "td"
    self.body.append(self.starttag(node, tag, "", **atts))
    self.context.append(f"</{tag}>\n")


def depart_entry(self: HTML5Translator, node: nodes.entry) -> None:
    if not _in_gov_table(node):
        type(self).depart_entry(self, node)
        return
    self.body.append(self.context.pop())


def _static(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(STATIC))


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
    app.add_post_transform(ScrollWideTables)
    app.add_node(nodes.entry, override=True, html=(visit_entry, depart_entry))
    app.connect("config-inited", _static)
    app.connect("builder-inited", _template_cache)
    app.add_css_file("govreport.css")
