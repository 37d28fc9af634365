"""The report's settings (名称, 全称, 成文日期, 草稿) written into ``report.toml``.

A TOML writer (tomlkit) changes only the keys set: comments, the order of
keys and every other key stay as they were. The values are then checked by
the same code as ``make check`` (``read_meta`` on the would-be text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomlkit

from .edits import EditError

#: The keys the form sets, with what a value must be before it reaches TOML.
FIELDS = {"agency": "text", "full_name": "text", "published": "date", "draft": "bool"}


def _value(key: str, kind: str, raw: object) -> Any:
    if kind == "bool":
        if not isinstance(raw, bool):
            raise EditError(f"{key} 应为 true 或 false")
        return raw
    if not isinstance(raw, str) or len(raw) > 1000:
        raise EditError(f"{key} 的内容应为文字")
    if kind == "date" and raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise EditError(f"成文日期应写成 2022-01-28 这样的日期，实为“{raw[:40]}”") from None
    return raw


def updated(text: str, values: object) -> str:
    """``text`` (report.toml as it is) with the form's values; an empty text or date removes the key
    (the report then uses its default: the folder name, no 落款), an unticked 草稿 removes ``draft``."""
    if not isinstance(values, dict) or not set(values) <= set(FIELDS):
        raise EditError("请求格式不对：只能修改名称、全称、成文日期和草稿")
    try:
        doc = tomlkit.parse(text.removeprefix("\ufeff"))
    except Exception as exc:  # tomlkit raises its own ParseError family
        raise EditError(f"report.toml 无法解析，请先在编辑器中改正：{exc}") from None
    for key, raw in values.items():
        value = _value(key, FIELDS[key], raw)
        if value in ("", False) and key != "agency":
            if key in doc:
                del doc[key]
        else:
            doc[key] = value
    return ("\ufeff" if text.startswith("\ufeff") else "") + tomlkit.dumps(doc)
