"""A comparison page per year (issue 21): ``compare-<year>.html`` and the same
numbers as ``opendata/compare-<year>.csv``.

For the supervising office and the public: every unit's key figures
(``compare.COLUMNS``) side by side, unusual values marked with the reason
(``compare.mark``). The table is sorted by unit; a script (govreport.js) sorts
it by any column; without a script it reads as it is.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..portal.compare import MANY, TIMES, UnitYear, cells_html, head_html, load, to_csv
from .common import data_root
from .portal import withheld_docs


def compare_page(year: int) -> str:
    return f"compare-{year}"


def render(rows: list[UnitYear], year: int, years: list[int]) -> str:
    e = html.escape
    nav = " ".join(f'<span aria-current="page">{y} 年度</span>' if y == year else f'<a href="{compare_page(y)}.html">{y} 年度</a>' for y in years)
    out = [f"<section><h1>{year} 年度各单位主要数字对比</h1>",
           f'<nav class="gov-units__years" aria-label="选择年度"><span>年度：</span>{nav}</nav>',
           f"<p>每个单位 {year} 年度报告中的主要数字（与各单位历年页的关键指标相同，由报告的表格算出）。"
           f"标记 <span class=\"gov-unusual__mark\">!</span> 的数字值得核对：超过全区各单位中位数的 {TIMES} 倍（且至少 {MANY} 件），"
           f"或上年至少 {MANY} 件而本年为 0（汇总报告不参与比较）。点击表头按该列排序。"
           f'同样的数字：<a href="opendata/compare-{year}.csv">下载 CSV</a>。</p>',
           f'<div class="gov-wide" tabindex="0" role="region" aria-label="{year} 年度各单位主要数字">',
           '<table class="gov-compare" data-gov-sort="">',
           f"<caption>{year} 年度各单位主要数字（{len(rows)} 个单位）</caption>",
           head_html("单位") + "<tbody>"]
    for r in sorted(rows, key=lambda r: (not r.rollup, r.agency)):
        name = e(r.name) + ('<span class="gov-compare__roll">（汇总）</span>' if r.rollup else "")
        cells = [f'<th scope="row" data-v="{e(r.agency)}"><a href="{r.agency}/{year}.html">{name}</a></th>', *cells_html(r)]
        cls = ' class="gov-compare__rollup"' if r.rollup else ""
        out.append(f"<tr{cls}>{''.join(cells)}</tr>")
    out.append("</tbody></table></div></section>")
    return "\n".join(out)


def collect_compare_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format != "html":
        return
    from ..model.report import discover

    root = data_root(app.env)
    skip = set(withheld_docs(app.env))
    years = sorted({y for _, y in discover(root)}, reverse=True)
    out = Path(app.outdir) / "opendata"
    out.mkdir(parents=True, exist_ok=True)
    for year in years:
        rows = load(root, year, skip)
        text = to_csv(rows, year)
        path = out / f"compare-{year}.csv"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        title = f"{year} 年度各单位主要数字对比"
        yield compare_page(year), {"title": title, "body": render(rows, year, years), "gov_crumbs": [(title, "")]}, "gov-agency.html"


def setup_comparepage(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_compare_pages)
