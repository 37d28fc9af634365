"""A Sphinx extension for tests: the build kills itself (SIGKILL) while writing pages.

With ``GOVREPORT_TEST_KILL_AFTER=N`` in the environment, the process sends itself
SIGKILL when Sphinx starts the page after the N-th written page, so exactly N
report pages are on disk (a serial build writes pages one by one). Without the
variable it does nothing, so a following build has the same configuration and
must repair the killed one on its own.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from sphinx.application import Sphinx

_started: list[str] = []


def _page(app: Sphinx, pagename: str, *_: Any) -> None:
    after = os.environ.get("GOVREPORT_TEST_KILL_AFTER")
    if after is None or app.builder.name != "html":
        return
    _started.append(pagename)
    if len(_started) > int(after):  # every earlier page has been written: its handler ran, then its file
        os.kill(os.getpid(), signal.SIGKILL)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
