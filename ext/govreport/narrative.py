"""Read a report's MyST page without Sphinx: its headings, paragraphs and tables.

Uses markdown-it-py (the parser under MyST) so line numbers match the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin

_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")


@dataclass
class Block:
    kind: str  # "paragraph", "directive", "other"
    line: int  # 1-based first line
    text: str = ""  # paragraph source, line breaks kept
    name: str = ""  # directive name
    arg: str = ""  # directive argument


@dataclass
class Section:
    title: str
    line: int
    level: int
    blocks: list[Block] = field(default_factory=list)  # everything under it, subsections included


@dataclass
class Page:
    path: Path
    title: str | None
    title_line: int | None
    sections: list[Section]
    preamble: list[Block]  # blocks between the title and the first section

    def paragraphs(self) -> list[Block]:
        out = [b for b in self.preamble if b.kind == "paragraph"]
        for s in self.sections:
            out += [b for b in s.blocks if b.kind == "paragraph"]
        return out


# Block structure only: inline parsing (emphasis, links, ...) is never looked at.
# ":::{report-table} 表三" works in the build (myst colon_fence), so here too.
_MD = MarkdownIt("commonmark").use(colon_fence_plugin).disable("inline")


def read_page(path: Path) -> Page:
    source = path.read_text(encoding="utf-8-sig")
    lines = source.splitlines()
    # Front matter would read as a paragraph; drop it, keep line numbers.
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        source = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
        lines = source.splitlines()
    tokens = _MD.parse(source)
    headings: list[tuple[int, int, str]] = []  # (level, line, text)
    blocks: list[tuple[int, Block]] = []  # (index into heading list it follows, block)
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            assert tok.map is not None
            headings.append((int(tok.tag[1]), tok.map[0] + 1, tokens[i + 1].content.strip()))
        elif tok.nesting == 1:
            # Paragraphs at any depth (list items too) are prose; other
            # containers only count as content of their section.
            if tok.type == "paragraph_open" and tok.map is not None:
                text = "\n".join(lines[tok.map[0] : tok.map[1]])
                blocks.append((len(headings), Block("paragraph", tok.map[0] + 1, text)))
            elif depth == 0 and tok.map is not None:
                blocks.append((len(headings), Block("other", tok.map[0] + 1)))
            depth += 1
        elif tok.nesting == -1 and tok.type != "heading_close":
            depth -= 1
        elif tok.nesting == 0 and depth == 0 and tok.type in ("fence", "colon_fence", "code_block", "html_block", "hr") and tok.map:
            m = _DIRECTIVE.match(tok.info.strip()) if tok.type in ("fence", "colon_fence") else None
            if m:
                blocks.append((len(headings), Block("directive", tok.map[0] + 1, tok.content, m.group(1), m.group(2).strip())))
            else:
                blocks.append((len(headings), Block("other", tok.map[0] + 1)))
    if not headings:
        return Page(path, None, None, [], [b for _, b in blocks])
    top = min(h[0] for h in headings)
    title_idx = next(i for i, h in enumerate(headings) if h[0] == top)
    level = min((h[0] for h in headings[title_idx + 1 :]), default=top + 1)
    sections: list[Section] = []
    owner: dict[int, Section | None] = {}
    current: Section | None = None
    for i, (lvl, line, text) in enumerate(headings):
        if i > title_idx and lvl == level:
            current = Section(text, line, lvl)
            sections.append(current)
        elif i > title_idx and current is not None and lvl > level:
            current.blocks.append(Block("heading", line, text))
        owner[i + 1] = current if i > title_idx else None
    preamble: list[Block] = []
    for after, block in blocks:
        sec = owner.get(after)
        (sec.blocks if sec is not None else preamble).append(block)
    return Page(path, headings[title_idx][2], headings[title_idx][1], sections, preamble)


class Where:
    """``where[i]``: the (line, column) in the source of character ``i`` of a
    flat paragraph, worked out when asked (most characters never are)."""

    def __init__(self, first_line: int, lines: list[str]) -> None:
        self.first_line = first_line
        self.starts: list[int] = []
        at = 0
        for line in lines:
            self.starts.append(at)
            at += len(line)
        self.length = at

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> tuple[int, int]:
        if not 0 <= i < self.length:
            raise IndexError(i)
        n = bisect_right(self.starts, i) - 1
        return self.first_line + n, i - self.starts[n] + 1


def flat_text(block: Block) -> tuple[str, Where]:
    """A paragraph's text with line breaks and roles removed, and for each
    character its (line, column) in the source."""
    masked = _ROLE.sub(lambda m: "\0" * len(m.group(0)), block.text)
    lines = masked.split("\n")
    return "".join(lines), Where(block.line, lines)
