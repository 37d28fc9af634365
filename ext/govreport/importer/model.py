"""The intermediate model of an import: what the readers and the line reader produce, what ``write`` writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..format.labels import Number
from ..format.spec import FormatSpec, load_spec, spec_for_year
from ..model.cells import is_number_cell

Key = tuple[str, str]
Values = dict[Key, Number | None]

#: Id of the 2019 layout's single t3 ``other`` row (the 2021 spec's ``legacy_rows``).
LEGACY_OTHER = "legacy_other"

#: A digit run too long to be a number (a hostile source): named in a note, not echoed.
_LONG_RUN = re.compile(r"[0-9]{41,}")


_UNSEEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """``text`` with line breaks, control and text-direction characters shown as ``\\uXXXX``: a file
    named with a newline (or U+202E) cannot break or reorder a note or a message."""
    return _UNSEEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class Note:
    """Something the importer did or could not do, at a line of the source text."""

    line: int | None
    message: str
    col: int | None = None  # character in the line, for a source read as one long line

    def __post_init__(self) -> None:
        # A hostile source's 5000-digit run is named, not echoed: the notes stay readable.
        object.__setattr__(self, "message", _LONG_RUN.sub(_shorten, self.message))

    def text(self, source: str) -> str:
        """``source:line[:col]: message``, like a check finding; one line, whatever the file is called."""
        source, message = one_line(source), one_line(self.message)
        if not self.line:
            return f"{source}: {message}"
        return f"{source}:{self.line}:{self.col}: {message}" if self.col else f"{source}:{self.line}: {message}"


@dataclass(frozen=True)
class Problem:
    """A table or section the importer did not find: what, where it looked, what it saw there."""

    what: str
    line: int | None
    seen: str
    col: int | None = None
    other_format: bool = False  # found, but in another format version's columns: ``seen`` says which
    cut: bool = False  # a reader's bound cut it off (nesting too deep): ``seen`` says what and why


@dataclass
class Line:
    """One line of the source text and what it turned out to be."""

    no: int  # 1-based line number in the source
    raw: str
    page: int
    role: str = "text"  # text | blank | drop | title | heading | table:<id>
    section: int = -1  # for a heading: the official section's index
    rest: str = ""  # for a heading: text that follows it on the same line
    loose: bool = False  # text a converter left outside the table's rows: never a row's label


@dataclass(frozen=True)
class Tok:
    """One cell or text fragment of a table line; ``x`` is its column (characters,
    or field index × 10 in tab-separated text)."""

    no: int
    x: float
    end: float
    text: str
    kind: str  # label | value | blank

    @property
    def center(self) -> float:
        return (self.x + self.end) / 2


@dataclass
class Label:
    """A table label assembled from fragments (a label may span lines)."""

    x: float
    first: int
    last: int
    lastx: float
    parts: list[str]
    kind: str = "unknown"  # row | known | unknown | legacy_other
    rid: str | None = None
    how: str = ""  # exact | variant | fuzzy | position

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class Block:
    """A piece of a section: a paragraph, a ### heading or a table's place."""

    kind: str  # para | heading | table
    text: str
    line: int


@dataclass
class GridRow:
    """One table row of a structured form: its cells by grid column (0-based), the columns a merged cell
    covers beyond its first, and the columns a cell of a row above covers (its rowspan)."""

    line: int  # where the row is in the user's file
    cells: dict[int, str] = field(default_factory=dict)
    spanned: set[int] = field(default_factory=set)
    covered: set[int] = field(default_factory=set)


def data_fields(cells: dict[int, str], spanned: set[int]) -> list[str]:
    """A row's fields, one per grid column; after its first number a merged cell is one field (a 2019 表二
    on 5 physical columns: ``<t2 purchase row> | 27 (2 columns) | 1536.42 (2 columns)`` is two numbers, not 27, blank, 1536.42)."""
    width = max(cells) + 1
    first = next((i for i in range(width) if is_number_cell(cells.get(i, ""))), width)
    return [cells.get(i, "") for i in range(width) if not (i > first and i in spanned)]


@dataclass
class Parsed:
    """What the importer read from one text."""

    mode: str  # web | pdf
    title: str | None
    name: str | None
    title_year: int | None
    layout: str  # the format version the source's tables are in ("2021", "2019"; "older": a row unknown to any spec)
    values: dict[str, Values]
    preamble: list[Block]
    sections: list[list[Block]]
    notes: list[Note] = field(default_factory=list)
    form: str = ""  # the reader: tab | pdftotext | flat | html | markdown | docx
    problems: list[Problem] = field(default_factory=list)
    version: str = ""  # the format version of the grids ``values`` fill (the spec it was read with)
    #: How each table found was read: "grid" (the matcher, from a structured form's cells), "text" (the line
    #: reader), or "text: <why>" (a structured form's table the matcher could not place, read as text).
    routes: dict[str, str] = field(default_factory=dict)


@dataclass
class Imported:
    """The files written, the importer's notes and what it read."""

    paths: list[Path]
    notes: list[Note]
    parsed: Parsed


def _shorten(m: re.Match[str]) -> str:
    run = m.group()
    return f"{run[:12]}…{run[-4:]}（共 {sum(c.isdigit() for c in run)} 位数字）"


def spec_of(year: int | None, version: str | None = None) -> FormatSpec:
    """The spec to read with: the version asked for, else the one of the year."""
    return load_spec(version) if version else spec_for_year(year or 2021)
