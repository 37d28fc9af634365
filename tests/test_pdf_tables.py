"""The mandated tables in the PDF, measured from its text positions (pdftotext -bbox-layout).

The report of tests/roots/test-pdfgrid is built as it is and with one to four
paragraphs of 一、总体情况 left out, so that 表三 starts at different heights
of a page: whatever the height, no page before the last is left more than a
third empty, and a table that breaks repeats its head under "表三（续）".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from govreport.edition import texrun
from govreport.edition.pdfgeom import AREA, Page, read, rows
from pdfrules import render, rule_right_of, rule_under
from test_pdf_grid import build_pdf

ROOTS = Path(__file__).parent / "roots"
CAPTIONS = ["表二主动公开政府信息情况", "表三收到和处理政府信息公开申请情况", "表四政府信息公开行政复议、行政诉讼情况"]


def variant(tmp: Path, drop: int) -> Path:
    """A copy of test-pdfgrid without the first ``drop`` paragraphs of 一、总体情况."""
    root = tmp / f"drop{drop}"
    shutil.copytree(ROOTS / "test-pdfgrid", root)
    page = root / "demo" / "2021.md"
    blocks = page.read_text(encoding="utf-8").split("\n\n")
    start = next(i for i, b in enumerate(blocks) if b.startswith("### （一）")) + 1
    paragraphs = [i for i in range(start, len(blocks)) if not blocks[i].startswith("#")][:drop]
    page.write_text("\n\n".join(b for i, b in enumerate(blocks) if i not in paragraphs), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    tmp = tmp_path_factory.mktemp("tables")
    return {drop: build_pdf(str(variant(tmp, drop)), tmp / f"out{drop}") for drop in range(5)}


@pytest.fixture(scope="module")
def builds(pdfs: dict[int, Path]) -> dict[int, list[Page]]:
    return {drop: read(pdf) for drop, pdf in pdfs.items()}


def texts(page: Page) -> list[str]:
    return ["".join(ln.text for ln in r) for r in rows(page)]


@pytest.mark.slow
def test_no_page_left_a_third_empty(builds: dict[int, list[Page]]) -> None:
    for drop, pages in builds.items():
        for p in pages[:-1]:
            assert p.empty_bottom() <= 1 / 3, f"去掉 {drop} 段：第 {p.number} 页下部空 {p.empty_bottom():.0%}"


@pytest.mark.slow
def test_a_broken_table_repeats_its_head(builds: dict[int, list[Page]]) -> None:
    broken = 0
    for pages in builds.values():
        for p in pages:
            lines = texts(p)
            if any(t.startswith("表三（续）") for t in lines):
                broken += 1
                i = next(i for i, t in enumerate(lines) if t.startswith("表三（续）"))
                assert "申请人情况" in "".join(lines[i + 1 : i + 3]), lines[i : i + 3]
                assert p.number > 1 and any(t.startswith("表三收到") for t in texts(pages[p.number - 2]))
    assert broken, "没有一种排法让表三跨页：测试没有覆盖跨页"


@pytest.mark.slow
def test_captions_centred_over_the_whole_table(pdfs: dict[int, Path], builds: dict[int, list[Page]]) -> None:
    """Each caption, 表三（续） too, is centred on the rule under it (a trailing \\quad moved
    表三（续） 8 bp left), and that rule is as wide as the text (the mandated tables are)."""
    seen = 0
    for drop, pages in builds.items():
        for p in pages:
            raster = None
            for row in rows(p):
                text = "".join(ln.text for ln in row)
                if not text.startswith(("表二", "表三", "表四")):
                    continue
                raster = raster or render(pdfs[drop], p.number)
                x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
                rule = rule_under(raster, max(row, key=lambda ln: ln.y1))
                assert rule is not None, (drop, text)
                assert abs((x0 + x1) / 2 - (rule[0] + rule[1]) / 2) < 1.5, (drop, text, (x0, x1), rule)
                assert rule[1] - rule[0] > 0.95 * (AREA[2] - AREA[0]), (drop, text, rule)
                seen += 1
    assert seen >= 3 * len(builds) + 1, seen  # three captions in each, and at least one 表三（续）


@pytest.mark.slow
def test_two_runs_settle_the_layout(pdfs: dict[int, Path]) -> None:
    """The tables' column widths are right in the first run, with no .aux yet, so the
    second run leaves the .aux as it found it: two XeLaTeX runs a report, not three."""
    for drop, pdf in pdfs.items():
        tex = next((pdf.parent.parent / "latex").glob("*.tex"))
        for suffix in (*texrun.FEEDBACK, ".settled"):
            tex.with_suffix(suffix).unlink(missing_ok=True)
        done = texrun.typeset(tex)
        assert done.ok and done.settled and done.runs == 2, (drop, done)


@pytest.mark.slow
def test_captions_and_one_line_labels(builds: dict[int, list[Page]]) -> None:
    for pages in builds.values():
        lines = [t for p in pages for t in texts(p)]
        for caption in CAPTIONS:
            assert caption in lines, caption
        # 自然人 on one line, not 自然/人
        assert any(ln.text.startswith("自然人") for p in pages for ln in p.lines)


@pytest.mark.slow
def test_merged_label_centred(builds: dict[int, list[Page]]) -> None:
    pages = builds[0]
    p = next(p for p in pages if any(ln.text == "三、" for ln in p.lines))
    lines = p.lines
    label = [ln for ln in lines if ln.x0 < AREA[0] + 10 and ln.text in {"三、", "本年", "度办", "理结", "果"}]
    first = next(ln for ln in lines if ln.text.startswith("（一）予以公开"))
    last = next(ln for ln in lines if ln.text.startswith("（七）总计"))
    middle = (min(ln.y0 for ln in label) + max(ln.y1 for ln in label)) / 2
    rows_middle = (first.y0 + last.y1) / 2
    assert abs(middle - rows_middle) < 6, f"三、本年度办理结果 偏离中线 {middle - rows_middle:.1f} bp"


@pytest.mark.slow
def test_numbers_clear_of_the_rule(pdfs: dict[int, Path], builds: dict[int, list[Page]]) -> None:
    """The last column's numbers end 4 bp (the padding) before the table's right rule,
    measured to the rule as drawn (the page rendered to pixels, tests/pdfrules.py)."""
    measured = []
    for p in builds[0]:
        raster = None
        for ln in p.lines:
            if ln.text.isdigit() and ln.x1 > AREA[2] - 20 and ln.y1 < AREA[3]:
                raster = raster or render(pdfs[0], p.number)
                rule = rule_right_of(raster, ln)
                assert rule is not None, f"第 {p.number} 页数字 {ln.text} 右边没有表格竖线"
                assert 3 < rule - ln.x1 < 5, f"第 {p.number} 页数字 {ln.text} 离表格右线 {rule - ln.x1:.1f} bp"
                measured.append(rule - ln.x1)
    assert len(measured) >= 20, f"只量到 {len(measured)} 个末列数字：测试没有量到表格"


@pytest.mark.slow
def test_every_page_starts_at_the_top(builds: dict[int, list[Page]]) -> None:
    """No page starts with a table's last rule pushed over alone (text would start a line lower)."""
    pitch = (AREA[3] - AREA[1]) / 22
    for drop, pages in builds.items():
        for p in pages:
            top = min(ln.y0 for ln in p.body)
            assert top < AREA[1] + pitch, f"去掉 {drop} 段：第 {p.number} 页文字从版心下 {(top - AREA[1]) / pitch:.1f} 行开始"
