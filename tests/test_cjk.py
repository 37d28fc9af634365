"""Soft line breaks in Chinese prose (no Sphinx needed)."""

from __future__ import annotations

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from govreport.sphinxext.cjk import JoinCJKLines, _prose, join_lines


def test_join_lines() -> None:
    assert join_lines("本年度新收申请\n6 件") == "本年度新收申请6 件"
    assert join_lines("for readable\n  diffs") == "for readable diffs"
    assert join_lines("，\n", after="办") == "，"
    assert join_lines("\n件", before="6") == "件"  # the neighbour is wide
    assert join_lines("\nitems", before="6") == " items"


def _rst(text: str) -> nodes.document:
    doc = new_document("<test>", get_default_settings(Parser))
    Parser().parse(text, doc)
    return doc


def _entry(text: str) -> nodes.entry:
    return nodes.entry("", nodes.paragraph(text, text))


def _table(*classes: str) -> nodes.table:
    table = nodes.table(classes=list(classes))
    body = nodes.tbody("", nodes.row("", _entry("甲\n乙"), _entry("1")))
    table += nodes.tgroup("", nodes.colspec(colwidth=1), nodes.colspec(colwidth=1), body, cols=2)
    return table


def test_prose_is_findall_without_tables_and_verbatim() -> None:
    """The same elements, in the same order, as docutils' own walk minus the
    mandated tables' cells and everything inside verbatim text."""
    doc = _rst("一段\n文字，*强调\n部分* 和 ``literal\ntext``。\n\n::\n\n   代码\n   块\n\n- 列表\n  项\n")
    doc += _table("gov-table", "gov-table3")
    doc += _table()  # a writer's own table: its cells are prose
    doc += nodes.paragraph("", "", nodes.literal("", "x\ny", nodes.emphasis("", "in\nliteral")))

    def inside(node: nodes.Node, kind: type | tuple[type, ...], pred: object = None) -> bool:
        while node is not None:
            if isinstance(node, kind) and (pred is None or pred(node)):  # type: ignore[operator]
                return True
            node = node.parent
        return False

    verbatim = (nodes.literal_block, nodes.literal, nodes.raw, nodes.math_block)
    expected = [
        n
        for n in doc.findall(nodes.TextElement)
        if not inside(n, verbatim) and not inside(n, nodes.table, lambda t: "gov-table" in t["classes"])
    ]
    got = list(_prose(doc))
    assert got == expected
    assert [n.astext() for n in got if isinstance(n, nodes.paragraph)] == [
        "一段\n文字，强调\n部分 和 literal\ntext。",
        "列表\n项",
        "甲\n乙",
        "1",
        "x\nyin\nliteral",
    ]
    assert not any(isinstance(n, nodes.literal) for n in got)


def test_transform_joins_prose_only() -> None:
    """Prose and a writer's own table lose their soft breaks; a parsed-literal
    block (even inside its inline markup) and the mandated tables keep them."""
    doc = _rst("一段\n文字 and\nmore.\n\n.. parsed-literal::\n\n   **粗\n   体**\n")
    doc += _table("gov-table", "gov-table3")
    doc += _table()
    JoinCJKLines(doc).apply()
    paras = [p.astext() for p in doc.findall(nodes.paragraph)]
    assert paras == ["一段文字 and more.", "甲\n乙", "1", "甲乙", "1"]
    literal = next(iter(doc.findall(nodes.literal_block)))
    assert literal.astext() == "粗\n体"
