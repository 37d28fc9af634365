"""The spec is the only vocabulary (issue 20, item 4).

No ``.py`` file of the package writes an official label: the code names table cells,
phrases, figures and charts by id and reads their words from ``specs/gov<v>.yaml``.
"Label" is measured as the lead's ``labels_in_py.py`` does: every whitespace- and
punctuation-separated token of a spec file's data lines holding at least four Han
characters (the tables' labels, captions and titles, the sections, the phrases of
``prose:``, the figures' and charts' words, the placeholders of ``section_guide``).
The new keys' validation (``section_guide``, ``prose``, ``figures``, ``charts``) is
tested below like the rest of the spec's: a located error for each kind of typo.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from govreport.format.spec import SPEC_DIR, load_spec, load_spec_file
from govreport.format.specvalid import SpecError

PACKAGE = Path(__file__).resolve().parents[1] / "ext" / "govreport"

#: Files allowed to hold a label (none: the spec is the only vocabulary; the test below keeps it so).
ALLOWED: set[str] = set()

_TOKEN = re.compile(r"[^\s:{}\[\],\"'#]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def spec_strings(path: Path) -> set[str]:
    """The tokens of ``path``'s data lines (comment lines left out) with four or more Han characters."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        out |= {t for t in _TOKEN.findall(line) if len(_HAN.findall(t)) >= 4}
    return out


def labels_in(strings: set[str]) -> dict[str, list[str]]:
    """Per package ``.py`` file (relative path), the spec strings it contains."""
    hits: dict[str, list[str]] = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        found = sorted(s for s in strings if s in text)
        if found:
            hits[p.relative_to(PACKAGE).as_posix()] = found
    return hits


STRINGS = spec_strings(SPEC_DIR / "gov2021.yaml") | spec_strings(SPEC_DIR / "gov2019.yaml")


def test_the_measure_sees_the_spec() -> None:
    """The rule finds the spec's words (else the test below could not fail)."""
    spec = load_spec("2021")
    assert spec.tables["t3"].rows["new"].label in STRINGS
    assert spec.tables["t4"].rows["review"].label in STRINGS  # a label of four characters
    assert spec.figures["issued"].label in STRINGS
    assert spec.prose.counts[0].what in STRINGS
    assert len(STRINGS) > 100


def test_no_label_in_python_outside_the_allowed_files() -> None:
    hits = labels_in(STRINGS)
    outside = {f: s for f, s in hits.items() if f not in ALLOWED}
    assert outside == {}, "name these by id and read their words from the spec (format/specs/gov<v>.yaml)"


def test_every_allowed_file_still_needs_its_place() -> None:
    """An allowed file that holds no label any more leaves the list (so the list only shrinks)."""
    hits = labels_in(STRINGS)
    assert sorted(f for f in ALLOWED if f not in hits) == []


def test_a_label_written_in_python_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "new.py").write_text('TITLE = "本年新收申请"\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    assert labels_in(STRINGS)["portal/new.py"][-1] == "本年新收申请"  # and any shorter spec string inside it


# ------------------------------------------------------------- what the code reads


def test_prose_figures_and_charts_are_read_by_id() -> None:
    s = load_spec("2021")
    new = next(p for p in s.prose.counts if p.id == "new")
    assert new.cells.cells == (("t3", "new", "total"),)
    assert new.pattern.search("本年共受理政府信息公开申请12件").group(1) == "12"  # type: ignore[union-attr]
    assert new.also_when is not None and new.also is not None and new.also_when.search("受理")
    assert s.prose.outcomes == {s.tables["t4"].columns[c].label: c for c in ("upheld", "corrected", "other", "pending")}
    assert s.figures["suits"].get.cells == (("t4", "suit_direct", "total"), ("t4", "suit_after", "total"))  # type: ignore[union-attr]
    assert s.charts["appeals"].figures == ("review", "review_corrected", "suits", "suits_corrected")
    assert len(s.section_guide) == len(s.sections)
    assert all(g.startswith(s.placeholder_starts) for g in s.section_guide)


def test_2019_has_no_phrase_of_a_cell_it_lacks() -> None:
    s = load_spec("2019")
    cells = {c for p in (*s.prose.counts, *s.prose.none) for c in p.cells.cells}
    assert all(c in s.tables[t].rows[r].cols for t, r, c in cells)
    assert s.figures == {} and s.charts == {}


# --------------------------------------------------------------------- validation

SHIPPED = (SPEC_DIR / "gov2021.yaml").read_text(encoding="utf-8")


def errors_of(tmp_path: Path, old: str, new: str) -> tuple[list[str], str, str]:
    assert SHIPPED.count(old) >= 1, old
    text = SHIPPED.replace(old, new, 1)
    path = tmp_path / "gov2021.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec_file(path, remember=False)
    return info.value.errors, text, str(path)


def line_of(text: str, snippet: str) -> int:
    return text.count("\n", 0, text.index(snippet)) + 1


def test_a_figure_summing_a_cell_that_does_not_exist(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "sum: [t2.rules.issued, t2.normative.issued]", "sum: [t2.rules.issued, t2.normative.decisions]")
    assert errors == [f"{f}:{line_of(text, 't2.normative.decisions')}: figures.issued.sum: “t2.normative.decisions”: "
                      "row “normative” of t2 has no column “decisions”"]


def test_a_chart_naming_an_unknown_figure(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "figures: [issued, license, penalty]", "figures: [issued, licence, penalty]")
    assert errors == [f"{f}:{line_of(text, 'licence')}: charts.proactive.figures: unknown figure “licence” "
                      "(known: new, done, open_share, deny, carried_over, review, review_corrected, suits …)"]


def test_a_phrase_naming_an_unknown_piece(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "(?:共|合计)?\\s*${count}'\n      what: 行政复议总计", "(?:共|合计)?\\s*${cnt}'\n      what: 行政复议总计")
    assert errors == [f"{f}:{line_of(text, '${cnt}')}: prose.counts.review.pattern: unknown piece ${{cnt}} (known: count, denied, not_denied)"]


def test_a_phrase_that_is_no_regular_expression(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "pattern: '行政诉讼(?:案件)?", "pattern: '行政诉讼(?:案件?")
    assert len(errors) == 1 and errors[0].startswith(f"{f}:{line_of(text, '行政诉讼(?:案件?')}: prose.counts.6.pattern: not a regular expression: ")


def test_a_misspelt_phrase_key(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "      outcome: 行政复议", "      outcom: 行政复议")
    assert errors == [f"{f}:{line_of(text, 'outcom:')}: unknown key “outcom” in prose.counts.5 (allowed: also, id, outcome, pattern, sum, what)"]


def test_a_placeholder_that_x802_would_not_find(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "  - '（请如实说明", "  - '请如实说明")
    assert errors == [f"{f}:{line_of(text, '请如实说明')}: section_guide: placeholder 5 does not begin as placeholder_starts says "
                      "(（请, （下表数字来自): X802 would not find it left in a page"]


def test_a_placeholder_missing(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "  - '（请如实说明存在的主要问题和改进措施，不能照抄上年报告。）'\n", "")
    assert errors == [f"{f}:{line_of(text, chr(10) + 'section_guide:') + 1}: section_guide: 5 placeholders for 6 sections (one per section)"]
