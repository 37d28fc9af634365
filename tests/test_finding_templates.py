"""Every finding's message comes from its code's template (issue 20, item 2).

The catalogue declares each code's message template(s) with named fields; ``Finding.of`` fills
them. These tests prove the declarations are complete and checked, and that the checks cannot go
around them: no module of the package builds a finding's message itself.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
from govreport.findingcodes import CodeId
from govreport.findings import CATALOGUE, Code, E, Finding, TemplateError, check_code_ids, code_id

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ext" / "govreport"


def _sample(code: Code, variant: str | None) -> dict[str, object]:
    """A value for each field: a number where the template formats one (``{n:04X}``, ``{share:.0%}``)."""
    text = code.texts()[variant]
    numeric = {name for name in code.fields(variant) if "{" + name + ":" in text}
    return {name: (7 if name in numeric else f"<{name}>") for name in code.fields(variant)}


def test_every_template_formats() -> None:
    n = 0
    for code in CATALOGUE.values():
        for variant in code.texts():
            values = _sample(code, variant)
            msg = Finding.of(code.code, "data/x.csv", variant=variant, **values).message  # type: ignore[arg-type]
            for name, value in values.items():
                if isinstance(value, str):
                    assert value in msg, (code.code, variant, name)
            n += 1
    assert n >= 100  # 87 codes, several with named variants


def test_every_code_has_a_text() -> None:
    """A code without a template could only be reported with a hand-written message."""
    assert [c for c in CATALOGUE.values() if not c.texts()] == []


def test_message_is_the_template_filled() -> None:
    f = Finding.of("F003", "data/a/2022/t3.csv", variant="quote", start=4, line=4, found='"')
    assert f.message == "第 4 行的引号“\"”没有配对，从这里到文件末尾都被当成了一个单元格；请补上或删去这个引号"
    assert (f.code, f.path, f.line, f.found, f.severity) == ("F003", "data/a/2022/t3.csv", 4, '"', E)


def test_missing_or_unknown_field_is_an_error_at_once() -> None:
    with pytest.raises(TemplateError, match=r"missing fields \['start'\]"):
        Finding.of("F003", "x.csv", variant="quote")
    with pytest.raises(TemplateError, match=r"unknown fields \['stray'\]"):
        Finding.of("F003", "x.csv", variant="quote", start=1, stray=2)
    with pytest.raises(TemplateError, match="no template 'nonesuch'"):
        Finding.of("F003", "x.csv", variant="nonesuch")
    with pytest.raises(TemplateError, match="no template None"):
        Finding.of("F003", "x.csv")  # F003 has only named variants


@pytest.mark.parametrize("template", ["第 {} 行", "第 {0} 行", "{row.label} 行", "{cells[0]}", "{line} 行", "{a:{b}}", "{a"])
def test_template_with_undeclared_field_fails_at_load(template: str) -> None:
    with pytest.raises(TemplateError):
        Code("Z999", E, "t", "h", template=template)
    with pytest.raises(TemplateError):
        Code("Z999", E, "t", "h", variants={"v": template})


def test_code_literal_matches_catalogue() -> None:
    check_code_ids(get_args(CodeId), CATALOGUE)
    with pytest.raises(TemplateError, match=r"only in CodeId \['F999'\]"):
        check_code_ids([*get_args(CodeId), "F999"], CATALOGUE)
    with pytest.raises(TemplateError, match=r"only in CATALOGUE \['F001'\]"):
        check_code_ids([c for c in get_args(CodeId) if c != "F001"], CATALOGUE)
    with pytest.raises(TemplateError, match="unknown finding code 'R399'"):
        code_id("R399")
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "findingcodes.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_code_typo_is_a_mypy_error(tmp_path: Path) -> None:
    snippet = tmp_path / "typo.py"
    snippet.write_text('from govreport.findings import Finding\n\nFinding.of("F0003", "x.csv", variant="quote", start=1)\n', encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(ROOT / "ext")}
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent", str(snippet)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 1, out.stdout
    assert 'Argument 1 to "of" of "Finding" has incompatible type "Literal[\'F0003\']"' in out.stdout


def _message_writers() -> dict[str, int]:
    """Modules that pass a message text of their own (a string, f-string or expression) to a
    finding: ``Finding.make(code, message, …)`` or ``Finding(message=…)``."""
    out: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "findings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("Finding.make", "Finding"):
                key = str(path.relative_to(PACKAGE))
                out[key] = out.get(key, 0) + 1
    return out


def test_no_module_writes_a_finding_message() -> None:
    # summary.py reads findings back from their JSON (the message was formatted by its template then).
    assert _message_writers() == {"checks/summary.py": 1}


TOOL = ROOT / "tools" / "findingtexts.py"


def _assembled(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), "--assembled", str(package)], capture_output=True, text=True)


def test_no_message_part_is_assembled_from_chinese_text() -> None:
    """Joins (＋ ； ，), type names, key descriptions: the wording is the catalogue's, not Python's."""
    out = _assembled(PACKAGE)
    assert out.returncode == 0 and out.stdout.splitlines() == ["message parts assembled in Python from Chinese text: 0"], out.stdout


@pytest.mark.parametrize(("body", "want"), [
    ('    Finding.of("U905", p, parts="＋".join(xs))\n', "planted.py:5: U905 parts: ＋"),
    ('    kind = "数组" if x else str(x)\n    Finding.of("F012", p, kind=kind)\n', "planted.py:6: F012 kind: 数组"),
    ('    Finding.of("U910", p, listed=f"“{x}”", line=1, found="（无）")\n', "planted.py:5: U910 listed: “ ”"),
    ('    return Finding.of("U941", p, values=kw)\n\n\ndef g(p, xs):\n    return f(p, xs, 1, keys="、".join(xs))\n',
     "planted.py:9: p keys: 、"),  # a helper handing its **fields on
    ('    Finding.of("X804", p, published=f"{x.year}年{x.month}月{x.day}日", last=x)\n', "planted.py:5: X804 published: 年 日 月"),
    ('    where = "正文" if x else f"“{x}”一节"\n    return Finding.declared(x, p, section=where)\n',
     "planted.py:6: x section: “ ”一节 正文"),  # a rule pack's field, as packrules wrote it
])
def test_the_check_finds_a_planted_message_part(tmp_path: Path, body: str, want: str) -> None:
    (tmp_path / "planted.py").write_text("from govreport.findings import Finding\n\n\ndef f(p, xs, x, **kw):\n" + body, encoding="utf-8")
    out = _assembled(tmp_path)
    assert out.returncode == 1 and out.stdout.splitlines()[1:] == [want], out.stdout
    (tmp_path / "planted.py").write_text("from govreport.findings import Finding\n\n\ndef f(p, xs):\n"
                                         '    Finding.of("U905", p, parts=xs, found="（无）")\n', encoding="utf-8")
    assert _assembled(tmp_path).returncode == 0  # a list the template joins; found= is not a message field
