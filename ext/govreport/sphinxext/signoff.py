"""The 落款 at the end of a report page: issuing organ and 成文日期 (GB/T 9704 7.3.5).

A node of its own, added when a report page is read (only when report.toml
has ``published``; the checks warn otherwise, X803), with an HTML and a LaTeX
visitor placing it as the standard does (see ``officialdoc.Signoff``); other
builders get its text as plain paragraphs.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.texescape import escape as tex_escape
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from ..model.officialdoc import Signoff, signoff_for
from .common import page_report


class signoff(nodes.General, nodes.Element):  # type: ignore[misc]  # docutils is untyped
    """``name`` and ``date`` (text) as attributes; children are the plain-text fallback."""


def make_node(s: Signoff) -> signoff:
    node: signoff = signoff(name=s.name, date=s.date, classes=["gov-signoff"])
    node += nodes.paragraph(text=s.name)
    node += nodes.paragraph(text=s.date)
    return node


def add_signoff(app: Sphinx, doctree: nodes.document) -> None:
    """A page step: the 落款 at the end of a report page."""
    result = page_report(app.env, app.env.docname)
    if result is None:
        return
    s = signoff_for(result.report)
    if s is None:
        return
    # at the end of the report (the title's section holds the six parts)
    top = next(iter(doctree.findall(nodes.section)), None)
    (top if top is not None else doctree).append(make_node(s))


def visit_signoff_html(self: HTML5Translator, node: signoff) -> None:
    name_right, date_right = Signoff(node["name"], node["date"]).indents()
    # one empty line below the text, then name and date right-aligned with their indents
    self.body.append('<div class="gov-signoff" style="text-align:right;margin-top:2em">')
    self.body.append(f'<p style="margin:0;padding-right:{name_right:g}em">{self.encode(node["name"])}</p>')
    self.body.append(f'<p style="margin:0;padding-right:{date_right:g}em">{self.encode(node["date"])}</p></div>\n')
    raise nodes.SkipNode


def visit_signoff_latex(self: LaTeXTranslator, node: signoff) -> None:
    name, date = tex_escape(node["name"]), tex_escape(node["date"])
    self.body.append(f"\n\\govsignoff{{{name}}}{{{date}}}\n")
    raise nodes.SkipNode


def visit_signoff_text(self: nodes.NodeVisitor, node: signoff) -> None:
    """Other builders: the fallback paragraphs."""


def depart_signoff(self: nodes.NodeVisitor, node: signoff) -> None:
    pass


def setup_signoff(app: Sphinx) -> None:
    app.add_node(
        signoff,
        html=(visit_signoff_html, depart_signoff),
        latex=(visit_signoff_latex, depart_signoff),
        text=(visit_signoff_text, depart_signoff),
        man=(visit_signoff_text, depart_signoff),
        texinfo=(visit_signoff_text, depart_signoff),
    )
