"""Scans (stub until OCR lands)."""

from __future__ import annotations

from pathlib import Path

from .model import Parsed


def read_scan(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """Not yet."""
    raise ValueError(f"{path.name} 是扫描件（没有文字层），暂时无法识别")
