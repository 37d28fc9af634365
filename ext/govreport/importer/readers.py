"""The built-in readers, one class per form, registered in the order a tie is settled.

Scores: a file's own signature first (``%PDF``, PNG/JPEG, an OLE or zip container: 80–100), then the
marks of a text form (HTML 60, Markdown 50, page text run together 40), plain text last (10). Each
reader's module is imported when it reads (lxml, python-docx, pdfplumber, OCR are large).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import ClassVar

from .model import Parsed
from .registry import FORMS, READERS, Input, Reader, pick, register, run, unregister
from .source import Grid, Source

__all__ = ["FORMS", "READERS", "Input", "Reader", "pick", "register", "run", "unregister"]

_PNG = b"\x89PNG"
_JPEG = b"\xff\xd8\xff"
_OLE = b"\xd0\xcf\x11\xe0"  # Word 97-2003 (.doc), WPS (.wps), Excel 97-2003 (.xls)
_ZIP = b"PK\x03\x04"
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE)
_HTML = re.compile(r"<(?:html|body|table|div|p)\b", re.IGNORECASE)


def _zip_has(path: Path, member: str) -> bool:
    """Does the zip's directory list ``member`` (nothing is unpacked)?"""
    try:
        with zipfile.ZipFile(path) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


@register
class TextReader(Reader):
    """Plain text: copied from a web page (tab-separated tables) or ``pdftotext -layout``; the line
    reader tells the two apart itself."""

    name = "text"
    forms: ClassVar[dict[str, str]] = {"tab": "网页复制的文字（表格以制表符分隔）", "pdftotext": "PDF 转出的文字（pdftotext -layout）"}

    def sniff(self, src: Input) -> int:
        return 10 if src.text is not None else 0

    def read(self, src: Input) -> Parsed:
        from .core import parse_text

        assert src.text is not None
        return parse_text(src.text, src.year, version=src.version)


@register
class FlatReader(Reader):
    """Page text with the tables' labels and digits run together on long lines."""

    name = "flat"
    forms: ClassVar[dict[str, str]] = {"flat": "压平的网页文字（表格的标签和数字连在一起）"}

    def sniff(self, src: Input) -> int:
        from .flat import is_flat

        return 40 if src.text is not None and is_flat(src.text) else 0

    def read(self, src: Input) -> Source:
        from .flat import flat_source

        assert src.text is not None
        return flat_source(src.text, src.year, src.version)


@register
class HtmlReader(Reader):
    """A saved report page."""

    name = "html"
    forms: ClassVar[dict[str, str]] = {"html": "保存的网页（HTML）"}

    def sniff(self, src: Input) -> int:
        if src.text is None:
            return 0
        return 60 if src.suffix in (".html", ".htm", ".xhtml", ".mht") or _HTML.search(src.text[:4000]) else 0

    def read(self, src: Input) -> Grid:
        from .htmlpage import html_source

        assert src.text is not None
        return html_source(src.text)


@register
class MarkdownReader(Reader):
    """Markdown converted from a PDF (pipe tables)."""

    name = "markdown"
    forms: ClassVar[dict[str, str]] = {"markdown": "由 PDF 转换的 Markdown"}

    def sniff(self, src: Input) -> int:
        if src.text is None:
            return 0
        return 50 if src.suffix in (".md", ".markdown") or len(_PIPE_ROW.findall(src.text)) >= 3 else 0

    def read(self, src: Input) -> Grid:
        from .markdown import markdown_source

        assert src.text is not None
        return markdown_source(src.text, src.year, src.version)


@register
class DocxReader(Reader):
    """A Word file (.docx)."""

    name = "docx"
    forms: ClassVar[dict[str, str]] = {"docx": "Word 文件（.docx）"}

    def sniff(self, src: Input) -> int:
        # A file only named .docx (not a zip) is decoded as text first, then refused by the Word reader.
        return 80 if src.head.startswith(_ZIP) or (src.suffix == ".docx" and src.text is not None) else 0

    def read(self, src: Input) -> Grid:
        from .docxfile import docx_source

        return docx_source(src.path)


@register
class PdfReader(Reader):
    """A PDF: its text layer, tables split by their ruling lines (or ``pdftotext -layout`` when they
    have none); a PDF without a text layer is a scan (``OcrReader``)."""

    name = "pdf"
    forms: ClassVar[dict[str, str]] = {"pdf": "PDF 文件（读取文字层，表格按框线分格）"}

    def sniff(self, src: Input) -> int:
        return 100 if src.head.startswith(b"%PDF") else 0

    def read(self, src: Input) -> Parsed:
        from .pdftext import NoTextLayer, read_pdf

        try:
            return read_pdf(src.path, src.year, src.version)
        except NoTextLayer:
            return OcrReader().read(src)


@register
class OcrReader(Reader):
    """A scan (PNG, JPEG, or a PDF of images): every table cell read by OCR."""

    name = "ocr"
    forms: ClassVar[dict[str, str]] = {"ocr": "扫描件（逐格 OCR 识别）"}

    def sniff(self, src: Input) -> int:
        return 100 if src.head.startswith((_PNG, _JPEG)) else 0

    def read(self, src: Input) -> Parsed:
        from .ocr import read_scan

        return read_scan(src.path, src.year, src.version)


@register
class OfficeReader(Reader):
    """Old Office files (.doc, .wps, .xls): LibreOffice converts, the .docx or .xlsx reader reads."""

    name = "office"
    forms: ClassVar[dict[str, str]] = {"doc": "旧版 Word 文件（.doc，经 LibreOffice 转为 .docx）", "wps": "WPS 文字文件（.wps，经 LibreOffice 转为 .docx）",
             "xls": "旧版 Excel 表格（.xls，经 LibreOffice 转为 .xlsx）"}

    def sniff(self, src: Input) -> int:
        return 100 if src.head.startswith(_OLE) else 0

    def read(self, src: Input) -> Parsed:
        from .office import read_office

        return read_office(src.path, src.year, src.version)


@register
class XlsxReader(Reader):
    """A spreadsheet (.xlsx)."""

    name = "xlsx"
    forms: ClassVar[dict[str, str]] = {"xlsx": "Excel 表格（.xlsx）"}

    def sniff(self, src: Input) -> int:
        if not src.head.startswith(_ZIP):
            return 0
        return 90 if src.suffix in (".xlsx", ".xlsm") or _zip_has(src.path, "xl/workbook.xml") else 0

    def read(self, src: Input) -> Grid:
        from .sheet import xlsx_grid

        return xlsx_grid(src.path)
