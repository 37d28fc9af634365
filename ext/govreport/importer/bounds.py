"""Bounds on a file from outside, checked before it is read (issue 26): its size, the unpacked size of a
zip archive (.docx, and the .xlsx reader's) and of each part, a table's spans and grid, a page's nesting.

A real report is a few hundred KB (a saved page 350 KB, a .docx with its images a few MB); each bound
is far above that and far below what makes a reader take gigabytes. Exceeding one is a ``TooLarge``
with a Chinese message saying what, where, and the bound; the file size alone may be overridden
(``FORCE=1``), the others may not: past them a reader would take the machine's memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

#: One import file: a .docx (its images are most of it), a text or a saved page (a real one: 0.05–2 MB;
#: 20 MB of text took 23 s on a loaded machine); FORCE=1 goes beyond.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TEXT_BYTES = 5 * 1024 * 1024
#: A zip archive: all parts unpacked, one part unpacked, how many parts.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_PART = 16 * 1024 * 1024
MAX_PARTS = 10_000
#: The XML parts a reader parses into trees (a .docx's ``*.xml``, ``*.rels``), together: their elements are what
#: costs memory (a real report's document.xml: 0.2–2 MB).
MAX_XML = 16 * 1024 * 1024
#: Tags in a page or in a .docx's XML parts (a real report: 10–50 thousand), and lines in a text: what a
#: reader's tree and line list grow with (16 MB of ``<w:p/>`` took 1.2 GB and 50 s).
MAX_ELEMENTS = 300_000
MAX_LINES = 200_000
#: A table: a cell spans at most this many rows or columns (the official tables: 10 at most) …
MAX_SPAN = 100
#: … and the grid its spans make holds at most this many cells (the official tables: about 300), and this many columns.
MAX_GRID_CELLS = 20_000
MAX_GRID_COLUMNS = 100
#: Elements below the body of a page (libxml2 stops at 255 levels, silently).
MAX_DEPTH = 255


class TooLarge(ValueError):
    """A file beyond a bound: nothing was read."""


def _mb(n: int) -> str:
    """A size as people read it: 200 MB, 1.5 MB, 980 KB."""
    mb = 1024 * 1024
    if n < mb:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n // mb} MB" if n % mb == 0 or n >= 10 * mb else f"{n / mb:.1f} MB"


def check_file_size(path: Path, force: bool = False, text: bool = True) -> None:
    """The size limit of one import file: ``MAX_TEXT_BYTES`` for a text or page, ``MAX_FILE_BYTES`` for a
    zip archive (``text=False``); ``force``: none."""
    size, limit = path.stat().st_size, MAX_TEXT_BYTES if text else MAX_FILE_BYTES
    if size > limit and not force:
        kind = "文字或网页文件" if text else "Word、PDF、Excel 或图片文件"
        raise TooLarge(f"{path.name}：文件有 {_mb(size)}，{kind}最大 {_mb(limit)}，未读取。"
                       "一份年度报告通常不到 1 MB；请确认选对了文件。确实要导入，请加 FORCE=1（--force）。")


def check_zip(path: Path, what: str = "压缩文件", xml: tuple[str, ...] = (".xml", ".rels")) -> None:
    """The archive's declared sizes, from its central directory, before any part is read.

    Reading a part through ``zipfile`` stops at its declared size (a part that unpacks to more fails its
    CRC check), so the declared sizes bound what any reader of the archive can be made to hold."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValueError(f"{path.name} 不是可以读取的{what}：{exc or type(exc).__name__}") from None
    if len(infos) > MAX_PARTS:
        raise TooLarge(f"{path.name}：{what}中有 {len(infos)} 个部件，超过 {MAX_PARTS} 个的上限，未读取（文件可能已损坏或是恶意构造的）。")
    for info in infos:
        if info.file_size > MAX_PART:
            raise TooLarge(f"{path.name}：其中的 {info.filename} 解压后有 {_mb(info.file_size)}，超过 {_mb(MAX_PART)} 的上限，"
                           f"未读取（一份年度报告的正文不到 1 MB；文件可能已损坏或是恶意构造的“压缩炸弹”）。")
    parsed = [i for i in infos if i.filename.lower().endswith(xml)]
    if sum(i.file_size for i in parsed) > MAX_XML:
        big = max(parsed, key=lambda i: i.file_size)
        raise TooLarge(f"{path.name}：其中的 XML 部件解压后共 {_mb(sum(i.file_size for i in parsed))}（最大的是 {big.filename}，"
                       f"{_mb(big.file_size)}），超过 {_mb(MAX_XML)} 的上限，未读取（一份年度报告的正文不到 1 MB；"
                       "文件可能已损坏或是恶意构造的）。")
    tags = 0
    with zipfile.ZipFile(path) as z:
        for info in parsed:  # streamed, within the sizes checked above
            with z.open(info) as f:
                while chunk := f.read(1 << 20):
                    tags += chunk.count(b"<")
                    if tags > MAX_ELEMENTS:
                        raise TooLarge(f"{path.name}：其中的 {info.filename} 等 XML 部件有超过 {MAX_ELEMENTS} 个标签，"
                                       "超过上限，未读取（一份年度报告约有几万个；文件可能已损坏或是恶意构造的）。")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise TooLarge(f"{path.name}：{what}解压后共 {_mb(total)}，超过 {_mb(MAX_UNPACKED)} 的上限，未读取"
                       "（文件可能已损坏或是恶意构造的“压缩炸弹”）。")


def check_markup(name: str, text: str, what: str = "网页") -> None:
    """A page's tags, counted before it is parsed."""
    tags = text.count("<")
    if tags > MAX_ELEMENTS:
        raise TooLarge(f"{name}：{what}有 {tags} 个标签，超过 {MAX_ELEMENTS} 个的上限，未读取"
                       "（一份年度报告的网页约有几万个；请把报告正文另存为单独的网页或复制成文字后再导入）。")


def check_lines(name: str, text: str) -> None:
    """A text's lines, counted before they are split."""
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise TooLarge(f"{name}：文字有 {lines} 行，超过 {MAX_LINES} 行的上限，未读取（一份年度报告约有一千行；请确认选对了文件）。")


def clip_span(n: int) -> int:
    """A row or column span within ``MAX_SPAN``."""
    return max(1, min(n, MAX_SPAN))
