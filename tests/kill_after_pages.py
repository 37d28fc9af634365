"""A Sphinx extension for tests: the build kills itself (SIGKILL) while writing pages.

With ``GOVREPORT_TEST_KILL_AFTER=N`` in the environment, the process sends itself
SIGKILL when Sphinx starts the report page after the N-th written one, so exactly N
report pages are on disk (a serial build writes pages one by one; the portal pages
between them, e.g. ``<agency>/index``, are documents too and are not counted). Without the
variable it does nothing, so a following build has the same configuration and
must repair the killed one on its own.
"""

from __future__ import annotations

import os
import re
import signal
from typing import Any

from sphinx.application import Sphinx

_started: list[str] = []


def _page(app: Sphinx, pagename: str, *_: Any) -> None:
    after = os.environ.get("GOVREPORT_TEST_KILL_AFTER")
    if after is None or app.builder.name != "html" or not re.fullmatch(r"[^/]+/[0-9]{4}", pagename):
        return
    _started.append(pagename)
    if len(_started) > int(after):  # every earlier page has been written: its handler ran, then its file
        os.kill(os.getpid(), signal.SIGKILL)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
