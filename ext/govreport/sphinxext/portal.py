"""The district portal in the Sphinx build (issue 16).

- ``govreport_publish = "passing"`` (what ``make site`` sets): reports with an
  error are withheld — their pages excluded, no PDF document, no open data — and
  the build passes on the others. The default ``"all"`` keeps ``make html``
  strict for writers: any error fails it.
- An archived report's page (HTML and PDF) says so and lists its 原文问题.
- A roll-up's page links its drill-down table (each cell's members and their
  part) on a page of its own (``members.py``); the same rows in
  ``opendata/<agency>-<year>-members.csv``.
- ``{status-board}``: the status of every unit per year (see ``status.py``).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..model.report import Report
from ..portal.archive import ARCHIVED, is_archived, original_problems
from ..portal.portalmeta import portal_meta
from .common import data_root, note_files, note_listing, page_report, text_row, under_title, write_if_changed
from .domain import gov


def withheld_docs(env: BuildEnvironment) -> dict[str, int]:
    """The reports this build withholds (empty unless ``govreport_publish = "passing"``)."""
    return gov(env).build.withheld


class _Withheld:
    """Works out the reports to withhold when the configuration is read, before the
    environment (and its domain) exists: the pages they leave out must be in the
    configuration Sphinx compares with the last build's. One per application."""

    def __init__(self) -> None:
        self.found: dict[str, int] = {}

    def on_config(self, app: Sphinx, config: Config) -> None:
        self.found = {}
        if config.govreport_publish != "passing":
            return
        from ..portal.publish import withheld_in_build

        root = Path(config.govreport_root or app.confdir).resolve()
        withheld = withheld_in_build(root, Path(app.srcdir))
        self.found = withheld
        # No page (the source is not read at all), no PDF document.
        config.exclude_patterns = [*config.exclude_patterns, *(f"{k}.*" for k in withheld)]
        config.latex_documents = [d for d in config.latex_documents if d[0] not in withheld]

    def on_builder(self, app: Sphinx) -> None:
        """To the domain, before anything asks (the environment exists now)."""
        gov(app.env).build.withheld = self.found


def is_withheld(env: BuildEnvironment, agency: str, year: int) -> bool:
    return f"{agency}/{year}" in withheld_docs(env)


def add_banner(app: Sphinx, doctree: nodes.document) -> None:
    """A page step: the archive banner (both editions) and the roll-up's drill-down link (HTML)."""
    env = app.env
    result = page_report(env, env.docname)
    if result is None:
        return
    r = result.report
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    meta = portal_meta(r.data_dir)
    if is_archived(r):
        from sphinx import addnodes

        box = nodes.admonition(classes=["gov-archive", "note"])
        box += nodes.title(text="存档 · 原文照录")
        published = f"按 {meta.published:%Y年%-m月%-d日} 发布的原文照录" if meta.published else "按发布的原文照录，原文未载明成文日期"
        # The word for t3.carried_in as the narrative checks say it (the spec's prose count ``carried_in``).
        carried = next(c.what for c in r.spec.prose.counts if c.id == "carried_in")
        box += nodes.paragraph(text=f"本报告{published}（来源：{meta.imported_from}），数字和文字均未改动。"
                                    f"它的数字参与跨年比较和{carried}核对，并标明“存档原文”。")
        problems = original_problems(result.findings)
        if problems:
            box += nodes.paragraph(text=f"原文问题（{len(problems)} 项，检查发现、原文如此）：")
            items = nodes.bullet_list()
            for f in problems:
                para = nodes.paragraph()
                para += nodes.literal(text=f.code)
                para += nodes.Text(f" {f.message}（{f.location()}）")
                items += nodes.list_item("", para)
            box += items
        # The PDF: the same text as plain paragraphs (a framed box cannot break
        # and would push the report off its first page).
        plain = nodes.container(classes=["gov-archive"])
        head = nodes.paragraph()
        head += nodes.strong(text="存档 · 原文照录")
        plain += head
        plain += [c.deepcopy() for c in box.children[1:]]
        html, latex = addnodes.only(expr="html"), addnodes.only(expr="latex or docx")  # docx: the Word edition
        html += box
        latex += plain
        under_title(doctree, html, latex)
    if meta.is_rollup:
        from sphinx import addnodes

        from .members import members_link

        only = addnodes.only(expr="html")
        only += members_link(r)  # issue 21: the drill-down on a page of its own
        section += only


def members_csv(r: Report) -> str:
    """The roll-up's provenance as open data: one row per cell and member."""
    import csv
    import io

    from ..portal.rollup import sums

    meta = portal_meta(r.data_dir)
    s = sums(r, meta)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["汇总机构", "年度", "表", "行", "列", "成员", "数值"])
    for t in r.spec.tables.values():
        for (row, col), parts in s.parts[t.id].items():
            for m, v in parts:
                w.writerow([r.name, r.year, t.title, t.rows[row].label, t.columns[col].label, m, "" if v is None else v])
    return buf.getvalue()


def write_members_data(app: Sphinx, doctree: nodes.document) -> None:
    """A page step: a roll-up's provenance as open data (HTML), written when its page is read."""
    if app.builder.format != "html":
        return
    result = page_report(app.env, app.env.docname)
    if result is None or not portal_meta(result.report.data_dir).is_rollup:
        return
    r = result.report
    write_if_changed(Path(app.outdir) / "opendata" / f"{r.agency}-{r.year}-members.csv", members_csv(r))


def card_mark(r: Report) -> str:
    """A card's mark: 存档原文 / 汇总 (Markdown text, may be empty)."""
    marks = []
    if is_archived(r):
        marks.append("存档原文")
    if portal_meta(r.data_dir).is_rollup:
        marks.append("汇总")
    return f"（{'，'.join(marks)}）" if marks else ""


def withheld_lines(env: BuildEnvironment) -> list[str]:
    """Markdown for the index: the reports withheld from this site, with their error counts."""
    withheld = withheld_docs(env)
    if not withheld:
        return []
    lines = ["", "**暂缓发布**（检查发现错误，改正后发布）：", ""]
    lines += [f"- {k}：{n} 个错误" for k, n in sorted(withheld.items())]
    return [*lines, ""]


class StatusBoard(SphinxDirective):
    """``{status-board}``: every unit per year (status.py)."""

    def run(self) -> list[nodes.Node]:
        from ..portal.status import board

        root = data_root(self.env)
        listing = note_listing(self.env)
        note_files(self.env, [root / "data" / a / str(y) / "report.toml" for a, y in listing])
        rows = board(root, docs=Path(self.env.srcdir))
        table = nodes.table(classes=["gov-status"])
        cols = ["年度", "单位", "状态", "错误", "警告", "发布日期", "法定期限", "按期", "与上年雷同"]
        tgroup = nodes.tgroup(cols=len(cols))
        table += tgroup
        for _ in cols:
            tgroup += nodes.colspec(colwidth=2)
        head, body = nodes.thead(), nodes.tbody()
        tgroup += head
        tgroup += body
        head += text_row(cols)
        for row in rows:
            body += text_row(row.cells())
        return [table]


def setup_portal(app: Sphinx) -> None:
    app.add_config_value("govreport_publish", "all", "env", str)
    withheld = _Withheld()
    app.connect("config-inited", withheld.on_config, priority=800)
    app.connect("builder-inited", withheld.on_builder, priority=0)
    app.add_directive("status-board", StatusBoard)


__all__ = ["ARCHIVED", "card_mark", "is_withheld", "setup_portal", "text_row", "withheld_docs", "withheld_lines"]
