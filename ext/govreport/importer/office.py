"""Old Office files (.doc, .wps, .xls) through LibreOffice's headless conversion.

``soffice --headless --convert-to docx`` (or ``xlsx``) writes the converted file into a scratch folder; the
``.docx`` or spreadsheet reader reads it. LibreOffice was chosen over a reader per format (xlrd for .xls)
because one converter takes all three old binary formats, and the readers of the new formats then see what
Word and Excel would save. Each conversion has its own LibreOffice profile (two imports at once never
share one) and a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .model import Note, Parsed

#: One conversion of a report-sized file takes a few seconds; a file that takes longer is not a report.
TIMEOUT = 180


def has_workbook(path: Path) -> bool:
    """An OLE file holding a spreadsheet (its ``Workbook`` stream), not a text document."""
    return "Workbook".encode("utf-16-le") in path.read_bytes()[:2_000_000]


def convert(path: Path, target: str, tmp: Path) -> Path:
    """``path`` converted to ``target`` (``docx`` or ``xlsx``) in ``tmp``; ``ValueError`` in Chinese when it cannot be."""
    kind = "WPS 文字文件" if path.suffix.lower() == ".wps" else "旧版 Word 文件" if target == "docx" else "旧版 Excel 文件"
    save_as = "在 WPS 中打开，另存为 .docx" if path.suffix.lower() == ".wps" else "在 Word 或 WPS 中另存为 .docx" if target == "docx" \
        else "在 Excel 或 WPS 中另存为 .xlsx"
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        package = "libreoffice-writer-nogui" if target == "docx" else "libreoffice-calc-nogui"
        raise ValueError(f"{path.name} 是{kind}，需要 LibreOffice 转换（未安装：sudo apt-get install {package}，"
                         f"或运行 make system-import）；也可以{save_as}，再导入")
    src = tmp / ("source" + (path.suffix.lower() or ".doc"))
    shutil.copyfile(path, src)  # a plain ASCII name: soffice is given no user text on its command line
    cmd = [exe, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(tmp / "out"), str(src)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ValueError(f"LibreOffice 转换 {path.name} 超过 {TIMEOUT} 秒仍未完成；请{save_as}，再导入") from None
    out = tmp / "out" / f"source.{target}"
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise ValueError(f"LibreOffice 读不了 {path.name}（{kind}）；请{save_as}，再导入")
    return out


def read_office(path: Path, year: int | None, version: str | None = None) -> Parsed:
    """A .doc, .wps or .xls file: converted, then read as .docx or .xlsx."""
    sheet = path.suffix.lower() in (".xls", ".et") or has_workbook(path)
    with tempfile.TemporaryDirectory(prefix="govreport-office-") as tmp:
        out = convert(path, "xlsx" if sheet else "docx", Path(tmp))
        if sheet:
            from .sheet import read_xlsx

            parsed = read_xlsx(out, year, version)
            parsed.form = "xls"
        else:
            from .docxfile import read_docx

            parsed = read_docx(out, year, version)
            if not any(b for sec in parsed.sections for b in sec) and not any(v is not None for t in parsed.values.values() for v in t.values()):
                raise ValueError(f"LibreOffice 转换 {path.name} 后没有读到文字；请在 WPS 或 Word 中打开，另存为 .docx，再导入")
            parsed.form = "wps" if path.suffix.lower() == ".wps" else "doc"
    parsed.notes.insert(0, Note(None, f"原文是{'旧版 Excel 文件' if sheet else 'WPS 文字文件' if parsed.form == 'wps' else '旧版 Word 文件'}，"
                                      f"已用 LibreOffice 转为 .{'xlsx' if sheet else 'docx'} 读取；说明中的位置是转换后文件中的段落或行"))
    return parsed
