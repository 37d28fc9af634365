"""Build the Word edition of a test project, read its tables back, convert it with LibreOffice.

LibreOffice finds none of the fonts a Chinese Windows has (仿宋_GB2312, 黑体 …)
on a Linux machine; ``fonts_conf`` maps each to the Fandol font that the PDF
edition uses for the same role (TeX Live's texlive-lang-chinese), so that a
conversion shows the roles apart as Word would, instead of one fallback font.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parent.parent

#: Word's font name → the Fandol family standing in for it, and whether bold.
STAND_INS = {"仿宋_GB2312": ("FandolFang", False), "仿宋": ("FandolFang", False), "黑体": ("FandolHei", False),
             "楷体_GB2312": ("FandolKai", False), "楷体": ("FandolKai", False), "宋体": ("FandolSong", False),
             "方正小标宋简体": ("FandolSong", True), "华文中宋": ("FandolSong", True)}


def copy_of_test_root(src: Path, out: Path) -> Path:
    """``src`` itself, or, for a folder of tests/roots, a copy of it beside ``out``: a build writes
    the portal pages' sources into its source folder (sphinxext/portalpages.py)."""
    if not src.resolve().is_relative_to(ROOT / "tests" / "roots"):
        return src
    out.parent.mkdir(parents=True, exist_ok=True)
    copy = Path(tempfile.mkdtemp(prefix=f"{src.name}-", dir=out.parent))
    shutil.copytree(src, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_build"))
    return copy


def build_docx(src: Path, out: Path, *, conf: Path | None = None, jobs: int = 1, env: dict[str, str] | None = None,
               strict: bool = True, publish: bool = False) -> Path:
    """``sphinx-build -b docx`` of a project (``src`` holds data/ and docs/) or of a test root with its own conf.py;
    ``strict``: any warning fails it; ``publish``: as ``make site`` builds (reports with errors withheld)."""
    src = copy_of_test_root(src, out)
    args = [sys.executable, "-m", "sphinx", "-q", "-b", "docx", "-j", str(jobs), "-d", str(out / ".doctrees")]
    args += ["-W", "--keep-going"] if strict else []
    args += ["-D", "govreport_publish=passing"] if publish else []
    if conf is not None:
        args += ["-c", str(conf), "-D", f"govreport_root={src}", str(src / "docs"), str(out)]
    else:
        args += [str(src), str(out)]
    base = dict(env if env is not None else os.environ)
    base["PYTHONPATH"] = str(ROOT / "ext")
    proc = subprocess.run(args, env=base, capture_output=True, text=True)
    assert proc.returncode == 0, f"sphinx-build -b docx 失败：\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return out


def grid_cells(table: Any) -> tuple[list[tuple[int, int, int, int, str]], tuple[int, int]]:
    """A Word table's cells as ``(row, col, rowspan, colspan, text)``, from its XML:
    ``w:gridSpan`` across, ``w:vMerge`` restart/continue down."""
    tbl = table._tbl
    ncols = len(tbl.tblGrid.findall(qn("w:gridCol")))
    open_: dict[int, list[Any]] = {}  # column → the cell still merging down from above
    cells: list[list[Any]] = []
    rows = tbl.findall(qn("w:tr"))
    for r, tr in enumerate(rows):
        c = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vm = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if vm is not None and vm.get(qn("w:val")) != "restart":
                above = open_[c]
                assert above[3] == span, f"merged cell changes width at row {r} col {c}"
                assert text == "", f"continued merged cell has text at row {r} col {c}"
                above[2] += 1
            else:
                cell = [r, c, 1, span, text]
                cells.append(cell)
                for k in range(c, c + span):
                    open_.pop(k, None)
                if vm is not None:
                    open_[c] = cell
            c += span
        assert c == ncols, f"row {r} covers {c} of {ncols} columns"
    return [tuple(x) for x in cells], (len(rows), ncols)  # type: ignore[misc]


def fonts_conf(where: Path) -> Path:
    """A fontconfig file: the system's fonts, TeX Live's Fandol fonts, Word's names mapped to them."""
    fandol = subprocess.run(["kpsewhich", "FandolFang-Regular.otf"], capture_output=True, text=True).stdout.strip()
    assert fandol, "没有 Fandol 字体（texlive-lang-chinese）：运行 make system"
    rules = []
    for name, (family, bold) in STAND_INS.items():
        weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else ""
        rules.append(f'<match target="pattern"><test name="family"><string>{name}</string></test>'
                     f'<edit name="family" mode="assign" binding="strong"><string>{family}</string></edit>{weight}</match>')
    path = where / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{Path(fandol).parent}</dir><cachedir>{where / 'fc-cache'}</cachedir>{''.join(rules)}</fontconfig>",
        encoding="utf-8",
    )
    return path


def to_pdf(docx_file: Path, out: Path) -> Path:
    """LibreOffice (headless, a profile of its own) converts the .docx to PDF; fails with what it said."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "没有 LibreOffice（soffice）：运行 make system-test（libreoffice-writer-nogui）"
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf(out)))
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(out), str(docx_file)], env=env, capture_output=True, text=True, timeout=300)
    pdf = out / docx_file.with_suffix(".pdf").name
    assert proc.returncode == 0 and pdf.is_file(), f"LibreOffice 转换失败：{proc.stdout}\n{proc.stderr}"
    return pdf
