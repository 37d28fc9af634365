"""Incremental builds that are never stale, and repaired after an interruption.

Sphinx re-reads a page when its source or a noted dependency has a newer
modification time. Content decides here too: each page read keeps the SHA-256
of its source, of every dependency and of the format specs; at the next build
(``env-get-outdated``) a page whose files' contents differ is read again, even
when a tool kept the modification times (``git checkout``, ``cp -p``,
``rsync -t``) or when only the spec changed.

A build killed part-way leaves pages read but never written, and a search
index without them; Sphinx would call them up to date. A marker file in the
output folder, removed only when a build finishes, makes the next build read
and write every page again.

Sphinx leaves in ``_images/`` and ``_downloads/`` the files of pages no longer
in the build (a report withheld since, a page removed); they are removed when
the build finishes, so the output holds what a clean build's would.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .domain import gov
from .shard import SITE, part

logger = logging.getLogger(__name__)

SPECS = Path(__file__).resolve().parents[1] / "format" / "specs"
MARKER = ".govreport-build-incomplete"


def _digest(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return ""


def _files(env: BuildEnvironment, docname: str) -> list[str]:
    deps = [str(Path(env.srcdir) / d) for d in sorted(env.dependencies.get(docname, ()))]
    specs = [str(p) for p in sorted(SPECS.glob("*.yaml"))]
    return [str(env.doc2path(docname)), *deps, *specs]


def _updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The digests of the pages read in this build (in the main process, after merging)."""
    domain = gov(env)
    for doc in domain.build.read:
        domain.digests[doc] = {p: _digest(p) for p in _files(env, doc)}
    return []


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    if gov(env).build.interrupted:
        logger.info("上次构建没有完成：重新读取并写出全部页面（含搜索索引）")
        return sorted(env.found_docs - added - changed)
    store, cache = gov(env).digests, {}
    again = []
    for doc in sorted(env.found_docs - added - changed):
        seen = store.get(doc)
        if seen is None:
            continue  # read by an older version: Sphinx's own rules apply
        for path, digest in seen.items():
            if path not in cache:
                cache[path] = _digest(path)
            if cache[path] != digest:
                again.append(doc)
                break
    return again


def _inited(app: Sphinx) -> None:
    out = Path(app.outdir)
    gov(app.env).build.interrupted = (out / MARKER).exists()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("govreport: a build is running or was interrupted\n", encoding="utf-8")


def _drop_left_files(app: Sphinx) -> None:
    """The images and downloads of no page of this build, from the HTML output."""
    if app.builder.format != "html" or part(app.config) == SITE:
        return  # the site-wide part's output holds the shards' images, which its pages do not use
    out = Path(app.outdir)
    images = {name for _, name in app.env.images.values()}
    downloads = {Path(dest).as_posix() for _, dest in app.env.dlfiles.values()}
    for path in sorted((out / "_images").glob("*")):
        if path.is_file() and path.name not in images:
            path.unlink()
    for path in sorted((out / "_downloads").glob("*/*")):
        if path.is_file() and f"{path.parent.name}/{path.name}" not in downloads:
            path.unlink()


def _finished(app: Sphinx, exc: Exception | None) -> None:
    gov(app.env).build.interrupted = False
    if exc is None:
        _drop_left_files(app)
        (Path(app.outdir) / MARKER).unlink(missing_ok=True)


def setup_freshness(app: Sphinx) -> None:
    app.connect("builder-inited", _inited)
    app.connect("env-updated", _updated)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finished, priority=900)
