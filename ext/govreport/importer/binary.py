"""Files that are not text and not ``.docx``: which reader takes them.

- ``.pdf`` with a text layer: ``pdftext``; without one (a scan): ``ocr``;
- ``.png`` / ``.jpg``: ``ocr``;
- ``.xlsx``: ``sheet``;
- ``.doc``, ``.wps``, ``.xls`` (OLE files): ``office`` (LibreOffice converts, then the ``.docx`` or ``sheet`` reader).
"""

from __future__ import annotations

import zipfile
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
    if head.startswith(b"PK\x03\x04") and (path.suffix.lower() in (".xlsx", ".xlsm") or _zip_has(path, "xl/workbook.xml")):
        return "xlsx"
    return None


def _zip_has(path: Path, member: str) -> bool:
    """Does the zip's directory list ``member`` (nothing is unpacked)?"""
    try:
        with zipfile.ZipFile(path) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read_binary(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """Read ``path`` with the reader its form needs."""
    form = binary_form(path, path.read_bytes()[:8])
    if form == "ole":
        from .office import read_office

        return read_office(path, year, version)
    if form == "xlsx":
        from .sheet import read_xlsx

        return read_xlsx(path, year, version)
    if form == "pdf":
        from .pdftext import NoTextLayer, read_pdf

        try:
            return read_pdf(path, year, version)
        except NoTextLayer:
            from .ocr import read_scan

            return read_scan(path, year, version)
    from .ocr import read_scan

    return read_scan(path, year, version)
