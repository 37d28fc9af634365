"""Issue 17: the Makefile passes every user value as one argument, and TeX runs boxed in.

``make new`` / ``make import`` / ``make diff`` are run for real (make, then
python) with values holding quotes, ``$``, backticks, ``$(shell …)``, spaces
and newlines; nothing they contain may run. The PDF: names with every TeX
special character typeset (a real XeLaTeX run), ``\\input`` of a file outside
the working folder refused by TeX itself, and a runaway TeX stopped.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest
from makerepo import make_repo, run_make
from security import PLANT, ROOT

HOSTILE = [
    '香山$$(touch {canary})乡',
    '香山`touch {canary}`乡',
    "香山'; touch {canary}; echo '乡",
    '香山"; touch {canary}; echo "乡',
    '$(shell touch {canary})',
    '香山 乡 $(NAME) ${HOME} \\ 乡',
    '-n 乡',
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


make = run_make


@pytest.mark.parametrize("template", HOSTILE)
def test_make_new_name_is_one_argument(repo: Path, template: str) -> None:
    canary = repo.parent / "canary"
    name = template.replace("{canary}", str(canary))
    proc = make(repo, "new", "AGENCY=xs", "YEAR=2022", f"NAME={name}", f"FULL_NAME={name}\n第二行")
    assert not canary.exists(), "a value was run as a command"
    assert "Traceback" not in proc.stderr
    if proc.returncode == 0:
        meta = tomllib.loads((repo / "data/xs/2022/report.toml").read_text(encoding="utf-8"))
        assert meta["agency"] == name
    else:  # a newline in FULL_NAME is refused: then nothing is written
        assert "换行" in proc.stderr and not (repo / "data/xs").exists()


def test_make_new_values_verbatim(repo: Path) -> None:
    canary = repo.parent / "canary"
    name = f'香山$$(touch {canary})`touch {canary}`"\'乡'
    proc = make(repo, "new", "AGENCY=xs", "YEAR=2022", f"NAME={name}")
    assert proc.returncode == 0, proc.stderr
    assert not canary.exists()
    assert tomllib.loads((repo / "data/xs/2022/report.toml").read_text(encoding="utf-8"))["agency"] == name


@pytest.mark.parametrize("agency,year", [("xs;touch {canary}", "2022"), ("xs", "2022 $(touch {canary})"), ("$(shell touch {canary})", "2022")])
def test_make_new_bad_folder_names(repo: Path, agency: str, year: str) -> None:
    canary = repo.parent / "canary"
    agency, year = agency.replace("{canary}", str(canary)), year.replace("{canary}", str(canary))
    proc = make(repo, "new", f"AGENCY={agency}", f"YEAR={year}", "NAME=乡")
    assert proc.returncode == 2 and not canary.exists()
    assert "Traceback" not in proc.stderr and not list((repo / "data").iterdir())


def test_make_import_file_name(repo: Path) -> None:
    canary = repo / "canary"  # the commands in the name would run in the repository
    source = repo / "报告 $(touch canary) `touch canary` '.txt"
    source.write_text((ROOT / "tests/fixtures/xiangshan-2021.txt").read_text(encoding="utf-8"), encoding="utf-8")
    proc = make(repo, "import", f"FILE={source.name}", "AGENCY=xs", "YEAR=2021")
    assert proc.returncode == 0, proc.stderr
    assert not canary.exists() and (repo / "data/xs/2021/table3.csv").is_file()


def test_make_diff_base(repo: Path) -> None:
    canary = repo.parent / "canary"
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    proc = make(repo, "diff", f"BASE=HEAD; touch {canary}")
    assert not canary.exists() and "Traceback" not in proc.stderr
    assert proc.returncode == 2 and "找不到 git 版本" in proc.stderr


def test_make_usage_without_values(repo: Path) -> None:
    proc = make(repo, "new")
    assert proc.returncode == 2 and "用法" in proc.stdout


# --------------------------------------------------------------------- TeX


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_tex_cannot_read_outside_its_folder(tmp_path: Path) -> None:
    """Even LaTeX that slipped through: TeX itself refuses (openin_any=p)."""
    from govreport.edition.texrun import typeset

    secret = tmp_path / "secret.txt"
    secret.write_text(PLANT + "\n", encoding="utf-8")
    work = tmp_path / "latex"
    work.mkdir()
    tex = work / "evil.tex"
    tex.write_text(f"\\documentclass{{article}}\\begin{{document}}A\\input{{{secret}}}\\input{{../secret.txt}}B\\end{{document}}\n", encoding="utf-8")
    result = typeset(tex)
    assert not result.ok
    assert any("not allowed" in p or "secret.txt" in p for p in result.problems), result.problems
    pdf = tex.with_suffix(".pdf")
    assert not pdf.exists() or PLANT not in _pdf_text(pdf)


@pytest.mark.slow
def test_runaway_tex_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport.edition import texrun

    monkeypatch.setattr(texrun, "TEX_TIMEOUT", 5)
    tex = tmp_path / "loop.tex"
    tex.write_text("\\documentclass{article}\\begin{document}\\def\\x{\\x}\\x\\end{document}\n", encoding="utf-8")
    result = texrun.typeset(tex)
    assert not result.ok and result.seconds < 30
    assert "超过 5 秒" in result.problems[0]
    assert _running_in(tmp_path) == []  # nothing left running


def _running_in(folder: Path) -> list[int]:
    """The processes whose working folder is ``folder`` or below it: this test's own TeX runs only
    (``pgrep -f loop.tex`` also saw another test run's TeX on the same machine)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cwd = Path(os.readlink(proc / "cwd"))
            except OSError:
                continue
            if cwd == folder or folder in cwd.parents:
                found.append(int(proc.name))
    return found


@pytest.mark.slow
def test_tex_special_characters_in_names(tmp_path: Path) -> None:
    """``& % $ # _ { } ~ ^ \\`` and 香山R&D中心 in report.toml: a PDF whose title shows them, nothing read."""
    from govreport.edition.texrun import typeset
    from security import build, make_site

    site = make_site(tmp_path)
    name = f"香山R&D中心 & % $ # _ {{ }} ~ ^ \\ \\input{{{tmp_path}/outside/secret.txt}}"
    meta = site / "data/xiangshan/2021/report.toml"
    toml_name = name.replace("\\", "\\\\").replace('"', '\\"')
    meta.write_text(meta.read_text(encoding="utf-8").replace('agency = "沙坡头区香山乡"', f'agency = "{toml_name}"'), encoding="utf-8")
    built = build(site, "latex")
    assert built.status == 0, built.text
    result = typeset(site / "_build/latex/xiangshan-2021.tex")
    assert result.ok, result.problems
    text = _pdf_text(site / "_build/latex/xiangshan-2021.pdf")
    assert PLANT not in text
    flat = "".join(text.split())
    assert "香山R&D中心&%$#_{}~^\\\\input{" in flat, flat[:400]
