"""The ``value`` role: a number from the report's data, inside a sentence.

``…申请{value}`t3.new.total`件`` shows the CSV's number, so the prose
cannot contradict the table. A reference is ``table.row.column`` with the ids of
the format spec, or ``表三/<row label>/<column label>`` with the spec's labels.
"""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from .common import page_report
from .findings import record_here
from .tables import cell_text


class ValueRole(SphinxRole):
    """A bad reference is a finding of the page's checks (P603), not a docutils
    error: it must fail the build and show in ``make check`` too."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        result = page_report(self.env, self.env.docname)
        try:
            if result is None:
                raise KeyError(self.env.docname)  # reported below as P603 "page"
            table, row, col = result.report.spec.resolve(self.text)
        except KeyError:
            if result is None:
                record_here(self.env, self.lineno, "P603", "page", docname=self.env.docname)
            node = nodes.inline(self.rawtext, self.text, classes=["gov-value", "gov-missing"])
            return [node], []
        data = result.report.tables[table.id]
        node = nodes.inline(self.rawtext, cell_text(data, (row, col)), classes=["gov-value"])
        self.set_source_info(node)
        return [node], []


def setup_values(app: Sphinx) -> None:
    app.add_role("value", ValueRole())
