"""The Word edition's Sphinx builder: ``sphinx-build -b docx`` (``make docx``).

One ``<agency>-<year>.docx`` per report page, written from the page's resolved
doctree — the same one the HTML and LaTeX builders write — by a node visitor
that calls ``docxedition``: the title in the lines the PDF breaks it into,
headings, paragraphs with their emphasis and links, lists, the ``{value}``
numbers as the page resolved them, the mandated tables with their merged cells
(from the entries' ``morerows``/``morecols``, laid out by the spec), and the 落款.

What the page shows only in print (the archive's plain banner) is selected by
``only`` nodes with ``docx`` beside ``latex``; a draft gets the 草稿 watermark
on every page, as its PDF does. Other pages (index, codes) have no Word edition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator

from ..edition.docx.document import WordReport, set_run_props
from ..edition.docx.package import build_time
from ..edition.docx.page import ROLES, TEXT_W, TWIPS
from ..edition.docx.table import Cell, Layout, add_table
from ..model.officialdoc import title_lines
from ..model.report import Report, load_meta
from .agencies import DRAFT, draft_reason
from .common import data_root, report_key
from .latex import BIG_SPAN, DEFAULT_SIZE, SIZES, column_needs, fit_widths, grid
from .tablenodes import gov_table

logger = logging.getLogger(__name__)

_ROLE = {"gov-head": "head", "gov-stub": "stub", "gov-num": "num"}


@dataclass
class _List:
    enumerated: bool
    prefix: str
    suffix: str
    n: int
    pending: str = ""  # the marker of the item whose first paragraph is next


class DocxTranslator(SphinxTranslator):
    """Walks one report page's doctree into a ``WordReport``."""

    def __init__(self, document: nodes.document, builder: Builder, word: WordReport, title: list[str]) -> None:
        super().__init__(document, builder)
        self.word = word
        self.title_lines = title
        self.depth = 0
        self.p: Any = None  # the paragraph being written
        self.roles: list[str] = []  # strong / emphasis / literal / flag, innermost last
        self.lists: list[_List] = []

    # ---- structure

    def visit_document(self, node: nodes.document) -> None:
        pass

    def depart_document(self, node: nodes.document) -> None:
        pass

    def visit_section(self, node: nodes.section) -> None:
        self.depth += 1

    def depart_section(self, node: nodes.section) -> None:
        self.depth -= 1

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, nodes.section):
            if self.depth <= 1:  # the report's title, in the lines of the PDF's title
                self.word.title(self.title_lines)
                raise nodes.SkipNode
            self.p = self.word.heading(self.depth)
        else:  # an admonition's or a topic's title: a paragraph in 黑体
            self.p = self.word.paragraph()
            self.roles.append("strong")

    def depart_title(self, node: nodes.title) -> None:
        if not isinstance(node.parent, nodes.section):
            self.roles.pop()
        self.p = None

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        self.p = self.word.paragraph()
        if self.lists and self.lists[-1].pending:
            item = self.lists[-1]
            # the marker hangs 2 characters left of the text; a tab takes the text to its indent
            self.word.hanging(self.p, 2.0, len(self.lists) - 1)
            self._add(f"{item.pending}\t")
            item.pending = ""
        elif self.lists:
            self.word.hanging(self.p, 0, len(self.lists))

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        self.p = None

    def visit_Text(self, node: nodes.Text) -> None:
        if self.p is None:
            if not node.astext().strip():
                return
            self.p = self.word.paragraph()
        self._add(node.astext())

    def depart_Text(self, node: nodes.Text) -> None:
        pass

    def _add(self, text: str) -> None:
        for run in self.word.text(self.p, text):
            for role in self.roles:
                if role in ("strong", "emphasis"):
                    set_run_props(run._r.get_or_add_rPr(), ROLES[role])
                elif role == "flag":
                    set_run_props(run._r.get_or_add_rPr(), color="C00000")

    # ---- lists

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        self.lists.append(_List(False, "", "", 0))

    def depart_bullet_list(self, node: nodes.bullet_list) -> None:
        self.lists.pop()

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        self.lists.append(_List(True, node.get("prefix", ""), node.get("suffix", "."), node.get("start", 1) - 1))

    def depart_enumerated_list(self, node: nodes.enumerated_list) -> None:
        self.lists.pop()

    def visit_list_item(self, node: nodes.list_item) -> None:
        item = self.lists[-1]
        item.n += 1
        item.pending = f"{item.prefix}{item.n}{item.suffix}" if item.enumerated else "•"

    def depart_list_item(self, node: nodes.list_item) -> None:
        self.lists[-1].pending = ""

    # ---- inline

    def _push(self, role: str) -> None:
        self.roles.append(role)

    def _pop(self, node: nodes.Node) -> None:
        self.roles.pop()

    def visit_strong(self, node: nodes.strong) -> None:
        self._push("strong")

    depart_strong = _pop

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        self._push("emphasis")

    depart_emphasis = _pop

    def visit_literal(self, node: nodes.literal) -> None:
        self._push("literal")

    depart_literal = _pop

    def visit_inline(self, node: nodes.inline) -> None:
        self._push("flag" if "gov-flag" in node["classes"] else "inline")

    depart_inline = _pop

    def visit_reference(self, node: nodes.reference) -> None:
        uri = node.get("refuri", "")
        if uri.startswith(("http://", "https://", "mailto:")):
            if self.p is None:
                self.p = self.word.paragraph()
            self.word.hyperlink(self.p, node.astext(), uri)
            raise nodes.SkipNode
        self._push("inline")

    def depart_reference(self, node: nodes.reference) -> None:
        self.roles.pop()

    # ---- the report's own parts

    def visit_gov_table(self, node: gov_table) -> None:
        """A mandated table: its grid, merged cells and widths as the PDF sets them."""
        caption = next((t.astext() for t in node.findall(nodes.title)), "")
        cells, nrows, layout = table_cells(node)
        add_table(self.word, caption, cells, nrows, layout)
        raise nodes.SkipNode

    visit_table = visit_gov_table  # a report page's other tables are set the same way

    def visit_signoff(self, node: nodes.Element) -> None:
        self.word.signoff(node["name"], node["date"])
        raise nodes.SkipNode

    def visit_raw(self, node: nodes.raw) -> None:
        raise nodes.SkipNode  # LaTeX's and HTML's own markup

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        for line in node.astext().splitlines():
            self.p = self.word.paragraph(first_chars=0)
            self._add(line)
        self.p = None
        raise nodes.SkipNode

    def visit_line(self, node: nodes.line) -> None:
        self.p = self.word.paragraph()

    def depart_line(self, node: nodes.line) -> None:
        self.p = None

    # ---- what has no place in print

    def _skip(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    visit_comment = visit_target = visit_system_message = visit_substitution_definition = _skip
    visit_tabular_col_spec = visit_index = visit_image = visit_figure = visit_meta = _skip

    # ---- anything else: its text, in its place

    def visit_TextElement(self, node: nodes.TextElement) -> None:
        if self.p is None:
            self.p = self.word.paragraph()
            self._add(node.astext())
            self.p = None
            raise nodes.SkipNode

    def depart_TextElement(self, node: nodes.TextElement) -> None:
        pass

    def visit_Element(self, node: nodes.Element) -> None:
        pass

    def depart_Element(self, node: nodes.Element) -> None:
        pass


def table_cells(node: nodes.table) -> tuple[list[Cell], int, Layout]:
    """A doctree table as grid cells, and how to set it (the PDF's sizes and widths)."""
    tgroup = next(iter(node.findall(nodes.tgroup)))
    colspecs = list(tgroup.findall(nodes.colspec))
    rows = grid(tgroup)
    size, pitch = SIZES.get(next((c for c in node["classes"] if c in SIZES), ""), DEFAULT_SIZE)
    widths = fit_widths([int(c["colwidth"]) for c in colspecs], column_needs(rows, len(colspecs), size), TEXT_W / TWIPS)
    head_rows = sum(1 for _ in tgroup.findall(nodes.thead) for _ in _.findall(nodes.row))
    cells: list[Cell] = []
    keep: set[int] = set()
    for r, row in enumerate(rows):
        in_head = r < head_rows
        if all("gov-head" in e["classes"] for _, e in row) or in_head:
            keep.add(r)
        for c, entry in row:
            role = next((_ROLE[k] for k in entry["classes"] if k in _ROLE), "head" if in_head else "stub")
            span = entry.get("morerows", 0) + 1
            if 1 < span <= BIG_SPAN:
                keep.update(range(r, r + span - 1))
            flags = [f.astext() for f in entry.findall(nodes.inline) if "gov-flag" in f["classes"]]
            text = "".join(t.astext() for t in entry.findall(nodes.Text) if not _in_flag(t))
            cells.append(Cell(r, c, span, entry.get("morecols", 0) + 1, text, role, " ".join(flags)))
    return cells, len(rows), Layout(widths, size, pitch, head_rows, frozenset(keep))


def _in_flag(t: nodes.Node) -> bool:
    parent = t.parent
    return isinstance(parent, nodes.inline) and "gov-flag" in parent["classes"]


class DocxBuilder(Builder):
    """Word edition: ``<agency>-<year>.docx`` for each report page."""

    name = "docx"
    format = "docx"
    epilog = "Word 版：%(outdir)s"
    default_translator_class = DocxTranslator
    allow_parallel = True

    def init(self) -> None:
        self.when = build_time()

    def _reports(self) -> Iterator[tuple[str, str, int]]:
        root = data_root(self.env)
        for doc in sorted(self.env.found_docs):
            key = report_key(doc)
            if key is not None and (root / "data" / key[0] / str(key[1])).is_dir():
                yield doc, *key

    def get_outdated_docs(self) -> Iterator[str]:
        for doc, agency, year in self._reports():
            target = Path(self.outdir) / f"{agency}-{year}.docx"
            source = Path(self.env.doc2path(doc))
            if not target.is_file() or not source.is_file() or source.stat().st_mtime > target.stat().st_mtime:
                yield doc

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        key = report_key(docname)
        return f"{key[0]}-{key[1]}.docx" if key else ""

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_documents(self, docnames: Set[str]) -> None:
        reports = {doc for doc, _, _ in self._reports()}
        wanted = docnames & reports
        if wanted:
            super().write_documents(wanted)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        key = report_key(docname)
        assert key is not None
        root = data_root(self.env)
        meta = load_meta(root, *key)
        write_report(doctree, self, meta, Path(self.outdir) / f"{key[0]}-{key[1]}.docx", self.when,
                     bool(draft_reason(root, key[0], key[1], Path(self.env.doc2path(docname)))))

    def finish(self) -> None:
        """No Word file of a report that is gone (or withheld from a published site)."""
        keep = {f"{a}-{y}.docx" for _, a, y in self._reports()}
        out = Path(self.outdir)
        for stale in sorted(out.glob("*.docx")):
            if stale.name not in keep:
                stale.unlink()


def write_report(doctree: nodes.document, builder: Builder, meta: Report, path: Path, when: dt.datetime, draft: bool) -> None:
    """One report's .docx from its resolved doctree."""
    from ..portal.archive import is_archived

    word = WordReport()
    marks = [m for m, on in ((DRAFT, draft), ("存档原文", is_archived(meta))) if on]
    word.properties(meta.title, meta.full_name or meta.name, when, category="，".join(marks), keywords=f"{meta.name} {meta.year}")
    if draft:
        word.watermark(DRAFT)
    visitor = DocxTranslator(doctree, builder, word, title_lines(meta.name, meta.year, meta.title_break))
    doctree.walkabout(visitor)
    word.save(path, when)


def setup_docx(app: Sphinx) -> None:
    app.add_builder(DocxBuilder)
