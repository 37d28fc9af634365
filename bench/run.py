"""``make bench``: how fast the site builds, rebuilds, checks and typesets.

Generates synthetic sites (``bench/synth.py``) under ``bench/work/``, times real
``sphinx-build`` and ``python -m govreport`` processes, and prints medians::

    python -m bench.run                  # N=200, 3 runs, memory also at N=1000
    python -m bench.run --n 500 --runs 5 --big 2000
    python -m bench.run --only check,pdf # a subset: build parallel incremental check pdf memory preview district docx readers

The table goes to stdout, to ``bench/results/<date>-N<n>.md`` (and ``latest.md``)
and, with ``--readme``, into the "## 性能" section of README.md. A benchmark
prints figures; it fails only when a synthetic site is not valid (a finding, a
Sphinx warning) or the incremental rebuild re-reads the wrong pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import district, phases, portal, synth

REPO = synth.REPO
WORK = REPO / "bench" / "work"
RESULTS = REPO / "bench" / "results"
BIN = Path(sys.executable).parent
PY = sys.executable
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "ext"), str(REPO)]), PYTHONHASHSEED="0")
ENV.pop("SOURCE_DATE_EPOCH", None)
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Proc:
    """One finished process: wall and CPU seconds, peak RSS (MiB), exit code,
    output, and the CPU seconds other processes of the machine used meanwhile
    (the machine may be shared: a busy neighbour slows -j 2 most)."""

    seconds: float
    cpu: float
    peak_mib: float
    code: int
    out: str
    err: str
    others: float = 0.0


def _busy() -> float:
    """CPU seconds the whole machine has used since boot (/proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(cmd: Sequence[str], cwd: Path) -> Proc:
    """Run ``cmd`` and measure its wall time, CPU time and peak memory (``wait4``)."""
    return run_together([(cmd, cwd)])[0]


def run_together(jobs: list[tuple[Sequence[str], Path]]) -> list[Proc]:
    """Run the commands at the same time; each one's figures as in ``run``."""
    started = []
    busy, start = _busy(), time.perf_counter()
    for i, (cmd, cwd) in enumerate(jobs):
        out, err = (WORK / f".stdout{i}").open("wb"), (WORK / f".stderr{i}").open("wb")
        started.append((subprocess.Popen(list(cmd), cwd=cwd, env=ENV, stdout=out, stderr=err), out, err))
    done = []
    for i, (p, out, err) in enumerate(started):
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.close()
        err.close()
        done.append(Proc(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, p.returncode,
                         (WORK / f".stdout{i}").read_text(encoding="utf-8", errors="replace"),
                         (WORK / f".stderr{i}").read_text(encoding="utf-8", errors="replace")))
    others = max(0.0, _busy() - busy - sum(d.cpu for d in done))
    for d in done:
        d.others = others
    return done


def sphinx_cmd(site: Path, jobs: int = 1, builder: str = "html", quiet: bool = True, clean: bool = True,
               extra: Sequence[str] = ()) -> list[str]:
    """``sphinx-build`` as the Makefile runs it, from a clean output folder unless
    ``clean`` is false; ``extra``: more options (``-D name=value``)."""
    if clean:
        shutil.rmtree(site / "_build", ignore_errors=True)
    # bench.phases is sphinx-build's own main(), timing the read and write phases too.
    cmd = [PY, "-m", "bench.phases", "-c", ".", "-j", str(jobs), "-b", builder, "docs", f"_build/{builder}", "-d", "_build/doctrees", *extra]
    if quiet:
        cmd.insert(5, "-q")
    return cmd


def built(site: Path, p: Proc) -> Proc:
    """``p``, a build of ``site``, unless it failed or warned: a synthetic site is valid."""
    if p.code != 0 or "WARNING" in p.err or "ERROR" in p.err:
        raise SystemExit(f"build of {site} failed or warned (exit {p.code}):\n{p.err[-3000:]}")
    return p


def sphinx(site: Path, jobs: int = 1, builder: str = "html", quiet: bool = True, clean: bool = True) -> Proc:
    return built(site, run(sphinx_cmd(site, jobs, builder, quiet, clean), site))


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def fmt_runs(xs: list[float], unit: str = "s") -> str:
    """The median, then every run in brackets; ``unit=""`` for ratios."""
    return f"{med(xs):.2f}{' ' + unit if unit else ''} (" + ", ".join(f"{x:.2f}" for x in xs) + ")"


def _paired(a: list[Proc], b: list[Proc]) -> list[float]:
    """Run by run, the time of ``a`` over the time of ``b``."""
    return [x.seconds / y.seconds for x, y in zip(a, b, strict=True)]


@dataclass
class Row:
    what: str
    result: str
    target: str = ""
    ok: bool | None = None


@dataclass
class Report:
    n: int
    runs: int
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, result: str, target: str = "", ok: bool | None = None) -> None:
        self.rows.append(Row(what, result, target, ok))
        mark = "" if ok is None else ("  ✓" if ok else "  ✗ MISSED")
        print(f"  {what}: {result}" + (f"   [target {target}]" if target else "") + mark, flush=True)


# ---------------------------------------------------------------- sites


def make_sites(n: int, seed: int) -> tuple[synth.Site, synth.Site]:
    """The ``ours`` and ``baseline`` editions of one N-report site, checked valid."""
    reports = synth.plan(n, seed)
    ours = synth.make_site(WORK / f"ours-{n}", reports, "ours")
    base = synth.make_site(WORK / f"baseline-{n}", reports, "baseline")
    _same_theme(base.root)
    found = synth.findings_of(ours)
    if found:
        raise SystemExit("synthetic site has findings:\n" + "\n".join(found[:20]))
    return ours, base


def _same_theme(root: Path) -> None:
    """The baseline in the project's theme: the same html_* settings (govreport.web.sitetheme)."""
    conf = root / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + "\n# The project's theme and HTML settings, as the project's own site has them.\n"
        + "import sys as _sys\nfrom pathlib import Path as _Path\n"
        + f"_sys.path.insert(0, {str(REPO / 'ext')!r})\n"
        + "from govreport.web.sitetheme import html_settings as _html_settings\n"
        + "globals().update(_html_settings(_Path(__file__).parent))\n",
        encoding="utf-8",
    )


def bench_preview(rep: Report, ours: synth.Site, runs: int, port: int = 8116) -> None:
    """7. make serve at N: from saving a CSV to the rebuilt page being served."""
    import json
    import urllib.request

    print(f"[7] warm preview (make serve), N={rep.n}, {runs} edits", flush=True)
    target = synth.busy_report(synth.plan(rep.n))
    a, y = target.agency, target.year
    url = f"http://127.0.0.1:{port}/"
    out = WORK / ".preview.log"
    with out.open("w") as log:
        proc = subprocess.Popen([PY, "-m", "govreport.workbench.serve", "--root", str(ours.root), "--port", str(port)],
                                cwd=ours.root, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    try:

        def state() -> dict[str, object]:
            with urllib.request.urlopen(url + "__govreport/state", timeout=5) as r:
                return json.loads(r.read())  # type: ignore[no-any-return]

        def page() -> bytes:
            with urllib.request.urlopen(f"{url}{a}/{y}.html", timeout=5) as r:
                return bytes(r.read())

        start = time.perf_counter()
        while True:
            try:
                if state()["build"]:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - start > 600:
                raise SystemExit(f"the preview did not start: see {out}")
            time.sleep(0.2)
        first = time.perf_counter() - start
        latencies, rebuilds = [], []
        for k in range(runs):
            before = page()
            t0 = time.perf_counter()
            synth.edit_csv(ours.root, a, y, k)
            while page() == before:
                time.sleep(0.01)
            latencies.append(time.perf_counter() - t0)
            rebuilds.append(float(state()["seconds"]))  # type: ignore[arg-type]
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lat = med(latencies)
    rep.add(f"7. 写作预览（make serve，进程常驻），N={rep.n}：保存 CSV → 新页面可取", fmt_runs(latencies)
            + f"；其中进程内重新构建 {fmt_runs(rebuilds)}；浏览器每 0.2 s 询问一次，另加至多 0.2 s", "≤ 1.0 s", lat <= 1.0)
    rep.add("7. 写作预览启动（第一次完整构建）", f"{first:.1f} s")


def machine() -> list[str]:
    import docutils
    import myst_parser
    import sphinx

    cpu = ""
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = ""
    try:
        kb = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")))
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return [
        f"机器：{os.cpu_count()} 核 {cpu}{mem}；{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}，Sphinx {sphinx.__version__}，docutils {docutils.__version__}，"
        f"MyST-Parser {myst_parser.__version__}",
    ]


# ----------------------------------------------------------- benchmarks


def _others(ps: list[Proc]) -> str:
    return f"其他进程同时占用 CPU {med([p.others / p.seconds for p in ps]) * 100:.0f} %"


def bench_build(rep: Report, ours: synth.Site, base: synth.Site, runs: int, jobs: int, parallel: bool) -> dict[str, list[Proc]]:
    """1. Full HTML build, ours against the csv-table baseline, -j 1; 2. -j ``jobs``.

    Each run builds ours and the baseline with -j 1 and then with -j ``jobs``,
    so that every ratio compares builds made under the same conditions."""
    what = f", then -j {jobs}" if parallel else ""
    print(f"[1,2] full HTML build, N={rep.n}, {runs} runs of: ours and baseline -j 1{what}", flush=True)
    got: dict[str, list[Proc]] = {"ours1": [], "base1": [], "ours2": [], "base2": []}
    for _ in range(runs):
        got["ours1"].append(sphinx(ours.root, 1))
        got["base1"].append(sphinx(base.root, 1))
        if parallel:
            got["ours2"].append(sphinx(ours.root, jobs))
            got["base2"].append(sphinx(base.root, jobs))
    o1, b1 = [p.seconds for p in got["ours1"]], [p.seconds for p in got["base1"]]
    # The machine's speed drifts (a build took 22 s one minute and 32 s the
    # next): each ratio compares builds of the same run, made one after the
    # other, and the median of those ratios is reported.
    ratios = _paired(got["ours1"], got["base1"])
    ratio = med(ratios)
    cpu_o, cpu_b = med([p.cpu for p in got["ours1"]]), med([p.cpu for p in got["base1"]])
    rep.add(f"1. 完整构建 HTML，N={rep.n}，-j 1：本项目", fmt_runs(o1) + f"；CPU {cpu_o:.1f} s；{_others(got['ours1'])}")
    rep.add(f"1. 完整构建 HTML，N={rep.n}，-j 1：基线（csv-table）", fmt_runs(b1) + f"；CPU {cpu_b:.1f} s")
    rep.add("1. 本项目 / 基线（同一次运行内相比，取中位数）", fmt_runs(ratios, unit=""), "≤ 1.10", ratio <= 1.10)
    if not parallel:
        return got
    print(f"[2] and once -j {jobs + 1}", flush=True)
    # Sphinx writes with N-1 processes beside the main one: -j N+1 keeps N cores busy.
    got["ours3"] = [sphinx(ours.root, jobs + 1)]
    got["base3"] = [sphinx(base.root, jobs + 1)]
    o2 = [p.seconds for p in got["ours2"]]
    speeds = _paired(got["ours1"], got["ours2"])
    speed = med(speeds)
    rep.add(f"2. 完整构建 HTML，N={rep.n}，-j {jobs}：本项目", fmt_runs(o2) + f"；{_others(got['ours2'])}")
    rep.add(f"2. 加速比 -j 1 / -j {jobs}：本项目（同一次运行内相比）", fmt_runs(speeds, unit=""), "≥ 1.6", speed >= 1.6)
    rep.add(f"2. 加速比 -j 1 / -j {jobs}：基线（Sphinx 本身）", fmt_runs(_paired(got["base1"], got["base2"]), unit=""))
    rep.add(f"2. 加速比 -j 1 / -j {jobs + 1}（同样 {jobs} 核；1 次，与最后一次 -j 1 相比）：本项目 / 基线",
            f"{got['ours1'][-1].seconds / got['ours3'][0].seconds:.2f} / {got['base1'][-1].seconds / got['base3'][0].seconds:.2f}")
    for key, who in (("ours", "本项目"), ("base", "基线")):
        r1, w1 = _phases(got[f"{key}1"])
        r2, w2 = _phases(got[f"{key}2"])
        rep.add(f"2. 读取 / 写出阶段，-j 1 → -j {jobs}：{who}",
                f"读取 {r1:.1f} → {r2:.1f} s（{r1 / r2:.2f}×），写出 {w1:.1f} → {w2:.1f} s（{w1 / w2:.2f}×）")
    if jobs == 2:
        ceiling, alone, both = parallel_ceiling(runs)
        rep.add("2. 本机两核的上限：同一段纯 Python 计算，两个进程同时跑 / 单独跑",
                f"加速比 {ceiling:.2f}（单独 {alone:.2f} s，两个同时 {both:.2f} s）")
    return got


def _phases(ps: list[Proc]) -> tuple[float, float]:
    """Median seconds of Sphinx's read and write phases over the builds ``ps``."""
    got = [phases.parse(p.err) for p in ps]
    if any(g is None for g in got):
        raise SystemExit("a build did not report its phases (bench.phases)")
    return med([g[0] for g in got if g]), med([g[1] for g in got if g])


_SPIN = "import time\nt = time.process_time()\ns = 0\nfor i in range(12_000_000):\n    s += i * i\n"


def parallel_ceiling(runs: int) -> tuple[float, float, float]:
    """What two cores give this machine: a pure-Python loop alone, then two at
    once. (speed-up 2 × alone / both, alone s, both s). On a virtual machine the
    two cores may share one physical core, or be shared with neighbours."""
    alone, both = [], []
    for _ in range(runs):
        alone.append(run([PY, "-c", _SPIN], WORK).seconds)
        both.append(max(p.seconds for p in run_together([([PY, "-c", _SPIN], WORK), ([PY, "-c", _SPIN], WORK)])))
    return 2 * med(alone) / med(both), med(alone), med(both)


def _reread(out: str) -> list[str]:
    """Docnames a (non-quiet) sphinx-build says it read."""
    return sorted(set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", out)))


def _rebuilds(site: synth.Site, agency: str, year: int, runs: int, expect: list[str]) -> tuple[list[float], list[float]]:
    """Build once; then rebuild with nothing changed, and after each of ``runs``
    edits of one CSV, checking the pages re-read. (no-op times, edit times)"""
    if not (site.root / "_build" / "doctrees" / "environment.pickle").is_file():
        sphinx(site.root, 1, quiet=False)  # the writer's preview has built once
    noop, edits = [], []
    for k in range(runs):
        p = sphinx(site.root, 1, quiet=False, clean=False)
        if _reread(p.out):
            raise SystemExit(f"{site.root}: a rebuild without changes re-read {_reread(p.out)}")
        noop.append(p.seconds)
        time.sleep(0.02)  # a later mtime than the last read
        synth.edit_csv(site.root, agency, year, k)
        p = sphinx(site.root, 1, quiet=False, clean=False)
        if _reread(p.out) != expect:
            raise SystemExit(f"{site.root}: the rebuild re-read {_reread(p.out)}, expected {expect}")
        edits.append(p.seconds)
    return noop, edits


def bench_incremental(rep: Report, ours: synth.Site, base: synth.Site, runs: int, full: float | None) -> None:
    """3. Edit one CSV, rebuild: which pages are re-read, and how long it takes."""
    print(f"[3] incremental rebuild after one CSV changes, N={rep.n}, -j 1, {runs} runs", flush=True)
    target = synth.busy_report(synth.plan(rep.n))  # same seed: the same numbers as the site
    a, y = target.agency, target.year
    expect = [f"{a}/{y}", f"{a}/{y + 1}"]
    noop, edits = _rebuilds(ours, a, y, runs, expect)
    base_noop, base_edits = _rebuilds(base, a, y, runs, [f"{a}/{y}"])
    full = full or sphinx(ours.root, 1).seconds
    frac = med(edits) / full
    rep.add("3. 改一个 CSV 后重新读取的页面", f"{', '.join(expect)}（恰为用到该 CSV 的两页：本年页面和下一年的跨年检查）", "恰为这两页", True)
    rep.add(f"3. 增量构建时间，N={rep.n}", fmt_runs(edits) + f"；完整构建的 {100 * frac:.1f} %", "≤ 5 %", frac <= 0.05)
    rep.add("3. 没有改动时的重新构建（下限：启动、读环境、写索引页）", fmt_runs(noop))
    rep.add("3. 基线（csv-table，重新读取 1 页）：增量构建 / 没有改动", f"{med(base_edits):.2f} s / {med(base_noop):.2f} s")


def _age(root: Path, seconds: float = 600) -> None:
    """Date every file of a site ``seconds`` back: a real site's files were not
    all saved in the last two seconds (``make check`` does not keep the results
    of files saved during or just before a run)."""
    past = time.time() - seconds
    for dirpath, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(dirpath, name), (past, past))


def bench_check(rep: Report, n: int, runs: int, seed: int) -> None:
    """4. ``python -m govreport check`` over N reports: every report checked (no
    results kept: a first run, CI), nothing changed, one CSV edited; and
    ``python -c pass``."""
    print(f"[4] make check over N={n} reports, {runs} runs each: all checked, nothing changed, one CSV edited", flush=True)
    reports = synth.plan(n, seed)
    site = synth.make_site(WORK / f"check-{n}", reports, "ours")
    _age(site.root)
    target = synth.busy_report(reports)

    def check(*extra: str, errors: bool = False) -> Proc:
        p = run([PY, "-m", "govreport", "check", *extra], site.root)
        if p.code != 0 or f"检查了 {n} 份报告：0 个错误，0 个警告" not in p.out:
            raise SystemExit(f"check of the synthetic site failed:\n{p.out[-2000:]}{p.err[-2000:]}")
        return p

    cold, warm, edited, floor, imports = [], [], [], [], []
    for k in range(runs):
        cold.append(check("--no-cache").seconds)
        check()  # keeps the results
        p = check()
        if f"{n} 份报告的文件自上次检查后没有改动" not in p.out:
            raise SystemExit(f"the second check did not take every report from the first:\n{p.out[-500:]}")
        warm.append(p.seconds)
        synth.edit_csv(site.root, target.agency, target.year, k)
        p = check()
        if f"{n - 2} 份报告的文件自上次检查后没有改动" not in p.out:
            raise SystemExit(f"after one CSV changed, the check did not re-check exactly 2 reports:\n{p.out[-500:]}")
        edited.append(p.seconds)
        _age(site.root)
        floor.append(run([PY, "-c", "pass"], site.root).seconds)
        imports.append(run([PY, "-c", "import govreport.cli.commands"], site.root).seconds)
    rep.add(f"4. make check，N={n}，全部检查（首次运行、CI，或 --no-cache；墙钟）", fmt_runs(cold), "≤ 1.0 s", med(cold) <= 1.0)
    rep.add(f"4. make check，N={n}，改了一个 CSV 后（重新检查 2 份，其余沿用上次结果）", fmt_runs(edited), "≤ 1.0 s", med(edited) <= 1.0)
    rep.add(f"4. make check，N={n}，没有改动", fmt_runs(warm))
    rep.add("4. 下限：python -c pass；import govreport.cli", f"{med(floor):.3f} s；{med(imports):.3f} s")


def bench_pdf(rep: Report, n: int, runs: int, seed: int, jobs: int) -> None:
    """5. One report's PDF, and all PDFs of an n-report site with ``jobs`` jobs."""
    if shutil.which("xdvipdfmx") is None or shutil.which("xelatex") is None:
        rep.add("5. PDF", "跳过：没有 xelatex/xdvipdfmx")
        return
    from govreport.edition import texrun
    from govreport.edition.texrun import typeset

    print(f"[5] PDF: one report ({runs} runs), then all {n} with -j {jobs}", flush=True)
    site = synth.make_site(WORK / f"pdf-{n}", synth.plan(n, seed), "ours")
    latex = sphinx(site.root, 1, builder="latex")
    tex_dir = site.root / "_build" / "latex"
    texs = sorted(tex_dir.glob("*.tex"))

    def clean() -> None:
        for p in tex_dir.iterdir():
            if p.suffix in (*texrun.FEEDBACK, ".log", ".pdf", ".fls", ".xdv", ".settled"):  # what typesetting writes
                p.unlink()

    one, nruns = [], []
    for _ in range(runs):
        clean()
        t = typeset(texs[0])
        if not t.ok:
            raise SystemExit(f"PDF failed: {t.problems}")
        one.append(t.seconds)
        nruns.append(t.runs)
    clean()
    p = run([PY, "-m", "govreport", "pdf", "-j", str(jobs)], site.root)
    if p.code != 0:
        raise SystemExit(f"govreport pdf failed:\n{p.err[-2000:]}")
    each = [float(m) for m in re.findall(r" ([\d.]+) s, \d+ 次 XeLaTeX", p.out)]
    runs_all = sorted({int(m) for m in re.findall(r" s, (\d+) 次 XeLaTeX", p.out)})
    rep.add("5. 一份报告的 PDF（XeLaTeX 排到稳定 + xdvipdfmx）", fmt_runs(one) + f"；XeLaTeX {'/'.join(map(str, sorted(set(nruns))))} 次",
            "≤ 5 s", med(one) <= 5.0)
    rep.add(f"5. {n} 份报告的全部 PDF，-j {jobs}（墙钟）",
            f"{p.seconds:.1f} s（每份 {med(each):.1f} s，XeLaTeX {'/'.join(map(str, runs_all))} 次；{len(each)} 个 PDF 并行排版）",
            f"并行，约 {n}×单份/{jobs}", p.seconds <= 1.25 * n * med(one) / jobs)
    rep.add(f"5. 生成 LaTeX（sphinx-build -b latex，{n} 份）", f"{latex.seconds:.1f} s")


def bench_memory(rep: Report, n: int, builds: dict[str, list[Proc]], big: int, big_runs: int, seed: int) -> None:
    """6. Peak RSS of the full build (-j 1) at N and at ``big``."""
    if builds.get("ours1"):
        m1, m2 = med([p.peak_mib for p in builds["ours1"]]), med([p.peak_mib for p in builds["base1"]])
        rep.add(f"6. 峰值内存，N={n}，-j 1：本项目 / 基线", f"{m1:.0f} MiB / {m2:.0f} MiB（{m1 / m2:.2f}×）")
    if not big:
        return
    print(f"[6] peak memory of the full build, N={big}, -j 1, {big_runs} run(s); ours and baseline side by side", flush=True)
    ours, base = make_sites(big, seed)
    po, pb = [], []
    for _ in range(big_runs):
        # At the same time, one core each: peak memory is per process, and the
        # two long builds take the time of one.
        o, b = run_together([(sphinx_cmd(ours.root), ours.root), (sphinx_cmd(base.root), base.root)])
        po.append(built(ours.root, o))
        pb.append(built(base.root, b))
    mo, mb = med([p.peak_mib for p in po]), med([p.peak_mib for p in pb])
    rep.add(f"6. 峰值内存，N={big}，-j 1：本项目 / 基线", f"{mo:.0f} MiB / {mb:.0f} MiB（{mo / mb:.2f}×）")
    rep.add(f"6. 完整构建时间，N={big}，-j 1：本项目 / 基线（{big_runs} 次，两者同时各占一核，仅供参考）",
            f"{med([p.seconds for p in po]):.0f} s / {med([p.seconds for p in pb]):.0f} s；CPU {med([p.cpu for p in po]):.0f} s / {med([p.cpu for p in pb]):.0f} s")
    shutil.rmtree(ours.root, ignore_errors=True)
    shutil.rmtree(base.root, ignore_errors=True)


def _district_pages(ed: district.Editions) -> None:
    """After a build of both editions: the same pages in each, the withheld report
    in neither, and in ours what makes a district (archive banner, roll-up
    drill-down, charts on the agency pages)."""
    ours, base, d = ed.ours.root / "_build" / "html", ed.base / "_build" / "html", ed.ours.district
    for name in ed.pages:
        for out in (ours, base):
            if not (out / f"{name}.html").is_file():
                raise SystemExit(f"district: {out / name}.html was not built")
    for key in d.withheld:
        for out in (ours, base):
            if (out / f"{key}.html").exists():
                raise SystemExit(f"district: the withheld report {key} was published in {out}")
    if not d.archived or not d.withheld or not ed.ours.rollups:
        raise SystemExit("district: no archive, withheld report or roll-up")
    checks = [(d.archived[0], "存档 · 原文照录"), (f"{ed.ours.rollups[0]}/{d.years[-1]}", "汇总明细"),
              (f"agency-{ed.ours.rollups[0]}", "<svg"), (f"{ed.ours.rollups[0]}/index", "<svg")]
    for name, mark in checks:
        if mark not in (ours / f"{name}.html").read_text(encoding="utf-8"):
            raise SystemExit(f"district: {name}.html has no {mark!r}")


def bench_district(rep: Report, n: int, check_n: int, runs: int, seed: int) -> None:
    """8. The district-shaped site (roll-ups, several years, archives, agency pages
    and charts): full HTML build against its baseline; at ``check_n`` the roll-up
    checks and the status board (``bench/portal.py``)."""
    print(f"[8] district (roll-ups, {portal.YEARS} years, archives, agency pages and charts), N≈{n}: full HTML build, "
          f"{runs} runs of: ours and baseline -j 1; then N≈{check_n}: checks, roll-up checks, status board", flush=True)
    ed = district.make_editions(WORK, n, seed)
    _same_theme(ed.base)
    site = ed.ours
    passing = ["-D", "govreport_publish=passing"]  # as make site builds a portal: the report with an error left out
    ours, base = [], []
    for k in range(runs):
        p = run(sphinx_cmd(site.root, 1, extra=passing), site.root)
        problem = f"exit {p.code}" if p.code else district.warnings_expected(p.err, site.district.repeated)
        if problem:
            raise SystemExit(f"build of {site.root} failed or warned ({problem}):\n{p.err[-3000:]}")
        ours.append(p)
        base.append(sphinx(ed.base, 1))
        if k == 0:
            _district_pages(ed)
    ratios = _paired(ours, base)
    who = f"N={site.reports}（{len(site.district.units)} 个单位，{len(site.rollups)} 份汇总/年，{len(ed.pages)} 页）"
    rep.add(f"8. 区级站点完整构建 HTML，{who}，-j 1：本项目（publish=passing，含机构页和图表）",
            fmt_runs([p.seconds for p in ours]) + f"；CPU {med([p.cpu for p in ours]):.1f} s；{_others(ours)}")
    rep.add("8. 区级站点完整构建 HTML，-j 1：基线（csv-table，机构页和状态为手写表格，无图表）",
            fmt_runs([p.seconds for p in base]) + f"；CPU {med([p.cpu for p in base]):.1f} s")
    rep.add("8. 区级站点 本项目 / 基线（同一次运行内相比，取中位数）", fmt_runs(ratios, unit=""), "≤ 1.10", med(ratios) <= 1.10)
    big = site if portal.copies_for(check_n) == portal.copies_for(n) else portal.generate(WORK / f"district-{check_n}", check_n, seed)
    rep.add(f"8. 生成区级示例站点，N={big.reports}", big.describe())
    busy, start = _busy(), time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows = portal.check_rows(big, runs)
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - own.ru_utime - own.ru_stime
    others = max(0.0, _busy() - busy - cpu) / (time.perf_counter() - start)
    for what, t in rows:
        rep.add(f"8. N={big.reports}：{what}", fmt_runs(t[1]))
    rep.add(f"8. N={big.reports}：以上计时期间其他进程占用 CPU", f"{others * 100:.0f} %")
    rep.notes.append("第 8 项的基线：同样的页面（有错误而暂缓发布的报告两边都没有）不用本项目，三张表换成读同一 CSV 的 `csv-table`"
                     "（汇总报告的表四写成文件），正文数字直接写，机构页和状态看板是手写的同样数字的表格（没有图表），"
                     "目录是普通 toctree，不加载扩展，用本项目的主题；本项目按 `make site` 的方式构建（publish=passing：先检查全部报告，这一步按核数并行，所以本项目 -j 1 的 CPU 时间可以超过墙钟；基线没有检查）。")


def bench_docx(rep: Report, n: int, runs: int, seed: int, jobs: int) -> None:
    """9. The Word edition: ``sphinx-build -b docx`` of an n-report site, as ``make docx`` runs it
    (its own doctrees: reading every page, then writing one .docx each)."""
    print(f"[9] Word: sphinx-build -b docx of {n} reports ({runs} runs, -j 1 and -j {jobs})", flush=True)
    site = synth.make_site(WORK / f"docx-{n}", synth.plan(n, seed), "ours")
    one = [sphinx(site.root, 1, builder="docx") for _ in range(runs)]
    files = sorted((site.root / "_build" / "docx").glob("*.docx"))
    if len(files) != n:
        raise SystemExit(f"make docx wrote {len(files)} files for {n} reports")
    par = [sphinx(site.root, jobs, builder="docx") for _ in range(runs)]
    read, write = _phases(one)
    size = sum(f.stat().st_size for f in files) / len(files) / 1024
    rep.add(f"9. Word 版：sphinx-build -b docx，{n} 份报告，-j 1（墙钟）",
            f"{fmt_runs([p.seconds for p in one])}；读 {read:.1f} s，写 {write:.1f} s；{_others(one)}")
    rep.add("9. Word 版每份报告增加的时间（写：取 doctree、生成 .docx、打包；读页面与网页版相同）",
            f"{write / n * 1000:.0f} ms（读 + 写 {med([p.seconds for p in one]) / n * 1000:.0f} ms）；每个文件 {size:.0f} KiB")
    rep.add(f"9. Word 版：{n} 份报告，-j {jobs}（墙钟）", f"{fmt_runs([p.seconds for p in par])}；{_others(par)}")
def bench_readers(rep: Report, sizes: list[int], runs: int, jobs: int, search_sizes: list[int]) -> None:
    """10. Readers on a phone (issue 21, ``bench/readers.py``): first paint and bytes of the
    index, a report, a roll-up, an agency page; the first search result; against the site
    as it was (Sphinx's search, the whole theme); the search index's size and build time;
    searches alone at ``search_sizes`` (N=5,000)."""
    from bench import readers

    print(f"[10] readers on an emulated phone (N={', '.join(map(str, sizes))}): {readers.describe()}", flush=True)
    for n in sizes:
        for what, result, target, ok in readers.rows_for(n, runs, jobs):
            rep.add(f"10. {what}", result, target, ok)
    for n in search_sizes:
        for what, result, target, ok in readers.search_rows(n, runs, jobs):
            rep.add(f"10. {what}", result, target, ok)
    rep.notes.append("第 10 项：" + readers.describe() + "；首次内容绘制取 " + str(runs) + " 次的中位数。")


# --------------------------------------------------------------- output


def table(rep: Report, header: list[str]) -> str:
    lines = [*header, "", "| 项目 | 结果 | 目标 | |", "|---|---|---|---|"]
    for r in rep.rows:
        mark = "" if r.ok is None else ("达到" if r.ok else "**未达到**")
        lines.append(f"| {r.what} | {r.result} | {r.target} | {mark} |")
    if rep.notes:
        lines += ["", *rep.notes]
    return "\n".join(lines) + "\n"


_ITEM = re.compile(r"^\| (\d+)\. ")
_KEPT = "沿用 README 原有的结果"


def merge_rows(old: str, text: str) -> str:
    """``text`` (a new table) with the rows of ``old`` (the README's table) whose
    items it lacks, in item order: a run of some phases keeps the others' rows,
    with a note saying they are older, and the notes that went with them."""
    new_lines, old_lines = text.rstrip("\n").split("\n"), old.rstrip("\n").split("\n")
    items = {m.group(1) for ln in new_lines if (m := _ITEM.match(ln))}
    kept = [ln for ln in old_lines if (m := _ITEM.match(ln)) and m.group(1) not in items]
    if not kept:
        return text
    rows = [i for i, ln in enumerate(new_lines) if _ITEM.match(ln)]
    start, end = (rows[0], rows[-1] + 1) if rows else (len(new_lines), len(new_lines))
    merged = sorted([*new_lines[start:end], *kept], key=lambda ln: int(_ITEM.match(ln).group(1)))  # type: ignore[union-attr]
    last = max(i for i, ln in enumerate(old_lines) if ln.startswith("|"))
    # An old note goes with the rows it names (第 8 项的基线…).
    kept_items = {_ITEM.match(ln).group(1) for ln in kept}  # type: ignore[union-attr]
    notes = [ln for ln in old_lines[last + 1:] if _KEPT not in ln and (m := re.match(r"第 (\d+) 项", ln)) and m.group(1) in kept_items]
    # When each kept row was measured: the old table's time, or an older one its notes name.
    when = re.search(r"（(\d{4}-\d\d-\d\d \d\d:\d\d)）", old_lines[0])
    measured = {}
    for ln in old_lines[last + 1:]:
        if _KEPT in ln and (m := re.search(r"第 (\S+) 项.*运行于 ([^）]+)）", ln)):
            measured.update(dict.fromkeys(m.group(1).split("、"), m.group(2)))
    by_time: dict[str, list[str]] = {}
    for item in sorted(dict.fromkeys(_ITEM.match(ln).group(1) for ln in kept), key=int):  # type: ignore[union-attr]
        by_time.setdefault(measured.get(item, when.group(1) if when else "时间不明"), []).append(item)
    kept_notes = [f"本次没有运行的第 {'、'.join(items)} 项{_KEPT}（运行于 {t}）。" for t, items in by_time.items()]
    out = [*new_lines[:start], *merged, *new_lines[end:], *([""] if not new_lines[end:] else []), *notes, *kept_notes]
    return "\n".join(out) + "\n"


def update_readme(text: str) -> None:
    readme = REPO / "README.md"
    src = readme.read_text(encoding="utf-8")
    if README_START in src and README_END in src:
        text = merge_rows(src.split(README_START, 1)[1].split(README_END, 1)[0].strip("\n"), text)
    block = f"{README_START}\n{text}{README_END}"
    if README_START in src and README_END in src:
        src = re.sub(re.escape(README_START) + ".*?" + re.escape(README_END), lambda _: block, src, flags=re.S)
    else:
        src = src.rstrip("\n") + f"\n\n## 性能\n\n{block}\n"
    readme.write_text(src, encoding="utf-8")


STEPS = ("build", "parallel", "incremental", "check", "pdf", "memory", "preview", "district", "docx", "readers")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="reports in the site (default 200)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement, median reported (default 3)")
    ap.add_argument("--check-n", type=int, default=1000, help="reports for `make check` and for the district's checks and status board (default 1000)")
    ap.add_argument("--big", type=int, default=1000, help="second N for peak memory (default 1000; 0: skip)")
    ap.add_argument("--big-runs", type=int, default=1, help="builds at the big N (default 1: they are long)")
    ap.add_argument("--search-n", type=int, default=5000, help="reports for the search-alone rows of readers (default 5000; 0: skip)")
    ap.add_argument("--pdf-n", type=int, default=20, help="reports in the PDF site (default 20)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel jobs for -j and the PDFs (default 2)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}")
    ap.add_argument("--readme", action="store_true", help="put the table into README.md (## 性能)")
    args = ap.parse_args(argv)
    steps = set(args.only.split(","))
    unknown = steps - set(STEPS)
    if unknown:
        ap.error(f"unknown steps: {', '.join(sorted(unknown))}")
    WORK.mkdir(parents=True, exist_ok=True)
    head = machine()
    print("\n".join(head), flush=True)
    started = time.perf_counter()
    rep = Report(args.n, args.runs)
    builds: dict[str, list[Proc]] = {}
    if steps & {"build", "parallel", "incremental", "memory", "preview"}:
        ours, base = make_sites(args.n, args.seed)
        if steps & {"build", "parallel", "memory"}:
            builds = bench_build(rep, ours, base, args.runs, args.jobs, "parallel" in steps)
        if "incremental" in steps:
            full = med([p.seconds for p in builds["ours1"]]) if builds.get("ours1") else None
            bench_incremental(rep, ours, base, args.runs, full)
        if "preview" in steps:
            bench_preview(rep, ours, args.runs)
    if "check" in steps:
        bench_check(rep, args.check_n, args.runs, args.seed)
    if "pdf" in steps:
        bench_pdf(rep, args.pdf_n, args.runs, args.seed, args.jobs)
    if "docx" in steps:
        bench_docx(rep, args.pdf_n, args.runs, args.seed, args.jobs)
    if "memory" in steps:
        bench_memory(rep, args.n, builds, args.big, args.big_runs, args.seed)
    if "district" in steps:
        bench_district(rep, args.n, args.check_n, args.runs, args.seed)
    if "readers" in steps:
        bench_readers(rep, [args.n, *([args.big] if args.big else [])], args.runs, args.jobs, [args.search_n] if args.search_n else [])
    total = time.perf_counter() - started
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    header = [f"`make bench`（{when}）：N={args.n}，每项 {args.runs} 次取中位数（括号内为各次），"
              f"N={args.big} 的构建 {args.big_runs} 次；-j 1 除非注明；整个基准用时 {total / 60:.1f} 分钟。", "", *head]
    text = table(rep, header)
    print("\n" + text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{dt.datetime.now():%Y%m%d-%H%M}-N{args.n}.md"
    (RESULTS / name).write_text(text, encoding="utf-8")
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(f"写入 {RESULTS / name}")
    if args.readme:
        update_readme(text)
        print("已更新 README.md 的“性能”一节")
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
