"""Importing a scan: tables found from their ruling lines, each cell read by OCR, every number confirmed or blank."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from govreport.format.spec import load_spec
from govreport.importer import ocrengine, read_file
from govreport.importer.confirm import SURE, Verdict, verdicts
from govreport.importer.evaluate import truth_of
from govreport.importer.samples import scan

PDFS = Path(__file__).resolve().parent / "fixtures" / "pdf"
TEXT = PDFS / "text" / "pingtan-2025.pdf"  # tables on pages 4 and 5 (表三 continued on 5)


def _truth() -> dict[tuple[str, str, str], Decimal | None]:
    entry = json.loads((PDFS / "expected.json").read_text(encoding="utf-8"))["reports"][0]
    return truth_of(entry)


def _tools() -> None:
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is missing: run make system-test"


@pytest.mark.slow
def test_scan_at_150_dpi_numbers_right_or_blank_and_named(tmp_path: Path) -> None:
    _tools()
    pdf = tmp_path / "扫描件.pdf"
    scan(TEXT, pdf, pages=(4, 5))
    parsed = read_file(pdf, 2025)
    assert parsed.form == "ocr"
    truth = _truth()
    right = wrong = blank = 0
    for (tid, rid, cid), want in truth.items():
        got = parsed.values[tid].get((rid, cid))
        if got is None:
            blank += want is not None
            right += want is None
        elif want is not None and Decimal(got) == want:
            right += 1
        else:
            wrong += 1
    assert wrong == 0
    assert right >= 0.95 * len(truth)
    messages = [n.message for n in parsed.notes]
    # Every blank left is named with its page; every number read is listed with its confidence.
    assert sum("未写入（CSV 中留空）" in m for m in messages) + sum("不是数字，留空" in m for m in messages) >= blank
    assert any(m.startswith("OCR 识别 表三“一、本年新收政府信息公开申请数量”行：自然人 ") and "置信度" in m for m in messages)
    assert messages[0].startswith("扫描件，共 2 页，用 OCR 识别（RapidOCR")


@pytest.mark.slow
def test_png_page(tmp_path: Path) -> None:
    """One page as a PNG (表三 continued and 表四): the 表四 row read, each number confirmed by 结果合计."""
    _tools()
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "5", "-l", "5", "-singlefile", str(TEXT), str(tmp_path / "p")], check=True)
    parsed = read_file(tmp_path / "p.png", 2025)
    truth = _truth()
    t4 = {k: v for k, v in parsed.values["t4"].items() if v is not None}
    assert t4 == {(r, c): truth[("t4", r, c)] for (t, r, c) in truth if t == "t4"}
    assert any("OCR 识别 表四“行政复议”行：结果维持 " in n.message and "关系相符（结果合计）" in n.message for n in parsed.notes)


@pytest.mark.slow
def test_skewed_page_straightened(tmp_path: Path) -> None:
    """The same page scanned 1.5° askew: straightened (and said), 表四 read as before."""
    import cv2

    _tools()
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "5", "-l", "5", "-singlefile", str(TEXT), str(tmp_path / "p")], check=True)
    page = cv2.imread(str(tmp_path / "p.png"), cv2.IMREAD_GRAYSCALE)
    h, w = page.shape
    turned = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), 1.5, 1.0), (w, h), borderValue=255)
    cv2.imwrite(str(tmp_path / "askew.jpg"), turned)
    parsed = read_file(tmp_path / "askew.jpg", 2025)
    truth = _truth()
    assert {k: v for k, v in parsed.values["t4"].items() if v is not None} == {(r, c): truth[("t4", r, c)] for (t, r, c) in truth if t == "t4"}
    assert any(n.message == "第 1 页扫描时歪斜 1.5°，已摆正后识别" for n in parsed.notes)


def test_relations_confirm_and_contradict() -> None:
    spec = load_spec("2021")
    row = {"upheld": 25, "corrected": 3, "other": 8, "pending": 0, "total": 36}
    read = {("t4", "review", c): Decimal(v) for c, v in row.items()}
    assert all(v.holds == ["结果合计"] and not v.fails for v in verdicts(spec, read).values())
    read[("t4", "review", "other")] = Decimal(3)  # 8 misread as 3
    v = verdicts(spec, read)
    assert all(x.fails == ["结果合计"] and not x.holds for x in v.values())
    assert not v[("t4", "review", "total")].accept(0.999)  # sure, but contradicted: blank
    assert Verdict().accept(SURE) and not Verdict().accept(SURE - 0.01)  # no relation: the engine's confidence decides


def test_ocr_that_cannot_be_installed_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_rapid(name: str, *a: object, **k: object) -> object:
        if name == "rapidocr_onnxruntime":
            raise ImportError(name)
        return real(name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_rapid)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, "", "ERROR: No matching distribution"))
    with pytest.raises(ocrengine.MissingOCR, match="扫描件需要 OCR 组件，但安装失败"):
        ocrengine.require()
