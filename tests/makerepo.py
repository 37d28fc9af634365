"""A throw-away copy of the repository's make set-up, for tests that run real ``make``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_repo(tmp_path: Path) -> Path:
    """The Makefile, conf.py, pins and tools copied; the real .venv and ext/ linked; empty data/ and docs/."""
    site = tmp_path / "repo"
    site.mkdir()
    for name in ("Makefile", "conf.py", "pyproject.toml"):
        shutil.copy(ROOT / name, site / name)
    shutil.copytree(ROOT / "tools", site / "tools")
    (site / "ext").symlink_to(ROOT / "ext")
    (site / ".venv").symlink_to(ROOT / ".venv")
    (site / "data").mkdir()
    (site / "docs").mkdir()
    return site


def run_make(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` in ``repo``; the real .venv's stamp is newer than the copied pins, so make does not reinstall."""
    os.utime(repo / "pyproject.toml", (0, 0))
    os.utime(repo / "tools" / "deps.py", (0, 0))
    return subprocess.run(["make", "--no-print-directory", *args], cwd=repo, capture_output=True, text=True, timeout=120)
