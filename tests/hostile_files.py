"""The hostile files of issue 26's sweep, built on demand (for tests/test_security_hostile.py and the
measurement script bench/hostile.py). Each builder writes one file and returns its path."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="word/document.xml"/></Relationships>')
_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
_TAIL = "</w:body></w:document>"


def docx_of_paragraphs(path: Path, unpacked: int, para: str = "<w:p/>") -> Path:
    """A .docx whose document.xml is ``unpacked`` bytes of tiny paragraphs (streamed: never held whole)."""
    chunk = (para * ((1 << 20) // len(para))).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(_HEAD.encode())
            left = unpacked - len(_HEAD) - len(_TAIL)
            while left > 0:
                piece = chunk[: min(left, len(chunk)) // len(para) * len(para)] or para.encode()
                f.write(piece)
                left -= len(piece)
            f.write(_TAIL.encode())
    return path


def docx_bomb(path: Path, unpacked: int) -> Path:
    """A .docx whose document.xml unpacks to ``unpacked`` bytes of one repeated character (a zip bomb)."""
    return docx_of_paragraphs(path, unpacked, para=" ")


def span_bomb(path: Path, cells: int) -> Path:
    """A page of ``<td rowspan=200 colspan=200>`` × ``cells``, each in its own row."""
    rows = "".join(f"<tr><td rowspan=200 colspan=200>{i}</td></tr>" for i in range(cells))
    path.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    return path


def deep_page(path: Path, depth: int) -> Path:
    """A report page nested ``depth`` ``<div>`` deep, its report below the cut."""
    path.write_text("<html><body>" + "<div>" * depth + "<p>一、总体情况</p><p>本年度公开了文件。</p>" + "</div>" * depth
                    + "</body></html>", encoding="utf-8")
    return path


def big_text(path: Path, size: int) -> Path:
    """A text file of ``size`` bytes (sparse: costs no disk)."""
    with path.open("wb") as f:
        f.write("沙坡头区香山乡2021年政府信息公开工作年度报告\n".encode())
        f.truncate(size)
    return path
