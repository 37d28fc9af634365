"""Soft line breaks inside Chinese paragraphs must not become spaces.

Writers put one sentence per line for readable diffs; markdown-it keeps the
newline, and a browser shows it as a space between two Chinese characters. This
transform drops a line break next to a wide (CJK) character and turns any other
into a plain space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def is_wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


def join_lines(text: str, before: str = "", after: str = "") -> str:
    """Remove soft breaks in ``text``; ``before``/``after`` are the neighbouring
    characters outside it (from the previous and next text node)."""

    def repl(m: re.Match[str]) -> str:
        prev = text[m.start() - 1] if m.start() > 0 else before
        nxt = text[m.end()] if m.end() < len(text) else after
        return "" if is_wide(prev) or is_wide(nxt) else " "

    return _BREAK.sub(repl, text)


_VERBATIM = (nodes.literal_block, nodes.literal, nodes.raw, nodes.math_block)


def _prose(document: nodes.document) -> Iterator[nodes.TextElement]:
    """The text elements of ``document`` in document order, except verbatim
    ones and the cells of the mandated tables: their text comes from the CSV
    without line breaks, and they are most of a report page's nodes."""
    stack: list[nodes.Element] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.table) and "gov-table" in node["classes"]:
            continue
        if isinstance(node, nodes.TextElement):
            if isinstance(node, _VERBATIM):
                continue
            yield node
        stack.extend(c for c in reversed(node.children) if isinstance(c, nodes.Element))


class JoinCJKLines(SphinxTransform):
    default_priority = 700

    def apply(self, **kwargs: object) -> None:
        for para in _prose(self.document):
            texts = [t for t in para.children if isinstance(t, nodes.Text)]
            for t in texts:
                s = str(t)
                if "\n" not in s:
                    continue
                i = para.index(t)
                before = para[i - 1].astext()[-1:] if i > 0 else ""
                after = para[i + 1].astext()[:1] if i + 1 < len(para) else ""
                para.replace(t, nodes.Text(join_lines(s, before, after)))


def setup_cjk(app: Sphinx) -> None:
    app.add_transform(JoinCJKLines)
