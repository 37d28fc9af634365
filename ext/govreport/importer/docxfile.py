"""Word file (.docx): placeholder."""
from __future__ import annotations
from pathlib import Path
from .core import Parsed

def read_docx(path: Path, year: int | None) -> Parsed:
    raise ValueError("todo")
