"""Issue 17: files are what they claim to be, and real files never make a traceback.

Symlinks out of the repository, pages in GBK or UTF-16, report.toml of the
wrong kind or with the wrong types, huge numbers, formula-like cells, a CSV
16 384 columns wide. Each case runs ``make check`` and ``make html`` over a
throw-away repository and asserts a located finding in both, the same set in
both, and nothing of the planted content anywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from security import PAGE, PLANT, build, check, leaks, make_site, ours

DATA = "data/xiangshan/2021"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def both(site: Path) -> tuple[set[tuple[str, str, int | None]], set[tuple[str, str, int | None]]]:
    checked, built = check(site), build(site)
    assert "Traceback" not in checked.text + built.text
    assert leaks(site, checked, built) == []
    return ours(checked.found), ours(built.found)


# ---------------------------------------------------------------- symlinks


def test_csv_symlinked_out_of_the_repository(site: Path) -> None:
    (site / DATA / "table4.csv").unlink()
    (site / DATA / "table4.csv").symlink_to(site.parent / "outside/secret.csv")
    c, b = both(site)
    assert ("F009", f"{DATA}/table4.csv", 1) in c and c == b
    assert not (site / "_build/html/data/xiangshan/2021/table4.csv").exists()


def test_agency_folder_symlinked_from_outside(site: Path) -> None:
    evil = site.parent / "outside/evil/2021"
    evil.mkdir(parents=True)
    (evil / "report.toml").write_text(f'agency = "{PLANT}"\nformat = "2021"\n', encoding="utf-8")
    (evil / "table4.csv").write_text((site / DATA / "table4.csv").read_text(encoding="utf-8") + f"{PLANT},1\n", encoding="utf-8")
    (site / "data/evil").symlink_to(site.parent / "outside/evil")
    c, b = both(site)
    assert ("F009", "data/evil/2021/report.toml", 1) in c and c == b
    assert not list((site / "_build/html").rglob("evil-2021*.json")) or PLANT not in (site / "_build/html/opendata/all.json").read_text(encoding="utf-8")


def test_page_symlinked_out_of_the_repository(site: Path) -> None:
    (site.parent / "outside/page.md").write_text(f"# x\n\n{PLANT}\n", encoding="utf-8")
    (site / PAGE).unlink()
    (site / PAGE).symlink_to(site.parent / "outside/page.md")
    c, b = both(site)
    assert ("F009", PAGE, 1) in c and c == b


def test_symlink_inside_data_is_followed(site: Path) -> None:
    """A link that stays inside data/ is an ordinary file."""
    (site / "data/shared.csv").write_bytes((site / DATA / "table4.csv").read_bytes())
    (site / DATA / "table4.csv").unlink()
    (site / DATA / "table4.csv").symlink_to("../../shared.csv")
    c, b = both(site)
    assert c == b == set()


def test_diff_base_with_symlink_out_of_data(site: Path) -> None:
    """make diff: a symlink in the base revision is refused the same way (no traceback)."""
    git = ["git", "-C", str(site), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(["rm", "-rf", str(site / ".git")], check=True)
    subprocess.run([*git, "init", "-q"], check=True)
    (site / DATA / "table4.csv").rename(site / DATA / "t4.bak")
    (site / DATA / "table4.csv").symlink_to(site.parent / "outside/secret.csv")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (site / DATA / "table4.csv").unlink()
    (site / DATA / "t4.bak").rename(site / DATA / "table4.csv")
    proc = subprocess.run([sys.executable, "-m", "govreport", "diff", "HEAD"], cwd=site, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(site / "ext")))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and PLANT not in proc.stdout + proc.stderr


# ------------------------------------------------------------------- pages


def test_page_in_gbk_is_read_with_a_warning(site: Path) -> None:
    page = site / PAGE
    page.write_bytes(page.read_text(encoding="utf-8").encode("gb18030"))
    c, b = both(site)
    assert c == b == {("F011", PAGE, 1)}
    html = (site / "_build/html/xiangshan/2021.html").read_text(encoding="utf-8")
    assert "一、总体情况" in html


def test_page_in_utf16_is_refused(site: Path) -> None:
    page = site / PAGE
    page.write_bytes(page.read_text(encoding="utf-8").encode("utf-16"))
    c, b = both(site)
    assert ("F010", PAGE, 1) in c and c == b


# ------------------------------------------------------------- report.toml


def test_report_toml_is_a_directory(site: Path) -> None:
    (site / DATA / "report.toml").unlink()
    (site / DATA / "report.toml").mkdir()
    c, b = both(site)
    assert ("F013", f"{DATA}/report.toml", 1) in c and c == b


def test_report_toml_wrong_types(site: Path) -> None:
    (site / DATA / "report.toml").write_text('agency = 123\nfull_name = [1, 2]\nformat = "2021"\npublished = "yesterday"\n', encoding="utf-8")
    c, b = both(site)
    rel = f"{DATA}/report.toml"
    assert {("F012", rel, 1), ("F012", rel, 2), ("F012", rel, 4)} <= c and c == b


def test_report_toml_name_with_a_newline(site: Path) -> None:
    (site / DATA / "report.toml").write_text('agency = "香山\\n:link: https://evil"\nformat = "2021"\n', encoding="utf-8")
    c, b = both(site)
    assert ("F016", f"{DATA}/report.toml", 1) in c and c == b
    assert "evil" not in (site / "_build/html/index.html").read_text(encoding="utf-8")


def test_title_year_differs_from_folder(site: Path) -> None:
    page = site / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("2021年政府信息公开", "2020年政府信息公开", 1), encoding="utf-8")
    c, b = both(site)
    assert ("F014", PAGE, 1) in c and c == b


# ----------------------------------------------------------------- numbers


def _set_cell(site: Path, value: str, table: str = "table4.csv", line: int = 2, field: int = 2) -> None:
    path = site / DATA / table
    rows = path.read_text(encoding="utf-8").splitlines()
    cells = rows[line - 1].split(",")
    cells[field - 1] = value
    rows[line - 1] = ",".join(cells)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_huge_count(site: Path) -> None:
    _set_cell(site, "9" * 5000)
    c, b = both(site)
    assert ("F015", f"{DATA}/table4.csv", 2) in c and c == b


def test_huge_fee_keeps_open_data_valid_json(site: Path) -> None:
    _set_cell(site, "9" * 5000 + ".5", "table2.csv", 14, 2)
    c, b = both(site)
    assert ("F015", f"{DATA}/table2.csv", 14) in c and c == b

    def refuse(name: str) -> None:
        raise AssertionError(f"invalid JSON constant {name}")

    for path in (site / "_build/html/opendata").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def test_formula_cells_are_neutralised_in_open_data(site: Path) -> None:
    meta = site / DATA / "report.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('agency = "沙坡头区香山乡"', 'agency = "=HYPERLINK(\\"http://x\\")"'), encoding="utf-8")
    build(site)
    text = (site / "_build/html/opendata/xiangshan-2021.csv").read_text(encoding="utf-8-sig")
    cells = [c for line in text.splitlines()[1:] for c in line.split(",")]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK" in text


def test_wide_csv_checks_quickly(site: Path) -> None:
    """Excel's used range: 16 384 empty columns on every line."""
    for name in ("table2.csv", "table3.csv", "table4.csv"):
        path = site / DATA / name
        path.write_text("".join(line + "," * 16384 + "\n" for line in path.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    start = time.perf_counter()
    checked = check(site)
    seconds = time.perf_counter() - start
    assert ours(checked.found) == set() and seconds < 1.0, seconds
    start = time.perf_counter()
    built = build(site)
    assert built.status == 0 and ours(built.found) == set()
    print(f"16 384 columns: make check {seconds:.2f} s, make html {time.perf_counter() - start:.2f} s")


def test_waivers_symlinked_out_of_the_repository(site: Path) -> None:
    (site.parent / "outside/waivers.toml").write_text(f'[[waiver]]\ncode = "X801"\nreason = "{PLANT}"\n', encoding="utf-8")
    (site / DATA / "waivers.toml").symlink_to(site.parent / "outside/waivers.toml")
    c, b = both(site)
    assert ("F009", f"{DATA}/waivers.toml", 1) in c and c == b
