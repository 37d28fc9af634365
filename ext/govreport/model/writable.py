"""``python -m govreport.model.writable DIR``: can the build write DIR? A clear message if not.

Run by ``make html`` and ``make latex`` before Sphinx, which would otherwise
stop with a traceback on a read-only or full ``_build``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..findings import CATALOGUE

#: Less free space than this and a build will not finish (a site of 200 reports is ~60 MB).
MIN_FREE = 50 * 1024 * 1024


def problem(folder: Path) -> str | None:
    """Why ``folder`` cannot take a build's output; None when it can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".govreport-write-test.{os.getpid()}"
        probe.write_bytes(b"x")
        probe.unlink()
    except OSError as exc:
        return f"{exc.filename or folder}：{exc.strerror or exc}"
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE:
        return f"{folder} 所在磁盘只剩 {free // (1024 * 1024)} MB"
    return None


def main(argv: list[str]) -> int:
    for arg in argv or ["_build"]:
        why = problem(Path(arg))
        if why is not None:
            print(f"{arg}: 错误 X830 {CATALOGUE['X830'].format(why=why)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
