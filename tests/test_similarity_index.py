"""内容雷同 in near-linear time (issue 26): the index finds exactly what comparing every pair finds, and
``make status`` reuses what ``make check`` computed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from govreport.portal import similarity
from govreport.portal.similarity import SAME, compare
from portal_helpers import DISTRICT, district_copy
from rapidfuzz import fuzz, process


def every_pair(now: list[str], before: list[str]) -> tuple[str, ...]:
    """The reference: each of ``before`` scored against every sentence of ``now`` (what compare did before)."""
    return tuple(s for s in before if process.extractOne(s, now, scorer=fuzz.ratio, score_cutoff=SAME) is not None)


def _variant(rng: random.Random, s: str, alphabet: str, edits: int) -> str:
    out = list(s)
    for _ in range(edits):
        i = rng.randrange(len(out) + 1)
        op = rng.random()
        if op < 0.35 and len(out) > 1:
            del out[min(i, len(out) - 1)]
        elif op < 0.7:
            out.insert(i, rng.choice(alphabet))
        else:
            out[min(i, len(out) - 1)] = rng.choice(alphabet)
    return "".join(out)


@pytest.mark.parametrize("alphabet", ["本乡政府公开信息工作年度报告开展加强完善", "公开政", "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"])
def test_index_finds_what_every_pair_finds(alphabet: str) -> None:
    rng = random.Random(26)
    for _ in range(150):
        base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(8, 45))) for _ in range(12)]
        now = [_variant(rng, rng.choice(base), alphabet, rng.randint(0, 6)) for _ in range(25)]
        before = [_variant(rng, rng.choice(base), alphabet, rng.randint(0, 6)) for _ in range(25)]
        now, before = [s for s in now if len(s) >= 8], [s for s in before if len(s) >= 8]
        assert compare(now, before).repeated == every_pair(now, before)


def test_boundary_scores_are_kept() -> None:
    """Pairs scoring exactly 90, at the edges of the length and edit filters: 9 and 11 characters (two
    insertions), 18 and 22 (four), 10 and 10 (one character changed)."""
    nine, eighteen, ten = "一二三四五六七八九", "一二三四五六七八九甲乙丙丁戊己庚辛壬", "一二三四五六七八九十"
    pairs = [(nine, "一二子三四五六七丑八九"), (eighteen, "一子二三四丑五六七八九甲寅乙丙丁戊卯己庚辛壬"), (ten, "一二三四五子七八九十")]
    for a, b in pairs:
        assert fuzz.ratio(a, b) == SAME, (a, b, fuzz.ratio(a, b))
        assert compare([b], [a]).repeated == (a,) and compare([a], [b]).repeated == (b,)


def test_status_reuses_the_checks_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport.cli.commands import main
    from govreport.portal.status import board

    root = district_copy(tmp_path / "d", layout="repo")
    monkeypatch.chdir(root)
    main(["check", "--no-cache"])
    assert list((root / similarity.MEMO_DIR).glob("*.json"))  # what make check left under _build/

    def refuse(now: list[str], before: list[str]) -> similarity.Repeat:
        raise AssertionError("make status compared the pages again")

    monkeypatch.setattr(similarity, "compare", refuse)
    rows = {(r.agency, r.year): r.similarity for r in board(root, use_cache=True)}
    assert rows[("dongyuan", 2022)] == 1.0 and rows[("dongyuan", 2021)] is None
    assert DISTRICT.is_dir()
