"""Bad input gets a clear answer, never a traceback.

The catalogue of bad inputs: each case builds one bad CSV from the sample report
(香山乡 2021) and asserts the whole list of findings, code and location, so any
extra or missing finding fails. Lines are CSV lines (1-based), columns the
official column label (None for file, row-label and header findings).
"""

from __future__ import annotations

import io
import os
import random
import shutil
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from govreport.checks import check_relations, check_report
from govreport.findings import CATALOGUE, Finding, Severity, flatten
from govreport.format.spec import load_spec
from govreport.model.csvload import TableData, load_table
from sample import PAGE, SAMPLE

SPEC = load_spec("2021")
FILE = {tid: t.file for tid, t in SPEC.tables.items()}
REL = {tid: f"data/x/2021/{name}" for tid, name in FILE.items()}
T2, T3, T4 = REL["t2"], REL["t3"], REL["t4"]

# Lines of the sample files:
#   table2.csv  1 第二十条第（一）项  2 header  3 规章  4 行政规范性文件  5 title  6 header  7 行政许可
#               8 title  9 header  10 行政处罚  11 行政强制  12 title  13 header  14 行政事业性收费
#   table3.csv  1 header  2 一、新收  3 二、上年结转  4 （一）  5 （二）  6–13 （三）1.–8.
#               14–16 （四）1.–3.  17–21 （五）1.–5.  22–24 （六）1.–3.  25 （七）总计  26 四、结转下年度
#   table4.csv  1 header  2 行政复议  3 未经复议直接起诉  4 复议后起诉


def text(tid: str) -> str:
    return (SAMPLE / FILE[tid]).read_text(encoding="utf-8")


def lines(tid: str) -> list[str]:
    return text(tid).splitlines()


def csv_of(rows: list[str], end: str = "\n") -> str:
    return end.join(rows) + end


def replace(tid: str, n: int, new: str) -> str:
    """The sample ``tid`` with line ``n`` replaced."""
    rows = lines(tid)
    rows[n - 1] = new
    return csv_of(rows)


def drop(tid: str, *ns: int) -> str:
    return csv_of([r for i, r in enumerate(lines(tid), start=1) if i not in ns])


def cell(value: str) -> str:
    """表四 with ``value`` as 行政复议 / 结果维持 (line 2, field 2)."""
    return replace("t4", 2, f"行政复议,{value},0,0,0,0")


def without_last_column(tid: str) -> str:
    return csv_of([r.rsplit(",", 1)[0] for r in lines(tid)])


def load(tmp_path: Path, tid: str, content: str | bytes | None) -> tuple[TableData, list[Finding]]:
    """Write ``content`` (None: no file) as table ``tid`` and read it back."""
    path = tmp_path / FILE[tid]
    if content is not None:
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return load_table(path, SPEC.tables[tid], REL[tid])


def xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buf.getvalue()


def excel_style(tid: str) -> str:
    """What Excel writes: CRLF, every line padded to the widest, blank lines at the end."""
    return csv_of([r + ",," for r in lines(tid)] + [","] * 3, end="\r\n")


T3_2019 = csv_of([*lines("t3")[:21], "（六）其他处理,0,0,0,0,0,0,0", *lines("t3")[24:]])
T2_NO_TITLES = csv_of([r for r in lines("t2") if not r.startswith("第二十条")])
T2_TABS = csv_of([r.rstrip(",").replace(",", "\t") for r in lines("t2")])  # title lines hold no tab
T3_QUOTED = csv_of(
    [
        *lines("t3")[:3],
        '"（一）予以公开",0,"0",0,0,0,0,0',
        '"（二）部分公开（区分处理的，\n只计这一情形，不计其他情形）",0,0,0,0,0,0,0',  # lines 5–6
        *lines("t3")[5:17],
        '"2.重复申请",0,"1,369",0,0,0,0,"x, y"',  # line 19
        *lines("t3")[18:],
    ]
)
T4_QUOTED_HEADER = csv_of(['项目,"结果\n维持",结果纠正,其他结果,尚未审结,总计', *lines("t4")[1:3], "复议后起诉,0,0,0,-1,0"])

# ------------------------------------------------------------------ the catalogue

Expected = list[tuple[str, str, int | None, str | None]]


@dataclass(frozen=True)
class Case:
    tid: str
    content: str | bytes | None  # None: no file at all
    expected: Expected  # flatten(findings): (code, path, line, column label)
    id: str


CASES = [
    # Files: missing, empty, not text, not UTF-8, not comma-separated.
    Case("t3", None, [("F001", T3, None, None)], id="missing-csv"),
    Case("t3", b"", [("F002", T3, None, None)], id="empty-file"),
    Case("t3", b"\xef\xbb\xbf\r\n \r\n", [("F002", T3, None, None)], id="bom-and-blank-lines-only"),
    Case("t4", ",,,,,\r\n,,,,,\r\n", [("F002", T4, None, None)], id="blank-cells-only"),
    Case("t4", xlsx(), [("F003", T4, None, None)], id="xlsx-renamed-to-csv"),
    Case("t4", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), [("F003", T4, None, None)], id="xls-renamed-to-csv"),
    Case("t4", random.Random(0).randbytes(1000), [("F003", T4, None, None)], id="random-bytes"),
    Case("t4", bytes(range(0x80, 0x100)) * 4, [("F003", T4, None, None)], id="undecodable-bytes"),
    Case("t4", csv_of([*lines("t4")[:2], "未经复议直接起诉\x07,0,0,0,0,0"]), [("F003", T4, 3, None)], id="control-character"),
    Case("t4", text("t4").encode("utf-16"), [("F003", T4, None, None)], id="utf16-unicode-text"),
    Case("t4", replace("t4", 3, '未经复议直接起诉,"0,0,0,0,0'), [("F003", T4, 3, None)], id="unclosed-quote"),
    Case("t4", replace("t4", 3, '未经复议直接起诉,"' + "0" * 200_000 + '",0,0,0,0'), [("F003", T4, 3, None)], id="cell-over-csv-field-limit"),
    Case("t4", csv_of([*lines("t4")[:2], '"未经复议直接起诉,0,0,0,0,0', *["复议后起诉,0,0,0,0,0"] * 10_000]), [("F003", T4, 3, None)], id="unclosed-quote-big-file"),
    Case("t3", text("t3").encode("gbk"), [("F004", T3, 1, None)], id="gbk"),
    Case("t4", replace("t4", 2, "行政复议,1,0,0,0,1").encode("gb18030"), [("F004", T4, 1, None)], id="gb18030"),
    Case("t3", text("t3").replace(",", ";"), [("F005", T3, 1, None)], id="semicolons"),
    Case("t3", text("t3").replace(",", "\t"), [("F005", T3, 1, None)], id="tabs"),
    Case("t2", T2_TABS, [("F005", T2, 1, None)], id="tabs-title-line-without-tab"),
    # Clean variants of the same content.
    Case("t3", "\ufeff" + text("t3"), [], id="utf8-bom"),
    Case("t3", text("t3").replace("\n", "\r\n"), [], id="crlf"),
    Case("t3", text("t3").replace("\n", "\r"), [], id="cr-only"),
    Case("t3", excel_style("t3"), [], id="excel-trailing-empty-columns-and-rows"),
    Case("t2", excel_style("t2"), [], id="excel-trailing-empty-t2"),
    Case("t4", csv_of([*lines("t4")[:2], ",,,,,", "", *lines("t4")[2:]]), [], id="blank-line-between-rows"),
    Case("t2", T2_NO_TITLES, [], id="t2-without-title-rows"),
    Case("t3", without_last_column("t3"), [], id="t3-without-total-column"),
    Case("t4", without_last_column("t4"), [], id="t4-without-total-column"),
    Case("t3", drop("t3", 25), [], id="t3-without-total-row"),
    # Rows and columns: missing, extra, duplicate, misspelled.
    Case("t3", drop("t3", 6), [("L105", T3, None, None)], id="missing-row"),
    Case("t3", drop("t3", 6, 7), [("L105", T3, None, None), ("L105", T3, None, None)], id="two-missing-rows"),
    Case("t3", text("t3") + "五、其他事项,0,0,0,0,0,0,0\n", [("L101", T3, 27, None)], id="extra-row"),
    Case("t4", text("t4") + "复议后起诉,0,0,0,0,0\n", [("L103", T4, 5, None)], id="duplicate-row"),
    Case(
        "t3",
        replace("t3", 6, lines("t3")[4]),
        [("L103", T3, 6, None), ("L105", T3, None, None)],
        id="duplicate-row-in-place-of-another",
    ),
    Case("t3", replace("t3", 7, "2.其他法律法规禁止公开,0,0,0,0,0,0,0"), [("L101", T3, 7, None)], id="misspelled-row-label"),
    Case("t3", replace("t3", 24, "3.申请,0,0,0,0,0,0,0"), [("L101", T3, 24, None)], id="misspelled-row-label-2"),
    Case("t4", replace("t4", 3, ",0,0,0,0,0"), [("L101", T4, 3, None)], id="blank-row-label"),
    Case("t4", csv_of([",".join(r.split(",")[:2] + r.split(",")[3:]) for r in lines("t4")]), [("L106", T4, 1, "结果纠正")], id="missing-column"),
    Case("t4", csv_of([lines("t4")[0] + ",备注"] + [r + ",0" for r in lines("t4")[1:]]), [("L102", T4, 1, None)], id="extra-column"),
    Case("t4", csv_of([lines("t4")[0] + ",结果维持"] + [r + ",0" for r in lines("t4")[1:]]), [("L104", T4, 1, "结果维持")], id="duplicate-column"),
    Case("t4", replace("t4", 1, "项目,结果维护,结果纠正,其他结果,尚未审结,总计"), [("L102", T4, 1, None)], id="misspelled-column-label"),
    Case("t4", replace("t4", 3, "未经复议直接起诉,0,0,0,0,0,5"), [("L108", T4, 3, None)], id="more-cells-than-header"),
    Case("t2", replace("t2", 7, "行政许可,0,5,"), [("L108", T2, 7, None)], id="cell-where-row-has-no-column"),
    Case(
        "t4",
        replace("t4", 3, "未经复议直接起诉,,,,,"),
        [("C201", T4, 3, c) for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")],
        id="row-of-blank-cells",
    ),
    Case("t4", replace("t4", 3, "未经复议直接起诉,0,0,0"), [("C201", T4, 3, "尚未审结"), ("C201", T4, 3, "总计")], id="short-row"),
    Case("t4", lines("t4")[0] + "\n", [("L105", T4, None, None)] * 3, id="header-only"),
    Case("t4", drop("t4", 1), [("L110", T4, 1, None)], id="no-header"),
    Case("t4", replace("t4", 1, "类别,结果维持,结果纠正,其他结果,尚未审结,总计"), [("L110", T4, 1, None)], id="wrong-stub"),
    # The 2019 format (国办公开办函〔2019〕60号).
    Case("t3", T3_2019, [("L109", T3, 22, None)], id="2019-layout-one-other-row"),
    Case(
        "t2",
        replace("t2", 2, "信息内容,本年新制作数量,本年新公开数量,对外公开总数量"),
        [("L109", T2, 2, None)] * 3 + [("L106", T2, 2, c) for c in ("本年制发件数", "本年废止件数", "现行有效件数")],
        id="2019-columns-t2",
    ),
    # Labels written differently from the official text: read, and named (L107).
    Case("t3", replace("t3", 4, "(一)予以公开,0,0,0,0,0,0,0"), [("L107", T3, 4, None)], id="half-width-brackets"),
    Case("t3", replace("t3", 22, lines("t3")[21].replace("1.", "1、")), [("L107", T3, 22, None)], id="numbered-1、"),
    Case("t3", replace("t3", 24, "3、 其他,0,0,0,0,0,0,0"), [("L107", T3, 24, None)], id="numbered-3、-with-space"),
    Case("t3", replace("t3", 6, "１．属于国家秘密,0,0,0,0,0,0,0"), [("L107", T3, 6, None)], id="full-width-numbering"),
    Case("t3", replace("t3", 6, " 1. 属于国家秘密 ,0,0,0,0,0,0,0"), [("L107", T3, 6, None)], id="spaces-in-label"),
    Case("t3", replace("t3", 8, '"3.危及""三安全一稳定""",0,0,0,0,0,0,0'), [("L107", T3, 8, None)], id="ascii-quotes"),
    Case(
        "t3",
        replace("t3", 5, "(二)部分公开(区分处理的,只计这一情形,不计其他情形),0,0,0,0,0,0,0"),
        [("L107", T3, 5, None)],
        id="unquoted-half-width-commas-split-label",
    ),
    Case("t4", replace("t4", 1, "项 目,结果维持,结果纠正,其他结果,尚未审结,总计"), [("L107", T4, 1, None)], id="stub-with-space"),
    Case(
        "t2",
        replace("t2", 13, '信息内容,"本年收费金额(单位:万元)",,'),
        [("L107", T2, 13, "本年收费金额（单位：万元）")],
        id="column-label-half-width",
    ),
    # Labels with HTML or LaTeX special characters: unknown, nearest official label offered.
    Case("t3", replace("t3", 6, "<b>1.属于国家秘密</b>,0,0,0,0,0,0,0"), [("L101", T3, 6, None)], id="html-in-row-label"),
    Case("t3", replace("t3", 6, "1.属于国家秘密 & 50% $x_1$ #{}~^\\,0,0,0,0,0,0,0"), [("L101", T3, 6, None)], id="latex-in-row-label"),
    Case("t4", replace("t4", 1, "项目,<i>结果维持</i>,结果纠正,其他结果,尚未审结,总计"), [("L102", T4, 1, None)], id="html-in-column-label"),
    Case(
        "t4",
        replace("t4", 1, "项目,结果维持,结果纠正,其他结果,尚未审结,总计 \\& 100\\%"),
        [("L102", T4, 1, None)],
        id="latex-in-column-label",
    ),
    # Quoted cells: embedded commas and newlines keep line numbers right.
    Case(
        "t3",
        T3_QUOTED,
        [("L107", T3, 5, None), ("C203", T3, 19, "商业企业"), ("C208", T3, 19, "总计")],
        id="quoted-cells-with-commas-and-newlines",
    ),
    Case("t4", T4_QUOTED_HEADER, [("L107", T4, 1, "结果维持"), ("C205", T4, 5, "尚未审结")], id="header-cell-with-newline"),
    # 表二 收费金额 (万元).
    Case("t2", replace("t2", 14, "行政事业性收费,12.5,,"), [], id="fee-decimal-ok"),
    Case("t2", replace("t2", 14, "行政事业性收费,1.23456,,"), [("C209", T2, 14, "本年收费金额（单位：万元）")], id="fee-5-decimals"),
    Case("t2", replace("t2", 14, "行政事业性收费,2000000,,"), [("C210", T2, 14, "本年收费金额（单位：万元）")], id="fee-2000000-wan-yuan"),
    Case("t2", replace("t2", 14, "行政事业性收费,-1.5,,"), [("C205", T2, 14, "本年收费金额（单位：万元）")], id="fee-negative"),
    Case("t2", replace("t2", 14, "行政事业性收费,1,369,"), [("C203", T2, 14, "本年收费金额（单位：万元）")], id="fee-unquoted-thousands"),
]

# Every bad form of a cell, at 表四 行政复议 / 结果维持 (line 2, field 2).
CELLS = [
    ("１２", ["C202"]),
    ("３.５", ["C202"]),
    ('"１，３６９"', ["C202"]),
    ('"1,369"', ["C203"]),
    ("1,369", ["C203"]),  # unquoted: the comma splits the number over two fields
    ("1,369,000", ["C203"]),
    ('"1，369"', ["C203"]),
    ("无", ["C204"]),
    ("—", ["C204"]),
    ("-", ["C204"]),
    ("－", ["C204"]),
    ("/", ["C204"]),
    ("-3", ["C205"]),
    ("－3", ["C205"]),
    ("1.5", ["C206"]),
    ("0.0", ["C206"]),
    (" 3", ["C207"]),
    ("3 ", ["C207"]),
    ("\u30003", ["C207"]),
    (" 无 ", ["C207", "C204"]),
    ("abc", ["C208"]),
    ("+3", ["C208"]),
    ("1e3", ["C208"]),
    ("٣", ["C208"]),  # an Arabic-Indic digit is not a number here
    ('"12,5"', ["C208"]),  # a decimal comma
    ("", ["C201"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(tmp_path: Path, case: Case) -> None:
    _, findings = load(tmp_path, case.tid, case.content)
    assert flatten(findings) == case.expected
    for f in findings:
        assert f.severity is CATALOGUE[f.code].severity
        assert "\n" not in f.message  # one line per finding in ``make check``


@pytest.mark.parametrize(("value", "codes"), CELLS, ids=[repr(v) for v, _ in CELLS])
def test_bad_cell(tmp_path: Path, value: str, codes: list[str]) -> None:
    data, findings = load(tmp_path, "t4", cell(value))
    assert flatten(findings) == [(code, T4, 2, "结果维持") for code in codes]
    assert all(f.col == 2 for f in findings)
    # The other cells of the line are still read in their own columns.
    assert [data.get("review", c) for c in ("corrected", "other", "pending", "total")] == [0, 0, 0, 0]
    split = 0 if value.startswith('"') else value.count(",")  # fields an unquoted number spills into
    assert data.pos[("review", "total")] == (2, 6 + split)
    expected_value = 3 if codes == ["C207"] else None
    assert data.get("review", "upheld") == expected_value


# ---------------------------------------------------------------- messages


def test_gbk_is_read_and_says_how_to_save_as_utf8(tmp_path: Path) -> None:
    data, [f] = load(tmp_path, "t4", replace("t4", 2, "行政复议,1,0,0,0,1").encode("gbk"))
    assert f.severity is Severity.WARNING
    assert "GBK" in f.message and "CSV UTF-8（逗号分隔）" in f.message
    assert data.get("review", "upheld") == 1 and data.loaded


def test_semicolons_are_read_and_named(tmp_path: Path) -> None:
    data, [f] = load(tmp_path, "t4", replace("t4", 2, "行政复议,1,0,0,0,1").replace(",", ";"))
    assert f.message == "文件用分号分隔，应为逗号；已按分号读取，请另存为逗号分隔的 CSV"
    assert data.get("review", "total") == 1


def test_binary_and_unclosed_quote_messages(tmp_path: Path) -> None:
    [f] = load(tmp_path, "t4", xlsx())[1]
    assert "Excel" in f.message and "CSV UTF-8（逗号分隔）" in f.message
    [f] = load(tmp_path, "t4", replace("t4", 3, '未经复议直接起诉,"0,0,0,0,0'))[1]
    assert f.message == '第 3 行的引号“"”没有配对，从这里到文件末尾都被当成了一个单元格；请补上或删去这个引号'


def test_misspelled_row_label_suggests_the_missing_official_row(tmp_path: Path) -> None:
    [f] = load(tmp_path, "t3", replace("t3", 7, "2.其他法律法规禁止公开,0,0,0,0,0,0,0"))[1]
    assert f.message == "行标签“2.其他法律法规禁止公开”不在官方格式中，是否应为“2.其他法律行政法规禁止公开”？"
    assert (f.expected, f.found) == ("2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开")
    [f] = load(tmp_path, "t3", replace("t3", 24, "3.申请,0,0,0,0,0,0,0"))[1]
    assert f.expected == "3.其他"


@pytest.mark.parametrize(
    "label", ["<b>1.属于国家秘密</b>", "1.属于国家秘密 & 50% $x_1$ #{}~^\\"], ids=["html", "latex"]
)
def test_label_with_markup_suggests_the_official_label(tmp_path: Path, label: str) -> None:
    [f] = load(tmp_path, "t3", replace("t3", 6, f'"{label}",0,0,0,0,0,0,0'))[1]
    assert f.message == f"行标签“{label}”不在官方格式中，是否应为“1.属于国家秘密”？"
    assert f.found == label


def test_extra_row_gets_no_suggestion_of_a_present_row(tmp_path: Path) -> None:
    [f] = load(tmp_path, "t3", text("t3") + "五、其他事项,0,0,0,0,0,0,0\n")[1]
    assert f.message == "行标签“五、其他事项”不在官方格式中；官方格式的各行都已齐全，这是多出的一行，请删除"
    assert f.expected is None


def test_each_missing_row_is_suggested_once(tmp_path: Path) -> None:
    """A 表三 put where 表四 belongs: no “did you mean 行政复议” for every line."""
    findings = load(tmp_path, "t4", text("t3"))[1]
    assert [f.expected for f in findings if f.code == "L101"] == [None] * 25
    assert [f.code for f in findings].count("L105") == 3


def test_missing_row_says_where_it_belongs(tmp_path: Path) -> None:
    [f] = load(tmp_path, "t3", drop("t3", 6))[1]
    assert f.message == "缺少行“1.属于国家秘密”，应在“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行之后"
    assert f.expected == "1.属于国家秘密"


def test_misspelled_column_label(tmp_path: Path) -> None:
    data, [f] = load(tmp_path, "t4", replace("t4", 1, "项目,结果维护,结果纠正,其他结果,尚未审结,总计"))
    assert (f.col, f.message) == (2, "列标签“结果维护”不在官方格式中，是否应为“结果维持”？")
    assert data.get("review", "upheld") is None and data.get("review", "corrected") == 0


def test_extra_and_duplicate_column_messages(tmp_path: Path) -> None:
    [f] = load(tmp_path, "t4", csv_of([lines("t4")[0] + ",备注"] + [r + ",0" for r in lines("t4")[1:]]))[1]
    assert (f.col, f.message) == (7, "列标签“备注”不在官方格式中；官方格式的各列都已齐全，这是多出的一列，请删除")
    [f] = load(tmp_path, "t4", csv_of([lines("t4")[0] + ",结果维持"] + [r + ",9" for r in lines("t4")[1:]]))[1]
    assert (f.col, f.message) == (7, "列“结果维持”重复出现（第一次在第 2 列），本列未读取")


def test_more_cells_than_header(tmp_path: Path) -> None:
    [f] = load(tmp_path, "t4", replace("t4", 3, "未经复议直接起诉,0,0,0,0,0,5"))[1]
    assert (f.col, f.found) == (7, "5")
    assert f.message == "行“未经复议直接起诉”第 7 格“5”在表头中没有对应的列（表头只有 5 个数据列），无法读取"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (replace("t3", 4, "(一)予以公开,0,0,0,0,0,0,0"), "行标签“(一)予以公开”应写作“（一）予以公开”（半角括号应为全角括号（））"),
        (replace("t3", 24, "3、其他,0,0,0,0,0,0,0"), "行标签“3、其他”应写作“3.其他”（序号“3、”应为“3.”）"),
        (replace("t3", 6, "１．属于国家秘密,0,0,0,0,0,0,0"), "行标签“１．属于国家秘密”应写作“1.属于国家秘密”（序号“１．”应为“1.”）"),
        (replace("t3", 8, '"3.危及""三安全一稳定""",0,0,0,0,0,0,0'), '行标签“3.危及"三安全一稳定"”应写作“3.危及“三安全一稳定””（引号应为中文引号“”）'),
        (
            replace("t3", 5, "(二)部分公开(区分处理的,只计这一情形,不计其他情形),0,0,0,0,0,0,0"),
            "行标签“(二)部分公开(区分处理的,只计这一情形,不计其他情形)”应写作“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”"
            "（半角括号应为全角括号（）；半角逗号应为全角逗号“，”；没有加引号的半角逗号把它拆成了 3 格）",
        ),
        (
            T3_QUOTED,
            "行标签“（二）部分公开（区分处理的，↵只计这一情形，不计其他情形）”应写作“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”（多了换行）",
        ),
    ],
    ids=["brackets", "dunhao", "full-width", "quotes", "split-by-commas", "newline"],
)
def test_label_variant_is_named(tmp_path: Path, content: str, message: str) -> None:
    data, findings = load(tmp_path, "t3", content)
    assert findings[0].code == "L107"
    assert findings[0].message == message
    assert findings[0].severity is Severity.WARNING
    assert len(data.row_lines) == len(SPEC.tables["t3"].rows)  # read under the official label


def test_label_split_by_commas_keeps_fields_right(tmp_path: Path) -> None:
    data, findings = load(tmp_path, "t3", replace("t3", 5, "(二)部分公开(区分处理的,只计这一情形,不计其他情形),1,0,0,0,0,0,x"))
    assert [(f.code, f.line, f.col, f.column) for f in findings] == [("L107", 5, 1, None), ("C204", 5, 10, "总计")]
    assert data.get("partial", "natural") == 1 and data.pos[("partial", "natural")] == (5, 4)


def test_cell_messages_state_expected_and_found(tmp_path: Path) -> None:
    [f] = load(tmp_path, "t4", cell("１２"))[1]
    assert f.message == "表四“行政复议”行“结果维持”列：“１２”是全角数字，应写半角“12”"
    assert (f.expected, f.found) == ("12", "１２")
    [f] = load(tmp_path, "t4", cell('"１，３６９"'))[1]
    assert f.message == "表四“行政复议”行“结果维持”列：“１，３６９”是全角数字，应写半角“1369”"
    [f] = load(tmp_path, "t4", cell('"1，369"'))[1]
    assert f.message == "表四“行政复议”行“结果维持”列：“1，369”带千位分隔符，应写“1369”"
    [f] = load(tmp_path, "t4", cell("1,369"))[1]
    assert f.message == "表四“行政复议”行“结果维持”列：“1,369”带千位分隔符，应写“1369”（逗号没有加引号，把这个数拆成了 2 格）"
    [f] = load(tmp_path, "t4", cell("无"))[1]
    assert f.message == "表四“行政复议”行“结果维持”列：单元格写了“无”，应填数字（没有发生请填 0）"
    [f] = load(tmp_path, "t4", cell("1.5"))[1]
    assert f.message == "表四“行政复议”行“结果维持”列：“1.5”是小数，件数应为整数"


def test_fee_warnings_keep_the_value(tmp_path: Path) -> None:
    data, [f] = load(tmp_path, "t2", replace("t2", 14, "行政事业性收费,1.23456,,"))
    assert f.severity is Severity.WARNING and "5 位小数" in f.message
    assert data.get("fee", "amount") == Decimal("1.23456")
    data, [f] = load(tmp_path, "t2", replace("t2", 14, "行政事业性收费,2000000,,"))
    assert f.message == "表二“行政事业性收费”行“本年收费金额（单位：万元）”列：收费金额 2000000 万元（200 亿元）过大，是否把“元”填成了“万元”？"
    assert data.get("fee", "amount") == Decimal(2000000)


# ------------------------------------------------------------ derived totals


def test_missing_total_column_is_derived(tmp_path: Path) -> None:
    content = without_last_column("t3").replace("一、本年新收政府信息公开申请数量,0,0", "一、本年新收政府信息公开申请数量,2,1")
    data, findings = load(tmp_path, "t3", content)
    assert findings == []
    assert data.get("new", "total") == 3 and ("new", "total") in data.derived
    assert data.where("new", "total") == (2, None)
    # 3 new, none concluded or carried over: reported in the columns the writer typed.
    assert flatten(check_relations(data)) == [("R301", T3, 25, "自然人"), ("R301", T3, 25, "商业企业")]


def test_missing_total_row_is_derived(tmp_path: Path) -> None:
    rows = lines("t3")
    rows[1] = "一、本年新收政府信息公开申请数量,2,1,0,0,0,0,3"
    rows[3] = "（一）予以公开,2,1,0,0,0,0,3"
    del rows[24]  # （七）总计
    data, findings = load(tmp_path, "t3", csv_of(rows))
    assert findings == []
    assert [data.get("total", c) for c in ("natural", "commercial", "total")] == [2, 1, 3]
    assert ("total", "natural") in data.derived
    assert check_relations(data) == []


def test_t4_missing_total_column_is_derived(tmp_path: Path) -> None:
    data, findings = load(tmp_path, "t4", without_last_column("t4").replace("行政复议,0,0", "行政复议,2,1"))
    assert findings == []
    assert data.get("review", "total") == 3 and check_relations(data) == []


# ---------------------------------------------------------------- relations


@pytest.mark.parametrize(
    ("tid", "content", "expected"),
    [
        pytest.param(
            "t3",
            replace("t3", 2, "一、本年新收政府信息公开申请数量,5,0,0,0,0,0,5"),
            [("R301", T3, 25, "自然人"), ("R301", T3, 25, "总计")],
            id="t3-balance",
        ),
        pytest.param(
            "t3",
            replace("t3", 4, "（一）予以公开,0,1,0,0,0,0,1"),
            [("R302", T3, 25, "商业企业"), ("R302", T3, 25, "总计")],
            id="t3-results",
        ),
        pytest.param(
            "t3",
            # Every column adds up; the 总计 of three rows does not.
            replace("t3", 17, "1.信访举报投诉类申请,1,0,0,0,0,0,2")
            .replace("（七）总计,0,0,0,0,0,0,0", "（七）总计,1,0,0,0,0,0,2")
            .replace("一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0", "一、本年新收政府信息公开申请数量,1,0,0,0,0,0,2"),
            [("R303", T3, 2, "总计"), ("R303", T3, 17, "总计"), ("R303", T3, 25, "总计")],
            id="t3-row-total",
        ),
        pytest.param("t4", replace("t4", 3, "未经复议直接起诉,1,1,0,0,3"), [("R304", T4, 3, "总计")], id="t4-totals"),
        pytest.param("t4", replace("t4", 4, "复议后起诉,0,0,0,1,0"), [("R304", T4, 4, "总计")], id="t4-totals-2"),
    ],
)
def test_relation(tmp_path: Path, tid: str, content: str, expected: Expected) -> None:
    data, findings = load(tmp_path, tid, content)
    assert findings == []
    assert flatten(check_relations(data)) == expected


def test_relation_messages(tmp_path: Path) -> None:
    data, _ = load(tmp_path, "t3", replace("t3", 2, "一、本年新收政府信息公开申请数量,5,0,0,0,0,0,5"))
    f = check_relations(data)[0]
    assert f.message == "表三 自然人 列：一＋二＝5，三（七）总计＋四＝0，应相等"
    assert (f.col, f.expected, f.found) == (2, "5", "0")
    data, _ = load(tmp_path, "t4", replace("t4", 3, "未经复议直接起诉,1,1,0,0,3"))
    [f] = check_relations(data)
    assert f.message == "表四“未经复议直接起诉”行：结果维持＋结果纠正＋其他结果＋尚未审结＝2，总计＝3，应相等"
    assert f.col == 6


def test_unreadable_cells_do_not_add_relation_findings(tmp_path: Path) -> None:
    data, findings = load(tmp_path, "t4", replace("t4", 3, "未经复议直接起诉,无,1,0,0,3"))
    assert flatten(findings) == [("C204", T4, 3, "结果维持")]
    assert check_relations(data) == []


# ------------------------------------------------- whole report, files untouched


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root / "data" / "x" / "2021")
    (root / "docs" / "x").mkdir(parents=True)
    shutil.copy(PAGE, root / "docs" / "x" / "2021.md")
    return root


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


def test_sample_copy_is_clean(tmp_path: Path) -> None:
    assert check_report(_repo(tmp_path), "x", 2021).findings == []


def test_check_report_never_raises_and_never_writes(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    data_dir = root / "data" / "x" / "2021"
    bad = CASES + [Case("t4", cell(v), [(c, T4, 2, "结果维持") for c in codes], repr(v)) for v, codes in CELLS]
    for case in bad:
        path = data_dir / FILE[case.tid]
        original = path.read_bytes()
        if case.content is None:
            path.unlink()
        else:
            path.write_bytes(case.content.encode("utf-8") if isinstance(case.content, str) else case.content)
        for p in data_dir.iterdir():
            os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
        before = _snapshot(root)
        checked = check_report(root, "x", 2021)
        assert _snapshot(root) == before, case.id
        found = flatten(checked.findings)
        assert all(e in found for e in case.expected), case.id
        path.write_bytes(original)


@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_every_table_of_the_report_can_be_bad_at_once(tmp_path: Path, tid: str) -> None:
    root = _repo(tmp_path)
    for t in ("t2", "t3", "t4"):
        (root / "data" / "x" / "2021" / FILE[t]).write_bytes(random.Random(t).randbytes(300) if t == tid else b"")
    codes = sorted(f.code for f in check_report(root, "x", 2021).findings)
    assert codes.count("F002") == 2 and codes.count("F003") == 1
