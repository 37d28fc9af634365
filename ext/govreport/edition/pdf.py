"""Typeset the LaTeX written by Sphinx into one PDF per report, in parallel
(each report: ``texrun.typeset``), and copy the PDFs where they are published."""

from __future__ import annotations

import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .texrun import MAX_RUNS, typeset


def build_all(
    latex_dir: Path, out_dir: Path, jobs: int = 2, copy_to: list[Path] | None = None, names: list[str] | None = None
) -> int:
    """Typeset ``names`` (file stems; default: every .tex) and copy the PDFs.

    PDFs of reports that no longer exist are removed from the output folders.
    """
    texs = sorted(p for p in latex_dir.glob("*.tex") if names is None or p.stem in names)
    if not texs:
        print(f"{latex_dir} 中没有 .tex 文件；先运行 sphinx-build -b latex", file=sys.stderr)
        return 1
    if shutil.which("xdvipdfmx") is None or shutil.which("xelatex") is None:
        print("缺少 xelatex 或 xdvipdfmx：运行 make 会安装，或执行\n  sudo apt-get install texlive-xetex texlive-lang-chinese texlive-latex-extra latexmk fonts-noto-cjk", file=sys.stderr)
        return 1
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(typeset, texs))
    out_dir.mkdir(parents=True, exist_ok=True)
    keep = {t.with_suffix(".pdf").name for t in texs}
    for d in [out_dir, *(copy_to or [])]:
        for stale in d.glob("*.pdf") if d.is_dir() else []:
            if stale.name not in keep:
                stale.unlink()
    failed = 0
    for r in results:
        pdf = r.tex.with_suffix(".pdf")
        if r.ok:
            for d in [out_dir, *(copy_to or [])]:
                d.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(pdf, d / pdf.name)
            print(f"PDF  {out_dir / pdf.name}  {r.seconds:.1f} s, {r.runs} 次 XeLaTeX")
            for w in r.warnings:
                print(f"{pdf}: 警告 xdvipdfmx：{w}", file=sys.stderr)
            if not r.settled:
                print(f"{r.tex}: 警告 排版 {MAX_RUNS} 次后版面仍在变化（.aux 每次不同）：这份 PDF 可能与下一次构建的不同", file=sys.stderr)
        else:
            failed += 1
            for p in r.problems:
                print(f"{r.tex.with_suffix('.log')}: 错误 {p}", file=sys.stderr)
    return 1 if failed else 0
