"""Doctree snapshots (syrupy): the tables alone, and a whole MyST page after its
transforms and the builder's post-transforms, for the HTML and LaTeX builders.

Snapshots live in ``tests/__snapshots__/test_doctree_snapshots/`` as readable
pseudo-XML; ``pytest --snapshot-update`` rewrites them (and says which changed),
a plain run only compares.
"""

from __future__ import annotations

import pytest
from docutils import nodes
from govreport.format.spec import load_spec
from govreport.model.csvload import load_table
from govreport.sphinxext.tables import build_table
from sample import SAMPLE
from sphinx.testing.util import SphinxTestApp
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


class PseudoXML(SingleFileSnapshotExtension):
    """One ``.xml`` text file per snapshot, so a reviewer reads the diff."""

    _write_mode = WriteMode.TEXT
    file_extension = "xml"


@pytest.fixture
def xml_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(PseudoXML)


@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_table_doctree(tid: str, xml_snapshot: SnapshotAssertion) -> None:
    spec = load_spec("2021").tables[tid]
    data, _ = load_table(SAMPLE / spec.file, spec, spec.file)
    assert build_table(spec, data).pformat() == xml_snapshot


def _written_doctree(app: SphinxTestApp, docname: str) -> str:
    """The page exactly as the builder hands it to its writer (``doctree-resolved``
    comes after the post-transforms); the source folder made relative."""
    seen: dict[str, str] = {}

    def keep(_app: object, doctree: nodes.document, name: str) -> None:
        seen[name] = doctree.pformat()

    app.connect("doctree-resolved", keep)
    # Every page written, so the page is resolved here even when another test of the session
    # has built this test root (sphinx.testing shares its folder) and nothing changed since.
    app.build(force_all=True)
    assert app.statuscode == 0
    return seen[docname].replace(str(app.srcdir), "<srcdir>")


@pytest.mark.sphinx("html", testroot="basic")
def test_page_doctree_html(app: SphinxTestApp, xml_snapshot: SnapshotAssertion) -> None:
    assert _written_doctree(app, "demo/2021") == xml_snapshot


@pytest.mark.sphinx("latex", testroot="basic")
def test_page_doctree_latex(app: SphinxTestApp, xml_snapshot: SnapshotAssertion) -> None:
    assert _written_doctree(app, "demo/2021") == xml_snapshot


@pytest.mark.sphinx("html", testroot="site")
def test_portal_pages_doctree_html(app: SphinxTestApp, xml_snapshot: SnapshotAssertion) -> None:
    """Issue 20: an agency page and a comparison page are documents (generated sources), their
    doctrees as the HTML builder writes them."""
    seen: dict[str, str] = {}

    def keep(_app: object, doctree: nodes.document, name: str) -> None:
        seen[name] = doctree.pformat().replace(str(app.srcdir), "<srcdir>")

    app.connect("doctree-resolved", keep)
    app.build()
    assert app.statuscode == 0
    assert seen["xiangshan/index"] == xml_snapshot(name="agency")
    assert seen["compare-2021"] == xml_snapshot(name="compare")



@pytest.mark.sphinx("html", testroot="site")
def test_year_page_doctree_html(app: SphinxTestApp, xml_snapshot: SnapshotAssertion) -> None:
    """Issue 20: a year page's list of units is docutils content (a bullet list per group, the
    links Sphinx references), as the HTML builder hands it to its writer."""
    assert _written_doctree(app, "index-2020") == xml_snapshot(name="year")
