"""A publishing build's LaTeX: only the reports read again are written (issue 22).

Sphinx's LaTeX builder writes every document on every build. At a district's
1,000 reports that is minutes for a pull request that changed one number,
though the PDF stamps then typeset only what changed. In a ``passing`` build
(``make site``), a report's ``.tex`` is written again only when its page was
read again in this build (its source, data or a dependency changed by content:
``freshness.py``; the code or the configuration changed: all are) or its
``.tex`` is missing; any change to what the LaTeX writer takes from outside the
pages (``latex_elements``, the date, the document list: the builder's context)
writes every one, as does a build that did not finish.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder

from .domain import gov

STAMP = ".govreport-latex-context"


def _context_digest(builder: Any, documents: list[tuple[str, ...]]) -> str:
    plain = (str, int, float, bool, type(None), list, tuple, dict)
    context = sorted((k, repr(v)) for k, v in builder.context.items() if isinstance(v, plain))
    return hashlib.sha256(repr((context, documents)).encode("utf-8")).hexdigest()


def _write_started(app: Sphinx, builder: Builder) -> None:
    read = gov(app.env).build.read
    if builder.format != "latex" or app.config.govreport_publish != "passing":
        return
    out = Path(builder.outdir)
    documents = [tuple(d) for d in app.config.latex_documents]
    digest = _context_digest(builder, documents)
    stamp = out / STAMP
    same = stamp.is_file() and stamp.read_text(encoding="utf-8") == digest
    out.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest, encoding="utf-8")  # written before the .tex: a build killed now rewrites them next time
    if same:
        app.config.latex_documents = [d for d in app.config.latex_documents if d[0] in read or not (out / d[1]).is_file()]


def _finished(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None and app.builder.format == "latex":
        (Path(app.outdir) / STAMP).unlink(missing_ok=True)  # unfinished: every .tex next time


def setup_latexfresh(app: Sphinx) -> None:
    app.connect("write-started", _write_started)
    app.connect("build-finished", _finished)
