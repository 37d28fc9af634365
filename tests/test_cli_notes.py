"""The command line after review1: spec typos (1.8), X803 in CI (1.11), checked
reports with their metadata (1.10), the import notes below the checks (1.7, 1.12)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from govreport.cli.commands import main, run_checks
from govreport.findings import flatten
from govreport.format import spec
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

REPO = Path(__file__).resolve().parent.parent


def second_report(repo: Path) -> None:
    shutil.copytree(repo / "data" / "demo" / "2021", repo / "data" / "other" / "2021")
    (repo / "docs" / "other").mkdir()
    shutil.copy(repo / "docs" / "demo" / "2021.md", repo / "docs" / "other" / "2021.md")


# ------------------------------------------------------------------- X803 in CI


def test_undated_once_in_github_format(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    second_report(repo)
    monkeypatch.chdir(repo)
    assert main(["check", "--format", "github"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [ln for ln in out if "X803" in ln] == [
        "::warning file=data/demo/2021/report.toml,title=X803 没有成文日期::2 份报告的 report.toml 没有 published（成文日期），PDF 和网页不显示落款：demo/2021、other/2021"]


def test_undated_once_in_the_job_summary(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    second_report(repo)
    monkeypatch.chdir(repo)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["summary", "--json", str(tmp_path / "s.json")]) == 0  # a warning: never fails
    out = capsys.readouterr().out
    assert out.count("title=X803") == 1, out
    assert summary.read_text(encoding="utf-8").count("X803") == 1
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert "X803" not in [f["code"] for f in doc["findings"]]  # the reports' findings only, like check's JSON
    # from `check --format json` (a list without X803): the same annotations
    assert main(["check", "--format", "json"]) == 0
    (tmp_path / "check.json").write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["summary", "--input", str(tmp_path / "check.json")]) == 0
    assert capsys.readouterr().out == out


def test_dated_reports_have_no_x803(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "data" / "demo" / "2021" / "report.toml"
    path.write_text(path.read_text(encoding="utf-8") + "published = 2022-01-28\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    assert main(["check", "--format", "github"]) == 0
    assert main(["summary"]) == 0
    captured = capsys.readouterr()
    assert "X803" not in captured.out + captured.err


# ------------------------------------------------- results carry their metadata


@pytest.mark.parametrize("cached", [False, True])
def test_results_carry_the_reports_metadata(repo: Path, cached: bool) -> None:
    from govreport.checks.cache import CheckCache

    path = repo / "data" / "demo" / "2021" / "report.toml"
    path.write_text(path.read_text(encoding="utf-8") + "published = 2022-01-28\n", encoding="utf-8")
    if cached:
        run_checks(repo, [], store=CheckCache(repo))
    [r] = run_checks(repo, [], store=CheckCache(repo) if cached else None)
    assert (r.report.key, r.report.name, str(r.report.published), r.report.tables) == ("demo/2021", "沙坡头区香山乡", "2022-01-28", {})


def test_no_alias_of_check_keys() -> None:
    import govreport.cli.commands as cli

    assert not hasattr(cli, "_findings_of")


# ------------------------------------------------------------ a typo in a spec


@pytest.fixture
def typo_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, int]]:
    """The shipped specs in a temporary folder, gov2021.yaml with ``colz:`` for ``cols:``."""
    specs = tmp_path / "specs"
    shutil.copytree(spec.SPEC_DIR, specs)
    path = specs / "gov2021.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, ln in enumerate(lines, 1) if "cols:" in ln)
    lines[line - 1] = lines[line - 1].replace("cols:", "colz:", 1)
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(spec, "SPEC_DIR", specs)
    spec.load_spec.cache_clear()
    spec._versions.cache_clear()
    yield path, line
    spec.load_spec.cache_clear()  # the shipped specs again for the next test
    spec._versions.cache_clear()


def test_spec_typo_in_make_check(repo: Path, typo_spec: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = typo_spec
    monkeypatch.chdir(repo)
    assert main(["check", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert f"specs/{path.name}:{line}: unknown key “colz”" in err, err
    assert "Traceback" not in err


def test_spec_typo_in_sphinx(tmp_path: Path, typo_spec: tuple[Path, int], rootdir: Path) -> None:
    path, line = typo_spec
    src = tmp_path / "site"
    shutil.copytree(rootdir / "test-basic", src)
    with pytest.raises(ConfigError, match=rf"specs/{path.name}:{line}: unknown key “colz”"):
        SphinxTestApp("html", srcdir=src)


def test_spec_typo_in_conf_py(repo: Path, typo_spec: tuple[Path, int]) -> None:
    from govreport.edition.latex import latex_documents_for

    path, line = typo_spec
    with pytest.raises(ConfigError, match=rf"specs/{path.name}:{line}: unknown key “colz”"):
        latex_documents_for(repo)


# ------------------------------------------------------------- the import notes


def test_checks_do_not_import_the_importer() -> None:
    code = "import sys, govreport.checks; print(sorted(m for m in sys.modules if m.startswith('govreport.importer')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                         env=dict(os.environ, PYTHONPATH=str(REPO / "ext")))
    assert out.stdout.strip() == "[]"


def test_importer_uses_the_same_notes() -> None:
    from govreport.checks import notes
    from govreport.importer import NOTES_FILE
    from govreport.importer import notes as importer_notes

    assert NOTES_FILE == notes.NOTES_FILE == "import-notes.md"
    assert importer_notes.check_import_notes is notes.check_import_notes


def test_import_notes_outside_data_are_not_read(repo: Path, tmp_path: Path) -> None:
    from govreport.checks import check_report

    outside = tmp_path / "outside.md"
    outside.write_text("## 部分导入\n- `a`\n- `b`\n- `c`\n", encoding="utf-8")
    (repo / "data" / "demo" / "2021" / "import-notes.md").symlink_to(outside)
    found = check_report(repo, "demo", 2021).findings
    assert flatten(found) == [("F009", "data/demo/2021/import-notes.md", None, None)]
    (repo / "data" / "demo" / "2021" / "import-notes.md").unlink()
    shutil.copy(outside, repo / "data" / "demo" / "2021" / "import-notes.md")
    found = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.line) for f in found] == [("X810", 1)]
    assert "3 条说明" in found[0].message and "部分导入" in found[0].message
