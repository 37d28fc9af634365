"""Review 1, items 1.3–1.6, through ``make import`` run for real: names checked like ``make new``'s, all files or
none (targets checked, replaced files restored), UTF-16 sources and 5000-digit numbers, and a source whose
format is not the one of YEAR never put into columns of another meaning.

``tests/fixtures/huaian-2024.txt`` is ``../shared/real-reports/huaian-shi_2024.txt`` byte for byte, so these
tests also run on a clone without ``../shared``; its first line (the provenance, not the report) is stripped.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import tomllib
from pathlib import Path

import forms2019
import pytest
from govreport.format.spec import load_spec
from govreport.importer import read_cell, read_file
from govreport.model import atomic
from govreport.model.textcodec import decode
from makerepo import make_repo, run_make

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests/fixtures/huaian-2024.txt"
REAL = ROOT.parent / "shared/real-reports/huaian-shi_2024.txt"
HUAIAN_TEXT = FIXTURE.read_text(encoding="utf-8").split("\n", 1)[1]  # without the provenance line


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


make = run_make


def huaian(repo: Path, name: str = "huaian.txt", text: str | None = None, encoding: str = "utf-8") -> Path:
    path = repo / name
    path.write_text(HUAIAN_TEXT if text is None else text, encoding=encoding)
    return path


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_fixture_is_the_real_report() -> None:
    if not REAL.is_file():
        pytest.skip(f"{REAL} is not beside this clone (CI): the fixture is used alone")
    assert REAL.read_bytes() == FIXTURE.read_bytes()
    assert HUAIAN_TEXT.startswith("            淮安市人民政府\n")


# ------------------------------------------------------------------ 1.3 names


@pytest.mark.parametrize("arg", ["NAME=淮安\n市", "FULL_NAME=淮安市人民政府\n第二行", "NAME=淮安\x1b[31m市", "NAME=" + "淮" * 201])
def test_make_import_refuses_a_name_make_new_refuses(repo: Path, arg: str) -> None:
    source = huaian(repo)
    proc = make(repo, "import", f"FILE={source.name}", "AGENCY=ha", "YEAR=2024", arg)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "不能超过 200 字，也不能含换行、控制字符或文字方向控制符（如 U+202E）" in proc.stderr
    assert not (repo / "data/ha").exists() and not (repo / "docs/ha").exists()


def test_a_hostile_title_name_is_never_written(repo: Path) -> None:
    text = HUAIAN_TEXT.replace("淮安市人民政府\n", "淮安市\x1b[31mpwned\x07人民政府\n", 1)
    source = huaian(repo, text=text)
    proc = make(repo, "import", f"FILE={source.name}", "AGENCY=ha", "YEAR=2024")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "原文标题中的机构名称 不能超过 200 字，也不能含换行、控制字符或文字方向控制符（如 U+202E），未使用；请用 NAME=…（--name）指定机构名称" in proc.stderr
    assert not (repo / "data/ha").exists()
    proc = make(repo, "import", f"FILE={source.name}", "AGENCY=ha", "YEAR=2024", "NAME=淮安市人民政府")
    assert proc.returncode == 0, proc.stderr
    meta = tomllib.loads((repo / "data/ha/2024/report.toml").read_text(encoding="utf-8"))
    assert meta["agency"] == "淮安市人民政府"
    written = "".join(p.read_text(encoding="utf-8") for p in [*(repo / "data/ha/2024").iterdir(), repo / "docs/ha/2024.md"])
    assert "\x1b" not in written and "\x07" not in written and "pwned" not in written


# ------------------------------------------------------------------ 1.4 all files or none


def test_a_target_that_is_a_folder_stops_before_anything_is_written(repo: Path) -> None:
    source = huaian(repo)
    (repo / "docs/atom/2024.md").mkdir(parents=True)
    proc = make(repo, "import", f"FILE={source.name}", "AGENCY=atom", "YEAR=2024", "FORCE=1")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "没有写入任何文件" in proc.stderr and "docs/atom/2024.md 已存在但不是普通文件" in proc.stderr
    assert not (repo / "data/atom").exists()  # the claim is true: nothing was left
    assert [p.name for p in (repo / "docs/atom").iterdir()] == ["2024.md"]


def test_a_failed_rename_puts_the_replaced_files_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = {tmp_path / "d" / f"f{i}.txt": f"old {i}\n" for i in range(4)}
    for p, text in old.items():
        p.parent.mkdir(exist_ok=True)
        p.write_text(text, encoding="utf-8")
    new = {p: f"new {i}\n" for i, p in enumerate(old)} | {tmp_path / "e/sub/g.txt": "fresh\n"}
    real, calls = os.replace, []

    def fail_third(src: str | Path, dst: str | Path) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", fail_third)
    with pytest.raises(atomic.WriteFailed, match="没有留下任何文件：Input/output error"):
        atomic.write_all(new)
    assert len(calls) > 3  # two renames done, the third failed, then the two put back
    assert {p: p.read_text(encoding="utf-8") for p in old} == old
    assert not (tmp_path / "e").exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["d", "f0.txt", "f1.txt", "f2.txt", "f3.txt"]  # no .tmp, no .bak
    monkeypatch.setattr(atomic.os, "replace", real)
    atomic.write_all(new)  # and it runs again
    assert {p: p.read_text(encoding="utf-8") for p in new} == new
    assert not list(tmp_path.rglob(".*"))


# ------------------------------------------------------------------ 1.5 decoding, huge numbers


def test_a_utf16_source_imports_like_its_utf8_copy(repo: Path) -> None:
    for name, enc in (("utf8.txt", "utf-8"), ("utf16.txt", "utf-16")):  # Python's utf-16 writes a BOM, as Notepad does
        huaian(repo, name, encoding=enc)
        proc = make(repo, "import", f"FILE={name}", f"AGENCY={name[:-4]}", "YEAR=2024")
        assert "Traceback" not in proc.stderr and "codec" not in proc.stderr, proc.stderr
        assert ("原文的编码是 UTF-16（记事本的“Unicode”），已按此读取" in proc.stdout) == (enc == "utf-16")
    for t in ("table2.csv", "table3.csv", "table4.csv"):
        assert rows(repo / "data/utf8/2024" / t) == rows(repo / "data/utf16/2024" / t)
    assert rows(repo / "data/utf16/2024/table2.csv")[2] == ["规章", "1", "0", "11"]


def test_utf16_without_a_bom_is_refused_in_chinese(repo: Path) -> None:
    (repo / "bare.txt").write_bytes(HUAIAN_TEXT.encode("utf-16-le"))
    proc = make(repo, "import", "FILE=bare.txt", "AGENCY=bare", "YEAR=2024")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "bare.txt：含 NUL 字节，不是文本文件；请另存为 UTF-8 文本再导入" in proc.stderr
    assert not (repo / "data/bare").exists()


def test_a_5000_digit_number_is_a_blank_cell_with_a_note(repo: Path) -> None:
    text = HUAIAN_TEXT
    row = "规章            1          0        11"
    assert row in text
    huaian(repo, text=text.replace(row, "规章            " + "9" * 5000 + "          0        11"))
    proc = make(repo, "import", "FILE=huaian.txt", "AGENCY=big", "YEAR=2024")
    assert "Traceback" not in proc.stderr and "Exceeds" not in proc.stdout + proc.stderr
    assert "表二“规章”行“本年制发件数”列：原文数字有 5000 位，超过 12 位，不可能是件数或金额（是否粘贴错误？），未导入（CSV 中留空）" in proc.stdout
    assert "9" * 50 not in proc.stdout  # named, not echoed
    assert rows(repo / "data/big/2024/table2.csv")[2] == ["规章", "", "0", "11"]


def test_read_cell_limit_is_the_checks() -> None:
    assert read_cell("9" * 12, "count") == (999999999999, None)
    assert read_cell("9" * 13, "count")[0] is None
    assert read_cell("9" * 13 + ".5", "wan_yuan") == (None, "原文数字有 13 位，超过 12 位，不可能是件数或金额（是否粘贴错误？）")
    assert read_cell("-" + "9" * 4301, "signed")[0] is None


def test_one_decoder() -> None:
    text = "表\t1\n"
    assert decode(text.encode("utf-16")).how == "utf-16" and decode(text.encode("utf-16")).text is None
    assert decode(text.encode("utf-16"), utf16=True).text == text
    assert decode(text.encode("gb18030")).how == "gb18030"
    assert decode("\ufeff表".encode()).text == "表"
    bad = decode(b"a\nb\x01")
    assert (bad.how, bad.line, bad.char) == ("control", 2, "\x01")
    assert decode(b"a\x1a").text == "a\x1a"  # DOS end-of-file mark


# ------------------------------------------------------------------ 1.6 formats


def test_a_2021_source_as_2020_stays_in_the_2021_grid(repo: Path) -> None:
    """2020 reports may use the 2021 format (F008 fires only for an older one): the real 淮安 report as YEAR=2020
    keeps its columns, never 2019's (本年新制作数量, 上一年项目数量 …)."""
    source = huaian(repo)
    proc = make(repo, "import", f"FILE={source.name}", "AGENCY=ha2020", "YEAR=2020")
    assert proc.returncode == 0, proc.stderr
    assert "原文用的是 2021 年格式（国办公开办函〔2021〕30号），2020 年的报告也可以用它（不必是 2019 年格式），按原文的格式导入" in proc.stdout
    assert "检查：0 个错误" in proc.stdout
    meta = tomllib.loads((repo / "data/ha2020/2020/report.toml").read_text(encoding="utf-8"))
    assert meta["format"] == "2021"
    t2 = rows(repo / "data/ha2020/2020/table2.csv")
    assert t2[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"] and t2[2] == ["规章", "1", "0", "11"]
    t3 = {r[0]: r[1:] for r in rows(repo / "data/ha2020/2020/table3.csv") if r}
    assert t3["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"][-1] != ""  # the 2021 sub-rows, not one （六）


def test_a_2019_source_as_2022_is_refused(repo: Path) -> None:
    report = forms2019.Report(load_spec("2019"), 2022)
    (repo / "old.txt").write_text(report.tab_text(), encoding="utf-8")
    proc = make(repo, "import", "FILE=old.txt", "AGENCY=old", "YEAR=2022")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert ("old.txt:10: 表二（主动公开政府信息情况）：原文是 2019 年格式（国办公开办函〔2019〕60号），YEAR=2022 的报告应为 "
            "2021 年格式（国办公开办函〔2021〕30号），两种格式的栏目含义不同，数字未导入；请确认 YEAR，或按 2021 年格式填写 table2.csv") in proc.stderr
    assert "未写入任何文件" in proc.stderr and not (repo / "data/old").exists()
    proc = make(repo, "import", "FILE=old.txt", "AGENCY=old", "YEAR=2022", "FORCE=1")  # forced: 表二 stays blank
    t2 = rows(repo / "data/old/2022/table2.csv")
    assert t2[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert all(cell == "" for r in t2[2:] if r and r[0] in ("规章", "行政规范性文件") for cell in r[1:])
    notes = (repo / "data/old/2022/import-notes.md").read_text(encoding="utf-8")
    assert "部分导入：表二（主动公开政府信息情况）是另一格式，未导入" in notes


def test_the_same_2019_source_as_2020_imports(tmp_path: Path) -> None:
    report = forms2019.Report(load_spec("2019"), 2020)
    path = tmp_path / "s.txt"
    path.write_text(report.tab_text(), encoding="utf-8")
    parsed = read_file(path, 2020)
    assert (parsed.version, parsed.layout, parsed.problems) == ("2019", "2019", [])


def test_a_replaced_symlink_is_restored_as_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("outside\n", encoding="utf-8")
    link = tmp_path / "d/link.txt"
    link.parent.mkdir()
    link.symlink_to(target)
    real = os.replace

    def fail_second(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "z.txt":
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", fail_second)
    with pytest.raises(atomic.WriteFailed, match="没有留下任何文件"):
        atomic.write_all({link: "new\n", tmp_path / "d/z.txt": "z\n"})
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8") == "outside\n" and not (tmp_path / "d/z.txt").exists()
