"""The index's groups (issue 21): a report.toml's ``group`` must be one portal.toml declares (X807),
and the check cache knows portal.toml is read for it (a change of ``groups`` is never missed)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from govreport.cli.commands import main
from portal_helpers import district_copy

META = "data/dongyuan/2022/report.toml"


def _findings(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if " X807 " in line]


def test_undeclared_group_and_a_change_of_portal_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = district_copy(tmp_path / "d", layout="repo")
    monkeypatch.chdir(root)
    meta = root / META
    meta.write_text(meta.read_text(encoding="utf-8") + 'group = "乡镇街道"\n', encoding="utf-8")
    line = meta.read_text(encoding="utf-8").splitlines().index('group = "乡镇街道"') + 1
    for path in root.rglob("*"):  # written an hour ago: the check cache keeps only what was not changed during its run
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    main(["check", "dongyuan/2022"])
    assert _findings(capsys) == []  # 乡镇街道 is one of the default groups
    portal = root / "portal.toml"
    portal.write_text(portal.read_text(encoding="utf-8") + 'groups = ["政府及汇总", "部门"]\n', encoding="utf-8")
    main(["check", "dongyuan/2022"])  # with the check cache, as make check runs
    assert _findings(capsys) == [f"{META}:{line}: 警告 X807 report.toml 的 group 应为 政府及汇总、部门 之一，实为“乡镇街道”；首页把这个单位列在“未分组”"]
