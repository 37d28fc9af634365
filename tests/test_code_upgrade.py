"""After an upgrade of the project's code, every page is read again.

Sphinx keeps a page's doctree until its source changes; a doctree made by older
code (a notice the new code no longer writes, a table drawn the old way) would
stay in the next build. The extension's env_version is a digest of its code, so
a changed file of the package makes the next build read every page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASIC = Path(__file__).resolve().parent / "roots" / "test-basic"


def _build(src: Path, out: Path, ext: Path) -> list[str]:
    """One sphinx-build; the pages it read."""
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", str(src), str(out)],
                          env=dict(os.environ, PYTHONPATH=str(ext), NO_COLOR="1"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", proc.stdout, re.M)


def test_a_changed_module_rereads_every_page(tmp_path: Path) -> None:
    ext = tmp_path / "ext"
    shutil.copytree(ROOT / "ext" / "govreport", ext / "govreport", ignore=shutil.ignore_patterns("__pycache__"))
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(BASIC, src)
    first = _build(src, out, ext)
    assert first, "the first build reads the pages"
    assert _build(src, out, ext) == []  # nothing changed: nothing read
    module = ext / "govreport" / "format" / "wording.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# an upgrade\n", encoding="utf-8")
    assert sorted(_build(src, out, ext)) == sorted(first)
