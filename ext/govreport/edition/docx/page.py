"""The GB/T 9704 page in Word's units, from the figures the PDF edition is measured by.

Word measures a page in twips (1/20 bp) and its document grid in whole twips:
``linePitch`` is the height of one of the 22 lines, ``charSpace`` how much a
grid character is narrower than the body type (in 1/4096 bp). Both are rounded
down, so that the type area holds 22 whole lines of 28 whole characters (a
pitch rounded up would leave 21 lines, or 27 characters).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..pdfgeom import AREA, BODY, CHARS, FOLIO, FOLIO_GAP, LINES, MM, PAPER, TITLE

TWIPS = 20  # per bp


def twips(bp: float) -> int:
    return round(bp * TWIPS)


#: Paper and margins (twips): top, right, bottom, left.
PAGE_W, PAGE_H = twips(PAPER[0]), twips(PAPER[1])
TOP, LEFT = twips(AREA[1]), twips(AREA[0])
RIGHT, BOTTOM = PAGE_W - twips(AREA[2]), PAGE_H - twips(AREA[3])
TEXT_W, TEXT_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM
#: One grid line (twips) and the grid character's spacing (1/4096 bp) against the body size.
LINE_PITCH = TEXT_H // LINES
CHAR_SPACE = math.floor((TEXT_W / TWIPS / CHARS - BODY) * 4096)
#: One grid character (twips): what a "字" of indent is.
CHAR = TEXT_W / CHARS
#: The character spacing (twips, Word's ``w:spacing`` of a run) that sets 28
#: body characters in a line, as the grid does (rounded down: -4 would leave 27).
#: Chinese characters only, as the PDF (ctex's \ziju) and Word's grid do: Latin
#: letters and digits keep their own widths.
CONDENSE = math.floor((CHAR / TWIPS - BODY) * TWIPS)
_SCRIPTS = re.compile(r"[^\x00-\u1fff]+|[\x00-\u1fff]+")


def by_width(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into runs of wide (Chinese, full-width, “”—…) and narrow (Latin, digits) characters."""
    return [(m.group(), ord(m.group()[0]) >= 0x2000) for m in _SCRIPTS.finditer(text)]
#: Type sizes in bp: body 3号, title 2号, page number 4号.
BODY_PT, TITLE_PT, FOLIO_PT = BODY, TITLE, FOLIO
#: Footer distance from the paper's bottom edge (twips): the page number's line
#: (4号, exact height) placed so that its 一字线, drawn at the middle of the
#: characters, stands FOLIO_GAP below the type area.
FOOTER = BOTTOM - twips(FOLIO_GAP - FOLIO / 2) - twips(FOLIO)
#: Header distance: the header holds only the draft watermark (an anchored shape).
HEADER = twips(15 * MM)


@dataclass(frozen=True)
class Font:
    """A font as Word names it (``eastAsia``), the name it falls back to
    (``w:altName`` in the font table, as Word and WPS read it) and the font of
    Latin letters and digits."""

    name: str
    alt: str
    latin: str = "Times New Roman"
    family: str = "roman"  # w:family: roman (serif), swiss (sans), modern


#: One font per role. The _GB2312 and 方正 names are those of the government's
#: standard fonts; Windows has 仿宋/楷体/黑体/宋体, macOS 华文仿宋/华文中宋 ….
FANGSONG = Font("仿宋_GB2312", "仿宋")
XIAOBIAOSONG = Font("方正小标宋简体", "华文中宋")
HEITI = Font("黑体", "SimHei", family="swiss")
KAITI = Font("楷体_GB2312", "楷体")
SONGTI = Font("宋体", "SimSun")
#: The fallbacks themselves, declared too (their Latin names).
FALLBACKS = (Font("仿宋", "FangSong"), Font("华文中宋", "STZhongsong"), Font("楷体", "KaiTi"))

ROLES = {"body": FANGSONG, "title": XIAOBIAOSONG, "heading1": HEITI, "heading2": KAITI, "folio": SONGTI, "strong": HEITI,
         "emphasis": KAITI, "table_head": HEITI}


def indents(name: str, date: str) -> tuple[int, int]:
    """Right indents (twips) of the 落款's name and date lines (officialdoc.Signoff)."""
    from ...model.officialdoc import Signoff

    name_right, date_right = Signoff(name, date).indents()
    return round(name_right * CHAR), round(date_right * CHAR)


def chars(n: float) -> int:
    """``n`` grid characters in twips."""
    return round(n * CHAR)
