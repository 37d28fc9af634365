"""``sphinx-build`` that also says how long reading and writing took.

``python -m bench.phases <sphinx-build arguments>`` runs Sphinx's own command
line and prints one line to stderr at the end::

    bench-phases: read 12.34 write 5.67

(wall seconds of ``Builder.read`` and ``Builder.write``). With ``-j N`` the two
phases parallelise differently: Sphinx reads with N processes but writes with
N-1 beside the main process, which loads and resolves every doctree itself.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from sphinx.builders import Builder
from sphinx.cmd.build import main

PREFIX = "bench-phases:"
_took: dict[str, float] = {}


def _timed(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Builder, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            _took[name] = _took.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def run(argv: list[str]) -> int:
    Builder.read = _timed("read", Builder.read)  # type: ignore[method-assign,misc]
    Builder.write = _timed("write", Builder.write)  # type: ignore[method-assign,misc]
    code = main(argv)
    print(f"{PREFIX} read {_took.get('read', 0.0):.3f} write {_took.get('write', 0.0):.3f}", file=sys.stderr)
    return code


def parse(stderr: str) -> tuple[float, float] | None:
    """(read, write) seconds from a run's stderr, if it printed them."""
    for line in stderr.splitlines():
        if line.startswith(PREFIX):
            words = line.split()
            return float(words[2]), float(words[4])
    return None


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
