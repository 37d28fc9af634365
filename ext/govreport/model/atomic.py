"""Write a report's files all or none (``make new``, ``make import``).

Every target is first checked to be absent or a regular file; then every file
is written in full beside its target (``.name.<pid>.tmp``); then all are
renamed into place, each file being replaced kept as ``.name.<pid>.bak`` until
the whole set is in place. A failure at any step (a full disk, a read-only
folder, a target that turned into a folder) puts back the files that were
replaced and removes the new ones and the folders made for them, so the
command can simply be run again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path


class WriteFailed(OSError):
    """Nothing was written (or the message says what is left); the message says why, in Chinese."""


def _not_a_file(paths: list[Path]) -> list[Path]:
    """Targets that exist but are not regular files (a folder, a device, a link to a folder)."""
    bad = []
    for p in paths:
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        except OSError:  # a parent that is a file, a loop: the write below says what it is
            continue
        if not stat.S_ISREG(st.st_mode):
            bad.append(p)
    return bad


def _keep(path: Path, bak: Path) -> None:
    """A copy of ``path`` as ``bak`` (a hard link when the file system allows one); a symbolic link is
    kept as the link itself, so that restoring it never turns it into a copy of what it points to."""
    try:
        os.link(path, bak, follow_symlinks=False)
    except OSError:
        shutil.copy2(path, bak, follow_symlinks=False)


def write_all(files: Mapping[Path, str | bytes]) -> None:
    """Write ``{path: text}`` (UTF-8; bytes as they are) atomically as a set."""
    bad = _not_a_file(list(files))
    if bad:
        names = "、".join(str(p) for p in bad)
        raise WriteFailed(errno.EISDIR, f"写入失败，没有写入任何文件：{names} 已存在但不是普通文件（是文件夹或其他），请先移走")
    made: list[Path] = []  # folders created here, removed again on failure
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}  # target → the previous file, kept until every rename succeeded
    placed: list[Path] = []  # targets already renamed into place
    try:
        for path in files:
            for d in reversed([path.parent, *path.parent.parents]):
                if not d.exists():
                    d.mkdir()
                    made.append(d)
        for path, text in files.items():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temps[path] = tmp
            with open(tmp, "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
        for path, tmp in temps.items():
            if path.is_file():
                bak = path.with_name(f".{path.name}.{os.getpid()}.bak")
                _keep(path, bak)
                backups[path] = bak
            os.replace(tmp, path)
            placed.append(path)
    except OSError as exc:
        left = _undo(temps, backups, placed, made)
        why = f"{exc.strerror or exc}（{exc.filename or ''}）"
        if left:
            raise WriteFailed(exc.errno, f"写入失败：{why}；以下文件未能恢复，请手工检查：" + "、".join(str(p) for p in left)) from exc
        raise WriteFailed(exc.errno, f"写入失败，没有留下任何文件：{why}") from exc
    for bak in backups.values():
        bak.unlink(missing_ok=True)


_LEFTOVER = re.compile(r"\A\.(?P<name>.+)\.(?P<pid>[0-9]{1,10})\.(?P<kind>tmp|bak)\Z")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (PermissionError), or a pid out of range
        return pid < 2**22
    return True


def _same(a: Path, b: Path) -> bool:
    try:
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def leftovers(targets: list[Path]) -> list[str]:
    """What an interrupted ``write_all`` (``kill -9`` of ``make import``) left beside ``targets``: its
    ``.name.<pid>.tmp`` files are removed (the new text, never yet in place), so is a ``.name.<pid>.bak``
    equal to the file in place; any other ``.bak`` (a replaced file's old text) is kept and reported. Files of a process still running are left alone.
    Returns one message (Chinese) per file."""
    out: list[str] = []
    for d in sorted({p.parent for p in targets}):
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for n in names:
            m = _LEFTOVER.match(n)
            if m is None or _alive(int(m["pid"])):
                continue
            path, target = d / n, d / m["name"]
            if m["kind"] == "tmp" or _same(path, target):  # new text never in place, or a copy of what is in place
                with contextlib.suppress(OSError):
                    path.unlink()
                    out.append(f"已删除上次中断的写入留下的临时文件 {path}")
            else:
                out.append(f"{path} 是上次中断的写入之前 {target} 的原内容；请核对 {m['name']} 后删除它")
    return out


def _undo(temps: dict[Path, Path], backups: dict[Path, Path], placed: list[Path], made: list[Path]) -> list[Path]:
    """Put the replaced files back, remove the new ones and the folders made; the targets that could not be restored."""
    left: list[Path] = []
    for path in placed:
        try:
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            left.append(path)
    for bak in backups.values():  # backups of targets not yet replaced: the target is untouched
        bak.unlink(missing_ok=True)
    for tmp in temps.values():
        tmp.unlink(missing_ok=True)
    for d in reversed(made):
        try:
            d.rmdir()
        except OSError:
            pass
    return left
