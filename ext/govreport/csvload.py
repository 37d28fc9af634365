"""Read one mandated table from its CSV file, reporting every problem found.

A straight pipeline in the manner of docutils' ``CSVTable.run``: read bytes,
decode, split into records, match the header and row labels against the spec,
parse each cell, then compute derived totals the file leaves out. Nothing stops
at the first problem; every finding is collected. Pure Python, no docutils.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .findings import Finding
from .labels import Labels, Number, describe_variant, normalise_label, show, total
from .spec import Key, LegacyRow, Row, TableSpec, Unit
from .textcodec import decode

# Old names, kept importable from here (the importer and tests use them).
_Labels = Labels
__all__ = ["Key", "Labels", "Number", "TableData", "describe_variant", "load_table", "normalise_label", "parse_cell", "show"]

#: Words writers put in a cell that mean "nothing happened" (write 0 instead).
NOTHING_WORDS = {"无", "—", "——", "-", "－", "--", "/", "／", "空", "没有", "n/a", "na", "null", "x", "×", "〇"}

_FULLWIDTH_DIGITS = re.compile("[０-９．]")
_THOUSANDS = re.compile(r"^-?[0-9]{1,3}([,，][0-9]{3})+(\.[0-9]+)?\Z")
_PLAIN_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?\Z")
_DECIMAL_COMMA = re.compile(r"^[0-9]+[,，][0-9]+\Z")
#: A number an unquoted thousands separator split over cells: "1" | "369" (| "000.5").
_GROUP_HEAD = re.compile(r"^-?[0-9]{1,3}\Z")
_GROUP_LAST = re.compile(r"^[0-9]{3}(\.[0-9]+)?\Z")

#: Largest plausible 行政事业性收费 in 万元 for one agency (a province's whole
#: year is in the hundreds of thousands of 万元; more suggests 元 typed as 万元).
FEE_PLAUSIBLE_MAX = Decimal(1_000_000)
#: Digits before the decimal point beyond which a cell is no count or amount (issue 17).
MAX_DIGITS = 12


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
    if unit == "count" and raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS:
        return int(raw), []  # the usual case, plain digits: none of the checks below apply
    problems: list[tuple[str, str, str]] = []
    s = raw.strip(" \t\r\n\u3000\u00a0")
    if len(s.split(".")[0].lstrip("-－−")) > MAX_DIGITS and _PLAIN_NUMBER.match(s.lstrip("-－−")):
        # issue 17: int() refuses > 4300 digits, float() makes inf (invalid JSON)
        return None, [*problems, ("F015", f"数字有 {len(s)} 位，超过 {MAX_DIGITS} 位，不可能是件数或金额（是否粘贴错误？）", f"≤{MAX_DIGITS} 位")]
    if s != raw:
        problems.append(("C207", f"单元格“{show(raw)}”前后有空格，已按“{show(s)}”读取", s))
    if s == "":
        return None, [*problems, ("C201", "单元格为空，应填数字（没有发生请填 0）", "0")]
    if s.lower() in NOTHING_WORDS:
        return None, [*problems, ("C204", f"单元格写了“{s}”，应填数字（没有发生请填 0）", "0")]
    if _FULLWIDTH_DIGITS.search(s):
        half = unicodedata.normalize("NFKC", s)
        if _THOUSANDS.match(half):
            half = half.replace(",", "")
        return None, [*problems, ("C202", f"“{s}”是全角数字，应写半角“{half}”", half)]
    if _THOUSANDS.match(s):
        plain = re.sub("[,，]", "", s)
        return None, [*problems, ("C203", f"“{s}”带千位分隔符，应写“{plain}”", plain)]
    if unit == "signed" and s[:1] in ("-", "－", "−", "+") and s[1:].isascii() and s[1:].isdigit():
        return (-int(s[1:]) if s[0] != "+" else int(s[1:])), problems  # 2019 表二 本年增/减
    if s.startswith(("-", "－", "−")) and _PLAIN_NUMBER.match(s.lstrip("-－−")):
        return None, [*problems, ("C205", f"“{s}”是负数，件数和金额不能为负", "≥0")]
    if _DECIMAL_COMMA.match(s):
        point = re.sub("[,，]", ".", s)
        return None, [*problems, ("C208", f"“{s}”不是数字；小数点应写“.”（“{point}”）", "数字")]
    if not _PLAIN_NUMBER.match(s):
        return None, [*problems, ("C208", f"“{show(s)}”不是数字", "数字")]
    if unit in ("count", "signed"):
        if "." in s:
            return None, [*problems, ("C206", f"“{s}”是小数，件数应为整数", "整数")]
        return int(s), problems
    try:
        amount = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None, [*problems, ("C208", f"“{s}”不是数字", "数字")]
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
    if (data[:2] not in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in data) or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        out.append(Finding.make("F003", "这不是文本 CSV 文件（可能是 Excel 工作簿改了扩展名）；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”", rel))
        return None
    d = decode(data)
    if d.how == "utf-16":
        out.append(Finding.make("F003", "文件是 UTF-16 编码（Excel 的“Unicode 文本”），不是 CSV；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”", rel))
        return None
    if d.how == "unknown":
        out.append(Finding.make("F003", "文件编码无法识别（既不是 UTF-8 也不是 GBK）；请另存为“CSV UTF-8（逗号分隔）”", rel))
        return None
    if d.how == "control":
        out.append(Finding.make("F003", f"第 {d.line} 行有控制字符 U+{ord(d.char):04X}，这不是文本 CSV 文件；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”", rel, line=d.line))
        return None
    if d.how == "gb18030":
        out.append(Finding.make("F004", "文件是 GBK 编码，已按 GBK 读取；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”，或在记事本中“另存为”时编码选 UTF-8", rel, line=1))
    return d.text


def _delimiter(text: str, rel: str, out: list[Finding]) -> str:
    """Comma, unless tabs or semicolons clearly separate the first lines."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:10]
    count = {d: sum(ln.count(d) for ln in lines) for d in (",", "\t", ";")}
    if count[","] >= max(count["\t"], count[";"]):
        return ","
    delim = "\t" if count["\t"] >= count[";"] else ";"
    name = "制表符" if delim == "\t" else "分号"
    out.append(Finding.make("F005", f"文件用{name}分隔，应为逗号；已按{name}读取，请另存为逗号分隔的 CSV", rel, line=1))
    return delim


def _records(text: str, delim: str, rel: str, out: list[Finding]) -> list[tuple[int, list[str]]] | None:
    """``(line, cells)`` per record; None (and F003) when the text is not CSV.

    Strict parsing first, to catch a quote that is never closed (lenient parsing
    would swallow the rest of the file into one cell); strict parsing also
    rejects stray quotes inside a cell, which lenient parsing reads as text.
    """
    for strict in (True, False):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=strict)
        records: list[tuple[int, list[str]]] = []
        start = 1
        try:
            for cells in reader:
                records.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                out.append(Finding.make("F003", f"第 {start} 行的引号“\"”没有配对，从这里到文件末尾都被当成了一个单元格；请补上或删去这个引号", rel, line=start, found='"'))
                return None
            if strict:
                continue
            out.append(Finding.make("F003", f"第 {start} 行起无法按 CSV 读取（{exc}），常见原因是引号没有配对；请另存为“CSV UTF-8（逗号分隔）”", rel, line=start))
            return None
        return records
    return None  # pragma: no cover - the lenient pass returns


@dataclass
class _Header:
    """What a header line says about the data fields after the stub."""

    line: int  # 0: no header line seen, columns taken from the spec
    ids: list[str | None]  # column id per data field; None: blank or unusable label
    skip: set[int] = field(default_factory=set)  # fields whose label is reported (L102, L104, L109)
    suggested: set[str] = field(default_factory=set)  # column ids an L102 offers instead

    @functools.cached_property
    def width(self) -> int:
        """Data fields up to the last labelled one (asked once the header is read)."""
        labelled = [k for k, cid in enumerate(self.ids) if cid is not None or k in self.skip]
        return labelled[-1] + 1 if labelled else 0

    def plan(self, row: Row, spec: TableSpec) -> _Plan | None:
        """How a well-formed line of ``row`` reads under this header: which
        fields hold which counts and which must be empty; None when a line of
        this row always needs the full reading (a reported label, a missing
        column, an amount). The same for every file with this header: made once."""
        if self.skip:
            return None
        plans = spec.plans  # the spec owns the memo: one per header shape and row
        key = (tuple(self.ids), row.id)
        if key not in plans:
            plans[key] = _make_plan(self, row, spec)
        return plans[key]  # type: ignore[no-any-return]


@dataclass
class _Plan:
    counts: list[tuple[int, str]]  # (field index, column id)
    empty: list[int]  # field indexes that must be empty
    fields: int


def _make_plan(header: _Header, row: Row, spec: TableSpec) -> _Plan | None:
    derived_cols = spec.derived_cols
    counts, empty = [], []
    for k, cid in enumerate(header.ids):
        if cid is not None and cid in row.cols:
            if spec.unit(cid) != "count":
                return None
            counts.append((k, cid))
        else:
            empty.append(k)
    have = {cid for _, cid in counts}
    if any(c not in have and not (c in derived_cols and c not in header.ids) for c in row.cols):
        return None
    return _Plan(counts, empty, len(header.ids))


def load_table(path: Path, spec: TableSpec, rel: str, content: bytes | None = None) -> tuple[TableData, list[Finding]]:
    """Read ``path`` as table ``spec``; ``rel`` is the path findings show.

    ``content``: the file's bytes as they would be (the workbench checks what
    is typed without writing it); ``path`` is then not read."""
    out: list[Finding] = []
    data = TableData(spec, rel)
    if content is not None:
        raw = content
    elif not path.is_file():
        out.append(Finding.make("F001", f"缺少{spec.title}（{spec.caption}）的数据文件 {path.name}", rel))
        return data, out
    else:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            out.append(Finding.make("F003", f"无法打开文件 {path.name}：{exc.strerror or exc}", rel))
            return data, out
    text = _decode(raw, rel, out)
    if text is None:
        return data, out
    delim = _delimiter(text, rel, out)
    records = _records(text, delim, rel, out)
    if records is None:
        return data, out
    if not any(c.strip() for _, cells in records for c in cells):
        out.append(Finding.make("F002", "CSV 文件只有空白单元格，应包含表头和各行数据", rel))
        return data, out

    row_labels, col_labels, stub_norm, titles, legacy = spec.row_labels, spec.col_labels, spec.stub_norm, spec.titles_norm, spec.legacy_norm

    header: _Header | None = None
    unknown: list[tuple[int, str, str | None]] = []  # (line, text, previous row id)
    prev_row: str | None = None
    replaced: set[str] = set()  # rows a 2019 row of the file stands in for
    order = list(spec.rows)

    for line, cells in records:
        first = cells[0].strip() if cells else ""
        rest = [c for c in cells[1:] if c.strip()]
        if not first and not rest:
            continue
        nfirst = normalise_label(first)
        if nfirst in titles and not rest:
            continue
        label, used = row_labels.split(cells)
        rid, variant = row_labels.match(label)
        if nfirst == stub_norm or (header is None and rid is None and nfirst not in legacy):
            if nfirst == stub_norm and first != spec.stub:
                out.append(Finding.make("L107", f"表头第一格“{show(first)}”应写作“{spec.stub}”（{describe_variant(first, spec.stub)}）", rel, line=line, col=1, expected=spec.stub, found=first))
            elif nfirst != stub_norm and nfirst != "":  # an empty corner cell is fine
                out.append(Finding.make("L110", f"表头第一格应为“{spec.stub}”，实为“{show(first)}”", rel, line=line, col=1, expected=spec.stub, found=first))
            header = _header(cells, line, spec, col_labels, legacy, rel, out)
            continue
        if rid is None:
            if nfirst in legacy:
                lrow = next((lr for lr in spec.legacy_rows if normalise_label(lr.label) == nfirst), None)
                if lrow is not None:
                    replaced |= set(lrow.into)
                    out.append(Finding.make(lrow.code, _legacy_row_message(spec, lrow, f"用的是 2019 年格式，“{first}”不分项"),
                                            rel, line=line, col=1, found=first, expected="、".join(spec.rows[r].label for r in lrow.into)))
                else:
                    out.append(Finding.make("L109", f"“{first}”是 2019 年格式的行；2021 年格式将其分为 1.至 3. 三项", rel, line=line, col=1, found=first))
            else:
                unknown.append((line, first, prev_row))
            continue
        official = spec.rows[rid].label
        if variant:
            split = f"；没有加引号的半角逗号把它拆成了 {used} 格" if used > 1 else ""
            out.append(Finding.make("L107", f"行标签“{show(label)}”应写作“{official}”（{describe_variant(label, official)}{split}）", rel, line=line, col=1, expected=official, found=label))
        if rid in data.row_lines:
            out.append(Finding.make("L103", f"行“{official}”重复出现（第一次在第 {data.row_lines[rid]} 行），本行未读取", rel, line=line, col=1, expected="只出现一次", found=label))
            continue
        data.row_lines[rid] = line
        prev_row = rid
        if header is None and not any(f.code == "L110" for f in out):
            out.append(Finding.make("L110", f"CSV 第一行应为表头（“{spec.stub}”和各列标签），实为“{show(label)}”行", rel, line=line, col=1, expected=spec.stub, found=label))
        head = header or _Header(0, list(spec.rows[rid].cols))  # no header: the official columns
        _read_row(data, spec.rows[rid], cells[used:], used + 1, head, line, rel, out)

    # Rows never seen: missing, unless a misspelled label stands in their place
    # or the table is derived from the rest.
    missing = [r for r in order if r not in data.row_lines]
    free = list(missing)  # each missing row is offered for one unknown label only
    for line, text, prev in unknown:
        guess = _guess(text, prev, order, free, data, row_labels)
        if guess:
            free.remove(guess)
            hint = f"，是否应为“{spec.rows[guess].label}”？"
        elif missing:
            hint = ""
        else:
            hint = "；官方格式的各行都已齐全，这是多出的一行，请删除"
        what = f"行标签“{show(text)}”不在官方格式中" if text else "这一行的行标签（第一格）是空的"
        out.append(Finding.make("L101", what + hint, rel, line=line, col=1, found=text, expected=spec.rows[guess].label if guess else None))
    suggested = set(missing) - set(free)
    derived_rows = spec.derived_rows
    for rid in missing:
        if rid in suggested or rid in derived_rows:
            continue
        if rid in replaced:
            continue  # the 2019 row standing in its place is reported (L109)
        i = order.index(rid)
        where = f"，应在“{spec.rows[order[i - 1]].label}”行之后" if i else "，应为表头后的第一行"
        out.append(Finding.make("L105", f"缺少行“{spec.rows[rid].label}”{where}", rel, expected=spec.rows[rid].label))

    _blank_split(data, out)
    _derive(data)
    data.loaded = True
    return data, out


def _legacy_row_message(spec: TableSpec, lrow: LegacyRow, what: str) -> str:
    """``what`` was found; what the 2019 layout has and what the 2021 format wants instead."""
    rows = "”“".join(spec.rows[r].label for r in lrow.into)
    return (f"{spec.title}{what}：2019 年格式（国办公开办函〔2019〕60号）的“{lrow.label}”只有一行，"
            f"2021 年格式要求分为 {len(lrow.into)} 行“{rows}”分别填写（没有发生的填 0，不要自行拆分原来的合计数）")


def _blank_split(data: TableData, out: list[Finding]) -> None:
    """Rows that replace a 2019 row, all present and every cell blank: what a
    2019 layout leaves behind (an import, a copied form). One finding that says
    so, instead of a blank-cell finding (C201) per cell."""
    spec = data.spec
    for lrow in spec.legacy_rows:
        if lrow.blank_code is None or not all(r in data.row_lines for r in lrow.into):
            continue
        keys = [(r, c) for r in lrow.into for c in spec.rows[r].cols]
        if any(data.values.get(k) is not None or data.raw.get(k, "") for k in keys):
            continue
        lines = {data.row_lines[r] for r in lrow.into}
        out[:] = [f for f in out if not (f.code == "C201" and f.path == data.path and f.line in lines)]
        first = data.row_lines[lrow.into[0]]
        out.append(Finding.make(lrow.blank_code, _legacy_row_message(spec, lrow, f"“{lrow.label}”的 {len(lrow.into)} 个分项全部空白，多半是照 2019 年格式只有一行"),
                                data.path, line=first, col=2, expected="各分项的数字（没有发生填 0）", found=""))


def _header(
    cells: list[str], line: int, spec: TableSpec, labels: Labels, legacy: frozenset[str], rel: str, out: list[Finding]
) -> _Header:
    head = _Header(line, [])
    seen: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for k, text in enumerate(cells[1:]):
        j = k + 2  # the CSV field
        t = text.strip()
        head.ids.append(None)
        if not t:
            continue
        cid, variant = labels.match(t)
        if cid is None:
            head.skip.add(k)
            if normalise_label(t) in legacy:
                out.append(Finding.make("L109", f"列“{t}”是 2019 年格式的列，2021 年格式没有这一列", rel, line=line, col=j, found=t))
            else:
                unknown.append((k, t))
            continue
        official = spec.columns[cid].label
        if variant:
            out.append(Finding.make("L107", f"列标签“{show(t)}”应写作“{official}”（{describe_variant(t, official)}）", rel, line=line, col=j, column=official, expected=official, found=t))
        if cid in seen:
            head.skip.add(k)
            out.append(Finding.make("L104", f"列“{official}”重复出现（第一次在第 {seen[cid]} 列），本列未读取", rel, line=line, col=j, column=official, expected="只出现一次", found=t))
            continue
        seen[cid] = j
        head.ids[k] = cid
    # Suggest only columns the header lacks, each for one unknown label.
    free = [c for c in spec.columns if c not in seen]
    for k, t in unknown:
        near = labels.nearest(t, free)
        if near:
            free.remove(near)
            head.suggested.add(near)
            hint = f"，是否应为“{spec.columns[near].label}”？"
        elif len(seen) == len(spec.columns):
            hint = "；官方格式的各列都已齐全，这是多出的一列，请删除"
        else:
            hint = ""
        out.append(Finding.make("L102", f"列标签“{show(t)}”不在官方格式中{hint}", rel, line=line, col=k + 2, found=t, expected=spec.columns[near].label if near else None))
    return head


def _rejoin_thousands(fields: list[tuple[int, str]], width: int) -> list[tuple[int, str, int]]:
    """``(field, text, parts)``: a number like 1,369 written without quotes
    spills over two fields; when a line has more fields than its header, join
    such groups back (``parts`` > 1) so the columns after it line up again."""
    filled = [k for k, (_, t) in enumerate(fields) if t.strip()]
    excess = filled[-1] + 1 - width if filled else 0
    plain = [(j, t, 1) for j, t in fields]
    if excess <= 0:
        return plain
    joined: list[tuple[int, str, int]] = []
    k = 0
    while k < len(fields):
        j, t = fields[k]
        n = 1
        if excess > 0 and _GROUP_HEAD.match(t.strip()):
            while excess > 0 and k + n < len(fields) and _GROUP_LAST.match(nxt := fields[k + n][1].strip()):
                n, excess = n + 1, excess - 1
                if "." in nxt:
                    break
        joined.append((j, ",".join(x for _, x in fields[k : k + n]), n))
        k += n
    return joined if excess == 0 else plain


def _read_row(
    data: TableData,
    row: Row,
    texts: list[str],
    start: int,
    header: _Header,
    line: int,
    rel: str,
    out: list[Finding],
) -> None:
    """Read the data cells ``texts`` of one row; the first is CSV field ``start``."""
    if _read_plain_row(data, row, texts, start, header, line):
        return
    spec = data.spec
    derived_cols = spec.derived_cols
    cols = header.ids
    cells = _rejoin_thousands(list(enumerate(texts, start=start)), header.width)
    for k, (j, text, parts) in enumerate(cells):
        if k in header.skip:
            continue  # the column's label is reported already
        cid = cols[k] if k < len(cols) else None
        if cid is None or cid not in row.cols:
            if text.strip():
                if cid is None:
                    msg = f"行“{row.label}”第 {j} 格“{show(text)}”在表头中没有对应的列（表头只有 {header.width} 个数据列），无法读取"
                else:
                    msg = f"行“{row.label}”没有“{spec.columns[cid].label}”列，第 {j} 格“{show(text)}”无法读取；该格应为空"
                out.append(Finding.make("L108", msg, rel, line=line, col=j, expected="", found=text))
            continue
        label = spec.columns[cid].label
        value, problems = parse_cell(text, spec.unit(cid))
        for code, msg, expected in problems:
            if code == "C203" and parts > 1:
                msg += f"（逗号没有加引号，把这个数拆成了 {parts} 格）"
            out.append(Finding.make(code, f"{spec.title}“{row.label}”行“{label}”列：{msg}", rel, line=line, col=j, column=label, expected=expected, found=text))
        data.values[(row.id, cid)] = value
        data.raw[(row.id, cid)] = text.strip()
        data.pos[(row.id, cid)] = (line, j)
    # The CSV field where data position k would be, past the line's end.
    end = cells[-1][0] + cells[-1][2] if cells else start
    for cid in row.cols:
        if (row.id, cid) in data.pos or (cid in derived_cols and cid not in cols):
            continue
        label = spec.columns[cid].label
        if cid in cols:  # the header has it, this line is short
            k = cols.index(cid)
            out.append(Finding.make("C201", f"{spec.title}“{row.label}”行“{label}”列：单元格为空，应填数字（没有发生请填 0）", rel, line=line, col=end + k - len(cells), column=label, expected="0", found=""))
            data.values[(row.id, cid)] = None
        elif cid in header.suggested:
            continue  # the misspelled column label is reported (L102)
        elif not any(f.code == "L106" and f.line == (header.line or None) and f.column == label for f in out):
            out.append(Finding.make("L106", f"缺少列“{label}”", rel, line=header.line or None, column=label, expected=label))


def _read_plain_row(data: TableData, row: Row, texts: list[str], start: int, header: _Header, line: int) -> bool:
    """The usual line, read quickly: every count plain digits, every other field
    empty, nothing to report. False (nothing read) for any other line."""
    plan = header.plan(row, data.spec)
    if plan is None or len(texts) < plan.fields:
        return False
    if any(texts[k] for k in plan.empty) or any(texts[plan.fields :]):
        return False
    for k, _ in plan.counts:
        t = texts[k]
        if not (t.isascii() and t.isdigit()) or len(t) > MAX_DIGITS:
            return False
    rid, values, raw, pos = row.id, data.values, data.raw, data.pos
    for k, cid in plan.counts:
        t = texts[k]
        values[(rid, cid)] = int(t)
        raw[(rid, cid)] = t
        pos[(rid, cid)] = (line, start + k)
    return True


def _guess(text: str, prev: str | None, order: list[str], free: list[str], data: TableData, labels: Labels) -> str | None:
    """The missing row an unknown label most likely stands for: the first free
    one in the gap after the last matched row if it looks alike (or the label is
    blank), else the most similar free row."""
    idx = order.index(prev) + 1 if prev is not None else 0
    while idx < len(order) and order[idx] not in data.row_lines:
        if order[idx] in free:
            if not text or labels.similarity(text, order[idx]) >= 0.4:
                return order[idx]
            break
        idx += 1
    return labels.nearest(text, free) if text else None


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
                    data.values[(r.id, d.id)] = total([data.values.get((r.id, c)) for c in rel.left])
                    data.derived.add((r.id, d.id))
        else:
            if d.id in data.row_lines:
                continue
            for c in spec.rows[d.id].cols:
                data.values[(d.id, c)] = total([data.values.get((r, c)) for r in rel.left])
                data.derived.add((d.id, c))
