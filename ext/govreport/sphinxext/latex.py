"""LaTeX-only adjustments for the mandated tables (the PDF edition).

Tables are set one size smaller (GB/T 9704 allows it so that they fit the type
area); the caption is dropped because the section heading above names the table.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class LatexTables(SphinxPostTransform):
    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "gov-table" not in table["classes"]:
                continue
            for title in list(table.findall(nodes.title)):
                title.parent.remove(title)
            size = r"\footnotesize" if "gov-t2" not in table["classes"] else r"\small"
            parent = table.parent
            i = parent.index(table)
            parent.insert(i + 1, nodes.raw("", r"\endgroup", format="latex"))
            parent.insert(i, nodes.raw("", r"\begingroup" + size + r"\setlength{\tabcolsep}{3pt}", format="latex"))


def setup_latex(app: Sphinx) -> None:
    app.add_post_transform(LatexTables)
