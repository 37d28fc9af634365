"""Write a report's files all or none (``make new``, ``make import``).

Every file is first written in full beside its target (``.name.<pid>.tmp``),
then all are renamed into place; a full disk or a read-only folder while
writing leaves nothing behind (not even the folders made for them), so the
command can simply be run again.
"""

from __future__ import annotations

import os
from pathlib import Path


class WriteFailed(OSError):
    """Nothing was written; the message says why, in Chinese."""


def write_all(files: dict[Path, str]) -> None:
    """Write ``{path: text}`` (UTF-8) atomically as a set."""
    made: list[Path] = []  # folders created here, removed again on failure
    temps: dict[Path, Path] = {}
    try:
        for path in files:
            for d in reversed([path.parent, *path.parent.parents]):
                if not d.exists():
                    d.mkdir()
                    made.append(d)
        for path, text in files.items():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temps[path] = tmp
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
        for path, tmp in temps.items():
            os.replace(tmp, path)
    except OSError as exc:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        for d in reversed(made):
            try:
                d.rmdir()
            except OSError:
                pass
        raise WriteFailed(exc.errno, f"写入失败，没有留下任何文件：{exc.strerror or exc}（{exc.filename or ''}）") from exc
