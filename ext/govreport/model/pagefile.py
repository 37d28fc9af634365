"""A page's file: its text (UTF-8, GBK with a warning, refused otherwise) and whether a path,
symlinks followed, lies inside the folders a report may read.

A leaf (findings and text decoding only): the report model (``report``), the
checks (``checks.pipeline``), the page scan (``pagescan``) and the Sphinx guards
all use it, and it uses none of them (issue 20: no import cycle).
"""

from __future__ import annotations

from pathlib import Path

from ..findings import Finding
from .textcodec import decode

# ---------------------------------------------------------------- decoding


def decode_page(data: bytes) -> tuple[str | None, str]:
    """``(text, how)``: how is ``utf-8``, ``gb18030``, or why it was refused (``utf16``,
    ``encoding``, ``control``: F010's variants)."""
    d = decode(data)
    if d.text is not None:
        return d.text, d.how
    if d.how in ("utf-16", "binary"):
        return None, "utf16"
    return None, "control" if d.how == "control" else "encoding"


def _refused(data: bytes, rel: str, how: str) -> Finding:
    """F010 for a page ``decode_page`` refused: the control character's line and code point when that is why."""
    if how != "control":
        return Finding.of("F010", rel, variant=how, line=1)
    d = decode(data)
    return Finding.of("F010", rel, variant="control", start=d.line, codepoint=ord(d.char or "\0"), line=1)


def read_page_text(path: Path, rel: str, allowed: list[Path] | None = None) -> tuple[str | None, list[Finding]]:
    """A page's text (GBK read with F011), or None with F010 (UTF-16, binary)
    or F009 (its real path is outside ``allowed``: never read)."""
    if allowed is not None and not inside(path, allowed):
        return None, [Finding.of("F009", rel, variant="page", line=1)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Finding.of("F010", rel, variant="open", reason=exc.strerror or exc)]
    text, how = decode_page(data)
    if text is None:
        return None, [_refused(data, rel, how)]
    if how == "gb18030":
        return text, [Finding.of("F011", rel, line=1)]
    return text, []


# ------------------------------------------------------------------- paths


def inside(path: Path, allowed: list[Path]) -> bool:
    """``path`` (symlinks followed) lies in one of ``allowed`` (resolved folders)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return any(real.is_relative_to(a) for a in allowed)
