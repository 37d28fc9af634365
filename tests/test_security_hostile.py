"""Issue 26's hostile sweep, each case built here: the hostile input, then the bound, the message, and
that nothing leaked, moved or became live. (The preview server's cases are in test_serve.py.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from govreport.cli import main
from security import ROOT

SEED = ROOT / "tests" / "fixtures" / "xiangshan-2021.txt"


# --------------------------------------------------------------------- names and report.toml


@pytest.mark.parametrize("agency", ["xsx\n", "xsx\n\n", "\nxsx", "xs\u202ex"])
def test_agency_slug_is_validated_whole(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                        agency: str) -> None:
    monkeypatch.chdir(root)
    assert main(["new", agency, "2022", "--name", "香山乡"]) == 2
    assert "机构简称" in capsys.readouterr().err
    assert not list((root / "data").iterdir()) and not list((root / "docs").iterdir())


@pytest.mark.parametrize("name", ["香山\u202e乡", "\u2066香山乡", "香山乡\u200f"])
def test_bidi_controls_refused_in_names(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                        name: str) -> None:
    monkeypatch.chdir(root)
    assert main(["new", "xs", "2022", "--name", name]) == 2
    assert "文字方向控制符（如 U+202E）" in capsys.readouterr().err
    assert not (root / "data" / "xs").exists()


def test_bidi_control_in_report_toml_is_a_finding(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    toml = repo / "data" / "demo" / "2021" / "report.toml"
    text = toml.read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("agency ="))
    toml.write_text(text.replace("agency = \"", "agency = \"\u202e", 1), encoding="utf-8")
    monkeypatch.chdir(repo)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert f"data/demo/2021/report.toml:{line}: 错误 F016 " in out and "文字方向控制符" in out


def test_file_name_with_newlines_makes_no_live_key(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source named ``a⏎archive = true⏎members = ["x"]⏎.txt``: report.toml keeps exactly its keys."""
    name = 'a\narchive = true\nmembers = ["x"]\nundated = true\n.txt'
    src = root / name
    src.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["import", str(src), "xs", "2021", "--name", "香山乡"]) == 0
    meta = tomllib.loads((root / "data" / "xs" / "2021" / "report.toml").read_text(encoding="utf-8"))
    assert meta == {"agency": "香山乡", "full_name": "香山乡", "format": "2021", "imported_from": name}
