"""The ``[federation]`` part of ``portal.toml``: which districts a province adds up.

    [federation]
    title = "示例省"                         # the province's name on its pages (optional)

    [[federation.members]]
    name = "甲区"                            # the district's name on the province's pages
    path = "../jiaqu/_build/site"            # its published site on this machine, or:
    url = "https://jiaqu.example.gov.cn/"    # its published site on the web (http or https)
    site = "https://jiaqu.example.gov.cn/"   # where readers find its reports (default: url)

Each problem is a finding U941 at its line of portal.toml; a member with a
problem is left out (never half-read). Pure Python: reads portal.toml only.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ...findings import Finding

FILE = "portal.toml"
KEYS = ("name", "path", "url", "site")
MAX_MEMBERS = 500
MAX_TEXT = 500
_HEADER = re.compile(r"^\s*\[\[\s*federation\.members\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[")


@dataclass(frozen=True)
class Member:
    name: str
    path: str = ""  # relative to the repository root, or absolute
    url: str = ""  # the site's address (http/https), ending in "/"
    site: str = ""  # where readers follow links to ("" : no links)
    line: int | None = None  # of its [[federation.members]] in portal.toml

    @property
    def source(self) -> str:
        """Where its files are read from, as a finding names it."""
        return self.url or self.path.rstrip("/") + "/"


def _web(value: str) -> str:
    """``value`` as a site address ending in ``/``, or "" when it is not http(s)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return value if value.endswith("/") else value + "/"


def _lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """Per ``[[federation.members]]``: its line and the line of each key in it."""
    out: list[tuple[int, dict[str, int]]] = []
    inside = False  # in a member's block (another table header ends it)
    for n, line in enumerate(text.splitlines(), 1):
        if _HEADER.match(line):
            out.append((n, {}))
            inside = True
        elif _TABLE.match(line):
            inside = False
        elif inside and (m := re.match(r"^\s*([A-Za-z_]+)\s*=", line)):
            out[-1][1].setdefault(m.group(1), n)
    return out


@dataclass(frozen=True)
class Federation:
    title: str = ""
    members: tuple[Member, ...] = ()
    findings: tuple[Finding, ...] = ()
    declared: bool = False  # portal.toml has a [federation]


def federation(root: Path) -> Federation:
    """The members ``portal.toml`` names (none without a ``[federation]``), and its problems."""
    try:
        text = (root / FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return Federation()
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Only a province's concern when it declares a [federation]: districts read this file too.
        if "federation" not in text:
            return Federation()
        return Federation(findings=(Finding.of("U941", FILE, variant="parse", exc=exc),), declared=True)
    fed = raw.get("federation")
    if fed is None:
        return Federation()
    where = _lines(text)
    title = fed.get("title", "") if isinstance(fed, dict) else ""
    if not isinstance(title, str) or len(title) > 50:
        title = ""
    if not isinstance(fed, dict) or not isinstance(fed.get("members"), list) or not fed["members"]:
        return Federation(title, (), (Finding.of("U941", FILE, variant="empty", line=where[0][0] if where else None),), True)
    out, found = _members(fed["members"], where)
    return Federation(title, tuple(out), tuple(found), True)


def _members(items: list[object], where: list[tuple[int, dict[str, int]]]) -> tuple[list[Member], list[Finding]]:
    found: list[Finding] = []
    if len(items) > MAX_MEMBERS:
        found.append(Finding.of("U941", FILE, variant="limit", limit=MAX_MEMBERS, count=len(items)))
    out: list[Member] = []
    seen: set[str] = set()
    for i, item in enumerate(items[:MAX_MEMBERS]):
        line, keys = where[i] if i < len(where) else (None, {})
        member, problems = _member(item, i + 1, line, keys)
        found += problems
        if member is None:
            continue
        if member.name in seen:
            found.append(Finding.of("U941", FILE, variant="twice", name=member.name, line=keys.get("name", line), found=member.name))
            continue
        seen.add(member.name)
        out.append(member)
    return out, found


def _member(item: object, n: int, line: int | None, keys: dict[str, int]) -> tuple[Member | None, list[Finding]]:
    def bad(variant: str, key: str | None = None, found: str | None = None, **fields: object) -> tuple[None, list[Finding]]:
        return None, [Finding.of("U941", FILE, variant=variant, n=n, values=fields, line=keys.get(key, line) if key else line, found=found)]

    if not isinstance(item, dict):
        return bad("member_shape")
    unknown = [k for k in item if k not in KEYS]
    if unknown:
        return bad("member_unknown", unknown[0], unknown[0], unknown=unknown, keys=list(KEYS))
    for k, v in item.items():
        if not isinstance(v, str) or not v.strip() or len(v) > MAX_TEXT or any(ord(c) < 32 for c in v):
            return bad("member_text", k, str(v)[:50], item=k, limit=MAX_TEXT)
    name = item.get("name", "")
    if not name:
        return bad("member_name")
    if ("path" in item) == ("url" in item):
        return bad("member_where", "url" if "url" in item else None, name=name)
    url = _web(item["url"]) if "url" in item else ""
    if "url" in item and not url:
        return bad("member_url", "url", item["url"], name=name)
    site = _web(item.get("site", "")) if "site" in item else url
    if "site" in item and not site:
        return bad("member_site", "site", item["site"], name=name)
    return Member(name=name.strip(), path=item.get("path", ""), url=url, site=site, line=line), []
