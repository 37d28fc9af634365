"""The MyST page of an import: title, preamble, the six sections with their tables, one sentence per line."""

from __future__ import annotations

import re

from ..format.spec import FormatSpec
from .model import Parsed
from .shapes import CLOSERS, OPENERS


def sentences(text: str) -> list[str]:
    """Split a paragraph after each 。！？ outside brackets and quotes."""
    out: list[str] = []
    buf = ""
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        buf += ch
        if ch in OPENERS:
            depth += 1
        elif ch in "）)”’》」』】":
            depth = max(0, depth - 1)
        elif ch in "。！？":
            while i + 1 < len(text) and text[i + 1] in CLOSERS and text[i + 1] != "*":
                i += 1
                buf += text[i]
                depth = max(0, depth - 1)
            if text[i + 1 : i + 3] == "**" and buf.count("**") % 2 == 1:  # closes bold
                buf += "**"
                i += 2
            if depth == 0:
                out.append(buf.strip())
                buf = ""
        i += 1
    if buf.strip():
        out.append(buf.strip())
    return [s for s in out if s]


#: Characters MyST or HTML would read as markup anywhere in a line: a backslash (it would join the next
#: character), a backtick (code, a fence), ``<`` (HTML, an autolink), ``{`` (a role), ``[`` (a link, an image)
#: and ``&`` before a character reference (``&lt;script&gt;`` would show as a tag's text, or become one).
_INLINE = re.compile(r"[\\`<{\[]|&(?=#?[A-Za-z0-9]+;)")
#: A line MyST would read as a block: a colon fence (a directive), a tilde fence, a comment, a block break,
#: a target ``(name)=``, a setext underline (``===``, ``---``), a table row.
_BLOCK_START = re.compile(r"^(?::{3,}|~{3,}|%|\+{3}|\(.*\)=\s*$|=+\s*$|-+\s*$|\|)")


def escape_text(text: str) -> str:
    """Text from outside, as MyST text: nothing in it becomes markup (issue 26: an imported page's
    ``&lt;script&gt;`` or ``{eval-rst}`` became live). Bold (``**``) from a Markdown source is kept."""
    text = _INLINE.sub(lambda m: "\\" + m.group(), text)
    return "\\" + text if _BLOCK_START.match(text) else text


def _md(line: str) -> str:
    """Escape what MyST would read as markup: inline (``escape_text``) and a list, heading or quote start."""
    line = escape_text(line)
    m = re.match(r"^(\d{1,9})([.)])(\s|$)", line)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{line[m.end(2):]}"
    if re.match(r"^([-+*]\s|[-+*]$|#|>)", line):
        return "\\" + line
    return line


def render_page(parsed: Parsed, title: str, spec: FormatSpec) -> str:
    """The MyST page: title, preamble, the six official sections with the tables."""
    out = [f"# {escape_text(title)}", ""]

    def para(text: str) -> None:
        out.extend(_md(s) for s in sentences(text))
        out.append("")

    for b in parsed.preamble:
        if b.kind == "para":
            para(b.text)
    for i, section in enumerate(spec.sections):
        out += [f"## {section}", ""]
        tables = [t for t in spec.tables.values() if t.section == i]
        done: set[str] = set()
        for b in parsed.sections[i]:
            if b.kind == "heading":
                out += [f"### {escape_text(b.text)}", ""]
            elif b.kind == "para":
                para(b.text)
            elif b.kind == "table" and b.text in spec.tables and spec.tables[b.text].section == i:
                out += [f"```{{report-table}} {spec.tables[b.text].title}", "```", ""]
                done.add(b.text)
        for t in tables:
            if t.id not in done:
                out += [f"```{{report-table}} {t.title}", "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
