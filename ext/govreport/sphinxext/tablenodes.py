"""The mandated tables' own nodes: docutils' ``table``, ``row`` and ``entry`` as
the ``report-table`` directive builds them.

Each builder's polish of these tables (``<th>`` with a scope in HTML, the
longtable and its cells in LaTeX) is a visitor of these nodes; docutils' own
visitors stay as they are for every other table. Each node prints as the
docutils node it extends (``tagname``), so a page's pseudo-XML is unchanged.

A cell says itself what a visitor needs: its role in its classes (``gov-head``,
``gov-stub``, ``gov-num``), its spans (``morerows``, ``morecols``), and whether it
stands in the table's head rows (its class, ``gov_head_entry``); docutils and
Sphinx find that out from the cell's grandparent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes

Visitor = Callable[[nodes.NodeVisitor, nodes.Element], None]


class gov_table(nodes.table):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """A mandated table (表二, 表三, 表四): the official grid of the format spec."""

    tagname = "table"


class gov_row(nodes.row):  # type: ignore[misc]
    """A row of a mandated table."""

    tagname = "row"


class gov_entry(nodes.entry):  # type: ignore[misc]
    """A cell of a mandated table's body."""

    tagname = "entry"
    #: In the table's head rows (the ``thead``).
    head_row: ClassVar[bool] = False


class gov_head_entry(gov_entry):
    """A cell of a mandated table's head rows."""

    head_row = True


def as_docutils(name: str) -> tuple[Visitor, Visitor]:
    """Visitors for a builder with nothing of its own to add: the translator's
    own for the docutils node ``name`` (``table``, ``row``, ``entry``)."""

    def visit(self: nodes.NodeVisitor, node: nodes.Element) -> None:
        getattr(self, f"visit_{name}")(node)

    def depart(self: nodes.NodeVisitor, node: nodes.Element) -> None:
        getattr(self, f"depart_{name}")(node)

    return visit, depart


__all__ = ["as_docutils", "gov_entry", "gov_head_entry", "gov_row", "gov_table"]
