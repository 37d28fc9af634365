"""Plain text: copied from a web page (tab-separated tables) or ``pdftotext -layout``."""

from __future__ import annotations

from .core import parse_text
from .model import Parsed


def read_text(text: str, year: int | None, version: str | None = None) -> Parsed:
    """The line reader as it is: it tells tab-separated from space-aligned tables itself."""
    return parse_text(text, year, version=version)
