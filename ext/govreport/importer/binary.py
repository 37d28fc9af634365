"""Files that are not text and not ``.docx``: which reader takes them.

- ``.pdf`` with a text layer: ``pdftext``; without one (a scan): ``ocr``;
- ``.png`` / ``.jpg``: ``ocr``.
"""

from __future__ import annotations

from pathlib import Path

from .model import Parsed

_PNG = b"\x89PNG"
_JPEG = b"\xff\xd8\xff"
_OLE = b"\xd0\xcf\x11\xe0"  # Word 97-2003 (.doc), WPS (.wps), Excel 97-2003 (.xls)


def binary_form(path: Path, head: bytes) -> str | None:
    """``pdf``, ``image``; None for a file another reader takes (text, ``.docx``)."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((_PNG, _JPEG)):
        return "image"
    if head.startswith(_OLE):
        return "ole"
    return None


def read_binary(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """Read ``path`` with the reader its form needs."""
    form = binary_form(path, path.read_bytes()[:8])
    if form == "ole":
        raise ValueError(f"{path.name}：旧版 Word 文件（.doc）请先在 Word 或 WPS 中另存为 .docx，再导入")
    if form == "pdf":
        from .pdftext import NoTextLayer, read_pdf

        try:
            return read_pdf(path, year, version)
        except NoTextLayer:
            from .ocr import read_scan

            return read_scan(path, year, version)
    from .ocr import read_scan

    return read_scan(path, year, version)
