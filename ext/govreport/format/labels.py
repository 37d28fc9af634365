"""Labels and numbers: the lowest module of the format (of the package it imports only the
findings catalogue, for the wording of L107).

One place for what the spec, the CSV loader, the importer and the checks all
need: the comparison form of a label, how a written label differs from the
official one, matching a label exactly, normalised or to its nearest official
label; and the ``Number`` type of a cell with its one formatter and one total.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..findings import CATALOGUE

Number = int | Decimal

_NUMBERED = re.compile(r"^(\d+)[、．.，,]\s*")
_SPACES = re.compile(r"[\s\u3000]+")


@functools.lru_cache(maxsize=8192)  # the same few hundred labels, in every CSV of every report
def normalise_label(s: str) -> str:
    """The comparison form of a label: width, spaces, numbering and quotes unified."""
    s = unicodedata.normalize("NFKC", s)
    s = _SPACES.sub("", s)
    s = _NUMBERED.sub(r"\1.", s)
    for q in "\"'“”‘’「」『』":
        s = s.replace(q, '"')
    return s


def label_char(ch: str) -> str:
    """One character in the comparison form (``normalise_label``'s width rule, character by character):
    for text whose positions must be kept, such as flattened page text, where a label is found inside a line."""
    if ch == "−":
        return "-"
    k = unicodedata.normalize("NFKC", ch)
    return k if len(k) == 1 else ch


def similarity(a: str, b: str) -> float:
    """How alike two labels already in comparison form are, 0 to 1 (difflib's ratio)."""
    return difflib.SequenceMatcher(None, a, b).ratio()


def show(text: str) -> str:
    """A cell's text for a one-line message: line breaks shown as ↵."""
    return text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵")


def describe_variant(found: str, official: str) -> str:
    """Name how a label differs from the official one: L107's phrases, joined as L107 joins them."""
    return CATALOGUE["L107"].join("how", variant_kinds(found, official))


def variant_kinds(found: str, official: str) -> list[str]:
    """How a label differs from the official one: L107's phrases for ``{how}``, one per kind."""
    say = CATALOGUE["L107"].phrase
    kinds = []
    f = found.strip()
    if re.search(r"[()]", found) and "（" in official:
        kinds.append(say("brackets"))
    if "," in found and "，" in official:
        kinds.append(say("comma"))
    if ":" in found and "：" in official:
        kinds.append(say("colon"))
    m = re.match(r"^([0-9０-９]+)\s*([、．.，,])", f)
    if m and m.group(0) != unicodedata.normalize("NFKC", m.group(1)) + ".":
        kinds.append(say("number", written=m.group(0).strip(), plain=unicodedata.normalize("NFKC", m.group(1))))
    if re.search(r"[\r\n]", found):
        kinds.append(say("newline"))
    elif re.search(r"[ \t\u3000\u00a0]", found) and not _SPACES.search(official):
        kinds.append(say("spaces"))
    if any(q in found for q in "\"'‘’「」『』") and "“" in official:
        kinds.append(say("quotes"))
    return kinds or [say("other")]


class Labels:
    """Match written labels to ids: exact, then normalised (a variant), then nearest."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = dict(labels)
        self.exact = {label: i for i, label in self.labels.items()}
        self.norm = {normalise_label(label): i for i, label in self.labels.items()}
        self.pieces = 1 + max((n.count(",") for n in self.norm), default=0)

    def match(self, text: str) -> tuple[str | None, bool]:
        """``(id, is_variant)``; id None when unknown."""
        if text in self.exact:
            return self.exact[text], False
        got = self.norm.get(normalise_label(text))
        return got, got is not None

    def find(self, text: str) -> str | None:
        """The id of ``text`` written as an id, exactly or in normalised form."""
        text = text.strip()
        if text in self.labels:
            return text
        return self.match(text)[0]

    def split(self, cells: list[str]) -> tuple[str, int]:
        """The label and how many fields it takes: a label with unquoted
        half-width commas (``(二)部分公开(区分处理的,只计…``) spans fields."""
        first = cells[0].strip() if cells else ""
        if self.match(first)[0] is not None:
            return first, 1
        # A label spans at most as many fields as the longest label has commas + 1:
        # joining every prefix of a 16 384-field line would take time growing as its square.
        for n in range(2, min(len(cells), self.pieces) + 1):
            joined = ",".join(cells[:n]).strip()
            if self.match(joined)[0] is not None:
                return joined, n
        return first, 1

    def similarity(self, text: str, cid: str) -> float:
        return similarity(normalise_label(text), normalise_label(self.labels[cid]))

    def nearest(self, text: str, among: Iterable[str], cutoff: float = 0.4) -> str | None:
        """The id among ``among`` whose label is most like ``text`` (None below ``cutoff``)."""
        by_norm = {normalise_label(self.labels[i]): i for i in among}
        hit = difflib.get_close_matches(normalise_label(text), list(by_norm), n=1, cutoff=cutoff)
        return by_norm[hit[0]] if hit else None


def fmt_number(v: Number) -> str:
    """A value as a message or a CSV cell shows it: ``12``, ``12.5`` (never ``1.2E+1``)."""
    return str(v) if isinstance(v, int) else format(v, "f")


def total(values: Iterable[Number | None]) -> Number | None:
    """The sum of ``values``; None when any is None (an unreadable cell is reported already)."""
    out: Number = 0
    for v in values:
        if v is None:
            return None
        out += v
    return out
