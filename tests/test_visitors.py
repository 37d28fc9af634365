"""Builder polish through the project's own nodes, never docutils' visitors (issue 20, item 5).

The mandated tables' cells, rows and tables are nodes of the project's own
(``sphinxext/tablenodes.py``) with a visitor per builder. This scan of the source
(``ast``, not importing it) fails on what they replaced: a docutils or Sphinx node
registered again with ``override=True``; a visitor of a docutils node written
as a module function (what ``add_node`` installs), as a method of a subclass of
a builder's translator, or assigned onto a translator; and a walk from a node
to its grandparent (``node.parent.parent``), a path's ``Path(…).parent.parent``
excepted.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from docutils import nodes
from govreport.format.spec import load_spec
from govreport.model.csvload import load_table
from govreport.sphinxext import latex
from govreport.sphinxext.tablenodes import gov_entry, gov_head_entry, gov_row, gov_table
from govreport.sphinxext.tables import build_table
from sample import SAMPLE
from sphinx.testing.util import SphinxTestApp
from sphinx.writers.latex import LaTeXTranslator

PACKAGE = Path(__file__).resolve().parents[1] / "ext" / "govreport"

#: docutils' own nodes: visit_<name> / depart_<name> of one of these is docutils' visitor.
DOCUTILS_NODES = frozenset(nodes.node_class_names)
#: The translators of the builders Sphinx ships: a subclass's visit_entry changes every table.
TRANSLATORS = frozenset({
    "HTMLTranslator", "HTML5Translator", "LaTeXTranslator", "TextTranslator",
    "ManualPageTranslator", "TexinfoTranslator",
})  # fmt: skip
#: Modules whose nodes are docutils' or Sphinx's own.
NODE_MODULES = frozenset({"nodes", "addnodes"})


def _visitor_of_docutils(name: str) -> bool:
    kind, _, node = name.partition("_")
    return kind in ("visit", "depart") and node in DOCUTILS_NODES


def _rooted_at_path(node: ast.expr) -> bool:
    """``Path(__file__).resolve().parent.parent``: a file's folder, not a doctree node's."""
    while True:
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in ("Path", "PurePath"):
                return True
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return False


def violations(source: str, name: str = "<source>") -> list[str]:
    """What in ``source`` overrides a docutils visitor or walks to a node's grandparent."""
    out = []
    walked: set[int] = set()  # the inner links of a .parent.parent… chain already reported
    tree = ast.parse(source, name)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and _visitor_of_docutils(node.name):
            out.append(f"{name}:{node.lineno}: module function {node.name} (a docutils visitor)")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = {b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases}
            if bases & TRANSLATORS:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and _visitor_of_docutils(item.name):
                        out.append(f"{name}:{item.lineno}: {node.name}.{item.name} overrides the translator's own")
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if called in ("add_node", "add_enumerable_node") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name) and first.value.id in NODE_MODULES:
                    out.append(f"{name}:{node.lineno}: {called}({first.value.id}.{first.attr}): visitors for a node of docutils' or Sphinx's own")
                if any(k.arg == "override" for k in node.keywords):
                    out.append(f"{name}:{node.lineno}: {called}(…, override=…)")
            if called == "setattr" and len(node.args) > 1:
                attr = node.args[1]
                if isinstance(attr, ast.Constant) and isinstance(attr.value, str) and _visitor_of_docutils(attr.value):
                    out.append(f"{name}:{node.lineno}: setattr(…, {attr.value!r})")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and _visitor_of_docutils(target.attr):
                    out.append(f"{name}:{node.lineno}: assigns .{target.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "parent" and id(node) not in walked:
            inner = node.value
            if isinstance(inner, ast.Attribute) and inner.attr == "parent" and not _rooted_at_path(inner):
                out.append(f"{name}:{node.lineno}: walks to a grandparent (.parent.parent)")
                while isinstance(inner, ast.Attribute) and inner.attr == "parent":  # one finding a chain
                    walked.add(id(inner))
                    inner = inner.value
    return out


def test_no_docutils_visitor_overridden() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += violations(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert found == []


@pytest.mark.parametrize(
    ("source", "what"),
    [
        # the shapes issue 20 removed (sphinxext/html.py and latex.py before)
        ("def visit_entry(self, node):\n    pass\n", "module function visit_entry"),
        ("def depart_table(self, node):\n    pass\n", "module function depart_table"),
        ("app.add_node(nodes.entry, html=(v, d))\n", "add_node(nodes.entry)"),
        ("app.add_node(gov_entry, override=True, html=(v, d))\n", "override="),
        ("table = node.parent.parent.parent.parent\n", ".parent.parent"),
        ("head = isinstance(node.parent.parent, nodes.thead)\n", ".parent.parent"),
        ("class T(LaTeXTranslator):\n    def visit_row(self, node):\n        pass\n", "T.visit_row overrides"),
        ("class T(html5.HTML5Translator):\n    def depart_entry(self, node):\n        pass\n", "T.depart_entry overrides"),
        ("LaTeXTranslator.visit_row = visit_row\n", "assigns .visit_row"),
        ("setattr(translator, 'visit_entry', f)\n", "setattr(…, 'visit_entry')"),
    ],
)
def test_scan_finds(source: str, what: str) -> None:
    found = violations(source)
    assert len(found) == 1 and what in found[0], found


def test_scan_allows() -> None:
    """The project's own nodes and translators, and a file's folder."""
    source = (
        "app.add_node(gov_entry, html=(visit_gov_entry, depart_gov_entry))\n"
        "def visit_gov_entry(self, node):\n    self.visit_entry(node)\n"
        "class DocxTranslator(SphinxTranslator):\n    def visit_table(self, node):\n        pass\n"
        "HERE = Path(__file__).resolve().parent.parent\n"
    )
    assert violations(source) == []


@pytest.mark.sphinx("text", testroot="basic", srcdir="visitors-text")
def test_text_builder(app: SphinxTestApp) -> None:
    """A builder with nothing of its own renders the tables as docutils' (their delegating visitors)."""
    app.build()
    assert app.statuscode == 0
    text = (Path(app.outdir) / "demo" / "2021.txt").read_text(encoding="utf-8")
    assert "表二 主动公开政府信息情况" in text and "| 第二十条第（一）项 " in text and "| 规章  | 0 " in text


def test_table_nodes() -> None:
    """The directive's nodes: a head-row cell says so by its class; all print as docutils' do."""
    spec = load_spec("2021").tables["t3"]
    data, _ = load_table(SAMPLE / spec.file, spec, spec.file)
    table = build_table(spec, data)
    assert isinstance(table, gov_table) and table.tagname == "table"
    thead, tbody = next(iter(table.findall(nodes.thead))), next(iter(table.findall(nodes.tbody)))
    assert all(isinstance(e, gov_head_entry) for e in thead.findall(nodes.entry))
    assert not any(isinstance(e, gov_head_entry) for e in tbody.findall(nodes.entry))
    assert all(isinstance(e, gov_entry) for e in tbody.findall(nodes.entry))
    assert all(isinstance(r, gov_row) for r in table.findall(nodes.row))
    assert {n.tagname for n in table.findall(nodes.Element)} == {"table", "title", "tgroup", "colspec", "thead", "tbody", "row", "entry", "paragraph"}


@pytest.mark.sphinx("html", testroot="basic", srcdir="visitors-html")
def test_html_cells(app: SphinxTestApp) -> None:
    """The mandated tables' cells get their scope; any other table's stay docutils'."""
    app.build()
    page = (Path(app.outdir) / "demo" / "2021.html").read_text(encoding="utf-8")
    assert '<th class="gov-head" colspan="4" scope="colgroup">' in page
    assert '<th class="gov-stub" scope="row">' in page
    assert '<td class="gov-num">' in page
    codes = (Path(app.outdir) / "codes.html").read_text(encoding="utf-8")
    assert '<th class="head">' in codes and "scope=" not in codes


@pytest.mark.sphinx("latex", testroot="pdfgrid", srcdir="visitors-rows")
def test_latex_row_ends_as_sphinx(app: SphinxTestApp) -> None:
    """depart_gov_row writes a row's end and rules as Sphinx's own depart_row does
    (checked against the installed Sphinx, row by row), with ``\\govkeep`` added
    where a break is not allowed."""
    seen: list[tuple[list[str], list[str]]] = []

    def depart(self: LaTeXTranslator, node: gov_row) -> None:
        assert self.table is not None
        row = self.table.row
        self.pushbody([])
        LaTeXTranslator.depart_row(self, node)
        expected = self.popbody()
        self.table.row = row
        self.pushbody([])
        latex.depart_gov_row(self, node)
        ours = self.popbody()
        self.body.extend(ours)
        if node.get("gov-keep"):
            expected[0] = "\\\\\\govkeep\n"
            if node.next_node(descend=False, siblings=True) is not None:
                expected.append("\\govkeep\n")
        seen.append((ours, expected))

    app.add_node(gov_row, override=True, latex=(latex.visit_gov_row, depart))
    app.build()
    assert app.statuscode == 0
    assert len(seen) > 40 and any(r"\sphinxcline" in "".join(o) for o, _ in seen)
    assert any(r"\govkeep" in "".join(o) for o, _ in seen)
    for ours, expected in seen:
        assert ours == expected


@pytest.mark.sphinx("latex", testroot="pdfgrid", srcdir="visitors-cells")
def test_latex_cells_as_sphinx(app: SphinxTestApp) -> None:
    """visit_gov_entry opens a cell as Sphinx's own visit_entry does (checked against
    the installed Sphinx, cell by cell) but for what it exists to change: a merged
    cell's width, a header cell centred, a centred label's ``\\govmultirow``."""
    seen = 0

    def visit(self: LaTeXTranslator, node: gov_entry) -> None:
        nonlocal seen
        table = self.table
        assert table is not None
        state = (dict(table.cells), table.cell_id, table.col)
        self.pushbody([])
        LaTeXTranslator.visit_entry(self, node)
        self.popbody()
        expected_context = self.context.pop()
        expected = self.popbody()
        table.cells.clear()
        table.cells.update(state[0])
        table.cell_id, table.col = state[1], state[2]
        self.pushbody([])
        latex.visit_gov_entry(self, node)
        cell = self.popbody()
        ours = self.popbody()
        self.body.extend(ours)
        self.pushbody(cell)
        assert self.context[-1] == expected_context
        assert len(ours) == len(expected), (ours, expected)
        for o, e in zip(ours, expected, strict=True):
            if e.startswith(r"\begin{varwidth}"):
                if node.head_row or "gov-head" in node["classes"]:
                    assert o.startswith(r"\centering\arraybackslash"), o
                    o = o.removeprefix(r"\centering\arraybackslash")
                if node.get("morecols"):  # the true fraction of the table, not Sphinx's span/columns
                    o, e = (re.sub(r"\\sphinxcolwidth\{\d+\}\{\d+\}", "W", x) for x in (o, e))
                assert o == e
            elif e.startswith(r"\sphinxmultirow") and o.startswith(r"\govmultirow"):
                assert node.get("gov-span-lines", 0) > node.get("gov-own-lines", 0) and o == e.replace(r"\sphinxmultirow", r"\govmultirow")
            else:
                assert o == e
        seen += 1

    app.add_node(gov_entry, override=True, latex=(visit, latex.depart_gov_entry))
    app.add_node(gov_head_entry, override=True, latex=(visit, latex.depart_gov_entry))
    app.build()
    assert app.statuscode == 0
    assert seen > 200
