"""The build's guards: a page reads only the report's own files and publishes no raw markup.

The findings come from :func:`govreport.checks.pagescan.scan_page`, the same scan
``make check`` runs. Here the build makes sure nothing leaks whatever the scan
says: docutils' file insertion and raw directives are off (``include``,
``literalinclude``, ``raw``, ``csv-table :file:`` stop before reading), and a
transform removes raw HTML/LaTeX nodes (MyST makes them from HTML in Markdown),
images and downloads whose real path is outside ``docs/`` and ``data/``, and
formulas with TeX I/O commands, before Sphinx's collectors copy anything. What
the transform removes and the scan did not report is reported here, so nothing
is dropped silently.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from ..checks.pagescan import html_is_comment, is_remote, math_problem, scan_page, script_url
from ..findingcodes import CodeId
from ..findings import Finding
from ..model.pagefile import decode_page, inside, read_page_text
from ..model.report import load_meta
from .common import data_root, note_files, report_key
from .findings import record

#: Raw nodes MyST itself makes (hard line breaks, strikethrough): harmless.
_MYST_RAW = {"<br />\n", "\\\\\n", "<s>", "</s>"}
CODEC = "govreport-page"


def _codec(name: str) -> codecs.CodecInfo | None:
    """Pages are read like CSVs: UTF-8, else GB18030; a page that is neither
    (UTF-16, binary) reads as empty and is reported (F010) by the scan."""
    if name.replace("_", "-") != CODEC:
        return None

    def decode(data: Any, errors: str = "strict", /) -> tuple[str, int]:
        return decode_page(bytes(data))[0] or "", len(data)

    class Incremental(codecs.BufferedIncrementalDecoder):
        def _buffer_decode(self, data: Any, errors: str, final: bool) -> tuple[str, int]:
            return decode(data) if final else ("", 0)

    return codecs.CodecInfo(name=CODEC, encode=codecs.utf_8_encode, decode=decode, incrementaldecoder=Incremental)


codecs.register(_codec)


TRUSTED = "govreport-trusted"


def trusted_raw(text: str, fmt: str) -> nodes.raw:
    """Raw output made by this project's own code at read time (not by a page):
    the guard leaves it alone. (Post-transforms run after the guard anyway.)"""
    return nodes.raw("", text, format=fmt, classes=[TRUSTED])


def _allowed(env: BuildEnvironment) -> list[Path]:
    return [Path(env.srcdir).resolve(), (data_root(env) / "data").resolve()]


def _settings(app: Sphinx) -> None:
    env = app.env
    env.settings["file_insertion_enabled"] = False
    env.settings["raw_enabled"] = False
    env.settings["input_encoding"] = CODEC


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """A page whose real path leaves the repository is not read (F009 from the scan)."""
    path = Path(app.env.doc2path(docname))
    if not inside(path, _allowed(app.env)):
        source[0] = ""


#: What a transform removed from a page: ``(code, line, variant, fields)`` of the finding to report.
Neutralised = tuple[CodeId, int | None, str, dict[str, object]]


def _neutralised(env: BuildEnvironment) -> list[Neutralised]:
    got = env.current_document.get("govreport_neutralised")
    if got is None:
        got = []
        env.current_document["govreport_neutralised"] = got
    return got  # type: ignore[no-any-return]


class Neutralise(SphinxTransform):
    """Remove what the page may not publish, before collectors copy files."""

    default_priority = 870  # before DoctreeReadEvent (880): the collectors copy files at doctree-read

    def apply(self, **kwargs: Any) -> None:
        env = self.env
        allowed = _allowed(env)
        gone = _neutralised(env)
        # One walk of the page, not one per kind (every page of a large site passes here).
        raws: list[nodes.raw] = []
        images: list[nodes.image] = []
        downloads: list[addnodes.download_reference] = []
        refs: list[nodes.reference] = []
        maths: list[nodes.Element] = []
        for node in self.document.findall(nodes.Element):
            if isinstance(node, nodes.raw):
                raws.append(node)
            elif isinstance(node, nodes.image):
                images.append(node)
            elif isinstance(node, addnodes.download_reference):
                downloads.append(node)
                refs.append(node)  # a reference too: its URL is looked at below, unless it is removed here
            elif isinstance(node, nodes.reference):
                refs.append(node)
            elif isinstance(node, (nodes.math, nodes.math_block)):
                maths.append(node)
        for node in raws:
            text = node.astext()
            if TRUSTED in node["classes"] or text in _MYST_RAW or ("html" in node.get("format", "") and html_is_comment(text)):
                continue
            gone.append(("S510", node.line, "raw_removed", {"format": node.get("format", "")}))
            node.parent.remove(node)
        for node in images:
            uri = node.get("uri", "")
            if not uri or is_remote(uri) or uri.startswith("data:"):
                continue
            _, path = env.relfn2path(uri.replace("*", "x"), env.docname)
            if not inside(Path(path), allowed):
                gone.append(("S509", node.line, "image_removed", {"uri": uri}))
                node.replace_self(nodes.inline(text=node.get("alt", "")))
        dropped = False
        for ref in downloads:
            target = ref.get("reftarget", "")
            if not target or is_remote(target):
                continue
            _, path = env.relfn2path(target, env.docname)
            if not inside(Path(path), allowed):
                gone.append(("S509", ref.line, "download_removed", {"target": target}))
                ref.replace_self(nodes.inline(text=ref.astext()))
                dropped = True
        if dropped:  # what was inside a removed download went with it: look again
            refs = list(self.document.findall(nodes.reference))
        replaced = dropped
        for ref in refs:
            if script_url(ref.get("refuri", "")):
                gone.append(("S510", ref.line, "script_removed", {}))
                ref.replace_self(nodes.inline(text=ref.astext()))
                replaced = True
        if replaced:  # a formula inside a removed link or download went with it: look again
            maths = list(self.document.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))))
        for math in maths:
            bad = math_problem(math.astext())
            if bad:
                gone.append(("S511", math.line, "removed", {"bad": bad}))
                math.replace_self(nodes.literal(text=math.astext()))


def _page_rel(env: BuildEnvironment, docname: str) -> tuple[Path, str]:
    page = Path(env.doc2path(docname))
    root = data_root(env)
    try:
        return page, page.absolute().relative_to(root).as_posix()
    except ValueError:
        return page, page.as_posix()


def is_report_page(env: BuildEnvironment, docname: str) -> bool:
    key = report_key(docname)
    return key is not None and (data_root(env) / "data" / key[0] / str(key[1])).is_dir()


def record_scan(app: Sphinx, doctree: nodes.document) -> None:
    """A page step: the scan's findings for this page, then whatever the guards removed unreported."""
    env = app.env
    root = data_root(env)
    page, rel = _page_rel(env, env.docname)
    report = is_report_page(env, env.docname)
    found: list[Finding] = []
    if not report:  # a report page's text is read and reported by its checks
        source, found = read_page_text(page, rel, _allowed(env))
    else:
        source = decode_page(page.read_bytes())[0] if inside(page, _allowed(env)) else None
    if source is not None:
        scanned, files = scan_page(root, Path(env.srcdir), page, source, lambda a, y: load_meta(root, a, y).spec, report)
        found += scanned
        note_files(env, files)
    codes = {f.code for f in found}
    for code, line, variant, fields in _neutralised(env):
        if code not in codes:
            found.append(Finding.of(code, rel, variant=variant, line=line, values=fields))
    record(env, env.docname, found)


def setup_safety(app: Sphinx) -> None:
    app.connect("builder-inited", _settings)
    app.connect("source-read", _source_read)
    app.add_transform(Neutralise)
