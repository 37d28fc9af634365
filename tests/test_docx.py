"""The Word edition, read back: python-docx reads the page, grid, fonts and the
mandated tables' merged cells; LibreOffice converts each file to a PDF whose
text has the tables; ``make import`` of the file gives back every number of the
sample's CSVs; the 落款, the 草稿 watermark and the archive's banner are there."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docxtools import ROOT, build_docx, grid_cells, to_pdf
from govreport.edition.docx import page
from govreport.edition.docx.mirror import mirror
from govreport.edition.pdfgeom import AREA, CHARS, LINES, MM, read, rows
from govreport.format.spec import load_spec
from govreport.importer import import_report
from govreport.model.csvload import load_table
from govreport.model.officialdoc import Signoff, title_lines
from govreport.model.report import load_report
from govreport.sphinxext.tables import cell_text
from official_grids import GRIDS, SHAPES
from sample import AGENCY, SAMPLE, SAMPLE_ROOT, YEAR

ROOTS = ROOT / "tests" / "roots"


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen sample report's Word file, built with the repository's conf.py."""
    tree = tmp_path_factory.mktemp("sample")
    for part in ("data", "docs"):
        shutil.copytree(SAMPLE_ROOT / part, tree / part)
    (tree / "docs" / "index.md").write_text("# 报告\n", encoding="utf-8")
    out = build_docx(tree, tree / "_build" / "docx", conf=ROOT)
    return out / f"{AGENCY}-{YEAR}.docx"


@pytest.fixture(scope="module")
def document(sample_docx: Path) -> Any:
    return docx.Document(str(sample_docx))


def _rfonts(style: Any) -> dict[str, str]:
    el = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return {k.split("}")[1]: v for k, v in el.attrib.items()}


def test_only_report_pages_have_a_word_file(sample_docx: Path) -> None:
    assert sorted(p.name for p in sample_docx.parent.glob("*.docx")) == [f"{AGENCY}-{YEAR}.docx"]


def test_page_and_grid(document: Any) -> None:
    """A4, margins 37/35/28/26 mm; a document grid of 22 lines of 28 characters."""
    s = document.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    for got, mm in ((s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28), (s.right_margin, 26)):
        assert abs(got - Mm(mm)) < Mm(0.1), (got.mm, mm)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch, space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    text_w = Emu(s.page_width - s.left_margin - s.right_margin).pt
    text_h = Emu(s.page_height - s.top_margin - s.bottom_margin).pt
    assert int(text_h * 20 // pitch) == LINES == 22
    assert int(text_w // (16 + space / 4096)) == CHARS == 28  # Word's characters per line on the grid
    # the body carries the same figures (see docxedition.document._ppr): exact grid pitch, 28 condensed
    # Chinese characters a line; Latin letters and digits at their own width (as in the PDF)
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(pitch / 20)
    first = document.paragraphs[1]
    spacing = {r.text: r._r.find(f"{qn('w:rPr')}/{qn('w:spacing')}") for r in first.runs}
    assert all(t.isascii() == (sp is None) for t, sp in spacing.items()), spacing
    assert "2021" in spacing and "根据《中华人民共和国政府信息公开条例》规定和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》" in spacing
    condensed = {int(sp.get(qn("w:val"))) for sp in spacing.values() if sp is not None}
    assert len(condensed) == 1
    step = 16 + condensed.pop() / 20
    assert 28 * step <= text_w < 29 * step


def test_fonts_and_sizes(document: Any, sample_docx: Path) -> None:
    """Body 仿宋 3号, title 小标宋 2号, headings 黑体 and 楷体, each with its fallback in the font table."""
    styles = document.styles
    expect = {"Normal": ("仿宋_GB2312", 16), "Title": ("方正小标宋简体", 22), "Heading 1": ("黑体", 16),
              "Heading 2": ("楷体_GB2312", 16), "Footer": ("宋体", 14)}
    for name, (font, size) in expect.items():
        st = styles[name]
        assert _rfonts(st)["eastAsia"] == font, name
        assert _rfonts(st)["ascii"] == "Times New Roman", name
        assert st.font.size == Pt(size), name
        assert not st.font.bold, name
    table = docx.Document(str(sample_docx)).part.package
    fonts = next(p for p in table.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob.decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "华文中宋"), ("楷体_GB2312", "楷体"), ("黑体", "SimHei")):
        assert re.search(rf'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>', fonts), name


def test_title_headings_and_text(document: Any) -> None:
    paras = document.paragraphs
    title = paras[0]
    assert title.style.name == "Title"
    assert title.text.split("\n") == title_lines("沙坡头区香山乡", 2021) == ["沙坡头区香山乡2021年", "政府信息公开工作年度报告"]
    h1 = [p.text for p in paras if p.style.name == "Heading 1"]
    assert h1 == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [p.text for p in paras if p.style.name == "Heading 2"][:2] == ["(一) 主动公开政府信息情况", "（二）依申请公开情况"]
    body = "".join(p.text for p in paras)
    assert "2021年，香山乡2021年未收到政府信息公开申请" in body
    # **bold** of the source: its own run, in 黑体 as the PDF sets it
    strong = [r for p in paras for r in p.runs if r.text == "一是公开的长效机制不够“全”"]
    assert strong and strong[0]._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "黑体"
    # a link stays a link
    rels = [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert [r.target_ref for r in rels] == ["http://www.spt.gov.cn/"]


def test_page_numbers_at_the_outer_corners(document: Any) -> None:
    s = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.alignment is not None and p.alignment.name == align.upper()
        assert p.text.replace("1", "#") == "— # —"  # the PAGE field's shown result is "1"
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        ind = p._p.pPr.find(qn("w:ind"))
        assert int(ind.get(qn(f"w:{align}"))) == 280  # one 4号 character from the edge


@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_tables_have_the_official_merged_cells(document: Any, tid: str) -> None:
    spec = load_spec("2021").tables[tid]
    tables = {t: document.tables[i] for i, t in enumerate(["t2", "t3", "t4"])}
    cells, shape = grid_cells(tables[tid])
    assert shape == SHAPES[tid]
    data, _ = load_table(SAMPLE / spec.file, spec, spec.file)
    labels = {(r, c, rs, cs): text for r, c, rs, cs, text in GRIDS[tid]}
    got_labels = {(r, c, rs, cs): text for r, c, rs, cs, text in cells if labels.get((r, c, rs, cs)) is not None}
    assert got_labels == {k: v for k, v in labels.items() if v is not None}
    assert sorted((r, c, rs, cs) for r, c, rs, cs, _ in cells) == sorted(k for k in labels)
    # every number where the spec places it, as the CSV has it
    numbers = {(r, c): text for r, c, rs, cs, text in cells if labels[(r, c, rs, cs)] is None}
    keys = {(r, c): cell.key for r, row in enumerate(spec.layout) for _, c, cell in row if cell.kind == "d"}
    assert numbers == {rc: cell_text(data, key) for rc, key in keys.items() if key is not None}
    assert all(re.fullmatch(r"\d+(\.\d+)?", n) for n in numbers.values()), numbers
    rows = tables[tid]._tbl.findall(qn("w:tr"))
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)
    head = [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in rows]
    assert head == [i < spec.head for i in range(len(rows))]


def test_signoff_as_in_the_pdf(tmp_path: Path) -> None:
    """落款: the organ's name and the date, right-aligned with the PDF's indents, after an empty line."""
    out = build_docx(ROOTS / "test-pdfgrid", tmp_path)
    d = docx.Document(str(next(out.glob("*.docx"))))
    paras = d.paragraphs
    name, date = paras[-2], paras[-1]
    assert (name.text, date.text) == ("宁夏回族自治区中卫市沙坡头区测试乡人民政府", "2022年1月28日")
    assert paras[-3].text == ""
    name_right, date_right = Signoff(name.text, date.text).indents()
    for p, chars in ((name, name_right), (date, date_right)):
        assert p.alignment is not None and p.alignment.name == "RIGHT"
        assert int(p._p.pPr.find(qn("w:ind")).get(qn("w:right"))) == round(chars * page.CHAR)
    assert paras[0].text.split("\n") == ["宁夏回族自治区中卫市沙坡头区测试乡2021年", "政府信息公开工作年度报告"]


def test_draft_has_the_watermark_on_every_page(tmp_path: Path) -> None:
    out = build_docx(ROOTS / "test-site", tmp_path)
    assert sorted(p.name for p in out.glob("*.docx")) == ["other-2021.docx", "xiangshan-2020.docx", "xiangshan-2021.docx"]
    draft = docx.Document(str(out / "other-2021.docx"))
    s = draft.sections[0]
    for header in (s.header, s.even_page_header):
        xml = header._element.xml
        assert 'string="草稿"' in xml and "PowerPlusWaterMarkObject" in xml
    assert draft.core_properties.category == "草稿"
    final = docx.Document(str(out / "xiangshan-2021.docx"))
    assert "草稿" not in final.sections[0].header._element.xml
    assert final.core_properties.category == ""
    # {value} numbers as the page resolves them from the CSVs
    report = load_report(ROOTS / "test-site", "xiangshan", 2021)

    def value(ref: str) -> str:
        table, row, col = report.spec.resolve(ref)
        return cell_text(report.tables[table.id], (row, col))

    text = "".join(p.text for p in final.paragraphs)
    assert f"本年度新收政府信息公开申请{value('t3.new.total')}件，办结{value('表三/（七）总计/总计')}件。" in text
    assert f"收费{value('t2.fee.amount')}万元。" in text


def test_archive_says_so(tmp_path: Path) -> None:
    out = build_docx(ROOTS / "test-district", tmp_path, strict=False, publish=True)
    assert not (out / "shuiwu-2023.docx").exists()  # withheld (errors): no Word file either
    d = docx.Document(str(out / "xiguan-2021.docx"))
    assert d.core_properties.category == "存档原文"
    texts = [p.text for p in d.paragraphs]
    assert texts[1] == "存档 · 原文照录"  # under the title, as in the PDF
    # its 原文问题: a list, each item's marker hanging before its text
    items = [p for p in d.paragraphs if p.text.startswith("•\t")]
    assert [p.text[2:6] for p in items] == ["R304"]
    ind = items[0]._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:hangingChars")) == "200" and ind.get(qn("w:leftChars")) == "400"


@pytest.mark.slow
def test_libreoffice_converts_it_and_shows_the_tables(sample_docx: Path, tmp_path: Path) -> None:
    pdf = to_pdf(sample_docx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    flat = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "沙坡头区香山乡2021年政府信息公开工作年度报告" in flat
    for label in ["表二", "第二十条第（一）项", "本年收费金额（单位：万元）", "表三", "申请人情况", "法人或其他组织",
                  "（七）总计", "2.其他法律行政法规禁止公开", "四、结转下年度继续办理", "表四", "未经复议直接起诉", "复议后起诉"]:
        assert label in flat, label
    assert "行政规范性文件101" in flat  # 本年制发 1, 废止 0, 现行有效 1
    assert "行政处罚4" in flat
    assert "一、本年新收政府信息公开申请数量0000000" in flat
    assert "000000000000000" in flat  # 表四: fifteen zeros
    assert "—1—" in flat and "—2—" in flat  # the page numbers
    # text pages: 22 lines, one grid line apart, inside the type area from its top
    pitch = (AREA[3] - AREA[1]) / LINES
    for pg in read(pdf)[1:4]:
        body = rows(pg)
        assert len(body) == LINES, (pg.number, len(body))
        steps = [b[0].middle - a[0].middle for a, b in itertools.pairwise(body)]
        assert all(abs(s - pitch) < 0.5 for s in steps), (pg.number, steps)
        assert AREA[1] < body[0][0].y0 < AREA[1] + pitch and body[-1][0].y1 < AREA[3], pg.number
    # "— 1 —" 7 mm below the type area (the dashes at the digits' middle), one 4号 character from its outer edge
    for pg in read(pdf):
        folio = [ln for ln in pg.lines if ln.text == f"—{pg.number}—"]
        assert len(folio) == 1, (pg.number, [ln.text for ln in pg.lines[-3:]])
        assert 6.5 < (folio[0].middle - AREA[3]) / MM < 8.0, pg.number
        gap = AREA[2] - folio[0].x1 if pg.number % 2 else folio[0].x0 - AREA[0]
        assert abs(gap - 14) < 1.5, (pg.number, gap)  # 14 bp: one 4号 character


@pytest.mark.slow
def test_every_report_converts(tmp_path: Path) -> None:
    """Each report of the repository: its .docx converts and its PDF shows its three tables."""
    out = build_docx(ROOT, tmp_path / "docx", conf=ROOT, strict=False)  # their import notes are warnings
    files = sorted(out.glob("*.docx"))
    assert len(files) == len(list((ROOT / "data").glob("*/*/report.toml")))
    for f in files:
        pdf = to_pdf(f, tmp_path / "pdf")
        flat = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
        for label in ("第二十条第（一）项", "申请人情况", "（七）总计", "行政复议"):
            assert label in flat, (f.name, label)


def test_import_gives_back_every_number(sample_docx: Path, root: Path) -> None:
    """make import FILE=xiangshan-2021.docx: the CSVs it writes hold the sample's numbers, every one."""
    made = import_report(root, sample_docx, AGENCY, int(YEAR))
    assert made.parsed.form == "docx"
    for t in load_spec("2021").tables.values():
        want, _ = load_table(SAMPLE / t.file, t, t.file)
        got, findings = load_table(root / "data" / AGENCY / YEAR / t.file, t, t.file)
        assert findings == []
        assert got.values == want.values, t.id
    page_text = (root / "docs" / AGENCY / f"{YEAR}.md").read_text(encoding="utf-8")
    assert page_text.index("## 一、总体情况") < page_text.index("```{report-table} 表二") < page_text.index("## 六、其他需要报告的事项")


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """With SOURCE_DATE_EPOCH, two builds in other folders, time zones and job counts give the same bytes;
    the zip entries' times and the document's dates are that time."""
    epoch = "1643587200"  # 2022-01-31 00:00:00 UTC
    built = []
    for name, tz, jobs in (("first", "UTC", 1), ("second-checkout", "Asia/Shanghai", 2)):
        tree = tmp_path / name
        shutil.copytree(ROOTS / "test-site", tree)
        env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, TZ=tz)
        built.append(build_docx(tree, tree / "_build" / "docx", jobs=jobs, env=env))
    names = sorted(p.name for p in built[0].glob("*.docx"))
    assert names == sorted(p.name for p in built[1].glob("*.docx")) and len(names) == 3
    for n in names:
        assert (built[0] / n).read_bytes() == (built[1] / n).read_bytes(), n
    with zipfile.ZipFile(built[0] / names[0]) as z:
        assert z.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]
        assert {i.date_time for i in z.infolist()} == {(2022, 1, 31, 0, 0, 0)}
    props = docx.Document(str(built[0] / names[0])).core_properties
    want = dt.datetime(2022, 1, 31, tzinfo=dt.UTC)
    assert (props.created, props.modified, props.revision) == (want, want, 1)
    assert props.last_modified_by == props.author != "python-docx"


def test_mirror_beside_the_site(tmp_path: Path) -> None:
    """make docx copies the Word files beside the HTML site (changed ones only) and removes those of gone reports."""
    src, html = tmp_path / "docx", tmp_path / "html"
    src.mkdir()
    (src / "a-2021.docx").write_bytes(b"one")
    assert mirror(src, html / "docx") == 0 and not html.exists()  # no site yet: nothing to do
    html.mkdir()
    (html / "docx").mkdir()
    (html / "docx" / "gone-2020.docx").write_bytes(b"old")
    assert mirror(src, html / "docx") == 1
    assert sorted(p.name for p in (html / "docx").iterdir()) == ["a-2021.docx"]
    assert mirror(src, html / "docx") == 0  # unchanged: not copied again
