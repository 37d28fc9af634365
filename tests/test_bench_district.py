"""The benchmark's district phase (issue 16, item 7) measures what it says: its
generated site has roll-ups, archives and a withheld report, the baseline has the
same pages without the extension, and both build. No timing is asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from govreport.portal.district import make_district

from bench import district, portal
from bench.run import merge_rows

REPO = Path(__file__).parent.parent
_DIRECTIVES = ("{report-table}", "{value}", "{report-chart}", "{agency-history}", "{status-board}", "{report-index}")


def _small(root: Path) -> portal.Portal:
    """A district of 2 towns, 1 department, 2 years (the bench's shape, smaller)."""
    return portal.portal_of(make_district(root, 2, 1, 2, agency_pages=True))


def test_generated_district_has_rollups_archives_and_a_withheld_report(tmp_path: Path) -> None:
    p = portal.generate(tmp_path / "ours", 100)
    assert p.reports == 100  # one copy: 20 units × 5 years
    assert p.rollups == ["quzhengfu"]
    members = (p.root / "data" / "quzhengfu" / "2025" / "report.toml").read_text(encoding="utf-8")
    assert members.count('", "') == portal.TOWNS + portal.DEPTS - 1  # 18 members listed
    assert p.district.archived == ["xiguan/2021"]
    assert p.district.withheld == ["shuiwu/2025"]
    assert len(p.district.units) == 20 and sorted(p.district.years) == [2021, 2022, 2023, 2024, 2025]
    assert (p.root / "docs" / "agency-dongyuan.md").is_file()  # an agency page for every unit
    assert str(REPO / "conf.py") in (p.root / "conf.py").read_text(encoding="utf-8")  # the project's conf.py


def test_baseline_has_the_same_pages_without_the_extension(tmp_path: Path) -> None:
    p = portal.generate(tmp_path / "ours", 100)
    base = tmp_path / "base"
    pages = district.make_baseline(p, base)
    reports = [f"{t.parent.parent.name}/{t.parent.name}" for t in (p.root / "data").glob("*/*/report.toml")]
    assert sorted(k for k in pages if "/" in k and not k.endswith("/index")) == sorted(set(reports) - {"shuiwu/2025"})
    assert not (base / "docs" / "shuiwu" / "2025.md").exists()
    assert {f"agency-{u.slug}" for u in p.district.units} <= set(pages)
    for md in (base / "docs").rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        assert not any(d in text for d in _DIRECTIVES), md
    assert 'extensions = ["myst_parser", "sphinx_design"]\n' in (base / "conf.py").read_text(encoding="utf-8")
    # The roll-up's 表四, which the project sums from its members, is a file in the baseline.
    assert not (p.root / "data" / "quzhengfu" / "2023" / "table4.csv").exists()
    t4 = (base / "data" / "quzhengfu" / "2023" / "table4.csv").read_text(encoding="utf-8")
    assert t4.count("\n") > 3
    page = (base / "docs" / "quzhengfu" / "2023.md").read_text(encoding="utf-8")
    assert ":file: ../../data/quzhengfu/2023/table4.csv" in page
    status = (base / "docs" / "status.md").read_text(encoding="utf-8")
    assert "暂缓发布" in status and "存档原文" in status


def test_warnings_expected() -> None:
    line = "/x/docs/{}.md:1: WARNING: 警告 U910 第一、五部分有 8 句与 2021 年报告相同 [govreport.U910]"
    assert district.warnings_expected(line.format("dongyuan/2022"), ["dongyuan/2022"]) is None
    assert district.warnings_expected("", ["dongyuan/2022"]) is not None  # the expected warning missing
    assert district.warnings_expected(line.format("dongyuan/2022") + "\n/x/docs/a/2021.md:3: WARNING: other", ["dongyuan/2022"])
    # as Sphinx prints it when CI=true
    assert district.warnings_expected("\x1b[91m" + line.format("dongyuan/2022") + "\x1b[39;49;00m", ["dongyuan/2022"]) is None


def test_merge_rows_keeps_the_phases_not_run() -> None:
    old = ("`make bench`（2026-11-27 04:41）：N=200\n\n| 项目 | 结果 | 目标 | |\n|---|---|---|---|\n"
           "| 1. build | 30 s |  |  |\n| 8. district | 1 s |  |  |\n\n第 8 项的基线：旧")
    new = "`make bench`（2026-12-01 14:30）：N=200\n\n| 项目 | 结果 | 目标 | |\n|---|---|---|---|\n| 8. district | 2 s |  |  |\n\n第 8 项的基线：新\n"
    got = merge_rows(old, new)
    assert "| 1. build | 30 s |  |  |\n| 8. district | 2 s |" in got
    assert "| 8. district | 1 s" not in got and "第 8 项的基线：旧" not in got
    assert merge_rows(old, new.replace("8. district | 2 s", "1. build | 31 s")).count("第 8 项的基线：旧") == 1
    assert "本次没有运行的第 1 项沿用 README 原有的结果（运行于 2026-11-27 04:41）。" in got
    again = merge_rows(got, new.replace("14:30", "15:00"))
    assert again.count("运行于 2026-11-27 04:41") == 1 and "15:00）。" not in again
    full = "`make bench`（2026-12-01 16:00）\n\n| 项目 | 结果 | 目标 | |\n|---|---|---|---|\n| 1. build | 29 s |  |  |\n| 8. district | 3 s |  |  |\n"
    assert merge_rows(again, full) == full


@pytest.mark.slow
def test_both_editions_build(tmp_path: Path) -> None:
    """Ours (publish=passing) warns only the 内容雷同 pages; the baseline builds clean (6–10 s: two Sphinx builds)."""
    p = _small(tmp_path / "ours")
    base = tmp_path / "base"
    pages = district.make_baseline(p, base)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "ext"), str(REPO)]))
    for root, extra in ((p.root, ["-D", "govreport_publish=passing"]), (base, [])):
        proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-c", ".", "-b", "html", *extra, "docs", "_build/html"],
                              cwd=root, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
        if root == base:
            assert "WARNING" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-2000:]
        else:
            assert district.warnings_expected(proc.stderr, p.district.repeated) is None, proc.stderr[-2000:]
        for name in pages:
            assert (root / "_build" / "html" / f"{name}.html").is_file(), (root, name)
        for key in p.district.withheld:
            assert not (root / "_build" / "html" / f"{key}.html").exists()
    archived = (p.root / "_build" / "html" / f"{p.district.archived[0]}.html").read_text(encoding="utf-8")
    assert "存档 · 原文照录" in archived
    assert "<svg" in (p.root / "_build" / "html" / f"agency-{p.rollups[0]}.html").read_text(encoding="utf-8")



def test_more_units_than_names_is_still_consistent(tmp_path: Path) -> None:
    """--towns 14 --depts 10 (more than the generator's 12 and 8 names): every unit its own folder and
    name, so the only errors are the withheld report's (issue 21: 347 Y401 at --depts 20 before)."""
    d = make_district(tmp_path / "d", towns=14, depts=10, years=2)
    slugs = [u.slug for u in d.units]
    names = [u.name for u in d.units]
    assert len(set(slugs)) == len(slugs) == 26 and len(set(names)) == len(names)
    assert "dongyuan1" in slugs and "东园镇（2）" in names and "jiaoyu1" in slugs and "示例区教育局（2）" in names
    env = dict(os.environ, PYTHONPATH=str(REPO / "ext"))
    proc = subprocess.run([sys.executable, "-m", "govreport", "check", "--no-cache", "-j", "1"], cwd=d.root, env=env, capture_output=True, text=True)
    errors = [ln for ln in proc.stdout.splitlines() if ": 错误 " in ln]
    assert errors and all(ln.startswith(f"data/{d.withheld[0]}/") for ln in errors), errors
    assert d.withheld == ["shuiwu/2022"]


def test_the_district_command_keeps_the_name_users_type(tmp_path: Path) -> None:
    """``python -m govreport.district DIR``, as the project brief quotes it: the generator moved to
    ``govreport.portal.district`` (issue 20) and the command still runs it, printing the same line."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "ext"))
    dest = tmp_path / "d"
    out = subprocess.run([sys.executable, "-m", "govreport.district", str(dest), "--years", "2"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert out.stdout == f"{dest}: 22 份报告（示例数据），汇总 quzhengfu，存档 1，有错误 1\n"
