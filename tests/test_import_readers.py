"""The registry of readers (issue 20): a new import form is one reader class, registered.

The toy form here is a semicolon-separated export of the report's grid (``.ssv``): one line per
paragraph or table row, ``<`` for a column a merged cell covers across, ``^`` for one covered from
above. No other reader can read its tables, so the import below succeeds only through the toy reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from govreport.importer import Incomplete, form_of, import_report, read_file
from govreport.importer.readers import FORMS, READERS, Input, Reader, register, unregister
from govreport.importer.source import Grid
from govreport.importer.write import notes_markdown
from report_forms import PROSE, SPEC, TITLE, YEAR, placed, values
from test_import_forms import written


class SemicolonReader(Reader):
    """A toy form: the grid exported with semicolons between the cells."""

    name = "ssv"
    forms: ClassVar[dict[str, str]] = {"ssv": "分号分隔的表格导出（.ssv，测试用）"}

    def sniff(self, src: Input) -> int:
        return 100 if src.suffix == ".ssv" and src.text is not None else 0

    def read(self, src: Input) -> Grid:
        assert src.text is not None
        grid = Grid("ssv", by_column=True)
        for no, line in enumerate(src.text.splitlines(), 1):
            fields = line.split(";")
            if len(fields) == 1:
                grid.text(line, no)
            else:
                grid.row(no, {i: "" if f in ("<", "^") else f for i, f in enumerate(fields)}, {i for i, f in enumerate(fields) if f == "<"})
        return grid


def ssv_text() -> str:
    """The report in the toy form."""
    lines = [TITLE]
    for idx, title in enumerate(SPEC.sections):
        lines += [title, *PROSE.get(idx, [])]
        for t in SPEC.tables.values():
            if t.section != idx:
                continue
            lines.append("")
            for row in placed(t):
                fields = ["^"] * t.ncols
                for _r, c, _rs, cs, text in row:
                    fields[c : c + cs] = [text, *["<"] * (cs - 1)]
                lines.append(";".join(fields))
            lines.append("")
    return "\n".join(lines) + "\n"


@pytest.fixture
def toy() -> Iterator[None]:
    register(SemicolonReader)
    yield
    unregister("ssv")


def test_one_registered_class_reads_a_new_form_end_to_end(root: Path, tmp_path: Path, toy: None) -> None:
    src = tmp_path / "示范县2024年报.ssv"
    src.write_text(ssv_text(), encoding="utf-8")
    assert form_of(src.name, b"", ssv_text()) == "ssv"
    made = import_report(root, src, "shifan", YEAR)
    assert (made.parsed.form, made.parsed.name, made.parsed.problems) == ("ssv", "示范县人民政府", [])
    assert written(root, "shifan") == values()
    assert "本年度未收取信息处理费。" in (root / "docs" / "shifan" / f"{YEAR}.md").read_text(encoding="utf-8")
    # Nothing to note, so no import-notes.md; were there any, they would name the form so.
    assert "读作分号分隔的表格导出（.ssv，测试用）。" in notes_markdown(src, made.parsed, [], "示范县", YEAR)


def test_a_file_is_sniffed_once_in_each_round(tmp_path: Path) -> None:
    """The reader is chosen once per file (by its bytes, then by its text), and a source in a newer
    format than the year's (a 2020 report in the 2021 grid) is read again by the same reader."""
    calls: list[bool] = []

    class Counting(SemicolonReader):
        def sniff(self, src: Input) -> int:
            calls.append(src.text is not None)
            return super().sniff(src)

    register(Counting)
    try:
        src = tmp_path / "示范县2020年报.ssv"
        src.write_text(ssv_text(), encoding="utf-8")
        parsed = read_file(src, 2020)
    finally:
        unregister("ssv")
    assert (parsed.form, parsed.version) == ("ssv", "2021") and "2020 年的报告也可以用它" in parsed.notes[0].message
    assert calls == [False, True]


def test_without_the_reader_the_form_is_not_read(root: Path, tmp_path: Path) -> None:
    assert "ssv" not in FORMS and all(r.name != "ssv" for r in READERS)
    src = tmp_path / "示范县2024年报.ssv"
    src.write_text(ssv_text(), encoding="utf-8")
    assert form_of(src.name, b"", ssv_text()) == "text"
    with pytest.raises(Incomplete):
        import_report(root, src, "shifan", YEAR)


def test_registry_settles_the_built_in_forms() -> None:
    """Detection is the registry's: the highest score wins, the text forms only once a file is text."""
    assert [form_of(n, h, t) for n, h, t in [
        ("a.docx", b"PK\x03\x04", None), ("a.xlsx", b"PK\x03\x04", None), ("a.pdf", b"%PDF-1.7", None),
        ("a.png", b"\x89PNG\r\n", None), ("a.doc", b"\xd0\xcf\x11\xe0", None), ("a.txt", b"<html>", "<html><p>x</p>"),
        ("a.md", b"x", "x"), ("a.txt", b"x", "x"), ("a.docx", b"x", "x"),
    ]] == ["docx", "xlsx", "pdf", "ocr", "office", "html", "markdown", "text", "docx"]
    assert {"tab", "pdftotext", "flat", "html", "markdown", "docx", "pdf", "ocr", "doc", "wps", "xlsx", "xls"} <= set(FORMS)
