"""What every part of the Sphinx extension shares: which report a page is, and
which files a page depends on (so incremental builds re-read exactly the pages
whose data changed)."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..checks import Checked, checked
from ..model.report import discover, load_meta
from .domain import gov

_DOCNAME = re.compile(r"\A(?:.*/)?([a-z][a-z0-9-]*)/([0-9]{4})\Z")


def write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (its folder made) unless it already holds it: unchanged output
    files keep their timestamps (reproducible output, quick syncs of the published site)."""
    write_bytes_if_changed(path, text.encode("utf-8"))


def write_bytes_if_changed(path: Path, data: bytes) -> None:
    """``write_if_changed`` for bytes (a download with its BOM)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != data:
        replace_file(path, data)


def replace_file(path: Path, data: bytes) -> None:
    """``path`` holds ``data``: a new file put in its place, never the old one written into (it may
    be a hard link to a shard's hand-over, shardsite._lay_out; a killed build leaves no half file)."""
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.replace(part, path)


def data_root(env: BuildEnvironment) -> Path:
    """The repository root: the folder holding ``data/`` (the config's folder by default,
    see ``setup`` in ``__init__``)."""
    return _resolved(env.config.govreport_root)


@functools.lru_cache(maxsize=8)
def _resolved(path: str) -> Path:
    return Path(path).resolve()


#: Names by report.toml's stamp: the preview writes every agency page on each rebuild.
_META: dict[Path, tuple[tuple[int, int], tuple[str, str]]] = {}


def unit_names(root: Path, agency: str, year: int) -> tuple[str, str]:
    """A report's unit name and full name (report.toml), read again only when the file changes."""
    path = root / "data" / agency / str(year) / "report.toml"
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (0, -1)
    hit = _META.get(path)
    if hit is None or hit[0] != stamp:
        meta = load_meta(root, agency, year)
        hit = (stamp, (meta.name, meta.full_name))
        _META[path] = hit
    return hit[1]


def report_key(docname: str) -> tuple[str, int] | None:
    """``xiangshan/2021`` -> ``("xiangshan", 2021)``; None for other pages."""
    m = _DOCNAME.match(docname)
    return (m.group(1), int(m.group(2))) if m else None


def note_files(env: BuildEnvironment, files: Iterable[Path]) -> None:
    """Make the current page depend on ``files``.

    Sphinx re-reads a page with a missing dependency on *every* build, so a file
    that does not exist (yet), such as ``waivers.toml`` or last year's
    ``report.toml``, is watched instead: the page is re-read when it appears.
    """
    absent = gov(env).absent
    for path in files:
        if path.is_file():
            env.note_dependency(str(path))
        else:
            absent.setdefault(env.docname, set()).add(str(path))


def note_listing(env: BuildEnvironment) -> list[tuple[str, int]]:
    """Every report in ``data/``; the current page is re-read when that list changes."""
    found = discover(data_root(env))
    gov(env).listing[env.docname] = found
    return found


def report_for(env: BuildEnvironment, agency: str, year: int) -> Checked:
    """The checked report ``agency/year``, its files noted as the current page's
    dependencies (once per page: roles and directives ask many times)."""
    memo = env.current_document.get("govreport_reports")
    if memo is None:
        memo = {}
        env.current_document["govreport_reports"] = memo
    key = (agency, year)
    if key not in memo:
        memo[key] = checked(data_root(env), agency, year, Path(env.srcdir))
        note_files(env, memo[key].report.files)
    return memo[key]  # type: ignore[no-any-return]


def page_report(env: BuildEnvironment, docname: str) -> Checked | None:
    """The checked report a page belongs to, if its data folder exists."""
    memo = env.current_document.get("govreport_page")
    if memo is not None and memo[0] == docname:
        return memo[1]  # type: ignore[no-any-return]
    result = _page_report(env, docname)
    if docname == env.docname:
        env.current_document["govreport_page"] = (docname, result)
    return result


def _page_report(env: BuildEnvironment, docname: str) -> Checked | None:
    key = report_key(docname)
    if key is None:
        return None
    root = data_root(env)
    if not (root / "data" / key[0] / str(key[1])).is_dir():
        # A report page once its data arrives.
        note_files(env, [root / "data" / key[0] / str(key[1]) / "report.toml"])
        return None
    return report_for(env, *key)


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Pages to re-read although no dependency changed: a watched file appeared,
    or the list of reports a page shows is different now."""
    again = set()
    domain = gov(env)
    for doc, paths in domain.absent.items():
        if any(Path(p).exists() for p in paths):
            again.add(doc)
    listing = domain.listing
    if listing:
        now = discover(data_root(env))
        again |= {doc for doc, seen in listing.items() if seen != now}
    return sorted(again & (env.found_docs - added - changed))


def setup_common(app: Sphinx) -> None:
    app.connect("env-get-outdated", _outdated)


def under_title(doctree: nodes.document, *new: nodes.Node) -> bool:
    """Insert ``new`` right below the page's title (in that order); False when the page has no section."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return False
    title = next(iter(section.findall(nodes.title)))
    at = section.index(title) + 1
    section[at:at] = list(new)
    return True


def text_row(cells: list[str]) -> nodes.row:
    """A plain table row, one paragraph of text per cell (the drill-down, the board, the agency history)."""
    row = nodes.row()
    for c in cells:
        row += nodes.entry("", nodes.paragraph(text=c))
    return row
