"""OCR engines compared on the same table cells, and the time a 10-page scan takes to import.

    PYTHONPATH=ext:. python -m bench.ocr_engines            # after make pdf

For every report PDF that ``make pdf`` built, each page with a table is rendered at 150 dpi (``pdftoppm``),
its cells found from the ruling lines (``importer.grid``), and every text line of every cell read by each
engine. The truth is the same PDF's text layer (pdfplumber's cells, by position). Printed per engine: the
number cells read exactly, the label cells read exactly, the seconds per table page. Then a 10-page scan
(the pages of the reports' scans, in order) is imported with the importer's engine, timed. Prints figures,
asserts nothing; the machine's load average is printed beside them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _truth(pdf: Any, page: int, scale: float) -> list[tuple[float, float, str]]:
    out = []
    for t in pdf.pages[page].find_tables():
        for row, texts in zip(t.rows, t.extract(), strict=True):
            for box, text in zip(row.cells, texts, strict=True):
                if box is not None:
                    out.append(((box[0] + box[2]) / 2 * scale, (box[1] + box[3]) / 2 * scale, re.sub(r"\s", "", text or "")))
    return out


def compare(pdfs: list[Path]) -> None:
    import cv2
    import pdfplumber
    from govreport.importer.grid import find_tables, text_lines
    from govreport.importer.ocrengine import Engine, RapidOCR, Tesseract

    engines: list[Engine] = [RapidOCR(), Tesseract()]
    stats = {e.name: {"num": 0, "num_ok": 0, "label": 0, "label_ok": 0, "secs": 0.0, "pages": 0} for e in engines}
    wrong_conf: dict[str, list[float]] = {e.name: [] for e in engines}  # the confidence of each misread number
    right_conf: dict[str, list[float]] = {e.name: [] for e in engines}
    for path in pdfs:
        with tempfile.TemporaryDirectory() as tmp, pdfplumber.open(str(path)) as pdf:
            subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(path), f"{tmp}/p"], check=True)
            for i, png in enumerate(sorted(Path(tmp).glob("p-*.png"))):
                gray: Any = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
                tables, ink = find_tables(gray)
                if not tables:
                    continue
                truth = _truth(pdf, i, 150 / 72)
                cells = [c for t in tables for c in t.cells]
                crops = [[gray[max(0, y0 - 4) : y1 + 4, max(0, x0 - 6) : x1 + 6] for x0, y0, x1, y1 in text_lines(ink, c.box)] for c in cells]
                flat = [x for cs in crops for x in cs]
                for e in engines:
                    t0 = time.perf_counter()
                    res = e.lines(flat)
                    st = stats[e.name]
                    st["secs"] += time.perf_counter() - t0
                    st["pages"] += 1
                    k = 0
                    for c, cs in zip(cells, crops, strict=True):
                        got = re.sub(r"\s", "", "".join(r[0] for r in res[k : k + len(cs)]))
                        conf = min((r[1] for r in res[k : k + len(cs)]), default=0.0)
                        k += len(cs)
                        x0, y0, x1, y1 = c.box
                        want = [tx for cx, cy, tx in truth if x0 <= cx <= x1 and y0 <= cy <= y1]
                        if len(want) != 1 or not want[0]:
                            continue
                        kind = "num" if re.fullmatch(r"\d+(?:\.\d+)?", want[0]) else "label"
                        st[kind] += 1
                        st[kind + "_ok"] += got == want[0]
                        if kind == "num":
                            (right_conf if got == want[0] else wrong_conf)[e.name].append(conf)
    print("| 引擎 | 数字单元格读对 | 标签单元格读对 | 每个表格页（秒） |")
    print("|---|---|---|---|")
    for name, st in stats.items():
        print(f"| {name} | {st['num_ok']}/{st['num']}（{st['num_ok'] / max(st['num'], 1):.1%}） | "
              f"{st['label_ok']}/{st['label']}（{st['label_ok'] / max(st['label'], 1):.1%}） | {st['secs'] / max(st['pages'], 1):.1f} |")
    for name in stats:
        rc = sorted(right_conf[name])
        print(f"{name}：读错的数字的置信度 {[round(c, 3) for c in sorted(wrong_conf[name])][:20]}；"
              f"读对的数字中置信度低于 0.97 的 {sum(c < 0.97 for c in rc)} 个（最低 {rc[0] if rc else 0:.3f}）")


def ten_pages(scans: list[Path]) -> None:
    """Import a 10-page scan with the importer's engine."""
    import img2pdf
    from govreport.importer.detect import read_file

    with tempfile.TemporaryDirectory() as tmp:
        pages: list[str] = []
        for n, s in enumerate(scans):
            subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(s), f"{tmp}/s{n}"], check=True)
            pages += sorted(str(p) for p in Path(tmp).glob(f"s{n}-*.png"))
        ten = Path(tmp) / "ten.pdf"
        ten.write_bytes(img2pdf.convert(pages[:10]))
        t0, c0 = time.perf_counter(), time.process_time()
        parsed = read_file(ten, 2021)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    cells = sum(v is not None for t in parsed.values.values() for v in t.values())
    print(f"10 页扫描件（{', '.join(s.stem for s in scans)} 的前 10 页）导入：{secs:.1f} 秒（CPU {cpu:.1f} 秒，各线程合计），"
          f"写入 {cells} 个数字；负载 {os.getloadavg()[0]:.1f}")


def main() -> None:
    pdfs = sorted((ROOT / "_build" / "pdf").glob("*.pdf"))
    if not pdfs:
        sys.exit("先运行 make pdf")
    print(f"负载（1 分钟平均）：{os.getloadavg()[0]:.1f}，{os.cpu_count()} 核")
    if "--import-only" not in sys.argv:
        compare(pdfs)
    with tempfile.TemporaryDirectory() as tmp:
        from govreport.importer.samples import scan

        scans = []
        for p in sorted(pdfs, key=lambda p: p.stem.startswith("xiangshan"), reverse=True)[:2]:
            out = Path(tmp) / p.name
            scan(p, out)
            scans.append(out)
        ten_pages(scans)


if __name__ == "__main__":
    main()
