"""Values kept pickled beside the bytecode (``govreport.pycache``): the findings catalogue, the
format specs, the theme's stylesheet outline. A kept value is used only for the same key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from govreport.format import spec as specmod
from govreport.pycache import kept


def test_kept_value_is_made_once_per_key(tmp_path: Path) -> None:
    made: list[str] = []

    def make(v: str) -> str:
        made.append(v)
        return v

    assert kept(tmp_path, "x", b"one", lambda: make("a"), lambda v: isinstance(v, str)) == "a"
    assert kept(tmp_path, "x", b"one", lambda: make("b"), lambda v: isinstance(v, str)) == "a"  # kept
    assert kept(tmp_path, "x", b"two", lambda: make("c"), lambda v: isinstance(v, str)) == "c"  # another key
    assert made == ["a", "c"]


def test_a_damaged_or_unwanted_file_is_made_again(tmp_path: Path) -> None:
    kept(tmp_path, "x", b"k", lambda: "a", lambda v: True)
    (cache,) = (tmp_path / "__pycache__").glob("x-*.pickle")
    cache.write_bytes(b"not a pickle")
    assert kept(tmp_path, "x", b"k", lambda: "b", lambda v: True) == "b"
    assert kept(tmp_path, "x", b"k", lambda: "c", lambda v: v == "c") == "c"  # "b" read back, refused


def test_without_a_writable_folder_the_value_is_made_each_time(tmp_path: Path) -> None:
    (tmp_path / "__pycache__").write_text("a file, not a folder")
    assert kept(tmp_path, "x", b"k", lambda: "a", lambda v: True) == "a"
    assert kept(tmp_path, "x", b"k", lambda: "b", lambda v: True) == "b"


def test_a_spec_changed_on_disk_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spec given by path (a region's, a test's) is kept by its own bytes: editing a label shows at once."""
    path = tmp_path / "gov2021.yaml"
    shutil.copyfile(specmod.SPEC_DIR / "gov2021.yaml", path)
    first = specmod.load_spec_file(path)
    label = first.tables["t4"].rows["review"].label
    text = path.read_text(encoding="utf-8")
    assert f"review: {{label: {label}}}" in text
    path.write_text(text.replace(f"review: {{label: {label}}}", f"review: {{label: {label}（改）}}"), encoding="utf-8")
    again = specmod.load_spec_file(path)
    assert again.tables["t4"].rows["review"].label == label + "（改）"
    assert specmod.load_spec_file(path) == again == specmod.load_spec_file(path, remember=False)


def test_values_for_other_keys_are_forgotten_after_a_day(tmp_path: Path) -> None:
    import os
    import time

    kept(tmp_path, "x", b"old", lambda: "a", lambda v: True)
    kept(tmp_path, "x", b"recent", lambda: "b", lambda v: True)
    kept(tmp_path, "y", b"other name", lambda: "c", lambda v: True)
    day_ago = time.time() - 2 * 86400
    for p in (tmp_path / "__pycache__").glob("*.pickle"):
        os.utime(p, (day_ago, day_ago))
    kept(tmp_path, "x", b"recent", lambda: "b", lambda v: True)  # read: used now
    kept(tmp_path, "x", b"new", lambda: "d", lambda v: True)  # written: forgets x's unused ones
    left = sorted(p.name.split("-")[0] for p in (tmp_path / "__pycache__").glob("*.pickle"))
    assert left == ["x", "x", "y"]  # "recent" and "new"; "old" gone; y untouched
    assert kept(tmp_path, "x", b"old", lambda: "again", lambda v: True) == "again"
