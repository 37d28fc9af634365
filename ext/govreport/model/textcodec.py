"""The one text decoder of the package: pages, CSV files and import sources.

UTF-8 (with or without a BOM), else GB18030 (which covers GBK, what Notepad and
Excel save on a Chinese Windows). UTF-16 is recognised by its BOM; only a caller
that accepts it (the importer: Notepad's "Unicode" save of a published report)
gets it decoded, the others are told what it is. Pure Python, no imports beyond
the standard library, so every layer may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Control characters that never occur in a text file (tab, newlines, form feed allowed).
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Decoded:
    """``text`` and its encoding, or ``text`` None and why (``how``)."""

    text: str | None
    how: str  # utf-8 | gb18030 | utf-16 ; refused: utf-16 | binary | unknown | control
    line: int = 0  # for "control": the line of the first control character
    char: str = ""  # for "control": that character

    @property
    def ok(self) -> bool:
        return self.text is not None


def decode(data: bytes, *, utf16: bool = False, controls: bool = True) -> Decoded:
    """Decode ``data``; ``utf16``: accept a UTF-16 file with a BOM; ``controls``: refuse
    control characters (a ^Z at the end, the mark of old DOS tools, is allowed)."""
    if data[:2] in _UTF16_BOMS:
        if not utf16:
            return Decoded(None, "utf-16")
        try:
            text, how = data.decode("utf-16"), "utf-16"  # the BOM says the byte order and is dropped
        except UnicodeDecodeError:
            return Decoded(None, "unknown")
    elif b"\x00" in data:
        return Decoded(None, "binary")
    else:
        try:
            text, how = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, how = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                return Decoded(None, "unknown")
    if controls:
        bad = CONTROL.search(text.rstrip("\x1a"))
        if bad:
            return Decoded(None, "control", text.count("\n", 0, bad.start()) + 1, bad.group())
    return Decoded(text, how)
