"""Importing a PDF with a text layer (pdfplumber; pdftotext -layout as the fallback)."""

from __future__ import annotations

import shutil
from pathlib import Path

import img2pdf
import pdfplumber.page
import pytest
from govreport.importer import read_file
from govreport.importer.evaluate import evaluate
from govreport.importer.pdftext import NoTextLayer, read_pdf

PDFS = Path(__file__).resolve().parent / "fixtures" / "pdf"
TEXT = PDFS / "text" / "pingtan-2025.pdf"


def test_text_pdf_every_cell_right() -> None:
    (s,) = evaluate(PDFS)
    assert (s.form, s.name, s.right, s.total, s.wrong, s.invented, s.blank, s.problems, s.error) == (
        "pdf", "平潭综合实验区", 200, 200, 0, 0, 0, [], "")


def test_furniture_dropped_and_continued_table_joined() -> None:
    parsed = read_file(TEXT, 2025)
    messages = [n.message for n in parsed.notes]
    assert "已删除页眉、页脚和页码 6 处" in messages
    assert "1 个表格跨页接续，下一页重复的表头已略去，两页的行合为一个表格" in messages
    text = "".join(b.text for sec in parsed.sections for b in sec)
    assert "表三（续）" not in text
    # No page number is left in the narrative: every paragraph of section 一 is real text.
    assert all(len(b.text) > 3 for b in parsed.sections[0])


def test_without_ruling_lines_pdftotext_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is missing: run make system-test"
    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", lambda self, *a, **k: [])
    parsed = read_pdf(TEXT, 2025)
    assert parsed.form == "pdftotext"
    assert sum(v is not None for t in parsed.values.values() for v in t.values()) == 200


def test_pages_of_images_are_a_scan(tmp_path: Path) -> None:
    png = tmp_path / "p.png"
    from PIL import Image

    Image.new("L", (200, 300), 255).save(png)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(img2pdf.convert([str(png)]))
    with pytest.raises(NoTextLayer):
        read_pdf(scan, 2025)


def test_damaged_pdf_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    with pytest.raises(ValueError, match="不是可以读取的 PDF 文件"):
        read_file(bad, 2025)
