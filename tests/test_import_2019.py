"""Import of reports in the 2019 format (国办公开办函〔2019〕60号): a 2020 report into the 2019 grid, in every
form the readers support; a 2022 report that kept 2019's single （六） row into the 2021 grid; a 2020 report
written in the 2021 grid kept in it; and the project's own HTML of a 2019 report read back.

The sources (tests/fixtures/format2019/) are written by ``forms2019`` from ``specs/gov2019.yaml`` with numbers
that satisfy the 2019 relations; ``forms2019.values`` is their truth.
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import forms2019
import pytest
from govreport.checks import check_report
from govreport.format.spec import load_spec
from govreport.importer import Parsed, import_report, read_file
from govreport.importer.text import read_text
from govreport.model.csvload import load_table
from sphinx.testing.util import SphinxTestApp

FIXTURES = Path(__file__).parent / "fixtures" / "format2019"
FORMS = {
    "shifan-2020-tab.txt": ("tab", lambda r: r.tab_text()),
    "shifan-2020-pdftotext.txt": ("pdftotext", lambda r: r.pdf_text()),
    "shifan-2020-flat.txt": ("flat", lambda r: r.flat_text()),
    "shifan-2020.html": ("html", lambda r: r.html_page()),
    "shifan-2020.md": ("markdown", lambda r: r.markdown()),
}
S2019, S2021 = load_spec("2019"), load_spec("2021")
#: 表二 rows of the flattened text whose digit runs split in several ways (2019 表二 has no relation to decide).
FLAT_AMBIGUOUS = {"rules": "1 1 12", "normative": "6 5 48", "license": "35 -2 417", "other_services": "14 3 96",
                  "penalty": "8 0 1275", "coercion": "2 1 33", "purchase": "27 1536.42"}


def compare(parsed: Parsed, truth: dict[tuple[str, str, str], forms2019.Value], spec_tables: list[str]) -> tuple[int, list, list]:
    """``(right, wrong or invented, left blank)`` over every cell of the grids ``parsed`` filled (a cell the
    truth does not have, such as 2021's （六） items of a 2019 table, is right only when left blank)."""
    right, wrong, blank = 0, [], []
    for tid in spec_tables:
        for key, got in parsed.values[tid].items():
            want = truth.get((tid, *key))
            if got is None:
                blank.append((tid, *key))
            elif want is not None and Decimal(got) == Decimal(want):
                right += 1
            else:
                wrong.append((tid, *key, want, got))
    return right, wrong, blank


def read(tmp_path: Path, name: str, text: str, year: int) -> Parsed:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_file(path, year)


def test_fixtures_are_what_the_generator_writes() -> None:
    report = forms2019.Report()
    for name, (_, render) in FORMS.items():
        assert (FIXTURES / name).read_text(encoding="utf-8") == render(report), name


@pytest.mark.parametrize("name", [*FORMS, "word.docx"])
def test_a_2020_report_in_the_2019_format_imports_into_the_2019_grid(tmp_path: Path, name: str) -> None:
    if name == "word.docx":
        path = tmp_path / name
        forms2019.Report().write_docx(path)
        form = "docx"
    else:
        path, form = FIXTURES / name, FORMS[name][0]
    parsed = read_file(path, 2020)
    assert (parsed.form, parsed.version, parsed.layout, parsed.problems) == (form, "2019", "2019", [])
    assert set(parsed.values) == {"t2", "t3", "t4"}
    assert {k for v in parsed.values.values() for k in v} == {k for t in S2019.tables.values() for k in t.keys()}
    right, wrong, blank = compare(parsed, forms2019.values(), list(S2019.tables))
    assert wrong == []
    if form == "flat":
        assert sorted(blank) == sorted(("t2", rid, col) for rid in FLAT_AMBIGUOUS for col in S2019.tables["t2"].rows[rid].cols)
        assert right == 198 - 20
        for rid, cells in FLAT_AMBIGUOUS.items():  # the true split is among the candidates the note shows
            label = S2019.tables["t2"].rows[rid].label
            assert any(f"“{label}”行的数字" in n.message and "无法确定" in n.message and cells in n.message for n in parsed.notes), rid
    else:
        assert (right, blank) == (198, [])
    assert not any("格式" in n.message for n in parsed.notes)  # the right format: nothing to say about it


def test_signed_cells_and_the_fee_row(tmp_path: Path) -> None:
    tab = read_file(FIXTURES / "shifan-2020-tab.txt", 2020).values["t2"]
    assert (tab[("license", "change")], tab[("fee", "change")], tab[("purchase", "purchase_amount")]) == (-2, -1, Decimal("1536.42"))
    flat = read_file(FIXTURES / "shifan-2020-flat.txt", 2020).values["t2"]
    assert (flat[("fee", "last_count")], flat[("fee", "change")]) == (9, -1)  # "9-1": the minus opens the signed cell


def test_a_count_column_never_takes_a_minus(tmp_path: Path) -> None:
    text = forms2019.Report().tab_text().replace("规章\t1\t1\t12", "规章\t-1\t1\t12")
    parsed = read(tmp_path, "neg.txt", text, 2020)
    assert parsed.values["t2"][("rules", "made")] is None
    assert any("“规章”行“本年新制作数量”列：原文为负数“-1”" in n.message for n in parsed.notes)


def test_flat_table3_is_split_by_the_2019_relations() -> None:
    parsed = read_file(FIXTURES / "shifan-2020-flat.txt", 2020)
    t3 = parsed.values["t3"]
    assert [t3[("unable_1", c)] for c in S2019.tables["t3"].columns] == [18, 1, 0, 0, 0, 0, 19]
    assert any("“1.本机关不掌握相关政府信息”行" in n.message and "按表三的列合计（勾稽关系、办理结果合计）只有一种" in n.message
               for n in parsed.notes)
    assert [t3[("other", c)] for c in S2019.tables["t3"].columns] == [5, 1, 0, 0, 0, 0, 6]


def test_the_published_2019_table2_on_five_physical_columns() -> None:
    html = (FIXTURES / "shifan-2020.html").read_text(encoding="utf-8")
    assert "<td colspan=2 style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span lang=EN-US>27</span>" in html
    t2 = read_file(FIXTURES / "shifan-2020.html", 2020).values["t2"]
    assert (t2[("purchase", "purchases")], t2[("purchase", "purchase_amount")], t2[("fee", "change")]) == (27, Decimal("1536.42"), -1)


# ---------------------------------------------------- a 2022 report with 2019's single （六） row


MIXED = {"tab.txt": "tab_text", "pdf.txt": "pdf_text", "flat.txt": "flat_text", "page.html": "html_page", "conv.md": "markdown",
         "word.docx": ""}


@pytest.mark.parametrize("name", MIXED)
def test_a_2022_report_with_one_six_row_keeps_the_rows_of_both_formats(tmp_path: Path, name: str) -> None:
    report = forms2019.Report(forms2019.mixed_spec(), 2022)
    if name == "word.docx":
        path = tmp_path / name
        report.write_docx(path)
        parsed = read_file(path, 2022)
    else:
        parsed = read(tmp_path, name, getattr(report, MIXED[name])(), 2022)
    assert (parsed.version, parsed.layout, parsed.problems) == ("2021", "2019", [])
    right, wrong, blank = compare(parsed, report.vals, list(S2021.tables))
    assert wrong == []
    split = [("t3", f"other_{i}", c) for i in (1, 2, 3) for c in S2021.tables["t3"].columns]
    flat_t2 = [("t2", "normative", c) for c in ("issued", "repealed", "in_force")] if name == "flat.txt" else []  # "4127": 3 splits
    assert sorted(blank) == sorted([*split, *flat_t2])
    assert right == 200 - 21 - len(flat_t2)
    six = [n for n in parsed.notes if "“（六）其他处理”不分 3 项" in n.message]
    assert len(six) == 1 and "5 1 0 0 0 0 6" in six[0].message and "2019 年格式（国办公开办函〔2019〕60号）" in six[0].message
    assert any(n.message == "2022 年的报告应使用 2021 年格式（国办公开办函〔2021〕30号），原文却用了 2019 年格式（国办公开办函〔2019〕60号）"
               for n in parsed.notes)


# ---------------------------------------------------- a 2020 report in the 2021 grid


def test_a_2020_report_in_the_2021_grid_stays_in_it(tmp_path: Path) -> None:
    report = forms2019.Report(S2021, 2020)
    parsed = read(tmp_path, "new.txt", report.tab_text(), 2020)
    assert (parsed.version, parsed.layout, parsed.problems) == ("2021", "2021", [])
    assert compare(parsed, report.vals, list(S2021.tables)) == (200, [], [])
    assert parsed.notes[0].message.startswith("原文用的是 2021 年格式（国办公开办函〔2021〕30号），2020 年的报告也可以用它")


def test_read_in_the_2019_grid_a_2021_table_never_gives_an_item_for_the_six_row() -> None:
    report = forms2019.Report(S2021, 2020)
    parsed = read_text(report.tab_text(), 2020, version="2019")
    assert parsed.layout == "2021"
    assert all(parsed.values["t3"][("other", c)] is None for c in S2019.tables["t3"].columns)
    assert any(n.message.startswith("表三是 2021 年格式（国办公开办函〔2021〕30号）：“（六）其他处理”分为“1.申请人无正当理由") for n in parsed.notes)
    assert parsed.values["t2"] == dict.fromkeys(S2019.tables["t2"].keys())  # 2021 columns: refused, with a note
    assert any("表二是 2021 年格式" in n.message and "请按 2019 年格式填写 table2.csv" in n.message for n in parsed.notes)


# ---------------------------------------------------- make import, make check


def test_import_writes_the_2019_grid_and_it_checks_clean(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    made = import_report(tmp_path, FIXTURES / "shifan-2020-pdftotext.txt", "shifan", 2020)
    data = tmp_path / "data" / "shifan" / "2020"
    assert 'format = "2019"' in (data / "report.toml").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO((data / "table2.csv").read_text(encoding="utf-8-sig"))))
    assert rows[:3] == [["第二十条第（一）项", "", "", ""], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "1", "1", "12"]]
    assert rows[6] == ["行政许可", "35", "-2", "417"] and rows[-1] == ["政府集中采购", "27", "1536.42", ""]
    assert made.parsed.name == "示范镇人民政府"
    result = check_report(tmp_path, "shifan", 2020)
    assert [(f.code, f.severity) for f in result.findings] == [("X810", "warning")]


# ---------------------------------------------------- the project's own HTML, read back


@pytest.mark.sphinx("html", testroot="format2019")
def test_the_projects_html_of_a_2020_report_imports_back(app: SphinxTestApp, rootdir: Path, tmp_path: Path) -> None:
    app.build()
    page = tmp_path / "2020.html"
    shutil.copy(Path(app.outdir) / "demo" / "2020.html", page)
    parsed = read_file(page, 2020)
    assert (parsed.form, parsed.version, parsed.problems, parsed.name) == ("html", "2019", [], "测试乡")
    source = rootdir / "test-format2019" / "data" / "demo" / "2020"
    cells = 0
    for t in S2019.tables.values():
        data, _ = load_table(source / t.file, t, t.file)
        assert parsed.values[t.id] == data.values, t.id
        cells += len(data.values)
    assert cells == 198
    assert not any("¶" in n.message or "章节标题" in n.message for n in parsed.notes)


def test_pdftotext_of_the_projects_own_2020_pdf() -> None:
    """``shifan-2020-pdf-layout.txt``: ``pdftotext -layout`` of the PDF the project typeset (``make latex pdf``) from
    ``shifan-2020.html`` imported with ``make import`` (merged labels split over lines, 本年增/减 centred in its
    two columns, page numbers)."""
    parsed = read_file(FIXTURES / "shifan-2020-pdf-layout.txt", 2020)
    assert (parsed.form, parsed.version, parsed.problems, parsed.name) == ("pdftotext", "2019", [], "示范镇人民政府")
    assert compare(parsed, forms2019.values(), list(S2019.tables)) == (198, [], [])
    assert [n.message for n in parsed.notes] == ["已删除页码 2 处"]
