"""内容雷同: how much of last year's narrative a report repeats (issue 16).

Sections 一 (总体情况) and 五 (存在的主要问题及改进情况) of both years are split
into sentences with headings removed and numbers masked; a sentence of last
year's counts as repeated when this year has one at least ``SAME`` similar
(rapidfuzz's normalised InDel ratio). More than ``LIMIT`` repeated: warning U910.
Results are remembered under ``_build`` by the pages' contents, so ``make status`` reuses ``make check``'s.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import CATALOGUE, Finding
from ..model.narrative import Page, read_page
from ..model.report import Report
from .portalmeta import portal_settings

SAME = 90.0  # percent: sentences this similar are the same sentence
LIMIT = 0.5  # share of last year's sentences
SECTIONS = ("一、", "五、")
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_NUMBER = re.compile(r"[0-9０-９][0-9０-９.,，%％]*|[零〇一二三四五六七八九十百千万两]+(?=[件个项次条人名家万元%])")
_SPLIT = re.compile(r"[。！？；!?;\n]+")
_MARKUP = re.compile(r"[*_`#>|]|\[|\]\([^)]*\)")
MIN_CHARS = 8  # shorter pieces (list markers, "无。") are not sentences
#: Last year's sentences needed to judge: two of three short sentences repeated
#: ("本年度新收政府信息公开申请N件") says nothing about a report's writing.
MIN_SENTENCES = 5


@dataclass(frozen=True)
class Repeat:
    share: float  # of last year's sentences, 0..1
    repeated: tuple[str, ...]  # last year's sentences found again
    total: int  # last year's sentences compared


def sentences(page: Page) -> list[str]:
    """Sentences of sections 一 and 五, headings removed, numbers masked."""
    out: list[str] = []
    for s in page.sections:
        if s.level == 2 and s.title.startswith(SECTIONS):
            for b in s.blocks:
                if b.kind != "paragraph":
                    continue
                text = _MARKUP.sub("", _ROLE.sub("N", b.text))
                for piece in _SPLIT.split(text):
                    piece = _NUMBER.sub("N", piece.strip())
                    if len(piece) >= MIN_CHARS and not re.fullmatch(r"[（(][一二三四五六七八九十]+[)）].{0,12}", piece):
                        out.append(piece)
    return out


def compare(now: list[str], before: list[str]) -> Repeat:
    """Which of ``before`` recur in ``now``: each has a sentence of ``now`` at least ``SAME`` similar.

    The same answer as comparing every pair (rapidfuzz ``extractOne``), in near-linear time (issue 26:
    20,000 sentences took 104 s): an exact repeat is found by hash; otherwise only the sentences that hold
    two of its rarer runs of three characters are scored (``_Index``)."""
    if not before:
        return Repeat(0.0, (), 0)
    index = _Index(now)
    repeated = [s for s in before if index.has_similar(s)]
    return Repeat(len(repeated) / len(before), tuple(repeated), len(before))


Q = 3  # characters per gram: runs of three Chinese characters are rare enough to index by


class _Index:
    """This year's sentences by hash and by the runs of ``Q`` characters (grams) they contain.

    Why the filter loses nothing: rapidfuzz's ratio is ``200·LCS / (la + lb)``, so ratio ≥ 90 needs
    ``200·min(la, lb) ≥ 90·(la + lb)`` (lengths within 11:9) and turns ``a`` into ``b`` with at most
    ``d = (la + lb) / 10`` insertions and deletions. Each destroys at most ``Q`` of a's ``n = la − Q + 1``
    grams, so ``b`` holds at least ``T = n − Q·d`` of them; of a's ``n − T + 2`` rarest grams, then at
    least two. Only sentences holding two of those are scored (prefix filtering: the frequent grams,
    which would make every sentence a candidate, are never looked up)."""

    def __init__(self, now: list[str]) -> None:
        self.now = list(dict.fromkeys(now))
        self.exact = set(self.now)
        self.postings: dict[str, list[int]] = {}
        for i, t in enumerate(self.now):
            for g in {t[k : k + Q] for k in range(len(t) - Q + 1)}:
                self.postings.setdefault(g, []).append(i)

    def has_similar(self, s: str) -> bool:
        """Is there a sentence at least ``SAME`` similar to ``s``? (rapidfuzz scores the candidates, in C.)"""
        from rapidfuzz import fuzz, process

        if s in self.exact:
            return True
        la = len(s)
        grams = [s[k : k + Q] for k in range(la - Q + 1)]
        need = len(grams) - Q * ((la + la * 11 // 9) // 10)  # T, with d ≤ (la + lb) / 10 and lb ≤ 11·la / 9
        if need < 1:  # too short for the filter: every sentence is a candidate
            pool = self.now
        else:
            least = min(need, 2)
            rare = sorted(grams, key=lambda g: (len(self.postings.get(g, ())), g))[: len(grams) - need + least]
            shared: Counter[int] = Counter()  # per sentence: how many of the rare gram occurrences it holds (in C)
            for g in rare:
                shared.update(self.postings.get(g, ()))
            pool = [self.now[i] for i, n in shared.items() if n >= least]
        return bool(pool) and process.extractOne(s, pool, scorer=fuzz.ratio, score_cutoff=SAME) is not None


def judged(r: Repeat) -> bool:
    """Enough of last year's sentences to say anything (the check and the status board)."""
    return r.total >= MIN_SENTENCES


def _last_years_page(report: Report) -> Path:
    return (report.docs or report.root / "docs") / report.agency / f"{report.year - 1}.md"


def repeat_of(report: Report) -> Repeat | None:
    """This report's repetition of last year's; None without both pages."""
    prev = _last_years_page(report)
    if not report.page.is_file() or not prev.is_file():
        return None
    return remembered(report.page, prev, report.root)


def check_similarity(report: Report) -> list[Finding]:
    """U910 when more than half of last year's sentences are repeated (unless the
    repository's ``portal.toml`` turns it off: ``similarity = false``)."""
    report.files.append(report.root / "portal.toml")  # the setting: a cached result follows it
    if not portal_settings(report.root).similarity:
        return []
    report.files.append(_last_years_page(report))
    r = repeat_of(report)
    if r is None or not judged(r) or r.share <= LIMIT:
        return []
    say = CATALOGUE["U910"].phrase
    listed = [say("quoted", sentence=s) for s in r.repeated[:20]]  # joined as U910 declares
    more = say("more") if len(r.repeated) > 20 else ""
    return [Finding.of("U910", report.rel(report.page), repeated=len(r.repeated), last_year=report.year - 1, total=r.total, share=r.share, listed=listed, more=more, line=1, expected=f"≤ {LIMIT:.0%}", found=f"{r.share:.0%}")]


def share_of(path_now: Path, path_before: Path, root: Path | None = None) -> float | None:
    """The share for two page files (the status board); None where U910 would not
    judge: a page missing, or last year too short. With ``root``, the result ``make check``
    remembered for these two texts is used (``remembered``)."""
    if not path_now.is_file() or not path_before.is_file():
        return None
    r = remembered(path_now, path_before, root)
    return r.share if judged(r) else None


#: Results by the digests of both pages, one small file each: ``make status`` reuses what ``make check``
#: computed (issue 26), in this process or another (a worker of a parallel check, an earlier run).
MEMO_DIR = Path("_build") / ".govreport" / "similarity"
_CODE = hashlib.sha256(Path(__file__).read_bytes()).digest()  # another version of this module: computed again


def remembered(path_now: Path, path_before: Path, root: Path | None) -> Repeat:
    """``compare`` of two pages, remembered under ``root/_build`` by their contents (and this module's code)."""
    now, before = path_now.read_bytes(), path_before.read_bytes()
    key = hashlib.sha256(_CODE + b"%d|%d\0" % (len(now), len(before)) + now + b"\0" + before).hexdigest()
    memo = root / MEMO_DIR / f"{key}.json" if root is not None else None
    if memo is not None:
        try:
            hit = json.loads(memo.read_text(encoding="utf-8"))
            return Repeat(float(hit["share"]), tuple(str(x) for x in hit["repeated"]), int(hit["total"]))
        except (OSError, ValueError, KeyError, TypeError):  # absent, or written by something else: computed
            pass
    r = compare(sentences(read_page(path_now)), sentences(read_page(path_before)))
    if memo is not None:
        _save(memo, {"share": r.share, "repeated": list(r.repeated), "total": r.total})
    return r


def _save(path: Path, value: dict[str, Any]) -> None:
    """Written whole and renamed into place; a read-only or full _build only loses the memo (X830 says so)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
