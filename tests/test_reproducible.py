"""Reproducible editions: two builds of the same sources, with SOURCE_DATE_EPOCH
set as the workflows set it, give byte-identical HTML files and PDFs.

The two builds run in different folders, with different time zones and a
different number of parallel Sphinx jobs, from clean trees; every file of the
published site (``make site``: HTML, PDFs, open data) and of ``_build/pdf`` is
compared byte for byte. Only the sample report is built, to keep this short.
"""

from __future__ import annotations

import filecmp
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from test_publish import ROOT, clean_env, project_copy

TOOLS = ("make", "git", "xelatex", "latexmk", "pdfinfo")


def commit_time() -> str:
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "1643587200"  # 2022-01-31


def tree(root: Path) -> dict[str, Path]:
    """Every file under ``root`` by relative path (symlinks followed)."""
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def build(where: Path, epoch: str, tz: str, jobs: str) -> float:
    start = time.perf_counter()
    env = clean_env(SOURCE_DATE_EPOCH=epoch, TZ=tz, JOBS=jobs)
    proc = subprocess.run(["make", "html", "pdf", "site"], cwd=where, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"构建失败（{where}）：\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return time.perf_counter() - start


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    assert not missing, f"可复现测试需要 {'、'.join(missing)}：运行 make system 安装"
    epoch = commit_time()
    a = project_copy(tmp_path / "first")
    b = project_copy(tmp_path / "second-checkout")
    seconds = [build(a, epoch, "UTC", "1"), build(b, epoch, "Asia/Shanghai", "2")]
    print(f"两次构建（网页版 + PDF 版）：{seconds[0]:.1f} s，{seconds[1]:.1f} s")

    for part in ("_build/site", "_build/pdf"):
        left, right = tree(a / part), tree(b / part)
        assert left, f"{part} 是空的"
        assert sorted(left) == sorted(right), f"{part} 的文件不同：{sorted(set(left) ^ set(right))}"
        differ = [name for name in left if not filecmp.cmp(left[name], right[name], shallow=False)]
        assert differ == [], f"{part} 中两次构建结果不同的文件：{differ}"

    site = tree(a / "_build" / "site")
    assert any(n.endswith(".html") for n in site) and "pdf/xiangshan-2021.pdf" in site
    assert {"_search/index.json", "opendata/all.csv", "opendata/all.json"} <= set(site)
    assert {"data/xiangshan/2021/table2.csv", "data/xiangshan/2021/table3.csv", "data/xiangshan/2021/table4.csv"} <= set(site)
    # The dates come from SOURCE_DATE_EPOCH, not from the clock.
    info = subprocess.run(["pdfinfo", "-isodates", str(site["pdf/xiangshan-2021.pdf"])], capture_output=True, text=True, check=True).stdout
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))
    assert re.search(rf"^CreationDate:\s+{re.escape(stamp)}$", info, re.M), info
