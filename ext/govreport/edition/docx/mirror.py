"""``python -m govreport.edition.docx.mirror SRC DEST``: the Word files beside the HTML site.

Copies each ``*.docx`` of SRC (``_build/docx``) into DEST (``_build/html/docx``),
where the report pages link them, and removes those of reports that are gone.
Nothing is done when DEST's parent (the HTML site) does not exist yet: ``make
html`` builds the site, and ``make`` runs this again after it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def mirror(src: Path, dest: Path) -> int:
    """Copy the changed files, remove the stale ones; returns how many were copied."""
    if not dest.parent.is_dir():
        return 0
    dest.mkdir(exist_ok=True)
    names = {p.name for p in src.glob("*.docx")}
    for stale in dest.glob("*.docx"):
        if stale.name not in names:
            stale.unlink()
    copied = 0
    for name in sorted(names):
        data = (src / name).read_bytes()
        target = dest / name
        if not target.is_file() or target.read_bytes() != data:
            shutil.copyfile(src / name, target)
            copied += 1
    return copied


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：python -m govreport.edition.docx.mirror _build/docx _build/html/docx", file=sys.stderr)
        return 2
    mirror(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
