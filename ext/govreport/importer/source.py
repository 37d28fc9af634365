"""What a reader hands the line reader (``core``): lines, and where each came from. The shapes of
text every reader and the line reader share are in ``shapes``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .core import parse_text
from .model import GridRow, Note, Parsed, Problem, data_fields

# ------------------------------------------------------------------ what a reader hands over

_EMPTY = re.compile(r"^表.(“[^”]*”行)没有读到数字")
_ROW = re.compile(r"(“[^”]*”行)")

@dataclass
class Source:
    """Lines for ``core.parse_text`` (tables as tab-separated cells) and, for
    each, its position in the file the user gave: ``(line, column or None)``."""

    form: str
    lines: list[str] = field(default_factory=list)
    where: list[tuple[int, int | None]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    mode: str = "web"
    loose: set[int] = field(default_factory=set)  # lines (1-based) outside any table row: never a row's label
    cuts: list[Problem] = field(default_factory=list)  # parts left unread at a bound, already in the file's lines
    grid: bool = False  # table rows are the table's grid rebuilt from its spans: every row's fields in the same columns
    cells: dict[int, GridRow] = field(default_factory=dict)  # line (1-based) -> its grid row: what ``matcher`` reads

    def add(self, text: str, line: int, col: int | None = None, loose: bool = False) -> None:
        """One line (newlines and form feeds inside it become spaces)."""
        self.lines.append(text.replace("\r", " ").replace("\n", " ").replace("\f", " "))
        self.where.append((line, col))
        if loose:
            self.loose.add(len(self.lines))

    def note(self, line: int | None, message: str, col: int | None = None) -> None:
        self.notes.append(Note(line, message, col))

    def cut(self, line: int | None, what: str, why: str) -> None:
        """Part of the file left unread at a bound (``bounds``): a problem, so the import stops and says so."""
        self.cuts.append(Problem(what, line, why, cut=True))


def parse_source(src: Source | Grid, year: int | None, version: str | None = None) -> Parsed:
    """Parse a reader's lines, or a structured form's grid (its rows' cells for the table matcher, ``Grid.source``);
    every note and problem points into the user's file."""
    if isinstance(src, Grid):
        src = src.source()
    parsed = parse_text("\n".join(src.lines), year, mode=src.mode, loose=frozenset(src.loose), version=version,
                        grid=src.grid, cells=src.cells)

    def at(line: int | None) -> tuple[int | None, int | None]:
        if line is None or not 0 < line <= len(src.where):
            return None, None
        return src.where[line - 1]

    notes = [replace(n, line=at(n.line)[0], col=at(n.line)[1]) for n in parsed.notes]
    # "…行没有读到数字" says less than the reader's own note on the same row (why, and what was there).
    told = {(n.line, m.group(1)) for n in src.notes for m in [_ROW.search(n.message)] if m}
    notes = [n for n in notes if not ((m := _EMPTY.match(n.message)) and (n.line, m.group(1)) in told)]
    parsed.notes = sorted([*notes, *src.notes], key=lambda n: (n.line or 0, n.col or 0))
    parsed.problems = [*src.cuts, *(replace(p, line=at(p.line)[0], col=at(p.line)[1]) for p in parsed.problems)]
    parsed.form = src.form
    return parsed


@dataclass
class TextLine:
    """A line of text between the tables of a structured form (a title, a heading, a paragraph; "" a break)."""

    line: int
    text: str
    loose: bool = False  # outside any table row: never a row's label (``Source.loose``)


@dataclass
class Grid:
    """What a reader of a structured form (a saved page, a Word file, a spreadsheet) hands over: its text
    lines and its tables' rows as cells with their spans, in document order. ``source`` hands both to the
    line reader: the rows' cells for the table matcher (``matcher``), which reads the mandated tables from
    them, and each row as a line of its fields, for the page's structure and for a table the matcher cannot
    place (``Parsed.routes`` says which)."""

    form: str
    by_column: bool = False  # the rows' columns are the tables' grid (spans rebuilt): numbers placed by column
    items: list[GridRow | TextLine] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    cuts: list[Problem] = field(default_factory=list)

    def text(self, text: str, line: int, loose: bool = False) -> None:
        """A line of text (a title, a heading, a paragraph); "" for a break; ``loose``: never a row's label."""
        self.items.append(TextLine(line, text, loose))

    def row(self, line: int, cells: dict[int, str], spanned: set[int] | None = None, covered: set[int] | None = None) -> None:
        """A table row (a row with no text is no row); ``covered``: columns a cell of a row above spans into."""
        if any(cells.values()):
            self.items.append(GridRow(line, cells, spanned or set(), covered or set()))

    def fields(self, line: int, fields: list[str]) -> None:
        """A table row whose fields are already in order, one per column and no spans (a pipe table's row,
        mended): kept even when its fields are blank."""
        if fields:
            self.items.append(GridRow(line, dict(enumerate(fields))))
        else:
            self.text("", line)

    def note(self, line: int | None, message: str, col: int | None = None) -> None:
        self.notes.append(Note(line, message, col))

    def cut(self, line: int | None, what: str, why: str) -> None:
        """Part of the file left unread at a bound (``bounds``): a problem, so the import stops and says so."""
        self.cuts.append(Problem(what, line, why, cut=True))

    def source(self) -> Source:
        """The grid as lines for the line reader (each table row's fields, ``data_fields``, tab-separated) and
        its rows' cells by line (``Source.cells``) for the table matcher."""
        src = Source(self.form, notes=list(self.notes), cuts=list(self.cuts), grid=self.by_column)
        for item in self.items:
            if isinstance(item, TextLine):
                src.add(item.text, item.line, loose=item.loose)
            else:
                # The line keeps the row's fields for the line reader's page structure (a row is never a
                # heading, a title or page furniture; a table no format mandates stays narrative) and for a table
                # the matcher cannot place; where a table begins and ends, and its values, come from the
                # cells themselves (``cells``).
                src.add("\t".join(data_fields(item.cells, item.spanned)), item.line)
                src.cells[len(src.lines)] = item
        return src
