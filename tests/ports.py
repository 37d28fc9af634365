"""A free loopback port for the tests' servers."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port the system has just handed out on 127.0.0.1 (free, and not one another test run picked)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
