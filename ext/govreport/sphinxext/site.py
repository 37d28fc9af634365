"""The site around the reports: the index cards, each page's links, open data files."""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes
from docutils.nodes import system_message
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..checks import checked
from ..opendata import tidy_rows, to_csv, to_json
from ..report import discover
from .common import data_root, page_report

PDF_DIR = "pdf"  # inside the HTML output, where `make` copies the PDF edition
DATA_DIR = "opendata"


def _up(docname: str) -> str:
    return "../" * docname.count("/")


class ReportIndex(SphinxDirective):
    """Cards for every report in ``data/``: agency, year, page, PDF and data."""

    def run(self) -> list[nodes.Node]:
        root = data_root(self.env)
        found = discover(root)
        # Folders too: their mtime changes when a report is added or removed.
        for path in {root / "data", *(root / "data" / a for a, _ in found)}:
            self.env.note_dependency(str(path))
        reports = [checked(root, a, y, Path(self.env.srcdir)).report for a, y in found]
        for r in reports:
            self.env.note_dependency(str(r.data_dir / "report.toml"))
        reports.sort(key=lambda r: (r.agency, -r.year))
        lines = [":::::{grid} 1 2 2 3", ":gutter: 2", ""]
        for r in reports:
            lines += [
                f"::::{{grid-item-card}} {r.name}",
                f":link: {r.docname}",
                ":link-type: doc",
                "",
                f"**{r.year} 年度** 政府信息公开工作年度报告",
                "",
                ":::{card-footer}",
                f"{{site-link}}`PDF <{PDF_DIR}/{r.pdf_name}>` · "
                f"{{site-link}}`数据 CSV <{DATA_DIR}/{r.agency}-{r.year}.csv>` · "
                f"{{site-link}}`JSON <{DATA_DIR}/{r.agency}-{r.year}.json>`",
                ":::",
                "::::",
                "",
            ]
        lines += [":::::", ""]
        lines += ["```{toctree}", ":hidden:", ""] + [r.docname for r in reports] + ["```", ""]
        if reports:
            lines.append(f"全部报告的数据合并下载：{{site-link}}`CSV <{DATA_DIR}/all.csv>` · {{site-link}}`JSON <{DATA_DIR}/all.json>`")
        return self.parse_text_to_nodes("\n".join(lines))


class SiteLink(SphinxRole):
    """``{site-link}`text <path>``: a link to a file the build puts in the HTML
    output (PDFs, open data), relative to the site root."""

    def run(self) -> tuple[list[nodes.Node], list[system_message]]:
        m = re.match(r"^(.*?)\s*<([^>]+)>$", self.text)
        text, path = (m.group(1), m.group(2)) if m else (self.text, self.text)
        return [nodes.reference(self.rawtext, text, refuri=_up(self.env.docname) + path)], []


def add_report_links(app: Sphinx, doctree: nodes.document) -> None:
    """Under a report page's title (HTML only): its PDF, CSV files and open data."""
    env = app.env
    result = page_report(env, env.docname)
    if result is None:
        return
    r = result.report
    up = _up(env.docname)
    para = nodes.paragraph()
    para += nodes.Text("PDF 版：")
    para += nodes.reference("", r.pdf_name, refuri=f"{up}{PDF_DIR}/{r.pdf_name}")
    para += nodes.Text("　数据文件：")
    for i, t in enumerate(r.spec.tables.values()):
        if i:
            para += nodes.Text(" · ")
        # "/" = relative to the source folder; data/ sits beside docs/.
        target = "/" + Path(os.path.relpath(r.data_dir / t.file, env.srcdir)).as_posix()
        ref = addnodes.download_reference("", "", reftarget=target, refdoc=env.docname, refexplicit=True)
        ref += nodes.literal(text=f"{t.title} {t.file}")
        para += ref
    para += nodes.Text("　开放数据：")
    para += nodes.reference("", "CSV", refuri=f"{up}{DATA_DIR}/{r.agency}-{r.year}.csv")
    para += nodes.Text(" · ")
    para += nodes.reference("", "JSON", refuri=f"{up}{DATA_DIR}/{r.agency}-{r.year}.json")
    box = nodes.container(classes=["gov-report-links"])
    box += para
    only = addnodes.only(expr="html")
    only += box
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        title = next(iter(section.findall(nodes.title)))
        section.insert(section.index(title) + 1, only)


def write_open_data(app: Sphinx, exc: Exception | None) -> None:
    """Tidy CSV and JSON per report, and one combined file, into the HTML output."""
    if exc is not None or app.builder.format != "html":
        return
    root = data_root(app.env)
    out = Path(app.outdir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    every: list[dict[str, object]] = []
    for agency, year in discover(root):
        rows = tidy_rows(checked(root, agency, year, Path(app.srcdir)).report)
        every += rows
        _write(out / f"{agency}-{year}.csv", to_csv(rows))
        _write(out / f"{agency}-{year}.json", to_json(rows))
    _write(out / "all.csv", to_csv(every))
    _write(out / "all.json", to_json(every))


def _write(path: Path, text: str) -> None:
    # Unchanged files keep their timestamps (reproducible output, quick syncs).
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def setup_site(app: Sphinx) -> None:
    app.add_directive("report-index", ReportIndex)
    app.add_role("site-link", SiteLink())
    app.connect("doctree-read", add_report_links, priority=300)
    app.connect("build-finished", write_open_data)
