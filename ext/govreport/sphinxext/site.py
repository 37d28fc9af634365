"""The site around the reports: the index cards, each page's links, open data files."""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.nodes import system_message
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..edition.opendata import tidy_rows, to_csv, to_json
from ..model.csvwrite import with_bom
from ..model.pagefile import inside
from ..model.report import Report, discover, load_report
from .common import data_root, note_files, note_listing, page_report, under_title, write_bytes_if_changed, write_if_changed
from .shard import SHARD, built, part

PDF_DIR = "pdf"  # inside the HTML output, where `make` copies the PDF edition
DOCX_DIR = "docx"  # and the Word edition (make docx; docxedition.mirror)
DATA_DIR = "opendata"
CSV_DIR = "data"  # inside the HTML output: copies of each report's CSV files, as written


def _up(docname: str) -> str:
    return "../" * docname.count("/")


class ReportIndex(SphinxDirective):
    """The units, grouped, each with its report of the year shown (``unitindex``:
    filled when the page is written), for the newest year (``index-<year>.html``
    for the others). No row links to every report: the page grows with the units,
    not the reports."""

    def run(self) -> list[nodes.Node]:
        # Re-read when a report is added or removed or its name changes; the
        # rows need only report.toml (a draft's badge is filled in when written).
        listing = note_listing(self.env)
        root = data_root(self.env)
        note_files(self.env, [root / "data" / a / str(y) / "report.toml" for a, y in listing] + [root / "portal.toml"])
        if not listing:
            return [nodes.paragraph(text="还没有报告。用 make new 或 make import 新建一份。")]
        from .unitindex import unit_list_for

        node = unit_list_for(self.env)
        lines = [f"全部报告的数据合并下载：{{site-link}}`CSV <{DATA_DIR}/all.csv>` · {{site-link}}`JSON <{DATA_DIR}/all.json>`"]
        return [node, *self.parse_text_to_nodes("\n".join(lines))]


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
    para += nodes.Text("　Word 版：")
    docx_name = f"{r.agency}-{r.year}.docx"
    para += nodes.reference("", docx_name, refuri=f"{up}{DOCX_DIR}/{docx_name}")
    para += nodes.Text("　数据文件：")
    for i, t in enumerate(r.spec.tables.values()):
        if i:
            para += nodes.Text(" · ")
        ref = nodes.reference("", "", refuri=f"{up}{_csv_copy(r, t.file)}", classes=["download"])
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
    under_title(doctree, only)


def _csv_copy(report: Report, file: str) -> str:
    """Where the HTML output holds a copy of one of the report's CSV files."""
    return f"{CSV_DIR}/{report.agency}/{report.year}/{file}"


def write_report_data(app: Sphinx, doctree: nodes.document) -> None:
    """A report's CSV files, and its tidy CSV and JSON, written when its page is
    read: the page is re-read exactly when its data changes, and pages are read
    in parallel. (Sphinx's own downloads would copy, or compare byte by byte,
    every report's files on every build, in one process.)"""
    if app.builder.format != "html":
        return
    result = page_report(app.env, app.env.docname)
    if result is not None:
        _write_report(Path(app.outdir), result.report)


def _write_report(outdir: Path, report: Report) -> None:
    out = outdir / DATA_DIR
    rows = tidy_rows(report)
    out.mkdir(parents=True, exist_ok=True)
    write_if_changed(out / f"{report.agency}-{report.year}.csv", to_csv(rows))
    write_if_changed(out / f"{report.agency}-{report.year}.json", to_json(rows))
    for t in report.spec.tables.values():
        src, dest = report.data_dir / t.file, outdir / _csv_copy(report, t.file)
        if src.is_file() and inside(src, [(report.root / "data").resolve()]):  # issue 17: F009 files are not published
            write_bytes_if_changed(dest, with_bom(src.read_bytes()))  # the download opens right in Excel


def _copies(outdir: Path, report: Report) -> list[Path]:
    return [outdir / _csv_copy(report, t.file) for t in report.spec.tables.values() if (report.data_dir / t.file).is_file()]


def write_open_data(app: Sphinx, exc: Exception | None) -> None:
    """The combined files of every report's open data, into the HTML output.

    Each report's own files are written when its page is read; here only those
    still missing (a report without a page, an emptied output folder) are made,
    and all.csv / all.json are joined from the per-report files, unless none of
    them changed since and the list of reports is the same.
    """
    if exc is not None or app.builder.format != "html" or part(app.config) == SHARD:
        return  # a shard's reports wrote their own files; the site-wide build joins them
    root = data_root(app.env)
    out = Path(app.outdir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    from .portal import withheld_docs  # issue 16: a withheld report publishes no data

    withheld = withheld_docs(app.env)
    found = [(a, y) for a, y in discover(root) if f"{a}/{y}" not in withheld]
    parts: list[Path] = []
    for agency, year in found:
        csv_path, json_path = out / f"{agency}-{year}.csv", out / f"{agency}-{year}.json"
        have = csv_path.is_file() and json_path.is_file() and all(p.is_file() for p in _copies(Path(app.outdir), Report(root, agency, year)))
        if not built(app.env, f"{agency}/{year}") or not have:
            _write_report(Path(app.outdir), load_report(root, agency, year))
        parts += [csv_path, json_path]
    combined = [out / "all.csv", out / "all.json"]
    listing = Path(app.doctreedir) / "govreport-opendata.txt"  # the reports in all.*
    keys = "".join(f"{a}/{y}\n" for a, y in found)
    if all(p.is_file() for p in [*combined, listing]) and listing.read_text(encoding="utf-8") == keys:
        newest = max((p.stat().st_mtime_ns for p in parts), default=0)
        if newest <= min(p.stat().st_mtime_ns for p in combined):
            return
    csvs = [p.read_text(encoding="utf-8") for p in parts[0::2]]
    jsons = [p.read_text(encoding="utf-8") for p in parts[1::2]]
    write_if_changed(combined[0], to_csv([]) + "".join(c.split("\n", 1)[1] for c in csvs))
    # to_json writes "[\n" + items + "\n]\n"; join the items of every report.
    items = [j[2:-3] for j in jsons if j.strip() != "[]"]
    write_if_changed(combined[1], "[\n" + ",\n".join(items) + "\n]\n" if items else to_json([]))
    listing.write_text(keys, encoding="utf-8")


def setup_site(app: Sphinx) -> None:
    app.add_directive("report-index", ReportIndex)
    app.add_role("site-link", SiteLink())
    app.connect("build-finished", write_open_data)
