"""Change some cells of a CSV file and nothing else.

The writer's file keeps its byte order mark, its encoding, its line endings,
its labels, its column order and its quoting: only the characters of the
edited cells change, so ``git diff`` shows exactly those lines. Cells are
addressed as the loader locates them, ``(line, field)`` (both from 1, the line
where the record starts, as ``csvload`` counts it).
"""

from __future__ import annotations

import re

from ..model.textcodec import decode

_NEWLINE = re.compile(r"\r\n|\r|\n")  # how csv/StringIO(newline="") count lines


class CsvEditError(ValueError):
    """The file cannot be edited in place (not text, or the cell is not where the loader saw it)."""


def _quote(value: str, delim: str) -> str:
    """A cell as CSV writes it: quoted only when it has to be."""
    if any(ch in value for ch in (delim, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def _fields(text: str, start: int, delim: str) -> tuple[list[tuple[int, int]], int]:
    """Spans ``(start, end)`` of each field of the record starting at ``start``, and where the record ends."""
    spans: list[tuple[int, int]] = []
    i, n = start, len(text)
    while True:
        begin = i
        if i < n and text[i] == '"':
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                i += 1
        while i < n and text[i] not in (delim, "\r", "\n"):
            i += 1
        spans.append((begin, i))
        if i < n and text[i] == delim:
            i += 1
            continue
        return spans, i


def delimiter(text: str) -> str:
    """The file's delimiter, as the loader decides it (comma unless tabs or semicolons clearly separate)."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:10]
    count = {d: sum(ln.count(d) for ln in lines) for d in (",", "\t", ";")}
    if count[","] >= max(count["\t"], count[";"]):
        return ","
    return "\t" if count["\t"] >= count[";"] else ";"


def set_cells(raw: bytes, edits: dict[tuple[int, int], str]) -> bytes:
    """``raw`` with the cell at each ``(line, field)`` replaced by its new text.

    A field past the end of its line (a short line) is reached by adding
    delimiters at the line's end. Raises :class:`CsvEditError` when the file
    is not text the loader reads."""
    if not edits:
        return raw
    d = decode(raw, controls=False)
    if d.text is None or d.how not in ("utf-8", "gb18030"):
        raise CsvEditError("文件不是可以读取的文本 CSV，不能在此修改；请先在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”")
    text = d.text
    bom = raw.startswith(b"\xef\xbb\xbf")
    delim = delimiter(text)
    starts = _line_starts(text)
    # From the end of the file backwards: earlier offsets stay valid.
    replacements: list[tuple[int, int, str]] = []
    for (line, field), value in edits.items():
        if not 1 <= line <= len(starts):
            raise CsvEditError(f"第 {line} 行不存在")
        spans, end = _fields(text, starts[line - 1], delim)
        if field <= len(spans):
            a, b = spans[field - 1]
            replacements.append((a, b, _quote(value, delim)))
        else:
            replacements.append((end, end, delim * (field - len(spans)) + _quote(value, delim)))
    replacements.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for a, b, new in replacements:
        text = text[:a] + new + text[b:]
    if d.how == "gb18030":
        return text.encode("gb18030")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
