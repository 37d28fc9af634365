"""A province's pages as docutils content (issue 20): what every builder writes (LaTeX, text; the
HTML builder writes ``federation.pages``' HTML instead, see ``federation.visit_province_body``).

The same facts as ``pages``: the links between the province's pages are Sphinx references (each
in an inline that names its target, so the HTML writer finds the addresses Sphinx resolved), the
links into the members' sites external references, the tables plain tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docutils import nodes
from docutils.utils import column_width

from ..findings import CATALOGUE
from ..format.spec import spec_for_year
from ..portal.charts.figures import FIGURES, fmt
from ..portal.compare import COLUMNS, MANY, TIMES
from ..portal.federation import pages
from ..portal.federation.province import Province
from ..portal.federation.rows import District
from .portalpages import doc_link


class province_body(nodes.container):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """A province page's body (``kind``: index, compare, rollup or status; ``year``), built when the page is
    read as plain docutils content: the links between the province's pages Sphinx references (each in
    an inline naming its ``target``), the members' sites external links. Every builder writes the
    content; the HTML builder writes the page as ``pages`` does (the sortable table, the classes the
    script and the style use), with the addresses Sphinx resolved."""


class _Body:
    """Builds one page's content."""

    def __init__(self, p: Province) -> None:
        self.p = p

    def page(self, text: str, docname: str) -> nodes.Node:
        """A link to a province page, in an inline that names it (Sphinx replaces the reference)."""
        return nodes.inline("", "", doc_link(text, docname), target=docname)

    def years(self, para: nodes.paragraph, current: int | None, page: Callable[[int], str]) -> nodes.paragraph:
        para += nodes.inline(text="年度：")
        for y in self.p.years:
            para += nodes.Text(" ")
            para += nodes.inline(text=f"{y} 年度") if y == current else self.page(f"{y} 年度", page(y))
        return para


def _site(d: District, rel: str, text: str) -> nodes.Node:
    """A link into the district's published site, or the text alone when portal.toml gives no address."""
    return nodes.reference("", text, refuri=d.member.site + rel) if d.member.site else nodes.Text(text)


def _table(title: str, head: list[str], rows: Iterable[list[nodes.Node | str]]) -> nodes.table:
    table = nodes.table()
    table += nodes.title(text=title)
    tgroup = nodes.tgroup(cols=len(head))
    table += tgroup
    rows = list(rows)
    # Widths as the text shows them (the text writer takes them as characters, LaTeX as proportions).
    widths = [min(24, max(column_width(c if isinstance(c, str) else c.astext()) for c in col)) + 2 for col in zip(head, *rows, strict=True)]
    tgroup += [nodes.colspec(colwidth=w) for w in widths]
    thead, tbody = nodes.thead(), nodes.tbody()
    tgroup += thead
    tgroup += tbody

    def row(cells: list[nodes.Node | str]) -> nodes.row:
        out = nodes.row()
        for c in cells:
            para = nodes.paragraph()
            para += nodes.Text(c) if isinstance(c, str) else c
            out += nodes.entry("", para)
        return out

    thead += row(list(head))
    tbody += [row(r) for r in rows]
    return table


def _index(b: _Body) -> list[nodes.Node]:
    p = b.p
    out: list[nodes.Node] = []
    if p.years:
        out.append(b.years(nodes.paragraph(text="各地区主要数字对比："), None, pages.compare_page))
        out.append(b.years(nodes.paragraph(text=f"{pages._title(p)}汇总："), None, pages.rollup_page))
    status = nodes.paragraph()
    status += b.page("各地区发布情况", pages.STATUS_PAGE)
    status += nodes.Text("（哪些单位已发布、暂缓发布；成员数据的问题）")
    out.append(status)
    for d in p.districts:
        head = nodes.rubric()
        head += _site(d, "index.html", d.member.name)
        head += nodes.Text(f"（{len(d.agencies())} 个单位）")
        out.append(head)
        if d.error:
            out.append(nodes.paragraph(text=d.error))
            continue
        items = nodes.bullet_list()
        published, archived = set(d.published), set(d.archived)
        for a in d.agencies():
            para = nodes.paragraph()
            para += _site(d, f"{a}/index.html", d.names.get(a, a))
            for y in d.years:
                key = f"{a}/{y}"
                if key in published:
                    mark = "（存档原文）" if key in archived else "（汇总）" if d.rollups and key in d.rollups else ""
                    para += [nodes.Text(" "), _site(d, f"{a}/{y}.html", f"{y} 年度报告"), nodes.Text(mark + " "), _site(d, f"pdf/{a}-{y}.pdf", "PDF")]
                elif key in d.withheld:
                    para += [nodes.Text(" "), nodes.inline(text=f"{y} 年度：暂缓发布")]
            items += nodes.list_item("", para)
        out.append(items)
    return out


def _compare(b: _Body, year: int) -> list[nodes.Node]:
    p = b.p
    rows = pages.compare_rows(p, year)
    notes = {t.name: t.note for t in p.totals(year)[0] if t.note}
    sites = {d.member.name: d for d in p.districts}
    intro = nodes.paragraph()
    intro += nodes.Text(f"每个地区 {year} 年度已发布报告的合计（每份报告只计一次：有汇总报告的按汇总报告，见")
    intro += b.page(f"{pages._title(p)}汇总", pages.rollup_page(year))
    intro += nodes.Text(f"）。标记 ! 的数字值得核对：超过各地区中位数的 {TIMES} 倍（且至少 {MANY} 件），或上年至少 {MANY} 件而本年为 0。")
    body = []
    for r in rows:
        name = nodes.inline()
        name += _site(sites[r.name], f"compare-{year}.html", r.name)
        if r.name in notes:
            name += nodes.Text(f"（{notes[r.name]}）")
        cells: list[nodes.Node | str] = [name]
        for k in COLUMNS:
            shown = fmt(r.values[k], FIGURES[k].unit)
            cells.append(f"{shown} !（{r.flags[k]}）" if k in r.flags else shown)
        body.append(cells)
    head = ["地区", *(f"{FIGURES[k].label}（{FIGURES[k].unit}）" for k in COLUMNS)]
    return [b.years(nodes.paragraph(), year, pages.compare_page), intro, _table(f"{year} 年度各地区主要数字（{len(rows)} 个地区）", head, body)]


def _rollup(b: _Body, year: int) -> list[nodes.Node]:
    p = b.p
    parts, total = p.totals(year)
    out: list[nodes.Node] = [b.years(nodes.paragraph(), year, pages.rollup_page),
                             nodes.paragraph(text="各地区已发布的公开数据（opendata/all.csv）相加。每份报告只计一次：地区有汇总报告的，按汇总报告计，"
                                                  "汇总报告以外的单位另加；没有汇总报告的，各单位报告相加。某个数字有任何一份报告缺少时留空，不估算。"),
                             nodes.rubric(text="各地区的计入方式")]
    how = nodes.bullet_list()
    for t, d in zip(parts, p.districts, strict=True):
        para = nodes.paragraph()
        para += nodes.strong(text=t.name)
        para += nodes.Text(f"：{pages._how(t, d)}")
        how += nodes.list_item("", para)
    out.append(how)
    if total.note:
        out.append(nodes.paragraph(text=f"{total.note}；下表是 {len(total.counted)} 个地区的合计。"))
    for ts in spec_for_year(year).tables.values():
        cols = list(dict.fromkeys(c for r in ts.rows.values() for c in r.cols))
        rows = [[row.label, *(fmt(total.cells.get((ts.id, rid, c)), "件") if c in row.cols else "" for c in cols)] for rid, row in ts.rows.items()]
        out.append(_table(f"{ts.title}（{len(total.counted)} 个地区合计）", [ts.stub, *(ts.columns[c].label for c in cols)], rows))
    return out


def _status(b: _Body) -> list[nodes.Node]:
    p = b.p
    out: list[nodes.Node] = [nodes.paragraph(text="每个地区 publication.json 所列：已发布、存档原文（已发布的历史报告）和暂缓发布（检查有错误）的报告。")]
    if p.findings:
        out.append(nodes.rubric(text=f"成员数据的问题（{len(p.findings)} 项）"))
        out.append(nodes.bullet_list("", *(nodes.list_item("", nodes.paragraph(
            text=f"{f.code} {CATALOGUE[f.code].title}：{f.message}（{f.location()}）")) for f in p.findings)))
    for d in p.districts:
        head = nodes.rubric()
        head += _site(d, "index.html", d.member.name)
        out.append(head)
        if d.error:
            out.append(nodes.paragraph(text=d.error))
            continue
        counts = []
        for y in d.years:
            keys = [k for k in [*d.published, *d.withheld] if k.endswith(f"/{y}")]
            n = {s: sum(pages._state(d, k) == s for k in keys) for s in pages._STATE}
            counts.append(f"{y} 年度：已发布 {n['published'] + n['archived']} 份（其中存档 {n['archived']} 份），暂缓发布 {n['withheld']} 份")
        out.append(nodes.paragraph(text="；".join(counts) + "。"))
        rows = []
        for a in d.agencies():
            cells: list[nodes.Node | str] = [d.names.get(a, a)]
            for y in d.years:
                s = pages._state(d, f"{a}/{y}")
                text = "—" if s is None else pages._STATE[s] + (f"（{d.withheld[f'{a}/{y}']} 个错误）" if s == "withheld" else "")
                cells.append(_site(d, f"{a}/{y}.html", text) if s in ("published", "archived") else text)
            rows.append(cells)
        out.append(_table(f"{d.member.name}各单位", ["单位", *(f"{y} 年度" for y in d.years)], rows))
    return out


def body(p: Province, kind: str, year: int | None = None) -> province_body:
    """The page's content (``kind``: index, compare, rollup, status)."""
    b = _Body(p)
    if kind == "index":
        content = _index(b)
    elif kind == "status":
        content = _status(b)
    else:
        assert year is not None
        content = (_compare if kind == "compare" else _rollup)(b, year)
    node = province_body("", *content, classes=["gov-province"], kind=kind)
    if year is not None:
        node["year"] = year
    return node
