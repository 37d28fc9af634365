"""A 2020 report in the 2019 format (国办公开办函〔2019〕60号), written in each form the importer reads:
text copied from a web page (tab-separated), ``pdftotext -layout``, flattened page text and a saved page.

The grids come from ``specs/gov2019.yaml`` (whose labels are ../shared/format/README.md verbatim); the
numbers satisfy the 2019 relations (表三 勾稽关系, 办理结果合计 with （六） as one term, 申请人合计; 表四
结果合计). Each form imitates what the real forms do: a browser's copy writes a cell a span covers as an
empty field; pdftotext puts a merged label on the middle line of its span and wraps long labels; a web
archiver runs every cell together; the published page's 表二 has 5 physical columns with merges.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from govreport.format.spec import FormatSpec, TableSpec, load_spec

YEAR = 2020
SPEC = load_spec("2019")
NAME = "示范镇人民政府"
PROSE = {
    0: ["示范镇认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。",
        "本报告统计期间自{year}年1月1日起至{year}年12月31日止。"],
    1: ["全年主动公开政府信息1086条。"],
    4: ["主要问题是公开内容还不够全面，下一步将加强培训。"],
    5: ["本年度未收取信息处理费。"],
}

Value = int | Decimal

_T2: dict[str, list[Value]] = {
    "rules": [1, 1, 12], "normative": [6, 5, 48],
    "license": [35, -2, 417], "other_services": [14, 3, 96],
    "penalty": [8, 0, 1275], "coercion": [2, 1, 33],
    "fee": [9, -1], "purchase": [27, Decimal("1536.42")],
}
#: 表三 result rows per applicant column (自然人 … 其他); the other rows follow from the relations.
_RESULTS: dict[str, list[int]] = {
    "open": [52, 3, 0, 0, 1, 0], "partial": [7, 0, 0, 0, 0, 0],
    "deny_3": [1, 0, 0, 0, 0, 0], "deny_4": [2, 0, 0, 0, 0, 0],
    "unable_1": [18, 1, 0, 0, 0, 0], "unable_2": [3, 0, 0, 0, 0, 0], "unable_3": [1, 0, 0, 0, 0, 0],
    "reject_1": [4, 0, 0, 0, 0, 0], "reject_2": [2, 0, 0, 0, 0, 0],
    "other": [5, 1, 0, 0, 0, 0],
}
_CARRIED_IN = [3, 1, 0, 0, 0, 0]
_CARRIED_OVER = [6, 0, 0, 0, 0, 0]
_T4 = {"review": [3, 1, 0, 1], "suit_direct": [2, 0, 1, 0], "suit_after": [1, 0, 0, 1]}
#: 表二 of the 2021 format, for a 2022 report that kept 2019's single （六） row in 表三.
_T2_2021: dict[str, list[Value]] = {"rules": [0, 0, 3], "normative": [4, 1, 27], "license": [312], "penalty": [88], "coercion": [5],
                                    "fee": [Decimal("12.6")]}


def values(spec: FormatSpec = SPEC) -> dict[tuple[str, str, str], Value]:
    """Every cell of the report, keyed ``(table, row, column)``."""
    out: dict[tuple[str, str, str], Value] = {}
    t2 = spec.tables["t2"]
    for rid, cells in (_T2 if "purchase" in t2.rows else _T2_2021).items():
        for col, v in zip(t2.rows[rid].cols, cells, strict=True):
            out[("t2", rid, col)] = v
    t3 = spec.tables["t3"]
    results = list(t3.relation("results").left)
    rows = {rid: _RESULTS.get(rid, [0] * 6) for rid in results}
    rows["total"] = [sum(rows[r][j] for r in results) for j in range(6)]
    rows["carried_over"] = _CARRIED_OVER
    rows["carried_in"] = _CARRIED_IN
    rows["new"] = [rows["total"][j] + _CARRIED_OVER[j] - _CARRIED_IN[j] for j in range(6)]
    for rid in t3.rows:
        cells = rows[rid]
        for col, v in zip(t3.rows[rid].cols, [*cells, sum(cells)], strict=True):
            out[("t3", rid, col)] = v
    for rid, cells4 in _T4.items():
        for col, v in zip(spec.tables["t4"].rows[rid].cols, [*cells4, sum(cells4)], strict=True):
            out[("t4", rid, col)] = v
    return out


def mixed_spec() -> FormatSpec:
    """The layout real 2022–2024 reports still use: the 2021 format with 2019's 表三 (a single （六）其他处理 row)."""
    new = load_spec("2021")
    return replace(new, tables={**new.tables, "t3": SPEC.tables["t3"]})


@dataclass
class Report:
    """One report, rendered in each form. ``spec`` gives the grids; ``truth`` the numbers in the 2019 grid."""

    spec: FormatSpec = SPEC
    year: int = YEAR
    name: str = NAME
    vals: dict[tuple[str, str, str], Value] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vals = self.vals or values(self.spec)

    @property
    def title(self) -> str:
        return f"{self.name}{self.year}年政府信息公开工作年度报告"

    def prose(self, idx: int) -> list[str]:
        return [p.format(year=self.year) for p in PROSE.get(idx, [])]

    def grid(self, t: TableSpec) -> list[list[tuple[int, int, int, int, str]]]:
        """The table as ``(row, col, rowspan, colspan, text)`` per cell, numbers filled in."""
        return [[(r, c, cell.rs, cell.cs, cell.text if cell.key is None else str(self.vals[(t.id, *cell.key)])) for r, c, cell in row]
                for row in t.layout]

    def tables_of(self, idx: int) -> list[TableSpec]:
        return [t for t in self.spec.tables.values() if t.section == idx]

    # -------------------------------------------------------------- tab-separated (a browser's copy)

    def tab_text(self) -> str:
        """Copied from the report's web page: a table row per line, its cells tab-separated, covered cells empty."""
        out = [self.title, ""]
        for idx, title in enumerate(self.spec.sections):
            out.append(title)
            out += self.prose(idx)
            for t in self.tables_of(idx):
                out.append("")
                for row in self.grid(t):
                    fields = [""] * t.ncols
                    for _r, c, _rs, _cs, text in row:
                        fields[c] = text
                    out.append("\t".join(fields))
                out.append("")
        return "\n".join(out) + "\n"

    # -------------------------------------------------------------- pdftotext -layout

    def pdf_text(self) -> str:
        """What ``pdftotext -layout`` makes of the PDF: space-aligned, merged labels on their span's middle line,
        long labels wrapped, a page break (page number and form feed) inside 表三."""
        out = ["", f"          {self.title}", ""]
        for idx, title in enumerate(self.spec.sections):
            out.append(f"    {title}")
            out += [f"        {p}" for p in self.prose(idx)]
            for t in self.tables_of(idx):
                out.append("")
                out += self._pdf_table(t)
                out.append("")
        return "\n".join(out) + "\n"

    def _pdf_table(self, t: TableSpec) -> list[str]:
        """Label columns at fixed character positions, numbers under their columns."""
        xs = [0, 30, 48, 66] if t.id == "t2" else [0, 8, 14, 52, 62, 70, 78, 86, 94, 102] if t.id == "t3" else [i * 9 for i in range(15)]
        lines: list[list[tuple[int, str]]] = [[] for _ in t.grid]
        wraps: dict[int, list[tuple[int, str]]] = {}
        for row in self.grid(t):
            for r, c, rs, _cs, text in row:
                if not text:
                    continue
                at = r + (rs - 1) // 2  # pdftotext: a merged cell's text on the middle line of its span
                long = t.id == "t3" and len(text) > 18 and c <= 2
                pieces = [text[i : i + 14] for i in range(0, len(text), 14)] if long else [text]
                lines[at].append((xs[c], pieces[0]))
                wraps.setdefault(at, []).extend((xs[c], p) for p in pieces[1:])  # the rest of a long label, below it
        rendered: list[str] = []
        for n, cells in enumerate(lines):
            line = ""
            for x, s in sorted(cells):
                line = _pad(line, x) + s if line or x else s
            rendered.append(line.rstrip())
            rendered += [" " * x + s for x, s in wraps.get(n, [])]
            if t.id == "t3" and n == 14:
                rendered += ["", "                                   -3-", "\f"]
        return rendered

    # -------------------------------------------------------------- flattened page text

    def flat_text(self) -> str:
        """A web archiver's page text: the page furniture, then the whole report in one line, every cell run together."""
        body: list[str] = []
        for idx, title in enumerate(self.spec.sections):
            body.append(title)
            body += self.prose(idx)
            for t in self.tables_of(idx):
                for row in self.grid(t):
                    body += [text for *_, text in row if text]
        head = [f"标题: {self.title}", f"发布时间: {self.year + 1}-01-29 10:00", f"发布机构: {self.name}",
                "==================== 正文 ===================="]
        return "\n".join(head) + "\n" + "".join(body).replace("社会公益组织法律服务机构", "社会公益 组织 法律服务 机构") + "\n"

    # -------------------------------------------------------------- the published page (HTML)

    def html_page(self) -> str:
        """The report page as the portal publishes it, with its chrome and Word-exported table markup;
        a 2019 表二 on 5 physical columns."""
        body = [f"<p class=MsoNormal align=center><b>{html.escape(self.title)}</b></p>"]
        for idx, title in enumerate(self.spec.sections):
            body.append(f"<p class=MsoNormal><b><span style='font-family:黑体'>{html.escape(title)}</span></b></p>")
            body += [f"<p class=MsoNormal style='text-indent:2em'>{html.escape(p)}<o:p></o:p></p>" for p in self.prose(idx)]
            for t in self.tables_of(idx):
                body.append(self._html_t2() if t.id == "t2" and "purchase" in t.rows else self._html_table(t))
        return ("<html><head><meta charset='utf-8'><title>" + html.escape(self.title) + f"_{self.name}</title></head><body>"
                "<div class='breadcrumb'>当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>"
                f"<div class='article'><h1>{html.escape(self.title)}</h1><div class='info'>发布时间：{self.year + 1}-01-29</div>"
                + "\n".join(body) +
                f"<div class='share'>分享到：微信 微博</div></div><div class='footer'>主办：{self.name}</div></body></html>")

    def _html_table(self, t: TableSpec) -> str:
        rows = ["<tr>" + "".join(_td(text, rs, cs) for _r, _c, rs, cs, text in row) + "</tr>" for row in self.grid(t)]
        return "<table class=MsoNormalTable border=1 cellspacing=0>" + "\n".join(rows) + "</table>"

    def _html_t2(self) -> str:
        """The 18 rows of 表二 on 5 physical columns: (一)(五)(六) merge the last two, (八) merges 本年增/减
        over three, (九) has two cells of two columns each."""
        t = self.spec.tables["t2"]
        fee = {r for r, cells in enumerate(t.grid) for c in cells if c.key and c.key[0] == "fee"}
        rows = []
        for row in self.grid(t):
            first, rest = row[0], row[1:]
            if first[3] == t.ncols:  # a block title
                rows.append("<tr>" + _td(first[4], 1, 5) + "</tr>")
                continue
            kind = 1 if len(rest) == 3 else 2 if first[0] in fee or first[0] + 1 in fee else 3
            spans = _T2_PHYSICAL[kind]
            rows.append("<tr>" + _td(first[4]) + "".join(_td(text, 1, cs) for (_, cs), (*_, text) in zip(spans, rest, strict=True)) + "</tr>")
        return "<table class=MsoNormalTable border=1 cellspacing=0>" + "\n".join(rows) + "</table>"

    # -------------------------------------------------------------- Markdown conversion and Word file

    def markdown(self) -> str:
        """A converter's Markdown: headings in #, each table one pipe table (spanned cells empty)."""
        out = [f"# {self.title}", ""]
        for idx, title in enumerate(self.spec.sections):
            out += [f"## {title}", ""]
            for p in self.prose(idx):
                out += [p, ""]
            for t in self.tables_of(idx):
                rows = []
                for row in self.grid(t):
                    fields = [""] * t.ncols
                    for _r, c, _rs, _cs, text in row:
                        fields[c] = text
                    rows.append("| " + " | ".join(fields) + " |")
                out += [rows[0], "|" + "---|" * t.ncols, *rows[1:], ""]
        return "\n".join(out) + "\n"

    def write_docx(self, path: Path) -> None:
        """The office's Word file, merged cells via python-docx (gridSpan / vMerge)."""
        import docx

        doc = docx.Document()
        doc.add_paragraph(self.title)
        for idx, title in enumerate(self.spec.sections):
            doc.add_paragraph(title)
            for p in self.prose(idx):
                doc.add_paragraph(p)
            for t in self.tables_of(idx):
                table = doc.add_table(rows=len(t.grid), cols=t.ncols)
                for row in self.grid(t):
                    for r, c, rs, cs, text in row:
                        cell = table.cell(r, c)
                        if rs > 1 or cs > 1:
                            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
                        cell.text = text
        doc.save(str(path))


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(line: str, x: int) -> str:
    return line + " " * max(1, x - _width(line))


#: 表二 of the published page: 5 physical columns (Word's cell boundaries differ between the blocks).
_T2_PHYSICAL = {1: [(1, 1), (2, 1), (3, 2)], 2: [(1, 1), (2, 3)], 3: [(1, 2), (3, 2)]}


def _td(text: str, rs: int = 1, cs: int = 1) -> str:
    span = (f" rowspan={rs}" if rs > 1 else "") + (f" colspan={cs}" if cs > 1 else "")
    inner = "&nbsp;" if not text else html.escape(text)
    return f"<td{span} style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span lang=EN-US>{inner}</span></p></td>"
