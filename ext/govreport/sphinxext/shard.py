"""The parts of a sharded build (issue 22): a shard's pages, or the site-wide pages.

``govreport_shard = "k/N"`` (what ``make site SHARD=k/N`` sets) reads the pages
of the agencies in shard *k* only: their report pages, agency pages and
roll-up members pages, for every builder (HTML, LaTeX, Word). The site-wide
pages (the top of ``docs/`` and any folder that is not an agency's) are left
out. ``govreport_shard = "site"`` (what ``make site-assemble`` sets) is the
other side: the site-wide pages only, the shards' pages being already built.

Each part writes its pages as the whole build would, byte for byte
(tests/test_publish_shards.py), because what a page shows of a page built in
another part is worked out the same way:

- whether a page exists: from its source in ``docs/`` and the whole site's
  exclusions (``portalpages.page_exists``), not from this build's documents;
  the templates' ``hasdoc`` too (the header's link to ``codes``);
- a link to it (``portalpages.doc_link``, ``{doc}`` with its text, a Markdown
  link ``[text](../x/2024.md)``): resolved here as Sphinx's ``std`` domain and
  MyST resolve them in the whole build (``_resolve_elsewhere``,
  ``MystElsewhere``); a link that needs the other page's title or headings
  cannot be, and a part says so (a warning at the link);
- whether a report is a draft (a placeholder found when its page was read):
  the shards hand it over (``PAGES``), the site-wide build reads it;
- an image's name in ``_images/``: made from its path (``_image_names``), not
  from the order a build met the images in.

The search index, the trimmed stylesheet and the combined open data are
site-wide: the shards leave them to the site-wide build, which makes them from
every page (the shards' pages are copied into its output first).
"""

from __future__ import annotations

import hashlib
import json
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging
from sphinx.util.nodes import make_refnode

from ..model.report import discover
from ..portal.shards import PAGES, parse
from .domain import gov
from .portalpages import page_exists

logger = logging.getLogger(__name__)

#: ``govreport_shard`` of the site-wide build.
SITE = "site"
#: What ``part`` says of a shard's build (``govreport_shard = "k/N"``).
SHARD = "shard"


def part(config: Config) -> str:
    """``""`` (the whole site), ``"shard"`` or ``"site"``."""
    value = str(config.govreport_shard or "")
    return "" if not value else SITE if value == SITE else SHARD


def built(env: BuildEnvironment, docname: str) -> bool:
    """Whether the site has a page ``docname``: read by this build, or by another part of it."""
    return docname in env.found_docs or (bool(part(env.config)) and page_exists(env, docname))


def drafts(env: BuildEnvironment) -> Mapping[str, str]:
    """Report page -> why it is a draft, as found when it was read (here, or by a shard); a view, not
    a copy (asked once a page, of as many reports as the site has)."""
    return ChainMap(gov(env).drafts, gov(env).build.handed_drafts)


def _on_config(app: Sphinx, config: Config) -> None:
    which = part(config)
    if not which:
        return
    root = Path(config.govreport_root or app.confdir).resolve()
    agencies = {a for a, _ in discover(root)}
    if which == SITE:
        # Every agency's folder is the shards'. Exclusions the whole site does not make: page_exists
        # leaves them out when it asks about the site.
        config.govreport_shard_excludes = [f"{a}/**" for a in sorted(agencies)]
        config.exclude_patterns = [*config.exclude_patterns, *config.govreport_shard_excludes]
        config.latex_documents = []
        return
    shard = parse(config.govreport_shard)
    # Only this shard's agencies' folders, and the index, which Sphinx must have (not handed over: the
    # site-wide build writes it). Not exclusions: to page_exists, the other pages are the site's.
    config.include_patterns = [f"{config.root_doc}.*", *(f"{a}/**" for a in sorted(agencies) if shard.has(a))]
    # The index's table of contents names site-wide pages this build leaves out: nothing to say.
    config.suppress_warnings = [*config.suppress_warnings, "toc.excluded", "toc.not_readable", "toc.not_included"]
    config.latex_documents = [d for d in config.latex_documents if "/" in d[0] and shard.has(d[0].split("/")[0])]


def _resolve_elsewhere(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref,
                       contnode: nodes.TextElement) -> nodes.reference | None:
    """A link to a page another part builds, as the ``std`` domain resolves it in the whole build."""
    if not part(app.config) or node.get("refdomain") != "std" or node.get("reftype") != "doc":
        return None
    fromdoc = node.get("refdoc", env.docname)
    docname = docname_join(fromdoc, node["reftarget"])
    if docname in env.all_docs or not page_exists(env, docname):
        return None
    if not node.get("refexplicit"):
        _cannot(node, docname)
        return None
    caption = node.astext()
    return make_refnode(app.builder, fromdoc, docname, None, nodes.inline(caption, caption, classes=["doc"]))


def _cannot(node: nodes.Element, docname: str) -> None:
    logger.warning(f"分片构建：指向另一分片页面 {docname} 的链接要用到那个页面的标题或小标题，本分片无法写出与整站构建相同的链接；"
                   "请写明链接文字、不带 #锚点，或用整站构建（make site）", location=node, type="govreport", subtype="shard-link")


class MystElsewhere(SphinxPostTransform):
    """A Markdown link to a page another part builds (``[text](../x/2024.md)``), as MyST's own resolver
    writes it in the whole build (its ``resolve_myst_ref_doc``, for a link with its text and no anchor)."""

    default_priority = 8  # before MyST's resolver (9), which would drop it as unknown

    def run(self, **kwargs: Any) -> None:
        if not part(self.config):
            return
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or node.get("refdomain") != "doc":
                continue
            target = node["reftarget"]
            if target in self.env.all_docs or not page_exists(self.env, target):
                continue
            if node.get("reftargetid") or not node.get("refexplicit"):
                _cannot(node, target)
                continue
            caption = node.astext()
            inner = nodes.inline(caption, "", classes=["std", "std-doc"])
            inner.extend(node[0].children)
            try:
                ref: nodes.Node = make_refnode(self.app.builder, node.get("refdoc", self.env.docname), target, "", inner)
            except NoUri:
                ref = inner
            if "reftitle" in node and isinstance(ref, nodes.reference):
                ref["reftitle"] = node["reftitle"]
            node.replace_self(ref)


def _image_names(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Each image's name in ``_images/`` from its path in the sources (``org-1a2b3c4d.png``), not from the
    order the build met it in (Sphinx's ``org.png``, ``org1.png``, …): a shard, meeting other images than
    the whole build, names each as the whole build does, and two shards' images never share a name."""
    images = env.images
    for path, (docs, _) in list(images.items()):
        p = PurePosixPath(path)
        images[path] = (docs, f"{p.stem}-{hashlib.sha256(path.encode('utf-8')).hexdigest()[:8]}{p.suffix}")
    images._existing = {name for _, name in images.values()}  # what Sphinx's add_file keeps unique against
    return []


def _hasdoc(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None) -> None:
    """The templates' ``hasdoc`` (the header's link to ``codes``) asks about the whole site."""
    if part(app.config):
        context["hasdoc"] = lambda name: built(app.env, name)


def _hand_over(app: Sphinx, exc: BaseException | None) -> None:
    """A shard's HTML build: its pages and their drafts, beside the output (for the site-wide build)."""
    if exc is not None or part(app.config) != SHARD or app.builder.format != "html":
        return
    here = gov(app.env).drafts
    doc = {"pages": sorted(app.env.found_docs), "drafts": {d: here[d] for d in sorted(here) if d in app.env.found_docs}}
    (Path(app.outdir) / PAGES).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_handed(folder: Path) -> dict[str, Any]:
    """What a shard's HTML build handed over (``PAGES`` in its output)."""
    return dict(json.loads((folder / PAGES).read_text(encoding="utf-8")))


def _take_over(app: Sphinx) -> None:
    """The site-wide build: the drafts the shards found (``govreport_parts``: the joined ``PAGES``)."""
    if part(app.config) != SITE or not app.config.govreport_parts:
        return
    doc = json.loads(Path(app.config.govreport_parts).read_text(encoding="utf-8"))
    gov(app.env).build.handed_drafts = {str(k): str(v) for k, v in doc.get("drafts", {}).items()}


def setup_shard(app: Sphinx) -> None:
    app.add_config_value("govreport_shard", "", "env", str)
    # What the part leaves out on top of the whole site's exclusions (set by _on_config, not by hand).
    app.add_config_value("govreport_shard_excludes", [], "env", list)
    # The site-wide build: the file joining what the shards handed over (make site-assemble writes it).
    app.add_config_value("govreport_parts", "", "", str)
    app.connect("config-inited", _on_config, priority=600)  # before the withheld reports are left out (portal.py)
    app.connect("builder-inited", _take_over)
    app.connect("missing-reference", _resolve_elsewhere)
    app.add_post_transform(MystElsewhere)
    app.connect("env-updated", _image_names)
    app.connect("html-page-context", _hasdoc)
    app.connect("build-finished", _hand_over)
