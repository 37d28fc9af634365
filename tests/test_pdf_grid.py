"""The PDF edition on the GB/T 9704 grid, measured from the PDF's own text positions.

A report of its own (tests/roots/test-pdfgrid, several pages of plain text) is
built to a real PDF; ``pdftotext -bbox-layout`` gives every line's box. Full
text pages must hold 22 lines, each centred in its 1/22 of the 225 mm type
area; full lines hold 28 characters between 28 mm and 184 mm from the left
edge; the page number sits 7 mm below the type area.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docxtools import copy_of_test_root
from govreport.edition.pdf import build_all
from govreport.edition.pdfgeom import AREA, MM, Page, cjk_count, read, rows

ROOT = Path(__file__).parent.parent
PITCH = 225 * MM / 22
CELL = 156 * MM / 28
CLOSING = "，。、；：！？”’）》〕"
OPENING = "“‘（《〔"
PUNCT = CLOSING + OPENING


def build_pdf(testroot: str, out: Path) -> Path:
    """sphinx-build -b latex on tests/roots/<testroot>, then XeLaTeX: the PDF's path."""
    for tool in ("xelatex", "latexmk", "pdftotext"):
        assert shutil.which(tool), f"{tool} is missing: run `make system` (or see README)"
    src = copy_of_test_root(Path(__file__).parent / "roots" / testroot, out)  # or a path to a copy of one
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "latex", str(src), str(out / "latex")],
        check=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "ext")),
    )
    assert build_all(out / "latex", out / "pdf", jobs=1) == 0
    return next((out / "pdf").glob("*.pdf"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Page]:
    return read(build_pdf("test-pdfgrid", tmp_path_factory.mktemp("grid")))


def text_pages(pages: list[Page]) -> list[Page]:
    """Pages of running text only (no table, not the title page, not the last page)."""
    out = []
    for p in pages[1:-1]:
        r = rows(p)
        if r and all(abs((row[0].middle - AREA[1]) / PITCH - 0.5 - round((row[0].middle - AREA[1]) / PITCH - 0.5)) < 0.2 for row in r):
            out.append(p)
    return out


@pytest.mark.slow
def test_full_text_pages_hold_22_lines_on_the_grid(pages: list[Page]) -> None:
    full = text_pages(pages)
    assert len(full) >= 2, f"只有 {len(full)} 个纯文字页"
    for p in full:
        r = rows(p)
        assert len(r) == 22, f"第 {p.number} 页 {len(r)} 行，应为 22 行"
        for i, row in enumerate(r):
            want = AREA[1] + (i + 0.5) * PITCH  # the middle of grid line i
            assert abs(row[0].middle - want) < 1.5, f"第 {p.number} 页第 {i + 1} 行偏离网格 {row[0].middle - want:.1f} bp"


@pytest.mark.slow
def test_full_lines_hold_28_characters(pages: list[Page]) -> None:
    """Every full line is 28 grid cells from 28 mm to 184 mm, punctuation included:
    a mark takes a whole cell, two marks in a row (“）、”) two cells, and a line
    that ends in a mark ends at the right edge like any other (no squeezing, no
    hanging), as on a word processor's character grid. Only where a break rule
    moves a character down (a closing mark may not start a line, an opening mark
    may not end one) does a line hold 27 characters, spread over the 28 cells."""
    cells_of: list[int] = []
    moved = {"closing": 0, "opening": 0}
    punctuated = 0
    for p in text_pages(pages):
        r = rows(p)
        for i, row in enumerate(r):
            text = "".join(ln.text for ln in row)
            x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
            # a full (justified) line of characters only; a paragraph's first line
            # counts its indent (2 characters)
            if not (cjk_count(text) == len(text) and x1 > AREA[2] - 2 * MM):
                continue
            cells = len(text) + round((x0 - AREA[0]) / CELL)
            cells_of.append(cells)
            punctuated += sum(ch in PUNCT for ch in text) >= 2 or text[-1] in PUNCT
            assert abs(x1 - AREA[2]) < 0.3 * MM, f"第 {p.number} 页“{text}”右端 {x1 / MM:.1f} mm"
            if cells == 27 and i + 1 < len(r):
                after = "".join(ln.text for ln in r[i + 1])
                if after[:1] in OPENING:
                    moved["opening"] += 1
                    continue
                if after[1:2] in CLOSING:
                    moved["closing"] += 1
                    continue
            assert cells == 28, f"第 {p.number} 页“{text}”占 {cells} 字"
    assert len(cells_of) > 20 and punctuated >= 5, (len(cells_of), punctuated)
    assert moved["closing"] and moved["opening"], f"the test text has no line of each break rule: {moved}"


@pytest.mark.slow
def test_type_area_margins(pages: list[Page]) -> None:
    for p in text_pages(pages):
        body = p.body
        left = min(ln.x0 for ln in body if ln.text[0] not in "“《（〔")
        assert abs(left - AREA[0]) < 0.3 * MM, f"第 {p.number} 页左边距 {left / MM:.1f} mm，应为 28 mm"
        top = min(ln.y0 for ln in body)
        bottom = max(ln.y1 for ln in body)
        # 16 bp characters centred in the first and the last of 22 lines of 225 mm
        assert abs(top - (AREA[1] + (PITCH - 16) / 2)) < 1.5, f"第 {p.number} 页上边 {top / MM:.1f} mm"
        assert abs(bottom - (AREA[3] - (PITCH - 16) / 2)) < 1.5, f"第 {p.number} 页下边 {bottom / MM:.1f} mm"


@pytest.mark.slow
def test_page_number_7mm_below_the_type_area(pages: list[Page]) -> None:
    for p in pages:
        folio = p.folio
        assert folio is not None and folio.text == str(p.number), f"第 {p.number} 页没有页码"
        below = (folio.middle - AREA[3]) / MM  # the dashes are drawn at the digits' middle
        assert 6.5 < below < 8.0, f"第 {p.number} 页页码在版心下 {below:.1f} mm"
        assert 13 < folio.y1 - folio.y0 < 16, "页码应为 4号（14 bp）"
        assert abs((folio.x0 + folio.x1) / 2 - (AREA[0] + AREA[2]) / 2) < 1, "页码在版心下居中"


@pytest.mark.slow
def test_signoff_at_the_end(pages: list[Page]) -> None:
    """落款: name 2 characters from the right margin, the date below it, 2 characters further right."""
    last = rows(pages[-1])
    name, date = ("".join(ln.text for ln in r) for r in last[-2:])
    assert (name, date) == ("宁夏回族自治区中卫市沙坡头区测试乡人民政府", "2022年1月28日")
    name_x0 = min(ln.x0 for ln in last[-2])
    name_x1 = max(ln.x1 for ln in last[-2])
    date_x0 = min(ln.x0 for ln in last[-1])
    assert abs(AREA[2] - name_x1 - 2 * CELL) < 2, f"署名右空 {(AREA[2] - name_x1) / CELL:.1f} 字"
    assert abs(date_x0 - name_x0 - 2 * CELL) < 2, f"日期比署名右移 {(date_x0 - name_x0) / CELL:.1f} 字"
    # one empty line between the text and the name
    assert abs(last[-2][0].middle - last[-3][0].middle - 2 * PITCH) < 1.5


@pytest.mark.slow
def test_title_in_lines(pages: list[Page]) -> None:
    """2号 title broken before 政府信息公开工作年度报告, centred, then one empty line."""
    title = [r for r in rows(pages[0]) if r[0].y1 - r[0].y0 > 20]  # 22 bp lines
    assert ["".join(ln.text for ln in r) for r in title] == ["宁夏回族自治区中卫市沙坡头区测试乡2021年", "政府信息公开工作年度报告"]
    for r in title:
        middle = (min(ln.x0 for ln in r) + max(ln.x1 for ln in r)) / 2
        assert abs(middle - (AREA[0] + AREA[2]) / 2) < 2, "标题居中"


@pytest.mark.slow
def test_urls_break_only_at_sensible_points(pages: list[Page]) -> None:
    """A short URL is never broken; a long one only after / . - (not after "https:" nor inside "//")."""
    text = [" ".join(ln.text for ln in r) for r in rows(pages[0])]
    assert any("http://www.spt.gov.cn/" in t for t in text), text
    long = "https://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm"
    at = next(i for i, t in enumerate(text) if "https" in t)
    head = text[at][text[at].index("https") :]
    assert long.startswith(head), head
    if head != long:  # broken over two lines
        assert head[-1] in "/.-" and not head.endswith(("https:", "https:/")), head
        assert text[at + 1].replace(" ", "").startswith(long[len(head) :]), text[at + 1]
    assert any("xsxzf2007@163.com" in t for t in text)
