"""import-notes.md: kept beside the imported report, X810 from make check while it exists, also through the check cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from govreport.checks import check_report
from govreport.cli.commands import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def root(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The empty repository (conftest), as the working folder."""
    monkeypatch.chdir(root)
    return root


def test_notes_written_and_warned_until_deleted(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIXTURES / "xiangshan-2021.txt"), "xiangshan", "2021"]) == 0
    notes = root / "data" / "xiangshan" / "2021" / "import-notes.md"
    out = capsys.readouterr().out
    assert "写入 data/xiangshan/2021/import-notes.md" in out
    text = notes.read_text(encoding="utf-8")
    # every note printed is in the file, with its source line
    assert "`xiangshan-2021.txt:" in text and "3.申请" in text
    found = [f for f in check_report(root, "xiangshan", 2021).findings if f.code == "X810"]
    assert [(f.path, f.line) for f in found] == [("data/xiangshan/2021/import-notes.md", 1)]
    assert main(["check"]) == 1  # the seed's blank 表四 cells (C201) are errors; X810 is a warning
    assert " X810 " in capsys.readouterr().out
    os.utime(notes, (1, 1))
    notes.unlink()
    main(["check"])  # the cache must notice the deleted file
    assert " X810 " not in capsys.readouterr().out
