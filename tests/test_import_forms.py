"""Each form the importer reads, built here with merged cells like the real form:
the office's Word file (python-docx), a Word-exported saved page, flattened text,
a Markdown conversion; and an import that finds no table never pretends."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from govreport.cli.commands import main
from govreport.importer import Incomplete, import_report, read_file
from govreport.model.csvload import load_table
from report_forms import SPEC, TITLE, YEAR, values, word_html, write_docx


def written(root: Path, agency: str) -> dict[tuple[str, str, str], object]:
    """The numbers in the imported CSVs, read back with the project's loader (derived cells left out)."""
    out: dict[tuple[str, str, str], object] = {}
    for t in SPEC.tables.values():
        data, _ = load_table(root / "data" / agency / str(YEAR) / t.file, t, t.file)
        out |= {(t.id, r, c): v for (r, c), v in data.values.items() if (r, c) not in data.derived}
    return out


def test_docx_every_number(root: Path, tmp_path: Path) -> None:
    src = tmp_path / "示范县2024年报.docx"
    write_docx(src)
    made = import_report(root, src, "shifan", YEAR)
    assert made.parsed.form == "docx"
    assert made.parsed.name == "示范县人民政府"
    assert made.parsed.problems == []
    assert written(root, "shifan") == values()
    page = (root / "docs" / "shifan" / f"{YEAR}.md").read_text(encoding="utf-8")
    assert "本报告统计期间自2024年1月1日起至2024年12月31日止。" in page
    assert page.index("## 一、总体情况") < page.index("## 二、主动公开政府信息情况") < page.index("```{report-table} 表二")


def test_word_html_every_number_and_no_chrome(root: Path, tmp_path: Path) -> None:
    src = tmp_path / "page.html"
    src.write_text(word_html(), encoding="utf-8")
    made = import_report(root, src, "shifan", YEAR)
    assert (made.parsed.form, made.parsed.name, made.parsed.problems) == ("html", "示范县人民政府", [])
    assert written(root, "shifan") == values()
    page = (root / "docs" / "shifan" / f"{YEAR}.md").read_text(encoding="utf-8")
    for chrome in ("当前位置", "首页", "分享到", "打印本页", "附件下载", "发布时间", "栏目导航", "版权所有", "var x"):
        assert chrome not in page, chrome
    assert "本年度未收取信息处理费。" in page


def test_html_350_kb_under_a_second(tmp_path: Path) -> None:
    text = word_html(filler=2430)
    assert 340_000 <= len(text.encode("utf-8")) <= 380_000, len(text.encode("utf-8"))
    src = tmp_path / "big.html"
    src.write_text(text, encoding="utf-8")
    best = min(_timed(src) for _ in range(3))
    assert best < 1.0, f"{best:.2f} s"


def _timed(src: Path) -> float:
    start = time.perf_counter()
    parsed = read_file(src, YEAR)
    took = time.perf_counter() - start
    assert parsed.values["t3"][("new", "total")] == 12
    return took


FLAT = (TITLE + "\n一、总体情况 本报告统计期间为2024年1月1日至2024年12月31日。二、主动公开政府信息情况"
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件111"
        "第二十条第（五）项信息内容本年处理决定数量行政许可5第二十条第（六）项信息内容本年处理决定数量行政处罚0行政强制0"
        "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0"
        "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        "一、本年新收政府信息公开申请数量{new}二、上年结转政府信息公开申请数量0000000"
        "三、本年度办理结果（一）予以公开{open}（七）总计{total}四、结转下年度继续办理0000000"
        "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计{t4}"
        "五、存在的主要问题及改进情况无。六、其他需要报告的事项无。\n")


def flat(tmp_path: Path, **kw: str) -> Path:
    src = tmp_path / "flat.txt"
    src.write_text(FLAT.format(**{"new": "15130000154", "open": "15130000154", "total": "15130000154", "t4": "100010000000000"} | kw), encoding="utf-8")
    return src


def test_flat_unique_splits(tmp_path: Path) -> None:
    parsed = read_file(flat(tmp_path), YEAR)
    assert parsed.form == "flat"
    t3 = parsed.values["t3"]
    assert [t3[("new", c)] for c in SPEC.tables["t3"].rows["new"].cols] == [151, 3, 0, 0, 0, 0, 154]
    assert parsed.values["t2"][("normative", "issued")] == 1  # "111": three cells, one digit each
    t4 = parsed.values["t4"]
    assert [t4[k] for k in SPEC.tables["t4"].keys()] == [1, 0, 0, 0, 1, *[0] * 10]


def test_flat_ambiguous_row_left_blank_with_candidates(tmp_path: Path) -> None:
    # 330000033: 33|0|0|0|0|0|33 or 3|30|0|0|0|0|33 both make 33; no other row of the table decides it here
    # (the results' column sums are not all present), so the row stays blank and the note shows both.
    parsed = read_file(flat(tmp_path, new="330000033", open="4000004", total="4000004"), YEAR)
    assert all(parsed.values["t3"][("new", c)] is None for c in SPEC.tables["t3"].rows["new"].cols)
    note = next(n for n in parsed.notes if "330000033" in n.message)
    assert "33 0 0 0 0 0 33" in note.message and "3 30 0 0 0 0 33" in note.message
    assert (note.line, note.col) == (2, FLAT.split("\n")[1].index("{new}") + 1)


def test_no_table_is_an_error_not_five_files(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "news.txt"
    src.write_text(TITLE + "\n一、总体情况\n2024年，示范县政务公开工作取得新进展。\n", encoding="utf-8")
    with pytest.raises(Incomplete):
        import_report(root, src, "shifan", YEAR)
    assert not (root / "data" / "shifan").exists() and not (root / "docs" / "shifan").exists()
    import os

    os.chdir(root)
    assert main(["import", str(src), "shifan", str(YEAR)]) == 1
    err = capsys.readouterr().err
    assert "news.txt 读作PDF 转出的文字（pdftotext -layout），以下内容没有找到：" in err
    assert "表三（收到和处理政府信息公开申请情况）：没有找到" in err
    assert "“二、主动公开政府信息情况”一节：没有找到（前一节之后是“2024年，示范县政务公开工作取得新进展。”）" in err
    assert "news.txt:3: " in err
    assert not (root / "data" / "shifan").exists()


def test_force_writes_a_partial_import_and_says_so(root: Path, tmp_path: Path) -> None:
    src = tmp_path / "news.txt"
    src.write_text(TITLE + "\n一、总体情况\n2024年，示范县政务公开工作取得新进展。\n", encoding="utf-8")
    made = import_report(root, src, "shifan", YEAR, force=True)
    notes = (root / "data" / "shifan" / str(YEAR) / "import-notes.md").read_text(encoding="utf-8")
    assert "## 部分导入：以下内容没有找到" in notes and "表四（政府信息公开行政复议、行政诉讼情况）" in notes
    assert made.notes[0].message.startswith("部分导入：")


def test_notes_file_lists_every_note_with_its_position(root: Path, tmp_path: Path) -> None:
    src = flat(tmp_path, new="330000033", open="4000004", total="4000004")
    made = import_report(root, src, "shifan", YEAR, force=True)
    text = (root / "data" / "shifan" / str(YEAR) / "import-notes.md").read_text(encoding="utf-8")
    assert text.startswith("# 导入说明：示范县人民政府 2024 年度")
    assert "读作压平的网页文字" in text
    for n in made.notes:
        assert n.message in text
    assert f"`flat.txt:2:{FLAT.split(chr(10))[1].index('{new}') + 1}`" in text


def test_title_furniture_is_not_the_name(tmp_path: Path) -> None:
    src = tmp_path / "t.txt"
    src.write_text(FLAT.replace(TITLE, "标题: " + TITLE + "\n发布时间: 2025-01-20 10:00\n文号: \n栏目: 政府信息公开年报")
                   .format(new="15130000154", open="15130000154", total="15130000154", t4="100010000000000"), encoding="utf-8")
    parsed = read_file(src, YEAR)
    assert (parsed.name, parsed.title_year) == ("示范县人民政府", 2024)
    assert all("发布时间" not in b.text for b in parsed.preamble)


def test_fee_with_six_decimals(tmp_path: Path) -> None:
    src = tmp_path / "f.txt"
    src.write_text(FLAT.replace("行政事业性收费0", "行政事业性收费4166.241619")
                   .format(new="15130000154", open="15130000154", total="15130000154", t4="100010000000000"), encoding="utf-8")
    assert read_file(src, YEAR).values["t2"][("fee", "amount")] == Decimal("4166.241619")


@pytest.mark.parametrize(("magic", "hint"), [(b"%PDF-1.7\n", "不是可以读取的 PDF 文件"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "另存为 .docx")])
def test_forms_to_convert_first_say_how(root: Path, tmp_path: Path, magic: bytes, hint: str) -> None:
    src = tmp_path / "报告.bin"
    src.write_bytes(magic + b"\0" * 64)
    with pytest.raises(ValueError, match=hint):
        import_report(root, src, "shifan", YEAR)
