"""Checking a repository's reports as a batch: its root, the reports named, the
checks run in one or several processes with the check cache.

The library side of ``govreport check``: the command line (``cli``), the site
build (``publish``) and the status board (``status``) all call
:func:`run_checks`; moved out of ``cli`` so the build never imports the command
line (issue 20: no import cycle).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..findings import Finding
from ..model.report import Report, discover, load_meta
from . import Checked, Loads, check_report
from .cache import CheckCache, Deps, Digests, dependencies, now


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder upwards holding ``conf.py`` and ``data/`` (or
    ``portal.toml``: a province's repository has no data of its own, issue 22 federation)."""
    here = (start or Path.cwd()).resolve()
    for p in [here, *here.parents]:
        if (p / "conf.py").is_file() and ((p / "data").is_dir() or (p / "portal.toml").is_file()):
            return p
    return here


def select(root: Path, names: list[str]) -> list[tuple[str, int]]:
    every = discover(root)
    if not names:
        return every
    out = []
    for n in names:
        parts = n.strip("/").split("/")
        out += [(a, y) for a, y in every if a == parts[0] and (len(parts) == 1 or str(y) == parts[1])]
    return out


#: Fewer reports than this are checked in one process (starting workers costs more).
PARALLEL_MIN = 60


def run_checks(root: Path, names: list[str], jobs: int = 1, store: CheckCache | None = None) -> list[Checked]:
    """Check the selected reports, in ``jobs`` processes when there are many.

    With a ``store``, reports whose files have not changed since the last run
    take their findings from it (see ``cache.py``). From worker
    processes and from the cache only the findings come back: each result's
    report then carries its agency and year, not its tables (sending those costs
    more than checking them).
    """
    keys = select(root, names)
    since = now() if store is not None else None
    done: dict[tuple[str, int], list[Finding]] = {}
    metas: dict[tuple[str, int], Report] = {}
    todo = []
    for key in keys:
        hit = store.get(key) if store is not None else None
        if hit is None:
            todo.append(key)
        else:
            done[key] = hit
    if jobs < 2 or len(todo) < PARALLEL_MIN:
        results = _check_keys(root, todo, since)
    else:
        from concurrent.futures import ProcessPoolExecutor  # only for many reports: not on every start

        # Whole agencies per chunk: a report's check reads last year's tables.
        chunks: list[list[tuple[str, int]]] = [[]]
        size = -(-len(todo) // (4 * jobs))
        for i, key in enumerate(todo):
            if len(chunks[-1]) >= size and key[0] != todo[i - 1][0]:
                chunks.append([])
            chunks[-1].append(key)
        with ProcessPoolExecutor(jobs) as pool:
            parts = pool.map(_check_keys, [root] * len(chunks), chunks, [since] * len(chunks))
            results = [r for part in parts for r in part]
    for key, findings, deps, meta in results:
        done[key] = findings
        metas[key] = meta
        if store is not None:
            store.put(key, deps, findings)
    if store is not None:
        store.save(discover(root))
    # A report taken from the cache was not read: its metadata (report.toml only) now.
    return [Checked(metas.get((a, y)) or load_meta(root, a, y), done[(a, y)]) for a, y in keys]


#: A report's key, its findings, the files its check read (for the cache) and its
#: metadata: the checked report without its tables (cheap to send from a worker).
Result = tuple[tuple[str, int], list[Finding], Deps | None, Report]


def _check_keys(root: Path, keys: list[tuple[str, int]], since: float | None) -> list[Result]:
    """Check ``keys`` in this process; with ``since``, also the digests of the
    files each check read, for the cache."""
    loads = Loads(watch=False)  # each report's tables read once, also for next year's check
    digests = Digests(root)
    out = []
    for a, y in keys:
        r = check_report(root, a, y, loads=loads)
        meta = replace(r.report, tables={}, findings=[], files=[])
        out.append(((a, y), r.findings, dependencies(digests, r.report.files, since) if since is not None else None, meta))
    return out
