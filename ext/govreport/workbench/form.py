"""The editor's form: each table laid out as the official grid (the spec's
``layout``, the same placement the site's tables use), one input per data cell.

Labels, merged headers and row/column names all come from the spec; the page
gets, as JSON, which cells are computed and from which cells (the spec's
``derived`` definitions, resolved to cell ids), so the totals follow the typing
in the page while every other rule stays in the server's checks.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..format.labels import fmt_number
from ..format.spec import Key, TableSpec
from ..model.csvload import TableData
from ..model.report import Report

PREFIX = "/__govreport"


def cell_id(t: TableSpec, key: Key) -> str:
    """``t3.new.natural``: table, row and column ids of the spec."""
    return f"{t.id}.{key[0]}.{key[1]}"


def file_hash(path: Path) -> str:
    """What the form remembers of a file, to see that it changed on disk meanwhile ("" when absent)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def computed(t: TableSpec) -> list[tuple[Key, list[Key]]]:
    """Every computed cell and the cells it sums, in the order to work them out:
    derived columns first (each row's total), then derived rows (whose cells may
    be totals worked out just before), as ``csvload`` derives them."""
    out: dict[Key, list[Key]] = {}
    for d in sorted(t.derived, key=lambda d: d.axis != "col"):
        rel = t.relation(d.relation)
        if d.axis == "col":
            for r in t.rows.values():
                if d.id in r.cols:
                    out[(r.id, d.id)] = [(r.id, c) for c in rel.left]
        else:
            for c in t.rows[d.id].cols:
                out.pop((d.id, c), None)  # a row's total of totals: summed down the column, after the rows
                out[(d.id, c)] = [(r, c) for r in rel.left]
    return list(out.items())


def shown(data: TableData, key: Key) -> str:
    """The text a cell's input starts with: what the file holds (a computed cell: its value)."""
    if key in data.raw:
        return data.raw[key]
    value = data.values.get(key)
    return "" if value is None else fmt_number(value)


@dataclass(frozen=True)
class Context:
    """What the page needs besides the report: the session's token."""

    token: str


def model(report: Report) -> dict[str, Any]:
    """The form as data, sent with the page: cells, computed cells, file hashes."""
    tables = []
    for t in report.spec.tables.values():
        data = report.tables.get(t.id)
        comp = computed(t)
        tables.append({
            "id": t.id,
            "file": t.file,
            "hash": file_hash(report.data_dir / t.file),
            "computed": [{"cell": cell_id(t, k), "parts": [cell_id(t, p) for p in parts]} for k, parts in comp],
            "units": {cid: c.unit for cid, c in t.columns.items()},
            "values": {cell_id(t, k): shown(data, k) for k in t.keys()} if data is not None else {},
        })
    meta = report.data_dir / "report.toml"
    return {"report": report.key, "tables": tables, "settings_hash": file_hash(meta)}


def _label(t: TableSpec, key: Key) -> str:
    """What assistive technology reads for a cell: its table, row and column."""
    return f"{t.title} {t.rows[key[0]].label} {t.columns[key[1]].label}"


def table_html(t: TableSpec, data: TableData | None) -> str:
    """One table as the official grid, data cells as inputs (computed ones read-only)."""
    comp = {k for k, _ in computed(t)}
    out = [f'<table class="gov-editor-table gov-{t.id}" data-table="{t.id}">',
           f"<caption>{html.escape(t.title)} {html.escape(t.caption)}</caption>"]
    for r, cells in enumerate(t.layout):
        out.append("<tr>")
        for _, c, cell in cells:
            span = (f' rowspan="{cell.rs}"' if cell.rs > 1 else "") + (f' colspan="{cell.cs}"' if cell.cs > 1 else "")
            if cell.kind != "d":
                tag = "th"
                scope = "" if r < t.head or cell.kind == "h" else ' scope="row"'
                out.append(f'<{tag}{span}{scope} class="gov-editor-{cell.kind}">{html.escape(cell.text)}</{tag}>')
                continue
            assert cell.key is not None
            cid = cell_id(t, cell.key)
            label = html.escape(_label(t, cell.key), quote=True)
            value = html.escape(shown(data, cell.key) if data is not None else "", quote=True)
            where = f'data-r="{r}" data-c="{c}"'
            placed = data is not None and cell.key in data.pos
            if cell.key in comp:
                field = (f'<input class="gov-editor-computed" data-cell="{cid}" {where} readonly tabindex="-1" '
                         f'aria-label="{label}（自动计算）" value="{value}">')
            elif data is not None and data.loaded and not placed:
                field = f'<input data-cell="{cid}" {where} disabled aria-label="{label}" value="" title="CSV 文件中没有这一格，请先在表格软件中补上">'
            else:
                field = (f'<input data-cell="{cid}" {where} inputmode="decimal" autocomplete="off" spellcheck="false" '
                         f'aria-label="{label}" aria-describedby="msg-{cid}" value="{value}">')
            out.append(f'<td{span} class="gov-editor-cell">{field}<div class="gov-editor-msg" id="msg-{cid}" role="status"></div></td>')
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def settings_html(report: Report) -> str:
    """名称、全称、成文日期、草稿: the few report.toml keys a writer sets."""
    published = report.published.isoformat() if report.published else ""
    checked = " checked" if report.draft else ""
    return (
        '<form class="gov-editor-settings" data-form="settings">'
        "<h2>报告信息（report.toml）</h2>"
        f'<label>名称（标题中的机构名称）<input name="agency" data-setting="agency" value="{html.escape(report.name, quote=True)}"></label>'
        '<div class="gov-editor-msg" data-finding-for="agency" role="status"></div>'
        f'<label>全称（发文机关）<input name="full_name" data-setting="full_name" value="{html.escape(report.full_name, quote=True)}"></label>'
        '<div class="gov-editor-msg" data-finding-for="full_name" role="status"></div>'
        f'<label>成文日期<input name="published" data-setting="published" type="date" value="{published}"></label>'
        '<div class="gov-editor-msg" data-finding-for="published" role="status"></div>'
        f'<label class="gov-editor-check"><input name="draft" data-setting="draft" type="checkbox"{checked}> 草稿（不发布）</label>'
        '<div class="gov-editor-msg" data-finding-for="draft" role="status"></div>'
        '<button type="button" data-action="save-settings">保存报告信息</button>'
        "</form>"
    )


def page_html(report: Report, ctx: Context) -> str:
    """The whole editor page for one report."""
    title = html.escape(report.title)
    tables = "".join(
        f'<section class="gov-editor-block"><div class="gov-editor-scroll">{table_html(t, report.tables.get(t.id))}</div></section>'
        for t in report.spec.tables.values()
    )
    data = json.dumps({**model(report), "token": ctx.token}, ensure_ascii=False).replace("</", "<\\/")
    back = f"/{report.agency}/{report.year}.html"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>编辑数据：{title}</title>"
        f'<link rel="stylesheet" href="{PREFIX}/editor.css"></head>'
        '<body class="gov-editor">'
        '<header class="gov-editor-bar">'
        f'<a class="gov-editor-back" href="{back}">← 返回报告页面</a>'
        f"<h1>编辑数据：{title}</h1>"
        '<div class="gov-editor-actions">'
        '<button type="button" data-action="save" class="gov-editor-primary">保存</button>'
        '<button type="button" data-action="commit">提交</button>'
        "</div>"
        '<p class="gov-editor-status" role="status" aria-live="polite"></p>'
        "</header>"
        '<main class="gov-editor-main">'
        '<p class="gov-editor-help">在格子里填数字：Tab、回车和方向键移动；可以从 Excel/WPS 复制一块单元格粘贴进来。'
        "合计自动计算；检查提示显示在格子旁边和下面的列表中。填好后点“保存”写入 CSV 文件。</p>"
        '<section class="gov-editor-findings" aria-label="检查提示" aria-live="polite"></section>'
        f"{tables}"
        f"{settings_html(report)}"
        "</main>"
        '<dialog class="gov-editor-conflict" aria-labelledby="gov-conflict-title"><h2 id="gov-conflict-title">文件已在别处修改</h2>'
        '<div class="gov-editor-conflict-body"></div>'
        '<div class="gov-editor-actions"><button type="button" data-action="keep-mine">保留我填的数字（其他格子用文件中的新内容）</button>'
        '<button type="button" data-action="take-disk">放弃我填的数字，重新载入文件</button></div></dialog>'
        f'<script type="application/json" id="gov-editor-data">{data}</script>'
        f'<script src="{PREFIX}/editor.js"></script>'
        "</body></html>"
    )
