"""The preview server's state (``/__govreport/state``), read by the tests that drive ``govreport.workbench.serve``."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any


def state(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "__govreport/state", timeout=2) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def until(url: str, ok: Any, timeout: float = 60) -> dict[str, Any]:
    """The state once ``ok(state)`` holds (the server may still be starting); an AssertionError after ``timeout`` s."""
    end = time.monotonic() + timeout
    last: dict[str, Any] = {}
    while time.monotonic() < end:
        try:
            last = state(url)
            if ok(last):
                return last
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"预览状态没有变成预期的样子：{last}")
