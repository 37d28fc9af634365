"""The registry of readers: one class per form a report comes in, chosen by the score it gives a file.

A reader declares its ``name``, the ``forms`` it names its results with (shown to the user in the
import notes), ``sniff`` (0: not mine; the highest score takes the file) and ``read``. ``read`` hands
back a ``Grid`` (rows of cells with their spans), a ``Source`` (lines of text with their positions,
for the text-based forms) or, for a reader that parses in passes of its own (OCR) or delegates to
another reader (old Office files), the ``Parsed`` result. Adding a form is one class with
``@register``; ``detect`` asks the registry, and ``FORMS`` is read from it.

Files are sniffed in two rounds, so that a binary file is never decoded as text: first with no text
(``Input.text`` is None: only a reader of bytes can claim it), then, if none did, with the file's
decoded text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, TypeVar

from .model import Note, Parsed
from .source import Grid, Source, parse_source


@dataclass
class Input:
    """A file to read, in the format of ``year`` (or ``version``): its path, first bytes and, once
    decoded, its text (None for a binary file, and in the first round of sniffing)."""

    path: Path
    head: bytes
    year: int | None = None
    version: str | None = None
    text: str | None = None
    notes: list[Note] = field(default_factory=list)  # how the text was decoded (GBK, UTF-16)

    @property
    def suffix(self) -> str:
        """The file name's extension, lower case (``.docx``)."""
        return self.path.suffix.lower()


class Reader:
    """One form a report comes in. Subclasses set ``name`` and ``forms`` and define ``sniff`` and ``read``."""

    #: The reader's name (``form_of`` returns it).
    name: ClassVar[str] = ""
    #: Each form its results are named with (``Parsed.form``) and how the user is told it was read.
    forms: ClassVar[dict[str, str]] = {}

    def sniff(self, src: Input) -> int:
        """How surely the file is this form: 0 for not at all; the highest score reads it."""
        raise NotImplementedError

    def read(self, src: Input) -> Grid | Source | Parsed:
        """The file's content: a grid or lines for the table matcher, or (a reader parsing in its own passes) the result."""
        raise NotImplementedError


R = TypeVar("R", bound=type[Reader])

#: The registered readers, in the order they were registered (a tie goes to the first).
READERS: list[Reader] = []


def register(cls: R) -> R:
    """Class decorator: register a reader (a reader of the same name is replaced)."""
    if not cls.name:
        raise ValueError(f"{cls.__name__}: a reader needs a name")
    READERS[:] = [r for r in READERS if r.name != cls.name]
    READERS.append(cls())
    return cls


def unregister(name: str) -> None:
    """Remove the reader called ``name`` (a test's toy reader)."""
    READERS[:] = [r for r in READERS if r.name != name]


def pick(src: Input) -> Reader | None:
    """The reader with the highest score for ``src``; None when no reader claims it."""
    best: tuple[int, Reader] | None = None
    for reader in READERS:
        score = reader.sniff(src)
        if score > 0 and (best is None or score > best[0]):
            best = (score, reader)
    return best[1] if best else None


def run(reader: Reader, src: Input) -> Parsed:
    """Read ``src`` with ``reader`` and hand what it read to the table matcher and the line reader."""
    out = reader.read(src)
    if isinstance(out, Grid | Source):
        out = parse_source(out, src.year, src.version)
    return out


class _Forms(Mapping[str, str]):
    """Every registered form and how the user is told it was read, read from the registry when asked."""

    def _all(self) -> dict[str, str]:
        return {k: v for r in READERS for k, v in r.forms.items()}

    def __getitem__(self, key: str) -> str:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


#: How each form is named to the user (from the registered readers).
FORMS: Mapping[str, str] = _Forms()
