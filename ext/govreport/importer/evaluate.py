"""``govreport import-eval DIR``: import every sample of a folder and compare with its true numbers.

``DIR/expected.json`` lists the samples (``file`` relative to ``DIR``, ``series``,
``year``) and the true value of every table cell (layout in its ``_doc``; null =
blank in the source). Line 1 of each sample names where it came from and is
stripped (unless the entry says ``"header": false``: a PDF, a spreadsheet). Each sample is imported into a scratch repository (a partial import is
allowed there) and its CSVs are read back with the project's own loader.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..format.labels import Number
from ..format.spec import load_spec, spec_for_year
from ..model.csvload import load_table
from .write import import_report

T3_ROWS = {"new": "new", "carry_in": "carried_in", "r1": "open", "r2": "partial", "total": "total", "carry_out": "carried_over"}
T3_ROWS |= {f"r3_{i}": f"deny_{i}" for i in range(1, 9)}
T3_ROWS |= {f"r4_{i}": f"unable_{i}" for i in range(1, 4)}
T3_ROWS |= {f"r5_{i}": f"reject_{i}" for i in range(1, 6)}
T3_ROWS |= {f"r6_{i}": f"other_{i}" for i in range(1, 4)}
T3_COLS = ("natural", "commercial", "research", "public_interest", "legal", "other", "total")
T4_ROWS = {"review": "review", "lit_direct": "suit_direct", "lit_after": "suit_after"}
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
T2_CELLS: dict[str, list[tuple[str, str]]] = {
    "regs": [("rules", "issued"), ("rules", "repealed"), ("rules", "in_force")],
    "norm": [("normative", "issued"), ("normative", "repealed"), ("normative", "in_force")],
    "license": [("license", "decisions")],
    "penalty": [("penalty", "decisions")],
    "coercion": [("coercion", "decisions")],
    "fee": [("fee", "amount")],
}

Truth = dict[tuple[str, str, str], Decimal | None]


def truth_of(entry: dict[str, Any]) -> Truth:
    """The true cells of a sample: ``(table, row, column) -> value`` (None = blank in the source)."""
    out: Truth = {}

    def num(v: Any) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    for key, cells in T2_CELLS.items():
        vals = entry["table2"].get(key)
        vals = vals if isinstance(vals, list) else [vals]
        for (r, c), v in zip(cells, vals, strict=True):
            out[("t2", r, c)] = num(v)
    for key, v in entry["table3"].items():
        if key in T3_ROWS:  # "r6": a 2019 single row, not a 2021 cell
            for c, x in zip(T3_COLS, v, strict=True):
                out[("t3", T3_ROWS[key], c)] = num(x)
    for key, v in entry["table4"].items():
        for c, x in zip(T4_COLS, v, strict=True):
            out[("t4", T4_ROWS[key], c)] = num(x)
    return out


@dataclass
class Score:
    """One sample's import against its truth."""

    file: str
    form: str = ""
    name: str = ""
    right: int = 0
    wrong: int = 0
    blank: int = 0
    invented: int = 0
    total: int = 0
    notes: int = 0
    problems: list[str] = field(default_factory=list)
    error: str = ""
    misses: list[str] = field(default_factory=list)  # "表三 new.natural: 真值 151，导入 15"
    either: set[tuple[str, str, str]] = field(default_factory=set)  # cells right when read or when left blank

    @property
    def ok(self) -> bool:
        return not self.error and not self.wrong and not self.invented


#: Where 表三's t3.new row is found in a sample's text: the spec's anchor of a web page's 表三, which is
#: that row's label cut to what every published form writes of it.
def _new_row() -> str:
    """表三's first row as the page writes it (the spec's anchor; read when used, not at import)."""
    return load_spec("2021").tables["t3"].anchors.page[0]

#: The marked variant of a sample: the first four numbers of 表三's t3.new row rewritten as a careless
#: source writes them, by column index. ``(how the number N is written, what its cell must import as)``; None = blank, or N.
#: The row's last cell (总计) is then left blank: its label spans three columns, and counting from the end
#: moved every number one column right.
MARKS: dict[int, tuple[str, str]] = {0: ("{n}件", "n"), 1: ("{n}*", "n"), 2: ("{k:,}", "k"), 3: ("<b>{n}</b>", "n|blank"), 6: ("", "blank")}
MARKED = "（单位与标记）"
#: A number cell of each form: HTML ``<td>12</td>``, a pipe cell, a tab field, a space-aligned column.
_CELL = {
    "html": re.compile(r"(?<=>)(\s*)(\d+)(\s*)(?=<)"),
    "md": re.compile(r"(?<=\|)(\s*)(\d+)(\s*)(?=\|)"),
    "txt": re.compile(r"(?<=[\t ])()(\d+)()(?=[\t ]|$)", re.MULTILINE),
}
_ROW_END = {"html": "</tr>", "md": "\n", "txt": "\n"}


def marked(text: str, suffix: str) -> tuple[str, dict[int, tuple[int, str]]] | None:
    """``text`` with the numbers of 表三's t3.new row written with units and marks (``MARKS``): the new text
    and, by column index, the number and how it must import; None when the row is not found cell by cell."""
    kind = "html" if suffix in (".html", ".htm") else "md" if suffix == ".md" else "txt"
    cell = _CELL[kind]
    for m in re.finditer(re.escape(_new_row()), text):
        end = text.find(_ROW_END[kind], m.end())
        end = len(text) if end < 0 else end
        found = list(cell.finditer(text, m.end(), end))
        if len(found) < 7 or (kind == "txt" and text[m.end() : found[0].start()].count("\n")):
            continue
        out: list[str] = []
        changed: dict[int, tuple[int, str]] = {}
        pos = m.end()
        aligned = kind == "txt" and "\t" not in text[m.end() : end]
        for i, (form, want) in MARKS.items():
            c = found[i]
            n = int(c.group(2))
            written = form.format(n=n, k=n + 1000)
            if kind == "html":
                written = written.replace("<", "&lt;").replace(">", "&gt;")
            before = text[pos : c.start(2)]
            if aligned and not written:  # a blank cell of space-aligned columns: spaces where the number was
                written = " " * len(c.group(2))
            elif aligned:  # space-aligned columns: the cell keeps its right edge, the gap before it gives way
                wider = len(written) - len(c.group(2))
                gap = len(before) - len(before.rstrip(" "))
                before = before[: len(before) - min(wider, max(gap - 1, 0))]
            out += [before, written]
            pos = c.end(2)
            changed[i] = (n + 1000 if want == "k" else n, want)
        return text[: m.end()] + "".join(out) + text[pos:], changed
    return None


def score(sample: Path, entry: dict[str, Any], scratch: Path, mark: bool = False) -> Score:
    """Import one sample (its first line stripped) into ``scratch`` and compare; with ``mark``, its variant
    with units and marks in 表三's t3.new row (``marked``), which must import as the marks say."""
    s = Score(entry["file"] + (MARKED if mark else ""))
    year = int(entry["year"])
    agency = str(entry.get("series") or "sample").lower()
    body = sample.read_bytes()
    src = scratch / "src" / sample.name
    src.parent.mkdir(parents=True, exist_ok=True)
    if entry.get("header", True):
        cut = body.find(b"\n")
        body = body[cut + 1 :] if cut >= 0 else b""
    src.write_bytes(body)  # a PDF or a spreadsheet has no line 1 of provenance
    truth = truth_of(entry)
    if mark:
        variant = marked(src.read_text(encoding="utf-8"), sample.suffix.lower())
        if variant is None:
            s.error = f"找不到表三“{_new_row()}”行的各个数字单元格，无法生成带单位与标记的样本"
            return s
        src.write_text(variant[0], encoding="utf-8")
        for i, (n, how) in variant[1].items():
            key = ("t3", "new", T3_COLS[i])
            truth[key] = None if how == "blank" else Decimal(n)
            if how == "n|blank":
                s.either.add(key)
    root = scratch / agency
    for d in ("data", "docs"):
        (root / d).mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text("", encoding="utf-8")
    try:
        made = import_report(root, src, agency, year, name=entry.get("name"), force=True)  # "name": NAME= for a title lost in page chrome
    except ValueError as exc:
        s.error = str(exc).splitlines()[0]
        return s
    s.form, s.name, s.notes = made.parsed.form, made.parsed.name or "", len(made.notes)
    s.problems = [p.what for p in made.parsed.problems]
    spec = load_spec(made.parsed.version) if made.parsed.version else spec_for_year(year)
    got: dict[tuple[str, str, str], Number | None] = {}
    for t in spec.tables.values():
        data, _ = load_table(root / "data" / agency / str(year) / t.file, t, t.file)
        for (r, c), v in data.values.items():
            got[(t.id, r, c)] = None if (r, c) in data.derived else v
    for key, want in truth.items():
        have = got.get(key)
        s.total += 1
        where = f"{spec.tables[key[0]].title} {key[1]}.{key[2]}"
        if have is None:
            if want is None or key in s.either:
                s.right += 1
            else:
                s.blank += 1
        elif want is not None and Decimal(have) == want:
            s.right += 1
        else:
            s.invented += 1
            if want is not None:
                s.wrong += 1
            s.misses.append(f"{where}：真值 {'空白' if want is None else want}，导入 {have}")
    return s


def evaluate(folder: Path) -> list[Score]:
    """Score every sample listed in ``folder/expected.json``."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="govreport-eval-") as tmp:
        out = [score(folder / e["file"], e, Path(tmp) / str(n)) for n, e in enumerate(expected["reports"])]
        # Every form whose 表三 has cells (all but the flattened text) again, with units and marks in one row.
        for n, e in enumerate(expected["reports"]):
            if out[n].form in ("tab", "pdftotext", "html", "markdown", "docx"):
                out.append(score(folder / e["file"], e, Path(tmp) / f"m{n}", mark=True))
        return out


def _shown(file: str) -> str:
    """A sample as the table names it: its path in the folder (text/x.pdf and scan/x.pdf differ), a file outside it by name."""
    return Path(file).name if file.startswith("..") else file


def table(scores: list[Score]) -> str:
    """The scores as a Markdown table."""
    out = ["| 样本 | 读作 | 机构名称 | 正确 | 错误 | 留空 | 共 | 说明条数 | 编造 | 未找到 |", "|---|---|---|---|---|---|---|---|---|---|"]
    for s in scores:
        if s.error:
            out.append(f"| `{_shown(s.file)}` | {s.form or '—'} | 导入失败：{s.error} |  |  |  |  |  |  |  |")
            continue
        out.append(f"| `{_shown(s.file)}` | {s.form} | {s.name} | {s.right} | {s.wrong} | {s.blank} | {s.total} | {s.notes} | "
                   f"{'**' + str(s.invented) + '**' if s.invented else '无'} | {'、'.join(s.problems) or '—'} |")
    return "\n".join(out)
