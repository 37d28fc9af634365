"""The check pipeline returns findings and the files read, and leaves the loaded report alone."""

from __future__ import annotations

from pathlib import Path

from govreport.checks import Loads, check_report, run_checks
from govreport.model.report import Report, load_report

ROOT = Path(__file__).parent / "roots" / "test-format2019"


def test_run_checks_does_not_change_the_loaded_report() -> None:
    report = load_report(ROOT, "demo", 2021, ROOT)
    files, findings = list(report.files), list(report.findings)
    asked: list[int] = []

    def previous() -> Report:
        asked.append(1)
        return load_report(ROOT, "demo", 2020)

    found, read = run_checks(report, previous)
    assert report.files == files and report.findings == findings  # untouched
    assert found == [] and asked == [1]
    d = ROOT / "data" / "demo"
    assert read[: len(files)] == files
    assert {d / "2020" / "report.toml", d / "2020" / "table3.csv", ROOT / "demo" / "2021.md", d / "2021" / "waivers.toml"} <= set(read)


def test_shared_loads_are_not_changed_by_checking() -> None:
    loads = Loads(watch=False)
    first = check_report(ROOT, "demo", 2020, ROOT, loads=loads)
    kept = loads.get(ROOT, "demo", 2020)
    before = list(kept.files)
    later = check_report(ROOT, "demo", 2021, ROOT, loads=loads)
    assert first.findings == [] and later.findings == []
    assert kept.files == before and loads.get(ROOT, "demo", 2020) is kept
    assert ROOT / "data/demo/2019/report.toml" in first.files  # absent, noted: adding it re-checks 2020
    assert ROOT / "demo/2020.md" in first.files and ROOT / "demo/2020.md" not in kept.files
    assert set(kept.files) <= set(later.files)  # last year's data is a dependency of this year's check
