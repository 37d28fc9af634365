"""Review and publishing at district scale (issue 22): figures, not assertions.

    PYTHONPATH=ext:. python -m bench.publish_scale [--n 1000] [--shards 10] [--shard 1] [--skip-pr] [--every-shard [--no-pdf]]

On a synthetic district of about N reports (示例数据, ``bench.portal.generate``),
made a git repository, each step a fresh process as in the workflows, timed
wall-clock with its peak memory (GNU time, the largest process of the step):

- main's build, as the preview cache holds it: ``make ci-mtimes``, the HTML site
  (``site --no-pdf``) and the LaTeX sources (the PDFs of all N are not typeset:
  too long for this machine; the stamps would make them up to date);
- a pull request changing one number (表二 of the vertical unit's first year: no
  roll-up sums it; its next year's report reads it): the annotations and job
  summary (``summary --changed-since``) with main's check cache and without;
  the preview's HTML, its LaTeX, and the PDFs of the reports it reaches;
- sharded publishing: shard ``--shard`` of ``--shards`` (its checks, pages,
  Word files and PDFs), timed and measured; with ``--every-shard``, every shard
  one after another (``--no-pdf``: without their PDFs), then ``make
  site-assemble``: each shard's time and peak memory, and the assembly's.

Prints a Markdown table; the machine's load is printed with it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.portal import REPO, generate

WORK = REPO / "bench" / "work" / "publish-scale"
OLD = "946684800"  # make ci-mtimes


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO / "ext"), GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="b@example.org",
                GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="b@example.org", GIT_CONFIG_GLOBAL="/dev/null",
                GIT_CONFIG_NOSYSTEM="1", SOURCE_DATE_EPOCH="1706659200", FORCE_SOURCE_DATE="1")


def run(cmd: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Wall seconds, peak MB (GNU time: the largest process of the step) and output of ``cmd``."""
    fmt = "GNUTIME %e %M"
    proc = subprocess.run(["/usr/bin/time", "-f", fmt, *cmd], cwd=cwd, env=_env(), capture_output=True, text=True)
    m = re.search(r"GNUTIME ([\d.]+) (\d+)", proc.stderr)
    if proc.returncode not in ok or m is None:
        raise SystemExit(f"{' '.join(cmd)} 失败（{proc.returncode}）：\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return float(m.group(1)), int(m.group(2)) / 1024, proc.stdout + proc.stderr


def sphinx_latex(root: Path) -> list[str]:
    """The LaTeX build exactly as ``publish.build_pdfs`` runs it."""
    return [sys.executable, "-m", "sphinx", "-q", "-c", str(root), "-b", "latex", "-d", str(root / "_build/publish/doctrees/latex"),
            "-D", "govreport_publish=passing", "-j", "1", str(root / "docs"), str(root / "_build/publish/latex")]


def mtimes(root: Path) -> None:
    subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "ci-mtimes"], cwd=root, check=True, env=_env())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--shards", type=int, default=10)
    ap.add_argument("--shard", type=int, default=1, help="which shard to run (0: none)")
    ap.add_argument("--skip-pr", action="store_true")
    ap.add_argument("--every-shard", action="store_true", help="every shard one after another, then the assembly")
    ap.add_argument("--no-pdf", action="store_true", help="--every-shard without PDFs (shards and assembly)")
    a = ap.parse_args(argv)
    py = sys.executable
    rows: list[tuple[str, str]] = []

    def row(name: str, t: tuple[float, float, str], extra: str = "") -> None:
        rows.append((name, f"{t[0]:.1f} s，峰值内存 {t[1]:.0f} MB{extra}"))
        print(f"| {name} | {rows[-1][1]} |", flush=True)

    p = generate(WORK, a.n)
    root = p.root
    print(f"生成：{p.describe()}；uptime：{os.getloadavg()}", flush=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=_env())
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=_env())
    subprocess.run(["git", "commit", "-qm", "main"], cwd=root, check=True, env=_env())
    mtimes(root)

    if not a.skip_pr:
        row(f"main 的构建：网页版（site --no-pdf，{p.reports} 份，含全部检查）", run([py, "-m", "govreport", "site", "-j", "2", "--no-pdf"], root))
        row("main 的构建：LaTeX 源文件（全部报告）", run(sphinx_latex(root), root))
        # The pull request: one number of the vertical unit's first year (not summed by a roll-up).
        unit = sorted(d.name for d in (root / "data").iterdir() if d.name.startswith("shuiwu"))[0]
        year = min(int(y.name) for y in (root / "data" / unit).iterdir())
        t2 = root / "data" / unit / str(year) / "table2.csv"
        lines = t2.read_text(encoding="utf-8").splitlines()
        i = next(k for k, ln in enumerate(lines) if ln.startswith("行政规范性文件,"))
        cells = lines[i].split(",")
        cells[1] = str(int(cells[1]) + 1)
        lines[i] = ",".join(cells)
        t2.write_text("\n".join(lines) + "\n", encoding="utf-8")
        subprocess.run(["git", "commit", "-qam", "一个数字"], cwd=root, check=True, env=_env())
        mtimes(root)
        summary = [py, "-m", "govreport", "summary", "--json", "_build/check/findings.json", "--changed-since", "HEAD~1", "-j", "2"]
        cache = root / "_build" / ".govreport"
        shutil.copytree(cache, WORK.parent / "check-cache-main", dirs_exist_ok=True)
        shutil.rmtree(cache)
        row("拉取请求：标注和作业摘要，没有检查缓存", run(summary, root, ok=(0, 1)))
        shutil.rmtree(cache)
        shutil.copytree(WORK.parent / "check-cache-main", cache)
        t = run(summary, root, ok=(0, 1))
        changed = (root / "_build/check/changed.json").read_text(encoding="utf-8")
        row("拉取请求：标注和作业摘要，带 main 的检查缓存", t)
        row("拉取请求：预览网页版（增量）", run([py, "-m", "govreport", "site", "-j", "2", "--no-pdf"], root))
        row("拉取请求：预览 LaTeX（增量：只写出重读页面的 .tex）", run(sphinx_latex(root), root))

        reach = json.loads(changed)
        names = [k.replace("/", "-") for k in [*reach["changed"], *reach["next_year"], *reach["rollups"]]]
        code = (f"import sys; from pathlib import Path; from govreport.edition.pdf import build_all; "
                f"sys.exit(build_all(Path('_build/publish/latex'), Path('_build/publish/pdf'), jobs=2, names={names!r}))")
        row(f"拉取请求：改动所及报告的 PDF（{len(names)} 份：{', '.join(names)}）", run([py, "-c", code], root))

    def shard(k: int, pdf: bool) -> None:
        t = run([py, "-m", "govreport.portal.shardsite", "shard", f"{k}/{a.shards}", "-j", "2", *([] if pdf else ["--no-pdf"])], root)
        m = re.search(r"分片 \S+：(\d+) 个单位，(\d+) 份报告，(\d+) 份的网页", t[2])
        extra = f"（{m.group(1)} 个单位，{m.group(2)} 份报告，发布 {m.group(3)} 份）" if m else ""
        row(f"分片发布：分片 {k}/{a.shards}（检查、网页、Word 版{'和 PDF' if pdf else '，不排 PDF'}）", t, extra)

    if a.shard:
        shard(a.shard, True)
    if a.every_shard:
        for k in range(1, a.shards + 1):
            shard(k, not a.no_pdf)
        t = run([py, "-m", "govreport.portal.shardsite", "assemble", "-j", "2", *(["--no-pdf"] if a.no_pdf else [])], root)
        pages = sum(1 for _ in (root / "_build" / "site").rglob("*.html"))
        row(f"分片发布：汇总（make site-assemble{'，不含 PDF' if a.no_pdf else ''}）", t, f"（网站 {pages} 个页面）")
    print(f"\nuptime（结束时）：{os.getloadavg()}；{time.strftime('%Y-%m-%d %H:%M:%S')}")
    print("| 步骤 | 结果 |\n|---|---|")
    for name, v in rows:
        print(f"| {name} | {v} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
