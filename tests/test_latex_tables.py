"""The mandated tables' LaTeX (issue 14): one font per role, merged labels centred, break points."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from govreport.sphinxext.latex import fit_widths
from sphinx.testing.util import SphinxTestApp


def cell(tex: str, label: str) -> str:
    """The LaTeX of the table cell holding ``label``: from its varwidth to the label."""
    at = tex.index(f"\n{label}\n")
    return tex[tex.rindex(r"\begin{varwidth}", 0, at) : at]


@pytest.mark.sphinx("latex", testroot="pdfgrid")
def test_header_and_label_fonts(app: SphinxTestApp) -> None:
    app.build()
    tex = (Path(app.outdir) / "demo-2021.tex").read_text(encoding="utf-8")
    # header cells in 黑体, wherever they stand (Sphinx set stub columns like headers)
    for head in ["信息内容", "本年制发件数", "申请人情况", "自然人", "结果维持"]:
        assert r"\CJKfamily{govhei}" in cell(tex, head), head
    # row labels in the body font
    for label in ["规章", "一、本年新收政府信息公开申请数量", "1.属于国家秘密"]:
        assert r"\CJKfamily{govhei}" not in cell(tex, label) and r"\normalfont" in cell(tex, label), label
    assert r"\renewcommand\sphinxstyletheadfamily{}" in tex


@pytest.mark.sphinx("latex", testroot="pdfgrid")
def test_merged_labels_centred_and_kept_whole(app: SphinxTestApp) -> None:
    app.build()
    tex = (Path(app.outdir) / "demo-2021.tex").read_text(encoding="utf-8")
    # （三）不予公开 over its 8 rows: pushed down, rows not made taller, no break inside
    assert re.search(r"\\govmultirow\{8\}\{\d+\}\{%\n\\begin\{varwidth\}.*\n\\sphinxstyletheadfamily \\govvcentre\{[1-9][\d.]*\}\{\}", tex)
    # 三、本年度办理结果 over 22 rows: centred only when not broken across pages (page labels)
    assert re.search(r"\\govvcentre\{[\d.]+\}\{t2r5\}\\govmark\{t2r5:a\}", tex)
    assert r"\govmark{t2r5:b}" in tex
    rows = tex.split(r"\begin{longtable}")[2].split(r"\end{longtable}")[0]
    # breaks kept out of （三） (rows 1.–7. end with \govkeep), allowed after 8.
    after = rows.split("1.属于国家秘密")[1].split("8.属于行政查询事项")[0]
    assert after.count(r"\\\govkeep") == 7
    assert r"\\\govkeep" not in rows.split("8.属于行政查询事项")[1].split("1.本机关不掌握相关政府信息")[0]


def test_fit_widths() -> None:
    # proportional when nothing is too narrow; a column below its need is widened, the others share the rest
    assert fit_widths([1, 1], [0, 0], total=100) == [50, 50]
    assert fit_widths([5, 8, 27, 5], [0, 0, 0, 60], total=450) == pytest.approx([390 * 5 / 40, 390 * 8 / 40, 390 * 27 / 40, 60])
    assert sum(fit_widths([5, 8, 27, 5, 5, 5, 5, 5, 5, 5], [0, 0, 0] + [36.5] * 7)) == pytest.approx(442.2)
