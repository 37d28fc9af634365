"""Portal benchmarks (issue 16) on a synthetic district of about N reports (示例数据).

    PYTHONPATH=ext:. python -m bench.portal [--n 1000] [--build]

Rows: generating the district, every check (no cache, -j 2), the roll-up checks
alone, the status board (cold: no check cache; warm: as ``make status`` after
``make check``), and with ``--build`` the HTML build with agency pages and charts.
Each timing is a fresh process (``python -m govreport …``), median of ``--runs``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "district"


def _timed(cmd: list[str], cwd: Path, runs: int, before: list[str] | None = None) -> tuple[float, list[float]]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "ext"))
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


def _fmt(t: tuple[float, list[float]]) -> str:
    return f"{t[0]:.2f} s ({', '.join(f'{x:.2f}' for x in t[1])})"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--build", action="store_true", help="also the HTML build (-j 1) with agency pages and charts")
    a = p.parse_args(argv)
    from govreport.district import make_district

    towns, depts, years = 12, 6, 5
    per_copy = (towns + depts + 2) * years
    copies = max(1, round(a.n / per_copy))
    start = time.perf_counter()
    d = make_district(WORK, towns, depts, years, seed=1, copies=copies, agency_pages=True)
    gen = time.perf_counter() - start
    time.sleep(3)  # the check cache keeps no result of files changed in the last 2 s
    # The project's own conf.py (its sidebars, its LaTeX), run for this folder.
    main_conf = REPO / "conf.py"
    (WORK / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO / 'ext')!r})\n"
        f"_SRC = open({str(main_conf)!r}, encoding='utf-8').read()\n"
        f"_OLD = {'ROOT = Path(__file__).parent.resolve()'!r}\n_NEW = {f'ROOT = Path({str(WORK)!r})'!r}\n"
        f"exec(compile(_SRC.replace(_OLD, _NEW), {str(main_conf)!r}, 'exec'))\n", encoding="utf-8")
    n = len(list((WORK / "data").glob("*/*/report.toml")))
    rollups = sorted({u.slug for u in d.units if u.rollup})
    py = sys.executable
    clear = ["rm", "-rf", "_build/.govreport"]
    rows = [("生成区级示例站点", f"{n} 份报告（{len(d.units)} 个单位 × {years} 年，{len(rollups)} 个汇总单位，各汇总 {towns + depts} 个成员），{gen:.1f} s")]
    rows.append(("全部检查，无缓存，-j 2", _fmt(_timed([py, "-m", "govreport", "check", "--no-cache", "-j", "2"], WORK, a.runs))))
    rows.append((f"汇总报告的检查（{len(rollups) * years} 份汇总，无缓存，-j 1）",
                 _fmt(_timed([py, "-m", "govreport", "check", "--no-cache", "-j", "1", *rollups], WORK, a.runs))))
    plain = sorted({u.slug for u in d.units if not u.rollup})[: len(rollups)]
    rows.append((f"同样份数的单位报告的检查（对照，{len(plain) * years} 份）",
                 _fmt(_timed([py, "-m", "govreport", "check", "--no-cache", "-j", "1", *plain], WORK, a.runs))))
    rows.append(("状态看板 make status，冷（没有检查缓存）", _fmt(_timed([py, "-m", "govreport", "status", "-j", "2"], WORK, a.runs, before=clear))))
    subprocess.run([py, "-m", "govreport", "check"], cwd=WORK, env=dict(os.environ, PYTHONPATH=str(REPO / "ext")), capture_output=True)
    rows.append(("状态看板 make status，热（make check 之后）", _fmt(_timed([py, "-m", "govreport", "status", "-j", "2"], WORK, a.runs))))
    if a.build:
        out = WORK / "_build" / "html"
        cmd = [py, "-m", "sphinx", "-q", "-c", str(WORK), "-b", "html", "-D", "govreport_publish=passing", "-j", "1",
               str(WORK / "docs"), str(out), "-E"]
        rows.append(("完整构建 HTML（含每个单位的历年页和图表），-j 1，publish=passing", _fmt(_timed(cmd, WORK, 1))))
    print("| 项目 | 结果 |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
