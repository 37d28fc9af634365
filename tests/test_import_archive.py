"""An imported report records where it came from, so it can be kept as published.

``make import`` writes ``imported_from`` (the source file's name) into
``report.toml``; a report started with ``make new`` has none. Declaring the
import an archive (``archive = true`` and ``undated = true`` when the original
prints no date) then turns its findings into 原文问题 instead of blocking it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from govreport.checks import check_report
from govreport.importer import import_report
from govreport.model.report import load_report
from govreport.model.scaffold import new_report
from govreport.portal.archive import is_archived

HUAIAN = Path(__file__).resolve().parent / "fixtures" / "huaian-2024.txt"


def test_import_records_its_source_and_can_then_be_archived(root: Path, tmp_path: Path) -> None:
    # as if the original had printed a wrong 总计 in 表三 (3050 is right)
    source = tmp_path / "huaian-2024.txt"
    text = HUAIAN.read_text(encoding="utf-8")
    assert text.count("4   3050") == 1
    source.write_text(text.replace("4   3050", "4   3051"), encoding="utf-8")
    import_report(root, source, "huaian", 2024)
    toml = root / "data" / "huaian" / "2024" / "report.toml"
    meta = tomllib.loads(toml.read_text(encoding="utf-8"))
    assert meta["imported_from"] == "huaian-2024.txt"
    assert "archive" not in meta  # archiving is the writer's decision
    before = check_report(root, "huaian", 2024).findings
    assert any(f.is_error for f in before)
    assert not is_archived(load_report(root, "huaian", 2024))

    toml.write_text(toml.read_text(encoding="utf-8") + "archive = true\nundated = true\n", encoding="utf-8")
    assert is_archived(load_report(root, "huaian", 2024))
    after = check_report(root, "huaian", 2024).findings
    assert not any(f.is_error for f in after)
    # every error of the import is still there, now as a problem of the original
    assert sorted(f.code for f in before if f.is_error) == sorted(f.code for f in after if f.waived and f.code != "X810")


def test_a_new_report_has_no_source(root: Path) -> None:
    new_report(root, "xiangshan", 2022, name="沙坡头区香山乡", full_name="中卫市沙坡头区香山乡人民政府")
    meta = tomllib.loads((root / "data" / "xiangshan" / "2022" / "report.toml").read_text(encoding="utf-8"))
    assert "imported_from" not in meta
