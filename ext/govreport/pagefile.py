"""A page's file: its text (UTF-8, GBK with a warning, refused otherwise) and whether a path,
symlinks followed, lies inside the folders a report may read.

A leaf (findings and text decoding only): the report model (``report``), the
checks (``checks.pipeline``), the page scan (``pagescan``) and the Sphinx guards
all use it, and it uses none of them (issue 20: no import cycle).
"""

from __future__ import annotations

from pathlib import Path

from .findings import Finding
from .textcodec import decode

# ---------------------------------------------------------------- decoding


def decode_page(data: bytes) -> tuple[str | None, str]:
    """``(text, how)``: how is ``utf-8``, ``gb18030``, or why it was refused."""
    d = decode(data)
    if d.text is not None:
        return d.text, d.how
    if d.how in ("utf-16", "binary"):
        return None, "文件是 UTF-16 编码（或含 NUL 字节），不是 UTF-8 文本；请在编辑器中另存为 UTF-8"
    if d.how == "control":
        return None, f"第 {d.line} 行有控制字符 U+{ord(d.char):04X}，这不是文本文件；请另存为 UTF-8"
    return None, "文件编码无法识别（既不是 UTF-8 也不是 GBK）；请另存为 UTF-8"


def read_page_text(path: Path, rel: str, allowed: list[Path] | None = None) -> tuple[str | None, list[Finding]]:
    """A page's text (GBK read with F011), or None with F010 (UTF-16, binary)
    or F009 (its real path is outside ``allowed``: never read)."""
    if allowed is not None and not inside(path, allowed):
        return None, [Finding.make("F009", "页面是指向仓库之外的符号链接，拒绝读取", rel, line=1)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Finding.make("F010", f"无法打开页面：{exc.strerror or exc}", rel)]
    text, how = decode_page(data)
    if text is None:
        return None, [Finding.make("F010", how, rel, line=1)]
    if how == "gb18030":
        return text, [Finding.make("F011", "页面是 GBK 编码，已按 GBK 读取；请在编辑器中另存为 UTF-8", rel, line=1)]
    return text, []


# ------------------------------------------------------------------- paths


def inside(path: Path, allowed: list[Path]) -> bool:
    """``path`` (symlinks followed) lies in one of ``allowed`` (resolved folders)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return any(real.is_relative_to(a) for a in allowed)
