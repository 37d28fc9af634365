"""Typed ``report.toml``: each key's type and limits, located findings otherwise.

A value that fails is never used: the report's name falls back to its folder
name, so a title, a card or a PDF never shows what the check refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..findings import CATALOGUE, Finding

#: Longest name a title can carry (the longest real organ names are ~40 characters).
MAX_TEXT = 200
#: Newlines, control characters and the bidi controls (U+202E shows a name reversed; issue 26).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Key:
    name: str
    kind: str  # "text", "date", "bool" or "list"
    required: bool


#: Each key's description for the messages is F012's phrase of its name (findings.yaml).
KEYS = [
    Key("agency", "text", True),
    Key("full_name", "text", False),
    # Optional: without it the format in force for the year (README, 2019 paragraph).
    Key("format", "text", False),
    Key("published", "date", False),
    Key("deadline", "text", False),
    Key("title_break", "text", False),
    # The portal's keys (issue 16, read by portalmeta through Report).
    Key("archive", "bool", False),
    Key("imported_from", "text", False),
    Key("members", "list", False),
    Key("draft", "bool", False),
    Key("undated", "bool", False),
    # issue 21: the index's group (政府及汇总, 部门, 乡镇街道: portal.toml's groups; X807 otherwise)
    Key("group", "text", False),
]

#: ``level = "县级以上…"`` (issue 16's deadline key) became ``deadline = "03-31"``.
RETIRED = ("level",)  # what each became: X805's phrase of that name


def lines_of(text: str) -> dict[str, int]:
    """The line of each known key in ``text`` (for located findings about its value)."""
    out = {}
    for k in [*(k.name for k in KEYS), *RETIRED]:
        line = _line_of(text, k)
        if line is not None:
            out[k] = line
    return out


def _line_of(text: str, key: str) -> int | None:
    m = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


#: F012's and F016's phrases: each key's description (named by the key), each TOML type's name.
_SAY = CATALOGUE["F012"].phrase


def _type_name(kind: str) -> str:
    """A TOML type as the messages name it (F012's phrase ``type_<kind>``)."""
    return _SAY(f"type_{kind}")


def _toml_type(v: Any) -> str:
    for kind, cls in (("datetime", dt.datetime), ("date", dt.date), ("time", dt.time)):
        if isinstance(v, cls):
            return _type_name(kind)
    name = {bool: "bool", int: "int", float: "float", list: "list", dict: "dict", str: "str"}.get(type(v))
    return _type_name(name) if name else type(v).__name__


def validate(meta: dict[str, Any], text: str, rel: str) -> tuple[dict[str, Any], list[Finding]]:
    """The usable values of ``meta`` (a key that fails is left out) and the findings."""
    good: dict[str, Any] = {}
    out: list[Finding] = []
    for k in KEYS:
        line = _line_of(text, k.name)
        if k.name not in meta:
            continue  # a missing required key is reported by read_meta (F007)
        v = meta[k.name]
        if k.kind == "text":
            if not isinstance(v, str):
                out.append(Finding.of("F012", rel, variant="text", key=k.name, what=_SAY(k.name), kind=_toml_type(v), value=v, line=line, expected=_type_name("str"), found=_toml_type(v)))
                continue
            if len(v) > MAX_TEXT or _CONTROL.search(v):
                if len(v) > MAX_TEXT:
                    out.append(Finding.of("F016", rel, variant="long", key=k.name, what=_SAY(k.name), length=len(v), limit=MAX_TEXT, line=line))
                else:
                    out.append(Finding.of("F016", rel, variant="control", key=k.name, what=_SAY(k.name), line=line))
                continue
            good[k.name] = v
        elif k.kind in ("bool", "list"):
            want = bool if k.kind == "bool" else list
            if not isinstance(v, want):
                what = _type_name(k.kind)
                example = f"{k.name} = true" if k.kind == "bool" else f'{k.name} = ["a", "b"]'
                shown = repr(v)[:60]
                out.append(Finding.of("F012", rel, variant="value", key=k.name, what=_SAY(k.name), want=what, example=example, kind=_toml_type(v), shown=shown, line=line, expected=what, found=_toml_type(v)))
                continue
            good[k.name] = v
        elif k.kind == "date":
            if isinstance(v, dt.datetime):
                good[k.name] = v.date()
            elif isinstance(v, dt.date):
                good[k.name] = v
            else:
                quoted = isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None
                shown = repr(v)[:60]
                out.append(Finding.of("F012", rel, variant="date_quoted" if quoted else "date", key=k.name, what=_SAY(k.name), kind=_toml_type(v), shown=shown, line=line, expected=_type_name("date"), found=shown))
    for name in RETIRED:
        if name in meta:
            instead = CATALOGUE["X805"].phrase(name)
            # a warning (X805, the deadline's code), not an error: the report is still right
            out.append(Finding.of("X805", rel, variant="old", name=name, instead=instead, line=_line_of(text, name), expected="deadline", found=name))
    return good, out


_TITLE_YEAR = re.compile(r"(\d{4})\s*年")


def check_title_year(title: str | None, line: int | None, year: int, rel: str) -> list[Finding]:
    """The page title's year is the folder's: ``docs/x/2021.md`` titles a 2021 report."""
    if not title:
        return []
    m = _TITLE_YEAR.search(title)
    if m is None or int(m.group(1)) == year:
        return []
    return [Finding.of("F014", rel, written=m.group(1), year=year, rel=rel, line=line, expected=str(year), found=m.group(1))]


def tex_text(text: str) -> str:
    """``text`` (a name from report.toml) as LaTeX text for XeLaTeX.

    ``sphinx.util.texescape.escape`` translates with a table that only
    ``texescape.init()`` fills (the LaTeX builder calls it, after conf.py has
    run): called from conf.py before that, it escapes nothing.
    """
    from sphinx.util import texescape

    if not texescape._tex_escape_map_without_unicode:  # not yet initialised
        texescape.init()
    return texescape.escape(text, "xelatex")
