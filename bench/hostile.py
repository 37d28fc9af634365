"""Issue 26's hostile sweep, measured: each hostile input built, then the command a user would run on it,
timed with its peak memory (``/usr/bin/time -v``), its exit status and its first line of output.

    PYTHONPATH=ext:.:tests .venv/bin/python -m bench.hostile            # the table, Markdown, to stdout
    PYTHONPATH=ext:.:tests .venv/bin/python -m bench.hostile --only span,deep

A benchmark prints figures: the bounds themselves are asserted by tests/test_security_hostile.py.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_files as hf  # type: ignore[import-not-found]  # noqa: E402  (tests/ is on sys.path above)

PY = str(ROOT / ".venv" / "bin" / "python")
SEED = ROOT / "tests" / "fixtures" / "xiangshan-2021.txt"


@dataclass
class Case:
    key: str
    what: str
    make: Callable[[Path], list[str]]  # builds the input in a scratch repository; returns the command


def _repo(tmp: Path) -> Path:
    repo = tmp / "repo"
    for d in ("data", "docs"):
        (repo / d).mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "conf.py", repo / "conf.py")
    (repo / "ext").symlink_to(ROOT / "ext")
    return repo


def _import(src: Path, *extra: str) -> list[str]:
    return [PY, "-m", "govreport", "import", str(src), "xs", "2021", "--name", "香山乡", *extra]


def _similar(repo: Path) -> list[str]:
    """A report and last year's, each with 20,000 short sentences in 一、总体情况 (about 600 KB a page): the
    sentences of the real reports (tests/fixtures/real-reports), each with one to four characters changed."""
    import random

    from govreport.model.scaffold import new_report

    rng = random.Random(26)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/fixtures/real-reports").glob("*.[tm][xd]*")))
    real = [s for s in re.split(r"[。！？；\n]+", text) if 8 <= len(s) <= 30 and not re.search(r"[|#*<>{}`\t]", s)]
    chars = sorted({c for s in real for c in s if "\u4e00" <= c <= "\u9fff"})
    for year in (2020, 2021):
        new_report(repo, "xs", year, "香山乡")
        page = repo / "docs" / "xs" / f"{year}.md"
        lines = []
        for _ in range(20_000):
            s = list(rng.choice(real))
            for _ in range(rng.randint(1, 4)):
                s[rng.randrange(len(s))] = rng.choice(chars)
            lines.append("".join(s) + "。")
        head = "## 一、总体情况\n\n"
        page.write_text(page.read_text(encoding="utf-8").replace(head, head + "\n".join(lines) + "\n\n", 1), encoding="utf-8")
    return [PY, "-m", "govreport", "check"]


def _similar_status(repo: Path) -> list[str]:
    """``make status`` after ``make check`` on the same pages."""
    cmd = _similar(repo)
    subprocess.run(cmd, cwd=repo, env={**os.environ, "PYTHONPATH": str(ROOT / "ext")}, capture_output=True, check=False)
    return [PY, "-m", "govreport", "status"]


CASES = [
    Case("marks", "表三本年新收写成 10件、8*、1,234、&lt;b&gt;5&lt;/b&gt;（Word 导出的网页）", lambda r: _import(_marked_page(r))),
    Case("span", "网页：<td rowspan=200 colspan=200> × 400（各占一行）", lambda r: _import(hf.span_bomb(r.parent / "span.html", 400))),
    Case("span117", "网页：同上 × 3400", lambda r: _import(hf.span_bomb(r.parent / "span117.html", 3400))),
    Case("docxbomb", ".docx，document.xml 解压后 1 GB（一个字符重复）", lambda r: _import(hf.docx_bomb(r.parent / "bomb.docx", 1 << 30))),
    Case("docxparas", ".docx，document.xml 为 350 MB 的空段落",
         lambda r: _import(hf.docx_of_paragraphs(r.parent / "paras.docx", 350 << 20))),
    Case("docxparas1g", ".docx，document.xml 为 1 GB 的空段落", lambda r: _import(hf.docx_of_paragraphs(r.parent / "paras1g.docx", 1 << 30))),
    Case("docxmax", ".docx，29.9 万个空段落（上限之内）", lambda r: _import(hf.docx_of_paragraphs(r.parent / "max.docx", 299_000 * 6))),
    Case("text200", "200 MB 文字文件", lambda r: _import(hf.big_text(r.parent / "big.txt", 200 << 20))),
    Case("text200f", "200 MB 文字文件（文字，非空字节），FORCE=1", lambda r: _import(_lines(r.parent / "bigf.txt", 200 << 20), "--force")),
    Case("lines", "19.9 万行的文字文件（上限之内）", lambda r: _import(_lines(r.parent / "lines.txt", 0, 199_990, "本年度公开文件。\n"))),
    Case("tags", "29.9 万个标签的网页（上限之内）", lambda r: _import(_tags(r.parent / "tags.html", 149_900))),
    Case("text20", "20 MB 文字文件，一行", lambda r: _import(_one_line(r.parent / "one20.txt", 20_000_000))),
    Case("text5", "4.9 MB 文字文件（上限之内），一行", lambda r: _import(_one_line(r.parent / "one.txt", 4_900_000))),
    Case("deep", "网页嵌套 10,000 层 <div>", lambda r: _import(hf.deep_page(r.parent / "deep.html", 10_000))),
    Case("similar", "内容雷同：两年各 20,000 句（make check）", _similar),
    Case("similar-status", "同上，make check 之后的 make status", _similar_status),
]


def _marked_page(repo: Path) -> Path:
    import report_forms  # type: ignore[import-not-found]

    report_forms.WRITTEN.update({("t3", "new", "natural"): "10件", ("t3", "new", "commercial"): "8*",
                                 ("t3", "new", "research"): "1,234", ("t3", "new", "public_interest"): "<b>5</b>"})
    out = repo.parent / "marks.html"
    out.write_text(report_forms.word_html(), encoding="utf-8")
    return out


def _lines(path: Path, size: int, count: int = 0, line: str = "2021年，本乡按照应公开、尽公开的原则，进一步建立健全管理制度。\n") -> Path:
    """A text of ``count`` lines, or of ``size`` bytes, of a report's sentences."""
    n = count or size // len(line.encode())
    with path.open("w", encoding="utf-8") as f:
        f.write("沙坡头区香山乡2021年政府信息公开工作年度报告\n")
        for _ in range(n // 1000):
            f.write(line * 1000)
        f.write(line * (n % 1000))
    return path


def _tags(path: Path, paragraphs: int) -> Path:
    path.write_text("<html><body>" + "<p>本乡公开了文件。</p>" * paragraphs + "</body></html>", encoding="utf-8")
    return path


def _one_line(path: Path, size: int) -> Path:
    unit = "本年度公开文件12件，"
    path.write_text("沙坡头区香山乡2021年政府信息公开工作年度报告" + unit * (size // len(unit.encode())), encoding="utf-8")
    return path


def run(case: Case) -> tuple[str, str, str, str, str, str, str]:
    with tempfile.TemporaryDirectory(prefix="govreport-hostile-") as tmp:
        repo = _repo(Path(tmp))
        cmd = case.make(repo)
        src = Path(cmd[4]) if cmd[3] == "import" else None
        size = f"{src.stat().st_size / 1024:,.0f} KB" if src is not None else "—"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "ext")}
        proc = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
        err = proc.stderr
        secs = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err)
        cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", err))
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
        rc = re.search(r"Command exited with non-zero status (\d+)", err)
        said = [ln for ln in (proc.stdout + err).splitlines() if ln.strip() and not ln.startswith("\t") and "Command" not in ln]
        bound = [ln for ln in said if re.search("超过|截去|上限|正在进行", ln)]  # the line that names the bound, if any
        first = (bound or said or [""])[0].strip()[:150]
        mb = f"{int(rss.group(1)) / 1024:.0f} MB" if rss else "?"
        tb = "有" if "Traceback" in proc.stdout + err else "无"
        return (size, secs.group(1) if secs else "?", f"{cpu:.1f} s", mb, rc.group(1) if rc else "0", tb, first.replace("|", "\\|"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="逗号分隔的 case 名")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}（{os.cpu_count()} 核）")
    print("| case | 输入 | 文件大小 | 用时 | CPU | 内存峰值 | 退出码 | Traceback | 输出的第一行 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for c in CASES:
        if only and c.key not in only:
            continue
        size, secs, cpu, mb, rc, tb, first = run(c)
        print(f"| {c.key} | {c.what.replace('|', '/')} | {size} | {secs} | {cpu} | {mb} | {rc} | {tb} | {first} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
