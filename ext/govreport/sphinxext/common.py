"""What every part of the Sphinx extension shares: which report a page is."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.environment import BuildEnvironment

from ..checks import Checked, checked

_DOCNAME = re.compile(r"^(?:.*/)?([a-z][a-z0-9-]*)/(\d{4})$")


def data_root(env: BuildEnvironment) -> Path:
    """The repository root: the folder holding ``data/`` (the config's folder by default,
    see ``setup`` in ``__init__``)."""
    return Path(env.config.govreport_root).resolve()


def report_key(docname: str) -> tuple[str, int] | None:
    """``xiangshan/2021`` -> ``("xiangshan", 2021)``; None for other pages."""
    m = _DOCNAME.match(docname)
    return (m.group(1), int(m.group(2))) if m else None


def page_report(env: BuildEnvironment, docname: str) -> Checked | None:
    """The checked report a page belongs to, if its data folder exists."""
    key = report_key(docname)
    if key is None:
        return None
    root = data_root(env)
    if not (root / "data" / key[0] / str(key[1])).is_dir():
        return None
    result = checked(root, key[0], key[1], Path(env.srcdir))
    for path in result.report.files:
        env.note_dependency(str(path))
    return result
