"""The ``value`` role: a number from the report's data, inside a sentence.

``本年新收申请{value}`t3.new.total`件`` shows the CSV's number, so the prose
cannot contradict the table. A reference is ``table.row.column`` with the ids of
the format spec, or ``表三/一、本年新收政府信息公开申请数量/总计`` with labels.
"""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from ..csvload import normalise_label
from ..spec import TableSpec
from .common import page_report
from .tables import cell_text


def resolve(spec_table: TableSpec, row: str, col: str) -> tuple[str, str] | None:
    """Ids or (normalised) labels -> ``(row id, column id)``."""

    def find(text: str, items: dict[str, str]) -> str | None:
        if text in items:
            return text
        n = normalise_label(text)
        return next((i for i, label in items.items() if normalise_label(label) == n), None)

    r = find(row, {k: v.label for k, v in spec_table.rows.items()})
    c = find(col, {k: v.label for k, v in spec_table.columns.items()})
    if r is None or c is None or c not in spec_table.rows[r].cols:
        return None
    return r, c


class ValueRole(SphinxRole):
    def run(self) -> tuple[list[Node], list[system_message]]:
        result = page_report(self.env, self.env.docname)
        if result is None:
            return self._fail(f"value：页面 {self.env.docname} 不对应任何报告")
        parts = self.text.split("/") if "/" in self.text else self.text.split(".")
        if len(parts) != 3:
            return self._fail(f"value：引用“{self.text}”应写成 表.行.列，例如 t3.new.total")
        try:
            table = result.report.spec.table(parts[0])
        except KeyError:
            return self._fail(f"value：未知的表“{parts[0]}”")
        key = resolve(table, parts[1].strip(), parts[2].strip())
        if key is None:
            return self._fail(f"value：{table.title} 中没有“{parts[1]}”行“{parts[2]}”列")
        data = result.report.tables[table.id]
        node = nodes.inline(self.rawtext, cell_text(data, key), classes=["gov-value"])
        self.set_source_info(node)
        return [node], []

    def _fail(self, msg: str) -> tuple[list[Node], list[system_message]]:
        problem = self.inliner.reporter.error(msg, line=self.lineno)
        prb = self.inliner.problematic(self.rawtext, self.rawtext, problem)
        return [prb], [problem]


def setup_values(app: Sphinx) -> None:
    app.add_role("value", ValueRole())
