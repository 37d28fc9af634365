"""Check results for a pull request: top annotations, a job summary, a JSON report.

GitHub shows at most 10 error and 10 warning annotations per step, so the
findings are ranked (wrong numbers before misspelt labels) and only the first
ten of each kind become ``::error``/``::warning`` lines on the CSV or Markdown
line; the job summary (``$GITHUB_STEP_SUMMARY``) lists every finding in a
Markdown table, and the JSON report is written for upload as an artifact.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..findings import CATALOGUE, Finding, Severity

#: GitHub's per-step limit for each of error and warning annotations.
LIMIT = 10

#: Importance by the first letter of a code, most important first: numbers that
#: do not add up or contradict last year or the text, then missing files and
#: sections, unreadable cells, the report's wording, waivers, and last the
#: table's shape and label spelling.
RANK = {"R": 0, "Y": 1, "P": 2, "F": 3, "S": 4, "C": 5, "X": 6, "V": 7, "L": 8}


@dataclass(frozen=True)
class Counts:
    reports: int
    errors: int
    warnings: int
    waived: int


def finding_from_dict(d: Mapping[str, object]) -> Finding:
    """A :class:`Finding` back from ``check --format json`` output."""

    def opt_int(key: str) -> int | None:
        v = d.get(key)
        return int(v) if isinstance(v, int | str) and str(v).isdigit() else None

    def opt_str(key: str) -> str | None:
        v = d.get(key)
        return None if v is None else str(v)

    code = str(d["code"])
    sev = d.get("severity")
    severity = Severity(sev) if sev in ("error", "warning") else CATALOGUE[code].severity
    return Finding(
        code=code, message=str(d.get("message", "")), path=str(d.get("path", "")),
        line=opt_int("line"), col=opt_int("col"), column=opt_str("column"),
        expected=opt_str("expected"), found=opt_str("found"), waived=opt_str("waived"), severity=severity,
    )


def kind(f: Finding) -> str:
    """``error``, ``warning`` or ``notice`` (a waived finding)."""
    if f.waived is not None:
        return "notice"
    return "error" if f.severity is Severity.ERROR else "warning"


def importance(f: Finding) -> tuple[int, int, str, int, int, str]:
    """Sort key: errors, then warnings, then waived; within each, by :data:`RANK`."""
    order = {"error": 0, "warning": 1, "notice": 2}[kind(f)]
    return (order, RANK.get(f.code[:1], 9), f.path, f.line or 0, f.col or 0, f.code)


def ranked(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=importance)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    """One workflow command: ``::error file=…,line=…,col=…,title=…::message``."""
    props = [f"file={_escape_prop(f.path)}"]
    if f.line:
        props.append(f"line={f.line}")
        if f.col:
            props.append(f"col={f.col}")
    props.append(f"title={_escape_prop(f'{f.code} {CATALOGUE[f.code].title}')}")
    return f"::{kind(f)} {','.join(props)}::{_escape_data(f.message)}"


def top_annotations(findings: Iterable[Finding], limit: int = LIMIT) -> list[str]:
    """At most ``limit`` errors and ``limit`` warnings, most important first;
    waived findings are not annotated (they are in the summary table)."""
    out: list[str] = []
    taken = {"error": 0, "warning": 0}
    for f in ranked(findings):
        k = kind(f)
        if k in taken and taken[k] < limit:
            taken[k] += 1
            out.append(annotation(f))
    return out


def count(findings: list[Finding], reports: int) -> Counts:
    return Counts(
        reports=reports,
        errors=sum(kind(f) == "error" for f in findings),
        warnings=sum(kind(f) == "warning" for f in findings),
        waived=sum(kind(f) == "notice" for f in findings),
    )


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _md_text(text: str) -> str:
    """A message as literal text in the job summary: cell text from a CSV may hold
    Markdown or HTML (links, images that load on view); none of it is markup here (issue 17)."""
    return re.sub(r"([\[\]()`*_!<>&#~])", r"\\\1", _cell(text))


def _where(f: Finding, blob: str | None) -> str:
    loc = f.location()
    if blob is None:
        return f"`{_cell(loc)}`"
    anchor = f"#L{f.line}" if f.line else ""
    return f"[`{_cell(loc)}`]({blob}/{f.path}{anchor})"


def blob_url(env: Mapping[str, str]) -> str | None:
    """``https://github.com/<owner>/<repo>/blob/<sha>`` inside GitHub Actions."""
    server, repo, sha = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY"), env.get("GITHUB_SHA")
    if server and repo and sha:
        return f"{server}/{repo}/blob/{sha}"
    return None


LABELS = {"error": "❌ 错误", "warning": "⚠️ 警告", "notice": "☑️ 已豁免"}


def markdown(findings: list[Finding], reports: int, blob: str | None = None, limit: int = LIMIT) -> str:
    """The job summary: counts, what was annotated, every finding in a table."""
    c = count(findings, reports)
    out = ["## 检查结果", ""]
    if c.errors:
        out.append(f"**未通过**：检查了 {c.reports} 份报告，{c.errors} 个错误，{c.warnings} 个警告，{c.waived} 个已豁免。有错误的报告不能发布。")
    else:
        out.append(f"**通过**：检查了 {c.reports} 份报告，{c.errors} 个错误，{c.warnings} 个警告，{c.waived} 个已豁免。")
    out.append("")
    if not findings:
        return "\n".join(out)
    shown_e, shown_w = min(c.errors, limit), min(c.warnings, limit)
    note = f"代码中标注了 {shown_e} 个错误和 {shown_w} 个警告"
    if c.errors > limit or c.warnings > limit:
        note += f"（GitHub 每步最多显示 {limit} 个错误和 {limit} 个警告，按重要性选取：数字关系、跨年、正文与表格，其次是文件、章节、单元格和标签）"
    out += [f"{note}；下表列出全部问题，完整 JSON 报告见构建产物 check-report。", ""]
    out += ["| | 代码 | 位置 | 说明 |", "|---|---|---|---|"]
    for f in ranked(findings):
        title = CATALOGUE[f.code].title
        msg = f.message + (f"（豁免理由：{f.waived}）" if f.waived is not None else "")
        out.append(f"| {LABELS[kind(f)]} | {f.code} {_cell(title)} | {_where(f, blob)} | {_md_text(msg)} |")
    out.append("")
    return "\n".join(out)


def report_json(findings: list[Finding], reports: list[str]) -> str:
    """The artifact: counts, the reports checked and every finding, ranked."""
    c = count(findings, len(reports))
    doc = {
        "reports": reports,
        "errors": c.errors,
        "warnings": c.warnings,
        "waived": c.waived,
        "findings": [f.as_dict() for f in ranked(findings)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_summary(text: str, env: Mapping[str, str] | None = None) -> Path | None:
    """Append to ``$GITHUB_STEP_SUMMARY`` when set (returns its path), else None.

    Each part ends with a blank line, so the next step's heading starts a new block.
    """
    target = (env if env is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text.rstrip("\n") + "\n\n")
    return path
