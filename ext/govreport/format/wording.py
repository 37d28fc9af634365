"""The wordings real reports use for the statistics period, and how the spec's ``prose:`` patterns are written.

``check_prose`` (checks/prose.py) asks this module for the period: 自2023年1月1日起至2023年12月31日止,
从…至…, …—…, 2023.1.1-2023.12.31, 一月一日至十二月三十一日, full-width digits, and the
spaces pdftotext leaves between digits and units (2024 年 1 月 1 日). The phrases that
name table values (受理…申请 N 件 and the like, with the other way of counting the
spec's ``also`` gives) are the spec's ``prose:`` (``specs/gov<v>.yaml``); this module
writes out their shared pieces (``${count}``, …).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_SEP = r"\s*(?:起\s*)?(?:至|到|—+|－|-|–|~|～)\s*"
_YEAR = r"(?:(\d{4})\s*年(?:度)?\s*)"
_PERIOD = re.compile(
    # 2023年1月1日起至2023年12月31日止 (spaces, leading zeros allowed)
    _YEAR + r"?0?1\s*月\s*0?1\s*日" + _SEP + _YEAR + r"?12\s*月\s*31\s*日"
    # 2023.1.1—2023.12.31, 2023/01/01-2023/12/31
    r"|(\d{4})\s*[.．/-]\s*0?1\s*[.．/-]\s*0?1" + _SEP + r"(?:(\d{4})\s*[.．/-]\s*)?12\s*[.．/-]\s*31(?!\d)"
    # 一月一日至十二月三十一日
    r"|(?:[〇零一二三四五六七八九]{4}\s*年\s*)?一\s*月\s*一\s*日" + _SEP + r"(?:[〇零一二三四五六七八九]{4}\s*年\s*)?十二\s*月\s*三十一\s*日"
)


def period_matches(text: str) -> list[re.Match[str]]:
    """Every statement of a whole-year period; a match's groups are the years it names (digits or None)."""
    return list(_PERIOD.finditer(unicodedata.normalize("NFKC", text)))


#: How a pattern of ``prose:`` names the shared pieces: ``${count}``, ``${denied}``, ``${not_denied}``.
_PIECE = re.compile(r"\$\{([a-z_]+)\}")


def prose_pattern(text: str, pieces: dict[str, str]) -> str:
    """A ``prose:`` pattern with its ``${piece}`` references written out; KeyError names an unknown piece."""
    return _PIECE.sub(lambda m: pieces[m.group(1)], text)


def prose_pieces(raw: dict[str, Any]) -> dict[str, str]:
    denied = str(raw.get("denied", ""))
    return {"count": str(raw["count"]), "denied": denied, "not_denied": f"(?!{denied})"}
