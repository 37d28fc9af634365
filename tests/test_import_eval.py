"""make import-eval on the shared real reports: every form detected, no number wrong or invented.

The samples are tests/fixtures/real-reports, byte-identical copies of the shared
real reports (see tests/fixtures/README.md), so the test runs on any clone, CI
included; it fails, never skips, when they are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from govreport.cli.commands import main
from govreport.importer.evaluate import Score, evaluate

REAL = Path(__file__).resolve().parent / "fixtures" / "real-reports"


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    assert (REAL / "expected.json").is_file(), f"the vendored real reports are missing: {REAL}"
    return {Path(s.file).name: s for s in evaluate(REAL)}


def test_every_form_detected(scores: dict[str, Score]) -> None:
    assert {k: s.form for k, s in scores.items()} == {
        "000_0111ab58c84f3498.txt": "tab",
        "huaian-shi_2024.txt": "pdftotext",
        "pingtan-syq_2025.txt": "flat",
        "pingtan-syq_2025.html": "html",
        "shanghai-szfbgt_2025.md": "markdown",
        # Each form with cells again, 表三's 本年新收 written "151件", "3*", "1,000", "<b>0</b>" (evaluate.MARKS).
        "000_0111ab58c84f3498.txt（单位与标记）": "tab",
        "huaian-shi_2024.txt（单位与标记）": "pdftotext",
        "pingtan-syq_2025.html（单位与标记）": "html",
        "shanghai-szfbgt_2025.md（单位与标记）": "markdown",
    }


def test_nothing_wrong_or_invented(scores: dict[str, Score]) -> None:
    assert {k: (s.wrong, s.invented, s.misses, s.error) for k, s in scores.items()} == {k: (0, 0, [], "") for k in scores}


def test_numbers_right(scores: dict[str, Score]) -> None:
    # Blank where the source cannot say: 平潭's flattened 行政规范性文件 "5845546" has 15 splits
    # (no relation ties 制发/废止/现行有效); Shanghai's 表二 rows keep 2 of 3 numbers.
    assert {k: (s.right, s.blank, s.total) for k, s in scores.items()} == {
        "000_0111ab58c84f3498.txt": (200, 0, 200),
        "huaian-shi_2024.txt": (200, 0, 200),
        "pingtan-syq_2025.txt": (197, 3, 200),
        "pingtan-syq_2025.html": (200, 0, 200),
        "shanghai-szfbgt_2025.md": (194, 6, 200),
        "000_0111ab58c84f3498.txt（单位与标记）": (200, 0, 200),
        "huaian-shi_2024.txt（单位与标记）": (200, 0, 200),
        "pingtan-syq_2025.html（单位与标记）": (200, 0, 200),
        "shanghai-szfbgt_2025.md（单位与标记）": (194, 6, 200),
    }


def test_agency_names_without_page_furniture(scores: dict[str, Score]) -> None:
    assert scores["pingtan-syq_2025.txt"].name == "平潭综合实验区"  # from "标题: 平潭综合实验区2025年度…"
    assert scores["pingtan-syq_2025.html"].name == "平潭综合实验区"
    assert scores["shanghai-szfbgt_2025.md"].name == "上海市人民政府办公厅"


def test_command_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-eval", str(REAL)]) == 0
    out = capsys.readouterr().out
    assert "| `pingtan-syq_2025.txt` | flat | 平潭综合实验区 | 197 | 0 | 3 | 200 |" in out


def test_command_fails_on_an_invented_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    data = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
    entry = next(e for e in data["reports"] if e["file"] == "huaian-shi_2024.txt")
    entry["table3"]["new"][0] = 3000  # the truth changed: the import now has a wrong number
    (tmp_path / "huaian-shi_2024.txt").write_bytes((REAL / "huaian-shi_2024.txt").read_bytes())
    (tmp_path / "expected.json").write_text(json.dumps({"_doc": "", "reports": [entry]}, ensure_ascii=False), encoding="utf-8")
    assert main(["import-eval", str(tmp_path)]) == 1
    assert "表三 new.natural：真值 3000，导入 3001" in capsys.readouterr().out


def test_flat_row_decided_by_the_column_sums() -> None:
    """平潭 （一）予以公开 "330000033": 33|0…|33 and 3|30|0…|33 both satisfy the row sum; only the first lets
    the results column sum (（七）总计 147 自然人) hold, so it is read, and the note says why."""
    from govreport.importer import read_file

    src = REAL / "pingtan-syq_2025.txt"
    assert src.is_file(), src
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / src.name
        body.write_bytes(src.read_bytes().split(b"\n", 1)[1])
        parsed = read_file(body, 2025)
    assert parsed.values["t3"][("open", "natural")] == 33
    assert any("330000033" in n.message and "按表三的列合计" in n.message for n in parsed.notes)


def test_flat_text_with_each_table_on_its_own_line() -> None:
    """Another archiver keeps a line break before each heading and table: the same numbers, every section found."""
    import tempfile

    from govreport.importer import read_file

    body = (REAL / "pingtan-syq_2025.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    split = body
    for mark in ("二、主动公开政府信息情况", "第二十条第（一）项", "三、收到和处理", "（本列数据", "四、政府信息公开行政复议", "行政复议行政诉讼", "五、存在"):
        split = split.replace(mark, "\n" + mark, 1)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "one.txt").write_text(body, encoding="utf-8")
        (Path(tmp) / "split.txt").write_text(split, encoding="utf-8")
        one, lines = read_file(Path(tmp) / "one.txt", 2025), read_file(Path(tmp) / "split.txt", 2025)
    assert lines.form == "flat" and lines.problems == []
    assert lines.values == one.values
