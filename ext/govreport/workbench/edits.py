"""Typed cells → the CSV files' new bytes (totals included), for the check and the save alike.

The page sends ``{"t3.new.natural": "12", …}``: cell ids of the spec and the
text typed. Each goes to the place the loader found that cell in the file;
the computed cells the file holds (totals) are set to the sum of their parts,
as the page shows them. Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..format.labels import fmt_number, total
from ..format.spec import Key, TableSpec
from ..model.csvload import TableData, load_table
from ..model.report import Report
from .csvedit import CsvEditError, set_cells
from .form import computed

#: Longest text accepted for one cell (a number has at most a dozen digits; a pasted paragraph is an error).
MAX_CELL = 100


class EditError(ValueError):
    """A request the workbench refuses; the message says why, in Chinese."""


def parse_cells(report: Report, cells: object) -> dict[str, dict[Key, str]]:
    """``{table id: {(row, col): text}}`` from the page's cell ids; unknown ids and
    computed cells are refused (the page never sends them), texts are bounded."""
    if not isinstance(cells, dict):
        raise EditError("请求格式不对：cells 应为对象")
    out: dict[str, dict[Key, str]] = {}
    spec = report.spec
    for cid, text in cells.items():
        parts = str(cid).split(".")
        t = spec.tables.get(parts[0]) if len(parts) == 3 else None
        if t is None or parts[1] not in t.rows or parts[2] not in t.rows[parts[1]].cols:
            raise EditError(f"没有这个单元格：{str(cid)[:40]}")
        key = (parts[1], parts[2])
        if key in {k for k, _ in computed(t)}:
            raise EditError(f"{cid} 是自动计算的合计，不能填写")
        if not isinstance(text, str):
            raise EditError(f"{cid} 的内容应为文字")
        if len(text) > MAX_CELL or any(ch in text for ch in "\r\n\x00"):
            raise EditError(f"{cid} 的内容过长或含换行（一格只填一个数字）")
        out.setdefault(t.id, {})[key] = text
    return out


def _totals(t: TableSpec, data: TableData) -> dict[tuple[int, int], str]:
    """Edits that set each computed cell the file holds to the sum of its parts."""
    values = dict(data.values)
    edits: dict[tuple[int, int], str] = {}
    for key, parts in computed(t):
        value = total([values.get(p) for p in parts])
        if value is None:
            continue  # an unreadable part is reported already; the file's total stays
        values[key] = value
        if key in data.pos and data.raw.get(key) != fmt_number(value):
            edits[data.pos[key]] = fmt_number(value)
    return edits


def new_bytes(t: TableSpec, path: Path, rel: str, raw: bytes, typed: Mapping[Key, str]) -> bytes:
    """``raw`` (the file as it is) with the typed cells and the totals that follow from them."""
    data, _ = load_table(path, t, rel, raw)
    if not data.loaded:
        raise CsvEditError(f"{t.title}的文件 {t.file} 不是可以读取的文本 CSV，不能在此修改（原因见检查提示）；"
                           "请先在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”")
    missing = [k for k in typed if k not in data.pos]
    if missing:
        r, c = missing[0]
        raise EditError(f"{t.title}“{t.rows[r].label}”行“{t.columns[c].label}”列在 CSV 文件中没有对应的格，请先在表格软件中补上这一格")
    out = set_cells(raw, {data.pos[k]: text for k, text in typed.items()})
    data, _ = load_table(path, t, rel, out)
    return set_cells(out, _totals(t, data))


def edited_files(report: Report, typed: dict[str, dict[Key, str]], every: bool = True) -> dict[str, bytes]:
    """``{file name: bytes}`` of every table as it would be saved; ``every``: also the
    tables nothing was typed in (their totals set as the page shows them)."""
    out: dict[str, bytes] = {}
    for t in report.spec.tables.values():
        if t.id not in typed and not every:
            continue
        path = report.data_dir / t.file
        try:
            raw = path.read_bytes()
        except OSError:
            if t.id in typed:
                raise EditError(f"{t.title}的数据文件 {t.file} 不存在或无法读取") from None
            continue
        try:
            out[t.file] = new_bytes(t, path, report.rel(path), raw, typed.get(t.id, {}))
        except CsvEditError:
            if t.id in typed:
                raise
            # Not text the loader reads (F003): checked as it is on disk, its findings say why.
    return out
