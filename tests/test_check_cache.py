"""``govreport check`` keeps results between runs and re-checks exactly the
reports whose files (or whose last year's files, or the code) changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from govreport.checks import cache, checkrun
from govreport.checks import check_report as real_check_report
from govreport.cli import commands as cli
from govreport.cli.commands import main
from govreport.portal import synth

AGENCY = synth.plan(6, seed=5)[0].agency  # the first agency has 2021-2025


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    root = synth.make_site(tmp_path / "site", synth.plan(6, seed=5)).root
    _age(root)
    return root


def _age(root: Path, seconds: float = 60) -> None:
    """Make every file older than the start of the next run (files saved during
    or just before a run are never cached)."""
    past = time.time() - seconds
    for dirpath, _, names in os.walk(root):
        for n in names:
            os.utime(os.path.join(dirpath, n), (past, past))


@pytest.fixture()
def checked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The reports actually checked (not taken from the cache) by ``run_checks``."""
    calls: list[tuple[str, int]] = []

    def spy(root: Path, agency: str, year: int, *args: object, **kw: object) -> object:
        calls.append((agency, year))
        return real_check_report(root, agency, year, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(checkrun, "check_report", spy)
    return calls


def _run(root: Path, cache: bool) -> list[str]:
    store = cli.CheckCache(root) if cache else None
    results = cli.run_checks(root, [], jobs=1, store=store)
    return [f.text() for r in results for f in r.findings]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_second_run_checks_nothing_and_says_the_same(site: Path, checked: list[tuple[str, int]]) -> None:
    first = _run(site, cache=True)
    assert len(checked) == 6
    assert (site / cache.CACHE_FILE).is_file()
    checked.clear()
    assert _run(site, cache=True) == first
    assert checked == []


def test_an_edited_csv_rechecks_its_report_and_next_year(site: Path, checked: list[tuple[str, int]]) -> None:
    _run(site, cache=True)
    checked.clear()
    csv = site / "data" / AGENCY / "2022" / "table3.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = str(int(cells[1]) + 1)  # 一、本年新收, 自然人: the row total no longer adds up
    lines[1] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = _run(site, cache=True)
    assert sorted(checked) == [(AGENCY, 2022), (AGENCY, 2023)]
    assert any(" R303 " in f for f in found)
    # Saved just now, so not stored yet: checked again next time, then stored.
    checked.clear()
    assert _run(site, cache=True) == found
    assert sorted(checked) == [(AGENCY, 2022), (AGENCY, 2023)]
    _age(site)
    checked.clear()
    _run(site, cache=True)
    checked.clear()
    assert _run(site, cache=True) == found
    assert checked == []


def test_a_new_waivers_file_and_an_edited_page_recheck(site: Path, checked: list[tuple[str, int]]) -> None:
    _run(site, cache=True)
    checked.clear()
    (site / "data" / AGENCY / "2024" / "waivers.toml").write_text('[[waiver]]\ncode = "Y402"\nreason = "测试"\n', encoding="utf-8")
    page = site / "docs" / AGENCY / "2021.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n本年共收到申请 99999 件。\n", encoding="utf-8")
    found = _run(site, cache=True)
    # 2022 too: its 内容雷同 check (U910) reads 2021's page
    assert sorted(checked) == [(AGENCY, 2021), (AGENCY, 2022), (AGENCY, 2024)]
    assert any(" V702 " in f and "2024/waivers.toml" in f for f in found)
    assert any(" P601 " in f and "2021.md" in f for f in found)


def test_a_changed_code_or_a_broken_cache_checks_everything(site: Path, checked: list[tuple[str, int]],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(site, cache=True)
    (site / cache.CACHE_FILE).write_bytes(b"not a pickle")
    checked.clear()
    assert _run(site, cache=True) == first
    assert len(checked) == 6
    monkeypatch.setattr(cache, "code_digest", lambda: b"another version of the checks")
    checked.clear()
    assert _run(site, cache=True) == first
    assert len(checked) == 6


def test_no_cache_neither_reads_nor_writes(site: Path, checked: list[tuple[str, int]]) -> None:
    _run(site, cache=False)
    assert not (site / cache.CACHE_FILE).exists()
    _run(site, cache=True)
    checked.clear()
    _run(site, cache=False)
    assert len(checked) == 6


def test_a_deleted_report_leaves_the_cache(site: Path) -> None:
    _run(site, cache=True)
    import shutil

    shutil.rmtree(site / "data" / AGENCY / "2025")
    (site / "docs" / AGENCY / "2025.md").unlink()
    _run(site, cache=True)
    assert (AGENCY, 2025) not in cache.CheckCache(site).entries


def test_code_digest_follows_the_code_and_the_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "checks.py").write_text("A = 1\n")
    (tmp_path / "specs" / "gov2021.yaml").write_text("rows: []\n")
    (tmp_path / "notes.txt").write_text("not code")
    monkeypatch.setattr(cache, "_PACKAGE", tmp_path)
    before = cache.code_digest()
    (tmp_path / "notes.txt").write_text("still not code")
    assert cache.code_digest() == before
    (tmp_path / "specs" / "gov2021.yaml").write_text("rows: [x]\n")
    after_spec = cache.code_digest()
    assert after_spec != before
    (tmp_path / "checks.py").write_text("A = 2\n")
    assert cache.code_digest() not in (before, after_spec)


def test_make_check_says_how_many_reports_it_took_from_the_last_run(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(site)
    assert main(["check", "-j", "1"]) == 0
    assert capsys.readouterr().out == "检查了 6 份报告：0 个错误，0 个警告，0 个已豁免。\n"
    assert main(["check", "-j", "1"]) == 0
    assert capsys.readouterr().out == "检查了 6 份报告：0 个错误，0 个警告，0 个已豁免。（6 份报告的文件自上次检查后没有改动，沿用了上次的结果）\n"
    assert main(["check", "-j", "1", "--no-cache"]) == 0
    assert capsys.readouterr().out == "检查了 6 份报告：0 个错误，0 个警告，0 个已豁免。\n"


def test_parallel_runs_fill_the_cache_too(site: Path, monkeypatch: pytest.MonkeyPatch, checked: list[tuple[str, int]]) -> None:
    monkeypatch.setattr(checkrun, "PARALLEL_MIN", 1)
    page = site / "docs" / AGENCY / "2023.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n本年共收到申请 99999 件。\n", encoding="utf-8")
    _age(site)
    serial = [f.text() for r in cli.run_checks(site, [], jobs=1) for f in r.findings]
    parallel = [f.text() for r in cli.run_checks(site, [], jobs=2, store=cli.CheckCache(site)) for f in r.findings]
    assert parallel == serial and len(serial) == 1
    assert len(cache.CheckCache(site).entries) == 6
    checked.clear()
    store = cli.CheckCache(site)
    assert [f.text() for r in cli.run_checks(site, [], jobs=2, store=store) for f in r.findings] == serial
    assert store.hits == 6 and checked == []
