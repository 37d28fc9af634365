"""A comparison page per year (issue 21): ``compare-<year>.html`` and the same
numbers as ``opendata/compare-<year>.csv``.

For the supervising office and the public: every unit's key figures
(``compare.COLUMNS``) side by side, unusual values marked with the reason
(``compare.mark``). The table is sorted by unit; a script (govreport.js) sorts
it by any column; without a script it reads as it is.

The page is a document (issue 20): ``compare-<year>.md``, generated when the build
starts (``portalpages``), holds ``{compare-page}``, which builds the table as
docutils nodes (``sort_table``: a table every builder writes; the HTML builder
writes it with the sort's buttons and each cell's exact value).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..model.generated import source
from ..model.report import discover
from ..portal.charts.figures import FIGURES, fmt
from ..portal.compare import COLUMNS, MANY, TIMES, UnitYear, cells_html, head_html, load, to_csv
from .common import data_root
from .domain import gov
from .portal import withheld_docs
from .portalpages import doc_link, file_link, note_report_data, provide


def compare_page(year: int) -> str:
    return f"compare-{year}"


def title(year: int) -> str:
    return f"{year} 年度各单位主要数字对比"


class sort_table(nodes.table):  # type: ignore[misc]  # lower case, as docutils names its nodes
    """A comparison table: a plain table to every builder; the HTML builder writes it sortable
    (``rows``: the units' figures and marks, the cells' exact values; ``label``: the region's name)."""


def _years_nav(year: int, years: list[int]) -> nodes.paragraph:
    nav = nodes.paragraph(classes=["gov-units__years"])
    nav += nodes.inline(text="年度：")
    for i, y in enumerate(years):
        if i:
            nav += nodes.Text(" ")
        nav += nodes.inline(text=f"{y} 年度", classes=["gov-units__current"]) if y == year else doc_link(f"{y} 年度", compare_page(y))
    return nav


def table(rows: list[UnitYear], year: int, first: str = "单位") -> sort_table:
    """The units' figures; a row's name links its report of the year."""
    node: sort_table = sort_table(classes=["gov-compare"], label=f"{year} 年度各单位主要数字",
                      rows=[(r.agency, r.name, r.rollup, dict(r.values), dict(r.flags)) for r in rows])
    node += nodes.title(text=f"{year} 年度各单位主要数字（{len(rows)} 个单位）")
    tgroup = nodes.tgroup(cols=len(COLUMNS) + 1)
    node += tgroup
    tgroup += [nodes.colspec(colwidth=w) for w in (3, *(1 for _ in COLUMNS))]
    head, body = nodes.thead(), nodes.tbody()
    tgroup += head
    tgroup += body
    row = nodes.row()
    row += nodes.entry("", nodes.paragraph(text=first))
    for k in COLUMNS:
        row += nodes.entry("", nodes.paragraph(text=f"{FIGURES[k].label}（{FIGURES[k].unit}）"))
    head += row
    for r in rows:
        row = nodes.row(classes=["gov-compare__rollup"] if r.rollup else [])
        name = nodes.paragraph()
        name += doc_link(r.name, f"{r.agency}/{year}")
        if r.rollup:
            name += nodes.inline(text="（汇总）", classes=["gov-compare__roll"])
        row += nodes.entry("", name)
        for k in COLUMNS:
            cell = nodes.paragraph(text=fmt(r.values[k], FIGURES[k].unit))
            if k in r.flags:
                cell += nodes.inline(text="!", classes=["gov-unusual__mark"])
                cell += nodes.inline(text=r.flags[k], classes=["gov-unusual__why"])
            row += nodes.entry("", cell, classes=["gov-unusual"] if k in r.flags else [])
        body += row
    return node


def visit_sort_table(self: HTML5Translator, node: sort_table) -> None:
    """The table as the sort script wants it: buttons in the head, each cell's exact value (``data-v``)."""
    e = self.encode
    label, rows = node["label"], node["rows"]
    caption = node.next_node(nodes.title).astext()
    refs = [entry.next_node(nodes.reference) for entry in _first_cells(node)]
    out = [f'<div class="gov-wide" tabindex="0" role="region" aria-label="{e(label)}">',
           '<table class="gov-compare" data-gov-sort="">', f"<caption>{e(caption)}</caption>",
           head_html(_first_head(node)) + "<tbody>"]
    for (agency, name, rollup, values, flags), ref in zip(rows, refs, strict=True):
        shown = e(name) + ('<span class="gov-compare__roll">（汇总）</span>' if rollup else "")
        if ref is not None and ref.get("refuri"):
            shown = f'<a href="{e(ref["refuri"])}">{shown}</a>'
        cells = [f'<th scope="row" data-v="{e(agency)}">{shown}</th>', *cells_html(UnitYear(agency, name, rollup, values, flags=flags))]
        cls = ' class="gov-compare__rollup"' if rollup else ""
        out.append(f"<tr{cls}>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>\n")
    self.body.append("\n".join(out))
    raise nodes.SkipNode


def _skip(self: HTML5Translator, node: sort_table) -> None:
    pass  # never called: the visitor skips the node


def _first_cells(node: sort_table) -> list[nodes.entry]:
    body = next(node.findall(nodes.tbody))
    return [row[0] for row in body.children]


def _first_head(node: sort_table) -> str:
    return str(next(node.findall(nodes.thead)).next_node(nodes.entry).astext())


class ComparePage(SphinxDirective):
    """``{compare-page} <year>``: the year's table. Options (``compare_sources`` writes them): ``:years:``
    the years to link, ``:withheld:`` the reports this build leaves out; ``:units:`` and ``:last:``
    (the units of the year and the year before) only make the page's source change with them."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"years": directives.unchanged, "units": directives.unchanged,
                                             "last": directives.unchanged, "withheld": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        year = int(self.arguments[0])
        skip = set(self.options.get("withheld", "").split())
        root = data_root(self.env)
        years = [int(y) for y in self.options.get("years", str(year)).split()]
        loaded = load(root, year, skip)
        # The CSV of the same numbers is made here, with the page: written out at every HTML build
        # (``portalpages.write_outputs``), worked out again only when the page is read again.
        gov(self.env).outputs[self.env.docname] = {f"opendata/compare-{year}.csv": to_csv(loaded, year)}
        rows = sorted(loaded, key=lambda r: (not r.rollup, r.agency))
        for r in rows:
            for y in (year, year - 1):
                note_report_data(self.env, root, r.agency, y)
        intro = nodes.paragraph()
        intro += nodes.Text(f"每个单位 {year} 年度报告中的主要数字（与各单位历年页的关键指标相同，由报告的表格算出）。标记 ")
        intro += nodes.inline(text="!", classes=["gov-unusual__mark"])
        intro += nodes.Text(f" 的数字值得核对：超过全区各单位中位数的 {TIMES} 倍（且至少 {MANY} 件），"
                            f"或上年至少 {MANY} 件而本年为 0（汇总报告不参与比较）。点击表头按该列排序。同样的数字：")
        intro += file_link(self.env, "下载 CSV", f"opendata/compare-{year}.csv")
        intro += nodes.Text("。")
        return [_years_nav(year, years), intro, table(rows, year)]


def compare_sources(app: Sphinx) -> dict[str, str]:
    """One page per year with a report (``portalpages``). The source names the years (the page's
    links), the reports withheld, the units of the year and of the year before: a page is read
    again when these change, not on every report added anywhere (its figures are noted files)."""
    root = data_root(app.env)
    withheld = withheld_docs(app.env)
    listing = discover(root)
    years = sorted({y for _, y in listing}, reverse=True)
    out = {}
    for year in years:
        mine = " ".join(k for k in sorted(withheld) if k.endswith((f"/{year}", f"/{year - 1}")))
        units = {y: " ".join(a for a, x in listing if x == y and f"{a}/{y}" not in withheld) for y in (year, year - 1)}
        body = (f"```{{compare-page}} {year}\n:years: {' '.join(map(str, years))}\n:units: {units[year]}\n"
                + (f":last: {units[year - 1]}\n" if units[year - 1] else "") + (f":withheld: {mine}\n" if mine else "") + "```")
        out[compare_page(year)] = source(title(year), body)
    return out


def setup_comparepage(app: Sphinx) -> None:
    app.add_node(sort_table, html=(visit_sort_table, _skip))
    app.add_directive("compare-page", ComparePage)
    provide(compare_sources)
