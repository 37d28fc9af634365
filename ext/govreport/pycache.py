"""Values worked out from shipped files, kept pickled in ``__pycache__`` beside the bytecode.

Every build and check process starts by reading the findings catalogue and the format spec,
and every HTML build by parsing the theme's stylesheet: the same files each time. What they
give is kept pickled under a name keyed by the bytes it was made from (the files and the code
that reads them), so a change to any of them makes it again. Writes are whole or not at all
(parallel builds start together); without a writable folder the value is made each time.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pickle
import threading
import time
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
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    else:
        if valid(value):
            with contextlib.suppress(OSError):
                os.utime(cache)  # in use: not forgotten (``_forget_old``)
            return value  # type: ignore[no-any-return]
    value = make()
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        cache.parent.mkdir(exist_ok=True)
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return value
    _forget_old(cache, name)
    return value


def _forget_old(cache: Path, name: str) -> None:
    """Remove this name's values for other keys not used for a day (an edited spec or stylesheet
    leaves its old value behind; one in use by a build that started earlier is recent)."""
    old = time.time() - 86400
    for other in cache.parent.glob(f"{glob.escape(name)}-*.pickle"):
        try:
            if other != cache and other.stat().st_mtime < old:
                other.unlink()
        except OSError:
            pass
