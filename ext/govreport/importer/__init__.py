"""Import a published report, whatever form it comes in: the MyST page and the three CSVs.

One reader class per form, registered in ``readers`` (``registry``: ``sniff`` gives a file a score,
the highest reads it; ``read`` hands back a grid of cells or lines of text); ``detect`` asks the
registry; the line reader (``core``, its tables in ``tables``) fills the same intermediate model
(``Parsed``); ``write`` writes it with its notes.
"""

from __future__ import annotations

from ..model.cells import read_cell
from ..model.scaffold import AlreadyExists
from .core import parse_text, read_source
from .detect import form_of, read_file
from .model import LEGACY_OTHER, Imported, Note, Parsed, Problem
from .notes import NOTES_FILE
from .render import render_page, sentences
from .write import Incomplete, import_report

__all__ = [
    "LEGACY_OTHER",
    "NOTES_FILE",
    "AlreadyExists",
    "Imported",
    "Incomplete",
    "Note",
    "Parsed",
    "Problem",
    "form_of",
    "import_report",
    "parse_text",
    "read_cell",
    "read_file",
    "read_source",
    "render_page",
    "sentences",
]
