"""One report's PDF: XeLaTeX until the layout settles, then xdvipdfmx.

Not latexmk: it keeps a file's checksum while the file's size and modification
time (in seconds) stay the same, so a run that changed a table's column width
by a digit within the same second as the previous run could end the build one
run early; one build in eight of the same sources gave a PDF with a narrower
table rule. Here a run whose .aux (and bookmarks) come out exactly as they went
in is the last one.

A finished PDF leaves a stamp: the digest of every file its last run read
(XeLaTeX's ``-recorder`` list: contents of the files in the build folder; path,
size and modification time of the system's packages and fonts), of the date
settings and of the commands. The next build of an unchanged report does
nothing.

A missing glyph is only a line in the XeLaTeX log ("Missing character: There is
no … in font …"); it is a failure here, or a PDF would ship with holes in it.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

MISSING = re.compile(r"Missing character: There is no (.+?) in font (.+?)!")

#: issue 17: TeX opens only files below the working folder (no absolute paths, no ..,
#: no dot files) and writes only there, and runs no shell commands (texmf.cnf variables).
TEX_SANDBOX = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
#: kpathsea looks for a file it cannot find by reading the whole folder for a name that differs
#: only in case (texmf_casefold_search, on by default since TeX Live 2018). A LaTeX folder holds
#: every report of a build (about 9 files each), and each run probes for files that do not exist
#: (optional configuration files): at a thousand reports a run read the folder ~19,000 times and
#: took three to four times as long. The names TeX is given here are exact.
TEX_LOOKUP = {"texmf_casefold_search": "0"}
#: Seconds one report's PDF may take (a normal one takes 2–5 s).
TEX_TIMEOUT = int(os.environ.get("GOVREPORT_TEX_TIMEOUT", "300"))
#: What one XeLaTeX run reads back at the next: when a run leaves them as it found
#: them, the layout is a fixed point and the PDF is final.
FEEDBACK = (".aux", ".out", ".toc", ".lof", ".lot")
#: Runs before giving up on a layout that keeps changing (a page break that moves
#: a label that moves the page break).
MAX_RUNS = 5
XELATEX = ["xelatex", "-no-pdf", "-recorder", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
XDVIPDFMX = ["xdvipdfmx", "-E"]
#: Settings that change the PDF without changing a file.
DATE_ENV = ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE")


@dataclass
class Typeset:
    tex: Path
    ok: bool
    seconds: float
    runs: int
    problems: list[str]
    settled: bool = True  # False: MAX_RUNS runs and the .aux still changed
    warnings: list[str] = field(default_factory=list)  # xdvipdfmx's (an image it could not place)


class _OutOfTime(Exception):
    pass


def _run(cmd: list[str], cwd: Path, env: dict[str, str], deadline: float) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` until ``deadline`` (time.monotonic); past it, the command and its children are killed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _OutOfTime
    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as p:
        try:
            out, err = p.communicate(timeout=left)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise _OutOfTime from None
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def _feedback(tex: Path) -> bytes:
    """The contents of the files one run leaves for the next."""
    h = hashlib.sha256()
    for suffix in FEEDBACK:
        f = tex.with_suffix(suffix)
        h.update(suffix.encode() + b"\0" + (f.read_bytes() if f.is_file() else b"-") + b"\0")
    return h.digest()


def _inputs(tex: Path) -> bytes | None:
    """Digest of what the last XeLaTeX run read (its .fls), the date settings and
    the commands; None without a .fls."""
    fls = tex.with_suffix(".fls")
    try:
        lines = fls.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    except OSError:
        return None
    h = hashlib.sha256(repr((XELATEX, XDVIPDFMX, [os.environ.get(k) for k in DATE_ENV])).encode())
    for name in sorted({ln[6:] for ln in lines if ln.startswith("INPUT ")}):
        path = Path(name) if os.path.isabs(name) else tex.parent / name
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            if os.path.isabs(name):  # a package or a font: it changes with the system
                st = path.stat()
                h.update(f"{st.st_size} {st.st_mtime_ns}".encode())
            else:  # written by Sphinx (the .tex, its styles, images) or by the last run (.aux)
                h.update(path.read_bytes())
        except OSError:
            h.update(b"missing")
    return h.digest()


def _forget(tex: Path) -> None:
    """After a failed or killed run: no half-written .aux for the next build to trip on."""
    for suffix in (*FEEDBACK, ".xdv", ".settled"):
        tex.with_suffix(suffix).unlink(missing_ok=True)


def typeset(tex: Path) -> Typeset:
    """XeLaTeX on one .tex file until its layout settles, then xdvipdfmx; read the log."""
    start, deadline = time.perf_counter(), time.monotonic() + TEX_TIMEOUT
    env = dict(os.environ, max_print_line="10000", **TEX_SANDBOX, **TEX_LOOKUP)
    stamp, pdf = tex.with_suffix(".settled"), tex.with_suffix(".pdf")
    if stamp.is_file() and pdf.is_file() and stamp.read_bytes() == _inputs(tex):
        return Typeset(tex, True, time.perf_counter() - start, 0, [])  # nothing it read has changed
    stamp.unlink(missing_ok=True)
    runs, failed, warnings = 0, "", []
    state = before = _feedback(tex)
    try:
        while runs < MAX_RUNS:
            proc = _run([*XELATEX, tex.name], tex.parent, env, deadline)
            runs += 1
            if proc.returncode != 0:
                failed = "XeLaTeX 失败：" + proc.stdout[-500:]
                break
            before, state = state, _feedback(tex)
            if state == before:
                break
        if not failed:
            proc = _run([*XDVIPDFMX, "-o", pdf.name, tex.with_suffix(".xdv").name], tex.parent, env, deadline)
            warnings = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if "WARNING" in ln]
            if proc.returncode != 0:
                failed = "xdvipdfmx 失败：" + (proc.stderr or proc.stdout)[-500:]
    except _OutOfTime:
        _forget(tex)
        return Typeset(tex, False, time.perf_counter() - start, runs,
                       [f"排版超过 {TEX_TIMEOUT} 秒仍未完成，已停止（页面内容过长，或 TeX 陷入循环）"])
    log_path = tex.with_suffix(".log")
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
    problems = [f"缺字：{m.group(1)}（字体 {m.group(2)}）" for m in MISSING.finditer(log)]
    if failed:
        errors = [ln for ln in log.splitlines() if ln.startswith("!") or ".tex:" in ln][:5]
        problems.append("XeLaTeX 失败：" + "；".join(errors) if errors and failed.startswith("XeLaTeX") else failed)
        _forget(tex)
    settled = state == before
    if not problems and settled:
        digest = _inputs(tex)
        if digest is not None:
            stamp.write_bytes(digest)  # the next build of the same sources has nothing to do
    return Typeset(tex, not problems, time.perf_counter() - start, runs, problems, settled, warnings)
