"""Read one mandated table from its CSV file, reporting every problem found.

A straight pipeline in the manner of docutils' ``CSVTable.run``: read bytes,
decode, split into records, match the header and row labels against the spec,
parse each cell, then compute derived totals the file leaves out. Nothing stops
at the first problem; every finding is collected. Pure Python, no docutils.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .findings import Finding
from .spec import Row, TableSpec, Unit

Number = int | Decimal
Key = tuple[str, str]

#: Words writers put in a cell that mean "nothing happened" (write 0 instead).
NOTHING_WORDS = {"无", "—", "——", "-", "－", "--", "/", "／", "空", "没有", "n/a", "na", "null", "x", "×", "〇"}

_FULLWIDTH_DIGITS = re.compile("[０-９．，]")
_THOUSANDS = re.compile(r"^-?\d{1,3}([,，]\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_NUMBERED = re.compile(r"^(\d+)[、．.，,]\s*")
_SPACES = re.compile(r"[\s\u3000]+")

#: Largest plausible 行政事业性收费 in 万元 for one agency (a province's whole
#: year is in the hundreds of thousands of 万元; more suggests 元 typed as 万元).
FEE_PLAUSIBLE_MAX = Decimal(1_000_000)


def normalise_label(s: str) -> str:
    """The comparison form of a label: width, spaces, numbering and quotes unified."""
    s = unicodedata.normalize("NFKC", s)
    s = _SPACES.sub("", s)
    s = _NUMBERED.sub(r"\1.", s)
    for q in "\"'“”‘’「」『』":
        s = s.replace(q, '"')
    return s


def describe_variant(found: str, official: str) -> str:
    """Name how a label differs from the official one (for finding L107)."""
    kinds = []
    if re.search(r"[()]", found) and "（" in official:
        kinds.append("半角括号应为全角括号（）")
    if re.search(r"^\d+、", found.strip()):
        kinds.append("序号“1、”应为“1.”")
    if re.search(r"^[０-９]", found.strip()) or "．" in found:
        kinds.append("全角序号应为半角“1.”")
    if _SPACES.search(found) and not _SPACES.search(official):
        kinds.append("多了空格")
    if any(q in found for q in "\"'「」") and "“" in official:
        kinds.append("引号应为中文引号“”")
    return "；".join(kinds) or "写法不同"


@dataclass
class TableData:
    """The numbers of one table, with where each came from."""

    spec: TableSpec
    path: str  # repository-relative
    values: dict[Key, Number | None] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)
    pos: dict[Key, tuple[int, int]] = field(default_factory=dict)  # (line, field)
    row_lines: dict[str, int] = field(default_factory=dict)
    derived: set[Key] = field(default_factory=set)
    loaded: bool = False

    def get(self, row: str, col: str) -> Number | None:
        return self.values.get((row, col))

    def where(self, row: str, col: str) -> tuple[int | None, int | None]:
        if (row, col) in self.pos:
            return self.pos[(row, col)]
        return self.row_lines.get(row), None


def parse_cell(raw: str, unit: Unit) -> tuple[Number | None, list[tuple[str, str, str]]]:
    """Parse one cell. Returns the value (None when unreadable) and problems as
    ``(code, message, expected)``."""
    problems: list[tuple[str, str, str]] = []
    s = raw.strip(" \t\r\n\u3000\u00a0")
    if s != raw:
        problems.append(("C207", f"单元格“{raw}”前后有空格，已按“{s}”读取", s))
    if s == "":
        return None, problems + [("C201", "单元格为空，应填数字（没有发生请填 0）", "0")]
    if s.lower() in NOTHING_WORDS:
        return None, problems + [("C204", f"单元格写了“{s}”，应填数字（没有发生请填 0）", "0")]
    if _FULLWIDTH_DIGITS.search(s):
        half = unicodedata.normalize("NFKC", s)
        return None, problems + [("C202", f"“{s}”是全角数字，应写半角“{half}”", half)]
    if _THOUSANDS.match(s):
        plain = re.sub("[,，]", "", s)
        return None, problems + [("C203", f"“{s}”带千位分隔符，应写“{plain}”", plain)]
    if s.startswith(("-", "－", "−")) and _PLAIN_NUMBER.match(s.lstrip("-－−")):
        return None, problems + [("C205", f"“{s}”是负数，件数和金额不能为负", "≥0")]
    if not _PLAIN_NUMBER.match(s):
        return None, problems + [("C208", f"“{s}”不是数字", "数字")]
    if unit == "count":
        if "." in s:
            return None, problems + [("C206", f"“{s}”是小数，件数应为整数", "整数")]
        return int(s), problems
    try:
        amount = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None, problems + [("C208", f"“{s}”不是数字", "数字")]
    decimals = len(s.split(".")[1]) if "." in s else 0
    if decimals > 4:
        problems.append(("C209", f"收费金额“{s}”万元有 {decimals} 位小数（不足 1 元），是否把“元”填成了“万元”？", "≤4 位小数"))
    elif amount > FEE_PLAUSIBLE_MAX:
        problems.append(("C210", f"收费金额 {s} 万元（{amount / 10000} 亿元）过大，是否把“元”填成了“万元”？", "单位：万元"))
    return amount, problems


def _decode(data: bytes, rel: str, out: list[Finding]) -> str | None:
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        out.append(Finding.make("F002", "CSV 文件是空的，应包含表头和各行数据", rel))
        return None
    if b"\x00" in data or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        out.append(Finding.make("F003", "这不是文本 CSV 文件（可能是 Excel 工作簿改了扩展名）；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”", rel))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        out.append(Finding.make("F003", "文件编码无法识别（既不是 UTF-8 也不是 GBK）；请另存为“CSV UTF-8（逗号分隔）”", rel))
        return None
    out.append(Finding.make("F004", "文件是 GBK 编码，已按 GBK 读取；请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”", rel, line=1))
    return text


def _delimiter(text: str, rel: str, out: list[Finding]) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if "," in first or ("\t" not in first and ";" not in first):
        return ","
    delim = "\t" if first.count("\t") >= first.count(";") else ";"
    name = "制表符" if delim == "\t" else "分号"
    out.append(Finding.make("F005", f"文件用{name}分隔，已按{name}读取；请另存为逗号分隔的 CSV", rel, line=1))
    return delim


class _Labels:
    """Match written labels to spec ids: exact, then normalised (a variant)."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.exact = {label: i for i, label in labels.items()}
        self.norm = {normalise_label(label): i for i, label in labels.items()}
        self.labels = labels

    def match(self, text: str) -> tuple[str | None, bool]:
        """``(id, is_variant)``; id None when unknown."""
        if text in self.exact:
            return self.exact[text], False
        got = self.norm.get(normalise_label(text))
        return got, got is not None

    def nearest(self, text: str, among: list[str] | None = None) -> str | None:
        ids = among if among is not None else list(self.labels)
        by_norm = {normalise_label(self.labels[i]): i for i in ids}
        hit = difflib.get_close_matches(normalise_label(text), list(by_norm), n=1, cutoff=0.4)
        return by_norm[hit[0]] if hit else None


def load_table(path: Path, spec: TableSpec, rel: str) -> tuple[TableData, list[Finding]]:
    """Read ``path`` as table ``spec``; ``rel`` is the path findings show."""
    out: list[Finding] = []
    data = TableData(spec, rel)
    if not path.is_file():
        out.append(Finding.make("F001", f"缺少{spec.title}（{spec.caption}）的数据文件 {path.name}", rel))
        return data, out
    text = _decode(path.read_bytes(), rel, out)
    if text is None:
        return data, out
    delim = _delimiter(text, rel, out)
    records = list(_records(text, delim))

    row_labels = _Labels({r.id: r.label for r in spec.rows.values()})
    col_labels = _Labels({c.id: c.label for c in spec.columns.values()})
    stub_norm = normalise_label(spec.stub)
    titles = {normalise_label(t) for t in spec.titles}
    legacy = {normalise_label(t) for t in spec.legacy}

    header: list[str | None] | None = None  # column id per field (index 0 = stub)
    header_line = 0
    unknown: list[tuple[int, str, str | None]] = []  # (line, text, previous row id)
    prev_row: str | None = None
    legacy_seen = False
    order = list(spec.rows)

    for line, cells in records:
        first = cells[0].strip() if cells else ""
        rest = [c for c in cells[1:] if c.strip()]
        if not first and not rest:
            continue
        nfirst = normalise_label(first)
        if nfirst in titles and not rest:
            continue
        is_header = nfirst == stub_norm or (header is None and row_labels.match(first)[0] is None and nfirst not in legacy)
        if is_header:
            if nfirst != stub_norm:
                if normalise_label(first) == "":
                    pass  # an empty corner cell is fine
                else:
                    out.append(Finding.make("L110", f"表头第一格应为“{spec.stub}”，实为“{first}”", rel, line=line, col=1, expected=spec.stub, found=first))
            header, header_line = _header(cells, line, spec, col_labels, legacy, rel, out), line
            legacy_seen = legacy_seen or any(normalise_label(c) in legacy for c in cells[1:])
            continue
        rid, variant = row_labels.match(first)
        if rid is None:
            if nfirst in legacy:
                legacy_seen = True
                out.append(Finding.make("L109", f"“{first}”是 2019 年格式的行；2021 年格式将其分为 1.至 3. 三项", rel, line=line, col=1, found=first))
            else:
                unknown.append((line, first, prev_row))
            continue
        if variant:
            official = spec.rows[rid].label
            out.append(Finding.make("L107", f"行标签“{first}”应写作“{official}”（{describe_variant(first, official)}）", rel, line=line, col=1, expected=official, found=first))
        if rid in data.row_lines:
            out.append(Finding.make("L103", f"行“{spec.rows[rid].label}”重复出现（第一次在第 {data.row_lines[rid]} 行），本行未读取", rel, line=line, col=1, found=first))
            continue
        data.row_lines[rid] = line
        prev_row = rid
        row = spec.rows[rid]
        cols: list[str | None] = header[1:] if header is not None else list(row.cols)
        if header is None and not any(f.code == "L110" for f in out):
            out.append(Finding.make("L110", f"CSV 第一行应为表头（“{spec.stub}”和各列标签）", rel, line=line, col=1))
        _read_row(data, row, cells, cols, line, header_line, rel, out)

    # Rows never seen: missing, unless a misspelled label stands in their place
    # or the table is derived from the rest.
    missing = [r for r in order if r not in data.row_lines]
    suggested: set[str] = set()
    for line, text, prev in unknown:
        guess = _positional_guess(order, prev, missing) or row_labels.nearest(text, missing or None)
        hint = f"，是否应为“{spec.rows[guess].label}”？" if guess else ""
        if guess:
            suggested.add(guess)
        out.append(Finding.make("L101", f"行标签“{text}”不在官方格式中{hint}", rel, line=line, col=1, found=text, expected=spec.rows[guess].label if guess else None))
    derived_rows = {d.id for d in spec.derived if d.axis == "row"}
    for rid in missing:
        if rid in suggested or rid in derived_rows:
            continue
        if legacy_seen and rid.startswith("other_"):
            continue
        out.append(Finding.make("L105", f"缺少行“{spec.rows[rid].label}”", rel, expected=spec.rows[rid].label))

    _derive(data)
    data.loaded = True
    return data, out


def _records(text: str, delim: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    out: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        out.append((start, cells))
        start = reader.line_num + 1
    return out


def _header(
    cells: list[str], line: int, spec: TableSpec, labels: _Labels, legacy: set[str], rel: str, out: list[Finding]
) -> list[str | None]:
    ids: list[str | None] = [None]
    seen: dict[str, int] = {}
    for j, text in enumerate(cells[1:], start=2):
        t = text.strip()
        if not t:
            ids.append(None)
            continue
        cid, variant = labels.match(t)
        if cid is None:
            if normalise_label(t) in legacy:
                out.append(Finding.make("L109", f"列“{t}”是 2019 年格式的列，2021 年格式没有这一列", rel, line=line, col=j, found=t))
            else:
                near = labels.nearest(t)
                hint = f"，是否应为“{spec.columns[near].label}”？" if near else ""
                out.append(Finding.make("L102", f"列标签“{t}”不在官方格式中{hint}", rel, line=line, col=j, found=t, expected=spec.columns[near].label if near else None))
            ids.append(None)
            continue
        if variant:
            official = spec.columns[cid].label
            out.append(Finding.make("L107", f"列标签“{t}”应写作“{official}”（{describe_variant(t, official)}）", rel, line=line, col=j, column=official, expected=official, found=t))
        if cid in seen:
            out.append(Finding.make("L104", f"列“{spec.columns[cid].label}”重复出现（第 {seen[cid]} 列），本列未读取", rel, line=line, col=j, column=spec.columns[cid].label))
            ids.append(None)
            continue
        seen[cid] = j
        ids.append(cid)
    return ids


def _read_row(
    data: TableData,
    row: Row,
    cells: list[str],
    cols: list[str | None],
    line: int,
    header_line: int,
    rel: str,
    out: list[Finding],
) -> None:
    spec = data.spec
    derived_cols = {d.id for d in spec.derived if d.axis == "col"}
    for j, text in enumerate(cells[1:], start=2):
        cid = cols[j - 2] if j - 2 < len(cols) else None
        if cid is None or cid not in row.cols:
            if text.strip():
                what = f"“{spec.columns[cid].label}”列" if cid else "对应的列"
                out.append(Finding.make("L108", f"行“{row.label}”没有{what}，第 {j} 格“{text}”无法读取", rel, line=line, col=j, found=text))
            continue
        label = spec.columns[cid].label
        value, problems = parse_cell(text, spec.unit(cid))
        for code, msg, expected in problems:
            out.append(Finding.make(code, f"{spec.title}“{row.label}”行“{label}”列：{msg}", rel, line=line, col=j, column=label, expected=expected, found=text))
        data.values[(row.id, cid)] = value
        data.raw[(row.id, cid)] = text.strip()
        data.pos[(row.id, cid)] = (line, j)
    for cid in row.cols:
        if (row.id, cid) in data.pos or (cid in derived_cols and cid not in cols):
            continue
        label = spec.columns[cid].label
        if cid in cols:  # the header has it, this line is short
            out.append(Finding.make("C201", f"{spec.title}“{row.label}”行“{label}”列：单元格为空，应填数字（没有发生请填 0）", rel, line=line, col=cols.index(cid) + 2, column=label, expected="0", found=""))
            data.values[(row.id, cid)] = None
        elif not any(f.code == "L106" and f.line == header_line and f.column == label for f in out):
            out.append(Finding.make("L106", f"缺少列“{label}”", rel, line=header_line or None, column=label, expected=label))


def _positional_guess(order: list[str], prev: str | None, missing: list[str]) -> str | None:
    """The official row that follows the last matched one, if it is missing."""
    idx = order.index(prev) + 1 if prev is not None else 0
    if idx < len(order) and order[idx] in missing:
        return order[idx]
    return None


def _derive(data: TableData) -> None:
    """Compute derived rows/columns the CSV leaves out (columns first)."""
    spec = data.spec
    for d in sorted(spec.derived, key=lambda d: d.axis != "col"):
        rel = spec.relation(d.relation)
        if d.axis == "col":
            if any((r, d.id) in data.pos for r in spec.rows):
                continue
            for r in spec.rows.values():
                if d.id in r.cols and r.id in data.row_lines:
                    data.values[(r.id, d.id)] = _sum([data.values.get((r.id, c)) for c in rel.left])
                    data.derived.add((r.id, d.id))
        else:
            if d.id in data.row_lines:
                continue
            for c in spec.rows[d.id].cols:
                data.values[(d.id, c)] = _sum([data.values.get((r, c)) for r in rel.left])
                data.derived.add((d.id, c))


def _sum(values: list[Number | None]) -> Number | None:
    if any(v is None for v in values):
        return None
    return sum(values, 0)  # type: ignore[arg-type]
