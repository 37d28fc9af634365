"""Choose the reader for a file from its name and its content."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..format.spec import load_spec, versions
from .bounds import check_file_size, check_lines, check_markup
from .core import read_source
from .formats import layout_note
from .model import Note, Parsed
from .readers import Input, Reader, pick, run


def form_of(name: str, head: bytes, text: str | None) -> str:
    """The name of the registered reader that takes a file called ``name`` starting with ``head``
    (``text``: its decoded text, None for a binary file): ``docx``, ``html``, ``markdown``, ``flat``, ``text``…"""
    src = Input(Path(name), head)
    reader = pick(src)
    if reader is None and text is not None:
        src.text = text
        reader = pick(src)
    return reader.name if reader is not None else "text"


def read_file(path: Path, year: int | None, version: str | None = None, force: bool = False) -> Parsed:
    """Read ``path`` with the reader its form needs, in the format of ``year`` (or ``version``).

    A file beyond ``bounds.MAX_TEXT_BYTES`` (a .docx: ``MAX_FILE_BYTES``) is refused before it is read, unless ``force``.
    A source in a newer format than the year's, which the year may use (a 2020 report in the 2021
    grid), is read again in that format, so that none of its numbers is refused."""
    reader, src = _choose(path, year, version, force)
    parsed = _run(reader, src)
    newer = newer_format(parsed, year) if version is None else None
    if newer is None:
        return parsed
    # The same reader and decoded text: a reader is chosen by the file's bytes and text, never its format.
    again = _run(reader, replace(src, version=newer, notes=list(src.notes)))
    again.notes.insert(0, Note(None, f"原文用的是 {layout_note(newer)}，{year} 年的报告也可以用它（不必是 "
                                     f"{parsed.version} 年格式），按原文的格式导入"))
    return again


def newer_format(parsed: Parsed, year: int | None) -> str | None:
    """The format version the source is written in when it is newer than the one the year's report
    was read with (a version of a later year): the one to read it with instead."""
    if year is None or parsed.layout in ("", parsed.version) or parsed.layout not in versions():
        return None
    return parsed.layout if load_spec(parsed.layout).first_year > load_spec(parsed.version).last_year else None


def _choose(path: Path, year: int | None, version: str | None, force: bool) -> tuple[Reader, Input]:
    """The registered reader that gives ``path`` the highest score, chosen once per file, and the
    file as it reads it: first by its bytes alone (a binary file is never decoded), else by its
    decoded text, the file's size and the text bounded before any reader sees it."""
    with path.open("rb") as f:  # the first bytes only: the file may be large
        head = f.read(8)
    src = Input(path, head, year, version)
    reader = pick(src)
    # A PDF, a scan, a spreadsheet or a zip (.docx) may be larger than any text: they have the larger limit.
    check_file_size(path, force, text=reader is None)
    if reader is None:
        src.text, src.notes = read_source(path)
        check_lines(path.name, src.text)
        check_markup(path.name, src.text)
        reader = pick(src)
    if reader is None:  # pragma: no cover - the text reader takes any text
        raise ValueError(f"{path.name}：没有读取这种文件的方法")
    return reader, src


def _run(reader: Reader, src: Input) -> Parsed:
    """``src`` read by ``reader``; how the file was decoded (GBK, UTF-16) is noted first."""
    parsed = run(reader, src)
    parsed.notes[:0] = src.notes
    return parsed
