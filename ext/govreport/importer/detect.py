"""Choose the reader for a file from its name and its content."""

from __future__ import annotations

import re
from pathlib import Path

from ..format.spec import load_spec, versions
from .bounds import check_file_size, check_lines, check_markup
from .core import read_source
from .formats import layout_note
from .model import Note, Parsed

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


def read_file(path: Path, year: int | None, version: str | None = None, force: bool = False) -> Parsed:
    """Read ``path`` with the reader its form needs, in the format of ``year`` (or ``version``).

    A file beyond ``bounds.MAX_TEXT_BYTES`` (a .docx: ``MAX_FILE_BYTES``) is refused before it is read, unless ``force``.
    A source in a newer format than the year's, which the year may use (a 2020 report in the 2021
    grid), is read again in that format, so that none of its numbers is refused."""
    from .binary import binary_form

    with path.open("rb") as f:  # the first bytes only: the file may be large
        head = f.read(8)
    # A PDF, a scan, a spreadsheet or a zip (.docx) may be larger than any text: they have the larger limit.
    check_file_size(path, force, text=not head.startswith(b"PK\x03\x04") and binary_form(path, head) is None)
    parsed = _read(path, year, version)
    newer = newer_format(parsed, year) if version is None else None
    if newer is None:
        return parsed
    again = _read(path, year, newer)
    again.notes.insert(0, Note(None, f"原文用的是 {layout_note(newer)}，{year} 年的报告也可以用它（不必是 "
                                     f"{parsed.version} 年格式），按原文的格式导入"))
    return again


def newer_format(parsed: Parsed, year: int | None) -> str | None:
    """The format version the source is written in when it is newer than the one the year's report
    was read with (a version of a later year): the one to read it with instead."""
    if year is None or parsed.layout in ("", parsed.version) or parsed.layout not in versions():
        return None
    return parsed.layout if load_spec(parsed.layout).first_year > load_spec(parsed.version).last_year else None


def _read(path: Path, year: int | None, version: str | None) -> Parsed:
    from .binary import binary_form, read_binary

    with path.open("rb") as f:  # the first bytes only: the file may be large
        head = f.read(8)
    if binary_form(path, head):
        return read_binary(path, year, version)
    text, notes = (None, []) if head.startswith(b"PK\x03\x04") else read_source(path)
    if text is not None:  # bounded before any reader splits or parses it
        check_lines(path.name, text)
        check_markup(path.name, text)
    parsed = _read_form(path, head, text, year, version)
    parsed.notes[:0] = notes  # how the file was decoded (GBK, UTF-16) comes first
    return parsed


def _read_form(path: Path, head: bytes, text: str | None, year: int | None, version: str | None) -> Parsed:
    form = form_of(path.name, head, text)
    if form == "docx":
        from .docxfile import read_docx

        return read_docx(path, year, version)
    assert text is not None
    if form == "html":
        from .htmlpage import read_html

        return read_html(text, year, version)
    if form == "markdown":
        from .markdown import read_markdown

        return read_markdown(text, year, version)
    if form == "flat":
        from .flat import read_flat

        return read_flat(text, year, version)
    from .text import read_text

    return read_text(text, year, version)
