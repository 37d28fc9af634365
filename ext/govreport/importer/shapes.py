"""The shapes of text every reader and the line reader share: page numbers, numbered headings,
CJK spacing, sentence ends. A leaf: the readers (``source`` and each form), the line reader (``core``)
and the table reader (``tables``) all import it, it imports none of them."""

from __future__ import annotations

import re

# ------------------------------------------------------------------ text shapes

#: Page numbers a PDF's text keeps: "- 5 -", "第 5 页 共 9 页", "5/9".
PAGE_NUMBER = [
    re.compile(r"^[-－—–~～]+\s*\d{1,4}\s*[-－—–~～]+$"),
    re.compile(r"^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d+\s*/\s*\d+$"),
]
BARE_PAGE_NUMBER = re.compile(r"^ {20,}\d{1,3}$")  # a centred bare number
#: A numbered heading or row label: 一、 （一） （1） 1.
HEAD = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．，,]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[.、．，,](?!\d))")
#: Chinese characters and punctuation: pdftotext puts spaces between them that the text never had.
CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’《》〈〉—…·"
CJK_SPACE = [
    re.compile(f"(?<=[{CJK}])[ \u3000]+(?=[{CJK}A-Za-z0-9])"),
    re.compile(f"(?<=[A-Za-z0-9%])[ \u3000]+(?=[{CJK}])"),
]
#: Sentence ends, closing and opening brackets: how the prose is cut into sentences.
TERMINAL = "。！？；：:;!?…"
CLOSERS = "”’」』）)》】"
OPENERS = "（(“‘《「『【"
_WHITESPACE = re.compile(r"[\s\u3000]+")


def compact(s: str) -> str:
    """Without any whitespace."""
    return _WHITESPACE.sub("", s)
