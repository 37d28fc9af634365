"""Choose the reader for a file from its name and its content."""

from __future__ import annotations

import re
from pathlib import Path

from .core import Parsed, read_source

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE)
_HTML = re.compile(r"<(?:html|body|table|div|p)\b", re.IGNORECASE)


def form_of(name: str, head: bytes, text: str | None) -> str:
    """``docx``, ``html``, ``markdown``, ``flat`` or ``text`` (the line reader
    then tells tab-separated from ``pdftotext -layout``)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".docx" or head.startswith(b"PK\x03\x04"):
        return "docx"
    if text is None:
        return "text"
    if suffix in (".html", ".htm", ".xhtml", ".mht") or _HTML.search(text[:4000]):
        return "html"
    if suffix in (".md", ".markdown") or len(_PIPE_ROW.findall(text)) >= 3:
        return "markdown"
    from .flat import is_flat

    return "flat" if is_flat(text) else "text"


#: Forms that must be converted first, and how.
_CONVERT = {
    b"%PDF": "PDF 文件请先转成文字：pdftotext -layout 报告.pdf 报告.txt，再导入 报告.txt",
    b"\xd0\xcf\x11\xe0": "旧版 Word 文件（.doc）请先在 Word 或 WPS 中另存为 .docx，再导入",
}


def read_file(path: Path, year: int | None) -> Parsed:
    """Read ``path`` with the reader its form needs."""
    head = path.read_bytes()[:8]
    for magic, how in _CONVERT.items():
        if head.startswith(magic):
            raise ValueError(f"{path.name}：{how}")
    text = None if head.startswith(b"PK\x03\x04") else read_source(path)
    form = form_of(path.name, head, text)
    if form == "docx":
        from .docxfile import read_docx

        return read_docx(path, year)
    assert text is not None
    if form == "html":
        from .htmlpage import read_html

        return read_html(text, year)
    if form == "markdown":
        from .markdown import read_markdown

        return read_markdown(text, year)
    if form == "flat":
        from .flat import read_flat

        return read_flat(text, year)
    from .text import read_text

    return read_text(text, year)
