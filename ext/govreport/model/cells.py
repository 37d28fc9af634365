"""One table cell read as a number: the rules every reader of cells shares (the CSV loader, the importer).

- ``parse_cell``: a cell of a report's CSV, the canonical file. Anything but a plain number in the
  column's unit is a finding (``C2xx``; ``F015``): full-width digits, thousands separators, a word for
  nothing, a negative, a decimal comma are named and the cell is not read, so the file gets fixed.
- ``read_cell``: a cell of a published source being imported. The same things are read, with a note
  saying how (full-width digits, thousands separators), and a number a careless source wrote with a
  unit, a mark or a tag (``10件``, ``8*``, ``1,234``, ``<b>5</b>``) is read as that number with a note,
  or left blank with one; such a cell is never taken as a label (``is_number_cell``), so it never
  shifts the cells next to it.

The two differ on purpose (the CSV is corrected at its source, an import reads what it can and says
so); the words for nothing, the digit limit and the units live here once.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..findingcodes import CodeId
from ..format.labels import Number, show
from ..format.spec import Unit

# ------------------------------------------------------------------ shared by both

#: Words writers put in a cell that mean "nothing happened" (write 0 instead).
NOTHING_WORDS = {"无", "—", "——", "-", "－", "--", "/", "／", "空", "没有", "n/a", "na", "null", "x", "×", "〇"}

#: Largest plausible fee (t2 ``fee``) in 万元 for one agency (a province's whole
#: year is in the hundreds of thousands of 万元; more suggests 元 typed as 万元).
FEE_PLAUSIBLE_MAX = Decimal(1_000_000)
#: Digits before the decimal point beyond which a cell is no count or amount (issue 17).
MAX_DIGITS = 12

# ------------------------------------------------------------------ a cell of a report's CSV

#: The shapes of a CSV cell's text (ASCII digits only: anything else is named, not read).
_FULLWIDTH_DIGITS = re.compile("[０-９．]")
_THOUSANDS = re.compile(r"^-?[0-9]{1,3}([,，][0-9]{3})+(\.[0-9]+)?\Z")
_PLAIN_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?\Z")
_DECIMAL_COMMA = re.compile(r"^[0-9]+[,，][0-9]+\Z")

#: A cell's problem: ``(code, variant, fields of its message, expected)``; the message is the
#: code's template (which names the cell: ``table``, ``row``, ``label`` are added by the caller).
Problem = tuple[CodeId, str | None, dict[str, object], str]


def parse_cell(raw: str, unit: Unit) -> tuple[Number | None, list[Problem]]:
    """Parse one cell. Returns the value (None when unreadable) and problems as
    ``(code, variant, fields, expected)``."""
    if unit == "count" and raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS:
        return int(raw), []  # the usual case, plain digits: none of the checks below apply
    problems: list[Problem] = []
    s = raw.strip(" \t\r\n\u3000\u00a0")
    if len(s.split(".")[0].lstrip("-－−")) > MAX_DIGITS and _PLAIN_NUMBER.match(s.lstrip("-－−")):
        # issue 17: int() refuses > 4300 digits, float() makes inf (invalid JSON)
        return None, [*problems, ("F015", None, {"digits": len(s), "limit": MAX_DIGITS}, f"≤{MAX_DIGITS} 位")]
    if s != raw:
        problems.append(("C207", None, {"text": show(raw), "read": show(s)}, s))
    if s == "":
        return None, [*problems, ("C201", None, {}, "0")]
    if s.lower() in NOTHING_WORDS:
        return None, [*problems, ("C204", None, {"text": s}, "0")]
    if _FULLWIDTH_DIGITS.search(s):
        half = unicodedata.normalize("NFKC", s)
        if _THOUSANDS.match(half):
            half = half.replace(",", "")
        return None, [*problems, ("C202", None, {"text": s, "half": half}, half)]
    if _THOUSANDS.match(s):
        plain = re.sub("[,，]", "", s)
        return None, [*problems, ("C203", None, {"text": s, "plain": plain}, plain)]
    if unit == "signed" and s[:1] in ("-", "－", "−", "+") and s[1:].isascii() and s[1:].isdigit():
        return (-int(s[1:]) if s[0] != "+" else int(s[1:])), problems  # 2019 表二's ``change``
    if s.startswith(("-", "－", "−")) and _PLAIN_NUMBER.match(s.lstrip("-－−")):
        return None, [*problems, ("C205", None, {"text": s}, "≥0")]
    if _DECIMAL_COMMA.match(s):
        point = re.sub("[,，]", ".", s)
        return None, [*problems, ("C208", "comma", {"text": s, "point": point}, "数字")]
    if not _PLAIN_NUMBER.match(s):
        return None, [*problems, ("C208", None, {"text": show(s)}, "数字")]
    if unit in ("count", "signed"):
        if "." in s:
            return None, [*problems, ("C206", None, {"text": s}, "整数")]
        return int(s), problems
    try:
        amount = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None, [*problems, ("C208", None, {"text": s}, "数字")]
    decimals = len(s.split(".")[1]) if "." in s else 0
    if decimals > 4:
        problems.append(("C209", None, {"text": s, "decimals": decimals}, "≤4 位小数"))
    elif amount > FEE_PLAUSIBLE_MAX:
        problems.append(("C210", None, {"text": s, "yi": amount / 10000}, "单位：万元"))
    return amount, problems


# ------------------------------------------------------------------ the shapes of a number cell (every reader's)

#: A number without sign or separators (what ``read_cell`` reads after normalising).
PLAIN_NUMBER = re.compile(r"\A\d+(?:\.\d+)?\Z")
THOUSANDS = re.compile(r"\A\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")
#: A table cell that is a number as written: a minus, thousands separators and a decimal part allowed.
NUMBER_CELL = re.compile(r"\A[-−－]?\d[\d,]*(?:\.\d+)?\Z")
#: Units and marks a careless source writes into a number cell ("10件", "8*", "3①", "1.5万元"): the cell is
#: still that number's cell (read with a note, or left blank with one), never a label.
UNITS = ("万元", "人次", "件", "个", "次", "项", "条", "人", "家", "份", "元", "%", "％")
MARKS = "*＊※#＃△▲☆★†‡¹²³⁰⁴⁵⁶⁷⁸⁹\u2460-\u249b"  # ①…⑳, ⑴…⒇, ⒈…⒛: NFKC would make "8①" read 81
MARKED_NUMBER = re.compile(
    rf"^(?P<pre>[{MARKS}]*)\s*(?P<num>[-−－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)\s*(?P<unit>{'|'.join(UNITS)})?"
    rf"\s*(?P<mark>[{MARKS}]*)\s*(?P<paren>[（(][^（()）]{{0,40}}[）)])?\Z"
)
#: A tag or character reference as text (an escaped ``&lt;b&gt;`` shown on the page, or a converter's leftover).
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]{0,80}>|&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.IGNORECASE)


def is_number_cell(s: str) -> bool:
    """A cell that holds a number, possibly with a unit, a mark or a tag around it (``10件``, ``8*``, ``<b>5</b>``):
    a number's cell wherever it stands, read as the number with a note or left blank with one."""
    t = s.strip()
    if NUMBER_CELL.match(t) or MARKED_NUMBER.match(t):
        return True
    bare = MARKUP.sub("", t).strip()
    return bare != t and bool(MARKED_NUMBER.match(bare))


# ------------------------------------------------------------------ reading one cell


#: The units a column of each kind may carry: a count in 件 (or 个, 次…), an amount in 万元.
_COUNT_UNITS = frozenset({"件", "个", "次", "项", "条", "人", "人次", "家", "份"})
_FITS: dict[str, frozenset[str]] = {"count": _COUNT_UNITS, "signed": _COUNT_UNITS, "wan_yuan": frozenset({"万元"})}
_DASHES = ("——", "—", "－", "―")


def is_nothing(s: str) -> bool:
    """A word standing for nothing ("无", "—")."""
    t = unicodedata.normalize("NFKC", s).strip()
    return t.lower() in NOTHING_WORDS or t in _DASHES


def is_value(s: str) -> bool:
    """A cell's content: a number (with a unit or mark, or wrapped in a tag), or a word standing for nothing."""
    return is_nothing(s) or is_number_cell(s) or is_numeric(s)


def is_numeric(s: str) -> bool:
    """A plain number (possibly full-width, with thousands separators or negative)."""
    t = unicodedata.normalize("NFKC", s).strip().lstrip("-−")
    return bool(PLAIN_NUMBER.match(t) or THOUSANDS.match(t))


def read_cell(text: str, unit: Unit) -> tuple[Number | None, str | None]:
    """Read one cell. Returns the value (None when it cannot be read) and a note:
    why it was not read, or how it was normalised."""
    s = text.strip()
    if not s:
        return None, "原文空白"
    if MARKUP.search(s):
        return None, f"原文“{s}”夹有网页标记，不是单纯的数字"
    m = MARKED_NUMBER.match(s)
    if m and (m["pre"] or m["unit"] or m["mark"] or m["paren"]):
        value, why = _read_plain(m["num"], unit)
        if value is None:
            return None, f"原文为“{s}”：{why}"
        if m["unit"] and m["unit"] not in _FITS[unit]:
            kind = "金额（万元）" if unit == "wan_yuan" else "件数"
            return None, f"原文“{s}”的单位是“{m['unit']}”，这一栏是{kind}，不能照抄"
        said = [f"单位“{m['unit']}”"] if m["unit"] else []
        said += [f"标记“{x}”" for x in (m["pre"], m["mark"]) if x]
        said += [f"括号中的说明“{m['paren']}”"] if m["paren"] else []
        check = "（请核对标记或说明的含义）" if m["pre"] or m["mark"] or m["paren"] else ""
        return value, f"原文“{s}”带{'、'.join(said)}，按“{value}”读取{check}"
    return _read_plain(s, unit)


def _read_plain(s: str, unit: Unit) -> tuple[Number | None, str | None]:
    """A number as written: full-width digits, thousands separators, a sign where the column allows one."""
    t = unicodedata.normalize("NFKC", s).strip()
    if is_nothing(s):
        return None, f"原文为“{s}”，不是数字"
    note = None
    if t != s:
        note = f"原文“{s}”是全角数字，按“{t}”读取"
    if THOUSANDS.match(t.lstrip("-−")):
        plain = t.replace(",", "")
        note = f"原文“{s}”带千位分隔符，按“{plain}”读取"
        t = plain
    negative = t.startswith(("-", "−"))
    if negative and unit != "signed":
        return None, f"原文为负数“{s}”"
    t = t.lstrip("-−")
    if not PLAIN_NUMBER.match(t):
        return None, f"原文“{s}”不是数字"
    digits = len(t.split(".")[0])
    if digits > MAX_DIGITS:  # the check's limit (F015); also below Python's int() limit of 4300 digits
        return None, f"原文数字有 {digits} 位，超过 {MAX_DIGITS} 位，不可能是件数或金额（是否粘贴错误？）"
    if unit in ("count", "signed"):
        if "." in t:
            return None, f"原文“{s}”是小数，件数应为整数"
        return -int(t) if negative else int(t), note
    try:
        return Decimal(t), note
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None, f"原文“{s}”不是数字"
