"""Issue 26's hostile sweep, each case built here: the hostile input, then the bound, the message, and
that nothing leaked, moved or became live. (The preview server's cases are in test_serve.py.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from govreport.cli import main
from security import PLANT, ROOT, build, check, leaks, make_site, ours

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


# --------------------------------------------------------------------- a report folder without report.toml


def test_tables_without_report_toml_are_a_finding(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """make check, make status and the site's plan all name the file to add (they ignored the folder)."""
    from govreport.publish import plan
    from govreport.status import board

    lost = repo / "data" / "demo" / "2022"
    lost.mkdir()
    for name in ("table2.csv", "table3.csv"):
        (lost / name).write_bytes((repo / "data" / "demo" / "2021" / name).read_bytes())
    monkeypatch.chdir(repo)
    assert main(["check", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert ("data/demo/2022/report.toml: 错误 F017 缺少 data/demo/2022/report.toml：目录中有 table2.csv、table3.csv，"
            "但没有 report.toml，这份报告不会被检查、也不会发布。") in out
    assert main(["check", "demo/2022"]) == 1  # asked for by name: the finding, not "没有找到报告"
    assert "F017" in capsys.readouterr().out
    rows = {(r.agency, r.year): r for r in board(repo, use_cache=False)}
    assert (rows["demo", 2022].state, rows["demo", 2022].errors) == ("withheld", 1)
    p = plan(repo)
    assert p.withheld.get("demo/2022") == 1 and [f.code for f in p.findings["demo/2022"]] == ["F017"]
    (lost / "table2.csv").unlink()
    (lost / "table3.csv").unlink()
    assert main(["check", "--no-cache", "--format", "json"]) in (0, 1)
    assert "F017" not in capsys.readouterr().out  # an empty folder is nobody's report


def test_tables_without_report_toml_check_and_build_agree(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    lost = site / "data" / "xiangshan" / "2022"
    lost.mkdir()
    (lost / "table3.csv").write_text(f"项目,{PLANT}\n", encoding="utf-8")
    checked, built = check(site), build(site)
    assert "Traceback" not in checked.text + built.text and leaks(site, checked, built) == []
    assert ("F017", "data/xiangshan/2022/report.toml", 1) in ours(checked.found) and ours(checked.found) == ours(built.found)
    assert checked.status == 1 and built.status == 1


# --------------------------------------------------------------------- imported text is text

HOSTILE_TEXT = [
    "<script>alert('x')</script>本乡公开了政策文件。",
    "&lt;script&gt;alert(1)&lt;/script&gt;是网页原有的转义文字。",
    "正文中有{eval-rst}和{include}`/etc/passwd`这样的写法。",
    "```{include} /etc/passwd",
    ":::{eval-rst}",
    "% 这一行在 MyST 中是注释。",
    "[点这里](javascript:alert(1))是一个链接的写法。",
    "(target)=",
    "<b>加粗</b>和<iframe src=x>。",
]


def test_imported_text_is_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A source whose prose holds tags, escaped tags, roles, fences and directive starts: the page shows them as
    text; make check and the import's own summary find nothing (they used to be S508–S511, and disagreed)."""
    site = make_site(tmp_path)
    text = SEED.read_text(encoding="utf-8").replace("沙坡头区香山乡 2021年", "<b>沙坡头区</b>香山乡 2021年", 1)
    head = "一、总体情况\n\n"
    text = text.replace(head, head + "\n\n".join(HOSTILE_TEXT) + "\n\n", 1)
    src = tmp_path / "hostile.txt"
    src.write_text(text, encoding="utf-8")
    monkeypatch.chdir(site)
    assert main(["import", str(src), "hostile", "2021"]) == 0
    summary = capsys.readouterr().out
    page = (site / "docs" / "hostile" / "2021.md").read_text(encoding="utf-8")
    assert page.startswith("# \\<b>沙坡头区\\</b>香山乡2021年")  # the name whole: a ">" cut it to "香山乡"
    meta = tomllib.loads((site / "data" / "hostile" / "2021" / "report.toml").read_text(encoding="utf-8"))
    assert meta["agency"] == "<b>沙坡头区</b>香山乡"
    checked, built = check(site), build(site)
    assert "Traceback" not in checked.text + built.text
    mine = {f for f in ours(checked.found) if f[1].startswith(("docs/hostile", "data/hostile"))}
    assert mine and not {f for f in mine if f[0] in ("S508", "S509", "S510", "S511")}, mine
    assert mine == {f for f in ours(built.found) if f[1].startswith(("docs/hostile", "data/hostile"))}
    # the import's summary: the same findings as make check, S5xx included
    assert {(c, p_, ln) for c, p_, ln in mine} == {
        (c, p_, int(ln)) for p_, ln, c in re.findall(r"^(\S+?):(\d+)(?::\d+)?: (?:错误|警告) ([A-Z]\d{3}) ", summary, re.M)}
    html = (site / "_build" / "html" / "hostile" / "2021.html").read_text(encoding="utf-8")
    for shown in ("&lt;script&gt;alert(", "&amp;lt;script&amp;gt;", "{eval-rst}", "```{include} /etc/passwd", ":::{eval-rst}",
                  "% 这一行在 MyST 中是注释。", "[点这里](javascript:alert(1))", "&lt;b&gt;沙坡头区&lt;/b&gt;香山乡", "&lt;iframe src=x&gt;"):
        assert shown in html, shown
    assert "<script>alert" not in html and "<iframe" not in html and 'href="javascript' not in html
