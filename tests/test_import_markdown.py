"""Markdown conversions of a PDF: what converters do to the form's tables (see importer/markdown.py)."""

from __future__ import annotations

from pathlib import Path

from govreport.format.spec import spec_for_year
from govreport.importer import read_file

T3 = spec_for_year(2024).tables["t3"]
ROWS = list(T3.rows)


def t3_rows(skip: set[str], short: dict[str, str]) -> list[str]:
    out = []
    for i, rid in enumerate(ROWS):
        if rid in skip:
            continue
        cells = [str(10 + i), "1", "0", "0", "0", "0", str(11 + i)]
        out.append(f"| {short.get(rid, T3.rows[rid].label)} | " + " | ".join(cells) + " |")
    return out


def report(tmp_path: Path) -> Path:
    rows = t3_rows(set(), {"other_1": "行政机关不再处理其政府信息公", "reject_5": ""})
    half = len(rows) // 2
    text = "\n".join([
        "# 2024 年示范市人民政府办公厅政府信息公开",
        "工作年度报告",
        "",
        "本年度报告中所列数据统计期限为 2024",
        "年 1 月 1 日至 12 月 31 日。",
        "",
        "## 一、总体情况",
        "**（一）主动公开方面**",
        "全年主动公开市政府规章 22 件。",
        "— 1 —",
        "**二、主动公开政府信息情况**",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "|---|---|---|---|",
        "| 规章 | 22（其中修订16件） | 3 | 235 |",
        "| 行政规范性文件 | 34 | 189 |",
        "第二十条第（五）项",
        "行政许可 7",
        "| 行政处罚 | 5 |",
        "| 行政强制 | 0 |",
        "| 行政事业性收费 | 0 |",
        "",
        "## 三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 |",
        "|---|---|---|---|---|---|",
        *rows[:half],
        "| — 5 — |  |  |",
        "## 表三：收到和处理政府信息公开申请情况",
        "| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 |",
        "|---|---|---|---|---|---|",
        *rows[half:],
        "",
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "行政复议行政诉讼",
        "| 维持 | 纠正 | 结果 | 审结 | 总计 | 总计 |",
        "|---|---|---|---|---|---|",
        "| 40 | 0 | 10 | 5 | 55 | 2 | 0 | 4 | 6 | 12 | 6 | 0 | 9 | 7 | 22 |",
        "",
        "# 五、存在的主要问题及改进情况",
        "无。",
        "# 六、其他需要报告的事项",
        "无。",
    ])
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_markdown_tables_read_through_the_tears(tmp_path: Path) -> None:
    parsed = read_file(report(tmp_path), 2024)
    assert parsed.form == "markdown"
    assert (parsed.name, parsed.title_year, parsed.problems) == ("示范市人民政府办公厅", 2024, [])
    t3 = parsed.values["t3"]
    for i, rid in enumerate(ROWS):
        assert [t3[(rid, c)] for c in T3.rows[rid].cols] == [10 + i, 1, 0, 0, 0, 0, 11 + i], rid
    t4 = parsed.values["t4"]
    assert [t4[k] for k in spec_for_year(2024).tables["t4"].keys()] == [40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22]


def test_markdown_table2_notes_and_refusals(tmp_path: Path) -> None:
    parsed = read_file(report(tmp_path), 2024)
    t2 = parsed.values["t2"]
    assert [t2[("rules", c)] for c in ("issued", "repealed", "in_force")] == [22, 3, 235]
    # two numbers for three columns: which column is missing cannot be known
    assert [t2[("normative", c)] for c in ("issued", "repealed", "in_force")] == [None, None, None]
    assert (t2[("license", "decisions")], t2[("penalty", "decisions")]) == (7, 5)
    messages = [(n.line, n.message) for n in parsed.notes]
    assert (14, "单元格“22（其中修订16件）”按 22 读取，括号中的说明“其中修订16件”未导入") in messages
    assert (15, "“行政规范性文件”行只有 2 个数（34 189），表格应有 3 格，无法确定各属哪一列，这一行未导入（CSV 中留空）") in messages
    assert any("通用的表头行" in m for _, m in messages) and any("页码" in m for _, m in messages)


def test_markdown_headings_and_wrapped_paragraphs(tmp_path: Path) -> None:
    parsed = read_file(report(tmp_path), 2024)
    assert [b.text for b in parsed.preamble if b.kind == "para"] == ["本年度报告中所列数据统计期限为2024年1月1日至12月31日。"]
    assert [(b.kind, b.text) for b in parsed.sections[0]] == [("heading", "（一）主动公开方面"), ("para", "全年主动公开市政府规章22件。")]


def test_labels_pulled_out_of_rows_do_not_claim_the_next_numbers(tmp_path: Path) -> None:
    """A converter printed wrapped labels as text before the table rows whose labels it lost
    (上海市科委 2024): the text must not label the row after it; the rows are placed by position."""
    rows = t3_rows(set(), {})
    i = ROWS.index("deny_5")
    j = ROWS.index("unable_3")
    torn = [*rows[:i], "", "5.属于三类内部事务信", "息", "1.本机关不掌握相关政", "府信息",
            "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |", *rows[i + 1 : j - 2],
            "| 4 | 0 | 0 | 0 | 0 | 0 | 4 |", "| 6 | 0 | 0 | 0 | 0 | 0 | 6 |", "1", "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |", *rows[j + 1 :]]
    text = report(tmp_path).read_text(encoding="utf-8")
    start = text.index(rows[0])
    end = text.index(rows[-1]) + len(rows[-1])
    body = text[:start] + "\n".join(torn) + text[end:]  # the rows between, with the page number and second header, go
    (tmp_path / "torn.md").write_text(body, encoding="utf-8")
    t3 = read_file(tmp_path / "torn.md", 2024).values["t3"]
    assert [t3[("deny_5", c)] for c in T3.rows["deny_5"].cols] == [1, 0, 0, 0, 0, 0, 1]
    assert [t3[(r, "natural")] for r in ("unable_1", "unable_2", "unable_3")] == [4, 6, 0]


def test_short_row_aligned_by_a_complete_row_of_its_piece(tmp_path: Path) -> None:
    """上海市科委 2024: "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |" under rows that fill all seven columns:
    the empty pipe cell is 总计, blank in the source; the six numbers are read."""
    text = report(tmp_path).read_text(encoding="utf-8")
    last = t3_rows(set(), {})[-1]
    short = "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |"
    (tmp_path / "short.md").write_text(text.replace(last, short), encoding="utf-8")
    parsed = read_file(tmp_path / "short.md", 2024)
    assert [parsed.values["t3"][("carried_over", c)] for c in T3.rows["carried_over"].cols] == [1, 0, 0, 0, 0, 0, None]
    assert any("按同一表格中完整的行对齐各列，第 7 格原文空白" in n.message for n in parsed.notes)
    # without a complete row in the same piece the columns are unknown: not read
    (tmp_path / "alone.md").write_text(text.replace(last, "\n" + short), encoding="utf-8")
    alone = read_file(tmp_path / "alone.md", 2024)
    assert all(alone.values["t3"][("carried_over", c)] is None for c in T3.rows["carried_over"].cols)
