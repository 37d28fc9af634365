"""The wordings real reports use for the statistics period and for the count of requests.

``check_prose`` (checks.py) asks this module, so the wordings live in one place:

- the period: 自2023年1月1日起至2023年12月31日止, 从…至…, …—…, 2023.1.1-2023.12.31,
  一月一日至十二月三十一日, full-width digits, and the spaces pdftotext leaves
  between digits and units (2024 年 1 月 1 日);
- 受理…申请 N 件 where N = 本年新收 + 上年结转: many offices count the requests
  they handled that year, carried-over ones included; that is the same statement
  as the table, not a contradiction.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

from .labels import Number

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


class _Values(Protocol):
    def value(self, table: str, row: str, col: str) -> Number | None: ...


#: 受理 (handled) counts carried-over requests for many offices.
_HANDLED = re.compile(r"受理")


def same_count(report: _Values, what: str, phrase: str, written: str) -> bool:
    """Is ``phrase`` (a PHRASES match naming ``what``) true of the table in another common way of counting?

    ``受理…申请 N 件`` with N = 本年新收 + 上年结转."""
    if what != "本年新收申请" or not _HANDLED.search(phrase):
        return False
    new, carried = report.value("t3", "new", "total"), report.value("t3", "carried_in", "total")
    if new is None or carried is None:
        return False
    return int(written.replace(",", "")) == new + carried
