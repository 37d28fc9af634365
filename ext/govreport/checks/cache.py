"""Check results kept between runs of ``govreport check``.

A writer edits one CSV and runs ``make check`` again; only the reports whose
check read that file are checked again. Each report's findings are stored with
a digest of the contents of every file its check read (its data, its page, last
year's data, and the files that were absent, such as ``waivers.toml``), and the
whole cache with a digest of this package's code and format specs: any change
to any of these checks the report again. A missing, unreadable or foreign cache
file is ignored, and ``--no-cache`` ignores it on purpose. Pure Python.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding

#: Where the cache lives, under the (ignored) build folder: ``make clean`` removes it.
CACHE_FILE = Path("_build") / ".govreport" / "check-cache.pickle"
_PACKAGE = Path(__file__).resolve().parents[1]  # the whole package, not this folder
_FORMAT = 1  # of the cache file; a change makes older files foreign

Key = tuple[str, int]  # (agency, year)
Deps = tuple[tuple[str, bytes | None], ...]  # (repository-relative path, digest; None: absent)


def code_digest() -> bytes:
    """Digest of this package's Python files and format specs, and the Python version."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_FORMAT} {sys.version}".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file()):
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.digest()


def file_digest(path: str) -> bytes | None:
    """Digest of a file's contents; None when it does not exist (or cannot be read)."""
    try:
        with open(path, "rb") as f:
            return hashlib.blake2b(f.read(), digest_size=16).digest()
    except OSError:
        return None


class Digests(dict[str, bytes | None]):
    """``file_digest`` of repository-relative paths, each file read once per run
    (a report's files are also last year's files of the next report)."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.base = str(root) + os.sep

    def __missing__(self, rel: str) -> bytes | None:
        value = self[rel] = file_digest(self.base + rel)
        return value


@dataclass
class Entry:
    deps: Deps
    findings: list[Finding]


def dependencies(digests: Digests, files: Iterable[Path], since: float) -> Deps | None:
    """The digests of the files a check read, to store with its findings; None
    (do not store) when one of them was changed after ``since``, the time the
    run began: the findings may then belong to the older contents."""
    deps = []
    base = len(digests.base)
    for path in dict.fromkeys(map(str, files)):
        try:
            if os.stat(path).st_mtime >= since:
                return None
        except OSError:
            pass
        if not path.startswith(digests.base):
            return None  # not a file of this repository: never stored
        rel = path[base:].replace(os.sep, "/")
        deps.append((rel, digests[rel]))
    return tuple(deps)


class CheckCache:
    """The findings of earlier runs, per report, for one repository ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / CACHE_FILE
        self.code = code_digest()
        self.entries: dict[Key, Entry] = {}
        self.digests = Digests(root)
        self.hits = 0
        self._read()

    def _read(self) -> None:
        try:
            with self.path.open("rb") as f:
                data = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError, IndexError):
            return
        if isinstance(data, dict) and data.get("code") == self.code and isinstance(data.get("entries"), dict):
            self.entries = data["entries"]

    def get(self, key: Key) -> list[Finding] | None:
        """The stored findings of report ``key`` if no file its check read has changed."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        for rel, digest in entry.deps:
            if self.digests[rel] != digest:
                return None
        self.hits += 1
        return entry.findings

    def put(self, key: Key, deps: Deps | None, findings: list[Finding]) -> None:
        if deps is None:
            self.entries.pop(key, None)
        else:
            self.entries[key] = Entry(deps, findings)

    def save(self, keep: Iterable[Key]) -> None:
        """Write the cache (atomically), keeping only the reports in ``keep``:
        the ones that still exist. A cache that cannot be written is no error."""
        wanted = set(keep)
        data = {"code": self.code, "entries": {k: e for k, e in self.entries.items() if k in wanted}}
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


def now() -> float:
    """The start of a run, as file modification times count it: the kernel
    stamps files from a clock that may lag ``time.time()`` by a few
    milliseconds, so two seconds earlier, to be sure (a file saved just before
    the run is then checked again next time, which is only slower)."""
    return time.time() - 2.0
