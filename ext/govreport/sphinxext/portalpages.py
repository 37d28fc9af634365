"""Portal pages as documents (issue 20, item 7): written as MyST sources when the build starts.

Each page kind (the comparison pages, the agency pages, a roll-up's members page,
the index's year pages) says which pages it has and their sources
(``PROVIDERS``: app -> docname -> text, see ``model.generated.source``); each
source holds one directive of that module, which renders the page as docutils
nodes and notes the files it reads. Sphinx then treats them as any page: the
theme, incremental builds (a source is rewritten only when its text changes),
snapshots, every builder. Everything a page shows that is not in a file it
notes (the withheld reports, which report pages exist) is in its source, so a
change there makes Sphinx read the page again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.matching import Matcher

from ..checks import shared_load
from ..model.generated import digest, sync
from .common import note_files, write_if_changed
from .domain import gov

logger = logging.getLogger(__name__)

Provider = Callable[[Sphinx], dict[str, str]]
PROVIDERS: list[Provider] = []


def provide(fn: Provider) -> Provider:
    """Register a page kind's sources (each kind's ``setup_<name>`` calls it)."""
    if fn not in PROVIDERS:
        PROVIDERS.append(fn)
    return fn


def page_exists(env: BuildEnvironment, docname: str) -> bool:
    """Whether the whole site has a page ``docname``: its source is in the source folder and not left
    out (a withheld report's is). A part of a sharded build (``shard.py``) leaves out the pages of
    the other parts too; those are asked about as the whole build would."""
    build = gov(env).build
    if build.site_excluded is None:
        part = set(env.config.govreport_shard_excludes)
        build.site_excluded = Matcher([p for p in env.config.exclude_patterns if p not in part])
    src, excluded = Path(env.srcdir), build.site_excluded
    return any((src / f"{docname}{suffix}").is_file() and not excluded(f"{docname}{suffix}") for suffix in env.config.source_suffix)


def doc_link(text: str, docname: str, classes: Iterable[str] = ()) -> addnodes.pending_xref:
    """A link to another page, resolved by Sphinx when written (a page that is not there: the text)."""
    ref: addnodes.pending_xref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True)
    ref += nodes.inline(text=text, classes=list(classes))
    return ref


def file_link(env: BuildEnvironment, text: str, path: str) -> nodes.reference:
    """A link to a file the build puts in the HTML output (``pdf/…``, ``opendata/…``), from the current page."""
    return nodes.reference("", text, refuri="../" * env.docname.count("/") + path)


def note_report_data(env: BuildEnvironment, root: Path, agency: str, year: int) -> None:
    """The current page shows figures of ``agency/year``: read again when one of its files changes."""
    folder = root / "data" / agency / str(year)
    if not folder.is_dir():
        note_files(env, [folder / "report.toml"])
        return
    # The files there, and those the report reads that are not there yet (a table added later is
    # watched for: the page, and the CSV a comparison page makes with it, are made again).
    there = {p for p in folder.iterdir() if p.is_file()}
    note_files(env, sorted(there | set(shared_load(root, agency, year).files)))


def _manifest(app: Sphinx) -> Path:
    """The digests of the sources the build in this folder read (beside its doctrees, restored with them)."""
    return Path(app.doctreedir) / "govreport-portal.json"


def _write_sources(app: Sphinx) -> None:
    wanted: dict[str, str] = {}
    for provider in PROVIDERS:
        wanted.update(provider(app))
    try:
        read = json.loads(_manifest(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        read = {}
    known = {doc: d for doc, d in read.items() if doc in app.env.all_docs} if isinstance(read, dict) else {}
    changed = sync(Path(app.srcdir), wanted, known)
    if changed:
        logger.verbose("govreport: portal pages written: %s", ", ".join(changed))
    # Kept once the build has read them (build-finished): a failed build leaves the last good list.
    pending = _manifest(app).with_suffix(".new")
    pending.parent.mkdir(parents=True, exist_ok=True)
    pending.write_text(json.dumps({doc: digest(text) for doc, text in sorted(wanted.items())}), encoding="utf-8")


def _keep_manifest(app: Sphinx, exc: BaseException | None) -> None:
    pending = _manifest(app).with_suffix(".new")
    if exc is None and pending.is_file():
        pending.replace(_manifest(app))


def write_outputs(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """The files portal pages make beside their HTML (``GovReportDomain.outputs``: a comparison
    page's ``opendata/compare-<year>.csv``), as each page made them when it was last read."""
    if app.builder.format != "html":
        return []
    out = Path(app.outdir)
    outputs = gov(app.env).outputs
    for doc in sorted(outputs):
        if doc in app.env.all_docs:
            for rel, text in outputs[doc].items():
                write_if_changed(out / rel, text)
    return []


def setup_portalpages(app: Sphinx) -> None:
    # After portal's config-inited (the withheld reports) and before Sphinx looks for sources.
    app.connect("builder-inited", _write_sources, priority=300)
    app.connect("build-finished", _keep_manifest)
    app.connect("html-collect-pages", write_outputs)
