"""The workbench without a browser: cell edits keep the file, typed values meet the
same checks as a CSV, the guard refuses what is not the report's, report.toml keeps
its comments, and a commit leaves the writer's checkout alone."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from govreport.checks import check_report
from govreport.model.report import load_report
from govreport.workbench.api import Workbench
from govreport.workbench.commit import CommitError, commit_report
from govreport.workbench.csvedit import set_cells
from govreport.workbench.edits import EditError, edited_files, parse_cells
from govreport.workbench.guard import MAX_BODY, Refused, host_ok, origin_ok, writable
from govreport.workbench.live import check_contents, located
from govreport.workbench.serve import page_stamp
from govreport.workbench.settings import updated

TOKEN = "test-token"
HEADERS = {"X-Govreport-Token": TOKEN, "Content-Type": "application/json"}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _post(wb: Workbench, what: str, body: dict[str, object], headers: dict[str, str] = HEADERS) -> tuple[int, dict[str, object]]:
    a = wb.post(f"/__govreport/api/{what}", headers, json.dumps(body).encode())
    return a.status, json.loads(a.body)


# ---------------------------------------------------------------- csvedit


def test_set_cells_changes_only_those_characters() -> None:
    raw = '\ufeff项目,自然人,总计\r\n"一、本年新收,（逗号）", 5 ,5\r\n二、上年结转,1\r\n'.encode()
    out = set_cells(raw, {(2, 2): "12", (2, 3): "12", (3, 3): "1"})
    assert out == '\ufeff项目,自然人,总计\r\n"一、本年新收,（逗号）",12,12\r\n二、上年结转,1,1\r\n'.encode()


def test_set_cells_quotes_what_must_be_quoted_and_keeps_gbk() -> None:
    raw = "项目,自然人\n一、本年新收,5\n".encode("gb18030")
    out = set_cells(raw, {(2, 2): "1,234"})
    assert out == '项目,自然人\n一、本年新收,"1,234"\n'.encode("gb18030")


# ------------------------------------------------------ typed values, checks


def test_typed_text_gets_the_same_located_finding_as_in_the_csv(repo: Path) -> None:
    report = load_report(repo, "demo", 2021)
    contents = edited_files(report, parse_cells(report, {"t3.new.natural": "十二"}))
    typed, found = check_contents(repo, repo / "docs", "demo", 2021, contents)
    # The same text written into the file and checked by make check's pipeline:
    (repo / "data/demo/2021/table3.csv").write_bytes(contents["table3.csv"])
    on_disk = check_report(repo, "demo", 2021).findings
    assert [(f.code, f.message, f.location()) for f in found] == [(f.code, f.message, f.location()) for f in on_disk]
    c208 = [f for f in located(typed, found) if f["code"] == "C208"]
    assert c208 == [{"code": "C208", "severity": "error", "error": True,
                     "message": "表三“一、本年新收政府信息公开申请数量”行“自然人”列：“十二”不是数字",
                     "where": "data/demo/2021/table3.csv:2:2", "cell": "t3.new.natural", "setting": None, "waived": None}]


def test_totals_follow_and_the_balance_finding_points_at_a_cell(repo: Path) -> None:
    report = load_report(repo, "demo", 2021)
    before = (repo / "data/demo/2021/table3.csv").read_bytes()
    contents = edited_files(report, parse_cells(report, {"t3.new.natural": "3"}))
    changed = [(a, b) for a, b in zip(before.decode().splitlines(), contents["table3.csv"].decode().splitlines(), strict=True) if a != b]
    assert changed == [("一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0", "一、本年新收政府信息公开申请数量,3,0,0,0,0,0,3")]
    typed, found = check_contents(repo, repo / "docs", "demo", 2021, contents)
    r301 = {(f["cell"], f["where"]) for f in located(typed, found) if f["code"] == "R301"}
    assert r301 == {("t3.total.natural", "data/demo/2021/table3.csv:25:2"), ("t3.total.total", "data/demo/2021/table3.csv:25:8")}
    assert (repo / "data/demo/2021/table3.csv").read_bytes() == before  # nothing written


@pytest.mark.parametrize("cells", [{"t3.total.natural": "1"}, {"t3.nope.natural": "1"}, {"t9.new.natural": "1"},
                                   {"t3.new.natural": "1\n2"}, {"t3.new.natural": 5}, {"t3.new.natural": "9" * 101}])
def test_cells_the_form_never_sends_are_refused(repo: Path, cells: dict[str, object]) -> None:
    with pytest.raises(EditError):
        parse_cells(load_report(repo, "demo", 2021), cells)


# ------------------------------------------------------------------ guard


def test_guard() -> None:
    assert host_ok("127.0.0.1:8000", 8000) and host_ok("localhost:8000", 8000)
    assert not any(host_ok(h, 8000) for h in (None, "127.0.0.1", "127.0.0.1:8001", "evil.example:8000", "localhost.evil.example:8000"))
    assert origin_ok(None, 8000) and origin_ok("http://localhost:8000", 8000)
    assert not origin_ok("http://evil.example", 8000) and not origin_ok("null", 8000)


@pytest.mark.parametrize("name", ["../../conf.py", "table3.csv/../../x", "waivers.toml", "/etc/passwd", "docs/demo/2020.md", "ext/govreport/workbench/serve.py", "import-notes.md"])
def test_only_the_reports_own_files_are_writable(repo: Path, name: str) -> None:
    with pytest.raises(Refused):
        writable(repo, repo / "docs", "demo", 2021, name)
    assert writable(repo, repo / "docs", "demo", 2021, "table3.csv") == repo / "data/demo/2021/table3.csv"
    assert writable(repo, repo / "docs", "demo", 2021, "docs/demo/2021.md") == repo / "docs/demo/2021.md"


def test_a_symlinked_report_folder_is_not_written(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (repo / "data/demo/2021").rename(outside)
    (repo / "data/demo/2021").symlink_to(outside)
    with pytest.raises(Refused, match="符号链接"):
        writable(repo, repo / "docs", "demo", 2021, "table3.csv")


def test_writes_need_the_token_a_known_report_and_a_bounded_body(repo: Path) -> None:
    wb = Workbench(repo, repo / "docs", TOKEN, 8000)
    csv = repo / "data/demo/2021/table3.csv"
    before = csv.read_bytes()
    body = {"report": "demo/2021", "tables": {"t3": {"hash": _sha(csv), "cells": {"t3.new.natural": "4"}}}}
    assert _post(wb, "save", body, {"Content-Type": "application/json"})[0] == 403
    assert _post(wb, "save", body, {**HEADERS, "X-Govreport-Token": "guess"})[0] == 403
    assert _post(wb, "save", body, {**HEADERS, "Origin": "http://evil.example"})[0] == 403
    assert _post(wb, "save", {**body, "report": "../demo/2021"})[0] == 403
    assert _post(wb, "save", {**body, "report": "demo/2022"})[0] == 403
    assert wb.post("/__govreport/api/save", HEADERS, None).status == 413  # longer than MAX_BODY: not read
    assert MAX_BODY <= 1024 * 1024
    assert csv.read_bytes() == before
    status, out = _post(wb, "save", body)
    assert status == 200 and out["saved"] == ["data/demo/2021/table3.csv"]
    assert csv.read_bytes() == before.replace("一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0".encode(), "一、本年新收政府信息公开申请数量,4,0,0,0,0,0,4".encode())


def test_a_file_changed_since_the_form_was_loaded_is_not_overwritten(repo: Path) -> None:
    wb = Workbench(repo, repo / "docs", TOKEN, 8000)
    csv = repo / "data/demo/2021/table3.csv"
    loaded = _sha(csv)
    other = csv.read_bytes().replace("（一）予以公开,0,".encode(), "（一）予以公开,2,".encode())
    csv.write_bytes(other)  # Excel saved meanwhile
    status, out = _post(wb, "save", {"report": "demo/2021", "tables": {"t3": {"hash": loaded, "cells": {"t3.new.natural": "4"}}}})
    assert status == 409 and csv.read_bytes() == other
    conflict = out["conflicts"]["t3"]  # type: ignore[index]
    assert conflict["values"]["t3.open.natural"] == "2" and conflict["hash"] == _sha(csv)
    # "Keep mine": the new hash, the typed cell set in the file as it is now (their change kept).
    status, out = _post(wb, "save", {"report": "demo/2021", "tables": {"t3": {"hash": conflict["hash"], "cells": {"t3.new.natural": "4"}}}})
    assert status == 200
    text = csv.read_bytes().decode("utf-8")
    assert "一、本年新收政府信息公开申请数量,4,0,0,0,0,0,4" in text and "（一）予以公开,2," in text


# --------------------------------------------------------------- settings


def test_settings_keep_comments_and_are_validated(repo: Path) -> None:
    toml = repo / "data/demo/2021/report.toml"
    toml.write_text("# 说明：保留这行注释\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    before = toml.read_text(encoding="utf-8")
    new = updated(before, {"published": "2022-01-20", "draft": True})
    assert new.startswith("# 说明：保留这行注释\n") and "published = 2022-01-20\n" in new and "draft = true\n" in new
    assert [ln for ln in new.splitlines() if ln not in before.splitlines()] == ["published = 2022-01-20", "draft = true"]
    wb = Workbench(repo, repo / "docs", TOKEN, 8000)
    status, out = _post(wb, "settings", {"report": "demo/2021", "hash": _sha(toml), "values": {"agency": "香山乡\u0007"}})
    assert status == 422 and toml.read_text(encoding="utf-8") == before
    assert [(f["code"], f["setting"]) for f in out["findings"]] == [("F016", "agency")]  # type: ignore[index]
    status, out = _post(wb, "settings", {"report": "demo/2021", "hash": _sha(toml), "values": {"published": "2022-01-20"}})
    assert status == 200 and "published = 2022-01-20" in toml.read_text(encoding="utf-8")
    assert load_report(repo, "demo", 2021).published is not None


# ----------------------------------------------------------------- commit


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def test_commit_goes_on_the_reports_branch_and_leaves_the_checkout_alone(repo: Path) -> None:
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "测试")
    _git(repo, "config", "user.email", "t@example.org")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "start")
    (repo / "notes.txt").write_text("另一项没有提交的修改\n", encoding="utf-8")  # not the report's
    (repo / "conf.py").write_text("# staged change\n", encoding="utf-8")
    _git(repo, "add", "conf.py")
    wb = Workbench(repo, repo / "docs", TOKEN, 8000)
    csv = repo / "data/demo/2021/table3.csv"
    assert _post(wb, "save", {"report": "demo/2021", "tables": {"t3": {"hash": _sha(csv), "cells": {"t3.new.natural": "4"}}}})[0] == 200
    status_before = _git(repo, "status", "--porcelain")
    done = commit_report(repo, repo / "docs", "demo", 2021)
    assert done.branch == "report/demo-2021" and done.files == ["data/demo/2021/table3.csv"]
    assert _git(repo, "log", "-1", "--format=%B", done.branch) == (
        "沙坡头区香山乡 2021：更新报告（工作台提交）\n\n"
        "表三 自然人 一、本年新收政府信息公开申请数量: 0 → 4\n"
        "表三 总计 一、本年新收政府信息公开申请数量: 0 → 4\n\n")
    assert _git(repo, "diff-tree", "-r", "--name-only", "--no-commit-id", done.branch) == "data/demo/2021/table3.csv\n"
    assert _git(repo, "symbolic-ref", "HEAD") == "refs/heads/main\n"
    assert _git(repo, "status", "--porcelain") == status_before  # index and work tree as they were
    with pytest.raises(CommitError, match="没有需要提交"):
        commit_report(repo, repo / "docs", "demo", 2021)
    toml = repo / "data/demo/2021/report.toml"
    assert _post(wb, "settings", {"report": "demo/2021", "hash": _sha(toml), "values": {"published": "2022-01-20"}})[0] == 200
    second = commit_report(repo, repo / "docs", "demo", 2021)
    assert _git(repo, "rev-parse", f"{second.commit}^") == done.commit + "\n"  # grows from the branch's tip
    assert second.message == "沙坡头区香山乡 2021：更新报告（工作台提交）\n\nreport.toml 发布日期: （未填） → 2022-01-20\n"
    assert _git(repo, "symbolic-ref", "HEAD") == "refs/heads/main\n" and _git(repo, "log", "--format=%s", "main") == "start\n"


def test_commit_refuses_outside_a_git_checkout(repo: Path) -> None:
    with pytest.raises(CommitError, match="不是 Git 仓库"):
        commit_report(repo, repo / "docs", "demo", 2021)


def test_a_page_counts_as_rewritten_only_once_written_in_full(tmp_path: Path) -> None:
    page = tmp_path / "2021.html"
    page.write_text("<html><body>半页", encoding="utf-8")  # Sphinx writes in place: caught mid-write
    assert page_stamp(page) is None and page_stamp(tmp_path / "missing.html") is None
    page.write_text("<html><body>全文</body></html>\n", encoding="utf-8")
    assert page_stamp(page) == str(page.stat().st_mtime_ns)


def test_an_unreadable_table_does_not_stop_the_check_of_the_others(repo: Path) -> None:
    (repo / "data/demo/2021/table4.csv").write_bytes(b"PK\x03\x04 an xlsx renamed")
    wb = Workbench(repo, repo / "docs", TOKEN, 8000)
    status, out = _post(wb, "check", {"report": "demo/2021", "cells": {"t3.new.natural": "abc"}})
    assert status == 200
    assert [(f["code"], f["where"]) for f in out["findings"] if f["code"] in ("F003", "C208")] == [  # type: ignore[union-attr]
        ("C208", "data/demo/2021/table3.csv:2:2"), ("F003", "data/demo/2021/table4.csv")]
    status, out = _post(wb, "check", {"report": "demo/2021", "cells": {"t4.review.upheld": "1"}})
    assert status == 422 and "不是可以读取的文本 CSV" in str(out["error"])


def test_a_2019_format_report_gets_its_own_grid(tmp_path: Path) -> None:
    import re
    import shutil

    root = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "roots" / "test-format2019", root)
    wb = Workbench(root, root, TOKEN, 8000)
    page = wb.get("/__govreport/edit/demo/2020")
    assert page is not None and page.status == 200
    html = page.body.decode("utf-8")
    labels = re.findall(r'<input data-cell="t2\.license\.[a-z_]+"[^>]*aria-label="([^"]+)"', html)
    assert labels == ["表二 行政许可 上一年项目数量", "表二 行政许可 本年增/减", "表二 行政许可 处理决定数量"]
    status, out = _post(wb, "check", {"report": "demo/2020", "cells": {"t2.license.change": "-1"}})
    assert status == 200 and [f for f in out["findings"] if f["cell"] == "t2.license.change"] == []  # type: ignore[union-attr]
