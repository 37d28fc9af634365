"""What the writer sees of the checks on the page itself.

A report page built with findings lists them at its top (code, severity,
message, file:line:col) and marks the table cells and the paragraphs they point
at, so that a wrong total in the preview does not look like a normal page.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ..checks import Checked
from ..findings import Finding


def findings_notice(found: list[Finding]) -> nodes.Node | None:
    """The box at the top of a report page: every finding, errors first."""
    shown = sorted(found, key=lambda f: (not f.is_error, f.waived is not None, f.path, f.line or 0, f.col or 0))
    if not shown:
        return None
    errors = sum(1 for f in shown if f.is_error)
    warnings = sum(1 for f in shown if not f.is_error and f.waived is None)
    waived = len(shown) - errors - warnings
    parts = [f"{n} 个{what}" for n, what in ((errors, "错误"), (warnings, "警告"), (waived, "已豁免的问题")) if n]
    title = "检查提示：" + "、".join(parts)
    if errors:
        title += "。有错误的报告不能发布，请按下列提示修改"
    box = nodes.admonition(classes=["gov-findings", "error" if errors else "warning"], ids=["gov-findings"])
    box += nodes.title(text=title)
    items = nodes.bullet_list()
    for f in shown:
        kind = f"已豁免（{f.waived}）" if f.waived is not None else f.severity.zh
        para = nodes.paragraph(classes=["gov-finding", "gov-finding--error" if f.is_error else "gov-finding--other"])
        para += nodes.literal(text=f.code, classes=["gov-finding__code"])
        para += nodes.Text(f" {kind}：{f.message}")
        para += nodes.Text("（")
        para += nodes.literal(text=f.location(), classes=["gov-finding__where"])
        para += nodes.Text("）")
        items += nodes.list_item("", para)
    box += items
    only = addnodes.only(expr="html")
    only += box
    return only


def mark_findings(doctree: nodes.document, result: Checked, page_path: str) -> None:
    """Mark the cells and paragraphs the page's open findings point at."""
    open_ = [f for f in result.findings if f.waived is None and f.line is not None]
    if not open_:
        return
    _mark_cells(doctree, result, open_)
    _mark_paragraphs(doctree, [f for f in open_ if f.path == page_path])


def _flag(codes: list[str]) -> nodes.inline:
    return nodes.inline(text=" ".join(sorted(set(codes))), classes=["gov-flag"])


def _mark_cells(doctree: nodes.document, result: Checked, found: list[Finding]) -> None:
    at: dict[tuple[str, int, int | None], list[str]] = {}
    for f in found:
        assert f.line is not None
        at.setdefault((f.path, f.line, f.col), []).append(f.code)

    report = result.report
    for table in doctree.findall(nodes.table):
        classes = table["classes"]
        if "gov-table" not in classes:
            continue
        spec = next((t for t in report.spec.tables.values() if f"gov-{t.id}" in classes), None)
        data = report.tables.get(spec.id) if spec is not None else None
        if spec is None or data is None:
            continue
        placed = spec.layout  # the grid build_table draws (sphinxext.tables), worked out by the spec
        entries = list(table.findall(nodes.entry))
        cells = [cell for row in placed for _, _, cell in row]
        if len(entries) != len(cells):
            continue  # not drawn from this spec's grid
        for entry, cell in zip(entries, cells, strict=True):
            if cell.kind != "d" or cell.key is None or cell.key not in data.pos:
                continue
            line, col = data.pos[cell.key]
            codes = at.get((data.path, line, col), [])
            if codes:
                entry["classes"].append("gov-flagged")
                if entry.children and isinstance(entry[0], nodes.paragraph):
                    entry[0] += _flag(codes)


def _mark_paragraphs(doctree: nodes.document, found: list[Finding]) -> None:
    paras = [p for p in doctree.findall(nodes.paragraph) if p.line is not None and not _in_table(p)]
    paras.sort(key=lambda p: p.line)
    for f in found:
        assert f.line is not None
        best = None
        for p in paras:
            if p.line <= f.line:
                best = p
            else:
                break
        if best is not None:
            if "gov-flagged" not in best["classes"]:
                best["classes"].append("gov-flagged")
            best.insert(0, _flag([f.code]))


def _in_table(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.table, nodes.admonition)):
            return True
        parent = parent.parent
    return False
