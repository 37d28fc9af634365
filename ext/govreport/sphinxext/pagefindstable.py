"""Pagefind's index made byte-stable (issue 22: the assembled site equals one build's, byte for byte).

Pagefind 1.5 writes a filter's values, and the list of filters in its metadata,
in the order of a Rust ``HashMap``, which changes from run to run (upstream
issue #638; its fragments and word index are stable). Here each filter file is
decoded, its values (and their page numbers) sorted, written again, and named by
its content; the metadata then names the new files, sorted, and is itself named
by its content in ``pagefind-entry.json``. Nothing else changes: the same pages,
words and filters, read by Pagefind's own script as before.

A Pagefind file is gzip of ``pagefind_dcd`` followed by CBOR (``cbor2``, pinned).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

MAGIC = b"pagefind_dcd"


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise ValueError(f"{path} 不是 Pagefind 文件")
    return cbor2.loads(data[len(MAGIC):])


def _write(folder: Path, prefix: str, lang: str, suffix: str, value: Any, digits: int) -> str:
    """Write ``value`` as a Pagefind file named by its content; its hash (``<lang>_<hex>``)."""
    payload = MAGIC + cbor2.dumps(value, canonical=True)
    name = f"{lang}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    return name


def stabilise(bundle: Path) -> None:
    """Rewrite the filter files and metadata of every language in ``bundle`` in a fixed order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        # [version, pages, index chunks, filters [[name, hash]], sorts, meta fields]
        filters: list[list[Any]] = meta[3]
        renamed = []
        for fname, fhash in filters:
            path = bundle / "filter" / f"{fhash}.pf_filter"
            name, values = _read(path)
            values = sorted(([v, sorted(pages)] for v, pages in values), key=lambda pair: str(pair[0]))
            path.unlink()
            renamed.append([fname, _write(bundle / "filter", "", lang, ".pf_filter", [name, values], 7)])
        meta[3] = sorted(renamed, key=lambda pair: str(pair[0]))
        meta_path.unlink()
        info["hash"] = _write(bundle, "pagefind.", lang, ".pf_meta", meta, 13)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
