"""Portal benchmarks (issue 16) on a synthetic district of about N reports (示例数据).

    PYTHONPATH=ext:. python -m bench.portal [--n 1000] [--build]

Rows: generating the district, every check (no cache, -j 2), the roll-up checks
alone, the status board (cold: no check cache; warm: as ``make status`` after
``make check``), and with ``--build`` the HTML build with agency pages and charts.
Each timing is a fresh process (``python -m govreport …``), median of ``--runs``.

``make bench`` runs the same timings in its ``district`` phase (``bench/run.py``,
with a plain-Sphinx baseline for the build); the functions here are shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govreport.portal.district import District

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "district"
TOWNS, DEPTS, YEARS = 12, 6, 5
Timing = tuple[float, list[float]]  # median, every run


@dataclass
class Portal:
    """A generated district: where, what it holds, how long it took to write."""

    root: Path
    district: District
    reports: int
    rollups: list[str]  # roll-up units (one per copy of the district)
    plain: list[str]  # as many ordinary units, for comparison
    seconds: float
    written: float  # time.time() when the last file was written

    def describe(self) -> str:
        members = len(self.district.units) // len(self.rollups) - 2  # each copy: its members, the vertical unit, the roll-up
        return (f"{self.reports} 份报告（{len(self.district.units)} 个单位 × {len(self.district.years)} 年，{len(self.rollups)} 个汇总单位，"
                f"各汇总 {members} 个成员；存档 {len(self.district.archived)} 份，有错误而暂缓发布 "
                f"{len(self.district.withheld)} 份），生成用时 {self.seconds:.1f} s")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO / "ext"))


def timed(cmd: list[str], cwd: Path, runs: int, before: list[str] | None = None) -> Timing:
    """Wall seconds of ``cmd`` (a fresh process each run), after ``before`` if given."""
    env = _env()
    times = []
    for _ in range(runs):
        if before:
            subprocess.run(before, cwd=cwd, env=env, check=True, capture_output=True)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return statistics.median(times), times


def fmt(t: Timing) -> str:
    return f"{t[0]:.2f} s ({', '.join(f'{x:.2f}' for x in t[1])})"


def copies_for(n: int) -> int:
    """Copies of the district (each ``(TOWNS + DEPTS + 2) × YEARS`` reports) for about ``n`` reports."""
    return max(1, round(n / ((TOWNS + DEPTS + 2) * YEARS)))


def generate(dest: Path, n: int, seed: int = 1) -> Portal:
    """Write a district of about ``n`` reports at ``dest`` (replaced), with an agency
    page for every unit and the project's own conf.py."""
    from govreport.portal.district import make_district

    start = time.perf_counter()
    d = make_district(dest, TOWNS, DEPTS, YEARS, seed=seed, copies=copies_for(n), agency_pages=True)
    return portal_of(d, time.perf_counter() - start)


def portal_of(d: District, seconds: float = 0.0) -> Portal:
    """The district ``d`` (written by ``make_district``) with the project's own conf.py."""
    dest = d.root
    # The project's own conf.py (its sidebars, its LaTeX), run for this folder.
    main_conf = REPO / "conf.py"
    (dest / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO / 'ext')!r})\n"
        f"_SRC = open({str(main_conf)!r}, encoding='utf-8').read()\n"
        f"_OLD = {'ROOT = Path(__file__).parent.resolve()'!r}\n_NEW = {f'ROOT = Path({str(dest)!r})'!r}\n"
        f"exec(compile(_SRC.replace(_OLD, _NEW), {str(main_conf)!r}, 'exec'))\n", encoding="utf-8")
    count = len(list((dest / "data").glob("*/*/report.toml")))
    rollups = sorted({u.slug for u in d.units if u.rollup})
    plain = sorted({u.slug for u in d.units if not u.rollup})[: len(rollups)]
    return Portal(dest, d, count, rollups, plain, seconds, time.time())


def check_rows(p: Portal, runs: int) -> list[tuple[str, Timing]]:
    """Every check, the roll-up checks alone (and as many unit reports), the status board cold and warm."""
    # The check cache keeps no result of files changed in the last 2 s.
    time.sleep(max(0.0, p.written + 3 - time.time()))
    py, root = sys.executable, p.root
    clear = ["rm", "-rf", "_build/.govreport"]
    rows = [("全部检查，无缓存，-j 2", timed([py, "-m", "govreport", "check", "--no-cache", "-j", "2"], root, runs))]
    rows.append((f"汇总报告的检查（{len(p.rollups) * len(p.district.years)} 份汇总，无缓存，-j 1）",
                 timed([py, "-m", "govreport", "check", "--no-cache", "-j", "1", *p.rollups], root, runs)))
    rows.append((f"同样份数的单位报告的检查（对照，{len(p.plain) * len(p.district.years)} 份）",
                 timed([py, "-m", "govreport", "check", "--no-cache", "-j", "1", *p.plain], root, runs)))
    rows.append(("状态看板 make status，冷（没有检查缓存）", timed([py, "-m", "govreport", "status", "-j", "2"], root, runs, before=clear)))
    subprocess.run([py, "-m", "govreport", "check"], cwd=root, env=_env(), capture_output=True)
    rows.append(("状态看板 make status，热（make check 之后）", timed([py, "-m", "govreport", "status", "-j", "2"], root, runs)))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--build", action="store_true", help="also the HTML build (-j 1) with agency pages and charts")
    a = ap.parse_args(argv)
    p = generate(WORK, a.n)
    rows = [("生成区级示例站点", p.describe())]
    rows += [(k, fmt(t)) for k, t in check_rows(p, a.runs)]
    if a.build:
        out = WORK / "_build" / "html"
        cmd = [sys.executable, "-m", "sphinx", "-q", "-c", str(WORK), "-b", "html", "-D", "govreport_publish=passing", "-j", "1",
               str(WORK / "docs"), str(out), "-E"]
        rows.append(("完整构建 HTML（含每个单位的历年页和图表），-j 1，publish=passing", fmt(timed(cmd, WORK, 1))))
    print("| 项目 | 结果 |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
