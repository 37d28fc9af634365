"""The table matcher of the structured forms (importer/matcher.py): a grid's header cells, spans expanded,
name its columns; its stub cells name its rows; what it cannot place is read as text, and says why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from govreport.format.spec import TableSpec
from govreport.importer.docxfile import docx_source
from govreport.importer.htmlpage import html_source
from govreport.importer.matcher import matrix
from govreport.importer.model import GridRow, Parsed
from govreport.importer.source import Grid, parse_source
from report_forms import PROSE, SPEC, TITLE, YEAR, placed, values, word_html, write_docx

Rows = list[tuple[dict[int, str], set[int], set[int]]]  # cells, columns spanned across, columns covered from above


def grid_rows(t: TableSpec) -> Rows:
    """The official form of ``t`` filled in, as a saved page's rows: each cell at its first column, with its spans."""
    cells = placed(t)
    out: Rows = [({}, set(), set()) for _ in cells]
    for row in cells:
        for r, c, rs, cs, text in row:
            out[r][0][c] = text
            out[r][1].update(range(c + 1, c + cs))
            for dr in range(1, rs):
                out[r + dr][2].update(range(c, c + cs))
    return out


def report(tables: dict[str, Rows] | None = None, other: Rows | None = None) -> Parsed:
    """The report as a structured form's grid (``other``: a table of the page no format mandates, in 一、), read."""
    return parse_source(grid(tables, other).source(), YEAR)


def grid(tables: dict[str, Rows] | None = None, other: Rows | None = None) -> Grid:
    """The report as a structured form's grid, not yet read."""
    g = Grid("html", by_column=True)
    n = 0
    items: list[str | tuple[dict[int, str], set[int], set[int]]] = [TITLE]
    for idx, title in enumerate(SPEC.sections):
        items += [title, *PROSE.get(idx, [])]
        if idx == 0 and other:
            items += ["", *other, ""]
        for t in SPEC.tables.values():
            if t.section == idx:
                items += ["", *(tables or {}).get(t.id, grid_rows(t)), ""]
    for item in items:
        n += 1
        if isinstance(item, str):
            g.text(item, n)
        else:
            g.row(n, *item)
    return g


def read(parsed: Parsed) -> dict[tuple[str, str, str], object]:
    return {(tid, *k): v for tid, vs in parsed.values.items() for k, v in vs.items() if v is not None}


def t3_rows() -> Rows:
    return grid_rows(SPEC.tables["t3"])


def row_of(rows: Rows, label: str) -> int:
    return next(i for i, (cells, _, _) in enumerate(rows) if label in cells.values())


def test_every_mandated_table_is_placed_from_its_cells() -> None:
    parsed = report()
    assert parsed.routes == {"t2": "grid", "t3": "grid", "t4": "grid"}
    assert read(parsed) == values()
    assert parsed.problems == []


def test_t3_header_rowspan_and_colspan_expanded() -> None:
    head = matrix([GridRow(0, cells, spanned, covered) for cells, spanned, covered in t3_rows()[:3]])
    assert head[0][3:10] == ["申请人情况"] * 7  # colspan across
    assert head[1][4:9] == ["法人或其他组织"] * 5
    assert (head[2][3], head[2][9]) == ("自然人", "总计")  # rowspan down
    assert head[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert head[2][0] == head[0][0].strip()  # the stub's header, 3 × 3


def test_t3_columns_named_by_the_header_not_counted() -> None:
    """自然人 and 总计 swapped in the header and in every row: each number still lands in its column."""
    rows = t3_rows()
    for cells, _, _ in rows:
        a, b = cells.pop(3, None), cells.pop(9, None)
        cells.update({k: v for k, v in ((3, b), (9, a)) if v is not None})
    parsed = report({"t3": rows})
    assert parsed.routes["t3"] == "grid"
    assert read(parsed) == values()


def test_label_with_half_width_brackets_read_with_a_note() -> None:
    rows = t3_rows()
    cells = rows[row_of(rows, "（一）予以公开")][0]
    j = next(k for k, v in cells.items() if v == "（一）予以公开")
    cells[j] = "(一)予以公开"
    parsed = report({"t3": rows})
    assert parsed.routes["t3"] == "grid"
    assert read(parsed) == values()
    assert any(n.message.startswith("表三行标签“(一)予以公开”已按官方标签“（一）予以公开”读取（") for n in parsed.notes)


def test_unknown_row_is_a_note_never_a_moved_number() -> None:
    rows = t3_rows()
    at = row_of(rows, SPEC.tables["t3"].rows["carried_in"].label) + 1
    rows.insert(at, ({0: "（八）其他说明", **{c: "99" for c in range(3, 10)}}, {1, 2}, set()))
    parsed = report({"t3": rows})
    assert parsed.routes["t3"] == "grid"
    assert read(parsed) == values()  # no 99 anywhere, no number moved
    assert [n.message for n in parsed.notes if "其他说明" in n.message] == ["表三中无法识别的行“（八）其他说明”，这一行的数字未导入"]


def test_table_no_format_mandates_is_ignored() -> None:
    other: Rows = [({0: "项目", 1: "数量"}, set(), set()), ({0: "网站访问量", 1: "12345"}, set(), set())]
    parsed = report(other=other)
    assert parsed.routes == {"t2": "grid", "t3": "grid", "t4": "grid"}
    assert read(parsed) == values()
    assert not any("网站访问量" in n.message or "12345" in n.message for n in parsed.notes)


def test_grid_the_matcher_cannot_place_is_read_as_text_and_says_why() -> None:
    """A row of numbers whose label is blank: the matcher does not guess; the line reader reads the table, as before."""
    rows = t3_rows()
    label = SPEC.tables["t3"].rows["deny_2"].label
    cells = rows[row_of(rows, label)][0]
    cells.update({k: "" for k, v in cells.items() if v == label})
    parsed = report({"t3": rows})
    assert parsed.routes["t3"] == "text: a row of numbers without a label"
    assert read(parsed) == {k: v for k, v in values().items() if k[:2] != ("t3", "deny_2")}
    assert [n.message for n in parsed.notes if n.message.startswith("表三")] == [
        f"表三中没有找到“{label}”行，这一行留空", "表三中的数字“   15 2 0 1 2 0 20”找不到对应的行标签，未导入"]


def test_matcher_reads_what_the_line_reader_read(tmp_path: Path) -> None:
    """A saved page and a Word file: the same values, notes and problems with the matcher as without it."""
    write_docx(tmp_path / "r.docx")
    for grid in (html_source(word_html()), docx_source(tmp_path / "r.docx")):
        src = grid.source()
        new, old = parse_source(src, YEAR), parse_source(replace(src, cells={}), YEAR)
        assert (new.routes, old.routes) == ({t: "grid" for t in SPEC.tables}, {t: "text" for t in SPEC.tables})
        assert (new.values, new.notes, new.problems, new.sections) == (old.values, old.notes, old.problems, old.sections)


def test_older_single_row_noted_not_read() -> None:
    """A 2021 grid with 2019's single row for the three ``other_*`` rows: noted (its numbers shown), not read."""
    t3 = SPEC.tables["t3"]
    rows = t3_rows()
    first = row_of(rows, t3.rows["other_1"].label)
    group = next(j for j, v in rows[first][0].items() if v != t3.rows["other_1"].label and not v.isdigit() and j > 0)
    older = rows[first][0][group]
    cells = {j: v for j, v in rows[first][0].items() if j != group + 1}
    rows[first] = (cells, {group + 1}, rows[first][2])
    del rows[first + 1 : first + 3]
    parsed = report({"t3": rows})
    assert parsed.routes["t3"] == "grid"
    assert read(parsed) == {k: v for k, v in values().items() if k[0] != "t3" or not k[1].startswith("other_")}
    assert [n.message for n in parsed.notes if f"“{older}”不分 3 项（原文数字：" in n.message]


def test_tables_found_from_the_grid_rows_not_their_lines() -> None:
    """Where a grid table begins and ends, and which mandated table it is, is read from its rows' cells (the spec's
    anchors, what the cells hold): with every row's line made meaningless, each table is still found and placed."""
    src = grid().source()
    for no in src.cells:
        src.lines[no - 1] = "·\t·"  # no anchor, label or number left in the line: only the cells say what the row is
    parsed = parse_source(src, YEAR)
    assert parsed.routes == {"t2": "grid", "t3": "grid", "t4": "grid"}
    assert read(parsed) == read(report())
