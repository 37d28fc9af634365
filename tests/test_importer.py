"""govreport import: a published report's plain text -> page and CSVs.

The two real samples (香山乡 2021 copied from a web page, 淮安市 2024 extracted
from its PDF with ``pdftotext -layout``) are imported and every number compared
with the values written here by hand from the source text. Small synthetic
texts cover what the samples do not: the 2019 layout, "无"/"—" cells,
half-width brackets, a blank cell in a space-aligned table.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from govreport.checks import check_report
from govreport.cli.commands import main
from govreport.format.spec import load_spec
from govreport.importer import AlreadyExists, Imported, Note, import_report, parse_text, sentences
from govreport.model.narrative import read_page

# Copies of shared/seeds/000_0111ab58c84f3498.txt (香山乡 2021) and shared/real-reports/huaian-shi_2024.txt (淮安市 2024)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "xiangshan-2021.txt"
HUAIAN = FIXTURES / "huaian-2024.txt"
T3_COLS = ("natural", "commercial", "research", "public_interest", "legal", "other", "total")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")


def need(path: Path) -> Path:
    assert path.is_file(), f"sample text missing: {path}"
    return path


def csv_rows(path: Path) -> dict[str, list[str]]:
    """Row label -> its cells (trailing blanks of the form's layout dropped)."""
    out: dict[str, list[str]] = {}
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        out[row[0]] = row[1:]
    return out


def table3(path: Path) -> dict[str, list[str]]:
    spec = load_spec().tables["t3"]
    rows = csv_rows(path)
    return {rid: rows[r.label] for rid, r in spec.rows.items()}


def messages(notes: Sequence[Note]) -> list[tuple[int | None, str]]:
    return [(n.line, n.message) for n in notes]


# ------------------------------------------------------------ 香山乡 2021 (web)


@pytest.fixture
def seed(root: Path) -> Imported:
    return import_report(root, need(SEED), "xiangshan", 2021)


def test_seed_tables_every_number(root: Path, seed: Imported) -> None:
    d = root / "data" / "xiangshan" / "2021"
    t2 = csv_rows(d / "table2.csv")
    assert t2["规章"] == ["0", "0", "0"]
    assert t2["行政规范性文件"] == ["1", "0", "1"]
    assert t2["行政许可"][:1] == ["0"]
    assert t2["行政处罚"][:1] == ["4"]
    assert t2["行政强制"][:1] == ["0"]
    assert t2["行政事业性收费"][:1] == ["0"]
    t3 = table3(d / "table3.csv")
    assert t3 == {rid: ["0"] * 7 for rid in load_spec().tables["t3"].rows}
    t4 = csv_rows(d / "table4.csv")
    assert t4["行政复议"] == [""] * 5  # blank in the source: never written as 0
    assert t4["未经复议直接起诉"] == ["0"] * 5
    assert t4["复议后起诉"] == ["0"] * 5
    assert seed.parsed.values["t4"][("review", "upheld")] is None
    assert seed.parsed.mode == "web"
    assert seed.parsed.name == "沙坡头区香山乡"


def test_seed_notes(seed: Imported) -> None:
    got = messages(seed.notes)
    blanks = [(line, m) for line, m in got if m.startswith("表四“行政复议”行")]
    assert [line for line, _ in blanks] == [92] * 5
    assert all("原文空白" in m and "留空" in m for _, m in blanks)
    assert [m.split("”列")[0].split("“")[-1] for _, m in blanks] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert (83, "表三行标签“3.申请”不是官方标签，按所在位置读作“3.其他”") in got
    assert (66, "表三行标签“2.其他法律法规禁止公开”与官方不同，已按“2.其他法律行政法规禁止公开”读取") in got
    assert any(line == 63 and "“(一) 予以公开”已按官方标签“（一）予以公开”" in m for line, m in got)
    assert any(line == 84 and "“(七) 总计”" in m for line, m in got)
    assert (13, "小标题“(一) 主动公开政府信息情况”已改为“（一）主动公开政府信息情况”") in got


def test_seed_page(root: Path, seed: Imported) -> None:
    path = root / "docs" / "xiangshan" / "2021.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 沙坡头区香山乡2021年政府信息公开工作年度报告\n")
    page = read_page(path)
    assert [s.title for s in page.sections] == list(load_spec().sections)

    def body(i: int) -> str:
        return "".join(b.text.replace("\n", "") for b in page.sections[i].blocks if b.kind == "paragraph")

    heads = [b.text for b in page.sections[0].blocks if b.kind == "heading"]
    assert heads == ["（一）主动公开政府信息情况", "（二）依申请公开情况", "（三）政府信息管理情况", "（四）公开平台建设情况", "（五）监督保障情况"]
    for h in heads:
        assert f"\n### {h}\n" in text
    # A paragraph the web page cut mid-word ("具体落实情" / "况如下") is joined again.
    assert "具体落实情况如下:" in body(0)
    assert "2021年,主动公开政府信息共1369条" in body(0)
    assert "重大防疫公告和政策信息。" in body(0)
    assert "决定废止11件、保留4件。" in body(0)
    assert "本报告统计数据从2021年1月1日至12月31日。" in "".join(b.text for b in page.preamble)
    for i, table in ((1, "表二"), (2, "表三"), (3, "表四")):
        assert [(b.name, b.arg) for b in page.sections[i].blocks if b.kind == "directive"] == [("report-table", table)]
        assert body(i) == ""
    assert "**一是公开的长效机制不够“全”**。" in body(4)
    assert "注意借鉴其他乡镇的好做法，收集新情况，总结新经验，认真履行政府信息公开工作的各项职责，主动接受社会监督" in body(4)
    assert body(5) == "无"
    # One sentence per line; bold stays with its sentence.
    assert "\n**二是主动公开政府信息公开的意识还不够“强”**。\n" in text


def test_seed_checks_only_the_blank_cells(root: Path, seed: Imported) -> None:
    result = check_report(root, "xiangshan", 2021)
    # issue 15: the import's notes are kept in import-notes.md, and make check says so (X810) until they are reviewed.
    assert sorted((f.code, f.line, f.column) for f in result.findings) == [
        *(("C201", 2, c) for c in sorted(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])), ("X810", 1, None)]


# ------------------------------------------------------------ 淮安市 2024 (PDF)

HUAIAN_T3 = {
    "new": [3001, 53, 0, 0, 61, 4, 3119],
    "carried_in": [34, 0, 0, 0, 0, 0, 34],
    "open": [1288, 21, 0, 0, 50, 3, 1362],
    "partial": [447, 7, 0, 0, 0, 0, 454],
    "deny_1": [2, 0, 0, 0, 0, 0, 2],
    "deny_2": [30, 1, 0, 0, 0, 0, 31],
    "deny_3": [5, 0, 0, 0, 0, 0, 5],
    "deny_4": [6, 0, 0, 0, 0, 0, 6],
    "deny_5": [7, 1, 0, 0, 0, 0, 8],
    "deny_6": [12, 0, 0, 0, 0, 0, 12],
    "deny_7": [9, 0, 0, 0, 0, 0, 9],
    "deny_8": [105, 0, 0, 0, 0, 0, 105],
    "unable_1": [746, 12, 0, 0, 10, 1, 769],
    "unable_2": [11, 0, 0, 0, 0, 0, 11],
    "unable_3": [1, 0, 0, 0, 0, 0, 1],
    "reject_1": [56, 6, 0, 0, 0, 0, 62],
    "reject_2": [25, 0, 0, 0, 0, 0, 25],
    "reject_3": [0, 0, 0, 0, 0, 0, 0],
    "reject_4": [0, 0, 0, 0, 0, 0, 0],
    "reject_5": [1, 0, 0, 0, 0, 0, 1],
    "other_1": [67, 3, 0, 0, 1, 0, 71],
    "other_2": [6, 0, 0, 0, 0, 0, 6],
    "other_3": [108, 2, 0, 0, 0, 0, 110],
    "total": [2932, 53, 0, 0, 61, 4, 3050],
    "carried_over": [103, 0, 0, 0, 0, 0, 103],
}
HUAIAN_T4 = {
    "review": [72, 64, 178, 37, 351],
    "suit_direct": [13, 4, 8, 1, 26],
    "suit_after": [12, 1, 1, 6, 20],
}


@pytest.fixture
def huaian(root: Path) -> Imported:
    return import_report(root, need(HUAIAN), "huaian", 2024)


def test_huaian_tables_every_number(root: Path, huaian: Imported) -> None:
    d = root / "data" / "huaian" / "2024"
    t2 = csv_rows(d / "table2.csv")
    assert t2["规章"] == ["1", "0", "11"]
    assert t2["行政规范性文件"] == ["8", "26", "66"]
    assert t2["行政许可"][:1] == ["447228"]
    assert t2["行政处罚"][:1] == ["3985758"]
    assert t2["行政强制"][:1] == ["88283"]
    assert t2["行政事业性收费"][:1] == ["96171.6"]
    assert huaian.parsed.values["t2"][("fee", "amount")] == Decimal("96171.6")
    assert table3(d / "table3.csv") == {rid: [str(v) for v in vals] for rid, vals in HUAIAN_T3.items()}
    t4 = csv_rows(d / "table4.csv")
    assert {rid: t4[label] for rid, label in (("review", "行政复议"), ("suit_direct", "未经复议直接起诉"), ("suit_after", "复议后起诉"))} == {
        rid: [str(v) for v in vals] for rid, vals in HUAIAN_T4.items()}
    got = huaian.parsed.values
    assert [[got["t3"][(rid, c)] for c in T3_COLS] for rid in HUAIAN_T3] == list(HUAIAN_T3.values())
    assert [[got["t4"][(rid, c)] for c in T4_COLS] for rid in HUAIAN_T4] == list(HUAIAN_T4.values())
    assert huaian.parsed.mode == "pdf"


def test_huaian_notes(huaian: Imported) -> None:
    got = messages(huaian.notes)
    numbering = [(line, m) for line, m in got if "序号" in m]
    assert [line for line, _ in numbering] == [181, 187, 193]
    assert "“1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”已按官方标签“1.申请人" in numbering[0][1]
    assert "“3、其他”已按官方标签“3.其他”" in numbering[2][1]
    assert all(re.search(r"序号“\d、”应为“\d\.”", m) for _, m in numbering)
    assert (1, "标题之前的 1 行文字不属于报告，已略去") in got
    assert not any("留空" in m or "未导入" in m for _, m in got)


def test_huaian_page_and_checks(root: Path, huaian: Imported) -> None:
    path = root / "docs" / "huaian" / "2024.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 淮安市人民政府2024年政府信息公开工作年度报告\n")
    assert "source:" not in text and "-1-" not in text and "-4-" not in text
    page = read_page(path)
    assert [s.title for s in page.sections] == list(load_spec().sections)
    heads = [b.text for b in page.sections[0].blocks if b.kind == "heading"]
    assert heads == ["（一）主动公开情况", "（二）依申请公开情况", "（三）政府信息管理情况", "（四）政府信息公开平台建设情况", "（五）政府信息公开监督保障情况"]
    one = "".join(b.text.replace("\n", "") for b in page.sections[0].blocks if b.kind == "paragraph")
    # PDF line breaks, the page break and pdftotext's spaces around digits are gone.
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in one
    assert "全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）" in one
    assert "政府信息公开行政复议351件，其中结果维持72件" in one
    five = "".join(b.text.replace("\n", "") for b in page.sections[4].blocks if b.kind == "paragraph")
    assert "还有一些需要加强和改进的地方。" in five
    assert "全年收取政府信息公开信息处理费3940元。" in text
    result = check_report(root, "huaian", 2024)
    assert not [f for f in result.findings if f.code.startswith("R3")]
    assert not [f for f in result.findings if f.code == "P601"]
    assert not result.errors


# ------------------------------------------------------------ synthetic texts


def pdf_line(label: str, cells: Sequence[object]) -> str:
    """A table line as pdftotext -layout writes it: label, then numbers in columns."""
    return label + " " * max(2, 36 - len(label)) + "".join(str(c).rjust(8) for c in cells)


def report(t2: list[str], t3: list[str], t4: list[str], year: int = 2021) -> str:
    return "\n".join([
        f"示例县人民政府{year}年政府信息公开工作年度报告",
        "",
        "   一、总体情况",
        f"   本年度，我县认真落实条例，统计期限自{year}年1月1日至{year}年12月31日。",
        "   二、主动公开政府信息情况",
        *t2,
        "   三、收到和处理政府信息公开申请情况",
        *t3,
        "   四、政府信息公开行政复议、行政诉讼情况",
        *t4,
        "   五、存在的主要问题及改进情况",
        "   无。",
        "   六、其他需要报告的事项",
        "   无。",
    ])


T2_2021 = [
    "第二十条第（一）项",
    "信息内容          本年制发件数     本年废止件数   现行有效件数",
    "规章            0          0        0",
    "行政规范性文件       2          1       5",
]
T4_ZERO = ["行政复议                          行政诉讼", "    " + "       ".join(["0"] * 15)]


def t3_lines(rows: dict[str, tuple[str, list[object]]], legacy: bool = False) -> list[str]:
    """Every row of 表三 with zeros, except ``rows`` (id -> written label, cells)."""
    out = ["                                         申请人情况"]
    for rid, r in load_spec().tables["t3"].rows.items():
        if legacy and rid.startswith("other_"):
            continue
        if legacy and rid == "total":
            out.append(pdf_line("（六）其他处理", [1, 0, 0, 0, 0, 0, 1]))
        label, cells = rows.get(rid, (r.label, [0] * 7))
        out.append(pdf_line(label, cells))
    return out


def test_2019_layout_of_table3_is_recognised() -> None:
    # A 2021-format year (issue 12: a 2020 report now has the 2019 format's own spec).
    text = report(T2_2021, t3_lines({}, legacy=True), T4_ZERO, 2022)
    parsed = parse_text(text, 2022)
    assert parsed.layout == "2019"
    values = parsed.values["t3"]
    assert all(values[(f"other_{i}", c)] is None for i in (1, 2, 3) for c in T3_COLS)
    assert values[("open", "total")] == 0 and values[("carried_over", "natural")] == 0
    line = text.split("\n").index(pdf_line("（六）其他处理", [1, 0, 0, 0, 0, 0, 1])) + 1
    notes = messages(parsed.notes)
    assert any(n == line and "2019 年格式" in m and "1 0 0 0 0 0 1" in m for n, m in notes)
    assert not any("没有找到“1.申请人" in m for _, m in notes)


def test_2019_layout_in_a_2021_report_is_an_error_note() -> None:
    web = [
        "\t".join(["一、本年新收政府信息公开申请数量", "", *["0"] * 7]),
        "\t".join(["三、本年度办理结果", "(一) 予以公开", *["0"] * 7]),
        "\t".join(["", "(六) 其他处理", *["2"] * 6, "12"]),
        "\t".join(["(七) 总计", "", *["0"] * 7]),
    ]
    t2_2019 = ["第二十条第（一）项\t\t\t", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", "规章\t0\t0\t0", "规范性文件\t3\t3\t9"]
    parsed = parse_text(report(t2_2019, web, T4_ZERO), 2021)
    assert parsed.mode == "web" and parsed.layout == "2019"
    notes = [m for _, m in messages(parsed.notes)]
    assert any(m.startswith("表二是 2019 年格式") and "本年新制作数量" in m for m in notes)
    assert any(m.startswith("表三是 2019 年格式") and "2 2 2 2 2 2 12" in m for m in notes)
    assert any("2021 年的报告应使用 2021 年格式" in m for m in notes)
    assert all(v is None for v in parsed.values["t2"].values())  # 2019 columns differ: nothing carried over


def test_nothing_words_are_reported_and_left_blank() -> None:
    t3 = t3_lines({"deny_3": ("3.危及“三安全一稳定”", ["—", "无", 0, 0, 0, 0, 0])})
    t4 = ["行政复议\t\t\t\t\t行政诉讼", "\t".join(["无", "—", "/", "0", "0", *["0"] * 10])]
    text = report(T2_2021, t3, t4)
    parsed = parse_text(text, 2021)
    lines = text.split("\n")
    row = next(i for i, ln in enumerate(lines, 1) if ln.startswith("3.危及"))
    assert parsed.values["t3"][("deny_3", "natural")] is None
    assert parsed.values["t3"][("deny_3", "commercial")] is None
    assert parsed.values["t3"][("deny_3", "research")] == 0
    notes = messages(parsed.notes)
    assert (row, "表三“3.危及“三安全一稳定””行“自然人”列：原文为“—”，不是数字，未导入（CSV 中留空）") in notes
    assert (row, "表三“3.危及“三安全一稳定””行“商业企业”列：原文为“无”，不是数字，未导入（CSV 中留空）") in notes
    assert [parsed.values["t4"][("review", c)] for c in T4_COLS] == [None, None, None, 0, 0]
    assert sum("表四“行政复议”行" in m and "不是数字" in m for _, m in notes) == 3


def test_half_width_brackets_and_spaces_in_labels() -> None:
    t3 = t3_lines({
        "open": ("(一)予以公开", [1, 0, 0, 0, 0, 0, 1]),
        "partial": ("(二) 部分公开(区分处理的,只计这一情形,不计其他情形)", [0] * 7),
        "total": ("(七)总计", [1, 0, 0, 0, 0, 0, 1]),
        "new": ("一、本年新收政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    })
    parsed = parse_text(report(T2_2021, t3, T4_ZERO), 2021)
    v = parsed.values["t3"]
    assert [v[("open", c)] for c in T3_COLS] == [1, 0, 0, 0, 0, 0, 1]
    assert [v[("total", c)] for c in T3_COLS] == [1, 0, 0, 0, 0, 0, 1]
    notes = [m for _, m in messages(parsed.notes)]
    assert "表三行标签“(一)予以公开”已按官方标签“（一）予以公开”读取（半角括号应为全角括号（））" in notes
    assert any(m.startswith("表三行标签“(二) 部分公开(") and "半角括号" in m for m in notes)
    assert any(m.startswith("表三行标签“(七)总计”") for m in notes)
    assert not any(m.startswith("表三") and "留空" in m for m in notes)


def test_blank_cell_in_a_space_aligned_table_stays_in_its_column() -> None:
    t3 = t3_lines({"unable_1": ("1.本机关不掌握相关政府信息", [3, 1, "", 0, 0, 0, 4])})
    text = report(T2_2021, t3, T4_ZERO)
    parsed = parse_text(text, 2021)
    assert [parsed.values["t3"][("unable_1", c)] for c in T3_COLS] == [3, 1, None, 0, 0, 0, 4]
    row = next(i for i, ln in enumerate(text.split("\n"), 1) if ln.startswith("1.本机关"))
    assert (row, "表三“1.本机关不掌握相关政府信息”行“科研机构”列：原文空白，未导入（CSV 中留空）") in messages(parsed.notes)


def test_label_broken_across_lines_and_numbered_1_dun() -> None:
    t3 = t3_lines({"reject_5": ("5、要求行政机关确认或重新出", [0] * 7)})
    at = next(i for i, ln in enumerate(t3) if ln.startswith("5、要求"))
    t3[at:at + 1] = ["5、要求行政机关确认或重新出", pdf_line("", [2, 0, 0, 0, 0, 0, 2]), "具已获取信息"]
    parsed = parse_text(report(T2_2021, t3, T4_ZERO), 2021)
    assert [parsed.values["t3"][("reject_5", c)] for c in T3_COLS] == [2, 0, 0, 0, 0, 0, 2]
    assert any("“5、要求行政机关确认或重新出具已获取信息”已按官方标签“5.要求行政机关确认或重新出具已获取信息”" in m
               for _, m in messages(parsed.notes))


def test_web_labels_split_across_cells_spaces_and_odd_numbers() -> None:
    t3 = [
        "\t".join(["一、本年新收政府信息公开申请数量", "", "1,369", "０", "0", "0", "0", "0", "1369"]),
        "\t".join(["三、本年度办理结果", "（二）部分公开", "（区分处理的，只计这一情形，不计其他情形）", *["0"] * 7]),
        "\t".join(["", "(三) 不予公开", "1. 属于 国家秘密", *["0"] * 7]),
    ]
    text = report(T2_2021, t3, T4_ZERO)
    parsed = parse_text(text, 2021)
    v = parsed.values["t3"]
    assert [v[("new", c)] for c in T3_COLS] == [1369, 0, 0, 0, 0, 0, 1369]
    assert [v[("partial", c)] for c in T3_COLS] == [0] * 7
    assert [v[("deny_1", c)] for c in T3_COLS] == [0] * 7
    lines = text.split("\n")
    row = lines.index(t3[0]) + 1
    notes = messages(parsed.notes)
    assert (row, "表三“一、本年新收政府信息公开申请数量”行“自然人”列：原文“1,369”带千位分隔符，按“1369”读取") in notes
    assert (row, "表三“一、本年新收政府信息公开申请数量”行“商业企业”列：原文“０”是全角数字，按“0”读取") in notes
    assert any(n == row + 2 and m.startswith("表三行标签“1. 属于 国家秘密”已按官方标签“1.属于国家秘密”读取") for n, m in notes)
    assert not any("部分公开" in m for _, m in notes)  # split over two cells, but the official words


def test_pdf_page_numbers_running_heads_and_broken_paragraphs() -> None:
    head = "          示例县人民政府2021年政府信息公开工作年度报告"
    text = report(T2_2021, t3_lines({}), T4_ZERO).replace(
        "   本年度，我县认真落实条例，", "\n".join([
            "   本年度，我县认真落实《中华人民共和国政府信息公开条例》，做好",
            "",
            "                    —1—",
            head,
            "主动公开工作，",
        ])).replace("   五、存在的主要问题及改进情况", f"                    - 2 -\n{head}\n   五、存在的主要问题及改进情况").replace(
        "   六、其他需要报告的事项", f"第 3 页\n{head}\n   六、其他需要报告的事项")
    parsed = parse_text(text, 2021)
    paras = [b.text for b in parsed.sections[0] if b.kind == "para"]
    assert paras == ["本年度，我县认真落实《中华人民共和国政府信息公开条例》，做好主动公开工作，统计期限自2021年1月1日至2021年12月31日。"]
    assert parsed.name == "示例县人民政府"
    assert (None, "已删除页码 3 处、页眉 3 处") in messages(parsed.notes)
    assert [b.text for b in parsed.sections[4]] == ["无。"]


def test_sentences_and_run_in_headings() -> None:
    assert sentences("一是甲。**二是乙**。三是“丙。”后来（注：丁。戊）完。") == ["一是甲。", "**二是乙**。", "三是“丙。”", "后来（注：丁。戊）完。"]
    text = report(T2_2021, t3_lines({}), T4_ZERO).replace(
        "   本年度，我县", "   （一）主动公开情况。本年度，我县")
    parsed = parse_text(text, 2021)
    assert [(b.kind, b.text[:7]) for b in parsed.sections[0]] == [("heading", "（一）主动公开"), ("para", "本年度，我县认")]


# ------------------------------------------------------------ files and CLI


def test_never_overwrites_without_force(root: Path) -> None:
    import_report(root, need(SEED), "xiangshan", 2021)
    page = root / "docs" / "xiangshan" / "2021.md"
    page.write_text("# 改过的页面\n", encoding="utf-8")
    with pytest.raises(AlreadyExists):
        import_report(root, SEED, "xiangshan", 2021)
    assert page.read_text(encoding="utf-8") == "# 改过的页面\n"
    import_report(root, SEED, "xiangshan", 2021, force=True)
    assert page.read_text(encoding="utf-8").startswith("# 沙坡头区香山乡2021年")


def test_report_toml_shape(root: Path, seed: Imported) -> None:
    toml = (root / "data" / "xiangshan" / "2021" / "report.toml").read_text(encoding="utf-8")
    assert 'agency = "沙坡头区香山乡"' in toml
    assert 'full_name = "沙坡头区香山乡"' in toml
    assert 'format = "2021"' in toml


def test_cli_prints_notes_then_findings(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(root)
    assert main(["import", str(need(SEED)), "xiangshan", "2021", "--full-name", "中卫市沙坡头区香山乡人民政府"]) == 0
    out = capsys.readouterr().out.splitlines()
    first_finding = next(i for i, ln in enumerate(out) if " C201 " in ln)
    assert out[0].startswith("xiangshan-2021.txt:")
    assert any(ln.startswith("xiangshan-2021.txt:83: ") and "3.申请" in ln for ln in out[:first_finding])
    assert "写入 docs/xiangshan/2021.md" in out[:first_finding]
    assert sum(" C201 " in ln for ln in out) == 5
    assert 'full_name = "中卫市沙坡头区香山乡人民政府"' in (root / "data/xiangshan/2021/report.toml").read_text(encoding="utf-8")
    assert main(["import", str(SEED), "xiangshan", "2021"]) == 1
    assert "已存在" in capsys.readouterr().err
