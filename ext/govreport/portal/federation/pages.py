"""The province's pages as HTML text, and their numbers as CSV (no docutils: ``sphinxext/federation.py`` places them).

Each page's body (its title is its document's: ``titles``); the pages are documents generated when
the build starts (issue 20): ``sphinxext/provincenodes.py`` gives every builder their content as
nodes, and the HTML builder writes these bodies, the links between the province's pages as Sphinx
resolved them (``href``).

- the index: every member district, its units and links to their reports on the district's site;
- ``province-compare-<year>``: the districts' key figures side by side (``compare``'s columns and marks);
- ``province-rollup-<year>``: the province's sum of every cell, and how each district was counted;
- ``province-status``: which units each district published, withheld or archived, and the members' data problems.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable

from ...edition.opendata import UNITS
from ...findings import CATALOGUE
from ...format.spec import spec_for_year
from ..charts.figures import FIGURES, fmt
from ..compare import COLUMNS, MANY, TIMES, UnitYear, cells_html, head_html, mark
from .province import Province
from .rows import District
from .sums import Total

e = html.escape


def compare_page(year: int) -> str:
    return f"province-compare-{year}"


def rollup_page(year: int) -> str:
    return f"province-rollup-{year}"


STATUS_PAGE = "province-status"


def titles(p: Province) -> dict[str, str]:
    """Every province page (docname) and its title."""
    out = {}
    for year in p.years:
        out[compare_page(year)] = f"{year} 年度各地区主要数字对比"
        out[rollup_page(year)] = f"{_title(p)} {year} 年度汇总"
    out[STATUS_PAGE] = "各地区发布情况"
    return out


# In a folder of their own: ``opendata/<name>-<year>.csv`` is a report's file (sitefiles.REPORT_FILES).
def compare_csv(year: int) -> str:
    return f"opendata/province/compare-{year}.csv"


def rollup_csv_path(year: int) -> str:
    return f"opendata/province/rollup-{year}.csv"


def _title(p: Province) -> str:
    return p.title or "全省"


def _site(d: District, rel: str, text: str) -> str:
    """A link into the district's published site, or the text alone when portal.toml gives no address."""
    return f'<a href="{e(d.member.site + rel)}">{text}</a>' if d.member.site else text


Href = Callable[[str], str]  # a province page's name -> its address from the page shown (Sphinx resolves it)


def _html_of(up: str = "") -> Href:
    return lambda doc: f"{up}{doc}.html"


def _years_nav(years: list[int], current: int | None, page: Callable[[int], str], href: Href) -> str:
    links = " ".join(f'<span aria-current="page">{y} 年度</span>' if y == current else f'<a href="{e(href(page(y)))}">{y} 年度</a>' for y in years)
    return f'<nav class="gov-units__years" aria-label="选择年度"><span>年度：</span>{links}</nav>'


def index_html(p: Province, href: Href | None = None) -> str:
    """The list of member districts and their units, for the province's index page (``href``: the
    links to the province's pages, as Sphinx resolved them)."""
    href = href or _html_of()
    out = ['<div class="gov-units gov-province">']
    if p.years:
        out.append(f'<p class="gov-units__compare">各地区主要数字对比：{_years_nav(p.years, None, compare_page, href)}</p>')
        out.append(f'<p class="gov-units__compare">{e(_title(p))}汇总：{_years_nav(p.years, None, rollup_page, href)}</p>')
    out.append(f'<p class="gov-units__compare"><a href="{e(href(STATUS_PAGE))}">各地区发布情况</a>（哪些单位已发布、暂缓发布；成员数据的问题）</p>')
    for d in p.districts:
        out.append(f'<section class="gov-units__group"><h2>{_site(d, "index.html", e(d.member.name))}'
                   f'<span class="gov-units__n">（{len(d.agencies())} 个单位）</span></h2>')
        if d.error:
            out.append(f'<p class="gov-units__withheld">{e(d.error)}</p></section>')
            continue
        out.append('<ul class="gov-units__list">')
        published, archived = set(d.published), set(d.archived)
        for a in d.agencies():
            cells = [_site(d, f"{a}/index.html", e(d.names.get(a, a)))]
            for y in d.years:
                key = f"{a}/{y}"
                if key in published:
                    mark_ = "（存档原文）" if key in archived else "（汇总）" if d.rollups and key in d.rollups else ""
                    cells.append(_site(d, f"{a}/{y}.html", f"{y} 年度报告") + mark_ + " " + _site(d, f"pdf/{a}-{y}.pdf", "PDF"))
                elif key in d.withheld:
                    cells.append(f'<span class="gov-units__withheld">{y} 年度：暂缓发布</span>')
            out.append(f'<li class="gov-agency-card">{" ".join(cells)}</li>')
        out.append("</ul></section>")
    out.append("</div>")
    return "\n".join(out)


def compare_rows(p: Province, year: int) -> list[UnitYear]:
    """One row per district: its total's key figures, last year's beside them, unusual ones marked."""
    parts, _ = p.totals(year)
    before = {t.name: t for t in p.totals(year - 1)[0]} if year - 1 in p.years else {}
    rows = []
    for t in parts:
        row = UnitYear(t.name, t.name, False, {k: FIGURES[k].get(t) for k in COLUMNS})
        last = before.get(t.name)
        if last is not None and not last.note:
            row.last = {k: FIGURES[k].get(last) for k in COLUMNS}
        rows.append(row)
    return mark(rows, "全省各地区")


def compare_html(p: Province, year: int, href: Href | None = None) -> str:
    href = href or _html_of()
    rows = compare_rows(p, year)
    notes = {t.name: t.note for t in p.totals(year)[0] if t.note}
    sites = {d.member.name: d for d in p.districts}
    out = [_years_nav(p.years, year, compare_page, href),
           f"<p>每个地区 {year} 年度已发布报告的合计（每份报告只计一次：有汇总报告的按汇总报告，见"
           f'<a href="{e(href(rollup_page(year)))}">{e(_title(p))}汇总</a>）。'
           f"标记 <span class=\"gov-unusual__mark\">!</span> 的数字值得核对：超过各地区中位数的 {TIMES} 倍（且至少 {MANY} 件），"
           f"或上年至少 {MANY} 件而本年为 0。点击表头按该列排序。"
           f'同样的数字：<a href="{compare_csv(year)}">下载 CSV</a>。</p>',
           f'<div class="gov-wide" tabindex="0" role="region" aria-label="{year} 年度各地区主要数字">',
           '<table class="gov-compare" data-gov-sort="">',
           f"<caption>{year} 年度各地区主要数字（{len(rows)} 个地区）</caption>",
           head_html("地区") + "<tbody>"]
    for r in rows:
        d = sites[r.name]
        name = _site(d, f"compare-{year}.html", e(r.name))
        if r.name in notes:
            name += f'<span class="gov-unusual__why">{e(notes[r.name])}</span>'
        cells = [f'<th scope="row" data-v="{e(r.name)}">{name}</th>', *cells_html(r)]
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _how(t: Total, d: District) -> str:
    """How a district's total was made, in words."""
    if t.note:
        return t.note
    units = [k for k in t.counted if k not in t.rollups]
    parts = [f"{d.names.get(k.split('/')[0], k)}（汇总报告）" for k in t.rollups] + [d.names.get(k.split("/")[0], k) for k in units]
    text = f"{len(t.counted)} 份报告相加：{'、'.join(parts)}"
    if t.withheld:
        text += f"；未计入暂缓发布的 {'、'.join(d.names.get(k.split('/')[0], k) for k in t.withheld)}"
    return text


def rollup_html(p: Province, year: int, href: Href | None = None) -> str:
    href = href or _html_of()
    parts, total = p.totals(year)
    out = [_years_nav(p.years, year, rollup_page, href),
           "<p>各地区已发布的公开数据（opendata/all.csv）相加。每份报告只计一次：地区有汇总报告的，按汇总报告计，"
           "汇总报告以外的单位另加；没有汇总报告的，各单位报告相加。某个数字有任何一份报告缺少时留空，不估算。"
           f'同样的数字（含各地区的合计）：<a href="{rollup_csv_path(year)}">下载 CSV</a>。</p>',
           '<h2>各地区的计入方式</h2><ul class="gov-province__how">']
    for t, d in zip(parts, p.districts, strict=True):
        out.append(f"<li><strong>{e(t.name)}</strong>：{e(_how(t, d))}</li>")
    out.append("</ul>")
    if total.note:
        out.append(f'<p class="gov-units__withheld">{e(total.note)}；下表是 {len(total.counted)} 个地区的合计。</p>')
    spec = spec_for_year(year)
    for ts in spec.tables.values():
        cols = list(dict.fromkeys(c for r in ts.rows.values() for c in r.cols))
        out.append(f'<div class="gov-wide" tabindex="0" role="region" aria-label="{ts.title}"><table class="gov-table">'
                   f"<caption>{ts.title}（{len(total.counted)} 个地区合计）</caption><thead><tr><th scope=\"col\">{e(ts.stub)}</th>")
        out += [f'<th scope="col">{e(ts.columns[c].label)}</th>' for c in cols]
        out.append("</tr></thead><tbody>")
        for rid, row in ts.rows.items():
            cells = [f'<td>{fmt(total.cells.get((ts.id, rid, c)), "件")}</td>' if c in row.cols else "<td></td>" for c in cols]
            out.append(f'<tr><th scope="row">{e(row.label)}</th>{"".join(cells)}</tr>')
        out.append("</tbody></table></div>")
    return "\n".join(out)


def rollup_csv(p: Province, year: int) -> str:
    """The province's sums and each district's total, tidy (one number a line), with a BOM for Excel."""
    parts, total = p.totals(year)
    spec = spec_for_year(year)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["year", "district", "table", "row", "column", "value", "unit"])
    for t in [total, *parts]:
        if t.note and t is not total:
            continue
        for ts in spec.tables.values():
            for rid, cid in ts.keys():
                v = t.cells.get((ts.id, rid, cid))
                w.writerow([year, t.name, ts.title, ts.rows[rid].label, ts.columns[cid].label, "" if v is None else v, UNITS[ts.unit(cid)]])
    return "\ufeff" + buf.getvalue()


_STATE = {"published": "已发布", "archived": "存档原文", "withheld": "暂缓发布"}


def status_html(p: Province) -> str:
    out = ["<p>每个地区 publication.json 所列：已发布、存档原文（已发布的历史报告）和暂缓发布（检查有错误）的报告。</p>"]
    found = p.findings
    if found:
        out.append(f'<h2>成员数据的问题（{len(found)} 项）</h2><ul class="gov-province__findings">')
        out += [f"<li><code>{e(f.code)}</code> {e(CATALOGUE[f.code].title)}：{e(f.message)}（{e(f.location())}）</li>" for f in found]
        out.append("</ul>")
    for d in p.districts:
        out.append(f"<h2>{_site(d, 'index.html', e(d.member.name))}</h2>")
        if d.error:
            out.append(f'<p class="gov-units__withheld">{e(d.error)}</p>')
            continue
        years = d.years
        counts = []
        for y in years:
            keys = [k for k in [*d.published, *d.withheld] if k.endswith(f"/{y}")]
            n = {s: sum(_state(d, k) == s for k in keys) for s in _STATE}
            counts.append(f"{y} 年度：已发布 {n['published'] + n['archived']} 份（其中存档 {n['archived']} 份），暂缓发布 {n['withheld']} 份")
        out.append("<p>" + "；".join(counts) + "。</p>")
        out.append('<div class="gov-wide" tabindex="0" role="region"><table class="gov-status"><thead><tr><th scope="col">单位</th>')
        out += [f'<th scope="col">{y} 年度</th>' for y in years]
        out.append("</tr></thead><tbody>")
        for a in d.agencies():
            cells = []
            for y in years:
                s = _state(d, f"{a}/{y}")
                text = "—" if s is None else _STATE[s] + (f"（{d.withheld[f'{a}/{y}']} 个错误）" if s == "withheld" else "")
                cells.append(f"<td>{_site(d, f'{a}/{y}.html', text) if s in ('published', 'archived') else text}</td>")
            out.append(f'<tr><th scope="row">{e(d.names.get(a, a))}</th>{"".join(cells)}</tr>')
        out.append("</tbody></table></div>")
    return "\n".join(out)


def _state(d: District, key: str) -> str | None:
    if key in d.withheld:
        return "withheld"
    if key in d.archived:
        return "archived"
    return "published" if key in d.published else None
