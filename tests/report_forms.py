"""Build a report in the forms the importer reads (Word file, Word-exported HTML), with the official
grid's merged cells (from the format spec), for the import tests."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

from govreport.format.spec import TableSpec, spec_for_year

YEAR = 2024
SPEC = spec_for_year(YEAR)
TITLE = "示范县人民政府2024年政府信息公开工作年度报告"
PROSE = {
    0: ["2024年，示范县坚持以公开为常态，全面推进政务公开。", "本报告统计期间自2024年1月1日起至2024年12月31日止。"],
    4: ["主要问题是公开内容还不够全面。"],
    5: ["本年度未收取信息处理费。"],
}


def values() -> dict[tuple[str, str, str], int | Decimal]:
    """Every cell, distinct enough that a number in the wrong column shows."""
    out: dict[tuple[str, str, str], int | Decimal] = {}
    t2 = {"rules": [1, 0, 11], "normative": [8, 26, 66]}
    for rid, cells in t2.items():
        for col, v in zip(("issued", "repealed", "in_force"), cells, strict=True):
            out[("t2", rid, col)] = v
    out |= {("t2", "license", "decisions"): 447, ("t2", "penalty", "decisions"): 3985, ("t2", "coercion", "decisions"): 88,
            ("t2", "fee", "amount"): Decimal("96171.6")}
    for i, rid in enumerate(SPEC.tables["t3"].rows):
        row = [10 + i, i % 3, 0, i % 2, 2, 0]
        for col, v in zip(SPEC.tables["t3"].rows[rid].cols, [*row, sum(row)], strict=True):
            out[("t3", rid, col)] = v
    t4 = {"review": [1, 2, 3, 4], "suit_direct": [0, 1, 0, 2], "suit_after": [2, 0, 0, 1]}
    for rid, cells in t4.items():
        for col, v in zip(("upheld", "corrected", "other", "pending", "total"), [*cells, sum(cells)], strict=True):
            out[("t4", rid, col)] = v
    return out


#: Cells written otherwise than as their number (``("t3", "new", "natural") -> "10件"``), for the tests of
#: units and marks; empty for every other test.
WRITTEN: dict[tuple[str, str, str], str] = {}


def placed(t: TableSpec) -> list[list[tuple[int, int, int, int, str]]]:
    """The grid as ``(row, col, rowspan, colspan, text)`` per cell, columns placed around the spans."""
    vals = values()
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(t.grid):
        cells = []
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            text = cell.text if cell.key is None else WRITTEN.get((t.id, *cell.key), str(vals[(t.id, *cell.key)]))
            cells.append((r, c, cell.rs, cell.cs, text))
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    taken.add((r + dr, c + dc))
            c += cell.cs
        out.append(cells)
    return out


def write_docx(path: Path) -> None:
    """The report as the office's Word file: merged cells via python-docx (gridSpan / vMerge)."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(TITLE)
    for idx, title in enumerate(SPEC.sections):
        doc.add_paragraph(title)
        for text in PROSE.get(idx, []):
            doc.add_paragraph(text)
        for t in SPEC.tables.values():
            if t.section != idx:
                continue
            table = doc.add_table(rows=len(t.grid), cols=t.ncols)
            for row in placed(t):
                for r, c, rs, cs, text in row:
                    cell = table.cell(r, c)
                    if rs > 1 or cs > 1:
                        cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
                    # A long label broken over two paragraphs in its cell, as offices type them.
                    first, _, rest = text.partition("（区分处理的")
                    cell.text = first
                    if rest:
                        cell.add_paragraph("（区分处理的" + rest)
    doc.save(str(path))


def word_html(chrome: bool = True, filler: int = 0) -> str:
    """The report as a saved page of Word-exported HTML inside a CMS layout table with its chrome."""
    def p(text: str) -> str:
        return (f"<p class=MsoNormal style='text-indent:2em;mso-char-indent-count:2.0'><span style='font-family:仿宋_GB2312;"
                f"mso-bidi-font-size:16.0pt'>{html.escape(text)}<o:p></o:p></span></p>\n")

    body = [p(TITLE)]
    for idx, title in enumerate(SPEC.sections):
        body.append(f"<p class=MsoNormal><b><span style='mso-bidi-font-family:黑体'>{html.escape(title)}</span></b></p>")
        body += [p(text) for text in PROSE.get(idx, [])]
        for t in SPEC.tables.values():
            if t.section != idx:
                continue
            rows = []
            for row in placed(t):
                tds = []
                for _r, _c, rs, cs, text in row:
                    inner = html.escape(text).replace("社会公益组织", "社会公益<br>组织").replace("法律服务机构", "法律服务<br/>机构")
                    if text == "0":
                        inner = "&nbsp;0&nbsp;"
                    span = (f" rowspan={rs}" if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                    tds.append(f"<td{span} style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt'>"
                               f"<p class=MsoNormal align=center><span lang=EN-US>{inner}</span></p></td>")
                rows.append("<tr style='mso-yfti-irow:0'>" + "".join(tds) + "</tr>")
            body.append("<table class=MsoNormalTable border=1 cellspacing=0 style='mso-table-layout-alt:fixed'>" + "".join(rows) + "</table>")
    article = "<div class=WordSection1 style='layout-grid:15.6pt'>" + "\n".join(body) + "</div>"
    nav = ""
    tail = ""
    if chrome:
        nav = ("<div class='breadcrumb'>当前位置：<a href='/'>首页</a> &gt; <a>政务公开</a> &gt; 年度报告</div>"
               "<ul class='nav'><li>首页</li><li>政务公开</li><li>互动交流</li></ul>")
        tail = ("<div class='share'>分享到：微信 微博</div><div class='print'><a>【打印本页】</a> <a>【关闭窗口】</a></div>"
                "<div class='fujian'>附件下载：<a href='a.pdf'>示范县2024年年报.pdf</a></div>")
    more = "".join(f"<div class='news-item'><a href='/n/{i}'>其他新闻标题第{i}条 政务动态 工作简报</a><span>2024-01-{i % 28 + 1:02d}</span></div>\n"
                   for i in range(filler))
    return ("<html xmlns:o='urn:schemas-microsoft-com:office:office' xmlns:w='urn:schemas-microsoft-com:office:word'>"
            "<head><meta charset='utf-8'><title>示范县人民政府2024年政府信息公开工作年度报告_示范县人民政府</title>"
            "<style>p.MsoNormal{mso-style-parent:'';margin:0cm;}</style><!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
            f"</head><body><div class='header'>示范县人民政府门户网站</div>{nav}"
            "<table class='layout' width='100%'><tr><td class='left-col'><div class='side'>栏目导航</div></td>"
            f"<td class='main'><h1 class='title'>{TITLE}</h1><div class='info'>发布时间：2025-01-20 来源：县政府办</div>{article}{tail}</td></tr></table>"
            f"<div class='related'>{more}</div><div class='footer'>主办：示范县人民政府办公室 版权所有</div>"
            "<script>var x = '<table><tr><td>一、本年新收</td></tr></table>';</script></body></html>")
