"""Importing .doc, .wps, .xls (LibreOffice's headless conversion) and .xlsx (openpyxl, merged cells)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from govreport.importer import read_file
from govreport.importer.evaluate import evaluate

OFFICE = Path(__file__).resolve().parent / "fixtures" / "office"


def _soffice() -> None:
    assert shutil.which("soffice"), "LibreOffice (soffice) is missing: run make system-test (libreoffice-writer-nogui, libreoffice-calc-nogui)"


def test_doc_xls_xlsx_every_cell_right() -> None:
    _soffice()
    scores = {Path(s.file).name: (s.form, s.right, s.total, s.wrong, s.invented, s.error) for s in evaluate(OFFICE)}
    assert scores == {"pingtan.doc": ("doc", 200, 200, 0, 0, ""), "pingtan.xlsx": ("xlsx", 200, 200, 0, 0, ""),
                      "pingtan.xls": ("xls", 200, 200, 0, 0, "")}


def test_wps_read_through_libreoffice(tmp_path: Path) -> None:
    _soffice()
    wps = tmp_path / "报告.wps"
    shutil.copyfile(OFFICE / "pingtan.doc", wps)  # WPS 文字 saves Word 97 binaries under this name
    parsed = read_file(wps, 2025)
    assert parsed.form == "wps"
    assert parsed.notes[0].message == "原文是WPS 文字文件，已用 LibreOffice 转为 .docx 读取；说明中的位置是转换后文件中的段落或行"
    assert sum(v is not None for t in parsed.values.values() for v in t.values()) == 200


def test_wps_libreoffice_cannot_read_says_what_to_do(tmp_path: Path) -> None:
    _soffice()
    wps = tmp_path / "报告.wps"
    wps.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(ValueError, match=r"LibreOffice 读不了 报告.wps（WPS 文字文件）；请在 WPS 中打开，另存为 .docx，再导入"):
        read_file(wps, 2025)


def test_xlsx_merged_cells(tmp_path: Path) -> None:
    """A label merged over two rows and a number merged across two columns (a 2019 表二) are read as one cell."""
    book = openpyxl.Workbook()
    ws = book.active
    rows = [
        ["示范县人民政府2021年政府信息公开工作年度报告"],
        ["二、主动公开政府信息情况"],
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", 1, 0, 11],
        ["行政规范性文件", 8, 26, 66],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量", None, None],
        ["行政许可", 4472, None, None],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）", None, None],
        ["行政事业性收费", 96171.6, None, None],
    ]
    for r in rows:
        ws.append(r)
    ws.merge_cells("B8:D8")
    ws.merge_cells("B9:D9")
    ws.merge_cells("B11:D11")
    ws.merge_cells("B12:D12")
    path = tmp_path / "表.xlsx"
    book.save(path)
    parsed = read_file(path, 2021)
    t2 = parsed.values["t2"]
    assert parsed.form == "xlsx"
    assert (t2[("rules", "issued")], t2[("normative", "in_force")], t2[("license", "decisions")], str(t2[("fee", "amount")])) == (
        1, 66, 4472, "96171.6")
