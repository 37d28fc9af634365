"""Read a report's MyST page without Sphinx: its headings, paragraphs and tables.

Uses markdown-it-py (the parser under MyST) so line numbers match the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
# Built on first use: most pages never need it (see ``_scan``).
_MD: Any = None


def _markdown_it() -> Any:
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.colon_fence import colon_fence_plugin

        _MD = MarkdownIt("commonmark").use(colon_fence_plugin).disable("inline")
    return _MD


Heading = tuple[int, int, str]  # (level, line, text)
Placed = tuple[int, Block]  # (number of headings before it, block)


def read_page(path: Path, source: str | None = None) -> Page:
    """``source``: the page's text when already decoded (pagescan.read_page_text)."""
    if source is None:
        source = path.read_text(encoding="utf-8-sig")
    lines = source.splitlines()
    # Front matter would read as a paragraph; drop it, keep line numbers.
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        source = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
        lines = source.splitlines()
    scanned = _scan(source, lines)
    headings, blocks = scanned if scanned is not None else _parse(source, lines)
    return _assemble(path, headings, blocks)


def _parse(source: str, lines: list[str]) -> tuple[list[Heading], list[Placed]]:
    """Headings and blocks, from markdown-it's block tokens."""
    tokens = _markdown_it().parse(source)
    headings: list[Heading] = []
    blocks: list[Placed] = []
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
            blocks.append((len(headings), _fence_block(tok.map[0] + 1, tok.info, tok.content)))
    return headings, blocks


def _fence_block(line: int, info: str, content: str) -> Block:
    m = _DIRECTIVE.match(info.strip())
    if m:
        return Block("directive", line, content, m.group(1), m.group(2).strip())
    return Block("other", line)


# ---------------------------------------------------------------- fast path
#
# markdown-it tries every block rule on every line of a paragraph (can the line
# end it?), which makes it the main cost of ``make check`` over many reports.
# A report page is almost always headings, paragraphs and fenced directives;
# ``_scan`` reads exactly those, and gives up (None) on any line that could
# start anything else, so markdown-it reads the page instead. Both must agree:
# tests/test_narrative.py compares them on every page and on generated ones.

#: Characters that make ``str.splitlines`` and markdown-it disagree on lines, and tabs.
_ODD = re.compile(r"[\t\r\0\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: Lines that may open a list, block quote, HTML block, thematic break, setext
#: underline, link reference definition, indented code or an indented fence:
#: not for the fast path.
_UNSURE = re.compile(r" {0,3}(?:[>\[<]|[-*+](?: |$)|[-*_=][-*_= ]*$|\d{1,9}[.)](?: |$))| {4}| {1,3}[`~:]")
_FENCE = re.compile(r"(`{3,}|~{3,}|:{3,})(.*)")


def _atx(line: str) -> tuple[int, str] | None:
    """``(level, text)`` of an ATX heading line (CommonMark, as markdown-it reads it)."""
    s = line.lstrip(" ")
    if len(line) - len(s) > 3 or not s.startswith("#"):
        return None
    rest = s.lstrip("#")
    level = len(s) - len(rest)
    if level > 6 or (rest and rest[0] != " "):
        return None
    end = len(rest.rstrip(" "))
    tmp = end
    while tmp > 0 and rest[tmp - 1] == "#":
        tmp -= 1
    if 0 < tmp < end and rest[tmp - 1] == " ":
        end = tmp
    return level, rest[:end].strip()


def _closes(line: str, marker: str, length: int) -> bool:
    s = line.lstrip(" ")
    if len(line) - len(s) > 3:
        return False
    body = s.rstrip(" ")
    return len(body) >= length and body == marker * len(body)


def _scan(source: str, lines: list[str]) -> tuple[list[Heading], list[Placed]] | None:
    """What ``_parse`` gives, for pages of headings, paragraphs and fences only;
    None for any other page."""
    if _ODD.search(source):
        return None
    headings: list[Heading] = []
    blocks: list[Placed] = []
    n = len(lines)
    ends = source.endswith("\n")
    if not ends and n and not lines[-1].strip(" "):
        n, ends = n - 1, True  # markdown-it drops a blank last line without a line break
    i = 0
    para = -1  # first line of the open paragraph
    while i <= n:
        line = lines[i] if i < n else ""
        blank = not line.strip(" ")
        head = None if blank else _atx(line)
        fence = None if blank or head else _FENCE.match(line)
        if fence and fence.group(1)[0] == "`" and "`" in fence.group(2):
            return None  # not a fence: a code span
        if para >= 0 and (blank or head or fence):
            blocks.append((len(headings), Block("paragraph", para + 1, "\n".join(lines[para:i]))))
            para = -1
        if i == n:
            break
        if head:
            headings.append((head[0], i + 1, head[1]))
        elif fence:
            marker, length = fence.group(1)[0], len(fence.group(1))
            close = next((k for k in range(i + 1, n) if _closes(lines[k], marker, length)), n)
            body = lines[i + 1 : close]
            content = "".join(ln + "\n" for ln in body)
            if close == n and body and not ends:
                content = content[:-1]  # the document's last line has no line break
            blocks.append((len(headings), _fence_block(i + 1, fence.group(2), content)))
            i = close + 1
            continue
        elif not blank:
            if _UNSURE.match(line):
                return None
            if para < 0:
                para = i
        i += 1
    return headings, blocks


def _assemble(path: Path, headings: list[Heading], blocks: list[Placed]) -> Page:
    """Sections from the headings: the first top-level heading is the title,
    the next level down are the sections."""
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
