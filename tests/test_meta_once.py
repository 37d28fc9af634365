"""report.toml is read once, validated, and only the validated values are used
(review1 1.2, 1.9 and the addendum: officialdoc, portalmeta and the deadline rule)."""

from __future__ import annotations

import collections
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from govreport.checks import check_report
from govreport.findings import Finding, flatten
from govreport.model.report import load_meta
from govreport.portal.archive import is_archived
from govreport.portal.portalmeta import deadline, portal_meta
from govreport.portal.status import board

TOML = "data/demo/2021/report.toml"
SECRET = "SECRET-VALUE-91c2"


def write_meta(repo: Path, extra: str, drop: str | None = None) -> int:
    """Append ``extra`` to the sample's report.toml (without the line starting with
    ``drop``); the line number of ``extra``'s first line."""
    path = repo / TOML
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if drop is None or not ln.startswith(drop)]
    path.write_text("\n".join([*lines, extra]) + "\n", encoding="utf-8")
    return len(lines) + 1


def texts(findings: list[Finding]) -> str:
    return "\n".join(f"{f.message}|{f.expected}|{f.found}" for f in findings)


def codes(repo: Path) -> list[tuple[str, str, int | None, str | None]]:
    return flatten(check_report(repo, "demo", 2021).findings)


@pytest.fixture
def outside_toml(repo: Path, tmp_path: Path) -> Iterator[Path]:
    """report.toml a symlink to a file outside data/ that holds every key a reader could echo."""
    target = tmp_path / "outside.toml"
    target.write_text(f'agency = "{SECRET}"\nformat = "2021"\ndeadline = "{SECRET}"\ntitle_break = "{SECRET}"\n'
                      f'archive = true\nimported_from = "{SECRET}"\nmembers = ["{SECRET}"]\npublished = 2022-01-20\n', encoding="utf-8")
    (repo / TOML).unlink()
    (repo / TOML).symlink_to(target)
    yield target


def test_symlinked_out_report_toml_is_never_echoed(repo: Path, outside_toml: Path) -> None:
    found = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.path) for f in found if f.code == "F009"] == [("F009", TOML)]
    assert SECRET not in texts(found)
    assert not any(f.code in ("X805", "X806", "A951", "A952") for f in found), texts(found)


def test_portal_never_reads_a_symlinked_out_report_toml(repo: Path, outside_toml: Path) -> None:
    meta = portal_meta(repo / "data" / "demo" / "2021")
    assert (meta.is_rollup, meta.archive, meta.imported_from, meta.name, meta.published) == (False, False, "", "", None)
    [row] = board(repo, use_cache=False)
    assert SECRET not in "".join(row.cells())


def test_refused_deadline_is_not_used(repo: Path) -> None:
    line = write_meta(repo, "deadline = 5")
    assert codes(repo) == [("F012", TOML, line, None)]  # not also X805 “实为 5”


def test_refused_title_break_is_not_used(repo: Path) -> None:
    line = write_meta(repo, 'title_break = "测试乡\\n2021年|政府信息公开工作年度报告"')
    found = check_report(repo, "demo", 2021).findings
    assert flatten(found) == [("F016", TOML, line, None)]  # not also X806 with the raw newline
    assert load_meta(repo, "demo", 2021).title_break is None


def test_title_break_kept_on_the_report(repo: Path) -> None:
    write_meta(repo, 'title_break = "沙坡头区|香山乡2021年|政府信息公开工作年度报告"')
    assert load_meta(repo, "demo", 2021).title_break == "沙坡头区|香山乡2021年|政府信息公开工作年度报告"
    assert codes(repo) == []


def count_reads(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    real_text, real_bytes = Path.read_text, Path.read_bytes

    def read_text(self: Path, *a: object, **k: object) -> str:
        counts[self.name] += 1
        return real_text(self, *a, **k)  # type: ignore[arg-type]

    def read_bytes(self: Path) -> bytes:
        counts[self.name] += 1
        return real_bytes(self)

    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return counts


def test_make_check_reads_report_toml_once(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from govreport.cli.commands import main

    write_meta(repo, 'deadline = "03-31"\ntitle_break = "沙坡头区|香山乡2021年|政府信息公开工作年度报告"')
    monkeypatch.chdir(repo)
    counts = count_reads(monkeypatch)
    assert main(["check", "--no-cache"]) == 0
    assert counts["report.toml"] == 1, counts  # was 5: read_meta, officialdoc ×2, X803, portal, page scan
    assert "X803" in capsys.readouterr().err


def test_format_is_optional(repo: Path) -> None:
    write_meta(repo, "", drop="format")
    assert codes(repo) == []  # no F007 “缺少必填项 format”
    assert load_meta(repo, "demo", 2021).format == "2021"


def test_format_defaults_by_year(repo: Path) -> None:
    """A 2020 report without ``format`` is read in the 2019 format (README)."""
    (repo / "data" / "demo" / "2021").rename(repo / "data" / "demo" / "2020")
    path = repo / "data" / "demo" / "2020" / "report.toml"
    path.write_text('agency = "测试乡"\n', encoding="utf-8")
    r = load_meta(repo, "demo", 2020)
    assert (r.format, [f.code for f in r.findings]) == ("2019", [])


# ------------------------------------------------------------ one deadline rule


def test_one_deadline_rule_for_check_and_status(repo: Path) -> None:
    from govreport.model.officialdoc import due  # the one rule (new with review1)

    write_meta(repo, 'deadline = "03-31"\npublished = 2022-03-15')
    assert codes(repo) == []
    [row] = board(repo, use_cache=False)
    assert row.due == due(2021, "03-31") == dt.date(2022, 3, 31) and row.on_time is True
    assert deadline(2021, portal_meta(repo / "data" / "demo" / "2021")) == dt.date(2022, 3, 31)


def test_level_is_retired(repo: Path) -> None:
    """``level`` (issue 16) no longer sets the deadline: X805 says to write ``deadline``,
    and the status board agrees with X804 (31 January)."""
    line = write_meta(repo, 'level = "县级以上地方人民政府"\npublished = 2022-03-15')
    assert codes(repo) == [("X804", TOML, None, None), ("X805", TOML, line, None)]
    msg = next(f.message for f in check_report(repo, "demo", 2021).findings if f.code == "X805")
    assert 'deadline = "03-31"' in msg
    [row] = board(repo, use_cache=False)
    assert row.due == dt.date(2022, 1, 31) and row.on_time is False


def test_portal_keys_are_typed(repo: Path) -> None:
    line = write_meta(repo, 'archive = "yes"\nimported_from = 7\nmembers = "a"\ndraft = 1')
    assert codes(repo) == [("F012", TOML, line + i, None) for i in range(4)]
    meta = portal_meta(repo / "data" / "demo" / "2021")
    assert (meta.archive, meta.imported_from, meta.is_rollup, meta.draft) == (False, "", False, False)
    assert not is_archived(load_meta(repo, "demo", 2021))


def test_portal_name_is_the_validated_one(repo: Path) -> None:
    write_meta(repo, 'agency = "测试\\n乡"', drop="agency")
    assert portal_meta(repo / "data" / "demo" / "2021").name == ""  # refused (F016): the folder name stands in
    [row] = board(repo, use_cache=False)
    assert row.name == "demo"


def test_portal_meta_follows_edits(repo: Path) -> None:
    d = repo / "data" / "demo" / "2021"
    assert portal_meta(d).deadline == "01-31"
    write_meta(repo, 'deadline = "03-31"')
    os.utime(d / "report.toml", ns=(1, 10**18))  # a new stamp whatever the clock's resolution
    assert portal_meta(d).deadline == "03-31"


def test_undated_archive_is_not_asked_for_a_date(tmp_path: Path) -> None:
    """An archive whose original prints no 成文日期 is not in X803: the date cannot be supplied."""
    from govreport.model.officialdoc import undated
    from govreport.model.report import Report

    plain = Report(root=tmp_path, agency="a", year=2024)
    archived = Report(root=tmp_path, agency="b", year=2024, archive=True, undated=True)
    found = undated([plain, archived])
    assert found is not None and "1 份报告" in found.message and "a/2024" in found.message and "b/2024" not in found.message
    assert undated([archived]) is None
