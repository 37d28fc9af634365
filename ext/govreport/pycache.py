"""Values worked out from shipped files, kept pickled in ``__pycache__`` beside the bytecode.

Every build and check process starts by reading the findings catalogue and the format spec,
and every HTML build by parsing the theme's stylesheet: the same files each time. What they
give is kept pickled under a name keyed by the bytes it was made from (the files and the code
that reads them), so a change to any of them makes it again. Writes are whole or not at all
(parallel builds start together); without a writable folder the value is made each time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def kept(folder: Path, name: str, key: bytes, make: Callable[[], T], valid: Callable[[object], bool]) -> T:
    """``make()``, or what it gave before for the same ``key``, kept as
    ``folder/__pycache__/<name>-<hash of key>.pickle``; ``valid`` vets what is read back."""
    cache = folder / "__pycache__" / f"{name}-{hashlib.blake2b(key, digest_size=16).hexdigest()}.pickle"
    try:
        value = pickle.loads(cache.read_bytes())
        if valid(value):
            return value  # type: ignore[no-any-return]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = make()
    try:
        cache.parent.mkdir(exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache)
    except OSError:
        pass
    return value
