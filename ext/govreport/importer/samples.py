"""``govreport import-samples OUT``: the forms a report is passed around in, made from this repository's
own reports, with their true numbers, for ``import-eval OUT``.

For each report whose PDF ``make pdf`` built (``_build/pdf/AGENCY-YEAR.pdf``):

- ``text/AGENCY-YEAR.pdf``: the PDF itself (a text layer, tables with ruling lines);
- ``scan/AGENCY-YEAR.pdf``: its pages rasterised at ``DPI`` (``pdftoppm``) and put back into a PDF
  (``img2pdf``): a scan, with no text layer.

``OUT/expected.json`` holds the numbers each PDF shows: the report's CSVs as the project loads them
(totals it computes included), in the layout of ``evaluate.truth_of``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..format.spec import spec_for_year
from ..model.csvload import load_table
from .evaluate import T2_CELLS, T3_COLS, T3_ROWS, T4_COLS, T4_ROWS

DPI = 150


def _num(v: Any) -> float | int | None:
    if v is None:
        return None
    return int(v) if isinstance(v, int) or (isinstance(v, Decimal) and v == v.to_integral_value() and "." not in str(v)) else float(v)


def truth(root: Path, agency: str, year: int) -> dict[str, Any]:
    """The numbers of one report as ``expected.json`` writes them."""
    spec = spec_for_year(year)
    got: dict[tuple[str, str, str], Any] = {}
    for t in spec.tables.values():
        data, _ = load_table(root / "data" / agency / str(year) / t.file, t, t.file)
        for (r, c), v in data.values.items():
            got[(t.id, r, c)] = _num(v)
    t2 = {k: [got.get(("t2", r, c)) for r, c in cells] for k, cells in T2_CELLS.items()}
    t3 = {k: [got.get(("t3", rid, c)) for c in T3_COLS] for k, rid in T3_ROWS.items()}
    t4 = {k: [got.get(("t4", rid, c)) for c in T4_COLS] for k, rid in T4_ROWS.items()}
    return {"series": agency, "year": year, "table2": {k: v[0] if len(v) == 1 else v for k, v in t2.items()},
            "table3": t3, "table4": t4}


def _run(cmd: list[str]) -> None:
    if shutil.which(cmd[0]) is None:
        raise SystemExit(f"缺少 {cmd[0]}：请先运行 make system-test")
    subprocess.run(cmd, check=True, timeout=600)


def scan(pdf: Path, out: Path, dpi: int = DPI, pages: tuple[int, int] | None = None) -> None:
    """``pdf``'s pages (all, or ``pages``: first and last) as images at ``dpi``, put back into one PDF: a scan."""
    import img2pdf

    with tempfile.TemporaryDirectory(prefix="govreport-scan-") as tmp:
        some = ["-f", str(pages[0]), "-l", str(pages[1])] if pages else []
        _run(["pdftoppm", "-r", str(dpi), "-gray", "-png", *some, str(pdf), f"{tmp}/p"])
        images = sorted(Path(tmp).glob("p-*.png"))
        out.write_bytes(img2pdf.convert([str(p) for p in images]))


def make_samples(root: Path, out: Path, scans: bool = True) -> list[dict[str, Any]]:
    """Write the samples and ``expected.json`` into ``out``; returns its entries."""
    reports: list[dict[str, Any]] = []
    for pdf in sorted((root / "_build" / "pdf").glob("*-[0-9][0-9][0-9][0-9].pdf")):
        agency, year = pdf.stem.rsplit("-", 1)
        if not (root / "data" / agency / year).is_dir():
            continue
        entry = truth(root, agency, int(year))
        forms = [("text", lambda dst, src=pdf: shutil.copyfile(src, dst))]
        if scans:
            forms.append(("scan", lambda dst, src=pdf: scan(src, dst)))
        for form, make in forms:
            dst = out / form / pdf.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            make(dst)
            reports.append({"file": f"{form}/{pdf.name}", "header": False, **entry})
    doc = {"_doc": f"由本仓库的报告生成（make pdf；扫描件为 pdftoppm -r {DPI} 的图片合成的 PDF）；数字取自报告的 CSV", "reports": reports}
    (out / "expected.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return reports


def main(argv: list[str] | None = None) -> int:
    """``python -m govreport.importer.samples OUT [--no-scan]`` (after ``make pdf``)."""
    import argparse

    p = argparse.ArgumentParser(description="由本仓库的报告生成 PDF 和扫描件样本（先运行 make pdf）")
    p.add_argument("out")
    p.add_argument("--no-scan", action="store_true", help="只生成有文字层的 PDF")
    args = p.parse_args(argv)
    made = make_samples(Path.cwd(), Path(args.out), scans=not args.no_scan)
    if not made:
        print("没有找到 _build/pdf/*.pdf：请先运行 make pdf")
        return 1
    print(f"{len(made)} 个样本写入 {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
