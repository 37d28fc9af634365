"""Typeset the LaTeX written by Sphinx into one PDF per report, in parallel.

A missing glyph is only a line in the XeLaTeX log ("Missing character: There is
no … in font …"); it is treated as a build failure here, or a PDF would ship
with holes in it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

MISSING = re.compile(r"Missing character: There is no (.+?) in font (.+?)!")


@dataclass
class Typeset:
    tex: Path
    ok: bool
    seconds: float
    runs: int
    problems: list[str]


#: issue 17: TeX opens only files below the working folder (no absolute paths, no ..,
#: no dot files) and writes only there, and runs no shell commands (texmf.cnf variables).
TEX_SANDBOX = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
#: Seconds one report's PDF may take (a normal one takes 5–20 s).
TEX_TIMEOUT = int(os.environ.get("GOVREPORT_TEX_TIMEOUT", "300"))


#: What one XeLaTeX run reads back at the next: when a run leaves them as it found
#: them, the layout is a fixed point and the PDF is final.
FEEDBACK = (".aux", ".out", ".toc", ".lof", ".lot")
#: Runs before giving up on a layout that keeps changing (a page break that moves
#: a label that moves the page break).
MAX_RUNS = 5


def _run_limited(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """``subprocess.run`` with a timeout; on timeout the command and its children are killed."""
    import signal

    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True) as p:
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def _feedback(tex: Path) -> bytes:
    """The contents of the files one run leaves for the next."""
    h = hashlib.sha256()
    for suffix in FEEDBACK:
        f = tex.with_suffix(suffix)
        h.update(suffix.encode() + b"\0" + (f.read_bytes() if f.is_file() else b"-") + b"\0")
    return h.digest()


def typeset(tex: Path) -> Typeset:
    """XeLaTeX on one .tex file until its layout settles, then xdvipdfmx; read the log.

    Not latexmk: it keeps a file's checksum while the file's size and
    modification time (in seconds) stay the same, so a run that changed a
    table's column width by a digit within the same second as the previous run
    could end the build one run early; one build in eight of the same sources
    gave a PDF with a narrower table rule. Here a run whose .aux (and
    bookmarks) come out exactly as they went in is the last one.
    """
    start = time.perf_counter()
    env = dict(os.environ, max_print_line="10000", **TEX_SANDBOX)
    xelatex = ["xelatex", "-no-pdf", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex.name]
    runs, ok, out = 0, True, ""
    done = tex.with_suffix(".settled")  # the sources and feedback of the last finished PDF
    source = hashlib.sha256(tex.read_bytes()).digest()
    if done.is_file() and tex.with_suffix(".pdf").is_file() and done.read_bytes() == source + _feedback(tex):
        return Typeset(tex, True, time.perf_counter() - start, 0, [])  # nothing changed since
    done.unlink(missing_ok=True)
    state = before = _feedback(tex)
    try:
        while runs < MAX_RUNS:
            proc = _run_limited(xelatex, tex.parent, env, TEX_TIMEOUT - (time.perf_counter() - start))
            runs += 1
            out = proc.stdout[-500:]
            if proc.returncode != 0:
                ok = False
                break
            before, state = state, _feedback(tex)
            if state == before:
                break
        if ok:
            pdf = ["xdvipdfmx", "-q", "-E", "-o", tex.with_suffix(".pdf").name, tex.with_suffix(".xdv").name]
            proc = _run_limited(pdf, tex.parent, env, max(1.0, TEX_TIMEOUT - (time.perf_counter() - start)))
            ok = proc.returncode == 0
            out = out if ok else (proc.stderr or proc.stdout)[-500:]
    except subprocess.TimeoutExpired:
        return Typeset(tex, False, time.perf_counter() - start, runs, [f"XeLaTeX 超过 {TEX_TIMEOUT} 秒仍未完成，已停止（页面内容过长，或 TeX 陷入循环）"])
    log_path = tex.with_suffix(".log")
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
    problems = [f"缺字：{m.group(1)}（字体 {m.group(2)}）" for m in MISSING.finditer(log)]
    if not ok:
        errors = [ln for ln in log.splitlines() if ln.startswith("!") or ".tex:" in ln][:5]
        problems.append("XeLaTeX 失败：" + ("；".join(errors) or out))
    if not problems and state == before:
        done.write_bytes(source + state)  # settled: the next build of the same .tex has nothing to do
    return Typeset(tex, not problems, time.perf_counter() - start, runs, problems)


def build_all(
    latex_dir: Path, out_dir: Path, jobs: int = 2, copy_to: list[Path] | None = None, names: list[str] | None = None
) -> int:
    """Typeset ``names`` (file stems; default: every .tex) and copy the PDFs.

    PDFs of reports that no longer exist are removed from the output folders.
    """
    texs = sorted(p for p in latex_dir.glob("*.tex") if names is None or p.stem in names)
    if not texs:
        print(f"{latex_dir} 中没有 .tex 文件；先运行 sphinx-build -b latex", file=sys.stderr)
        return 1
    if shutil.which("xdvipdfmx") is None or shutil.which("xelatex") is None:
        print("缺少 xelatex 或 xdvipdfmx：运行 make 会安装，或执行\n  sudo apt-get install texlive-xetex texlive-lang-chinese texlive-latex-extra latexmk fonts-noto-cjk", file=sys.stderr)
        return 1
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(typeset, texs))
    out_dir.mkdir(parents=True, exist_ok=True)
    keep = {t.with_suffix(".pdf").name for t in texs}
    for d in [out_dir, *(copy_to or [])]:
        for stale in d.glob("*.pdf") if d.is_dir() else []:
            if stale.name not in keep:
                stale.unlink()
    failed = 0
    for r in results:
        pdf = r.tex.with_suffix(".pdf")
        if r.ok:
            for d in [out_dir, *(copy_to or [])]:
                d.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(pdf, d / pdf.name)
            print(f"PDF  {out_dir / pdf.name}  {r.seconds:.1f} s, {r.runs} 次 XeLaTeX")
        else:
            failed += 1
            for p in r.problems:
                print(f"{r.tex.with_suffix('.log')}: 错误 {p}", file=sys.stderr)
    return 1 if failed else 0
