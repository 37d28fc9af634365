"""The safety transform walks a page once (issue 20's benchmark): what it removes and reports is what
one walk per kind found, also when one removed thing held another (a formula inside a removed download)."""

from __future__ import annotations

import os
import types
from pathlib import Path

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from govreport.sphinxext import safety
from sphinx import addnodes


def _neutralised(tmp_path: Path, build: object) -> list[tuple[object, ...]]:
    env = types.SimpleNamespace(srcdir=str(tmp_path), config=types.SimpleNamespace(govreport_root=str(tmp_path)),
                                current_document={}, docname="p",
                                relfn2path=lambda f, d: (f, os.path.normpath(os.path.join(tmp_path, f))))
    doc = new_document("p", get_default_settings(Parser))
    doc.settings.env = env
    doc += build  # type: ignore[operator]
    safety.Neutralise(doc).apply()
    return [(code, variant) for code, _line, variant, _fields in env.current_document["govreport_neutralised"]]


def test_a_formula_inside_a_removed_download_is_not_reported_again(tmp_path: Path) -> None:
    para = nodes.paragraph()
    download = addnodes.download_reference("", "", reftarget="../../etc/passwd")
    download += nodes.math(text=r"\input{x}")
    para += download
    para += nodes.math(text=r"\input{y}")
    assert _neutralised(tmp_path, para) == [("S509", "download_removed"), ("S511", "removed")]


def test_a_script_link_inside_a_removed_download_goes_with_it(tmp_path: Path) -> None:
    para = nodes.paragraph()
    download = addnodes.download_reference("", "", reftarget="../../etc/passwd")
    download += nodes.reference("", "x", refuri="javascript:alert(1)")
    para += download
    para += nodes.reference("", "y", refuri="javascript:alert(2)")
    assert _neutralised(tmp_path, para) == [("S509", "download_removed"), ("S510", "script_removed")]
