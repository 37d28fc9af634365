"""A number cell with a unit or a mark (``10件``, ``8*``, ``1,234``, an escaped tag, a stray word) in every
form with cells: the cell is read as its number with a note, or left blank with a note; it is never taken
as a label and never moves its neighbours (issue 26: 表三's 本年新收 with ``10件`` put its total in 其他)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import report_forms
from govreport.importer import import_report, read_cell
from govreport.model.csvload import load_table
from report_forms import SPEC, TITLE, YEAR, placed, values, word_html, write_docx
from test_import_forms import written

#: How each cell of 表三's 本年新收 row is written, and what it must import as (None: blank).
MARKS = {
    ("t3", "new", "natural"): ("10件", 10),
    ("t3", "new", "commercial"): ("8*", 8),
    ("t3", "new", "research"): ("1,234", 1234),
    ("t3", "new", "public_interest"): ("<b>5</b>", None),
    ("t3", "new", "legal"): ("见附件", None),
    ("t2", "fee", "amount"): ("96171.6万元", None),  # kept below as the number: its unit is the column's
    ("t4", "review", "upheld"): ("1①", 1),  # NFKC would read "11"
    ("t3", "carried_in", "total"): ("", None),  # the last cell of a row whose label spans columns: blank, nothing shifts
}
EXPECTED_NOTES = [
    "“自然人”列：原文“10件”带单位“件”，按“10”读取",
    "“商业企业”列：原文“8*”带标记“*”，按“8”读取（请核对标记或说明的含义）",
    "“科研机构”列：原文“1,234”带千位分隔符，按“1234”读取",
    "“社会公益组织”列：原文“<b>5</b>”夹有网页标记，不是单纯的数字，未导入（CSV 中留空）",
    "“法律服务机构”列：原文“见附件”不是数字，未导入（CSV 中留空）",
    "“结果维持”列：原文“1①”带标记“①”，按“1”读取（请核对标记或说明的含义）",
]


@pytest.fixture(autouse=True)
def marks() -> Iterator[None]:
    report_forms.WRITTEN.update({k: w for k, (w, _) in MARKS.items()})
    yield
    report_forms.WRITTEN.clear()


def expected() -> dict[tuple[str, str, str], object]:
    out: dict[tuple[str, str, str], object] = dict(values())
    for key, (_, v) in MARKS.items():
        if key == ("t2", "fee", "amount"):
            continue
        if v is None:
            out.pop(key)
        else:
            out[key] = v
    return out


def _rows(sep: str, pipes: bool) -> list[str]:
    """The report as text: every table row's cells in their grid columns (a span's other columns blank)."""
    lines = [TITLE, ""]
    for idx, title in enumerate(SPEC.sections):
        lines += [title, ""]
        for t in SPEC.tables.values():
            if t.section != idx:
                continue
            for row in placed(t):
                cells = [""] * t.ncols
                for _r, c, _rs, _cs, text in row:
                    cells[c] = text
                lines.append(("| " + " | ".join(cells) + " |") if pipes else sep.join(cells))
                if pipes and row is placed(t)[0]:
                    lines.append("|" + "---|" * t.ncols)
            lines.append("")
    return lines


def make(form: str, path: Path) -> Path:
    if form == "docx":
        write_docx(path.with_suffix(".docx"))
        return path.with_suffix(".docx")
    if form == "html":  # the page shows the tag as text (escaped once: &lt;b&gt;5&lt;/b&gt;)
        out = path.with_suffix(".html")
        out.write_text(word_html(), encoding="utf-8")
        return out
    out = path.with_suffix(".md" if form == "markdown" else ".txt")
    out.write_text("\n".join(_rows("\t", form == "markdown")) + "\n", encoding="utf-8")
    return out


@pytest.mark.parametrize("form", ["docx", "html", "markdown", "tab"])
def test_marked_cells_move_nothing(root: Path, tmp_path: Path, form: str) -> None:
    src = make(form, tmp_path / "示范县")
    made = import_report(root, src, "shifan", YEAR, force=True)
    assert made.parsed.form == form
    got = written(root, "shifan")
    want = expected()
    assert {k: got.get(k) for k in want} == want  # nothing moved
    assert not {k for k in got if k not in want and got[k] is not None} - {("t2", "fee", "amount")}
    notes = [n.message for n in made.notes]
    for expected_note in EXPECTED_NOTES:
        assert any(expected_note in m for m in notes), (expected_note, "\n".join(m for m in notes if "原文" in m))
    blank = [m for m in notes if "原文空白" in m and "“二、上年结转" not in m]  # only the cell left blank on purpose
    assert "表三“二、上年结转政府信息公开申请数量”行“总计”列：原文空白，未导入（CSV 中留空）" in notes and not blank, blank


def test_read_cell_units_fit_the_column() -> None:
    assert read_cell("96171.6万元", "wan_yuan")[0] is not None
    assert read_cell("1234元", "wan_yuan") == (None, "原文“1234元”的单位是“元”，这一栏是金额（万元），不能照抄")
    assert read_cell("3万元", "count") == (None, "原文“3万元”的单位是“万元”，这一栏是件数，不能照抄")
    assert read_cell("8¹", "count") == (8, "原文“8¹”带标记“¹”，按“8”读取（请核对标记或说明的含义）")
    assert read_cell("22（其中修订16件）", "count")[0] == 22


@pytest.mark.parametrize("spans", [1, 2])
def test_copied_rows_placed_by_a_full_row_or_not_read(root: Path, tmp_path: Path, spans: int) -> None:
    """A copied table (not a grid), rows starting with blank fields that also lost their last cells: whether
    a leading blank is a span of the label or an empty first cell, a full row of the same shape (its numbers
    from the same field, as many fields) shows; without one the row is left blank with a note (counting
    put its numbers one column right)."""
    seed = Path(__file__).parent / "fixtures" / "xiangshan-2021.txt"
    text = seed.read_text(encoding="utf-8")
    rows = {"一、本年新收政府信息公开申请数量": [3, 1, 0, 0, 0, 4], "二、上年结转政府信息公开申请数量": [2, 0, 0, 0, 0, 1]}
    for label, nums in rows.items():
        row = f"{label}\t\t0\t0\t0\t0\t0\t0\t0\t"
        assert row in text
        text = text.replace(row, label + "\t" * (spans + 1) + "\t".join(map(str, nums)) + "\t\t")  # 总计 blank
    src = tmp_path / "copy.txt"
    src.write_text(text, encoding="utf-8")
    made = import_report(root, src, "xs", 2021, force=True)
    cols = SPEC.tables["t3"].rows["new"].cols
    got = {}
    for t in SPEC.tables.values():
        data, _ = load_table(root / "data" / "xs" / "2021" / t.file, t, t.file)
        got |= {(t.id, r, c): v for (r, c), v in data.values.items() if (r, c) not in data.derived}
    notes = [n.message for n in made.notes]
    for rid, label in (("new", "一、本年新收政府信息公开申请数量"), ("carried_in", "二、上年结转政府信息公开申请数量")):
        if spans == 1:  # as wide as 四、结转下年度继续办理 (full, its numbers from the same field): placed by it
            assert [got.get(("t3", rid, c)) for c in cols] == [*rows[label], None]
        else:  # one field wider than every full row: not read
            assert [got.get(("t3", rid, c)) for c in cols] == [None] * 7
            nums = " ".join(["（空）"] * spans + [*map(str, rows[label])])
            assert f"表三“{label}”行：读到 8 个数（{nums}），应有 7 个，无法确定各属哪一列，这一行未导入（CSV 中留空）" in notes, notes
