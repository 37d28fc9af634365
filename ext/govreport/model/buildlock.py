"""One build at a time per checkout (issue 26): ``make site``, ``make html``, ``make latex`` and ``make pdf``
hold ``_build/.govreport/build.lock`` while they write under ``_build``.

Two builds at once in one checkout wrote the same files (both failed with TeX errors: "can't find
file …aux"). A second build now says which build is running and waits for it; with ``--no-wait``
(``GOVREPORT_NO_WAIT=1``) it stops at once with exit status 75 instead.

    python -m govreport.model.buildlock [--no-wait] [--what "make pdf"] COMMAND ARG…   # COMMAND under the lock

The lock passes to the command's own processes (``GOVREPORT_BUILD_LOCK``): ``make pdf`` holds it from
its LaTeX step to its last PDF, and its ``python -m govreport pdf`` does not wait for its own parent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = Path("_build") / ".govreport" / "build.lock"
BUSY = 75  # EX_TEMPFAIL: try again later
HELD = "GOVREPORT_BUILD_LOCK"  # set for the holder's children: the lock file they already hold


class Busy(RuntimeError):
    """Another build of this checkout is running (and we were told not to wait)."""


def _holder(f: object) -> str:
    """Who holds the lock, as its holder wrote it."""
    try:
        text = Path(str(getattr(f, "name", ""))).read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return text


@contextlib.contextmanager
def build_lock(root: Path, what: str, wait: bool | None = None) -> Iterator[None]:
    """Hold the checkout's build lock for ``what`` (``make site``…). Waits, saying for whom, unless ``wait``
    is False (or ``GOVREPORT_NO_WAIT=1``): then ``Busy``. A ``_build`` that cannot hold the lock file (read
    only, full) is left to the build's own X830 message: the build goes on unlocked."""
    if wait is None:
        wait = os.environ.get("GOVREPORT_NO_WAIT", "") in ("", "0")
    path = root / LOCK_FILE
    if os.environ.get(HELD) == str(path.resolve()):  # a step of the build that holds it
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        f = open(path, "a+", encoding="utf-8")  # held open for the whole build: closing it releases the lock
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(f) or "另一个构建"
            if not wait:
                raise Busy(f"{root / '_build'}：{holder}正在进行，本次 {what} 未运行；请等它结束后再运行。") from None
            print(f"{holder}正在进行（同一目录一次只能有一个构建），{what} 等它结束后继续……", file=sys.stderr, flush=True)
            fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        f.truncate()
        started = dt.datetime.now().strftime("%H:%M:%S")
        f.write(f"{what}（进程 {os.getpid()}，{started} 开始）")
        f.flush()
        before = os.environ.get(HELD)
        os.environ[HELD] = str(path.resolve())
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(HELD, None)
            else:
                os.environ[HELD] = before
    finally:
        f.close()  # releases the lock


def main(argv: list[str]) -> int:
    wait: bool | None = None
    if argv[:1] == ["--no-wait"]:
        wait, argv = False, argv[1:]
    what = ""
    if argv[:1] == ["--what"] and len(argv) > 1:
        what, argv = argv[1], argv[2:]
    if not argv:
        print("用法：python -m govreport.model.buildlock [--no-wait] [--what 名称] 命令 参数…", file=sys.stderr)
        return 2
    what = what or "make " + ("html" if "html" in argv else "latex" if "latex" in argv else Path(argv[0]).name)
    try:
        with build_lock(Path.cwd(), what, wait):
            return subprocess.run(argv).returncode
    except Busy as exc:
        print(exc, file=sys.stderr)
        return BUSY
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
