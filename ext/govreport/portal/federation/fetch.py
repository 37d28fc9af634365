"""Read one file of a member district's published site, from a folder or the web, bounded.

A district's ``opendata/all.csv`` holds every published number (≈ 200 rows per
report: a city's 1,000 reports ≈ 20 MB), hence ``MAX_BYTES``. A web read has a
time limit for the whole file, not only per packet (a server sending one byte
a second never ends otherwise). Every failure is a ``FetchError`` whose message,
in Chinese, names what was read and what went wrong.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

from .config import Member

MAX_BYTES = 64 * 1024 * 1024
TIMEOUT = 30.0  # seconds for one file, connection included
_CHUNK = 1 << 16


class FetchError(Exception):
    """A file of a member that could not be read (the message says why, in Chinese)."""


def where(member: Member, name: str) -> str:
    """The file's location as findings name it (``path/opendata/all.csv`` or its address)."""
    return member.source + name


def read(root: Path, member: Member, name: str, limit: int = MAX_BYTES, timeout: float = TIMEOUT) -> bytes:
    """The bytes of ``name`` (``opendata/all.csv``…) of ``member``'s site."""
    if member.url:
        return _web(member.url + name, limit, timeout)
    path = Path(member.path)
    path = (path if path.is_absolute() else root / path) / name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FetchError(f"{where(member, name)} 不是文件")
        if size > limit:
            raise FetchError(f"{where(member, name)} 有 {size} 字节，超过上限 {limit} 字节")
        return path.read_bytes()
    except FileNotFoundError:
        raise FetchError(f"找不到 {where(member, name)}：请确认 path 指向该地区已发布的网站目录（make site 生成的 _build/site）") from None
    except OSError as exc:
        raise FetchError(f"无法读取 {where(member, name)}：{exc.strerror or exc}") from None


def _web(url: str, limit: int, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": "govreport-federation"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # http(s) only: config._web
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url} 有 {declared} 字节，超过上限 {limit} 字节")
            chunks: list[bytes] = []
            size = 0
            while chunk := resp.read1(_CHUNK):  # read1: what has arrived, so the deadline is checked as bytes trickle in
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"{url} 超过上限 {limit} 字节，没有读完")
                if time.monotonic() > deadline:
                    raise FetchError(f"{url} 在 {timeout:g} 秒内没有下载完（超时）")
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url} 无法下载：服务器回答 {exc.code}{'（文件不存在）' if exc.code == 404 else ''}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"{url} 无法访问：{exc.reason}") from None
    except TimeoutError:
        raise FetchError(f"{url} 在 {timeout:g} 秒内没有回应（超时）") from None
    except OSError as exc:
        raise FetchError(f"{url} 无法下载：{exc}") from None
