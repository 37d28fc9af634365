"""Portal pages as generated sources (issue 20, item 7).

The agency, comparison, members and year pages are documents like any other:
a short MyST file per page, written into the source folder when the build
starts, holding one directive that renders the page from ``data/``. A file is
written only when its text changes (Sphinx then reads it again; otherwise not),
and removed when its page is gone. Each starts with ``MARK``, so the page scan
(``make check``) and the next build know them for generated; ``.gitignore``
keeps them out of the repository.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

MARK = "% govreport: a portal page generated from data/ when the site is built; edits are overwritten"

#: The time a page is given when it is written again as the build last read it (``sync``'s ``known``):
#: 2000-01-01, what ``make ci-mtimes`` gives tracked files.
OLD = 946684800

#: Where generated pages can be, relative to the source folder (``agency/index.md``, ``compare-2024.md``, …).
PATTERNS = ("compare-*.md", "index-*.md", "*/index.md", "*/*-members.md", "province-*.md")


def md_escape(text: str) -> str:
    """Text from report.toml as literal Markdown (no markup, no HTML, no roles)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def source(title: str, body: str) -> str:
    """A generated page: out of every toctree (orphan), out of Sphinx's own search index (nosearch:
    the site's search indexes report pages only, see ``sphinxext/sitesearch.py``), the marker, its
    title and its directive."""
    return f"---\norphan: true\nnosearch: true\n---\n{MARK}\n\n# {title}\n\n{body.rstrip()}\n"


def may_be_generated(rel: str) -> bool:
    """Whether a page at ``rel`` (relative to the source folder, ``/``-separated) has a name
    ``PATTERNS`` allows: only those need opening to see ``MARK`` (``make check`` lists every page)."""
    return any(fnmatch.fnmatchcase(rel, pat) for pat in PATTERNS)


def is_generated(path: Path) -> bool:
    """Whether ``path`` is a page this module wrote (its first lines hold ``MARK``)."""
    try:
        with path.open(encoding="utf-8") as f:
            head = f.read(len(MARK) + 40)
    except (OSError, UnicodeDecodeError):
        return False
    return MARK in head


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sync(srcdir: Path, wanted: Mapping[str, str], known: Mapping[str, str] | None = None) -> list[str]:
    """Make the generated pages of ``srcdir`` exactly ``wanted`` (docname -> text): write those
    whose text differs, remove generated ones no longer wanted. Returns the docnames changed.
    A hand-written page of the same name is left alone (and its name not generated).

    ``known``: docname -> ``digest`` of the text the build last read. A page missing from the
    folder (a fresh checkout of a repository whose build was restored, as the pull request's
    preview does) but written with that same text gets the time ``OLD``: Sphinx reads it not
    again, as ``make ci-mtimes`` does for tracked files."""
    changed = []
    for doc, text in sorted(wanted.items()):
        path = srcdir / f"{doc}.md"
        if path.is_file() and not is_generated(path):
            continue  # the writer's own page wins
        try:
            same = path.read_text(encoding="utf-8") == text
        except OSError:
            same = False
        if not same:
            missing = not path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if missing and known is not None and known.get(doc) == digest(text):
                os.utime(path, (OLD, OLD))
            changed.append(doc)
    for path in _candidates(srcdir, PATTERNS):
        doc = path.relative_to(srcdir).with_suffix("").as_posix()
        if doc not in wanted and is_generated(path):
            path.unlink()
            changed.append(doc)
    return changed


def _candidates(srcdir: Path, patterns: Iterable[str]) -> list[Path]:
    return sorted({p for pat in patterns for p in srcdir.glob(pat) if p.is_file()})
