"""Print the pinned dependencies of pyproject.toml, one per line (for pip -r /dev/stdin).

Used by the Makefile so the pins live in one place.
"""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(__file__).parent.parent.joinpath("pyproject.toml").read_text(encoding="utf-8"))["project"]
print("\n".join(project["dependencies"]))
if "--dev" in sys.argv:  # the tests also read scans: the OCR set a user installs on first use
    print("\n".join(project["optional-dependencies"]["dev"] + project["optional-dependencies"]["ocr"]))
